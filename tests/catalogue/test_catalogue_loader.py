"""Loading the catalogue: idempotent, audited, never deleting, and dated correctly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support.catalogue_helpers import ND98, ND152, TT14, copy_catalogue, edit
from workflow_app.audit.verify import verify_chain
from workflow_app.catalogue.service.loader import content_hash, load_catalogue
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.catalogue.service.reader import read_catalogue
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion

SHIPPED_VERSIONS = sum(len(file.records) for file in read_catalogue())


def _events(session, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action.like("catalogue.%"))
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query.order_by(AuditEvent.seq)))


def _version(session, code: str, basis_key: str) -> AwardVersion:
    award = award_by_code(session, code)
    return next(v for v in award.versions if v.basis_key == basis_key)


def test_shipped_catalogue_loads_with_one_audit_event_per_version(session):
    result = load_catalogue(session, actor_label="test")
    session.commit()

    assert result.count("added") == SHIPPED_VERSIONS == 33
    assert session.scalar(select(func.count()).select_from(AwardVersion)) == SHIPPED_VERSIONS
    added = _events(session, "catalogue.version_added")
    assert len(added) == SHIPPED_VERSIONS
    version = _version(session, "CSTDCS", "LTDKT2022_ND152_2025")
    event = next(e for e in added if e.subject_id == str(version.id))
    assert event.data["content_hash"] == version.content_hash
    assert event.data["content"]["quota"]["max"] == "15/100"
    assert verify_chain(session).ok


def test_loading_twice_changes_nothing_and_adds_no_audit_event(session):
    load_catalogue(session)
    session.commit()
    stamps = {v.id: (v.loaded_at, v.content_hash) for v in session.scalars(select(AwardVersion))}
    events = len(_events(session))

    result = load_catalogue(session)
    session.commit()

    assert result.is_noop and result.count("unchanged") == SHIPPED_VERSIONS
    assert len(_events(session)) == events
    session.expire_all()
    assert {v.id: (v.loaded_at, v.content_hash)
            for v in session.scalars(select(AwardVersion))} == stamps


def test_a_changed_rule_is_updated_and_audited_with_its_diff(session, tmp_path):
    directory = copy_catalogue(tmp_path)
    load_catalogue(session, directory)
    session.commit()
    old_hash = _version(session, "CSTD_BO", "LTDKT2022_ND152_2025").content_hash
    edit(directory, ND152, 'ratio = "9/10"', 'ratio = "4/5"')  # CSTD_BO's vote rule

    result = load_catalogue(session, directory)
    session.commit()

    changed = [c for c in result.changes if c.action == "changed"]
    assert [(c.code, c.basis_key) for c in changed] == [("CSTD_BO", "LTDKT2022_ND152_2025")]
    assert result.count("unchanged") == SHIPPED_VERSIONS - 1
    version = _version(session, "CSTD_BO", "LTDKT2022_ND152_2025")
    assert version.vote_rule["ratio"] == "4/5"
    assert version.content_hash != old_hash
    (event,) = _events(session, "catalogue.version_changed")
    assert event.subject_id == str(version.id)
    assert set(event.data["diff"]) == {"vote_rule"}
    old, new = event.data["diff"]["vote_rule"]
    assert (old["ratio"], new["ratio"]) == ("9/10", "4/5")
    assert _version(session, "CSTD_BO", "LTDKT2022_ND98_2023").vote_rule["ratio"] == "9/10"


def test_a_renamed_file_only_records_the_new_file_name(session, tmp_path):
    directory = copy_catalogue(tmp_path)
    load_catalogue(session, directory)
    session.commit()
    (directory / TT14).rename(directory / "kniem_chuong_tu_phap.toml")

    result = load_catalogue(session, directory)
    session.commit()

    (change,) = [c for c in result.changes if c.action != "unchanged"]
    assert change.diff == {"source_file": [TT14, "kniem_chuong_tu_phap.toml"]}
    assert _version(session, "KNC", "TT14_2025_BTP").source_file == "kniem_chuong_tu_phap.toml"


def test_a_removed_file_withdraws_its_versions_without_deleting_them(session, tmp_path):
    directory = copy_catalogue(tmp_path)
    load_catalogue(session, directory)
    session.commit()
    knc_id = _version(session, "KNC", "TT14_2025_BTP").id
    text = (directory / TT14).read_text(encoding="utf-8")
    (directory / TT14).unlink()

    result = load_catalogue(session, directory)
    session.commit()

    assert result.count("withdrawn") == 1
    knc = award_by_code(session, "KNC")
    assert [v.id for v in knc.versions] == [knc_id]
    assert knc.versions[0].is_withdrawn
    assert knc.version_on(date(2026, 1, 1)) is None
    assert len(_events(session, "catalogue.version_withdrawn")) == 1

    (directory / TT14).write_text(text, encoding="utf-8")
    result = load_catalogue(session, directory)
    session.commit()
    assert result.count("restored") == 1
    assert award_by_code(session, "KNC").version_on(date(2026, 1, 1)).id == knc_id
    assert len(_events(session, "catalogue.version_restored")) == 1


def test_stored_hash_is_the_hash_of_the_file_content(session):
    load_catalogue(session)
    session.commit()
    for file in read_catalogue():
        for record in file.records:
            version = _version(session, record["code"], record["basis_key"])
            assert version.content_hash == content_hash(record)
            assert version.source_file == file.name


@pytest.mark.parametrize(("code", "day", "basis_key"), [
    ("LDTT", date(2023, 12, 31), None),
    ("LDTT", date(2024, 1, 1), "LTDKT2022_ND98_2023"),
    ("LDTT", date(2025, 6, 30), "LTDKT2022_ND98_2023"),
    ("LDTT", date(2025, 7, 1), "LTDKT2022_ND152_2025"),
    ("HCLD3", date(2030, 1, 1), "LTDKT2022_ND152_2025"),
    ("KNC", date(2025, 9, 14), None),
    ("KNC", date(2025, 9, 15), "TT14_2025_BTP"),
])
def test_version_on_picks_the_version_in_force_on_the_day(session, code, day, basis_key):
    load_catalogue(session)
    session.commit()
    version = award_by_code(session, code).version_on(day)
    assert (version.basis_key if version else None) == basis_key


def test_cli_load_prints_a_summary_and_is_idempotent(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["catalogue", "load"])
    assert first.exit_code == 0, first.output
    assert f"added {SHIPPED_VERSIONS}," in first.output
    assert "added     CSTDCS @ LTDKT2022_ND98_2023 (ltdkt2022_nd98_2023.toml)" in first.output
    second = runner.invoke(args=["catalogue", "load"])
    assert second.exit_code == 0
    assert f"added 0, changed 0, restored 0, withdrawn 0, unchanged {SHIPPED_VERSIONS}" \
        in second.output


def test_cli_load_of_a_broken_file_fails_with_the_problem_and_loads_nothing(app, session,
                                                                           tmp_path):
    directory = copy_catalogue(tmp_path)
    edit(directory, ND98, 'ratio = "9/10"', 'ratio = "9/0"')
    result = app.test_cli_runner().invoke(args=["catalogue", "load", "--path", str(directory)])
    assert result.exit_code == 1
    assert f"{ND98}: award CSTD_BO (entry 3): vote_rule.ratio: '9/0'" in result.output
    assert session.scalar(select(func.count()).select_from(AwardVersion)) == 0


def test_cli_validate_reports_what_a_load_would_do_and_writes_nothing(app, session):
    result = app.test_cli_runner().invoke(args=["catalogue", "validate"])
    assert result.exit_code == 0, result.output
    assert f"A load would give: added {SHIPPED_VERSIONS}," in result.output
    assert session.scalar(select(func.count()).select_from(AwardVersion)) == 0
    assert _events(session) == []
