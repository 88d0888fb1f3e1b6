"""The step clock: working days used in the current step, paused while a dossier is returned."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from workflow_app.workflow import definition_of, fire, step_clock


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=3, tzinfo=UTC)  # 10:00 in Vietnam


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-c", roles=["reviewer"])


def clock(dossier, day: str):
    return step_clock(dossier, definition_of(dossier), now=at(day))


def test_appraisal_clock_pauses_while_returned_and_resumes(tx, make_dossier, submitter,
                                                           reviewer):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, now=at("2026-03-02"))  # Monday
    fire(tx, dossier, "accept", reviewer, now=at("2026-03-04"))
    tx.commit()
    running = clock(dossier, "2026-03-06")
    assert (running.step, running.running, running.used_days, running.limit_days) == (
        "appraisal", True, 4, 20)
    assert running.due_on == date(2026, 3, 30)  # 20 working days after receipt
    assert running.remaining_days == 16 and not running.is_overdue

    fire(tx, dossier, "return_for_supplement", reviewer, reason="Thiếu biên bản",
         now=at("2026-03-06"))
    tx.commit()
    paused = clock(dossier, "2026-03-20")  # two weeks later: nothing more is counted
    assert (paused.running, paused.used_days, paused.due_on) == (False, 4, None)

    fire(tx, dossier, "resubmit", submitter, now=at("2026-03-23"))
    fire(tx, dossier, "accept", reviewer, now=at("2026-03-25"))
    tx.commit()
    resumed = clock(dossier, "2026-03-27")
    assert (resumed.running, resumed.used_days) == (True, 4 + 2 + 2)
    # The deadline moved by the 11 working days spent returned (6/3 → 23/3).
    assert resumed.due_on == date(2026, 4, 14)


def test_a_new_step_starts_a_new_clock(tx, make_dossier, submitter, reviewer):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, now=at("2026-03-02"))
    fire(tx, dossier, "accept", reviewer, now=at("2026-03-03"))
    fire(tx, dossier, "send_to_council", reviewer, now=at("2026-03-27"))
    tx.commit()
    council = clock(dossier, "2026-03-31")
    assert (council.step, council.used_days, council.limit_days) == ("awaiting_council", 2, 20)


def test_clock_counts_working_days_only_across_tet(tx, make_dossier, submitter):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, now=at("2026-02-13"))  # Friday before Tết
    tx.commit()
    assert clock(dossier, "2026-02-24").used_days == 2  # Monday 23 and Tuesday 24


def test_overdue_when_the_limit_is_passed(tx, make_dossier, submitter):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, now=at("2026-03-02"))
    tx.commit()
    late = clock(dossier, "2026-04-15")
    assert late.used_days > 20 and late.is_overdue and late.remaining_days < 0


def test_terminal_states_have_no_clock_and_draft_has_no_limit(tx, make_dossier, submitter):
    draft = make_dossier()
    assert clock(draft, "2030-01-10").limit_days is None
    fire(tx, draft, "withdraw", submitter, reason="Không đề nghị nữa")
    tx.commit()
    assert clock(draft, "2030-01-10") is None
