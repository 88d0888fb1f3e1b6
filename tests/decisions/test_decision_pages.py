"""The decision pages: signing (to-sign → preview → issue), reading and downloading issued
documents, forwarding upward and recording the higher decision."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.workflow_factories import TEST_GROUND
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.decision import Decision, DocumentSeries, SubmissionLetter
from workflow_app.models.dossier import Dossier

PENDING = "(số sẽ cấp khi ban hành)"


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person, locale="en")


@pytest.fixture
def ready(make_dossier, tx):
    """Two council-approved dossiers of the submitting unit: [(id, nominee name)]."""
    made = [make_dossier("council_approved") for _ in range(2)]
    rows = [(d.id, d.nominee_name) for d in made]
    tx.rollback()
    return rows


def decision_data(ids, **changes) -> dict:
    data = {"dossier_ids": [str(i) for i in ids], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc tặng Danh hiệu",
            "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP", "bases": "Căn cứ A;\nCăn cứ B;",
            "articles": "Tặng danh hiệu.\nQuyết định này có hiệu lực kể từ ngày ký.",
            "recipients": "Như Điều 3;\nLưu: VT, TĐKT."}
    data.update(changes)
    return data


def post(client, path, data, token_from="/decisions/to-sign"):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def counts(session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(Decision)),
            session.scalar(select(func.count()).select_from(DocumentSeries)))


def state_of(session, dossier_id: int) -> str:
    return session.scalar(select(Dossier.state).where(Dossier.id == dossier_id))


def test_signer_previews_then_issues_and_downloads_match_the_audit(
        app, client, session, signer, ready):
    ids, names = [i for i, _ in ready], [n for _, n in ready]
    login_as(app, client, signer)
    page = client.get("/decisions/to-sign").get_data(as_text=True)
    assert all(name in page for name in names)
    assert TEST_GROUND in page  # the award rule's formal legal bases, prefilled

    preview = post(client, "/decisions/preview", decision_data(ids))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert PENDING in html and all(name in html for name in names)
    assert 'data-testid="annex"' in html and "Hà Nội, ngày" in html
    assert counts(session) == (0, 0)  # a preview issues nothing and takes no number
    assert state_of(session, ids[0]) == "council_approved"

    # The confirm step re-sends the hidden inputs exactly as previewed.
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                             html.split('data-testid="issue-form"')[1].split("</form>")[0]))
    assert hidden["place"] == "Hà Nội" and hidden["issuer_id"].isdigit()
    assert "password" not in hidden and 'name="password"' in html  # asked, never carried

    # Issuing asks for the password again: missing or wrong, nothing is issued, the
    # preview comes back with the reason, and a wrong one counts towards the lockout.
    typed = decision_data(ids, issuer_id=hidden["issuer_id"])
    for password, reason in (("", "Enter your password again"),
                             ("not-my-password", "is not correct")):
        refused = post(client, "/decisions/issue", {**typed, "password": password})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422 and reason in text
        assert "The decision was not issued." in text and PENDING in text
        assert counts(session) == (0, 0) and state_of(session, ids[0]) == "council_approved"
    failed = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.reauth_failed")).one()
    assert failed.data["purpose"] == "decision"
    issued = post(client, "/decisions/issue", {**typed, **REAUTH})
    assert issued.status_code == 303
    decision = session.scalars(select(Decision)).one()
    assert issued.headers["Location"].endswith(f"/decisions/{decision.id}")
    reference = "01/QĐ-BTP"
    assert decision.reference == reference
    assert all(state_of(session, i) == "decided" for i in ids)

    detail = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert reference in detail and "Lê Thành Long" in detail
    assert all(name in detail for name in names)
    assert f'/dossiers/{ids[0]}' in detail  # the annex links to the dossiers

    event = session.scalars(select(AuditEvent)
                            .where(AuditEvent.action == "decision.issued")).one()
    stem = f"QD-01-BTP-{today_vn().year}"
    docx = client.get(f"/decisions/{decision.id}/docx")
    assert docx.status_code == 200
    assert docx.mimetype == ("application/vnd.openxmlformats-officedocument"
                             ".wordprocessingml.document")
    assert docx.headers["X-Content-Type-Options"] == "nosniff"
    disposition = docx.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{stem}.docx"' in disposition
    assert f"filename*=UTF-8''{stem}.docx" in disposition
    assert hashlib.sha256(docx.data).hexdigest() == event.data["docx_sha256"]
    again = client.get(f"/decisions/{decision.id}/docx")
    assert again.data == docx.data  # byte-identical on every download

    pdf = client.get(f"/decisions/{decision.id}/pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert hashlib.sha256(pdf.data).hexdigest() == event.data["pdf_sha256"]
    for item in decision.items:
        cert = client.get(f"/decisions/{decision.id}/certificates/{item.id}.pdf")
        assert cert.mimetype == "application/pdf"
        assert f"{stem}-{item.position:02d}.pdf" in cert.headers["Content-Disposition"]
        assert (hashlib.sha256(cert.data).hexdigest()
                == event.data["certificates"][str(item.dossier_id)])
        # "Xem": the same bytes shown in the page, sandboxed, from a link on the page.
        viewed = client.get(f"/decisions/{decision.id}/certificates/{item.id}/view")
        assert viewed.data == cert.data
        assert viewed.headers["Content-Disposition"].startswith("inline;")
        assert viewed.headers["Content-Security-Policy"].startswith("sandbox")
    assert client.get(f"/decisions/{decision.id}/certificates/999999.pdf").status_code == 404
    assert client.get(f"/decisions/{decision.id}/certificates/999999/view").status_code == 404
    page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert f'href="/decisions/{decision.id}/certificates/{decision.items[0].id}/view"' in page

    listing = client.get("/decisions/").get_data(as_text=True)
    assert reference in listing


@pytest.mark.parametrize("problem", ["nothing", "forged", "other_unit", "not_a_number",
                                     "empty_place", "bad_date", "future_date", "no_articles"])
def test_bad_input_is_a_form_error_and_issues_nothing(
        app, client, session, tx, make_user, make_person, make_unit, root_unit, make_dossier,
        submitting_unit, problem):
    outside = make_unit("Sở Tư pháp tỉnh B", parent=root_unit)
    outsider = make_user("submitter-b", roles=["submitter"], unit=outside)
    foreign = make_dossier("council_approved", unit=outside, creator=outsider).id
    own = make_dossier("council_approved").id
    tx.rollback()
    narrow = make_user("signer-a", roles=["signer"], unit=submitting_unit, locale="en",
                       person=make_person("Phạm Văn Ký", position="Cục trưởng"))
    session.get(type(submitting_unit), submitting_unit.id).symbol = "CTHADS"
    session.commit()
    login_as(app, client, narrow)
    data = {"nothing": decision_data([]), "forged": decision_data([own, 999_999]),
            "other_unit": decision_data([own, foreign]),
            "not_a_number": decision_data([own, "x1"]),
            "empty_place": decision_data([own], place="  "),
            "bad_date": decision_data([own], issued_on="30/02/2024"),
            "future_date": decision_data([own], issued_on="2999-01-01"),
            "no_articles": decision_data([own], articles="")}[problem]
    expected = {"nothing": "Select at least one dossier",
                "forged": "999999 does not exist or is outside your units",
                "other_unit": f"{foreign} does not exist or is outside your units",
                "not_a_number": "invalid dossier", "empty_place": "Enter the place of issue",
                "bad_date": "day/month/year, e.g. 07/12/2026",
                "future_date": "cannot be in the future",
                "no_articles": "at least one article"}[problem]
    for path in ("/decisions/preview", "/decisions/issue"):
        response = post(client, path, data)
        assert response.status_code == 422, path
        assert expected in response.get_data(as_text=True), path
        assert counts(session) == (0, 0)
    assert state_of(session, own) == "council_approved"


def test_only_signers_reach_the_signing_pages(app, client, submitter, ready):
    login_as(app, client, submitter)
    assert client.get("/decisions/to-sign").status_code == 403
    token = csrf_token(client, "/decisions/")
    for path in ("/decisions/preview", "/decisions/issue"):
        response = client.post(path,
                               data={**decision_data([ready[0][0]]), "csrf_token": token, **REAUTH})
        assert response.status_code == 403


def test_issue_without_csrf_token_is_refused(app, client, session, signer, ready):
    login_as(app, client, signer)
    response = client.post("/decisions/issue", data={**decision_data([ready[0][0]]), **REAUTH})
    assert response.status_code == 400
    assert counts(session) == (0, 0)


def test_downloads_only_for_readers(app, client, session, signer, ready, make_user,
                                    make_unit, root_unit, submitter):
    login_as(app, client, signer)
    assert post(client, "/decisions/issue",
                {**decision_data([i for i, _ in ready]), **REAUTH}).status_code == 303
    decision_id = session.scalar(select(Decision.id))
    other = make_unit("Sở Tư pháp tỉnh C", parent=root_unit)
    stranger = make_user("submitter-c", roles=["submitter"], unit=other)
    auditor = make_user("auditor", roles=["auditor"])
    paths = [f"/decisions/{decision_id}", f"/decisions/{decision_id}/docx",
             f"/decisions/{decision_id}/pdf", f"/decisions/{decision_id}/view"]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/decisions/")})
    login_as(app, client, stranger)
    assert [client.get(p).status_code for p in paths] == [404, 404, 404, 404]
    assert "01/QĐ-BTP" not in client.get("/decisions/").get_data(as_text=True)
    for reader in (auditor, submitter):  # the auditor; a submitter of an awarded dossier
        login_as(app, client, reader)
        assert [client.get(p).status_code for p in paths] == [200, 200, 200, 200]
        assert "01/QĐ-BTP" in client.get("/decisions/").get_data(as_text=True)
    # "View": the same PDF as the download, shown in the browser, sandboxed.
    viewed, pdf = client.get(paths[3]), client.get(paths[2])
    assert viewed.data == pdf.data and viewed.mimetype == "application/pdf"
    assert viewed.headers["Content-Disposition"].startswith("inline;")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert viewed.headers["X-Content-Type-Options"] == "nosniff"
    policy = viewed.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts allow-downloads;")  # no allow-same-origin
    assert "frame-ancestors 'self'" in policy and "default-src 'none'" in policy
    detail = client.get(paths[0]).get_data(as_text=True)
    assert f'href="{paths[3]}"' in detail and 'data-view="pdf"' in detail
    assert client.get(f"/decisions/{decision_id}/docx").headers[
        "Content-Disposition"].startswith("attachment;")  # the DOCX: a download, as its PDF


def test_to_sign_prefills_for_one_award_and_lists_nothing_else(
        app, client, signer, make_dossier, tx):
    first = make_dossier("council_approved")
    waiting = make_dossier("in_appraisal")
    award_id, first_id, waiting_name = first.award_id, first.id, waiting.nominee_name
    tx.rollback()
    login_as(app, client, signer)
    page = client.get(f"/decisions/to-sign?award={award_id}").get_data(as_text=True)
    assert re.search(rf'value="{first_id}"[^>]*checked', page)
    assert waiting_name not in page  # not ready for a decision


def test_ticking_one_dossier_and_refilling_words_the_decision_for_it_alone(
        app, client, signer, make_dossier, make_award, tx):
    from workflow_app.models.catalogue import Award

    first = make_dossier("council_approved", award=make_award())
    other = make_dossier("council_approved", award=make_award())
    names = [tx.get(Award, d.award_id).versions[0].name_vi for d in (first, other)]
    first_id = first.id
    tx.rollback()
    login_as(app, client, signer)
    page = client.get("/decisions/to-sign").get_data(as_text=True)
    summary = re.search(r'name="summary"[^>]*>([^<]*)<', page).group(1)
    assert names[0] in summary and names[1] in summary  # none ticked: worded for all
    refilled = post(client, "/decisions/preview", {"dossier_ids": [str(first_id)],
                                                   "summary": "", "refill": "1"})
    assert refilled.status_code == 200
    page = refilled.get_data(as_text=True)
    summary = re.search(r'name="summary"[^>]*>([^<]*)<', page).group(1)
    assert names[0] in summary and names[1] not in summary
    assert re.search(rf'value="{first_id}"[^>]*checked', page)
    assert len(re.findall(r'data-testid="pick"[^>]*checked|checked[^>]*data-testid="pick"',
                          page)) == 1


@pytest.fixture
def higher(make_award, tx):
    award = make_award()
    tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one() \
        .conferring_level = "prime_minister"
    tx.commit()
    return award


def test_officer_forwards_then_records_the_higher_decision(
        app, client, session, signer, make_dossier, tx, higher):
    ids = [make_dossier("council_approved", award=higher).id for _ in range(2)]
    lower = make_dossier("council_approved").id
    tx.rollback()
    login_as(app, client, signer)
    assert f'value="{lower}"' in client.get("/decisions/to-sign").get_data(as_text=True)
    page = client.get("/decisions/forward").get_data(as_text=True)
    assert "Kính gửi: Thủ tướng Chính phủ" in page
    assert f'value="{ids[0]}"' in page and f'value="{lower}"' not in page
    data = {"dossier_ids": [str(i) for i in ids], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc đề nghị tặng Bằng khen",
            "addressee": "Kính gửi: Thủ tướng Chính phủ", "signer_title": "BỘ TRƯỞNG",
            "signer_name": "Lê Thành Long", "body": "Kính trình.", "recipients": "Như trên;"}
    bad = post(client, "/decisions/forward", {**data, "place": ""}, "/decisions/forward")
    assert bad.status_code == 422 and session.scalars(select(SubmissionLetter)).all() == []
    wrong = post(client, "/decisions/forward", {**data, "password": "not-my-password"},
                 "/decisions/forward")
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "The submission letter was not issued." in text
    assert "Kính trình." in text and session.scalars(select(SubmissionLetter)).all() == []
    response = post(client, "/decisions/forward", {**data, **REAUTH}, "/decisions/forward")
    assert response.status_code == 303
    letter = session.scalars(select(SubmissionLetter)).one()
    assert letter.reference == "01/TTr-BTP"
    assert response.headers["Location"].endswith(f"/decisions/submissions/{letter.id}")
    pdf = client.get(f"/decisions/submissions/{letter.id}/pdf")
    assert pdf.mimetype == "application/pdf"
    assert f"TTr-01-BTP-{today_vn().year}.pdf" in pdf.headers["Content-Disposition"]
    assert all(state_of(session, i) == "forwarded" for i in ids)

    listing = client.get("/decisions/forwarded").get_data(as_text=True)
    assert all(f'data-dossier="{i}"' in listing for i in ids)
    token = csrf_token(client, "/decisions/forwarded")
    version = session.scalar(select(Dossier.version).where(Dossier.id == ids[0]))

    def record(number, day):
        return client.post(f"/decisions/forwarded/{ids[0]}", data={
            f"d{ids[0]}-csrf_token": token, f"d{ids[0]}-number": number,
            f"d{ids[0]}-decided_on": day, f"d{ids[0]}-version": str(version)})

    for number, day, message in (("125", today_vn().isoformat(), "e.g. 125/QĐ-TTg"),
                                 ("125/QĐ-TTg", "2999-01-01", "cannot be in the future"),
                                 ("125/QĐ-TTg", "12/31/2024", "day/month/year")):  # US order
        refused = record(number, day)
        assert refused.status_code == 422 and message in refused.get_data(as_text=True)
        assert state_of(session, ids[0]) == "forwarded"
    assert record("125/QĐ-TTg", today_vn().strftime("%d/%m/%Y")).status_code == 303
    assert state_of(session, ids[0]) == "decided"
    assert session.scalar(select(Dossier.decision_number).where(Dossier.id == ids[0])) \
        == "125/QĐ-TTg"
    remaining = client.get("/decisions/forwarded").get_data(as_text=True)
    assert f'data-dossier="{ids[0]}"' not in remaining and f'data-dossier="{ids[1]}"' in remaining
    assert client.post("/decisions/forwarded/999999",
                       data={"csrf_token": token}).status_code == 404
