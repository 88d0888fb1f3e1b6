"""Errors of the workflow engine and of the definition loader.

Engine errors are HTTP exceptions: a route may simply let them propagate, and the app's error
handler rolls the transaction back and shows `description` (translated when it is read, so
in the language of the request) with the right status — 403 for a role failure, 409 for a
business rule or a concurrent change, 422 for missing input.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException


class DefinitionError(ValueError):
    """A workflow definition is invalid. The message names the file and the entry."""


class WorkflowError(HTTPException):
    """Base of the errors `fire` raises. `status` is the HTTP status; `message` is translatable."""

    code = 409
    default_message = _l("This action cannot be done now.")
    show_detail = True  # the app's error handler shows `description` to the user

    def __init__(self, message=None) -> None:
        super().__init__()
        self.message = message if message is not None else self.default_message

    @classmethod
    def about(cls, kind: str) -> WorkflowError:
        """The error worded for a subject kind ("dossier", "movement")."""
        return cls(SUBJECT_MESSAGES.get((cls.__name__, kind)))

    @property
    def status(self) -> int:
        return self.code

    @property  # type: ignore[override]
    def description(self) -> str:
        return str(self.message)

    @description.setter
    def description(self, value) -> None:  # HTTPException.__init__ may assign it
        if value is not None:
            self.message = value


class StaleVersion(WorkflowError):
    code = 409
    default_message = _l(
        "This dossier was changed by someone else. Reload the page and try again."
    )

    @classmethod
    def by_same_user(cls, kind: str) -> StaleVersion:
        """The page was out of date because the same user changed the subject meanwhile, in
        another tab or window: told so, not that "someone else" did."""
        return cls(SAME_USER_MESSAGES.get(kind, SAME_USER_MESSAGES["dossier"]))


class Forbidden(WorkflowError):
    code = 403
    default_message = _l("Your role or unit does not allow this action on this dossier.")


class ReasonRequired(WorkflowError):
    code = 422
    default_message = _l("Please give a reason for this action.")


class InputInvalid(WorkflowError):
    code = 422
    default_message = _l("The information given for this action is not valid.")


class InvalidTransition(WorkflowError):
    code = 409
    default_message = _l("This action is not possible in the dossier's current state.")


class UnknownAction(WorkflowError):
    code = 404
    default_message = _l("This action does not exist for this dossier.")


class DossierGone(WorkflowError):
    code = 404
    default_message = _l("This dossier no longer exists.")


class GuardFailed(WorkflowError):
    """A business rule blocks the transition; `message` is the guard's reason in plain words."""

    code = 409

    def __init__(self, guard: str, message) -> None:
        super().__init__(message)
        self.guard = guard


class EffectFailed(WorkflowError):
    """An effect could not be applied; nothing of the transition is kept."""

    code = 409

    def __init__(self, effect: str, message) -> None:
        super().__init__(message)
        self.effect = effect


# A stale page whose newer change was made by the same user (another tab or window).
SAME_USER_MESSAGES = {
    "dossier": _l("You changed this dossier meanwhile, in another tab or window. Reload the "
                  "page to see your latest version, then try again."),
    "movement": _l("You changed this movement meanwhile, in another tab or window. Reload "
                   "the page to see your latest version, then try again."),
}

# The errors whose default wording names a dossier, worded for the other kinds of subject.
SUBJECT_MESSAGES = {
    ("StaleVersion", "movement"): _l(
        "This movement was changed by someone else. Reload the page and try again."),
    ("Forbidden", "movement"): _l(
        "Your role or unit does not allow this action on this movement."),
    ("InvalidTransition", "movement"): _l(
        "This action is not possible in the movement's current state."),
    ("UnknownAction", "movement"): _l("This action does not exist for this movement."),
    ("DossierGone", "movement"): _l("This movement no longer exists."),
}
