"""The `decisions` blueprint: signing and issuing decisions, forwarding upward, reading
issued documents, revocation. Each route module registers its views on the shared blueprint when
imported here."""

from __future__ import annotations

from workflow_app.decisions.views import (  # noqa: F401 - importing registers the views
    routes_forward,
    routes_revocation,
    routes_revocation_sign,
    routes_sign,
    routes_signed,
    routes_view,
)
from workflow_app.decisions.views.routes_common import bp

__all__ = ["bp"]
