"""Every migration, down and up again, on a database holding real data (the demo, a council
session with an open voting round, issued documents), on SQLite and PostgreSQL.

SQLite rebuilds tables to alter them; with rows referring to the rebuilt table that used
to fail ("FOREIGN KEY constraint failed") or would silently lose rows. The walk below goes
down one revision at a time to 0001 and back to head, and checks that the rows every
revision keeps are all still there and the audit chain still verifies.
"""

from __future__ import annotations

from datetime import date

from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from tests.support.helpers import run_cli
from workflow_app import create_app
from workflow_app.audit.verify import verify_chain
from workflow_app.config import Config
from workflow_app.migrate import alembic_config, downgrade, upgrade
from workflow_app.models.council import AgendaItem, Council, CouncilSession, VotingRound
from workflow_app.models.dossier import Dossier, report_fingerprint

# Tables of revision 0001 whose rows every later revision keeps.
KEPT = ("org_unit", "person", "app_user", "role_grant", "dossier", "audit_event",
        "council", "council_member", "council_session", "council_agenda_item", "council_round",
        "award_record")


def _revisions() -> list[str]:
    """Revision ids from head down to 0001."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608
                for table in KEPT}


def _open_a_round(engine) -> None:
    """A session of the demo council with a dossier on its agenda in an open voting round:
    rows that point at the session, the round and the dossier."""
    with Session(engine) as session:
        council = session.scalar(select(Council).order_by(Council.id))
        dossier = session.scalar(select(Dossier).where(Dossier.state == "awaiting_council"))
        meeting = CouncilSession(council_id=council.id, held_on=date.today(), place="Hà Nội",
                                 title="Phiên họp thử di chuyển dữ liệu")
        session.add(meeting)
        session.flush()
        round_ = VotingRound(session_id=meeting.id, number=1, quorum={"present": 3})
        session.add(round_)
        session.flush()
        session.add(AgendaItem(session_id=meeting.id, dossier_id=dossier.id, position=1,
                               round_id=round_.id))
        session.commit()


def test_every_revision_goes_down_and_up_with_data_in_place(scratch_url, tmp_path):
    app = create_app(Config(secret_key="test-secret-key", database_url=scratch_url,
                            instance_dir=tmp_path / "instance", testing=True,
                            cookie_secure=False))
    engine = app.extensions["workflow_db_engine"]
    try:
        upgrade(engine)
        for command in (("catalogue", "load"), ("demo", "load")):
            result = run_cli(app, *command)
            assert result.exit_code == 0, result.output
        _open_a_round(engine)
        before = _counts(engine)
        assert before["council_round"] == 1 and before["council_agenda_item"] >= 1
        assert before["dossier"] > 5 and before["audit_event"] > 50

        revisions = _revisions()
        for target in revisions[1:]:  # one step at a time, down to 0001
            downgrade(engine, target)
        assert set(KEPT) <= set(inspect(engine).get_table_names())
        upgrade(engine)

        assert _counts(engine) == before
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(VotingRound)) == 1
            # 0015 gave every dossier its achievement text's fingerprint, as writes do
            rows = session.execute(select(Dossier.report_fingerprint, Dossier.summary,
                                          Dossier.report_sections)).all()
            assert [r[0] for r in rows] == [report_fingerprint(r[1], r[2]) for r in rows]
            assert any(r[0] for r in rows)
            result = verify_chain(session)
        assert result.ok, result.reason
    finally:
        engine.dispose()
