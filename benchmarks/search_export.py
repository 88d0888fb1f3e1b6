"""Search at scale and the XLSX export of a long list (issue 14, "Speed"), against floors
measured in the same run.

Usage: .venv/bin/python benchmarks/search_export.py [--persons N] [--dossiers E]
                                                    [--samples S] [--database-url URL]
Default: a fresh temporary SQLite database, 1,000,000 persons and 50,000 dossiers. For
PostgreSQL pass an empty database's URL (the script migrates it; drop it afterwards).

Loading: the catalogue and the demo org come from the real loaders; the persons are bulk
inserted with realistic Vietnamese names (family names weighted as in the population) and
their index rows are written with the index's own `tails()` (as the flush listener and
`flask search reindex` do); the dossiers come from `bulk_dossiers.py` (straight into the
table). Nothing of this goes through the audited services: these are read benchmarks.

Printed:
- search, through `search.service.queries.search_kind` as the page and the API call it
  (an administrator: every person in scope; the total counted in full and the first page of
  20 loaded): median and p95 for full names without diacritics ("nguyen van quang"), two
  words ("van quang"), one given name ("quang"), and a prefix ("nguyen van qu");
  floor: the bare SQL range scan of the query's phrase on `ix_search_term_lookup` (LIMIT
  20), same queries; then a class of reversed names ("quang van nguyen"), which the phrase
  does not find and the search widens to every word in any order (the slow path); and,
  once, what the old way costs: folding every name in Python (the registry search used to
  do that for at most 5,000 persons and miss the rest);
- the plan of the search statement;
- export: GET /api/v1/dossiers/export (an auditor: every dossier) through the test client,
  one year (E/10 rows) and all E rows: time, rows per second, the file's size and the
  peak RSS above the RSS before the request (Linux: VmHWM reset through
  /proc/self/clear_refs); floor: the bare SQL read of the same rows plus openpyxl writing
  the same number of plain rows.
No asserts on time.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bulk_dossiers import bulk_load, drop_combos, seed  # noqa: E402

from workflow_app import create_app  # noqa: E402
from workflow_app.accounts.service import users as user_service  # noqa: E402
from workflow_app.api.tokens import create_token  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import begin_mode, make_engine  # noqa: E402
from workflow_app.extensions import db  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402
from workflow_app.models.org import OrgUnit  # noqa: E402
from workflow_app.search.service import queries  # noqa: E402
from workflow_app.search.service.index import fold, tails, words  # noqa: E402

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4),
          ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
          ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Trương", 1), ("Lương", 1)]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Thanh", "Quang", "Ngọc", "Thu", "Hoàng",
          "Xuân", "Công", "Kim", "Anh", "Bảo", "Mạnh", "Thế", "Hồng", "Phương", "Tuấn"]
GIVEN = ["An", "Anh", "Bình", "Cường", "Chi", "Dũng", "Duy", "Đạt", "Giang", "Hà", "Hải",
         "Hạnh", "Hiếu", "Hòa", "Hùng", "Huy", "Hương", "Khánh", "Khoa", "Lan", "Linh",
         "Long", "Mai", "Minh", "My", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phúc",
         "Phương", "Quang", "Quân", "Quyết", "Sơn", "Tài", "Tâm", "Thảo", "Thắng", "Thủy",
         "Tiến", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Việt", "Vinh", "Yến"]
CHUNK = 20_000


def stats_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def name_of(rng: random.Random) -> str:
    family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
    middle = rng.choice(MIDDLE)
    return f"{family} {middle} {rng.choice(GIVEN)}"


def load_persons(engine, n: int, rng: random.Random) -> list[str]:
    """N persons over the demo's units, with their search words; returns a sample of names."""
    with engine.connect() as conn:
        units = [row[0] for row in conn.execute(select(OrgUnit.id))]
        start_id = conn.scalar(text("SELECT COALESCE(MAX(id), 0) FROM person")) + 1
    sample: list[str] = []
    started = time.perf_counter()
    for first in range(0, n, CHUNK):
        persons, terms = [], []
        for offset in range(min(CHUNK, n - first)):
            person_id = start_id + first + offset
            name = name_of(rng)
            if len(sample) < 2000 and rng.random() < 0.01:
                sample.append(name)
            persons.append({"id": person_id, "full_name": name, "unit_id": rng.choice(units)})
            terms.extend({"kind": "person", "ref_id": person_id, "term": t} for t in tails(name))
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO person (id, full_name, position, unit_id, is_leader) "
                              "VALUES (:id, :full_name, 'Chuyên viên', :unit_id, false)"),
                         persons)
            conn.execute(text("INSERT INTO search_term (kind, ref_id, term) "
                              "VALUES (:kind, :ref_id, :term)"), terms)
        if (first + CHUNK) % 200_000 == 0 or first + CHUNK >= n:
            print(f"  … {min(n, first + CHUNK):>9} persons", flush=True)
    elapsed = time.perf_counter() - started
    print(f"bulk insert: {n} persons and their search words in {elapsed:.1f} s")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
        print("ANALYZE run (PostgreSQL; autovacuum would do it after such a load)")
    return sample


def floor_sql(engine, q: str) -> float:
    """The bare range scan of the query's phrase on the tails, 20 rows."""
    word = " ".join(words(q))
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    start = time.perf_counter()
    with begin_mode("DEFERRED"), engine.connect() as conn:
        conn.execute(text("SELECT ref_id FROM search_term WHERE kind = 'person' AND term >= :w "
                          "AND term < :u LIMIT 20"), {"w": word, "u": upper}).all()
    return time.perf_counter() - start


