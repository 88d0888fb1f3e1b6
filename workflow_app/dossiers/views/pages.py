"""Helpers the dossier views share: the signed-in user, safe return paths, storage and the
dossier page itself (rendered after a GET, or again with an error after a refused action)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import render_template
from flask_login import current_user

from workflow_app.attachments.storage import ATTACHMENTS, Storage, app_storage
from workflow_app.config import current_config
from workflow_app.dossiers.service import labels
from workflow_app.dossiers.service.access import can_edit_dossier, may_submit_for
from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.documents import Refusal, document_types_for
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.timeline import build_timeline
from workflow_app.dossiers.views.forms import DocumentsForm
from workflow_app.eligibility.service import exception_requests
from workflow_app.eligibility.service.dossier import eligibility_context
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workflow import available_actions, definition_of
from workflow_app.workflow.guards import missing_items, required_documents

# Guards that judge input sent with the action, and the inputs each needs on the form.
ACTION_INPUTS = {"document_number_given": ("document_number", "document_date")}
# Actions that cannot be undone by the person doing them: the form asks first.
CONFIRM_TRIGGERS = {"withdraw", "reject", "revoke"}


def user() -> User:
    return current_user._get_current_object()


def safe_next(value: str | None) -> str | None:
    """A local path to return to, or None: no scheme, no host, no backslash tricks."""
    if not value or len(value) > 500 or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value


def storage() -> Storage:
    return app_storage(ATTACHMENTS)


def max_upload_bytes() -> int:
    return current_config().max_content_length


def upload_rows(dossier: Dossier, today: date) -> list[dict]:
    """One row per document type offered for upload — those the rule requires first —
    with its file input's name and how many current documents it already has."""
    version = dossier.rule_version(today)
    required = set(required_documents(dossier, version)) if version is not None else set()
    attached: dict[str, int] = {}
    for document in dossier.documents:
        attached[document.doc_type] = attached.get(document.doc_type, 0) + 1
    return [{"code": code, "label": labels.doc_type_label(code), "required": code in required,
             "attached": attached.get(code, 0), "name": DocumentsForm.FIELD_PREFIX + code}
            for code in document_types_for(dossier)]


def _actions(dossier: Dossier, viewer: User) -> list[dict]:
    definition = definition_of(dossier)
    rows = []
    for action in available_actions(dossier, viewer, include_blocked=True):
        transition = definition.transition_for(action.trigger, dossier.state)
        inputs = [name for guard in transition.guards for name in ACTION_INPUTS.get(guard, ())]
        rows.append({"action": action, "inputs": inputs,
                     "confirm": action.trigger in CONFIRM_TRIGGERS})
    return rows


def render_dossier(dossier: Dossier, *, status: int = 200, error: str | None = None,
                   upload_form: DocumentsForm | None = None, next_url: str | None = None,
                   failed_trigger: str | None = None,
                   upload_refusals: list[Refusal] | None = None):
    viewer = user()
    locale = current_locale()
    today = today_vn()
    definition = definition_of(dossier)
    editable = can_edit_dossier(viewer, dossier)
    version = dossier.rule_version(today)
    removed = [d for d in dossier.document_history if d.is_removed]
    timeline = build_timeline(db.session, dossier, locale)
    # While returned, the latest return (who, when, why) is shown at the top of the page.
    return_note = next((e for e in timeline if e.code == "dossier.return_for_supplement"),
                       None) if dossier.state == "returned" else None
    page = render_template(
        "dossiers/detail.html",
        dossier=dossier, definition=definition, locale=locale,
        state_label=labels.state_label(dossier.workflow, dossier.state, locale),
        rule_version=version,
        missing=missing_items(dossier, today) if dossier.state in ("draft", "returned") else [],
        clock=clock_of(dossier),
        actions=_actions(dossier, viewer),
        editable=editable,
        may_submit=may_submit_for(viewer, dossier.unit),
        upload_form=(upload_form or DocumentsForm()) if editable else None,
        upload_rows=upload_rows(dossier, today) if editable else [],
        upload_refusals=upload_refusals or [],
        removed_documents=removed,
        timeline=timeline, return_note=return_note,
        error=error, next_url=next_url, failed_trigger=failed_trigger,
        **eligibility_context(db.session, dossier, viewer),
        **exception_requests.page_context(db.session, dossier, viewer),
    )
    return page, status
