"""The chair's actions: decide a declared conflict, reserve an item, rule on it."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.council.service import chair, recusal
from workflow_app.council.views.blueprint import bp, chair_only, visible_item, visible_recusal
from workflow_app.council.views.forms import DecideForm, ReasonForm, RulingForm
from workflow_app.council.views.member import perform, render_session
from workflow_app.extensions import db


@bp.route("/recusals/<int:recusal_id>/decide", methods=["POST"])
def decide_conflict(recusal_id: int):
    entry = visible_recusal(recusal_id)
    meeting = entry.item.session
    chair_only(meeting)
    form = DecideForm()
    if not form.validate_on_submit():
        return render_session(meeting, 422, _("Choose accept or reject."))
    accept = form.decision.data == "accept"
    return perform(meeting, lambda: recusal.decide(db.session, entry, accept,
                                                   actor=current_user),
                   _("The conflict of interest is decided."))


@bp.route("/items/<int:item_id>/hold", methods=["POST"])
def hold_item(item_id: int):
    item = visible_item(item_id)
    chair_only(item.session)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_session(item.session, 422, _("The chair's ruling needs a reason."))
    return perform(item.session,
                   lambda: chair.hold(db.session, item, form.reason.data, actor=current_user),
                   _("The item is reserved for the chair's ruling."))


@bp.route("/items/<int:item_id>/ruling", methods=["POST"])
def rule_item(item_id: int):
    item = visible_item(item_id)
    chair_only(item.session)
    form = RulingForm()
    if not form.validate_on_submit():
        return render_session(item.session, 422, _("The chair's ruling needs a reason."))
    return perform(item.session,
                   lambda: chair.rule(db.session, item, form.decision.data, form.reason.data,
                                      actor=current_user),
                   _("The chair's ruling is recorded."))
