"""The buttons of the review page: the definition's transitions open to this user now.

The forms post to the dossier pages' transition route (`dossiers.transition`, built by the
dossier pages), which calls the engine and returns to `next`. Links to that blueprint are
built only when its endpoints exist, so this page never points at a missing route.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from werkzeug.routing import BuildError

from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.user import User
from workflow_app.workflow import Action, available_actions, definition_of

TRANSITION_ENDPOINT = "dossiers.transition"
# The dossier pages' download route; the first one registered is used.
DOCUMENT_ENDPOINTS = ("dossiers.document", "dossiers.download_document", "dossiers.download",
                      "dossiers.attachment")
VIEW_ENDPOINT = "dossiers.view_document"


@dataclass(frozen=True)
class ActionView:
    action: Action
    url: str | None  # None until the dossier pages' transition route exists
    needs_document: bool  # the action carries a document number (and date)
    style: str  # Bootstrap button variant


def _has(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def _style(dossier: Dossier, action: Action) -> str:
    dest = definition_of(dossier).state(action.dest)
    if dest.terminal and action.reason_required:
        return "outline-danger"
    if not dest.clock_runs and not dest.terminal:
        return "outline-primary"
    return "primary"


def action_views(dossier: Dossier, user: User) -> list[ActionView]:
    """Every transition the user's role allows from the dossier's state, blocked ones included
    (their `blocked_by` says why), each with its form's target."""
    definition = definition_of(dossier)
    views = []
    for action in available_actions(dossier, user, include_blocked=True):
        transition = definition.transition_for(action.trigger, dossier.state)
        url = (url_for(TRANSITION_ENDPOINT, dossier_id=dossier.id, trigger=action.trigger)
               if _has(TRANSITION_ENDPOINT) else None)
        views.append(ActionView(action, url, "document_number_given" in transition.guards,
                                _style(dossier, action)))
    return views


def document_url(dossier: Dossier, document: DossierDocument) -> str | None:
    """The download link of a document, when the dossier pages serve downloads."""
    for endpoint in DOCUMENT_ENDPOINTS:
        if _has(endpoint):
            try:
                return url_for(endpoint, dossier_id=dossier.id, document_id=document.id)
            except BuildError:
                continue
    return None


def document_view_url(dossier: Dossier, document: DossierDocument) -> str | None:
    """The "view" link of a document (shown in the browser), when the dossier pages serve it."""
    if not _has(VIEW_ENDPOINT):
        return None
    return url_for(VIEW_ENDPOINT, dossier_id=dossier.id, document_id=document.id)


def dossier_url(dossier: Dossier) -> str | None:
    return url_for("dossiers.detail", dossier_id=dossier.id) if _has("dossiers.detail") else None
