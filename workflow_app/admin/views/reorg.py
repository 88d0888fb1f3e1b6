"""Admin views: reorganisations (issue 19) — record one (preview first, then apply),
reverse one by a compensating event, the per-body rule on predecessors' years, and a
person's transfer to another unit on a date."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.admin.views.blueprint import bp
from workflow_app.admin.views.formflow import submit
from workflow_app.admin.views.forms import (
    HistoryRuleForm,
    ReorgForm,
    ReorgImportForm,
    ReversalForm,
    TransferForm,
)
from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.extensions import db
from workflow_app.formkit import choices, unit_choices
from workflow_app.i18n import current_locale
from workflow_app.labels import GRANT_CHOICE_LABELS, org_event_label
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.org_history import OrgEvent
from workflow_app.org.service import history_rules, reorg, reorg_import, transfers


def _units(ids) -> list[OrgUnit]:
    found = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def _form() -> ReorgForm:
    form = ReorgForm()
    form.kind.choices = choices((kind, org_event_label(kind)) for kind in reorg.CHANGE_KINDS)
    open_units = unit_choices(open_only=True)
    form.unit_ids.choices = open_units
    form.successor_ids.choices = open_units
    form.heir_ids.choices = open_units
    form.new_parent_id.choices = unit_choices(blank=_("— top level —"), open_only=True)
    form.grants_choice.choices = choices(
        [("", _("— choose when role grants are listed —"))] + list(GRANT_CHOICE_LABELS.items()))
    if request.method == "GET" and request.args.get("kind") in reorg.CHANGE_KINDS:
        form.kind.data = request.args["kind"]
    return form


def _change(form: ReorgForm) -> reorg.Change:
    return reorg.Change(
        kind=form.kind.data, effective_date=form.effective_date.data,
        decision_number=form.decision_number.data or "",
        decision_date=form.decision_date.data, decision_issuer=form.decision_issuer.data or "",
        units=_units(form.unit_ids.data or []),
        successors=_units(form.successor_ids.data or []),
        heirs=_units(form.heir_ids.data or []),
        new_name=form.new_name.data or "", new_name_en=form.new_name_en.data or "",
        new_parent=db.session.get(OrgUnit, form.new_parent_id.data)
        if form.new_parent_id.data else None,
        grants_choice=form.grants_choice.data or None, note=form.note.data or "")


@bp.route("/reorganisations")
def reorganisations():
    events = db.session.scalars(select(OrgEvent).where(OrgEvent.kind != "reversal")
                                .order_by(OrgEvent.effective_date.desc(),
                                          OrgEvent.id.desc())).all()
    return render_template("admin/reorganisations.html", events=events,
                           reversal_form=ReversalForm())


@bp.route("/reorganisations/new", methods=["GET", "POST"])
def reorganisations_new():
    form = _form()
    plan = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            change = _change(form)
            if request.form.get("action") == "apply":
                try:
                    event = reorg.apply(db.session, change, actor=current_user)
                except reorg.ReorgError as exc:
                    db.session.rollback()
                    form.form_errors.append(str(exc))
                    status = 422
                else:
                    db.session.commit()
                    flash(_("Reorganisation recorded."), "success")
                    return redirect(url_for("admin.reorganisations", _anchor=f"e{event.id}"))
            plan = reorg.preview(db.session, change)
            if plan.problems and status == 200:
                status = 422
    return render_template("admin/reorganisation_new.html", form=form, plan=plan), status


@bp.route("/reorganisations/<int:event_id>/reverse", methods=["POST"])
def reorganisations_reverse(event_id: int):
    event = db.get_or_404(OrgEvent, event_id)
    form = ReversalForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("admin.reorganisations")), 303
    try:
        reorg.reverse(db.session, event, form.reason.data, actor=current_user)
    except reorg.ReorgError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("admin.reorganisations", _anchor=f"e{event.id}")), 303
    db.session.commit()
    flash(_("Reorganisation reversed; the original stays on record, marked reversed."),
          "success")
    return redirect(url_for("admin.reorganisations", _anchor=f"e{event.id}"))


@bp.route("/reorganisations/history-rules", methods=["GET", "POST"])
def reorganisations_rules():
    form = HistoryRuleForm()
    form.body_unit_id.choices = unit_choices(open_only=True)
    names = award_names(db.session, current_locale(), today_local())
    form.award_code.choices = choices([("", _("Every award"))] + sorted(names.items(),
                                                                         key=lambda x: x[1]))
    response, status = submit(
        form,
        lambda: history_rules.set_rule(
            db.session, db.session.get(OrgUnit, form.body_unit_id.data),
            form.award_code.data or None, form.counts_predecessors.data == "yes",
            form.note.data or "", actor=current_user),
        history_rules.HistoryRuleError, _("Rule saved."),
        lambda _rule: url_for("admin.reorganisations_rules"))
    if response:
        return response
    return render_template("admin/history_rules.html", form=form, names=names,
                           rules=history_rules.rules(db.session)), status


@bp.route("/persons/<int:person_id>/transfer", methods=["GET", "POST"])
def person_transfer(person_id: int):
    person = db.get_or_404(Person, person_id)
    form = TransferForm()
    form.to_unit_id.choices = unit_choices(open_only=True)
    response, status = submit(
        form,
        lambda: transfers.transfer(
            db.session, person, db.session.get(OrgUnit, form.to_unit_id.data),
            form.effective_date.data, decision_number=form.decision_number.data or "",
            decision_date=form.decision_date.data, note=form.note.data or "",
            actor=current_user),
        transfers.TransferError, _("Transfer recorded."),
        lambda _row: url_for("org.person", person_id=person.id))
    if response:
        return response
    return render_template("admin/person_transfer.html", form=form, person=person), status


@bp.route("/reorganisations/import", methods=["GET", "POST"])
def reorganisations_import():
    """An XLSX of reorganisation rows: preview every row, or apply them all (one
    transaction; nothing when any row is wrong)."""
    form = ReorgImportForm()
    result, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            upload = form.file.data
            data = upload.read(reorg_import.MAX_BYTES + 1)
            applying = request.form.get("action") == "apply"
            result = reorg_import.run(db.session, data, apply=applying, actor=current_user,
                                      filename=upload.filename or "")
            if result.applied:
                db.session.commit()
                flash(_("Reorganisation imported: %(count)d changes recorded.",
                        count=len(result.rows)), "success")
                return redirect(url_for("admin.reorganisations"))
            db.session.rollback()
            status = 200 if result.ok else 422
    return render_template("admin/reorganisation_import.html", form=form, result=result), status
