"""Administration, as the admin pages (`workflow_app/admin/`): accounts and their roles,
units, emulation clusters. Admins only (over any unit, as the pages), each action through
the same service as the page (`accounts.service.users`, `org.service.units`,
`org.service.clusters`),
audited there. A broken rule (a taken username, your own admin role …) is a 409
`rule_broken` with the page's message; an id in the body that names nothing is a 404
`unknown_reference` naming the field.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.accounts.service import users as user_service
from workflow_app.admin.api.presenters import user_out
from workflow_app.admin.api.schemas import (
    ActiveIn,
    ClusterIn,
    GrantIn,
    MembershipIn,
    UnitIn,
    UnitPatch,
    UserCreateIn,
    UserOut,
    UserPage,
    UserQuery,
)
from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.pagination import keyset_page
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.user import RoleGrant, User
from workflow_app.org.api.presenters import cluster_detail, unit_detail
from workflow_app.org.api.schemas import ClusterDetail, UnitDetail
from workflow_app.org.service import clusters as cluster_service
from workflow_app.org.service import queries as org_queries
from workflow_app.org.service import units as unit_service

ADMINS = ("admin",)
TAGS = ["administration"]
RULE_ERRORS = (user_service.UserError, unit_service.UnitError, cluster_service.ClusterError)


def _referenced(model, row_id: int | None, field: str):
    """The row a body field names, or 404 `unknown_reference` naming the field."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise ApiError(404, "unknown_reference", _("%(field)s names no existing record.",
                                                   field=field), {"field": field})
    return row


def _apply(action):
    """Run a service call; a broken rule becomes 409 `rule_broken` with its message."""
    try:
        return action()
    except RULE_ERRORS as exc:
        db.session.rollback()
        raise ApiError(409, "rule_broken", str(exc)) from None


# Accounts ---------------------------------------------------------------------------------

@operation("GET", "/users", summary="Accounts, by id", tags=TAGS, roles=ADMINS,
           query=UserQuery, response=UserPage)
def list_users(query: UserQuery) -> UserPage:
    statement = select(User).options(selectinload(User.grants).selectinload(RoleGrant.unit),
                                     selectinload(User.person))
    if query.role is not None:
        statement = statement.where(User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.role == query.role)))
    if query.is_active is not None:
        statement = statement.where(User.is_active.is_(query.is_active))
    rows, next_cursor = keyset_page(db.session, statement, User.id, query)
    locale = current_locale()
    return UserPage(items=[user_out(u, locale) for u in rows], next_cursor=next_cursor)


@operation("GET", "/users/{user_id}", summary="One account with its roles", tags=TAGS,
           roles=ADMINS, response=UserOut, errors=[404])
def get_user(user_id: int) -> UserOut:
    return user_out(db.get_or_404(User, user_id), current_locale())


@operation("POST", "/users", summary="Create an account",
           description="Then grant its roles. A person may have one account.",
           tags=TAGS, roles=ADMINS, request=UserCreateIn, response=UserOut, status=201,
           errors=[404, 409])
def create_user(body: UserCreateIn) -> UserOut:
    person = (_referenced(Person, body.person_id, "person_id")
              if body.person_id is not None else None)
    user = _apply(lambda: user_service.create_user(
        db.session, body.username, body.password, email=body.email or "", person=person,
        actor=caller()))
    return user_out(user, current_locale())


@operation("POST", "/users/{user_id}/grants", summary="Grant a role over a unit",
           description="Granting a role the account already holds over that unit changes "
                       "nothing.",
           tags=TAGS, roles=ADMINS, request=GrantIn, response=UserOut, status=201,
           errors=[404])
def grant_role(user_id: int, body: GrantIn) -> UserOut:
    user = db.get_or_404(User, user_id)
    unit = _referenced(OrgUnit, body.unit_id, "unit_id")
    _apply(lambda: user_service.grant_role(db.session, user, body.role, unit, actor=caller()))
    return user_out(user, current_locale())


@operation("DELETE", "/users/{user_id}/grants/{grant_id}", summary="Revoke a role",
           description="409 `rule_broken` for your own administrator role.",
           tags=TAGS, roles=ADMINS, response=UserOut, errors=[404, 409])
