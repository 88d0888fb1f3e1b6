"""The award registry over the API: search, a person's and a unit's history (revoked awards
with the revoking decision), hand entry and the XLSX import (row-by-row report, nothing
half-imported) — scoped like the registry pages."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import count, events, ok
from tests.support.registry_data import give, initiative, rate, rate_unit
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service import layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def registry(shipped_catalogue, session, make_unit, root_unit, make_person, make_user):
    """Two units under the ministry, a person in each, a reviewer over the first."""
    mine = make_unit("Cục Con nuôi", parent=root_unit, code="CCN")
    other = make_unit("Cục Khác", parent=root_unit, code="CK")
    person = make_person("Nguyễn Thị Nhập", unit=mine, date_of_birth=date(1980, 3, 15))
    stranger = make_person("Nguyễn Văn Ngoài", unit=other)
    officer = make_user("reviewer-ccn", roles=["reviewer"], unit=mine, locale="en")
    outsider = make_user("reviewer-ck", roles=["reviewer"], unit=other, locale="en")
    return mine, other, person, stranger, officer, outsider


def workbook(**sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(layout.SHEETS[name]))
        for row in rows:
            sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(call, data: bytes, **fields):
    return call("POST", "/api/v1/registry/imports", data={
        "file": (BytesIO(data), "registry.xlsx"), **fields},
        content_type="multipart/form-data")


def test_search_finds_visible_persons_and_units_without_diacritics(as_user, registry):
    mine, other, person, stranger, officer, _outsider = registry
    found = ok(as_user(officer)("GET", "/api/v1/registry/search?q=nguyen"))
    assert [p["id"] for p in found["persons"]] == [person.id]  # not the other unit's
    assert found["persons"][0]["unit"]["code"] == "CCN"
    units = ok(as_user(officer)("GET", "/api/v1/registry/search?q=cuc khac"))["units"]
    assert [u["id"] for u in units] == [other.id]  # units are not personal data
    assert ok(as_user(officer)("GET", "/api/v1/registry/search"))["persons"] == []


def test_histories_show_revoked_awards_ratings_and_initiatives(
        as_user, session, registry):
    mine, _other, person, stranger, officer, outsider = registry
    give(session, "LDTT", 2022, person=person)
    [revoked] = give(session, "CSTDCS", 2023, person=person, revoked=True)
    revoked.revocation_number = "05/QĐ-BTP"
    session.commit()
    rate(session, person, "excellent", 2023)
    initiative(session, person, 2023, "ministry")
    give(session, "TTLDXS", 2023, unit=mine)
    rate_unit(session, mine, "good", 2023)
    history = ok(as_user(officer)("GET", f"/api/v1/registry/persons/{person.id}"))
    assert [(a["award_code"], a["year"], a["status"]) for a in history["awards"]] == \
        [("CSTDCS", 2023, "revoked"), ("LDTT", 2022, "active")]
    assert history["awards"][0]["revocation_number"] == "05/QĐ-BTP"
    assert history["awards"][1]["can_propose_revocation"] is True
    assert [(r["year"], r["rating"]) for r in history["ratings"]] == [(2023, "excellent")]
    assert history["initiatives"][0]["scope"] == "ministry" and history["can_enter"] is True
    hidden = as_user(outsider)("GET", f"/api/v1/registry/persons/{person.id}")
    assert hidden.status_code == 404 and error_code(hidden) == "not_found"
    assert "Nhập" not in hidden.get_data(as_text=True)
    unit = ok(as_user(outsider)("GET", f"/api/v1/registry/units/{mine.id}"))
    assert [a["award_code"] for a in unit["awards"]] == ["TTLDXS"]
    assert unit["ratings"][0]["rating"] == "good" and unit["can_enter"] is False


def test_hand_entry_is_checked_audited_and_scoped(as_user, session, registry, submitter):
    mine, other, person, stranger, officer, outsider = registry
    call = as_user(officer)
    url = f"/api/v1/registry/persons/{person.id}"
    award = {"award_code": "CSTDCS", "year": 2024, "decision_number": "45/QĐ-CCN",
             "decision_date": "2024-12-20", "issuer": "Cục Con nuôi"}
    entered = ok(call("POST", f"{url}/awards", json=award), 201)
    assert (entered["source"], entered["status"]) == ("manual", "active")
    assert session.get(AwardRecord, entered["id"]).person_id == person.id
    [event] = events(session, "registry.entered")
    assert event.data["award"] == "CSTDCS" and event.actor_id == officer.id
    twice = call("POST", f"{url}/awards", json=award)
    assert twice.status_code == 422 and error_code(twice) == "entry_refused"
    assert "Already in the registry" in twice.get_json()["error"]["message"]
    for bad in ({"award_code": "NOPE"}, {"decision_date": "2999-01-01"},
                {"award_code": "TTLDXS"}):
        response = call("POST", f"{url}/awards", json={**award, **bad})
        assert response.status_code == 422 and error_code(response) == "entry_refused", bad
    assert ok(call("POST", f"{url}/ratings", json={"year": 2024, "rating": "good"}),
              201)["rating_label"]
    assert call("POST", f"{url}/ratings", json={"year": 2024, "rating": "meh"}).status_code \
        == 422
    done = ok(call("POST", f"{url}/initiatives", json={
        "year": 2024, "title": "Số hoá hồ sơ", "scope": "ministry"}), 201)
    assert done["kind"] == "initiative"
    unit_url = f"/api/v1/registry/units/{mine.id}"
    ok(call("POST", f"{unit_url}/awards", json={**award, "award_code": "TTLDXS"}), 201)
    ok(call("POST", f"{unit_url}/ratings", json={"year": 2024, "rating": "excellent"}), 201)
    assert (count(session, PerformanceRating), count(session, Initiative),
            count(session, UnitRating)) == (1, 1, 1)

    hidden = as_user(outsider)("POST", f"{url}/ratings", json={"year": 2023, "rating": "good"})
    assert hidden.status_code == 404
    forbidden = as_user(outsider)("POST", f"{unit_url}/ratings",
                                  json={"year": 2023, "rating": "good"})
    assert forbidden.status_code == 403 and error_code(forbidden) == "forbidden"
    by_submitter = as_user(submitter)("POST", f"{unit_url}/ratings",
                                      json={"year": 2023, "rating": "good"})
    assert by_submitter.status_code == 403 and error_code(by_submitter) == "role_required"
    assert count(session, UnitRating) == 1


def test_import_checks_every_row_and_imports_all_or_nothing(as_user, session, registry,
                                                            submitter):
    mine, _other, person, _stranger, officer, _outsider = registry
    call = as_user(officer)
    good = workbook(awards=[("Nguyễn Thị Nhập", "CCN", "15/03/1980", "", "CSTDCS", 2023,
                             "123/QĐ-BTP", "20/12/2023", "Bộ Tư pháp")],
                    ratings=[("", "CCN", "", "", 2023, "HTXSNV")])
    checked = ok(upload(call, good, dry_run="true"))
    assert (checked["ok"], checked["imported"], checked["counts"]["awards"]) == (True, False, 1)
    assert count(session, AwardRecord) == 0
    bad = workbook(awards=[("Nguyễn Thị Nhập", "CCN", "15/03/1980", "", "CSTDCS", 2023,
                            "123/QĐ-BTP", "20/12/2023", ""),
                           ("Ai Đó", "NOPE", "", "", "LDTT", 2023, "1/QĐ", "20/12/2023", "")])
    refused = upload(call, bad)
    assert refused.status_code == 422 and error_code(refused) == "import_invalid"
    report = refused.get_json()["error"]["details"]
    assert report["ok"] is False and report["imported"] is False
    first = report["problems"][0]
    assert (first["sheet"], first["row"], first["column"]) == ("awards", 3, "unit_code")
    assert count(session, AwardRecord) == 0  # the valid first row is not imported either
    not_xlsx = upload(call, b"%PDF-1.4 not a workbook")
    assert error_code(not_xlsx) == "import_invalid"
    imported = ok(upload(call, good))
    assert imported["imported"] is True and imported["counts"] == \
        {"awards": 1, "ratings": 1, "initiatives": 0}
    assert (count(session, AwardRecord), count(session, UnitRating)) == (1, 1)
    [event] = events(session, "registry.imported")
    assert event.data["sha256"] == imported["sha256"]
    missing = call("POST", "/api/v1/registry/imports", data={"dry_run": "true"},
                   content_type="multipart/form-data")
    assert missing.status_code == 422 and error_code(missing) == "validation_failed"
    as_json = call("POST", "/api/v1/registry/imports", json={"dry_run": True})
    assert as_json.status_code == 415
    by_submitter = upload(as_user(submitter), good)
    assert by_submitter.status_code == 403 and error_code(by_submitter) == "role_required"
    read_only = upload(as_user(officer, scope="read"), good)
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    assert count(session, AwardRecord) == 1


def test_the_import_template_is_a_workbook_with_every_sheet(as_user, registry, submitter):
    _mine, _other, _person, _stranger, officer, _outsider = registry
    response = as_user(officer)("GET", "/api/v1/registry/imports/template")
    assert response.status_code == 200 and response.mimetype == XLSX
    book = load_workbook(BytesIO(response.data))
    assert set(book.sheetnames) == set(layout.SHEETS)
    assert as_user(submitter)("GET", "/api/v1/registry/imports/template").status_code == 403


def test_unknown_rows_are_404(as_user, registry):
    officer = registry[4]
    for url in ("/api/v1/registry/persons/999999", "/api/v1/registry/units/999999"):
        response = as_user(officer)("GET", url)
        assert response.status_code == 404 and error_code(response) == "not_found"
