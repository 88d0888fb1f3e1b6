"""Webhook subscriptions, events and deliveries: rules and queries."""
