"""The approval engine: versioned workflows attached to plugins' record types."""
