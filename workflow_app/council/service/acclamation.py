"""Cluster acclamation at a year-end conference: contests, votes, ranked results, nominees.

- A conference belongs to a cluster and a year; its voters and candidates are the cluster's
  member units that year (`ClusterMembership`).
- A contest is one award (CO_BO, CO_CP …) with K seats; its threshold (denominator,
  comparator, ratio) is copied from the award's vote rule in force on the conference date.
- The organiser may name the contest's candidates (member units of the cluster that year;
  none named: every member is a candidate), when opening it or until the first paper; a
  year-end ranking names them (`movements.service.year_end`).
- Each member unit votes once (primary key on the voter register) for at most K units,
  never itself, among the candidates.
- Closing ranks the candidates (`ranking.rank`) and stores the result and the SHA-256 of
  the sorted vote set; nothing can be voted after.
- Nominating (`open_nominations`, after closing) opens a dossier for each acclaimed unit
  through the engine (`open_dossier`; the actor must be a submitter over those units) and
  attaches the result (`acclamation_doc.py`, PDF) as its `BIEN_BAN_BINH_XET` document. It
  is idempotent: units that already have their dossier are skipped.
"""

from __future__ import annotations

import hashlib
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.council.service import acclamation_doc, ranking
from workflow_app.council.service.errors import (
    AlreadyVoted,
    CouncilError,
    InvalidInput,
    NotAllowed,
)
from workflow_app.dossiers.service.documents import attach
from workflow_app.i18n import current_locale
from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
    AcclamationMark,
    AcclamationResult,
    AcclamationVoter,
)
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow import Forbidden, open_dossier

ORGANISER_ROLES = ("secretary", "reviewer", "submitter")


def _require_organiser(actor: User | None, cluster: Cluster) -> None:
    if actor is None or not actor.is_active or not actor.can_see_unit(cluster.organiser,
                                                                      *ORGANISER_ROLES):
        raise NotAllowed()


def open_conference(session: Session, cluster: Cluster, year: int, held_on: date, *,
                    place: str = "", actor: User) -> AcclamationConference:
    _require_organiser(actor, cluster)
    if not cluster.members_in(year):
        raise CouncilError(_("The cluster has no members in %(year)d.", year=year))
    if held_on.year not in (year, year + 1):
        raise InvalidInput(_("A year-end conference is held in the year reviewed or early the "
                             "next year."))
    if session.scalar(select(AcclamationConference.id).where(
            AcclamationConference.cluster_id == cluster.id,
            AcclamationConference.year == year)) is not None:
        raise CouncilError(_("The conference of this cluster for %(year)d is already "
                             "recorded.", year=year))
    conference = AcclamationConference(cluster=cluster, year=year, held_on=held_on,
                                       place=place.strip(), created_by_id=actor.id)
    session.add(conference)
    session.flush()
    record(session, "acclamation.conference_opened", "acclamation_conference", conference.id,
           actor=actor, data={"cluster_id": cluster.id, "year": year,
                              "held_on": held_on.isoformat()})
    return conference


def _award_label(award: Award, day: date) -> str:
    """The award's name in the reader's language (version in force on `day`, else the
    newest); the code only when the catalogue has no version at all."""
    version = award.version_on(day) or (award.versions[0] if award.versions else None)
    return version.name(current_locale()) if version is not None else award.code


def _checked_candidates(voters: list[int], candidates: list[OrgUnit] | None) -> list[int]:
    """The candidates' ids (sorted, once each); every one must be a member unit of the
    cluster that year. None or empty: no named candidates (every member)."""
    chosen = sorted({unit.id for unit in candidates or []})
    outsiders = [unit for unit in candidates or [] if unit.id not in voters]
    if outsiders:
        raise InvalidInput(_("%(unit)s is not a member unit of the cluster that year: only "
                             "its members can be candidates.", unit=outsiders[0].name))
    return chosen


