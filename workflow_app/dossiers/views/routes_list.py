"""The dossier list ("my dossiers"): filters, state badges, each step's clock, key paging."""

from __future__ import annotations

from flask import abort, render_template, request

from workflow_app.dossiers.service import offers
from workflow_app.dossiers.service.access import READ_EVERYTHING_ROLES, READER_ROLES
from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.exports import dossier_sheet
from workflow_app.dossiers.service.queries import ListFilters, list_dossiers
from workflow_app.dossiers.views import choices as offer
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.dossiers.views.forms import FilterForm
from workflow_app.dossiers.views.pages import user
from workflow_app.downloads import send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale

FILTER_KEYS = ("q", "status", "award", "year", "commendation_type", "batch")


def _filters(locale: str) -> tuple[FilterForm, bool, ListFilters]:
    form = FilterForm(request.args)
    form.status.choices = offer.filter_state_choices(locale)
    form.award.choices = offer.filter_award_choices(db.session, locale, today_vn())
    form.commendation_type.choices = offer.filter_commendation_choices()
    valid = form.validate()
    filters = ListFilters(
        q=form.q.data or "", state=form.status.data or "", award_id=form.award.data,
        year=form.year.data, commendation_type=form.commendation_type.data or "",
        batch_id=form.batch.data, before=form.before.data,
    ) if valid else ListFilters()
    return form, valid, filters


@bp.get("/export.xlsx")
def export():
    """Every dossier the list shows under its filters (all pages), as XLSX."""
    locale = current_locale()
    form, valid, filters = _filters(locale)
    if not valid:
        abort(400)
    return send_xlsx(f"ho-so-{today_vn():%Y%m%d}.xlsx",
                     [dossier_sheet(db.session, user(), filters, locale)])


@bp.get("/")
def index():
    viewer = user()
    locale = current_locale()
    form, valid, filters = _filters(locale)
    page = list_dossiers(db.session, viewer, filters)
    args = {key: request.args[key] for key in FILTER_KEYS if request.args.get(key)}
    return render_template(
        "dossiers/index.html", form=form, page=page, filter_args=args, locale=locale,
        clocks={d.id: clock_of(d) for d in page.dossiers},
        filtered=bool(args), paged=bool(filters.before),
        may_create=bool(offers.submitting_units(viewer)),
        is_reader=viewer.has_role(*READER_ROLES, *READ_EVERYTHING_ROLES),
    ), (200 if valid else 400)
