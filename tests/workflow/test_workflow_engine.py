"""`fire`, `available_actions` and `open_dossier`: versions, roles, reasons, guards, effects."""

from __future__ import annotations

import shutil

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from workflow_app.audit.consistency import dossier_state_mismatches
from workflow_app.audit.verify import verify_chain
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier, StateWriteForbidden
from workflow_app.workflow import (
    Forbidden,
    GuardFailed,
    InputInvalid,
    ReasonRequired,
    StaleVersion,
    UnknownAction,
    available_actions,
    fire,
    get_registry,
    load_workflows,
    open_dossier,
)
from workflow_app.workflow.context import EFFECTS
from workflow_app.workflow.errors import EffectFailed
from workflow_app.workflow.registry import STATES_DIR


def _events(session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


def _committed(session, dossier_id: int) -> Dossier:
    session.expire_all()
    return session.get(Dossier, dossier_id)


@pytest.fixture(autouse=True)
def english(app):
    """Messages are checked in English (the default language is Vietnamese)."""
    with force_locale("en"):
        yield


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-1", roles=["reviewer"])


def test_submit_records_one_event_with_reason_input_and_changes(tx, session, make_dossier,
                                                                submitter):
    dossier = make_dossier()
    assert dossier.received_at is None and dossier.award_version_id is None
    event = fire(tx, dossier, "submit", submitter, expected_version=1, note="kèm tờ trình")
    tx.commit()
    assert (dossier.state, dossier.version) == ("submitted", 2)
    assert dossier.received_at is not None
    assert dossier.award_version_id == dossier.award.versions[0].id
    assert event.action == "dossier.submit" and event.actor_label == submitter.username
    assert event.data["input"] == {"note": "kèm tờ trình"}
    assert event.data["version"] == 2 and event.data["reason"] is None
    assert set(event.data["changes"]) == {"received_at", "award_version_id"}
    assert [e.action for e in _events(session)][-2:] == ["dossier.created", "dossier.submit"]
    assert verify_chain(session).ok


def test_stale_version_is_refused_with_409(tx, session, make_dossier, reviewer):
    dossier = make_dossier("submitted")
    seen_by_page = dossier.version
    fire(tx, dossier, "accept", reviewer, expected_version=seen_by_page)  # in another tab
    tx.commit()
    count = len(_events(session))
    with pytest.raises(StaleVersion) as error:
        fire(tx, dossier, "return_for_supplement", reviewer, expected_version=seen_by_page,
             reason="Thiếu biên bản")
    assert error.value.status == 409
    assert "You changed this dossier meanwhile" in error.value.description  # the same reviewer
    tx.rollback()
    assert _committed(session, dossier.id).state == "in_appraisal"
    assert len(_events(session)) == count
    with pytest.raises(InputInvalid):
        fire(tx, dossier, "return_for_supplement", reviewer, expected_version="two", reason="x")
    tx.rollback()
    fire(tx, dossier, "return_for_supplement", reviewer, expected_version=str(seen_by_page + 1),
         reason="Thiếu biên bản")  # a form sends the version as text
    tx.commit()
    assert dossier.state == "returned"


def test_a_version_changed_in_another_session_is_detected(tx, make_dossier, reviewer):
    """The page's session holds an old copy; the lock re-reads the row before comparing."""
    dossier = make_dossier("submitted")
    other = db.new_session()
    try:
        copy = other.get(Dossier, dossier.id)
        fire(other, copy, "accept", reviewer, expected_version=copy.version)
        other.commit()
    finally:
        other.close()
    with pytest.raises(StaleVersion):
        fire(tx, dossier, "accept", reviewer, expected_version=dossier.version)
    tx.rollback()


def test_missing_reason_is_refused_with_422(tx, make_dossier, reviewer):
    dossier = make_dossier("in_appraisal")
    for reason in (None, "", "   "):
        with pytest.raises(ReasonRequired) as error:
            fire(tx, dossier, "return_for_supplement", reviewer, reason=reason)
        assert error.value.status == 422
        tx.rollback()
    with pytest.raises(InputInvalid):
        fire(tx, dossier, "return_for_supplement", reviewer, reason="x" * 4001)
    tx.rollback()
    fire(tx, dossier, "return_for_supplement", reviewer, reason="  Thiếu biên bản  ")
    tx.commit()
    assert dossier.state == "returned"


def test_guard_failure_names_what_is_missing_and_changes_nothing(tx, session, make_dossier,
                                                                 submitter):
    dossier = make_dossier(documents=["TO_TRINH"])
    count = len(_events(session))
    with pytest.raises(GuardFailed) as error:
        fire(tx, dossier, "submit", submitter, expected_version=1)
    assert error.value.status == 409 and error.value.guard == "dossier_complete"
    assert "Achievement report" in error.value.description
    assert "Submission letter" not in error.value.description
    tx.rollback()
    assert _committed(session, dossier.id).state == "draft"
    assert len(_events(session)) == count


def test_roles_are_scoped_to_the_dossier_unit(tx, session, make_dossier, make_user, make_unit,
                                              root_unit):
    sibling = make_unit("Sở Tư pháp tỉnh B", kind="provincial_justice", parent=root_unit)
    outsider = make_user("reviewer-b", roles=["reviewer"], unit=sibling)
    other_submitter = make_user("submitter-b", roles=["submitter"], unit=sibling)
    disabled = make_user("reviewer-off", roles=["reviewer"])
    disabled.is_active = False
    session.commit()
    dossier = make_dossier("submitted")
    for actor in (outsider, other_submitter, disabled, None):
        with pytest.raises(Forbidden) as error:
            fire(tx, dossier, "accept", actor)
        assert error.value.status == 403
        tx.rollback()
    draft = make_dossier()
    with pytest.raises(Forbidden):
        fire(tx, draft, "submit", other_submitter)
    tx.rollback()


def test_unknown_trigger_is_404(tx, make_dossier, submitter):
    dossier = make_dossier()
    with pytest.raises(UnknownAction) as error:
        fire(tx, dossier, "approve_everything", submitter)
    assert error.value.status == 404
    tx.rollback()


@pytest.fixture
def exploding_registry(app, tmp_path, monkeypatch):
    """The shipped definitions, with an effect on `submit` that changes a field then fails."""

    def explode(dossier, ctx):
        dossier.summary = "half-written"
        ctx.session.flush()  # the new state and this field are now in the transaction
        raise RuntimeError("disk full")

    def refuse(dossier, ctx):
        raise EffectFailed("test_refuse", "cannot do that")

    monkeypatch.setitem(EFFECTS, "test_explode", explode)
    monkeypatch.setitem(EFFECTS, "test_refuse", refuse)
    states = tmp_path / "states"
    shutil.copytree(STATES_DIR, states)
    text = (states / "normal.toml").read_text(encoding="utf-8")
    text = text.replace('effects = ["stamp_received_at", "notify_reviewers"]',
                        'effects = ["stamp_received_at", "notify_reviewers", "test_explode"]', 1)
    text = text.replace('trigger = "accept"\nsources = ["submitted"]\ndest = "in_appraisal"\n',
                        'trigger = "accept"\nsources = ["submitted"]\ndest = "in_appraisal"\n'
                        'effects = ["test_refuse"]\n', 1)
    (states / "normal.toml").write_text(text, encoding="utf-8")
    registry = load_workflows(states)
    monkeypatch.setitem(app.extensions, "workflows", registry)
    return registry


def test_failing_effect_leaves_no_state_change_and_no_event(tx, session, make_dossier, submitter,
                                                            reviewer, exploding_registry):
    assert get_registry() is exploding_registry
    dossier = make_dossier()
    count = len(_events(session))
    with pytest.raises(RuntimeError, match="disk full"):
        fire(tx, dossier, "submit", submitter, expected_version=1)
    # Even a caller that commits after the failure keeps nothing of the transition.
    assert (dossier.state, dossier.version, dossier.summary) == ("draft", 1, "Hoàn thành xuất "
                                                                 "sắc nhiệm vụ.")
    tx.commit()
    stored = _committed(session, dossier.id)
    assert (stored.state, stored.version, stored.received_at) == ("draft", 1, None)
    assert stored.summary != "half-written"
    assert len(_events(session)) == count
    # The session stays usable: the next transition extends the audit chain without a gap.
    other = make_dossier("submitted")
    with pytest.raises(EffectFailed) as error:
        fire(tx, other, "accept", reviewer)
    assert error.value.status == 409
    tx.rollback()
    other = make_dossier("submitted")
    fire(tx, other, "return_for_supplement", reviewer, reason="Thiếu hồ sơ")
    tx.commit()
    assert verify_chain(session).ok


def test_failing_effect_then_rollback_by_the_caller(tx, session, make_dossier, submitter,
                                                    exploding_registry):
    dossier = make_dossier()
    count = len(_events(session))
    with pytest.raises(RuntimeError):
        fire(tx, dossier, "submit", submitter)
    tx.rollback()
    assert _committed(session, dossier.id).state == "draft"
    assert len(_events(session)) == count


def test_available_actions_follow_role_state_and_guards(tx, make_dossier, submitter, reviewer,
                                                        make_user):
    signer = make_user("signer-1", roles=["signer"])
    complete = make_dossier()
    assert [a.trigger for a in available_actions(complete, submitter)] == ["submit", "withdraw"]
    assert available_actions(complete, reviewer) == []
    incomplete = make_dossier(documents=[])
    assert [a.trigger for a in available_actions(incomplete, submitter)] == ["withdraw"]
    blocked = available_actions(incomplete, submitter, include_blocked=True)
    submit = next(a for a in blocked if a.trigger == "submit")
    assert "Submission letter" in submit.blocked_by and submit.label("vi") == "Gửi hồ sơ"
    # Guards that check the action's input (a decision number) do not hide the button.
    approved = make_dossier("council_approved")
    actions = available_actions(approved, signer)
    assert [a.trigger for a in actions] == ["record_decision"]
    assert actions[0].label("en") == "Record the award decision"
    tx.rollback()


def test_decision_number_must_follow_the_administrative_format(tx, session, make_dossier,
                                                               make_user):
    signer = make_user("signer-2", roles=["signer"])
    dossier = make_dossier("council_approved")
    for bad in ("", "1/QĐ-BTP", "2307/QĐ BTP", "2307-QĐ-BTP"):
        with pytest.raises(GuardFailed) as error:
            fire(tx, dossier, "record_decision", signer, document_number=bad)
        assert error.value.guard == "document_number_given"
        tx.rollback()
    with pytest.raises(GuardFailed, match="future"):
        fire(tx, dossier, "record_decision", signer, document_number="2307/QĐ-BTP",
             document_date="2999-01-01")
    tx.rollback()
    event = fire(tx, dossier, "record_decision", signer, document_number="2307/QĐ-BTP",
                 document_date="2025-12-30")
    tx.commit()
    stored = _committed(session, dossier.id)
    assert (stored.state, stored.decision_number, str(stored.decision_date)) == (
        "decided", "2307/QĐ-BTP", "2025-12-30")
    assert event.data["changes"]["decision_number"] == [None, "2307/QĐ-BTP"]


def test_state_cannot_be_written_outside_the_engine(tx, make_dossier):
    dossier = make_dossier()
    with pytest.raises(StateWriteForbidden):
        dossier.state = "decided"
    with pytest.raises(StateWriteForbidden):
        Dossier(state="decided")
    with pytest.raises(StateWriteForbidden):
        dossier.workflow = "simplified"
    assert dossier.state == "draft"
    tx.rollback()


def test_open_dossier_needs_a_creator_role_and_records_the_creation(tx, session, make_dossier,
                                                                    reviewer):
    dossier = make_dossier()
    created = _events(session)[-1]
    assert (created.action, created.to_state, created.subject_id) == (
        "dossier.created", "draft", str(dossier.id))
    assert created.data["fields"]["title"] == dossier.title
    another = Dossier(workflow="normal", unit_id=dossier.unit_id, award_id=dossier.award_id,
                      nominee_person_id=dossier.nominee_person_id, commendation_type="DOT_XUAT",
                      year=2025, title="x")
    with pytest.raises(Forbidden):
        open_dossier(tx, another, reviewer)
    tx.rollback()


def test_the_engine_refuses_an_autocommit_session(session, make_dossier, submitter):
    dossier = make_dossier()
    copy = session.get(Dossier, dossier.id)
    with pytest.raises(RuntimeError, match="transactional session"):
        fire(session, copy, "submit", submitter)


def test_machines_hold_no_models_after_firing(tx, make_dossier, submitter):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    assert all(definition.machine.models == [] for definition in get_registry())


def test_engine_errors_render_as_http_responses(app, tx, make_dossier, reviewer):
    dossier = make_dossier("in_appraisal")
    with pytest.raises(ReasonRequired) as error:
        fire(tx, dossier, "reject", reviewer)
    tx.rollback()
    with app.test_request_context("/api/v1/dossiers/1/reject", method="POST"):
        response = app.make_response(app.handle_user_exception(error.value))
    assert response.status_code == 422
    error_body = response.get_json()["error"]  # the API's error shape (workflow_app/api/errors.py)
    assert error_body["message"] == "Please give a reason for this action."
    assert error_body["code"] == "reason_required"


def test_event_count_matches_transitions(tx, session, make_dossier, submitter, reviewer):
    dossier = make_dossier()
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    fire(tx, dossier, "submit", submitter)
    fire(tx, dossier, "accept", reviewer)
    fire(tx, dossier, "return_for_supplement", reviewer, reason="Bổ sung biên bản")
    fire(tx, dossier, "resubmit", submitter)
    tx.commit()
    events = _events(session)
    assert len(events) == before + 4
    assert [(e.from_state, e.to_state) for e in events[-4:]] == [
        ("draft", "submitted"), ("submitted", "in_appraisal"), ("in_appraisal", "returned"),
        ("returned", "submitted")]
    assert dossier.version == 5
    assert dossier_state_mismatches(session) == []  # every state matches its last event
