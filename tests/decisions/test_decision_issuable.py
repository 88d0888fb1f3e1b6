"""A decision an office can issue as it is (issue 18): formal "Căn cứ" lines, the issuer's own
organisation-decree line, official award names; refused while a line is a placeholder, empty
or catalogue shorthand. Reads the issued DOCX, PDF and certificate back."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from flask_babel import force_locale
from pypdf import PdfReader

from tests.support.factories import ROOT_FOUNDING_GROUND
from workflow_app.attachments.storage import Storage
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.decisions.service import forwarding, issue
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User

LAW = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"
DECREE = "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ;"
CIRCULAR = ("Căn cứ Thông tư số 11/2023/TT-BTP ngày 29 tháng 12 năm 2023 của Bộ trưởng Bộ Tư "
            "pháp;")
OFFICIAL = "Bằng khen của Bộ trưởng Bộ Tư pháp"
SHORTHAND = ("k1:", "k6:", ".;", "Luật TĐKT", "Thẩm quyền:", "Bằng khen Bộ, ban, ngành", "[",
             "…", "{", "văn bản quy định chức năng")


def _refusal(tx, user, inp, today) -> str:
    try:
        issue.prepare(tx, user, inp, today)
    except SelectionError as error:
        with force_locale("vi"):
            return str(error.message)
    raise AssertionError("not refused")


def test_issued_decision_cites_formal_texts_and_official_names_and_refuses_placeholders(
        app, tx, make_user, make_person, make_dossier, root_unit, tmp_path):
    load_catalogue(tx)
    tx.commit()
    today = date.today()
    signer = make_user("signer-btp", roles=["signer", "reviewer"],
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    bk_bo, hcld2 = award_by_code(tx, "BK_BO"), award_by_code(tx, "HCLD2")
    dossiers = [make_dossier("council_approved", award=bk_bo) for _ in range(2)]
    user, ministry = tx.get(User, signer.id), tx.get(OrgUnit, root_unit.id)

    inp = issue.default_input(user, dossiers, today)
    assert inp.bases[:4] == [ROOT_FOUNDING_GROUND, LAW, DECREE, CIRCULAR]
    assert inp.summary == f"Về việc tặng {OFFICIAL}" and OFFICIAL in inp.articles[0]

    with app.test_request_context():
        # Each placeholder, empty or shorthand line is refused, naming what to fill in.
        ministry.founding_ground = ""
        placeholder = issue.default_input(user, dossiers, today)
        assert "[" in placeholder.bases[0]
        message = _refusal(tx, user, placeholder, today)
        assert "Quản trị → Đơn vị → Bộ Tư pháp" in message and "Căn cứ" in message
        shorthand = issue.DecisionInput(**{**inp.__dict__, "bases": [
            *inp.bases, "Căn cứ Luật TĐKT 2022, Điều 74 (k1: cá nhân). Thẩm quyền: Bộ trưởng.;"]})
        assert "viết tắt" in _refusal(tx, user, shorthand, today)
        empty = issue.DecisionInput(**{**inp.__dict__, "bases": ["  "]})
        assert "căn cứ" in _refusal(tx, user, empty, today)
        ministry.founding_ground, ministry.head_title = ROOT_FOUNDING_GROUND, ""
        assert "Bộ trưởng Bộ Tư pháp" in _refusal(tx, user, inp, today)  # names the setting
        ministry.head_title = "Bộ trưởng Bộ Tư pháp"
        tx.flush()

        # A tờ trình upward cites the award's texts too, and refuses a placeholder the same way.
        forwarded = make_dossier("council_approved", award=hcld2)
        letter = forwarding.default_input(user, [forwarded], today)
        assert letter.body[:2] == [LAW, DECREE]
        assert "Huân chương Lao động hạng Nhì" in letter.summary
        bad = forwarding.SubmissionInput(**{**letter.__dict__,
                                            "body": ["Căn cứ […];", *letter.body]})
        try:
            forwarding.prepare(tx, user, bad, today)
            raise AssertionError("not refused")
        except SelectionError as error:
            assert error.field == "body"

    storage = Storage(tmp_path / "documents")
    decision = issue.issue_decision(tx, user, inp, storage, today)
    tx.commit()
    docx = Document(io.BytesIO(storage.get(decision.docx_sha256)))
    docx_text = "\n".join([p.text for p in docx.paragraphs] + [
        c.text for t in docx.tables for row in t.rows for c in row.cells])
    pdf_text = "\n".join(page.extract_text() for page in
                         PdfReader(io.BytesIO(storage.get(decision.pdf_sha256))).pages)
    certificate = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        storage.get(decision.items[0].certificate_sha256))).pages)
    flat_pdf = " ".join(pdf_text.split())
    for line in (ROOT_FOUNDING_GROUND, LAW, DECREE, CIRCULAR):
        assert line in docx_text
        assert line in flat_pdf
    for text in (docx_text, flat_pdf):
        assert f"Về việc tặng {OFFICIAL}" in text
        assert text.count(OFFICIAL) >= 4  # summary, Điều 1, two annex rows
        assert not [bad for bad in SHORTHAND if bad in text]
    assert OFFICIAL.upper() in " ".join(certificate.split())
    assert [item.award_name for item in decision.items] == [OFFICIAL, OFFICIAL]
