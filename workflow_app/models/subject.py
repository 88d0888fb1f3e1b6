"""What every workflow subject shares: a state only the engine writes.

A workflow subject is a row that moves through a `states/*.toml` definition with the engine
(`workflow_app.workflow.fire`): a nomination dossier, an emulation movement. Its `state` may be
assigned only inside `permit_state_write(subject)`, which the engine opens around the change;
anywhere else the assignment raises `StateWriteForbidden`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.orm import validates

_state_permit: ContextVar[object | None] = ContextVar("subject_state_permit", default=None)


class StateWriteForbidden(RuntimeError):
    """Code outside the workflow engine tried to change a subject's state (a programming error)."""


@contextmanager
def permit_state_write(subject: object) -> Iterator[None]:
    """Allow `subject.state` to be assigned inside this block. For the workflow engine only."""
    token = _state_permit.set(subject)
    try:
        yield
    finally:
        _state_permit.reset(token)


class EngineOwnedState:
    """Mixin: `state` is written by the engine only, and `workflow` is fixed once stated."""

    # The subject kind: the prefix of its audit actions (`dossier.submit`, `movement.launch`)
    # and the `subject` a definition in `states/` names.
    subject_kind = "dossier"

    @validates("state")
    def _only_the_engine_moves_state(self, key: str, value: str) -> str:
        if _state_permit.get() is not self:
            raise StateWriteForbidden(
                f"{self.subject_kind}.state is written only by workflow_app.workflow.engine (fire)"
            )
        return value

    @validates("workflow")
    def _workflow_is_fixed(self, key: str, value: str) -> str:
        if self.workflow is not None and value != self.workflow and self.state is not None:
            raise StateWriteForbidden(
                f"a {self.subject_kind}'s workflow cannot change once it has a state")
        return value
