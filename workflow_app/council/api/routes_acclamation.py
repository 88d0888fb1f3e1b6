"""Cluster acclamation (bình xét, suy tôn), as the acclamation pages
(`council/views/acclamation.py`), through the same service (`council/service/acclamation.py`):
conferences, contests (one award, K seats), each member unit's paper, closing (the ranked
result), and opening the acclaimed units' flag dossiers with the result attached.

Who, as the pages: the cluster's organisers (secretary, reviewer or submitter over its
organising unit) record everything; auditors, chairs and council members over that unit
read; anyone else gets a 404. Opening the dossiers also needs a submitter over every
acclaimed unit (403 `forbidden` otherwise, the engine's rule). Units vote openly, as
institutions: papers are listed by unit.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.presenters import cluster_ref, dossier_summary, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.council.api.presenters import page_of
from workflow_app.council.api.schemas_acclamation import (
    AcclamationPaperIn,
    AcclamationPaperOut,
    CandidatesIn,
    ConferenceIn,
    ConferenceOut,
    ConferencePage,
    ConferenceQuery,
    ConferenceSummary,
    ContestIn,
    ContestOut,
    ContestSummary,
    NominationsOut,
    ResultOut,
)
from workflow_app.council.service import acclamation
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.acclamation import AcclamationConference, AcclamationContest
from workflow_app.models.org import Cluster, OrgUnit

TAGS = ["acclamation"]
ORGANISERS = acclamation.ORGANISER_ROLES
ALL_READERS = (*ORGANISERS, *acclamation.READERS)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid_input", message,
                    [{"loc": [field], "msg": message, "type": "invalid"}])


def _conference(conference_id: int) -> AcclamationConference:
    conference = db.session.get(AcclamationConference, conference_id)
    if conference is None or not acclamation.may_read(caller(), conference.cluster):
        abort(404)
    return conference


def _contest(contest_id: int) -> AcclamationContest:
    contest = db.session.get(AcclamationContest, contest_id)
    if contest is None or not acclamation.may_read(caller(), contest.conference.cluster):
        abort(404)
    return contest


def _organiser(cluster: Cluster) -> None:
    if not acclamation.may_organise(caller(), cluster):
        raise ApiError(403, "forbidden", _("Only the cluster's organisers record this."))


def _award_ref(award, version, locale: str) -> Ref:
    return Ref(id=award.id, code=award.code,
               name=version.name(locale) if version is not None else award.code)


def _contest_summary(contest: AcclamationContest, locale: str) -> ContestSummary:
    award = contest.award
    return ContestSummary(
        id=contest.id, conference_id=contest.conference_id,
        award=_award_ref(award, award.version_on(contest.conference.held_on), locale),
        seats=contest.seats, status=contest.status, closed_at=contest.closed_at,
        tally_hash=contest.tally_hash)


def _conference_summary(conference: AcclamationConference, locale: str) -> ConferenceSummary:
    return ConferenceSummary(id=conference.id, cluster=cluster_ref(conference.cluster, locale),
                             year=conference.year, held_on=conference.held_on,
                             place=conference.place, created_at=conference.created_at)


def _conference_view(conference: AcclamationConference) -> ConferenceOut:
    locale = current_locale()
    organiser = acclamation.may_organise(caller(), conference.cluster)
    offered = acclamation.contest_awards(db.session, conference) if organiser else []
    return ConferenceOut(
        **_conference_summary(conference, locale).model_dump(), can_organise=organiser,
        contests=[_contest_summary(c, locale) for c in conference.contests],
        awards_open=[_award_ref(a, v, locale) for a, v in offered])


def _contest_view(contest: AcclamationContest) -> ContestOut:
    locale = current_locale()
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(contest.voters)))}
    papers = acclamation.papers_of(db.session, contest)
    boundary = {r.unit_id for r in acclamation.boundary_ties(contest)}
    organiser = acclamation.may_organise(caller(), contest.conference.cluster)
    return ContestOut(
        **_contest_summary(contest, locale).model_dump(), rule=dict(contest.rule or {}),
        voters=[unit_ref(units[uid], locale) for uid in contest.voters],
        candidates=[unit_ref(units[uid], locale) for uid in contest.candidates or []],
        voted=len(papers),
        papers=[AcclamationPaperOut(voter_unit=unit_ref(units[v], locale),
                         candidates=[unit_ref(units[c], locale) for c in sorted(cs)])
                for v, cs in sorted(papers.items())],
        results=[ResultOut(unit=unit_ref(r.unit, locale), position=r.position, rank=r.rank,
                           votes=r.votes, denominator=r.denominator,
                           votes_needed=r.votes_needed, tied=r.tied, acclaimed=r.acclaimed,
                           boundary_tie=r.unit_id in boundary, dossier_id=r.dossier_id)
                 for r in contest.results],
        can_organise=organiser,
        can_nominate=organiser and acclamation.may_nominate(caller(), contest))


@operation("GET", "/acclamation/conferences", summary="Acclamation conferences",
           description="Of the clusters you organise or read, newest first.",
           tags=TAGS, roles=ALL_READERS, query=ConferenceQuery, response=ConferencePage)
def list_acclamation_conferences(query: ConferenceQuery) -> ConferencePage:
    rows = [c for c in db.session.scalars(select(AcclamationConference))
            if acclamation.may_read(caller(), c.cluster)]
    chunk, next_cursor = page_of(rows, query, key=lambda c: c.id, descending=True)
    locale = current_locale()
    return ConferencePage(items=[_conference_summary(c, locale) for c in chunk],
                          next_cursor=next_cursor)


@operation("POST", "/acclamation/conferences", summary="Record a year-end conference",
           description="One per cluster and year; its voters are the cluster's member units "
                       "that year. Audited `acclamation.conference_opened`.",
           tags=TAGS, roles=ORGANISERS, request=ConferenceIn, response=ConferenceOut,
           status=201, errors=[409])
def open_acclamation_conference(body: ConferenceIn) -> ConferenceOut:
    cluster = db.session.get(Cluster, body.cluster_id)
    if cluster is None or not acclamation.may_organise(caller(), cluster):
        raise _invalid("cluster_id", _("Choose a cluster you organise."))
    conference = acclamation.open_conference(db.session, cluster, body.year, body.held_on,
                                             place=body.place, actor=caller())
    return _conference_view(conference)


@operation("GET", "/acclamation/conferences/{conference_id}",
           summary="One conference with its contests",
           tags=TAGS, roles=ALL_READERS, response=ConferenceOut, errors=[404])
def get_acclamation_conference(conference_id: int) -> ConferenceOut:
    return _conference_view(_conference(conference_id))


@operation("POST", "/acclamation/conferences/{conference_id}/contests",
           summary="Open a contest (one award, K seats)",
           description="The threshold is copied from the award's vote rule in force on the "
                       "conference date; `candidate_unit_ids` names the candidates (member "
                       "units that year, else 422 `invalid_input`). Audited "
                       "`acclamation.contest_opened`.",
           tags=TAGS, roles=ORGANISERS, request=ContestIn, response=ContestOut, status=201,
           errors=[404, 409])
def open_acclamation_contest(conference_id: int, body: ContestIn) -> ContestOut:
    conference = _conference(conference_id)
    _organiser(conference.cluster)
    award = next((a for a, _v in acclamation.contest_awards(db.session, conference)
                  if a.id == body.award_id), None)
    if award is None:
        raise _invalid("award_id", _("Choose one of the conference's open awards."))
    contest = acclamation.open_contest(db.session, conference, award, body.seats,
                                       actor=caller(), candidates=_units(body.candidate_unit_ids))
    return _contest_view(contest)


def _units(unit_ids: list[int]) -> list[OrgUnit]:
    """The units named (unknown ids: 422 naming the field)."""
    found = {u.id: u for u in db.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(unit_ids)))} if unit_ids else {}
    if len(found) != len(set(unit_ids)):
        raise _invalid("candidate_unit_ids",
                       _("Only member units of the cluster that year can be candidates."))
    return [found[uid] for uid in dict.fromkeys(unit_ids)]


@operation("PUT", "/acclamation/contests/{contest_id}/candidates",
           summary="Name a contest's candidates",
           description="Member units of the cluster that year (else 422 `invalid_input`); an "
                       "empty list: every member. Until the first paper (409 after). Audited "
                       "`acclamation.candidates_set` with the list before.",
           tags=TAGS, roles=ORGANISERS, request=CandidatesIn, response=ContestOut,
           errors=[404, 409])
def set_acclamation_candidates(contest_id: int, body: CandidatesIn) -> ContestOut:
    contest = _contest(contest_id)
    _organiser(contest.conference.cluster)
    acclamation.set_candidates(db.session, contest, _units(body.candidate_unit_ids),
                               actor=caller())
    return _contest_view(contest)


@operation("GET", "/acclamation/contests/{contest_id}",
           summary="One contest: papers and the ranked result",
           tags=TAGS, roles=ALL_READERS, response=ContestOut, errors=[404])
def get_acclamation_contest(contest_id: int) -> ContestOut:
    return _contest_view(_contest(contest_id))


@operation("POST", "/acclamation/contests/{contest_id}/papers",
           summary="Record a member unit's paper",
           description="Once per unit (409 `already_voted`), at most K other member units, "
                       "never itself (422 `invalid_input`); while the contest is open.",
           tags=TAGS, roles=ORGANISERS, request=AcclamationPaperIn, response=ContestOut,
           status=201, errors=[404, 409])
def record_acclamation_paper(contest_id: int, body: AcclamationPaperIn) -> ContestOut:
    contest = _contest(contest_id)
    _organiser(contest.conference.cluster)
    allowed = set(contest.voters)
    if body.voter_unit_id not in allowed:
        raise _invalid("voter_unit_id", _("Choose a member unit of the cluster that year."))
    if not set(body.candidate_unit_ids) <= allowed:
        raise _invalid("candidate_unit_ids",
                       _("Only member units of the cluster can be acclaimed."))
    if not set(body.candidate_unit_ids) <= set(contest.candidate_ids):
        raise _invalid("candidate_unit_ids", _("Vote only for the contest's candidates."))
    voter = db.session.get(OrgUnit, body.voter_unit_id)
    candidates = [db.session.get(OrgUnit, uid) for uid in body.candidate_unit_ids]
    acclamation.record_vote(db.session, contest, voter, candidates, actor=caller())
    return _contest_view(contest)


@operation("POST", "/acclamation/contests/{contest_id}/close", summary="Close and rank",
           description="Ranks the candidates and stores the result with the SHA-256 of the "
                       "vote set; nothing can be voted after. Audited `acclamation.closed`.",
           tags=TAGS, roles=ORGANISERS, response=ContestOut, errors=[404, 409])
def close_acclamation_contest(contest_id: int) -> ContestOut:
    contest = _contest(contest_id)
    _organiser(contest.conference.cluster)
    acclamation.close_contest(db.session, contest, actor=caller())
    return _contest_view(contest)


@operation("POST", "/acclamation/contests/{contest_id}/nominations",
           summary="Open the acclaimed units' flag dossiers",
           description="After close: one dossier per acclaimed unit without one, through the "
                       "engine, with the result attached as its BIEN_BAN_BINH_XET document. "
                       "Needs a submitter over every acclaimed unit (403). 409 when every "
                       "acclaimed unit already has its dossier.",
           tags=TAGS, roles=ORGANISERS, response=NominationsOut, status=201,
           errors=[404, 409])
def open_acclamation_nominations(contest_id: int) -> NominationsOut:
    contest = _contest(contest_id)
    _organiser(contest.conference.cluster)
    opened = acclamation.open_nominations(db.session, contest, actor=caller())
    locale = current_locale()
    return NominationsOut(contest_id=contest.id,
                          dossiers=[dossier_summary(d, locale) for d in opened])
