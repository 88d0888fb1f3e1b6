"""Vietnamese-insensitive text matching: "nguyen van a" finds "Nguyễn Văn A"."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ → d), single spaces."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("đ", "d").split())


def same_name(a: str | None, b: str | None) -> bool:
    """Names equal up to case, Unicode form and spacing (diacritics still count)."""
    def norm(s):
        return " ".join(unicodedata.normalize("NFC", (s or "").casefold()).split())
    return norm(a) == norm(b)
