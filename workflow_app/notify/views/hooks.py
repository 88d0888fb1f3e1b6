"""Send the mail a request queued, once its transaction has committed — unless a worker does
it (SEND_MAIL_IN_REQUEST=false)."""

from __future__ import annotations

from flask import Flask, current_app

from workflow_app.extensions import db
from workflow_app.notify.service.mailer import send_pending

# Short: a request that queued mail should not hang on an unreachable relay; what is not
# sent now stays pending for the worker or `flask notify send`.
REQUEST_SMTP_TIMEOUT = 3.0


def init_app(app: Flask) -> None:
    @app.teardown_request
    def _send_queued_mail(exc):
        request_session = db.session()
        if exc is not None or not request_session.info.pop("outbox_dirty", False):
            return
        config = current_app.extensions["workflow_config"]
        if not config.send_mail_in_request:
            return
        mail_session = db.new_session()
        try:
            send_pending(mail_session, host=config.mail_host, port=config.mail_port,
                         sender=config.mail_sender, timeout=REQUEST_SMTP_TIMEOUT,
                         owner="request")
        finally:
            mail_session.close()
