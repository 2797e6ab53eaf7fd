"""Database layer: engines, model base classes, tenant context and migration helpers.

Nothing here imports a domain; domains import this.
"""
