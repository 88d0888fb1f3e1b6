"""Keyset pages over lists scoped in Python (by the pages' own predicates), for the areas
whose read rule is not an SQL condition (issued documents, revocations, ready dossiers).

- `list_page`: a list a service already returned whole (bounded by the service), paged by
  a unique integer key;
- `scan_page`: an SQL statement read in key order, chunk by chunk, keeping the rows a
  predicate accepts, until the page is full: each page costs a range scan from the cursor,
  however deep it is; rows the caller may not read are skipped, never shown.
Both answer `(rows, next_cursor)` like `pagination.keyset_page`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workflow_app.api.pagination import PageQuery, decode_cursor, encode_cursor

Row = TypeVar("Row")
CHUNK = 200


def list_page(rows: Iterable[Row], page: PageQuery, *, key: Callable[[Row], int],
              descending: bool = False) -> tuple[list[Row], str | None]:
    after = decode_cursor(page.cursor)
    ordered = sorted(rows, key=key, reverse=descending)
    if after is not None:
        ordered = [r for r in ordered if (key(r) < after if descending else key(r) > after)]
    chosen = ordered[:page.limit]
    more = len(ordered) > page.limit
    return chosen, encode_cursor(key(chosen[-1])) if more and chosen else None


def scan_page(session: Session, statement: Select, key: InstrumentedAttribute, page: PageQuery,
              keep: Callable[[Row], bool], *, descending: bool = True
              ) -> tuple[list[Row], str | None]:
    after = decode_cursor(page.cursor)
    found: list[Row] = []
    while len(found) <= page.limit:
        chunk_query = statement
        if after is not None:
            chunk_query = chunk_query.where(key < after if descending else key > after)
        chunk_query = chunk_query.order_by(key.desc() if descending else key.asc()).limit(CHUNK)
        chunk = list(session.scalars(chunk_query))
        found += [row for row in chunk if keep(row)]
        if len(chunk) < CHUNK:
            break
        after = getattr(chunk[-1], key.key)
    rows = found[:page.limit]
    more = len(found) > page.limit
    return rows, encode_cursor(getattr(rows[-1], key.key)) if more and rows else None
