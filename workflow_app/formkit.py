"""Small helpers shared by forms."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices. A select field rejects any other value, so a
    forged id or code gets a form error instead of reaching a service."""
    return [SelectChoice(value, label) for value, label in pairs]
