"""The app served over HTTP for a browser journey, without migrating or loading the demo again.

Each journey module gets a SQLite database and instance folder of its own, copied from a
template the worker makes once: migrated (`demo=False`), or migrated with the catalogue and
`flask demo load` (`demo=True`). `serving(app)` runs werkzeug in a thread on a free port and
stops it (and closes the database) when the module is done.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from workflow_app import create_app
from workflow_app.config import Config
from workflow_app.db import make_engine
from workflow_app.extensions import db
from workflow_app.migrate import upgrade

DB = "app.db"
INSTANCE = "instance"


class SiteTemplates:
    def __init__(self, root: Path):
        self.root = root
        self.made: dict[bool, Path] = {}

    def _template(self, demo: bool) -> Path:
        if demo not in self.made:
            folder = self.root / ("demo" if demo else "migrated")
            folder.mkdir()
            url = f"sqlite:///{folder / DB}"
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
            if demo:
                app = create_app(_config(url, folder, "template"))
                runner = app.test_cli_runner()
                for args in (["catalogue", "load"], ["demo", "load"]):
                    result = runner.invoke(args=args)
                    assert result.exit_code == 0, result.output
                with app.app_context():
                    db.engine.dispose()
            self.made[demo] = folder
        return self.made[demo]

    def app(self, folder: Path, *, demo: bool, secret_key: str):
        """A new app on a copy of the template in `folder` (empty, made by the caller)."""
        template = self._template(demo)
        source = sqlite3.connect(template / DB)
        target = sqlite3.connect(folder / DB)
        with target:
            source.backup(target)
        source.close()
        target.close()
        if (template / INSTANCE).exists():
            shutil.copytree(template / INSTANCE, folder / INSTANCE)
        return create_app(_config(f"sqlite:///{folder / DB}", folder, secret_key))


def sign_in(page, base_url: str, username: str, password: str, *, code=None) -> None:
    """Sign in through the login form (a fresh session); `code()` gives the second step's
    TOTP code for accounts that have one. Fails with the page's own words when the sign-in
    does not end on the home page, rather than with a bare timeout."""
    page.context.clear_cookies()
    page.goto(base_url + "/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    if code is not None:
        _land(page, "**/login/code**", username)
        page.locator("#code").fill(code())
        page.locator("main form button[type=submit]").click()
    _land(page, base_url + "/", username)


def _land(page, url: str, username: str) -> None:
    try:
        # A loaded machine (two test workers, the browser, the server) may take a while.
        page.wait_for_url(url, timeout=60_000)
    except PlaywrightError as exc:
        try:
            said = page.locator("main").inner_text(timeout=5_000)[:600]
        except PlaywrightError:
            said = "(the page could not be read)"
        raise AssertionError(f"signing in as {username} did not reach {url}: the browser is "
                             f"on {page.url}, which says: {said}") from exc


def _config(url: str, folder: Path, secret_key: str) -> Config:
    return Config(secret_key=secret_key, database_url=url, instance_dir=folder / INSTANCE,
                  cookie_secure=False)


def _closing_responses(app):
    """`app` with its responses closed however the request ends. When a browser drops a
    request (a navigation while a script still loads), werkzeug's development server stops
    without closing the response, and the static file under it is left open until garbage
    collection warns about it in whichever test runs then. Production (gunicorn) closes."""

    def wsgi(environ, start_response):
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return wsgi


@contextmanager
def serving(app, name: str = "site") -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, _closing_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
