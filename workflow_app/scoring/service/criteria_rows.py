"""The criteria table as an officer fills it on the page: one row per criterion, in order.

    Nhóm (group)                     | Mã | Tiêu chí                 | Tối đa | Loại
    I. Thực hiện nhiệm vụ trọng tâm  | 1  | Thẩm định dự thảo VBQPPL | 3      | chuẩn
                                     | 2  | Sáng kiến được công nhận | 2      | thưởng
    II. Công tác khác                |    |                          |        |

(and a guidance column: how the criterion is scored, e.g. "100 % đúng hạn: 3 điểm").

A filled group cell starts a new group (a leading "I." / "II" / "3." becomes its code); a row
with only a group is the group's heading. Kinds: standard (chuẩn), bonus (thưởng), penalty (trừ).
A bad row is named by its number; nothing is created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from workflow_app.scoring.service.access import ScoringError
from workflow_app.scoring.service.building import CriterionSpec, GroupSpec
from workflow_app.scoring.service.labels import KIND

_GROUP_CODE = re.compile(r"^([IVXLC]+|\d+)[.)]?\s+(.+)$")


@dataclass(frozen=True)
class CriterionRow:
    number: int
    group: str = ""
    code: str = ""
    title: str = ""
    max_points: str = ""
    kind: str = "standard"
    guidance: str = ""

    @property
    def blank(self) -> bool:
        return not any(v.strip() for v in (self.group, self.code, self.title, self.max_points,
                                           self.guidance))


def split_group(text: str) -> tuple[str, str]:
    """"II. Công tác khác" → ("II", "Công tác khác"); a group without a number → ("", text)."""
    match = _GROUP_CODE.match(text.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", text.strip())


def groups_from_rows(rows: list[CriterionRow]) -> list[GroupSpec]:
    groups: list[GroupSpec] = []
    for row in rows:
        if row.blank:
            continue
        if row.group.strip():
            code, title = split_group(row.group)
            groups.append(GroupSpec(title=title, code=code, criteria=[]))
        if not (row.title.strip() or row.code.strip() or row.max_points.strip()):
            continue  # a group's heading only
        if not row.title.strip() or not row.max_points.strip():
            raise ScoringError(_l("Row %(row)d: give the criterion and its maximum points.",
                                  row=row.number), "criteria")
        if row.kind not in KIND:
            raise ScoringError(_l("Row %(row)d: the kind is standard, bonus or penalty.",
                                  row=row.number), "criteria")
        if not groups:
            groups.append(GroupSpec(title=str(_l("Criteria")), criteria=[]))
        groups[-1].criteria.append(CriterionSpec(
            code=row.code.strip(), title=row.title.strip(), max_points=row.max_points.strip(),
            kind=row.kind, guidance=row.guidance.strip()))
    if not any(group.criteria for group in groups):
        raise ScoringError(_l("Give at least one criterion with its maximum points."),
                           "criteria")
    return groups
