"""The shipped catalogue files: complete, valid, and honest about their sources.

These tests read the files only (no database).
"""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from workflow_app.catalogue.service.reader import DEFAULT_DIR, read_catalogue

REQUIRED_CODES = {"LDTT", "CSTDCS", "CSTD_BO", "CSTDTQ", "TTLDTT", "TTLDXS", "CO_BO", "CO_CP",
                  "GK", "BK_BO", "BK_TTG", "HCLD3", "KNC"}

# Every citation a rule block may use: the article-level references LEGAL_FACTS.md confirms.
# A new citation must be checked against LEGAL_FACTS.md before it is added here.
CONFIRMED_CITATIONS = {
    "Luật TĐKT 2022, Điều 21", "Luật TĐKT 2022, Điều 22", "Luật TĐKT 2022, Điều 23",
    "Luật TĐKT 2022, Điều 24 k1", "Luật TĐKT 2022, Điều 25", "Luật TĐKT 2022, Điều 25 k1",
    "Luật TĐKT 2022, Điều 25 k2", "Luật TĐKT 2022, Điều 25 k3", "Luật TĐKT 2022, Điều 26",
    "Luật TĐKT 2022, Điều 26 k1", "Luật TĐKT 2022, Điều 26 k2", "Luật TĐKT 2022, Điều 27",
    "Luật TĐKT 2022, Điều 44", "Luật TĐKT 2022, Điều 44 k1 e", "Luật TĐKT 2022, Điều 44 k1 g",
    "Luật TĐKT 2022, Điều 44 k2", "Luật TĐKT 2022, Điều 73 k1", "Luật TĐKT 2022, Điều 73 k1 a",
    "Luật TĐKT 2022, Điều 73 k1 b", "Luật TĐKT 2022, Điều 73 k1 c",
    "Luật TĐKT 2022, Điều 73 k1 d", "Luật TĐKT 2022, Điều 74 k1", "Luật TĐKT 2022, Điều 74 k1 d",
    "Luật TĐKT 2022, Điều 75 k2", "Luật TĐKT 2022, Điều 84 k5", "Luật TĐKT 2022, Điều 85",
    "Nghị định 98/2023/NĐ-CP, Điều 40 k1", "Nghị định 98/2023/NĐ-CP, Điều 46 k1",
    "Nghị định 98/2023/NĐ-CP, Điều 46 k2", "Nghị định 152/2025/NĐ-CP",
    "Nghị định 152/2025/NĐ-CP, Điều 21", "Nghị định 152/2025/NĐ-CP, Điều 44 k2",
    "Thông tư 11/2023/TT-BTP", "Thông tư 14/2025/TT-BTP",
}


def _raw_files() -> list[tuple[str, dict]]:
    return [(path.name, tomllib.loads(path.read_text(encoding="utf-8")))
            for path in sorted(DEFAULT_DIR.glob("*.toml"))]


def _rule_blocks(raw: dict):
    """(where, block, top_level) for every block that must state its provenance."""
    for i, prerequisite in enumerate(raw["basis"].get("prerequisites", []), start=1):
        yield from _prerequisite_blocks(f"basis.prerequisites[{i}]", prerequisite, True)
    for award in raw["award"]:
        code = award["code"]
        for name in ("vote_rule", "disclosure", "quota", "simplified"):
            if name in award:
                yield f"{code}.{name}", award[name], True
        for i, prerequisite in enumerate(award.get("prerequisites", []), start=1):
            yield from _prerequisite_blocks(f"{code}.prerequisites[{i}]", prerequisite, True)


def _prerequisite_blocks(where: str, block: dict, top_level: bool):
    yield where, block, top_level
    for i, option in enumerate(block.get("options", []), start=1):
        yield from _prerequisite_blocks(f"{where}.options[{i}]", option, False)


