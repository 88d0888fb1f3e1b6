"""Revocation of a conferred award (Law 2022 Art. 93 k2): the proposal, the signer's
decision (this body's numbered decision, a higher authority's, or keeping the award), the
recovery of the award items, and a revocation as its page shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    IsoDate,
    ReauthIn,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import AwardRecordOut
from workflow_app.decisions.api.schemas_decisions import HIGHER_NUMBER, DecisionWording
from workflow_app.decisions.service.revocation import MAX_EXPLANATION, MAX_REFERENCE
from workflow_app.models.revocation import GROUNDS, LEVELS, STATUSES

Ground = Literal[GROUNDS]  # type: ignore[valid-type]


class ProposalIn(RequestModel):
    award_record_id: BodyId = Field(description="The registry entry (an award row of a "
                                                "person's or unit's history).")
    ground: Ground = Field(description="Art. 93 k2: a fraudulent_declaration, b false_papers, "
                                       "c unlawful_procedure, d later_violation.")
    explanation: str = Field(min_length=1, max_length=MAX_EXPLANATION, pattern=NO_NUL,
                             description="The facts the revocation rests on.")
    evidence_reference: str = Field("", max_length=MAX_REFERENCE, pattern=NO_NUL,
                                    description="The conclusion, decision or judgment relied "
                                                "on (number, date, body).")
    conclusion_received_on: IsoDate | None = Field(
        None, description="When this body received that conclusion (07-day filing limit).")
    version: BodyId | None = Field(None, description="The dossier's version you saw, when the "
                                                     "award has a dossier.")


class RevocationDecisionIn(DecisionWording):
    """The revoking decision's wording (GET /revocations/{id}/draft prefills it)."""


class RevocationIssueIn(RevocationDecisionIn, ReauthIn):
    """The revoking decision as previewed, with the signer's password again."""


class DismissIn(RequestModel):
    reason: str = Field(min_length=1, max_length=MAX_EXPLANATION, pattern=NO_NUL,
                        description="Why the award is kept.")


class HigherRevocationIn(RequestModel):
    number: str = Field(max_length=60, pattern=HIGHER_NUMBER,
                        description="The higher authority's decision, e.g. 12/QĐ-TTg.")
    decided_on: IsoDate = Field(description="Between the award decision and today.")


class RecoveryIn(RequestModel):
    recovered_on: IsoDate = Field(description="Between the revoking decision and today.")
    note: str = Field("", max_length=500, pattern=NO_NUL,
                      description="Receipt, who handed the items back.")


class RevocationQuery(PageQuery):
    to_decide: bool = Field(False, description="Only the open proposals you may decide.")


class DeadlinesOut(ResponseModel):
    """LEGAL_FACTS §4.2: filing within 07 days of receiving the conclusion; the decision
    within 05 working days of the complete proposal."""

    filed_on: date
    filing_due: date | None = Field(description="null: the date of receipt was not given.")
    filed_late: bool
    decision_due: date


class RevocationDocumentOut(ResponseModel):
    id: int
    reference: str
    issued_on: date
    issuer_id: int
    signer_name: str
    docx_sha256: str
    pdf_sha256: str


class RevocationSummary(ResponseModel):
    id: int
    status: Literal[STATUSES]  # type: ignore[valid-type]
    status_label: str
    ground: Ground
    ground_label: str
    point: str = Field(description='The point of the law, e.g. "Art. 93 k2 b".')
    level: Literal[LEVELS] = Field(  # type: ignore[valid-type]
        description="own: this body issues the revoking decision; higher: the Prime "
                    "Minister's or President's decision is recorded.")
    recipient_name: str
    award_record_id: int
    dossier_id: int | None
    proposed_at: datetime
    decision_reference: str | None


class RevocationOut(RevocationSummary):
    explanation: str
    evidence_reference: str
    conclusion_received_on: date | None
    award_record: AwardRecordOut
    proposed_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_date: date | None
    dismissal_reason: str
    recovery_required: bool
    recovered_on: date | None
    recovery_note: str
    deadlines: DeadlinesOut
    document: RevocationDocumentOut | None = Field(description="This body's revoking "
                                                               "decision, once issued.")
    can_decide: bool = Field(description="You are a signer over it and it is open.")
    can_record_recovery: bool


class RevocationPage(ResponseModel):
    items: list[RevocationSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class RevocationDraftOut(ResponseModel):
    """The revocation page's prefilled wording; edit it and send it to the preview or issue."""

    issued_on: date
    place: str
    summary: str
    authority: str
    bases: list[str]
    articles: list[str]
    recipients: list[str]
    issuer_id: int | None
