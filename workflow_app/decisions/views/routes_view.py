"""Reading issued documents: the list, a decision's or tờ trình's page, and the downloads
(DOCX, PDF, certificates) — the stored bytes exactly as issued, to readers only (404 else)."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.attachments.storage import DOCUMENTS
from workflow_app.decisions.service import signed_pdf
from workflow_app.decisions.service.access import may_read
from workflow_app.decisions.service.exports import annex_sheet
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.decisions.service.revoked_items import readable_revoking_decisions
from workflow_app.decisions.views.routes_common import bp, readable_or_404, user
from workflow_app.decisions.views.routes_signed import document_page
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_stored, send_xlsx
from workflow_app.extensions import db
from workflow_app.models.decision import Decision, DecisionItem, SubmissionItem, SubmissionLetter
from workflow_app.models.dossier import Dossier

LIST_LIMIT = 500


def _readable(model, item_model):
    rows = db.session.scalars(
        select(model).options(selectinload(model.issuer),
                              selectinload(model.items).selectinload(item_model.dossier)
                              .selectinload(Dossier.unit))
        .order_by(model.issued_on.desc(), model.id.desc()).limit(LIST_LIMIT)).all()
    viewer = user()
    return [row for row in rows if may_read(viewer, row)]


def _sort_key(row) -> tuple:
    return (row.issued_on, row.year, row.number)


@bp.get("/")
def index():
    """Award decisions and revoking decisions in one list (they share the QĐ series), newest
    first; revoking ones are marked and link to their revocation."""
    decisions = _readable(Decision, DecisionItem)
    revoking = readable_revoking_decisions(db.session, user())
    rows = sorted([("award", d) for d in decisions] + [("revoking", r) for r in revoking],
                  key=lambda pair: _sort_key(pair[1]), reverse=True)
    return render_template("decisions/index.html", decision_rows=rows,
                           letters=_readable(SubmissionLetter, SubmissionItem))


@bp.get("/<int:decision_id>")
def detail(decision_id: int):
    return document_page(readable_or_404(db.session, Decision, decision_id))


@bp.get("/<int:decision_id>/annex.xlsx")
def annex(decision_id: int):
    """The decision's annex (its awardees as issued) as XLSX, to its readers only."""
    decision = readable_or_404(db.session, Decision, decision_id)
    return send_xlsx(f"{file_stem(decision)}-phu-luc.xlsx",
                     [annex_sheet(db.session, decision)])


@bp.get("/<int:decision_id>/docx", defaults={"fmt": "docx"})
@bp.get("/<int:decision_id>/pdf", defaults={"fmt": "pdf"})
def download(decision_id: int, fmt: str):
    decision = readable_or_404(db.session, Decision, decision_id)
    return _send(decision, fmt)


@bp.get("/<int:decision_id>/view")
def view(decision_id: int):
    """The decision's PDF shown in the browser, to its readers only (the download's check)."""
    return _send(readable_or_404(db.session, Decision, decision_id), "pdf", inline=True)


@bp.get("/<int:decision_id>/certificates/<int:item_id>.pdf")
def certificate(decision_id: int, item_id: int, inline: bool = False):
    decision = readable_or_404(db.session, Decision, decision_id)
    item = next((i for i in decision.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return send_stored(DOCUMENTS, item.certificate_sha256,
                       f"{file_stem(decision)}-{item.position:02d}.pdf", PDF_MIMETYPE,
                       inline=inline)


@bp.get("/<int:decision_id>/certificates/<int:item_id>/view")
def certificate_view(decision_id: int, item_id: int):
    """The certificate shown in the page ("Xem"), to the same readers as its download."""
    return certificate(decision_id, item_id, inline=True)


@bp.get("/submissions/<int:letter_id>")
def letter(letter_id: int):
    return document_page(readable_or_404(db.session, SubmissionLetter, letter_id))


@bp.get("/submissions/<int:letter_id>/docx", defaults={"fmt": "docx"})
@bp.get("/submissions/<int:letter_id>/pdf", defaults={"fmt": "pdf"})
def letter_download(letter_id: int, fmt: str):
    return _send(readable_or_404(db.session, SubmissionLetter, letter_id), fmt)


@bp.get("/submissions/<int:letter_id>/view")
def letter_view(letter_id: int):
    return _send(readable_or_404(db.session, SubmissionLetter, letter_id), "pdf", inline=True)


def _send(document: Decision | SubmissionLetter, fmt: str, inline: bool = False):
    """The DOCX, or the PDF of record: the signed PDF once one is recorded, else the PDF as
    issued."""
    if fmt == "docx":
        return send_stored(DOCUMENTS,
                           document.docx_sha256, f"{file_stem(document)}.docx", DOCX_MIMETYPE)
    return send_stored(DOCUMENTS, signed_pdf.pdf_of_record(db.session, document),
                       f"{file_stem(document)}.pdf", PDF_MIMETYPE, inline=inline)
