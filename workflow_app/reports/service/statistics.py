"""Statistics over the award registry (issue 14, item 1): counts by unit, award, level of the
deciding authority, individual or collective, leader or front-line worker; shares and
year-on-year change; the records behind any figure.

One SQL `GROUP BY` (award, recipient unit, individual/collective, leader, year) does the
counting; every table is a roll-up of those groups, whose number is bounded by units ×
awards × years — never by the number of records. Revoked records do not count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, false, func, literal, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.dossiers.service.access import READ_EVERYTHING_ROLES, READER_ROLES
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.org_history import PersonTransfer
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User
from workflow_app.org.service.scope import scope_paths, sees_all_persons
from workflow_app.reports.service.filters import (
    ATTRIBUTE_LABELS,
    LEVEL_LABELS,
    SUBJECT_LABELS,
    FilterError,
    StatsQuery,
)

RecipientUnit = aliased(OrgUnit, name="recipient_unit")
PAGE_SIZE = 100


@dataclass
class StatRow:
    key: str
    label: str
    counts: dict[int, int] = field(default_factory=dict)
    previous: int = 0  # the year before the range, for the first year's change
    total: int = 0
    share: float = 0.0  # of the grand total, 0..1

    def count(self, year: int) -> int:
        return self.counts.get(year, 0)

    def change(self, year: int, first_year: int) -> int:
        before = self.previous if year == first_year else self.count(year - 1)
        return self.count(year) - before

    def change_pct(self, year: int, first_year: int) -> float | None:
        before = self.previous if year == first_year else self.count(year - 1)
        return None if before == 0 else (self.count(year) - before) / before


@dataclass
class Statistics:
    query: StatsQuery
    years: list[int]
    rows: list[StatRow]
    totals: StatRow

    @property
    def last_year(self) -> int:
        return self.years[-1]


def award_levels(session: Session) -> dict[str, str]:
    """Award code → conferring level of its newest catalogue version."""
    levels: dict[str, str] = {}
    rows = session.execute(select(Award.code, AwardVersion.conferring_level)
                           .join(AwardVersion.award).order_by(AwardVersion.effective_from))
    for code, level in rows:
        levels[code] = level
    return levels


@dataclass(frozen=True)
class _Source:
    """What a statistic counts: its table and the columns the counting reads."""

    table: type
    code: object
    unit_id: object
    person_id: object
    year: object
    id: object


# Where a person's award was earned (issue 19): the unit they belonged to at the end of the
# award's year — the unit they left by the first transfer of a later year — else today's.
EARNED_IN = (select(PersonTransfer.from_unit_id)
             .where(PersonTransfer.person_id == AwardRecord.person_id,
                    func.extract("year", PersonTransfer.effective_date) > AwardRecord.year)
             .order_by(PersonTransfer.effective_date, PersonTransfer.id)
             .limit(1).correlate_except(PersonTransfer).scalar_subquery())
AWARDS = _Source(AwardRecord, AwardRecord.award_code,
                 func.coalesce(EARNED_IN, Person.unit_id, AwardRecord.unit_id),
                 AwardRecord.person_id, AwardRecord.year, AwardRecord.id)
# Nominations: by the submitting unit (the dossiers' scope), past the draft, not withdrawn.
DOSSIERS = _Source(Dossier, Award.code, Dossier.unit_id, Dossier.nominee_person_id,
                   Dossier.year, Dossier.id)
NOT_NOMINATED = ("draft", "withdrawn")


def source_of(query: StatsQuery) -> _Source:
    return DOSSIERS if query.source == "dossiers" else AWARDS


def base_select(session: Session, user: User, query: StatsQuery, *columns,
                unit_join: bool = True) -> Select:
    """SELECT `columns` FROM the active award records (or the nominations) the filters and
    `user`'s scope keep.

    The recipient's unit (`RecipientUnit`) is joined when asked for, or when the scope or a
    unit filter needs its path; otherwise the count runs on the registry and persons only."""
    src = source_of(query)
    if src is DOSSIERS:
        scope = dossier_scope_condition(user)
        stmt = (select(*columns).select_from(Dossier)
                .join(Award, Award.id == Dossier.award_id)
                .outerjoin(Person, Person.id == Dossier.nominee_person_id)
                .where(Dossier.state.not_in(NOT_NOMINATED),
                       Dossier.year.between(query.year_from - 1, query.year_to)))
    else:
        scope = scope_condition(user)
        stmt = (select(*columns).select_from(AwardRecord)
                .outerjoin(Person, Person.id == AwardRecord.person_id)
                .where(AwardRecord.revoked_at.is_(None),
                       AwardRecord.year.between(query.year_from - 1, query.year_to)))
    if unit_join or query.unit_id or scope is not _ALL:
        stmt = stmt.join_from(src.table, RecipientUnit, RecipientUnit.id == src.unit_id)
        if scope is not _ALL:
            stmt = stmt.where(scope)
    if query.unit_id:
        anchor = session.get(OrgUnit, query.unit_id)
        if anchor is None:
            raise FilterError(_l("Unknown unit."))
        stmt = stmt.where(RecipientUnit.path.startswith(anchor.path, autoescape=True)
                          if query.sub_units else RecipientUnit.id == anchor.id)
    if query.award:
        stmt = stmt.where(src.code == query.award)
    if query.level:
        codes = [c for c, level in award_levels(session).items() if level == query.level]
        stmt = stmt.where(src.code.in_(codes))
    if query.subject:
        stmt = stmt.where(src.person_id.is_(None) if query.subject == "collective"
                          else src.person_id.is_not(None))
    if query.attribute:
        stmt = stmt.where(Person.is_leader.is_(query.attribute == "leader"))
    if query.commendation_type:
        if src is AWARDS:
            stmt = stmt.join(Dossier, Dossier.id == AwardRecord.dossier_id)
        stmt = stmt.where(Dossier.commendation_type == query.commendation_type)
    return stmt


_ALL = true()


def scope_condition(user: User):
    """The persons' scope (`org.service.scope`), written against the recipient's unit."""
    if sees_all_persons(user):
        return _ALL
    paths = scope_paths(user)
    if not paths:
        return false()
    return or_(*(RecipientUnit.path.startswith(p, autoescape=True) for p in paths))


def dossier_scope_condition(user: User):
    """The dossiers' scope (`dossiers.service.access`), written against the submitting unit."""
    if not getattr(user, "is_active", False):
        return false()
    if user.has_role(*READ_EVERYTHING_ROLES):
        return _ALL
    paths = scope_paths(user, *READER_ROLES)
    if not paths:
        return false()
    return or_(*(RecipientUnit.path.startswith(p, autoescape=True) for p in paths))


