"""The appraisal queue: states from the definitions, unit scope, deadline order, filters."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from tests.support.helpers import login_as, recording
from tests.support.review_fixtures import at_day, working_days_from_today
from workflow_app.review.service.queue import queue_states
from workflow_app.workflow import get_registry


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="queue-row" data-dossier="(\d+)"', html)]


def entered(working_days_ago: int):
    """A moment `working_days_ago` working days before today (10:00 in Vietnam)."""
    return at_day(working_days_from_today(-working_days_ago))


def test_queue_states_come_from_the_definitions(app):
    states = queue_states(get_registry())
    # Reviewer transitions leave these states; `returned` shares the appraisal step.
    assert states["normal"] == ("submitted", "in_appraisal", "returned", "public_disclosure",
                                "council_approved", "forwarded")
    assert "awaiting_council" not in states["normal"]  # only the secretary and chair act there
    assert "decided" not in states["normal"]  # terminal, although revocation may start there
    assert set(states["simplified"]) == {"submitted", "in_appraisal", "returned", "appraised",
                                         "forwarded"}


def test_a_reviewer_sees_only_dossiers_of_units_in_their_scope(
        app, client, make_dossier, reviewer_a, province_b, submitter_b):
    mine = make_dossier("submitted")
    theirs = make_dossier("submitted", unit=province_b, creator=submitter_b)
    login_as(app, client, reviewer_a)
    page = client.get("/review/").get_data(as_text=True)
    assert _row_ids(page) == [mine.id]
    assert theirs.nominee_name not in page
    assert client.get(f"/review/dossiers/{theirs.id}").status_code == 404
    assert client.get(f"/review/dossiers/{mine.id}").status_code == 200


def test_a_reviewer_of_the_ministry_sees_every_province(
        app, client, make_dossier, make_user, root_unit, province_b, submitter_b):
    a = make_dossier("submitted")
    b = make_dossier("submitted", unit=province_b, creator=submitter_b)
    login_as(app, client, make_user("ministry-reviewer", roles=["reviewer"], unit=root_unit))
    assert sorted(_row_ids(client.get("/review/").get_data(as_text=True))) == [a.id, b.id]


def test_queue_is_ordered_by_deadline_overdue_first_paused_last(
        app, client, make_dossier, reviewer_a):
    later = make_dossier("submitted", now=entered(1))  # 19 working days left
    paused = make_dossier("returned", now=entered(3))
    overdue = make_dossier("in_appraisal", now=entered(25))  # limit 20
    soon = make_dossier("submitted", now=entered(18))  # 2 left
    very_overdue = make_dossier("submitted", now=entered(30))
    not_mine_to_act = make_dossier("awaiting_council", now=entered(40))
    draft = make_dossier(None, now=entered(40))
    login_as(app, client, reviewer_a)
    response = client.get("/review/")
    html = response.get_data(as_text=True)
    assert _row_ids(html) == [very_overdue.id, overdue.id, soon.id, later.id, paused.id]
    assert not_mine_to_act.id not in _row_ids(html) and draft.id not in _row_ids(html)
    overdue_row = html[html.index(f'data-dossier="{overdue.id}"') - 60:]
    assert "table-danger" in overdue_row[:120]
    assert 'data-testid="clock-overdue"' in overdue_row[:600]
    assert "Overdue by 5 working days" in html
    assert 'data-testid="clock-paused"' in html
    assert 'data-testid="count-overdue"' in html and ">2</span>" in html.split(
        'data-testid="count-overdue"')[1][:200]


def test_counts_per_state_and_filters(app, client, make_dossier, make_award, reviewer_a,
                                      make_unit, submitting_unit, make_user):
    other_award = make_award()
    district = make_unit("Chi cục THADS huyện X", kind="thads_district", parent=submitting_unit)
    district_submitter = make_user("submitter-x", roles=["submitter"], unit=district)
    s1 = make_dossier("submitted", now=entered(2))
    s2 = make_dossier("submitted", award=other_award, now=entered(25))
    appraisal = make_dossier("in_appraisal", unit=district, creator=district_submitter)
    returned = make_dossier("returned")
    login_as(app, client, reviewer_a)

    html = client.get("/review/").get_data(as_text=True)
    counts = dict(re.findall(r'data-testid="count-(\w+)">.*?<span[^>]*>(\d+)</span>', html, re.S))
    assert counts == {"submitted": "2", "in_appraisal": "1", "returned": "1",
                      "public_disclosure": "0", "council_approved": "0", "forwarded": "0",
                      "appraised": "0",
                      "overdue": "1"}

    def ids(query: str) -> list[int]:
        response = client.get("/review/?" + query)
        assert response.status_code == 200
        return sorted(_row_ids(response.get_data(as_text=True)))

    assert ids("state=submitted") == sorted([s1.id, s2.id])
    assert ids("state=returned") == [returned.id]
    assert ids(f"award={other_award.id}") == [s2.id]
    assert ids("overdue=y") == [s2.id]
    assert ids(f"unit={district.id}") == [appraisal.id]
    assert ids(f"state=submitted&award={other_award.id}") == [s2.id]


def test_a_forged_filter_value_gets_a_form_error_not_a_crash(app, client, reviewer_a):
    login_as(app, client, reviewer_a)
    response = client.get("/review/?award=abc")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert client.get("/review/?unit=999999").status_code == 400


def test_only_reviewers_may_open_the_queue(app, client, submitter):
    login_as(app, client, submitter)
    assert client.get("/review/").status_code == 403


def test_the_queue_reads_a_fixed_number_of_queries_however_many_dossiers(
        app, client, make_dossier, reviewer_a, make_award):
    login_as(app, client, reviewer_a)
    engine = app.extensions["workflow_db_engine"]

    def queries_for_queue() -> int:
        with recording(engine) as statements:
            assert client.get("/review/").status_code == 200
        return len(statements)

    make_dossier("submitted")
    few = queries_for_queue()
    awards = [make_award() for _ in range(3)]
    for n in range(12):
        make_dossier(("submitted", "in_appraisal", "returned")[n % 3], award=awards[n % 3],
                     now=entered(n * 2))
    assert queries_for_queue() == few


def test_the_queue_is_paged_in_deadline_order(app, client, make_dossier, reviewer_a,
                                              monkeypatch):
    monkeypatch.setattr("workflow_app.review.service.queue.PAGE_SIZE", 2)
    made = [make_dossier("submitted", now=entered(days)) for days in (1, 30, 10, 20, 5)]
    by_urgency = [made[i].id for i in (1, 3, 2, 4, 0)]
    login_as(app, client, reviewer_a)
    pages = [_row_ids(client.get(f"/review/?page={n}").get_data(as_text=True))
             for n in (1, 2, 3)]
    assert pages == [by_urgency[:2], by_urgency[2:4], by_urgency[4:]]
    last = client.get("/review/?page=99").get_data(as_text=True)
    assert _row_ids(last) == by_urgency[4:] and "Page 3 of 3" in last
