"""Checking and normalising the fields of a dossier before the dossier services store them.

Pure functions: they read the catalogue rows they are given and raise `DossierInvalid`
(naming the form field and saying what is wrong, translated) — they never write.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from flask_babel import gettext as _

from workflow_app.models.catalogue import COMMENDATION_TYPES, Award, AwardVersion

TITLE_MAX = 255
SUMMARY_MAX = 4000
MOVEMENT_MAX = 160
HEADING_MAX = 200
SECTION_BODY_MAX = 20_000
SECTIONS_MAX = 12
PERIOD_MAX_YEARS = 60
FIRST_YEAR = 1945

# Suggested headings for the achievement report. Editable defaults only — NOT the official
# template: the report template of the decree's annex (Mẫu số …) was not found
# (LEGAL_FACTS §3.1, "Report-template sections: NOT FOUND"). Kept in Vietnamese because the
# report is a Vietnamese administrative document.
DEFAULT_SECTION_HEADINGS = (
    "Sơ lược lý lịch / đặc điểm tình hình",
    "Thành tích đạt được",
    "Các danh hiệu, hình thức khen thưởng đã nhận",
)


class DossierInvalid(ValueError):
    """A field value is not acceptable; `field` names the form field, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def fold(text: str) -> str:
    """Lower-case ASCII without Vietnamese accents: "Nguyễn Đức" → "nguyen duc"."""
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def clean_text(value: str | None, field: str, maximum: int, *, multiline: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if "\x00" in text:
        raise DossierInvalid(field, _("The text contains a character that is not allowed."))
    if len(text) > maximum:
        raise DossierInvalid(field, _("At most %(max)d characters (%(count)d given).",
                                      max=maximum, count=len(text)))
    return text


def clean_sections(sections: Any) -> list[dict[str, str]]:
    """Keep the sections that have content, in order; each needs a heading when it has text."""
    if sections is None:
        return []
    if not isinstance(sections, list | tuple):
        raise DossierInvalid("sections", _("The achievement report is not in the right form."))
    cleaned: list[dict[str, str]] = []
    for item in sections:
        if not isinstance(item, dict):
            raise DossierInvalid("sections", _("The achievement report is not in the right form."))
        heading = clean_text(item.get("heading"), "sections", HEADING_MAX)
        body = clean_text(item.get("body"), "sections", SECTION_BODY_MAX, multiline=True)
        if not body:
            continue  # an empty section (a suggested heading left blank) is dropped
        if not heading:
            raise DossierInvalid("sections", _("Every section with text needs a heading."))
        cleaned.append({"heading": heading, "body": body})
    if len(cleaned) > SECTIONS_MAX:
        raise DossierInvalid("sections", _("At most %(max)d sections.", max=SECTIONS_MAX))
    return cleaned


def check_years(year: Any, year_from: Any, today: date) -> tuple[int, int | None]:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        raise DossierInvalid("year", _("Enter a year between %(first)d and %(last)d.",
                                       first=FIRST_YEAR, last=today.year))
    if year_from is None or year_from == year:
        return year, None
    if not isinstance(year_from, int) or not FIRST_YEAR <= year_from < year:
        raise DossierInvalid("year_from", _("The first year of the period must be before %(year)d.",
                                            year=year))
    if year - year_from > PERIOD_MAX_YEARS:
        raise DossierInvalid("year_from", _("A period covers at most %(max)d years.",
                                            max=PERIOD_MAX_YEARS))
    return year, year_from


def check_commendation_type(code: Any) -> str:
    if code not in COMMENDATION_TYPES:
        raise DossierInvalid("commendation_type", _("Choose a commendation type from the list."))
    return code


def version_in_force(award: Award | None, today: date) -> AwardVersion:
    """The award's rule in force today; a dossier cannot be opened for an award without one."""
    version = award.version_on(today) if award is not None else None
    if version is None:
        raise DossierInvalid("award", _("Choose an award that is in force today."))
    return version


def fits_nominee(version: AwardVersion, nominee_is_person: bool) -> bool:
    wanted = "individual" if nominee_is_person else "collective"
    return version.subject in (wanted, "both")


def check_fits(version: AwardVersion, nominee_is_person: bool) -> None:
    if not fits_nominee(version, nominee_is_person):
        message = (_("This award is for collectives, not for a person.") if nominee_is_person
                   else _("This award is for individuals, not for a unit."))
        raise DossierInvalid("award", message)


def procedure_for(version: AwardVersion, commendation_type: str) -> str:
    """The workflow a dossier follows: the award's own, or the simplified procedure when the
    rule lists the commendation type among its simplified cases (Law Art. 85; §3.3)."""
    if version.workflow == "simplified":
        return "simplified"
    allowed = (version.simplified or {}).get("allowed_for") or []
    return "simplified" if commendation_type in allowed else "normal"


def has_report_sections(workflow: str) -> bool:
    """Whether a dossier of this procedure keeps an achievement report in sections (the
    simplified procedure has a summary report only): the forms offer them only then."""
    return workflow == "normal"


def year_text(year: int, year_from: int | None) -> str:
    return f"{year_from}–{year}" if year_from else str(year)


def default_title(version: AwardVersion, nominee_name: str, year: int,
                  year_from: int | None) -> str:
    """A title in the dossier's language (Vietnamese) when the submitter gives none."""
    return f"{version.name_vi} năm {year_text(year, year_from)} — {nominee_name}"[:TITLE_MAX]
