"""The administrator's webhook pages: subscriptions (list, create), one subscription with its
delivery log (status, response code, attempts), pause or resume, and re-send a delivery."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.outbound import allowed_hosts
from workflow_app.security import roles_required
from workflow_app.webhooks.service import subscriptions as service
from workflow_app.webhooks.service.events import EVENT_KINDS
from workflow_app.webhooks.views.forms import ActionForm, SubscriptionForm

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@bp.route("", methods=["GET", "POST"])
@roles_required("admin")
def index():
    form = SubscriptionForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                subscription = service.create_subscription(
                    db.session, url=form.url.data, events=form.events.data,
                    description=form.description.data or "", actor=current_user)
            except service.WebhookError as exc:
                db.session.rollback()
                form.url.errors = [*form.url.errors, str(exc)]
                status = 422
            else:
                db.session.commit()
                flash(_("Subscription created. Give the receiver its signing secret (shown "
                        "below)."), "success")
                return redirect(url_for("webhooks.detail", subscription_id=subscription.id))
        else:
            status = 400
    return render_template("webhooks/index.html", form=form,
                           rows=service.subscriptions(db.session), kinds=EVENT_KINDS,
                           allowed=allowed_hosts()), status


def _subscription(subscription_id: int) -> WebhookSubscription:
    return db.get_or_404(WebhookSubscription, subscription_id)


@bp.route("/<int:subscription_id>")
@roles_required("admin")
def detail(subscription_id: int):
    subscription = _subscription(subscription_id)
    return render_template("webhooks/detail.html", subscription=subscription,
                           deliveries=service.deliveries(db.session, subscription),
                           kinds=EVENT_KINDS, action_form=ActionForm())


@bp.route("/<int:subscription_id>/active", methods=["POST"])
@roles_required("admin")
def toggle(subscription_id: int):
    subscription = _subscription(subscription_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.set_active(db.session, subscription, not subscription.active, actor=current_user)
    except service.WebhookError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Subscription resumed.") if subscription.active else _("Subscription paused."),
              "success")
    return redirect(url_for("webhooks.detail", subscription_id=subscription_id))


@bp.route("/<int:subscription_id>/deliveries/<int:delivery_id>/resend", methods=["POST"])
@roles_required("admin")
def resend(subscription_id: int, delivery_id: int):
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription_id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.resend(db.session, delivery, actor=current_user)
    except service.WebhookError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("The delivery will be sent again at the worker's next round."), "success")
    return redirect(url_for("webhooks.detail", subscription_id=subscription_id))
