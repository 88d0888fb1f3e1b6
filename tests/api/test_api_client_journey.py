"""The "done when" of the API, tried as a new user would: on a real HTTP server, a submitter
makes a token on the profile page and the standard-library script
(`workflow_app/api/client_example.py`), knowing only the served OpenAPI document, creates a
dossier, uploads two PDFs, submits it and follows it. Meanwhile the reviewer, the council's
secretary and members and the signer (chair and signer sign in with an authenticator code to
make their tokens) take it through the council to a numbered decision with the same client:
the API only, no shortcut through the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import time
import urllib.error

import docx
import pyotp
import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.support.dossier_factories import PDF
from tests.support.factories import DEFAULT_PASSWORD
from tests.support.helpers import login, post_form, totp_code
from workflow_app.api import client_example
from workflow_app.api.client_example import ApiRefused, OpenApiClient, format_step
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.user import User

TOKEN_RE = re.compile(r'data-testid="new-token-value">(tdkt_[A-Za-z0-9_-]+)<')
CHAIR_SECRET, SIGNER_SECRET = pyotp.random_base32(), pyotp.random_base32()
WAIT_SECONDS = 120  # an upper bound so that a broken run fails instead of hanging


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture
def live_server(app):
    """The app on a real HTTP server (127.0.0.1, a free port). Each request runs in a thread
    of its own, which starts with an empty context: Flask pushes a fresh app context for it
    and the request's `db.session` (thread-scoped) is removed when it ends — as in
    production, and never the test's own app context."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def token_from_profile_page(app, user, totp_secret: str | None = None) -> str:
    """Sign in through the real forms (the password, then the authenticator code for the
    roles that need one), make a read-write token on /account and read it off the page,
    where it is shown this once."""
    browser = app.test_client()
    signed_in = login(browser, user.username)
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:300]
    if totp_secret is not None:
        assert "/login/code" in signed_in.headers["Location"]
        coded = post_form(browser, "/login/code", {"code": totp_code(totp_secret)})
        assert coded.status_code == 302 and "/login" not in coded.headers["Location"]
    page = post_form(browser, "/account/tokens",
                     {"name": "journey", "scope": "read-write", "days": "7"},
                     token_from="/account")
    assert page.status_code == 201, page.get_data(as_text=True)[:300]
    return TOKEN_RE.search(page.get_data(as_text=True)).group(1)


