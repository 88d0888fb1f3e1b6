"""Cluster acclamation over the API, as its pages: a conference, a contest, the member units'
papers with the same checks, the ranked result, and the nominees' flag dossiers opened with
the result attached; readers read, only organisers record, outsiders get a 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import assert_hidden, body, count, events, make_outsider
from workflow_app.models.acclamation import AcclamationConference, AcclamationVoter
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, ClusterMembership

RULE = {"method": "cluster_acclamation", "numerator": "agree", "denominator": "all_members",
        "comparator": ">", "ratio": "1/2", "configurable": True}


@pytest.fixture
def outsider(make_user, other_unit):
    return make_outsider(make_user, other_unit)


@pytest.fixture
def world(tx, make_unit, make_user, root_unit, session, make_award):
    """Five member units of a cluster organised by the ministry in 2025, an organiser (a
    submitter over the ministry), one flag-like award."""
    units = [make_unit(f"Cục {chr(65 + i)}", parent=root_unit) for i in range(5)]
    organiser = make_user("vu.tdkt", roles=["submitter"], unit=root_unit, locale="en")
    cluster = Cluster(code="CUM-T", name="Cụm thử", organiser_unit_id=root_unit.id)
    session.add(cluster)
    session.flush()
    for unit in units:
        session.add(ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=2025))
    session.commit()
    award = tx.get(Award, make_award("CO_T1").id)
    award.versions[0].vote_rule = dict(RULE)
    tx.commit()
    return [u.id for u in units], organiser, cluster, award.id


def _contest(api, cluster_id: int, award_id: int) -> dict:
    conference = body(api("POST", "/api/v1/acclamation/conferences", json={
        "cluster_id": cluster_id, "year": 2025, "held_on": "2025-12-20",
        "place": "Hà Nội"}), 201)
    assert [a["id"] for a in conference["awards_open"]] == [award_id]
    return body(api("POST", f"/api/v1/acclamation/conferences/{conference['id']}/contests",
                    json={"award_id": award_id, "seats": 2}), 201)


def test_a_contest_through_the_api_ranks_and_opens_the_nominees_dossiers(call_as, session,
                                                                         world):
    (a, b, c, d, e), organiser, cluster, award_id = world
    api = call_as(organiser)
    contest = _contest(api, cluster.id, award_id)
    assert contest["status"] == "open" and len(contest["voters"]) == 5
    assert len(events(session, "acclamation.contest_opened")) == 1
    url = f"/api/v1/acclamation/contests/{contest['id']}"
    for voter, picks in ((a, [b, c]), (b, [a, c]), (c, [a, b]), (d, [b, c]), (e, [b, d])):
        body(api("POST", f"{url}/papers", json={"voter_unit_id": voter,
                                                "candidate_unit_ids": picks}), 201)
    read = body(api("GET", url))
    assert read["voted"] == 5 and read["papers"][0]["voter_unit"]["id"] == a
    closed = body(api("POST", f"{url}/close"))
    assert closed["status"] == "closed" and closed["tally_hash"]
    acclaimed = sorted(r["unit"]["id"] for r in closed["results"] if r["acclaimed"])
    assert acclaimed == sorted([b, c]) and closed["can_nominate"]
    assert closed["results"][0]["votes"] == 4 and closed["results"][0]["rank"] == 1

    opened = body(api("POST", f"{url}/nominations"), 201)
    assert sorted(d["nominee_unit"]["id"] for d in opened["dossiers"]) == sorted([b, c])
    for summary in opened["dossiers"]:
        dossier = session.get(Dossier, summary["id"])
        assert dossier.state == "draft"
        assert [doc.doc_type for doc in dossier.documents] == ["BIEN_BAN_BINH_XET"]
    again = api("POST", f"{url}/nominations")
    assert again.status_code == 409 and error_code(again) == "council_error"
    assert len(events(session, "acclamation.nominated")) == 2


def test_papers_are_checked_as_on_the_page(call_as, session, world):
    (a, b, c, d, _e), organiser, cluster, award_id = world
    api = call_as(organiser)
    url = f"/api/v1/acclamation/contests/{_contest(api, cluster.id, award_id)['id']}/papers"
    for payload, status, code in [
            ({"voter_unit_id": a, "candidate_unit_ids": [a, b]}, 422, "invalid_input"),
            ({"voter_unit_id": a, "candidate_unit_ids": [b, c, d]}, 422, "invalid_input"),
            ({"voter_unit_id": a, "candidate_unit_ids": [b, b]}, 422, "invalid_input"),
            ({"voter_unit_id": a, "candidate_unit_ids": [999999]}, 422, "invalid_input"),
            ({"voter_unit_id": 999999, "candidate_unit_ids": []}, 422, "invalid_input"),
            ({"voter_unit_id": a, "candidate_unit_ids": "b"}, 422, "validation_failed")]:
        response = api("POST", url, json=payload)
        assert (response.status_code, error_code(response)) == (status, code), payload
    assert count(session, AcclamationVoter) == 0
    named = api("PUT", url.replace("/papers", "/candidates"),
                json={"candidate_unit_ids": [b, 999999]})
    assert named.status_code == 422 and error_code(named) == "invalid_input"
    named = body(api("PUT", url.replace("/papers", "/candidates"),
                     json={"candidate_unit_ids": [c, b]}), 200)
    assert [u["id"] for u in named["candidates"]] == sorted([b, c])
    not_named = api("POST", url, json={"voter_unit_id": a, "candidate_unit_ids": [d]})
    assert not_named.status_code == 422 and error_code(not_named) == "invalid_input"
    body(api("POST", url, json={"voter_unit_id": a, "candidate_unit_ids": [b]}), 201)
    twice = api("POST", url, json={"voter_unit_id": a, "candidate_unit_ids": [c]})
    assert twice.status_code == 409 and error_code(twice) == "already_voted"
    wrong_year = api("POST", "/api/v1/acclamation/conferences", json={
        "cluster_id": cluster.id, "year": 2025, "held_on": "2023-12-20"})
    assert wrong_year.status_code == 422 and "year reviewed" in \
        wrong_year.get_json()["error"]["message"]


def test_readers_read_only_organisers_record_outsiders_see_nothing(
        call_as, session, world, make_user, root_unit, outsider):
    (a, b, *_rest), organiser, cluster, award_id = world
    contest = _contest(call_as(organiser), cluster.id, award_id)
    url = f"/api/v1/acclamation/contests/{contest['id']}"
    auditor = call_as(make_user("auditor-a", roles=["auditor"], unit=root_unit))
    assert body(auditor("GET", url))["can_organise"] is False
    refused = auditor("POST", f"{url}/papers", json={"voter_unit_id": a,
                                                     "candidate_unit_ids": [b]})
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    council_member = call_as(make_user("cm-a", roles=["council_member", "reviewer"],
                                       unit=root_unit))
    assert body(council_member("GET", url))["id"] == contest["id"]

    api = call_as(outsider)
    assert body(api("GET", "/api/v1/acclamation/conferences"))["items"] == []
    assert_hidden(api("GET", url), "Cụm thử")
    assert_hidden(api("GET", f"/api/v1/acclamation/conferences/{contest['conference_id']}"),
                  "Cụm thử")
    assert_hidden(api("POST", f"{url}/close"))
    made = api("POST", "/api/v1/acclamation/conferences", json={
        "cluster_id": cluster.id, "year": 2026, "held_on": "2026-12-20"})
    assert made.status_code == 422 and "Cụm thử" not in made.get_data(as_text=True)
    assert session.scalar(select(AcclamationConference.year).where(
        AcclamationConference.year == 2026)) is None
    reader = call_as(organiser, scope="read")
    read_only = reader("POST", f"{url}/close")
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
