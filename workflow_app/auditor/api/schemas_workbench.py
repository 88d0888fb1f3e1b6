"""The auditor's workbench: exceptions, evidence packs, sampling, cross-checks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    IsoDate,
    QueryInt,
    QueryModel,
    ResponseModel,
    _integer_text_only,
)

QuerySeed = Annotated[int, Field(ge=0, le=2**31 - 1), BeforeValidator(_integer_text_only)]

ExceptionKind = Literal["eligibility_override", "quota_exception", "chair_ruling",
                        "rule_change", "return_rejection", "late_step", "revocation",
                        "reissue", "session_change", "sign_in", "role_grant"]


class _Period(QueryModel):
    date_from: IsoDate | None = Field(None, description="From this day (Vietnam time).")
    date_to: IsoDate | None = Field(None, description="To this day (Vietnam time), inclusive.")
    unit: str | None = Field(None, max_length=40, pattern=NO_NUL,
                             description="A unit code: that unit and its sub-units.")


class ExceptionsQuery(PageQuery, _Period):
    kind: ExceptionKind | None = Field(None, description="One kind of exception; omit for all.")


class Change(ResponseModel):
    field: str
    label: str
    old: str
    new: str


class ExceptionOut(ResponseModel):
    kind: str
    kind_label: str
    seq: int | None = Field(description="The audit event; null for a step still running late.")
    occurred_at: str | None = Field(description="UTC instant of the event.")
    occurred_at_local: str | None = Field(description="dd/mm/yyyy HH:MM:SS, Vietnam time.")
    actor: str | None
    action: str | None
    action_label: str | None
    subject_type: str
    subject_id: str
    subject: str
    rule: str = Field(description="The rule or limit concerned.")
    reason: str
    changes: list[Change]


class MonthCount(ResponseModel):
    month: str = Field(description="YYYY-MM, Vietnam time.")
    counts: dict[str, int] = Field(description="By kind of exception.")
    total: int


class ExceptionsPage(ResponseModel):
    items: list[ExceptionOut] = Field(description="Newest first; on the first page, steps "
                                                  "past their limit come first.")
    counts: list[MonthCount] = Field(description="Events by month (every page the same).")
    next_cursor: str | None
    late_steps_limited: bool = Field(False, description="More dossiers moved in the period "
                                                        "than are replayed for late steps "
                                                        "(500, the newest): narrow it.")


class EvidenceQuery(QueryModel):
    kind: Literal["dossier", "decision", "council_session"]
    id: str = Field(min_length=1, max_length=64, pattern=NO_NUL,
                    description="The dossier's, decision's or session's number; a decision "
                                "also by its reference, e.g. 12/QĐ-BTP.")


class EvidenceEvent(ResponseModel):
    seq: int
    hash: str
    prev_hash: str
    action: str
    action_label: str
    occurred_at: str
    actor: str
    hash_ok: bool = Field(description="The hash recomputed from the event's fields matches.")


class EvidenceDocument(ResponseModel):
    label: str
    filename: str
    sha256: str
    recorded_sha256: str | None = Field(description="What the audit event recorded.")
    recorded_in_seq: int | None
    stored_ok: bool | None = Field(description="The stored bytes hash to sha256 (null: the "
                                               "file is missing).")
    ok: bool
    problem: str


class EvidenceMinutes(ResponseModel):
    session: str
    signed: bool
    ok: bool
    problems: list[str]


class EvidenceOut(ResponseModel):
    kind: str
    id: str
    title: str
    ok: bool
    events: list[EvidenceEvent]
    documents: list[EvidenceDocument]
    minutes: list[EvidenceMinutes]
    checkpoint: dict | None = Field(description="The signed checkpoint covering the events.")
    checkpoint_problem: str | None


class SampleQuery(_Period):
    size: QueryInt = Field(10, ge=1, le=500)
    seed: QuerySeed | None = Field(None, description="Omit to draw a new one (returned).")


class SampledDossier(ResponseModel):
    id: int
    nominee: str
    unit: str
    decision_number: str | None
    decision_date: date | None


class SampleOut(ResponseModel):
    seed: int
    size: int
    population: int = Field(description="Dossiers decided in the period (and unit).")
    items: list[SampledDossier] = Field(description="By dossier number.")


class CrossCheckOut(ResponseModel):
    code: Literal["ballots", "documents", "states", "registry"]
    label: str
    checked: int
    ok: bool
    problems: list[str]
    truncated: bool


class CrossChecksOut(ResponseModel):
    ok: bool
    checks: list[CrossCheckOut]
