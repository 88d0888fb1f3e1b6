"""Safe display names for uploaded files (the stored name is always the hash)."""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 120


def clean_filename(name: str, extension: str) -> str:
    """Keep a readable name (Vietnamese letters too) without paths or control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", name).strip().strip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[: MAX_NAME - len(extension)] or "tep-dinh-kem"
    return stem + extension
