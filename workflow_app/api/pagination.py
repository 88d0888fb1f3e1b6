"""Keyset pagination: an opaque `cursor` and a `limit`, answered with `next_cursor`.

A cursor encodes the sort key of the last row already returned (for the id-ordered lists:
that id), so the next page is `WHERE id < key` (or `>`) `ORDER BY id LIMIT n + 1`: the same
cost on page 1 and page 40 000 (an index range scan), and stable while rows are inserted —
a new row falls before the first page, never between two pages. Cursors are opaque base64
so that the key can change later without breaking clients; a cursor that does not decode is
a 400 `invalid_cursor`, and so is one whose key no id can have (above PostgreSQL's
integer: it would fail in the query). Tampering with one only moves the start: scoping
still applies.
"""

from __future__ import annotations

import base64
import binascii

from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workflow_app.api.errors import ApiError
from workflow_app.api.schemas.common import QueryInt
from workflow_app.url_ids import MAX_ID

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_VERSION = "v1:"


class PageQuery(BaseModel):
    """Query parameters every paginated list accepts (subclass it to add filters)."""

    cursor: str | None = Field(
        None, max_length=200, pattern="^[A-Za-z0-9_-]*$",
        description="Opaque; the `next_cursor` of the previous page. Omit for the first page.")
    limit: QueryInt = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(f"{_VERSION}{key}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, max_key: int = MAX_ID) -> int | None:
    """The key inside `cursor` (None for no cursor); ApiError 400 when it is not ours or
    its key is above `max_key` (an id, unless the list sorts by a composite key)."""
    if cursor is None or cursor == "":
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text[len(_VERSION):] if text.startswith(_VERSION) else ""
    if not (number.isascii() and number.isdigit()) or len(number) > len(str(max_key)) \
            or int(number) > max_key:
        raise ApiError(400, "invalid_cursor", _(
            "The cursor is not valid; use the next_cursor of the previous page."))
    return int(number)


def keyset_page(session: Session, query: Select, key: InstrumentedAttribute, page: PageQuery,
                *, descending: bool = False) -> tuple[list, str | None]:
    """One page of `query` ordered by the unique column `key`; returns (rows, next_cursor)."""
    after = decode_cursor(page.cursor)
    if after is not None:
        query = query.where(key < after if descending else key > after)
    query = query.order_by(key.desc() if descending else key.asc()).limit(page.limit + 1)
    rows = list(session.scalars(query))
    more = len(rows) > page.limit
    rows = rows[:page.limit]
    next_cursor = encode_cursor(getattr(rows[-1], key.key)) if more and rows else None
    return rows, next_cursor
