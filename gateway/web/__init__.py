"""The quarantine review page."""
