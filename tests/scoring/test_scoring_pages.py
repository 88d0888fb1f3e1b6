"""The scoring pages: the organiser sets a cluster's table, members score themselves, the
head assesses, the organiser locks and publishes; refusals are shown on the page (422)."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as
from workflow_app.models.registry import UnitRating
from workflow_app.models.scoring import ScoreCriterion, ScoreEntry, ScoreTable


def _rows(*rows) -> dict:
    """The criteria table's rows as the page posts them."""
    keys = ("group", "code", "title", "max_points", "kind", "guidance")
    return {f"criteria-{n}-{key}": value for n, row in enumerate(rows)
            for key, value in zip(keys, row, strict=True)}


CRITERIA = _rows(
    ("I. Thực hiện nhiệm vụ trọng tâm", "1", "Thẩm định dự thảo VBQPPL", "10", "standard",
     "100 % đúng hạn: 10 điểm"),
    ("", "2", "Sáng kiến được công nhận", "2", "bonus", ""),
    ("", "3", "Báo cáo chậm", "1", "penalty", ""))
BANDS = {f"bands-{i}-{key}": value for i, band in enumerate((
    ("A", "Xếp loại A", "10", "excellent"), ("B", "Xếp loại B", "5", "good"),
    ("C", "Xếp loại C", "0", ""))) for key, value in zip(
        ("code", "label", "min_points", "rating"), band, strict=True)}


