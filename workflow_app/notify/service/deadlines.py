"""Deadline reminders (`flask notify deadlines`, run daily from cron).

For every dossier whose current step's clock runs with a time limit, and whose due date
(step clock + working-day calendar) is at most REMINDER_WORKING_DAYS working days away —
or already passed — the people responsible get a notification (in-app and e-mail):

- responsible roles: the roles of the transitions leaving the current state (from the
  definitions). The workflow's creator roles (the submitter) are left out when another role
  acts there too: from a state where the reviewer must act, the submitter's only way out is
  to withdraw, which is not the step's work;
- the persons: active users holding one of those roles over the dossier's unit (a grant on
  the unit or one of its ancestors).

Each reminder is remembered (DeadlineReminder: dossier, step, due date), so a daily run
never repeats one; a dossier with nobody responsible is not remembered and is retried on the
next run. Everything is written in the caller's transaction; the caller commits, then sends
the e-mail outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from werkzeug.routing import BuildError

from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.reminder import DeadlineReminder
from workflow_app.models.user import RoleGrant, User
from workflow_app.notify.service.queue import notify
from workflow_app.urls import path_for
from workflow_app.workdays import WorkCalendar, local_date
from workflow_app.workflow import StepClock, WorkflowRegistry, get_registry, step_clock
from workflow_app.workflow.definition import WorkflowDefinition
from workflow_app.workflow.engine import get_calendar

# Issue 3, item 10: "when a deadline is two working days away".
REMINDER_WORKING_DAYS = 2
KIND = "deadline.reminder"
CHUNK = 500  # ids per IN (…) list, well under the databases' parameter limits


@dataclass
class ReminderSummary:
    checked: int = 0  # dossiers whose step has a running clock and a limit
    due: int = 0  # of those, due within the horizon or overdue
    reminded: int = 0  # dossiers reminded in this run
    notifications: int = 0
    already: int = 0  # reminded by an earlier run
    nobody: int = 0  # nobody holds a responsible role over the unit

    def describe(self) -> str:
        return (f"Checked {self.checked} dossiers with a running time limit; {self.due} due "
                f"within {REMINDER_WORKING_DAYS} working days or overdue; reminded "
                f"{self.reminded} ({self.notifications} notifications); {self.already} "
                f"already reminded; {self.nobody} with nobody responsible.")


def responsible_roles(definition: WorkflowDefinition, state: str) -> frozenset[str]:
    roles = {role for t in definition.transitions_from(state) for role in t.roles}
    others = roles - set(definition.creators)
    return frozenset(others or roles)


def timed_states(registry: WorkflowRegistry) -> dict[str, tuple[str, ...]]:
    """{workflow: non-terminal states whose clock runs and whose step has a limit}."""
    return {d.id: tuple(s.id for s in d.states.values()
                        if s.clock_runs and d.step_limit(s.step) is not None)
            for d in registry}


def _link(endpoint: str, dossier_id: int) -> str:
    try:
        return path_for(endpoint, dossier_id=dossier_id)
    except BuildError:
        return ""


def _due_dossiers(session: Session, registry: WorkflowRegistry, now: datetime,
                  calendar: WorkCalendar, horizon: date, summary: ReminderSummary):
    """[(dossier id, clock)] of the dossiers due on or before `horizon`."""
    due, cache = [], {}
    for workflow, states in timed_states(registry).items():
        if not states:
            continue
        rows = session.execute(select(Dossier.id, Dossier.state, Dossier.state_entered_at,
                                      Dossier.step_days_carried)
                               .where(Dossier.workflow == workflow, Dossier.state.in_(states)))
        for row in rows:
            key = (workflow, row.state, local_date(row.state_entered_at), row.step_days_carried)
            if key not in cache:
                shape = SimpleNamespace(state=row.state, state_entered_at=row.state_entered_at,
                                        step_days_carried=row.step_days_carried or 0)
                cache[key] = step_clock(shape, registry.get(workflow), now=now,
                                        calendar=calendar)
            clock: StepClock | None = cache[key]
            summary.checked += 1
            if clock is not None and clock.due_on is not None and clock.due_on <= horizon:
                due.append((row.id, clock))
    return due


def _already_sent(session: Session, ids: list[int]) -> set[tuple[int, str, date]]:
    """(dossier, step, due date) of the reminders already sent to these dossiers."""
    sent: set[tuple[int, str, date]] = set()
    for start in range(0, len(ids), CHUNK):
        sent.update(tuple(row) for row in session.execute(
            select(DeadlineReminder.dossier_id, DeadlineReminder.step, DeadlineReminder.due_on)
            .where(DeadlineReminder.dossier_id.in_(ids[start:start + CHUNK]))).all())
    return sent


def _message(dossier: Dossier, definition: WorkflowDefinition, clock: StepClock,
             today: date, locale: str) -> str:
    version = dossier.award_version or (dossier.award.versions[0]
                                        if dossier.award.versions else None)
    facts = {"id": dossier.id, "nominee": dossier.nominee_name,
             "award": version.name(locale) if version else dossier.award.code,
             "state": definition.state(dossier.state).label(locale),
             "day": clock.due_on.strftime("%d/%m/%Y")}
    if clock.due_on < today:
        return _("Overdue: dossier #%(id)d (%(nominee)s, %(award)s), step “%(state)s”, was "
                 "due on %(day)s.", **facts)
    return _("Deadline soon: dossier #%(id)d (%(nominee)s, %(award)s), step “%(state)s”, is "
             "due on %(day)s.", **facts)


def send_deadline_reminders(session: Session, *, now: datetime | None = None,
                            calendar: WorkCalendar | None = None,
                            registry: WorkflowRegistry | None = None,
                            within: int = REMINDER_WORKING_DAYS) -> ReminderSummary:
    """Queue the reminders due now (see the module's docstring); return what was done."""
    now, calendar = now or utcnow(), calendar or get_calendar()
    registry = registry or get_registry()
    today = local_date(now)
    summary = ReminderSummary()
    due = _due_dossiers(session, registry, now, calendar,
                        calendar.add_working_days(today, within), summary)
    summary.due = len(due)
    if not due:
        return summary
    clocks = dict(due)
    sent = _already_sent(session, list(clocks))
    todo = [i for i, c in due if (i, c.step, c.due_on) not in sent]
    summary.already = len(due) - len(todo)
    if not todo:
        return summary
    dossiers = session.scalars(select(Dossier).where(Dossier.id.in_(todo)).options(
        joinedload(Dossier.unit), joinedload(Dossier.nominee_person),
        joinedload(Dossier.nominee_unit), joinedload(Dossier.award_version),
        selectinload(Dossier.award).selectinload(Award.versions))).unique().all()
    needed = {role for d in dossiers
              for role in responsible_roles(registry.get(d.workflow), d.state)}
    grants = session.scalars(select(RoleGrant).join(User, User.id == RoleGrant.user_id)
                             .where(User.is_active.is_(True), RoleGrant.role.in_(needed))
                             .options(joinedload(RoleGrant.unit), joinedload(RoleGrant.user))
                             ).all()
    for dossier in sorted(dossiers, key=lambda d: d.id):
        definition, clock = registry.get(dossier.workflow), clocks[dossier.id]
        roles = responsible_roles(definition, dossier.state)
        recipients: dict[int, tuple[User, set[str]]] = {}
        for grant in grants:
            if grant.role in roles and dossier.unit.path.startswith(grant.unit.path):
                recipients.setdefault(grant.user_id, (grant.user, set()))[1].add(grant.role)
        if not recipients:
            summary.nobody += 1
            continue
        for user, held in recipients.values():
            locale = user.locale if user.locale in ("vi", "en") else "vi"
            with force_locale(locale):
                message = _message(dossier, definition, clock, today, locale)
            endpoint = "review.detail" if "reviewer" in held else "dossiers.detail"
            notify(session, user, KIND, message, subject_type="dossier", subject_id=dossier.id,
                   link=_link(endpoint, dossier.id))
            summary.notifications += 1
        session.add(DeadlineReminder(dossier_id=dossier.id, step=clock.step, due_on=clock.due_on,
                                     recipients=len(recipients), sent_at=now))
        summary.reminded += 1
    session.flush()
    return summary
