"""Tessera's CRM module. It imports only the public plugin API, ``tessera.plugin``."""
