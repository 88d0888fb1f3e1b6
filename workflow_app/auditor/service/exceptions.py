"""Exceptions: everything that departed from the ordinary path, each with who, when, the rule
or limit concerned and the recorded reason (issue 15 item 2).

Most kinds are audit actions (`KINDS`): one indexed query over `audit_event` (action IN …,
the period, the unit) with keyset pagination, newest first. Steps that ran past their time
limit are not an event: `late_steps` replays the dossiers' transitions (the step clock of
workflow/clock.py, working days) and names each step that ended, or still runs, beyond the
limit of states/*.toml.

Adding a kind: add its actions to `KINDS` (and its label); `rule_of` says what rule or limit
an event concerned, from what the event recorded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from workflow_app.auditor.service import labels, present, queries
from workflow_app.decisions.service.revocation_labels import GROUND_LABELS
from workflow_app.i18n import role_label
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.workdays import default_calendar, local_date
from workflow_app.workflow.clock import days_in_state
from workflow_app.workflow.registry import get_registry

LATE = "late_step"
PAGE_SIZE = 100
LATE_MAX = 500

KINDS: dict[str, tuple[object, tuple[str, ...]]] = {
    "eligibility_override": (_l("Eligibility overrides"), ("eligibility.overridden",)),
    "quota_exception": (_l("Quota exceptions"), ("quota.exception_recorded",)),
    "chair_ruling": (_l("Chair's rulings"), ("council.chair_ruling", "dossier.override_approve",
                                             "dossier.override_reject")),
    "rule_change": (_l("Rule and catalogue changes"), (
        "council.rules_changed", "catalogue.version_added", "catalogue.version_changed",
        "catalogue.version_restored", "catalogue.version_withdrawn")),
    "return_rejection": (_l("Returns and rejections"), (
        "dossier.return_for_supplement", "dossier.reject", "dossier.close_vote_rejected",
        "dossier.record_higher_refusal")),
    LATE: (_l("Steps past their time limit"), ()),
    "revocation": (_l("Revocations"), ("revocation.proposed", "revocation.issued",
                                       "revocation.recorded", "revocation.dismissed",
                                       "registry.revoked")),
    "reissue": (_l("Documents reissued or removed"), (
        "decision.reissued", "submission.reissued", "revocation.reissued",
        "dossier.document_removed", "batch.document_removed")),
    "session_change": (_l("Council session changes and cancellations"), (
        "council.session_changed", "council.session_cancelled", "council.item_held")),
    "sign_in": (_l("Failed sign-ins and lockouts"), ("auth.login_failed", "auth.reauth_failed",
                                                     "auth.reauth_code_reused",
                                                     "user.disabled")),
    "role_grant": (_l("Role grants and revocations"), ("user.role_granted", "user.role_revoked",
                                                       "api_token.created")),
}
KIND_OF_ACTION = {action: kind for kind, (_label, actions) in KINDS.items()
                  for action in actions}
OUTCOMES = {"approved": _l("approved"), "rejected": _l("rejected")}
SIGN_IN_REASONS = labels.SIGN_IN_REASONS


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, (label, _actions) in KINDS.items()]


def kind_label(kind: str) -> str:
    return str(KINDS[kind][0]) if kind in KINDS else kind


@dataclass
class Exception_:
    kind: str
    kind_label: str
    row: present.Row | None  # the event, readable; None for a step still running late
    at: str
    at_utc: str
    actor: str
    subject: str
    subject_type: str
    subject_id: str
    rule: str
    reason: str
    changes: list[present.Change] = field(default_factory=list)


def _actions(kind: str | None) -> tuple[str, ...]:
    if kind:
        return KINDS[kind][1]
    return tuple(KIND_OF_ACTION)


def _bounds(filters: dict) -> tuple[datetime | None, datetime | None]:
    start = end = None
    if filters.get("date_from"):
        start = datetime.combine(filters["date_from"], time.min, tzinfo=queries.LOCAL_TZ)
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"] + timedelta(days=1), time.min,
                               tzinfo=queries.LOCAL_TZ)
    return start, end


def statement(filters: dict) -> Select:
    """The exceptions that are events, as one query (the page, the API, the benchmark)."""
    query = select(AuditEvent).where(AuditEvent.action.in_(_actions(filters.get("kind"))))
    start, end = _bounds(filters)
    if start is not None:
        query = query.where(AuditEvent.occurred_at >= start)
    if end is not None:
        query = query.where(AuditEvent.occurred_at < end)
    if filters.get("unit"):
        query = query.where(queries._about_unit(filters["unit"]))
    return query


# --- what rule or limit -----------------------------------------------------------------

def _prerequisite(dossier: Dossier | None, rule_id: str, locale: str) -> str:
    version: AwardVersion | None = dossier.award_version if dossier else None
    if version is None and dossier is not None:
        version = dossier.rule_version(local_date(dossier.created_at))
    try:
        first = int(str(rule_id).split(".")[0]) - 1
        rule = (version.prerequisites or [])[first] if version else None
    except (ValueError, IndexError):
        rule = None
    if not isinstance(rule, dict):
        return _("Prerequisite %(id)s", id=rule_id)
    text = rule.get("text_en" if locale == "en" else "text_vi") or ""
    source = rule.get("source") or _("configurable — no confirmed legal source")
    return _("Prerequisite %(id)s (%(source)s)", id=rule_id, source=source) + (
        f": {text}" if text else "")


def rule_of(event: AuditEvent, locale: str, dossiers: dict[str, Dossier] | None = None,
            awards: dict[str, str] | None = None, units: dict[int, str] | None = None) -> str:
    """What rule or limit `event` concerned; `dossiers` by id, for eligibility overrides;
    `awards` (names by code) and `units` (names by id): named, not coded."""
    data = event.data or {}
    awards = awards or {}
    action = event.action
    if action == "eligibility.overridden":
        return _prerequisite((dossiers or {}).get(event.subject_id),
                             str(data.get("rule_id", "")), locale)
    if action == "quota.exception_recorded":
        return _("Quota for %(award)s in %(year)s: %(used)s used of %(cap)s",
                 award=awards.get(data.get("award", ""), data.get("award", "")),
                 year=data.get("year", ""),
                 used=data.get("used", "?"), cap=data.get("cap", "?"))
    if action == "council.chair_ruling":
        return _("The tally's outcome: %(outcome)s; the ruling: %(ruling)s",
                 outcome=OUTCOMES.get(data.get("tally_outcome"), data.get("tally_outcome") or "—"),
                 ruling=OUTCOMES.get(data.get("ruling"), data.get("ruling") or "—"))
    if action == "council.rules_changed":
        return _("Council's quorum and recusal rule") + (
            f" ({data['basis']})" if data.get("basis") else "")
    if action.startswith("catalogue.version_"):
        return _("Award rule %(code)s (%(basis)s)",
                 code=awards.get(data.get("code", ""), data.get("code", "")),
                 basis=data.get("basis_key", ""))
    if action.startswith("dossier.") and event.to_state:
        return _("Procedure step: %(from)s → %(to)s",
                 **{"from": labels.state_label(event.from_state, locale),
                    "to": labels.state_label(event.to_state, locale)})
    if action in ("auth.login_failed",):
        reason = SIGN_IN_REASONS.get(data.get("reason", ""))
        return str(reason) if reason else ""
    if action in ("user.role_granted", "user.role_revoked"):
        return _("Role %(role)s in unit %(unit)s", role=role_label(data.get("role", "")),
                 unit=(units or {}).get(data.get("unit_id")) or data.get("unit_code")
                 or data.get("unit_id") or "")
    if action.startswith("revocation."):
        ground = data.get("ground")
        return _("Ground: %(ground)s", ground=GROUND_LABELS.get(ground, ground or "—"))
    return ""


def _changes(event: AuditEvent, row: present.Row, values: present.Values) -> list:
    if row.changes:
        return row.changes
    pair = (event.data or {}).get("quorum_and_unit_recusal")
    if isinstance(pair, list) and len(pair) == 2:
        return [present.Change("rule", str(_l("Rule")), values.show("rule", pair[0]),
                               values.show("rule", pair[1]))]
    return []


def _units(values: present.Values, event: AuditEvent) -> dict[int, str] | None:
    """Unit names, read (once per page) only for the events that name a unit."""
    return values.units() if "unit_id" in (event.data or {}) else None


def from_events(session: Session, events: list[AuditEvent], locale: str) -> list[Exception_]:
    rows = present.present(session, events, locale)
    values = present.Values(session, locale)
    ids = [int(e.subject_id) for e in events if e.action == "eligibility.overridden"
           and e.subject_id.isdigit() and len(e.subject_id) < 12]
    dossiers = {str(d.id): d for d in session.scalars(
        select(Dossier).where(Dossier.id.in_(ids)).options(
            selectinload(Dossier.award_version),
            selectinload(Dossier.award).selectinload(Award.versions)))} if ids else {}
    codes = {str((e.data or {}).get(key)) for e in events for key in ("award", "code")
             if (e.data or {}).get(key)}
    awards = present.award_names_by_code(session, codes, locale) if codes else {}
    out = []
    for event, row in zip(events, rows, strict=True):
        kind = KIND_OF_ACTION.get(event.action, "")
        out.append(Exception_(
            kind=kind, kind_label=kind_label(kind), row=row, at=row.at, at_utc=row.at_utc,
            actor=row.actor, subject=row.subject_name, subject_type=event.subject_type,
            subject_id=event.subject_id, rule=rule_of(event, locale, dossiers, awards,
                                                            _units(values, event)),
            reason=row.reason, changes=_changes(event, row, values)))
    return out


def page(session: Session, filters: dict, locale: str, page_size: int = PAGE_SIZE
         ) -> tuple[list[Exception_], int | None]:
    query = statement(filters).where(*queries.period_bounds(
        session, {**filters, "local_days": True}))
    if filters.get("before"):
        query = query.where(AuditEvent.seq < filters["before"])
    events = list(session.scalars(query.order_by(AuditEvent.seq.desc()).limit(page_size + 1)))
    more = len(events) > page_size
    events = events[:page_size]
    return from_events(session, events, locale), (events[-1].seq if more else None)


def _month_expr(session: Session):
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Ho_Chi_Minh", AuditEvent.occurred_at),
                            "YYYY-MM")
    return func.strftime("%Y-%m", AuditEvent.occurred_at, "+7 hours")


def counts(session: Session, filters: dict) -> list[tuple[str, dict[str, int]]]:
    """[(month "YYYY-MM" in Vietnam time, {kind: count})], oldest first, for the events."""
    month = _month_expr(session)
    inner = statement({**filters}).with_only_columns(
        month.label("month"), AuditEvent.action).subquery()
    rows = session.execute(select(inner.c.month, inner.c.action, func.count())
                           .group_by(inner.c.month, inner.c.action))
    table: dict[str, Counter] = {}
    for month_value, action, n in rows:
        table.setdefault(str(month_value), Counter())[KIND_OF_ACTION.get(action, "")] += n
    return [(m, dict(table[m])) for m in sorted(table)]


# --- late steps -------------------------------------------------------------------------

@dataclass
class _Step:
    name: str
    entered: datetime
    carried: int


def _transitions() -> list[str]:
    """Every transition's action (`dossier.<trigger>`): found through the action index."""
    return sorted({f"dossier.{t.trigger}" for d in get_registry() for t in d.transitions})


