"""Dossiers: the bodies of "open a dossier" and "change its fields" (the dossier form's
fields; the same limits as the form, checked again by the service)."""

from __future__ import annotations

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, BodyId, BodyInt, BodyYear, RequestModel
from workflow_app.dossiers.api.schemas import CommendationType
from workflow_app.dossiers.service import fields as limits


class SectionIn(RequestModel):
    """One section of the achievement report. A section without text is dropped; one with
    text needs a heading."""

    heading: str = Field("", max_length=limits.HEADING_MAX, pattern=NO_NUL)
    body: str = Field("", max_length=limits.SECTION_BODY_MAX, pattern=NO_NUL)


class _DossierFields(RequestModel):
    movement_reference: str = Field(
        "", max_length=limits.MOVEMENT_MAX, pattern=NO_NUL,
        description="Emulation movement or plan, e.g. Kế hoạch số 16/KH-STP.")
    title: str = Field("", max_length=limits.TITLE_MAX, pattern=NO_NUL, description=(
        "Empty: made from the award, the year(s) and the nominee."))
    summary: str = Field("", max_length=limits.SUMMARY_MAX, pattern=NO_NUL,
                         description="Achievement summary.")


class DossierIn(_DossierFields):
    """A new draft dossier for one nominee: a person or a unit (exactly one of the two)."""

    unit_id: BodyId = Field(description="The submitting unit: one your submitter role covers.")
    award_id: BodyId = Field(description="An award in force today (GET /catalogue/awards).")
    commendation_type: CommendationType
    year: BodyYear = Field(description="Year of the achievements (at most this year).")
    year_from: BodyYear | None = Field(None, description="First year, for a period.")
    nominee_person_id: BodyId | None = Field(
        None, description="A person of the submitting unit or of one of its sub-units.")
    nominee_unit_id: BodyId | None = Field(
        None, description="A collective: the submitting unit or one of its sub-units.")
    report_sections: list[SectionIn] = Field(
        default_factory=list, max_length=limits.SECTIONS_MAX,
        description="The achievement report (normal procedure).")


class DossierPatch(RequestModel):
    """The fields to change; those left out keep their value. `version` is required."""

    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The dossier version you saw.")
    award_id: BodyId | None = Field(None, description="Only before the dossier is received.")
    commendation_type: CommendationType | None = None
    year: BodyYear | None = None
    year_from: BodyYear | None = Field(None, description="null: not a period.")
    movement_reference: str | None = Field(None, max_length=limits.MOVEMENT_MAX,
                                           pattern=NO_NUL)
    title: str | None = Field(None, max_length=limits.TITLE_MAX, pattern=NO_NUL)
    summary: str | None = Field(None, max_length=limits.SUMMARY_MAX, pattern=NO_NUL)
    report_sections: list[SectionIn] | None = Field(
        None, max_length=limits.SECTIONS_MAX,
        description="Replaces the whole report (normal procedure only).")