def open_contest(session: Session, conference: AcclamationConference, award: Award,
                 seats: int, *, actor: User, rule_on: date | None = None,
                 candidates: list[OrgUnit] | None = None) -> AcclamationContest:
    """Open a contest; the threshold comes from the award's rule in force on `rule_on`
    (default: the conference date); `candidates` names the units that may be voted for."""
    _require_organiser(actor, conference.cluster)
    if any(c.award_id == award.id for c in conference.contests):
        raise CouncilError(_("This conference already has a vote for %(award)s.",
                             award=_award_label(award, conference.held_on)))
    rule_on = rule_on or conference.held_on
    version = award.version_on(rule_on)
    rule = dict(version.vote_rule or {}) if version is not None else {}
    if not rule:
        raise CouncilError(_("No vote rule of %(award)s is in force on %(day)s.",
                             award=_award_label(award, rule_on),
                             day=rule_on.strftime("%d/%m/%Y")))
    voters = sorted(m.unit_id for m in conference.cluster.members_in(conference.year))
    if not 1 <= seats < len(voters):
        raise InvalidInput(_("The number of units to acclaim must be between 1 and %(max)d.",
                             max=len(voters) - 1))
    named = _checked_candidates(voters, candidates)
    contest = AcclamationContest(
        conference=conference, award=award, seats=seats, voters=voters, candidates=named,
        rule={**{k: rule.get(k) for k in ("method", "denominator", "comparator", "ratio",
                                          "configurable", "source", "note")},
              "basis_key": version.basis_key, "rule_on": rule_on.isoformat()})
    session.add(contest)
    session.flush()
    record(session, "acclamation.contest_opened", "acclamation_contest", contest.id,
           actor=actor, data={"conference_id": conference.id, "award": award.code,
                              "seats": seats, "voters": voters, "candidates": named,
                              "rule": contest.rule})
    return contest


def set_candidates(session: Session, contest: AcclamationContest, candidates: list[OrgUnit],
                   *, actor: User) -> None:
    """Name the contest's candidates (an empty list: every member), until the first paper."""
    _require_organiser(actor, contest.conference.cluster)
    if contest.status != "open":
        raise CouncilError(_("This acclamation vote is closed."))
    if voted_count(session, contest):
        raise CouncilError(_("Papers are already recorded: the candidates can no longer "
                             "change."))
    named = _checked_candidates(contest.voters, candidates)
    was = list(contest.candidates or [])
    contest.candidates = named
    session.flush()
    record(session, "acclamation.candidates_set", "acclamation_contest", contest.id,
           actor=actor, data={"candidates": named, "was": was})


def record_vote(session: Session, contest: AcclamationContest, voter: OrgUnit,
                candidates: list[OrgUnit], *, actor: User) -> None:
    """Record one member unit's paper: at most `seats` other member units (may be blank)."""
    _require_organiser(actor, contest.conference.cluster)
    if contest.status != "open":
        raise CouncilError(_("This acclamation vote is closed."))
    chosen = {unit.id for unit in candidates}
    if voter.id not in contest.voters:
        raise InvalidInput(_("%(unit)s is not a member of the cluster that year.",
                             unit=voter.name))
    if len(chosen) != len(candidates) or len(chosen) > contest.seats:
        raise InvalidInput(_("Vote for at most %(seats)d different units.", seats=contest.seats))
    if voter.id in chosen:
        raise InvalidInput(_("A unit cannot vote for itself."))
    if not chosen <= set(contest.voters):
        raise InvalidInput(_("Only member units of the cluster can be acclaimed."))
    if not chosen <= set(contest.candidate_ids):
        raise InvalidInput(_("Vote only for the contest's candidates."))
    savepoint = session.begin_nested()
    try:
        session.add(AcclamationVoter(contest_id=contest.id, unit_id=voter.id))
        session.flush()
    except IntegrityError:
        savepoint.rollback()
        raise AlreadyVoted(_("%(unit)s has already voted.", unit=voter.name)) from None
    savepoint.commit()
    session.add_all(AcclamationMark(contest_id=contest.id, voter_unit_id=voter.id,
                                    candidate_unit_id=c) for c in sorted(chosen))
    session.flush()
    record(session, "acclamation.vote_recorded", "acclamation_contest", contest.id,
           actor=actor, data={"voter_unit_id": voter.id, "candidates": sorted(chosen)})


