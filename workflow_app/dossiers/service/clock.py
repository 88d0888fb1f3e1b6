"""A dossier's step clock (working days used in its current step against the step's limit),
on the app's working-day calendar."""

from __future__ import annotations

from workflow_app.models.dossier import Dossier
from workflow_app.workflow import StepClock, definition_of, step_clock
from workflow_app.workflow.engine import get_calendar


def clock_of(dossier: Dossier) -> StepClock | None:
    return step_clock(dossier, definition_of(dossier), calendar=get_calendar())
