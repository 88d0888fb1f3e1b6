"""Audit chain speed: append cost against a bare insert floor, and verification rate.

Usage: .venv/bin/python benchmarks/audit_chain.py [--events N] [--database-url URL]
Default: a fresh temporary SQLite database. For PostgreSQL pass an empty database's URL.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.orm import Session  # noqa: E402

from workflow_app.audit.chain import record  # noqa: E402
from workflow_app.audit.verify import verify_chain  # noqa: E402
from workflow_app.db import make_engine  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402


def timed(label: str, n: int, func) -> float:
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    print(f"{label:<45} {n:>8} in {elapsed:7.3f} s  = {n / elapsed:10.0f} /s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    n = args.events
    print(f"database: {engine.dialect.name}, events: {n}")

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, payload TEXT)"))

    def floor():
        for i in range(n):
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO bench_floor (id, payload) VALUES (:i, :p)"),
                             {"i": i, "p": f'{{"n": {i}}}'})

    def append():
        for i in range(n):
            with Session(engine) as session:
                record(session, "bench.event", "thing", i, actor_label="bench",
                       data={"n": i, "name": "Nguyễn Văn Ánh"})
                session.commit()

    base = timed("floor: bare insert, one per transaction", n, floor)
    chain = timed("audit record(), one per transaction", n, append)
    print(f"{'ratio append / floor':<45} {chain / base:8.2f}x")
    with Session(engine) as session:
        verify = timed("verify_chain (full recomputation)", n,
                       lambda: verify_chain(session))
    print(f"{'verify per event':<45} {verify / n * 1e6:8.1f} µs")
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