def bench_search(app, engine, admin_id: int, names: list[str], samples: int,
                 rng: random.Random) -> None:
    chosen = rng.sample(names, min(samples, len(names)))
    classes = {
        "full name, no diacritics": [fold(n) for n in chosen],
        "two words (middle + given)": [" ".join(fold(n).split()[1:]) for n in chosen],
        "one given name": [fold(n).split()[-1] for n in chosen],
        "prefix (family middle + 2 letters)": [fold(n)[:len(fold(n)) - len(n.split()[-1]) + 2]
                                               for n in chosen],
        "reversed order (all words path)": [" ".join(reversed(fold(n).split()))
                                            for n in chosen[: max(5, len(chosen) // 5)]],
    }
    with app.app_context():
        from workflow_app.models.user import User
        admin = db.session.get(User, admin_id)
        for label, qs in classes.items():
            times, floors, totals = [], [], []
            for q in qs:
                start = time.perf_counter()
                hits = queries.search_kind(db.session, admin, "person", q)
                times.append(time.perf_counter() - start)
                totals.append(hits.total)
                db.session.rollback()  # a request's transaction ends
                floors.append(floor_sql(engine, q))
            median, p95 = stats_ms(times)
            fmedian, fp95 = stats_ms(floors)
            typical = statistics.median(totals)
            print(f"  {label:<36} median {median:7.2f} ms  p95 {p95:7.2f} ms   floor median "
                  f"{fmedian:5.2f} p95 {fp95:5.2f}   matches median {typical:>8,.0f}"
                  f" max {max(totals):>8,}  (n={len(qs)})")
        q = classes["full name, no diacritics"][0]
        ids = queries.matching_ids(db.session, "person", q)
        statement = queries.scoped(admin, "person").where(
            queries._MODELS["person"].id.in_(ids)).limit(20)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
        plan = db.session.execute(text(prefix + str(compiled))).all()
        print(f"\nplan of the search page query for {q!r}:")
        for row in plan:
            print("   ", " | ".join(str(c) for c in row))
        db.session.rollback()
    start = time.perf_counter()
    with engine.connect() as conn:
        folded = [fold(n) for (n,) in conn.execute(text("SELECT full_name FROM person"))]
    target = classes["full name, no diacritics"][0].split()
    found = sum(1 for n in folded if all(w in n for w in target))
    print(f"\nthe old way, once: read and fold all {len(folded):,} names in Python, then "
          f"match: {(time.perf_counter() - start) * 1000:,.0f} ms ({found} found)")


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def bench_export(app, engine, token: str) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for query, where in (("?year=2015", "WHERE year = 2015"), ("", "")):
        before = _rss_kib("VmRSS")
        reset = _reset_peak()
        start = time.perf_counter()
        response = client.get(f"/api/v1/dossiers/export{query}", headers=headers)
        data = response.get_data()
        elapsed = time.perf_counter() - start
        peak = _rss_kib("VmHWM")
        if response.status_code != 200:
            raise SystemExit(f"export: {response.status_code} {data[:300]!r}")
        rows = sum(1 for _ in load_workbook(io.BytesIO(data), read_only=True)
                   .worksheets[0].iter_rows(min_row=2))
        # floor: the same rows read by bare SQL, and openpyxl writing as many plain rows
        start = time.perf_counter()
        with engine.connect() as conn:
            raw = conn.execute(text(f"SELECT id, title, year, state FROM dossier {where}"))
            book = Workbook(write_only=True)
            sheet = book.create_sheet()
            for row in raw:
                sheet.append([*row, "x", "y", "z", "w", "v", "u", "t", "s", "r"])
            book.save(io.BytesIO())
        floor = time.perf_counter() - start
        print(f"  {rows:>7,} rows{' (' + query[1:] + ')' if query else ''}: {elapsed:6.2f} s "
              f"({rows / elapsed:,.0f} rows/s), {len(data) / 1e6:.1f} MB, peak RSS "
              f"+{max(0, peak - before) / 1024:,.1f} MiB over {before / 1024:,.0f} MiB"
              f"{'' if reset else ' (VmHWM not resettable: peak since start)'}   "
              f"floor {floor:5.2f} s   ratio {elapsed / floor:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(14)
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    print(f"database: {engine.dialect.name}, persons: {args.persons:,}, dossiers: "
          f"{args.dossiers:,}, search samples per class: {args.samples}")
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tmp.name) / "instance", cookie_secure=False,
                            api_rate_limit="1000000 per minute"))
    seed(app)
    with app.app_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
        admin = user_service.create_user(db.session, "bench-admin", "bench-password-1")
        user_service.grant_role(db.session, admin, "admin", root, actor=None)
        auditor = user_service.create_user(db.session, "bench-auditor", "bench-password-1")
        user_service.grant_role(db.session, auditor, "auditor", root, actor=None)
        token = create_token(db.session, auditor, "bench", "read", 30)[1]
        admin_id = admin.id
        db.session.commit()
    names = load_persons(engine, args.persons, rng)
    print(f"\nsearch over {args.persons:,} persons (+ the demo's), through search_kind:")
    bench_search(app, engine, admin_id, names, args.samples, rng)
    bulk_load(engine, args.dossiers)
    print("\nXLSX export of the dossier list (GET /api/v1/dossiers/export, auditor):")
    bench_export(app, engine, token)
    drop_combos(engine)
    app.extensions["workflow_db_engine"].dispose()
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
