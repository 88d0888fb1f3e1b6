"""The callbacks each transition of a `transitions.Machine` runs, in the library's order.

    before  → open the permit to write `dossier.state` (for this dossier object only)
    (the machine sets dossier.state = dest)
    after   → close the permit, then run the transition's effects in their listed order

So effects cannot move the state themselves. The engine passes the `FireContext` as the
event's `ctx` keyword (the machine is built with `send_event=True`); the permit lives on the
context's ExitStack, which the engine also closes if anything fails in between.
"""

from __future__ import annotations

from typing import Any

from transitions import EventData

from workflow_app.models.subject import permit_state_write
from workflow_app.workflow.context import EFFECTS, FireContext
from workflow_app.workflow.definition import TransitionDef


def _ctx(event: EventData) -> FireContext:
    return event.kwargs["ctx"]


def _open_permit(event: EventData) -> None:
    _ctx(event).permit.enter_context(permit_state_write(event.model))


def _close_permit(event: EventData) -> None:
    _ctx(event).permit.close()


def _run_effect(name: str):
    func = EFFECTS[name]

    def run(event: EventData) -> None:
        func(event.model, _ctx(event))

    run.__name__ = f"effect_{name}"
    return run


def machine_callbacks(transition: TransitionDef) -> dict[str, list[Any]]:
    return {
        "before": [_open_permit],
        "after": [_close_permit, *(_run_effect(name) for name in transition.effects)],
    }
