"""Cluster acclamation pages (bình xét, suy tôn): conferences, contests, papers, the ranked
result, and opening the nominees' flag dossiers.

Who: the cluster's organisers (secretary, reviewer or submitter over the organising unit)
record everything; auditors and council members and chairs over that unit read. Opening
the dossiers needs a submitter over the acclaimed units (the engine's rule). Votes are
recorded by unit, as institutions vote at the conference: nothing here is secret.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.council.service import acclamation
from workflow_app.council.views.blueprint import bp
from workflow_app.council.views.forms import ActionForm
from workflow_app.council.views.forms_acclamation import (
    ConferenceForm,
    ContestForm,
    PaperForm,
    read_candidates,
)
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
)
from workflow_app.models.catalogue import Award
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.workflow.errors import WorkflowError


def _conference(conference_id: int) -> AcclamationConference:
    conference = db.session.get(AcclamationConference, conference_id)
    if conference is None or not acclamation.may_read(current_user, conference.cluster):
        abort(404)
    return conference


def _contest(contest_id: int) -> AcclamationContest:
    contest = db.session.get(AcclamationContest, contest_id)
    if contest is None or not acclamation.may_read(current_user, contest.conference.cluster):
        abort(404)
    return contest


def _run(work, done: str) -> WorkflowError | None:
    """One service call, one commit; a refusal is rolled back and returned."""
    try:
        work()
    except WorkflowError as error:
        db.session.rollback()
        return error
    db.session.commit()
    flash(done, "success")
    return None


@bp.route("/acclamation", methods=["GET", "POST"])
def acclamation_index():
    clusters = db.session.scalars(select(Cluster).order_by(Cluster.name)).all()
    organised = [c for c in clusters if acclamation.may_organise(current_user, c)]
    form = ConferenceForm()
    form.cluster_id.choices = choices((c.id, c.name) for c in organised)
    status, error = 200, None
    if request.method == "POST":
        if not organised:
            abort(403)
        if form.validate_on_submit():
            made: list[AcclamationConference] = []
            cluster = db.session.get(Cluster, form.cluster_id.data)
            error = _run(lambda: made.append(acclamation.open_conference(
                db.session, cluster, form.year.data, form.held_on.data,
                place=form.place.data or "", actor=current_user)),
                _("The conference is recorded."))
            if error is None:
                return redirect(url_for("council.acclamation_conference",
                                        conference_id=made[0].id))
            status, error = error.code, error.description
        else:
            status = 422
    conferences = [c for c in db.session.scalars(select(AcclamationConference).order_by(
        AcclamationConference.year.desc(), AcclamationConference.id.desc()))
        if acclamation.may_read(current_user, c.cluster)]
    return render_template("council/acclamation_index.html", conferences=conferences,
                           form=form if organised else None, error=error), status


def _contest_form(conference: AcclamationConference) -> ContestForm:
    form = ContestForm()
    locale = current_locale()
    form.award_id.choices = choices(
        (award.id, version.name(locale))
        for award, version in acclamation.contest_awards(db.session, conference))
    return form


@bp.route("/acclamation/<int:conference_id>", methods=["GET", "POST"])
def acclamation_conference(conference_id: int):
    conference = _conference(conference_id)
    organiser = acclamation.may_organise(current_user, conference.cluster)
    form = _contest_form(conference)
    members = {m.unit_id: m.unit for m in conference.cluster.members_in(conference.year)}
    status, error = 200, None
    if request.method == "POST":
        if not organiser:
            abort(403)
        if form.validate_on_submit():
            made: list[AcclamationContest] = []
            chosen, clean = read_candidates(request.form, set(members))
            if not clean:
                return render_template(
                    "council/acclamation_conference.html", conference=conference, form=form,
                    members=members, ticked=set(chosen),
                    error=_("Only member units of the cluster that year can be candidates.")
                ), 422
            named = [db.session.get(OrgUnit, uid) for uid in chosen]
            error = _run(lambda: made.append(acclamation.open_contest(
                db.session, conference, db.session.get(Award, form.award_id.data),
                form.seats.data, actor=current_user, candidates=named)), _("The vote is open."))
            if error is None:
                return redirect(url_for("council.acclamation_contest", contest_id=made[0].id))
            status, error = error.code, error.description
        else:
            status = 422
    return render_template("council/acclamation_conference.html", conference=conference,
                           form=form if organiser else None, error=error, members=members,
                           ticked=set()), status


def render_contest(contest: AcclamationContest, *, status: int = 200, error=None,
                   ticked=(), voter_id=None):
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(contest.voters)))}
    papers = acclamation.papers_of(db.session, contest)
    form = PaperForm(formdata=None, voter_unit_id=voter_id)
    form.voter_unit_id.choices = choices(
        (uid, units[uid].name) for uid in contest.voters if uid not in papers)
    organiser = acclamation.may_organise(current_user, contest.conference.cluster)
    return render_template(
        "council/acclamation_contest.html", contest=contest, conference=contest.conference,
        units=units, papers=papers, form=form, action_form=ActionForm(), error=error,
        organiser=organiser, ticked=set(ticked),
        may_nominate=organiser and acclamation.may_nominate(current_user, contest),
        boundary=acclamation.boundary_ties(contest)), status


@bp.route("/acclamation/contests/<int:contest_id>")
def acclamation_contest(contest_id: int):
    return render_contest(_contest(contest_id))


def _organiser_post(contest_id: int) -> AcclamationContest:
    contest = _contest(contest_id)
    if not acclamation.may_organise(current_user, contest.conference.cluster):
        abort(403)
    return contest


@bp.route("/acclamation/contests/<int:contest_id>/papers", methods=["POST"])
def acclamation_paper(contest_id: int):
    contest = _organiser_post(contest_id)
    form = PaperForm()
    form.voter_unit_id.choices = choices((uid, "") for uid in contest.voters)
    chosen, clean = read_candidates(request.form, set(contest.candidate_ids))
    if not form.validate_on_submit() or not clean:
        return render_contest(contest, status=422, ticked=chosen,
                              error=_("Choose the unit whose paper this is, and only the "
                                      "contest's candidates."))
    voter = db.session.get(OrgUnit, form.voter_unit_id.data)
    candidates = [db.session.get(OrgUnit, uid) for uid in chosen]
    error = _run(lambda: acclamation.record_vote(db.session, contest, voter, candidates,
                                                 actor=current_user),
                 _("The paper of %(unit)s is recorded.", unit=voter.name))
    if error is None:
        return redirect(url_for("council.acclamation_contest", contest_id=contest.id))
    return render_contest(contest, status=error.code, error=error.description, ticked=chosen,
                          voter_id=voter.id)


@bp.route("/acclamation/contests/<int:contest_id>/candidates", methods=["POST"])
def acclamation_candidates(contest_id: int):
    """Name the contest's candidates (none ticked: every member), until the first paper."""
    contest = _organiser_post(contest_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    chosen, clean = read_candidates(request.form, set(contest.voters))
    if not clean:
        return render_contest(contest, status=422, error=_(
            "Only member units of the cluster that year can be candidates."))
    named = [db.session.get(OrgUnit, uid) for uid in chosen]
    error = _run(lambda: acclamation.set_candidates(db.session, contest, named,
                                                    actor=current_user),
                 _("The candidates are saved."))
    if error is None:
        return redirect(url_for("council.acclamation_contest", contest_id=contest.id))
    return render_contest(contest, status=error.code, error=error.description)


@bp.route("/acclamation/contests/<int:contest_id>/close", methods=["POST"])
def acclamation_close(contest_id: int):
    contest = _organiser_post(contest_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    error = _run(lambda: acclamation.close_contest(db.session, contest, actor=current_user),
                 _("The vote is closed and ranked."))
    if error is None:
        return redirect(url_for("council.acclamation_contest", contest_id=contest.id))
    return render_contest(contest, status=error.code, error=error.description)


@bp.route("/acclamation/contests/<int:contest_id>/nominate", methods=["POST"])
def acclamation_nominate(contest_id: int):
    contest = _organiser_post(contest_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    error = _run(lambda: acclamation.open_nominations(db.session, contest, actor=current_user),
                 _("The nominees' dossiers are opened, with the result attached."))
    if error is None:
        return redirect(url_for("council.acclamation_contest", contest_id=contest.id))
    return render_contest(contest, status=error.code, error=error.description)
