"""Domain events: written to an outbox with the change, relayed to dramatiq, handled once."""
