"""The cluster acclamation pages: record a conference and a vote, papers with clear errors,
the ranked list with ties, and the nominees' dossiers opened with the result attached."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.support.helpers import login_as, post_form
from workflow_app.models.acclamation import AcclamationContest, AcclamationResult
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, ClusterMembership

RULE = {"method": "cluster_acclamation", "numerator": "agree", "denominator": "all_members",
        "comparator": ">", "ratio": "1/2", "configurable": True}


@pytest.fixture
def world(tx, make_unit, make_user, root_unit, session, make_award):
    """Five member units of a cluster organised by the ministry in 2025; an organiser who is
    a submitter over the ministry (reads English); two flag-like awards."""
    units = [make_unit(f"Cục {chr(65 + i)}", parent=root_unit) for i in range(5)]
    organiser = make_user("vu.tdkt", roles=["submitter"], unit=root_unit, locale="en")
    cluster = Cluster(code="CUM-T", name="Cụm thử", organiser_unit_id=root_unit.id)
    session.add(cluster)
    session.flush()
    for unit in units:
        session.add(ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=2025))
    session.commit()
    awards = []
    for code in ("CO_T1", "CO_T2"):
        award = tx.get(Award, make_award(code).id)
        award.versions[0].vote_rule = dict(RULE)
        awards.append(award)
    tx.commit()
    return units, organiser, cluster, awards


def _new_contest(client, cluster, award, seats=2) -> str:
    response = post_form(client, "/council/acclamation", {
        "cluster_id": cluster.id, "year": 2025, "held_on": "2025-12-20", "place": "Hà Nội"})
    assert response.status_code == 302, response.get_data(as_text=True)
    conference_url = response.headers["Location"]
    response = post_form(client, conference_url, {"award_id": award.id, "seats": seats})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _paper(client, contest_url, voter, candidates):
    return post_form(client, f"{contest_url}/papers",
                     {"voter_unit_id": voter.id, "candidate": [c.id for c in candidates]},
                     token_from=contest_url)


def test_papers_are_checked_with_clear_errors(app, client, session, world):
    (a, b, c, d, _e), organiser, cluster, (award, _other) = world
    login_as(app, client, organiser)
    contest_url = _new_contest(client, cluster, award)
    own = _paper(client, contest_url, a, [a, b])
    assert own.status_code == 422 and "cannot vote for itself" in own.get_data(as_text=True)
    too_many = _paper(client, contest_url, a, [b, c, d])
    assert too_many.status_code == 422 and "at most 2" in too_many.get_data(as_text=True)
    page = too_many.get_data(as_text=True)
    assert re.search(rf'id="cand-{c.id}" checked', page)  # the ticks are kept
    assert _paper(client, contest_url, a, [b, c]).status_code == 302
    again = _paper(client, contest_url, a, [d])
    assert again.status_code == 409 and "already voted" in again.get_data(as_text=True)
    outsider = post_form(client, f"{contest_url}/papers",
                         {"voter_unit_id": b.id, "candidate": ["999999"]},
                         token_from=contest_url)
    assert outsider.status_code == 422
    page = client.get(contest_url).get_data(as_text=True)
    assert "Cục B; Cục C" in page  # A's paper, listed by unit (units vote openly)


def test_ranked_list_shows_counts_and_a_tie_at_the_last_place(app, client, session, world):
    (a, b, c, d, e), organiser, cluster, (award, _other) = world
    login_as(app, client, organiser)
    contest_url = _new_contest(client, cluster, award)
    for voter, picks in ((a, [b, c]), (b, [a, c]), (c, [a, b]), (d, [b, c]), (e, [a, d])):
        assert _paper(client, contest_url, voter, picks).status_code == 302
    closed = post_form(client, f"{contest_url}/close", {}, token_from=contest_url)
    assert closed.status_code == 302
    page = client.get(contest_url).get_data(as_text=True)
    assert 'data-testid="boundary-tie"' in page  # A, B, C have 3 each for 2 seats
    assert page.count('data-testid="tied"') == 3 and 'data-testid="acclaimed"' not in page
    assert "3 votes, 3 of 4 needed" in page
    assert 'data-testid="nominate"' not in page  # nobody to nominate
    refused = _paper(client, contest_url, e, [a])
    assert refused.status_code in (409, 422)


def test_closing_then_nominating_opens_dossiers_with_the_result(app, client, session, world):
    (a, b, c, d, e), organiser, cluster, (_award, award) = world
    login_as(app, client, organiser)
    contest_url = _new_contest(client, cluster, award)
    for voter, picks in ((a, [b, c]), (b, [a, c]), (c, [a, b]), (d, [b, c]), (e, [b, d])):
        assert _paper(client, contest_url, voter, picks).status_code == 302
    post_form(client, f"{contest_url}/close", {}, token_from=contest_url)
    page = client.get(contest_url).get_data(as_text=True)
    assert page.count('data-testid="acclaimed"') == 2  # B (4 votes) and C (3 votes)
    assert 'data-testid="nominate"' in page
    response = post_form(client, f"{contest_url}/nominate", {}, token_from=contest_url)
    assert response.status_code == 302
    contest = session.scalar(select(AcclamationContest).where(
        AcclamationContest.award_id == award.id))
    acclaimed = session.scalars(select(AcclamationResult).where(
        AcclamationResult.contest_id == contest.id, AcclamationResult.acclaimed)).all()
    assert sorted(r.unit_id for r in acclaimed) == sorted([b.id, c.id])
    for result in acclaimed:
        dossier = session.get(Dossier, result.dossier_id)
        assert dossier.nominee_unit_id == result.unit_id and dossier.state == "draft"
        assert [doc.doc_type for doc in dossier.documents] == ["BIEN_BAN_BINH_XET"]
    page = client.get(contest_url).get_data(as_text=True)
    assert 'data-testid="nominate"' not in page
    assert page.count('data-testid="dossier-') == 2


def test_only_organisers_record_and_outsiders_see_nothing(app, client, session, world,
                                                         make_user, make_unit, root_unit):
    units, organiser, cluster, (award, _other) = world
    login_as(app, client, organiser)
    contest_url = _new_contest(client, cluster, award)
    auditor = make_user("auditor-a", roles=["auditor"], unit=root_unit, locale="en")
    login_as(app, client, auditor)
    page = client.get(contest_url)
    assert page.status_code == 200 and 'data-testid="paper-form"' not in page.get_data(
        as_text=True)
    assert _paper(client, contest_url, units[0], [units[1]]).status_code == 403
    elsewhere = make_unit("Sở Tư pháp tỉnh X", kind="department")
    outsider = make_user("submitter-x", roles=["submitter"], unit=elsewhere, locale="en")
    login_as(app, client, outsider)
    assert client.get(contest_url).status_code == 404
    assert 'data-testid="conference-' not in client.get("/council/acclamation").get_data(
        as_text=True)
    assert date(2025, 12, 20)  # the conference date used above


def test_a_conference_is_recorded_once_and_on_a_plausible_date(app, client, session, world):
    _units, organiser, cluster, (award, _other) = world
    login_as(app, client, organiser)
    data = {"cluster_id": cluster.id, "year": 2025, "held_on": "2023-12-20"}
    wrong_year = post_form(client, "/council/acclamation", data)
    assert wrong_year.status_code == 422 and "year reviewed" in wrong_year.get_data(
        as_text=True)
    _new_contest(client, cluster, award)
    again = post_form(client, "/council/acclamation", {**data, "held_on": "2026-01-10"})
    assert again.status_code == 409 and "already recorded" in again.get_data(as_text=True)
    bad_year = post_form(client, "/council/acclamation", {**data, "year": "twenty"})
    assert bad_year.status_code == 422


def test_pages_name_the_award_not_its_code(app, client, tx, session, world):
    _units, organiser, cluster, (award, _other) = world
    version = tx.get(Award, award.id).versions[0]
    version.name_en, version.name_vi = "Emulation flag of the test", "Cờ thi đua thử"
    tx.commit()
    login_as(app, client, organiser)  # reads English
    contest_url = _new_contest(client, cluster, award)
    contest = session.scalars(select(AcclamationContest)).one()
    conference_url = f"/council/acclamation/{contest.conference_id}"
    for url in (contest_url, conference_url, "/council/acclamation"):
        page = client.get(url).get_data(as_text=True)
        assert "Emulation flag of the test" in page, url
        assert "CO_T1" not in page, url
