"""A rule version a dossier points to never changes (issue 18): a changed rule is refused
naming the dossiers, or becomes a new version from `--effective-from`; the receipt's
Vietnamese date decides which version a dossier gets. Both databases (the `tx` fixture)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.support.catalogue_helpers import ND152, copy_catalogue, edit
from workflow_app.catalogue.service.errors import CatalogueError
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion
from workflow_app.workflow import fire


def _set_gk_ratio(directory, old: str, new: str) -> None:
    """Change the vote ratio of GK (Decree 152 file) only."""
    path = directory / ND152
    text = path.read_text(encoding="utf-8")
    start = text.index('code = "GK"')
    where = text.index(f'ratio = "{old}"', start)
    assert where < text.index("[[award]]", start)
    path.write_text(text[:where] + f'ratio = "{new}"' + text[where + len(old) + 10:],
                    encoding="utf-8")


def at(day: str, hour: int) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def _gk_versions(tx) -> list[AwardVersion]:
    tx.expire_all()
    return sorted((v for v in award_by_code(tx, "GK").versions
                   if v.basis_key == "LTDKT2022_ND152_2025"), key=lambda v: v.revision)


def test_a_version_in_use_never_changes_and_a_dated_change_applies_from_its_vietnam_date(
        tx, app, make_dossier, submitter, tmp_path):
    directory = copy_catalogue(tmp_path)
    load_catalogue(tx, directory)
    tx.commit()
    gk = award_by_code(tx, "GK")
    (v1,) = _gk_versions(tx)
    docs = list(v1.required_documents)

    def received(moment: datetime):
        dossier = make_dossier(award=gk, documents=docs)
        fire(tx, dossier, "submit", submitter, now=moment)
        tx.commit()
        return dossier

    first = received(at("2026-01-10", 3))  # 10:00 on 10/01 in Vietnam
    assert first.award_version_id == v1.id
    before = (dict(v1.vote_rule), v1.content_hash, v1.effective_to)
    _set_gk_ratio(directory, "1/2", "2/3")

    # In place: refused, naming the dossier; nothing written.
    with pytest.raises(CatalogueError) as refused:
        load_catalogue(tx, directory)
    tx.rollback()
    assert f"#{first.id}" in refused.value.message and "vote_rule" in refused.value.message
    assert "--effective-from" in refused.value.message
    (same,) = _gk_versions(tx)
    assert (same.vote_rule, same.content_hash, same.effective_to) == before
    # A date on or before the receipt of a dossier under it: refused too.
    with pytest.raises(CatalogueError, match="must come after the receipt"):
        load_catalogue(tx, directory, effective_from=date(2026, 1, 10))
    tx.rollback()

    result = load_catalogue(tx, directory, effective_from=date(2026, 1, 11), actor_label="t")
    tx.commit()
    assert [c.code for c in result.changes if c.action == "revised"] == ["GK"]
    old, new = _gk_versions(tx)
    assert (old.id, old.vote_rule, old.content_hash) == (v1.id, before[0], before[1])
    assert old.effective_to == date(2026, 1, 10)
    assert (new.revision, new.effective_from, new.effective_to) == (2, date(2026, 1, 11), None)
    assert new.vote_rule["ratio"] == "2/3"
    event = tx.scalars(select(AuditEvent).where(
        AuditEvent.action == "catalogue.version_revised")).one()
    assert (event.subject_id, event.data["replaces"]) == (str(new.id), v1.id)
    tx.refresh(first)
    assert first.award_version_id == v1.id

    # The receipt's Vietnamese date decides: 23:00 on 10/01 keeps the old version, 01:00 on
    # 11/01 (the effective date) gets the new one.
    late = received(at("2026-01-10", 16))
    on_the_day = received(at("2026-01-10", 18))
    assert (late.award_version_id, on_the_day.award_version_id) == (v1.id, new.id)

    # Loading the same files again changes nothing; wording is still corrected in place.
    assert load_catalogue(tx, directory).is_noop
    edit(directory, ND152, 'official_name = "Giấy khen của {head_title}"',
         'official_name = "Giấy khen của {head_title} (sửa)"')
    result = load_catalogue(tx, directory)
    tx.commit()
    assert [(c.action, c.code) for c in result.changes if c.action != "unchanged"] == [
        ("changed", "GK")]
    assert _gk_versions(tx)[1].official_name.endswith("(sửa)")
    # The CLI says the same: a rule change to the version now in use is refused by name.
    _set_gk_ratio(directory, "2/3", "3/4")
    in_use = f"#{on_the_day.id}"
    tx.commit()  # the CLI writes through its own session: no open read here (SQLite)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["catalogue", "load", "--path", str(directory)])
    loaded = runner.invoke(args=["catalogue", "load", "--path", str(directory),
                                 "--effective-from", "2026-02-01"])
    assert refused.exit_code != 0 and in_use in refused.output
    assert loaded.exit_code == 0 and "revised 1" in loaded.output, loaded.output
    assert [v.effective_from for v in _gk_versions(tx)] == [
        date(2025, 7, 1), date(2026, 1, 11), date(2026, 2, 1)]
