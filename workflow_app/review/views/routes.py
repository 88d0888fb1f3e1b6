"""Reviewer pages: the appraisal queue, the review page, checklist and objection answers.

Only users holding the reviewer role enter (403 otherwise); a dossier outside the user's
reviewer scope, or still a draft, is a 404, as if it did not exist. Transitions are not fired
here: the review page's buttons post to the dossier pages' transition route
(see review/service/actions.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.downloads import send_xlsx
from workflow_app.eligibility.service import exception_requests
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.review.service import checklist as review_service
from workflow_app.review.service import present
from workflow_app.review.service.access import reviewable_dossier_or_404
from workflow_app.review.service.exports import queue_sheet
from workflow_app.review.service.queue import (
    QueueFilters,
    award_choices,
    load_queue,
    queue_states,
    units_in_scope,
)
from workflow_app.review.views.actions import (
    action_views,
    document_url,
    document_view_url,
    dossier_url,
)
from workflow_app.review.views.forms import (
    AnswerForm,
    QueueFilterForm,
    checklist_entries,
    checklist_form,
)
from workflow_app.workdays import VIETNAM_TZ, local_date
from workflow_app.workflow import definition_of, get_registry, step_clock
from workflow_app.workflow.documents import document_label
from workflow_app.workflow.engine import get_calendar

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.app_template_filter("local_datetime")
def _local_datetime(moment) -> str:
    """A UTC datetime as Vietnamese local time, dd/mm/yyyy hh:mm."""
    return moment.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M") if moment else ""


@bp.before_request
def _reviewers_only():
    if not current_user.is_authenticated or not current_user.has_role("reviewer"):
        abort(403)


def _state_choices(states: dict[str, tuple], locale: str) -> list[tuple[str, str]]:
    registry, seen = get_registry(), {}
    for workflow, ids in states.items():
        for state in ids:
            seen.setdefault(state, registry.get(workflow).state(state).label(locale))
    return list(seen.items())


def _queue_filters(locale: str, registry):
    states = queue_states(registry)
    units = units_in_scope(db.session, current_user)
    form = QueueFilterForm(request.args)
    form.set_choices(_state_choices(states, locale), award_choices(db.session, locale),
                     [(u.id, "— " * max(0, u.depth) + u.display_name(locale)) for u in units])
    filters, status = QueueFilters(), 200
    if request.args and not form.validate():
        status = 400
    elif request.args:
        by_id = {str(u.id): u for u in units}
        filters = QueueFilters(state=form.state.data or None,
                               award_id=int(form.award.data) if form.award.data else None,
                               unit=by_id.get(form.unit.data or ""),
                               overdue_only=bool(form.overdue.data), page=form.page.data or 1)
    return form, filters, status, states


@bp.route("/")
def queue():
    locale, registry = current_locale(), get_registry()
    form, filters, status, states = _queue_filters(locale, registry)
    result = load_queue(db.session, current_user, registry, filters, now=utcnow(),
                        calendar=get_calendar())
    args = {k: v for k, v in request.args.items() if k != "page"}
    asked = exception_requests.waiting_for_reviewer(db.session, current_user)
    return render_template("review/queue.html", form=form, result=result, filters=filters,
                           state_labels=dict(_state_choices(states, locale)), args=args,
                           today=local_date(utcnow()), present=present,
                           exception_requests=asked), status


@bp.route("/export.xlsx")
def export():
    """The whole queue under the page's filters (every page), as XLSX."""
    locale, registry = current_locale(), get_registry()
    _form, filters, status, _states = _queue_filters(locale, registry)
    if status != 200:
        abort(400)
    now = utcnow()
    return send_xlsx(f"thu-tu-tham-dinh-{local_date(now):%Y%m%d}.xlsx", [queue_sheet(
        db.session, current_user, registry, filters, now=now, calendar=get_calendar(),
        locale=locale)])


def _dossier_or_404(dossier_id: int) -> Dossier:
    return reviewable_dossier_or_404(db.session, current_user, dossier_id)


def _render_detail(dossier: Dossier, *, checklist=None, answer_forms=None, status: int = 200):
    now = utcnow()
    today = local_date(now)
    definition = definition_of(dossier)
    items = review_service.checklist_items(dossier, today)
    rows = review_service.checks_by_code(db.session, dossier)
    comments = disclosure_service.comments_of(db.session, dossier)
    forms = {c.id: AnswerForm(formdata=None, prefix=f"a{c.id}")
             for c in comments if c.is_objection and not c.is_answered}
    forms.update(answer_forms or {})
    calendar = get_calendar()
    window_days = None
    if dossier.disclosure_started_on and dossier.disclosure_ends_on:
        window_days = calendar.working_days_between(dossier.disclosure_started_on,
                                                    dossier.disclosure_ends_on)
    return render_template(
        "review/detail.html", dossier=dossier, definition=definition, today=today,
        clock=step_clock(dossier, definition, now=now, calendar=calendar),
        version=present.shown_version(dossier, today), present=present,
        checklist=checklist or checklist_form(items, rows), actions=action_views(
            dossier, current_user), comments=comments, answer_forms=forms,
        under_disclosure=disclosure_service.is_under_disclosure(dossier),
        window_open=disclosure_service.window_is_open(dossier, today), window_days=window_days,
        document_url=document_url, document_view_url=document_view_url,
        document_label=document_label,
        dossier_page=dossier_url(dossier),
    ), status


@bp.route("/dossiers/<int:dossier_id>")
def detail(dossier_id: int):
    return _render_detail(_dossier_or_404(dossier_id))


@bp.route("/dossiers/<int:dossier_id>/checklist", methods=["POST"])
def save_checklist(dossier_id: int):
    dossier = _dossier_or_404(dossier_id)
    items = review_service.checklist_items(dossier, local_date(utcnow()))
    rows = review_service.checks_by_code(db.session, dossier)
    form = checklist_form(items, rows, formdata=request.form)
    if not form.validate():
        return _render_detail(dossier, checklist=form, status=422)
    changes = review_service.save_checklist(db.session, dossier,
                                            current_user._get_current_object(),
                                            checklist_entries(form))
    db.session.commit()
    flash(_("Checklist saved.") if changes else _("Nothing changed in the checklist."),
          "success" if changes else "info")
    return redirect(url_for(".detail", dossier_id=dossier.id, _anchor="checklist"))


@bp.route("/dossiers/<int:dossier_id>/objections/<int:comment_id>/answer", methods=["POST"])
def answer_objection(dossier_id: int, comment_id: int):
    dossier = _dossier_or_404(dossier_id)
    form = AnswerForm(prefix=f"a{comment_id}")
    if not form.validate():
        return _render_detail(dossier, answer_forms={comment_id: form}, status=422)
    disclosure_service.answer_objection(db.session, dossier, comment_id,
                                        current_user._get_current_object(), form.answer.data)
    db.session.commit()
    flash(_("The answer to the objection was recorded."), "success")
    return redirect(url_for(".detail", dossier_id=dossier.id, _anchor="disclosure"))
