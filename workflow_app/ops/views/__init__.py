"""Health, readiness and the admin status page."""
