"""Forwarding awards conferred above this body (Prime Minister, President) with a numbered
tờ trình, and recording the higher authority's decision when it arrives (DESIGN §3).

Every function runs in the caller's transaction and flushes, never commits. `forward_dossiers`
allocates a number from the issuer's TTr series, stores the letter and its DOCX/PDF by
SHA-256, fires the engine's `forward` on every dossier and writes `submission.issued`
with the files' hashes. `record_higher_decision` fires `record_higher_decision` and enters
the award in the registry (source "higher_decision"), as a decision does, refusing an award
the registry already holds for the nominee and year (a tờ trình likewise refuses one award
asked twice); `record_higher_refusal` rejects the
dossier with the higher authority's answer as the reason. `awaiting` lists the forwarded
dossiers an officer may record an answer for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.decisions.service import legal_grounds, numbering, selection, texts
from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.layout import NUMBER_PENDING, OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.models.decision import SubmissionItem, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User
from workflow_app.registry.service.records import record_conferral
from workflow_app.workflow import fire

# "123/QĐ-TTg", "45/QĐ-CTN": digits, "/", the type, then one to three "-" parts (ND 30/2020).
HIGHER_NUMBER_RE = re.compile(r"^\d{1,6}/[A-ZĐ]{2,6}(?:-[A-Za-zĐđ0-9]{1,20}){1,3}$")


ROLE = "reviewer"
TRIGGER = "forward"
RECORD_TRIGGER = "record_higher_decision"
REFUSAL_TRIGGER = "record_higher_refusal"
HIGHER_ISSUERS = {"prime_minister": "Thủ tướng Chính phủ", "president": "Chủ tịch nước"}
MAX_REFERENCE = 60


@dataclass
class SubmissionInput:
    dossier_ids: list[int]
    issued_on: date
    place: str
    summary: str
    addressee: str
    signer_title: str
    signer_name: str
    body: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    issuer_id: int | None = None


def default_input(user: User, dossiers: list[Dossier], today: date) -> SubmissionInput:
    issuer = selection.issuer_for(user, ROLE, dossiers)
    awards = selection.award_names(dossiers, issuer)
    level = next((selection.rule_of(d).conferring_level for d in dossiers), "prime_minister")
    person = user.person
    return SubmissionInput(
        dossier_ids=[d.id for d in dossiers], issued_on=today, place="Hà Nội",
        summary=texts.SUBMISSION_SUMMARY.format(awards=awards),
        addressee=texts.SUBMISSION_ADDRESSEE.get(level, ""),
        signer_title=(person.position.upper() if person and person.position else ""),
        signer_name=person.full_name if person else "",
        body=[*legal_grounds.award_lines(dossiers),
              *(p.format(issuer=issuer.name, awards=awards) for p in texts.SUBMISSION_BODY)],
        recipients=list(texts.SUBMISSION_RECIPIENTS), issuer_id=issuer.id)


def build_document(inp: SubmissionInput, issuer: OrgUnit, dossiers: list[Dossier],
                   reference: str = NUMBER_PENDING) -> OfficialDocument:
    return OfficialDocument(
        issuer_name=issuer.name, reference=reference, place=inp.place, issued_on=inp.issued_on,
        doc_title="TỜ TRÌNH", summary=inp.summary, signer_title=inp.signer_title,
        signer_name=inp.signer_name, addressee=inp.addressee,
        paragraphs=[Paragraph(text) for text in inp.body], recipients=list(inp.recipients),
        annex_title=texts.SUBMISSION_ANNEX_TITLE,
        annex_rows=[selection.awardee_row(d, issuer) for d in dossiers])


def prepare(session: Session, user: User, inp: SubmissionInput, today: date
            ) -> tuple[list[Dossier], OrgUnit]:
    dossiers = selection.load_selection(session, user, inp.dossier_ids, TRIGGER, ROLE)
    selection.refuse_duplicate_awards(session, dossiers)
    for value, message in ((inp.place, _l("Enter the place of issue (e.g. Hà Nội).")),
                           (inp.summary, _l("Enter the summary line (trích yếu).")),
                           (inp.addressee, _l("Enter the addressee (Kính gửi).")),
                           (inp.signer_title, _l("Enter the signer's title.")),
                           (inp.signer_name, _l("Enter the signer's name."))):
        if not value.strip():
            raise SelectionError(message)
    if inp.issued_on > today:
        raise SelectionError(_l("The date cannot be in the future."))
    issuer = selection.issuer_for(user, ROLE, dossiers, inp.issuer_id)
    legal_grounds.check_lines(inp.body, issuer, "body")
    return dossiers, issuer


def forward_dossiers(session: Session, user: User, inp: SubmissionInput, storage: Storage,
                     today: date) -> SubmissionLetter:
    dossiers, issuer = prepare(session, user, inp, today)
    allocated = numbering.allocate(session, issuer, numbering.SUBMISSION, inp.issued_on)
    document = build_document(inp, issuer, dossiers, allocated.reference)
    letter = SubmissionLetter(
        issuer_unit_id=issuer.id, doc_type=allocated.doc_type, year=allocated.year,
        number=allocated.number, reference=allocated.reference, issued_on=inp.issued_on,
        place=inp.place.strip(), summary=inp.summary.strip(), addressee=inp.addressee.strip(),
        signer_name=inp.signer_name.strip(), signer_title=inp.signer_title.strip(),
        issued_by_id=user.id, content={"body": inp.body, "recipients": inp.recipients},
        docx_sha256=storage.put(render_docx(document)),
        pdf_sha256=storage.put(render_pdf(document)))
    for position, (dossier, row) in enumerate(zip(dossiers, document.annex_rows, strict=True),
                                              start=1):
        letter.items.append(SubmissionItem(
            dossier_id=dossier.id, position=position, awardee_name=row.name,
            awardee_position=row.position, awardee_unit=row.unit, award_name=row.award))
    session.add(letter)
    session.flush()
    for dossier in dossiers:
        fire(session, dossier, TRIGGER, user, document_number=allocated.reference,
             document_date=inp.issued_on.isoformat())
    record(session, "submission.issued", "submission_letter", letter.id, actor=user, data={
        "reference": letter.reference, "issued_on": inp.issued_on.isoformat(),
        "issuer_unit_id": issuer.id, "dossier_ids": [d.id for d in dossiers],
        "docx_sha256": letter.docx_sha256, "pdf_sha256": letter.pdf_sha256})
    return letter


def awaiting(session: Session, viewer: User) -> list[Dossier]:
    """Forwarded dossiers in `viewer`'s officer scope, waiting for the higher decision."""
    states = selection.source_states(RECORD_TRIGGER)
    wanted = {state for group in states.values() for state in group}
    rows = session.scalars(select(Dossier).where(Dossier.state.in_(wanted))
                           .order_by(Dossier.award_id, Dossier.id)).all()
    return [d for d in rows if d.state in states.get(d.workflow, set())
            and viewer.can_see_unit(d.unit, ROLE)]


