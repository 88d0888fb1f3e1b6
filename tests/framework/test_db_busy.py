"""SQLite under write contention: a request waits for the lock up to the configured busy
timeout; past it the answer is 503 with Retry-After and a clear message (page in the user's
language, JSON under /api/v1) — never a 500 — and nothing is half-written.

The busy timeout is set tiny here (`sqlite_busy_timeout_ms`) so that another writer holding
the lock longer than it makes a request give up: a raw SQLite connection holding `BEGIN
IMMEDIATE`, or twenty signers issuing at once on the signing page."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.new_year_data import bearer_headers
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.decision import Decision, DocumentSeries
from workflow_app.models.dossier import Dossier

pytestmark = pytest.mark.sqlite_only

BUSY_MS = 20
BUSY_VI = "Hệ thống đang bận lưu các thay đổi khác"
BUSY_EN = "The system is busy saving other changes"
WRITERS = 20


@pytest.fixture
def config(config):
    return replace(config, sqlite_busy_timeout_ms=BUSY_MS)


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person)


class ThreadClient(FlaskClient):
    """Each request in an app context of its own (as `RequestIsolatingClient`), without
    touching the test's shared session: safe to use from several threads."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


def _path(app) -> str:
    return app.extensions["workflow_config"].database_url.removeprefix("sqlite:///")


