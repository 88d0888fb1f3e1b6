"""Shared schema pieces: the error body and the base classes."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# Free text may hold any character but NUL, which PostgreSQL text cannot store (a 500).
NO_NUL = r"^[^\x00]*$"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"-?\d{1,18}")


def _iso_date_only(value: Any) -> Any:
    """Refuse what pydantic would otherwise read as a date ("0" → 1970-01-01)."""
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(_("Enter a date in the form YYYY-MM-DD."))
        try:
            return date.fromisoformat(value)  # a date already, also for strict JSON parsing
        except ValueError:
            raise ValueError(_("This date does not exist (%(date)s).") % {"date": value}) from None
    return value


def _integer_text_only(value: Any) -> Any:
    """Refuse "1.0", "1e3" … in a query string: an integer is digits."""
    if isinstance(value, str) and not _INTEGER.fullmatch(value):
        raise ValueError(_("Enter a whole number: digits only, at most 18 of them."))
    return value


def _integral_number(value: Any) -> Any:
    """JSON Schema counts 5.0 as an integer; strict parsing would not. Accept it as 5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
# An integer in a (strictly parsed) JSON body: 5 or 5.0, never "5" or true.
BodyInt = Annotated[int, BeforeValidator(_integral_number)]
# An id in a JSON body (bounds inside Annotated, as for QueryId below).
BodyId = Annotated[int, Field(ge=1, le=2_147_483_647), BeforeValidator(_integral_number)]
QueryInt = Annotated[int, BeforeValidator(_integer_text_only)]
# Bounds go inside Annotated, before the validator: otherwise, on an Optional field, they
# would be missing from the JSON Schema (shown as unknown "ge"/"le" keys).
QueryId = Annotated[int, Field(ge=1, le=2_147_483_647), BeforeValidator(_integer_text_only)]
QueryYear = Annotated[int, Field(ge=1945, le=2200), BeforeValidator(_integer_text_only)]
BodyId = Annotated[int, Field(ge=1, le=2_147_483_647), BeforeValidator(_integral_number)]
BodyYear = Annotated[int, Field(ge=1945, le=2200), BeforeValidator(_integral_number)]


class RequestModel(BaseModel):
    """Base of request bodies, parsed from JSON strictly: an unknown field, or a value of
    the wrong JSON type ("5" for 5), is a 422 — never silently coerced or ignored."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ReauthIn(RequestModel):
    """Base of the bodies of signing acts: the caller's password again (and the code of the
    authenticator app where they use one), checked as on the pages; a wrong or missing
    password is 422 `reauth_failed` and counts towards the sign-in lockout."""

    password: str = Field(min_length=1, max_length=256, pattern=NO_NUL,
                          description="Your password again: this act is signed in your name.")
    code: str | None = Field(None, max_length=10, pattern=NO_NUL,
                             description="The authenticator code, when you use one.")


class FormModel(BaseModel):
    """Base of the text fields of a multipart/form-data body (`@operation(form=...)`): values
    arrive as text, so "5" is read as 5; an unknown field is a 422."""

    model_config = ConfigDict(extra="forbid")


class QueryModel(BaseModel):
    """Base of query-string models (unknown parameters are ignored, as on the pages)."""


class ResponseModel(BaseModel):
    """Base of responses; may be built from ORM rows."""

    model_config = ConfigDict(from_attributes=True)


class ErrorInfo(BaseModel):
    code: str = Field(description="Machine-readable, stable: branch on this.",
                      examples=["stale_version"])
    message: str = Field(description="For people, in the caller's language.")
    details: Any = Field(None, description="Optional: per-field problems, the guard …")


class ErrorBody(BaseModel):
    """Every error under /api/v1 has this shape, whatever its status."""

    error: ErrorInfo
