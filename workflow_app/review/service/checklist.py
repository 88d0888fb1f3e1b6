"""The reviewer's checklist per dossier (phiếu kiểm tra hồ sơ khi thẩm định).

Items come from two places:
- every document the award's rule version requires for the dossier's procedure (`DOC:<type>`);
- general items (`GEN:<code>`), the same for every dossier: `GENERAL_ITEMS` below, or the
  list given in the configuration (`Config.extra["review_general_items"]`, entries with
  `code`, `label_vi`, `label_en`, `source`).

`save_checklist` writes only what changed, in the caller's transaction, and records one audit
event `review.checklist_saved` with the field-level diff of the items that changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import diff, record
from workflow_app.config import current_config
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.review import MAX_CHECK_NOTE, ReviewCheck
from workflow_app.models.user import User
from workflow_app.workdays import local_date
from workflow_app.workflow import Forbidden, InputInvalid, WorkflowError, definition_of
from workflow_app.workflow.documents import document_label
from workflow_app.workflow.engine import lock_dossier
from workflow_app.workflow.guards import required_documents

CONFIGURABLE = _l("configurable — no confirmed legal source")

# (code, label, source). Only the last item has a confirmed source; the others are the
# standing agency's usual checks and may be replaced in the configuration.
GENERAL_ITEMS = (
    ("authority", _l("Proposed by the competent level (đúng thẩm quyền đề nghị)"),
     _l("Law 2022 Art. 83 — proposals start at the level managing "
        "personnel and payroll [P]")),
    ("report_template", _l("Achievement report follows the prescribed template "
                           "(đúng mẫu báo cáo)"), CONFIGURABLE),
    ("signatures", _l("Signatures and seals present (đủ chữ ký, dấu)"), CONFIGURABLE),
    ("no_pending_case", _l("Not under disciplinary review, investigation, complaint or "
                           "denunciation (không đang bị xem xét kỷ luật, khiếu nại, tố cáo)"),
     _l("ND 152/2025 principle — no reward or proposal while discipline, "
        "investigation, inspection or a complaint/denunciation is pending [S]")),
)


class ChecklistClosed(WorkflowError):
    code = 409
    default_message = _l("The dossier's procedure has ended: its checklist can no longer "
                         "change.")


@dataclass(frozen=True)
class CheckItem:
    code: str
    label: str
    source: str = ""
    present: bool | None = None  # document items: whether such a document is attached


def _general_items() -> list[CheckItem]:
    configured = None
    config = current_config()
    if config is not None:
        configured = config.extra.get("review_general_items")
    if configured:
        english = current_locale() == "en"
        return [CheckItem(f"GEN:{item['code']}",
                          item["label_en"] if english else item["label_vi"],
                          item.get("source") or str(CONFIGURABLE))
                for item in configured]
    return [CheckItem(f"GEN:{code}", str(label), str(source))
            for code, label, source in GENERAL_ITEMS]


def checklist_items(dossier: Dossier, today: date) -> list[CheckItem]:
    """The dossier's checklist: required documents of its rule version, then general items."""
    items: list[CheckItem] = []
    version = dossier.rule_version(today)
    if version is not None:
        present = dossier.document_types
        items += [CheckItem(f"DOC:{code}", document_label(code),
                            _("Required by the award's rule (%(basis)s)",
                              basis=version.legal_basis), code in present)
                  for code in required_documents(dossier, version)]
    return items + _general_items()


def checks_by_code(session: Session, dossier: Dossier) -> dict[str, ReviewCheck]:
    rows = session.scalars(select(ReviewCheck).where(ReviewCheck.dossier_id == dossier.id))
    return {row.item_code: row for row in rows}


def _as_dict(row: ReviewCheck | None) -> dict | None:
    return None if row is None else {"checked": row.checked, "note": row.note}


def save_checklist(session: Session, dossier: Dossier, actor: User,
                   entries: Mapping[str, tuple[bool, str]], *, today: date | None = None,
                   now: datetime | None = None) -> dict[str, list]:
    """Save the checklist items given in `entries` ({code: (checked, note)}); return the diff.

    Guarantees: only a reviewer over the dossier's unit may save (Forbidden); only items of
    this dossier's checklist are accepted (InputInvalid, nothing written); a dossier in a
    terminal state keeps its checklist (ChecklistClosed). The dossier row is locked so that
    two reviewers saving at once are applied one after the other. Unchanged items write
    nothing; if anything changed, one audit event `review.checklist_saved` holds
    {"changes": {code: [before, after]}} where before/after are {checked, note} or None.
    """
    if not actor.can_see_unit(dossier.unit, "reviewer"):
        raise Forbidden()
    lock_dossier(session, dossier, None)
    if definition_of(dossier).state(dossier.state).terminal:
        raise ChecklistClosed()
    moment = now or utcnow()
    valid = {item.code for item in checklist_items(dossier, today or local_date(moment))}
    unknown = set(entries) - valid
    if unknown:
        raise InputInvalid(_l("Unknown checklist item: %(code)s", code=sorted(unknown)[0]))
    rows = checks_by_code(session, dossier)
    before = {code: _as_dict(rows.get(code)) for code in entries}
    for code, (checked, note) in entries.items():
        note = (note or "").strip()
        if len(note) > MAX_CHECK_NOTE:
            raise InputInvalid(_l("A note is too long (at most %(max)d characters).",
                                  max=MAX_CHECK_NOTE))
        row = rows.get(code)
        if row is None:
            if not checked and not note:
                continue  # an untouched item stays without a row
            row = ReviewCheck(dossier_id=dossier.id, item_code=code)
            session.add(row)
        elif row.checked == bool(checked) and row.note == note:
            continue
        row.checked, row.note = bool(checked), note
        row.updated_by_id, row.updated_at = actor.id, moment
        rows[code] = row
    session.flush()
    changes = diff(before, {code: _as_dict(rows.get(code)) for code in entries})
    if changes:
        record(session, "review.checklist_saved", "dossier", dossier.id, actor=actor,
               data={"changes": changes})
    return changes
