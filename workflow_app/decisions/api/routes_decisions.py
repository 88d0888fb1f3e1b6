"""Award decisions over the API, as the signer's and readers' pages (`decisions/routes_sign`,
`routes_view`): what is ready to sign, the prefilled wording, the preview (no number
taken, nothing written), issuing one decision for many dossiers, the list, one decision
with its annex, its DOCX and PDF and each awardee's certificate — through the same
functions (`decisions.service.selection`, `decisions.service.issue`, `routes_common.send_stored`).

Scope as on the pages: the signer sees and decides the dossiers of the units their signer
grants cover; an issued document is read by signers, reviewers and auditors over its
issuing unit and by submitters over one of its dossiers' units — anyone else gets 404.
Refusals of the selection or the wording are 422 `selection_invalid` (the page's message,
and in `details` the field at fault when it is the dossiers or the issuing unit);
an award that would be recorded twice for a nominee and year (two dossiers in one
document, or the registry already holding it) is 409 `duplicate_award`, one entry per
conflict in `details`; a document series that cannot number is 422 `numbering_failed`;
engine refusals keep theirs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.listing import scan_page
from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery
from workflow_app.api.reauth import require_reauth
from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.api.presenters_decisions import (
    decision_draft,
    decision_out,
    issued_summary,
    preview_out,
    ready_page,
)
from workflow_app.decisions.api.schemas_decisions import (
    DecisionDraftOut,
    DecisionIn,
    DecisionIssueIn,
    DecisionOut,
    DocumentPreviewOut,
    DraftIn,
    IssuedPage,
    ReadyPage,
    ReadyQuery,
)
from workflow_app.decisions.service import access, issue, selection, signed_pdf
from workflow_app.decisions.service.access import may_read
from workflow_app.decisions.service.numbering import NumberingError, file_stem
from workflow_app.decisions.service.selection import DuplicateAwardError, SelectionError
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_stored
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.dossier import Dossier

TAGS = ["decisions"]
SIGNERS = (issue.ROLE,)


@contextmanager
def refusals() -> Iterator[None]:
    """The pages' refusals of a selection or a wording, as API errors (422)."""
    try:
        yield
    except DuplicateAwardError as error:
        raise ApiError(409, "duplicate_award", str(error.message),
                       [conflict.detail for conflict in error.conflicts]) from None
    except SelectionError as error:
        details = None if error.field is None else [
            {"loc": [error.field], "msg": str(error.message), "type": "selection"}]
        raise ApiError(422, "selection_invalid", str(error.message), details) from None
    except NumberingError as error:
        raise ApiError(422, "numbering_failed", str(error.message)) from None


def chosen_dossiers(body: DraftIn, trigger: str, role: str) -> list[Dossier]:
    """The dossiers a draft is for, as the page ticks them: the ids asked for (each checked
    like a selection), else the ready ones of `award_id`, else every ready one."""
    actor = caller()
    if body.dossier_ids:
        with refusals():
            return selection.load_selection(db.session, actor,
                                            list(dict.fromkeys(body.dossier_ids)), trigger,
                                            role)
    ready = selection.ready_dossiers(db.session, actor, trigger, role)
    chosen = selection.preselected(ready, str(body.award_id)) if body.award_id else ready
    if not chosen:
        raise ApiError(409, "nothing_ready", _("No dossier is waiting for this step."))
    return chosen


def decision_input(body: DecisionIn) -> issue.DecisionInput:
    return issue.DecisionInput(
        dossier_ids=list(dict.fromkeys(body.dossier_ids)), issued_on=body.issued_on,
        place=body.place.strip(), summary=body.summary.strip(),
        authority=body.authority.strip(), bases=body.bases, articles=body.articles,
        recipients=body.recipients, issuer_id=body.issuer_id,
        on_behalf_of=body.on_behalf_of.strip())


@operation("GET", "/decisions/ready", summary="Dossiers ready to be decided by you",
           description="Council-approved (or appraised, simplified procedure) dossiers of the "
                       "units your signer role covers whose award this body confers; awards "
                       "of the Prime Minister or the President are forwarded instead "
                       "(`/forwarding/ready`).",
           tags=TAGS, roles=SIGNERS, query=ReadyQuery, response=ReadyPage)
def list_ready_to_sign(query: ReadyQuery) -> ReadyPage:
    ready = selection.ready_dossiers(db.session, caller(), issue.TRIGGER, issue.ROLE)
    return ready_page(ready, query, current_locale())


@operation("POST", "/decisions/draft", summary="The prefilled wording of a decision",
           description="As the signing page prefills it: legal bases from the awards' rules, "
                       "the default articles and recipients, the issuing unit and you as "
                       "signer. Writes nothing. 422 `selection_invalid` for a dossier that is "
                       "not ready or not yours, or when your account is not linked to a "
                       "person with a position; 409 `nothing_ready` when no dossier waits.",
           tags=TAGS, roles=SIGNERS, scope="read", request=DraftIn, response=DecisionDraftOut,
           errors=[409])
def draft_decision(body: DraftIn) -> DecisionDraftOut:
    dossiers = chosen_dossiers(body, issue.TRIGGER, issue.ROLE)
    with refusals():
        return decision_draft(issue.default_input(caller(), dossiers, today_vn()))


