"""Tamper-evident audit trail: chain (append), verify, export."""
