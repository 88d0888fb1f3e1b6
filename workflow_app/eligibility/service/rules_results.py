"""Rules decided from recorded emulation results: "leads its cluster or block" and "leads a
movement" (Law 06/2022 Art. 25, 26 — LEGAL_FACTS §1.2), read from published scoring results
(`scoring`: rank 1 of a locked and published table of the nomination year) and from the
cluster's acclamation (`AcclamationResult.acclaimed`). Without any recorded result the rule
stays "unknown" for the reviewer, as before.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from workflow_app.eligibility.service.facts import Facts
from workflow_app.eligibility.service.results import MET, NOT_MET, UNKNOWN
from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
    AcclamationResult,
)
from workflow_app.models.scoring import ScoreResult, ScoreTable
from workflow_app.scoring.service.ranking import results_of

# Who launched a movement → the movement's scope (Art. 16 k2).
LAUNCHER_SCOPE = {"ministry": "sector", "prime_minister": "national"}


def _size(f: Facts, table: ScoreTable) -> int:
    return f.session.scalar(select(func.count()).select_from(ScoreResult)
                            .where(ScoreResult.table_id == table.id)) or 0


def _acclamation(f: Facts) -> tuple[bool, bool]:
    """(acclaimed in a closed contest of the year, any closed contest of the year named the
    unit among its results)."""
    rows = f.session.execute(
        select(AcclamationResult.acclaimed)
        .join(AcclamationContest, AcclamationResult.contest_id == AcclamationContest.id)
        .join(AcclamationConference,
              AcclamationContest.conference_id == AcclamationConference.id)
        .where(AcclamationResult.unit_id == f.unit.id, AcclamationConference.year == f.year,
               AcclamationContest.status == "closed")).scalars().all()
    return any(rows), bool(rows)


def cluster_leader(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """The cluster's acclamation decides when recorded (it may acclaim several leaders);
    else the published scoring: first place leads, a lower place does not — unless the
    rule wants an acclamation, which is then still to come."""
    results = [(t, r) for t, r in results_of(f.session, f.unit.id, f.year)
               if t.cluster_id is not None]
    acclaimed, voted = _acclamation(f)
    central = p.get("level") == "central"
    args: dict[str, Any] = {"year": f.year}
    if acclaimed:
        text = _("Acclaimed as a leader of its cluster at the %(year)d conference.", **args)
        if central:
            return UNKNOWN, _("%(text)s Whether the Central Council runs this cluster is for "
                              "the reviewer to check.", text=text)
        return MET, text
    if voted:
        return NOT_MET, _("The cluster's %(year)d conference did not acclaim it.", **args)
    if not results:
        return UNKNOWN, _("To be checked by the reviewer: leads its emulation cluster or "
                          "block in %(year)d (no published cluster results for that year).",
                          **args)
    table, result = min(results, key=lambda tr: tr[1].rank)
    args.update(cluster=table.cluster.name, rank=result.rank, count=_size(f, table),
                tie=_(" (tied)") if result.tied else "")
    if result.rank == 1:
        text = _("Ranked first%(tie)s in the scoring of %(cluster)s for %(year)d.", **args)
    else:
        text = _("Ranked %(rank)d of %(count)d in the scoring of %(cluster)s for %(year)d, "
                 "not first.", **args)
    if p.get("acclaimed"):
        return UNKNOWN, _("%(text)s The cluster's acclamation is not recorded yet.", text=text)
    if central and result.rank == 1:
        return UNKNOWN, _("%(text)s Whether the Central Council runs this cluster is for the "
                          "reviewer to check.", text=text)
    return (MET if result.rank == 1 else NOT_MET), text


def _matches(p: dict[str, Any], table: ScoreTable) -> bool:
    movement = table.movement
    if movement is None or movement.scope != LAUNCHER_SCOPE.get(p.get("launched_by"), ""):
        return False
    if p.get("thematic") and movement.kind != "thematic":
        return False
    years = movement.period_end.year - movement.period_start.year + 1
    return not (p.get("min_years") and years < int(p["min_years"]))


def movement_leader(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    results = [(t, r) for t, r in results_of(f.session, f.unit.id, f.year)
               if t.movement_id is not None and _matches(p, t)]
    for table, result in results:
        if result.rank == 1:
            return MET, _("Ranked first in the results of “%(movement)s” for %(year)d.",
                          movement=table.movement.title, year=f.year)
    if results:
        table, result = results[0]
        return NOT_MET, _("Ranked %(rank)d of %(count)d in the results of “%(movement)s” for "
                          "%(year)d, not first.", rank=result.rank, count=_size(f, table),
                          movement=table.movement.title, year=f.year)
    return UNKNOWN, _("To be checked by the reviewer: leads an emulation movement (no "
                      "published results of such a movement for %(year)d).", year=f.year)
