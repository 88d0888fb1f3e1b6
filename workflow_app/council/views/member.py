"""Pages every council member sees: my sessions, a session's agenda, a round's results and
its published per-item codes (receipt check by POST), and declaring a conflict of interest."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.council.service import access, ballots, receipts, recusal, sessions
from workflow_app.council.service.attendance import quorum_snapshot, status_of
from workflow_app.council.service.exports import tally_sheet
from workflow_app.council.service.minutes_doc import item_heading
from workflow_app.council.views.blueprint import (
    bp,
    my_seat,
    visible_item,
    visible_round,
    visible_session,
)
from workflow_app.council.views.forms import (
    ActionForm,
    AddItemForm,
    CancelSessionForm,
    DecideForm,
    OpenRoundForm,
    ReasonForm,
    ReceiptCheckForm,
    RulingForm,
)
from workflow_app.downloads import send_xlsx
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale
from workflow_app.workflow.errors import WorkflowError


@bp.route("/")
def index():
    """Upcoming sessions (neither ended nor cancelled), soonest first; then the history
    (ended and cancelled), newest first."""
    meetings = sessions.sessions_for(db.session, current_user)
    upcoming = sorted((m for m in meetings if sessions.is_upcoming(m)),
                      key=lambda m: (m.held_on, m.id))
    past = [m for m in meetings if not sessions.is_upcoming(m)]
    return render_template("council/index.html", upcoming=upcoming, past=past,
                           can_schedule=current_user.has_role("secretary"),
                           can_see_councils=current_user.has_role("admin", "secretary", "chair",
                                                                  "auditor"))


def _secretary_forms(meeting) -> dict:
    add = AddItemForm()
    add.dossier_id.choices = choices(
        (d.id, item_heading({"title": d.title, "nominee": d.nominee_name, "award": ""}))
        for d in sessions.eligible_dossiers(db.session, meeting))
    open_form = OpenRoundForm()
    unvoted = [i for i in meeting.items if i.round_id is None]
    open_form.item_id.choices = choices(
        [(0, _("All items still to be voted"))] + [(i.id, i.dossier.title) for i in unvoted])
    return {"add_form": add, "open_form": open_form, "live_quorum": quorum_snapshot(meeting)}


@bp.route("/sessions/<int:session_id>")
def session_detail(session_id: int):
    return render_session(visible_session(session_id))


@bp.route("/sessions/<int:session_id>/tallies.xlsx")
def session_tallies(session_id: int):
    """The session's agenda with each closed round's tally, as XLSX."""
    meeting = visible_session(session_id)
    return send_xlsx(f"ket-qua-bieu-quyet-phien-{meeting.id}.xlsx",
                     [tally_sheet(meeting, current_locale())])


def render_session(meeting, status: int = 200, error: str | None = None, *,
                   cancel_form: CancelSessionForm | None = None):
    """The session page; `error` (with a 4xx status) when a form on it was refused."""
    seat = my_seat(meeting)
    open_round = next((r for r in meeting.rounds if r.is_open), None)
    is_secretary = access.is_secretary(current_user, meeting.council)
    context = {
        "meeting": meeting, "seat": seat, "open_round": open_round,
        "is_secretary": is_secretary,
        "is_chair": access.is_chair(current_user, meeting.council),
        "attendance": status_of(meeting), "action_form": ActionForm(),
        "reason_form": ReasonForm(), "decide_form": DecideForm(), "ruling_form": RulingForm(),
        "my_paper": [], "voted": False, "error": error,
        "session_status": sessions.status(meeting),
        "can_change": is_secretary and sessions.status(meeting) == "scheduled",
        "cancel_form": cancel_form or CancelSessionForm(formdata=None),
    }
    if open_round is not None and seat is not None:
        context["my_paper"] = ballots.paper_items(open_round, seat)
        context["voted"] = ballots.has_voted(db.session, open_round, seat)
    if context["is_secretary"] and meeting.ended_at is None:
        context.update(_secretary_forms(meeting))
    return render_template("council/session.html", **context), status


@bp.route("/rounds/<int:round_id>", methods=["GET", "POST"])
def round_detail(round_id: int):
    """The round's results and, after close, each secret item's published codes. A receipt
    is checked by POST only (CSRF form): a code in a URL would reach logs and history."""
    voting_round = visible_round(round_id)
    form = ReceiptCheckForm()
    checked, invalid, status = None, False, 200
    if request.method == "POST":
        invalid = not form.validate_on_submit()
        if not invalid and not voting_round.is_open:
            checked = receipts.check(db.session, voting_round, form.receipt.data)
        status = 200 if checked is not None else 422
    names = {entry[0]: entry[1] for entry in voting_round.quorum.get("entitled", [])}
    return render_template("council/round.html", voting_round=voting_round,
                           meeting=voting_round.session, form=form,
                           published=receipts.published_items(db.session, voting_round),
                           asked=request.method == "POST", invalid=invalid,
                           checked=checked, names=names), status


def perform(meeting, work, done: str):
    """Run one service call, commit once, and go back to the session page; a refused action
    shows the session page again with the reason and the error's status."""
    try:
        work()
    except WorkflowError as error:
        db.session.rollback()
        return render_session(meeting, error.code, error.description)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("council.session_detail", session_id=meeting.id))


@bp.route("/items/<int:item_id>/conflict", methods=["POST"])
def declare_conflict(item_id: int):
    item = visible_item(item_id)
    seat = my_seat(item.session)
    form = ReasonForm()
    if seat is None:
        return render_session(item.session, 403, _("You have no seat on this council."))
    if not form.validate_on_submit():
        return render_session(item.session, 422,
                              _("Give the reason for the conflict of interest."))
    return perform(item.session,
                   lambda: recusal.declare(db.session, item, seat, form.reason.data,
                                           actor=current_user),
                   _("Your conflict of interest is recorded; the chair will decide on it."))
