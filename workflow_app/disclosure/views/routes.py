"""Public disclosure pages (công khai, lấy ý kiến): no sign-in needed.

`/cong-khai/` lists the nominations under disclosure; `/cong-khai/<id>` shows one, with a
form anyone may use to send a comment or an objection while the window is open. A dossier
not under disclosure is a 404; a POST after its window closed is a 409; too many
submissions from one address a 429 (disclosure/service/comments.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.disclosure.service import queries
from workflow_app.disclosure.views.forms import CommentForm
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.review.service import present
from workflow_app.security import public
from workflow_app.workdays import local_date
from workflow_app.workflow.engine import get_calendar

bp = Blueprint("public", __name__, url_prefix="/cong-khai")


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.route("/")
@public
def index():
    listing = queries.list_page(db.session, _page_number())
    return render_template("disclosure/index.html", listing=listing, today=local_date(utcnow()),
                           present=present, calendar=get_calendar())


def _render(dossier, form, *, status: int = 200, limited=None):
    today = local_date(utcnow())
    return render_template(
        "disclosure/detail.html", dossier=dossier, form=form, today=today, present=present,
        calendar=get_calendar(), limited=limited,
        window_open=disclosure_service.window_is_open(dossier, today)), status


@bp.route("/<int:dossier_id>", methods=["GET", "POST"])
@public
def detail(dossier_id: int):
    dossier = queries.public_dossier(db.session, dossier_id)
    if dossier is None:
        abort(404)
    form = CommentForm()
    if request.method == "GET":
        return _render(dossier, form)
    if not disclosure_service.window_is_open(dossier, local_date(utcnow())):
        raise disclosure_service.DisclosureClosed()
    if not form.validate():
        return _render(dossier, form, status=422)
    client = disclosure_service.client_hash(current_app.config["SECRET_KEY"],
                                            request.remote_addr or "unknown")
    try:
        comment = disclosure_service.add_comment(
            db.session, dossier, kind=form.kind.data, body=form.body.data, client=client,
            author_name=form.author_name.data or "", author_contact=form.author_contact.data or "")
    except disclosure_service.RateLimited as limited:
        db.session.rollback()
        return _render(dossier, form, status=429, limited=limited)
    db.session.commit()
    if comment.is_objection:
        flash(_("Thank you. Your objection was recorded: a reviewer will answer it before the "
                "nomination goes further."), "success")
    else:
        flash(_("Thank you. Your comment was recorded."), "success")
    return redirect(url_for(".detail", dossier_id=dossier.id))