def _vote_set(session: Session, contest: AcclamationContest) -> tuple[set[int], dict, str]:
    voted = set(session.scalars(select(AcclamationVoter.unit_id).where(
        AcclamationVoter.contest_id == contest.id)))
    papers: dict[int, list[int]] = {unit: [] for unit in voted}
    for voter, candidate in session.execute(
            select(AcclamationMark.voter_unit_id, AcclamationMark.candidate_unit_id)
            .where(AcclamationMark.contest_id == contest.id)):
        papers[voter].append(candidate)
    lines = sorted(f"{v}:{','.join(str(c) for c in sorted(cs))}" for v, cs in papers.items())
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    votes: dict[int, int] = {}
    for candidates in papers.values():
        for candidate in candidates:
            votes[candidate] = votes.get(candidate, 0) + 1
    return voted, votes, digest


def close_contest(session: Session, contest: AcclamationContest, *,
                  actor: User) -> list[AcclamationResult]:
    """Rank and store the result (no more votes after)."""
    _require_organiser(actor, contest.conference.cluster)
    if contest.status != "open":
        raise CouncilError(_("This acclamation vote is closed."))
    voted, votes, digest = _vote_set(session, contest)
    units = {u.id: u for u in session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(contest.voters)))}
    lines = ranking.rank({uid: units[uid].name for uid in contest.candidate_ids}, votes, voted,
                         contest.seats, contest.rule, members=len(contest.voters))
    contest.status, contest.closed_at, contest.tally_hash = "closed", utcnow(), digest
    results = []
    for position, line in enumerate(lines, start=1):
        result = AcclamationResult(
            contest=contest, unit_id=line.unit_id, position=position, rank=line.rank,
            votes=line.votes, denominator=line.denominator, votes_needed=line.votes_needed,
            tied=line.tied, acclaimed=line.acclaimed)
        session.add(result)
        results.append(result)
    session.flush()
    record(session, "acclamation.closed", "acclamation_contest", contest.id, actor=actor,
           data={"voted": len(voted), "vote_set_hash": digest,
                 "ranking": [[ln.unit_id, ln.votes, ln.rank, ln.acclaimed] for ln in lines],
                 "boundary_tie": [ln.unit_id for ln in lines if ln.boundary_tie]})
    return results


def collective_titles(session: Session, day: date) -> list[tuple]:
    """(award, version) pairs a cluster acclaims units for: titles for collectives (version in
    force on `day`, else the first), by code."""
    offered = []
    for award in session.scalars(select(Award).where(Award.kind == "title")
                                 .order_by(Award.code)):
        version = award.version_on(day) or (award.versions[0] if award.versions else None)
        if version is not None and version.subject in ("collective", "both"):
            offered.append((award, version))
    return offered


def contest_awards(session: Session, conference: AcclamationConference) -> list[tuple]:
    """(award, version) pairs a new contest of `conference` may be for: collective titles
    (`collective_titles` on the conference date) not contested there yet."""
    taken = {c.award_id for c in conference.contests}
    return [(award, version) for award, version in collective_titles(session, conference.held_on)
            if award.id not in taken]


def papers_of(session: Session, contest: AcclamationContest) -> dict[int, list[int]]:
    """Voter unit id → the unit ids it voted for (a blank paper: an empty list)."""
    voted = session.scalars(select(AcclamationVoter.unit_id).where(
        AcclamationVoter.contest_id == contest.id)).all()
    papers: dict[int, list[int]] = {unit: [] for unit in voted}
    for voter, candidate in session.execute(
            select(AcclamationMark.voter_unit_id, AcclamationMark.candidate_unit_id)
            .where(AcclamationMark.contest_id == contest.id)):
        papers[voter].append(candidate)
    return papers


