"""`flask catalogue …`: load the award catalogue from its data files, or check them."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from workflow_app.catalogue.service.errors import CatalogueError
from workflow_app.catalogue.service.loader import LoadResult, load_catalogue
from workflow_app.catalogue.service.reader import DEFAULT_DIR
from workflow_app.extensions import db

catalogue_cli = AppGroup("catalogue", help="Award catalogue.")

PATH_OPTION = click.option(
    "--path", "path", type=click.Path(file_okay=False, path_type=Path), default=None,
    help=f"Directory of *.toml catalogue files (default: {DEFAULT_DIR}).")


def _echo_changes(result: LoadResult) -> None:
    for change in result.changes:
        if change.action != "unchanged":
            click.echo(f"  {change.action:<9} {change.code} @ {change.basis_key} "
                       f"({change.source_file})")


@catalogue_cli.command("load")
@PATH_OPTION
@click.option("--effective-from", "effective_from", type=click.DateTime(["%Y-%m-%d"]),
              default=None, help="Date (YYYY-MM-DD, Vietnam) from which a changed rule of a "
                                 "version that dossiers already use applies, as a new version; "
                                 "dossiers received before keep the old one.")
def load(path: Path | None, effective_from) -> None:
    """Load the catalogue files into the database (idempotent, audited, all or nothing).

    The directory is the whole catalogue: a version no longer in any file is marked
    withdrawn (never deleted). A version that dossiers point to never changes its rules in
    place: such a change is refused, or loaded as a new version with --effective-from.
    """
    day = effective_from.date() if effective_from is not None else None
    try:
        result = load_catalogue(db.session, path, actor_label="cli", effective_from=day)
    except CatalogueError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    _echo_changes(result)
    click.echo(f"Catalogue loaded: {result.summary()}.")


@catalogue_cli.command("validate")
@PATH_OPTION
def validate(path: Path | None) -> None:
    """Check the catalogue files and show what `load` would change; writes nothing."""
    try:
        result = load_catalogue(db.session, path, dry_run=True)
    except CatalogueError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        db.session.rollback()
    _echo_changes(result)
    in_files = sum(1 for change in result.changes if change.action != "withdrawn")
    click.echo(f"Catalogue valid ({in_files} versions in the files). A load would give: "
               f"{result.summary()}.")
