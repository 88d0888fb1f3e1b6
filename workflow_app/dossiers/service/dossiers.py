"""Creating and editing nomination dossiers. Services flush, never commit; every change is
audited in the same transaction.

- `create_dossier` checks the fields, then hands the new row to the engine's `open_dossier`,
  which sets the initial state and records `dossier.created`.
- `edit_dossier` locks the row and checks the version the page showed (`lock_dossier`),
  refuses outside the editable states (409) and to anyone but a submitter over the unit
  (403), bumps the version and records `dossier.edited` with the field-level diff.
Field errors raise `DossierInvalid` before anything is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.audit.chain import diff, record
from workflow_app.dossiers.service import fields
from workflow_app.dossiers.service.access import is_editable, may_submit_for
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.batch import DossierBatch
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.workdays import local_date
from workflow_app.workflow import Forbidden, lock_dossier, open_dossier
from workflow_app.workflow.errors import WorkflowError

EDITABLE_FIELDS = ("award_id", "commendation_type", "year", "year_from", "title", "summary",
                   "report_sections", "movement_reference")

__all__ = ["DossierInvalid", "NotEditable", "create_dossier", "edit_dossier"]


class NotEditable(WorkflowError):
    code = 409
    default_message = _l("This dossier can be changed only while it is a draft or returned for "
                         "supplementation.")


def today_vn() -> date:
    return local_date(utcnow())


def _snapshot(dossier: Dossier) -> dict[str, Any]:
    return {name: getattr(dossier, name) for name in EDITABLE_FIELDS}


def _search_text(dossier: Dossier, nominee_name: str) -> str:
    text = fields.fold(" ".join((nominee_name, dossier.title, dossier.movement_reference)))
    return text[:600]


def _check_nominee(unit: OrgUnit, person: Person | None, nominee_unit: OrgUnit | None) -> str:
    if (person is None) == (nominee_unit is None):
        raise DossierInvalid("nominee", str(_l("Choose one nominee: a person or a unit.")))
    where = person.unit if person is not None else nominee_unit
    if not where.is_within(unit):
        raise DossierInvalid("nominee", str(_l("The nominee must belong to the submitting unit "
                                               "or one of its sub-units.")))
    return person.full_name if person is not None else nominee_unit.name


def create_dossier(session: Session, actor: User, *, unit: OrgUnit, award: Award | None,
                   commendation_type: str, year: int, year_from: int | None = None,
                   person: Person | None = None, nominee_unit: OrgUnit | None = None,
                   title: str = "", summary: str = "", report_sections: Any = None,
                   movement_reference: str = "", batch: DossierBatch | None = None,
                   today: date | None = None) -> Dossier:
    """Open a draft dossier for one nominee, submitted by `unit`.

    Raises DossierInvalid (a field) or Forbidden (the actor is not a submitter over `unit`);
    nothing is written then. The workflow follows from the award's rule in force today and
    the commendation type (`dossier_fields.procedure_for`).
    """
    today = today or today_vn()
    if not may_submit_for(actor, unit):
        raise Forbidden()
    nominee_name = _check_nominee(unit, person, nominee_unit)
    commendation_type = fields.check_commendation_type(commendation_type)
    version = fields.version_in_force(award, today)
    fields.check_fits(version, person is not None)
    year, year_from = fields.check_years(year, year_from, today)
    title = fields.clean_text(title, "title", fields.TITLE_MAX) or fields.default_title(
        version, nominee_name, year, year_from)
    dossier = Dossier(
        workflow=fields.procedure_for(version, commendation_type), unit_id=unit.id,
        nominee_person_id=person.id if person else None,
        nominee_unit_id=nominee_unit.id if nominee_unit else None,
        award_id=award.id, commendation_type=commendation_type, year=year, year_from=year_from,
        title=title, summary=fields.clean_text(summary, "summary", fields.SUMMARY_MAX,
                                               multiline=True),
        report_sections=fields.clean_sections(report_sections),
        movement_reference=fields.clean_text(movement_reference, "movement_reference",
                                             fields.MOVEMENT_MAX),
        batch_id=batch.id if batch else None,
    )
    dossier.search_text = _search_text(dossier, nominee_name)
    open_dossier(session, dossier, actor)
    return dossier


def edit_dossier(session: Session, dossier: Dossier, actor: User,
                 expected_version: int | str | None, *, today: date | None = None,
                 **changes: Any) -> AuditEvent | None:
    """Change the editable fields given in `changes`; return the `dossier.edited` event, or
    None when nothing changed (no version bump, no event).

    Raises StaleVersion (409), NotEditable (409), Forbidden (403) or DossierInvalid.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"award"}
    if unknown:
        raise TypeError(f"edit_dossier: not editable: {', '.join(sorted(unknown))}")
    lock_dossier(session, dossier, expected_version, actor)
    if not may_submit_for(actor, dossier.unit):
        raise Forbidden()
    if not is_editable(dossier):
        raise NotEditable()
    today = today or today_vn()
    before = _snapshot(dossier)
    _apply(dossier, changes, today)
    after = _snapshot(dossier)
    changed = diff(before, after)
    if not changed:
        return None
    dossier.search_text = _search_text(dossier, dossier.nominee_name)
    dossier.version += 1
    session.flush()
    return record(session, "dossier.edited", "dossier", dossier.id, actor=actor,
                  data={"changes": changed, "version": dossier.version})


def _apply(dossier: Dossier, changes: dict[str, Any], today: date) -> None:
    award = changes.get("award", dossier.award)
    commendation_type = fields.check_commendation_type(
        changes.get("commendation_type", dossier.commendation_type))
    if award.id != dossier.award_id:
        if dossier.award_version_id is not None:
            raise DossierInvalid("award", str(_l(
                "The award cannot be changed once the dossier has been received; withdraw it "
                "and open a new one.")))
        version = fields.version_in_force(award, today)
        fields.check_fits(version, dossier.nominee_person_id is not None)
    else:
        version = dossier.rule_version(today) or fields.version_in_force(award, today)
    if fields.procedure_for(version, commendation_type) != dossier.workflow:
        raise DossierInvalid("commendation_type", str(_l(
            "This change would move the dossier to another procedure (normal or simplified); "
            "open a new dossier instead.")))
    year, year_from = fields.check_years(changes.get("year", dossier.year),
                                         changes.get("year_from", dossier.year_from), today)
    dossier.award_id = award.id
    dossier.award = award
    dossier.commendation_type = commendation_type
    dossier.year, dossier.year_from = year, year_from
    if "title" in changes:
        dossier.title = fields.clean_text(changes["title"], "title", fields.TITLE_MAX) or \
            fields.default_title(version, dossier.nominee_name, year, year_from)
    if "summary" in changes:
        dossier.summary = fields.clean_text(changes["summary"], "summary", fields.SUMMARY_MAX,
                                            multiline=True)
    if "report_sections" in changes:
        dossier.report_sections = fields.clean_sections(changes["report_sections"])
    if "movement_reference" in changes:
        dossier.movement_reference = fields.clean_text(
            changes["movement_reference"], "movement_reference", fields.MOVEMENT_MAX)
