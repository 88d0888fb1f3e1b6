"""The member's ballot, phone first: paper → confirmation with re-authentication → receipt.

The receipt is shown once, in the answer to the cast itself (never stored in the session
cookie, never re-displayable); pages are sent with `Cache-Control: no-store`. Nothing here
logs a choice.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.accounts.service import reauth
from workflow_app.council.service import ballots
from workflow_app.council.views.blueprint import bp, my_seat, visible_round
from workflow_app.council.views.forms import ActionForm, CastForm, read_choices
from workflow_app.extensions import db
from workflow_app.workflow.errors import WorkflowError


def _recused(voting_round):
    seat = my_seat(voting_round.session)
    return ballots.recused_items(voting_round, seat) if seat is not None else []


def _paper(voting_round, items, *, chosen=None, missing=(), status=200, error=None):
    return render_template("council/ballot.html", voting_round=voting_round,
                           meeting=voting_round.session, items=items, chosen=chosen or {},
                           missing=set(missing), form=ActionForm(), error=error,
                           recused=_recused(voting_round)), status


def _confirm(voting_round, items, chosen, form, *, status=200, error=None):
    return render_template("council/confirm.html", voting_round=voting_round,
                           meeting=voting_round.session, items=items, chosen=chosen,
                           form=form, needs_code=current_user.totp_enabled,
                           error=error), status


@bp.route("/rounds/<int:round_id>/ballot", methods=["GET", "POST"])
def ballot(round_id: int):
    voting_round = visible_round(round_id)
    if not voting_round.is_open:
        return redirect(url_for("council.round_detail", round_id=round_id))
    seat = my_seat(voting_round.session)
    if seat is None:
        abort(403)
    items = ballots.paper_items(voting_round, seat)
    if not items or ballots.has_voted(db.session, voting_round, seat):
        return render_template("council/ballot.html", voting_round=voting_round,
                               meeting=voting_round.session, items=items,
                               voted=bool(items), form=ActionForm(), chosen={},
                               missing=set(), error=None,
                               recused=ballots.recused_items(voting_round, seat))
    if request.method == "GET":
        return _paper(voting_round, items)
    chosen, missing = read_choices(request.form, items)
    step = request.form.get("step")
    if step == "edit":
        return _paper(voting_round, items, chosen=chosen)
    if missing:
        return _paper(voting_round, items, chosen=chosen, missing=missing, status=422,
                      error=_("Choose agree, disagree or abstain for every item."))
    if step == "review":
        if not ActionForm().validate_on_submit():
            abort(400)
        return _confirm(voting_round, items, chosen, CastForm())
    if step != "cast":
        abort(400)
    return _cast(voting_round, seat, items, chosen)


def _cast(voting_round, seat, items, chosen):
    form = CastForm()
    if not form.validate_on_submit():
        return _confirm(voting_round, items, chosen, form, status=422,
                        error=_("Enter your password to cast your ballot."))
    problem = reauth.check(db.session, current_user, form.password.data, form.code.data,
                           request.remote_addr or "unknown")
    if problem is not None:
        db.session.commit()  # keep the failed attempt: it counts towards the throttle
        return _confirm(voting_round, items, chosen, CastForm(formdata=None), status=422,
                        error=problem)
    try:
        result = ballots.cast(db.session, voting_round, seat, chosen, actor=current_user)
    except WorkflowError as error:
        db.session.rollback()
        return _paper(voting_round, items, status=error.code, error=error.description)
    db.session.commit()
    return render_template("council/receipt.html", voting_round=voting_round,
                           meeting=voting_round.session, result=result)