class WriteLock:
    """Another writer: a plain SQLite connection holding the write lock until released."""

    def __init__(self, app) -> None:
        self.connection = sqlite3.connect(_path(app), isolation_level=None, timeout=30,
                                          check_same_thread=False)

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def release(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("ROLLBACK")

    def __exit__(self, *exc) -> None:
        self.release()
        self.connection.close()


def _form(dossier_id: int, token: str) -> dict:
    return {"dossier_ids": [str(dossier_id)], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc tặng Bằng khen",
            "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP", "bases": "Căn cứ A;",
            "articles": "Tặng Bằng khen.", "recipients": "Như Điều 3;", "csrf_token": token}


def _api_body(dossier_id: int) -> dict:
    return {"dossier_ids": [dossier_id], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc tặng Bằng khen",
            "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP", "bases": ["Căn cứ A;"],
            "articles": ["Tặng Bằng khen."], "recipients": ["Như Điều 3;"]}


def _nothing_written(session, dossier_ids) -> None:
    assert session.scalar(select(func.count()).select_from(Decision)) == 0
    assert session.scalar(select(func.count()).select_from(DocumentSeries)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decision.issued")) == 0
    states = session.scalars(select(Dossier.state).where(Dossier.id.in_(dossier_ids))).all()
    assert set(states) == {"council_approved"}


def test_a_page_request_past_the_busy_timeout_gets_503_with_retry_after(
        app, client, session, tx, signer, make_dossier):
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    with WriteLock(app):
        response = client.post("/decisions/issue", data={**_form(dossier_id, token), **REAUTH})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert BUSY_VI in page and "Chưa có gì được lưu" in page
    _nothing_written(session, [dossier_id])
    # The lock gone, the same request goes through (the failed BEGIN left nothing behind).
    assert client.post("/decisions/issue",
                       data={**_form(dossier_id, token), **REAUTH}).status_code == 303
    assert session.scalar(select(Decision.reference)) == "01/QĐ-BTP"


def test_an_api_request_past_the_busy_timeout_gets_a_json_503(
        app, session, tx, signer, make_dossier):
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    session.merge(signer).locale = "en"
    session.commit()
    headers = bearer_headers(app, signer)
    client = app.test_client()
    with WriteLock(app):
        response = client.post("/api/v1/decisions", json={**_api_body(dossier_id), **REAUTH},
                               headers=headers)
    assert response.status_code == 503 and response.mimetype == "application/json"
    assert response.headers["Retry-After"].isdigit()
    error = response.get_json()["error"]
    assert error["code"] == "busy" and error["message"].startswith(BUSY_EN)
    _nothing_written(session, [dossier_id])
    retried = client.post("/api/v1/decisions",
                          json={**_api_body(dossier_id), **REAUTH}, headers=headers)
    assert retried.status_code == 201 and retried.get_json()["reference"] == "01/QĐ-BTP"


def test_a_request_waits_for_a_writer_shorter_than_the_busy_timeout(
        config, make_app, session, tx, signer, make_dossier):
    patient = make_app(replace(config, sqlite_busy_timeout_ms=60_000))
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    client = patient.test_client()
    with patient.app_context():
        login_as(patient, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    with WriteLock(patient) as lock:
        threading.Timer(0.5, lock.release).start()  # another writer finishing its work
        response = client.post("/decisions/issue", data={**_form(dossier_id, token), **REAUTH})
    assert response.status_code == 303
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == "decided"


def test_twenty_signers_at_once_get_a_decision_or_a_503_never_a_500(
        app, session, tx, signer, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(WRITERS)]
    tx.rollback()
    clients = []
    for _ in ids:
        client = ThreadClient(app)
        login_as(app, client, signer)
        clients.append((client, csrf_token(client, "/decisions/to-sign")))
    start = threading.Barrier(WRITERS + 1)
    refused = threading.Event()
    answers: dict[int, tuple[int, str | None, str]] = {}

    def issue(dossier_id: int, client: ThreadClient, token: str) -> None:
        start.wait(timeout=30)
        response = client.post("/decisions/issue", data={**_form(dossier_id, token), **REAUTH})
        answers[dossier_id] = (response.status_code, response.headers.get("Retry-After"),
                               response.get_data(as_text=True))
        if response.status_code == 503:
            refused.set()

    threads = [threading.Thread(target=issue, args=(i, c, t))
               for i, (c, t) in zip(ids, clients, strict=True)]
    for thread in threads:
        thread.start()
    with WriteLock(app):  # a long writer: at least one request gives up while it works
        start.wait(timeout=30)
        assert refused.wait(timeout=60)
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)

    statuses = sorted(status for status, _, _ in answers.values())
    assert set(statuses) <= {303, 503} and 503 in statuses, statuses
    for status, retry_after, page in answers.values():
        if status == 503:
            assert retry_after.isdigit() and BUSY_VI in page
    issued = [i for i, (status, _, _) in answers.items() if status == 303]
    numbers = session.scalars(select(Decision.number).order_by(Decision.number)).all()
    assert numbers == list(range(1, len(issued) + 1))  # no gap, no duplicate
    states = dict(session.execute(select(Dossier.id, Dossier.state)
                                  .where(Dossier.id.in_(ids))).all())
    assert {i for i, state in states.items() if state == "decided"} == set(issued)
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decision.issued")) == len(issued)

    # Retried one at a time, every refused issuance goes through: 01 … 20, no gap.
    for client_token, dossier_id in zip(clients, ids, strict=True):
        if dossier_id not in issued:
            client, token = client_token
            assert client.post("/decisions/issue",
                               data={**_form(dossier_id, token), **REAUTH}).status_code == 303
    numbers = session.scalars(select(Decision.number).order_by(Decision.number)).all()
    assert numbers == list(range(1, WRITERS + 1))


def test_a_busy_answer_after_the_request_committed_says_the_change_was_saved(
        config, make_app, session, signer, root_unit):
    """A request that committed, then met the lock while reading for its answer, must not
    claim that nothing was saved. (An app of its own: the test adds a route to it.)"""
    from workflow_app.models.org import Person

    app = make_app(config)
    client = app.test_client()
    lock = WriteLock(app)

    def save_then_read():
        db.session.add(Person(full_name="Người được lưu", unit_id=root_unit.id,
                              position="Chuyên viên"))
        db.session.commit()
        with lock:  # another writer takes the lock before this request reads again
            db.session.scalar(select(func.count()).select_from(Person))
        return "unreachable"

    app.add_url_rule("/test-only/save-then-read", "test_save_then_read", save_then_read,
                     methods=["POST"])
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    response = client.post("/test-only/save-then-read", data={"csrf_token": token})
    lock.connection.close()
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert "Thay đổi của anh/chị đã được lưu" in page and "Chưa có gì được lưu" not in page
    assert session.scalar(select(func.count()).select_from(Person).where(
        Person.full_name == "Người được lưu")) == 1