def record_higher_decision(session: Session, user: User, dossier: Dossier, *, number: str,
                           decided_on: date, expected_version: int | str | None,
                           today: date) -> AwardRecord:
    """Record the higher authority's decision on a forwarded dossier and register the award
    (DuplicateAwardError when the registry already holds it, active, for the nominee and
    year: nothing is recorded)."""
    number = number.strip()
    if not number or len(number) > MAX_REFERENCE or "/" not in number:
        raise SelectionError(_l("Enter the decision's number and symbol, e.g. 125/QĐ-TTg."))
    if decided_on > today:
        raise SelectionError(_l("The date cannot be in the future."))
    selection.refuse_duplicate_awards(session, [dossier])
    version = selection.rule_of(dossier)
    issuer = HIGHER_ISSUERS.get(version.conferring_level if version else "", "")
    fire(session, dossier, RECORD_TRIGGER, user, expected_version,
         document_number=number, document_date=decided_on.isoformat())
    return record_conferral(session, dossier=dossier, decision_number=number,
                            decision_date=decided_on, issuer=issuer,
                            source="higher_decision", actor=user)


def record_higher_refusal(session: Session, user: User, dossier: Dossier, *, reason: str,
                          expected_version: int | str | None) -> None:
    """The higher authority refused the award: the engine's `record_higher_refusal` (reason
    required) closes the dossier as rejected — the dossier page's button does the same."""
    fire(session, dossier, REFUSAL_TRIGGER, user, expected_version, reason=reason)
