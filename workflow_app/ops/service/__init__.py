"""Backups, readiness and the status figures (no Flask)."""
