"""Helpers for the numbering tests: dates around 1 January 2026, each numbered series issued
through its real service (award decisions, revoking decisions, tờ trình), an API token."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.support.revocation_data import entry_of, proposal
from workflow_app.api import tokens
from workflow_app.decisions.service import forwarding, issue, revocation_issue
from workflow_app.decisions.service import revocation as service
from workflow_app.extensions import db
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.revocation import Revocation, RevocationDecision
from workflow_app.models.user import User

DEC_30 = date(2025, 12, 30)
DEC_31 = date(2025, 12, 31)
JAN_1 = date(2026, 1, 1)
JAN_2 = date(2026, 1, 2)
# "Today" for the services: after every date used, so none is in the future.
TODAY = date(2026, 1, 5)


def bearer_headers(app, user) -> dict[str, str]:
    """The Authorization header of a new read-write personal access token of `user`."""
    with app.test_request_context():
        _row, plaintext = tokens.create_token(db.session, db.session.merge(user), "tests",
                                              "read-write", 30)
        db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def decide_on(session, signer_id: int, dossier_ids: list[int], storage, on: date) -> Decision:
    """Issue one award decision dated `on` through `issue.issue_decision` (not committed)."""
    user = session.get(User, signer_id)
    dossiers = [session.get(Dossier, i) for i in dossier_ids]
    inp = issue.default_input(user, dossiers, on)
    return issue.issue_decision(session, user, inp, storage, TODAY)


def forward_on(session, officer_id: int, dossier_ids: list[int], storage,
               on: date) -> SubmissionLetter:
    """Forward dossiers upward with a tờ trình dated `on` (not committed)."""
    user = session.get(User, officer_id)
    dossiers = [session.get(Dossier, i) for i in dossier_ids]
    inp = forwarding.default_input(user, dossiers, on)
    return forwarding.forward_dossiers(session, user, inp, storage, TODAY)


def propose_for(tx, reviewer_id: int, dossier_id: int, on: date) -> int:
    """A committed revocation proposal against the decided dossier's award; its id."""
    entry = entry_of(tx, tx.get(Dossier, dossier_id))
    revocation = service.propose(tx, tx.get(User, reviewer_id), entry,
                                 proposal(conclusion_received_on=entry.decision_date), on)
    tx.commit()
    return revocation.id


def revoke_on(session, signer_id: int, revocation_id: int, storage,
              on: date) -> RevocationDecision:
    """Issue this body's revoking decision dated `on` (QĐ series; not committed)."""
    user = session.get(User, signer_id)
    revocation = session.get(Revocation, revocation_id)
    inp = revocation_issue.default_input(session, user, revocation, on)
    return revocation_issue.issue_revocation(session, user, revocation, inp, storage, TODAY)


def qd_numbers(session) -> dict[int, list[tuple[int, str]]]:
    """Every QĐ issued (award and revoking decisions: one series), per year:
    {year: sorted [(number, reference)]}."""
    rows = [*session.execute(select(Decision.year, Decision.number, Decision.reference)),
            *session.execute(select(RevocationDecision.year, RevocationDecision.number,
                                    RevocationDecision.reference))]
    by_year: dict[int, list[tuple[int, str]]] = {}
    for year, number, reference in rows:
        by_year.setdefault(year, []).append((number, reference))
    return {year: sorted(pairs) for year, pairs in sorted(by_year.items())}


def fill_previous_year(tx, issuer_id: int, count: int, year: int) -> None:
    """`count` decisions of `year` numbered through the series counter, stored as bare rows
    (no annex, no files rendered): the state of a register after a busy year."""
    from workflow_app.decisions.service import numbering

    issuer = tx.get(OrgUnit, issuer_id)
    for _ in range(count):
        allocated = numbering.allocate(tx, issuer, numbering.DECISION, date(year, 6, 1))
        tx.add(Decision(
            issuer_unit_id=issuer_id, doc_type=allocated.doc_type, year=allocated.year,
            number=allocated.number, reference=allocated.reference,
            issued_on=date(year, 6, 1), place="Hà Nội", summary="Về việc tặng Bằng khen",
            content={}, signer_name="Lê Thành Long", signer_title="BỘ TRƯỞNG",
            docx_sha256="0" * 64, pdf_sha256="0" * 64))
    tx.commit()
