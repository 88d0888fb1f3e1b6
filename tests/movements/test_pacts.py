"""Pacts: the text and targets, each member's signature once (who, when, on whose behalf),
no signature from outside the cluster, next year's head and deputies elected."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as
from workflow_app.models.org import ClusterMembership
from workflow_app.org.service import clusters as cluster_service


def test_a_cluster_signs_its_pact_and_elects_next_years_head(app, client, session, world):
    members = world["members"]
    cluster = cluster_service.create_cluster(
        session, code="KHOI-DH", name="Khối Tư pháp duyên hải miền Trung", kind="block",
        organiser=world["ministry"])
    for index, unit in enumerate(members[:2]):
        cluster_service.set_membership(session, cluster, unit, 2018,
                                       "head" if index == 0 else "member")
    session.commit()
    url = f"/movements/pacts/{cluster.id}/2018"
    login_as(app, client, world["officers"]["TTB"])  # a plain member cannot write the text
    denied = client.post(url, data={"csrf_token": csrf_token(client, url), "text": "Giao ước"})
    assert denied.status_code == 403
    login_as(app, client, world["officers"]["CTGPL"])  # the head unit records it
    saved = client.post(url, data={"csrf_token": csrf_token(client, url),
                                   "text": "Các đơn vị thành viên cam kết thi đua",
                                   "targets": "100 % đơn vị hoàn thành nhiệm vụ\n\nĐoàn kết",
                                   "place": "Đồng Hới, Quảng Bình"})
    assert saved.status_code == 303
    signed = client.post(f"{url}/sign", data={
        "csrf_token": csrf_token(client, url), "unit_id": members[0].id,
        "signed_by": "Nguyễn Văn Giám đốc", "on_behalf_of": "Cục Trợ giúp pháp lý",
        "signed_on": "2018-03-19"})
    assert signed.status_code == 303
    again = client.post(f"{url}/sign", data={
        "csrf_token": csrf_token(client, url), "unit_id": members[0].id,
        "signed_by": "Người khác", "signed_on": "2018-03-19"})
    assert again.status_code == 422 and "đã ký" in again.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Nguyễn Văn Giám đốc" in page and "19/03/2018" in page and "Chưa ký" in page
    assert "100 % đơn vị hoàn thành nhiệm vụ" in page and "save-pact" not in page
    login_as(app, client, world["organiser"])
    outsider = client.post(f"{url}/sign", data={
        "csrf_token": csrf_token(client, url), "unit_id": members[2].id,
        "signed_by": "Ai đó", "signed_on": "2018-03-19"})
    assert outsider.status_code == 422  # not a member: not even offered
    elected = client.post(f"{url}/elect", data={
        "csrf_token": csrf_token(client, url), "head_unit_id": members[1].id,
        "deputy_unit_ids": [members[0].id]})
    assert elected.status_code == 303
    roles = dict(session.execute(select(ClusterMembership.unit_id, ClusterMembership.role)
                                 .where(ClusterMembership.year == 2019)).all())
    assert roles == {members[1].id: "head", members[0].id: "deputy"}
