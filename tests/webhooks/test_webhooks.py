"""Webhooks (issue 20 item 2): an administrator subscribes an allowed address to kinds of
events; the worker writes a delivery per committed event and POSTs it, signed per Standard
Webhooks, to a real receiver on 127.0.0.1 that verifies the signature with the reference
library; failures are retried with back-off, then failed, and can be re-sent."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.support.helpers import login_as, post_form
from tests.support.webhook_receiver import Receiver
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.webhooks.service import delivery as deliveries
from workflow_app.webhooks.service import subscriptions as service
from workflow_app.workflow import fire


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


@pytest.fixture
def allowed(app, receiver):
    """The receiver's host:port on the administrator's allow-list (put back after the test)."""
    config = app.extensions["workflow_config"]
    app.extensions["workflow_config"] = replace(
        config, outbound_allowed_hosts=(f"127.0.0.1:{receiver.port}",))
    return receiver


@pytest.fixture
def admin(make_user):
    return make_user("integration-admin", roles=["admin"])


def _subscribe(receiver, events, admin) -> WebhookSubscription:
    writer = db.new_session()
    subscription = service.create_subscription(writer, url=receiver.url, events=events,
                                               actor=writer.merge(admin))
    writer.commit()
    writer.close()
    receiver.secret = subscription.secret
    return subscription


def _round(now=None):
    worker = db.new_session()
    try:
        written = deliveries.fan_out(worker, owner="test-worker", now=now)
        result = deliveries.deliver_due(worker, owner="test-worker", now=now)
        return written, result
    finally:
        worker.close()


def test_a_committed_transition_is_delivered_once_signed_and_a_rolled_back_one_never(
        allowed, session, tx, make_dossier, submitter, admin):
    receiver = allowed
    before = make_dossier()  # created before the subscription: its events are not sent
    before_id = before.id
    subscription = _subscribe(receiver, ["dossier.state_changed"], admin)
    assert subscription.secret.startswith("whsec_")
    fire(tx, before, "submit", submitter)
    tx.commit()
    other = make_dossier()
    fire(tx, other, "submit", submitter)
    tx.rollback()  # the change was undone: no event, no webhook
    tx.close()

    assert _round() == (1, deliveries.DeliveryRound(delivered=1, failed=0))
    [got] = receiver.received
    assert got.verified and got.answered == 204
    assert got.headers["webhook-id"] == f"msg_{subscription.id}_{_seq(session, before_id)}"
    assert got.headers["webhook-signature"].startswith("v1,")
    payload = json.loads(got.body)
    assert payload["type"] == "dossier.state_changed"
    assert payload["data"]["dossier_id"] == before_id
    assert (payload["data"]["from_state"], payload["data"]["to_state"]) == ("draft", "submitted")
    assert payload["data"]["trigger"] == "submit"
    assert "Trần" not in got.body  # no names: a receiver asks the API for more
    # A second round (or a second worker) sends nothing again.
    assert _round() == (0, deliveries.DeliveryRound())
    assert len(receiver.received) == 1
    row = session.scalar(select(WebhookDelivery))
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 204)


def _seq(session, dossier_id: int) -> int:
    return session.scalar(select(AuditEvent.seq).where(
        AuditEvent.subject_type == "dossier", AuditEvent.subject_id == str(dossier_id),
        AuditEvent.action == "dossier.submit"))


def test_only_the_subscribed_kinds_are_delivered(allowed, session, tx, make_dossier, submitter,
                                                 admin):
    receiver = allowed
    dossier = make_dossier()
    _subscribe(receiver, ["decision.issued", "award.revoked"], admin)
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    assert _round() == (0, deliveries.DeliveryRound())
    assert receiver.received == []


def test_a_failing_receiver_is_retried_with_back_off_then_failed_then_re_sent_from_the_page(
        allowed, app, client, session, tx, make_dossier, submitter, admin):
    receiver = allowed
    dossier = make_dossier()
    subscription = _subscribe(receiver, ["dossier.state_changed"], admin)
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    receiver.answers = [500] * deliveries.MAX_ATTEMPTS
    now = utcnow()
    _round(now)
    row = session.scalar(select(WebhookDelivery))
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 500)
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert _round(now + timedelta(seconds=30))[1] == deliveries.DeliveryRound()  # not yet due
    waited = [1]
    for attempt in range(2, deliveries.MAX_ATTEMPTS + 1):
        now += timedelta(minutes=waited[-1])
        _round(now)
        session.expire_all()
        row = session.scalar(select(WebhookDelivery))
        assert row.attempts == attempt
        waited.append(min(2 ** (attempt - 1), 60))
    assert row.status == "failed" and row.next_attempt_at is None
    assert waited[:7] == [1, 2, 4, 8, 16, 32, 60]
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(receiver.received) == deliveries.MAX_ATTEMPTS and len(ids) == 1
    assert all(r.verified for r in receiver.received)

    login_as(app, client, admin)
    page = client.get(f"/admin/webhooks/{subscription.id}").get_data(as_text=True)
    assert "Nhật ký gửi" in page and "HTTP 500" in page
    assert "<td>thất bại</td>" in page and "failed" not in page
    sent = post_form(client, f"/admin/webhooks/{subscription.id}/deliveries/{row.id}/resend",
                     {}, token_from=f"/admin/webhooks/{subscription.id}")
    assert sent.status_code == 302
    session.expire_all()
    row = session.scalar(select(WebhookDelivery))
    assert (row.status, row.attempts) == ("pending", 0)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "webhook.delivery_resent")) == 1
    assert _round()[1] == deliveries.DeliveryRound(delivered=1)
    assert receiver.received[-1].headers["webhook-id"] in ids
    session.expire_all()
    assert session.scalar(select(WebhookDelivery.status)) == "delivered"


def test_an_address_taken_off_the_allow_list_is_not_called(
        allowed, app, session, tx, make_dossier, submitter, admin):
    receiver = allowed
    dossier = make_dossier()
    _subscribe(receiver, ["dossier.state_changed"], admin)
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    app.extensions["workflow_config"] = replace(app.extensions["workflow_config"],
                                                outbound_allowed_hosts=("elsewhere.example",))
    assert _round()[1] == deliveries.DeliveryRound(failed=1)
    assert receiver.received == []
    row = session.scalar(select(WebhookDelivery))
    assert row.status == "pending" and "not allowed" in row.last_error


def test_a_redirect_is_not_followed(allowed, session, tx, make_dossier, submitter, admin):
    receiver = allowed
    dossier = make_dossier()
    _subscribe(receiver, ["dossier.state_changed"], admin)
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    receiver.answers = [302]
    assert _round()[1] == deliveries.DeliveryRound(failed=1)
    assert len(receiver.received) == 1
    assert session.scalar(select(WebhookDelivery.last_status_code)) == 302


def test_the_page_refuses_an_address_off_the_allow_list_in_vietnamese(
        allowed, app, client, session, admin, make_user):
    login_as(app, client, make_user("clerk", roles=["submitter"]))
    assert client.get("/admin/webhooks").status_code == 403
    login_as(app, client, admin)
    refused = post_form(client, "/admin/webhooks", {
        "url": "https://attacker.example/hook", "events": ["decision.issued"]})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "không thể gọi" in html and f"127.0.0.1:{allowed.port}" in html
    assert session.scalar(select(func.count()).select_from(WebhookSubscription)) == 0
    no_events = post_form(client, "/admin/webhooks", {"url": allowed.url})
    assert no_events.status_code == 400
    assert "Chọn ít nhất một loại sự kiện" in no_events.get_data(as_text=True)
    created = post_form(client, "/admin/webhooks", {
        "url": allowed.url, "events": ["decision.issued", "minutes.signed"],
        "description": "Hệ thống QLVB"})
    assert created.status_code == 302
    subscription = session.scalar(select(WebhookSubscription))
    assert subscription.events == ["decision.issued", "minutes.signed"]
    event = session.scalar(select(AuditEvent).where(
        AuditEvent.action == "webhook.subscription_created"))
    assert event.data["url"] == allowed.url and subscription.secret not in json.dumps(event.data)
    listing = client.get("/admin/webhooks").get_data(as_text=True)
    table = listing.split('data-testid="subscriptions"')[1].split("</table>")[0]
    assert "Hệ thống QLVB" in table and "Ban hành quyết định" in table
    assert "Biên bản họp hội đồng được ký" in table


def test_api_create_list_pause_and_deliveries(allowed, app, session, admin, make_token,
                                              make_user):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {make_token(admin)}"}
    refused = api.post("/api/v1/webhooks", headers=headers, json={
        "url": "http://10.0.0.1/hook", "events": ["decision.issued"]})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "rule_broken"
    bad_kind = api.post("/api/v1/webhooks", headers=headers, json={
        "url": allowed.url, "events": ["everything"]})
    assert bad_kind.status_code == 422
    created = api.post("/api/v1/webhooks", headers=headers, json={
        "url": allowed.url, "events": ["award.recorded"]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and body["active"] is True
    listed = api.get("/api/v1/webhooks", headers=headers).get_json()["items"]
    assert [s["id"] for s in listed] == [body["id"]] and "secret" not in listed[0]
    paused = api.put(f"/api/v1/webhooks/{body['id']}/active", headers=headers,
                     json={"active": False})
    assert paused.status_code == 200 and paused.get_json()["active"] is False
    log = api.get(f"/api/v1/webhooks/{body['id']}/deliveries", headers=headers)
    assert log.status_code == 200 and log.get_json()["items"] == []
    clerk = {"Authorization": f"Bearer {make_token(make_user('clerk2', roles=['submitter']))}"}
    assert api.get("/api/v1/webhooks", headers=clerk).status_code == 403


def test_signature_follows_the_standard_webhooks_example():
    """The Standard Webhooks specification's own test vector."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'
    assert deliveries.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == \
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_each_kind_carries_its_facts_and_a_rating_is_no_award(allowed, session, admin):
    """Audit events as the registry and decisions write them → one delivery per subscribed
    kind, with the numbers and dates an integrator needs."""
    from workflow_app.audit.chain import record

    _subscribe(allowed, ["award.recorded", "decision.issued", "award.revoked"], admin)
    record(session, "registry.entered", "award_record", 7, actor_label="t", data={
        "kind": "award", "award": "BK_BO", "year": 2025, "decision_number": "12/QĐ-BTP",
        "decision_date": "2025-12-01", "issuer": "Bộ Tư pháp", "person_id": 3,
        "note": "not sent"})
    record(session, "registry.entered", "performance_rating", 8, actor_label="t",
           data={"kind": "rating", "year": 2025, "rating": "HTXSNV"})
    record(session, "decision.issued", "decision", 5, actor_label="t", data={
        "reference": "901/QĐ-BTP", "issued_on": "2026-01-15", "issuer_unit_id": 1,
        "dossier_ids": [4, 9], "pdf_sha256": "ab" * 32, "certificates": {"4": "cd" * 32}})
    record(session, "revocation.recorded", "revocation", 2, actor_label="t", data={
        "reference": "77/QĐ-TTg", "decided_on": "2026-02-01", "award_record_id": 7,
        "dossier_id": 4, "ground": "fraud"})
    session.commit()
    assert _round()[1] == deliveries.DeliveryRound(delivered=3)
    bodies = {json.loads(r.body)["type"]: json.loads(r.body)["data"] for r in allowed.received}
    assert set(bodies) == {"award.recorded", "decision.issued", "award.revoked"}
    award = bodies["award.recorded"]
    assert (award["decision_number"], award["decision_date"], award["person_id"]) == (
        "12/QĐ-BTP", "2025-12-01", 3)
    assert "note" not in award and award["subject"] == {"type": "award_record", "id": "7"}
    assert bodies["decision.issued"]["dossier_ids"] == [4, 9]
    assert "certificates" not in bodies["decision.issued"]
    assert bodies["award.revoked"]["reference"] == "77/QĐ-TTg"
    assert "ground" not in bodies["award.revoked"]  # a reason is never sent


def test_a_paused_subscription_gets_nothing_until_resumed_then_what_it_missed(
        allowed, app, client, session, tx, make_dossier, submitter, admin):
    dossier = make_dossier()
    subscription = _subscribe(allowed, ["dossier.state_changed"], admin)
    login_as(app, client, admin)
    page = f"/admin/webhooks/{subscription.id}"
    assert post_form(client, f"{page}/active", {}, token_from=page).status_code == 302
    assert session.get(WebhookSubscription, subscription.id).active is False
    fire(tx, dossier, "submit", submitter)
    tx.commit()
    tx.close()
    assert _round() == (0, deliveries.DeliveryRound())
    assert allowed.received == []
    assert post_form(client, f"{page}/active", {}, token_from=page).status_code == 302
    assert _round() == (1, deliveries.DeliveryRound(delivered=1))
    actions = session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "webhook_subscription").order_by(AuditEvent.seq)).all()
    assert actions == ["webhook.subscription_created", "webhook.subscription_paused",
                       "webhook.subscription_resumed"]
