"""Formal legal grounds ("Căn cứ …;" lines) and official award names, as documents print them.

The catalogue's `legal_basis` is a short reference for readers ("Luật TĐKT 2022, Điều 74 …");
a decision cites instead the full lines an agency writes ("Căn cứ Luật Thi đua, khen thưởng
số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"). `line_problem` tells a formal line from a
placeholder, an empty line or catalogue shorthand; the catalogue loader refuses such lines
in the files and the issuing forms refuse them in a document.
"""

from __future__ import annotations

import re

from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.org import OrgUnit

# Marks of text to be filled in or of catalogue shorthand, never of a formal citation.
_PLACEHOLDER = re.compile(r"…|\.\.\.|\[|\]|\{|\}|<|>|_{3,}|\bx{2,}\b", re.IGNORECASE)
_SHORTHAND = re.compile(r"\bk\s?\d+\s*[:)]|\.\s*;|\bĐiều\s+\d+\s+k\d|\bTĐKT\b")
# The old default first line, which named no text at all.
_VAGUE = ("căn cứ văn bản quy định chức năng",)
PREFIX = "Căn cứ "
# Placeholders an official name may hold: the issuing body and its head's title.
NAME_FIELDS = ("issuer", "head_title")


def line_problem(line: str) -> str | None:
    """Why `line` is not a formal "Căn cứ …;" citation (a code), or None when it is."""
    text = (line or "").strip()
    if not text:
        return "empty"
    if _PLACEHOLDER.search(text) or text.lower().startswith(_VAGUE):
        return "placeholder"
    if _SHORTHAND.search(text):
        return "shorthand"
    return None


def ground_problem(line: str) -> str | None:
    """As `line_problem`, and the line must read "Căn cứ …;"."""
    problem = line_problem(line)
    if problem is None and not (line.strip().startswith(PREFIX) and line.strip().endswith(";")):
        return "form"
    return problem


def official_name(version: AwardVersion | None, issuer: OrgUnit | None, fallback: str = ""
                  ) -> str:
    """The award as a document writes it for `issuer`, {issuer}/{head_title} filled in; the
    catalogue name while a field the template needs is unknown (the issuing forms refuse
    that case, see `missing_name_fields`)."""
    if version is None:
        return fallback
    template = (version.official_name or "").strip() or version.name_vi
    values = {"issuer": issuer.name if issuer is not None else "",
              "head_title": (issuer.head_title or "").strip() if issuer is not None else ""}
    for name in NAME_FIELDS:
        if values[name]:
            template = template.replace("{" + name + "}", values[name])
    return version.name_vi if "{" in template else template


def missing_name_fields(version: AwardVersion | None, issuer: OrgUnit | None) -> list[str]:
    """The issuer's settings the award's official name needs and that are still empty."""
    template = (version.official_name or "") if version is not None else ""
    return [name for name in NAME_FIELDS if "{" + name + "}" in template
            and not (issuer is not None and (getattr(issuer, name if name != "issuer"
                                                     else "name") or "").strip())]
