"""`flask user …`: create accounts and grant roles from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from workflow_app.accounts.service import users
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import ROLES

user_cli = AppGroup("user", help="Accounts and roles.")


def _unit(code: str) -> OrgUnit:
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise click.BadParameter(f"no unit with code '{code}'", param_hint="--unit")
    return unit


@user_cli.command("create")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--email", default="")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="Role to grant (repeatable); needs --unit.")
@click.option("--unit", "unit_code", default=None, help="Unit code the roles are scoped to.")
def create_user(username, password, email, roles, unit_code) -> None:
    """Create USERNAME, optionally with roles over a unit."""
    if roles and not unit_code:
        raise click.UsageError("--role needs --unit")
    try:
        user = users.create_user(db.session, username, password, email=email)
        for role in roles:
            users.grant_role(db.session, user, role, _unit(unit_code), actor=None)
    except users.UserError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.username} ({', '.join(sorted(user.roles)) or 'no roles'}).")


@user_cli.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--unit", "unit_code", required=True, help="Unit code the role is scoped to.")
def grant_role(username, role, unit_code) -> None:
    """Grant ROLE over a unit (and its sub-units) to USERNAME."""
    from workflow_app.accounts.service.signin import find_user

    user = find_user(db.session, username)
    if user is None:
        raise click.ClickException(f"no user '{username}'")
    users.grant_role(db.session, user, role, _unit(unit_code), actor=None)
    db.session.commit()
    click.echo(f"{user.username}: {role} over {unit_code}.")
