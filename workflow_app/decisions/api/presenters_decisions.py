"""Decisions, tờ trình and their previews → response models (the document text is
Vietnamese whatever the caller's language; labels follow the caller's)."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from workflow_app.api.listing import list_page
from workflow_app.api.presenters import summary_fields, unit_ref
from workflow_app.decisions.api.schemas_decisions import (
    AnnexRowOut,
    AwaitingDossier,
    DecisionDraftOut,
    DecisionItemOut,
    DecisionOut,
    DocumentPreviewOut,
    IssuedSummary,
    LetterOut,
    ParagraphOut,
    ReadyDossier,
    ReadyPage,
    SubmissionDraftOut,
)
from workflow_app.decisions.service import selection
from workflow_app.decisions.service.forwarding import SubmissionInput
from workflow_app.decisions.service.issue import DecisionInput
from workflow_app.decisions.service.layout import AnnexRow, OfficialDocument
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.decisions.service.revoked_items import revocations_of
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit


def annex_row_out(row: AnnexRow) -> AnnexRowOut:
    return AnnexRowOut(name=row.name, position=row.position, unit=row.unit, award=row.award)


def ready_dossier(dossier: Dossier, locale: str) -> ReadyDossier:
    return ReadyDossier(**summary_fields(dossier, locale),
                        award_name=selection.award_name(dossier),
                        annex_row=annex_row_out(selection.awardee_row(dossier)))


def ready_page(dossiers: list[Dossier], query, locale: str) -> ReadyPage:
    """One page of the dossiers `selection.ready_dossiers` found (to sign or to forward),
    filtered by the query's award, in id order."""
    if query.award_id is not None:
        dossiers = [d for d in dossiers if d.award_id == query.award_id]
    rows, next_cursor = list_page(dossiers, query, key=lambda d: d.id)
    return ReadyPage(items=[ready_dossier(d, locale) for d in rows], next_cursor=next_cursor)


def awaiting_dossier(dossier: Dossier, locale: str) -> AwaitingDossier:
    return AwaitingDossier(**summary_fields(dossier, locale),
                           forward_reference=dossier.forward_reference)


def decision_draft(inp: DecisionInput) -> DecisionDraftOut:
    return DecisionDraftOut(
        dossier_ids=list(inp.dossier_ids), issued_on=inp.issued_on, place=inp.place,
        summary=inp.summary, authority=inp.authority, bases=list(inp.bases),
        articles=list(inp.articles), recipients=list(inp.recipients), issuer_id=inp.issuer_id,
        on_behalf_of=inp.on_behalf_of)


def submission_draft(inp: SubmissionInput) -> SubmissionDraftOut:
    return SubmissionDraftOut(
        dossier_ids=list(inp.dossier_ids), issued_on=inp.issued_on, place=inp.place,
        summary=inp.summary, addressee=inp.addressee, signer_title=inp.signer_title,
        signer_name=inp.signer_name, body=list(inp.body), recipients=list(inp.recipients),
        issuer_id=inp.issuer_id)


def preview_out(document: OfficialDocument, issuer: OrgUnit, locale: str) -> DocumentPreviewOut:
    return DocumentPreviewOut(
        issuer=unit_ref(issuer, locale), reference=document.reference,
        number_line=document.number_line, date_line=document.date_line,
        doc_title=document.doc_title, summary=document.summary, authority=document.authority,
        addressee=document.addressee, bases=list(document.bases),
        operative_heading=document.operative_heading,
        paragraphs=[ParagraphOut(lead=p.lead, text=p.text) for p in document.paragraphs],
        recipients=list(document.recipients), signer_title=document.signer_title,
        signer_name=document.signer_name, annex_title=document.annex_title,
        annex=[annex_row_out(row) for row in document.annex_rows])


def _summary_fields(document: Decision | SubmissionLetter, locale: str) -> dict:
    return {"id": document.id, "reference": document.reference, "doc_type": document.doc_type,
            "number": document.number, "year": document.year, "issued_on": document.issued_on,
            "issuer": unit_ref(document.issuer, locale), "summary": document.summary,
            "signer_name": document.signer_name, "signer_title": document.signer_title,
            "item_count": len(document.items), "issued_at": document.issued_at}


def issued_summary(document: Decision | SubmissionLetter, locale: str) -> IssuedSummary:
    return IssuedSummary(**_summary_fields(document, locale))


def _issued_fields(document: Decision | SubmissionLetter, locale: str,
                   revoked: dict | None = None) -> dict:
    revoked = revoked or {}
    items = [DecisionItemOut(
        id=item.id, position=item.position, dossier_id=item.dossier_id,
        awardee_name=item.awardee_name, awardee_position=item.awardee_position,
        awardee_unit=item.awardee_unit, award_name=item.award_name,
        certificate_sha256=getattr(item, "certificate_sha256", None),
        revoked=item.id in revoked,
        revocation_id=revoked[item.id].id if item.id in revoked else None,
        revocation_reference=(revoked[item.id].decision_reference
                              if item.id in revoked else None))
        for item in sorted(document.items, key=lambda i: i.position)]
    return {**_summary_fields(document, locale), "place": document.place,
            "issued_by": document.issued_by.display_name if document.issued_by else None,
            "docx_sha256": document.docx_sha256, "pdf_sha256": document.pdf_sha256,
            "file_stem": file_stem(document), "items": items}


def decision_out(decision: Decision, locale: str) -> DecisionOut:
    content = decision.content or {}
    revoked = revocations_of(object_session(decision), decision)
    return DecisionOut(**_issued_fields(decision, locale, revoked),
                       authority=content.get("authority", ""),
                       bases=list(content.get("bases", [])),
                       articles=list(content.get("articles", [])),
                       recipients=list(content.get("recipients", [])))


def letter_out(letter: SubmissionLetter, locale: str) -> LetterOut:
    content = letter.content or {}
    return LetterOut(**_issued_fields(letter, locale), addressee=letter.addressee,
                     body=list(content.get("body", [])),
                     recipients=list(content.get("recipients", [])))