def _moved_dossiers(session: Session, filters: dict, limit: int) -> list[int]:
    start, end = _bounds(filters)
    # Newest dossiers first, each checked through the subject index until `limit` moved.
    moved = select(AuditEvent.seq).where(
        AuditEvent.subject_type == "dossier",
        AuditEvent.subject_id == cast(Dossier.id, String),
        AuditEvent.action.in_(_transitions()))
    if start is not None:
        moved = moved.where(AuditEvent.occurred_at >= start)
    if end is not None:
        moved = moved.where(AuditEvent.occurred_at < end)
    return list(session.scalars(
        select(Dossier.id).where(Dossier.id.in_(_dossier_scope(session, filters)))
        .where(moved.exists()).order_by(Dossier.id.desc()).limit(limit)))


def _dossier_scope(session: Session, filters: dict) -> Select:
    query = select(Dossier.id)
    if filters.get("unit"):
        root = select(OrgUnit.path).where(OrgUnit.code == filters["unit"]).scalar_subquery()
        query = query.join(OrgUnit, Dossier.unit_id == OrgUnit.id).where(
            OrgUnit.path.startswith(root))
    return query


def late_steps(session: Session, filters: dict, locale: str,
               now: datetime | None = None) -> tuple[list[Exception_], bool]:
    """Each step that ended in the period after its limit, or is still running past it;
    and whether more dossiers moved in the period than are replayed (the LATE_MAX newest:
    narrow the period or choose a unit)."""
    now = now or datetime.now(UTC)
    start, end = _bounds(filters)
    calendar = default_calendar()
    registry = get_registry()
    chosen = _moved_dossiers(session, filters, LATE_MAX + 1)
    limited = len(chosen) > LATE_MAX
    chosen = chosen[:LATE_MAX]
    columns = (Dossier.id, Dossier.workflow, Dossier.state, Dossier.state_entered_at,
               Dossier.step_days_carried)  # not whole dossiers: only the clock is needed
    dossiers = {d.id: d for d in session.execute(select(*columns).where(
        Dossier.id.in_(chosen)))}
    found: list[tuple[AuditEvent | None, Dossier, str, int, int]] = []
    _ended_late(session, dossiers, start, end, calendar, registry, found)
    if (start is None or start <= now) and (end is None or end > now):
        # the period holds today: steps still running past their limit, moved or not
        open_states = sorted({state.id for d in registry for state in d.states.values()
                              if not state.terminal})
        stuck = session.execute(
            select(*columns).where(Dossier.id.in_(_dossier_scope(session, filters)),
                                   Dossier.state.in_(open_states))
            .order_by(Dossier.state_entered_at, Dossier.id).limit(LATE_MAX))
        today = local_date(now)
        for dossier in stuck:  # the step clock (workflow/clock.py), without its due date
            definition = registry.get(dossier.workflow)
            state = definition.state(dossier.state)
            limit = definition.step_limit(state.step) if state.step else None
            if limit is None:
                continue
            used = (dossier.step_days_carried or 0) + (
                days_in_state(dossier, today, calendar) if state.clock_runs else 0)
            if used > limit:
                found.append((None, dossier, dossier.state, used, limit))
    names = present.subject_names(session, {("dossier", str(d.id)) for _e, d, *_r in found},
                                  locale)
    rows = present.present(session, [e for e, *_r in found if e is not None], locale)
    return _late_items(found, names, rows, locale), limited


