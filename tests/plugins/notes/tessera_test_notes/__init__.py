"""Notes: the plugin the test suite uses to prove the plugin API (imports only tessera.plugin)."""
