"""Response models that several capabilities answer with: a reference to a related record,
a dossier's summary and step clock, a person, an award in the registry. Each capability's own
models live in its `api/` package; these are shared so that no capability's API imports
another's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    ResponseModel,
)


class Ref(ResponseModel):
    """A related record: id, code (where it has one) and its name in the caller's language."""

    id: int
    code: str = ""
    name: str


class DossierSummary(ResponseModel):
    id: int
    workflow: Literal["normal", "simplified"]
    state: str
    state_label: str
    version: int = Field(description="Send it back with a transition (optimistic lock).")
    title: str
    year: int
    commendation_type: str
    unit: Ref = Field(description="The submitting unit.")
    award: Ref
    nominee_person: Ref | None
    nominee_unit: Ref | None
    batch_id: int | None
    created_at: datetime
    received_at: datetime | None


class ClockOut(ResponseModel):
    """The current step's clock in working days (paused while the dossier is returned)."""

    step: str
    running: bool
    used_days: int
    limit_days: int | None = Field(description="null: the step has no time limit.")
    remaining_days: int | None
    due_on: date | None = Field(description="The last working day within the limit.")
    is_overdue: bool


class PersonOut(ResponseModel):
    id: int
    full_name: str
    position: str
    unit: Ref
    is_leader: bool = Field(description="A leader (lãnh đạo), else front-line staff.")
    date_of_birth: date | None
    national_id: str = Field(description="In full, masked (••••••••1234) or empty (none "
                                         "recorded), as the person page shows it to you.")
    national_id_is_full: bool = Field(description="False when `national_id` is masked or empty.")


class AwardRecordOut(ResponseModel):
    id: int
    award_code: str
    award_name: str
    year: int
    decision_number: str
    decision_date: date
    issuer: str
    source: str = Field(description="decision, higher_decision, import or manual.")
    source_label: str
    dossier_id: int | None
    person: Ref | None
    unit: Ref | None
    recorded_at: datetime
    status: Literal["active", "revocation_proposed", "revoked"]
    revoked_at: datetime | None
    revocation_number: str | None = Field(description="The revoking decision.")
    revocation_id: int | None = Field(description="The live revocation (proposed or done).")
    items_to_recover: bool = Field(description="Revoked; the award items and money are not "
                                               "yet recorded as recovered.")
    can_propose_revocation: bool = Field(description="You may propose its revocation now "
                                                     "(POST /revocations).")