def grouped_counts(session: Session, user: User, query: StatsQuery):
    """(award code, recipient unit id, is collective, is leader, year, count) groups; the two
    attributes are grouped on only when the rows are by them (else None)."""
    src = source_of(query)
    columns = [src.code, src.unit_id]
    if query.group_by in ("subject", "attribute"):
        columns += [case((src.person_id.is_(None), literal(1)), else_=literal(0)),
                    Person.is_leader]
    stmt = base_select(session, user, query, *columns, src.year, func.count(src.id),
                       unit_join=False)
    rows = session.execute(stmt.group_by(*columns, src.year)).all()
    if len(columns) == 4:
        return rows
    return [(code, unit, None, None, year, count) for code, unit, year, count in rows]


class _Keys:
    """How one aggregated group maps to a row of the table (its key and label)."""

    def __init__(self, session: Session, query: StatsQuery, locale: str) -> None:
        self.query = query
        grouping = query.group_by
        self.names = award_names(session, locale, today_local()) if grouping == "award" else {}
        self.levels = award_levels(session) if grouping == "level" else {}
        self.locale = locale
        self.session = session
        if grouping == "unit":
            self._prepare_units()

    def _prepare_units(self) -> None:
        units = list(self.session.scalars(select(OrgUnit)))
        self.units = {u.path: u for u in units}
        self.paths = {u.id: u.path for u in units}
        anchor = self.session.get(OrgUnit, self.query.unit_id) if self.query.unit_id else None
        roots = [u for u in units if u.parent_id is None]
        if anchor is None and len(roots) == 1:
            anchor = roots[0]  # one tree: its top units are the rows
        self.anchor = anchor

    def unit_key(self, path: str) -> tuple[str, str]:
        """The row of a recipient unit: the anchor's child holding it (key "<id>", the whole
        subtree), or the anchor itself (key "<id>.self", its own records only)."""
        anchor = self.anchor
        if anchor is not None and (path == anchor.path or not self.query.sub_units):
            return f"{anchor.id}.self", anchor.display_name(self.locale)
        parts = [p for p in path.split("/") if p]
        depth = anchor.depth + 1 if anchor is not None else 0
        rolled = "/" + "/".join(parts[: depth + 1]) + "/"
        unit = self.units.get(rolled) or self.units.get(path)
        if unit is None:
            return path, path
        return str(unit.id), unit.display_name(self.locale)

    def key(self, code: str, unit_id: int, collective: int,
            leader: bool | None) -> tuple[str, str]:
        grouping = self.query.group_by
        if grouping == "unit":
            return self.unit_key(self.paths[unit_id])
        if grouping == "award":
            return code, self.names.get(code, code)
        if grouping == "level":
            level = self.levels.get(code, "unknown")
            return level, str(LEVEL_LABELS.get(level, level))
        if grouping == "subject":
            subject = "collective" if collective else "individual"
            return subject, str(SUBJECT_LABELS[subject])
        attribute = "none" if collective else ("leader" if leader else "front_line")
        return attribute, str(ATTRIBUTE_LABELS[attribute])


