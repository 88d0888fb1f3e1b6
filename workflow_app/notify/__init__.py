"""Notifications: in-app list and e-mail through an outbox sent after commit."""
