"""Eligibility exceptions asked for and answered (issue 17 item 4), as on the dossier page:
a submitter over the dossier's unit asks with a reason; reviewers list what waits for them
and grant (password again: a grant records an override) or refuse, with a reason."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.listing import list_page
from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery
from workflow_app.api.reauth import require_reauth
from workflow_app.dossiers.service.access import may_submit_for, visible_dossier_or_404
from workflow_app.eligibility.api.schemas import (
    ExceptionAnswerIn,
    ExceptionRequestIn,
    ExceptionRequestOut,
    ExceptionRequestPage,
)
from workflow_app.eligibility.service import exception_requests as service
from workflow_app.extensions import db
from workflow_app.models.eligibility import EligibilityExceptionRequest

TAGS = ["eligibility"]
STATUS = {"pending": _l("waiting for the reviewer"), "granted": _l("granted"),
          "refused": _l("refused")}
FORBIDDEN = _l("Your role or unit does not give you access to this.")


def _out(entry: EligibilityExceptionRequest) -> ExceptionRequestOut:
    return ExceptionRequestOut(
        id=entry.id, dossier_id=entry.dossier_id, nominee=entry.dossier.nominee_name,
        rule_id=entry.rule_id, reason=entry.reason, status=entry.status,
        status_label=str(STATUS[entry.status]),
        requested_by=entry.requested_by.display_name if entry.requested_by else "",
        requested_at=entry.requested_at, answer=entry.answer,
        answered_by=entry.answered_by.display_name if entry.answered_by else None,
        answered_at=entry.answered_at)


@operation("POST", "/dossiers/{dossier_id}/eligibility/exception-requests",
           summary="Ask a reviewer for an exception to a blocking rule (submitter)",
           description="For a top-level rule that blocks the dossier, with the reason; the "
                       "reviewers over the dossier's unit are told (also while it is a "
                       "draft). Audited `eligibility.exception_requested`. 409 "
                       "`exception_request_refused` when the rule does not block, a request "
                       "already waits, or the dossier is past the eligibility check.",
           tags=TAGS, roles=("submitter",), request=ExceptionRequestIn,
           response=ExceptionRequestOut, status=201, errors=[404, 409])
def ask_for_exception(dossier_id: int, body: ExceptionRequestIn) -> ExceptionRequestOut:
    viewer = caller()
    dossier = visible_dossier_or_404(db.session, viewer, dossier_id)
    if not may_submit_for(viewer, dossier.unit):
        raise ApiError(403, "forbidden", str(FORBIDDEN))
    try:
        entry = service.request_exception(db.session, dossier, body.rule_id, body.reason,
                                          viewer)
    except service.RequestError as error:
        raise ApiError(409, "exception_request_refused", str(error)) from None
    return _out(entry)


@operation("GET", "/eligibility/exception-requests",
           summary="Exception requests waiting for your answer (reviewer), oldest first",
           tags=TAGS, roles=("reviewer",), scope="read", query=PageQuery,
           response=ExceptionRequestPage)
def waiting_exception_requests(query: PageQuery) -> ExceptionRequestPage:
    rows = service.waiting_for_reviewer(db.session, caller())
    chosen, cursor = list_page(rows, query, key=lambda row: row.id)
    return ExceptionRequestPage(items=[_out(row) for row in chosen], next_cursor=cursor)


@operation("POST", "/eligibility/exception-requests/{request_id}/answer",
           summary="Grant or refuse an exception request (reviewer)",
           description="With the reason. Granting needs your password again in `password` "
                       "(and `code` with an authenticator app; 422 `reauth_failed`) and "
                       "records the override (`eligibility.overridden`) as well as "
                       "`eligibility.exception_granted`; refusing is audited "
                       "`eligibility.exception_refused`. The submitters are told. 409 "
                       "`exception_request_refused` when it was already answered.",
           tags=TAGS, roles=("reviewer",), request=ExceptionAnswerIn,
           response=ExceptionRequestOut, errors=[404, 409])
def answer_exception_request(request_id: int, body: ExceptionAnswerIn) -> ExceptionRequestOut:
    viewer = caller()
    entry = db.session.get(EligibilityExceptionRequest, request_id)
    if entry is None:
        raise ApiError(404, "not_found", _("There is no such request."))
    dossier = visible_dossier_or_404(db.session, viewer, entry.dossier_id)
    if not viewer.can_see_unit(dossier.unit, "reviewer"):
        raise ApiError(403, "forbidden", str(FORBIDDEN))
    grant = body.decision == "grant"
    if grant:
        require_reauth(viewer, body.password, body.code, "override")
    try:
        service.answer(db.session, entry, grant, body.reason, viewer)
    except service.RequestError as error:
        raise ApiError(409, "exception_request_refused", str(error)) from None
    return _out(entry)
