"""Emulation movements, as the movement pages (`movements/views/routes.py`), through the same
services: the list and one movement (every signed-in user: plans are not personal data),
a new plan and its edits (reviewer over the organising unit; 403 otherwise), and the
actions of `states/movement.toml` through the engine (launch records the document).

Refusals: 422 `invalid_input` naming the field; 409 `stale_version` (send the version you
saw) / `invalid_transition` / `guard_failed`; 403 `forbidden`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor
from workflow_app.api.presenters import cluster_ref, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.movement import Movement
from workflow_app.models.org import OrgUnit
from workflow_app.movements.api.schemas import (
    MovementActionIn,
    MovementActionOut,
    MovementEditIn,
    MovementIn,
    MovementOut,
    MovementPage,
    MovementQuery,
    MovementSummary,
    RegistrationSettingsIn,
)
from workflow_app.movements.service import movements as service
from workflow_app.movements.service import queries
from workflow_app.movements.service.labels import registration_rule, state_label
from workflow_app.movements.service.movements import MovementError, PlanFields
from workflow_app.workflow import available_actions

TAGS = ["movements"]
ORGANISERS = ("reviewer",)
ACTORS = ("reviewer", "signer")


def _refused(error: MovementError) -> ApiError:
    field = error.field or "body"
    return ApiError(422, "invalid_input", str(error.message),
                    [{"loc": [field], "msg": str(error.message), "type": "invalid"}])


def _ref(movement: Movement | None) -> Ref | None:
    return Ref(id=movement.id, name=movement.title) if movement is not None else None


def movement_out(movement: Movement) -> MovementOut:
    locale, user = current_locale(), caller()
    status = queries.registration_status(db.session, movement)
    return MovementOut(
        id=movement.id, version=movement.version, title=movement.title, theme=movement.theme,
        year=movement.year, kind=movement.kind, scope=movement.scope, state=movement.state,
        state_label=state_label(movement.state, locale),
        organiser=unit_ref(movement.unit, locale), parent=_ref(movement.parent),
        cluster=cluster_ref(movement.cluster, locale) if movement.cluster else None,
        period_start=movement.period_start, period_end=movement.period_end,
        document_number=movement.document_number, document_date=movement.document_date,
        document_signer=movement.document_signer,
        registration_deadline=movement.registration_deadline,
        registration_reopened=movement.registration_reopened,
        registration_required=movement.registration_required,
        registration_rule=registration_rule(movement),
        areas=[a.title for a in movement.areas],
        participants=[unit_ref(p.unit, locale) for p in movement.participants],
        registered=[unit_ref(r.unit, locale) for r in status.registered],
        not_registered=[unit_ref(u, locale) for u in status.not_registered],
        actions=[MovementActionOut(trigger=a.trigger, dest=a.dest, label=a.label(locale),
                                   reason_required=a.reason_required, blocked_by=a.blocked_by)
                 for a in available_actions(movement, user, include_blocked=True)])


def _fields(body: MovementIn) -> PlanFields:
    return PlanFields(
        title=body.title, theme=body.theme, kind=body.kind, scope=body.scope, year=body.year,
        period_start=body.period_start, period_end=body.period_end, parent_id=body.parent_id,
        cluster_id=body.cluster_id, registration_deadline=body.registration_deadline,
        participant_ids=list(body.participant_ids), areas=list(body.areas))


@operation("GET", "/movements", summary="Emulation movements, newest year first",
           description="Every signed-in user reads movements and plans (public documents of "
                       "the sector), with their counts of participants and registrations. "
                       "Keyset pages: pass the `next_cursor` of a page to read the next.",
           tags=TAGS, query=MovementQuery, response=MovementPage)
def list_movements(query: MovementQuery) -> MovementPage:
    locale = current_locale()
    rows = queries.list_movements(
        db.session, year=query.year, limit=query.limit + 1,
        before=decode_cursor(query.cursor, queries.MOVEMENT_KEY_MAX))
    more, rows = len(rows) > query.limit, rows[:query.limit]
    return MovementPage(next_cursor=encode_cursor(queries.movement_key(rows[-1].movement))
                        if more and rows else None, items=[MovementSummary(
        id=r.movement.id, title=r.movement.title, year=r.movement.year, kind=r.movement.kind,
        scope=r.movement.scope, state=r.movement.state,
        state_label=state_label(r.movement.state, locale),
        organiser=unit_ref(r.movement.unit, locale),
        document_number=r.movement.document_number, document_date=r.movement.document_date,
        participants=r.participants, registered=r.registered) for r in rows])


@operation("GET", "/movements/{movement_id}", summary="One movement or plan",
           description="Its plan, participants, who registered and who has not, and the "
                       "actions you may take now.",
           tags=TAGS, response=MovementOut, errors=[404])
def get_movement(movement_id: int) -> MovementOut:
    return movement_out(queries.movement_or_404(db.session, movement_id))


@operation("POST", "/movements", summary="Draft a movement or plan",
           description="Reviewer (standing agency) over the organising unit. Refused with 422 "
                       "`invalid_input` naming the field: a period ending before it starts, a "
                       "cluster movement without its cluster, an unknown parent or unit.",
           tags=TAGS, roles=ORGANISERS, request=MovementIn, response=MovementOut, status=201,
           errors=[404])
def create_movement(body: MovementIn) -> MovementOut:
    unit = db.get_or_404(OrgUnit, body.unit_id)
    if not service.may_create(caller(), unit):
        raise ApiError(403, "forbidden", _("Only the organising unit's standing agency "
                                           "drafts its plans."))
    try:
        movement = service.create_movement(db.session, caller(), unit, _fields(body))
    except MovementError as error:
        raise _refused(error) from None
    return movement_out(movement)


@operation("PUT", "/movements/{movement_id}", summary="Edit a draft plan",
           description="Only while it is a draft; 409 `stale_version` when someone changed it "
                       "since the `version` you send.",
           tags=TAGS, roles=ORGANISERS, request=MovementEditIn, response=MovementOut,
           errors=[404, 409])
def update_movement(movement_id: int, body: MovementEditIn) -> MovementOut:
    movement = queries.movement_or_404(db.session, movement_id)
    try:
        service.update_movement(db.session, caller(), movement, body.version, _fields(body))
    except MovementError as error:
        raise _refused(error) from None
    return movement_out(movement)


@operation("POST", "/movements/{movement_id}/actions/{trigger}",
           summary="Fire an action of the movement's workflow",
           description="launch (with `document_number`, `document_date`, `document_signer`), "
                       "start, open_half_year_review, close_half_year_review, conclude, "
                       "cancel (with a `reason`). 409 `stale_version` / `invalid_transition` / "
                       "`guard_failed`; 403 `forbidden`; 404 `unknown_action`.",
           tags=TAGS, roles=ACTORS, request=MovementActionIn, response=MovementOut,
           errors=[404, 409])
def fire_movement_action(movement_id: int, trigger: str, body: MovementActionIn) -> MovementOut:
    movement = queries.movement_or_404(db.session, movement_id)
    data = {key: value for key, value in (
        ("document_number", (body.document_number or "").strip()),
        ("document_date", body.document_date.isoformat() if body.document_date else ""),
        ("document_signer", (body.document_signer or "").strip()),
    ) if value}
    service.act(db.session, caller(), movement, trigger, body.version, body.reason, **data)
    return movement_out(movement)


@operation("PUT", "/movements/{movement_id}/registration-settings",
           summary="Set the registration deadline, reopening and whether it is required",
           description="The organiser, until the movement ends. `registration_required` "
                       "true makes the submit of a title's nomination refuse (409 "
                       "`guard_failed`) a nominee of a participating unit that did not "
                       "register for it. Audited `movement.registration_window` with the "
                       "values before and after; 409 `stale_version` on an old `version`.",
           tags=TAGS, roles=ORGANISERS, request=RegistrationSettingsIn, response=MovementOut,
           errors=[404, 409])
def set_registration_settings(movement_id: int, body: RegistrationSettingsIn) -> MovementOut:
    movement = queries.movement_or_404(db.session, movement_id)
    try:
        service.set_registration_window(
            db.session, caller(), movement, body.version, deadline=body.registration_deadline,
            reopened=body.registration_reopened, required=body.registration_required)
    except MovementError as error:
        raise _refused(error) from None
    return movement_out(movement)
