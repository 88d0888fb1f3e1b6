"""`flask demo load`: idempotent demo data drawn from the seed articles. DEMO ONLY."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from workflow_app.demo.council import load_demo_council
from workflow_app.demo.council_dossiers import load_demo_council_dossiers
from workflow_app.demo.data import DemoDataError
from workflow_app.demo.emulation import load_demo_emulation
from workflow_app.demo.loader import AccountRow, DemoError, DemoReport, load_demo
from workflow_app.demo.registry import load_demo_registry
from workflow_app.demo.reorg2025 import load_demo_reorganisation_2025
from workflow_app.demo.seed000 import load_seed000_history
from workflow_app.extensions import db
from workflow_app.workflow import WorkflowError

demo_cli = AppGroup("demo", help="Demo data (demo only: known passwords).")

BANNER = (
    "DEMO-ONLY CREDENTIALS: these accounts have published passwords and two-factor "
    "secrets.\nUse them to try the system on this machine; never load demo data into a "
    "real deployment."
)


def _table(rows: list[AccountRow]) -> str:
    header = ("USERNAME", "ROLE", "UNIT", "PASSWORD", "TOTP SECRET (2FA)")
    lines = [(r.username, r.roles, r.unit, r.password, r.totp_secret or "-") for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]

    def fmt(cells) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def _echo_report(report: DemoReport) -> None:
    if report.created:
        added = ", ".join(f"{count} {what}" for what, count in report.created.items())
        click.echo(f"Demo data loaded: added {added}.")
    else:
        click.echo("Demo data already present: nothing added.")
    for warning in report.warnings:
        click.echo(f"Note: {warning}", err=True)
    click.echo()
    click.secho(BANNER, fg="yellow", bold=True)
    click.echo()
    click.echo(_table(report.accounts))
    click.echo()
    click.echo("Two-factor sign-in (admin, chair, signer): add the TOTP secret to an "
               "authenticator app,\nor print the current code with:\n"
               "  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('<secret>').now())\"")
    existing = [row.username for row in report.accounts if not row.created]
    if existing:
        click.echo("Accounts that already existed were left unchanged (a changed password "
                   f"stays changed): {', '.join(existing)}.")


@demo_cli.command("load")
def load() -> None:
    """Add the demo units, people, clusters and one account per role (idempotent)."""
    config = current_app.extensions["workflow_config"]
    try:
        report = load_demo(db.session, totp_required_roles=config.totp_required_roles)
        council_lines = (load_demo_council(db.session) + load_demo_registry(db.session)
                         + load_seed000_history(db.session)
                         + load_demo_council_dossiers(db.session)
                         + load_demo_emulation(db.session)
                         + load_demo_reorganisation_2025(db.session))
    except (DemoDataError, DemoError, WorkflowError) as exc:
        db.session.rollback()
        raise click.ClickException(f"Demo data not loaded: {exc}") from exc
    db.session.commit()
    _echo_report(report)
    for line in council_lines:
        click.echo(f"Demo: {line}.")
