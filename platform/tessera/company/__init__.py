"""The tenant's company profile: what its printed documents say about it (name, address, tax
id, contact, logo)."""
