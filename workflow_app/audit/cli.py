"""`flask audit …`: verify the chain, sign checkpoints, export for offline checking."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from workflow_app.audit import checkpoint as checkpoints
from workflow_app.audit.export import export_to_directory
from workflow_app.audit.report import build_report
from workflow_app.audit.verification_log import note_verification
from workflow_app.extensions import db

audit_cli = AppGroup("audit", help="Audit trail: verify, checkpoint, export.")


def outside_copy_path() -> Path:
    """Where checkpoint copies are appended; copy this file off the server regularly."""
    return checkpoints.kept_copies_path()


@audit_cli.command("verify")
@click.option("--checkpoints", "checkpoints_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A kept copy of the checkpoints (JSON Lines), e.g. a copy of "
                   "instance/audit-checkpoints.jsonl kept off the server; checked in addition "
                   "to the database's checkpoints and that file. Repeatable.")
def verify(checkpoints_files: tuple[Path, ...]) -> None:
    """Recompute the chain and its head, check checkpoints, the append-only triggers and
    dossier states; exit 1 naming the bad seq."""
    report = build_report(db.session, outside_copy_path(), *checkpoints_files)
    for line in report.lines():
        click.echo(line)
    note_verification(current_app.extensions["workflow_config"].instance_dir, report, "cli")
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
    """Write events.jsonl, manifest.json (with the recorded head and every checkpoint, kept
    copies included) and standalone_verify.py to DIRECTORY."""
    manifest = export_to_directory(db.session, directory, outside_copy_path())
    click.echo(f"Exported {manifest['count']} events to {directory} "
               f"(head {manifest['head_hash']}). Check offline with: "
               f"python3 {directory / 'standalone_verify.py'} {directory} "
               f"--checkpoints COPY_OF_audit-checkpoints.jsonl")
