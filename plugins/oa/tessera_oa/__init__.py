"""Tessera's OA (office) module. It imports only the public plugin API, ``tessera.plugin``."""
