"""Revocation pages (Law Art. 93): the list, the reviewer's proposal, a revocation's page and
the recovery of the award items. The signer's steps are in `routes_revocation_sign`.

Reading rule: reviewers, signers, auditors and submitters whose grant covers the unit the
award belongs to (the dossier's unit, else the recipient's); anyone else gets 404.
Refusals re-render the page with the reason after a rollback: nothing half-written.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from workflow_app.catalogue.service.queries import award_names
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_issue
from workflow_app.decisions.service.revocation_labels import revocation_labels
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.decisions.views.revocation_forms import (
    DismissForm,
    HigherRevocationForm,
    ProposalForm,
    RecoveryForm,
    RevocationDecisionForm,
)
from workflow_app.decisions.views.routes_common import bp, user
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation
from workflow_app.security import roles_required
from workflow_app.workflow import WorkflowError

bp.app_context_processor(revocation_labels)


@bp.app_context_processor
def revocation_helpers() -> dict:
    """For the dossier and registry pages: the revocations of a dossier, and whether the
    viewer may propose one against a registry entry."""
    def of_dossier(dossier):
        session = object_session(dossier) or db.session
        return service.revocations_of_dossier(session, dossier.id)

    def proposable_entry(dossier):
        session = object_session(dossier) or db.session
        if dossier.state != "decided" or not user().can_see_unit(dossier.unit,
                                                                  service.PROPOSER):
            return None
        entry = service.entry_of_dossier(session, dossier)
        return entry if entry is not None and not service.why_not_proposable(session, entry) \
            else None

    def may_propose(entry):
        return service.may_propose_for(user(), entry) and not service.why_not_proposable(
            db.session, entry)

    def of_entry(entry):
        return service.live_revocation(db.session, entry)

    def award_name(code: str) -> str:
        return award_names(db.session, current_locale(), today_vn()).get(code, code)

    return {"dossier_revocations": of_dossier, "revocation_entry_for": proposable_entry,
            "may_propose_revocation": may_propose, "entry_revocation": of_entry,
            "registry_award_name": award_name}


def readable_or_404(revocation_id: int) -> Revocation:
    return service.readable_one(db.session, user(), revocation_id)


@bp.get("/revocations")
def revocations():
    viewer = user()
    return render_template("decisions/revocations.html",
                           to_decide=service.to_decide(db.session, viewer),
                           rows=service.readable(db.session, viewer))


def _entry_or_404(record_id: int) -> AwardRecord:
    entry = db.session.get(AwardRecord, record_id)
    if entry is None or not service.may_propose_for(user(), entry):
        abort(404)
    return entry


def _render_new(entry: AwardRecord, form: ProposalForm, status: int = 200):
    return render_template("decisions/revocation_new.html", entry=entry, form=form,
                           problem=service.why_not_proposable(db.session, entry),
                           level=service.level_of(db.session, entry),
                           filing_days=service.FILING_DAYS,
                           deciding_days=service.DECIDING_WORKING_DAYS), status


@bp.route("/revocations/new/<int:record_id>", methods=["GET", "POST"])
@roles_required(service.PROPOSER)
def new_revocation(record_id: int):
    entry = _entry_or_404(record_id)
    form = ProposalForm()
    if not form.validate_on_submit():
        return _render_new(entry, form, 422 if form.is_submitted() else 200)
    try:
        revocation = service.propose(db.session, user(), entry, form.to_input(), today_vn())
        revocation_id = revocation.id
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        form.form_errors.append(str(error.description))
        return _render_new(db.session.get(AwardRecord, record_id), form, error.code)
    flash(_("The revocation is proposed; the signer decides it."), "success")
    return redirect(url_for("decisions.revocation", revocation_id=revocation_id), code=303)


def render_revocation(revocation: Revocation, *, status: int = 200, error: str | None = None,
                      decision_form: RevocationDecisionForm | None = None,
                      dismiss_form: DismissForm | None = None,
                      higher_form: HigherRevocationForm | None = None,
                      recovery_form: RecoveryForm | None = None):
    """A revocation's page; the signer's forms when it is open, the reviewer's recovery form
    once revoked. `error` (with a 4xx status) when a form on it was refused."""
    viewer = user()
    can_decide = revocation.is_open and service.may_decide(viewer, revocation)
    notice = None
    if can_decide and revocation.level == "own" and decision_form is None:
        decision_form = RevocationDecisionForm(formdata=None)
        try:
            decision_form.fill(revocation_issue.default_input(db.session, viewer, revocation,
                                                              today_vn()))
        except SelectionError as problem:
            notice = str(problem.message)
    if can_decide and revocation.level == "higher" and higher_form is None:
        higher_form = HigherRevocationForm(formdata=None)
    can_record_recovery = service.may_record_recovery(viewer, revocation)
    return render_template(
        "decisions/revocation.html", revocation=revocation, entry=revocation.award_record,
        deadlines=service.deadlines(revocation), can_decide=can_decide, error=error,
        notice=notice, decision_form=decision_form,
        dismiss_form=dismiss_form or (DismissForm(formdata=None) if can_decide else None),
        higher_form=higher_form,
        recovery_form=recovery_form or (RecoveryForm(formdata=None)
                                        if can_record_recovery else None),
        point=service.GROUND_POINT[revocation.ground], filing_days=service.FILING_DAYS,
        deciding_days=service.DECIDING_WORKING_DAYS), status


@bp.get("/revocations/<int:revocation_id>")
def revocation(revocation_id: int):
    return render_revocation(readable_or_404(revocation_id))


@bp.post("/revocations/<int:revocation_id>/recovery")
@roles_required(service.PROPOSER)
def recovery(revocation_id: int):
    revocation = readable_or_404(revocation_id)
    form = RecoveryForm()
    if not form.validate_on_submit():
        return render_revocation(revocation, status=422, recovery_form=form)
    try:
        service.record_recovery(db.session, user(), revocation, form.recovered_on.data,
                                form.note.data or "", today_vn())
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        return render_revocation(readable_or_404(revocation_id), status=error.code,
                                 error=str(error.description), recovery_form=form)
    flash(_("The recovery of the award items is recorded."), "success")
    return redirect(url_for("decisions.revocation", revocation_id=revocation_id), code=303)
