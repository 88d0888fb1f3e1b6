"""Guards and effects through the engine: completeness, rule version at receipt, disclosure,
objections, council agenda, votes, conflicts of interest."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from tests.support.workflow_factories import add_award_version
from workflow_app.models.catalogue import Award
from workflow_app.workflow import GuardFailed, fire


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-g", roles=["reviewer"])


def _blocked(tx, dossier, trigger, actor, **kwargs) -> GuardFailed:
    with pytest.raises(GuardFailed) as error:
        fire(tx, dossier, trigger, actor, **kwargs)
    tx.rollback()
    return error.value


def at(day: str, hour: int = 3) -> datetime:
    """A UTC moment on `day` (03:00 UTC is 10:00 in Vietnam)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_completeness_names_each_missing_item(tx, make_dossier, submitter):
    dossier = make_dossier(documents=[], summary=" ")
    reason = _blocked(tx, dossier, "submit", submitter).description
    assert "an achievement summary" in reason
    assert "Submission letter (tờ trình)" in reason and "Achievement report" in reason


def test_simplified_procedure_asks_for_the_short_report(tx, make_dossier, submitter):
    dossier = make_dossier(workflow="simplified",
                           documents=["TO_TRINH", "BAO_CAO_THANH_TICH"])
    reason = _blocked(tx, dossier, "submit", submitter).description
    assert "Short achievement report" in reason
    complete = make_dossier(workflow="simplified")
    fire(tx, complete, "submit", submitter)
    tx.commit()
    assert complete.state == "submitted"


def test_no_rule_in_force_blocks_receipt(tx, make_dossier, make_award, submitter):
    future = make_award(effective_from=date(2999, 1, 1))
    dossier = make_dossier(award=future)
    error = _blocked(tx, dossier, "submit", submitter)
    assert error.guard == "dossier_complete" and "No rule of this award" in error.description


def test_receipt_fixes_the_rule_version_in_force_on_the_vietnamese_date(tx, make_dossier,
                                                                        submitter, reviewer):
    award = Award(code="CSTDCS_T", kind="title")
    tx.add(award)
    old = add_award_version(tx, award, effective_from=date(2024, 1, 1),
                            effective_to=date(2025, 6, 30))
    new = add_award_version(tx, award, effective_from=date(2025, 7, 1))
    tx.commit()
    late_evening = make_dossier(award=award)
    fire(tx, late_evening, "submit", submitter, now=at("2025-06-30", hour=18))  # 01:00 on 1/7
    morning = make_dossier(award=award)
    fire(tx, morning, "submit", submitter, now=at("2025-06-30", hour=3))
    tx.commit()
    assert late_evening.award_version_id == new.id
    assert morning.award_version_id == old.id
    received = morning.received_at
    # Returned and sent again later: the first receipt and its rule version stay.
    fire(tx, morning, "return_for_supplement", reviewer, reason="Thiếu biên bản",
         now=at("2025-07-02"))
    fire(tx, morning, "resubmit", submitter, now=at("2025-07-10"))
    tx.commit()
    assert (morning.award_version_id, morning.received_at) == (old.id, received)


def test_disclosure_window_lasts_the_rules_working_days(tx, make_dossier, make_award, reviewer):
    award = make_award(disclosure=True, disclosure_days=10)
    dossier = make_dossier("in_appraisal", award=award)
    fire(tx, dossier, "open_disclosure", reviewer, now=at("2026-02-09"))  # Monday before Tết
    tx.commit()
    assert (dossier.disclosure_started_on, dossier.disclosure_ends_on) == (
        date(2026, 2, 9), date(2026, 3, 2))


def test_disclosure_defaults_to_ten_working_days(tx, make_dossier, make_award, reviewer):
    award = make_award(disclosure=True, disclosure_days=None)
    dossier = make_dossier("in_appraisal", award=award)
    fire(tx, dossier, "open_disclosure", reviewer, now=at("2026-03-02"))
    tx.commit()
    assert dossier.disclosure_ends_on == date(2026, 3, 16)


def test_disclosure_is_used_only_when_the_rule_asks_for_it(tx, make_dossier, make_award,
                                                           reviewer):
    plain = make_dossier("in_appraisal")
    assert "does not call for public disclosure" in _blocked(
        tx, plain, "open_disclosure", reviewer).description
    published = make_dossier("in_appraisal", award=make_award(disclosure=True))
    assert "calls for public disclosure" in _blocked(
        tx, published, "send_to_council", reviewer).description


def test_closing_disclosure_waits_for_the_window_and_the_answers(tx, make_dossier, make_award,
                                                                 reviewer):
    dossier = make_dossier("in_appraisal", award=make_award(disclosure=True))
    fire(tx, dossier, "open_disclosure", reviewer, now=at("2026-03-02"))
    dossier.open_objection_count = 2
    tx.commit()
    error = _blocked(tx, dossier, "close_disclosure", reviewer, now=at("2026-03-16"))
    assert error.guard == "disclosure_window_elapsed" and "open until" in error.description
    error = _blocked(tx, dossier, "close_disclosure", reviewer, now=at("2026-03-17"))
    assert error.guard == "objections_answered"
    assert error.description == "2 objections have not been answered yet."
    dossier.open_objection_count = 0
    tx.commit()
    fire(tx, dossier, "close_disclosure", reviewer, now=at("2026-03-17"))
    tx.commit()
    assert dossier.state == "awaiting_council"


def test_withdrawal_is_closed_once_the_council_session_has_come(tx, make_dossier, submitter):
    dossier = make_dossier("awaiting_council", council_scheduled_on=date(2026, 3, 20))
    error = _blocked(tx, dossier, "withdraw", submitter, reason="Rút", now=at("2026-03-20"))
    assert error.guard == "before_council" and "agenda of the council session" in error.description
    fire(tx, dossier, "withdraw", submitter, reason="Đơn vị rút đề nghị", now=at("2026-03-19"))
    tx.commit()
    assert dossier.state == "withdrawn"


def test_closing_the_vote_follows_the_recorded_outcome(tx, make_dossier, make_user):
    secretary = make_user("secretary-g", roles=["secretary"])
    dossier = make_dossier("in_voting")
    assert "not been closed" in _blocked(
        tx, dossier, "close_vote_approved", secretary).description
    dossier.vote_outcome = "rejected"
    tx.commit()
    assert "did not approve" in _blocked(tx, dossier, "close_vote_approved", secretary).description
    fire(tx, dossier, "close_vote_rejected", secretary)
    tx.commit()
    assert dossier.state == "council_rejected"


def test_nobody_acts_on_their_own_nomination(tx, make_dossier, make_person, make_user,
                                             submitting_unit):
    person = make_person(unit=submitting_unit)
    reviewer = make_user("reviewer-self", roles=["reviewer"], person=person)
    dossier = make_dossier("submitted", nominee=person)
    error = _blocked(tx, dossier, "accept", reviewer)
    assert error.guard == "actor_not_nominee"