def revoke_role(user_id: int, grant_id: int) -> UserOut:
    user = db.get_or_404(User, user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        abort(404)
    _apply(lambda: user_service.revoke_role(db.session, grant, actor=caller()))
    return user_out(user, current_locale())


@operation("PUT", "/users/{user_id}/active", summary="Enable or disable an account",
           description="Disabling ends the account's sessions; its access tokens stop "
                       "working. 409 `rule_broken` for your own account.",
           tags=TAGS, roles=ADMINS, request=ActiveIn, response=UserOut, errors=[404, 409])
def set_user_active(user_id: int, body: ActiveIn) -> UserOut:
    user = db.get_or_404(User, user_id)
    _apply(lambda: user_service.set_active(db.session, user, body.active, actor=caller()))
    return user_out(user, current_locale())


@operation("POST", "/users/{user_id}/totp-reset", summary="Reset two-factor sign-in",
           description="For a lost authenticator: the user enrols again at the next "
                       "sign-in; the account's sessions end.",
           tags=TAGS, roles=ADMINS, response=UserOut, errors=[404])
def reset_user_totp(user_id: int) -> UserOut:
    user = db.get_or_404(User, user_id)
    user_service.reset_totp(db.session, user, actor=caller())
    return user_out(user, current_locale())


# Units ------------------------------------------------------------------------------------

def _parent(parent_id: int | None) -> OrgUnit | None:
    return _referenced(OrgUnit, parent_id, "parent_id") if parent_id is not None else None


@operation("POST", "/units", summary="Create a unit", tags=TAGS, roles=ADMINS, request=UnitIn,
           response=UnitDetail, status=201, errors=[404, 409])
def create_unit(body: UnitIn) -> UnitDetail:
    parent = _parent(body.parent_id)
    unit = _apply(lambda: unit_service.create_unit(
        db.session, code=body.code, name=body.name, name_en=body.name_en, kind=body.kind,
        symbol=body.symbol, parent=parent, actor=caller()))
    return unit_detail(db.session, caller(), unit, current_locale())


@operation("PATCH", "/units/{unit_id}", summary="Edit a unit",
           description="Only the fields sent change. Moving a unit moves its sub-units with "
                       "it; a unit cannot move under itself (409 `rule_broken`).",
           tags=TAGS, roles=ADMINS, request=UnitPatch, response=UnitDetail, errors=[404, 409])
def update_unit(unit_id: int, body: UnitPatch) -> UnitDetail:
    unit = db.get_or_404(OrgUnit, unit_id)
    sent = body.model_fields_set
    changes = {name: getattr(body, name) for name in ("code", "name", "name_en", "kind",
                                                      "symbol")
               if name in sent and getattr(body, name) is not None}
    if "parent_id" in sent:
        changes["parent"] = _parent(body.parent_id)
    _apply(lambda: unit_service.update_unit(db.session, unit, actor=caller(), **changes))
    return unit_detail(db.session, caller(), unit, current_locale())


# Clusters ---------------------------------------------------------------------------------

def _cluster(cluster_id: int) -> Cluster:
    cluster = org_queries.get_cluster(db.session, cluster_id)
    if cluster is None:
        abort(404)
    return cluster


@operation("POST", "/clusters", summary="Create an emulation cluster or block", tags=TAGS,
           roles=ADMINS, request=ClusterIn, response=ClusterDetail, status=201, errors=[404, 409])
def create_cluster(body: ClusterIn) -> ClusterDetail:
    organiser = _referenced(OrgUnit, body.organiser_unit_id, "organiser_unit_id")
    cluster = _apply(lambda: cluster_service.create_cluster(
        db.session, code=body.code, name=body.name, name_en=body.name_en, kind=body.kind,
        organiser=organiser, actor=caller()))
    return cluster_detail(cluster, current_locale())


@operation("POST", "/clusters/{cluster_id}/memberships",
           summary="Add a member unit for a year (or change its role that year)",
           description="A year has one head (409 `rule_broken` for a second one) and any "
                       "number of deputies.",
           tags=TAGS, roles=ADMINS, request=MembershipIn, response=ClusterDetail, status=201,
           errors=[404, 409])
def set_cluster_membership(cluster_id: int, body: MembershipIn) -> ClusterDetail:
    cluster = _cluster(cluster_id)
    unit = _referenced(OrgUnit, body.unit_id, "unit_id")
    _apply(lambda: cluster_service.set_membership(db.session, cluster, unit, body.year,
                                                  body.role, actor=caller()))
    return cluster_detail(cluster, current_locale())


@operation("DELETE", "/clusters/{cluster_id}/memberships/{membership_id}",
           summary="Remove a member unit for a year", tags=TAGS, roles=ADMINS,
           response=ClusterDetail, errors=[404])
def remove_cluster_membership(cluster_id: int, membership_id: int) -> ClusterDetail:
    cluster = _cluster(cluster_id)
    membership = db.session.get(ClusterMembership, membership_id)
    if membership is None or membership.cluster_id != cluster.id:
        abort(404)
    cluster_service.remove_membership(db.session, membership, actor=caller())
    db.session.expire(cluster, ["memberships"])
    return cluster_detail(cluster, current_locale())
