"""Names and filters the dossier templates use (available to every template, so that other
pages showing dossiers — the reviewer queue, the council — can reuse the partials)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app

from workflow_app.dossiers.service import labels
from workflow_app.dossiers.service.access import can_see_dossier
from workflow_app.dossiers.views.blueprint import bp
from workflow_app.i18n import current_locale

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@bp.app_context_processor
def _dossier_helpers():
    max_bytes = current_app.extensions["workflow_config"].max_content_length
    return {
        "commendation_type_label": labels.commendation_type_label,
        "doc_type_label": labels.doc_type_label,
        "state_badge_class": labels.state_badge,
        "dossier_state_label": lambda d: labels.state_label(d.workflow, d.state,
                                                            current_locale()),
        "procedure_label": labels.procedure_label,
        "can_see_dossier": can_see_dossier,
        "max_upload_mb": f"{max_bytes / (1024 * 1024):g}",
    }


@bp.app_template_filter("vn_datetime")
def vn_datetime(moment: datetime | None) -> str:
    """A UTC moment as Vietnam local time, dd/mm/yyyy hh:mm."""
    if moment is None:
        return ""
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")

