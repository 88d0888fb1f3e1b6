"""Operating the system: backup and restore, health and readiness, the admin status page."""
