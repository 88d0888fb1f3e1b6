"""Batches: one covering letter with many nominees, each its own dossier. Services flush,
never commit; every change is audited in the same transaction.

- `create_batch` opens one draft dossier per nominee (through `create_dossier`, so each has
  its own `dossier.created` event) and records `batch.created`.
- `add_batch_document` checks and stores a shared document once, records
  `batch.document_added`, and attaches a copy to every dossier of the batch that can still
  be changed (each copy audited on its dossier); the others are reported, not changed.
- `submit_complete` fires `submit` (or `resubmit` after a return) through the engine on each
  dossier still with the unit, and reports every one that did not go, with the engine's
  reason (e.g. exactly which documents are missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.dossiers.service import fields
from workflow_app.dossiers.service.access import is_editable, may_submit_for
from workflow_app.dossiers.service.documents import (
    DocumentGone,
    FileRejected,
    attach,
    check_upload,
    detach,
    document_types_for,
)
from workflow_app.dossiers.service.dossiers import create_dossier, today_vn
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.models.base import utcnow
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.workflow import Forbidden, fire, lock_dossier
from workflow_app.workflow.errors import WorkflowError

MAX_NOMINEES = 200
SUBMIT_TRIGGERS = {"draft": "submit", "returned": "resubmit"}


@dataclass(frozen=True)
class Outcome:
    """What happened to one dossier of the batch."""

    dossier: Dossier
    done: bool
    reason: str = ""


def batch_dossiers(session: Session, batch: DossierBatch) -> list[Dossier]:
    return list(session.scalars(select(Dossier).where(Dossier.batch_id == batch.id)
                                .order_by(Dossier.id)))


def upload_document_types(dossiers: list[Dossier]) -> list[str]:
    """The document types a batch offers for a shared upload: those of its first dossier
    (every dossier of a batch has the same award and procedure)."""
    return document_types_for(dossiers[0]) if dossiers else []


def create_batch(session: Session, actor: User, *, unit: OrgUnit, award: Award | None,
                 commendation_type: str, year: int, title: str, persons: list[Person] = (),
                 units: list[OrgUnit] = (), movement_reference: str = "",
                 today: date | None = None) -> DossierBatch:
    """A batch and one draft dossier per nominee. Raises DossierInvalid / Forbidden (nothing
    is kept by the caller's rollback)."""
    today = today or today_vn()
    if not may_submit_for(actor, unit):
        raise Forbidden()
    nominees: list[tuple[Person | None, OrgUnit | None]] = (
        [(p, None) for p in dict.fromkeys(persons)] + [(None, u) for u in dict.fromkeys(units)])
    if not nominees:
        raise DossierInvalid("nominees", _("Choose at least one nominee."))
    if len(nominees) > MAX_NOMINEES:
        raise DossierInvalid("nominees", _("At most %(max)d nominees in one batch.",
                                           max=MAX_NOMINEES))
    title = fields.clean_text(title, "title", fields.TITLE_MAX)
    if not title:
        raise DossierInvalid("title", _("Give the batch a title, e.g. the covering letter's "
                                        "subject."))
    fields.version_in_force(award, today)
    batch = DossierBatch(
        unit_id=unit.id, award_id=award.id,
        commendation_type=fields.check_commendation_type(commendation_type),
        year=fields.check_years(year, None, today)[0], title=title,
        movement_reference=fields.clean_text(movement_reference, "movement_reference",
                                             fields.MOVEMENT_MAX),
        created_by_id=actor.id,
    )
    session.add(batch)
    session.flush()
    dossiers = [create_dossier(session, actor, unit=unit, award=award, person=person,
                               nominee_unit=nominee_unit, commendation_type=commendation_type,
                               year=year, movement_reference=batch.movement_reference,
                               batch=batch, today=today)
                for person, nominee_unit in nominees]
    record(session, "batch.created", "batch", batch.id, actor=actor, data={
        "title": batch.title, "unit_id": unit.id, "award_id": award.id, "year": year,
        "commendation_type": batch.commendation_type,
        "dossier_ids": [d.id for d in dossiers],
    })
    return batch


def _check_batch_editor(batch: DossierBatch, actor: User) -> None:
    if not may_submit_for(actor, batch.unit):
        raise Forbidden()


def add_batch_document(session: Session, batch: DossierBatch, actor: User, *, doc_type: str,
                       filename: str, data: bytes, storage: Storage, max_size: int,
                       allowed_types: list[str]) -> tuple[BatchDocument, list[Outcome]]:
    """Store a shared document once and copy it onto every dossier that can still change."""
    _check_batch_editor(batch, actor)
    if doc_type not in allowed_types:
        raise FileRejected(_("Choose the document's type from the list."))
    checked = check_upload(data, filename, max_size)
    sha256 = storage.put(checked.data)
    shared = BatchDocument(batch_id=batch.id, doc_type=doc_type, sha256=sha256,
                           filename=checked.filename, mimetype=checked.filetype.mimetype,
                           size=len(checked.data), uploaded_by_id=actor.id)
    session.add(shared)
    session.flush()
    outcomes = []
    for dossier in batch_dossiers(session, batch):
        lock_dossier(session, dossier, None)
        if not is_editable(dossier):
            outcomes.append(Outcome(dossier, False, _("already sent: it can no longer change")))
            continue
        attach(session, dossier, actor, doc_type=doc_type, sha256=sha256,
               filename=shared.filename, size=shared.size, mimetype=shared.mimetype,
               batch_document_id=shared.id)
        outcomes.append(Outcome(dossier, True))
    record(session, "batch.document_added", "batch", batch.id, actor=actor, data={
        "batch_document_id": shared.id, "doc_type": doc_type, "filename": shared.filename,
        "sha256": sha256, "size": shared.size, "mimetype": shared.mimetype,
        "copied_to": [o.dossier.id for o in outcomes if o.done],
    })
    return shared, outcomes


def remove_batch_document(session: Session, batch: DossierBatch, document_id: int,
                          actor: User) -> list[Outcome]:
    """Remove a shared document, and its copies from the dossiers that can still change."""
    _check_batch_editor(batch, actor)
    shared = session.get(BatchDocument, document_id)
    if shared is None or shared.batch_id != batch.id or shared.removed_at is not None:
        raise DocumentGone()
    shared.removed_at = utcnow()
    shared.removed_by_id = actor.id
    outcomes = []
    copies = session.scalars(select(DossierDocument).where(
        DossierDocument.batch_document_id == shared.id, DossierDocument.removed_at.is_(None)
    ).order_by(DossierDocument.dossier_id)).all()
    for copy in copies:
        dossier = copy.dossier
        lock_dossier(session, dossier, None)
        if not is_editable(dossier):
            outcomes.append(Outcome(dossier, False, _("already sent: it keeps the document")))
            continue
        detach(session, dossier, copy, actor)
        outcomes.append(Outcome(dossier, True))
    session.flush()
    record(session, "batch.document_removed", "batch", batch.id, actor=actor, data={
        "batch_document_id": shared.id, "doc_type": shared.doc_type,
        "filename": shared.filename, "sha256": shared.sha256,
        "removed_from": [o.dossier.id for o in outcomes if o.done],
    })
    return outcomes


def submit_complete(session: Session, batch: DossierBatch, actor: User,
                    **fire_kwargs: Any) -> list[Outcome]:
    """Send every dossier of the batch that is with the unit (draft or returned) and complete.

    Each is fired on its own through the engine: a dossier the engine refuses (incomplete, a
    role missing …) is left exactly as it was and reported with the engine's reason; the
    others go. Dossiers already sent are not listed.
    """
    _check_batch_editor(batch, actor)
    outcomes = []
    for dossier in batch_dossiers(session, batch):
        trigger = SUBMIT_TRIGGERS.get(dossier.state)
        if trigger is None:
            continue
        try:
            fire(session, dossier, trigger, actor, **fire_kwargs)
        except WorkflowError as error:
            outcomes.append(Outcome(dossier, False, str(error.description)))
        else:
            outcomes.append(Outcome(dossier, True))
    return outcomes
