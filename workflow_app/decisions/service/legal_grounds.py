"""The "Căn cứ" lines and award names an issued document prints, and the check that refuses a
document while one of them is still a placeholder, empty or catalogue shorthand.

Where each line comes from (nothing is invented here):
- the issuing body's own organisation decree: `OrgUnit.founding_ground`, entered by an
  administrator (Admin → Units); a placeholder naming what to enter until then;
- the awards' texts (law, decree, circular): `AwardVersion.legal_grounds`, from the catalogue
  files, for the rule version each dossier was received under.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.catalogue.service.grounds import line_problem, missing_name_fields
from workflow_app.decisions.service import texts
from workflow_app.decisions.service.selection import SelectionError, rule_of
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit

BASES = "bases"  # the input the lines come from


def founding_line(issuer: OrgUnit) -> str:
    """The issuer's organisation-decree line, or the placeholder that asks for it."""
    return (issuer.founding_ground or "").strip() or texts.FOUNDING_BASIS.format(
        issuer=issuer.name)


def award_lines(dossiers: list[Dossier]) -> list[str]:
    """The awards' "Căn cứ" lines in order, each once; a placeholder for an award whose rule
    version has none yet."""
    lines: list[str] = []
    for dossier in dossiers:
        version = rule_of(dossier)
        grounds = list(version.legal_grounds or []) if version is not None else []
        if not grounds:
            name = version.name_vi if version is not None else dossier.award.code
            grounds = [texts.AWARD_GROUNDS_MISSING.format(award=name)]
        lines += [line for line in grounds if line not in lines]
    return lines


def check_lines(lines: list[str], issuer: OrgUnit, field: str = BASES) -> None:
    """Raise SelectionError naming the first line that is empty, a placeholder or shorthand,
    and where to fill it in (the unit's settings, the catalogue, or this form)."""
    if not [line for line in lines if line.strip()]:
        raise SelectionError(_l("Enter the legal bases (căn cứ) of the document."), field)
    for line in lines:
        problem = line_problem(line)
        if problem is None:
            continue
        if line.strip() == texts.FOUNDING_BASIS.format(issuer=issuer.name):
            raise SelectionError(_l(
                "The first legal basis is still a placeholder: enter the “Căn cứ” line of the "
                "organisation decree of %(issuer)s (its number, date and issuer) in "
                "Administration → Units → %(issuer)s, or write it on this form.",
                issuer=issuer.name), field)
        if problem == "shorthand":
            raise SelectionError(_l(
                "The legal basis “%(line)s” is written in catalogue shorthand: write the full "
                "citation as a decision does (name, number, date and issuer of the text).",
                line=line.strip()), field)
        raise SelectionError(_l(
            "The legal basis “%(line)s” is still a placeholder: write the full citation "
            "(number, date and issuer of the text). An award's texts are set in the award "
            "catalogue files.", line=line.strip()), field)


def check_names(dossiers: list[Dossier], issuer: OrgUnit) -> None:
    """Raise SelectionError when an award's official name needs a setting of the issuer
    (the title of its head) that is still empty."""
    for dossier in dossiers:
        if missing_name_fields(rule_of(dossier), issuer):
            raise SelectionError(_l(
                "The official name of the award “%(award)s” uses the title of the head of "
                "%(issuer)s (e.g. “Bộ trưởng Bộ Tư pháp”), which is not set: enter it in "
                "Administration → Units → %(issuer)s.",
                award=rule_of(dossier).name_vi, issuer=issuer.name), "issuer_id")
