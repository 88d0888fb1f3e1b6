"""GET /me: who the caller is, with which roles, and how they signed in."""

from __future__ import annotations

from workflow_app.accounts.api.schemas import MeOut, RoleGrantOut, TokenInfo
from workflow_app.api.auth import api_token, caller
from workflow_app.api.operations import operation
from workflow_app.i18n import current_locale


@operation("GET", "/me", summary="The caller's account, roles and token", tags=["account"],
           response=MeOut)
def get_me() -> MeOut:
    user, token, locale = caller(), api_token(), current_locale()
    return MeOut(
        id=user.id, username=user.username, display_name=user.display_name, locale=user.locale,
        roles=[RoleGrantOut(role=g.role, unit_id=g.unit.id, unit_code=g.unit.code,
                            unit_name=g.unit.display_name(locale)) for g in user.grants],
        authenticated_by="token" if token is not None else "session",
        token=TokenInfo.model_validate(token) if token is not None else None,
    )
