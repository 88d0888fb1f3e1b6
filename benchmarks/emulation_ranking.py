"""Scoring and ranking (issue 13), against bare SQL floors measured in the same run.

Usage: .venv/bin/python benchmarks/emulation_ranking.py [--units 1000] [--criteria 60]
                                                        [--samples 20] [--database-url URL]
Default: a fresh temporary SQLite database. For PostgreSQL pass an empty database's URL (the
script migrates it; drop it afterwards).

Printed (median and p95 over S samples, ms):
1. a cluster of 30 units on a table of C criteria: each unit's own score sheet saved through
   the service (`save_scores`: version check, C rows, audit event, one transaction per
   sheet) against a bare floor (the same C rows upserted by plain INSERTs in one
   transaction); then the ranking (`scoring.ranking.ranking`, one SQL statement with RANK())
   against the bare aggregate `SELECT unit_id, SUM(…) … GROUP BY unit_id ORDER BY 2 DESC`;
2. a national movement of N units (N × C entries bulk-inserted: this measures reads), its
   ranking against the same bare aggregate;
3. the cluster's table page (GET /scoring/<id>, signed in as the organiser, through the real
   app: login gate, layout, the ranking) against two floors: the bare aggregate plus a bare
   Flask endpoint returning a page of the same size; and the app's own empty signed-in page
   (login gate, session, layout) plus the bare aggregate. No asserts on time.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflow_app import create_app  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import begin_mode, make_engine  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402

YEAR = 2025


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000)


def show(label: str, samples: list[float]) -> float:
    median, p95 = stats(samples)
    print(f"  {label:<58} median {median:8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)})")
    return median


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def seed(app: Flask, units: int, criteria: int) -> dict:
    """The organiser, a cluster of 30 units with a table, a national movement of `units`
    units with a table; through the services (the rows a real year writes)."""
    from workflow_app.accounts.service import users as user_service
    from workflow_app.extensions import db
    from workflow_app.models.movement import Movement, MovementParticipant
    from workflow_app.models.org import OrgUnit
    from workflow_app.org.service import clusters as cluster_service
    from workflow_app.scoring.service.building import CriterionSpec, GroupSpec, create_table
    from workflow_app.workflow import open_subject

    with app.app_context():
        session = db.session
        root = OrgUnit(code="BENCH-ROOT", name="Bộ Tư pháp", kind="ministry", path="/")
        session.add(root)
        session.flush()
        root.path = f"/{root.id}/"
        organiser = user_service.create_user(session, "bench-organiser", "bench-password-1")
        user_service.grant_role(session, organiser, "reviewer", root, actor=None)
        members = []
        for n in range(max(units, 30)):
            unit = OrgUnit(code=f"BENCH-{n:04d}", name=f"Sở Tư pháp số {n:04d}",
                           kind="agency", parent_id=root.id, path=root.path)
            session.add(unit)
            members.append(unit)
        session.flush()
        for unit in members:
            unit.path = f"{root.path}{unit.id}/"
        cluster = cluster_service.create_cluster(session, code="BENCH-CUM", name="Cụm thi đua",
                                                 kind="cluster", organiser=root)
        for index, unit in enumerate(members[:30]):
            cluster_service.set_membership(session, cluster, unit, YEAR,
                                           "head" if index == 0 else "member")
        groups = [GroupSpec(f"Nhóm {g}", [CriterionSpec(f"Tiêu chí {g}.{c}", "5", code=f"{g}.{c}")
                                          for c in range(1, criteria // 3 + 1)], code=str(g))
                  for g in range(1, 4)]
        bands = [{"code": "A", "label_vi": "A", "min_points": "200", "rating": "excellent"},
                 {"code": "B", "label_vi": "B", "min_points": "0"}]
        cluster_table = create_table(session, organiser, title="Cụm 30", year=YEAR,
                                     assessor=root, groups=groups, bands=bands, cluster=cluster)
        movement = Movement(unit_id=root.id, workflow="movement", title="Phong trào toàn quốc",
                            kind="regular", scope="national", year=YEAR,
                            period_start=date(YEAR, 1, 1),
                            period_end=date(YEAR, 12, 31))
        open_subject(session, movement, organiser)
        session.add_all(MovementParticipant(movement_id=movement.id, unit_id=u.id)
                        for u in members[:units])
        national = create_table(session, organiser, title="Toàn quốc", year=YEAR,
                                assessor=root, groups=groups, bands=bands, movement=movement)
        session.commit()
        officers = []
        for index, unit in enumerate(members[:30]):
            officer = user_service.create_user(session, f"bench-officer-{index}",
                                               "bench-password-1")
            user_service.grant_role(session, officer, "submitter", unit, actor=None)
            officers.append(officer.id)
        session.commit()
        return {"cluster_table": cluster_table.id, "national_table": national.id,
                "members": [u.id for u in members], "organiser": organiser.id,
                "officers": officers}


def bulk_entries(engine, table_id: int, unit_ids: list[int]) -> None:
    with engine.begin() as conn:
        criteria = conn.scalars(text("SELECT id FROM score_criterion WHERE table_id = :t"),
                                {"t": table_id}).all()
        rows = [{"t": table_id, "c": c, "u": u, "p": (u * 7 + c * 13) % 500}
                for u in unit_ids for c in criteria]
        conn.execute(text("INSERT INTO score_entry (table_id, criterion_id, unit_id, self_cp, "
                          "self_note, reason, updated_at) VALUES (:t, :c, :u, :p, '', '', "
                          "CURRENT_TIMESTAMP)"), rows)


BARE_RANKING = text("SELECT unit_id, SUM(COALESCE(assessed_cp, self_cp, 0)) AS total "
                    "FROM score_entry WHERE table_id = :t GROUP BY unit_id ORDER BY total DESC")


def bare_ranking(engine, table_id: int) -> float:
    def run():
        with begin_mode("DEFERRED"), engine.connect() as conn:
            conn.execute(BARE_RANKING, {"t": table_id}).all()
    return timed(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--criteria", type=int, default=60)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tmp.name) / "instance", cookie_secure=False))
    # The app's own floor: a signed-in page that renders the layout and nothing else.
    from flask import render_template_string
    app.add_url_rule("/bench-floor", "bench_floor", lambda: render_template_string(
        '{% extends "base.html" %}{% block content %}{% endblock %}'))
    ids = seed(app, args.units, args.criteria)
    print(f"database: {engine.dialect.name}; cluster of 30 units and a national movement of "
          f"{args.units} units, {args.criteria // 3 * 3} criteria; samples: {args.samples}")

    from workflow_app.extensions import db
    from workflow_app.models.org import OrgUnit
    from workflow_app.models.scoring import ScoreCriterion, ScoreTable
    from workflow_app.models.user import User
    from workflow_app.scoring.service.ranking import ranking
    from workflow_app.scoring.service.scores import ScoreInput, save_scores

    print("\n1. a cluster of 30 units scores itself, then is ranked")
    sheets, floors = [], []
    with app.app_context():
        table = db.session.get(ScoreTable, ids["cluster_table"])
        criteria = db.session.scalars(select(ScoreCriterion.id).where(
            ScoreCriterion.table_id == table.id)).all()
        for index, officer_id in enumerate(ids["officers"]):
            unit = db.session.get(OrgUnit, ids["members"][index])
            officer = db.session.get(User, officer_id)
            inputs = [ScoreInput(c, str((index * 3 + c) % 6), "") for c in criteria]

            def save(unit=unit, officer=officer, inputs=inputs):
                save_scores(db.session, officer, table, unit, "self", table.version, inputs)
                db.session.commit()
            sheets.append(timed(save))
        for index in range(30):
            rows = [{"t": 999_999, "c": c, "u": 1_000_000 + index, "p": 100} for c in criteria]

            def floor(rows=rows):
                with engine.begin() as conn:
                    conn.execute(text("CREATE TEMPORARY TABLE IF NOT EXISTS bench_entry "
                                      "(t INTEGER, c INTEGER, u INTEGER, p INTEGER)"))
                    conn.execute(text("INSERT INTO bench_entry VALUES (:t, :c, :u, :p)"), rows)
            floors.append(timed(floor))
        service = show("save one unit's sheet (service, audited)", sheets)
        bare = show("floor: the same rows by bare INSERTs, one transaction", floors)
        print(f"  ratio {service / bare:.1f}×")
        rank_times = [timed(lambda: ranking(db.session, table)) for _ in range(args.samples)]
        floor_times = [bare_ranking(engine, table.id) for _ in range(args.samples)]
        service = show("ranking(table), 30 units", rank_times)
        bare = show("floor: bare aggregate, 30 units", floor_times)
        print(f"  ratio {service / bare:.1f}×")

    print(f"\n2. a national movement of {args.units} units is ranked")
    bulk_entries(engine, ids["national_table"], ids["members"][:args.units])
    with app.app_context():
        national = db.session.get(ScoreTable, ids["national_table"])
        rows = ranking(db.session, national)
        rank_times = [timed(lambda: ranking(db.session, national))
                      for _ in range(args.samples)]
        floor_times = [bare_ranking(engine, national.id) for _ in range(args.samples)]
        service = show(f"ranking(table), {len(rows)} units", rank_times)
        bare = show(f"floor: bare aggregate, {len(rows)} units", floor_times)
        print(f"  ratio {service / bare:.1f}×; ties named: "
              f"{sum(1 for r in rows if r.tied)} units share a rank")

    print("\n3. the cluster's table page, signed in as the organiser")
    from workflow_app.accounts.service import sessions
    client = app.test_client()
    with app.test_request_context():
        token = sessions.start_session(db.session, db.session.get(User, ids["organiser"]))
        db.session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = token
        flask_session["_fresh"] = True
    url = f"/scoring/{ids['cluster_table']}"
    body = client.get(url)
    assert body.status_code == 200, body.status_code
    size = len(body.get_data())
    bare_app = Flask("bare")
    page = "x" * size
    bare_app.add_url_rule("/p", "p", lambda: page)
    bare_client = bare_app.test_client()
    pages = [timed(lambda: client.get(url)) for _ in range(args.samples)]
    layout = [timed(lambda: client.get("/bench-floor")) for _ in range(args.samples)]
    flask_floor = [timed(lambda: bare_client.get("/p")) for _ in range(args.samples)]
    sql_floor = [bare_ranking(engine, ids["cluster_table"]) for _ in range(args.samples)]
    service = show(f"GET {url} ({size} bytes)", pages)
    bare = show("floor: bare aggregate", sql_floor) + show("floor: bare Flask, same size",
                                                          flask_floor)
    print(f"  ratio page / (SQL + Flask floors) {service / bare:.1f}×")
    app_floor = show("floor: the app's empty signed-in page (login gate, layout)", layout)
    sql = stats(sql_floor)[0]
    print(f"  ratio page / (empty signed-in page + SQL floor) {service / (app_floor + sql):.1f}×")


if __name__ == "__main__":
    main()
