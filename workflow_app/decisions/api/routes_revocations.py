"""Revocation of a conferred award over the API (Law 2022 Art. 93 k2), as the revocation
pages (`decisions/routes_revocation`, `routes_revocation_sign`): a reviewer proposes it
against a registry entry; the signer previews and issues this body's numbered revoking
decision, records a higher authority's decision, or keeps the award; the reviewer records
the recovery of the award items — through the same functions (`decisions.service.revocation`,
`decisions.service.revocation_issue`).

Scope as on the pages: a revocation is read by reviewers, signers, auditors and submitters
whose grant covers the award's unit (else 404); proposing needs a reviewer over it (else 404
for the entry), deciding a signer over it (403 `forbidden`). Business refusals are 409
`revocation_error`, bad dates or wording 422 `revocation_input_error`, with the reason.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.listing import scan_page
from workflow_app.api.operations import operation
from workflow_app.api.reauth import require_reauth
from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.api.presenters_decisions import preview_out
from workflow_app.decisions.api.presenters_revocations import (
    revocation_draft,
    revocation_out,
    revocation_summary,
)
from workflow_app.decisions.api.routes_decisions import refusals
from workflow_app.decisions.api.schemas_decisions import DocumentPreviewOut
from workflow_app.decisions.api.schemas_revocations import (
    DismissIn,
    HigherRevocationIn,
    ProposalIn,
    RecoveryIn,
    RevocationDecisionIn,
    RevocationDraftOut,
    RevocationIssueIn,
    RevocationOut,
    RevocationPage,
    RevocationQuery,
)
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_issue
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_stored
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation

TAGS = ["revocations"]
PROPOSERS = (service.PROPOSER,)
DECIDERS = (service.DECIDER,)


def _out(revocation: Revocation) -> RevocationOut:
    return revocation_out(db.session, caller(), revocation, current_locale())


@operation("GET", "/revocations", summary="Revocations you may read, newest first",
           description="`to_decide=true`: only the open proposals you may decide (signers).",
           tags=TAGS, query=RevocationQuery, response=RevocationPage)
def list_revocations(query: RevocationQuery) -> RevocationPage:
    viewer = caller()
    statement, allowed = select(Revocation), service.may_read
    if query.to_decide:
        statement, allowed = statement.where(Revocation.status == "proposed"), \
            service.may_decide
    rows, next_cursor = scan_page(db.session, statement, Revocation.id, query,
                                  lambda row: allowed(viewer, row))
    return RevocationPage(items=[revocation_summary(r) for r in rows], next_cursor=next_cursor)


@operation("GET", "/revocations/{revocation_id}", summary="One revocation",
           description="The proposal, the award it targets, the time limits (the "
                       "revocation procedure published as TTHC Huế), the decision taken and "
                       "the recovery, and what you may do.",
           tags=TAGS, response=RevocationOut, errors=[404])
def get_revocation(revocation_id: int) -> RevocationOut:
    return _out(service.readable_one(db.session, caller(), revocation_id))


@operation("POST", "/revocations", summary="Propose the revocation of an award (reviewer)",
           description="Against one registry entry (`award_record_id`), on a ground of Art. 93 "
                       "k2; the award's dossier, if any, moves to `revocation_proposed`. "
                       "Audited `revocation.proposed`. 404 when the entry is not in your "
                       "units; 409 when it is revoked, a revocation is already proposed, or "
                       "its dossier is not decided.",
           tags=TAGS, roles=PROPOSERS, request=ProposalIn, response=RevocationOut, status=201,
           errors=[404, 409])
def propose_revocation(body: ProposalIn) -> RevocationOut:
    actor = caller()
    entry = db.session.get(AwardRecord, body.award_record_id)
    if entry is None or not service.may_propose_for(actor, entry):
        abort(404)
    proposal = service.ProposalInput(
        ground=body.ground, explanation=body.explanation.strip(),
        evidence_reference=body.evidence_reference.strip(),
        conclusion_received_on=body.conclusion_received_on)
    revocation = service.propose(db.session, actor, entry, proposal, today_vn(),
                                 expected_version=body.version)
    return _out(revocation)


@operation("POST", "/revocations/{revocation_id}/draft",
           summary="The prefilled wording of the revoking decision (signer)",
           description="As the revocation page prefills it: legal bases, the proposal, the "
                       "article cancelling the award and the recovery. Writes nothing. 409 "
                       "when the proposal is decided or the award was conferred by a higher "
                       "authority (record its decision instead).",
           tags=TAGS, roles=DECIDERS, scope="read", response=RevocationDraftOut,
           errors=[404, 409, 422])
def draft_revocation_decision(revocation_id: int) -> RevocationDraftOut:
    actor, today = caller(), today_vn()
    revocation = service.readable_one(db.session, caller(), revocation_id)
    service.require_open(actor, revocation)
    with refusals():
        draft = revocation_issue.default_input(db.session, actor, revocation, today)
    revocation_issue.prepare(db.session, actor, revocation, draft, today)
    return revocation_draft(draft)


def _wording(body: RevocationDecisionIn) -> revocation_issue.RevocationInput:
    return revocation_issue.RevocationInput(
        issued_on=body.issued_on, place=body.place.strip(), summary=body.summary.strip(),
        authority=body.authority.strip(), bases=body.bases, articles=body.articles,
        recipients=body.recipients, issuer_id=body.issuer_id)


@operation("POST", "/revocations/{revocation_id}/preview",
           summary="Preview the revoking decision (nothing is written)",
           description="Checked as for issuing and drawn with the number pending.",
           tags=TAGS, roles=DECIDERS, scope="read", request=RevocationDecisionIn,
           response=DocumentPreviewOut, errors=[404, 409])
def preview_revocation_decision(revocation_id: int,
                                body: RevocationDecisionIn) -> DocumentPreviewOut:
    revocation = service.readable_one(db.session, caller(), revocation_id)
    inp = _wording(body)
    issuer, signer = revocation_issue.prepare(db.session, caller(), revocation, inp,
                                              today_vn())
    document = revocation_issue.build_document(inp, issuer, signer)
    return preview_out(document, issuer, current_locale())


@operation("POST", "/revocations/{revocation_id}/decision",
           summary="Issue the revoking decision (signer)",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "For awards this body conferred. One transaction: the next number of "
                       "the issuer's QĐ series (shared with award decisions), the DOCX and PDF "
                       "stored, the registry entry revoked, the dossier moved to `revoked`, "
                       "audited `revocation.issued`. Any refusal writes nothing.",
           tags=TAGS, roles=DECIDERS, request=RevocationIssueIn, response=RevocationOut,
           status=201, errors=[404, 409])
def issue_revocation_decision(revocation_id: int, body: RevocationIssueIn) -> RevocationOut:
    revocation = service.readable_one(db.session, caller(), revocation_id)
    require_reauth(caller(), body.password, body.code, "revocation")
    with refusals():
        revocation_issue.issue_revocation(db.session, caller(), revocation, _wording(body),
                                          app_storage(DOCUMENTS), today_vn())
    db.session.expire(revocation, ["document"])  # the decision row was added by its FK
    return _out(revocation)


@operation("POST", "/revocations/{revocation_id}/higher-decision",
           summary="Record a higher authority's revoking decision (signer)",
           description="For awards of the Prime Minister or the President: their decision's "
                       "number and date; the registry entry is revoked and the dossier moved "
                       "to `revoked`, audited `revocation.recorded`.",
           tags=TAGS, roles=DECIDERS, request=HigherRevocationIn, response=RevocationOut,
           status=201, errors=[404, 409])
def record_higher_revocation(revocation_id: int, body: HigherRevocationIn) -> RevocationOut:
    revocation = service.readable_one(db.session, caller(), revocation_id)
    revocation_issue.record_higher_revocation(db.session, caller(), revocation,
                                              number=body.number, decided_on=body.decided_on,
                                              today=today_vn())
    return _out(revocation)


@operation("POST", "/revocations/{revocation_id}/dismissal",
           summary="Keep the award: dismiss the proposal (signer)",
           description="With the reason; the dossier returns to `decided`. Audited "
                       "`revocation.dismissed`.",
           tags=TAGS, roles=DECIDERS, request=DismissIn, response=RevocationOut,
           errors=[404, 409])
def dismiss_revocation(revocation_id: int, body: DismissIn) -> RevocationOut:
    revocation = service.readable_one(db.session, caller(), revocation_id)
    service.dismiss(db.session, caller(), revocation, body.reason)
    return _out(revocation)


@operation("POST", "/revocations/{revocation_id}/recovery",
           summary="Record the recovery of the award items (reviewer)",
           description="Once revoked: the date the items and money were recovered (Art. 93 "
                       "k2), audited `revocation.recovered`. 409 when nothing is to be "
                       "recovered or it is already recorded.",
           tags=TAGS, roles=PROPOSERS, request=RecoveryIn, response=RevocationOut,
           errors=[404, 409])
def record_recovery(revocation_id: int, body: RecoveryIn) -> RevocationOut:
    revocation = service.readable_one(db.session, caller(), revocation_id)
    service.record_recovery(db.session, caller(), revocation, body.recovered_on, body.note,
                            today_vn())
    return _out(revocation)


def _document_or_404(revocation_id: int):
    document = service.readable_one(db.session, caller(), revocation_id).document
    if document is None:
        abort(404)
    return document


@operation("GET", "/revocations/{revocation_id}/docx", summary="The revoking decision (DOCX)",
           description="The stored file as issued; 404 until this body issued one.",
           tags=TAGS, errors=[404], raw_content_type=DOCX_MIMETYPE)
def download_revocation_docx(revocation_id: int):
    document = _document_or_404(revocation_id)
    return send_stored(DOCUMENTS,
                       document.docx_sha256, f"{file_stem(document)}.docx", DOCX_MIMETYPE)


@operation("GET", "/revocations/{revocation_id}/pdf", summary="The revoking decision (PDF)",
           description="The stored file as issued; 404 until this body issued one.",
           tags=TAGS, errors=[404], raw_content_type=PDF_MIMETYPE)
def download_revocation_pdf(revocation_id: int):
    document = _document_or_404(revocation_id)
    return send_stored(DOCUMENTS, document.pdf_sha256, f"{file_stem(document)}.pdf", PDF_MIMETYPE)
