"""Registration, inspections, pacts and the year-end nominations over /api/v1."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from tests.support.api_fixtures import error_code
from workflow_app.org.service import clusters as cluster_service


def test_register_inspect_sign_and_open_nominations_over_the_api(
        session, world, awards, make_movement, as_user):
    movement = make_movement("in_progress")
    ccn, ttb = world["members"][2], world["members"][1]
    officer = as_user(world["officers"]["CCN"], locale="en")
    url = f"/api/v1/movements/{movement.id}/registrations/{ccn.id}"
    bad = officer("PUT", url, json={"lines": [
        {"award_code": "TTLDXS"}, {"award_code": "CSTDCS",
                                   "person_id": world["people"]["TTB"].id}]})
    assert bad.status_code == 422 and error_code(bad) == "invalid_input"
    assert bad.get_json()["error"]["details"][0]["loc"] == ["lines", 1]
    saved = officer("PUT", url, json={"commitments": "Hoàn thành xuất sắc", "lines": [
        {"award_code": "TTLDXS"}, {"award_code": "CSTDCS",
                                   "person_id": world["people"]["CCN"].id}]})
    assert saved.status_code == 200 and len(saved.get_json()["lines"]) == 2
    other = as_user(world["officers"]["TTB"])
    assert other("PUT", url, json={"lines": []}).status_code == 403
    listed = other("GET", f"/api/v1/movements/{movement.id}/registrations").get_json()
    assert listed == {"items": [], "not_registered": [], "next_cursor": None}  # not its own
    organiser = as_user(world["organiser"])
    listed = organiser("GET", f"/api/v1/movements/{movement.id}/registrations").get_json()
    assert [i["unit"]["id"] for i in listed["items"]] == [ccn.id] and not listed["next_cursor"]
    assert {u["id"] for u in listed["not_registered"]} == {ttb.id, world["members"][0].id}
    exported = organiser("GET", f"/api/v1/movements/{movement.id}/registrations/export")
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    exported.close()
    units, lines = ([list(r) for r in sheet.iter_rows(values_only=True)]
                    for sheet in book.worksheets)
    assert units[0] == ["Đơn vị", "Trạng thái", "Ngày đăng ký", "Danh hiệu đăng ký",
                        "Cam kết"] and book.sheetnames == ["Đăng ký thi đua", "Danh hiệu đăng ký"]
    assert units[1][:2] == [ccn.name, "Đã đăng ký"] and isinstance(units[1][2], datetime)
    assert units[1][3:] == ["Danh hiệu TTLDXS; 1 danh hiệu cá nhân",
                            "Hoàn thành xuất sắc"]
    assert sorted(row[1] for row in units[2:]) == ["Chưa đăng ký"] * 2
    assert sorted(row[1:3] for row in lines[1:]) == [
        ["Nguyễn Văn CCN", "Danh hiệu CSTDCS"], ["Tập thể đơn vị", "Danh hiệu TTLDXS"]]
    own = other("GET", f"/api/v1/movements/{movement.id}/registrations/export")
    rows = list(openpyxl.load_workbook(io.BytesIO(own.data)).active.iter_rows(values_only=True))
    own.close()
    assert [row[0] for row in rows[1:]] == [ttb.name]  # an officer: its own units only
    inspected = organiser("POST", f"/api/v1/movements/{movement.id}/inspections", json={
        "unit_id": ccn.id, "held_on": "2017-09-12", "findings": "Đầy đủ hồ sơ"})
    assert inspected.status_code == 201 and inspected.get_json()["held_on"] == "2017-09-12"
    review = organiser("GET", f"/api/v1/movements/{movement.id}/reviews/year_end").get_json()
    assert ([u["id"] for u in review["registered"]], review["titles"],
            [i["findings"] for i in review["inspections"]]) == (
        [ccn.id], {"CSTDCS": 1, "TTLDXS": 1}, ["Đầy đủ hồ sơ"])
    assert other("GET", f"/api/v1/movements/{movement.id}/reviews/year_end").status_code in (
        403, 404)
    opened = officer("POST", f"{url}/nominations")
    assert opened.status_code == 201
    assert sorted(b["dossiers"] for b in opened.get_json()["batches"]) == [1, 1]
    cluster = cluster_service.create_cluster(session, code="KHOI-API", name="Khối API",
                                             kind="block", organiser=world["ministry"])
    for index, unit in enumerate((ccn, ttb)):
        cluster_service.set_membership(session, cluster, unit, 2018,
                                       "head" if index == 0 else "member")
    session.commit()
    pact = officer("POST", "/api/v1/pacts", json={"cluster_id": cluster.id, "year": 2018,
                                                  "text": "Giao ước", "targets": ["100 %"]})
    assert pact.status_code == 201, pact.get_json()
    pact_id = pact.get_json()["id"]
    signed = other("POST", f"/api/v1/pacts/{pact_id}/signatures", json={
        "unit_id": ttb.id, "signed_by": "Chánh Thanh tra", "signed_on": "2018-03-19"})
    assert signed.status_code == 201
    body = signed.get_json()
    assert ([s["unit"]["id"] for s in body["signatures"]],
            [u["id"] for u in body["not_signed"]]) == ([ttb.id], [ccn.id])
    twice = other("POST", f"/api/v1/pacts/{pact_id}/signatures", json={
        "unit_id": ttb.id, "signed_by": "Người khác", "signed_on": "2018-03-19"})
    assert twice.status_code == 422
    elected = organiser("POST", f"/api/v1/clusters/{cluster.id}/next-year", json={
        "year": 2018, "head_unit_id": ttb.id, "deputy_unit_ids": [ccn.id]})
    assert elected.status_code == 200 and elected.get_json()["head"]["id"] == ttb.id
