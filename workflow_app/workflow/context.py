"""What guards and effects see besides the dossier: who acts, when, with what input.

Guards and effects are looked up by the names used in `states/*.toml`; both registries live
here so that the loader can check names without importing the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from workflow_app.workdays import WorkCalendar, local_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workflow_app.models.dossier import Dossier
    from workflow_app.models.user import User
    from workflow_app.workflow.definition import TransitionDef, WorkflowDefinition


@dataclass
class FireContext:
    """One attempt to fire one transition. `now` is UTC; `today` is the date in Vietnam."""

    definition: WorkflowDefinition
    transition: TransitionDef
    actor: User | None
    now: datetime
    calendar: WorkCalendar
    session: Session | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None
    # Holds the engine's permit to write `dossier.state` during the state change only.
    permit: ExitStack = field(default_factory=ExitStack, repr=False)

    @property
    def today(self) -> date:
        return local_date(self.now)


GuardFunc = Callable[["Dossier", FireContext], "str | None"]
EffectFunc = Callable[["Dossier", FireContext], None]


@dataclass(frozen=True)
class Guard:
    name: str
    func: GuardFunc
    # True when the guard checks input given with the action (e.g. a decision number): it
    # cannot be judged before the form is filled, so `available_actions` does not run it.
    needs_input: bool = False


GUARDS: dict[str, Guard] = {}
EFFECTS: dict[str, EffectFunc] = {}


def guard(name: str, *, needs_input: bool = False) -> Callable[[GuardFunc], GuardFunc]:
    """Register a guard: a pure function returning None (pass) or a translated reason."""

    def register(func: GuardFunc) -> GuardFunc:
        if name in GUARDS:
            raise ValueError(f"guard '{name}' is registered twice")
        GUARDS[name] = Guard(name, func, needs_input)
        return func

    return register


def effect(name: str) -> Callable[[EffectFunc], EffectFunc]:
    """Register an effect: runs inside the transition's transaction, after the state change."""

    def register(func: EffectFunc) -> EffectFunc:
        if name in EFFECTS:
            raise ValueError(f"effect '{name}' is registered twice")
        EFFECTS[name] = func
        return func

    return register
