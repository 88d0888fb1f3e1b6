"""Files of the emulation year (a launching document, a unit's evidence), judged by content
and stored by their SHA-256 like dossier documents (`dossiers.service.documents`)."""

from __future__ import annotations

import mimetypes

from workflow_app.attachments.storage import ATTACHMENTS, app_storage
from workflow_app.config import current_config
from workflow_app.dossiers.service.documents import check_upload


def store(data: bytes, filename: str) -> tuple[str, str]:
    """Check and store an upload; returns (sha256, clean file name). Raises the dossier
    upload refusals (FileRejected, FileTooLarge: 422 with the reason)."""
    checked = check_upload(data, filename, current_config().max_content_length)
    return app_storage(ATTACHMENTS).put(checked.data), checked.filename


def mimetype_of(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
