"""The dossier list: who sees what, filters, the step clock, and paging by key."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from workflow_app.dossiers.service.dossiers import create_dossier
from workflow_app.models.base import utcnow

ROW_RE = re.compile(r'data-testid="dossier-(\d+)"')


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [int(i) for i in ROW_RE.findall(response.get_data(as_text=True))]


def test_each_user_sees_only_the_dossiers_in_scope(signed_in, make_dossier, make_person,
                                                   other_unit, other_submitter, submitter,
                                                   reviewer, auditor, admin_user):
    mine = make_dossier()
    theirs = make_dossier(unit=other_unit, creator=other_submitter,
                          nominee=make_person(unit=other_unit))
    assert _ids(signed_in(submitter).get("/dossiers/")) == [mine.id]
    assert _ids(signed_in(other_submitter).get("/dossiers/")) == [theirs.id]
    assert _ids(signed_in(reviewer).get("/dossiers/")) == [theirs.id, mine.id]
    assert _ids(signed_in(auditor).get("/dossiers/")) == [theirs.id, mine.id]
    page = signed_in(admin_user).get("/dossiers/")
    assert _ids(page) == []
    assert "do not give you access to dossiers" in page.get_data(as_text=True)
    assert signed_in(admin_user).get(f"/dossiers/{mine.id}").status_code == 404
    assert signed_in(other_submitter).get(f"/dossiers/{mine.id}").status_code == 404
    assert signed_in(auditor).get(f"/dossiers/{mine.id}").status_code == 200


def test_filters_by_state_award_year_type_and_accent_blind_text(
        signed_in, tx, make_dossier, make_award, submitter, submitting_unit, nominee):
    other_award = make_award()
    draft = make_dossier(year=2023)
    sent = make_dossier("submitted", commendation_type="PHONG_TRAO")
    by_award = make_dossier(award=other_award)
    named = create_dossier(tx, submitter, unit=submitting_unit, award=other_award,
                           person=nominee, commendation_type="CONG_TRANG", year=2024)
    tx.commit()
    client = signed_in(submitter)
    assert _ids(client.get("/dossiers/?status=submitted")) == [sent.id]
    assert _ids(client.get(f"/dossiers/?award={other_award.id}")) == [named.id, by_award.id]
    assert _ids(client.get("/dossiers/?year=2023")) == [draft.id]
    assert _ids(client.get("/dossiers/?commendation_type=PHONG_TRAO")) == [sent.id]
    assert _ids(client.get("/dossiers/?q=nguyen+van+binh")) == [named.id]
    assert _ids(client.get("/dossiers/?q=Bình")) == [named.id]
    assert _ids(client.get(f"/dossiers/?q=%23{draft.id}")) == [draft.id]
    assert _ids(client.get("/dossiers/?status=submitted&year=2023")) == []


@pytest.mark.parametrize("query", ["status=nonsense", "award=abc", "year=20x5",
                                   "commendation_type=X", "before=-3"])
def test_bad_filter_values_are_form_errors_not_500(signed_in, make_dossier, submitter, query):
    make_dossier()
    response = signed_in(submitter).get(f"/dossiers/?{query}")
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True) or "before" in query


def test_key_paging_is_newest_first_and_stable_when_new_dossiers_arrive(
        signed_in, make_dossier, submitter):
    made = [make_dossier().id for _ in range(28)]
    client = signed_in(submitter)
    first = client.get("/dossiers/")
    first_ids = _ids(first)
    assert first_ids == sorted(made, reverse=True)[:25]
    next_link = re.search(r'href="([^"]*before=\d+[^"]*)"', first.get_data(as_text=True))
    make_dossier()  # arrives between the two page loads
    second_ids = _ids(client.get(next_link.group(1).replace("&amp;", "&")))
    assert second_ids == sorted(made, reverse=True)[25:]
    assert 'data-testid="next-page"' not in client.get(next_link.group(1)).get_data(
        as_text=True)


def test_filters_are_kept_on_the_next_page(signed_in, make_dossier, submitter):
    for _ in range(26):
        make_dossier(year=2022)
    make_dossier(year=2021)
    page = signed_in(submitter).get("/dossiers/?year=2022").get_data(as_text=True)
    link = re.search(r'data-testid="next-page"', page) and re.search(
        r'href="([^"]*before=\d+[^"]*)"', page).group(1)
    assert "year=2022" in link


def test_the_list_shows_state_badges_and_each_steps_clock(signed_in, make_dossier, submitter):
    late = make_dossier("submitted", now=utcnow() - timedelta(days=60))
    returned = make_dossier("returned")
    fresh = make_dossier("in_appraisal")
    page = signed_in(submitter).get("/dossiers/").get_data(as_text=True)

    def row(dossier_id):
        return page.split(f'data-testid="dossier-{dossier_id}"')[1].split("</li>")[0]

    assert 'data-clock="overdue"' in row(late.id) and "Overdue:" in row(late.id)
    assert "of 20 working days" in row(late.id)
    assert 'data-clock="paused"' in row(returned.id)
    assert "Returned for supplementation" in row(returned.id)
    assert 'data-clock="running"' in row(fresh.id) and "0 of 20 working days" in row(fresh.id)