def boundary_ties(contest: AcclamationContest) -> list[AcclamationResult]:
    """Units meeting the threshold left out because their tie straddles the last seat."""
    return [r for r in contest.results if r.tied and not r.acclaimed
            and r.votes >= r.votes_needed and r.rank <= contest.seats]


def voted_count(session: Session, contest: AcclamationContest) -> int:
    return len(session.scalars(select(AcclamationVoter.unit_id).where(
        AcclamationVoter.contest_id == contest.id)).all())


def may_nominate(actor: User | None, contest: AcclamationContest) -> bool:
    """Whether `actor` may open the dossiers of every acclaimed unit still without one."""
    waiting = [r.unit for r in contest.results if r.acclaimed and r.dossier_id is None]
    return bool(actor is not None and actor.is_active and waiting and all(
        actor.can_see_unit(unit, "submitter") for unit in waiting))


def open_nominations(session: Session, contest: AcclamationContest, *, actor: User,
                     storage: Storage | None = None) -> list[Dossier]:
    """Open the flag dossier of each acclaimed unit that has none, with the result attached."""
    _require_organiser(actor, contest.conference.cluster)
    if contest.status != "closed":
        raise CouncilError(_("Close the acclamation vote before opening the nominations."))
    waiting = [r for r in contest.results if r.acclaimed and r.dossier_id is None]
    if not waiting:
        raise CouncilError(_("Every acclaimed unit already has its dossier."))
    if not may_nominate(actor, contest):
        raise Forbidden(_("Only a submitter over the acclaimed units can open their "
                          "dossiers."))
    storage = storage or acclamation_doc.attachment_storage()
    voted = voted_count(session, contest)
    pdf = acclamation_doc.render(contest, voted, actor.display_name)
    sha256 = storage.put(pdf)
    opened = []
    for result in waiting:
        dossier = _open_nomination(session, contest, result.unit, result, voted, actor)
        attach(session, dossier, actor, doc_type=acclamation_doc.DOC_TYPE, sha256=sha256,
               filename=f"bien-ban-suy-ton-{contest.award.code.lower()}-"
                        f"{contest.conference.year}.pdf",
               size=len(pdf), mimetype="application/pdf")
        result.dossier_id = dossier.id
        opened.append(dossier)
    session.flush()
    return opened


def _open_nomination(session: Session, contest: AcclamationContest, unit: OrgUnit,
                     result: AcclamationResult, voted: int, actor: User) -> Dossier:
    conference = contest.conference
    version = contest.award.version_on(date.fromisoformat(contest.rule["rule_on"]))
    award_name = version.name_vi if version is not None else contest.award.code
    dossier = Dossier(
        workflow=version.workflow if version is not None else "normal",
        unit_id=unit.id, nominee_unit_id=unit.id, award_id=contest.award_id,
        commendation_type="PHONG_TRAO", year=conference.year,
        title=f"{award_name} năm {conference.year} – {unit.name}",
        summary=(f"Được {conference.cluster.name} suy tôn tại hội nghị ngày "
                 f"{conference.held_on:%d/%m/%Y}: {result.votes} phiếu "
                 f"(cần {result.votes_needed}/{result.denominator}; {voted} đơn vị bỏ phiếu), "
                 f"xếp thứ {result.rank}. Mã kiểm tra kết quả: {contest.tally_hash[:16]}."))
    open_dossier(session, dossier, actor)
    record(session, "acclamation.nominated", "dossier", dossier.id, actor=actor,
           data={"contest_id": contest.id, "unit_id": unit.id, "votes": result.votes,
                 "denominator": result.denominator, "rank": result.rank,
                 "vote_set_hash": contest.tally_hash})
    return dossier


READERS = ("auditor", "chair", "council_member")


def may_organise(user: User | None, cluster: Cluster) -> bool:
    """The cluster's organiser runs its conferences and contests."""
    return bool(user is not None and user.is_active
                and user.can_see_unit(cluster.organiser, *ORGANISER_ROLES))


def may_read(user: User | None, cluster: Cluster) -> bool:
    return may_organise(user, cluster) or bool(
        user is not None and user.can_see_unit(cluster.organiser, *READERS))
