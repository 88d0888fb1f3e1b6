"""How many SQL statements a transition runs (issue 16): counted with SQLAlchemy's
`before_cursor_execute`, so that a lazy load, a guard reading the same thing twice or an
extra write per transition fails here. Each step runs as the transition routes run it: a
session of its own, the actor and the dossier loaded with the scope check
(`visible_dossier_or_404`, not counted), then `fire` and one commit (counted).
"""

from __future__ import annotations

import pytest

from tests.support.helpers import recording
from tests.workflow.test_workflow_engine import exploding_registry  # noqa: F401 - fixture
from workflow_app.audit.verify import verify_chain
from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workflow import fire

# trigger, actor, input, statements: the row lock (with the unit, award, rule version and
# nominee), what the guards and effects read, one UPDATE of the row, the notifications, and
# the audit chain (head, event, head) — no SAVEPOINT: the transaction holds nothing else.
LIFECYCLE = (
    # + the rule versions (none fixed yet), the documents, the movements requiring
    # registration (guard registration_respected), the reviewers, one notice
    ("submit", "submitter", {}, 10),
    # + the submitters, one notice
    ("return_for_supplement", "reviewer", {"reason": "Bổ sung."}, 7),
    # + the documents, the movements requiring registration, the reviewers, one notice
    ("resubmit", "submitter", {}, 9),
    ("accept", "reviewer", {}, 5),
    ("approve_appraisal", "reviewer", {}, 5),
    # + the search index (the decision number), the submitters, one notice
    ("record_decision", "signer", {"document_number": "123/QĐ-BTP"}, 10),
)


def _step(app, dossier_id: int, trigger: str, actor_id: int, data: dict) -> list[str]:
    session = db.new_session()
    try:
        actor = session.get(User, actor_id)
        dossier = visible_dossier_or_404(session, actor, dossier_id)
        with recording(db.engine) as log:
            fire(session, dossier, trigger, actor, **data)
            session.commit()
        return log
    finally:
        session.close()


def test_each_transition_of_a_lifecycle_runs_a_fixed_number_of_statements(
        app, session, make_dossier, make_user, submitter, root_unit, tx):
    actors = {"submitter": submitter.id,
              "reviewer": make_user("reviewer-count", roles=["reviewer"], unit=root_unit).id,
              "signer": make_user("signer-count", roles=["signer"], unit=root_unit).id}
    dossier_id = make_dossier(workflow="simplified", commendation_type="DOT_XUAT").id
    tx.close()
    counts = {}
    for trigger, role, data, _expected in LIFECYCLE:
        log = _step(app, dossier_id, trigger, actors[role], data)
        counts[trigger] = len(log)
        assert not any(s.lstrip().upper().startswith("SAVEPOINT") for s in log), log
        assert len(log.touching("audit_event")) == 1, log
    assert counts == {trigger: expected for trigger, _r, _d, expected in LIFECYCLE}
    assert sum(counts.values()) / len(counts) <= 8  # the target, per transition
    assert verify_chain(session).ok


def test_a_failing_effect_after_the_callers_writes_undoes_only_the_transition(
        tx, session, make_dossier, submitter, exploding_registry):  # noqa: F811
    """The transaction holds the caller's write: the transition runs in a SAVEPOINT, and
    only that is rolled back (the other branch, no earlier write: test_workflow_engine)."""
    dossier, other = make_dossier(), make_dossier()
    other.title = "Đề nghị tặng danh hiệu (sửa)"
    with recording(db.engine) as log, pytest.raises(RuntimeError, match="disk full"):
        fire(tx, dossier, "submit", submitter, expected_version=1)
    assert any(s.lstrip().upper().startswith("SAVEPOINT") for s in log)
    tx.commit()
    session.expire_all()
    assert session.get(Dossier, other.id).title == "Đề nghị tặng danh hiệu (sửa)"
    stored = session.get(Dossier, dossier.id)
    assert (stored.state, stored.version, stored.received_at) == ("draft", 1, None)
    assert verify_chain(session).ok
