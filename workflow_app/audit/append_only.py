"""Are the append-only triggers of migration 0002 still in place, and do they fire?

The hash chain shows tampering after the fact; the triggers stop it happening through the
database. Someone with owner rights can drop or disable them, so `verify` looks:

- SQLite (sqlite_master): for UPDATE and DELETE, a trigger `BEFORE <verb> ON audit_event`
  without a column list or WHEN clause whose first statement is `SELECT RAISE(ABORT …)`.
- PostgreSQL (pg_trigger, pg_proc): for UPDATE, DELETE and TRUNCATE, a BEFORE trigger on
  audit_event without a column list or WHEN clause, whose function starts by raising, and
  which fires for this session: enabled ALWAYS, or enabled (ORIGIN) while
  session_replication_role is not 'replica' (DISABLE TRIGGER and ENABLE REPLICA TRIGGER
  both switch it off for ordinary sessions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

TABLE = "audit_event"
SQLITE_VERBS = ("UPDATE", "DELETE")
POSTGRESQL_VERBS = ("UPDATE", "DELETE", "TRUNCATE")

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h)
_BEFORE, _INSTEAD = 1 << 1, 1 << 6
_VERB_BITS = {"DELETE": 1 << 3, "UPDATE": 1 << 4, "TRUNCATE": 1 << 5}
_RAISES_FIRST = re.compile(r"^\s*BEGIN\s+RAISE\s+EXCEPTION\b", re.IGNORECASE)


def _sqlite_refuses(verb: str, sql: str) -> bool:
    pattern = (r"^\s*CREATE\s+TRIGGER\s+(IF\s+NOT\s+EXISTS\s+)?\S+\s+BEFORE\s+" + verb
               + r"\s+ON\s+[\"`\[]?" + TABLE + r"[\"`\]]?\s+(FOR\s+EACH\s+ROW\s+)?"
               r"BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\b")
    return re.match(pattern, sql or "", re.IGNORECASE) is not None


@dataclass(frozen=True)
class AppendOnlyCheck:
    guarded: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _missing(verb: str) -> str:
    return f"nothing refuses {verb} on {TABLE} (trigger missing)"


def _check_sqlite(conn: Connection) -> AppendOnlyCheck:
    rows = conn.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND lower(tbl_name) = :table"), {"table": TABLE}).all()
    guarded, problems = [], []
    for verb in SQLITE_VERBS:
        if any(_sqlite_refuses(verb, sql) for _, sql in rows):
            guarded.append(verb)
        else:
            problems.append(_missing(verb))
    return AppendOnlyCheck(tuple(guarded), tuple(problems))


def _why_not(row, verb: str, role: str) -> str | None:
    """None when this trigger refuses `verb` in this session; else why it does not."""
    if row.tgtype & _INSTEAD or not row.tgtype & _BEFORE or row.columns or row.conditional:
        return "does not refuse it unconditionally (not BEFORE, a column list or a WHEN)"
    if not _RAISES_FIRST.match(row.prosrc or ""):
        return f"does not raise (its function {row.proname}() was changed)"
    if row.tgenabled == "A":
        return None
    if row.tgenabled == "D":
        return "is disabled"
    if row.tgenabled == "R":
        return "fires only in replica sessions (ENABLE REPLICA TRIGGER)"
    if role == "replica":
        return "does not fire: session_replication_role is 'replica'"
    return None


def _check_postgresql(conn: Connection) -> AppendOnlyCheck:
    role = conn.execute(text("SELECT current_setting('session_replication_role')")).scalar()
    rows = conn.execute(text(
        "SELECT t.tgname, t.tgtype, t.tgenabled, t.tgqual IS NOT NULL AS conditional, "
        "cardinality(t.tgattr::int2[]) AS columns, p.proname, p.prosrc "
        "FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = to_regclass(:table) AND NOT t.tgisinternal ORDER BY t.tgname"),
        {"table": TABLE}).all()
    guarded, problems = [], []
    for verb in POSTGRESQL_VERBS:
        candidates = [row for row in rows if row.tgtype & _VERB_BITS[verb]]
        reasons = [(row.tgname, _why_not(row, verb, role)) for row in candidates]
        if any(reason is None for _, reason in reasons):
            guarded.append(verb)
        elif not reasons:
            problems.append(_missing(verb))
        else:
            problems.extend(f"{verb} on {TABLE} is not refused: trigger {name} {reason}"
                            for name, reason in reasons)
    return AppendOnlyCheck(tuple(guarded), tuple(problems))


def check_append_only(bind: Session | Connection) -> AppendOnlyCheck:
    """`bind`: a session (also a scoped one) or a connection."""
    conn = bind if isinstance(bind, Connection) else bind.connection()
    if conn.dialect.name == "sqlite":
        return _check_sqlite(conn)
    if conn.dialect.name == "postgresql":
        return _check_postgresql(conn)
    return AppendOnlyCheck((), (f"cannot check triggers on {conn.dialect.name}",))


def append_only_problems(bind: Session | Connection) -> list[str]:
    return list(check_append_only(bind).problems)