def wait_for(probe, what: str):
    """Poll `probe()` until it returns something truthy (no timing is asserted)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def fire(api: OpenApiClient, dossier_id: int, trigger: str) -> dict:
    """A transition with the version just read, as a client does."""
    version = api.call("get_dossier", path={"dossier_id": dossier_id})["version"]
    return api.call("fire_transition", path={"dossier_id": dossier_id, "trigger": trigger},
                    body={"version": version})


def run_in_thread(target, *args) -> tuple[threading.Thread, dict]:
    """Start `target(*args)`; the dict receives its "result" or its "error"."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = target(*args)
        except BaseException as error:  # noqa: BLE001 - SystemExit too; asserted by the test
            outcome["error"] = error

    thread = threading.Thread(target=run, name="client-script", daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture
def files(tmp_path, submitting_unit, nominee, vote_award):
    """What the new user prepares: the create_dossier body as a JSON file (an award this
    ministry confers after a council vote: decided here, not forwarded) and two PDFs."""
    award = vote_award()
    dossier_json = tmp_path / "dossier.json"
    dossier_json.write_text(json.dumps({
        "unit_id": submitting_unit.id, "award_id": award.id,
        "commendation_type": "CONG_TRANG", "year": today_vn().year - 1,
        "nominee_person_id": nominee.id,
        "summary": "Hoàn thành xuất sắc nhiệm vụ được giao."}, ensure_ascii=False),
        encoding="utf-8")
    to_trinh = tmp_path / "Tờ trình số 12.pdf"
    to_trinh.write_bytes(PDF)
    report = tmp_path / "bao-cao-thanh-tich.pdf"
    report.write_bytes(PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% Bao cao thanh tich\n"))
    return dossier_json, to_trinh, report


def script_args(base_url: str, token: str, dossier_json, *documents: str) -> list[str]:
    args = ["--base-url", base_url, "--token", token, "--dossier", str(dossier_json),
            "--interval", "0.2", "--timeout", str(WAIT_SECONDS)]
    for document in documents:
        args += ["--document", document]
    return args


def test_a_script_with_a_profile_token_takes_a_dossier_to_its_decision_over_http(
        app, session, live_server, files, capsys, submitter, reviewer, nominee,
        make_council, make_user, make_person):
    kit = make_council(3)
    session.get(User, kit.chair.id).totp_secret = CHAIR_SECRET  # chairs must use 2FA
    session.commit()
    signer = make_user("signer-btp", roles=["signer"], totp_secret=SIGNER_SECRET,
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    dossier_json, to_trinh, report = files

    script, outcome = run_in_thread(client_example.main, script_args(
        live_server, token_from_profile_page(app, submitter), dossier_json,
        f"TO_TRINH={to_trinh}", f"BAO_CAO_THANH_TICH={report}"))

    reviewer_api = OpenApiClient(live_server, token_from_profile_page(app, reviewer))
    spec = reviewer_api.spec

    def api_of(user, secret=None) -> OpenApiClient:
        return OpenApiClient(live_server, token_from_profile_page(app, user, secret),
                             spec=spec)

    queued = wait_for(lambda: reviewer_api.call("review_queue",
                                                query={"state": "submitted"})["items"],
                      "the script to submit the dossier")
    [dossier] = queued
    dossier_id = dossier["id"]
    assert dossier["nominee_person"]["id"] == nominee.id
    documents = reviewer_api.call("get_dossier", path={"dossier_id": dossier_id})["documents"]
    assert sorted((d["doc_type"], d["filename"], d["sha256"], d["mimetype"])
                  for d in documents) == sorted(
        (kind, path.name, hashlib.sha256(path.read_bytes()).hexdigest(), "application/pdf")
        for kind, path in [("TO_TRINH", to_trinh), ("BAO_CAO_THANH_TICH", report)])

    assert fire(reviewer_api, dossier_id, "accept")["state"] == "in_appraisal"
    assert fire(reviewer_api, dossier_id, "send_to_council")["state"] == "awaiting_council"

    secretary = api_of(kit.secretary)
    [council] = secretary.call("list_councils")["items"]
    meeting = secretary.call("schedule_council_session", body={
        "council_id": council["id"], "held_on": today_vn().isoformat(),
        "place": "Phòng họp số 1"})
    on_offer = secretary.call("list_eligible_dossiers", path={"session_id": meeting["id"]})
    assert [d["id"] for d in on_offer["items"]] == [dossier_id]
    secretary.call("add_agenda_item", path={"session_id": meeting["id"]},
                   body={"dossier_id": dossier_id})
    seats = secretary.call("get_council_session",
                           path={"session_id": meeting["id"]})["attendance"]
    present = secretary.call("record_council_attendance", path={"session_id": meeting["id"]},
                             body={"members": [{"member_id": s["member_id"],
                                                "status": "present"} for s in seats]})
    assert present["quorum"]["met"] is True and present["quorum"]["present_count"] == 3
    opened = secretary.call("open_council_round", path={"session_id": meeting["id"]}, body={})

    receipts = []
    for seat in kit.members:  # the chair first, then the members
        is_chair = seat.user_id == kit.chair.id
        member = api_of(seat.user, CHAIR_SECRET if is_chair else None)
        paper = member.call("get_my_ballot_paper", path={"round_id": opened["id"]})
        assert paper["needs_code"] is is_chair
        ballot = {"choices": [{"item_id": item["item_id"], "choice": "agree"}
                              for item in paper["items"]],
                  "confirm": True, "password": DEFAULT_PASSWORD}
        if is_chair:  # the code that signed in is burnt: the next one, as a phone shows it
            ballot["code"] = totp_code(CHAIR_SECRET, step_offset=1)
        cast = member.call("cast_my_ballot", path={"round_id": opened["id"]}, body=ballot)
        receipts.append(cast["item_codes"][0]["code"])
    closed = secretary.call("close_council_round", path={"round_id": opened["id"]})
    [item] = closed["items"]
    assert (item["tally"]["agree"], item["tally"]["outcome"]) == (3, "approved")
    [published] = closed["published"]
    assert set(receipts) == {ballot["code"] for ballot in published["ballots"]}

    signer_api = api_of(signer, SIGNER_SECRET)
    ready = signer_api.call("list_ready_to_sign")["items"]
    assert [d["id"] for d in ready] == [dossier_id]
    wording = signer_api.call("draft_decision", body={"dossier_ids": [dossier_id]})
    # Issuing asks for the signer's password again and a fresh code (the sign-in's is burnt).
    issued = signer_api.call("issue_decision", body={
        **wording, "password": DEFAULT_PASSWORD,
        "code": totp_code(SIGNER_SECRET, step_offset=1)})
    assert issued["reference"] == "01/QĐ-BTP"

    script.join(timeout=WAIT_SECONDS)
    assert not script.is_alive()
    assert outcome == {"result": 0}, outcome
    submitter_api = OpenApiClient(live_server, token_from_profile_page(app, submitter))
    final = submitter_api.call("get_dossier", path={"dossier_id": dossier_id})
    assert (final["state"], final["decision_number"]) == ("decided", "01/QĐ-BTP")
    steps = sorted(final["timeline"], key=lambda step: step["seq"])
    assert [s["to_state"] for s in steps if s["to_state"]] == [
        "draft", "submitted", "in_appraisal", "awaiting_council", "in_voting",
        "council_approved", "decided"]
    # The script reported every step once, oldest first, then the decision's number.
    assert capsys.readouterr().out.splitlines() == [
        f"Dossier #{dossier_id} submitted; following it.",
        *(format_step(step) for step in steps),
        f"Dossier #{dossier_id}: {final['state_label']} 01/QĐ-BTP"]

    stored = submitter_api.call("download_decision_docx", path={"decision_id": issued["id"]})
    assert hashlib.sha256(stored).hexdigest() == issued["docx_sha256"]
    document = docx.Document(io.BytesIO(stored))
    text = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert nominee.full_name in text and "01/QĐ-BTP" in text


def test_a_refused_step_is_printed_with_its_code_and_the_script_exits_1(
        app, session, live_server, files, capsys, submitter):
    dossier_json, to_trinh, _report = files
    status = client_example.main(script_args(
        live_server, token_from_profile_page(app, submitter), dossier_json,
        f"TO_TRINH={to_trinh}"))  # the achievement report is missing
    assert status == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("409 guard_failed: ") and captured.out == ""
    api = OpenApiClient(live_server, token_from_profile_page(app, submitter))
    [draft] = api.call("list_dossiers")["items"]
    assert draft["state"] == "draft"  # created, not submitted: the user can complete it
    assert [d["doc_type"] for d in api.call(
        "get_dossier", path={"dossier_id": draft["id"]})["documents"]] == ["TO_TRINH"]


def test_the_client_sends_an_idempotency_key_only_where_the_document_offers_one(app):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    client = OpenApiClient("http://127.0.0.1:9", "unused", spec=spec)
    assert client.api_root == "http://127.0.0.1:9/api/v1"
    ops = client.operations
    assert len(ops) == sum(1 for item in spec["paths"].values() for op in item.values()
                           if isinstance(op, dict) and "operationId" in op)
    assert ops["create_dossier"].idempotent and ops["fire_transition"].idempotent
    assert ops["upload_document"].content_types == ("multipart/form-data",)
    # A ballot's answer and body must never be stored: the API refuses the header there.
    assert not ops["cast_my_ballot"].idempotent and not ops["enter_written_vote"].idempotent
    assert not any(op.idempotent for op in ops.values() if op.method == "GET")


class _FlakyServer(OpenApiClient):
    """Answers `get_dossier` from a script of replies (an exception is raised)."""

    def __init__(self, replies):  # no document needed: `follow` only reads the dossier
        self.replies = list(replies)

    def call(self, operation_id, **kwargs):
        assert operation_id == "get_dossier"
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply


def _dossier(state: str, *seqs: int) -> dict:
    return {"id": 7, "state": state, "timeline": [
        {"seq": seq, "occurred_at": f"t{seq}", "action_label": f"step {seq}",
         "actor": "x", "to_state": None} for seq in reversed(seqs)]}  # newest first


def test_follow_reports_each_step_once_and_rides_out_a_dropped_connection():
    server = _FlakyServer([
        _dossier("submitted", 1, 2),
        urllib.error.URLError("connection refused"),
        ApiRefused(503, {"error": {"code": "unavailable", "message": "restarting"}}),
        _dossier("in_appraisal", 1, 2, 3),
        _dossier("decided", 1, 2, 3, 4, 5)])
    steps, problems = [], []
    final = client_example.follow(server, 7, interval=0, on_step=steps.append,
                                  on_problem=problems.append)
    assert final["state"] == "decided" and [s["seq"] for s in steps] == [1, 2, 3, 4, 5]
    assert [type(p).__name__ for p in problems] == ["URLError", "ApiRefused"]
    with pytest.raises(ApiRefused):  # an expired token is not retried
        client_example.follow(_FlakyServer([ApiRefused(401, {})]), 7, interval=0)
    with pytest.raises(TimeoutError):
        client_example.follow(_FlakyServer([_dossier("submitted", 1)] * 3), 7, interval=0,
                              timeout=0, on_step=steps.append)
