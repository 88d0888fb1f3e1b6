"""`flask search …`: rebuild the search index."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from workflow_app.extensions import db
from workflow_app.search.service import index

search_cli = AppGroup("search", help="Search index.")


@search_cli.command("reindex")
def reindex() -> None:
    """Rebuild the search index from every person, unit, dossier and decision (after a bulk
    load that bypassed the application, or to repair it)."""
    written = index.reindex_all(db.session)
    db.session.commit()
    click.echo(", ".join(f"{kind}: {count} words" for kind, count in written.items()))
