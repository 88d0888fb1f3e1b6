"""Deciding a revocation: this body's own numbered decision, or the higher authority's.

`issue_revocation` (awards this body conferred) checks the input, then in the caller's
transaction: allocates the next number of the issuer's QĐ series (shared with award
decisions, locked — `decisions.service.numbering`), renders the DOCX and PDF, stores them by
SHA-256, stores the `RevocationDecision`, marks the revocation revoked, revokes the registry
entry (`revoke_conferral`, audited `registry.revoked`), fires `revoke` on the dossier if
there is one, and writes `revocation.issued` with both files' hashes.

`record_higher_revocation` (awards of the Prime Minister or the President) records the
higher authority's decision number and date instead, with the same registry and engine
steps, audited `revocation.recorded`. Both flush, never commit: on any error the caller
rolls back and no number is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.catalogue.service.grounds import official_name
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.decisions.service import legal_grounds, numbering
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_texts as texts
from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.issue import Signer, check_input, signer_of
from workflow_app.decisions.service.layout import NUMBER_PENDING, OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.decisions.service.texts import article_lines
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.org import OrgUnit
from workflow_app.models.revocation import Revocation, RevocationDecision
from workflow_app.models.user import User
from workflow_app.registry.service.records import revoke_conferral
from workflow_app.workdays import local_date
from workflow_app.workflow import fire, lock_dossier

# A higher authority's number and symbol as printed: "12/QĐ-TTg", "345/QĐ-CTN".
HIGHER_NUMBER_RE = re.compile(r"^\d{1,6}/[A-ZĐ]{2,6}(?:-[A-Za-zĐđ0-9]{1,20}){1,3}$")


@dataclass
class RevocationInput:
    """What the signer enters (lists are one entry per line)."""

    issued_on: date
    place: str
    summary: str
    authority: str
    bases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    issuer_id: int | None = None


def issuer_for(user: User, revocation: Revocation, issuer_id: int | None = None) -> OrgUnit:
    """The unit issuing the decision: one of `user`'s signer grants covering the award's
    unit — the one asked for, else the issuer of the original decision when it is one of
    them, else the nearest."""
    unit = service.scope_unit(revocation)
    candidates = [u for u in user.units_for(service.DECIDER) if unit.is_within(u)]
    if issuer_id is not None:
        candidates = [u for u in candidates if u.id == issuer_id]
    if not candidates:
        raise SelectionError(_l("No unit you sign for covers this award."))
    original = _original_decision(revocation)
    if issuer_id is None and original is not None:
        for candidate in candidates:
            if candidate.id == original.issuer_unit_id:
                return candidate
    return max(candidates, key=lambda u: u.depth)


def _original_decision(revocation: Revocation) -> Decision | None:
    session = object_session(revocation)
    if revocation.dossier_id is None or session is None:
        return None
    return session.scalar(select(Decision).join(DecisionItem)
                          .where(DecisionItem.dossier_id == revocation.dossier_id))


def _award_name(session: Session, code: str, on: date, issuer: OrgUnit | None) -> str:
    """The award as the conferring decision wrote it ("Bằng khen của Bộ trưởng Bộ Tư pháp"):
    the official name of the rule in force on that date, for the issuer; else the catalogue
    name; else the code."""
    award = award_by_code(session, code)
    version = award.version_on(on) if award is not None else None
    if version is None and award is not None and award.versions:
        version = award.versions[0]
    return official_name(version, issuer, fallback=code)


def recipient_phrase(revocation: Revocation) -> str:
    entry = revocation.award_record
    if entry.person is not None:
        person = entry.person
        parts = [person.full_name, person.position or "", person.unit.name]
        return ", ".join(p for p in parts if p)
    return entry.unit.name


def default_input(session: Session, user: User, revocation: Revocation,
                  today: date) -> RevocationInput:
    """The form's starting values: legal bases, the proposal, the articles."""
    issuer = issuer_for(user, revocation)
    signer = signer_of(user)
    entry = revocation.award_record
    evidence = f" ({revocation.evidence_reference})" if revocation.evidence_reference else ""
    bases = [legal_grounds.founding_line(issuer), texts.LAW_BASIS,
             texts.decree_basis(today),
             texts.PROPOSAL.format(day=texts.vn_day(local_date(revocation.proposed_at)),
                                   evidence=evidence)]
    cancel = texts.CANCEL.format(
        award=_award_name(session, entry.award_code, entry.decision_date, issuer),
        year=entry.year,
        recipient=recipient_phrase(revocation), number=entry.decision_number,
        decided=texts.vn_day(entry.decision_date), issuer=entry.issuer or issuer.name,
        ground=texts.GROUND_PHRASE[revocation.ground],
        point=service.GROUND_POINT[revocation.ground])
    articles = [cancel]
    if revocation.recovery_required:
        articles.append(texts.RECOVER)
    subject = "cá nhân" if entry.person is not None else "tập thể"
    articles += [texts.IN_FORCE, texts.EXECUTION.format(subject=subject)]
    recipients = [f"Như Điều {len(articles)};", texts.RECIPIENTS[1]]
    return RevocationInput(
        issued_on=today, place="Hà Nội",
        summary=texts.SUMMARY.format(recipient=service.recipient_name(entry)),
        authority=f"{signer.position} {issuer.name}".upper(), bases=bases, articles=articles,
        recipients=recipients, issuer_id=issuer.id)


