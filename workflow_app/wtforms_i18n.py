"""WTForms' and Flask-WTF's own messages in the interface language, from our catalogue.

WTForms ships no Vietnamese catalogue, and Flask-WTF's CSRF messages are not translatable at
all, so "This field is required.", "Not a valid integer value." … appeared in English on
Vietnamese pages. Every form of the app derives from `formkit.AppForm` (or `formkit.SubForm`),
whose `Meta.get_translations` answers `translations` below: it looks each English message up
in the project's own catalogue (`translations/*/LC_MESSAGES/messages.po`) for the request's
language. `messages()` lists every message a user can see, as literal `gettext`/`ngettext`
calls, so that the extractor (`pybabel extract`) finds them and
`tests/framework/test_i18n.py` insists on their Vietnamese.
"""

from __future__ import annotations

import re

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

# Flask-WTF's FileSize formats its message before translating it: match the result instead.
_FILE_SIZE = re.compile(r"File must be between (\d+) and (\d+) bytes\.")
FILE_SIZE_MSGID = "File must be between %(min)s and %(max)s bytes."


class Translations:
    """What WTForms asks of a translations object: `gettext` and `ngettext`, which only
    translate (WTForms fills in `%(min)d` … itself). Looked up at call time, so one object
    serves every request in its own language."""

    def gettext(self, string) -> str:
        text = str(string)  # the e-mail validator may pass its exception
        size = _FILE_SIZE.fullmatch(text)
        if size:
            low, high = size.groups()
            return get_translations().ugettext(FILE_SIZE_MSGID) % {"min": low, "max": high}
        return get_translations().ugettext(text)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


translations = Translations()


class TranslatedCSRF(FlaskForm.Meta.csrf_class):
    """Flask-WTF's CSRF check, with its (untranslatable) English reasons translated."""

    def validate_csrf_token(self, form, field) -> None:
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as error:
            raise ValidationError(field.gettext(str(error.args[0]))) from error


def keep_input_errors(form) -> None:
    """After validation: a field whose input could not be read (a text in a number field,
    31/02 in a date field) says so, even when `DataRequired` replaced that message with
    "This field is required." because the field then held no value."""
    for field in form:
        parse_errors = list(getattr(field, "process_errors", None) or [])
        raw = getattr(field, "raw_data", None) or ()
        typed = any(isinstance(value, str) and value.strip() for value in raw)
        errors = field.errors
        if parse_errors and typed and isinstance(errors, list) and errors \
                and not all(error in errors for error in parse_errors):
            field.errors = parse_errors


def messages(n: int = 1) -> list[str]:
    """Every WTForms and Flask-WTF message a user can see, translated (plurals for `n`).

    The literal calls are what the extractor reads; the list itself serves the tests.
    """
    gettext, ngettext = translations.gettext, translations.ngettext
    return [
        # wtforms/validators.py
        gettext("Invalid field name '%s'."),
        gettext("Field must be equal to %(other_name)s."),
        ngettext("Field must be at least %(min)d character long.",
                 "Field must be at least %(min)d characters long.", n),
        ngettext("Field cannot be longer than %(max)d character.",
                 "Field cannot be longer than %(max)d characters.", n),
        ngettext("Field must be exactly %(max)d character long.",
                 "Field must be exactly %(max)d characters long.", n),
        gettext("Field must be between %(min)d and %(max)d characters long."),
        gettext("Number must be at least %(min)s."),
        gettext("Number must be at most %(max)s."),
        gettext("Number must be between %(min)s and %(max)s."),
        gettext("Date must be at least %(min)s."),
        gettext("Date must be at most %(max)s."),
        gettext("Date must be between %(min)s and %(max)s."),
        gettext("This field is required."),
        gettext("Invalid input."),
        gettext("Invalid email address."),
        gettext("Invalid IP address."),
        gettext("Invalid Mac address."),
        gettext("Invalid URL."),
        gettext("Invalid UUID."),
        gettext("Invalid value, must be one of: %(values)s."),
        gettext("Invalid value, can't be any of: %(values)s."),
        gettext("This field cannot be edited."),
        gettext("This field is disabled and cannot have a value."),
        # wtforms/csrf
        gettext("Invalid CSRF Token."),
        gettext("CSRF token missing."),
        gettext("CSRF failed."),
        gettext("CSRF token expired."),
        # wtforms/fields
        gettext("Invalid Choice: could not coerce."),
        gettext("Choices cannot be None."),
        gettext("Not a valid choice."),
        gettext("Invalid choice(s): one or more data inputs could not be coerced."),
        ngettext("'%(value)s' is not a valid choice for this field.",
                 "'%(value)s' are not valid choices for this field.", n),
        gettext("Not a valid datetime value."),
        gettext("Not a valid date value."),
        gettext("Not a valid time value."),
        gettext("Not a valid week value."),
        gettext("Not a valid integer value."),
        gettext("Not a valid decimal value."),
        gettext("Not a valid float value."),
        # flask_wtf/csrf.py (raised untranslated; TranslatedCSRF translates them)
        gettext("The CSRF token is missing."),
        gettext("The CSRF session token is missing."),
        gettext("The CSRF token has expired."),
        gettext("The CSRF token is invalid."),
        gettext("The CSRF tokens do not match."),
        # flask_wtf/file.py
        gettext("File does not have an approved extension: {extensions}"),
        gettext("File does not have an approved extension."),
        gettext("File must be between %(min)s and %(max)s bytes."),
    ]
