"""A dossier's lifecycle through the workflow engine against the plain-SQL floor.

Usage: .venv/bin/python benchmarks/lifecycle.py [--lifecycles N] [--database-url URL]
Default: a fresh temporary SQLite database (WAL, synchronous=FULL for both sides). For
PostgreSQL pass an empty database's URL (the script migrates it; drop it afterwards).

The lifecycle: six transitions of a Giấy khen dossier in the simplified procedure, from
draft to decided — submit, return_for_supplement, resubmit, accept, approve_appraisal,
record_decision — each `fire` in a committed transaction of its own, with its real guards
(completeness, eligibility, actor not the nominee, document number), effects
(receipt stamp, notifications, decision number) and audit event on the hash chain. One
session per step, as a request holds one: it loads the actor and the dossier with the scope
check as the routes do (not counted in the transition's statements, but timed), then fires
and commits.

The floor, in the same run on the same engine: per step, one transaction with an UPDATE of
the dossier's state and version and one INSERT of an audit row (no hash, no checks).
Statements are counted with SQLAlchemy's `before_cursor_execute` (BEGIN and SAVEPOINTs
included, the DBAPI's COMMIT not).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from workflow_app import create_app  # noqa: E402
from workflow_app.accounts.service import users as user_service  # noqa: E402
from workflow_app.catalogue.service.loader import load_catalogue  # noqa: E402
from workflow_app.config import Config  # noqa: E402
from workflow_app.db import make_engine  # noqa: E402
from workflow_app.dossiers.service.access import visible_dossier_or_404  # noqa: E402
from workflow_app.extensions import db  # noqa: E402
from workflow_app.migrate import upgrade  # noqa: E402
from workflow_app.models.base import utcnow  # noqa: E402
from workflow_app.models.catalogue import Award  # noqa: E402
from workflow_app.models.dossier import Dossier, DossierDocument  # noqa: E402
from workflow_app.models.org import Person  # noqa: E402
from workflow_app.models.user import User  # noqa: E402
from workflow_app.org.service import units as unit_service  # noqa: E402
from workflow_app.workflow import fire, open_dossier  # noqa: E402

# (trigger, actor, keyword arguments) — draft to decided in the simplified procedure.
STEPS = (
    ("submit", "submitter", {}),
    ("return_for_supplement", "reviewer", {"reason": "Bổ sung biên bản họp xét."}),
    ("resubmit", "submitter", {}),
    ("accept", "reviewer", {}),
    ("approve_appraisal", "reviewer", {}),
    ("record_decision", "signer", {"document_number": "123/QĐ-BTP"}),
)
DOCUMENTS = ("TO_TRINH", "BAO_CAO_TOM_TAT_THANH_TICH")
PASSWORD = "bench-password-1"


def full_sync(engine) -> None:
    """SQLite: synchronous=FULL on every connection (the app's default is NORMAL)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    engine.dispose()


class Counting:
    """Counts statements while `on`, by their first word and, for SELECTs, their table."""

    def __init__(self, engine) -> None:
        self.on = False
        self.total = 0
        self.kinds: Counter = Counter()
        self.shown: list[str] | None = None  # the statements themselves, when kept
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args) -> None:
        if not self.on:
            return
        self.total += 1
        if self.shown is not None:
            self.shown.append(" ".join(statement.split())[:160])
        words = statement.split()
        kind = words[0].upper() if words else "?"
        if kind == "SELECT" and "FROM" in (w.upper() for w in words):
            upper = [w.upper() for w in words]
            kind = f"SELECT {words[upper.index('FROM') + 1].strip(chr(34))}"
        elif kind in ("INSERT", "UPDATE", "DELETE"):
            kind = f"{kind} {words[2 if kind != 'UPDATE' else 1].strip(chr(34))}"
        self.kinds[kind] += 1


def seed(session: Session, n: int) -> dict:
    """Catalogue, two units, three actors, 2n nominees and 2n draft dossiers (n for the
    engine, n for the floor), committed."""
    load_catalogue(session)
    root = unit_service.create_unit(session, code="BENCH", name="Bộ Tư pháp (thử)",
                                    kind="ministry", parent=None)
    unit = unit_service.create_unit(session, code="BENCH-A", name="Cục Thi hành án dân sự A",
                                    kind="thads_provincial", parent=root)
    actors = {}
    for role, where in (("submitter", unit), ("reviewer", root), ("signer", root)):
        user = user_service.create_user(session, f"bench-{role}", PASSWORD)
        user_service.grant_role(session, user, role, where, actor=None)
        actors[role] = user.id
    award = session.scalar(select(Award).where(Award.code == "GK"))
    submitter = session.get(User, actors["submitter"])
    ids = []
    for i in range(2 * n):
        person = Person(full_name=f"Nguyễn Văn Thử {i}", unit_id=unit.id, position="Chuyên viên")
        session.add(person)
        session.flush()
        dossier = Dossier(workflow="simplified", unit_id=unit.id, award_id=award.id,
                          nominee_person_id=person.id, commendation_type="DOT_XUAT",
                          year=utcnow().year - 1, title="Đề nghị tặng Giấy khen",
                          summary="Có thành tích đột xuất trong công tác thi hành án.")
        open_dossier(session, dossier, submitter)
        for code in DOCUMENTS:
            dossier.documents.append(DossierDocument(
                doc_type=code, sha256=f"{i:060x}{len(code):04x}", filename=f"{code}.pdf",
                size=1))
        ids.append(dossier.id)
        if i % 200 == 199:
            session.commit()
    session.commit()
    return {"actors": actors, "engine": ids[:n], "floor": ids[n:]}