def test_shipped_files_load_without_problems():
    parsed = read_catalogue()
    assert {file.name for file in parsed} >= {"ltdkt2022_nd98_2023.toml",
                                             "ltdkt2022_nd152_2025.toml"}


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2025, 6, 30), date(2025, 7, 1)])
def test_every_award_of_the_issue_except_knc_is_in_force_from_2024(day):
    in_force = {record["code"] for file in read_catalogue() for record in file.records
                if record["effective_from"] <= day
                and (record["effective_to"] is None or day <= record["effective_to"])}
    assert in_force >= REQUIRED_CODES - {"KNC"}


def test_every_award_of_the_issue_is_in_force_after_circular_14_2025():
    day = date(2025, 9, 15)
    in_force = {record["code"] for file in read_catalogue() for record in file.records
                if record["effective_from"] <= day and record["effective_to"] is None}
    assert in_force >= REQUIRED_CODES


def test_every_rule_block_has_a_source_or_is_configurable_never_both():
    checked = 0
    for name, raw in _raw_files():
        for where, block, top_level in _rule_blocks(raw):
            has_source, configurable = "source" in block, block.get("configurable") is True
            assert not (has_source and configurable), f"{name}: {where} has both"
            if top_level:
                assert has_source or configurable, f"{name}: {where} has neither"
            if block.get("old_regime"):
                assert configurable, f"{name}: {where} is old-regime but not configurable"
            checked += 1
    assert checked > 100


def test_every_citation_is_one_confirmed_by_the_legal_facts():
    for name, raw in _raw_files():
        for where, block, _top in _rule_blocks(raw):
            for part in filter(None, (p.strip() for p in block.get("source", "").split(";"))):
                assert part in CONFIRMED_CITATIONS, f"{name}: {where} cites unconfirmed '{part}'"


def _award(basis_key: str, code: str) -> dict:
    for file in read_catalogue():
        for record in file.records:
            if record["basis_key"] == basis_key and record["code"] == code:
                return record
    raise AssertionError(f"{code} not in {basis_key}")


@pytest.mark.parametrize("basis", ["LTDKT2022_ND98_2023", "LTDKT2022_ND152_2025"])
def test_unconfirmed_thresholds_are_configurable_with_old_rule_defaults(basis):
    for code in ("CSTD_BO", "CSTDTQ"):
        rule = _award(basis, code)["vote_rule"]
        assert (rule["method"], rule["denominator"], rule["comparator"], rule["ratio"]) == (
            "secret_ballot", "all_members", ">=", "9/10")
        assert rule["configurable"] and rule["old_regime"] and rule["source"] is None
        assert "91/2017" in rule["note"]
    quota = _award(basis, "CSTDCS")["quota"]
    assert (quota["kind"], quota["award"], quota["max"]) == ("share_of", "LDTT", "15/100")
    assert quota["configurable"] and quota["old_regime"]
    assert _award(basis, "GK")["vote_rule"]["ratio"] == "1/2"


def test_disclosure_of_ten_working_days_cites_the_decree_of_its_period():
    for code in ("CSTDTQ", "HCLD3"):
        old, new = _award("LTDKT2022_ND98_2023", code), _award("LTDKT2022_ND152_2025", code)
        assert old["disclosure"]["working_days"] == new["disclosure"]["working_days"] == 10
        assert "Nghị định 98/2023/NĐ-CP, Điều 46" in old["disclosure"]["source"]
        assert "Nghị định 152/2025/NĐ-CP" in new["disclosure"]["source"]
    assert _award("LTDKT2022_ND152_2025", "LDTT")["disclosure"]["required"] is False


def test_decree_152_principle_applies_to_every_award_of_its_file():
    for code in REQUIRED_CODES - {"KNC"}:
        kinds = [p["kind"] for p in _award("LTDKT2022_ND152_2025", code)["prerequisites"]]
        assert kinds[-1] == "no_pending_proceedings"
        assert "no_pending_proceedings" not in [
            p["kind"] for p in _award("LTDKT2022_ND98_2023", code)["prerequisites"]]


def test_simplified_procedure_needs_the_short_summary_report():
    for file in read_catalogue():
        for record in file.records:
            if record["simplified"]:
                assert "BAO_CAO_TOM_TAT_THANH_TICH" in record["simplified"]["required_documents"]
