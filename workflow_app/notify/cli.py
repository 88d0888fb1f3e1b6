"""`flask notify …`: send the outbox; remind of deadlines (both suitable for cron)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from workflow_app.extensions import db
from workflow_app.notify.service.deadlines import send_deadline_reminders
from workflow_app.notify.service.mailer import send_pending

notify_cli = AppGroup("notify", help="Notifications and e-mail.")


@notify_cli.command("send")
def send() -> None:
    """Send pending e-mail from the outbox."""
    config = current_app.extensions["workflow_config"]
    sent, failed = send_pending(db.session, host=config.mail_host, port=config.mail_port,
                                sender=config.mail_sender)
    click.echo(f"Sent {sent}, failed {failed}.")


@notify_cli.command("deadlines")
@click.option("--today", "on_day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Count as if today (in Vietnam) were this date, YYYY-MM-DD.")
@click.option("--no-mail", is_flag=True, help="Queue the e-mail but do not send it now.")
def deadlines(on_day, no_mail: bool) -> None:
    """Remind the people responsible of steps due within two working days (for cron)."""
    # 03:00 UTC is 10:00 in Vietnam: the chosen date, whatever the server's time zone.
    now = datetime.combine(on_day.date(), time(3), tzinfo=UTC) if on_day else None
    try:
        summary = send_deadline_reminders(db.session, now=now)
        db.session.commit()
    except IntegrityError:  # another run recorded the same reminders first
        db.session.rollback()
        raise click.ClickException(
            "another run is sending the same reminders; nothing sent") from None
    click.echo(summary.describe())
    if not no_mail:
        config = current_app.extensions["workflow_config"]
        sent, failed = send_pending(db.session, host=config.mail_host, port=config.mail_port,
                                    sender=config.mail_sender)
        click.echo(f"E-mail: sent {sent}, failed {failed}.")
