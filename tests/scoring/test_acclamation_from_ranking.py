"""From a cluster's published ranking, the year-end acclamation opens with the leaders
(and any unit tied with the last of them) proposed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.scoring.test_scoring import _criteria, _scores
from tests.support.helpers import audit_events
from workflow_app.models.acclamation import AcclamationContest
from workflow_app.models.org import OrgUnit
from workflow_app.movements.service.movements import MovementError
from workflow_app.movements.service.year_end import acclamation_from_ranking
from workflow_app.scoring.service.results import lock_results, publish_results
from workflow_app.scoring.service.scores import save_scores


def test_the_published_ranking_opens_the_acclamation_with_its_leaders_proposed(
        tx, cluster_world, make_table, vote_award):
    table = make_table()
    c = _criteria(tx, table)
    units = [tx.get(OrgUnit, u.id) for u in cluster_world["units"]]
    for unit, officer, points in zip(units, cluster_world["officers"], ("9", "7", "7", "3"),
                                     strict=True):
        save_scores(tx, officer, table, unit, "self", table.version, _scores(c, c1=(points, "")))
    tx.commit()
    organiser, award = cluster_world["organiser"], vote_award()
    with pytest.raises(MovementError):  # not published yet
        acclamation_from_ranking(tx, organiser, table, award, 2, held_on=date(2017, 12, 20),
                                 today=date.today())
    tx.rollback()
    lock_results(tx, organiser, table, table.version)
    publish_results(tx, organiser, table, table.version)
    tx.commit()
    contest, proposed = acclamation_from_ranking(
        tx, organiser, table, award, 2, held_on=date(2017, 12, 20), today=date.today())
    tx.commit()
    assert proposed[0] == units[0].id  # first, then the two tied at second place
    assert sorted(proposed[1:]) == sorted([units[1].id, units[2].id])
    assert tx.scalar(select(AcclamationContest.seats).where(
        AcclamationContest.id == contest.id)) == 2
    assert sorted(contest.voters) == sorted(u.id for u in units)
    assert contest.candidates == sorted(proposed)  # the proposal names the candidates
    assert audit_events(tx, "scoring.acclamation_proposed")[-1].data["proposed_unit_ids"] == \
        proposed
