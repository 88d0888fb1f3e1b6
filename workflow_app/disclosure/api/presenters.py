"""Nominations under public disclosure → response models, as the public pages show them."""

from __future__ import annotations

from datetime import date

from workflow_app.api.presenters import unit_ref
from workflow_app.disclosure.api.schemas import PublicNomination
from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.disclosure.service.queries import window_working_days
from workflow_app.models.dossier import Dossier
from workflow_app.review.service import present


def public_nomination(dossier: Dossier, today: date, locale: str) -> PublicNomination:
    """Only what the public page shows (public/_facts.html)."""
    return PublicNomination(
        dossier_id=dossier.id, nominee_name=dossier.nominee_name,
        unit=unit_ref(dossier.unit, locale), award_name=present.award_name(dossier, today, locale),
        commendation_type=dossier.commendation_type, year=dossier.year,
        year_from=dossier.year_from, summary=dossier.summary or "",
        started_on=dossier.disclosure_started_on, ends_on=dossier.disclosure_ends_on,
        working_days=window_working_days(dossier),
        window_open=disclosure_service.window_is_open(dossier, today))
