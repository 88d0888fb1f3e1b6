"""The JSON API at /api/v1 (issue 6). How to add an endpoint: README.md in this folder.

`init_app` wires it into the app: the routes (each registered by `@operation`, which also
describes it in the OpenAPI document), CSRF for cookie-authenticated mutations only (Bearer
requests are exempt), and the per-token rate limit. Authentication itself runs in the app's
login gate (`security.py` → `auth.authenticate_api_request`).
"""

from __future__ import annotations

from flask import Flask

from workflow_app.api.blueprint import bp


def _import_routes() -> None:
    from workflow_app.api import (  # noqa: F401 - importing registers the operations
        routes_admin,
        routes_audit,
        routes_batches,
        routes_catalogue,
        routes_council,
        routes_council_acclamation,
        routes_council_ballots,
        routes_council_minutes,
        routes_council_rounds,
        routes_council_sessions,
        routes_decisions,
        routes_disclosure,
        routes_dossiers,
        routes_dossiers_checks,
        routes_dossiers_documents,
        routes_dossiers_edit,
        routes_eligibility,
        routes_forwarding,
        routes_me,
        routes_meta,
        routes_notifications,
        routes_org,
        routes_registry,
        routes_registry_entries,
        routes_review,
        routes_revocations,
    )


def init_app(app: Flask) -> None:
    from workflow_app.api.limits import init_limiter
    from workflow_app.extensions import csrf

    _import_routes()
    # Flask-WTF's global check would refuse every Bearer POST; the blueprint checks CSRF
    # itself, for cookie-authenticated mutations only.
    # (`auth.check_csrf_for_cookie_mutations`, a before-request hook of the blueprint).
    csrf.exempt(bp)
    init_limiter(app)
    app.register_blueprint(bp)
