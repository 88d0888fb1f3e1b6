"""`flask registry …`: import historical awards, ratings and initiatives from XLSX."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from workflow_app.extensions import db
from workflow_app.registry.service import importer, layout

registry_cli = AppGroup("registry", help="Award registry.")


@registry_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only validate and report; import nothing.")
def import_file(file: Path, dry_run: bool) -> None:
    """Import FILE (XLSX; layout in workflow_app/registry/README.md): every row valid or
    nothing imported. Exit 1 with the problems listed."""
    plan = importer.validate(db.session, file.read_bytes())
    if not plan.ok:
        db.session.rollback()
        for p in plan.problems:
            click.echo(f"{p.sheet or '-'}\trow {p.row}\t{p.column or '-'}\t{p.reason}", err=True)
        raise click.ClickException(f"{len(plan.problems)} problem(s); nothing imported.")
    counts = ", ".join(f"{k}: {v}" for k, v in plan.counts.items())
    if dry_run:
        db.session.rollback()
        click.echo(f"Valid ({counts}); nothing imported (--dry-run).")
        return
    importer.apply(db.session, plan, actor=None, filename=file.name)
    db.session.commit()
    click.echo(f"Imported {counts} (sha256 {plan.sha256}).")


@registry_cli.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def template(file: Path) -> None:
    """Write the XLSX import template to FILE."""
    file.write_bytes(layout.template_bytes())
    click.echo(f"Template written to {file}.")
