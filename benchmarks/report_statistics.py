"""Year-end statistics at scale (issue 14, "Speed"), against a floor measured in the same run.

Usage: .venv/bin/python benchmarks/report_statistics.py [--records N] [--dossiers D]
                                                        [--samples S] [--xlsx-rows X]
                                                        [--database-url URL]
Default: a fresh temporary SQLite database with 1,000,000 registry records and 200,000
dossiers. For PostgreSQL pass an empty database's URL (the script migrates it; drop it
afterwards).

Data: the real catalogue and demo org (`bulk_dossiers.seed`), D dossiers
(`bulk_dossiers.bulk_load`), and N award records inserted straight into `award_record` with
one INSERT … SELECT per chunk, cycling through the demo persons (and one in ten through the
units, as collective awards), the catalogue's awards and ten years: not through the import,
so no audit events. This measures reads.

Printed, median and p95 over S runs:
- "service": `reports.service.statistics.statistics` as the page calls it — rows by unit
  (the top units), one column per year, the last five years, for an admin (no scope filter)
  and for a reviewer of one unit (its subtree);
- floor "sql": the equivalent bare `GROUP BY` (recipient unit × award × year over the same
  years, revoked records left out), on the same session and connection;
then the ratio (target: within 1.5×). Then the XLSX of the records behind the table (X
rows, default 50,000), written through `workflow_app.xlsx` in a child process: its time and
the child's peak RSS (the parent's RSS holds the bulk load). No asserts on time.
"""

from __future__ import annotations

import argparse
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bulk_dossiers import bulk_load, drop_combos, seed  # noqa: E402

from workflow_app import create_app  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import make_engine  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402

CHUNK = 200_000
YEARS = 10
BARE = """
SELECT COALESCE(p.unit_id, r.unit_id) AS unit_id, r.award_code, r.year, COUNT(*)
FROM award_record r LEFT JOIN person p ON p.id = r.person_id
WHERE r.revoked_at IS NULL AND r.year BETWEEN :first AND :last
GROUP BY COALESCE(p.unit_id, r.unit_id), r.award_code, r.year
"""


def show(label: str, samples: list[float]) -> float:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    median = statistics.median(ordered)
    print(f"  {label:<52} median {median * 1000:9.1f} ms   p95 {p95 * 1000:9.1f} ms")
    return median


