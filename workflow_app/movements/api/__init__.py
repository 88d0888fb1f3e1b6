"""/api/v1 operations of the movements capability."""
