"""Recognise an upload's type from its bytes, never from its name.

Accepted: PDF, DOCX, XLSX, JPEG, PNG. Office files are ZIP containers: they are accepted
only when the archive's directory lists the part that makes them a Word document or an
Excel workbook (nothing is extracted, so a ZIP bomb is never inflated).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    code: str
    mimetype: str
    extension: str


PDF = FileType("pdf", "application/pdf", ".pdf")
PNG = FileType("png", "image/png", ".png")
JPEG = FileType("jpeg", "image/jpeg", ".jpg")
DOCX = FileType("docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ".docx")
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".xlsx")
ACCEPTED = (PDF, DOCX, XLSX, JPEG, PNG)


def _office_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect(data: bytes) -> FileType | None:
    """The accepted type of `data`, or None when it is none of them."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None
