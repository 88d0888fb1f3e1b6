"""`flask backup create DIR`, `flask backup restore DIR` (ops/service/backup.py, restore.py),
`flask upgrade` (ops/service/upgrade.py) and `flask worker run` (ops/service/worker.py)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from workflow_app import migrate
from workflow_app.audit.chain import record
from workflow_app.audit.report import build_report, record_run
from workflow_app.extensions import db
from workflow_app.ops.service import backup
from workflow_app.ops.service import restore as restoring
from workflow_app.ops.service import upgrade as upgrading
from workflow_app.ops.service import worker as worker_service

backup_cli = AppGroup("backup", help="Back up and restore the database, files and checkpoints.")


def _target() -> backup.Target:
    config = current_app.extensions["workflow_config"]
    return backup.Target(config.database_url, Path(config.instance_dir))


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create(directory: Path) -> None:
    """Back up to DIRECTORY (new or empty): database, stored files, kept checkpoints and
    manifest.json; refused while a secret-ballot round is open. Recorded in the audit trail."""
    _create_backup(directory)


def _create_backup(directory: Path) -> str:
    """Take a backup, record it in the audit trail, print it; return the manifest's hash."""
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
    return manifest_hash


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


@click.command("upgrade")
@with_appcontext
@click.option("--backup", "backup_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Take a backup into this new or empty folder first, then upgrade.")
@click.option("--without-backup", "reason", metavar="REASON",
              help="Upgrade with no fresh backup; the reason is kept in the audit trail.")
def upgrade(backup_dir: Path | None, reason: str | None) -> None:
    """Migrate the database to the code's head after making sure it can be restored: refused
    unless a fresh backup exists (the audit trail's last event is that backup and its manifest
    is intact), --backup DIR takes one now, or --without-backup REASON says why not. Then
    verifies the audit trail and records the upgrade. Stop the application first."""
    if backup_dir is not None and reason:
        raise click.UsageError("--backup and --without-backup exclude each other")
    plan = upgrading.plan(db.engine)
    if not plan.needed:
        click.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất / the database is already at the "
                   f"code's head ({', '.join(plan.heads)}); nothing to do.")
        return
    evidence: dict = {}
    if plan.empty:
        evidence = {"backup": "none: empty database"}
    elif backup_dir is not None:
        evidence = {"backup_directory": str(backup_dir.resolve()),
                    "manifest_sha256": _create_backup(backup_dir)}
    elif reason:
        evidence = {"backup": "none", "reason": reason}
        click.echo(f"Không sao lưu trước khi nâng cấp / upgrading without a backup: {reason}")
    else:
        fresh = upgrading.fresh_backup(db.session)
        db.session.rollback()
        if not fresh.ok:
            raise click.ClickException(
                f"Chưa nâng cấp: {fresh.reason}. Hãy dùng `flask upgrade --backup THƯ_MỤC` hoặc "
                f"`--without-backup LÝ_DO` / not upgraded: take a backup with `flask upgrade "
                f"--backup DIR`, or give `--without-backup REASON`.")
        click.echo(fresh.reason)
        evidence = {"backup_directory": fresh.directory}
    db.session.remove()
    click.echo(f"Nâng cấp / upgrading {', '.join(plan.current) or 'empty database'} -> "
               f"{', '.join(plan.heads)} …")
    migrate.upgrade(db.engine)
    report = build_report(db.session, Path(current_app.extensions["workflow_config"]
                                           .instance_dir) / backup.CHECKPOINTS)
    for line in report.lines():
        click.echo(f"audit verify: {line}")
    record(db.session, "system.upgraded", "system", "schema", actor_label="cli",
           data={"from": list(plan.current), "to": list(plan.heads), **evidence})
    db.session.commit()
    record_run(db.session, report, actor_label="upgrade")
    db.session.commit()
    if not report.ok:
        click.echo("Result: FAILED (upgraded, but the audit trail does not verify)")
        raise SystemExit(1)
    click.echo("Result: OK")


worker_cli = AppGroup("worker", help="The worker: e-mail outbox, deadline reminders, webhooks.")


@worker_cli.command("run")
@click.option("--once", is_flag=True, help="Do one round, then stop (tests, cron).")
@click.option("--interval", type=click.IntRange(1, 3600), default=10, show_default=True,
              help="Seconds between rounds.")
@click.option("--no-reminders", is_flag=True, help="Do not look for deadline reminders.")
def run(once: bool, interval: int, no_reminders: bool) -> None:
    """Send the outbox, queue deadline reminders and deliver webhooks, every INTERVAL seconds
    until stopped (SIGTERM or Ctrl-C end it after the current round). Several workers may run
    on several hosts: no item is handled twice."""
    config = current_app.extensions["workflow_config"]
    mail = worker_service.MailSettings(config.mail_host, config.mail_port, config.mail_sender)
    session = db.new_session()
    stop = threading.Event()

    def _stop(_signum, _frame):
        stop.set()

    if not once:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    try:
        worker = worker_service.Worker(session, mail, once=once)
        worker_service.forget_old(session)
        click.echo(f"Worker {worker.id} started.")
        while True:
            result = worker.run_round(reminders=False if no_reminders else None)
            click.echo(f"Round: {result.describe()}")
            for error in result.errors:
                click.echo(error, err=True)
            if once or stop.wait(interval):
                break
        worker.beat(stopped=not once)  # a --once run stays "alive" until its beat ages
        click.echo(f"Worker {worker.id} stopped.")
    finally:
        session.close()