def _post(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_a_cluster_year_is_scored_classified_and_published_through_the_pages(
        app, client, session, cluster_world):
    cluster, units = cluster_world["cluster"], cluster_world["units"]
    login_as(app, client, cluster_world["organiser"])
    new_url = f"/scoring/new?cluster_id={cluster.id}"
    form = client.get(new_url).get_data(as_text=True)  # one row per band, the usual four
    assert 'name="bands-3-label" type="text" value="Không hoàn thành nhiệm vụ"' in form
    assert 'data-testid="band-row-6"' in form and "|" not in form.split('data-testid="bands"')[1]
    assert 'data-testid="criterion-row-12"' in form and "|" not in form.split(
        'data-testid="criteria"')[1]  # rows to fill, not a syntax to learn
    more = _post(client, new_url, {"title": "Bảng điểm", **CRITERIA, "more": "1"})
    assert more.status_code == 200 and 'data-testid="criterion-row-22"' in more.get_data(
        as_text=True) and 'value="Sáng kiến được công nhận"' in more.get_data(as_text=True)
    no_max = _post(client, new_url, {
        "title": "Bảng điểm Cụm III 2017", "year": "2017", "assessor_unit_id": units[0].id,
        **BANDS, **_rows(("I. Nhiệm vụ", "", "", "", "standard", ""),
                         ("", "1", "Thẩm định", "", "standard", ""))})
    assert no_max.status_code == 422
    assert "Dòng 2: ghi tiêu chí và điểm tối đa" in no_max.get_data(as_text=True)
    bad_bands = _post(client, new_url, {
        "title": "Bảng điểm Cụm III 2017", "year": "2017", "assessor_unit_id": units[0].id,
        **CRITERIA, **BANDS, "bands-1-code": "A", "bands-2-min_points": "năm mươi"})
    page = bad_bands.get_data(as_text=True)
    assert bad_bands.status_code == 422 and "Hai xếp loại cùng mã A" in page
    assert "Ghi điểm thấp nhất của xếp loại bằng số" in page
    assert "Mỗi mức xếp loại cần một mã riêng." in page  # the list's own message, shown
    no_bands = _post(client, new_url, {
        "title": "Bảng điểm Cụm III 2017", "year": "2017", "assessor_unit_id": units[0].id,
        **CRITERIA, **{key: "" for key in BANDS}})
    assert no_bands.status_code == 422
    assert "Nhập ít nhất một mức xếp loại" in no_bands.get_data(as_text=True)
    assert session.scalar(select(ScoreTable.id)) is None
    bad = _post(client, new_url, {"title": "Bảng điểm Cụm III 2017", "year": "2017",
                                  "assessor_unit_id": units[0].id, **BANDS,
                                  **_rows(("", "1", "Thẩm định", "mười", "standard", ""))})
    assert bad.status_code == 422 and "điểm tối đa phải là số dương" in bad.get_data(
        as_text=True)
    created = _post(client, new_url, {"title": "Bảng điểm Cụm III 2017", "year": "2017",
                                      "assessor_unit_id": units[0].id, **BANDS,
                                      **CRITERIA})
    assert created.status_code == 303
    table = session.scalars(select(ScoreTable)).one()
    assert [(b["code"], b["min_cp"], b["rating"]) for b in table.bands] == [
        ("A", 1000, "excellent"), ("B", 500, "good"), ("C", 0, None)]
    overview = client.get(f"/scoring/{table.id}").get_data(as_text=True)
    assert overview.count("Chưa chấm điểm") == 4 and "Không hoàn thành" not in overview
    c = {x.code: x.id for x in session.scalars(select(ScoreCriterion))}
    sheet = f"/scoring/{table.id}/units/{units[1].id}"
    login_as(app, client, cluster_world["officers"][1])
    assert client.get(f"/scoring/{table.id}/units/{units[2].id}").status_code == 404
    refused = _post(client, sheet, {"version": "1", "side": "self", f"points-{c['1']}": "11",
                                    f"points-{c['2']}": "1", f"points-{c['3']}": "1"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="11"' in page
    # both bad scores at once, each next to its own field
    assert "tối đa 10 điểm" in page.split('data-testid="problem-1"')[1].split("</div>")[0]
    assert "điểm trừ" in page.split('data-testid="problem-3"')[1].split("</div>")[0]
    assert 'data-testid="problem-2"' not in page
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n"
           b"%%EOF\n")
    not_a_file = client.post(sheet, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, sheet), "version": "1", "side": "self",
        f"points-{c['1']}": "9,5", f"evidence-{c['1']}": (io.BytesIO(b"MZ\x90"), "x.exe")})
    assert not_a_file.status_code == 422 and "không phải" in not_a_file.get_data(as_text=True)
    saved = client.post(sheet, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, sheet), "version": "1", "side": "self",
        f"points-{c['1']}": "9,5", f"note-{c['1']}": "Báo cáo số 12",
        f"points-{c['3']}": "-1", f"evidence-{c['1']}": (io.BytesIO(pdf), "bao-cao-12.pdf")})
    assert saved.status_code == 303
    evidence = client.get(f"{sheet}/evidence/{c['1']}")
    assert evidence.status_code == 200 and evidence.data == pdf
    login_as(app, client, cluster_world["officers"][0])  # the head assesses
    page = client.get(sheet).get_data(as_text=True)
    assert "Báo cáo số 12" in page and 'data-testid="reason-1"' in page
    stale = _post(client, sheet, {"version": "1", "side": "assessor",
                                  f"points-{c['1']}": "9", f"note-{c['1']}": "Thiếu 1 văn bản"})
    assert stale.status_code == 422 and "Tải lại trang" in stale.get_data(as_text=True)
    assessed = _post(client, sheet, {"version": "2", "side": "assessor",
                                     f"points-{c['1']}": "9",
                                     f"note-{c['1']}": "Thiếu 1 văn bản"})
    assert assessed.status_code == 303
    overview = client.get(f"/scoring/{table.id}").get_data(as_text=True)
    assert overview.count("Chưa chấm điểm") == 3 and "Đồng hạng với" not in overview
    login_as(app, client, cluster_world["organiser"])
    locked = client.post(f"/scoring/{table.id}/lock", data={
        "version": "3", "csrf_token": csrf_token(client, f"/scoring/{table.id}")})
    assert locked.status_code == 303
    published = client.post(f"/scoring/{table.id}/publish", data={
        "version": "4", "csrf_token": csrf_token(client, f"/scoring/{table.id}")})
    assert published.status_code == 303
    session.expire_all()
    assert session.get(ScoreTable, table.id).status == "published"
    assert session.scalar(select(UnitRating.rating).where(
        UnitRating.unit_id == units[1].id, UnitRating.year == 2017)) == "good"
    entry = session.scalar(select(ScoreEntry).where(ScoreEntry.criterion_id == c["1"]))
    assert (entry.self_cp, entry.assessed_cp) == (950, 900)
    login_as(app, client, cluster_world["officers"][2])  # a member reads published results
    page = client.get(f"/scoring/{table.id}").get_data(as_text=True)
    assert "Thanh tra Bộ" in page and "Xếp loại B" in page and "Kết quả đã công bố" in page
