"""The criteria table as an officer types it on the page, one per line:

    # I | Thực hiện nhiệm vụ trọng tâm                       (a group: code | title)
    1 | Thẩm định dự thảo VBQPPL | 3 | standard | 100 % đúng hạn: 3 điểm
    2 | Sáng kiến được công nhận | 2 | bonus                (code | title | max | kind | guidance)
    3 | Báo cáo chậm | 1 | penalty

Kinds may be written in Vietnamese too (chuẩn, thưởng, trừ). A bad line is named by its
number; nothing is created.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.scoring.service.access import ScoringError
from workflow_app.scoring.service.building import CriterionSpec, GroupSpec

KINDS = {"standard": "standard", "chuan": "standard", "chuẩn": "standard",
         "bonus": "bonus", "thuong": "bonus", "thưởng": "bonus",
         "penalty": "penalty", "tru": "penalty", "trừ": "penalty"}


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("|")]


def parse_criteria(text: str) -> list[GroupSpec]:
    groups: list[GroupSpec] = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            cells = _cells(line.lstrip("#"))
            code, title = (cells[0], cells[1]) if len(cells) > 1 else ("", cells[0])
            groups.append(GroupSpec(title=title, code=code, criteria=[]))
            continue
        cells = _cells(line)
        if not groups:
            groups.append(GroupSpec(title=str(_l("Criteria")), criteria=[]))
        if len(cells) < 3 or not cells[1]:
            raise ScoringError(_l("Line %(line)d: write code | criterion | maximum points "
                                  "[| kind | guidance].", line=number), "criteria")
        kind = KINDS.get((cells[3] if len(cells) > 3 and cells[3] else "standard").lower())
        if kind is None:
            raise ScoringError(_l("Line %(line)d: the kind is standard, bonus or penalty.",
                                  line=number), "criteria")
        groups[-1].criteria.append(CriterionSpec(
            code=cells[0], title=cells[1], max_points=cells[2], kind=kind,
            guidance=" | ".join(cells[4:]) if len(cells) > 4 else ""))
    return groups
