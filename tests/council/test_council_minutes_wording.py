"""Minutes wording and the secretary's session page: one term for an abstention, the
nominee named once, the place-and-date line from the city, a formatted date, clear paper
counts; ballots received while a round is open (counts only), confirmations before
irreversible actions, the written-vote link gone once the vote is entered."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import update

from tests.support.helpers import csrf_token, login_as
from workflow_app.council.service import minutes, minutes_doc, rounds
from workflow_app.models.user import User


def _english(session, *users) -> None:
    for user in users:
        session.execute(update(User).where(User.id == user.id).values(locale="en"))


def test_the_item_heading_names_the_nominee_once():
    item = {"title": "Chiến sĩ thi đua cơ sở — Nguyễn Văn Quang", "nominee": "Nguyễn Văn Quang",
            "award": "Chiến sĩ thi đua cơ sở"}
    assert minutes_doc.item_heading(item) == "Chiến sĩ thi đua cơ sở — Nguyễn Văn Quang"
    plain = {"title": "Hồ sơ số 7", "nominee": "Trần Thị Mai", "award": "Bằng khen"}
    assert minutes_doc.item_heading(plain) == "Hồ sơ số 7 — Trần Thị Mai — Bằng khen"


def test_the_document_uses_one_abstain_term_the_city_and_clear_paper_counts(
        app, tx, voted_session):
    _kit, meeting_, _round = voted_session()
    with app.test_request_context():
        content = minutes.minutes_of(tx, meeting_)
    doc = minutes_doc.document_of(content)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "không có ý kiến: 0" in text and "không biểu quyết:" not in text
    assert doc.date_line.startswith(f"{minutes.PLACE_OF_SIGNING}, ngày ")
    assert "Phòng họp số 1" not in doc.date_line  # the room stays in the opening paragraph
    assert "tại Phòng họp số 1" in text
    assert "vắng mặt biểu quyết bằng phiếu gửi: 1" in text
    assert "phiếu kín trong hòm phiếu (gồm cả phiếu gửi): 5" in text


def test_the_minutes_page_formats_the_date_and_asks_before_sign_off(
        app, client, session, voted_session):
    kit, meeting_, _round = voted_session()
    _english(session, kit.chair)
    login_as(app, client, kit.chair)
    page = client.get(f"/council/sessions/{meeting_.id}/minutes").get_data(as_text=True)
    held = meeting_.held_on
    assert f'data-testid="minutes-date">{held:%d/%m/%Y}<' in page
    assert held.isoformat() not in page
    assert ("Absent members who voted in writing: 1 · Secret ballots in the box (online and "
            "written): 5") in page
    sign_form = page.split('data-testid="sign-minutes"')[0].rsplit("<form", 1)[1]
    assert 'data-testid="reauth"' in sign_form and 'name="password"' in sign_form  # asks again


def test_the_secretary_sees_how_many_voted_and_the_entered_written_vote(
        app, client, session, voted_session):
    kit, meeting_, voting_round = voted_session(close=False)
    _english(session, kit.secretary)
    absent = kit.members[-1]
    login_as(app, client, kit.secretary)
    path = f"/council/sessions/{meeting_.id}"
    page = client.get(path).get_data(as_text=True)
    assert "4 of 4 present members have voted." in page
    assert f'data-testid="written-entered-{absent.id}"' in page
    assert f'data-testid="written-link-{absent.id}"' not in page
    close_form = page.split('data-testid="close-round"')[0].rsplit("<form", 1)[1]
    assert "data-confirm=" in close_form

    written = f"/council/rounds/{voting_round.id}/written/{absent.id}"
    [item] = [i for i in voting_round.items if i.round_id and i.position == 1]
    again = client.post(written, data={"csrf_token": csrf_token(client, written),
                                       f"item-{item.id}": "agree", "checked": "yes"})
    text = again.get_data(as_text=True)
    assert again.status_code == 409
    assert f"The written vote of {absent.name} was already entered." in text
    assert "A ballot of yours" not in text


def test_the_count_starts_at_zero_and_the_end_of_session_asks_first(
        app, client, session, tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    _english(session, kit.secretary)
    login_as(app, client, kit.secretary)
    path = f"/council/sessions/{meeting_.id}"
    idle = client.get(path).get_data(as_text=True)
    end_form = idle.split('data-testid="end-session"')[0].rsplit("<form", 1)[1]
    assert "data-confirm=" in end_form
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    with app.test_request_context(), force_locale("en"):
        assert rounds.turnout(tx, voting_round) == {"voted": 0, "present": 3,
                                                    "written_entered": []}
    assert "0 of 3 present members have voted." in client.get(path).get_data(as_text=True)
