"""Councils and their seats, as the council management pages (`council/views/manage.py`):
the list and one council for its admins, secretary, chair and auditors (over its unit;
another unit's council is a 404); creating a council, seating a member, ending a term,
changing a role and the quorum rule for admins over its unit (403 for the other readers) —
through the same services (`council/service/councils.py`, audited there). A broken rule
(overlapping terms, a second chair, a bad ratio …) is a 422 `invalid_input` with the
page's message.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.council.api.presenters import council_out, council_summary, page_of
from workflow_app.council.api.schemas_councils import (
    CouncilIn,
    CouncilOut,
    CouncilPage,
    CouncilQuery,
    EndTermIn,
    RoleIn,
    RulesIn,
    SeatIn,
)
from workflow_app.council.service import access, councils
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.council import Council, CouncilMember
from workflow_app.models.org import OrgUnit
from workflow_app.workdays import local_date

READERS = ("admin", "secretary", "chair", "auditor")
ADMINS = ("admin",)
TAGS = ["councils"]


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid_input", message,
                    [{"loc": [field], "msg": message, "type": "invalid"}])


def _visible_council(council_id: int) -> Council:
    council = db.session.get(Council, council_id)
    if council is None or not access.may_read_council(current_user, council):
        abort(404)
    return council


def _managed_council(council_id: int) -> Council:
    council = _visible_council(council_id)
    if not access.may_manage_council(current_user, council):
        raise ApiError(403, "forbidden", _("Only an administrator over the council's unit "
                                           "manages its seats and rules."))
    return council


def _managed_member(member_id: int) -> CouncilMember:
    member = db.session.get(CouncilMember, member_id)
    if member is None or not access.may_read_council(current_user, member.council):
        abort(404)
    _managed_council(member.council_id)
    return member


def _out(council: Council) -> CouncilOut:
    return council_out(council, current_locale(), local_date(utcnow()),
                       can_manage=access.may_manage_council(current_user, council),
                       missing_grant=councils.missing_grant)


@operation("GET", "/councils", summary="Councils whose page you may open",
           description="For admins, secretaries, chairs and auditors over each council's "
                       "unit, as the councils page.",
           tags=TAGS, roles=READERS, query=CouncilQuery, response=CouncilPage)
def list_councils(query: CouncilQuery) -> CouncilPage:
    viewer = caller()
    rows = [c for c in db.session.scalars(select(Council))
            if access.may_read_council(viewer, c)]
    chunk, next_cursor = page_of(rows, query, key=lambda c: c.id)
    locale = current_locale()
    return CouncilPage(items=[council_summary(c, locale) for c in chunk],
                       next_cursor=next_cursor)


@operation("GET", "/councils/{council_id}", summary="One council with its seats and terms",
           tags=TAGS, roles=READERS, response=CouncilOut, errors=[404])
def get_council(council_id: int) -> CouncilOut:
    return _out(_visible_council(council_id))


@operation("POST", "/councils", summary="Create a council",
           description="Over a unit you administer (its level and scope). The quorum rule is "
                       "a configurable parameter (no confirmed legal source). Audited "
                       "`council.created` with the `basis`.",
           tags=TAGS, roles=ADMINS, request=CouncilIn, response=CouncilOut, status=201)
def create_council(body: CouncilIn) -> CouncilOut:
    actor = caller()
    unit = db.session.get(OrgUnit, body.unit_id)
    if unit is None or not actor.can_see_unit(unit, "admin"):
        raise _invalid("unit_id", _("Choose a unit you administer."))
    council = councils.create_council(
        db.session, code=body.code, name=body.name, unit=unit,
        quorum_comparator=body.quorum_comparator, quorum_ratio=body.quorum_ratio,
        recuse_nominee_unit=body.recuse_nominee_unit, actor=actor, basis=body.basis)
    return _out(council)


@operation("PUT", "/councils/{council_id}/rules", summary="Change the quorum rule",
           description="Audited `council.rules_changed` (nothing is written when unchanged).",
           tags=TAGS, roles=ADMINS, request=RulesIn, response=CouncilOut, errors=[404])
def set_council_rules(council_id: int, body: RulesIn) -> CouncilOut:
    council = _managed_council(council_id)
    councils.set_rules(db.session, council, quorum_comparator=body.quorum_comparator,
                       quorum_ratio=body.quorum_ratio,
                       recuse_nominee_unit=body.recuse_nominee_unit, actor=caller(),
                       basis=body.basis)
    return _out(council)


@operation("POST", "/councils/{council_id}/members", summary="Seat a member",
           description="A role and a term; one seat per person at any date, one chair at "
                       "any date. Audited `council.member_added`.",
           tags=TAGS, roles=ADMINS, request=SeatIn, response=CouncilOut, status=201,
           errors=[404])
def seat_member(council_id: int, body: SeatIn) -> CouncilOut:
    council = _managed_council(council_id)
    user = next((u for u in councils.seatable_users(db.session, council)
                 if u.id == body.user_id), None)
    if user is None:
        raise _invalid("user_id", _("Choose an active account of a person of the council's "
                                    "unit."))
    councils.add_member(db.session, council, user, body.role, term_from=body.term_from,
                        term_to=body.term_to, voting=body.voting, actor=caller(),
                        basis=body.basis)
    return _out(council)


@operation("POST", "/councils/members/{member_id}/end-term", summary="End a seat's term",
           description="The seat stays in the record. Refused (422) while the member sits in "
                       "a session whose voting has started. Audited "
                       "`council.member_term_ended`.",
           tags=TAGS, roles=ADMINS, request=EndTermIn, response=CouncilOut, errors=[404])
def end_member_term(member_id: int, body: EndTermIn) -> CouncilOut:
    member = _managed_member(member_id)
    councils.end_term(db.session, member, body.last_day, actor=caller(), basis=body.basis)
    return _out(member.council)


@operation("PUT", "/councils/members/{member_id}/role", summary="Change a seat's role",
           description="Whether the seat votes stays as it was. Audited "
                       "`council.member_role_changed`.",
           tags=TAGS, roles=ADMINS, request=RoleIn, response=CouncilOut, errors=[404])
def change_member_role(member_id: int, body: RoleIn) -> CouncilOut:
    member = _managed_member(member_id)
    councils.change_role(db.session, member, body.role, actor=caller(), basis=body.basis)
    return _out(member.council)
