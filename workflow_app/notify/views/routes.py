"""The signed-in user's notifications page, and the unread count in the navigation.

A user only ever reads and marks their own notifications: every query is filtered by the
signed-in user's id, so there is no id in the URL to tamper with.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.formkit import AppForm
from workflow_app.notify.service import queue as service
from workflow_app.notify.service.queue import safe_link

bp = Blueprint("notify", __name__)

SHOWN = 100  # the newest notifications; older ones stay in the table




@bp.app_context_processor
def _unread_badge():
    """`unread_notifications()` for the navigation: one COUNT query, run only when the
    template calls it (pages without the navigation pay nothing)."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return service.unread_count(db.session, current_user)

    return {"unread_notifications": unread_notifications}


class MarkReadForm(AppForm):
    """CSRF only."""


@bp.route("/notifications")
def index():
    items = service.recent(db.session, current_user, limit=SHOWN)
    return render_template("notify/index.html", items=items, form=MarkReadForm(),
                           safe_link=safe_link, shown=SHOWN)


@bp.route("/notifications/read-all", methods=["POST"])
def mark_all_read():
    form = MarkReadForm()
    if form.validate_on_submit():
        service.mark_all_read(db.session, current_user)
        db.session.commit()
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))
