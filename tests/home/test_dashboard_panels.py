"""The home page per role (issue 14 item 4): what needs my action, overdue first then by due
date, full totals, key figures for my scope; nothing from another unit."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.support.helpers import login_as
from workflow_app.home.service.dashboard import panels_for
from workflow_app.models.base import utcnow
from workflow_app.models.user import User


def test_each_role_sees_its_own_work_most_urgent_first(
        app, session, client, call_as, tx, make_dossier, make_unit, root_unit, submitting_unit,
        submitter, make_user, make_council, meeting):
    long_ago = utcnow() - timedelta(days=90)
    other_unit = make_unit("Sở Tư pháp tỉnh B", parent=root_unit)
    outsider = make_user("submitter-b", roles=["submitter"], unit=other_unit)
    officer = make_user("officer", roles=["submitter", "reviewer", "signer", "auditor"],
                        unit=submitting_unit)
    late = make_dossier("in_appraisal", now=long_ago)
    fresh = make_dossier("in_appraisal")
    returned = make_dossier("returned")
    incomplete = make_dossier(documents=())  # a draft without its documents
    make_dossier()  # a complete draft: nothing to do
    approved = make_dossier("council_approved")
    make_dossier("in_appraisal", unit=other_unit, now=long_ago, creator=outsider)  # not ours
    kit = make_council(3, unit=submitting_unit)
    upcoming = meeting(kit, held_on=date.today() + timedelta(days=7), present=[])
    tx.commit()
    registry = app.extensions["workflows"]

    panels = {p.role: p for p in panels_for(session, session.get(User, officer.id),
                                            registry=registry)}
    assert list(panels) == ["submitter", "reviewer", "signer", "auditor"]
    sub = panels["submitter"]
    assert {(a.what, a.args["dossier_id"]) for a in sub.actions} == {
        ("returned", returned.id), ("missing_documents", incomplete.id)}
    assert next(a for a in sub.actions if a.what == "missing_documents").missing == \
        ["TO_TRINH", "BAO_CAO_THANH_TICH"]
    figures = {f.what: f.value for f in sub.figures}
    assert (figures["drafts"], figures["returned"]) == (2, 1)
    review = panels["reviewer"]
    ids = [a.args["dossier_id"] for a in review.actions]
    assert ids[0] == late.id and review.actions[0].overdue  # overdue first
    rest = [a.due_on or date.max for a in review.actions[1:]]
    assert rest == sorted(rest) and not any(a.overdue for a in review.actions[1:])
    # not unit B's, and not the returned one: that is the unit's move, not the reviewer's
    assert set(ids) == {late.id, fresh.id, approved.id}
    assert (review.total, review.overdue) == (3, 1)
    signer = panels["signer"]
    assert [a.title for a in signer.actions] == [approved.nominee_name] and signer.total == 1
    auditor = {f.what: f.value for f in panels["auditor"].figures}
    assert auditor["events"] > 0 and auditor["last_checkpoint"] is None
    secretary = {p.role: p for p in panels_for(session, session.get(User, kit.secretary.id),
                                               registry=registry)}["secretary"]
    assert [(a.what, a.args["session_id"]) for a in secretary.actions] == \
        [("session", upcoming.id)]

    # The API: the same panels, the overdue action first with its link.
    late_id = late.id
    tx.commit()  # end tx's read (reading expired attributes began one): SQLite's lock
    body = call_as(session.get(User, officer.id))("GET", "/api/v1/me/dashboard").get_json()
    api_panels = {p["role"]: p for p in body["panels"]}
    assert list(api_panels) == ["submitter", "reviewer", "signer", "auditor"]
    first = api_panels["reviewer"]["actions"][0]
    assert first["overdue"] and first["link"] == f"/dossiers/{late_id}"
    assert (api_panels["reviewer"]["total"], api_panels["reviewer"]["overdue"]) == (3, 1)
    assert {f["what"]: f["value"] for f in api_panels["auditor"]["figures"]}["events"] > 0

    # The page, in Vietnamese: every panel, totals, the overdue row marked and first.
    login_as(app, client, session.get(User, officer.id))
    html = client.get("/").get_data(as_text=True)
    for role in ("submitter", "reviewer", "signer", "auditor"):
        assert f'data-testid="panel-{role}"' in html
    assert 'data-testid="total-reviewer">3<' in html and 'data-testid="overdue-reviewer"' in html
    reviewer_html = html.split('data-testid="panel-reviewer"')[1].split("</section>")[0]
    rows = re.findall(r'<tr class="([^"]*)" data-testid="action-queue">', reviewer_html)
    assert rows[0] == "table-danger" and "table-danger" not in rows[1:]
    assert "Trả lại để bổ sung" in html and "Quá hạn" in html
    assert "Verify the chain now" not in html  # no English on a Vietnamese page
