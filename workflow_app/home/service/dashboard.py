"""The home page per role (issue 14 item 4): what needs my action, most urgent first (the
overdue, then by due date), and a few key figures for my scope.

- submitter: dossiers returned for supplementation, and drafts still missing a required
  document, over the units of their submitter grants;
- reviewer: the appraisal queue (review.service.queue, its urgency order) and dossiers with
  open objections from the public disclosure;
- secretary and chair: their councils' upcoming sessions (soonest first) and open rounds;
- signer: dossiers waiting for their decision (decisions.service.selection);
- auditor: the chain's head, the last verification run (when, and the problems it found:
  `audit.report.last_run`) and the last signed checkpoint, with the links to verify and
  export.

Each list gives its full total and shows the first `SHOWN`, linking to the full page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from workflow_app.audit.report import last_run
from workflow_app.council.service import access as council_access
from workflow_app.council.service import sessions as council_sessions
from workflow_app.decisions.service import issue, selection
from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditCheckpoint, AuditHead
from workflow_app.models.base import utcnow
from workflow_app.models.council import CouncilSession, VotingRound
from workflow_app.models.decision import Decision
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.org.service.scope import scope_paths
from workflow_app.review.service import queue as review_queue
from workflow_app.workflow import StepClock, WorkflowRegistry
from workflow_app.workflow.engine import get_calendar

SHOWN = 8
DASHBOARD_ROLES = ("submitter", "reviewer", "secretary", "chair", "signer", "auditor")


@dataclass
class Action:
    """One thing to do: what, about whom, where to click, by when."""

    what: str  # a key the template words (returned, missing_documents, queue, …)
    title: str
    detail: str
    endpoint: str
    args: dict
    due_on: date | None = None
    overdue: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then by due date; without one, what was sent back before the rest."""
        return (0 if self.overdue else 1, self.due_on or date.max, RANK.get(self.what, 9),
                self.title)


RANK = {"returned": 0, "objection": 1, "missing_documents": 2, "queue": 3}


@dataclass
class Figure:
    what: str  # a key the template words
    value: int | str | datetime | None
    endpoint: str | None = None
    args: dict = field(default_factory=dict)


@dataclass
class Panel:
    role: str
    actions: list[Action]
    total: int  # every action, not only the shown ones
    overdue: int
    figures: list[Figure]
    more_endpoint: str | None = None


def _unit_condition(user: User, *roles: str):
    paths = scope_paths(user, *roles)
    if not paths:
        return None
    return or_(*(OrgUnit.path.startswith(p, autoescape=True) for p in paths))


def _timed(dossier: Dossier, clock: StepClock | None) -> tuple[date | None, bool]:
    if clock is None or not clock.running:
        return None, False
    return clock.due_on, clock.is_overdue


def _finish(role: str, actions: list[Action], figures: list[Figure],
            more: str | None) -> Panel:
    actions.sort(key=lambda a: a.sort_key)
    return Panel(role, actions[:SHOWN], len(actions), sum(a.overdue for a in actions),
                 figures, more)


def _award_name(dossier: Dossier) -> str:
    version = dossier.award_version or (dossier.award.versions[-1]
                                        if dossier.award and dossier.award.versions else None)
    return version.name_vi if version is not None else ""


