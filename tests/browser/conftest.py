"""Browser tests: the real app served over HTTP, driven by Debian's chromium via Playwright.

SQLite only (no `database_url` fixture): one migrated database per module in a temp dir,
seeded with a signed-in-able user and the award catalogue, served by werkzeug in a thread.
Screenshots go to test-artifacts/screenshots/ (git-ignored); the run's summary lists them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.browser.sites import SiteTemplates, serving
from workflow_app.accounts.service import users as user_service
from workflow_app.config import PROJECT_ROOT
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit, Person

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() == "true"

USERNAME = "lan.nguyen"
PASSWORD = "correct-horse-battery"
FULL_NAME = "Nguyễn Thị Lan"

_written: list[Path] = []


@dataclass(frozen=True)
class LiveServer:
    url: str
    username: str
    password: str
    full_name: str


def _seed(session) -> None:
    """A unit, a person with a submitter account, and the catalogue."""
    ministry = OrgUnit(code="BTP", name="Bộ Tư pháp", name_en="Ministry of Justice",
                       kind="ministry", symbol="BTP")
    session.add(ministry)
    session.flush()
    ministry.path = f"/{ministry.id}/"
    person = Person(full_name=FULL_NAME, unit=ministry, position="Chuyên viên")
    session.add(person)
    session.flush()
    user = user_service.create_user(session, USERNAME, PASSWORD, person=person)
    user_service.grant_role(session, user, "submitter", ministry, actor=None)
    _load_catalogue(session)
    session.commit()


def _load_catalogue(session) -> None:
    try:
        from workflow_app.catalogue.service.loader import load_catalogue
    except ImportError:  # the loader not written yet: one award is enough for the journey
        from workflow_app.models.catalogue import Award, AwardVersion

        award = Award(code="LDTT", kind="title")
        session.add(award)
        session.add(AwardVersion(
            award=award, basis_key="browser-test", name_vi="Lao động tiên tiến",
            name_en="Advanced Worker", subject="individual", conferring_level="unit",
            legal_basis="Luật Thi đua, khen thưởng 2022", effective_from=date(2024, 1, 1),
            source_file="browser-test", content_hash="0" * 64,
        ))
        session.flush()
        return
    load_catalogue(session)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, site_templates):
    """The app on http://127.0.0.1:<free port>, as `make run` serves it (plain HTTP)."""
    app = site_templates.app(tmp_path_factory.mktemp("browser"), demo=False,
                             secret_key="browser-test-secret")
    with app.app_context():
        _seed(db.session)
        db.session.remove()
    with serving(app, "live-server") as url:
        yield LiveServer(url, USERNAME, PASSWORD, FULL_NAME)


@pytest.fixture(scope="session")
def site_templates(tmp_path_factory) -> SiteTemplates:
    """Migrated and demo databases made once per worker; each journey copies one."""
    return SiteTemplates(tmp_path_factory.mktemp("site-templates"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (make browser-deps)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` writes test-artifacts/screenshots/<name>.png and returns it."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        _written.append(path)
        print(f"screenshot: {path}")
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _written:
        terminalreporter.section("browser screenshots")
        for path in _written:
            terminalreporter.write_line(str(path.relative_to(PROJECT_ROOT)))
