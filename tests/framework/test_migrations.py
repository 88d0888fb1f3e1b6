"""Alembic: `upgrade head` equals the models; downgrade to base and upgrade again work."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy import select as sa_select

from workflow_app.migrate import downgrade, upgrade
from workflow_app.models import Base

IN_CI = os.environ.get("CI", "").lower() == "true"


def _differences(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def _tables(engine):
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_matches_the_models(scratch_engine):
    upgrade(scratch_engine)
    assert _differences(scratch_engine) == []
    assert _tables(scratch_engine) == set(Base.metadata.tables)


def test_downgrade_to_base_and_upgrade_again(scratch_engine):
    upgrade(scratch_engine)
    downgrade(scratch_engine, "base")
    assert _tables(scratch_engine) == set()
    upgrade(scratch_engine)
    assert _differences(scratch_engine) == []


def test_audit_triggers_exist_after_upgrade(scratch_engine):
    upgrade(scratch_engine)
    with scratch_engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars().all()
            assert {"audit_event_no_update", "audit_event_no_delete"} <= set(rows)
        else:
            rows = conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars().all()
            assert {"audit_event_no_change", "audit_event_no_truncate"} <= set(rows)


def _version(engine) -> str:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()


def _unique_sets(engine, table) -> set[tuple[str, ...]]:
    return {tuple(c["column_names"]) for c in inspect(engine).get_unique_constraints(table)}


def _documents(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(
            "SELECT 'QĐ', d.year, d.reference, i.dossier_id FROM decision d "
            "JOIN decision_item i ON i.decision_id = d.id UNION ALL "
            "SELECT 'TTr', l.year, l.reference, i.dossier_id FROM submission_letter l "
            "JOIN submission_item i ON i.letter_id = l.id UNION ALL "
            "SELECT 'QĐ-revoking', r.year, r.reference, r.revocation_id "
            "FROM revocation_decision r ORDER BY 1, 2, 3, 4")]


def test_0007_drops_the_reference_uniqueness_and_downgrades_only_when_it_can_hold(
        app, tx, session, make_user, make_person, make_award, make_dossier, tmp_path):
    """Revision 0007 up and down with issued documents and their annexes present: a
    downgrade works while every reference is unique, and refuses by name (changing nothing)
    once 01/QĐ-BTP exists in two years."""
    from click import ClickException

    from tests.support.helpers import run_cli
    from tests.support.new_year_data import (
        DEC_30,
        DEC_31,
        JAN_1,
        decide_on,
        forward_on,
        propose_for,
        revoke_on,
    )
    from workflow_app.attachments.storage import Storage
    from workflow_app.extensions import db
    from workflow_app.models.catalogue import AwardVersion

    storage = Storage(tmp_path / "documents")
    signer = make_user("signer-btp", roles=["signer", "reviewer"],
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    higher = make_award()
    tx.scalars(sa_select(AwardVersion).where(AwardVersion.award_id == higher.id)).one() \
        .conferring_level = "prime_minister"
    tx.commit()
    first, second, later = (make_dossier("council_approved").id for _ in range(3))
    forwarded = make_dossier("council_approved", award=higher).id
    for dossier_id in (first, second):
        decide_on(tx, signer.id, [dossier_id], storage, DEC_30)  # 01, 02/QĐ-BTP of 2025
        tx.commit()
    revoke_on(tx, signer.id, propose_for(tx, signer.id, first, DEC_31), storage, DEC_31)
    forward_on(tx, signer.id, [forwarded], storage, DEC_31)
    tx.commit()
    engine = db.engine
    head = _version(engine)
    before = _documents(engine)
    assert len(before) == 4
    try:
        downgrade(engine, "0006")  # every reference is still unique: allowed
        assert _version(engine) == "0006"
        for table in ("decision", "submission_letter", "revocation_decision"):
            assert ("reference",) in _unique_sets(engine, table)
        assert _documents(engine) == before  # annex rows kept, still pointing at their parent
        upgrade(engine)
        assert _version(engine) == head and _documents(engine) == before
        assert ("reference",) not in _unique_sets(engine, "decision")
        # 0016's downgrade dropped the document settings (issue 18): enter them again.
        from tests.support.factories import ROOT_FOUNDING_GROUND
        from tests.support.workflow_factories import TEST_GROUND
        from workflow_app.models.org import OrgUnit
        tx.expire_all()
        tx.scalars(sa_select(OrgUnit).where(OrgUnit.code == "BTP")).one().founding_ground = \
            ROOT_FOUNDING_GROUND
        for version in tx.scalars(sa_select(AwardVersion)):
            version.legal_grounds = [TEST_GROUND]
        tx.commit()

        decide_on(tx, signer.id, [later], storage, JAN_1)  # 01/QĐ-BTP of 2026
        tx.commit()
        with pytest.raises(ClickException, match=r"decision 01/QĐ-BTP \(2025, 2026\)"):
            downgrade(engine, "0006")
        result = run_cli(app, "db", "downgrade", "0006")
        assert result.exit_code == 1
        assert "Error: Cannot downgrade below revision 0007" in result.output
        assert "decision 01/QĐ-BTP (2025, 2026)" in result.output
        assert _version(engine) == head  # nothing changed
        assert ("reference",) not in _unique_sets(engine, "decision")
        assert len(_documents(engine)) == 5
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        upgrade(engine)  # the PostgreSQL test database is shared by the tests that follow


def test_0016_downgrades_only_while_no_rule_has_a_second_revision(scratch_engine):
    """A second revision of a rule (`catalogue load --effective-from`) cannot fit 0015's
    one-version-per-basis constraint: the downgrade refuses by name and changes nothing."""
    from datetime import date

    from click import ClickException
    from sqlalchemy.orm import Session

    from workflow_app.models.catalogue import Award, AwardVersion
    from workflow_app.ops.service.readiness import code_heads, database_revisions

    upgrade(scratch_engine)
    with Session(scratch_engine) as session:
        award = Award(code="CSTDCS", kind="title")
        session.add(award)
        for revision, day in ((1, date(2024, 1, 1)), (2, date(2026, 1, 1))):
            session.add(AwardVersion(
                award=award, basis_key="nd152", revision=revision,
                name_vi="Chiến sĩ thi đua cơ sở", name_en="Grassroots Emulation Fighter",
                subject="individual", conferring_level="unit", legal_basis="Luật TĐKT 2022",
                effective_from=day, source_file="test", content_hash=str(revision) * 64))
        session.commit()
        second = session.scalars(sa_select(AwardVersion).where(
            AwardVersion.revision == 2)).one()
        session.commit()  # no read transaction left open while the schema changes
        with pytest.raises(ClickException) as refused:
            downgrade(scratch_engine, "0015")
        assert "CSTDCS (nd152: 2 revisions)" in refused.value.message
        assert "Nothing was changed" in refused.value.message
        assert database_revisions(scratch_engine) == code_heads()
        session.delete(second)
        session.commit()
    downgrade(scratch_engine, "0015")
    assert database_revisions(scratch_engine) == {"0015"}
    upgrade(scratch_engine)
