"""Sorting names in Vietnamese alphabetical order, the same on SQLite and PostgreSQL.

Code-point order puts "Đ" after "Z" and "Ă", "Â", "Ê", "Ô", "Ơ", "Ư" after every plain
letter; a reader expects a ă â b c d đ e ê … o ô ơ … u ư. Letters compare first; tone
marks only break ties (ngang, huyền, hỏi, ngã, sắc, nặng). Sorting happens in Python
because database collations differ between engines and installations.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Combining tone marks in the conventional order: huyền, hỏi, ngã, sắc, nặng.
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@lru_cache(maxsize=512)
def _char_key(ch: str) -> tuple[tuple[int, int], int]:
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((TONES[c] for c in decomposed if c in TONES), 0)
    letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
    if letter in ALPHABET:
        return (2, ALPHABET.index(letter)), tone
    if letter.isdigit():
        return (1, ord(letter)), tone
    if letter.isalpha():
        return (3, ord(letter)), tone
    return (0, ord(letter)), tone  # spaces and punctuation sort first


def vi_sort_key(text: str) -> tuple[tuple, tuple]:
    """A key for `sorted` giving Vietnamese alphabetical order (case-insensitive)."""
    keys = [_char_key(ch) for ch in text.casefold()]
    return tuple(k for k, _tone in keys), tuple(tone for _k, tone in keys)
