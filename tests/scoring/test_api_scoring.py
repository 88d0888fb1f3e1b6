"""Scoring over /api/v1: the same service and refusals as the pages, as JSON."""

from __future__ import annotations

from tests.support.api_fixtures import error_code


def test_scores_ranking_lock_and_publish_over_the_api(cluster_world, as_user):
    units = cluster_world["units"]
    organiser = as_user(cluster_world["organiser"], locale="en")
    body = {"cluster_id": cluster_world["cluster"].id, "title": "Cụm III 2017", "year": 2017,
            "assessor_unit_id": units[0].id,
            "groups": [{"code": "I", "title": "Nhiệm vụ", "criteria": [
                {"code": "1", "title": "Thẩm định", "max_points": 10},
                {"code": "2", "title": "Báo cáo chậm", "kind": "penalty", "max_points": 2}]}],
            "bands": [{"code": "A", "label_vi": "Xếp loại A", "min_points": 8,
                       "rating": "excellent"},
                      {"code": "B", "label_vi": "Xếp loại B", "min_points": 0}]}
    created = organiser("POST", "/api/v1/scoring/tables", json=body)
    assert created.status_code == 201, created.get_json()
    table = created.get_json()
    c1, c2 = (c["id"] for c in table["groups"][0]["criteria"])
    sheet_url = f"/api/v1/scoring/tables/{table['id']}/units/{units[1].id}"
    member = as_user(cluster_world["officers"][1], locale="en")
    over = member("PUT", sheet_url, json={"version": 1, "side": "self", "scores": [
        {"criterion_id": c1, "points": 10.5}]})
    assert over.status_code == 422 and "at most 10 points" in over.get_json()["error"]["message"]
    negative = member("PUT", sheet_url, json={"version": 1, "side": "self", "scores": [
        {"criterion_id": c1, "points": -1}]})
    assert negative.status_code == 422 and error_code(negative) == "invalid_input"
    both = member("PUT", sheet_url, json={"version": 1, "side": "self", "scores": [
        {"criterion_id": c1, "points": 11}, {"criterion_id": c2, "points": 1}]})
    details = both.get_json()["error"]["details"]
    assert both.status_code == 422 and [d["loc"] for d in details] == [
        ["scores", 0, "points"], ["scores", 1, "points"]]
    assert "at most 10 points" in details[0]["msg"] and "penalty" in details[1]["msg"]
    saved = member("PUT", sheet_url, json={"version": 1, "side": "self", "scores": [
        {"criterion_id": c1, "points": 9.25, "note": "Báo cáo 12"},
        {"criterion_id": c2, "points": -0.5}]})
    assert saved.status_code == 200
    assert [(e["own_points"], e["evidence"]) for e in saved.get_json()["entries"]] == [
        (9.25, "Báo cáo 12"), (-0.5, "")]
    assert saved.get_json()["table_version"] == 2
    hidden = member("GET", f"/api/v1/scoring/tables/{table['id']}").get_json()
    assert hidden["ranking"] is None  # members see the ranking once published
    head = as_user(cluster_world["officers"][0], locale="en")
    itself = head("PUT", f"/api/v1/scoring/tables/{table['id']}/units/{units[0].id}",
                  json={"version": 2, "side": "assessor", "scores": []})
    assert itself.status_code == 422 and "cannot assess itself" in itself.get_json()[
        "error"]["message"]
    first = head("PUT", sheet_url, json={"version": 2, "side": "assessor", "scores": [
        {"criterion_id": c1, "points": 9, "note": "Thiếu 1 văn bản"}]})
    second = head("PUT", sheet_url, json={"version": 2, "side": "assessor", "scores": [
        {"criterion_id": c1, "points": 8, "note": "Thiếu 2 văn bản"}]})
    assert first.status_code == 200 and second.status_code == 409
    assert error_code(second) == "stale_version" and "Reload" in second.get_json()[
        "error"]["message"]
    locked = organiser("POST", f"/api/v1/scoring/tables/{table['id']}/lock",
                       json={"version": 3})
    assert locked.status_code == 200 and locked.get_json()["status"] == "locked"
    late = member("PUT", sheet_url, json={"version": 4, "side": "self", "scores": []})
    assert late.status_code == 422 and "locked" in late.get_json()["error"]["message"]
    published = organiser("POST", f"/api/v1/scoring/tables/{table['id']}/publish",
                          json={"version": 4})
    ranking = published.get_json()["ranking"]
    assert [(r["unit"]["id"], r["total_points"], r["rank"], r["band"]) for r in ranking][:1] == [
        (units[1].id, 8.5, 1, "A")]
    # The three members nobody scored are "not scored yet": no rank, no band, no ties.
    assert [(r["scored"], r["rank"], r["band"], r["tied_with"]) for r in ranking[1:]] == [
        (False, None, None, [])] * 3
    assert member("GET", f"/api/v1/scoring/tables/{table['id']}").get_json()["ranking"]
    outsider = as_user(cluster_world["organiser"])
    assert outsider("GET", f"/api/v1/scoring/tables/{table['id']}").status_code == 200