def submitter_panel(session: Session, user: User, today: date) -> Panel:
    condition = _unit_condition(user, "submitter")
    if condition is None:
        return _finish("submitter", [], [], None)
    base = select(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id).where(condition)
    rows = session.scalars(base.where(Dossier.state.in_(("returned", "draft"))).options(
        selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit),
        selectinload(Dossier.documents), selectinload(Dossier.award_version),
        selectinload(Dossier.award))).all()
    actions = []
    for dossier in rows:
        version = dossier.rule_version(today)
        required = list(version.required_documents or []) if version is not None else []
        missing = [code for code in required if code not in dossier.document_types]
        if dossier.state == "draft" and not missing:
            continue
        due_on, overdue = _timed(dossier, clock_of(dossier))
        actions.append(Action("returned" if dossier.state == "returned" else
                              "missing_documents", dossier.nominee_name,
                              f"#{dossier.id} · {dossier.title}", "dossiers.detail",
                              {"dossier_id": dossier.id}, due_on, overdue, missing))
    counts = dict(session.execute(
        select(Dossier.state, func.count()).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
        .where(condition).group_by(Dossier.state)).all())
    decided = session.scalar(
        select(func.count()).select_from(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
        .where(condition, Dossier.state == "decided", Dossier.year == today.year - 1)) or 0
    in_progress = sum(n for state, n in counts.items()
                      if state not in ("draft", "returned", "decided", "rejected", "withdrawn",
                                       "council_rejected", "revoked"))
    figures = [Figure("drafts", counts.get("draft", 0), "dossiers.index", {"state": "draft"}),
               Figure("returned", counts.get("returned", 0), "dossiers.index",
                      {"state": "returned"}),
               Figure("in_progress", in_progress, "dossiers.index"),
               Figure("decided_last_year", decided, "dossiers.index",
                      {"state": "decided", "year": today.year - 1})]
    return _finish("submitter", actions, figures, "dossiers.index")


def reviewer_panel(session: Session, user: User, registry: WorkflowRegistry, now: datetime,
                   calendar) -> Panel:
    page = review_queue.load_queue(session, user, registry, review_queue.QueueFilters(),
                                   now=now, calendar=calendar, page_size=SHOWN)
    actions = []
    for dossier, clock in page.rows:
        if dossier.state == "returned":
            continue  # the unit's move, not the reviewer's (it stays in the queue's page)
        due_on, overdue = _timed(dossier, clock)
        actions.append(Action("queue", dossier.nominee_name,
                              f"#{dossier.id} · {dossier.unit.name} · {_award_name(dossier)}",
                              "dossiers.detail", {"dossier_id": dossier.id}, due_on, overdue))
    scope = review_queue.reviewer_scope(user)
    objections = session.scalars(
        select(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
        .where(scope, Dossier.open_objection_count > 0)
        .order_by(Dossier.disclosure_ends_on, Dossier.id).limit(SHOWN)
        .options(selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit))).all()
    objection_total = session.scalar(
        select(func.count()).select_from(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
        .where(scope, Dossier.open_objection_count > 0)) or 0
    for dossier in objections:
        actions.append(Action("objection", dossier.nominee_name,
                              f"#{dossier.id} · {dossier.title}", "dossiers.detail",
                              {"dossier_id": dossier.id}, dossier.disclosure_ends_on, False))
    waiting_for_units = page.counts.get("returned", 0)
    panel = _finish("reviewer", actions, [
        Figure("queue", page.total - waiting_for_units, "review.queue"),
        Figure("overdue", page.overdue, "review.queue", {"overdue": "y"}),
        Figure("objections", objection_total),
    ], "review.queue")
    panel.total = page.total - waiting_for_units + objection_total
    panel.overdue = page.overdue
    return panel


def council_panel(session: Session, user: User, role: str, today: date) -> Panel:
    mine = [m for m in council_sessions.sessions_for(session, user)
            if (council_access.is_secretary(user, m.council) if role == "secretary"
                else council_access.is_chair(user, m.council))]
    upcoming = [m for m in mine if council_sessions.is_upcoming(m)]
    actions = [Action("session", m.title or m.council.name,
                      f"{m.council.name} · {m.place}".rstrip(" ·"), "council.session_detail",
                      {"session_id": m.id}, m.held_on, m.held_on < today)
               for m in upcoming]
    ids = [m.id for m in mine]
    open_rounds = session.scalars(select(VotingRound).where(
        VotingRound.session_id.in_(ids), VotingRound.status == "open")
        .options(selectinload(VotingRound.session).selectinload(CouncilSession.council))).all() \
        if ids else []
    actions += [Action("round", r.session.title or r.session.council.name,
                       str(r.number), "council.session_detail", {"session_id": r.session_id},
                       r.session.held_on, False) for r in open_rounds]
    figures = [Figure("upcoming_sessions", len(upcoming), "council.index"),
               Figure("open_rounds", len(open_rounds), "council.index"),
               Figure("items_to_vote", sum(1 for m in upcoming for i in m.items
                                           if i.round_id is None), "council.index")]
    return _finish(role, actions, figures, "council.index")


def signer_panel(session: Session, user: User, today: date) -> Panel:
    ready = selection.ready_dossiers(session, user, issue.TRIGGER, issue.ROLE)
    actions = []
    for dossier in ready:
        due_on, overdue = _timed(dossier, clock_of(dossier))
        actions.append(Action("to_sign", dossier.nominee_name,
                              f"#{dossier.id} · {_award_name(dossier)}", "decisions.to_sign",
                              {}, due_on, overdue))
    condition = _unit_condition(user, "signer")
    issued = 0
    if condition is not None:
        issued = session.scalar(select(func.count()).select_from(Decision)
                                .join(OrgUnit, Decision.issuer_unit_id == OrgUnit.id)
                                .where(condition, Decision.year == today.year)) or 0
    return _finish("signer", actions, [
        Figure("to_sign", len(ready), "decisions.to_sign"),
        Figure("issued_this_year", issued, "decisions.index"),
    ], "decisions.to_sign")


def auditor_panel(session: Session) -> Panel:
    head = session.get(AuditHead, 1)
    checkpoint = session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc())
                                .limit(1))
    head_seq = head.seq if head is not None else 0
    since = head_seq - checkpoint.seq if checkpoint is not None else head_seq
    run = last_run(session)
    figures = [Figure("events", head_seq, "audit_ui.log"),
               Figure("last_verification", run.ran_at if run else None),
               Figure("last_verification_problems", run.problems if run else None),
               Figure("last_checkpoint", checkpoint.created_at if checkpoint else None),
               Figure("events_since_checkpoint", since, "audit_ui.log")]
    actions = [Action("verify", "", "", "audit_ui.verify", {}, None, False)]
    return Panel("auditor", actions, len(actions), 0, figures, "audit_ui.log")


def panels_for(session: Session, user: User, *, registry: WorkflowRegistry,
               now: datetime | None = None, today: date | None = None,
               calendar=None) -> list[Panel]:
    """The panels of the roles `user` holds, in a fixed order."""
    now = now or utcnow()
    today = today or today_vn()
    calendar = calendar or get_calendar()
    panels = []
    if user.has_role("submitter"):
        panels.append(submitter_panel(session, user, today))
    if user.has_role("reviewer"):
        panels.append(reviewer_panel(session, user, registry, now, calendar))
    for role in ("secretary", "chair"):
        if user.has_role(role):
            panels.append(council_panel(session, user, role, today))
    if user.has_role("signer"):
        panels.append(signer_panel(session, user, today))
    if user.has_role("auditor"):
        panels.append(auditor_panel(session))
    return panels
