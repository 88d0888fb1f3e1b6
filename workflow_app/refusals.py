"""What a person reads when the database refuses a change: a clash with a record saved at
the same time (409), or SQLite too busy to take the write (503). Shared by the pages'
error handlers (`errors.py`) and the API's (`api/errors.py`)."""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.db import committed_in_request


def conflict_message() -> str:
    return _("This could not be saved: it clashes with a record saved at the same time (a "
             "duplicate was refused). Nothing was saved. Reload the page and try again.")


def audit_chain_message() -> str:
    return _("Nothing was saved: the audit trail holds an event this application did not "
             "write, where the next one belongs. Changes are stopped until an administrator "
             "checks the trail (flask audit verify).")


def busy_message() -> str:
    if committed_in_request():
        return _("Your change was saved, but the system was too busy to show the result. "
                 "Reload the page in a few seconds.")
    return _("The system is busy saving other changes. Nothing was saved: please try again "
             "in a few seconds.")
