"""`flask numbering …`: document series (số, ký hiệu) administration."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from workflow_app.decisions.service import numbering
from workflow_app.extensions import db
from workflow_app.models.org import OrgUnit

numbering_cli = AppGroup("numbering", help="Document number series.")


@numbering_cli.command("continue")
@click.option("--issuer", "issuer_code", required=True, help="The issuing unit's code, e.g. BTP.")
@click.option("--type", "doc_type", required=True, type=click.Choice(numbering.DOC_TYPES))
@click.option("--year", required=True, type=click.IntRange(1945, 2200))
@click.option("--last", "last_number", required=True, type=click.IntRange(1, 999_999),
              help="The last number already issued (on paper) this year.")
@click.option("--reason", required=True, help="Why, e.g. \"last paper decision 944/QĐ-BTP\".")
def continue_series(issuer_code: str, doc_type: str, year: int, last_number: int,
                    reason: str) -> None:
    """Continue a series after numbers issued outside the system: the next document of
    that issuer, type and year takes LAST + 1. Audited; a series never goes back."""
    issuer = db.session.scalar(select(OrgUnit).where(OrgUnit.code == issuer_code))
    if issuer is None:
        raise click.ClickException(f"No unit with code {issuer_code}.")
    try:
        numbering.continue_series(db.session, issuer, doc_type, year, last_number, reason,
                                  actor_label="cli")
    except numbering.NumberingError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"The next {doc_type}-{issuer.symbol} of {year} will be number "
               f"{numbering.format_number(last_number + 1)}.")
