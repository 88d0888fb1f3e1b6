"""Safe display names for uploaded files (the stored name is always the hash)."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 120
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIMETYPE = "application/pdf"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ascii_name(text: str) -> str:
    """"Quyết định 01/QĐ" → "Quyet-dinh-01-QD": letters, digits, "-" and "_" only."""
    text = text.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in folded)


def clean_filename(name: str, extension: str) -> str:
    """Keep a readable name (Vietnamese letters too) without paths or control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip().strip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[: MAX_NAME - len(extension)] or "tep-dinh-kem"
    return stem + extension
