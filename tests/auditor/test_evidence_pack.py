"""Issue 15 item 3: the evidence pack of a decision (found by its number) and of a dossier:
history, documents checked three ways (row, audit event, stored bytes), the covering signed
checkpoint; the PDF; the ZIP that the standalone verifier checks offline, and fails when a
document or a listed event is altered."""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import subprocess
import sys
import zipfile
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select, text

from tests.support.dossier_factories import PDF
from tests.support.helpers import login_as, post_form, recording
from tests.support.workflow_factories import place
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit import checkpoint
from workflow_app.decisions.service import issue
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.decision import Decision
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User


@pytest.fixture
def decided(app, tx, make_user, make_person, make_dossier, submitter, tmp_path):
    auditor = make_user("kiemtoan", roles=["auditor"], locale="vi")
    signer = make_user("signer-btp", roles=["signer", "reviewer"],
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    dossier = make_dossier(documents=())
    add_document(tx, dossier, tx.get(User, submitter.id), doc_type="TO_TRINH",
                 filename="to-trinh.pdf", data=PDF, storage=app_storage(ATTACHMENTS),
                 max_size=10_000_000)
    place(tx, dossier, "council_approved")
    tx.commit()
    user = tx.get(User, signer.id)
    today = today_vn()
    decision = issue.issue_decision(tx, user, issue.default_input(user, [dossier], today),
                                    app_storage(DOCUMENTS), today)
    tx.commit()
    checkpoint.generate_key(tmp_path / "k.pem")
    checkpoint.create_checkpoint(tx, checkpoint.load_key(str(tmp_path / "k.pem")))
    tx.commit()
    made = {"auditor": auditor, "signer": signer, "dossier_id": dossier.id,
            "decision_id": decision.id, "reference": decision.reference,
            "to_trinh": dossier.documents[0].sha256}
    tx.rollback()  # end the read transaction those attributes opened (SQLite's lock)
    return made


def _verify(folder):
    return subprocess.run([sys.executable, str(folder / "standalone_verify.py"), str(folder)],
                          capture_output=True, text=True)


def test_evidence_pack_of_a_decision_page_pdf_and_offline_zip(app, client, decided, tmp_path):
    login_as(app, client, decided["auditor"])
    found = client.get("/audit/evidence", query_string={"kind": "decision",
                                                        "ident": decided["reference"]})
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/audit/evidence/decision/"
                                              f"{decided['decision_id']}")
    unknown = client.get("/audit/evidence?kind=decision&ident=99/QĐ-XYZ")
    assert unknown.status_code == 400 and "Không tìm thấy" in unknown.get_data(as_text=True)

    page = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "Kết quả: mọi nội dung kiểm tra đều đạt." in page
    documents = page.split('data-testid="pack-documents"')[1].split("</table>")[0]
    assert documents.count("khớp sự kiện nhật ký và tệp đang lưu") == 4  # DOCX, PDF,
    assert "table-danger" not in documents  # certificate, the dossier's tờ trình
    assert decided["to_trinh"] in documents
    history = page.split('data-testid="pack-history"')
    assert "Ban hành quyết định" in history[1]  # the decision's own event
    assert any("Thêm tài liệu vào hồ sơ" in part for part in history[2:])
    assert "Điểm kiểm tra đã ký bao trùm" in page

    pdf = client.get(f"/audit/evidence/decision/{decided['decision_id']}.pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"

    archive = client.get(f"/audit/evidence/decision/{decided['decision_id']}.zip")
    folder = tmp_path / "pack"
    zipfile.ZipFile(io.BytesIO(archive.data)).extractall(folder)
    archive.close()
    evidence = json.loads((folder / "evidence.json").read_text())
    assert evidence["subject"]["kind"] == "decision" and len(evidence["documents"]) == 4
    assert evidence["checkpoint"]["seq"] >= max(e["seq"] for e in evidence["events"])
    ok = _verify(folder)
    assert ok.returncode == 0, ok.stdout
    assert "evidence pack: " in ok.stdout and "4 documents" in ok.stdout

    document = folder / evidence["documents"][0]["file"]
    original = document.read_bytes()
    document.write_bytes(original + b"x")
    altered = _verify(folder)
    assert altered.returncode == 1 and "does not hash to its listed SHA-256" in altered.stdout
    document.write_bytes(original)
    evidence["events"][0]["hash"] = "0" * 64
    (folder / "evidence.json").write_text(json.dumps(evidence))
    forged = _verify(folder)
    assert forged.returncode == 1
    assert f"event seq {evidence['events'][0]['seq']} is not in the chain" in forged.stdout

    # the dossier's own pack holds its certificate; a stored file altered on the server shows
    stored = app_storage(ATTACHMENTS).path_for(decided["to_trinh"])
    stored.write_bytes(PDF + b"%tampered")
    own = client.get(f"/audit/evidence/dossier/{decided['dossier_id']}").get_data(as_text=True)
    assert "Bằng, giấy khen của" in own
    assert "nội dung tệp đang lưu không còn khớp mã băm đã ghi" in own
    assert "Kết quả: có nội dung kiểm tra không đạt" in own
    assert client.get("/audit/evidence/council_session/999999").status_code == 404
    assert client.get("/audit/evidence/user/1").status_code == 404


def test_cross_checks_hold_then_name_each_difference(app, client, session, decided):
    login_as(app, client, decided["auditor"])

    def run() -> dict[str, str]:
        page = post_form(client, "/audit/crosschecks", {}).get_data(as_text=True)
        items = page.split('data-testid="crosschecks"')[1]
        return {part.split('"')[0]: part for part in items.split('data-check="')[1:]}

    first = run()
    assert set(first) == {"ballots", "documents", "states", "registry"}
    assert all('data-ok="yes"' in part for part in first.values()), first
    # behind the application's back: a state, a stored decision file, a registry row
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE dossier SET state = 'withdrawn' WHERE id = :i"),
                     {"i": decided["dossier_id"]})
    person_id = session.get(Dossier, decided["dossier_id"]).nominee_person_id
    session.add(AwardRecord(person_id=person_id, award_code="CSTDCS", year=2025,
                            decision_number="77/QĐ-BTP", decision_date=date(2025, 5, 5),
                            issuer="Bộ Tư pháp", source="manual"))  # no registry.entered
    session.commit()
    pdf_hash = session.get(Decision, decided["decision_id"]).pdf_sha256
    app_storage(DOCUMENTS).path_for(pdf_hash).write_bytes(b"%PDF-1.4 forged")
    second = run()
    assert 'data-ok="no"' in second["states"]
    assert f"Hồ sơ #{decided['dossier_id']}" in second["states"] and "Đã rút" in second["states"]
    assert "tệp đang lưu không còn khớp mã băm" in second["documents"]
    assert decided["reference"] in second["documents"]
    assert "77/QĐ-BTP" in second["registry"] and "thủ công" in second["registry"]
    assert 'data-ok="yes"' in second["ballots"]
    xlsx = client.get("/audit/crosschecks.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    xlsx.close()
    assert sum(1 for r in rows if r[2] == "khác") >= 3


def test_a_sample_is_reproducible_from_its_seed(app, client, session, make_user, make_dossier,
                                                tx):
    login_as(app, client, make_user("kiemtoan2", roles=["auditor"], locale="vi"))
    ids = [make_dossier("decided", decision_number=f"{n}/QĐ-BTP",
                        decision_date=date(2026, 3, n)).id for n in range(1, 8)]
    make_dossier("decided", decision_number="99/QĐ-BTP", decision_date=date(2025, 3, 1))
    tx.rollback()
    query = ("/audit/sample?programme=Kiểm+tra+2026&date_from=2026-01-01&date_to=2026-12-31"
             "&size=3")
    drawn = client.get(query)
    assert drawn.status_code == 302 and "seed=" in drawn.headers["Location"]
    seed = int(drawn.headers["Location"].split("seed=")[1].split("&")[0])
    page = client.get(drawn.headers["Location"]).get_data(as_text=True)
    table = page.split('data-testid="sample"')[1].split("</table>")[0]
    shown = [int(x.split("<")[0]) for x in table.split(">#")[1:]]
    assert shown == sorted(random.Random(seed).sample(sorted(ids), 3))
    assert f"Hạt giống {seed}: 3 trong số 7 hồ sơ" in page
    again = client.get(drawn.headers["Location"]).get_data(as_text=True)
    assert again.split('data-testid="sample"')[1] == page.split('data-testid="sample"')[1]
    xlsx = client.get(drawn.headers["Location"].replace("/audit/sample?", "/audit/sample.xlsx?"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    xlsx.close()
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == shown
    params = dict(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert params["Hạt giống ngẫu nhiên"] == seed and params["Chương trình kiểm tra"] == \
        "Kiểm tra 2026"
    everything = client.get(query.replace("size=3", "size=50") + "&seed=5").get_data(
        as_text=True)
    assert everything.split('data-testid="sample"')[1].count(">#") == 7


def _english_phrases() -> set[str]:
    """The English of every translated phrase of the auditor's pages and services (the
    longest literal run of each msgid, 10 characters or more, with a space)."""
    from babel.messages.pofile import read_po

    from workflow_app.config import PROJECT_ROOT

    path = PROJECT_ROOT / "workflow_app/translations/vi/LC_MESSAGES/messages.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    phrases = set()
    for message in catalogue:
        if not message.id or not isinstance(message.id, str) or message.string == message.id:
            continue
        if not any("auditor" in where for where, _line in message.locations):
            continue
        runs = [run.strip() for run in re.split(r"%\(\w+\)[sd]", message.id)]
        longest = max(runs, key=len)
        if len(longest) >= 10 and " " in longest:
            phrases.add(longest)
    return phrases


WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b(?:\s+INTO|\s+FROM)?\s+\"?(\w+)", re.I)
BOOKKEEPING = {"user_session", "api_token"}  # last seen / last used stamps


def test_the_workbench_api_answers_as_the_pages_and_nothing_writes(
        app, client, call_as, decided, session):
    api = call_as(decided["auditor"], scope="read")
    login_as(app, client, decided["auditor"])
    ref = decided["reference"]
    pages = ["/audit/", "/audit/log.xlsx", "/audit/exceptions", "/audit/exceptions.xlsx",
             f"/audit/subjects/dossier/{decided['dossier_id']}",
             f"/audit/evidence/decision/{decided['decision_id']}",
             f"/audit/evidence/decision/{decided['decision_id']}.zip",
             f"/audit/evidence/dossier/{decided['dossier_id']}.pdf",
             "/audit/sample?size=5&seed=3", "/audit/sample.xlsx?size=5&seed=3",
             "/audit/crosschecks.xlsx"]
    html = {}
    before = session.scalar(select(func.max(AuditEvent.seq)))
    with recording(db.engine) as statements:
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            if response.mimetype == "text/html":
                html[url] = response.get_data(as_text=True)
            response.close()
        for url in ("/audit/verify", "/audit/crosschecks"):
            response = post_form(client, url, {})
            assert response.status_code == 200
            html[url] = response.get_data(as_text=True)
        evidence = api("GET", "/api/v1/audit/evidence", query_string={
            "kind": "decision", "id": ref})
        exceptions = api("GET", "/api/v1/audit/exceptions?kind=role_grant&limit=2")
        sample = api("GET", "/api/v1/audit/sample?size=2")
        checks = api("GET", "/api/v1/audit/crosschecks")
        pack = api("GET", "/api/v1/audit/evidence/pack", query_string={
            "kind": "dossier", "id": str(decided["dossier_id"])})
    written = {m.group(2).lower() for s in statements if (m := WRITES.match(s))}
    # the auditor changes nothing; "verify now" keeps its run beside the chain
    assert written <= BOOKKEEPING | {"audit_verification"}, written
    assert session.scalar(select(func.max(AuditEvent.seq))) == before
    english = _english_phrases()
    for url, page in html.items():  # no English on the Vietnamese pages
        main = re.sub(r"<details.*?</details>", "", page.split("<main", 1)[1], flags=re.S)
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
        assert not [phrase for phrase in english if phrase in text], url

    body = evidence.get_json()
    assert evidence.status_code == 200 and body["ok"] is True and body["title"].endswith(ref)
    assert all(e["hash_ok"] for e in body["events"]) and len(body["documents"]) == 4
    assert body["checkpoint"]["seq"] >= max(e["seq"] for e in body["events"])
    page = exceptions.get_json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert {i["kind"] for i in page["items"]} == {"role_grant"}
    assert all(i["rule"].startswith("Vai trò") for i in page["items"]
               if i["action"] == "user.role_granted")
    assert page["counts"][0]["total"] >= 2
    more = api("GET", f"/api/v1/audit/exceptions?kind=role_grant&limit=2&cursor="
                      f"{page['next_cursor']}").get_json()
    assert any(i["action"] == "user.role_granted" for i in page["items"] + more["items"])
    assert {i["seq"] for i in more["items"]}.isdisjoint({i["seq"] for i in page["items"]})
    drawn = sample.get_json()
    again = api("GET", f"/api/v1/audit/sample?size=2&seed={drawn['seed']}").get_json()
    assert drawn == again and drawn["population"] == 1
    assert checks.get_json()["ok"] is True
    assert pack.mimetype == "application/zip"
    assert "evidence.json" in zipfile.ZipFile(io.BytesIO(pack.data)).namelist()
    pack.close()
    verified = api("GET", "/api/v1/audit/verify").get_json()
    assert verified["headline"] == "Nhật ký hệ thống còn nguyên vẹn."
    assert verified["summary"][0].startswith("Chuỗi băm nguyên vẹn")
    log = api("GET", "/api/v1/audit/events?action=decision.issued").get_json()["items"]
    assert log[0]["action_label"] == "Ban hành quyết định"  # the page's words, too
    assert log[0]["subject_name"] == f"Quyết định {ref}" and "Lê Thành Long" in \
        log[0]["actor_name"]
    missing = api("GET", "/api/v1/audit/evidence?kind=decision&id=99/QĐ-XYZ")
    assert missing.status_code == 404
    outsider = call_as(session.merge(decided["signer"]), scope="read")
    assert outsider("GET", "/api/v1/audit/crosschecks").status_code == 403


def test_a_pack_not_yet_covered_by_a_checkpoint_holds_and_says_so(app, session, decided):
    """No signed checkpoint yet is not a failed check (the new-user run read a pack whose
    every check matched as "some checks do not hold")."""
    from dataclasses import replace

    from workflow_app.auditor.service import evidence

    pack = evidence.build(session, "decision", decided["reference"], "vi",
                          app_storage(ATTACHMENTS), app_storage(DOCUMENTS))
    assert pack.ok and pack.anchored
    waiting = replace(pack, checkpoint=None, checkpoint_problem="chưa có điểm kiểm tra")
    assert waiting.ok and not waiting.anchored
    forged = replace(pack, checkpoint_problem="chữ ký không hợp lệ")
    assert not forged.ok and not forged.anchored
    # The ZIP names each document in words, holds each file once (a file listed twice, as
    # a document removed and added again is) and maps the names to the hashes.
    twice = replace(pack, documents=[*pack.documents, pack.documents[-1]])
    out = io.BytesIO()
    evidence.pack_zip(session, twice, b"%PDF-1.4", out)
    archive = zipfile.ZipFile(out)
    files = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(files) == len(set(files)) == 5  # four files and SHA256SUMS
    reference = decided["reference"].replace("/", "-").replace("Đ", "D")
    assert f"documents/quyet-dinh-{reference}.pdf" in files
    assert f"documents/ho-so-{decided['dossier_id']}-to-trinh.pdf" in files
    assert not any(re.fullmatch(r"documents/[0-9a-f]{64}", n) for n in files)
    sums = dict(line.split("  ")[::-1] for line in
                archive.read("documents/SHA256SUMS").decode().splitlines())
    assert len(sums) == 4 and all(
        hashlib.sha256(archive.read(f"documents/{name}")).hexdigest() == digest
        for name, digest in sums.items())
    listed = json.loads(archive.read("evidence.json"))["documents"]
    assert len(listed) == 5 and listed[-1]["file"] == listed[-2]["file"]
