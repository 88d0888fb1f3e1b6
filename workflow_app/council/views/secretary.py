"""The secretary's pages: schedule a session, agenda, attendance, rounds, written votes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.council.service import access, attendance, ballots, rounds, sessions
from workflow_app.council.views.blueprint import (
    bp,
    secretary_only,
    visible_item,
    visible_round,
    visible_session,
)
from workflow_app.council.views.forms import (
    ActionForm,
    AddItemForm,
    CancelSessionForm,
    OpenRoundForm,
    SessionChangeForm,
    SessionForm,
    read_choices,
)
from workflow_app.council.views.member import perform, render_session
from workflow_app.eligibility.service import council_quotas
from workflow_app.eligibility.service.quotas import QuotaExceptionError
from workflow_app.extensions import db
from workflow_app.formkit import QuotaExceptionForm, choices
from workflow_app.models.council import ATTENDANCE, Council, CouncilMember
from workflow_app.models.dossier import Dossier
from workflow_app.workflow.errors import WorkflowError


@bp.context_processor
def secretary_helpers() -> dict:
    """`round_turnout(round)` for the session page: ballots received so far (counts only)."""
    return {"round_turnout": lambda voting_round: rounds.turnout(db.session, voting_round)}


@bp.route("/sessions/new", methods=["GET", "POST"])
def new_session():
    councils = [c for c in db.session.scalars(select(Council).order_by(Council.name))
                if access.is_secretary(current_user, c)]
    if not councils:
        abort(403)
    form = SessionForm()
    form.council_id.choices = choices((c.id, c.name) for c in councils)
    status = 200
    if form.validate_on_submit():
        council = db.session.get(Council, form.council_id.data)
        try:
            meeting = sessions.schedule(db.session, council, held_on=form.held_on.data,
                                        place=form.place.data or "",
                                        title=form.title.data or "", actor=current_user)
        except WorkflowError as error:
            db.session.rollback()
            _refused(form, error)
            status = error.code
        else:
            db.session.commit()
            return redirect(url_for("council.session_detail", session_id=meeting.id))
    elif request.method == "POST":
        status = 422
    return render_template("council/new_session.html", form=form), status


def _refused(form, error: WorkflowError) -> None:
    """Show a service's refusal on its field when it names one, else above the form."""
    field = getattr(form, getattr(error, "field", ""), None)
    if field is not None:
        field.errors = [*field.errors, error.description]
    else:
        form.form_errors.append(error.description)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    """Change the date, place or title before the session opens, with a reason."""
    meeting = visible_session(session_id)
    secretary_only(meeting)
    if sessions.status(meeting) != "scheduled":
        return render_session(meeting, 409, _(
            "This session has opened (attendance taken or voting opened) or ended: it can "
            "no longer be changed or cancelled."))
    form = SessionChangeForm(obj=meeting if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            sessions.change(db.session, meeting, held_on=form.held_on.data,
                            place=form.place.data, title=form.title.data,
                            reason=form.reason.data, actor=current_user)
        except WorkflowError as error:
            db.session.rollback()
            if error.code == 409:
                return render_session(meeting, 409, error.description)
            _refused(form, error)
            status = error.code
        else:
            db.session.commit()
            flash(_("The session is changed; the members are told."), "success")
            return redirect(url_for("council.session_detail", session_id=meeting.id))
    elif request.method == "POST":
        status = 422
    return render_template("council/edit_session.html", meeting=meeting, form=form), status


@bp.route("/sessions/<int:session_id>/cancel", methods=["POST"])
def cancel_session(session_id: int):
    """Cancel before the session opens, with a reason (a confirmation on the page)."""
    meeting = visible_session(session_id)
    secretary_only(meeting)
    form = CancelSessionForm()
    if not form.validate_on_submit():
        problems = form.reason.errors or [_("Give the reason for cancelling the session.")]
        return render_session(meeting, 422, problems[0], cancel_form=form)
    return perform(meeting, lambda: sessions.cancel(db.session, meeting,
                                                    reason=form.reason.data,
                                                    actor=current_user),
                   _("The session is cancelled; the members are told."))


@bp.route("/sessions/<int:session_id>/items", methods=["POST"])
def add_item(session_id: int):
    meeting = visible_session(session_id)
    secretary_only(meeting)
    form = AddItemForm()
    form.dossier_id.choices = choices(
        (d.id, d.title) for d in sessions.eligible_dossiers(db.session, meeting))
    if not form.validate_on_submit():
        return render_session(meeting, 422, _("Choose a dossier awaiting the council."))
    dossier = db.session.get(Dossier, form.dossier_id.data)
    return perform(meeting, lambda: sessions.add_item(db.session, meeting, dossier,
                                                      actor=current_user),
                   _("The dossier is on the agenda."))


@bp.route("/items/<int:item_id>/remove", methods=["POST"])
def remove_item(item_id: int):
    item = visible_item(item_id)
    meeting = item.session
    secretary_only(meeting)
    if not ActionForm().validate_on_submit():
        abort(400)
    return perform(meeting, lambda: sessions.remove_item(db.session, item, actor=current_user),
                   _("The dossier was taken off the agenda."))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
def attendance_form(session_id: int):
    meeting = visible_session(session_id)
    secretary_only(meeting)
    seats = attendance.seats(meeting)
    form, status, errors = ActionForm(), 200, []
    current = attendance.form_defaults(meeting, current_user)
    if request.method == "POST":
        wanted = {m.id: request.form.get(f"member-{m.id}", "") for m in seats}
        current.update((k, v) for k, v in wanted.items() if v in ATTENDANCE)
        if not form.validate_on_submit() or any(v not in ATTENDANCE for v in wanted.values()):
            errors.append(_("Choose an attendance status for every member."))
            status = 422
        else:
            try:
                attendance.record_statuses(db.session, meeting,
                                           [(m, wanted[m.id]) for m in seats],
                                           actor=current_user)
            except WorkflowError as error:
                db.session.rollback()
                errors.append(error.description)
                status = error.code
            else:
                db.session.commit()
                flash(_("Attendance is saved."), "success")
                return redirect(url_for("council.session_detail", session_id=meeting.id))
    return render_template("council/attendance.html", meeting=meeting, seats=seats, form=form,
                           current=current, errors=errors,
                           statuses_for=attendance.statuses_for), status


@bp.route("/sessions/<int:session_id>/rounds", methods=["POST"])
def open_round(session_id: int):
    meeting = visible_session(session_id)
    secretary_only(meeting)
    form = OpenRoundForm()
    form.item_id.choices = choices([(0, "")] + [(i.id, "") for i in meeting.items
                                                if i.round_id is None])
    if not form.validate_on_submit():
        return render_session(meeting, 422, _("Choose what to put to the vote."))
    only = next((i for i in meeting.items if i.id == form.item_id.data), None)
    return perform(meeting, lambda: rounds.open_round(db.session, meeting, actor=current_user,
                                                      only=only),
                   _("Voting is open."))


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
def close_round(round_id: int):
    voting_round = visible_round(round_id)
    meeting = voting_round.session
    secretary_only(meeting)
    if not ActionForm().validate_on_submit():
        abort(400)
    response = perform(meeting, lambda: rounds.close_round(db.session, voting_round,
                                                           actor=current_user),
                       _("The round is closed and counted."))
    if voting_round.status == "closed":
        ballots.vacuum_after_close(db.engine)
    return response


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    meeting = visible_session(session_id)
    secretary_only(meeting)
    if not ActionForm().validate_on_submit():
        abort(400)
    return perform(meeting, lambda: sessions.end_session(db.session, meeting,
                                                         actor=current_user),
                   _("The session has ended."))


@bp.route("/rounds/<int:round_id>/written/<int:member_id>", methods=["GET", "POST"])
def written_vote(round_id: int, member_id: int):
    """The secretary enters an absent member's written vote from the paper."""
    voting_round = visible_round(round_id)
    meeting = voting_round.session
    secretary_only(meeting)
    member = db.session.get(CouncilMember, member_id)
    if member is None or member.council_id != meeting.council_id:
        abort(404)
    items = ballots.paper_items(voting_round, member, "written")
    form, status, errors, chosen = ActionForm(), 200, [], {}
    if request.method == "POST":
        chosen, missing = read_choices(request.form, items)
        if not items:
            errors.append(_("This member has no written paper in this round."))
            status = 422
        elif not form.validate_on_submit() or missing or request.form.get("checked") != "yes":
            errors.append(_("Copy the choice of every item from the paper and confirm that "
                            "you checked it."))
            status = 422
        else:
            return perform(meeting, lambda: ballots.cast(
                db.session, voting_round, member, chosen, actor=current_user,
                channel="written"), _("The written vote is entered."))
    return render_template("council/written.html", voting_round=voting_round, meeting=meeting,
                           member=member, items=items, form=form, errors=errors,
                           chosen=chosen), status


@bp.route("/sessions/<int:session_id>/quota-decision", methods=["POST"])
def quota_decision(session_id: int):
    """Record the decision to exceed a quota flagged on this session (issue 5 §5)."""
    meeting = visible_session(session_id)
    secretary_only(meeting)
    form = QuotaExceptionForm()
    if not form.validate_on_submit() or not (form.unit_id.data or "").isdigit():
        return render_session(meeting, 422, _("Give the reason for exceeding the quota."))
    try:
        council_quotas.record_for_session(
            db.session, meeting, current_user, unit_id=int(form.unit_id.data),
            award_code=form.award_code.data, year=form.year.data, reason=form.reason.data)
    except QuotaExceptionError as error:
        db.session.rollback()
        return render_session(meeting, 409, str(error))
    db.session.commit()
    flash(_("The decision to exceed the quota is recorded."), "success")
    return redirect(url_for("council.session_detail", session_id=meeting.id))
