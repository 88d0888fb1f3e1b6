"""Idempotency-Key: a retry replays the first answer and runs nothing again; the same key with
another request is refused; concurrent retries with one key run the action once."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from workflow_app.models.api_token import ApiIdempotencyKey
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier


def _withdrawals(session, dossier_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dossier.withdraw", AuditEvent.subject_id == str(dossier_id)))


def test_a_retry_replays_the_first_answer_without_running_again(app, session, make_dossier,
                                                                submitter, make_token, bearer):
    dossier = make_dossier()
    client = app.test_client()
    headers = bearer(make_token(submitter), **{"Idempotency-Key": "retry-1"})
    url = f"/api/v1/dossiers/{dossier.id}/transitions/withdraw"
    body = {"version": dossier.version, "reason": "duplicate"}
    first = client.post(url, json=body, headers=headers)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    # Same body, other key order and spacing: still the same request.
    raw = '{ "reason": "duplicate", "version": ' + str(dossier.version) + " }"
    again = client.post(url, data=raw, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert _withdrawals(session, dossier.id) == 1
    assert session.get(Dossier, dossier.id).version == dossier.version + 1


def test_the_same_key_with_another_request_is_422(app, session, make_dossier, submitter,
                                                 make_token, bearer):
    dossier = make_dossier()
    client = app.test_client()
    headers = bearer(make_token(submitter), **{"Idempotency-Key": "k-2"})
    url = f"/api/v1/dossiers/{dossier.id}/transitions/withdraw"
    assert client.post(url, json={"version": dossier.version, "reason": "a"},
                       headers=headers).status_code == 200
    other = client.post(url, json={"version": dossier.version, "reason": "b"}, headers=headers)
    assert other.status_code == 422 and error_code(other) == "idempotency_key_reused"


def test_keys_belong_to_their_caller_and_refusals_are_not_stored(app, session, make_dossier,
                                                                 submitter, make_token,
                                                                 bearer):
    dossier = make_dossier()
    client = app.test_client()
    url = f"/api/v1/dossiers/{dossier.id}/transitions/withdraw"
    mine = bearer(make_token(submitter), **{"Idempotency-Key": "shared"})
    stale = client.post(url, json={"version": 99, "reason": "a"}, headers=mine)
    assert stale.status_code == 409
    assert session.scalar(select(func.count()).select_from(ApiIdempotencyKey)) == 0
    ok = client.post(url, json={"version": dossier.version, "reason": "a"}, headers=mine)
    assert ok.status_code == 200 and "Idempotent-Replayed" not in ok.headers
    # Another token of the same person has its own keys: no replay of someone else's answer.
    second = bearer(make_token(submitter), **{"Idempotency-Key": "shared"})
    again = client.post(url, json={"version": dossier.version, "reason": "a"}, headers=second)
    assert again.status_code == 409 and error_code(again) == "stale_version"


def test_an_invalid_key_is_400(app, make_dossier, submitter, make_token, bearer):
    dossier = make_dossier()
    response = app.test_client().post(
        f"/api/v1/dossiers/{dossier.id}/transitions/withdraw",
        json={"version": dossier.version, "reason": "a"},
        headers=bearer(make_token(submitter), **{"Idempotency-Key": "x" * 300}))
    assert response.status_code == 400 and error_code(response) == "invalid_idempotency_key"


def test_concurrent_retries_with_one_key_run_the_action_once(app, session, make_dossier,
                                                             submitter, make_token, bearer):
    dossier = make_dossier()
    headers = bearer(make_token(submitter), **{"Idempotency-Key": "race"})
    # Use the token once first: its last-use stamp (an UPDATE of the token's row, at most
    # once a minute) would otherwise serialise the racers before they reach the key.
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    url = f"/api/v1/dossiers/{dossier.id}/transitions/withdraw"
    body = {"version": dossier.version, "reason": "duplicate"}
    threads_count = 5
    barrier = threading.Barrier(threads_count)
    answers: list[tuple[int, str]] = []

    def call():
        client = app.test_client()
        barrier.wait(timeout=10)
        response = client.post(url, json=body, headers=headers)
        answers.append((response.status_code, response.headers.get("Idempotent-Replayed", "")))

    threads = [threading.Thread(target=call) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert Counter(answers) == Counter({(200, ""): 1, (200, "true"): threads_count - 1})
    assert _withdrawals(session, dossier.id) == 1
