"""A reproducible random sample of decided dossiers for an audit programme (issue 15
item 4). The population is every dossier decided in the period (its decision date), of the
unit and its sub-units if one is chosen, ordered by number; the sample is
`random.Random(seed).sample(population, size)`. The same period, unit, size and seed give
the same sample on any day, so the seed shown with it is all a reviewer needs to redraw it.
Nothing is stored: the auditor changes nothing.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit

SEED_MAX = 2**31 - 1


@dataclass
class Sample:
    seed: int
    size: int
    population: int
    dossiers: list[Dossier]


def new_seed() -> int:
    return secrets.randbelow(SEED_MAX)


def population(session: Session, filters: dict) -> list[int]:
    query = select(Dossier.id).where(Dossier.decision_date.is_not(None),
                                     Dossier.decision_number.is_not(None))
    if filters.get("date_from"):
        query = query.where(Dossier.decision_date >= filters["date_from"])
    if filters.get("date_to"):
        query = query.where(Dossier.decision_date <= filters["date_to"])
    if filters.get("unit"):
        root = select(OrgUnit.path).where(OrgUnit.code == filters["unit"]).scalar_subquery()
        query = query.join(OrgUnit, Dossier.unit_id == OrgUnit.id).where(
            OrgUnit.path.startswith(root))
    return list(session.scalars(query.order_by(Dossier.id)))


def draw(session: Session, filters: dict, size: int, seed: int) -> Sample:
    ids = population(session, filters)
    chosen = sorted(random.Random(seed).sample(ids, min(size, len(ids))))
    rows = session.scalars(select(Dossier).where(Dossier.id.in_(chosen)).options(
        selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit),
        selectinload(Dossier.unit), selectinload(Dossier.award).selectinload(Award.versions)))
    by_id = {d.id: d for d in rows}
    return Sample(seed, size, len(ids), [by_id[i] for i in chosen])
