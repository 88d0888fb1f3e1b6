"""How dossier facts read on the reviewer's and the public pages (translated labels)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.workflow import get_registry

# Loại hình khen thưởng (Law 2022 Art. 8; LEGAL_FACTS §2.1).
COMMENDATION_TYPE_LABELS = {
    "CONG_TRANG": _l("Merit (công trạng)"),
    "DOT_XUAT": _l("Ad hoc achievement (đột xuất)"),
    "PHONG_TRAO": _l("Emulation movement (phong trào, chuyên đề)"),
    "CONG_HIEN": _l("Service period (cống hiến)"),
    "NIEN_HAN": _l("Seniority (niên hạn)"),
    "DOI_NGOAI": _l("External affairs (đối ngoại)"),
}


def commendation_type_label(code: str) -> str:
    label = COMMENDATION_TYPE_LABELS.get(code)
    return str(label) if label is not None else code


def shown_version(dossier: Dossier, today: date) -> AwardVersion | None:
    """The rule version fixed at receipt, else the one in force today, else the newest."""
    version = dossier.rule_version(today)
    if version is None and dossier.award is not None and dossier.award.versions:
        version = dossier.award.versions[0]
    return version


def award_name(dossier: Dossier, today: date, locale: str) -> str:
    version = shown_version(dossier, today)
    return version.name(locale) if version is not None else dossier.award.code


def state_label(workflow: str, state: str, locale: str) -> str:
    return get_registry().get(workflow).state(state).label(locale)


def unit_name(unit, locale: str) -> str:
    return unit.display_name(locale) if unit is not None else ""
