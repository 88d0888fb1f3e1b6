"""Issue 15 item 3: the evidence pack of a decision (found by its number) and of a dossier:
history, documents checked three ways (row, audit event, stored bytes), the covering signed
checkpoint; the PDF; the ZIP that the standalone verifier checks offline, and fails when a
document or a listed event is altered."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import pytest

from tests.support.dossier_factories import PDF
from tests.support.helpers import login_as
from tests.support.workflow_factories import place
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit import checkpoint
from workflow_app.decisions.service import issue
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import today_vn
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
    made = {"auditor": auditor, "dossier_id": dossier.id, "decision_id": decision.id,
            "reference": decision.reference, "to_trinh": dossier.documents[0].sha256}
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
