"""Document numbers per Nghị định 30/2020 (LEGAL_FACTS §6).

A series per issuing body, document type and year, restarting at 1 on 1 January — the year
of the document's own date (Vietnam calendar: the date printed on it; minutes: the Vietnam
date of the sign-off); printed zero-padded below 10 ("01" … "09", "10" …); the symbol joins
the type and the issuer's abbreviation with "-" and follows the number after "/":
`2307/QĐ-BTP`. The printed reference carries no year, so it repeats every year: a document
is identified by (issuer, type, year, number), never by its reference alone (revision 0007
dropped the UNIQUE on `reference`).

No duplicates and no gaps, even under concurrent issuance: the number comes from the
series' counter row, incremented by one `UPDATE … RETURNING` in the issuing transaction.
The UPDATE locks the row until that transaction ends (PostgreSQL: a second issuer waits,
then reads the committed value; SQLite: BEGIN IMMEDIATE already serialises writers), so a
number is handed out once. If the issuance rolls back, the counter update rolls back with
it: no number is burnt. The UNIQUE (issuer, type, year, number) constraint on the document
tables is the backstop (award and revoking decisions share the QĐ series across two tables:
there the counter alone keeps them apart). Should the backstop ever refuse a row, the
request answers 409 (`workflow_app/errors.py`), never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from workflow_app.attachments.names import ascii_name
from workflow_app.audit.chain import record
from workflow_app.models.decision import DocumentSeries
from workflow_app.models.org import OrgUnit

DECISION = "QĐ"  # Quyết định
SUBMISSION = "TTr"  # Tờ trình
# Biên bản: council minutes, in the council unit's series (council/service/minutes_sign.py).
MINUTES = "BB"
DOC_TYPES = (DECISION, SUBMISSION, MINUTES)


class NumberingError(ValueError):
    """A number cannot be allocated (e.g. the issuer has no symbol); `message` is for users."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class DocumentNumber:
    issuer_unit_id: int
    doc_type: str
    year: int
    number: int
    symbol: str  # "QĐ-BTP"

    @property
    def reference(self) -> str:
        return format_reference(self.number, self.symbol)


def format_number(number: int) -> str:
    """Arabic digits, zero-padded below 10: 1 → "01", 10 → "10", 2307 → "2307"."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"


def symbol_for(doc_type: str, issuer: OrgUnit) -> str:
    """`<type>-<issuer symbol>`, no spaces (ND 30/2020): "QĐ-BTP"."""
    issuer_symbol = (issuer.symbol or "").strip()
    if not issuer_symbol:
        raise NumberingError(_l("The issuing unit %(unit)s has no symbol (ký hiệu); an "
                                "administrator must set it first.", unit=issuer.name))
    return f"{doc_type}-{issuer_symbol}".replace(" ", "")


def format_reference(number: int, symbol: str) -> str:
    return f"{format_number(number)}/{symbol}"


def _ensure_series(session: Session, issuer_id: int, doc_type: str, year: int) -> None:
    """Create the year's counter row if missing; a concurrent creator is not an error."""
    values = {"issuer_unit_id": issuer_id, "doc_type": doc_type, "year": year, "last_number": 0}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(DocumentSeries).values(**values).on_conflict_do_nothing(
        index_elements=["issuer_unit_id", "doc_type", "year"]))


def allocate(session: Session, issuer: OrgUnit, doc_type: str, on: date) -> DocumentNumber:
    """Take the next number of `issuer`'s `doc_type` series for the year of `on`.

    Runs in the caller's transaction and holds the counter row's lock until it ends; the
    caller must store the document in the same transaction (or roll back, freeing the
    number). Raises NumberingError when the issuer has no symbol.
    """
    if doc_type not in DOC_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    symbol = symbol_for(doc_type, issuer)
    session.flush()
    _ensure_series(session, issuer.id, doc_type, on.year)
    number = session.execute(
        update(DocumentSeries)
        .where(DocumentSeries.issuer_unit_id == issuer.id, DocumentSeries.doc_type == doc_type,
               DocumentSeries.year == on.year)
        .values(last_number=DocumentSeries.last_number + 1)
        .returning(DocumentSeries.last_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return DocumentNumber(issuer.id, doc_type, on.year, number, symbol)


def file_stem(document) -> str:
    """"2307/QĐ-BTP" issued in 2017 → "QD-2307-BTP-2017" (names of downloaded files)."""
    symbol = document.reference.split("/", 1)[-1]
    issuer_part = symbol.removeprefix(f"{document.doc_type}-")
    return (f"{ascii_name(document.doc_type)}-{format_number(document.number)}-"
            f"{ascii_name(issuer_part)}-{document.year}")


def continue_series(session: Session, issuer: OrgUnit, doc_type: str, year: int,
                    last_number: int, reason: str, actor_label: str) -> DocumentSeries:
    """Make `issuer`'s `doc_type` series of `year` continue after `last_number`: for a body
    that numbered its documents on paper before this system (its next document gets
    last_number + 1). A series never goes back: a number at or below the last one handed
    out raises NumberingError. Audited (`numbering.series_continued`) with the reason."""
    if doc_type not in DOC_TYPES:
        raise NumberingError(_l("Unknown document type %(type)s.", type=doc_type))
    if not reason.strip():
        raise NumberingError(_l("Give the reason (e.g. the last number issued on paper)."))
    symbol_for(doc_type, issuer)  # the issuer needs a symbol, as for any number
    _ensure_series(session, issuer.id, doc_type, year)
    series = session.scalars(select(DocumentSeries).where(
        DocumentSeries.issuer_unit_id == issuer.id, DocumentSeries.doc_type == doc_type,
        DocumentSeries.year == year).with_for_update()).one()
    if last_number <= series.last_number:
        raise NumberingError(_l(
            "The %(type)s series of %(year)d has already reached %(last)d; it cannot go back "
            "to %(wanted)d.", type=doc_type, year=year, last=series.last_number,
            wanted=last_number))
    before = series.last_number
    series.last_number = last_number
    record(session, "numbering.series_continued", "org_unit", issuer.id,
           actor_label=actor_label,
           data={"doc_type": doc_type, "year": year, "last_number": [before, last_number],
                 "reason": reason.strip()})
    session.flush()
    return series
