"""Reading the dossiers under public disclosure, for the pages without sign-in.

Only what the public pages show is loaded: the nominee's name (never a date of birth or a
national ID number — the templates are given nothing else), the proposing unit, the award
and the achievement summary, with the window's dates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from workflow_app.disclosure.service.comments import disclosure_states
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.workflow.engine import get_calendar

PAGE_SIZE = 20


def under_disclosure() -> ColumnElement[bool]:
    parts = [and_(Dossier.workflow == workflow, Dossier.state.in_(states))
             for workflow, states in disclosure_states().items() if states]
    return or_(*parts) if parts else false()


def _with_relations(query):
    return query.options(joinedload(Dossier.unit), joinedload(Dossier.nominee_person),
                         joinedload(Dossier.nominee_unit), joinedload(Dossier.award_version),
                         selectinload(Dossier.award).selectinload(Award.versions))


@dataclass
class PublicPage:
    dossiers: list[Dossier]
    total: int
    page: int
    pages: int


def list_page(session: Session, page: int = 1) -> PublicPage:
    """Dossiers under disclosure, the windows ending soonest first."""
    total = session.scalar(select(func.count()).select_from(Dossier)
                           .where(under_disclosure())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.scalars(_with_relations(
        select(Dossier).where(under_disclosure())
        .order_by(Dossier.disclosure_ends_on, Dossier.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))).unique().all()
    return PublicPage(list(rows), total, page, pages)


def public_dossier(session: Session, dossier_id: int) -> Dossier | None:
    """The dossier if it is under disclosure now, else None (the page answers 404)."""
    return session.scalars(_with_relations(
        select(Dossier).where(Dossier.id == dossier_id, under_disclosure()))).first()


def window_working_days(dossier: Dossier) -> int | None:
    """How many working days the dossier's public-disclosure window lasts (None before it opens)."""
    if dossier.disclosure_started_on and dossier.disclosure_ends_on:
        return get_calendar().working_days_between(dossier.disclosure_started_on,
                                                   dossier.disclosure_ends_on)
    return None
