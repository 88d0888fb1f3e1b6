"""Labels of revocation grounds (Law 2022 Art. 93 k2) and statuses, for pages and the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GROUND_LABELS = {
    "fraudulent_declaration": _l("Achievements fraudulently declared (Art. 93 k2 a)"),
    "false_papers": _l("False information or forged papers supplied (Art. 93 k2 b)"),
    "unlawful_procedure": _l("Appraisal, review or proposal not done lawfully (Art. 93 k2 c)"),
    "later_violation": _l("A later conclusion, decision or judgment shows violations that "
                          "break the criteria in the counted period (Art. 93 k2 d)"),
}
STATUS_LABELS = {"proposed": _l("Proposed, awaiting the decision"), "revoked": _l("Revoked"),
                 "dismissed": _l("Dismissed: the award is kept")}
STATUS_BADGES = {"proposed": "text-bg-warning", "revoked": "text-bg-danger",
                 "dismissed": "text-bg-secondary"}


def revocation_labels() -> dict:
    return {"revocation_ground_label": lambda c: GROUND_LABELS.get(c, c),
            "revocation_status_label": lambda c: STATUS_LABELS.get(c, c),
            "revocation_status_badge": lambda c: STATUS_BADGES.get(c, "text-bg-light")}
