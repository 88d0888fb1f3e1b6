"""`flask` commands: database, users and roles. Other groups register themselves here."""

from __future__ import annotations

import click
from alembic import command
from flask import Flask
from flask.cli import AppGroup

from workflow_app import migrate
from workflow_app.extensions import db
from workflow_app.migrate import alembic_config

db_cli = AppGroup("db", help="Database schema (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    migrate.upgrade(db.engine, revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (e.g. base)."""
    migrate.downgrade(db.engine, revision)
    click.echo(f"Database at {revision}.")


@db_cli.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    with db.engine.begin() as connection:
        command.current(alembic_config(connection), verbose=False)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Autogenerate a revision from the models against the current database."""
    with db.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


def register_cli(app: Flask) -> None:
    from workflow_app.accounts.cli import user_cli
    from workflow_app.audit.cli import audit_cli
    from workflow_app.catalogue.cli import catalogue_cli
    from workflow_app.council.cli import council_cli
    from workflow_app.decisions.cli import numbering_cli
    from workflow_app.demo.cli import demo_cli
    from workflow_app.notify.cli import notify_cli
    from workflow_app.ops.cli import backup_cli, upgrade, worker_cli
    from workflow_app.registry.cli import registry_cli
    from workflow_app.search.cli import search_cli

    for group in (db_cli, user_cli, catalogue_cli, demo_cli, audit_cli,
                  notify_cli, council_cli, registry_cli, numbering_cli, search_cli, backup_cli,
                  worker_cli):
        app.cli.add_command(group)
    app.cli.add_command(upgrade)
