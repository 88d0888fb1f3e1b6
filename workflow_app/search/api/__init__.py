"""The search operation of /api/v1."""
