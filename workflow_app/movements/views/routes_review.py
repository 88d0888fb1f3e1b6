"""A movement's half-year and year-end reviews (sơ kết, tổng kết): page, DOCX, PDF, generated
from what was recorded. Read by the organiser and auditors (404 for anyone else). And its
registrations as XLSX (every unit's for them, an officer's own units' otherwise)."""

from __future__ import annotations

from flask import abort, render_template

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_bytes, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.movements.service import exports, queries, review_report
from workflow_app.movements.service.movements import is_organiser
from workflow_app.movements.views.pages import bp, viewer


def _review(movement_id: int, kind: str):
    if kind not in review_report.KINDS:
        abort(404)
    movement = queries.movement_or_404(db.session, movement_id)
    user = viewer()
    if not (is_organiser(user, movement) or user.has_role("auditor")):
        abort(404)
    return review_report.build(db.session, movement, kind)


@bp.route("/<int:movement_id>/review/<kind>")
def review(movement_id: int, kind: str):
    data = _review(movement_id, kind)
    return render_template("movements/review.html", review=data, locale=current_locale(),
                           names=award_names(db.session, current_locale(), today_local()))


@bp.route("/<int:movement_id>/review/<kind>.docx", defaults={"fmt": "docx"})
@bp.route("/<int:movement_id>/review/<kind>.pdf", defaults={"fmt": "pdf"})
def review_file(movement_id: int, kind: str, fmt: str, inline: bool = False):
    data = _review(movement_id, kind)
    document = review_report.document_of(db.session, data, today_local())
    name = f"bao-cao-{kind.replace('_', '-')}-{movement_id}.{fmt}"
    if fmt == "docx":
        return send_bytes(render_docx(document), name, DOCX_MIMETYPE)
    return send_bytes(render_pdf(document), name, PDF_MIMETYPE, inline=inline)


@bp.route("/<int:movement_id>/review/<kind>/view")
def review_view(movement_id: int, kind: str):
    """The review report's PDF shown in the page ("Xem"), to the same readers."""
    return review_file(movement_id, kind, "pdf", inline=True)


@bp.route("/<int:movement_id>/registrations.xlsx")
def registrations_export(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    return send_xlsx(f"dang-ky-thi-dua-{movement.id}.xlsx", exports.registration_sheets(
        db.session, movement, viewer(), current_locale()))
