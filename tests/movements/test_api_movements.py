"""Movements over /api/v1: the same services as the pages, the same refusals as JSON."""

from __future__ import annotations

from tests.support.api_fixtures import error_code


def test_organiser_drafts_edits_and_launches_over_the_api(world, as_user):
    organiser = as_user(world["organiser"], locale="en")
    members = [m.id for m in world["members"]]
    body = {"unit_id": world["ministry"].id, "title": "Phong trào thi đua năm 2017",
            "theme": "Đoàn kết, kỷ cương", "kind": "regular", "scope": "sector",
            "year": 2017, "period_start": "2017-01-01", "period_end": "2016-12-31",
            "participant_ids": members, "areas": ["Trợ giúp pháp lý"]}
    refused = organiser("POST", "/api/v1/movements", json=body)
    assert refused.status_code == 422 and error_code(refused) == "invalid_input"
    assert refused.get_json()["error"]["details"][0]["loc"] == ["period_end"]
    created = organiser("POST", "/api/v1/movements", json={**body, "period_end": "2017-12-31"})
    assert created.status_code == 201, created.get_json()
    movement = created.get_json()
    assert (movement["state"], movement["state_label"], len(movement["not_registered"]),
            movement["registered"]) == ("draft", "Draft plan", 3, [])
    assert {a["trigger"] for a in movement["actions"]} == {"launch", "cancel"}
    url = f"/api/v1/movements/{movement['id']}"
    edited = organiser("PUT", url, json={**body, "period_end": "2017-10-31", "version": 1,
                                         "areas": ["A", "B"]})
    assert edited.status_code == 200 and edited.get_json()["areas"] == ["A", "B"]
    stale = organiser("PUT", url, json={**body, "period_end": "2017-10-31", "version": 1})
    assert stale.status_code == 409 and error_code(stale) == "stale_version"
    outsider = as_user(world["outsider"])
    assert outsider("GET", url).status_code == 200  # plans are public documents
    forbidden = outsider("POST", f"{url}/actions/launch", json={
        "version": 2, "document_number": "131/QĐ-BTP"})
    assert forbidden.status_code == 403 and error_code(forbidden) == "forbidden"
    bad_number = organiser("POST", f"{url}/actions/launch", json={
        "version": 2, "document_number": "QĐ 131"})
    assert bad_number.status_code == 409 and error_code(bad_number) == "guard_failed"
    launched = organiser("POST", f"{url}/actions/launch", json={
        "version": 2, "document_number": "131/QĐ-BTP", "document_date": "2017-01-25",
        "document_signer": "Lê Thành Long"})
    assert launched.status_code == 200
    assert (launched.get_json()["state"], launched.get_json()["document_number"],
            launched.get_json()["version"]) == ("launched", "131/QĐ-BTP", 3)
    assert launched.get_json()["registration_required"] is False
    settings = {"version": 3, "registration_deadline": "2017-03-31",
                "registration_required": True}
    assert outsider("PUT", f"{url}/registration-settings", json=settings).status_code == 403
    required = organiser("PUT", f"{url}/registration-settings", json=settings).get_json()
    assert (required["registration_required"], required["registration_deadline"],
            required["version"]) == (True, "2017-03-31", 4)
    assert required["registration_rule"].startswith("Required: a unit or person")
    stale_settings = organiser("PUT", f"{url}/registration-settings", json=settings)
    assert stale_settings.status_code == 409 and error_code(stale_settings) == "stale_version"
    listing = organiser("GET", "/api/v1/movements?year=2017").get_json()
    assert [(i["id"], i["participants"], i["registered"]) for i in listing["items"]] == [
        (movement["id"], 3, 0)] and listing["next_cursor"] is None
    # keyset pages, newest year first then newest first, like the other API lists
    later = [organiser("POST", "/api/v1/movements", json={
        **body, "period_end": "2018-12-31", "year": year, "title": f"Phong trào {year}"}
    ).get_json()["id"] for year in (2018, 2018, 2016)]
    seen, cursor = [], None
    while True:
        page = organiser("GET", "/api/v1/movements?limit=2" + (
            f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [later[1], later[0], movement["id"], later[2]]
    bad_cursor = organiser("GET", "/api/v1/movements?cursor=bm90LW91cnM")
    assert bad_cursor.status_code == 400 and error_code(bad_cursor) == "invalid_cursor"
