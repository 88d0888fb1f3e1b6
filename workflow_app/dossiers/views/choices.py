"""What a user's dossier forms offer, as select choices: submitting units, nominees in scope
(from `dossiers.service.offers`), awards in force, commendation types and document types.
The same lists validate what comes back."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from wtforms import SelectChoice

from workflow_app.dossiers.service.fields import fits_nominee
from workflow_app.dossiers.service.labels import (
    COMMENDATION_TYPE_LABELS,
    all_states,
    doc_type_label,
)
from workflow_app.formkit import choices, grouped_award_choices
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service.collation import vi_sort_key


def award_choices(versions: list[AwardVersion], locale: str, *, person: bool | None = None):
    """The awards in force, grouped by whom they are for (individuals, collectives, both);
    optionally only those fitting a person (True) or a unit (False)."""
    return grouped_award_choices(
        [v for v in versions if person is None or fits_nominee(v, person)], locale)


def current_award_choice(dossier, locale: str):
    """The dossier's own award as a choice (its fixed rule's name, else the latest)."""
    award = dossier.award
    version = dossier.award_version or (award.versions[0] if award.versions else None)
    return choices([(award.id, version.name(locale) if version else award.code)])[0]


def commendation_choices():
    return choices((code, label) for code, label in COMMENDATION_TYPE_LABELS.items())


def doc_type_choices(codes: list[str], required: set[str] | None = None):
    required = required or set()
    return choices(
        (code, doc_type_label(code) + (" — " + _("required") if code in required else ""))
        for code in codes)


def person_choices(persons: list[Person], locale: str):
    """People for a select, grouped by their unit (units in tree order, people by name)."""
    ordered = sorted(persons, key=lambda p: (p.unit.path, vi_sort_key(p.full_name)))
    rows = [SelectChoice(p.id, f"{p.full_name} — {p.position}" if p.position else p.full_name,
                         optgroup=p.unit.display_name(locale)) for p in ordered]
    return [SelectChoice("", "—")] + rows


def person_checkboxes(persons: list[Person], locale: str):
    """People for a list of checkboxes (no groups there): the unit is in each label."""
    ordered = sorted(persons, key=lambda p: (p.unit.path, vi_sort_key(p.full_name)))
    return choices((p.id, f"{p.full_name} — {p.unit.display_name(locale)}") for p in ordered)


def unit_choices(units: list[OrgUnit], locale: str, *, blank: bool = True):
    rows = [(u.id, "\u2003" * max(0, u.depth) + u.display_name(locale)) for u in units]
    return choices(([("", "—")] if blank else []) + rows)


def filter_award_choices(session: Session, locale: str, today: date):
    """Every award (those no longer in force too: old dossiers keep them), by name."""
    awards = session.scalars(select(Award).options(selectinload(Award.versions))).all()
    named = []
    for award in awards:
        version = award.version_on(today) or (award.versions[0] if award.versions else None)
        named.append((award.id, version.name(locale) if version else award.code))
    named.sort(key=lambda pair: vi_sort_key(pair[1]))
    return choices([("", _("All awards"))] + named)


def filter_state_choices(locale: str):
    return choices([("", _("All states"))] + all_states(locale))


def filter_commendation_choices():
    return choices([("", _("All types"))] + list(COMMENDATION_TYPE_LABELS.items()))
