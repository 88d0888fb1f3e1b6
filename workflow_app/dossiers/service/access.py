"""Who may see and who may change a dossier: one predicate for every view and download.

- See: users holding one of `READER_ROLES` through a grant that covers the dossier's
  submitting unit (the grant's unit or one of its ancestors), and auditors (read-only,
  everywhere). Nobody else — administrators included: they manage accounts and the
  catalogue, not dossiers. Views answer 404, never 403, so dossier ids do not leak.
- Edit (fields and documents): submitters over the submitting unit, while the dossier is in
  one of `EDITABLE_STATES` (a draft, or returned for supplementation).

Lists filter in SQL with the same rule (`visible_condition`), never in Python.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from workflow_app.models.batch import DossierBatch
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.org.service.scope import scope_paths

READER_ROLES = ("submitter", "reviewer", "council_member", "secretary", "chair", "signer")
READ_EVERYTHING_ROLES = ("auditor",)
READERS = (*READER_ROLES, *READ_EVERYTHING_ROLES)  # every role that may read some dossier
EDITOR_ROLES = ("submitter",)
EDITABLE_STATES = ("draft", "returned")


def _active(user: User | None) -> bool:
    return user is not None and getattr(user, "is_active", False) and hasattr(user, "grants")


def can_see_unit_dossiers(user: User | None, unit: OrgUnit) -> bool:
    """True when `user` may read the dossiers (and batches) submitted by `unit`."""
    if not _active(user):
        return False
    return user.has_role(*READ_EVERYTHING_ROLES) or user.can_see_unit(unit, *READER_ROLES)


def can_see_dossier(user: User | None, dossier: Dossier) -> bool:
    return can_see_unit_dossiers(user, dossier.unit)


def may_submit_for(user: User | None, unit: OrgUnit) -> bool:
    """The role half of editing: a submitter grant covering `unit`."""
    return _active(user) and user.can_see_unit(unit, *EDITOR_ROLES)


def is_editable(dossier: Dossier) -> bool:
    """The state half of editing."""
    return dossier.state in EDITABLE_STATES


def can_edit_dossier(user: User | None, dossier: Dossier) -> bool:
    return is_editable(dossier) and may_submit_for(user, dossier.unit)


def visible_condition(user: User) -> ColumnElement[bool]:
    """SQL condition on the submitting `OrgUnit` (join it) selecting what `user` may see."""
    if not _active(user):
        return false()
    if user.has_role(*READ_EVERYTHING_ROLES):
        return true()
    paths = scope_paths(user, *READER_ROLES)
    if not paths:
        return false()
    return or_(*(OrgUnit.path.startswith(path, autoescape=True) for path in paths))


def visible_dossier_or_404(session: Session, user: User, dossier_id: int) -> Dossier:
    """The dossier, when `user` may see it; otherwise 404 (the same for "does not exist")."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or not can_see_dossier(user, dossier):
        raise NotFound()
    return dossier


def visible_batch_or_404(session: Session, user: User, batch_id: int) -> DossierBatch:
    """The batch, when `user` may see its unit's dossiers; otherwise 404 (as for a dossier)."""
    batch = session.get(DossierBatch, batch_id)
    if batch is None or not can_see_unit_dossiers(user, batch.unit):
        raise NotFound()
    return batch
