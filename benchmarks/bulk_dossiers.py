"""Bulk data for the list benchmarks, in a database the caller migrated: the real catalogue
and demo org, reviewers with read tokens, and N dossiers inserted straight into the table.

The dossiers go in with one INSERT … SELECT per chunk (a recursive CTE on SQLite,
generate_series on PostgreSQL), cycling through a small table of realistic (unit, nominee,
award, workflow, state) rows: not through the services or the workflow engine, so they have
no audit events and no history. Benchmarks built on it measure reads, never writes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import bindparam, func, select, text

from workflow_app.accounts.service import users as user_service
from workflow_app.api.tokens import create_token
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.demo.loader import load_demo
from workflow_app.dossiers.service.fields import fold
from workflow_app.extensions import db
from workflow_app.models.base import UTCDateTime
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.dossier import COMMENDATION_TYPES
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service import units as unit_service
from workflow_app.workflow import get_registry

CHUNK = 100_000
COMBOS = 997  # distinct (unit, nominee, award, state) rows the bulk insert cycles through
COLUMNS = ("workflow, state, version, unit_id, nominee_person_id, award_id, commendation_type, "
           "year, title, summary, report_sections, movement_reference, search_text, "
           "created_at, state_entered_at, step_days_carried, open_objection_count")


def seed(app: Flask) -> list[dict]:
    """Catalogue, demo org, and three reviewers with a read token each, all through the
    audited services: over the root unit (sees everything), over one leaf unit (a narrow
    scope), and over a unit added today (no dossier yet). Committed once."""
    config = app.extensions["workflow_config"]
    with app.app_context():
        session = db.session
        load_catalogue(session)
        load_demo(session, totp_required_roles=config.totp_required_roles)
        root = session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
        parents = select(OrgUnit.parent_id).where(OrgUnit.parent_id.is_not(None))
        leaf_id = session.scalars(select(Person.unit_id).where(Person.unit_id.not_in(parents))
                                  .group_by(Person.unit_id)
                                  .order_by(func.count(), Person.unit_id)).first()
        new = unit_service.create_unit(session, code="BENCH-NEW", name="Phòng mới thành lập",
                                       kind="division", parent=root)
        scopes = []
        for name, unit in (("root", root), ("leaf", session.get(OrgUnit, leaf_id)),
                           ("new", new)):
            user = user_service.create_user(session, f"bench-{name}", "bench-password-1")
            user_service.grant_role(session, user, "reviewer", unit, actor=None)
            token = create_token(session, user, "bench", "read", 30)[1]
            scopes.append({"name": name, "code": unit.code, "unit_id": unit.id,
                           "path": unit.path, "token": token})
        session.commit()
        return scopes


def make_combos(engine) -> None:
    """A small table of realistic (unit, nominee, award, workflow, state) rows to cycle."""
    registry = get_registry()
    with engine.begin() as conn:
        persons = conn.execute(select(Person.id, Person.unit_id, Person.full_name)
                               .order_by(Person.id)).all()
        awards = conn.execute(select(AwardVersion.award_id, func.min(AwardVersion.workflow))
                              .where(AwardVersion.subject.in_(("individual", "both")))
                              .group_by(AwardVersion.award_id).order_by(AwardVersion.award_id)
                              ).all()
        conn.execute(text("CREATE TABLE bench_combo (k INTEGER PRIMARY KEY, unit_id INTEGER, "
                          "person_id INTEGER, award_id INTEGER, workflow VARCHAR(20), "
                          "state VARCHAR(40), commendation_type VARCHAR(20), "
                          "search_text VARCHAR(600))"))
        rows = []
        for k in range(COMBOS):
            person = persons[k % len(persons)]
            award_id, workflow = awards[k % len(awards)]
            states = list(registry.get(workflow).states)
            rows.append({"k": k, "unit_id": person.unit_id, "person_id": person.id,
                         "award_id": award_id, "workflow": workflow,
                         "state": states[k % len(states)],
                         "commendation_type": COMMENDATION_TYPES[k % len(COMMENDATION_TYPES)],
                         "search_text": fold(person.full_name)})
        conn.execute(text("INSERT INTO bench_combo VALUES (:k, :unit_id, :person_id, "
                          ":award_id, :workflow, :state, :commendation_type, :search_text)"),
                     rows)


def insert_dossiers(engine, start: int, stop: int) -> None:
    """Rows start..stop-1 of the synthetic sequence, one INSERT … SELECT, one transaction."""
    postgres = engine.dialect.name == "postgresql"
    select_rows = (
        f"SELECT c.workflow, c.state, 1, c.unit_id, c.person_id, c.award_id, "
        f"c.commendation_type, 2015 + seq.i % 10, "
        f"'Đề nghị khen thưởng số ' || CAST(seq.i AS VARCHAR(12)), '', "
        f"{'CAST(' if postgres else ''}'[]'{' AS JSON)' if postgres else ''}, '', "
        f"c.search_text, :now, :now, 0, 0 FROM {{numbers}} "
        f"JOIN bench_combo c ON c.k = seq.i % {COMBOS}")
    if postgres:
        sql = (f"INSERT INTO dossier ({COLUMNS}) "
               + select_rows.format(numbers="generate_series(:start, :stop - 1) AS seq(i)"))
    else:
        sql = ("WITH RECURSIVE seq(i) AS (SELECT :start UNION ALL SELECT i + 1 FROM seq "
               f"WHERE i + 1 < :stop) INSERT INTO dossier ({COLUMNS}) "
               + select_rows.format(numbers="seq"))
    statement = text(sql).bindparams(bindparam("now", type_=UTCDateTime()))
    with engine.begin() as conn:
        conn.execute(statement, {"start": start, "stop": stop, "now": datetime.now(UTC)})


def bulk_load(engine, n: int) -> None:
    make_combos(engine)
    start = time.perf_counter()
    for chunk_start in range(0, n, CHUNK):
        insert_dossiers(engine, chunk_start, min(n, chunk_start + CHUNK))
        print(f"  … {min(n, chunk_start + CHUNK):>9} dossiers", flush=True)
    elapsed = time.perf_counter() - start
    print(f"bulk insert: {n} dossiers in {elapsed:.1f} s = {n / elapsed:,.0f} /s "
          "(INSERT … SELECT, no engine, no audit: this benchmark measures reads)")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")  # what autovacuum does soon after a bulk load
        print("ANALYZE run (PostgreSQL; autovacuum would do it after such a load)")
    else:
        with engine.connect().execution_options(sqlite_begin="AUTOCOMMIT") as conn:
            # so that no request pays for checkpointing the load's write-ahead log
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print("no ANALYZE (SQLite: the app never runs one; the planner has no statistics)")


def drop_combos(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_combo"))
