"""Testing a Tessera plugin as Tessera tests its own: real PostgreSQL, real HTTP, fresh tenants.

Installed with ``tessera[testing]``; pytest loads :mod:`tessera.plugin.testing.pytest_plugin`
through its ``pytest11`` entry point.
"""