def statistics(session: Session, user: User, query: StatsQuery, locale: str = "vi") -> Statistics:
    """The table for `query`: one row per group, counts per year, shares, changes."""
    query.check()
    years = list(range(query.year_from, query.year_to + 1))
    keys = _Keys(session, query, locale)
    rows: dict[str, StatRow] = {}
    totals = StatRow("total", "")
    for code, unit_id, collective, leader, year, count in grouped_counts(session, user, query):
        key, label = keys.key(code, unit_id, collective, leader)
        row = rows.setdefault(key, StatRow(key, label))
        for target in (row, totals):
            if year < query.year_from:
                target.previous += count
            else:
                target.counts[year] = target.counts.get(year, 0) + count
                target.total += count
    grand = totals.total
    for row in rows.values():
        row.share = row.total / grand if grand else 0.0
    totals.share = 1.0 if grand else 0.0
    ordered = sorted((r for r in rows.values() if r.total or r.previous),
                     key=lambda r: (-r.total, r.label))
    return Statistics(query, years, ordered, totals)


def _drill_condition(session: Session, query: StatsQuery, key: str):
    src = source_of(query)
    grouping = query.group_by
    if grouping == "unit":
        ident, _, own = key.partition(".")
        unit = session.get(OrgUnit, int(ident)) if ident.isdigit() else None
        if unit is None:
            raise FilterError(_l("Unknown unit."))
        if own == "self":
            return RecipientUnit.id == unit.id
        return RecipientUnit.path.startswith(unit.path, autoescape=True)
    if grouping == "award":
        return src.code == key
    if grouping == "level":
        levels = award_levels(session)
        if key == "unknown":
            return src.code.not_in(list(levels))
        return src.code.in_([c for c, v in levels.items() if v == key])
    if grouping == "subject":
        return src.person_id.is_(None) if key == "collective" else src.person_id.is_not(None)
    if key == "none":
        return src.person_id.is_(None)
    return and_(src.person_id.is_not(None), Person.is_leader.is_(key == "leader"))


