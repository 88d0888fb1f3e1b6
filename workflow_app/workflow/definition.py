"""A validated workflow definition (one `states/*.toml` file) and its `transitions.Machine`.

The definition is immutable data. Its machine is built once and holds no models
(`model=None`): the engine triggers events on a dossier row directly through
`machine.events[trigger].trigger(dossier, ctx=…)`, the way the library's maintainers suggest
for one rulebook shared by many objects. Nothing is added to or left on the machine per call,
so it is safe to share between threads and requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from transitions import Machine

CLOCK_MODES = ("runs", "paused")
# The kinds of row a definition can drive (`[workflow] subject`, default "dossier").
SUBJECT_KINDS = ("dossier", "movement")
SLA_BASES = ("legal", "configurable")


@dataclass(frozen=True)
class StateDef:
    id: str
    label_vi: str
    label_en: str
    terminal: bool = False
    clock: str = "runs"  # "paused": the step's clock stops while the dossier is here
    step: str = ""  # states sharing a step share one clock and one limit
    sla_working_days: int | None = None
    sla_basis: str | None = None  # "legal" (cite sla_source) or "configurable"
    sla_source: str = ""

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale == "en" else self.label_vi

    @property
    def clock_runs(self) -> bool:
        return self.clock == "runs" and not self.terminal


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label_vi: str
    label_en: str
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    reason_required: bool = False

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale == "en" else self.label_vi


@dataclass(frozen=True)
class WorkflowDefinition:
    id: str
    label_vi: str
    label_en: str
    initial: str
    creators: tuple[str, ...]
    states: dict[str, StateDef]
    transitions: tuple[TransitionDef, ...]
    source: str  # "states/normal.toml", for messages
    subject: str = "dossier"  # the kind of row it drives: SUBJECT_KINDS
    machine: Machine = field(init=False, repr=False, compare=False)

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale == "en" else self.label_vi

    def state(self, state_id: str) -> StateDef:
        return self.states[state_id]

    def has_trigger(self, trigger: str) -> bool:
        return any(t.trigger == trigger for t in self.transitions)

    def transition_for(self, trigger: str, state: str) -> TransitionDef | None:
        """The transition `trigger` fires from `state`, or None (validation makes it unique)."""
        for transition in self.transitions:
            if transition.trigger == trigger and state in transition.sources:
                return transition
        return None

    def transitions_from(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions if state in t.sources]

    def step_limit(self, step: str) -> int | None:
        """The step's limit in working days (validation makes the states of a step agree)."""
        for state in self.states.values():
            if state.step == step and state.sla_working_days is not None:
                return state.sla_working_days
        return None

    def build_machine(self, callbacks: Callable[[TransitionDef], dict[str, list[Any]]]) -> None:
        """Build the machine; `callbacks(transition)` gives its before/after callback lists."""
        machine = Machine(
            model=None,
            states=list(self.states),
            initial=self.initial,
            transitions=[
                {"trigger": t.trigger, "source": list(t.sources), "dest": t.dest, **callbacks(t)}
                for t in self.transitions
            ],
            auto_transitions=False,
            send_event=True,
        )
        object.__setattr__(self, "machine", machine)
