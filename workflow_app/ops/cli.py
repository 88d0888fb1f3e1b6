"""`flask backup create DIR` and `flask backup restore DIR` (see ops/service/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from workflow_app.audit.chain import record
from workflow_app.audit.report import build_report, record_run
from workflow_app.extensions import db
from workflow_app.ops.service import backup
from workflow_app.ops.service import restore as restoring

backup_cli = AppGroup("backup", help="Back up and restore the database, files and checkpoints.")


def _target() -> backup.Target:
    config = current_app.extensions["workflow_config"]
    return backup.Target(config.database_url, Path(config.instance_dir))


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create(directory: Path) -> None:
    """Back up to DIRECTORY (new or empty): database, stored files, kept checkpoints and
    manifest.json; refused while a secret-ballot round is open. Recorded in the audit trail."""
    db.session.remove()
    try:
        manifest = backup.create_backup(_target(), directory)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    manifest_hash = backup.file_sha256(directory / backup.MANIFEST)
    record(db.session, "system.backup_created", "system", "backup", actor_label="cli",
           data={"directory": str(directory.resolve()), "manifest_sha256": manifest_hash,
                 "database": manifest["database"]["kind"],
                 "audit_seq": manifest["audit_head"]["seq"],
                 "files": len(manifest["files"])})
    db.session.commit()
    click.echo(f"Backup written to {directory}: {manifest['database']['kind']} database at "
               f"revision {manifest['database']['revision']}, audit head seq "
               f"{manifest['audit_head']['seq']}, {len(manifest['files'])} files; "
               f"manifest SHA-256 {manifest_hash}")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore(directory: Path) -> None:
    """Restore DIRECTORY into the configured database and instance folder, both empty; then
    verify the audit trail and every file's hash. Exit 1 when a check fails."""
    target = _target()
    db.session.remove()
    db.engine.dispose()  # no connection to the target is held while it is written
    try:
        manifest = restoring.restore_backup(directory, target)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {directory} (taken {manifest['created_at']}) into "
               f"{target.instance_dir} and the {manifest['database']['kind']} database.")
    report = build_report(db.session, target.instance_dir / backup.CHECKPOINTS)
    for line in report.lines():
        click.echo(f"audit verify: {line}")
    check = restoring.check_restored(db.session.connection(), target.instance_dir, manifest)
    for line in check.lines:
        click.echo(f"restore check: {line}")
    db.session.rollback()
    record_run(db.session, report, actor_label="restore")  # after the counts were compared
    db.session.commit()
    if report.ok and check.ok:
        click.echo("Result: OK")
        return
    click.echo("Result: FAILED")
    raise SystemExit(1)
