"""`flask notify deadlines`: reminders to the people responsible, once, by real e-mail."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.support.helpers import run_cli
from tests.support.review_fixtures import at_day, working_days_from_today
from tests.support.smtp_server import LocalSMTP
from workflow_app.models.notification import Notification
from workflow_app.models.reminder import DeadlineReminder
from workflow_app.notify.service.deadlines import responsible_roles
from workflow_app.workflow import get_registry


@pytest.fixture
def smtp():
    with LocalSMTP() as server:
        yield server


@pytest.fixture
def cron(config, make_app, smtp):
    """An app as the cron job runs it, mailing to the local SMTP server."""
    return make_app(replace(config, mail_port=smtp.port))


def entered(working_days_ago: int):
    return at_day(working_days_from_today(-working_days_ago))


def _messages(session, user) -> list[str]:
    return list(session.scalars(select(Notification.message)
                                .where(Notification.user_id == user.id)
                                .order_by(Notification.id)))


def test_responsible_roles_come_from_the_definitions(app):
    normal = get_registry().get("normal")
    # The submitter may only withdraw from these states: the step's work is someone else's.
    assert responsible_roles(normal, "in_appraisal") == {"reviewer"}
    assert responsible_roles(normal, "awaiting_council") == {"secretary", "chair"}
    assert responsible_roles(normal, "council_approved") == {"signer", "reviewer"}
    assert responsible_roles(normal, "returned") == {"submitter"}


def test_reminders_go_once_to_those_responsible_with_real_email(
        app, cron, smtp, session, make_dossier, make_user, submitting_unit, root_unit,
        reviewer_a, reviewer_b, submitter):
    secretary = make_user("thu-ky", roles=["secretary"], unit=root_unit,
                          email="thuky@example.vn", locale="en")
    due_tomorrow = make_dossier("in_appraisal", now=entered(19))  # limit 20: due in 1 day
    due_in_two = make_dossier("submitted", now=entered(18))
    overdue = make_dossier("awaiting_council", now=entered(25))
    not_yet = make_dossier("in_appraisal", now=entered(10))
    paused = make_dossier("returned", now=entered(40))

    result = run_cli(cron, "notify", "deadlines")
    assert result.exit_code == 0, result.output
    assert "reminded 3 (3 notifications)" in result.output
    assert "E-mail: sent 3, failed 0." in result.output

    reviewer_notes = _messages(session, reviewer_a)
    assert len(reviewer_notes) == 2
    assert any(f"dossier #{due_tomorrow.id}" in m and "Deadline soon" in m
               for m in reviewer_notes)
    assert any(f"dossier #{due_in_two.id}" in m for m in reviewer_notes)
    [secretary_note] = _messages(session, secretary)
    assert f"dossier #{overdue.id}" in secretary_note and secretary_note.startswith("Overdue")
    # Not reminded: another province's reviewer, the submitter (who may only withdraw),
    # a dossier with time left, a returned dossier (clock paused).
    assert _messages(session, reviewer_b) == [] and _messages(session, submitter) == []
    assert not any(f"#{not_yet.id} " in m or f"#{paused.id} " in m
                   for m in reviewer_notes + [secretary_note])
    link = session.scalar(select(Notification.link).where(Notification.user_id == reviewer_a.id))
    assert link.startswith("/review/dossiers/")

    recipients = sorted(str(message["To"]) for message in smtp.messages)
    assert recipients == ["reviewer-a@example.vn", "reviewer-a@example.vn", "thuky@example.vn"]
    assert any(f"#{due_tomorrow.id}" in str(message["Subject"]) for message in smtp.messages)

    # The next day's run (same deadlines) sends nothing again.
    again = run_cli(cron, "notify", "deadlines")
    assert "reminded 0 (0 notifications); 3 already reminded" in again.output
    assert len(smtp.messages) == 3
    assert len(session.scalars(select(Notification)).all()) == 3
    assert len(session.scalars(select(DeadlineReminder)).all()) == 3


def test_a_dossier_with_nobody_responsible_is_retried_later(
        app, cron, session, make_dossier, make_user, root_unit):
    dossier = make_dossier("awaiting_council", now=entered(25))
    first = run_cli(cron, "notify", "deadlines")
    assert "1 with nobody responsible" in first.output
    assert session.scalars(select(DeadlineReminder)).all() == []
    chair = make_user("chu-tich", roles=["chair"], unit=root_unit, locale="en")
    second = run_cli(cron, "notify", "deadlines", "--no-mail")
    assert "reminded 1 (1 notifications)" in second.output
    [note] = _messages(session, chair)
    assert f"#{dossier.id}" in note


def test_the_today_option_counts_from_another_day(app, cron, session, make_dossier, reviewer_a):
    dossier = make_dossier("in_appraisal", now=entered(5))  # 15 working days left
    assert "reminded 0" in run_cli(cron, "notify", "deadlines", "--no-mail").output
    later = working_days_from_today(13).isoformat()  # two working days before the deadline
    result = run_cli(cron, "notify", "deadlines", "--today", later, "--no-mail")
    assert "reminded 1 (1 notifications)" in result.output
    [note] = _messages(session, reviewer_a)
    assert f"#{dossier.id}" in note and "Deadline soon" in note
