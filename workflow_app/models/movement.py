"""Emulation movements (phong trào thi đua) and what units do under them in a year:
registration of target titles, cluster pacts, inspections.

A movement is a workflow subject (`states/movement.toml`): its `state` is written by the
engine only (`models/subject.py`). Kinds and scopes follow Law 06/2022 Art. 16 k1–k2
(LEGAL_FACTS §1.1); a Sở's plan names the ministry's movement as its `parent`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.org import Cluster, OrgUnit, Person
from workflow_app.models.subject import EngineOwnedState
from workflow_app.models.user import User

MOVEMENT_KINDS = ("regular", "thematic")  # thường xuyên / theo chuyên đề (Art. 16 k1)
# Art. 16 k2: national; ministry, sector or locality; cluster or block; agency or unit.
MOVEMENT_SCOPES = ("national", "sector", "cluster", "unit")


class Movement(EngineOwnedState, Base):
    """One emulation movement or plan, launched by a numbered document of its organiser."""

    __tablename__ = "movement"
    __table_args__ = (
        CheckConstraint("workflow = 'movement'", name="workflow"),
        CheckConstraint(f"kind IN {MOVEMENT_KINDS}", name="kind"),
        CheckConstraint(f"scope IN {MOVEMENT_SCOPES}", name="scope"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("step_days_carried >= 0", name="step_days_carried"),
    )
    subject_kind = "movement"

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow: Mapped[str] = mapped_column(String(20), default="movement")
    state: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(default=1)
    # The organising unit (đơn vị phát động); roles over it act on the movement.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    theme: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10), default="regular")
    scope: Mapped[str] = mapped_column(String(10), default="unit")
    year: Mapped[int]
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # The launching document: "131/QĐ-BTP", its date, its signer and its file.
    document_number: Mapped[str] = mapped_column(String(60), default="")
    document_date: Mapped[date | None] = mapped_column(Date)
    document_signer: Mapped[str] = mapped_column(String(160), default="")
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_filename: Mapped[str | None] = mapped_column(String(255))
    # Registration of target titles: informative unless the body makes it required
    # (`registration_required`: then a nominee that did not register for a title under
    # this movement cannot be submitted for it — a configurable practice, not a legal rule).
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    registration_reopened: Mapped[bool] = mapped_column(default=False)
    registration_required: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    step_days_carried: Mapped[int] = mapped_column(default=0)

    unit: Mapped[OrgUnit] = relationship()
    parent: Mapped[Movement | None] = relationship(remote_side=[id])
    cluster: Mapped[Cluster | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    participants: Mapped[list[MovementParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="MovementParticipant.id")
    areas: Mapped[list[MovementArea]] = relationship(
        cascade="all, delete-orphan", order_by="MovementArea.position")


class MovementParticipant(Base):
    """A unit taking part in a movement."""

    __tablename__ = "movement_participant"
    __table_args__ = (UniqueConstraint("movement_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movement.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)

    unit: Mapped[OrgUnit] = relationship()


class MovementArea(Base):
    """An area of work (nội dung thi đua) of a movement's plan, in the plan's order."""

    __tablename__ = "movement_area"
    __table_args__ = (UniqueConstraint("movement_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movement.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")


class Registration(Base):
    """A unit's registration (đăng ký thi đua) under a movement: its commitments and the
    titles it aims for, collective and per person (`RegistrationLine`)."""

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("movement_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(ForeignKey("movement.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    commitments: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    movement: Mapped[Movement] = relationship()
    unit: Mapped[OrgUnit] = relationship()
    lines: Mapped[list[RegistrationLine]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationLine.id")


class RegistrationLine(Base):
    """One target title: for the unit itself (no person) or for one of its persons."""

    __tablename__ = "registration_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"))

    person: Mapped[Person | None] = relationship()
    award: Mapped[Award] = relationship()


class Pact(Base):
    """A cluster's or block's emulation pact (giao ước thi đua) for one year."""

    __tablename__ = "pact"
    __table_args__ = (UniqueConstraint("cluster_id", "year"),
                      CheckConstraint("year BETWEEN 1945 AND 2200", name="year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"))
    year: Mapped[int]
    signed_at_place: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    targets: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cluster: Mapped[Cluster] = relationship()
    signatures: Mapped[list[PactSignature]] = relationship(
        cascade="all, delete-orphan", order_by="PactSignature.id")


class PactSignature(Base):
    """A member unit's signature of a pact: who signed, when, on whose behalf."""

    __tablename__ = "pact_signature"
    __table_args__ = (UniqueConstraint("pact_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pact_id: Mapped[int] = mapped_column(ForeignKey("pact.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    signed_by: Mapped[str] = mapped_column(String(160))
    on_behalf_of: Mapped[str] = mapped_column(String(255), default="")
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()


class Inspection(Base):
    """An inspection (kiểm tra) of a unit during the year, with its findings."""

    __tablename__ = "inspection"
    __table_args__ = (CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    inspector_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    year: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    inspector: Mapped[OrgUnit] = relationship(foreign_keys=[inspector_unit_id])
