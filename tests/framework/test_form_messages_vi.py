"""No English on Vietnamese pages: WTForms' and Flask-WTF's own messages (issue 10, item 6).

WTForms ships no Vietnamese catalogue, so "This field is required.", "Not a valid integer
value.", "Invalid email address." … reached Vietnamese pages in English, and 31/02 in a date
field said "This field is required." These tests build EVERY form class of the app in a
Vietnamese request, submit it empty and with wrong values, and look for English in the
errors; then two real pages.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import fields as wtf_fields

import workflow_app
from tests.support.helpers import login_as, post_form
from workflow_app import create_app, wtforms_i18n
from workflow_app.config import Config
from workflow_app.formkit import AppForm, SubForm

# ── The English messages to look for ────────────────────────────────────────────────────

# Flask-WTF's messages are not in WTForms' template (its CSRF ones are not even translatable).
FLASK_WTF_MESSAGES = (
    "The CSRF token is missing.", "The CSRF session token is missing.",
    "The CSRF token has expired.", "The CSRF token is invalid.",
    "The CSRF tokens do not match.", "File does not have an approved extension: {extensions}",
    "File does not have an approved extension.", "File must be between {min} and {max} bytes.",
)


def _wtforms_msgids() -> list[str]:
    """Every msgid (singular and plural) of the template WTForms ships for translators."""
    from babel.messages.pofile import read_po

    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    with pot.open("rb") as handle:
        catalogue = read_po(handle)
    ids = []
    for message in catalogue:
        if message.id:
            ids += list(message.id) if isinstance(message.id, tuple) else [message.id]
    return ids


ENGLISH = [*_wtforms_msgids(), *FLASK_WTF_MESSAGES]


def _pattern(msgid: str) -> re.Pattern:
    """The message as WTForms fills it in: placeholders match anything."""
    parts = re.split(r"%\(\w+\)[sd]|%s|\{\w+\}", msgid)
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


ENGLISH_PATTERNS = [(msgid, _pattern(msgid)) for msgid in ENGLISH]


def _english(message: str) -> str | None:
    for msgid, pattern in ENGLISH_PATTERNS:
        if pattern.fullmatch(message):
            return msgid
    return None


def test_the_english_messages_are_the_ones_wtforms_uses():
    ids = set(ENGLISH)
    assert {"This field is required.", "Not a valid integer value.", "Not a valid choice.",
            "Invalid email address.", "Number must be between %(min)s and %(max)s.",
            "Field cannot be longer than %(max)d characters."} <= ids
    assert _english("Field cannot be longer than 100 characters.")
    assert _english("Number must be between 1945 and 2200.")
    assert not _english("Không được dài quá 100 ký tự.")


# ── Discovering every form ──────────────────────────────────────────────────────────────


def _modules():
    for info in pkgutil.walk_packages(workflow_app.__path__, "workflow_app."):
        if ".translations" in info.name or info.name.endswith("client_example"):
            continue
        yield importlib.import_module(info.name)


def _form_classes() -> list[type]:
    found = {}
    for module in _modules():
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, wtforms.Form)
                    and value.__module__.startswith("workflow_app")
                    and value not in (AppForm, SubForm)):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


@pytest.fixture(scope="module")
def form_app(tmp_path_factory):
    """An app for building forms in a request (no database is touched)."""
    folder = tmp_path_factory.mktemp("forms")
    return create_app(Config(secret_key="test-secret-key",
                             database_url=f"sqlite:///{folder / 'unused.db'}",
                             instance_dir=folder, testing=True, cookie_secure=False))


@pytest.fixture(scope="module")
def form_classes(form_app) -> list[type]:
    with form_app.app_context():
        classes = _form_classes()
    assert len(classes) > 40, [c.__name__ for c in classes]
    return classes


def test_every_form_of_the_app_derives_from_the_translated_bases(form_classes):
    wrong = [f"{c.__module__}.{c.__qualname__}" for c in form_classes
             if not issubclass(c, AppForm | SubForm)]
    assert not wrong, ("derive these from workflow_app.formkit.AppForm (or SubForm inside "
                       "FormField) so that WTForms speaks Vietnamese:\n" + "\n".join(wrong))


def test_the_review_checklist_form_built_at_run_time_is_translated_too(form_app):
    from workflow_app.review.service.checklist import CheckItem
    from workflow_app.review.views.forms import checklist_form

    with form_app.test_request_context("/", method="POST"):
        form = checklist_form([CheckItem("a.b", "Mục")], {},
                              formdata=MultiDict({"note_a_b": "x" * 10_000}))
        assert isinstance(form, AppForm)
        assert not form.validate()
        _assert_vietnamese(form, "checklist")


# ── Wrong values per field type ─────────────────────────────────────────────────────────

NUMBER_FIELDS = (wtf_fields.IntegerField, wtf_fields.DecimalField, wtf_fields.FloatField)
DATE_FIELDS = (wtf_fields.DateField, wtf_fields.DateTimeField, wtf_fields.TimeField,
               wtf_fields.MonthField, wtf_fields.WeekField)
CHOICE_FIELDS = (wtf_fields.SelectField, wtf_fields.RadioField,
                 wtf_fields.SelectMultipleField)


def _leaves(form):
    """Every field with a value of its own, nested forms and lists included (a list gets
    one entry, so that its sub-fields exist)."""
    for field in form:
        if isinstance(field, wtf_fields.FieldList):
            if not field.entries:
                field.append_entry()
            for entry in field:
                yield from (_leaves(entry.form) if isinstance(entry, wtf_fields.FormField)
                            else [entry])
        elif isinstance(field, wtf_fields.FormField):
            yield from _leaves(field.form)
        else:
            yield field


def _offer_choices(form) -> None:
    """What the views do before validating: give every select its choices."""
    for field in _leaves(form):
        if isinstance(field, CHOICE_FIELDS) and field.choices is None:
            field.choices = [("1", "Một")]


SUBMISSIONS = {
    "empty": lambda field: None,
    "wrong type": lambda field: (
        "abc" if isinstance(field, NUMBER_FIELDS)
        else "31/02/2026" if isinstance(field, DATE_FIELDS)
        else "không-phải-email" if isinstance(field, wtf_fields.EmailField)
        else ["zzz", "yyy"] if isinstance(field, wtf_fields.SelectMultipleField)
        else "zzz" if isinstance(field, CHOICE_FIELDS)
        else None),
    "too long or too big": lambda field: (
        "99999999999" if isinstance(field, NUMBER_FIELDS)
        else "2026-02-31" if isinstance(field, DATE_FIELDS)
        else "a@" + "b" * 300 + ".vn" if isinstance(field, wtf_fields.EmailField)
        else "x" * 100_001 if isinstance(field, wtf_fields.StringField)
        else None),
    "too short or too small": lambda field: (
        "-5" if isinstance(field, NUMBER_FIELDS)
        else "0000-00-00" if isinstance(field, DATE_FIELDS)
        else "@" if isinstance(field, wtf_fields.EmailField)
        else "x" if isinstance(field, wtf_fields.StringField)
        else None),
}


def _formdata(form_class, make_value) -> MultiDict:
    probe = form_class(formdata=None)
    data = MultiDict()
    for field in _leaves(probe):
        value = make_value(field)
        if isinstance(field, wtf_fields.FileField) or value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            data.add(field.name, item)
    return data


def _messages(errors):
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _messages(value)
    elif isinstance(errors, list | tuple):
        for value in errors:
            yield from _messages(value)
    else:
        yield str(errors)


def _english_errors(form, where: str) -> list[str]:
    problems = []
    for message in _messages(form.errors):
        msgid = _english(message)
        if msgid is not None:
            problems.append(f"{where}: {message!r} (WTForms' {msgid!r})")
        elif message.isascii():
            problems.append(f"{where}: {message!r} (no Vietnamese letter at all)")
    return problems


def _assert_vietnamese(form, where: str) -> None:
    problems = _english_errors(form, where)
    assert not problems, "\n".join(problems)


def _vi_request(form_app):
    return form_app.test_request_context("/", method="POST",
                                         headers={"Accept-Language": "en"})


def test_every_form_answers_in_vietnamese_whatever_is_sent(form_app, form_classes):
    problems, validated = [], 0
    for form_class in form_classes:
        for label, make_value in SUBMISSIONS.items():
            with _vi_request(form_app):
                form = form_class(formdata=_formdata(form_class, make_value))
                _offer_choices(form)
                valid = form.validate()
                validated += 1
                where = f"{form_class.__module__}.{form_class.__qualname__} ({label})"
                if label != "empty" or not valid:
                    problems += _english_errors(form, where)
    assert validated >= 4 * 40
    assert not problems, "\n".join(problems)


def test_the_messages_seen_are_really_there(form_app, form_classes):
    """The walk above is not vacuous: errors were raised, and in Vietnamese."""
    seen = set()
    for form_class in form_classes:
        for make_value in SUBMISSIONS.values():
            with _vi_request(form_app):
                form = form_class(formdata=_formdata(form_class, make_value))
                _offer_choices(form)
                form.validate()
                seen |= set(_messages(form.errors))
    assert {"Vui lòng nhập thông tin này.", "Lựa chọn không hợp lệ.",
            "Ngày phải theo dạng ngày/tháng/năm, ví dụ 07/12/2026.",
            "Giá trị phải là một số nguyên.", "Địa chỉ thư điện tử không hợp lệ.",
            "Không được dài quá 255 ký tự.", "Số phải từ 1945 đến 2200.",
            "Thiếu mã bảo vệ biểu mẫu (CSRF)."} <= seen


def test_an_unreadable_date_or_number_says_so_instead_of_required(form_app, form_classes):
    """A typed value that cannot be read is "invalid", not "required" (DataRequired used
    to replace the first message with the second)."""
    wrong = []
    for form_class in form_classes:
        with _vi_request(form_app):
            probe = form_class(formdata=None)
            typed = {f.name: f for f in _leaves(probe)
                     if isinstance(f, DATE_FIELDS + NUMBER_FIELDS)}
            if not typed:
                continue
            form = form_class(formdata=_formdata(form_class, SUBMISSIONS["wrong type"]))
            _offer_choices(form)
            form.validate()
            fields = {f.name: f for f in _leaves(form)}
            for name in typed:
                field = fields[name]
                unreadable = [str(e) for e in field.process_errors]
                shown = [str(e) for e in field.errors]
                if not unreadable or not set(unreadable) <= set(shown):
                    wrong.append(f"{form_class.__qualname__}.{name}: {shown}")
    assert not wrong, "\n".join(wrong)


def test_every_wtforms_message_has_its_vietnamese(form_app):
    """Each message of WTForms' template and of Flask-WTF is translated, and listed in
    `wtforms_i18n.messages()` (where the extractor finds it)."""
    from babel.messages.pofile import read_po

    with (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").open("rb") as handle:
        template = [m.id for m in read_po(handle) if m.id]
    template += [m.replace("{min}", "%(min)s").replace("{max}", "%(max)s") if "bytes" in m
                 else m for m in FLASK_WTF_MESSAGES]
    gettext, ngettext = wtforms_i18n.translations.gettext, wtforms_i18n.translations.ngettext
    with _vi_request(form_app):
        listed = set(wtforms_i18n.messages(1) + wtforms_i18n.messages(5))
        untranslated, unlisted = [], []
        for msgid in template:
            for n in (1, 5):
                text = ngettext(*msgid, n) if isinstance(msgid, tuple) else gettext(msgid)
                if text in (msgid if isinstance(msgid, tuple) else (msgid,)):
                    untranslated.append(msgid)
                elif text not in listed:
                    unlisted.append(msgid)
    assert not untranslated, untranslated
    assert not unlisted, unlisted


def test_english_pages_keep_the_english_messages(form_app):
    from workflow_app.admin.views.forms import UserCreateForm

    with form_app.test_request_context("/", method="POST"):
        from flask import session

        session["locale"] = "en"
        form = UserCreateForm(formdata=MultiDict({"email": "nope", "username": "x" * 100}))
        form.person_id.choices = [("0", "—")]
        form.validate()
        assert form.errors["password"] == ["This field is required."]
        assert form.errors["email"] == ["Invalid email address."]
        assert form.errors["username"] == ["Field must be between 3 and 64 characters long."]


def test_file_size_messages_are_translated_with_their_numbers(form_app):
    with _vi_request(form_app):
        text = wtforms_i18n.translations.gettext("File must be between 0 and 1024 bytes.")
    assert text == "Kích thước tệp phải từ 0 đến 1024 byte."


def test_flask_wtf_csrf_refusals_on_a_form_are_translated(form_app):
    from workflow_app.accounts.views.forms import LoginForm

    with _vi_request(form_app):
        form = LoginForm(formdata=MultiDict({"username": "a", "password": "b",
                                             "csrf_token": "forged"}))
        assert not form.validate()
        assert form.errors["csrf_token"] == ["Mã bảo vệ biểu mẫu (CSRF) không hợp lệ."]


def test_the_form_bases_are_the_ones_flask_wtf_and_wtforms_expect():
    assert issubclass(AppForm, FlaskForm) and issubclass(SubForm, wtforms.Form)
    assert not issubclass(SubForm, FlaskForm)  # nested forms carry no CSRF token


# ── Real pages (both databases) ─────────────────────────────────────────────────────────


def test_an_impossible_session_date_says_invalid_date_on_the_page(app, client, session,
                                                                   make_council):
    kit = make_council(3)
    login_as(app, client, kit.secretary)
    response = post_form(client, "/council/sessions/new", {
        "council_id": kit.council.id, "held_on": "31/02/2026", "place": "Phòng họp"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày phải theo dạng ngày/tháng/năm, ví dụ 07/12/2026." in page
    assert "This field is required." not in page and "Not a valid" not in page
    # The day input: text typed as dd/mm/yyyy in any browser language, shown back as typed.
    assert 'value="31/02/2026"' in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'type="date"' not in page and 'inputmode="numeric"' in page


def test_a_bad_email_for_a_new_user_is_refused_in_vietnamese(app, client, make_user):
    login_as(app, client, make_user("root.admin", roles=["admin"]))
    response = post_form(client, "/admin/users/new", {
        "username": "x" * 100, "email": "không-phải-email", "password": "",
        "person_id": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Địa chỉ thư điện tử không hợp lệ." in page
    assert "Phải có từ 3 đến 64 ký tự." in page
    assert "Vui lòng nhập thông tin này." in page
    for english in ("Invalid email address.", "This field is required.", "Field cannot"):
        assert english not in page


def test_a_token_name_too_long_is_refused_in_vietnamese(app, client, make_user):
    login_as(app, client, make_user("token.owner", roles=["submitter"]))
    response = post_form(client, "/account/tokens", {
        "name": "n" * 500, "scope": "nope", "days": "abc"}, token_from="/account")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Field cannot" not in page and "Not a valid" not in page
    assert "Không được dài quá 100 ký tự." in page
    assert "Giá trị phải là một số nguyên." in page
