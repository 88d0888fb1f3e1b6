"""Administration of accounts, as the admin pages (`workflow_app/admin/`): accounts and their
roles. Admins only (over any unit, as the pages), each action through the same service as
the page (`accounts.service.users`), audited there (units and clusters:
`org/api/routes_manage.py`). A broken rule (a taken username, your own admin role …) is a 409
`rule_broken` with the page's message; an id in the body that names nothing is a 404
`unknown_reference` naming the field.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workflow_app.accounts.service import users as user_service
from workflow_app.admin.api.presenters import user_out
from workflow_app.admin.api.schemas import (
    ActiveIn,
    GrantIn,
    UserCreateIn,
    UserOut,
    UserPage,
    UserQuery,
)
from workflow_app.api.auth import caller
from workflow_app.api.errors import apply_rules, referenced
from workflow_app.api.operations import operation
from workflow_app.api.pagination import keyset_page
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import RoleGrant, User

ADMINS = ("admin",)
TAGS = ["administration"]
RULE_ERRORS = (user_service.UserError,)


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
    person = (referenced(Person, body.person_id, "person_id")
              if body.person_id is not None else None)
    user = apply_rules(RULE_ERRORS, lambda: user_service.create_user(
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
    unit = referenced(OrgUnit, body.unit_id, "unit_id")
    apply_rules(RULE_ERRORS, lambda:
                user_service.grant_role(db.session, user, body.role, unit, actor=caller()))
    return user_out(user, current_locale())


@operation("DELETE", "/users/{user_id}/grants/{grant_id}", summary="Revoke a role",
           description="409 `rule_broken` for your own administrator role.",
           tags=TAGS, roles=ADMINS, response=UserOut, errors=[404, 409])
def revoke_role(user_id: int, grant_id: int) -> UserOut:
    user = db.get_or_404(User, user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        abort(404)
    apply_rules(RULE_ERRORS, lambda: user_service.revoke_role(db.session, grant, actor=caller()))
    return user_out(user, current_locale())


@operation("PUT", "/users/{user_id}/active", summary="Enable or disable an account",
           description="Disabling ends the account's sessions; its access tokens stop "
                       "working. 409 `rule_broken` for your own account.",
           tags=TAGS, roles=ADMINS, request=ActiveIn, response=UserOut, errors=[404, 409])
def set_user_active(user_id: int, body: ActiveIn) -> UserOut:
    user = db.get_or_404(User, user_id)
    apply_rules(RULE_ERRORS, lambda:
                user_service.set_active(db.session, user, body.active, actor=caller()))
    return user_out(user, current_locale())


@operation("POST", "/users/{user_id}/totp-reset", summary="Reset two-factor sign-in",
           description="For a lost authenticator: the user enrols again at the next "
                       "sign-in; the account's sessions end.",
           tags=TAGS, roles=ADMINS, response=UserOut, errors=[404])
def reset_user_totp(user_id: int) -> UserOut:
    user = db.get_or_404(User, user_id)
    user_service.reset_totp(db.session, user, actor=caller())
    return user_out(user, current_locale())
