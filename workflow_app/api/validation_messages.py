"""Pydantic's validation messages in the caller's language.

Pydantic writes its messages in English ("Field required", "String should have at most 255
characters"); an API caller who asked for Vietnamese (`Accept-Language: vi`, the default) got
them in English inside a Vietnamese error body. Each error keeps its machine-readable `type`
and `loc`; its `msg` is rebuilt here from the type and its context (`ctx`), through the
project's catalogue. A type not listed keeps a generic sentence in the caller's language and
pydantic's own words in `msg_en`, so nothing a client relied on is lost.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


def _messages() -> dict[str, Any]:
    """Message per pydantic error type; `%(name)s` is filled from the error's context."""
    return {
        "missing": _l("This field is required."),
        "extra_forbidden": _l("This field is not expected here."),
        "string_type": _l("Enter text."),
        "string_too_short": _l("Enter at least %(min_length)s characters."),
        "string_too_long": _l("Enter at most %(max_length)s characters."),
        "string_pattern_mismatch": _l("This text contains a character that is not allowed."),
        "int_type": _l("Enter a whole number."),
        "int_parsing": _l("Enter a whole number."),
        "int_from_float": _l("Enter a whole number."),
        "int_parsing_size": _l("This number is too large."),
        "float_type": _l("Enter a number."),
        "float_parsing": _l("Enter a number."),
        "finite_number": _l("Enter a finite number."),
        "greater_than": _l("Enter a number greater than %(gt)s."),
        "greater_than_equal": _l("Enter a number of at least %(ge)s."),
        "less_than": _l("Enter a number less than %(lt)s."),
        "less_than_equal": _l("Enter a number of at most %(le)s."),
        "bool_type": _l("Enter true or false."),
        "bool_parsing": _l("Enter true or false."),
        "date_type": _l("Enter a date in the form YYYY-MM-DD."),
        "date_parsing": _l("Enter a date in the form YYYY-MM-DD."),
        "date_from_datetime_parsing": _l("Enter a date in the form YYYY-MM-DD."),
        "date_from_datetime_inexact": _l("Enter a date without a time."),
        "datetime_type": _l("Enter a date and time (ISO 8601)."),
        "datetime_parsing": _l("Enter a date and time (ISO 8601)."),
        "enum": _l("Choose one of: %(expected)s."),
        "literal_error": _l("Choose one of: %(expected)s."),
        "list_type": _l("Send a list."),
        "tuple_type": _l("Send a list."),
        "set_type": _l("Send a list."),
        "too_short": _l("Send at least %(min_length)s items."),
        "too_long": _l("Send at most %(max_length)s items."),
        "dict_type": _l("Send an object."),
        "model_type": _l("Send an object."),
        "model_attributes_type": _l("Send an object."),
        "json_invalid": _l("The request body is not valid JSON."),
        "json_type": _l("The request body is not valid JSON."),
        "none_required": _l("Leave this field empty."),
        "uuid_parsing": _l("Enter a valid identifier."),
        "uuid_type": _l("Enter a valid identifier."),
        "url_parsing": _l("Enter a valid address (URL)."),
        "url_type": _l("Enter a valid address (URL)."),
        "url_scheme": _l("Enter an http:// or https:// address."),
    }


def translated(error: dict) -> dict:
    """One pydantic error (`ValidationError.errors()` item) as the API reports it."""
    kind = error["type"]
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    out = {"loc": list(error["loc"]), "type": kind}
    if kind == "value_error" and "email address" in error["msg"]:
        # pydantic's EmailStr: the reason comes from email-validator, in English.
        out["msg"] = _("Enter a valid e-mail address that can receive mail.")
        out["msg_en"] = error["msg"]
        return out
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise ValueError with a message already in the caller's
        # language; pydantic only prefixes it ("Value error, …").
        out["msg"] = str((error.get("ctx") or {}).get("error") or error["msg"])
        return out
    template = _messages().get(kind)
    if template is None:
        out["msg"] = _("This value is not valid.")
        out["msg_en"] = error["msg"]
        return out
    try:
        out["msg"] = str(template) % context if context else str(template)
    except (KeyError, ValueError):
        out["msg"] = _("This value is not valid.")
        out["msg_en"] = error["msg"]
    return out
