"""Long unbroken words wrap on every page instead of widening it (issue 10 item 7), checked in
a real browser: a council session whose place is 300 characters without a space (a row
written before places were limited to 255; SQLite kept it), on a 390-px phone and on a
desktop. `document.documentElement.scrollWidth` must not exceed the
viewport on the member's list and session page, the secretary's session and change pages,
the member's notifications (the change names the place), the auditor's history of the
session (a table of field diffs) and a unit's table of people whose name and position are
single words as long as their columns allow.

Screenshots: long-words-<page>-<phone|desktop> in test-artifacts/screenshots/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tests.browser.sites import serving, sign_in
from workflow_app.accounts.service import users as user_service
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit, Person

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PLACE = "Phònghọp" + "X" * 292  # 300 characters, no space
LONGEST = PLACE[:255]  # the longest place or title the forms take now
NAME, POSITION = "Nguyễn" + "N" * 114, "Chuyênviên" + "C" * 150  # their columns' lengths


@dataclass(frozen=True)
class Site:
    url: str
    session_id: int
    unit_id: int


def _seed() -> tuple[int, int]:
    """A unit, its council (chair, member, secretary), an auditor, and a session changed
    once through the service to a 255-character place and title (a diff row, a
    notification), then given a 300-character place directly, as an old row."""
    from workflow_app.council.service import councils, sessions

    session = db.session
    unit = OrgUnit(code="BTP", name="Bộ Tư pháp", name_en="Ministry of Justice",
                   kind="ministry", symbol="BTP")
    session.add(unit)
    session.flush()
    unit.path = f"/{unit.id}/"
    session.add(Person(full_name=NAME, unit=unit, position=POSITION))
    users = {}
    for username, roles in (("thu.ky", ["secretary"]), ("uy.vien", ["council_member"]),
                            ("chu.tich", ["chair", "council_member"]),
                            ("kiem.toan", ["auditor"])):
        users[username] = user_service.create_user(session, username, PASSWORD)
        for role in roles:
            user_service.grant_role(session, users[username], role, unit, actor=None)
    council = councils.create_council(session, code="HD", name="Hội đồng Thi đua – Khen "
                                      "thưởng Bộ Tư pháp", unit=unit)
    for username, role in (("chu.tich", "chair"), ("uy.vien", "member"),
                           ("thu.ky", "secretary")):
        councils.add_member(session, council, users[username], role,
                            term_from=date(2020, 1, 1))
    meeting = sessions.schedule(session, council, held_on=date.today() + timedelta(days=7),
                                place="Phòng họp số 1", actor=users["thu.ky"])
    sessions.change(session, meeting, held_on=meeting.held_on, place=LONGEST, title=LONGEST,
                    reason="Đổi" + "Z" * 297, actor=users["thu.ky"])
    meeting.place = PLACE
    session.commit()
    return meeting.id, unit.id


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_templates):
    app = site_templates.app(tmp_path_factory.mktemp("long-words"), demo=False,
                             secret_key="browser-long-words")
    with app.test_request_context():
        session_id, unit_id = _seed()
        db.session.remove()
    with serving(app, "long-words") as url:
        yield Site(url, session_id, unit_id)


def _sign_in(page, site, username):
    sign_in(page, site.url, username, PASSWORD)


def _pages(site) -> dict[str, list[tuple[str, str, str]]]:
    """username → [(name, path, a long word the page shows)]."""
    session_page = f"/council/sessions/{site.session_id}"
    return {
        "uy.vien": [("list", "/council/", PLACE), ("session", session_page, PLACE),
                    ("notifications", "/notifications", LONGEST)],
        "thu.ky": [("secretary-session", session_page, PLACE),
                   ("change", f"{session_page}/edit", PLACE)],
        "kiem.toan": [("audit-history", f"/audit/subjects/council_session/{site.session_id}",
                       LONGEST), ("unit-people", f"/org/units/{site.unit_id}", POSITION)],
    }


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_a_300_character_word_never_widens_a_page(site, browser, screenshot, device):
    viewport = PHONE if device == "phone" else DESKTOP
    for username, pages in _pages(site).items():
        options = {"viewport": viewport}
        if device == "phone":
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        context = browser.new_context(**options)
        page = context.new_page()
        _sign_in(page, site, username)
        for name, path, word in pages:
            response = page.goto(site.url + path)
            assert response is not None and response.status == 200, path
            assert word in page.content(), path
            width = page.evaluate("document.documentElement.scrollWidth")
            screenshot(page, f"long-words-{name}-{device}")
            assert width <= viewport["width"], f"{path} is {width}px wide on a {device}"
        context.close()
