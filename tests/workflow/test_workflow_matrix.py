"""The (state × trigger × role) matrix, generated from `states/*.toml`.

For every transition and every source state: each role the transition names succeeds (with
its guards satisfied) and writes exactly one audit event with the right actor and states;
every other role gets Forbidden and changes nothing. For every trigger: firing it from a
state it does not leave fails with InvalidTransition and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.workflow_factories import place
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import ROLES
from workflow_app.workdays import local_date
from workflow_app.workflow import Forbidden, InvalidTransition, fire
from workflow_app.workflow.context import GUARDS
from workflow_app.workflow.registry import load_workflows

REGISTRY = load_workflows()
TODAY = local_date(utcnow())


def _window_elapsed(dossier):
    dossier.disclosure_started_on = TODAY - timedelta(days=30)
    dossier.disclosure_ends_on = TODAY - timedelta(days=1)


# How to make each guard pass. A new guard must be added here, or the matrix fails.
def _council_round(dossier) -> None:
    """Put the dossier on an open council voting round (what council.rounds does)."""
    from sqlalchemy.orm import object_session

    from workflow_app.models.council import AgendaItem, Council, CouncilSession, VotingRound

    council = Council(code=f"MATRIX-{dossier.id}", name="Hội đồng", unit_id=dossier.unit_id)
    meeting = CouncilSession(council=council, held_on=TODAY)
    voting_round = VotingRound(session=meeting, number=1, status="open")
    object_session(dossier).add(AgendaItem(session=meeting, dossier_id=dossier.id, position=1,
                                           round=voting_round))


def _revocation(status: str):
    """A registry entry of the dossier and a revocation of it in `status` (what the
    revocation service writes before it fires the engine)."""
    def setup(dossier) -> None:
        from sqlalchemy.orm import object_session

        from workflow_app.models.registry import AwardRecord
        from workflow_app.models.revocation import Revocation

        session = object_session(dossier)
        entry = AwardRecord(person_id=dossier.nominee_person_id, award_code=dossier.award.code,
                            year=dossier.year, decision_number="01/QĐ-BTP", decision_date=TODAY,
                            source="decision", dossier_id=dossier.id)
        session.add(entry)
        session.flush()
        session.add(Revocation(award_record_id=entry.id, dossier_id=dossier.id,
                               ground="false_papers", explanation="Giấy tờ giả", status=status,
                               decision_reference="02/QĐ-BTP" if status == "revoked" else None))

    return setup


GUARD_SETUP = {
    "dossier_complete": lambda d: None,  # the factory adds the required documents
    "disclosure_required": lambda d: None,  # via DISCLOSURE_GUARDS: an award that asks for it
    "disclosure_not_required": lambda d: None,
    "disclosure_window_elapsed": _window_elapsed,
    "objections_answered": lambda d: setattr(d, "open_objection_count", 0),
    "before_council": lambda d: setattr(d, "council_scheduled_on", None),
    "vote_closed": lambda d: setattr(d, "vote_outcome", "approved"),
    "vote_passed": lambda d: setattr(d, "vote_outcome", "approved"),
    "vote_failed": lambda d: setattr(d, "vote_outcome", "rejected"),
    "actor_not_nominee": lambda d: None,  # test users are nobody's nominee
    "document_number_given": lambda d: None,  # see INPUT
    "eligibility_met": lambda d: None,  # test awards have no prerequisites
    "council_round_open": lambda d: _council_round(d),
    "not_reserved_for_chair": lambda d: None,  # no agenda item: nothing reserved
    "quota_respected": lambda d: None,  # test awards have no quota
    "registration_respected": lambda d: None,  # no movement requires registration
    "revocation_proposal_recorded": _revocation("proposed"),
    "revocation_decided": _revocation("revoked"),
    "revocation_dismissed": _revocation("dismissed"),
    # The movement workflow's guard: its matrix is tests/movements/test_movements.py.
    "movement_ready": lambda d: None,
}
INPUT = {"document_number_given": {"document_number": "2307/QĐ-BTP",
                                   "document_date": TODAY.isoformat()}}


def _events(session) -> int:
    """Audit events committed so far (read through the autocommit `session`)."""
    return session.scalar(select(func.count()).select_from(AuditEvent))


def _committed_state(session, dossier_id: int) -> str:
    return session.scalar(select(Dossier.state).where(Dossier.id == dossier_id))


@pytest.fixture
def role_users(make_user):
    return {role: make_user(f"matrix-{role.replace('_', '-')}", roles=[role]) for role in ROLES}


@pytest.fixture
def prepared(tx, make_dossier, make_award):
    """`prepared(workflow, transition, source)` → a dossier in `source` whose guards pass."""
    disclosure_award = make_award(disclosure=True)

    def make(workflow, transition, source):
        award = disclosure_award if "disclosure_required" in transition.guards else None
        dossier = make_dossier(source, workflow=workflow, award=award)
        for name in transition.guards:
            GUARD_SETUP[name](dossier)
        tx.commit()
        return dossier

    return make


def _arguments(transition) -> dict:
    data = {}
    for name in transition.guards:
        data.update(INPUT.get(name, {}))
    if transition.reason_required:
        data["reason"] = "Lý do ghi trong biên bản"
    return data


def test_every_guard_has_a_matrix_setup():
    assert set(GUARD_SETUP) == set(GUARDS)


def _check_cell(tx, session, prepared, users, workflow, transition, source) -> list[str]:
    """Every role against one (source state, trigger) cell; returns what went wrong."""
    problems = []
    trigger = transition.trigger
    forbidden_target = prepared(workflow, transition, source)
    target_id, target_version = forbidden_target.id, forbidden_target.version
    for role in ROLES:
        cell = f"{workflow}: {trigger} from {source} as {role}"
        user = users[role]
        try:
            if role in transition.roles:
                dossier = prepared(workflow, transition, source)
                before, version = _events(session), dossier.version
                event = fire(tx, dossier, trigger, user, expected_version=version,
                             **_arguments(transition))
                tx.commit()
                got = (dossier.state, dossier.version, _events(session) - before, event.action,
                       event.actor_id, event.subject_id, event.from_state, event.to_state)
                wanted = (transition.dest, version + 1, 1, f"dossier.{trigger}", user.id,
                          str(dossier.id), source, transition.dest)
                if got != wanted:
                    problems.append(f"{cell}: got {got}, wanted {wanted}")
            else:
                before = _events(session)
                try:
                    fire(tx, forbidden_target, trigger, user, expected_version=target_version,
                         **_arguments(transition))
                    problems.append(f"{cell}: allowed, but the role is not in {transition.roles}")
                except Forbidden:
                    pass
                tx.rollback()
                if (_committed_state(session, target_id), _events(session)) != (source, before):
                    problems.append(f"{cell}: a refused transition changed something")
        except Exception as exc:  # noqa: BLE001 - report every failing cell at once
            tx.rollback()
            problems.append(f"{cell}: {type(exc).__name__}: {exc}")
    return problems


@pytest.mark.parametrize("workflow", REGISTRY.names())
def test_each_role_may_fire_exactly_the_transitions_it_is_given(tx, session, prepared,
                                                                role_users, workflow):
    """Allowed roles succeed with one audit event (right actor, from/to); others get 403.

    One test per workflow for speed; the failure message lists every failing cell.
    """
    problems = []
    for transition in REGISTRY.get(workflow).transitions:
        for source in transition.sources:
            problems += _check_cell(tx, session, prepared, role_users, workflow, transition,
                                    source)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("workflow", REGISTRY.names())
def test_no_trigger_fires_from_a_state_it_does_not_leave(tx, session, make_dossier,
                                                         role_users, workflow):
    definition = REGISTRY.get(workflow)
    dossier = make_dossier(workflow=workflow)
    dossier_id = dossier.id
    problems = []
    for trigger in dict.fromkeys(t.trigger for t in definition.transitions):
        transitions = [t for t in definition.transitions if t.trigger == trigger]
        sources = {s for t in transitions for s in t.sources}
        user = role_users[transitions[0].roles[0]]
        for state in definition.states:
            if state in sources:
                continue
            place(tx, dossier, state)
            tx.commit()
            before, version = _events(session), dossier.version
            try:
                fire(tx, dossier, trigger, user, expected_version=version,
                     reason="x", document_number="01/QĐ-BTP")
                problems.append(f"{workflow}: {trigger} fired from {state}")
            except InvalidTransition:
                pass
            tx.rollback()
            if (_committed_state(session, dossier_id), _events(session)) != (state, before):
                problems.append(f"{workflow}: {trigger} from {state} changed something")
    assert not problems, "\n".join(problems)
