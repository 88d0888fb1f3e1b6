"""Languages: every string translated, Vietnamese by default, English remembered per user.

The catalogue checks run once (no database); the page checks run on both databases.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.support.helpers import login, post_form
from workflow_app.config import PROJECT_ROOT
from workflow_app.models.user import User

TRANSLATIONS = PROJECT_ROOT / "workflow_app" / "translations"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]  # = pybabel, in this interpreter


def _read_po(path: Path, locale: str):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Extract from the code as it is now, with the documented command (README.md)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [*PYBABEL, "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"),
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    return _read_po(pot, "en")


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _tuple(value) -> tuple:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _is_fallback(message) -> bool:
    """True when the "translation" is only the English msgid again."""
    return set(_tuple(message.string)) <= set(_tuple(message.id))


def _where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:2])


def test_extraction_finds_python_lazy_and_template_strings(extracted):
    ids = {_key(m) for m in extracted if m.id}
    assert "Sign in" in ids  # templates/auth/login.html
    assert "Council secretary" in ids  # lazy_gettext (_l) in workflow_app/i18n.py
    assert "Wrong username or password." in ids  # gettext in workflow_app/accounts/views/routes.py


def test_every_extracted_string_has_a_reviewed_vietnamese_translation(extracted):
    vi = _read_po(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "vi")
    problems = []
    for message in extracted:
        if not message.id:
            continue
        translated = vi.get(message.id)
        if translated is None:
            problems.append(f"missing: {_key(message)!r} ({_where(message)})")
        elif translated.fuzzy:
            problems.append(f"fuzzy (review it): {_key(message)!r}")
        elif not all(translated.string if isinstance(translated.string, tuple)
                     else [translated.string]):
            problems.append(f"empty msgstr: {_key(message)!r}")
    assert not problems, (
        "Run workflow_app/translations/update.sh and translate:\n" + "\n".join(problems)
    )


def test_vietnamese_translations_keep_the_placeholders():
    vi = _read_po(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "vi")
    errors = [f"{_key(message)!r}: {error}" for message, messages in vi.check()
              for error in messages]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_compiled_catalogue_matches_its_po_file(locale):
    mo_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert mo_path.exists(), "run `make translations` to compile the catalogues"
    po = _read_po(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    with mo_path.open("rb") as handle:
        mo = read_mo(handle)
    # Babel compiles an untranslated plural as its msgid: compare real translations only.
    expected = {_tuple(m.id): _tuple(m.string) for m in po
                if m.id and any(_tuple(m.string)) and not m.fuzzy and not _is_fallback(m)}
    compiled = {_tuple(m.id): _tuple(m.string) for m in mo if m.id and not _is_fallback(m)}
    assert compiled == expected, "the .mo file is stale: run `make translations`"


# ── Pages ───────────────────────────────────────────────────────────────────────────


def _page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def _choose(client, locale: str, token_from: str = "/login", next_path: str = "/login"):
    return post_form(client, "/language", {"locale": locale, "next": next_path},
                     token_from=token_from)


def test_login_page_is_in_vietnamese_by_default(client):
    page = _page(client, "/login")
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page


def test_browser_language_does_not_override_the_vietnamese_default(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_choosing_english_before_sign_in_switches_the_login_page(client):
    response = _choose(client, "en")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = _page(client, "/login")
    assert '<html lang="en">' in page
    assert "Sign in" in page and "Username" in page
    assert "Đăng nhập" not in page


def test_language_switch_requires_a_csrf_token(client):
    response = client.post("/language", data={"locale": "en"})
    assert response.status_code == 400
    assert '<html lang="vi">' in _page(client, "/login")


def test_choice_is_remembered_on_the_account_across_sign_out_and_sign_in(
    client, session, make_user
):
    user = make_user("linh", roles=["submitter"])
    assert login(client, "linh").status_code == 302
    assert "Xin chào" in _page(client, "/")

    response = _choose(client, "en", token_from="/", next_path="/")
    assert response.headers["Location"] == "/"
    assert "Welcome" in _page(client, "/")
    assert session.scalar(select(User.locale).where(User.id == user.id)) == "en"

    post_form(client, "/logout", {}, token_from="/")
    assert '<html lang="en">' in _page(client, "/login")  # the sign-in page keeps English
    assert "Xin chào" not in _page(client, "/login")

    login(client, "linh")
    page = _page(client, "/")
    assert '<html lang="en">' in page and "Welcome" in page and "Sign out" in page


def test_account_language_wins_over_the_choice_made_on_the_login_page(
    client, session, make_user
):
    make_user("minh", roles=["reviewer"], locale="en")
    _choose(client, "vi")
    login(client, "minh")
    assert "Welcome" in _page(client, "/")


@pytest.mark.parametrize("value", ["fr", "", "EN", "vi-VN", "x" * 500])
def test_unknown_locale_is_ignored(client, session, make_user, value):
    user = make_user("anh", roles=["auditor"])
    login(client, "anh")
    response = _choose(client, value, token_from="/", next_path="/")
    assert response.status_code == 302
    assert "Xin chào" in _page(client, "/")
    assert session.scalar(select(User.locale).where(User.id == user.id)) == "vi"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_language_switch_never_redirects_off_site(client, target):
    response = post_form(client, "/language", {"locale": "en", "next": target},
                         token_from="/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_error_pages_speak_the_chosen_language(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Không tìm thấy" in page.get_data(as_text=True)
    _choose(client, "en")
    page = client.get("/no-such-page").get_data(as_text=True)
    assert "Not found" in page and "Back to the home page" in page


def test_csrf_error_page_is_translated(client):
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in response.get_data(as_text=True)
