"""Request and response models of the search operation."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, QueryModel, ResponseModel

Kind = Literal["person", "unit", "dossier", "decision", "record"]


class SearchAllQuery(QueryModel):
    q: str = Field(..., min_length=1, max_length=120, pattern=NO_NUL, description=(
        "Words, with or without diacritics."))
    kind: Kind | None = Field(None, description="Only this kind, paged; else the first "
                                                "`per_page` of every kind.")
    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(20, ge=1, le=100)


class SearchHit(ResponseModel):
    id: int
    title: str = Field(description="Name, nominee or decision number.")
    detail: str = Field(description="Unit, award and year, the decision's date and summary, or "
                                    "(a registry entry) its date, recipient, award and year.")


class SearchGroup(ResponseModel):
    kind: Kind
    total: int = Field(description="Every matching record you may see (never capped).")
    mode: Literal["phrase", "all_words"] = Field(description=(
        "phrase: the words in the order typed; all_words: the phrase found nothing, so "
        "every word in any order."))
    page: int
    pages: int
    items: list[SearchHit]


class SearchResultsOut(ResponseModel):
    groups: list[SearchGroup]
