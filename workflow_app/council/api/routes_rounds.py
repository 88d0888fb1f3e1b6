"""Voting rounds, conflicts of interest and the chair's rulings, as the session and round
pages (`council/views/secretary.py`, `views_member.py`, `views_chair.py`), through the same
services (`council/service/rounds.py`, `recusal.py`, `chair.py`).

- Open (secretary): every item still to be voted, or one; the quorum is checked and
  snapshotted, the engine's `open_vote` fires on each dossier (409 `quorum_not_met`,
  `council_error`, or the engine's refusal — nothing opens then).
- Close (secretary): counted at once, outcomes written, the engine fires; afterwards the
  round lists, per secret item, every ballot by its per-item code, and the ballot-set hash.
- Conflicts: a member declares one with a reason; the chair accepts or rejects it before
  the item's round opens. The chair may reserve an item before its round closes and rule on
  it after the count, always with a reason (engine `override_approve` / `override_reject`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import after_commit, operation
from workflow_app.council.api.presenters import item_out, round_out
from workflow_app.council.api.schemas_ballots import OpenRoundIn, RoundOut
from workflow_app.council.api.schemas_sessions import (
    ConflictIn,
    DecideIn,
    HoldIn,
    ItemOut,
    RulingIn,
)
from workflow_app.council.service import access, ballots, chair, receipts, recusal, rounds
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.council import AgendaItem, CouncilSession

TAGS = ["council rounds"]
SECRETARY = ("secretary",)
CHAIR = ("chair",)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ApiError(403, "forbidden", message)


def _secretary(meeting: CouncilSession) -> None:
    _require(access.is_secretary(current_user, meeting.council),
             _("Only the secretary of this council does this."))


def _chair_item(item_id: int) -> AgendaItem:
    item = access.visible_item(db.session, caller(), item_id)
    _require(access.is_chair(current_user, item.session.council),
             _("Only the chair of this council does this."))
    return item


def _round_view(voting_round) -> RoundOut:
    return round_out(voting_round, receipts.published_items(db.session, voting_round))


@operation("POST", "/council/sessions/{session_id}/rounds", summary="Open a voting round",
           description="On every agenda item still to be voted, or on `item_id` only. "
                       "Refused (409) while a round is open, when the quorum is not met "
                       "(`quorum_not_met`), when a declared conflict is undecided, or when a "
                       "dossier cannot open its vote (engine refusal); then nothing opens.",
           tags=TAGS, roles=SECRETARY, request=OpenRoundIn, response=RoundOut, status=201,
           errors=[404, 409])
def open_council_round(session_id: int, body: OpenRoundIn) -> RoundOut:
    meeting = access.visible_session(db.session, caller(), session_id)
    _secretary(meeting)
    only = None
    if body.item_id is not None:
        only = next((i for i in meeting.items if i.id == body.item_id), None)
        if only is None or only.round_id is not None:
            raise ApiError(409, "council_error", _(
                "This item is not waiting for a vote in this session."))
    voting_round = rounds.open_round(db.session, meeting, actor=caller(), only=only)
    return _round_view(voting_round)


@operation("POST", "/council/rounds/{round_id}/close", summary="Close a round and count it",
           description="Counts every item (counts only, audited `council.tallied` with the "
                       "ballot-set hash), writes the outcomes and fires the engine "
                       "(`close_vote_approved` / `close_vote_rejected`), except on items held "
                       "for the chair's ruling. No ballot is accepted after.",
           tags=TAGS, roles=SECRETARY, response=RoundOut, errors=[404, 409])
def close_council_round(round_id: int) -> RoundOut:
    voting_round = access.visible_round(db.session, caller(), round_id)
    _secretary(voting_round.session)
    rounds.close_round(db.session, voting_round, actor=caller())
    after_commit(lambda: ballots.vacuum_after_close(db.engine))
    return _round_view(voting_round)


@operation("GET", "/council/rounds/{round_id}", summary="One round: quorum, results, codes",
           description="The quorum snapshot and, after close, each item's tally, the "
                       "ballot-set hash and, per secret item, every ballot by its per-item "
                       "code. Check a receipt with `POST /council/rounds/{round_id}/"
                       "receipt-check` (never in a URL).",
           tags=TAGS, response=RoundOut, errors=[404])
def get_council_round(round_id: int) -> RoundOut:
    return _round_view(access.visible_round(db.session, caller(), round_id))


@operation("POST", "/council/items/{item_id}/conflicts", summary="Declare a conflict of interest",
           description="By a voting member of the council, with a reason, before the item's "
                       "round opens; it counts once the chair accepts it. 409 when a recusal "
                       "of yours is already recorded for the item.",
           tags=TAGS, request=ConflictIn, response=ItemOut, status=201, errors=[404, 409])
def declare_council_conflict(item_id: int, body: ConflictIn) -> ItemOut:
    item = access.visible_item(db.session, caller(), item_id)
    seat = access.seat_of(caller(), item.session.council, item.session.held_on)
    _require(seat is not None, _("You have no seat on this council."))
    recusal.declare(db.session, item, seat, body.reason, actor=caller())
    return item_out(item, current_locale())


@operation("POST", "/council/recusals/{recusal_id}/decision",
           summary="Decide a declared conflict (chair)",
           description="accept: the member steps out of the item (its paper and denominator); "
                       "reject: the member votes. Once, before the item's round opens.",
           tags=TAGS, roles=CHAIR, request=DecideIn, response=ItemOut, errors=[404, 409])
def decide_council_conflict(recusal_id: int, body: DecideIn) -> ItemOut:
    entry = access.visible_recusal(db.session, caller(), recusal_id)
    _require(access.is_chair(current_user, entry.item.session.council),
             _("Only the chair of this council does this."))
    recusal.decide(db.session, entry, body.decision == "accept", actor=caller())
    return item_out(entry.item, current_locale())


@operation("POST", "/council/items/{item_id}/hold",
           summary="Reserve an item for the chair's ruling",
           description="Before its round closes, with a reason: the item is counted as usual "
                       "but its dossier stays in voting until the ruling.",
           tags=TAGS, roles=CHAIR, request=HoldIn, response=ItemOut, errors=[404, 409])
def hold_council_item(item_id: int, body: HoldIn) -> ItemOut:
    item = _chair_item(item_id)
    chair.hold(db.session, item, body.reason, actor=caller())
    return item_out(item, current_locale())


@operation("POST", "/council/items/{item_id}/ruling", summary="The chair's ruling on an item",
           description="On a held, counted item, once, with a reason (shown in the minutes): "
                       "the engine's `override_approve` / `override_reject`. The tally stays "
                       "in the record next to the ruling.",
           tags=TAGS, roles=CHAIR, request=RulingIn, response=ItemOut, errors=[404, 409])
def rule_council_item(item_id: int, body: RulingIn) -> ItemOut:
    item = _chair_item(item_id)
    chair.rule(db.session, item, body.decision, body.reason, actor=caller())
    return item_out(item, current_locale())

