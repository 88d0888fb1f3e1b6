"""Registration of target titles and inspections: the deadline (and its reopening), only a
unit's own people, an XLSX file valid as a whole or refused naming the bad row; who has
registered and who has not; whether a nominee registered; inspections with findings."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.support.helpers import audit_events, csrf_token, login_as
from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.dossier import Dossier
from workflow_app.models.movement import Registration
from workflow_app.movements.service import queries
from workflow_app.movements.service.movements import set_registration_window
from workflow_app.movements.service.registration import (
    LineIn,
    RegistrationError,
    lines_from_xlsx,
    register,
    registered_for,
)
from workflow_app.workflow import Forbidden


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Danh hiệu"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_registration_rules_the_xlsx_all_or_nothing_and_who_registered(
        tx, world, awards, make_movement):
    today = today_local()
    movement = make_movement("launched", registration_deadline=today - timedelta(days=1))
    ccn, ttb = world["members"][2], world["members"][1]
    officer = world["officers"]["CCN"]
    own, other = world["people"]["CCN"], world["people"]["TTB"]
    with pytest.raises(RegistrationError) as late:
        register(tx, officer, movement, ccn, commitments="", lines=[LineIn("TTLDXS")],
                 today=today)
    tx.rollback()
    assert "đã hết" in str(late.value.message)
    set_registration_window(tx, world["organiser"], movement, movement.version,
                            deadline=movement.registration_deadline, reopened=True)
    tx.commit()
    refusals = [
        ([LineIn("TTLDXS"), LineIn("CSTDCS", other.id)], "Dòng 2"),  # another unit's person
        ([LineIn("CSTDCS")], "là danh hiệu cho cá nhân"),
        ([LineIn("NOPE")], "không phải danh hiệu"),
    ]
    for lines, words in refusals:
        with pytest.raises(RegistrationError) as refused:
            register(tx, officer, movement, ccn, commitments="", lines=lines, today=today)
        tx.rollback()
        assert words in str(refused.value.message), refused.value.message
    with pytest.raises(Forbidden):
        register(tx, world["officers"]["TTB"], movement, ccn, commitments="", lines=[],
                 today=today)
    tx.rollback()
    bad_file = _xlsx([("", "TTLDXS"), (own.full_name, "CSTDCS"), ("Người Lạ", "CSTDCS")])
    with pytest.raises(RegistrationError) as bad_row:
        lines_from_xlsx(tx, ccn, bad_file)
    assert bad_row.value.row == 4 and "Người Lạ" in str(bad_row.value.message)
    assert tx.scalar(select(func.count()).select_from(Registration)) == 0
    lines = lines_from_xlsx(tx, ccn, _xlsx([("", "TTLDXS"), (f" {own.full_name} ", "CSTDCS")]))
    register(tx, officer, movement, ccn, commitments="100 % hoàn thành nhiệm vụ",
             lines=lines, today=today)
    tx.commit()
    status = queries.registration_status(tx, movement)
    assert [r.unit_id for r in status.registered] == [ccn.id]
    assert {u.id for u in status.not_registered} == {ttb.id, world["members"][0].id}
    assert registered_for(tx, award_id=awards["CSTDCS"].id, year=2017,
                          person_id=own.id).id == movement.id
    assert registered_for(tx, award_id=awards["TTLDXS"].id, year=2017, unit_id=ccn.id)
    assert registered_for(tx, award_id=awards["TTLDXS"].id, year=2017, unit_id=ttb.id) is None


def test_a_unit_registers_and_the_organiser_records_an_inspection_through_the_pages(
        app, client, session, world, awards, make_movement, make_dossier):
    movement = make_movement("in_progress")
    ccn = world["members"][2]
    login_as(app, client, world["officers"]["CCN"])
    url = f"/movements/{movement.id}"
    form = client.get(url).get_data(as_text=True)
    assert world["people"]["CCN"].full_name in form  # suggested in the name field
    assert ">Danh hiệu TTLDXS<" in form and ">TTLDXS<" not in form  # names, not codes
    token = csrf_token(client, url)

    def post(rows, **extra):
        data = {"csrf_token": token, "reg-unit_id": ccn.id, **extra}
        for n, (person, award) in enumerate(rows):
            data[f"reg-rows-{n}-person"] = person
            data[f"reg-rows-{n}-award"] = award
        return client.post(f"{url}/registration", data=data)

    refused = post([("", "TTLDXS"), ("Ai Đó", "CSTDCS")])
    assert refused.status_code == 422 and "Ai Đó" in refused.get_data(as_text=True)
    nothing = post([("", ""), ("", "")])
    assert nothing.status_code == 422
    assert "Chọn ít nhất một danh hiệu" in nothing.get_data(as_text=True)
    no_title = post([(world["people"]["CCN"].full_name, "")])
    assert no_title.status_code == 422
    assert "Dòng 1: chọn danh hiệu" in no_title.get_data(as_text=True)
    collective = post([(world["people"]["CCN"].full_name, "TTLDXS")])
    assert "“Danh hiệu TTLDXS” là danh hiệu cho tập thể" in collective.get_data(
        as_text=True)
    forged = post([("", "NOT-AN-AWARD")])
    assert forged.status_code == 422
    assert "Dòng 1: chọn một danh hiệu trong danh sách" in forged.get_data(as_text=True)
    more = post([(world["people"]["CCN"].full_name, "CSTDCS")], more="1")
    assert more.status_code == 200
    assert more.get_data(as_text=True).count('list="reg-people"') == 6 + 5
    assert world["people"]["CCN"].full_name in more.get_data(as_text=True)  # kept
    assert not audit_events(session, "registration.saved")
    saved = post([("", "TTLDXS"), (world["people"]["CCN"].full_name, "CSTDCS")],
                 **{"reg-commitments": "Hoàn thành xuất sắc nhiệm vụ"})
    assert saved.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Đã đăng ký (1)" in page and "Chưa đăng ký (2)" in page
    registered = make_dossier(unit=ccn, award=awards["CSTDCS"], nominee=world["people"]["CCN"],
                              creator=world["officers"]["CCN"], year=2017)
    unregistered = make_dossier(unit=ccn, award=awards["CSTDCS"], year=2017,
                                creator=world["officers"]["CCN"])
    shown = client.get(f"/dossiers/{registered.id}").get_data(as_text=True)
    assert f"Có, theo “{movement.title}”" in shown
    assert "Không (đăng ký thi đua" in client.get(f"/dossiers/{unregistered.id}").get_data(
        as_text=True)
    assert "Tham khảo: không chặn đề nghị khen thưởng" in page  # the default, in words
    login_as(app, client, world["organiser"])
    required = client.post(f"{url}/registration-window", data={  # the body requires it
        "csrf_token": csrf_token(client, url), "version": str(movement.version),
        "registration_required": "y"})
    assert required.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Bắt buộc: đơn vị, cá nhân không đăng ký danh hiệu" in page
    [event] = audit_events(session, "movement.registration_window")
    assert (event.data["required"], event.data["was"]["required"]) == (True, False)
    login_as(app, client, world["officers"]["CCN"])
    assert "yêu cầu đăng ký thi đua nên chưa thể gửi đề nghị" in client.get(
        f"/dossiers/{unregistered.id}").get_data(as_text=True)
    blocked = client.post(f"/dossiers/{unregistered.id}/transitions/submit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{unregistered.id}"),
        "version": str(unregistered.version)})
    session.expire_all()
    assert blocked.status_code == 409 and session.get(Dossier, unregistered.id).state == "draft"
    assert "không đăng ký danh hiệu này" in blocked.get_data(as_text=True)
    submitted = client.post(f"/dossiers/{registered.id}/transitions/submit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{registered.id}"),
        "version": str(registered.version)})
    session.expire_all()
    assert submitted.status_code in (302, 303)
    assert session.get(Dossier, registered.id).state == "submitted"  # it registered
    login_as(app, client, world["organiser"])
    page = client.get(url).get_data(as_text=True)
    assert "Danh hiệu AWARD" not in page and "Danh hiệu CSTDCS" in page  # names, not codes
    assert 'data-testid="export-registrations"' in page
    exported = client.get(f"{url}/registrations.xlsx")
    assert exported.status_code == 200 and exported.data[:2] == b"PK"
    exported.close()
    future = client.post(f"{url}/inspections", data={
        "csrf_token": csrf_token(client, url), "insp-unit_id": ccn.id,
        "insp-held_on": (date.today() + timedelta(days=3)).isoformat(),
        "insp-findings": "Tốt"})
    assert future.status_code == 422
    done = client.post(f"{url}/inspections", data={
        "csrf_token": csrf_token(client, url), "insp-unit_id": ccn.id,
        "insp-held_on": "2017-09-12",
        "insp-findings": "Triển khai đầy đủ kế hoạch; hồ sơ lưu trữ chưa đầy đủ."})
    assert done.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "12/09/2017: Triển khai đầy đủ kế hoạch" in page
    review = client.get(f"{url}/review/year_end").get_data(as_text=True)
    assert "Báo cáo tổng kết năm" in review and "Đã đăng ký (1)" in review
    assert "12/09/2017: Triển khai đầy đủ kế hoạch" in review
    docx = client.get(f"{url}/review/half_year.docx")
    pdf = client.get(f"{url}/review/year_end.pdf")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    viewed = client.get(f"{url}/review/year_end/view")  # "Xem": the PDF shown in the page
    assert viewed.data[:5] == b"%PDF-" and viewed.mimetype == "application/pdf"
    assert viewed.headers["Content-Disposition"].startswith("inline;")
    assert viewed.headers["Content-Security-Policy"].startswith("sandbox")
    assert f'href="{url}/review/year_end/view"' in review
    body = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode()
    assert "SƠ KẾT 6 THÁNG" in body.upper()
    assert "Triển khai đầy đủ kế hoạch" in body
    login_as(app, client, world["officers"]["CCN"])
    assert client.get(f"{url}/review/year_end").status_code == 404
    assert client.get(f"{url}/review/year_end/view").status_code == 404
