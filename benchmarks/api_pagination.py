"""Keyset pagination of GET /api/v1/dossiers at depth, against floors measured in the same run.

Usage: .venv/bin/python benchmarks/api_pagination.py [--dossiers N] [--database-url URL]
                                                     [--pages P] [--samples S]
Default: a fresh temporary SQLite database with 1,000,000 dossiers. For PostgreSQL pass an
empty database's URL (the script migrates it; drop it afterwards).

This measures reads. The catalogue and the org come from the real loaders (as `flask
catalogue load` and `flask demo load` do); the dossiers are bulk-inserted straight into the
table (`bulk_dossiers.py`): not through the services or the workflow engine, so they have
no audit events and no history (the list reads neither).

Printed, per page of 50, median and p95 over S requests:
- the API through the real Flask app (test client, Bearer token, login gate and rate
  limiter on): the first page, pages reached by following `next_cursor`, and pages after a
  jump to a cursor half-way down and near the end (built with the API's `encode_cursor`);
- floor "sql": the bare keyset query `SELECT * FROM dossier WHERE id < :k ORDER BY id DESC
  LIMIT 51` at the same cursors, one pooled connection and transaction per query;
- floor "flask": a bare Flask endpoint returning the same JSON body, via a test client too;
then the ratios; the same depths for reviewers over one small unit and over a unit with no
dossier yet (with the bare SQL as the list filters now, and with the unit ids listed); the
full garbage collections that fell in the measured requests; a stability walk (pages
followed while new dossiers are committed between requests: duplicates, gaps and
intruders, all expected 0); and the plan of the list query at depth. No asserts on time.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from flask import Flask, jsonify
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bulk_dossiers import bulk_load, drop_combos, insert_dossiers, seed  # noqa: E402

from workflow_app import create_app  # noqa: E402
from workflow_app.api.pagination import encode_cursor  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import begin_mode, make_engine  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402

LIMIT = 50
LIST_QUERY_MARK = "FROM dossier JOIN org_unit"


def stats_ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def show(label: str, samples: list[float]) -> float:
    median, p95 = stats_ms(samples)
    print(f"  {label:<44} median {median:8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)})")
    return median


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


class FullCollections:
    """Generation-2 garbage collections while it listens: how many, and each pause."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                self._start = time.perf_counter()
            else:
                self.pauses.append(time.perf_counter() - self._start)

    def report(self) -> None:
        gc.callbacks.remove(self._callback)
        longest = max(self.pauses, default=0) * 1000
        print(f"\nfull garbage collections during the measurements above: {len(self.pauses)}, "
              f"longest {longest:.0f} ms (a request they fall in shows it in its p95)")


# ── measurements ──────────────────────────────────────────────────────────────────────────

class Api:
    """GET /api/v1/dossiers through the app's test client, as one token."""

    def __init__(self, app: Flask, token: str) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {token}"}

    def page(self, cursor: str | None = None) -> tuple[float, dict]:
        url = f"/api/v1/dossiers?limit={LIMIT}" + (f"&cursor={cursor}" if cursor else "")
        elapsed, response = timed(lambda: self.client.get(url, headers=self.headers))
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.get_data(True)[:300]}")
        return elapsed, response.get_json()

    def at(self, key: int | None) -> float:
        """The time of the page after `key` (None: the first page); keeps its item count."""
        elapsed, body = self.page(encode_cursor(key) if key else None)
        self.items = len(body["items"])
        return elapsed

    def walk(self, pages: int) -> list[float]:
        samples, cursor = [], None
        for _ in range(pages):
            elapsed, body = self.page(cursor)
            samples.append(elapsed)
            cursor = body["next_cursor"]
        return samples


def sql_floor(engine, key: int | None, source: str = "dossier", scope: str = "",
              params: dict | None = None) -> float:
    """The bare keyset query after `key`, optionally restricted by a `scope` condition, in a
    pooled connection and transaction of its own (as a GET request reads)."""
    where = [c for c in (scope, "" if key is None else "dossier.id < :k") if c]
    query = text(f"SELECT dossier.* FROM {source} "
                 + (f"WHERE {' AND '.join(where)} " if where else "")
                 + f"ORDER BY dossier.id DESC LIMIT {LIMIT + 1}")
    start = time.perf_counter()
    with begin_mode("DEFERRED"), engine.connect() as conn:
        conn.execute(query, {**(params or {}), "k": key}).all()
    return time.perf_counter() - start


def round_robin(keys: dict[str, list[int | None]], measures: dict[str, Callable]
                ) -> dict[tuple[str, str], list[float]]:
    """Every measure at every depth, interleaved sample by sample, so that a busy machine's
    drift falls on all depths alike; {(depth, measure): timings}."""
    samples: dict[tuple[str, str], list[float]] = {}
    for j in range(len(next(iter(keys.values())))):
        for depth, depth_keys_ in keys.items():
            for name, measure in measures.items():
                samples.setdefault((depth, name), []).append(measure(depth_keys_[j]))
    return samples


