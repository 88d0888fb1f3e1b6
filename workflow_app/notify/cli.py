"""`flask notify …`: send the outbox (suitable for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from workflow_app.extensions import db
from workflow_app.notify.mailer import send_pending

notify_cli = AppGroup("notify", help="Notifications and e-mail.")


@notify_cli.command("send")
def send() -> None:
    """Send pending e-mail from the outbox."""
    config = current_app.extensions["workflow_config"]
    sent, failed = send_pending(db.session, host=config.mail_host, port=config.mail_port,
                                sender=config.mail_sender)
    click.echo(f"Sent {sent}, failed {failed}.")
