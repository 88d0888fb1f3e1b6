"""Helpers for driving the app through its forms, CSRF included."""

from __future__ import annotations

import re

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """POST a form with a valid CSRF token taken from `token_from` (default: the same path)."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def login(client, username: str, password: str = "correct-horse-battery", **kwargs):
    return post_form(client, "/login", {"username": username, "password": password}, **kwargs)


def login_as(app, client, user) -> str:
    """Sign `user` in on `client` without the form (for tests about other features).

    Opens a real server-side session, exactly as a successful sign-in does, and returns its
    token. Sign-in itself is tested through the forms in test_auth*.py.
    """
    from workflow_app.accounts.service import sessions
    from workflow_app.extensions import db

    with app.test_request_context():
        token = sessions.start_session(db.session, user)
        db.session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
    return token


def totp_code(secret: str, step_offset: int = 0) -> str:
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() + 30 * step_offset)


class FreshCodes:
    """TOTP codes for one account, each from a newer time step than the one before (the server
    never accepts a step twice) and without waiting for the clock: the oldest step it still
    accepts (one step of drift either way) comes first, the current one near a step's end."""

    STEP = 30

    def __init__(self, secret: str):
        self.secret = secret
        self.last: int | None = None

    def next(self) -> str:
        import time

        import pyotp

        now = time.time()
        current = int(now // self.STEP)
        oldest = current - 1 if now % self.STEP < self.STEP - 5 else current
        step = oldest if self.last is None else max(self.last + 1, oldest)
        if step > current + 1:  # two codes already taken ahead of the clock
            time.sleep((step - 1) * self.STEP - now + 0.2)
        self.last = step
        return pyotp.TOTP(self.secret).at(step * self.STEP)


def run_cli(app, *args):
    """Invoke `flask …` as a real command would run: in an app context of its own (a fresh
    contextvars context, so the test's app context is not reused)."""
    import contextvars

    return contextvars.Context().run(app.test_cli_runner().invoke, args=list(args))


class StatementLog(list):
    """The SQL statements an engine ran inside `with recording(engine) as log:` (indico's
    `count_queries`): for tests that a page or an operation runs a fixed number of queries."""

    def touching(self, table: str) -> list[str]:
        return [s for s in self if re.search(rf'\b"?{table}"?\b', s, re.IGNORECASE)]


class recording:  # noqa: N801 - used as a context manager, named like one
    def __init__(self, engine) -> None:
        self.engine = engine
        self.log = StatementLog()

    def _collect(self, conn, cursor, statement, *args) -> None:
        self.log.append(statement)

    def __enter__(self) -> StatementLog:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._collect)
        return self.log

    def __exit__(self, *exc) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._collect)


def audit_events(session, action: str | None = None) -> list:
    """The audit events (of one `action`), oldest first: always by `seq`, never in the order
    rows happen to be stored (which differs from run to run on PostgreSQL)."""
    from sqlalchemy import select

    from workflow_app.models.audit import AuditEvent

    query = select(AuditEvent).order_by(AuditEvent.seq)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
