"""Rows that let the fuzzer reach past "404" in the decisions area's operations (decisions,
forwarding, tờ trình, revocations, registry, quota exceptions), made only for those
operations.

The fuzzing user becomes a signer over the root unit, linked to a person with a position
(a signer must be, to sign). Made: dossiers ready to sign and to forward, an issued decision
(id 1, with its certificate), a tờ trình (id 1) and its forwarded dossier awaiting the
higher decision, a proposed revocation (id 1) of the decided award, and a rating and an
initiative in the registry.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.support.revocation_data import decide, entry_of, proposal
from workflow_app.accounts.service import users as user_service
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import forwarding
from workflow_app.decisions.service import revocation as revocations
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.org import Person
from workflow_app.models.registry import Initiative, PerformanceRating
from workflow_app.models.user import User

# Operations on issued documents and revocations get them; the registry's get the rest only.
DOCUMENT_PREFIXES = ("/decisions", "/forwarding", "/submission-letters", "/revocations")
DECISION_PREFIXES = (*DOCUMENT_PREFIXES, "/registry", "/quota-exceptions")

# Operations that judge a schema-valid request against the data — dossiers ready for the
# step and in the caller's units, dates against today and the award's decision, a workbook's
# rows, duplicates in the registry — and answer 422 with the reason (asserted in
# tests/decisions/test_api_decisions.py, _forwarding.py, _revocations.py, _registry.py).
JUDGED_DECISION_REQUESTS = frozenset({
    "POST /decisions/draft", "POST /decisions/preview", "POST /decisions",
    "POST /forwarding/draft", "POST /submission-letters",
    "POST /forwarding/awaiting/{dossier_id}/decision",
    "POST /forwarding/awaiting/{dossier_id}/refusal",
    "POST /revocations", "POST /revocations/{revocation_id}/draft",
    "POST /revocations/{revocation_id}/preview", "POST /revocations/{revocation_id}/decision",
    "POST /revocations/{revocation_id}/higher-decision",
    "POST /revocations/{revocation_id}/dismissal", "POST /revocations/{revocation_id}/recovery",
    "POST /registry/imports", "POST /registry/persons/{person_id}/awards",
    "POST /registry/persons/{person_id}/ratings",
    "POST /registry/persons/{person_id}/initiatives", "POST /registry/units/{unit_id}/awards",
    "POST /registry/units/{unit_id}/ratings",
})


def is_decision_operation(test_name: str) -> bool:
    return any(f" {prefix}" in test_name for prefix in DECISION_PREFIXES)


def is_document_operation(test_name: str) -> bool:
    return any(f" {prefix}" in test_name for prefix in DOCUMENT_PREFIXES)


def add_decision_rows(test_name: str, app, tx, session, user, make_dossier,
                      make_award) -> None:
    """Write the rows (the user's role and person through `session`, the rest through
    `tx`) and commit; the issued documents only for the operations that read them."""
    root = user.grants[0].unit
    user_service.grant_role(session, user, "signer", root, actor=None)
    minister = Person(full_name="Lê Thành Long", position="Bộ trưởng", unit_id=root.id)
    session.add(minister)
    session.flush()
    session.get(User, user.id).person_id = minister.id
    session.commit()
    if is_document_operation(test_name):
        person_id = _add_documents(app, tx, user, make_dossier, make_award)
    else:
        person_id = make_dossier().nominee_person_id
    year = today_vn().year - 1
    tx.add_all([PerformanceRating(person_id=person_id, year=year, rating="good"),
                Initiative(person_id=person_id, year=year, title="Sáng kiến", scope="unit")])
    tx.commit()


def _add_documents(app, tx, user, make_dossier, make_award) -> int:
    """Decision 1, tờ trình 1 and revocation 1 (proposed); the awardee's person id."""
    higher = make_award()
    tx.scalars(select(AwardVersion).where(AwardVersion.award_id == higher.id)).one() \
        .conferring_level = "prime_minister"
    tx.commit()
    decided = make_dossier("council_approved")
    make_dossier("council_approved")
    upward = [make_dossier("council_approved", award=higher) for _ in range(2)]
    actor, today = tx.get(User, user.id), today_vn()
    storage = Storage(app.extensions["workflow_config"].instance_dir / "documents")
    decide(tx, actor, [decided], storage, on=today)
    forwarding.forward_dossiers(tx, actor, forwarding.default_input(actor, upward[:1], today),
                                storage, today)
    entry = entry_of(tx, decided)
    revocations.propose(tx, actor, entry, proposal(conclusion_received_on=today), today)
    tx.commit()
    return entry.person_id
