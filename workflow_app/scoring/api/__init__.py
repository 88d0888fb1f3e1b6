"""/api/v1 operations of the scoring capability."""
