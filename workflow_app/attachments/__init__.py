"""Attachments: type checked by content, stored by SHA-256 outside the web root."""