@dataclass
class RecordPage:
    rows: list
    total: int
    page: int
    pages: int


def records_select(session: Session, user: User, query: StatsQuery, key: str = "",
                   year: int | None = None) -> Select:
    """The award records (or dossiers) behind a figure: the filters, the row `key`, the
    `year` (or the whole range). Rows: (record or dossier, person or None, unit)."""
    query.check()
    src = source_of(query)
    stmt = base_select(session, user, query, src.table, Person, RecipientUnit)
    if key:
        stmt = stmt.where(_drill_condition(session, query, key))
    if year is not None:
        stmt = stmt.where(src.year == year)
    else:
        stmt = stmt.where(src.year >= query.year_from)
    return stmt.order_by(src.year.desc(), RecipientUnit.name, Person.full_name, src.id)


def records(session: Session, user: User, query: StatsQuery, key: str = "",
            year: int | None = None, page: int = 1) -> RecordPage:
    stmt = records_select(session, user, query, key, year)
    if query.source == "dossiers":
        stmt = stmt.options(selectinload(Dossier.award), selectinload(Dossier.nominee_unit))
    total = count_records(session, user, query, key, year)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return RecordPage(rows, total, page, pages)


def iter_record_values(session: Session, user: User, query: StatsQuery, key: str = "",
                       year: int | None = None) -> Iterator:
    """Every record behind a figure as plain values (no ORM objects), streamed in batches:
    (year, award code, person's name or None, is leader, unit name, unit English name, then
    for awards: decision number, decision date, issuer, source; for nominations: dossier
    id, workflow, state, title)."""
    tail = ((AwardRecord.decision_number, AwardRecord.decision_date, AwardRecord.issuer,
             AwardRecord.source) if query.source != "dossiers" else
            (Dossier.id, Dossier.workflow, Dossier.state, Dossier.title))
    stmt = records_select(session, user, query, key, year).with_only_columns(
        source_of(query).year, source_of(query).code, Person.full_name, Person.is_leader,
        RecipientUnit.name, RecipientUnit.name_en, *tail, maintain_column_froms=True)
    yield from session.execute(stmt.execution_options(yield_per=2000))


def unit_choices(session: Session, locale: str) -> list[tuple[int, str]]:
    """Active units, and units closed by a reorganisation (issue 19): their history is
    still counted, under their successor and on their own, marked with their last day."""
    units = session.scalars(select(OrgUnit).where(
        OrgUnit.is_active.is_(True) | OrgUnit.valid_to.is_not(None))
        .order_by(OrgUnit.path)).all()
    ordered = sorted(units, key=lambda u: [int(p) for p in u.path.strip("/").split("/")])
    return [(u.id, "\u2003" * u.depth + _unit_label(u, locale)) for u in ordered]


def _unit_label(unit: OrgUnit, locale: str) -> str:
    if unit.valid_to is None:
        return unit.display_name(locale)
    return _("%(unit)s (ceased on %(day)s)", unit=unit.display_name(locale),
             day=format_date(unit.valid_to, "dd/MM/yyyy"))


def count_records(session: Session, user: User, query: StatsQuery, key: str = "",
                  year: int | None = None) -> int:
    stmt = records_select(session, user, query, key, year)
    return session.scalar(select(func.count()).select_from(
        stmt.with_only_columns(source_of(query).id).order_by(None).subquery()))


def records_after(session: Session, user: User, query: StatsQuery, key: str, year: int | None,
                  after_id: int | None, limit: int) -> tuple[list, bool]:
    """A keyset page by record id (the API): rows after `after_id`, and whether more follow."""
    src = source_of(query)
    stmt = records_select(session, user, query, key, year).order_by(None)
    if after_id is not None:
        stmt = stmt.where(src.id > after_id)
    if src is DOSSIERS:
        stmt = stmt.options(selectinload(Dossier.award))
    rows = session.execute(stmt.order_by(src.id).limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit
