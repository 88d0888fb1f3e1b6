"""The movement workflow's own guard and effect (`states/movement.toml`), and the dossier
guard `registration_respected` (`states/normal.toml`, `simplified.toml`: submitting a title's
nomination under a movement that requires registration), registered by name with the engine
when `workflow_app/parts.py` imports this module."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import object_session

from workflow_app.models.dossier import Dossier
from workflow_app.models.movement import Movement
from workflow_app.movements.service.registration import blocking_movement
from workflow_app.workflow.context import FireContext, effect, guard
from workflow_app.workflow.errors import EffectFailed
from workflow_app.workflow.guards import parse_document_date


@guard("movement_ready")
def movement_ready(movement: Movement, ctx: FireContext) -> str | None:
    """A plan is launched only with a theme and at least one participating unit."""
    missing = []
    if not (movement.theme or "").strip():
        missing.append(_("the theme"))
    if not movement.participants:
        missing.append(_("the participating units"))
    if missing:
        return _("Before launching, fill in: %(items)s.", items=", ".join(missing))
    return None


@effect("record_launch_document")
def record_launch_document(movement: Movement, ctx: FireContext) -> None:
    """Store the launching document's number, date (today when none) and signer."""
    number = str(ctx.data.get("document_number") or "").strip()
    if not number:
        raise EffectFailed("record_launch_document",
                           _("Enter the document's number and symbol."))
    movement.document_number = number
    movement.document_date = parse_document_date(ctx.data.get("document_date")) or ctx.today
    signer = str(ctx.data.get("document_signer") or "").strip()[:160]
    if signer:
        movement.document_signer = signer
    sha256 = str(ctx.data.get("document_sha256") or "")
    if len(sha256) == 64:  # the file, stored by its hash before the launch (attachments)
        movement.document_sha256 = sha256
        movement.document_filename = str(ctx.data.get("document_filename") or "")[:255]


@guard("registration_respected")
def registration_respected(dossier: Dossier, ctx: FireContext) -> str | None:
    """A title's nominee registered for it under every movement of the year that requires
    registration and counts the nominee's unit among its participants (a setting of the
    movement's organiser; off by default: registration is informative)."""
    session = ctx.session or object_session(dossier)
    movement = blocking_movement(session, dossier) if session is not None else None
    if movement is None:
        return None
    return _("“%(movement)s” requires registration: %(nominee)s did not register for this "
             "title under it. Its organiser may make registration informative, or the unit "
             "may register while registration is open.", movement=movement.title,
             nominee=dossier.nominee_name)
