"""The optional "on behalf of" line of a decision's signature block (e.g. "KT. BỘ TRƯỞNG"
above "THỨ TRƯỞNG"): empty by default, printed above the signer's title in the DOCX, the PDF
and the certificates when the signer enters it; a bad line issues nothing (page and API)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.decisions.test_decision_pages import decision_data, post
from tests.support.factories import REAUTH
from tests.support.helpers import login_as
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import issue
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.models.decision import Decision
from workflow_app.models.user import User

TODAY = date(2024, 11, 15)


@pytest.fixture
def deputy(make_user, make_person):
    person = make_person("Nguyễn Thanh Tịnh", position="Thứ trưởng")
    return make_user("deputy-btp", roles=["signer", "reviewer"], person=person, locale="en")


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def _cells(storage, sha) -> list[str]:
    docx = Document(io.BytesIO(storage.get(sha)))
    return [c.text for t in docx.tables for row in t.rows for c in row.cells]


def test_the_line_is_empty_by_default_and_printed_above_the_title_when_given(
        tx, deputy, make_dossier, storage):
    dossier = make_dossier("council_approved")
    user = tx.get(User, deputy.id)
    inp = issue.default_input(user, [dossier], TODAY)
    assert inp.on_behalf_of == ""
    inp.on_behalf_of = "  KT. BỘ TRƯỞNG "
    decision = issue.issue_decision(tx, user, inp, storage, TODAY)
    tx.commit()
    assert decision.signer_title == "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"
    block = next(cell for cell in _cells(storage, decision.docx_sha256)
                 if "Nguyễn Thanh Tịnh" in cell)
    assert block.index("KT. BỘ TRƯỞNG") < block.index("THỨ TRƯỞNG") < block.index("Nguyễn")
    pdf = "".join(page.extract_text() for page in
                  PdfReader(io.BytesIO(storage.get(decision.pdf_sha256))).pages)
    assert "KT. BỘ TRƯỞNG" in pdf
    certificate = PdfReader(io.BytesIO(storage.get(decision.items[0].certificate_sha256)))
    assert "KT. BỘ TRƯỞNG" in certificate.pages[0].extract_text()


def test_without_the_line_the_signer_signs_in_their_own_name(tx, deputy, make_dossier,
                                                             storage):
    dossier = make_dossier("council_approved")
    user = tx.get(User, deputy.id)
    decision = issue.issue_decision(tx, user, issue.default_input(user, [dossier], TODAY),
                                    storage, TODAY)
    tx.commit()
    assert decision.signer_title == "THỨ TRƯỞNG"


def test_a_line_break_or_an_overlong_line_issues_nothing(tx, deputy, make_dossier, storage):
    dossier = make_dossier("council_approved")
    user = tx.get(User, deputy.id)
    for bad in ("KT. BỘ TRƯỞNG\nTM. BỘ", "K" * (issue.ON_BEHALF_MAX + 1)):
        inp = issue.default_input(user, [dossier], TODAY)
        inp.on_behalf_of = bad
        with pytest.raises(SelectionError):
            issue.issue_decision(tx, user, inp, storage, TODAY)
        tx.rollback()
    assert tx.scalar(select(func.count()).select_from(Decision)) == 0


def test_the_pages_offer_the_line_empty_and_carry_it_from_preview_to_issue(
        app, client, session, deputy, make_dossier, tx):
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    login_as(app, client, deputy)
    page = client.get("/decisions/to-sign").get_data(as_text=True)
    [field] = re.findall(r'<input[^>]*name="on_behalf_of"[^>]*>', page)
    assert 'value="' not in field or 'value=""' in field  # prefilled empty
    data = {**decision_data([dossier_id]), "on_behalf_of": "KT. BỘ TRƯỞNG"}
    preview = post(client, "/decisions/preview", data, "/decisions/to-sign")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert html.index("KT. BỘ TRƯỞNG") < html.index("THỨ TRƯỞNG")
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                             html.split('data-testid="issue-form"')[1].split("</form>")[0]))
    assert hidden["on_behalf_of"] == "KT. BỘ TRƯỞNG"
    issued = post(client, "/decisions/issue", {**data, "issuer_id": hidden["issuer_id"], **REAUTH},
                  "/decisions/to-sign")
    assert issued.status_code == 303
    decision = session.scalars(select(Decision)).one()
    assert decision.signer_title == "KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG"
    refused = post(client, "/decisions/preview", {**data, "on_behalf_of": "K" * 61},
                   "/decisions/to-sign")
    assert refused.status_code == 422
