"""Health, readiness, metrics and the admin status page."""
