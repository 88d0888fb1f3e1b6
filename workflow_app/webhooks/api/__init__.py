"""Webhook subscriptions over /api/v1 (administrators)."""
