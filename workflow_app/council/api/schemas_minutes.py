"""A session's minutes (biên bản): the content as the minutes page shows it (frozen after the
chair's sign-off, live before), the sign-off, and the check against the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from workflow_app.api.schemas.common import ReauthIn, ResponseModel


class MinutesCouncil(ResponseModel):
    id: int
    code: str
    name: str
    unit: str


class MinutesSession(ResponseModel):
    id: int
    title: str
    place: str
    held_on: str = Field(description="YYYY-MM-DD")
    ended_at: str | None


class MinutesMember(ResponseModel):
    id: int
    name: str
    role: str
    voting: bool
    attendance: str


class MinutesQuorum(ResponseModel):
    rule: dict[str, Any] | None = None
    entitled_count: int | None = None
    present_count: int | None = None
    needed: int | None = None
    met: bool | None = None
    present: list[str] = Field(default_factory=list, description="Names.")
    written: list[str] = Field(default_factory=list, description="Names.")


class MinutesRound(ResponseModel):
    number: int
    status: str
    opened_at: str
    closed_at: str | None
    quorum: MinutesQuorum
    ballot_count: int | None
    written_papers: int
    ballot_set_hash: str | None
    items: list[int] = Field(description="Agenda positions voted in the round.")


class MinutesRecusal(ResponseModel):
    member: str
    kind: str
    reason: str
    status: str


class MinutesTally(ResponseModel):
    method: str | None = None
    rule: dict[str, Any] | None = None
    agree: int | None = None
    disagree: int | None = None
    abstain: int | None = None
    denominator: int | None = None
    votes_needed: int | None = None
    outcome: str | None = None


class MinutesItem(ResponseModel):
    position: int
    dossier_id: int
    title: str
    nominee: str
    award: str
    round: int | None
    recusals: list[MinutesRecusal]
    tally: MinutesTally | None
    recused_count: int | None
    outcome: str | None
    held_for_chair: bool
    hold_reason: str
    ruling: str | None
    ruling_reason: str


class MinutesHead(ResponseModel):
    seq: int
    hash: str


class MinutesNumber(ResponseModel):
    reference: str
    number: int
    year: int
    signed_on: str


class MinutesContent(ResponseModel):
    council: MinutesCouncil
    session: MinutesSession
    chair: str
    secretary: str
    members: list[MinutesMember]
    rounds: list[MinutesRound]
    items: list[MinutesItem]
    audit_head: MinutesHead = Field(description="The audit chain's head when built.")
    generated_at: str
    number: MinutesNumber | None = Field(description="Given at sign-off; null on a draft.")


class MinutesOut(ResponseModel):
    session_id: int
    signed: bool = Field(description="Signed off: content and files are frozen.")
    reference: str | None = Field(description="Number and symbol, e.g. 01/BB-HĐTĐKT.")
    signed_at: datetime | None
    signed_by: str | None
    docx_sha256: str | None
    pdf_sha256: str | None
    all_rounds_closed: bool = Field(description="The minutes may be signed off (once).")
    content: MinutesContent


class CheckOut(ResponseModel):
    code: Literal["signature", "events", "files", "attendance", "rounds", "recusals",
                  "tallies", "chair"]
    label: str
    ok: bool
    problems: list[str] = Field(description="Each difference, named.")


class VerificationOut(ResponseModel):
    session_id: int
    signed: bool = Field(description="Only signed minutes can be checked.")
    reference: str | None
    ok: bool
    checks: list[CheckOut]


class MinutesSignIn(ReauthIn):
    """Signing the minutes off: the chair's password again (and authenticator code)."""
