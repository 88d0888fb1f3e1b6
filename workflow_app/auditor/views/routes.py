"""Auditor pages: the readable log with filters, one event, a subject's history, "verify
now", the chain export, and each page's XLSX.

Everything here reads; nothing writes. Only the auditor role may enter.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import NotFound

from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit.cli import outside_copy_path
from workflow_app.audit.export import write_zip
from workflow_app.audit.report import build_report, record_run
from workflow_app.auditor.service import (
    crosschecks,
    evidence,
    evidence_pdf,
    exceptions,
    exports,
    labels,
    present,
    queries,
    sampling,
)
from workflow_app.auditor.service.verification import summarise
from workflow_app.auditor.views.forms import (
    EvidenceForm,
    ExceptionFilterForm,
    LogFilterForm,
    SampleForm,
)
from workflow_app.downloads import local_stamp, send_written, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.audit import AuditEvent

bp = Blueprint("audit_ui", __name__, url_prefix="/audit")


@bp.context_processor
def _pages():
    return {"url_endpoints": current_app.view_functions, "late_max": exceptions.LATE_MAX}


@bp.before_request
def _auditors_only():
    if not current_user.is_authenticated or not current_user.has_role("auditor"):
        abort(403)


def _log_filters(form: LogFilterForm) -> dict:
    filters = {k: v for k, v in form.data.items() if v not in (None, "")}
    filters["local_days"] = True
    return filters


@bp.route("/")
def log():
    form = LogFilterForm(request.args).offer_choices()
    status = 200
    if request.args and not form.validate():
        events, next_before, status = [], None, 400
    else:
        events, next_before = queries.page(db.session, _log_filters(form))
    next_args = {k: v for k, v in request.args.items() if k != "before"}
    rows = present.present(db.session, events, current_locale())
    return render_template("auditor/log.html", form=form, rows=rows,
                           next_before=next_before, next_args=next_args), status


@bp.route("/log.xlsx")
def log_xlsx():
    form = LogFilterForm(request.args).offer_choices()
    if not form.validate():
        abort(400)
    filters = _log_filters(form)
    filters.pop("before", None)
    return send_xlsx(f"nhat-ky-kiem-toan-{local_stamp()}.xlsx",
                     [exports.log_sheet(db.session, filters, current_locale())])


@bp.route("/events/<int:seq>")
def event(seq: int):
    item = db.get_or_404(AuditEvent, seq)
    row = present.present(db.session, [item], current_locale())[0]
    raw = json.dumps(item.data, indent=2, ensure_ascii=False, sort_keys=True)
    return render_template("auditor/event.html", row=row, event=item, raw=raw)


@bp.route("/subjects/<subject_type>/<subject_id>")
def history(subject_type: str, subject_id: str):
    """Every event about one subject (a dossier, an account, a unit …), oldest first, with
    the field-level changes each one recorded."""
    if len(subject_type) > 30 or len(subject_id) > 64:
        abort(404)
    events = queries.history(db.session, subject_type, subject_id)
    if not events:
        abort(404)
    locale = current_locale()
    return render_template(
        "auditor/history.html", rows=present.present(db.session, events, locale),
        subject_type=subject_type, subject_id=subject_id,
        kind=labels.subject_type_label(subject_type),
        name=present.subject_name(db.session, subject_type, subject_id, locale))


@bp.route("/subjects/<subject_type>/<subject_id>.xlsx")
def history_xlsx(subject_type: str, subject_id: str):
    if len(subject_type) > 30 or len(subject_id) > 64:
        abort(404)
    events = queries.history(db.session, subject_type, subject_id)
    if not events:
        abort(404)
    return send_xlsx(f"lich-su-{subject_type}-{subject_id}.xlsx",
                     [exports.events_sheet(db.session, events, current_locale())])


def _exceptions(form: ExceptionFilterForm, before: int | None = None, size: int | None = None):
    """(items, next_before, counts by month) for the filters of `form`."""
    locale = current_locale()
    filters = {k: v for k, v in form.data.items() if v not in (None, "")}
    items, next_before, limited = [], None, False
    if filters.get("kind") != exceptions.LATE:
        items, next_before = exceptions.page(db.session, {**filters, "before": before}, locale,
                                             page_size=size or exceptions.PAGE_SIZE)
    if before is None and filters.get("kind") in (None, exceptions.LATE):
        late, limited = exceptions.late_steps(db.session, filters, locale)
        items = late + items
    months = exceptions.counts(db.session, filters) if filters.get("kind") != exceptions.LATE \
        else []
    return items, next_before, months, limited


@bp.route("/exceptions")
def exceptions_page():
    form = ExceptionFilterForm(request.args).offer_choices(exceptions.kind_choices())
    if request.args and not form.validate():
        return render_template("auditor/exceptions.html", form=form, items=[], months=[],
                               kinds=exceptions.kind_choices(), next_before=None,
                               next_args={}, limited=False), 400
    before = request.args.get("before", type=int)
    items, next_before, months, limited = _exceptions(form, before)
    next_args = {k: v for k, v in request.args.items() if k != "before"}
    return render_template("auditor/exceptions.html", form=form, items=items, months=months,
                           kinds=_count_kinds(form.kind.data), next_before=next_before,
                           next_args=next_args, limited=limited)


def _count_kinds(kind: str | None) -> list[tuple[str, str]]:
    """The columns of the counts by month: the chosen kind, or every kind that is an event
    (steps past their limit are found by replay, not counted by month)."""
    return [(k, label) for k, label in exceptions.kind_choices()
            if (k == kind if kind else k != exceptions.LATE)]


@bp.route("/exceptions.xlsx")
def exceptions_xlsx():
    form = ExceptionFilterForm(request.args).offer_choices(exceptions.kind_choices())
    if not form.validate():
        abort(400)
    items, _next, months, _limited = _exceptions(form, size=exports.EXPORT_MAX)
    return send_xlsx(f"ngoai-le-{local_stamp()}.xlsx",
                     exports.exceptions_sheets(items, months, exceptions.kind_choices()))


@bp.route("/evidence", endpoint="evidence")
def evidence_choose():
    """Choose the dossier, decision (by its number) or council session of a pack."""
    form = EvidenceForm(request.args).offer_choices()
    if request.args and form.validate():
        try:
            ident = evidence.find(db.session, form.kind.data, form.ident.data.strip())
        except NotFound:
            form.ident.errors.append(labels.not_found_message())
        else:
            return redirect(url_for(".evidence_pack", kind=form.kind.data, ident=ident))
    status = 400 if request.args and (form.errors or form.ident.errors) else 200
    return render_template("auditor/evidence_choose.html", form=form), status


def _pack(kind: str, ident: str) -> evidence.Pack:
    if kind not in evidence.KINDS or len(ident) > 64:
        abort(404)
    return evidence.build(db.session, kind, ident, current_locale(),
                          app_storage(ATTACHMENTS), app_storage(DOCUMENTS))


@bp.route("/evidence/<kind>/<ident>")
def evidence_pack(kind: str, ident: str):
    return render_template("auditor/evidence.html", pack=_pack(kind, ident))


@bp.route("/evidence/<kind>/<ident>.pdf")
def evidence_pdf_download(kind: str, ident: str):
    pack = _pack(kind, ident)
    return Response(evidence_pdf.render(pack), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="chung-cu-{kind}-{pack.ident}.pdf"'})


@bp.route("/evidence/<kind>/<ident>.zip")
def evidence_zip(kind: str, ident: str):
    pack = _pack(kind, ident)
    pdf = evidence_pdf.render(pack)
    return send_written(f"chung-cu-{kind}-{pack.ident}.zip", "application/zip",
                        lambda target: evidence.pack_zip(db.session, pack, pdf, target,
                                                         outside_copy_path()))


def _sample(form: SampleForm) -> sampling.Sample:
    filters = {k: v for k, v in form.data.items() if v not in (None, "")}
    return sampling.draw(db.session, filters, form.size.data or 10, form.seed.data)


@bp.route("/sample")
def sample():
    """A reproducible sample of decided dossiers; without a seed, one is drawn and put in the
    address, so that the page, its export and anyone given the link see the same sample."""
    form = SampleForm(request.args).offer_choices()
    if not request.args:
        return render_template("auditor/sample.html", form=form, sample=None)
    if not form.validate():
        return render_template("auditor/sample.html", form=form, sample=None), 400
    if form.seed.data is None:
        args = {k: v for k, v in request.args.items() if k != "seed"}
        return redirect(url_for(".sample", seed=sampling.new_seed(), **args))
    args = dict(request.args.items())
    return render_template("auditor/sample.html", form=form, sample=_sample(form), args=args)


@bp.route("/sample.xlsx")
def sample_xlsx():
    form = SampleForm(request.args).offer_choices()
    if not form.validate() or form.seed.data is None:
        abort(400)
    drawn = _sample(form)
    return send_xlsx(f"mau-kiem-tra-{drawn.seed}.xlsx", exports.sample_sheets(
        drawn, dict(request.args.items()), current_locale()))


@bp.route("/crosschecks", methods=["GET", "POST"])
def crosschecks_page():
    results = None
    if request.method == "POST":
        results = crosschecks.run(db.session, app_storage(DOCUMENTS), current_locale())
    return render_template("auditor/crosschecks.html", results=results)


@bp.route("/crosschecks.xlsx")
def crosschecks_xlsx():
    results = crosschecks.run(db.session, app_storage(DOCUMENTS), current_locale())
    return send_xlsx(f"doi-chieu-{local_stamp()}.xlsx", [exports.crosschecks_sheet(results)])


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    summary = None
    if request.method == "POST":
        report = build_report(db.session, outside_copy_path())
        summary = summarise(report, current_locale())
        record_run(db.session, report, actor=current_user._get_current_object())
        db.session.commit()
    return render_template("auditor/verify.html", summary=summary)


@bp.route("/export.zip")
def export():
    return send_written(f"audit-export-{local_stamp(with_time=True)}.zip", "application/zip",
                        lambda out: write_zip(db.session, out))
