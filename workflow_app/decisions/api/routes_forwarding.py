"""Forwarding over the API, as the officer's pages (`decisions/routes_forward`, and the
letters of `routes_view`): awards conferred above this body (Prime Minister, President) are
forwarded with a numbered tờ trình; the higher authority's decision (number, date) or its
refusal is recorded when it arrives — through the same functions (`decisions.service.forwarding`).

Scope as on the pages: a reviewer forwards and records for the units their reviewer grants
cover (another unit's dossier: 404); a letter is read like a decision (signers, reviewers,
auditors over its issuing unit, submitters over one of its dossiers' units; else 404).
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.api.auth import caller
from workflow_app.api.listing import list_page, scan_page
from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery
from workflow_app.api.presenters import award_record_out, dossier_summary, names
from workflow_app.api.reauth import require_reauth
from workflow_app.api.schemas.shared import DossierSummary
from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.api.presenters_decisions import (
    awaiting_dossier,
    issued_summary,
    letter_out,
    ready_page,
    submission_draft,
)
from workflow_app.decisions.api.routes_decisions import chosen_dossiers, refusals
from workflow_app.decisions.api.schemas_decisions import (
    AwaitingPage,
    DraftIn,
    HigherDecisionIn,
    HigherDecisionOut,
    HigherRefusalIn,
    IssuedPage,
    LetterOut,
    ReadyPage,
    ReadyQuery,
    SubmissionDraftOut,
    SubmissionIn,
    SubmissionIssueIn,
)
from workflow_app.decisions.service import access, forwarding, selection, signed_pdf
from workflow_app.decisions.service.access import may_read
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_stored
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.decision import SubmissionItem, SubmissionLetter
from workflow_app.models.dossier import Dossier

TAGS = ["forwarding"]
OFFICERS = (forwarding.ROLE,)


@operation("GET", "/forwarding/ready", summary="Dossiers to forward to a higher authority",
           description="Council-approved dossiers of the units your reviewer role covers whose "
                       "award the Prime Minister or the President confers.",
           tags=TAGS, roles=OFFICERS, query=ReadyQuery, response=ReadyPage)
def list_ready_to_forward(query: ReadyQuery) -> ReadyPage:
    ready = selection.ready_dossiers(db.session, caller(), forwarding.TRIGGER, forwarding.ROLE)
    return ready_page(ready, query, current_locale())


@operation("POST", "/forwarding/draft", summary="The prefilled wording of a tờ trình",
           description="As the forwarding page prefills it (addressee from the award's level, "
                       "you as signer when your account is linked to a person). Writes "
                       "nothing. 422 `selection_invalid` for a dossier that is not ready or "
                       "not yours; 409 `nothing_ready` when no dossier waits.",
           tags=TAGS, roles=OFFICERS, scope="read", request=DraftIn,
           response=SubmissionDraftOut, errors=[409])
def draft_submission(body: DraftIn) -> SubmissionDraftOut:
    dossiers = chosen_dossiers(body, forwarding.TRIGGER, forwarding.ROLE)
    with refusals():
        return submission_draft(forwarding.default_input(caller(), dossiers, today_vn()))


def _submission_input(body: SubmissionIn) -> forwarding.SubmissionInput:
    return forwarding.SubmissionInput(
        dossier_ids=list(dict.fromkeys(body.dossier_ids)), issued_on=body.issued_on,
        place=body.place.strip(), summary=body.summary.strip(),
        addressee=body.addressee.strip(), signer_title=body.signer_title.strip(),
        signer_name=body.signer_name.strip(), body=body.body, recipients=body.recipients,
        issuer_id=body.issuer_id)


@operation("POST", "/submission-letters", summary="Forward dossiers with a tờ trình",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "One transaction: the next number of the issuing unit's TTr series, "
                       "the DOCX and PDF stored by SHA-256, every dossier moved to "
                       "`forwarded`, audited `submission.issued`. Any refusal writes nothing "
                       "and takes no number; 409 `duplicate_award` when two dossiers ask for "
                       "the same award for one nominee and year, or the registry already "
                       "holds it.",
           tags=TAGS, roles=OFFICERS, request=SubmissionIssueIn, response=LetterOut, status=201,
           errors=[409])
def forward_dossiers(body: SubmissionIssueIn) -> LetterOut:
    require_reauth(caller(), body.password, body.code, "submission")
    with refusals():
        letter = forwarding.forward_dossiers(db.session, caller(), _submission_input(body),
                                             app_storage(DOCUMENTS), today_vn())
    db.session.flush()
    return letter_out(letter, current_locale())


@operation("GET", "/submission-letters", summary="Tờ trình you may read, newest first",
           description="Read like decisions: by the issuing unit's signers, reviewers and "
                       "auditors, and by submitters of a unit of one of its dossiers.",
           tags=TAGS, query=PageQuery, response=IssuedPage)
def list_submission_letters(query: PageQuery) -> IssuedPage:
    viewer = caller()
    statement = select(SubmissionLetter).options(
        selectinload(SubmissionLetter.issuer),
        selectinload(SubmissionLetter.items).selectinload(SubmissionItem.dossier)
        .selectinload(Dossier.unit))
    rows, next_cursor = scan_page(db.session, statement, SubmissionLetter.id, query,
                                  lambda row: may_read(viewer, row))
    locale = current_locale()
    return IssuedPage(items=[issued_summary(d, locale) for d in rows], next_cursor=next_cursor)


@operation("GET", "/submission-letters/{letter_id}", summary="One tờ trình with its annex",
           tags=TAGS, response=LetterOut, errors=[404])
def get_submission_letter(letter_id: int) -> LetterOut:
    return letter_out(access.readable(db.session, caller(), SubmissionLetter, letter_id),
                      current_locale())


@operation("GET", "/submission-letters/{letter_id}/docx", summary="The tờ trình as DOCX",
           description="The stored file exactly as issued, as an attachment.",
           tags=TAGS, errors=[404], raw_content_type=DOCX_MIMETYPE)
def download_letter_docx(letter_id: int):
    letter = access.readable(db.session, caller(), SubmissionLetter, letter_id)
    return send_stored(DOCUMENTS, letter.docx_sha256, f"{file_stem(letter)}.docx", DOCX_MIMETYPE)


@operation("GET", "/submission-letters/{letter_id}/pdf", summary="The tờ trình as PDF",
           description="The PDF of record, as an attachment: the digitally signed PDF once "
                       "one is recorded (`/submission-letters/{letter_id}/signed-pdf`), else "
                       "the stored file exactly as issued.",
           tags=TAGS, errors=[404], raw_content_type=PDF_MIMETYPE)
def download_letter_pdf(letter_id: int):
    letter = access.readable(db.session, caller(), SubmissionLetter, letter_id)
    return send_stored(DOCUMENTS, signed_pdf.pdf_of_record(db.session, letter),
                       f"{file_stem(letter)}.pdf", PDF_MIMETYPE)


@operation("GET", "/forwarding/awaiting", summary="Forwarded dossiers awaiting the answer",
           description="Dossiers of the units your reviewer role covers, forwarded and waiting "
                       "for the higher authority's decision or refusal.",
           tags=TAGS, roles=OFFICERS, query=PageQuery, response=AwaitingPage)
def list_awaiting(query: PageQuery) -> AwaitingPage:
    rows, next_cursor = list_page(forwarding.awaiting(db.session, caller()), query,
                                  key=lambda d: d.id)
    locale = current_locale()
    return AwaitingPage(items=[awaiting_dossier(d, locale) for d in rows],
                        next_cursor=next_cursor)


def _awaiting_or_404(dossier_id: int) -> Dossier:
    dossier = next((d for d in forwarding.awaiting(db.session, caller()) if d.id == dossier_id),
                   None)
    if dossier is None:
        abort(404)
    return dossier


@operation("POST", "/forwarding/awaiting/{dossier_id}/decision",
           summary="Record the higher authority's decision",
           description="The decision's number and symbol as printed and its date: the dossier "
                       "becomes `decided` and the award is entered in the registry (source "
                       "`higher_decision`). 404 when the dossier is not waiting in your units; "
                       "409 `duplicate_award` (nothing recorded) when the registry already "
                       "holds this award, active, for the nominee and year.",
           tags=TAGS, roles=OFFICERS, request=HigherDecisionIn, response=HigherDecisionOut,
           status=201, errors=[404, 409])
def record_higher_decision(dossier_id: int, body: HigherDecisionIn) -> HigherDecisionOut:
    actor = caller()
    dossier = _awaiting_or_404(dossier_id)
    with refusals():
        entry = forwarding.record_higher_decision(
            db.session, actor, dossier, number=body.number, decided_on=body.decided_on,
            expected_version=body.version, today=today_vn())
    locale = current_locale()
    return HigherDecisionOut(
        dossier=dossier_summary(dossier, locale),
        award_record=award_record_out(db.session, actor, entry, locale,
                                      names(db.session, locale)))


@operation("POST", "/forwarding/awaiting/{dossier_id}/refusal",
           summary="Record the higher authority's refusal",
           description="The dossier is closed as `rejected`, with the answer as the reason "
                       "(as the dossier page's button). 404 when the dossier is not waiting "
                       "in your units.",
           tags=TAGS, roles=OFFICERS, request=HigherRefusalIn, response=DossierSummary,
           errors=[404, 409])
def record_higher_refusal(dossier_id: int, body: HigherRefusalIn) -> DossierSummary:
    dossier = _awaiting_or_404(dossier_id)
    forwarding.record_higher_refusal(db.session, caller(), dossier, reason=body.reason,
                                     expected_version=body.version)
    return dossier_summary(dossier, current_locale())
