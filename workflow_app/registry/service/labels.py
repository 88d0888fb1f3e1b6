"""Translated labels for registry and eligibility codes (templates get them app-wide)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {"met": _l("met"), "not_met": _l("not met"), "unknown": _l("unknown")}
STATUS_BADGE = {"met": "text-bg-success", "not_met": "text-bg-danger",
                "unknown": "text-bg-secondary"}
RATING = {"excellent": _l("Excellent (HTXSNV)"), "good": _l("Good (HTTNV)"),
          "completed": _l("Completed (HTNV)"), "not_completed": _l("Not completed (KHTNV)")}
SCOPE = {"unit": _l("Unit"), "ministry": _l("Ministry"), "national": _l("National")}
SOURCE = {"decision": _l("Decision"), "higher_decision": _l("Higher decision"),
          "import": _l("Import"), "manual": _l("Entered by hand")}
DUPLICATE = {"same_nomination": _l("Same nomination"),
             "same_attachment": _l("Same attachment"), "same_report": _l("Same report text")}


def registry_labels() -> dict:
    return {"eligibility_status_label": lambda c: STATUS.get(c, c),
            "eligibility_status_badge": lambda c: STATUS_BADGE.get(c, "text-bg-light"),
            "rating_label": lambda c: RATING.get(c, c),
            "scope_label": lambda c: SCOPE.get(c, c),
            "record_source_label": lambda c: SOURCE.get(c, c),
            "duplicate_label": lambda c: DUPLICATE.get(c, c)}
