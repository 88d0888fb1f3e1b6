"""Paths of the app's pages for messages written outside a request (e-mails, reminders)."""

from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of `endpoint` (e.g. "/dossiers/12"), built without a request; raises
    werkzeug's BuildError for an unknown endpoint."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
