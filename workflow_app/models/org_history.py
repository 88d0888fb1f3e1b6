"""Organisations that change (issue 19): reorganisation events and the rule that says
whether a successor unit's eligibility counts its predecessors' years.

An event (`OrgEvent`) is one decision's change to the organisation: a unit created,
renamed, moved under another parent, merged into another, split into several, or
dissolved, with its effective date and the deciding decision. Each unit it touches has a
row (`OrgEventUnit`) holding the values the unit had before, so that a name or parent as of
any day is read back from the events, and a reversal (a compensating event, `reverses_id`)
restores them without deleting anything.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User

EVENT_KINDS = ("created", "renamed", "moved", "merged", "split", "dissolved", "reversal")
# subject: the unit the event acts on (closed by a merger, split or dissolution);
# closed_with: a sub-unit closed together with its subject; successor: the unit a merged
# unit joins, or one of the parts of a split unit.
EVENT_ROLES = ("subject", "closed_with", "successor")
GRANT_CHOICES = ("lapse", "move")


class OrgEvent(Base):
    """One reorganisation decision's change, effective on `effective_date`. Audited."""

    __tablename__ = "org_event"
    __table_args__ = (
        CheckConstraint(f"kind IN {EVENT_KINDS}", name="kind"),
        CheckConstraint("grants_choice IS NULL OR grants_choice IN ('lapse', 'move')",
                        name="grants_choice"),
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[date] = mapped_column(Date, index=True)
    # The deciding decision: "123/QĐ-UBND", its date, the body that issued it, its file.
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date] = mapped_column(Date)
    decision_issuer: Mapped[str] = mapped_column(String(255))
    decision_sha256: Mapped[str | None] = mapped_column(String(64))
    decision_filename: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    # What became of role grants over the closed units (asked at apply time, never implied).
    grants_choice: Mapped[str | None] = mapped_column(String(10))
    # What was handed over (dossiers, registrations, councils, grants) and lapsed, so that
    # a reversal can hand it back: {"dossier": [[id, from, to], …], …}.
    handover: Mapped[dict] = mapped_column(JSON, default=dict)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("org_event.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    units: Mapped[list[OrgEventUnit]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="OrgEventUnit.id")
    reverses: Mapped[OrgEvent | None] = relationship(
        remote_side=[id], back_populates="reversal")
    reversal: Mapped[OrgEvent | None] = relationship(back_populates="reverses", uselist=False)
    created_by: Mapped[User | None] = relationship()

    @property
    def is_reversed(self) -> bool:
        return self.reversal is not None

    def units_in(self, role: str) -> list[OrgUnit]:
        return [row.unit for row in self.units if row.role == role]


class OrgEventUnit(Base):
    """A unit an event touched, with what it was before (`old_*`) and what the event made
    it (`new_*`; None where the event did not change that field)."""

    __tablename__ = "org_event_unit"
    __table_args__ = (
        UniqueConstraint("event_id", "unit_id"),
        CheckConstraint(f"role IN {EVENT_ROLES}", name="role"),
        Index("ix_org_event_unit_unit", "unit_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("org_event.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    role: Mapped[str] = mapped_column(String(12))
    old_name: Mapped[str | None] = mapped_column(String(255))
    old_name_en: Mapped[str | None] = mapped_column(String(255))
    new_name: Mapped[str | None] = mapped_column(String(255))
    new_name_en: Mapped[str | None] = mapped_column(String(255))
    parent_changed: Mapped[bool] = mapped_column(default=False)
    old_parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    new_parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    old_valid_from: Mapped[date | None] = mapped_column(Date)
    old_valid_to: Mapped[date | None] = mapped_column(Date)
    old_is_active: Mapped[bool] = mapped_column(default=True)
    # A successor that takes over the closed units' history (ratings, awards) for the
    # eligibility rules that count predecessors (`OrgHistoryRule`).
    inherits_history: Mapped[bool] = mapped_column(default=False)

    event: Mapped[OrgEvent] = relationship(back_populates="units")
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    old_parent: Mapped[OrgUnit | None] = relationship(foreign_keys=[old_parent_id])
    new_parent: Mapped[OrgUnit | None] = relationship(foreign_keys=[new_parent_id])


class OrgHistoryRule(Base):
    """Whether a successor's eligibility counts its predecessors' years, as a body (a unit
    and everything below it) decides, for one award or (award_code NULL) for every award.
    Configurable — no confirmed legal source; without a rule, predecessors' years count."""

    __tablename__ = "org_history_rule"
    __table_args__ = (UniqueConstraint("body_unit_id", "award_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    award_code: Mapped[str | None] = mapped_column(String(30))
    counts_predecessors: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    body: Mapped[OrgUnit] = relationship()


class PersonTransfer(Base):
    """A person's move from one unit to another on `effective_date` (issue 19 item 3). The
    person's awards and ratings stay theirs; `org.service.transfers.unit_as_of` reads the
    unit they belonged to on any day back from these rows. Audited `person.transferred`."""

    __tablename__ = "person_transfer"
    __table_args__ = (
        CheckConstraint("from_unit_id <> to_unit_id", name="other_unit"),
        Index("ix_person_transfer_person", "person_id", "effective_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    effective_date: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(60), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    from_unit: Mapped[OrgUnit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[OrgUnit] = relationship(foreign_keys=[to_unit_id])
