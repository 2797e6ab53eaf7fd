"""The fixtures pytest offers wherever tessera is installed (its ``pytest11`` entry point)."""
