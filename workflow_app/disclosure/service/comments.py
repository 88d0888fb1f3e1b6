"""Public disclosure (công khai, lấy ý kiến): comments and objections, and their answers.

A dossier is "under disclosure" while it is in a state entered by a transition with the
`open_disclosure_window` effect (`public_disclosure` in states/normal.toml) — derived from
the definitions, not hard-coded. It accepts comments from the day the window opened to its
last day inclusive (`disclosure_started_on` … `disclosure_ends_on`); the window lasts the
award rule's `disclosure.working_days`, default 10 (ND 98/2023 Art. 46 k2; ND 152/2025
Art. 44 k2 [S] — LEGAL_FACTS §4.1).

Every objection counts in `Dossier.open_objection_count` until a reviewer answers it; the
guard `objections_answered` keeps the dossier from moving on meanwhile. Both services lock
the dossier row and bump its version when they change that count.

Anyone may write without an account, so the service limits how often one network address
may write (rate limits below: configurable — no confirmed legal source), counted in the
database so that the limit holds across worker processes. The address is stored only as a
keyed hash; audit events carry hashes only, never the sender's name or contact.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.config import current_config
from workflow_app.models.base import utcnow
from workflow_app.models.disclosure import (
    COMMENT_KINDS,
    MAX_AUTHOR_FIELD,
    MAX_COMMENT_TEXT,
    DisclosureComment,
)
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workdays import local_date
from workflow_app.workflow import Forbidden, InputInvalid, WorkflowError, get_registry
from workflow_app.workflow.engine import lock_dossier

OPENING_EFFECT = "open_disclosure_window"
# Configurable — no confirmed legal source. Override with Config.extra
# ["disclosure_comments_per_hour"] / ["disclosure_comments_per_day"].
DEFAULT_PER_HOUR = 5
DEFAULT_PER_DAY = 20
MAX_ANSWER_TEXT = 2000


@dataclass(frozen=True)
class RateLimits:
    per_hour: int = DEFAULT_PER_HOUR
    per_day: int = DEFAULT_PER_DAY


class DisclosureClosed(WorkflowError):
    code = 409
    default_message = _l("Comments on this dossier are closed: its public disclosure period "
                         "is not open.")


class RateLimited(WorkflowError):
    code = 429

    def __init__(self, minutes: int) -> None:
        super().__init__(_l("Too many comments have been sent from your network address. "
                            "Please try again in %(minutes)d minutes.", minutes=minutes))
        self.minutes = minutes


class AlreadyAnswered(WorkflowError):
    code = 409
    default_message = _l("This objection has already been answered. Reload the page.")


def configured_limits() -> RateLimits:
    config = current_config()
    extra = config.extra if config is not None else {}
    return RateLimits(int(extra.get("disclosure_comments_per_hour", DEFAULT_PER_HOUR)),
                      int(extra.get("disclosure_comments_per_day", DEFAULT_PER_DAY)))


def disclosure_states() -> dict[str, frozenset[str]]:
    """{workflow id: states that a transition opening a disclosure window leads to}."""
    return {definition.id: frozenset(t.dest for t in definition.transitions
                                     if OPENING_EFFECT in t.effects)
            for definition in get_registry()}


def is_under_disclosure(dossier: Dossier) -> bool:
    return dossier.state in disclosure_states().get(dossier.workflow, ())


def window_is_open(dossier: Dossier, today: date) -> bool:
    """True while the dossier is under disclosure and `today` is within its window."""
    start, end = dossier.disclosure_started_on, dossier.disclosure_ends_on
    return (is_under_disclosure(dossier) and start is not None and end is not None
            and start <= today <= end)


def client_hash(secret: str, address: str) -> str:
    """A keyed hash of a network address: stable for the rate limit, not reversible by
    trying every address without the key."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _serialise_client(session: Session, client: str) -> None:
    """Make concurrent submissions from one address count one after the other.

    PostgreSQL: a transaction-scoped advisory lock on the address hash. SQLite: write
    transactions are already exclusive (BEGIN IMMEDIATE, db.py).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": int(client[:15], 16)})


def minutes_until_allowed(session: Session, client: str, now: datetime,
                          limits: RateLimits) -> int | None:
    """Minutes until `client` may send again, or None when it may send now."""
    waits = []
    for window, limit in ((timedelta(hours=1), limits.per_hour),
                          (timedelta(days=1), limits.per_day)):
        recent = select(DisclosureComment.created_at).where(
            DisclosureComment.client_hash == client, DisclosureComment.created_at > now - window)
        count = session.scalar(select(func.count()).select_from(recent.subquery())) or 0
        if count >= limit:
            # Allowed again when the limit-th most recent submission leaves the window.
            pivot = session.scalar(recent.order_by(DisclosureComment.created_at.desc())
                                   .offset(limit - 1).limit(1))
            seconds = (pivot + window - now).total_seconds()
            waits.append(max(1, math.ceil(seconds / 60)))
    return max(waits) if waits else None


def _clean(value: str | None, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InputInvalid(_l("Please write your comment."))
    if len(value) > limit:
        raise InputInvalid(_l("Too long: at most %(max)d characters.", max=limit))
    return value


def add_comment(session: Session, dossier: Dossier, *, kind: str, body: str, client: str,
                author_name: str = "", author_contact: str = "", now: datetime | None = None,
                limits: RateLimits | None = None) -> DisclosureComment:
    """Store a comment or objection from the public on a dossier under disclosure.

    Steps: serialise per client address; lock the dossier row; refuse when its window is
    not open today (DisclosureClosed, 409) or the address is over its limits (RateLimited,
    429); store the comment; for an objection add one to `open_objection_count` and bump the
    dossier's version; record `disclosure.comment_added` (no actor, label "public") holding
    the comment's id and kind and hashes of its text, author details and address only.
    Nothing is written when any step fails.
    """
    if kind not in COMMENT_KINDS:
        raise InputInvalid(_l("Choose a comment or an objection."))
    body = _clean(body, MAX_COMMENT_TEXT, required=True)
    author_name = _clean(author_name, MAX_AUTHOR_FIELD)
    author_contact = _clean(author_contact, MAX_AUTHOR_FIELD)
    moment = now or utcnow()
    _serialise_client(session, client)
    lock_dossier(session, dossier, None)
    if not window_is_open(dossier, local_date(moment)):
        raise DisclosureClosed()
    wait = minutes_until_allowed(session, client, moment, limits or configured_limits())
    if wait is not None:
        raise RateLimited(wait)
    comment = DisclosureComment(dossier_id=dossier.id, kind=kind, body=body,
                                author_name=author_name, author_contact=author_contact,
                                client_hash=client, created_at=moment)
    session.add(comment)
    if kind == "objection":
        dossier.open_objection_count += 1
        dossier.version += 1
    session.flush()
    author = author_name + "\n" + author_contact
    record(session, "disclosure.comment_added", "dossier", dossier.id, actor=None,
           actor_label="public",
           data={"comment_id": comment.id, "kind": kind, "text_sha256": _sha256(body),
                 "text_length": len(body),
                 "author_sha256": _sha256(author) if author.strip() else None,
                 "client_hash": client,
                 "open_objection_count": dossier.open_objection_count})
    return comment


def comments_of(session: Session, dossier: Dossier) -> list[DisclosureComment]:
    return list(session.scalars(select(DisclosureComment)
                                .where(DisclosureComment.dossier_id == dossier.id)
                                .order_by(DisclosureComment.id)))


def answer_objection(session: Session, dossier: Dossier, comment_id: int, actor: User,
                     answer: str, *, now: datetime | None = None) -> DisclosureComment:
    """Record a reviewer's answer to one objection of the dossier.

    Guarantees: only a reviewer over the dossier's unit (Forbidden); the answer is required
    and at most MAX_ANSWER_TEXT characters (InputInvalid); the objection must belong to the
    dossier (InputInvalid) and not be answered yet (AlreadyAnswered, checked under the row
    lock so that two reviewers cannot both answer it). Decrements `open_objection_count`,
    bumps the dossier's version and records `disclosure.objection_answered` with the answer.
    """
    if not actor.can_see_unit(dossier.unit, "reviewer"):
        raise Forbidden()
    answer = (answer or "").strip()
    if not answer:
        raise InputInvalid(_l("Please write the answer."))
    if len(answer) > MAX_ANSWER_TEXT:
        raise InputInvalid(_l("Too long: at most %(max)d characters.", max=MAX_ANSWER_TEXT))
    lock_dossier(session, dossier, None)
    comment = session.execute(
        select(DisclosureComment).where(DisclosureComment.id == comment_id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if comment is None or comment.dossier_id != dossier.id or not comment.is_objection:
        raise InputInvalid(_l("There is no such objection on this dossier."))
    if comment.is_answered:
        raise AlreadyAnswered()
    before = dossier.open_objection_count
    comment.answer, comment.answered_by_id = answer, actor.id
    comment.answered_at = now or utcnow()
    dossier.open_objection_count = max(0, before - 1)
    dossier.version += 1
    session.flush()
    record(session, "disclosure.objection_answered", "dossier", dossier.id, actor=actor,
           data={"comment_id": comment.id, "answer": answer,
                 "changes": {"open_objection_count": [before, dossier.open_objection_count]}})
    return comment
