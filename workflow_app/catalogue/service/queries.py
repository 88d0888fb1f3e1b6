"""Read-only catalogue queries for the pages (and for other modules that need an award)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.catalogue import CONFERRING_LEVELS, Award, AwardVersion

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def today_local() -> date:
    """Today's date in Vietnam: legal effective dates are local calendar days."""
    return datetime.now(LOCAL_TZ).date()


def versions_in_force(session: Session, day: date) -> dict[str, list[AwardVersion]]:
    """The version of each award in force on `day`, grouped by kind ("title", "form").

    Within a kind: by conferring level (unit first), then by the order in the file.
    """
    awards = session.scalars(select(Award).options(selectinload(Award.versions))).all()
    grouped: dict[str, list[AwardVersion]] = {"title": [], "form": []}
    for award in awards:
        version = award.version_on(day)
        if version is not None:
            grouped.setdefault(award.kind, []).append(version)
    for versions in grouped.values():
        versions.sort(key=lambda v: (CONFERRING_LEVELS.index(v.conferring_level), v.position,
                                     v.award.code))
    return grouped


def titles_and_forms_in_force(session: Session, day: date) -> list[AwardVersion]:
    """The emulation titles, then the commendation forms, in force on `day` (catalogue order)
    — what a dossier or a registration may aim for."""
    grouped = versions_in_force(session, day)
    return grouped.get("title", []) + grouped.get("form", [])


def award_by_code(session: Session, code: str) -> Award | None:
    return session.scalar(
        select(Award).where(Award.code == code).options(selectinload(Award.versions))
    )


def all_versions(session: Session) -> list[AwardVersion]:
    """Every version ever loaded, withdrawn ones included, by award code then date."""
    return list(session.scalars(
        select(AwardVersion).join(AwardVersion.award)
        .options(selectinload(AwardVersion.award))
        .order_by(Award.code, AwardVersion.effective_from)
    ))


def award_names(session: Session, locale: str, day: date) -> dict[str, str]:
    """Award code → name in `locale`, from the version in force on `day` (else the latest)."""
    names: dict[str, str] = {}
    for award in session.scalars(select(Award).options(selectinload(Award.versions))):
        version = award.version_on(day) or (award.versions[0] if award.versions else None)
        if version is not None:
            names[award.code] = version.name(locale)
    return names
