"""Login throttling per account and per address, stored in the database."""

from datetime import timedelta

from sqlalchemy import select

from tests.support.helpers import login
from workflow_app.models import LoginAttempt


def _fail(client, username, times):
    for _ in range(times):
        assert login(client, username, "wrong-password!").status_code == 401


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, make_user):
    make_user("officer")
    _fail(client, "officer", 5)
    response = login(client, "officer")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "15" in page  # says how many minutes to wait


def test_lock_holds_in_another_worker_process(config, client, make_user, make_app):
    """A second app (as a second gunicorn worker would be) sees the same lock."""
    make_user("officer")
    _fail(client, "officer", 5)
    other_worker = make_app(config)
    assert login(other_worker.test_client(), "officer").status_code == 429


def test_lock_ends_when_the_window_has_passed(client, session, make_user):
    make_user("officer")
    _fail(client, "officer", 5)
    for attempt in session.scalars(select(LoginAttempt)):
        attempt.attempted_at -= timedelta(minutes=16)
    session.commit()
    assert login(client, "officer").status_code == 302


def test_attempts_while_locked_are_not_recorded(client, session, make_user):
    make_user("officer")
    _fail(client, "officer", 5)
    login(client, "officer", "wrong-password!")
    assert len(session.scalars(select(LoginAttempt)).all()) == 5


def test_success_resets_the_account_count(client, session, make_user):
    make_user("officer")
    _fail(client, "officer", 4)
    assert login(client, "officer").status_code == 302
    client.post("/logout")  # (no token: refused, but a fresh client is simpler)
    other = client.application.test_client()
    _fail(other, "officer", 4)
    assert login(other, "officer").status_code == 302


def test_one_address_is_locked_after_twenty_failures_across_accounts(client, make_user):
    make_user("victim")
    for n in range(20):
        login(client, f"guess{n}", "wrong-password!")
    assert login(client, "victim").status_code == 429


def test_another_address_is_not_locked_by_someone_elses_failures(app, client, make_user):
    make_user("officer")
    for n in range(20):
        login(client, f"guess{n}", "wrong-password!")
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    assert login(elsewhere, "officer").status_code == 302