def build_document(inp: RevocationInput, issuer: OrgUnit, signer: Signer,
                   reference: str = NUMBER_PENDING) -> OfficialDocument:
    return OfficialDocument(
        issuer_name=issuer.name, reference=reference, place=inp.place, issued_on=inp.issued_on,
        doc_title="QUYẾT ĐỊNH", summary=inp.summary, signer_title=signer.title,
        signer_name=signer.name, authority=inp.authority, bases=list(inp.bases),
        operative_heading="QUYẾT ĐỊNH:",
        paragraphs=[Paragraph(text, lead=lead) for lead, text in article_lines(inp.articles)],
        recipients=list(inp.recipients))


def prepare(session: Session, user: User, revocation: Revocation, inp: RevocationInput,
            today: date) -> tuple[OrgUnit, Signer]:
    """Everything checked that does not write (used by the preview and by issuing)."""
    service.require_open(user, revocation)
    if revocation.level != "own":
        raise service.RevocationError(_l("This award was conferred by a higher authority: "
                                         "record that authority's decision instead."))
    try:
        check_input(inp, today)  # the same rules as an award decision
        issuer = issuer_for(user, revocation, inp.issuer_id)
        legal_grounds.check_lines(inp.bases, issuer)
        signer = signer_of(user)
    except SelectionError as error:
        raise service.RevocationInputError(error.message) from None
    if inp.issued_on < revocation.award_record.decision_date:
        raise service.RevocationInputError(_l("The revoking decision cannot be dated before "
                                              "the award decision."))
    return issuer, signer


def _revoke(session: Session, user: User, revocation: Revocation, reference: str,
            decided_on: date) -> None:
    """The steps both ways share: the revocation, the registry, the engine."""
    service.mark_decided(revocation, user, "revoked")
    revocation.decision_reference, revocation.decision_date = reference, decided_on
    session.flush()
    revoke_conferral(session, revocation.award_record, revocation_number=reference, actor=user)
    if revocation.dossier is not None:
        fire(session, revocation.dossier, "revoke", user,
             reason=f"{reference}: {revocation.explanation}", revocation_id=revocation.id,
             document_number=reference, document_date=decided_on.isoformat())


def issue_revocation(session: Session, user: User, revocation: Revocation,
                     inp: RevocationInput, storage: Storage, today: date) -> RevocationDecision:
    """Issue this body's revoking decision (see the module docstring)."""
    if revocation.dossier is not None:
        lock_dossier(session, revocation.dossier, None)
    issuer, signer = prepare(session, user, revocation, inp, today)
    allocated = numbering.allocate(session, issuer, numbering.DECISION, inp.issued_on)
    document = build_document(inp, issuer, signer, allocated.reference)
    decision = RevocationDecision(
        revocation_id=revocation.id, issuer_unit_id=issuer.id, doc_type=allocated.doc_type,
        year=allocated.year, number=allocated.number, reference=allocated.reference,
        issued_on=inp.issued_on, place=inp.place.strip(), summary=inp.summary.strip(),
        signer_name=signer.name, signer_title=signer.title, issued_by_id=user.id,
        content={"authority": inp.authority, "bases": inp.bases, "articles": inp.articles,
                 "recipients": inp.recipients, "ground": revocation.ground},
        docx_sha256=storage.put(render_docx(document)),
        pdf_sha256=storage.put(render_pdf(document)))
    session.add(decision)
    session.flush()
    _revoke(session, user, revocation, allocated.reference, inp.issued_on)
    record(session, "revocation.issued", "revocation", revocation.id, actor=user, data={
        "reference": decision.reference, "issued_on": inp.issued_on.isoformat(),
        "issuer_unit_id": issuer.id, "award_record_id": revocation.award_record_id,
        "dossier_id": revocation.dossier_id, "ground": revocation.ground,
        "docx_sha256": decision.docx_sha256, "pdf_sha256": decision.pdf_sha256})
    return decision


def record_higher_revocation(session: Session, user: User, revocation: Revocation, *,
                             number: str, decided_on: date, today: date) -> None:
    """Record the Prime Minister's / President's revoking decision on an award they conferred."""
    service.require_open(user, revocation)
    if revocation.level != "higher":
        raise service.RevocationError(_l("This award was conferred by this body: issue the "
                                          "revoking decision here."))
    number = unicodedata.normalize("NFC", (number or "").strip())
    if not HIGHER_NUMBER_RE.match(number):
        raise service.RevocationInputError(_l("Enter the number and symbol as printed on the "
                                              "decision, e.g. 125/QĐ-TTg."))
    if decided_on > today or decided_on < revocation.award_record.decision_date:
        raise service.RevocationInputError(_l("The decision's date must be between the award "
                                              "decision and today."))
    if revocation.dossier is not None:
        lock_dossier(session, revocation.dossier, None)
    _revoke(session, user, revocation, number, decided_on)
    record(session, "revocation.recorded", "revocation", revocation.id, actor=user, data={
        "reference": number, "decided_on": decided_on.isoformat(),
        "award_record_id": revocation.award_record_id, "dossier_id": revocation.dossier_id,
        "ground": revocation.ground})
