"""Contracts (合同): a third-party Tessera plugin written from the plugin guide alone.

It imports nothing from Tessera but ``tessera.plugin``.
"""
