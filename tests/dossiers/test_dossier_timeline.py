"""The dossier page's timeline: who, when (Vietnam time), what, from → to, why, what changed."""

from __future__ import annotations

import re
from datetime import timedelta, timezone

from sqlalchemy import select

from tests.support.dossier_factories import events_of
from workflow_app.config import PROJECT_ROOT
from workflow_app.dossiers.service.dossiers import edit_dossier
from workflow_app.models.audit import AuditEvent
from workflow_app.workflow import fire


def _timeline(page: str) -> str:
    return page.split('data-testid="timeline"')[1]


def _entry(page: str, seq: int) -> str:
    return page.split(f'data-testid="event-{seq}"')[1].split("</li>")[0]


def test_timeline_tells_the_submitter_who_returned_the_dossier_when_and_why(
        signed_in, session, tx, make_dossier, make_person, make_user, submitter):
    officer = make_user("tham.dinh", roles=["reviewer"],
                        person=make_person("Trần Văn Hùng"))
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, expected_version=1)
    fire(tx, dossier, "return_for_supplement", officer, expected_version=2,
         reason="Thiếu biên bản bình xét của Hội đồng")
    edit_dossier(tx, dossier, submitter, 3, summary="Đã bổ sung thành tích năm 2025")
    tx.commit()
    client = signed_in(submitter)
    page = _timeline(client.get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    returned = session.scalar(select(AuditEvent).where(
        AuditEvent.action == "dossier.return_for_supplement"))
    entry = _entry(page, returned.seq)
    assert "Trần Văn Hùng" in entry  # the person's name, not the login
    note = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True).split(
        'data-testid="return-note"')[1].split("</div>\n</div>")[0]
    assert "Returned for supplementation by Trần Văn Hùng" in note
    assert "Thiếu biên bản bình xét của Hội đồng" in note
    assert "Return for supplementation" in entry
    assert "Submitted, awaiting intake → Returned for supplementation" in entry
    assert "Thiếu biên bản bình xét của Hội đồng" in entry
    local = returned.occurred_at.astimezone(timezone(timedelta(hours=7)))
    assert local.strftime("%d/%m/%Y %H:%M") in entry
    edited = events_of(session, dossier.id, "dossier.edited")[0]
    assert "Achievement summary" in _entry(page, edited.seq)
    assert "Đã bổ sung thành tích năm 2025" in _entry(page, edited.seq)
    seqs = [int(s) for s in re.findall(r'data-testid="event-(\d+)"', page)]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 4  # newest first


def test_timeline_is_in_vietnamese_for_a_vietnamese_reader(signed_in, tx, make_dossier,
                                                           submitter, reviewer):
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, expected_version=1)
    fire(tx, dossier, "return_for_supplement", reviewer, expected_version=2, reason="Thiếu")
    tx.commit()
    page = signed_in(submitter, locale="vi").get(f"/dossiers/{dossier.id}").get_data(
        as_text=True)
    assert "Đã gửi, chờ tiếp nhận → Trả lại để bổ sung" in _timeline(page)
    assert 'data-state="returned"' in page and "Trả lại để bổ sung</span>" in page


def test_dossier_page_shows_what_is_missing_the_clock_and_the_rule(signed_in, make_dossier,
                                                                   submitter):
    dossier = make_dossier(documents=["TO_TRINH"], summary="")
    page = signed_in(submitter).get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    missing = page.split('data-testid="missing"')[1].split("</div>")[0]
    assert "An achievement summary" in missing  # a list item: capitalised
    assert "Achievement report (báo cáo thành tích)" in missing
    assert "Submission letter" not in missing
    assert 'data-testid="rule-version"' in page and "test basis" in page
    assert "in force today; fixed when received" in page


def test_every_event_recorded_on_a_dossier_has_a_readable_label(app):
    """The timeline shows every audit event on the dossier: an action recorded by any service
    (override, public comment, objection answer, council agenda …) must have a label, never
    its raw code such as "eligibility.overridden"."""

    from workflow_app.dossiers.service.labels import action_label

    root = PROJECT_ROOT / "workflow_app"
    pattern = re.compile(r'record\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)",\s*"dossier"')
    actions = {m for f in root.rglob("*.py") for m in pattern.findall(f.read_text("utf-8"))}
    assert "eligibility.overridden" in actions and "disclosure.comment_added" in actions
    with app.test_request_context():
        for action in sorted(actions):
            for locale in ("vi", "en"):
                assert action_label("normal", action, locale) != action, action


def test_a_public_comment_shows_in_the_timeline_with_its_label(
        signed_in, tx, make_dossier, submitter):
    from workflow_app.audit.chain import record

    dossier = make_dossier()
    record(tx, "disclosure.comment_added", "dossier", dossier.id, actor=None,
           data={"kind": "comment"})
    tx.commit()
    page = _timeline(signed_in(submitter).get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    assert '<div class="fw-semibold">Public comment or objection received</div>' in page
    assert '<div class="fw-semibold">disclosure.comment_added</div>' not in page


def test_dates_given_with_an_action_read_as_people_write_them(app, tx, make_dossier):
    """A document date sent with a transition is stored as ISO; the timeline shows 30/12/2025."""
    from workflow_app.audit.chain import record
    from workflow_app.dossiers.service.timeline import build_timeline

    dossier = make_dossier()
    record(tx, "dossier.record_higher_decision", "dossier", dossier.id, actor_label="tester",
           data={"input": {"document_number": "01/QĐ-TTg", "document_date": "2025-12-30"}})
    tx.commit()
    with app.test_request_context():
        details = build_timeline(tx, dossier, "vi")[0].details
    assert any(d.endswith(": 30/12/2025") for d in details), details
    assert not any("2025-12-30" in d for d in details)
