"""Issuing an award decision (Quyết định) — one transaction, nothing half-done.

`issue_decision` checks the input, then in the caller's transaction: allocates the number
(locking the series' counter), stores the decision and its annex, fires the engine's
`record_decision` on every dossier, enters each award in the registry (refusing an award
the selection or the registry would hold twice for a nominee and year), renders the DOCX,
the PDF and one certificate per awardee, stores the files by SHA-256 and writes the
`decision.issued` audit event with every file's hash. It flushes, never commits: if
anything fails the caller rolls back and the number is not used (files already written
to the content-addressed store are unreferenced and harmless).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.decisions.service import legal_grounds, numbering, selection, texts
from workflow_app.decisions.service.certificates import Certificate, render_certificate
from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.layout import NUMBER_PENDING, OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.registry.service.records import record_conferral
from workflow_app.workflow import fire

ROLE = "signer"
TRIGGER = "record_decision"
ON_BEHALF_MAX = 60


@dataclass
class DecisionInput:
    """What the signer enters on the issue form (lists are one entry per line)."""

    dossier_ids: list[int]
    issued_on: date
    place: str
    summary: str
    authority: str
    bases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    issuer_id: int | None = None
    # Optional line printed above the signer's title when signing for the head of the body
    # (e.g. "KT. BỘ TRƯỞNG" over "THỨ TRƯỞNG"). Entered by the signer, empty by default: the
    # rule for when it is needed is not in LEGAL_FACTS, so nothing is inferred.
    on_behalf_of: str = ""


@dataclass(frozen=True)
class Signer:
    name: str
    title: str  # "BỘ TRƯỞNG"
    position: str  # "Bộ trưởng"


def signer_of(user: User) -> Signer:
    person = user.person
    if person is None or not (person.position or "").strip():
        raise SelectionError(_l("Your account is not linked to a person with a position; an "
                                "administrator must link it before you can sign."))
    return Signer(person.full_name, person.position.strip().upper(), person.position.strip())


def default_input(user: User, dossiers: list[Dossier], today: date) -> DecisionInput:
    """The form's starting values, from the awards' rules and the default wording."""
    issuer = selection.issuer_for(user, ROLE, dossiers)
    signer = signer_of(user)
    awards = selection.award_names(dossiers, issuer)
    bases = [legal_grounds.founding_line(issuer), *legal_grounds.award_lines(dossiers)]
    if any(d.workflow == "normal" for d in dossiers):
        bases.append(texts.COUNCIL_PROPOSAL.format(issuer=issuer.name))
    return DecisionInput(
        dossier_ids=[d.id for d in dossiers], issued_on=today, place="Hà Nội",
        summary=texts.DECISION_SUMMARY.format(awards=awards),
        authority=f"{signer.position} {issuer.name}".upper(), bases=bases,
        articles=[a.format(awards=awards) for a in texts.ARTICLES],
        recipients=list(texts.RECIPIENTS), issuer_id=issuer.id)


def build_document(inp: DecisionInput, issuer: OrgUnit, signer: Signer,
                   dossiers: list[Dossier], reference: str = NUMBER_PENDING) -> OfficialDocument:
    return OfficialDocument(
        issuer_name=issuer.name, reference=reference, place=inp.place, issued_on=inp.issued_on,
        doc_title="QUYẾT ĐỊNH", summary=inp.summary, signer_title=signer.title,
        signer_name=signer.name, authority=inp.authority, bases=list(inp.bases),
        operative_heading="QUYẾT ĐỊNH:",
        paragraphs=[Paragraph(text, lead=lead) for lead, text in
                    texts.article_lines(inp.articles)],
        recipients=list(inp.recipients), annex_title=texts.ANNEX_TITLE,
        annex_rows=[selection.awardee_row(d, issuer) for d in dossiers])


def check_input(inp: DecisionInput, today: date) -> None:
    """Raise SelectionError naming the first problem with the signer's input."""
    if not inp.place.strip():
        raise SelectionError(_l("Enter the place of issue (e.g. Hà Nội)."))
    if inp.issued_on > today:
        raise SelectionError(_l("The date of the decision cannot be in the future."))
    if not inp.summary.strip():
        raise SelectionError(_l("Enter the summary line (trích yếu)."))
    if not inp.authority.strip():
        raise SelectionError(_l("Enter the issuing authority."))
    if not inp.articles:
        raise SelectionError(_l("The decision needs at least one article."))


