"""Eligibility exceptions asked for (issue 17 item 4): a submitter whose dossier a rule
blocks asks a reviewer to set that rule aside, with the reason; the request reaches the
reviewers over the dossier's unit (notification and their review queue, even while the
dossier is a draft); a reviewer grants it — which records the override
(`dossier.override_rule`, its own audit event) — or refuses it, with a reason. Each step is
audited (`eligibility.exception_requested`, `…_granted`, `…_refused`) and notified in the
same transaction. One request per dossier and rule waits at a time.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from workflow_app.audit.chain import record
from workflow_app.dossiers.service.access import may_submit_for
from workflow_app.dossiers.service.notices import reviewers_of, submitters_of
from workflow_app.eligibility.service.dossier import (
    MAX_REASON,
    OverrideError,
    dossier_eligibility,
    eligibility_open,
    override_rule,
)
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import EligibilityExceptionRequest as Request
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.notify.service.queue import notify
from workflow_app.org.service.scope import scope_paths

LINK = "/dossiers/{id}#eligibility"


class RequestError(ValueError):
    """A request or an answer that cannot be recorded; the message says why."""


def _reason(text: str | None, missing) -> str:
    reason = (text or "").strip()
    if not reason:
        raise RequestError(str(missing))
    if len(reason) > MAX_REASON:
        raise RequestError(_("The reason is too long (at most %(max)d characters).",
                             max=MAX_REASON))
    return reason


def pending_for(session: Session, dossier: Dossier) -> dict[str, Request]:
    """The waiting requests of a dossier, by rule id."""
    rows = session.scalars(select(Request).where(Request.dossier_id == dossier.id,
                                                 Request.status == "pending")
                           .options(joinedload(Request.requested_by)))
    return {row.rule_id: row for row in rows}


def latest_answers(session: Session, dossier: Dossier) -> dict[str, Request]:
    """The last answered request of each rule of a dossier (to show a refusal's reason)."""
    rows = session.scalars(select(Request).where(Request.dossier_id == dossier.id,
                                                 Request.status != "pending")
                           .order_by(Request.answered_at, Request.id)
                           .options(joinedload(Request.answered_by)))
    return {row.rule_id: row for row in rows}


def request_exception(session: Session, dossier: Dossier, rule_id: str, reason: str,
                      actor: User) -> Request:
    """Record the request and tell the reviewers. Raises RequestError."""
    reason = _reason(reason, _l("Give the reason for the exception you ask for."))
    if not eligibility_open(dossier):
        raise RequestError(_("The dossier is past the eligibility check: no exception can "
                             "be asked for any more."))
    rule = next((r for r in dossier_eligibility(session, dossier) if r.rule_id == rule_id),
                None)
    if rule is None:
        raise RequestError(_("This dossier has no such rule."))
    if not rule.blocks:
        raise RequestError(_("This rule does not block the dossier: there is nothing to ask."))
    if rule_id in pending_for(session, dossier):
        raise RequestError(_("An exception to this rule is already waiting for the "
                             "reviewer."))
    entry = Request(dossier_id=dossier.id, rule_id=rule_id, reason=reason,
                    requested_by_id=actor.id, answer="")
    session.add(entry)
    session.flush()
    record(session, "eligibility.exception_requested", "dossier", dossier.id, actor=actor,
           data={"request_id": entry.id, "rule_id": rule_id, "kind": rule.kind,
                 "reason": reason})
    _tell(session, reviewers_of(session, dossier), actor, dossier,
          "eligibility.exception_requested",
          lambda: _("Dossier #%(id)d (%(nominee)s): %(who)s asks for an exception to "
                    "prerequisite %(rule)s. Reason: %(reason)s",
                    id=dossier.id, nominee=dossier.nominee_name, who=actor.display_name,
                    rule=rule_id, reason=reason))
    return entry


def answer(session: Session, entry: Request, grant: bool, reason: str, actor: User) -> Request:
    """Grant (records the override) or refuse a waiting request. Raises RequestError."""
    if entry.status != "pending":
        raise RequestError(_("This request was already answered."))
    reason = _reason(reason, _l("Give the reason for your answer."))
    dossier = entry.dossier
    if grant:
        try:
            override_rule(session, dossier, entry.rule_id, reason, actor)
        except OverrideError as error:
            raise RequestError(str(error)) from None
    entry.status = "granted" if grant else "refused"
    entry.answer, entry.answered_by_id, entry.answered_at = reason, actor.id, utcnow()
    session.flush()
    action = "eligibility.exception_granted" if grant else "eligibility.exception_refused"
    record(session, action, "dossier", dossier.id, actor=actor,
           data={"request_id": entry.id, "rule_id": entry.rule_id, "reason": reason})
    recipients = [entry.requested_by] if entry.requested_by else []
    recipients += [u for u in submitters_of(session, dossier) if u not in recipients]
    _tell(session, recipients, actor, dossier, action,
          lambda: (_("Dossier #%(id)d (%(nominee)s): the exception to prerequisite %(rule)s "
                     "was granted. Reason: %(reason)s", id=dossier.id,
                     nominee=dossier.nominee_name, rule=entry.rule_id, reason=reason)
                   if grant else
                   _("Dossier #%(id)d (%(nominee)s): the exception to prerequisite %(rule)s "
                     "was refused. Reason: %(reason)s", id=dossier.id,
                     nominee=dossier.nominee_name, rule=entry.rule_id, reason=reason)))
    return entry


def _tell(session: Session, users, actor: User, dossier: Dossier, kind: str, words) -> None:
    for user in users:
        if user.id == actor.id or not user.is_active:
            continue
        with force_locale(user.locale if user.locale in ("vi", "en") else "vi"):
            message = words()
        notify(session, user, kind, message, subject_type="dossier", subject_id=dossier.id,
               link=LINK.format(id=dossier.id))


def waiting_for_reviewer(session: Session, reviewer: User, limit: int = 200) -> list[Request]:
    """Requests waiting for an answer on dossiers `reviewer` reviews (reviewer grants over
    the dossier's unit), oldest first."""
    paths = scope_paths(reviewer, "reviewer")  # the reviewer grants only, in SQL: the
    if not paths:                               # limit then counts what is shown
        return []
    return list(session.scalars(
        select(Request).join(Dossier, Dossier.id == Request.dossier_id)
        .join(OrgUnit, OrgUnit.id == Dossier.unit_id)
        .where(Request.status == "pending",
               or_(*(OrgUnit.path.startswith(path, autoescape=True) for path in paths)))
        .order_by(Request.requested_at, Request.id).limit(limit)
        .options(joinedload(Request.dossier), joinedload(Request.requested_by))))


def page_context(session: Session, dossier: Dossier, viewer: User) -> dict:
    """What the dossier page shows of exception requests: the waiting ones and the last
    answer per rule, and whether `viewer` may ask (a submitter over the unit while the
    dossier can still pass the eligibility check)."""
    return {"exception_requests": pending_for(session, dossier),
            "exception_answers": latest_answers(session, dossier),
            "can_request_exception": may_submit_for(viewer, dossier.unit)
            and eligibility_open(dossier)}
