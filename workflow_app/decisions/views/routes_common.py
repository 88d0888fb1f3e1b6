"""What the decision pages share: the blueprint, who may read an issued document, the
dossier pickers, and serving stored files as downloads.

Reading rule (decisions and tờ trình alike): signers, reviewers and auditors whose grant
covers the issuing unit, and submitters whose grant covers the unit of one of the document's
dossiers. Anyone else gets 404, as if the document did not exist.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user

from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import numbering, selection
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User

bp = Blueprint("decisions", __name__, url_prefix="/decisions")

ISSUER_READERS = ("signer", "reviewer", "auditor")
DOSSIER_READERS = ("submitter",)
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIMETYPE = "application/pdf"


def user() -> User:
    return current_user._get_current_object()


def storage() -> Storage:
    """Where issued documents are stored by SHA-256 (the services write there too)."""
    return Storage(current_app.extensions["workflow_config"].instance_dir / "documents")


def may_read(viewer: User, document: Decision | SubmissionLetter) -> bool:
    if not getattr(viewer, "is_active", False):
        return False
    if viewer.can_see_unit(document.issuer, *ISSUER_READERS):
        return True
    return any(viewer.can_see_unit(item.dossier.unit, *DOSSIER_READERS)
               for item in document.items)


def readable_or_404(session, model, document_id: int):
    document = session.get(model, document_id)
    if document is None or not may_read(user(), document):
        abort(404)
    return document


def group_by_award(dossiers: list[Dossier]) -> list[tuple[int, str, list[Dossier]]]:
    """[(award id, award name, dossiers)] in the order the dossiers come."""
    groups: dict[int, tuple[int, str, list[Dossier]]] = {}
    for dossier in dossiers:
        group = groups.setdefault(dossier.award_id,
                                  (dossier.award_id, selection.award_name(dossier), []))
        group[2].append(dossier)
    return list(groups.values())


def preselected(dossiers: list[Dossier], award: str | None) -> list[Dossier]:
    """The dossiers ticked when a picker opens: `?award=<id>` ticks one award, `all` all."""
    if award == "all":
        return list(dossiers)
    if award and award.isdigit():
        return [d for d in dossiers if d.award_id == int(award)]
    return []


def prefilled(form, ready: list[Dossier], default_input, award: str | None) -> str | None:
    """Tick the dossiers `?award=` asks for and prefill the wording from `default_input`
    (for the ticked ones, or all when none is ticked); return a notice when that fails."""
    from workflow_app.decisions.service.selection import SelectionError
    from workflow_app.dossiers.service.dossiers import today_vn

    ticked = preselected(ready, award)
    form.dossier_ids.data = [str(d.id) for d in ticked]
    form.issued_on.data = today_vn()
    if not ready:
        return None
    try:
        form.fill(default_input(current_user._get_current_object(), ticked or ready,
                                today_vn()))
    except SelectionError as error:
        return str(error.message)
    return None


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in folded)


def file_stem(document: Decision | SubmissionLetter) -> str:
    """"2307/QĐ-BTP" issued in 2017 → "QD-2307-BTP-2017"."""
    symbol = document.reference.split("/", 1)[-1]
    issuer_part = symbol.removeprefix(f"{document.doc_type}-")
    return (f"{_ascii(document.doc_type)}-{numbering.format_number(document.number)}-"
            f"{_ascii(issuer_part)}-{document.year}")


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the RFC 5987 UTF-8 name."""
    fallback = _ascii(filename.rsplit(".", 1)[0]) + (
        "." + _ascii(filename.rsplit(".", 1)[1]) if "." in filename else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored(sha256: str, filename: str, mimetype: str):
    """Serve an issued file; 404 when it is missing or no longer matches its hash."""
    try:
        data = storage().get(sha256)
    except (OSError, ValueError):
        current_app.logger.error("issued document %s is missing from storage", sha256)
        abort(404)
    if hashlib.sha256(data).hexdigest() != sha256:
        current_app.logger.error("issued document %s does not match its hash", sha256)
        abort(404)
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
