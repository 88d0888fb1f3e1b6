"""The auditor's log and exceptions over many audit events, against bare SQL in the same run.

Usage: .venv/bin/python benchmarks/audit_log.py [--events N] [--dossiers D] [--samples S]
                                                [--database-url URL]
Default: a fresh temporary SQLite database, 1,000,000 events over 20,000 dossiers. For
PostgreSQL pass an empty database's URL (the script migrates it; drop it afterwards).

The data: the real catalogue and demo org and D dossiers (`bulk_dossiers.py`), then N audit
events inserted straight into `audit_event` with one INSERT … SELECT per chunk (not through
`record`, so their hashes are placeholders: this measures reads, never the chain): actions
cycle through every labelled action, actors through 200 ids, subjects mostly dossiers,
times a few minutes apart over the last years, in seq order as `record` writes them.

Measured, per filter of the log page (actor, unit, action, period, and all four together),
median and p95 over S requests of the first page and of a page half-way down (a cursor):
- the operation `GET /api/v1/audit/events` through the real app (token, login gate, rate
  limiter on) — the page's query (`auditor.service.queries.page`) and JSON;
- floor "sql": the bare indexed query it stands for (`SELECT … FROM audit_event WHERE
  <filter> [AND seq < :k] ORDER BY seq DESC LIMIT 51`; a period also bounds `seq` by the
  first and last events of the period, found through the `occurred_at` index, as the page
  does), one pooled connection each;
then the exceptions report `GET /api/v1/audit/exceptions` for a year (events of every kind,
counts by month, steps past their limit) against its bare SQL (the page query and the
month counts). Server time = the test client's request time. No asserts on time.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bulk_dossiers import bulk_load, drop_combos, seed  # noqa: E402

from workflow_app import create_app  # noqa: E402
from workflow_app.accounts.service import users as user_service  # noqa: E402
from workflow_app.api.pagination import encode_cursor  # noqa: E402
from workflow_app.api.tokens import create_token  # noqa: E402
from workflow_app.auditor.service import exceptions, labels  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import make_engine  # noqa: E402
from workflow_app.extensions import db  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402
from workflow_app.models.base import UTCDateTime  # noqa: E402
from workflow_app.models.org import OrgUnit  # noqa: E402

CHUNK = 100_000
ACTORS = 200
STEP_SECONDS = 90  # one event every 90 s: 1,000,000 events ≈ 2.9 years


def stats_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000)


def insert_events(engine, start: int, stop: int, first_seq: int, dossiers: int,
                  began: datetime) -> None:
    postgres = engine.dialect.name == "postgresql"
    actions = sorted(code for code, _label in labels.action_choices("en"))
    with engine.begin() as conn:
        if start == 0:
            conn.execute(text("CREATE TABLE bench_action (k INTEGER PRIMARY KEY, "
                              "action VARCHAR(60))"))
            conn.execute(text("INSERT INTO bench_action VALUES (:k, :a)"),
                         [{"k": k, "a": a} for k, a in enumerate(actions)])
        n_actions = len(actions)
        seq = f"(seq.i + {first_seq})"
        if postgres:
            when = f"CAST(:began AS TIMESTAMPTZ) + seq.i * INTERVAL '{STEP_SECONDS} seconds'"
            digest = f"lpad(CAST({seq} AS TEXT), 64, '0')"
            prev = f"lpad(CAST({seq} - 1 AS TEXT), 64, '0')"
            data = "CAST('{}' AS JSON)"
            numbers = "generate_series(:start, :stop - 1) AS seq(i)"
            prefix = ""
        else:
            when = (f"strftime('%Y-%m-%d %H:%M:%f', :began, '+' || (seq.i * {STEP_SECONDS}) "
                    f"|| ' seconds')")
            digest = f"printf('%064d', {seq})"
            prev = f"printf('%064d', {seq} - 1)"
            data = "'{}'"
            numbers = "seq"
            prefix = ("WITH RECURSIVE seq(i) AS (SELECT :start UNION ALL SELECT i + 1 FROM seq "
                      "WHERE i + 1 < :stop) ")
        subject = f"CAST(seq.i % {dossiers} + 1 AS VARCHAR(64))"
        sql = (f"{prefix}INSERT INTO audit_event (seq, occurred_at, actor_id, actor_label, "
               f"action, subject_type, subject_id, from_state, to_state, data, prev_hash, "
               f"hash) SELECT {seq}, {when}, 100000 + seq.i % {ACTORS}, "
               f"'bench-' || CAST(seq.i % {ACTORS} AS VARCHAR(8)), a.action, "
               f"CASE WHEN seq.i % 10 = 9 THEN 'user' ELSE 'dossier' END, {subject}, "
               f"NULL, NULL, {data}, {prev}, {digest} FROM {numbers} "
               f"JOIN bench_action a ON a.k = seq.i % {n_actions}")
        statement = text(sql)
        if postgres:
            statement = statement.bindparams(bindparam("began", type_=UTCDateTime()))
        conn.execute(statement, {"start": start, "stop": stop,
                                 "began": began if postgres else began.strftime(
                                     "%Y-%m-%d %H:%M:%S")})


def load_events(engine, n: int, dossiers: int) -> datetime:
    with engine.connect() as conn:
        first = (conn.scalar(text("SELECT max(seq) FROM audit_event")) or 0) + 1
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=n * STEP_SECONDS) \
        - timedelta(days=1)
    start_time = time.perf_counter()
    for chunk in range(0, n, CHUNK):
        insert_events(engine, chunk, min(n, chunk + CHUNK), first, dossiers, began)
        print(f"  … {min(n, chunk + CHUNK):>9} events", flush=True)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_action"))
    print(f"bulk insert: {n} events in {time.perf_counter() - start_time:.1f} s "
          "(INSERT … SELECT, placeholder hashes: this benchmark measures reads)")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    return began


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def measure(label: str, api_call, sql_call, samples: int) -> None:
    api, sql = [], []
    api_call(), sql_call()  # warm
    for _ in range(samples):  # interleaved, so that a busy machine's drift hits both
        api.append(timed(api_call))
        sql.append(timed(sql_call))
    (am, ap), (sm, sp) = stats_ms(api), stats_ms(sql)
    print(f"{label:<44} api {am:7.2f} / p95 {ap:7.2f} ms   sql {sm:6.2f} / p95 {sp:6.2f} ms"
          f"   ratio {am / sm:5.1f}×")


def show_plan(engine, app, query: dict, before: int) -> None:
    """The plan of the page's own query (as the app compiles it) at that cursor."""
    from sqlalchemy.orm import Session

    from workflow_app.auditor.service.queries import filtered, period_bounds
    from workflow_app.models.audit import AuditEvent

    filters = {k: (datetime.fromisoformat(v).date() if k.startswith("date_") else v)
               for k, v in query.items()}
    with Session(engine) as session:
        bounds = period_bounds(session, filters)
    statement = filtered(filters).where(*bounds, AuditEvent.seq < before).order_by(
        AuditEvent.seq.desc()).limit(51)
    compiled = statement.compile(dialect=engine.dialect)
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + str(compiled),
                                    tuple(compiled.params[k] for k in compiled.positiontup)
                                    if compiled.positiontup else compiled.params).all()
    print("    plan:", " | ".join(str(r[-1]) for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tmp.name) / "instance", cookie_secure=False,
                            api_rate_limit="1000000 per minute"))
    scopes = seed(app)
    bulk_load(engine, args.dossiers)
    drop_combos(engine)
    with app.app_context():
        root = db.session.get(OrgUnit, scopes[0]["unit_id"])
        user = user_service.create_user(db.session, "bench-auditor", "bench-password-1")
        user_service.grant_role(db.session, user, "auditor", root, actor=None)
        token = create_token(db.session, user, "bench", "read", 30)[1]
        db.session.commit()
    began = load_events(engine, args.events, args.dossiers)
    with engine.connect() as conn:
        leaf = conn.execute(text("SELECT code, path FROM org_unit WHERE id = :i"),
                            {"i": scopes[1]["unit_id"]}).one()
        total = conn.scalar(text("SELECT count(*) FROM audit_event"))
        half = conn.scalar(text("SELECT max(seq) FROM audit_event")) // 2
    print(f"\ndatabase: {engine.dialect.name}, events: {total}, dossiers: {args.dossiers}, "
          f"page: 50, samples: {args.samples}")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    span = timedelta(seconds=args.events * STEP_SECONDS)
    year_start = (began + span / 4).date()  # a year, or half the data when it spans less
    year_end = year_start + min(timedelta(days=364), span / 2)
    unit_dossiers = ("SELECT CAST(dossier.id AS VARCHAR(64)) FROM dossier JOIN org_unit ON "
                     "org_unit.id = dossier.unit_id WHERE org_unit.path LIKE :path")
    unit_units = "SELECT CAST(id AS VARCHAR(64)) FROM org_unit WHERE path LIKE :path"
    filters = {
        "actor": ({"actor_id": 100000 + 17}, "actor_id = :actor", {"actor": 100017}),
        "unit (leaf, with its dossiers)": (
            {"unit": leaf.code},
            f"((subject_type = 'unit' AND subject_id IN ({unit_units})) OR (subject_type = "
            f"'dossier' AND subject_id IN ({unit_dossiers})))", {"path": leaf.path + "%"}),
        "action": ({"action": "eligibility.overridden"}, "action = :action",
                   {"action": "eligibility.overridden"}),
        "period (one year)": ({"date_from": year_start.isoformat(),
                               "date_to": year_end.isoformat()},
                              "occurred_at >= :start AND occurred_at < :end AND seq <= "
                              "(SELECT seq FROM audit_event WHERE occurred_at < :end ORDER BY "
                              "occurred_at DESC LIMIT 1) AND seq >= (SELECT seq FROM "
                              "audit_event WHERE occurred_at >= :start ORDER BY occurred_at "
                              "LIMIT 1)",
                              {"start": datetime.combine(year_start, datetime.min.time(), UTC),
                               "end": datetime.combine(year_end + timedelta(days=1),
                                                       datetime.min.time(), UTC)}),
    }
    filters["all four"] = (
        {k: v for f in filters.values() for k, v in f[0].items()},
        " AND ".join(f[1] for f in filters.values()),
        {k: v for f in filters.values() for k, v in f[2].items()})
    for name, (query, where, params) in filters.items():
        for depth, before in (("first page", None), ("half-way", half)):
            qs = {**query, "limit": 50, **({"cursor": encode_cursor(before)} if before else {})}
            sql = text(f"SELECT * FROM audit_event WHERE {where}"
                       f"{' AND seq < :before' if before else ''} ORDER BY seq DESC LIMIT 51")
            sql = sql.bindparams(*[bindparam(k, type_=UTCDateTime()) for k in ("start", "end")
                                   if k in params])

            def api_call(qs=qs):
                response = client.get("/api/v1/audit/events", query_string=qs, headers=headers)
                assert response.status_code == 200, response.get_data(as_text=True)[:300]

            def sql_call(sql=sql, params=params, before=before):
                with engine.connect() as conn:
                    conn.execute(sql, {**params, "before": before}).all()

            measure(f"log, {name}, {depth}", api_call, sql_call, args.samples)
            if depth == "half-way" and name.startswith("period"):
                show_plan(engine, app, query, before)

    print("\nexceptions report, one year (events of every kind, counts by month, late steps):")
    actions = tuple(exceptions.KIND_OF_ACTION)
    in_list = ", ".join(f"'{a}'" for a in actions)
    period = {"start": datetime.combine(year_start, datetime.min.time(), UTC),
              "end": datetime.combine(year_end + timedelta(days=1), datetime.min.time(), UTC)}
    page_sql = text(f"SELECT * FROM audit_event WHERE action IN ({in_list}) AND occurred_at "
                    f">= :start AND occurred_at < :end ORDER BY seq DESC LIMIT 101"
                    ).bindparams(bindparam("start", type_=UTCDateTime()),
                                 bindparam("end", type_=UTCDateTime()))
    month = ("to_char(timezone('Asia/Ho_Chi_Minh', occurred_at), 'YYYY-MM')"
             if engine.dialect.name == "postgresql"
             else "strftime('%Y-%m', occurred_at, '+7 hours')")
    count_sql = text(f"SELECT {month}, action, count(*) FROM audit_event WHERE action IN "
                     f"({in_list}) AND occurred_at >= :start AND occurred_at < :end GROUP BY "
                     f"1, 2").bindparams(bindparam("start", type_=UTCDateTime()),
                                         bindparam("end", type_=UTCDateTime()))
    for kind in (None, "eligibility_override"):
        qs = {"date_from": year_start.isoformat(), "date_to": year_end.isoformat(),
              "limit": 100, **({"kind": kind} if kind else {})}

        def api_call(qs=qs):
            response = client.get("/api/v1/audit/exceptions", query_string=qs, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]

        def sql_call():
            with engine.connect() as conn:
                conn.execute(page_sql, period).all()
                conn.execute(count_sql, period).all()

        measure(f"exceptions, {kind or 'every kind'}", api_call, sql_call,
                max(3, args.samples // 2))
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
