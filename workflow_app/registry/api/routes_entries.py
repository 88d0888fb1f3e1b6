"""Entering one registry row by hand over the API, as the "Enter by hand" forms of a person's
and a unit's registry page (`registry/views/routes_entries.py`): an award, a yearly rating, an
initiative or science topic — through the same service (`registry.service.entries`), with
its checks (known award fitting the recipient, plausible year, decision date not in the
future, no duplicate). Each entry is audited `registry.entered`.

Reviewers and admins whose grant covers the recipient's unit (else 403 `forbidden`; a
person outside the units your roles cover is a 404). A refused entry is 422
`entry_refused` with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.presenters import award_record_out, names
from workflow_app.api.schemas.shared import AwardRecordOut
from workflow_app.catalogue.service.queries import today_local
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import scope
from workflow_app.registry.api.presenters import initiative_out, rating_out
from workflow_app.registry.api.schemas import (
    AwardEntryIn,
    InitiativeEntryIn,
    InitiativeOut,
    RatingEntryIn,
    RatingOut,
)
from workflow_app.registry.service import entries
from workflow_app.registry.service.entries import EntryError, Recipient

TAGS = ["registry"]
ENTERERS = entries.ROLES


@contextmanager
def entering(recipient: Recipient) -> Iterator[None]:
    """The page's checks around an entry: 403 unless the caller may enter rows for the
    recipient; the service's refusal as 422 `entry_refused`."""
    if not entries.may_enter(caller(), recipient):
        raise ApiError(403, "forbidden", _("Your role or unit does not give you access to "
                                           "this."))
    try:
        yield
    except EntryError as error:
        raise ApiError(422, "entry_refused", str(error.message)) from None


def _person(person_id: int) -> Recipient:
    return Recipient(person=scope.visible_person(db.session, caller(), person_id))


def _unit(unit_id: int) -> Recipient:
    return Recipient(unit=db.get_or_404(OrgUnit, unit_id))


def _add_award(recipient: Recipient, body: AwardEntryIn) -> AwardRecordOut:
    actor, locale = caller(), current_locale()
    with entering(recipient):
        entry = entries.add_award(
            db.session, actor, recipient, award_code=body.award_code, year=body.year,
            decision_number=body.decision_number, decision_date=body.decision_date,
            issuer=body.issuer, today=today_local())
    return award_record_out(db.session, actor, entry, locale, names(db.session, locale))


def _add_rating(recipient: Recipient, body: RatingEntryIn) -> RatingOut:
    with entering(recipient):
        row = entries.add_rating(db.session, caller(), recipient, year=body.year,
                                 rating=body.rating, today=today_local())
    return rating_out(row)


AWARD_DOC = ("A conferred award (`source` manual): a catalogue award that fits the recipient, "
             "its decision number and date (not in the future); refused when the same award "
             "and year is already an active record.")
RATING_DOC = "The yearly rating; refused when one is already recorded for that year."


@operation("POST", "/registry/persons/{person_id}/awards", summary="Enter a person's award",
           description=AWARD_DOC, tags=TAGS, roles=ENTERERS, request=AwardEntryIn,
           response=AwardRecordOut, status=201, errors=[404])
def enter_person_award(person_id: int, body: AwardEntryIn) -> AwardRecordOut:
    return _add_award(_person(person_id), body)


@operation("POST", "/registry/persons/{person_id}/ratings",
           summary="Enter a person's yearly rating", description=RATING_DOC, tags=TAGS,
           roles=ENTERERS, request=RatingEntryIn, response=RatingOut, status=201,
           errors=[404])
def enter_person_rating(person_id: int, body: RatingEntryIn) -> RatingOut:
    return _add_rating(_person(person_id), body)


@operation("POST", "/registry/persons/{person_id}/initiatives",
           summary="Enter a person's initiative or science topic",
           description="Recognised at unit, ministry or national level; refused when the same "
                       "title (ignoring case and diacritics) is recorded for that year.",
           tags=TAGS, roles=ENTERERS, request=InitiativeEntryIn, response=InitiativeOut,
           status=201, errors=[404])
def enter_person_initiative(person_id: int, body: InitiativeEntryIn) -> InitiativeOut:
    recipient = _person(person_id)
    with entering(recipient):
        row = entries.add_initiative(
            db.session, caller(), recipient.person, year=body.year, title=body.title,
            scope=body.scope, kind=body.kind, recognised_by=body.recognised_by,
            today=today_local())
    return initiative_out(row)


@operation("POST", "/registry/units/{unit_id}/awards", summary="Enter a unit's award",
           description=AWARD_DOC, tags=TAGS, roles=ENTERERS, request=AwardEntryIn,
           response=AwardRecordOut, status=201, errors=[404])
def enter_unit_award(unit_id: int, body: AwardEntryIn) -> AwardRecordOut:
    return _add_award(_unit(unit_id), body)


@operation("POST", "/registry/units/{unit_id}/ratings", summary="Enter a unit's yearly rating",
           description=RATING_DOC, tags=TAGS, roles=ENTERERS, request=RatingEntryIn,
           response=RatingOut, status=201, errors=[404])
def enter_unit_rating(unit_id: int, body: RatingEntryIn) -> RatingOut:
    return _add_rating(_unit(unit_id), body)