def flask_floor(body: dict):
    """A bare Flask app answering `body` as JSON: a function that requests it once."""
    bare = Flask("floor")
    bare.add_url_rule("/floor", "floor", lambda: jsonify(body))
    client = bare.test_client()
    return lambda: client.get("/floor")


def depth_keys(engine, samples: int, path: str = "/") -> dict[str, list[int | None]]:
    """Cursors for each depth, S nearby keys each: none (the first page), half-way down the
    table, and near the end of the scope's dossiers (a full page still after each key)."""
    with engine.connect() as conn:
        low, high = conn.execute(text("SELECT min(id), max(id) FROM dossier")).one()
        end = conn.scalar(text(
            "SELECT dossier.id FROM dossier JOIN org_unit ON org_unit.id = dossier.unit_id "
            "WHERE org_unit.path LIKE :path ORDER BY dossier.id LIMIT 1 OFFSET :skip"),
            {"path": path + "%", "skip": LIMIT + 7 * samples})
    middle = low + (high - low) // 2
    end = end or low + LIMIT + 1 + 7 * samples
    return {"first page": [None] * samples,
            f"middle (jump to id {middle})": [middle - 7 * j for j in range(samples)],
            f"end (jump to id {end})": [end - 7 * j for j in range(samples)]}


def warm_and_walk(api: Api, samples: int, pages: int) -> float:
    """Warm up, time the bare Flask floor and the pages reached by following next_cursor;
    returns the Flask floor's median (ms)."""
    api.walk(5)  # connection pool, caches, first-request work
    bare_request = flask_floor(api.page()[1])
    flask_ms = show("floor flask: bare JSON endpoint, same body",
                    [timed(bare_request)[0] for _ in range(samples)])
    walk = api.walk(pages)
    half = pages // 2
    show(f"api following next_cursor, pages 2–{half}", walk[1:half])
    show(f"api following next_cursor, pages {half + 1}–{pages}", walk[half:])
    return flask_ms


def depths(api: Api, engine, samples: int, path: str, flask_ms: float) -> None:
    """The API at each depth, interleaved with three bare SQL queries at the same cursors:
    the floor (no scope), the scope as the list query filters now (join org_unit, path
    LIKE), and the scope's unit ids listed (`unit_id IN (…)`, resolved beforehand from the
    small org_unit table: a candidate shape, for comparison only)."""
    with engine.connect() as conn:
        ids = ", ".join(str(i) for i in conn.scalars(
            text("SELECT id FROM org_unit WHERE path LIKE :path"), {"path": path + "%"}))
    joined = "dossier JOIN org_unit ON org_unit.id = dossier.unit_id"
    keys = depth_keys(engine, samples, path)
    items = {}
    for label, depth in keys.items():  # the items on each depth's page (and a warm-up)
        api.at(depth[0])
        items[label] = api.items
    timings = round_robin(keys, {
        "api": api.at, "floor": partial(sql_floor, engine),
        "now": partial(sql_floor, engine, source=joined, scope="org_unit.path LIKE :path",
                       params={"path": path + "%"}),
        "ids": partial(sql_floor, engine, scope=f"dossier.unit_id IN ({ids})")})
    print(f"  {'depth':<28} {'items':>5} {'api':>7} {'api p95':>8} {'sql floor':>9} "
          f"{'sql now':>8} {'sql ids':>8} {'api/floor':>9} {'api/(floor+flask)':>17}   (ms)")
    medians = []
    for label in keys:
        api_ms, api_p95 = stats_ms(timings[label, "api"])
        floor, now, listed = (stats_ms(timings[label, name])[0] for name in ("floor", "now", "ids"))
        medians.append(api_ms)
        both = api_ms / (floor + flask_ms)
        print(f"  {label:<28} {items[label]:>5} {api_ms:7.2f} {api_p95:8.2f} {floor:9.2f} "
              f"{now:8.2f} {listed:8.2f} {api_ms / floor:8.1f}x {both:16.1f}x")
    print(f"  ratio api end / first page: {medians[-1] / medians[0]:.2f}x")


