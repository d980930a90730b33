"""workshop layer."""
