"""Done-when of issue 5, on the demo data: a CSTĐ Bộ dossier for a person with a gap in her
CSTĐCS history is flagged with the reason and the legal basis, and cannot be submitted."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as, run_cli
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.org import Person
from workflow_app.models.user import User
from workflow_app.workflow import open_dossier

DOCUMENTS = ("TO_TRINH", "BAO_CAO_THANH_TICH", "BIEN_BAN_BINH_XET", "XAC_NHAN_SANG_KIEN")


def test_demo_person_with_a_gap_is_flagged_and_cannot_be_submitted(app, client, session):
    assert run_cli(app, "catalogue", "load").exit_code == 0
    loaded = run_cli(app, "demo", "load")
    assert loaded.exit_code == 0, loaded.output
    submitter = session.scalar(select(User).where(User.username == "demo.submitter"))
    hanh = session.scalar(select(Person).where(Person.full_name == "Vương Thị Hạnh"))

    tx = db.new_session()
    dossier = Dossier(workflow="normal", unit_id=hanh.unit_id, nominee_person_id=hanh.id,
                      award_id=award_by_code(tx, "CSTD_BO").id, commendation_type="CONG_TRANG",
                      year=2025, title="Đề nghị tặng Chiến sĩ thi đua Bộ năm 2025",
                      summary="Hoàn thành xuất sắc nhiệm vụ; sáng kiến cấp Bộ.")
    open_dossier(tx, dossier, tx.get(User, submitter.id))
    for n, code in enumerate(DOCUMENTS, start=1):
        dossier.documents.append(DossierDocument(doc_type=code, sha256=f"{n:064x}",
                                                 filename=f"{code}.pdf", size=1))
    tx.commit()
    dossier_id, version = dossier.id, dossier.version
    tx.close()

    submitter.locale = "en"
    session.commit()
    login_as(app, client, submitter)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    panel = page.split('data-testid="eligibility-panel"')[1].split("</section>")[0]
    rule = panel.split('data-testid="rule-1"')[1].split("</li>")[0]
    assert 'data-status="not_met"' in rule
    assert "2023, 2025 — 2024 missing" in rule  # the reason
    assert "Luật TĐKT 2022, Điều 22" in rule  # the legal basis
    assert 'data-testid="rule-2" data-status="met"' in panel  # the ministry initiative
    assert 'data-testid="eligibility-blocked"' in panel
    assert 'data-testid="blocked-submit"' in page

    response = client.post(f"/dossiers/{dossier_id}/transitions/submit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{dossier_id}"), "version": version})
    assert response.status_code == 409
    assert "2024 missing" in response.get_data(as_text=True)
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == "draft"