def stability(api: Api, engine, n: int, pages: int, per_gap: int) -> None:
    with engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM dossier")).scalar()
    seen, cursor, added = [], None, 0
    for page in range(pages):
        if page:
            insert_dossiers(engine, n + added, n + added + per_gap)  # committed between pages
            added += per_gap
        body = api.page(cursor)[1]
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
    with engine.connect() as conn:
        expected = set(conn.scalars(text("SELECT id FROM dossier WHERE id BETWEEN :lo AND :hi"),
                                    {"lo": min(seen), "hi": top}))
    duplicates = len(seen) - len(set(seen))
    gaps = len(expected - set(seen))
    intruders = sum(1 for i in seen if i > top)
    ordered = all(a > b for a, b in zip(seen, seen[1:], strict=False))
    print(f"  {pages} pages, {added} dossiers inserted between them: {len(seen)} items, "
          f"duplicates {duplicates}, gaps {gaps}, intruders {intruders}, "
          f"strictly descending {'yes' if ordered else 'NO'}")


# ── plans ─────────────────────────────────────────────────────────────────────────────────

def capture_list_query(engine, request) -> tuple[str, object]:
    captured = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        if LIST_QUERY_MARK in statement:
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return captured[0]


def rows_walked(engine, path: str, key: int) -> int:
    """How many dossier rows a backward range scan from `key` reads to fill one page of the
    scope under `path` (all the rest of the table when the scope has fewer rows)."""
    with begin_mode("DEFERRED"), engine.connect() as conn:
        return conn.scalar(text(
            "SELECT count(*) FROM dossier WHERE id < :k AND id >= coalesce((SELECT d.id "
            "FROM dossier d JOIN org_unit u ON u.id = d.unit_id WHERE u.path LIKE :path "
            "AND d.id < :k ORDER BY d.id DESC LIMIT 1 OFFSET :last), 0)"),
            {"k": key, "path": path + "%", "last": LIMIT})


def explain(engine, statement: str, parameters, walked: int) -> None:
    postgres = engine.dialect.name == "postgresql"
    columns_hidden = "SELECT … " + statement[statement.index("FROM dossier"):]
    print("  query: " + " ".join(columns_hidden.split()))
    print(f"  parameters: {parameters}")
    prefix = "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " if postgres else "EXPLAIN QUERY PLAN "
    with begin_mode("DEFERRED"), engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    lines = [row[0] for row in rows] if postgres else [row[3] for row in rows]
    for line in lines:
        print("    " + line)
    plan = "\n".join(lines)
    bad = ["Seq Scan on dossier", "Sort"] if postgres else ["TEMP B-TREE", "SCAN dossier"]
    found = [marker for marker in bad if marker in plan]
    print(f"  rows the range scan walks to fill this page of {LIMIT + 1}: {walked}")
    if found:
        print(f"  verdict: NOT a keyset range scan ({', '.join(found)})")
    elif walked > 10 * (LIMIT + 1):
        print("  verdict: index range scan, but the scope is sparse: the scan reads rows of "
              "other units until the page is full (cost ∝ page / scope share, not depth)")
    else:
        print("  verdict: index range scan on dossier (no full scan, no sort of all rows)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pages", type=int, default=100, help="pages followed by cursor")
    parser.add_argument("--samples", type=int, default=30, help="requests per depth")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    print(f"database: {engine.dialect.name}, dossiers: {args.dossiers}, page: {LIMIT}, "
          f"samples per depth: {args.samples}")
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tmp.name) / "instance", cookie_secure=False,
                            api_rate_limit="1000000 per minute"))
    scopes = seed(app)
    bulk_load(engine, args.dossiers)
    app_engine = app.extensions["workflow_db_engine"]
    for scope in scopes:
        scope["api"] = Api(app, scope["token"])
        with engine.connect() as conn:
            scope["share"] = conn.scalar(text(
                "SELECT count(*) FROM dossier JOIN org_unit ON org_unit.id = dossier.unit_id "
                "WHERE org_unit.path LIKE :path"), {"path": scope["path"] + "%"})
    root, leaf, new = scopes
    collections = FullCollections()

    print(f"\nreviewer over the root unit {root['code']} (sees all {root['share']} dossiers):")
    flask_ms = warm_and_walk(root["api"], args.samples, args.pages)
    depths(root["api"], engine, args.samples, root["path"], flask_ms)
    for scope, samples in ((leaf, args.samples), (new, max(3, args.samples // 6))):
        print(f"\nreviewer over one unit {scope['code']} (sees {scope['share']} dossiers, "
              f"{scope['share'] / args.dossiers:.2%}):")
        depths(scope["api"], engine, samples, scope["path"], flask_ms)
    collections.report()

    print("\nstability: following next_cursor while dossiers are added between requests")
    stability(root["api"], engine, args.dossiers, 20, 5)

    key = list(depth_keys(engine, 1).values())[1][0]
    for scope in scopes:
        print(f"\nplan of the list query at depth (cursor id {key}), reviewer over "
              f"{scope['code']}:")
        explain(engine, *capture_list_query(app_engine, lambda api=scope["api"]: api.at(key)),
                rows_walked(engine, scope["path"], key))
    drop_combos(engine)
    app_engine.dispose()
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
