"""Council sessions: the list, one session (agenda, attendance, quorum, conflicts, rounds,
quotas), and the secretary's and chair's actions on it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    BodyYear,
    IsoDate,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import Ref
from workflow_app.council.service.chair import MAX_REASON as RULING_MAX
from workflow_app.council.service.recusal import MAX_REASON as CONFLICT_MAX
from workflow_app.council.service.sessions import MAX_REASON, MAX_TEXT
from workflow_app.models.council import (
    ATTENDANCE,
    OUTCOMES,
    RECUSAL_KINDS,
    RECUSAL_STATUSES,
    ROUND_STATUSES,
)

AttendanceStatus = Literal[ATTENDANCE]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]
RoundStatus = Literal[ROUND_STATUSES]  # type: ignore[valid-type]
QUOTA_REASON_MAX = 2000


SessionStatus = Literal["scheduled", "in_progress", "ended", "cancelled"]


class SessionSummary(ResponseModel):
    id: int
    council: Ref
    held_on: date
    place: str
    title: str
    status: SessionStatus = Field(description=(
        "`scheduled` (not opened: the secretary may still change or cancel it), "
        "`in_progress` (attendance taken or a round opened), `ended`, or `cancelled` "
        "(before it opened; then `ended_at` is the cancellation time too)."))
    created_at: datetime
    ended_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    open_round_id: int | None = Field(description="The round open now, if any.")


class SessionPage(ResponseModel):
    items: list[SessionSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class SessionQuery(PageQuery):
    """The sessions the caller may open: those of the councils where they hold a seat, or
    are the secretary, chair or an auditor over the council's unit."""


class MySessionsQuery(SessionQuery):
    when: Literal["upcoming", "past"] | None = Field(None, description=(
        "`upcoming`: neither ended nor cancelled (the members' list of upcoming sessions); "
        "`past`: ended or cancelled (the history). Both when left out."))


class AgendaDossier(ResponseModel):
    """What the agenda shows of a dossier (council members may not read the dossier)."""

    id: int
    title: str
    state: str
    nominee: str
    award: Ref
    unit: Ref
    summary: str


class DossierPageOut(ResponseModel):
    items: list[AgendaDossier] = Field(description="By id.")
    next_cursor: str | None


class RecusalOut(ResponseModel):
    id: int
    member_id: int
    member_name: str
    kind: Literal[RECUSAL_KINDS]  # type: ignore[valid-type]
    kind_label: str
    status: Literal[RECUSAL_STATUSES]  # type: ignore[valid-type]
    status_label: str
    reason: str
    created_at: datetime
    decided_at: datetime | None


class TallyOut(ResponseModel):
    """Counts only: never who chose what."""

    method: Literal["secret_ballot", "open_vote"]
    agree: int
    disagree: int
    abstain: int
    recused: list[int] = Field(description="Member ids recused from the item.")
    denominator: int
    denominator_basis: str
    votes_needed: int
    outcome: Outcome
    outcome_label: str


class ItemOut(ResponseModel):
    id: int
    session_id: int
    position: int
    dossier: AgendaDossier
    rule: dict[str, Any] | None = Field(description="The vote rule (fixed when the round "
                                                    "opened; until then the dossier's).")
    rule_text: str
    round_id: int | None
    outcome: Outcome | None
    tally: TallyOut | None
    held_for_chair: bool
    hold_reason: str
    ruling: Outcome | None
    ruling_reason: str
    recusals: list[RecusalOut]


class EntitledOut(ResponseModel):
    member_id: int
    name: str


class QuorumRuleOut(ResponseModel):
    comparator: str
    ratio: str
    basis: str


class QuorumOut(ResponseModel):
    rule: QuorumRuleOut
    entitled: list[EntitledOut]
    present: list[int] = Field(description="Member ids present.")
    written: list[int] = Field(description="Member ids absent, voting in writing.")
    entitled_count: int
    present_count: int
    needed: int
    met: bool


