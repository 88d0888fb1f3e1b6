"""The minutes of a session: the page, the DOCX and PDF downloads, the chair's sign-off,
and the check of signed minutes against the audit trail.

Readers are those who see the session (members, secretary, chair, auditors; 404 else).
Before sign-off the minutes are built live and the files rendered on request (a draft);
after it, the page and downloads serve the frozen content and the stored files. The
verification page is for the council's auditors, chair and secretary (403 for others).
"""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.council.service import access, minutes, minutes_doc, minutes_sign, minutes_verify
from workflow_app.council.views.blueprint import bp, chair_only, visible_session
from workflow_app.council.views.forms import SignMinutesForm
from workflow_app.downloads import send_document
from workflow_app.extensions import db
from workflow_app.signing import confirm_identity
from workflow_app.workflow.errors import WorkflowError


def _page(meeting, status: int = 200, error: str | None = None, *,
          form: SignMinutesForm | None = None, reauth_error: str | None = None):
    frozen = minutes_sign.signed(db.session, meeting)
    content = frozen.content if frozen else minutes.minutes_of(db.session, meeting)
    return render_template(
        "council/minutes.html", meeting=meeting, content=content, frozen=frozen,
        held_on=date.fromisoformat(content["session"]["held_on"]),
        item_heading=minutes_doc.item_heading,
        is_chair=access.is_chair(current_user, meeting.council),
        form=form or SignMinutesForm(formdata=None), reauth_error=reauth_error,
        may_verify=access.may_verify_minutes(current_user, meeting.council),
        all_closed=bool(meeting.rounds) and not any(r.is_open for r in meeting.rounds),
        error=error), status


@bp.get("/sessions/<int:session_id>/minutes")
def minutes_page(session_id: int):
    return _page(visible_session(session_id))


@bp.get("/sessions/<int:session_id>/minutes.docx", defaults={"fmt": "docx"})
@bp.get("/sessions/<int:session_id>/minutes.pdf", defaults={"fmt": "pdf"})
def minutes_download(session_id: int, fmt: str):
    return minutes_file(visible_session(session_id), fmt)


@bp.get("/sessions/<int:session_id>/minutes/view")
def minutes_view(session_id: int):
    """The minutes' PDF shown in the browser, to those who may download it."""
    return minutes_file(visible_session(session_id), "pdf", inline=True)


def minutes_file(meeting, fmt: str, inline: bool = False):
    """The minutes as "docx" or "pdf" (the stored file once signed off, else a draft)."""
    return send_document(**minutes_sign.minutes_download(db.session, meeting, fmt),
                         inline=inline)


@bp.post("/sessions/<int:session_id>/minutes/sign")
def minutes_sign_off(session_id: int):
    meeting = visible_session(session_id)
    chair_only(meeting)
    form = SignMinutesForm()
    if not form.validate_on_submit():
        return _page(meeting, 400, _("The form has expired; please try again."))
    problem = confirm_identity(form, "minutes")
    if problem is not None:  # nothing signed; the reason next to the password
        return _page(meeting, 422, form=form, reauth_error=problem)
    try:
        minutes_sign.sign_off(db.session, meeting, actor=current_user._get_current_object(),
                              storage=minutes_sign.document_storage())
    except WorkflowError as error:
        db.session.rollback()
        return _page(meeting, error.code, error.description)
    db.session.commit()
    flash(_("The minutes are signed off."), "success")
    return redirect(url_for("council.minutes_page", session_id=meeting.id))


@bp.get("/sessions/<int:session_id>/minutes/verify")
def minutes_check(session_id: int):
    meeting = visible_session(session_id)
    if not access.may_verify_minutes(current_user, meeting.council):
        abort(403)
    result = minutes_verify.verify(db.session, meeting, minutes_sign.document_storage())
    return render_template("council/minutes_verify.html", meeting=meeting, result=result)
