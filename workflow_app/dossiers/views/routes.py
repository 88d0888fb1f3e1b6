"""The `dossiers` blueprint: lists, dossier pages, actions, documents, batches.

Each route module registers its views on the shared blueprint when imported here.
"""

from __future__ import annotations

from workflow_app.dossiers.views import (  # noqa: F401 - importing registers the views
    routes_batches,
    routes_detail,
    routes_documents,
    routes_edit,
    routes_list,
    template_helpers,
)
from workflow_app.dossiers.views.blueprint import bp

__all__ = ["bp"]
