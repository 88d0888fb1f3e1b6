"""`flask audit …`: verify the chain, sign checkpoints, export for offline checking."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from workflow_app.audit import checkpoint as checkpoints
from workflow_app.audit.export import export_to_directory
from workflow_app.audit.report import build_report
from workflow_app.extensions import db

audit_cli = AppGroup("audit", help="Audit trail: verify, checkpoint, export.")


def outside_copy_path() -> Path:
    """Where checkpoint copies are appended; copy this file off the server regularly."""
    return current_app.extensions["workflow_config"].instance_dir / "audit-checkpoints.jsonl"


@audit_cli.command("verify")
@click.option("--checkpoints", "checkpoints_file", type=click.Path(path_type=Path),
              default=None, help="A kept copy of checkpoints (JSON Lines) to check against.")
def verify(checkpoints_file: Path | None) -> None:
    """Recompute the chain, check checkpoints and dossier states; exit 1 naming the bad seq."""
    report = build_report(db.session, checkpoints_file or outside_copy_path())
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)


@audit_cli.command("checkpoint")
def checkpoint() -> None:
    """Sign the current chain head with AUDIT_SIGNING_KEY (Ed25519)."""
    config = current_app.extensions["workflow_config"]
    try:
        key = checkpoints.load_key(config.audit_signing_key_path)
        made = checkpoints.create_checkpoint(db.session, key, outside_copy_path())
    except checkpoints.CheckpointError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Signed checkpoint at seq {made.seq}, head {made.head_hash}; "
               f"copy appended to {outside_copy_path()}")


@audit_cli.command("keygen")
@click.argument("path", type=click.Path(path_type=Path))
def keygen(path: Path) -> None:
    """Create an Ed25519 signing key at PATH (then set AUDIT_SIGNING_KEY=PATH)."""
    try:
        public = checkpoints.generate_key(path)
    except checkpoints.CheckpointError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Private key written to {path} (keep it secret). Public key: {public}")


@audit_cli.command("export")
@click.argument("directory", type=click.Path(path_type=Path))
def export(directory: Path) -> None:
    """Write events.jsonl, manifest.json and standalone_verify.py to DIRECTORY."""
    manifest = export_to_directory(db.session, directory)
    click.echo(f"Exported {manifest['count']} events to {directory} "
               f"(head {manifest['head_hash']}). Check offline with: "
               f"python3 {directory / 'standalone_verify.py'} {directory}")
