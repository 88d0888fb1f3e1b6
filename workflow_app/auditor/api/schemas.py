"""The audit trail, for auditors: the log, one event, a subject's history, verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import NO_NUL, IsoDate, QueryId, ResponseModel


class AuditLogQuery(PageQuery):
    """The filters of the audit log page; newest first, keyset by `seq`."""

    action: str | None = Field(None, max_length=60, pattern=NO_NUL,
                               description="Actions starting with this, e.g. `dossier.` or "
                                           "`user.role_granted`.")
    actor: str | None = Field(None, max_length=64, pattern=NO_NUL,
                              description="The actor's username (case ignored).")
    actor_id: QueryId | None = Field(None, description="The actor's user id (as the page's "
                                                       "choice of person).")
    subject_type: str | None = Field(None, max_length=30, pattern=NO_NUL,
                                     description="dossier, user, unit, council_session …")
    subject_id: str | None = Field(None, max_length=64, pattern=NO_NUL)
    unit: str | None = Field(None, max_length=40, pattern=NO_NUL, description=(
        "A unit code: events about it and its sub-units, and about their dossiers."))
    date_from: IsoDate | None = Field(None, description="From this day (UTC), inclusive.")
    date_to: IsoDate | None = Field(None, description="To this day (UTC), inclusive; a day "
                                                      "before `date_from` matches nothing.")


class HistoryQuery(PageQuery):
    subject_type: str = Field(min_length=1, max_length=30, pattern=NO_NUL,
                              description="dossier, user, unit, council_session …")
    subject_id: str = Field(min_length=1, max_length=64, pattern=NO_NUL)


class AuditEventOut(ResponseModel):
    seq: int
    occurred_at: datetime
    actor_id: int | None
    actor_label: str = Field(description="The actor's username when the event was written.")
    action: str
    subject_type: str
    subject_id: str
    from_state: str | None
    to_state: str | None
    data: dict[str, Any] = Field(description="The event's canonical JSON data (diffs, "
                                             "reasons, hashes, tallies).")
    prev_hash: str
    hash: str = Field(description="sha256(prev_hash ‖ canonical event); see the export's "
                                  "manifest for the rule.")
    occurred_at_local: str | None = Field(None, description="dd/mm/yyyy HH:MM:SS, Vietnam "
                                                            "time (as the page shows it).")
    action_label: str | None = Field(None, description="The action in the caller's language.")
    subject_name: str | None = Field(None, description="The subject by its name (a dossier by "
                                                       "nominee and award …).")
    actor_name: str | None = Field(None, description="Full name and username, when known.")
    from_label: str | None = None
    to_label: str | None = None


class AuditPage(ResponseModel):
    items: list[AuditEventOut] = Field(description="Newest first (by seq, descending).")
    next_cursor: str | None


class FieldChange(ResponseModel):
    field: str
    old: Any
    new: Any


class AuditEventDetail(AuditEventOut):
    changes: list[FieldChange] = Field(description="The field-level diff the event "
                                                   "recorded, if any.")


class AuditHistory(ResponseModel):
    subject_type: str
    subject_id: str
    items: list[AuditEventDetail] = Field(description="Oldest first (by seq).")
    next_cursor: str | None


class ChainResult(ResponseModel):
    ok: bool
    checked: int = Field(description="Events verified (before the first bad one, if any).")
    first_bad_seq: int | None = Field(description="The first event that does not fit.")
    reason: str
    head_hash: str


class VerifyOut(ResponseModel):
    """The "verify now" report: chain, signed checkpoints, dossier states."""

    ok: bool
    chain: ChainResult
    checkpoints_checked: int
    checkpoint_problems: list[str]
    state_problems: list[str] = Field(description="Dossiers whose state differs from their "
                                                  "last audit event.")
    lines: list[str] = Field(description="The report as `flask audit verify` prints it.")
    headline: str = Field("", description="The verdict in the caller's language.")
    summary: list[str] = Field(default_factory=list, description="The findings, problems "
                                                                 "first, in the caller's "
                                                                 "language (as the page).")
