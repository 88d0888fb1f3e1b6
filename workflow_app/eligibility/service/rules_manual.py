"""Conditions the system holds no data for: a reviewer judges them. They are always
"unknown" with a sentence saying what to check; they never block submission on their own."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from workflow_app.eligibility.service.facts import Facts
from workflow_app.eligibility.service.results import UNKNOWN
from workflow_app.i18n import current_locale


def criterion(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """The catalogue's wording in the reader's language, else in the other one; a condition
    with no wording at all says so instead of ending on an empty colon."""
    first, second = ("text_en", "text_vi") if current_locale() == "en" else ("text_vi",
                                                                              "text_en")
    text = (p.get(first) or p.get(second) or "").strip()
    if not text:
        return UNKNOWN, _("To be checked by the reviewer: a condition the catalogue gives no "
                          "wording for.")
    return UNKNOWN, _("To be checked by the reviewer: %(text)s", text=text)


def no_pending_proceedings(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    return UNKNOWN, _("To be checked by the reviewer: no pending discipline, investigation, "
                      "inspection, complaint or denunciation.")


def no_disciplined_member(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    level = _("a warning") if p.get("min_level") == "warning" else _("a reprimand")
    return UNKNOWN, _("To be checked by the reviewer: no member disciplined with %(level)s or "
                      "more in %(year)d (discipline is not recorded here).",
                      level=level, year=f.year)