class AttendanceOut(ResponseModel):
    member_id: int
    name: str
    role: str
    voting: bool
    status: AttendanceStatus = Field(description="No record means absent.")
    status_label: str


class RoundRef(ResponseModel):
    id: int
    number: int
    status: RoundStatus


class MySeatOut(ResponseModel):
    member_id: int
    role: str
    voting: bool
    has_paper: bool = Field(description="A ballot paper waits for you in the open round.")
    voted: bool = Field(description="Your ballot is counted in the open round.")


class QuotaFlagOut(ResponseModel):
    unit: Ref
    award_code: str
    award_name: str
    year: int
    used: int
    cap: int | None
    explanation: str
    blocked: bool = Field(description="The vote cannot open on these dossiers until the "
                                      "decision to exceed the quota is recorded.")
    exception_reason: str | None
    on_agenda: list[int] = Field(description="Dossier ids on the agenda.")
    addable: list[int] = Field(description="Dossier ids awaiting the council.")


class SessionOut(SessionSummary):
    is_secretary: bool
    is_chair: bool
    can_change: bool = Field(description="You are the secretary and the session has not "
                                         "opened: it may be changed (PATCH) or cancelled.")
    items: list[ItemOut]
    attendance: list[AttendanceOut] = Field(description="Every seat on the session's date, "
                                                        "voting or not (`voting`).")
    quorum: QuorumOut | None = Field(
        description="The open round's snapshot; else, for the secretary, the quorum now "
                    "(checked again when voting opens).")
    quorum_is_snapshot: bool
    rounds: list[RoundRef]
    my_seat: MySeatOut | None
    quota_flags: list[QuotaFlagOut] = Field(description="For the secretary and the chair.")


class SessionIn(RequestModel):
    council_id: BodyId = Field(description="A council you are the secretary of.")
    held_on: IsoDate
    place: str = Field("", max_length=MAX_TEXT, pattern=NO_NUL)
    title: str = Field("", max_length=MAX_TEXT, pattern=NO_NUL)


class SessionChangeIn(RequestModel):
    """Only the fields sent change; the date is checked as when scheduling."""

    held_on: IsoDate | None = None
    place: str | None = Field(None, max_length=MAX_TEXT, pattern=NO_NUL)
    title: str | None = Field(None, max_length=MAX_TEXT, pattern=NO_NUL)
    reason: str = Field(min_length=1, max_length=MAX_REASON, pattern=NO_NUL,
                        description="Why: recorded in the audit event, sent to the members.")


class SessionCancelIn(RequestModel):
    reason: str = Field(min_length=1, max_length=MAX_REASON, pattern=NO_NUL,
                        description="Why: recorded in the audit event, sent to the members.")


class AddItemIn(RequestModel):
    dossier_id: BodyId = Field(description="A dossier of GET …/eligible-dossiers.")


class AttendanceEntryIn(RequestModel):
    member_id: BodyId
    status: AttendanceStatus


class AttendanceIn(RequestModel):
    """Statuses to record; members left out keep theirs. All or nothing."""

    members: list[AttendanceEntryIn] = Field(min_length=1, max_length=200)


class QuotaDecisionIn(RequestModel):
    unit_id: BodyId
    award_code: str = Field(min_length=1, max_length=40, pattern=NO_NUL)
    year: BodyYear
    reason: str = Field(min_length=1, max_length=QUOTA_REASON_MAX, pattern=NO_NUL,
                        description="Reason and reference of the decision to exceed.")


class ConflictIn(RequestModel):
    reason: str = Field(min_length=1, max_length=CONFLICT_MAX, pattern=NO_NUL)


class DecideIn(RequestModel):
    decision: Literal["accept", "reject"] = Field(
        description="accept: the member steps out of the item; reject: the member votes.")


class HoldIn(RequestModel):
    reason: str = Field(min_length=1, max_length=RULING_MAX, pattern=NO_NUL)


class RulingIn(RequestModel):
    decision: Outcome
    reason: str = Field(min_length=1, max_length=RULING_MAX, pattern=NO_NUL,
                        description="Shown in the minutes.")
