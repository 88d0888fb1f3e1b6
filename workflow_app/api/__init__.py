"""The JSON API at /api/v1 (issue 6). How to add an endpoint: README.md in this folder.

`init_app` wires it into the app: the routes (each registered by `@operation`, which also
describes it in the OpenAPI document), CSRF for cookie-authenticated mutations only (Bearer
requests are exempt), and the per-token rate limit. Authentication itself runs in the app's
login gate (`security.py` → `auth.authenticate_api_request`).
"""

from __future__ import annotations

import importlib

from flask import Flask

from workflow_app.api.blueprint import bp

# Every module holding operations, in the order their operations appear in the OpenAPI
# document (registration order).
ROUTE_MODULES = (
    "workflow_app.admin.api.routes",
    "workflow_app.admin.api.routes_trust",
    "workflow_app.org.api.routes_manage",
    "workflow_app.org.api.routes_reorg",
    "workflow_app.auditor.api.routes",
    "workflow_app.dossiers.api.routes",
    "workflow_app.dossiers.api.routes_edit",
    "workflow_app.dossiers.api.routes_batches",
    "workflow_app.catalogue.api.routes",
    "workflow_app.council.api.routes_councils",
    "workflow_app.council.api.routes_acclamation",
    "workflow_app.council.api.routes_ballots",
    "workflow_app.council.api.routes_minutes",
    "workflow_app.council.api.routes_rounds",
    "workflow_app.council.api.routes_sessions",
    "workflow_app.decisions.api.routes_decisions",
    "workflow_app.disclosure.api.routes",
    "workflow_app.eligibility.api.routes_dossier",
    "workflow_app.dossiers.api.routes_documents",
    "workflow_app.registry.api.routes",
    "workflow_app.eligibility.api.routes",
    "workflow_app.eligibility.api.routes_exceptions",
    "workflow_app.decisions.api.routes_forwarding",
    "workflow_app.accounts.api.routes",
    "workflow_app.api.routes_meta",
    "workflow_app.notify.api.routes",
    "workflow_app.org.api.routes",
    "workflow_app.registry.api.routes_entries",
    "workflow_app.review.api.routes",
    "workflow_app.decisions.api.routes_revocations",
    "workflow_app.decisions.api.routes_signed",
    "workflow_app.search.api.routes",
    "workflow_app.dossiers.api.routes_exports",
    "workflow_app.review.api.routes_exports",
    "workflow_app.registry.api.routes_exports",
    "workflow_app.decisions.api.routes_exports",
    "workflow_app.council.api.routes_exports",
    "workflow_app.reports.api.routes",
    "workflow_app.movements.api.routes",
    "workflow_app.scoring.api.routes",
    "workflow_app.home.api.routes",
    "workflow_app.movements.api.routes_year",
    "workflow_app.auditor.api.routes_workbench",
    "workflow_app.webhooks.api.routes",
)


def _import_routes() -> None:
    """Import every operation module: importing one registers its operations."""
    for name in ROUTE_MODULES:
        importlib.import_module(name)


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
