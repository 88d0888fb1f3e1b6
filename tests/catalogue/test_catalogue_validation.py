"""Broken catalogue files fail loading with file, entry and reason, and change nothing."""

from __future__ import annotations

import pytest

from tests.support.catalogue_helpers import ND98, ND152, TT14, copy_catalogue, database_state, edit
from workflow_app.catalogue.service.errors import CatalogueError
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.service.reader import read_catalogue

# (case, file, old text, new text, file named, entry named, reason)
BROKEN = [
    ("bad enum", ND98, 'method = "secret_ballot"', 'method = "show_of_hands"',
     ND98, "award LDTT (entry 1)", "vote_rule.method: 'show_of_hands' is not one of"),
    ("ratio above one", ND98, 'ratio = "9/10"', 'ratio = "10/9"',
     ND98, "award CSTD_BO (entry 3)", "vote_rule.ratio: '10/9' is not a fraction"),
    ("ratio not a fraction", ND152, 'max = "15/100"', 'max = "15%"',
     ND152, "award CSTDCS (entry 2)", "quota.max: '15%' is not a fraction"),
    ("missing field", ND98, 'name_en = "Advanced Collective"\n', "",
     ND98, "award TTLDTT (entry 5)", "name_en: missing required field"),
    ("overlapping dates", ND152, "effective_from = 2025-07-01", "effective_from = 2025-06-01",
     ND152, "award LDTT (entry 1)", "overlap the version in " + ND98),
    ("source and configurable", ND98, "required = false\nconfigurable = true",
     'required = false\nconfigurable = true\nsource = "Luật TĐKT 2022, Điều 24 k1"',
     ND98, "award LDTT (entry 1)", "disclosure: has both source and configurable"),
    ("neither source nor configurable", TT14, 'kind = "none"\nconfigurable = true',
     'kind = "none"', TT14, "award KNC (entry 1)", "quota: needs either source"),
    ("unknown document code", ND98, '"BIEN_BAN_BINH_XET"]', '"BIEN_BAN_XYZ"]',
     ND98, "award LDTT (entry 1)", "required_documents: unknown code 'BIEN_BAN_XYZ'"),
    ("duplicate code", ND98, 'code = "CSTDCS"', 'code = "LDTT"',
     ND98, "award LDTT (entry 2)", "code: duplicate code"),
    ("unknown prerequisite kind", ND98, 'kind = "consecutive_titles"',
     'kind = "consecutive_medals"',
     ND98, "award CSTD_BO (entry 3)", "prerequisites[1].kind: 'consecutive_medals' is not one"),
    ("misspelt field", ND98, 'source = "Luật TĐKT 2022, Điều 23"', 'sorce = "Luật TĐKT 2022"',
     ND98, "award CSTDCS (entry 2)", "prerequisites[1].sorce: unknown field"),
    ("citation outside the basis", TT14, 'source = "Thông tư 14/2025/TT-BTP"',
     'source = "Nghị định 91/2017/NĐ-CP, Điều 45"', TT14, "award KNC (entry 1)",
     "does not cite one of this file's texts"),
    ("old regime cited as source", ND98, 'max = "1/5"\nconfigurable = true',
     'max = "1/5"\nsource = "Luật TĐKT 2022, Điều 25"', ND98, "award CO_CP (entry 8)",
     "old_regime = true is only allowed with configurable = true"),
    ("date written as text", TT14, "effective_from = 2025-09-15", 'effective_from = "15/09/2025"',
     TT14, "[basis]", "effective_from: '15/09/2025' must be a date"),
    ("end before start", ND98, "effective_to = 2025-06-30", "effective_to = 2023-06-30",
     ND98, "[basis]", "effective_to: 2023-06-30 is before effective_from 2024-01-01"),
    ("misnamed basis table", TT14, "[basis]\n", "[legal_basis]\n", TT14, "[basis]",
     "key: missing required field"),
    ("prerequisites not a list", TT14, "[[award.prerequisites]]", "[award.prerequisites]",
     TT14, "award KNC (entry 1)", "prerequisites: must be a list of tables"),
    ("invalid TOML", TT14, "[[award]]", "[[award]", TT14, "(file)", "not valid TOML"),
    ("unknown award reference", ND152, 'award = "CSTD_BO"', 'award = "CSTD_TINH"',
     ND152, "award CSTDTQ (entry 4)", "unknown award code 'CSTD_TINH'"),
    ("kind differs between files", ND152, 'name_en = "Advanced Worker"\nkind = "title"',
     'name_en = "Advanced Worker"\nkind = "form"', ND98, "award LDTT (entry 1)",
     "kind: 'title' differs from 'form' in " + ND152),
]


def _broken_copy(tmp_path, index: int, file: str, old: str, new: str):
    directory = copy_catalogue(tmp_path / f"broken{index}")
    edit(directory, file, old, new)
    return directory


@pytest.mark.parametrize(("case", "file", "old", "new", "named_file", "entry", "reason"),
                         BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_file_is_refused_naming_file_entry_and_reason(
        tmp_path, case, file, old, new, named_file, entry, reason):
    with pytest.raises(CatalogueError) as caught:
        read_catalogue(_broken_copy(tmp_path, 0, file, old, new))
    message = str(caught.value)
    assert f"{named_file}: {entry}: " in message
    assert reason in message


def test_no_broken_file_changes_the_database(session, tmp_path):
    """Each broken variant is refused as a whole: versions and audit trail stay as they were."""
    load_catalogue(session, copy_catalogue(tmp_path / "good"))
    session.commit()
    before = database_state(session)
    for index, (case, file, old, new, *_expected) in enumerate(BROKEN):
        with pytest.raises(CatalogueError):
            load_catalogue(session, _broken_copy(tmp_path, index, file, old, new))
        session.rollback()
        assert database_state(session) == before, case


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    directory = copy_catalogue(tmp_path)
    edit(directory, ND98, 'method = "secret_ballot"', 'method = "show_of_hands"')
    edit(directory, ND98, 'ratio = "9/10"', 'ratio = "0/10"')
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(None, directory)
    assert len(caught.value.problems) == 2
    assert "2 problems" in caught.value.message


def test_a_directory_without_catalogue_files_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="no \\*.toml files"):
        load_catalogue(None, tmp_path)
    with pytest.raises(CatalogueError, match="not a directory"):
        load_catalogue(None, tmp_path / "missing")
