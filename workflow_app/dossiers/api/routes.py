"""Dossiers: the list and one dossier (scoped exactly as the pages: `dossiers.service.access`), and
the one route every workflow action goes through, as on the dossier page."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor
from workflow_app.api.presenters import dossier_summary
from workflow_app.dossiers.api.presenters import dossier_out
from workflow_app.dossiers.api.schemas import DossierOut, DossierPage, DossierQuery, TransitionIn
from workflow_app.dossiers.service import queries as dossier_queries
from workflow_app.dossiers.service.access import (
    READERS,
    visible_dossier_or_404,
)
from workflow_app.dossiers.service.queries import ListFilters
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.workflow import fire, get_registry


def transition_roles() -> list[str]:
    """Every role that some transition of some workflow allows (each trigger names its own)."""
    return sorted({role for definition in get_registry() for t in definition.transitions
                   for role in t.roles})


@operation("GET", "/dossiers", summary="Dossiers the caller may see, newest first",
           description="The same filters and the same scope as the dossier list page: the "
                       "dossiers of the units your roles cover (auditors: all).",
           tags=["dossiers"], roles=READERS, query=DossierQuery, response=DossierPage)
def list_dossiers(query: DossierQuery) -> DossierPage:
    filters = ListFilters(q=query.q or "", state=query.state or "", award_id=query.award_id,
                          year=query.year, commendation_type=query.commendation_type or "",
                          batch_id=query.batch_id, before=decode_cursor(query.cursor))
    page = dossier_queries.list_dossiers(db.session, caller(), filters, page_size=query.limit)
    locale = current_locale()
    return DossierPage(items=[dossier_summary(d, locale) for d in page.dossiers],
                       next_cursor=encode_cursor(page.next_before) if page.next_before else None)


@operation("GET", "/dossiers/{dossier_id}", summary="One dossier with its timeline",
           description="404 also when the dossier exists but your roles do not cover its unit.",
           tags=["dossiers"], roles=READERS, response=DossierOut, errors=[404])
def get_dossier(dossier_id: int) -> DossierOut:
    viewer = caller()
    dossier = visible_dossier_or_404(db.session, viewer, dossier_id)
    return dossier_out(db.session, dossier, viewer, current_locale())


@operation("POST", "/dossiers/{dossier_id}/transitions/{trigger}",
           summary="Fire a workflow action on a dossier",
           description="The triggers allowed now are the dossier's `actions`. Send the "
                       "`version` you saw: 409 `stale_version` if it changed meanwhile. "
                       "Refusals: 403 `forbidden` (role), 409 `invalid_transition` / "
                       "`guard_failed` (state or a business rule, with the reason), 422 "
                       "`reason_required` / `input_invalid`, 404 `unknown_action`.",
           tags=["dossiers"], roles=transition_roles, request=TransitionIn,
           response=DossierOut, errors=[404, 409])
def fire_transition(dossier_id: int, trigger: str, body: TransitionIn) -> DossierOut:
    actor = caller()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    inputs = {key: value for key, value in (
        ("document_number", (body.document_number or "").strip()),
        ("document_date", body.document_date.isoformat() if body.document_date else ""),
    ) if value}
    fire(db.session, dossier, trigger, actor, expected_version=body.version,
         reason=body.reason, **inputs)
    return dossier_out(db.session, dossier, actor, current_locale())