def signing_as(signer: Signer, on_behalf_of: str) -> Signer:
    """The signer with the optional "on behalf of" line above their title. Raises
    SelectionError unless the line is one line of at most ON_BEHALF_MAX characters."""
    line = on_behalf_of.strip()
    if len(line) > ON_BEHALF_MAX or any(c in line for c in "\r\n"):
        raise SelectionError(_l("The “on behalf of” line is one line of at most %(max)d "
                                "characters.", max=ON_BEHALF_MAX))
    return replace(signer, title=f"{line}\n{signer.title}") if line else signer


def prepare(session: Session, user: User, inp: DecisionInput, today: date
            ) -> tuple[list[Dossier], OrgUnit, Signer]:
    """Validate everything that does not change the database (used by preview and issue)."""
    dossiers = selection.load_selection(session, user, inp.dossier_ids, TRIGGER, ROLE)
    selection.refuse_duplicate_awards(session, dossiers)
    check_input(inp, today)
    issuer = selection.issuer_for(user, ROLE, dossiers, inp.issuer_id)
    legal_grounds.check_lines(inp.bases, issuer)
    legal_grounds.check_names(dossiers, issuer)
    return dossiers, issuer, signing_as(signer_of(user), inp.on_behalf_of)


def issue_decision(session: Session, user: User, inp: DecisionInput, storage: Storage,
                   today: date) -> Decision:
    """Issue the decision (see the module docstring). Raises SelectionError (among them
    DuplicateAwardError), NumberingError or a workflow error; the caller then rolls back."""
    dossiers, issuer, signer = prepare(session, user, inp, today)
    allocated = numbering.allocate(session, issuer, numbering.DECISION, inp.issued_on)
    # Again under the series lock: a decision of the same issuer committed while this one
    # waited may have entered one of these awards (the caller's rollback frees the number).
    selection.refuse_duplicate_awards(session, dossiers)
    document = build_document(inp, issuer, signer, dossiers, allocated.reference)
    decision = Decision(
        issuer_unit_id=issuer.id, doc_type=allocated.doc_type, year=allocated.year,
        number=allocated.number, reference=allocated.reference, issued_on=inp.issued_on,
        place=inp.place.strip(), summary=inp.summary.strip(), signer_name=signer.name,
        signer_title=signer.title, issued_by_id=user.id,
        content={"authority": inp.authority, "bases": inp.bases, "articles": inp.articles,
                 "recipients": inp.recipients},
        docx_sha256=storage.put(render_docx(document)),
        pdf_sha256=storage.put(render_pdf(document)))
    session.add(decision)
    for position, (dossier, row) in enumerate(zip(dossiers, document.annex_rows, strict=True),
                                              start=1):
        certificate = Certificate(
            authority=inp.authority, award_name=row.award, awardee_name=row.name,
            awardee_position=row.position, awardee_unit=row.unit,
            achievement=f"Đã có thành tích xuất sắc năm {dossier.year}",
            decision_reference=allocated.reference, place=decision.place,
            issued_on=inp.issued_on, signer_title=signer.title, signer_name=signer.name)
        decision.items.append(DecisionItem(
            dossier_id=dossier.id, position=position, awardee_name=row.name,
            awardee_position=row.position, awardee_unit=row.unit, award_name=row.award,
            certificate_sha256=storage.put(render_certificate(certificate))))
    session.flush()
    for dossier in dossiers:
        fire(session, dossier, TRIGGER, user, document_number=allocated.reference,
             document_date=inp.issued_on.isoformat())
        record_conferral(session, dossier=dossier, decision_number=allocated.reference,
                         decision_date=inp.issued_on, issuer=issuer.name, source="decision",
                         actor=user)
    record(session, "decision.issued", "decision", decision.id, actor=user, data={
        "reference": decision.reference, "issued_on": inp.issued_on.isoformat(),
        "issuer_unit_id": issuer.id, "dossier_ids": [d.id for d in dossiers],
        "docx_sha256": decision.docx_sha256, "pdf_sha256": decision.pdf_sha256,
        "certificates": {str(i.dossier_id): i.certificate_sha256 for i in decision.items}})
    return decision
