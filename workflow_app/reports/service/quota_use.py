"""Quota use per unit for the process report (issue 14, item 2): only the rows that say
something — a quota used, a cap above zero, or a recorded exception — each with the level
it is counted at and the authority that confers the award, in words.

A quota on a group (Cờ thi đua của Chính phủ: a share of the cluster or block leaders) is
counted over the whole body the unit belongs to (the ministry or the province,
`eligibility.service.quotas.quota_unit`), not over the submitting unit: the row says so, so
that a ministry's row under a provincial unit's dossiers is not read as a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.eligibility.service.quotas import QuotaStatus, unit_quotas
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.reports.service.filters import LEVEL_LABELS
from workflow_app.reports.service.statistics import award_levels


@dataclass
class QuotaRow:
    status: QuotaStatus
    level: str  # the conferring authority, in words
    counted_over: str  # the unit (and its sub-units) or the whole body, in words

    unit = property(lambda self: self.status.unit)
    award_code = property(lambda self: self.status.award_code)
    award_name = property(lambda self: self.status.award_name)
    used = property(lambda self: self.status.used)
    cap = property(lambda self: self.status.cap)
    over = property(lambda self: self.status.over)
    explanation = property(lambda self: self.status.explanation)


def meaningful(status: QuotaStatus) -> bool:
    """A row worth reading: something counted, room under a cap, or an exception."""
    return status.used > 0 or bool(status.cap) or status.exception is not None


def quota_rows(session: Session, conditions, year: int, locale: str) -> list[QuotaRow]:
    """Each submitting unit of the dossiers selected by `conditions` (joined to `OrgUnit`)
    against every award with a quota, the empty rows left out."""
    units = session.scalars(
        select(OrgUnit).join(Dossier, Dossier.unit_id == OrgUnit.id)
        .where(conditions).distinct().order_by(OrgUnit.path)).all()
    levels = award_levels(session)
    rows: list[QuotaRow] = []
    seen: set[tuple[int, str]] = set()
    for unit in units:
        for status in unit_quotas(session, unit, year):
            key = (status.unit.id, status.award_code)
            if key in seen or not meaningful(status):
                continue
            seen.add(key)
            body = status.unit.display_name(locale)
            over = (_("The whole of %(body)s (ministry or province)", body=body)
                    if status.rule.get("group") else
                    _("%(unit)s and its sub-units", unit=body))
            rows.append(QuotaRow(status, str(LEVEL_LABELS.get(
                levels.get(status.award_code, "unknown"), LEVEL_LABELS["unknown"])), over))
    return rows