@operation("POST", "/decisions/preview", summary="Preview a decision (nothing is written)",
           description="Everything checked as for issuing, and the decision drawn with its "
                       "annex, the number still pending: no decision, no number taken. Send "
                       "the same body with the preview's `issuer.id` as `issuer_id` to issue "
                       "it as previewed. 409 `duplicate_award` when the decision would record "
                       "an award twice for a nominee and year.",
           tags=TAGS, roles=SIGNERS, scope="read", request=DecisionIn,
           response=DocumentPreviewOut, errors=[409])
def preview_decision(body: DecisionIn) -> DocumentPreviewOut:
    inp = decision_input(body)
    with refusals():
        dossiers, issuer, signer = issue.prepare(db.session, caller(), inp, today_vn())
    document = issue.build_document(inp, issuer, signer, dossiers)
    return preview_out(document, issuer, current_locale())


@operation("POST", "/decisions", summary="Issue a decision",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "One transaction: the next number of the issuing unit's QĐ series "
                       "(never shared, never skipped), the DOCX, the PDF and one certificate "
                       "per awardee stored by SHA-256, every dossier moved to `decided`, each "
                       "award entered in the registry, audited `decision.issued` with the "
                       "files' hashes. Any refusal writes nothing and takes no number; 409 "
                       "`duplicate_award` when two selected dossiers confer the same award "
                       "on one nominee for one year, or the registry already holds it (active "
                       "record), naming each in `details`.",
           tags=TAGS, roles=SIGNERS, request=DecisionIssueIn, response=DecisionOut, status=201,
           errors=[409])
def issue_decision(body: DecisionIssueIn) -> DecisionOut:
    require_reauth(caller(), body.password, body.code, "decision")
    with refusals():
        decision = issue.issue_decision(db.session, caller(), decision_input(body),
                                        app_storage(DOCUMENTS),
                                        today_vn())
    db.session.flush()
    return decision_out(decision, current_locale())


def readable_decisions(query: PageQuery):
    viewer = caller()
    statement = select(Decision).options(
        selectinload(Decision.issuer),
        selectinload(Decision.items).selectinload(DecisionItem.dossier)
        .selectinload(Dossier.unit))
    return scan_page(db.session, statement, Decision.id, query,
                     lambda row: may_read(viewer, row))


@operation("GET", "/decisions", summary="Issued decisions you may read, newest first",
           description="Signers, reviewers and auditors: those issued by the units their role "
                       "covers; submitters: those covering a dossier of their units.",
           tags=TAGS, query=PageQuery, response=IssuedPage)
def list_decisions(query: PageQuery) -> IssuedPage:
    rows, next_cursor = readable_decisions(query)
    locale = current_locale()
    return IssuedPage(items=[issued_summary(d, locale) for d in rows], next_cursor=next_cursor)


@operation("GET", "/decisions/{decision_id}", summary="One decision with its annex",
           description="The wording as issued, the annex (one row per dossier, with the "
                       "certificate's id) and the SHA-256 of every stored file.",
           tags=TAGS, response=DecisionOut, errors=[404])
def get_decision(decision_id: int) -> DecisionOut:
    decision = access.readable(db.session, caller(), Decision, decision_id)
    return decision_out(decision, current_locale())


@operation("GET", "/decisions/{decision_id}/docx", summary="The decision as DOCX",
           description="The stored file exactly as issued (its SHA-256 is in the decision "
                       "and the audit trail), as an attachment.",
           tags=TAGS, errors=[404], raw_content_type=DOCX_MIMETYPE)
def download_decision_docx(decision_id: int):
    decision = access.readable(db.session, caller(), Decision, decision_id)
    return send_stored(DOCUMENTS,
                       decision.docx_sha256, f"{file_stem(decision)}.docx", DOCX_MIMETYPE)


@operation("GET", "/decisions/{decision_id}/pdf", summary="The decision as PDF",
           description="The PDF of record, as an attachment: the digitally signed PDF once "
                       "one is recorded (`/decisions/{decision_id}/signed-pdf`), else the "
                       "stored file exactly as issued.",
           tags=TAGS, errors=[404], raw_content_type=PDF_MIMETYPE)
def download_decision_pdf(decision_id: int):
    decision = access.readable(db.session, caller(), Decision, decision_id)
    return send_stored(DOCUMENTS, signed_pdf.pdf_of_record(db.session, decision),
                       f"{file_stem(decision)}.pdf", PDF_MIMETYPE)


@operation("GET", "/decisions/{decision_id}/certificates/{item_id}",
           summary="An awardee's certificate (PDF)",
           description="`item_id` is the annex row's `id`. The stored file as issued.",
           tags=TAGS, errors=[404], raw_content_type=PDF_MIMETYPE)
def download_certificate(decision_id: int, item_id: int):
    decision = access.readable(db.session, caller(), Decision, decision_id)
    item = next((i for i in decision.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return send_stored(DOCUMENTS, item.certificate_sha256,
                       f"{file_stem(decision)}-{item.position:02d}.pdf", PDF_MIMETYPE)
