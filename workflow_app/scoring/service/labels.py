"""Words for the scoring codes in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.scoring.service.points import show_points

STATUS = {"open": _l("Open for scoring"), "locked": _l("Results approved and locked"),
          "published": _l("Results published")}
KIND = {"standard": _l("Standard"), "bonus": _l("Bonus"), "penalty": _l("Penalty")}


def band_label(band: dict | None, locale: str) -> str:
    if not band:
        return "—"
    return band.get("label_en") if locale == "en" and band.get("label_en") else band["label_vi"]


def scoring_labels() -> dict:
    return {"score_status": lambda code: STATUS.get(code, code),
            "criterion_kind": lambda code: KIND.get(code, code),
            "points": show_points, "band_label": band_label}
