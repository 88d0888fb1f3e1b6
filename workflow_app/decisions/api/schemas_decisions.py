"""Award decisions and tờ trình (submission letters): what is ready, the prefilled wording,
the preview, the issue and forward bodies, and the issued documents with their annex.

Multi-line fields of the pages (legal bases, articles, body, recipients: one entry per line)
are lists here, one entry per item; blank items are dropped and items are stripped, as the
pages do with blank lines. Their total length has the pages' limits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from flask_babel import gettext as _
from pydantic import AfterValidator, Field, StringConstraints, model_validator

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    IsoDate,
    QueryId,
    ReauthIn,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import AwardRecordOut, DossierSummary, Ref
from workflow_app.decisions.service.forwarding import HIGHER_NUMBER_RE
from workflow_app.decisions.service.selection import MAX_ITEMS

# One line of a multi-line field: no NUL, no line break (a line break starts a new entry).
ONE_LINE = r"^[^\x00\r\n]*$"
Line = Annotated[str, StringConstraints(max_length=2000, pattern=ONE_LINE)]
# A higher authority's number and symbol as printed ("125/QĐ-TTg"): the page's pattern.
HIGHER_NUMBER = HIGHER_NUMBER_RE.pattern
# The pages' limits on the multi-line fields (characters, lines joined by a line break).
TEXT_LIMITS = {"bases": 5000, "articles": 10000, "recipients": 2000, "body": 10000}


def _lines(items: list[str]) -> list[str]:
    return [item.strip() for item in items if item.strip()]


Lines = Annotated[list[Line], Field(max_length=200), AfterValidator(_lines)]


class _Wording(RequestModel):
    """Fields every numbered document shares; checks the pages' total lengths."""

    issued_on: IsoDate = Field(description="Not in the future.")
    place: str = Field(min_length=1, max_length=120, pattern=NO_NUL,
                       description="Place of issue, e.g. Hà Nội.")
    summary: str = Field(min_length=1, max_length=500, pattern=NO_NUL,
                         description="The summary line (trích yếu).")
    recipients: Lines = Field(default_factory=list, description="Nơi nhận, one per item.")
    issuer_id: BodyId | None = Field(None, description=(
        "The issuing unit: one you hold the role for that covers every dossier (default: "
        "the nearest). Send back the `issuer.id` of the preview to issue as previewed."))

    @model_validator(mode="after")
    def _total_lengths(self):
        for name, limit in TEXT_LIMITS.items():
            items = getattr(self, name, None)
            if items is not None and len("\n".join(items)) > limit:
                raise ValueError(_("%(field)s: at most %(limit)d characters in all.")
                                 % {"field": name, "limit": limit})
        return self


class DecisionWording(_Wording):
    """The wording of a decision (award or revocation), as on the signer's form."""

    authority: str = Field(min_length=1, max_length=255, pattern=NO_NUL,
                           description="E.g. BỘ TRƯỞNG BỘ TƯ PHÁP.")
    bases: Lines = Field(default_factory=list, description="Legal bases (căn cứ), one each.")
    articles: Lines = Field(min_length=1, description="Điều 1, Điều 2 …, one each.")


class DecisionIn(DecisionWording):
    dossier_ids: list[BodyId] = Field(min_length=1, max_length=MAX_ITEMS, description=(
        "Dossiers ready for this signer (`GET /decisions/ready`); one decision covers all."))
    on_behalf_of: str = Field("", max_length=60, pattern=r"^[^\x00\r\n]*$", description=(
        "Optional line printed above the signer's title when signing for the head of the "
        "body, e.g. \"KT. BỘ TRƯỞNG\"; empty: the signer signs in their own name."))


class SubmissionIn(_Wording):
    dossier_ids: list[BodyId] = Field(min_length=1, max_length=MAX_ITEMS, description=(
        "Council-approved dossiers of awards conferred above this body "
        "(`GET /forwarding/ready`)."))
    addressee: str = Field(min_length=1, max_length=255, pattern=NO_NUL,
                           description="Kính gửi …")
    signer_title: str = Field(min_length=1, max_length=160, pattern=NO_NUL)
    signer_name: str = Field(min_length=1, max_length=120, pattern=NO_NUL)
    body: Lines = Field(min_length=1, description="One paragraph per item.")


class DecisionIssueIn(DecisionIn, ReauthIn):
    """The decision as previewed, with the signer's password again."""


class SubmissionIssueIn(SubmissionIn, ReauthIn):
    """The tờ trình as drafted, with the signer's password again."""


class DecisionDraftOut(ResponseModel):
    """The pages' prefilled wording; edit it and send it to the preview or the issue."""

    dossier_ids: list[int]
    issued_on: date
    place: str
    summary: str
    authority: str
    bases: list[str]
    articles: list[str]
    recipients: list[str]
    issuer_id: int | None
    on_behalf_of: str = ""