def insert_records(engine, n: int) -> None:
    """N award records: persons × individual awards, every tenth a unit × collective award."""
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_rec (k INTEGER PRIMARY KEY, person_id INTEGER, "
                          "unit_id INTEGER, award_code VARCHAR(30))"))
        persons = conn.execute(text("SELECT id FROM person ORDER BY id")).scalars().all()
        units = conn.execute(text("SELECT id FROM org_unit ORDER BY id")).scalars().all()
        singles = ("LDTT", "CSTDCS", "CSTD_BO", "GK", "BK_BO")
        groups = ("TTLDTT", "TTLDXS", "GK", "BK_BO")
        rows = []
        for k in range(997):
            if k % 10 == 0:
                rows.append({"k": k, "p": None, "u": units[k % len(units)],
                             "a": groups[k % len(groups)]})
            else:
                rows.append({"k": k, "p": persons[k % len(persons)], "u": None,
                             "a": singles[k % len(singles)]})
        conn.execute(text("INSERT INTO bench_rec VALUES (:k, :p, :u, :a)"), rows)
    select_rows = ("SELECT c.person_id, c.unit_id, c.award_code, 2016 + seq.i % {years}, "
                   "'B' || CAST(seq.i AS VARCHAR(12)) || '/QĐ', '2025-12-20', '', 'import', "
                   "CURRENT_TIMESTAMP FROM {numbers} JOIN bench_rec c ON c.k = seq.i % 997")
    columns = ("person_id, unit_id, award_code, year, decision_number, decision_date, issuer, "
               "source, recorded_at")
    start = time.perf_counter()
    for first in range(0, n, CHUNK):
        last = min(n, first + CHUNK)
        if postgres:
            sql = (f"INSERT INTO award_record ({columns}) " + select_rows.format(
                years=YEARS, numbers="generate_series(:start, :stop - 1) AS seq(i)")
                .replace("'2025-12-20'", "DATE '2025-12-20'"))
        else:
            sql = ("WITH RECURSIVE seq(i) AS (SELECT :start UNION ALL SELECT i + 1 FROM seq "
                   f"WHERE i + 1 < :stop) INSERT INTO award_record ({columns}) "
                   + select_rows.format(years=YEARS, numbers="seq"))
        with engine.begin() as conn:
            conn.execute(text(sql), {"start": first, "stop": last})
        print(f"  … {last:>9} registry records", flush=True)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_rec"))
    elapsed = time.perf_counter() - start
    print(f"bulk insert: {n} registry records in {elapsed:.1f} s (INSERT … SELECT, no audit)")
    if postgres:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def xlsx_child(url: str, rows: int) -> None:
    """Run in a child process: the records XLSX of the last five years, `rows` at most."""
    from itertools import islice

    from workflow_app.extensions import db
    from workflow_app.models.user import User
    from workflow_app.reports.service.exports import record_headers, record_rows
    from workflow_app.reports.service.filters import StatsQuery
    from workflow_app.xlsx import Sheet, write

    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tempfile.mkdtemp()), cookie_secure=False))
    with app.app_context(), app.test_request_context():
        admin = db.session.scalar(select(User).where(User.username == "demo.admin"))
        query = StatsQuery(2021, 2025, group_by="unit")
        start = time.perf_counter()
        with tempfile.TemporaryFile() as target:
            write(target, [Sheet("records", record_headers(), islice(
                record_rows(db.session, admin, query, "vi"), rows))])
            size = target.tell()
        elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  XLSX of {rows:,} records: {elapsed:.1f} s, {size / 1e6:.1f} MB, "
          f"child peak RSS {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    parser.add_argument("--database-url")
    parser.add_argument("--xlsx-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.xlsx_child:
        xlsx_child(args.xlsx_child, args.xlsx_rows)
        return
    folder = tempfile.mkdtemp(prefix="bench-stats-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(folder) / "instance", cookie_secure=False))
    seed(app)
    bulk_load(engine, args.dossiers)
    drop_combos(engine)
    insert_records(engine, args.records)

    from workflow_app.extensions import db
    from workflow_app.models.org import OrgUnit
    from workflow_app.models.user import User
    from workflow_app.reports.service.filters import StatsQuery
    from workflow_app.reports.service.statistics import statistics as year_end

    with app.app_context(), app.test_request_context():
        session = db.session
        admin = session.scalar(select(User).where(User.username == "demo.admin"))
        reviewer = session.scalar(select(User).where(User.username == "bench-leaf"))
        leaf = reviewer.grants[0].unit
        query = StatsQuery(2021, 2025, group_by="unit")
        table = year_end(session, admin, query)
        counted = table.totals.total
        print(f"\nyear-end statistics, units × awards × years 2021–2025, {args.records:,} "
              f"records ({counted:,} in the years), {len(table.rows)} rows, on "
              f"{engine.dialect.name}")
        service, bare, scoped, bare_scoped = [], [], [], []
        leaf_path = leaf.path
        for _ in range(args.samples):
            session.rollback()
            start = time.perf_counter()
            year_end(session, admin, query)
            service.append(time.perf_counter() - start)
            session.rollback()
            start = time.perf_counter()
            rows = session.execute(text(BARE), {"first": 2020, "last": 2025}).all()
            bare.append(time.perf_counter() - start)
            session.rollback()
            start = time.perf_counter()
            year_end(session, reviewer, query.with_(unit_id=leaf.id))
            scoped.append(time.perf_counter() - start)
            session.rollback()
            start = time.perf_counter()
            session.execute(text(BARE.replace(
                "WHERE", "JOIN org_unit u ON u.id = COALESCE(p.unit_id, r.unit_id) WHERE "
                "u.path LIKE :path AND")), {"first": 2020, "last": 2025,
                                            "path": leaf_path + "%"}).all()
            bare_scoped.append(time.perf_counter() - start)
        assert sum(r[3] for r in rows if r[2] >= 2021) == counted  # same figures
        s = show("service, admin, every unit", service)
        b = show("floor: bare SQL GROUP BY unit × award × year", bare)
        print(f"  ratio service / bare SQL: {s / b:.2f}×  (target ≤ 1.5×)")
        s2 = show(f"service, reviewer of one unit ({session.get(OrgUnit, leaf.id).code})",
                  scoped)
        b2 = show("floor: bare SQL over that subtree", bare_scoped)
        print(f"  ratio: {s2 / b2:.2f}×")
    engine.dispose()
    print()
    subprocess.run([sys.executable, __file__, "--xlsx-child", url,
                    "--xlsx-rows", str(args.xlsx_rows)], check=True)


if __name__ == "__main__":
    main()
