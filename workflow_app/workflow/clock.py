"""The step clock: working days used in the current step against the step's limit.

A step is one or more states that share one clock (`step` in `states/*.toml`), e.g. the
appraisal step holds `submitted`, `in_appraisal` and `returned`. Days count while the dossier
is in a state whose clock runs; in a paused state (`returned`) the clock stands still and
resumes when the dossier comes back. Moving to another step starts a new clock at zero.

The engine keeps two fields up to date on every transition: `state_entered_at` and
`step_days_carried` (working days already used in this step before the current state).
Working days are counted with the calendar's (start, end] convention (workdays.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.workdays import WorkCalendar, default_calendar, local_date
from workflow_app.workflow.definition import WorkflowDefinition


@dataclass(frozen=True)
class StepClock:
    step: str
    running: bool
    used_days: int
    limit_days: int | None
    due_on: date | None  # the last working day within the limit, while the clock runs

    @property
    def remaining_days(self) -> int | None:
        return None if self.limit_days is None else self.limit_days - self.used_days

    @property
    def is_overdue(self) -> bool:
        return self.limit_days is not None and self.used_days > self.limit_days


def days_in_state(dossier: Dossier, today: date, calendar: WorkCalendar) -> int:
    return max(0, calendar.working_days_between(local_date(dossier.state_entered_at), today))


def carried_after(dossier: Dossier, definition: WorkflowDefinition, dest: str, today: date,
                  calendar: WorkCalendar) -> int:
    """`step_days_carried` for the dossier once it moves from its state to `dest` today."""
    source = definition.state(dossier.state)
    carried = dossier.step_days_carried or 0
    if source.clock_runs:
        carried += days_in_state(dossier, today, calendar)
    return carried if definition.state(dest).step == source.step else 0


def step_clock(dossier: Dossier, definition: WorkflowDefinition, *, now: datetime | None = None,
               calendar: WorkCalendar | None = None) -> StepClock | None:
    """The clock of the dossier's current step; None in a terminal state."""
    state = definition.state(dossier.state)
    if state.terminal:
        return None
    calendar = calendar or default_calendar()
    today = local_date(now or utcnow())
    carried = dossier.step_days_carried or 0
    running = state.clock_runs
    used = carried + (days_in_state(dossier, today, calendar) if running else 0)
    limit = definition.step_limit(state.step)
    due_on = None
    if running and limit is not None:
        due_on = calendar.add_working_days(local_date(dossier.state_entered_at), limit - carried)
    return StepClock(state.step, running, used, limit, due_on)
