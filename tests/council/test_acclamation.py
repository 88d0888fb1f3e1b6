"""Cluster acclamation (bình xét, suy tôn): ranking, ties, rules of a paper, and seed 001."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.support.helpers import run_cli
from workflow_app.accounts.service import users as user_service
from workflow_app.attachments.storage import Storage
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.council.service import acclamation
from workflow_app.council.service.errors import AlreadyVoted, CouncilError, InvalidInput
from workflow_app.council.service.ranking import rank
from workflow_app.demo import seed001
from workflow_app.demo.loader import load_demo
from workflow_app.models.acclamation import AcclamationConference, AcclamationContest
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit
from workflow_app.models.user import User

MORE_THAN_HALF = {"denominator": "all_members", "comparator": ">", "ratio": "1/2",
                  "numerator": "agree"}
NAMES = {1: "Cục Bồi thường", 2: "Thanh tra Bộ", 3: "Cục Hộ tịch", 4: "Cục Con nuôi",
         5: "Cục Bổ trợ", 6: "Vụ Pháp chế", 7: "Đơn vị bảy"}


def _line(lines, unit):
    return next(line for line in lines if line.unit_id == unit)


def test_ranks_with_counts_and_ties_named_in_order_for_display_only():
    lines = rank(NAMES, {1: 5, 2: 5, 3: 6, 4: 2}, set(NAMES), 2, MORE_THAN_HALF)
    assert [(ln.unit_id, ln.votes, ln.rank) for ln in lines[:4]] == [
        (3, 6, 1), (1, 5, 2), (2, 5, 2), (4, 2, 4)]
    assert _line(lines, 1).tied and _line(lines, 2).tied and not _line(lines, 3).tied
    # 7 members: each candidate's denominator is the 6 others; > 1/2 of 6 needs 4.
    assert {ln.denominator for ln in lines} == {6} and {ln.votes_needed for ln in lines} == {4}
    # Two seats, but units 1 and 2 tie for the second: neither is acclaimed by name order.
    assert [ln.unit_id for ln in lines if ln.acclaimed] == [3]
    assert [ln.unit_id for ln in lines if ln.boundary_tie] == [1, 2]


def test_a_tie_inside_the_seats_is_acclaimed_together():
    lines = rank(NAMES, {1: 5, 2: 5, 3: 6}, set(NAMES), 3, MORE_THAN_HALF)
    assert sorted(ln.unit_id for ln in lines if ln.acclaimed) == [1, 2, 3]
    assert not any(ln.boundary_tie for ln in lines)


def test_leaders_below_the_threshold_are_not_acclaimed():
    lines = rank(NAMES, {1: 4, 2: 3, 3: 3}, set(NAMES), 2, MORE_THAN_HALF)
    assert [ln.unit_id for ln in lines if ln.acclaimed] == [1]  # 4 of 6 > 1/2; 3 is not


def test_valid_ballots_denominator_leaves_out_the_candidate_own_paper():
    rule = {**MORE_THAN_HALF, "denominator": "valid_ballots"}
    lines = rank(NAMES, {1: 2, 5: 2}, {1, 2, 3, 4}, 1, rule)  # 4 units voted, 1 among them
    assert _line(lines, 1).denominator == 3 and _line(lines, 5).denominator == 4
    assert _line(lines, 1).acclaimed is False  # tie at the only seat


@pytest.fixture
def cluster_setup(tx, make_unit, make_user, root_unit, session):
    """A cluster of 5 units in 2025 and an organiser who may open dossiers for them."""
    units = [make_unit(f"Cục {chr(65 + i)}", parent=root_unit) for i in range(5)]
    actor = make_user(roles=["submitter"], unit=root_unit)
    cluster = Cluster(code="CUM-T", name="Cụm thử", organiser_unit_id=root_unit.id)
    session.add(cluster)
    session.flush()
    for unit in units:
        session.add(ClusterMembership(cluster_id=cluster.id, unit_id=unit.id, year=2025))
    session.commit()
    return tx.get(Cluster, cluster.id), [tx.get(OrgUnit, u.id) for u in units], \
        tx.get(User, actor.id)


def test_a_paper_votes_at_most_k_others_once(tx, cluster_setup, make_award, tmp_path):
    cluster, units, actor = cluster_setup
    award = tx.get(Award, make_award("CO_T").id)
    award.versions[0].vote_rule = dict(MORE_THAN_HALF, method="cluster_acclamation")
    conference = acclamation.open_conference(tx, cluster, 2025, date(2025, 12, 20), actor=actor)
    contest = acclamation.open_contest(tx, conference, award, 2, actor=actor,
                                       rule_on=date(2025, 12, 20))
    a, b, c, d, _e = units
    for bad in ([a, b], [b, c, d], [b, b]):  # own unit; more than K; the same twice
        with pytest.raises(InvalidInput):
            acclamation.record_vote(tx, contest, a, bad, actor=actor)
    acclamation.record_vote(tx, contest, a, [b, c], actor=actor)
    with pytest.raises(AlreadyVoted):
        acclamation.record_vote(tx, contest, a, [d], actor=actor)
    acclamation.record_vote(tx, contest, b, [], actor=actor)  # a blank paper counts as voted
    for voter in (c, d):
        acclamation.record_vote(tx, contest, voter, [b], actor=actor)
    results = acclamation.close_contest(tx, contest, actor=actor)
    tx.commit()
    by_unit = {r.unit_id: r for r in results}
    assert by_unit[b.id].votes == 3 and by_unit[b.id].acclaimed  # 3 of 4 others > 1/2
    assert by_unit[c.id].votes == 1 and not by_unit[c.id].acclaimed
    assert by_unit[b.id].dossier_id is None  # nominating is a separate step
    with pytest.raises(CouncilError):
        acclamation.record_vote(tx, contest, units[4], [a], actor=actor)
    tx.rollback()
    [dossier] = acclamation.open_nominations(tx, contest, actor=actor,
                                             storage=Storage(tmp_path / "files"))
    tx.commit()
    assert by_unit[b.id].dossier_id == dossier.id
    assert (dossier.nominee_unit_id, dossier.award_id, dossier.state) == (
        b.id, award.id, "draft")
    [document] = dossier.documents
    assert document.doc_type == "BIEN_BAN_BINH_XET" and document.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(
        Storage(tmp_path / "files").path_for(document.sha256)).pages)
    assert "3 phiếu" in text and contest.tally_hash in text
    with pytest.raises(CouncilError):  # idempotent: nothing left to open
        acclamation.open_nominations(tx, contest, actor=actor)


def test_an_award_without_a_vote_rule_is_refused_naming_the_day_as_written(
        tx, cluster_setup, make_award):
    cluster, _units, actor = cluster_setup
    award = tx.get(Award, make_award("CO_KHONG_QUY_TAC").id)
    award.versions[0].vote_rule = None
    conference = acclamation.open_conference(tx, cluster, 2025, date(2025, 12, 20), actor=actor)
    with force_locale("vi"), pytest.raises(CouncilError) as refused:
        acclamation.open_contest(tx, conference, award, 1, actor=actor)
    assert "20/12/2025" in str(refused.value) and "2025-12-20" not in str(refused.value)


def test_named_candidates_are_member_units_and_the_only_ones_voted_for(
        tx, cluster_setup, make_award, make_unit, root_unit):
    tx.rollback()  # hold no write lock while another session adds a unit (SQLite)
    outsider_id = make_unit("Sở Tư pháp Ngoài Cụm", parent=root_unit).id
    cluster, units, actor = cluster_setup
    outsider = tx.get(OrgUnit, outsider_id)
    award = tx.get(Award, make_award("CO_C").id)
    award.versions[0].vote_rule = dict(MORE_THAN_HALF, method="cluster_acclamation")
    conference = acclamation.open_conference(tx, cluster, 2025, date(2025, 12, 20), actor=actor)
    tx.commit()
    a, b, c, d, e = units
    with pytest.raises(InvalidInput) as not_member:  # not a member of the cluster that year
        acclamation.open_contest(tx, conference, award, 1, actor=actor,
                                 rule_on=date(2025, 12, 20), candidates=[b, outsider])
    assert "Sở Tư pháp Ngoài Cụm" in str(not_member.value.description)
    tx.rollback()
    conference = tx.get(AcclamationConference, conference.id)
    contest = acclamation.open_contest(tx, conference, award, 1, actor=actor,
                                       rule_on=date(2025, 12, 20), candidates=[c, b])
    assert contest.candidates == sorted([b.id, c.id])
    acclamation.set_candidates(tx, contest, [b, c, d], actor=actor)
    with pytest.raises(InvalidInput):  # e is a member but not a candidate
        acclamation.record_vote(tx, contest, a, [e], actor=actor)
    for voter, choice in ((a, b), (c, b), (d, b), (e, c)):
        acclamation.record_vote(tx, contest, voter, [choice], actor=actor)
    with pytest.raises(CouncilError):  # papers recorded: the candidates are fixed
        acclamation.set_candidates(tx, contest, [b], actor=actor)
    results = acclamation.close_contest(tx, contest, actor=actor)
    tx.commit()
    assert sorted(r.unit_id for r in results) == sorted([b.id, c.id, d.id])
    assert {r.unit_id: (r.votes, r.denominator, r.acclaimed) for r in results}[b.id] == (
        3, 4, True)  # the denominator stays the members less the candidate's own
    events = [e.data for e in tx.scalars(select(AuditEvent).where(
        AuditEvent.action == "acclamation.candidates_set"))]
    assert events == [{"candidates": sorted([b.id, c.id, d.id]), "was": sorted([b.id, c.id])}]


@pytest.fixture
def seed_world(app, tx, session):
    load_demo(session, totp_required_roles=("admin", "chair", "signer"))
    load_catalogue(session)
    session.commit()
    ministry = session.scalar(select(OrgUnit).where(OrgUnit.code == "BTP"))
    actor = user_service.create_user(session, "vu.tdkt", "correct-horse-battery")
    user_service.grant_role(session, actor, "submitter", ministry, actor=None)
    session.commit()
    actor = tx.get(User, actor.id)
    tx.commit()  # hold no SQLite write lock: the CLI test runs in its own session
    return actor


def test_seed_001_conference_is_reproduced(tx, session, seed_world):
    conference = seed001.replay_seed_001(tx, seed_world)
    tx.commit()
    acclaimed = {c.award.code: {r.unit.name for r in c.results if r.acclaimed}
                 for c in conference.contests}
    assert acclaimed == {
        "CO_CP": {"Cục Hộ tịch, quốc tịch, chứng thực", "Thanh tra Bộ"},
        "CO_BO": {"Cục Hộ tịch, quốc tịch, chứng thực",
                  "Cục Kiểm tra văn bản quy phạm pháp luật", "Cục Bồi thường Nhà nước",
                  "Thanh tra Bộ"},
    }
    for contest in conference.contests:
        assert len(contest.voters) == 12 and len(contest.tally_hash) == 64
        assert not any(r.acclaimed and r.votes < r.votes_needed for r in contest.results)
        for result in contest.results:
            dossier = tx.get(Dossier, result.dossier_id) if result.dossier_id else None
            assert (dossier is not None) == result.acclaimed
            if dossier is not None:
                assert dossier.award.code == contest.award.code
                assert dossier.nominee_unit_id == result.unit_id and dossier.year == 2017
                assert f"{result.votes} phiếu" in dossier.summary
                assert [d.doc_type for d in dossier.documents] == ["BIEN_BAN_BINH_XET"]
    assert session.scalar(select(func.count()).select_from(Dossier)) == 6
    created = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "dossier.created"))
    assert created == 6  # opened through the engine
    # Idempotent: a second replay adds nothing.
    assert seed001.replay_seed_001(tx, seed_world).id == conference.id
    assert session.scalar(select(func.count()).select_from(AcclamationContest)) == 2


def test_seed_001_needs_the_demo_data(tx, make_user):
    actor = tx.get(User, make_user(roles=["submitter"]).id)
    with pytest.raises(CouncilError):
        seed001.replay_seed_001(tx, actor)


def test_seed_001_from_the_cli(app, session, seed_world):
    result = run_cli(app, "council", "seed-001", "--actor", "vu.tdkt")
    assert result.exit_code == 0, result.output
    assert "CO_CP: " in result.output and "Thanh tra Bộ" in result.output
    assert session.scalar(select(func.count()).select_from(AcclamationConference)) == 1


def test_seed_001_replay_is_viewable_on_the_acclamation_pages(app, client, tx, seed_world):
    from tests.support.helpers import login_as

    conference = seed001.replay_seed_001(tx, seed_world)
    tx.commit()
    login_as(app, client, seed_world)
    index = client.get("/council/acclamation").get_data(as_text=True)
    assert f'data-testid="conference-{conference.id}"' in index and "2017" in index
    for contest in conference.contests:
        page = client.get(f"/council/acclamation/contests/{contest.id}").get_data(as_text=True)
        seats = {"CO_CP": 2, "CO_BO": 4}[contest.award.code]
        assert page.count('data-testid="acclaimed"') == seats
        assert page.count('data-testid="rank-') == 12 and "Thanh tra Bộ" in page
        assert page.count('data-testid="dossier-') == seats
        assert contest.tally_hash in page
