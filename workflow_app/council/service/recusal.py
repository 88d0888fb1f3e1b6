"""Conflicts of interest: who steps out of which agenda item.

- Automatic, accepted at once: the nominee when the nominee is a member (the member's
  account is linked to the nominated person); and, when the council's setting
  `recuse_nominee_unit` is on (configurable), members whose own unit is the nominee's unit
  or inside it (the collective nominee, or the nominated person's unit).
- Declared: any member may declare a conflict with a reason; it counts once the chair
  accepts it.
- Fixed when the item's round opens: after that nothing here changes for the item. An
  accepted recusal removes the item from the member's ballot paper and the member from the
  item's denominator (`tally.py`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import access
from workflow_app.council.service.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilMember, Recusal
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User

MAX_REASON = 2000


def nominee_unit(item: AgendaItem) -> OrgUnit | None:
    dossier = item.dossier
    if dossier.nominee_unit is not None:
        return dossier.nominee_unit
    return dossier.nominee_person.unit if dossier.nominee_person is not None else None


def automatic_kind(item: AgendaItem, member: CouncilMember) -> str | None:
    """"nominee", "nominee_unit" or None for this member on this item."""
    dossier = item.dossier
    person = member.user.person
    if dossier.nominee_person_id is not None and member.user.person_id == \
            dossier.nominee_person_id:
        return "nominee"
    unit = nominee_unit(item)
    if item.session.council.recuse_nominee_unit and person is not None and unit is not None \
            and person.unit.is_within(unit):
        return "nominee_unit"
    return None


def _require_unvoted(item: AgendaItem) -> None:
    if item.round_id is not None:
        raise CouncilError(_("This item has been put to the vote: its recusals are fixed."))


def apply_automatic(session: Session, item: AgendaItem, *, actor=None) -> list[Recusal]:
    """Record every automatic recusal the item calls for that is not recorded yet."""
    _require_unvoted(item)
    existing = {r.member_id: r for r in item.recusals}
    added = []
    for member in item.session.council.members:
        if not member.voting or not member.serves_on(item.session.held_on):
            continue
        kind = automatic_kind(item, member)
        if kind is None:
            continue
        entry = existing.get(member.id)
        if entry is not None and entry.kind != "declared" and entry.status == "accepted":
            continue
        if entry is None:
            entry = Recusal(item=item, member=member)
            session.add(entry)
        entry.kind, entry.status, entry.decided_at = kind, "accepted", utcnow()
        entry.reason = entry.reason or ""
        added.append(entry)
    if added:
        session.flush()
        record(session, "council.recused_automatically", "council_session",
               item.session_id, actor=actor,
               data={"item_id": item.id, "dossier_id": item.dossier_id,
                     "recusals": [[r.member_id, r.kind] for r in added]})
    return added


def declare(session: Session, item: AgendaItem, member: CouncilMember, reason: str, *,
            actor: User) -> Recusal:
    """The member declares a conflict on the item; it waits for the chair's decision."""
    if member.user_id != actor.id:
        raise NotAllowed(_("Only the member concerned can declare a conflict."))
    if member.council_id != item.session.council_id or not member.voting:
        raise NotAllowed()
    _require_unvoted(item)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for the conflict of interest."))
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is too long (at most %(max)d characters).",
                             max=MAX_REASON))
    if any(r.member_id == member.id for r in item.recusals):
        raise CouncilError(_("A recusal of yours is already recorded for this item."))
    entry = Recusal(item=item, member=member, kind="declared", reason=reason, status="pending")
    session.add(entry)
    session.flush()
    record(session, "council.conflict_declared", "council_session", item.session_id,
           actor=actor, data={"item_id": item.id, "member_id": member.id, "reason": reason})
    return entry


def decide(session: Session, entry: Recusal, accept: bool, *, actor: User) -> None:
    """The chair accepts or rejects a declared conflict before the item's round opens."""
    item = entry.item
    if not access.is_chair(actor, item.session.council):
        raise NotAllowed()
    _require_unvoted(item)
    if entry.kind != "declared" or entry.status != "pending":
        raise CouncilError(_("This recusal has already been decided."))
    entry.status = "accepted" if accept else "rejected"
    entry.decided_at = utcnow()
    entry.decided_by_id = actor.id
    session.flush()
    record(session, "council.conflict_decided", "council_session", item.session_id,
           actor=actor, data={"item_id": item.id, "member_id": entry.member_id,
                              "status": entry.status})


def recused_ids(item: AgendaItem) -> set[int]:
    """Members recused from the item (accepted recusals only)."""
    return {r.member_id for r in item.recusals if r.status == "accepted"}


def pending(item: AgendaItem) -> list[Recusal]:
    return [r for r in item.recusals if r.status == "pending"]