def run_engine(engine, ids: list[int], actor_ids: dict, counting: Counting) -> float:
    """Every lifecycle through `fire`, each step as the transition routes run it: a session
    of its own, the actor and the dossier loaded with the scope check
    (`visible_dossier_or_404`: the actor's grants, the dossier's unit; not counted), then
    `fire` and one commit (counted)."""
    start = time.perf_counter()
    for dossier_id in ids:
        for trigger, role, kwargs in STEPS:
            state = run_engine_step(engine, dossier_id, trigger, actor_ids[role], kwargs,
                                    counting)
        assert state == "decided", state
    return time.perf_counter() - start


def run_engine_step(engine, dossier_id: int, trigger: str, actor_id: int, kwargs: dict,
                    counting: Counting) -> str:
    with Session(engine, expire_on_commit=False) as session:
        actor = session.get(User, actor_id)
        dossier = visible_dossier_or_404(session, actor, dossier_id)
        counting.on = True
        fire(session, dossier, trigger, actor, **kwargs)
        session.commit()
        counting.on = False
        return dossier.state


def show_one(engine, dossier_id: int, actor_ids: dict, counting: Counting) -> None:
    for trigger, role, kwargs in STEPS:
        counting.shown = []
        run_engine_step(engine, dossier_id, trigger, actor_ids[role], kwargs, counting)
        print(f"{trigger}: {len(counting.shown)} statements")
        for statement in counting.shown:
            print(f"    {statement}")
    counting.shown, counting.total, counting.kinds = None, 0, Counter()


def run_floor(engine, ids: list[int], counting: Counting) -> float:
    """Every lifecycle as plain SQL: per step, an UPDATE and an audit INSERT, committed."""
    states = ("submitted", "returned", "submitted", "in_appraisal", "appraised", "decided")
    update = text("UPDATE dossier SET state = :state, version = version + 1, "
                  "state_entered_at = :now WHERE id = :id")
    insert = text("INSERT INTO bench_audit (occurred_at, action, subject_type, subject_id, "
                  "to_state, data) VALUES (:now, :action, 'dossier', :id, :state, :data)")
    start = time.perf_counter()
    counting.on = True
    for dossier_id in ids:
        for (trigger, _role, _kwargs), state in zip(STEPS, states, strict=True):
            now = utcnow().isoformat()
            with engine.begin() as conn:
                conn.execute(update, {"state": state, "now": now, "id": dossier_id})
                conn.execute(insert, {"now": now, "action": f"dossier.{trigger}",
                                      "id": str(dossier_id), "state": state,
                                      "data": json.dumps({"version": 0})})
    counting.on = False
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifecycles", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--show", action="store_true",
                        help="print the statements of one lifecycle's transitions first")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{tmp.name}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = create_app(Config(secret_key="bench-secret", database_url=url,
                            instance_dir=Path(tmp.name) / "instance"))
    engine = app.extensions["workflow_db_engine"]
    full_sync(engine)
    n = args.lifecycles
    with app.app_context():
        data = seed(db.session, n)
        db.session.remove()
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE bench_audit (id INTEGER PRIMARY KEY, "
                              "occurred_at VARCHAR(40), action VARCHAR(80), "
                              "subject_type VARCHAR(40), subject_id VARCHAR(40), "
                              "to_state VARCHAR(40), data TEXT)"
                              if engine.dialect.name == "sqlite" else
                              "CREATE TABLE bench_audit (id SERIAL PRIMARY KEY, "
                              "occurred_at VARCHAR(40), action VARCHAR(80), "
                              "subject_type VARCHAR(40), subject_id VARCHAR(40), "
                              "to_state VARCHAR(40), data TEXT)"))
            sync = (conn.exec_driver_sql("PRAGMA synchronous").scalar()
                    if engine.dialect.name == "sqlite" else "n/a")
        counting = Counting(engine)
        # A few lifecycles first so both sides run warm (caches, compiled statements).
        warm = max(1, n // 20)
        run_engine(engine, data["engine"][:warm], data["actors"], counting)
        run_floor(engine, data["floor"][:warm], counting)
        counting.total, counting.kinds = 0, Counter()
        if args.show:
            show_one(engine, data["engine"][warm], data["actors"], counting)
            warm += 1
        ids, floor_ids = data["engine"][warm:], data["floor"][warm:]
        product = run_engine(engine, ids, data["actors"], counting)
        product_statements, kinds = counting.total, Counter(counting.kinds)
        counting.total, counting.kinds = 0, Counter()
        floor = run_floor(engine, floor_ids, counting)
        floor_statements = counting.total
    transitions = len(ids) * len(STEPS)
    load = os.getloadavg()
    print(f"database: {engine.dialect.name} (synchronous={sync}), lifecycles: {len(ids)} "
          f"of {len(STEPS)} transitions (+{warm} warm-up each side), "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for label, seconds, statements in (("engine: fire + commit", product, product_statements),
                                       ("floor: UPDATE + audit INSERT", floor,
                                        floor_statements)):
        print(f"{label:<30} {len(ids) / seconds:8.1f} lifecycles/s  "
              f"{seconds / transitions * 1000:7.2f} ms/transition  "
              f"{statements / transitions:5.1f} statements/transition")
    print(f"{'engine / floor':<30} {floor / product * 100:8.1f} % of the floor's rate "
          f"({product / floor:.1f}x its time)")
    print("statements per transition, by kind:")
    for kind, count in kinds.most_common():
        print(f"  {count / transitions:5.2f}  {kind}")
    engine.dispose()
    tmp.cleanup()


if __name__ == "__main__":
    main()
