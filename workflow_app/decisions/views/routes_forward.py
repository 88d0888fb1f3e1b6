"""Officer (reviewer) pages for awards conferred above this body (Prime Minister, President):
forwarding council-approved dossiers with a numbered tờ trình, and recording the higher
decision when it arrives. Refusals re-render the page with the reason after a rollback."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.service import forwarding, selection
from workflow_app.decisions.service.numbering import NumberingError
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.decisions.views.forms import HigherDecisionForm, SubmissionForm
from workflow_app.decisions.views.routes_common import bp, group_by_award, prefilled, user
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.models.dossier import Dossier
from workflow_app.security import roles_required
from workflow_app.signing import confirm_identity
from workflow_app.workflow import WorkflowError


def _ready():
    return selection.ready_dossiers(db.session, user(), forwarding.TRIGGER, forwarding.ROLE)


def _render_forward(form: SubmissionForm, *, status: int = 200, notice: str | None = None,
                    reauth_error: str | None = None):
    ready = _ready()
    chosen = {str(value) for value in (form.dossier_ids.data or [])}
    return render_template("decisions/forward.html", form=form, groups=group_by_award(ready),
                           chosen=chosen, notice=notice, total=len(ready),
                           reauth_error=reauth_error), status


@bp.get("/forward")
@roles_required(forwarding.ROLE)
def forward():
    form = SubmissionForm(formdata=None)
    notice = prefilled(form, _ready(), forwarding.default_input, request.args.get("award"))
    return _render_forward(form, notice=notice)


@bp.post("/forward")
@roles_required(forwarding.ROLE)
def forward_post():
    if "refill" in request.form:  # the wording again, for the dossiers now ticked
        form = SubmissionForm(formdata=None)
        notice = prefilled(form, _ready(), forwarding.default_input, None,
                           request.form.getlist("dossier_ids"))
        return _render_forward(form, notice=notice)
    form = SubmissionForm()
    if not form.validate_on_submit():
        return _render_forward(form, status=422)
    problem = confirm_identity(form, "submission")
    if problem is not None:  # the form again, as typed, with the reason; nothing issued
        return _render_forward(form, status=422, reauth_error=problem)
    try:
        letter = forwarding.forward_dossiers(db.session, user(), form.to_input(),
                                             app_storage(DOCUMENTS), today_vn())
        letter_id, reference = letter.id, letter.reference
        db.session.commit()
    except (SelectionError, NumberingError) as error:
        return _refuse_forward(form, error.message, 422)
    except WorkflowError as error:
        return _refuse_forward(form, error.description, error.code)
    flash(_("Submission letter %(reference)s was issued.", reference=reference), "success")
    return redirect(url_for("decisions.letter", letter_id=letter_id), code=303)


def _refuse_forward(form: SubmissionForm, message, status: int):
    db.session.rollback()
    form.form_errors.append(str(message))
    return _render_forward(form, status=status)


def awaiting(viewer) -> list[Dossier]:
    """Forwarded dossiers in the officer's scope, waiting for the higher decision."""
    return forwarding.awaiting(db.session, viewer)


def _row_form(dossier: Dossier, formdata=None) -> HigherDecisionForm:
    form = HigherDecisionForm(formdata=formdata, prefix=f"d{dossier.id}")
    if formdata is None:
        form.version.data = str(dossier.version)
    return form


def _render_forwarded(failed: tuple[int, HigherDecisionForm] | None = None, status: int = 200):
    rows = []
    for dossier in awaiting(user()):
        form = failed[1] if failed and failed[0] == dossier.id else _row_form(dossier)
        rows.append((dossier, form))
    return render_template("decisions/forwarded.html", rows=rows), status


@bp.get("/forwarded")
@roles_required(forwarding.ROLE)
def forwarded():
    return _render_forwarded()


@bp.post("/forwarded/<int:dossier_id>")
@roles_required(forwarding.ROLE)
def record_higher(dossier_id: int):
    viewer = user()
    dossier = next((d for d in awaiting(viewer) if d.id == dossier_id), None)
    if dossier is None:
        abort(404)
    form = _row_form(dossier, request.form)
    if not form.validate_on_submit():
        return _render_forwarded((dossier_id, form), 422)
    try:
        forwarding.record_higher_decision(
            db.session, viewer, dossier, number=form.number.data,
            decided_on=form.decided_on.data, expected_version=form.version.data or None,
            today=today_vn())
        db.session.commit()
    except SelectionError as error:
        db.session.rollback()
        form.form_errors.append(str(error.message))
        return _render_forwarded((dossier_id, form), 422)
    except WorkflowError as error:
        db.session.rollback()
        form.form_errors.append(str(error.description))
        return _render_forwarded((dossier_id, form), error.code)
    flash(_("The decision %(number)s was recorded; the dossier is decided.",
            number=form.number.data), "success")
    return redirect(url_for("decisions.forwarded"), code=303)
