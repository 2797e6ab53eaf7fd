"""Plugins that exist to be loaded (pins) or refused (the others) by the plugin registry."""