def _ended_late(session, dossiers: dict, start, end, calendar, registry, found: list) -> None:
    """Replay the transitions of `dossiers`; append each step that ended late in the period."""
    if not dossiers:
        return
    events = session.execute(  # columns only: the JSON data is read for the late ones
        select(AuditEvent.seq, AuditEvent.subject_id, AuditEvent.from_state,
               AuditEvent.to_state, AuditEvent.occurred_at)
        .where(AuditEvent.subject_type == "dossier",
               AuditEvent.subject_id.in_([str(i) for i in dossiers]),
               AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.seq))
    late: list[tuple[int, Dossier, str, int, int]] = []
    steps: dict[int, _Step] = {}
    for event in events:
        dossier = dossiers[int(event.subject_id)]
        definition = registry.get(dossier.workflow)
        step = steps.get(dossier.id)
        if step is not None and event.from_state in definition.states:
            source = definition.state(event.from_state)
            used = step.carried + (max(0, calendar.working_days_between(
                local_date(step.entered), local_date(event.occurred_at)))
                if source.clock_runs else 0)
            dest = definition.states.get(event.to_state)
            limit = definition.step_limit(source.step) if source.step else (
                source.sla_working_days)
            if dest is not None and source.step and dest.step == source.step:
                steps[dossier.id] = _Step(dest.step, event.occurred_at, used)
                continue
            in_period = ((start is None or event.occurred_at >= start)
                         and (end is None or event.occurred_at < end))
            if limit is not None and used > limit and in_period:
                late.append((event.seq, dossier, event.from_state, used, limit))
        steps[dossier.id] = _Step(event.to_state, event.occurred_at, 0)
    full = {e.seq: e for e in session.scalars(select(AuditEvent).where(
        AuditEvent.seq.in_([seq for seq, *_rest in late])))} if late else {}
    found.extend((full[seq], *rest) for seq, *rest in late)


def _late_items(found: list, names: dict, rows: list, locale: str) -> list[Exception_]:
    by_seq = {r.seq: r for r in rows}
    out = []
    for event, dossier, state, used, limit in found:
        row = by_seq.get(event.seq) if event is not None else None
        out.append(Exception_(
            kind=LATE, kind_label=kind_label(LATE), row=row,
            at=row.at if row else "", at_utc=row.at_utc if row else "",
            actor=row.actor if row else "",
            subject=names[("dossier", str(dossier.id))], subject_type="dossier",
            subject_id=str(dossier.id),
            rule=_("Step “%(state)s”: %(used)d working days used of a limit of %(limit)d%(more)s",
                   state=labels.state_label(state, locale), used=used, limit=limit,
                   more="" if event is not None else _(" (still running)")),
            reason=row.reason if row else ""))
    out.sort(key=lambda x: (x.row is not None, x.row.seq if x.row else 0), reverse=True)
    return out
