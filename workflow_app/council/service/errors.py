"""Errors of the council services: HTTP exceptions with a translatable, user-safe message.

Like the engine's errors (`workflow/errors.py`), a route may let them propagate: the app's
error handler rolls back and shows the message with the status.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.workflow.errors import WorkflowError


class CouncilError(WorkflowError):
    """A council rule blocks the action (409)."""

    code = 409
    default_message = _l("This council action cannot be done now.")


class NotAllowed(CouncilError):
    code = 403
    default_message = _l("Your role in this council does not allow this action.")


class InvalidInput(CouncilError):
    code = 422
    default_message = _l("The information given is not valid.")


class QuorumNotMet(CouncilError):
    default_message = _l("The quorum is not met: voting cannot open.")


class RoundClosed(CouncilError):
    default_message = _l("This voting round is closed: no more ballots are accepted.")


class AlreadyVoted(CouncilError):
    default_message = _l("A ballot of yours has already been counted in this round.")


class ReauthFailed(CouncilError):
    code = 422
    default_message = _l("The password or the code is not correct. Your ballot was not cast.")
