"""Expenses: claims that go through approval (imports only tessera.plugin)."""
