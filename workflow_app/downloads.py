"""Serving files as downloads, the same way for every page and API operation: stored files
by SHA-256 (404 when missing or altered, logged), names in UTF-8 with an ASCII fallback,
`attachment` and `nosniff` always.

A page may also show a PDF or an image in the browser ("Xem"): `inline=True` on the same
view, so that who may see it is decided by exactly the same checks as the download. Only
the types in `VIEWABLE` are ever sent `inline`; anything else stays a download. An inline
file is sandboxed (`sandbox_policy`) and may be framed by our own pages only."""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

from flask import abort, current_app, send_file

from workflow_app.attachments.names import (  # noqa: F401 - the types pages send
    DOCX_MIMETYPE,
    PDF_MIMETYPE,
    XLSX_MIMETYPE,
    ascii_name,
)
from workflow_app.attachments.storage import app_storage
from workflow_app.workdays import VIETNAM_TZ

SPOOL_IN_MEMORY = 8 * 1024 * 1024  # an XLSX up to this size is built and sent from memory


def local_stamp(*, with_time: bool = False, now: datetime | None = None) -> str:
    """Now in Vietnam time for a download's name: "20251231", or "20251231-0830"."""
    moment = (now or datetime.now(UTC)).astimezone(VIETNAM_TZ)
    return moment.strftime("%Y%m%d-%H%M" if with_time else "%Y%m%d")


# What a browser shows by itself, safely, once the type is fixed by `nosniff`: the types
# the upload check recognises by their content (attachments/sniff.py) and documents we draw.
VIEWABLE = frozenset({PDF_MIMETYPE, "image/png", "image/jpeg"})


def viewable(mimetype: str | None) -> bool:
    """True when a file of this type gets a "view" link (shown in the page)."""
    return (mimetype or "").split(";")[0].strip().lower() in VIEWABLE


def sandbox_policy(mimetype: str) -> str:
    """The Content-Security-Policy of a file shown inline: nothing it holds may run with
    our origin (`sandbox`: a unique origin, no forms, no top navigation), fetch anything or
    be framed by another site. An image needs nothing more. A PDF keeps `allow-scripts`
    inside its opaque-origin sandbox because browsers draw PDFs with their own script
    (Safari and Firefox show a blank page without it); Chrome's viewer does not run in a
    sandboxed frame at all, so the page's frame itself carries no `sandbox` attribute and
    the policy here is what confines the file."""
    if mimetype == PDF_MIMETYPE:
        return ("sandbox allow-scripts allow-downloads; default-src 'none'; "
                "style-src 'unsafe-inline'; img-src 'self' data: blob:; "
                "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
    return ("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """`attachment` (or `inline`) with an ASCII fallback and the RFC 5987 UTF-8 name."""
    stem, dot, extension = filename.rpartition(".")
    fallback = ascii_name(stem) + "." + ascii_name(extension) if dot else ascii_name(filename)
    return (f"{disposition}; filename=\"{fallback}\"; "
            f"filename*=UTF-8''{quote(filename, safe='')}")


def send_bytes(data: bytes, filename: str, mimetype: str, *, inline: bool = False):
    """`data` as a download named `filename`; shown in the browser instead when `inline`
    is asked for and the type is one it shows safely (`VIEWABLE`)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if inline and viewable(mimetype):
        response.headers["Content-Disposition"] = content_disposition(filename, "inline")
        response.headers["Content-Security-Policy"] = sandbox_policy(mimetype)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def send_stored(kind: str, sha256: str, filename: str, mimetype: str, *,
                inline: bool = False):
    """A stored file (`kind`: attachments or documents) as a download (or shown, see
    `send_bytes`); 404 when it is missing or no longer matches its hash."""
    try:
        data = app_storage(kind).get(sha256)
    except (OSError, ValueError):
        current_app.logger.error("stored %s file %s is missing", kind, sha256)
        abort(404)
    if hashlib.sha256(data).hexdigest() != sha256:
        current_app.logger.error("stored %s file %s does not match its hash", kind, sha256)
        abort(404)
    return send_bytes(data, filename, mimetype, inline=inline)


def send_document(filename: str, mimetype: str, *, kind: str | None = None,
                  sha256: str | None = None, data: bytes | None = None,
                  inline: bool = False):
    """A document a service describes: stored (`kind`, `sha256`) or drawn now (`data`)."""
    if sha256 is not None:
        return send_stored(kind, sha256, filename, mimetype, inline=inline)
    return send_bytes(data, filename, mimetype, inline=inline)


def send_xlsx(filename: str, sheets: Iterable) -> object:
    """`sheets` (`xlsx.Sheet`) as an XLSX download, written as the rows come (bounded
    memory): a file up to SPOOL_IN_MEMORY is sent from memory, a larger one from the
    temporary file it spilled to (closed by Flask once sent)."""
    from workflow_app.xlsx import write

    return send_written(filename, XLSX_MIMETYPE, lambda spool: write(spool, sheets))


def send_written(filename: str, mimetype: str, write) -> object:
    """What `write(binary_file)` writes, as a download, in bounded memory: written to a
    spooled temporary file; a file up to SPOOL_IN_MEMORY is sent from memory, a larger one
    streamed from the temporary file it spilled to (closed by Flask once sent). The XLSX
    lists, the auditor's evidence packs and the audit trail's export go this way."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - closed below or by Flask
    write(spool)
    if spool.tell() <= SPOOL_IN_MEMORY:
        spool.seek(0)
        data = spool.read()
        spool.close()
        return send_bytes(data, filename, mimetype)
    spool.seek(0)
    response = send_file(spool, mimetype=mimetype, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