class SubmissionDraftOut(ResponseModel):
    dossier_ids: list[int]
    issued_on: date
    place: str
    summary: str
    addressee: str
    signer_title: str
    signer_name: str
    body: list[str]
    recipients: list[str]
    issuer_id: int | None


class DraftIn(RequestModel):
    """Which ready dossiers the wording is for (the page's ticked boxes): `dossier_ids`, or
    every ready dossier of `award_id`, or (neither) every ready dossier."""

    dossier_ids: list[BodyId] = Field(default_factory=list, max_length=MAX_ITEMS)
    award_id: BodyId | None = None


class ReadyQuery(PageQuery):
    award_id: QueryId | None = Field(None, description="Only this award's dossiers.")


class AnnexRowOut(ResponseModel):
    name: str
    position: str
    unit: str
    award: str


class ReadyDossier(DossierSummary):
    award_name: str = Field(description="As the document names it (Vietnamese).")
    annex_row: AnnexRowOut = Field(description="The dossier's row in the annex.")


class ReadyPage(ResponseModel):
    items: list[ReadyDossier] = Field(description="By dossier id.")
    next_cursor: str | None


class ParagraphOut(ResponseModel):
    lead: str = Field(description='Printed bold before the text ("Điều 1.").')
    text: str


class DocumentPreviewOut(ResponseModel):
    """The document as it will be issued, the number still pending. Nothing was written."""

    issuer: Ref
    reference: str = Field(description="Pending: the number is taken only when issuing.")
    number_line: str
    date_line: str
    doc_title: str
    summary: str
    authority: str
    addressee: str
    bases: list[str]
    operative_heading: str
    paragraphs: list[ParagraphOut]
    recipients: list[str]
    signer_title: str
    signer_name: str
    annex_title: str
    annex: list[AnnexRowOut]


class DecisionItemOut(ResponseModel):
    id: int = Field(description="GET /decisions/{id}/certificates/{item id}: the certificate.")
    position: int
    dossier_id: int
    awardee_name: str
    awardee_position: str
    awardee_unit: str
    award_name: str
    certificate_sha256: str | None = None
    revoked: bool = Field(default=False, description=(
        "The award this row conferred was later revoked. The certificate stays downloadable "
        "exactly as issued, for the record."))
    revocation_id: int | None = Field(default=None,
                                      description="GET /revocations/{id}: the revocation.")
    revocation_reference: str | None = Field(
        default=None, description='The revoking decision\'s number, e.g. "05/QĐ-BTP".')


class IssuedSummary(ResponseModel):
    id: int
    reference: str = Field(description='Number and symbol, e.g. "01/QĐ-BTP".')
    doc_type: str
    number: int
    year: int
    issued_on: date
    issuer: Ref
    summary: str
    signer_name: str
    signer_title: str
    item_count: int
    issued_at: datetime


class IssuedOut(IssuedSummary):
    place: str
    issued_by: str | None = Field(description="Who issued it in the system.")
    docx_sha256: str
    pdf_sha256: str
    file_stem: str = Field(description='The downloads\' file name, e.g. "QD-01-BTP-2025".')
    items: list[DecisionItemOut] = Field(description="The annex, in order.")


class DecisionOut(IssuedOut):
    authority: str
    bases: list[str]
    articles: list[str]
    recipients: list[str]


class LetterOut(IssuedOut):
    addressee: str
    body: list[str]
    recipients: list[str]


class IssuedPage(ResponseModel):
    items: list[IssuedSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class HigherDecisionIn(RequestModel):
    number: str = Field(max_length=60, pattern=HIGHER_NUMBER,
                        description="As printed on the decision, e.g. 125/QĐ-TTg.")
    decided_on: IsoDate = Field(description="Not in the future.")
    version: BodyId | None = Field(
        None, description="The dossier version you saw (409 `stale_version` if it changed).")


class HigherRefusalIn(RequestModel):
    reason: str = Field(min_length=1, max_length=4000, pattern=NO_NUL,
                        description="What the higher authority answered.")
    version: BodyId | None = Field(None, description="The dossier version you saw.")


class AwaitingDossier(DossierSummary):
    forward_reference: str | None = Field(description="The tờ trình it was forwarded with.")


class AwaitingPage(ResponseModel):
    items: list[AwaitingDossier] = Field(description="By dossier id.")
    next_cursor: str | None


class HigherDecisionOut(ResponseModel):
    dossier: DossierSummary = Field(description="Now `decided`.")
    award_record: AwardRecordOut = Field(description="The award as entered in the registry.")
