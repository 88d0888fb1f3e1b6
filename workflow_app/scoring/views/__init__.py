"""Pages of the scoring capability."""
