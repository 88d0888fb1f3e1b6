"""Who hears about a dossier's transition, and what they read: the `notify_submitters` and
`notify_reviewers` effects, registered with the engine by name (`workflow_app/parts.py`
imports this module before the definitions load). They run inside the transition's
transaction: the in-app rows and the queued e-mail commit (or roll back) with the change.

- Submitters: users holding the submitter role on the dossier's own submitting unit, and
  the user who created the dossier — when it is returned, rejected or decided.
- Reviewers: users holding the reviewer role over the dossier's unit (on the unit or one of
  its ancestors) — when it arrives (submitted or resubmitted).
The actor is never told about their own action; inactive accounts are skipped. Each message
is written in the recipient's language.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.dossier import Dossier
from workflow_app.models.user import RoleGrant, User
from workflow_app.notify.service.queue import notify
from workflow_app.workflow.context import FireContext, effect

LINK_PREFIX = "/dossiers/"


def _unit_and_ancestor_ids(dossier: Dossier) -> list[int]:
    return [int(part) for part in dossier.unit.path.strip("/").split("/") if part]


def submitters_of(session: Session, dossier: Dossier) -> list[User]:
    users = list(session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "submitter", RoleGrant.unit_id == dossier.unit_id)
        .order_by(User.id)))
    if dossier.created_by is not None and dossier.created_by not in users:
        users.append(dossier.created_by)
    return users


def reviewers_of(session: Session, dossier: Dossier) -> list[User]:
    return list(session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "reviewer",
               RoleGrant.unit_id.in_(_unit_and_ancestor_ids(dossier)))
        .distinct().order_by(User.id)))


def _award_name(dossier: Dossier, locale: str) -> str:
    version = dossier.award_version or (dossier.award.versions[0]
                                        if dossier.award.versions else None)
    return version.name(locale) if version is not None else dossier.award.code


def _message(dossier: Dossier, ctx, locale: str) -> str:
    parts = [_("Dossier #%(id)d (%(nominee)s, %(award)s): %(action)s. Now: %(state)s.",
               id=dossier.id, nominee=dossier.nominee_name,
               award=_award_name(dossier, locale),
               action=ctx.transition.label(locale),
               state=ctx.definition.state(ctx.transition.dest).label(locale))]
    if ctx.reason:
        parts.append(_("Reason: %(reason)s", reason=ctx.reason))
    if ctx.transition.dest == "decided" and dossier.decision_number:
        if dossier.decision_date is not None:
            parts.append(_("Decision %(number)s of %(date)s.", number=dossier.decision_number,
                           date=dossier.decision_date.strftime("%d/%m/%Y")))
        else:
            parts.append(_("Decision: %(number)s", number=dossier.decision_number))
    return " ".join(parts)


def tell(session: Session, dossier: Dossier, ctx, recipients: list[User]) -> int:
    """Notify each recipient (except the actor and inactive accounts); return how many."""
    actor_id = getattr(ctx.actor, "id", None)
    told = 0
    for user in recipients:
        if user.id == actor_id or not user.is_active:
            continue
        locale = user.locale if user.locale in ("vi", "en") else "vi"
        with force_locale(locale):
            message = _message(dossier, ctx, locale)
        notify(session, user, f"dossier.{ctx.transition.trigger}", message,
               subject_type="dossier", subject_id=dossier.id,
               link=f"{LINK_PREFIX}{dossier.id}")
        told += 1
    return told


@effect("notify_submitters")
def notify_submitters(dossier: Dossier, ctx: FireContext) -> None:
    """Tell the submitters of the dossier's unit and its creator (returned, rejected, decided).

    In-app rows and queued e-mail are written in this transaction; mail leaves after commit.
    """
    tell(ctx.session, dossier, ctx, submitters_of(ctx.session, dossier))


@effect("notify_reviewers")
def notify_reviewers(dossier: Dossier, ctx: FireContext) -> None:
    """Tell the reviewers whose scope covers the dossier's unit that it has arrived."""
    tell(ctx.session, dossier, ctx, reviewers_of(ctx.session, dossier))
