"""Outgoing webhooks: tenant admins' HTTPS endpoints, signed deliveries, a log per endpoint."""
