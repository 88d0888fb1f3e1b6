"""The start page per role, the health check and the language switch."""
