"""Ballots, as the ballot pages (`council/views/ballot.py`, the secretary's written-vote page
in `views_secretary.py`), through the same services (`council/service/ballots.py`, `reauth.py`).

The secret-ballot rules hold here exactly as on the page:
- casting needs the whole paper, `confirm: true`, and re-authentication in the body (the
  password, and the authenticator code when the member uses one); a failed attempt is kept
  (it counts towards the sign-in throttle) and nothing is cast: 422 `reauth_failed`;
- one ballot per member per round, by the register's primary key: a second cast, even a
  concurrent one, is a 409 `already_voted`; after close, 409 `round_closed`;
- the receipt code is in the answer to the cast and nowhere else, once (with the per-item
  codes); it is checked by POST (`receipt-check`), never taken in a path or a query.
  Neither cast nor written vote accepts an `Idempotency-Key` (400
  `idempotency_not_supported`): a stored
  answer would keep the receipt, and a stored request fingerprint (a hash of a body with a
  handful of possible values, next to the member's id) would tell the choices;
- no answer or error names another member's choice; refusals are about the caller's own
  paper only.
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.accounts.service import reauth
from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.council.api.presenters import paper_item_out
from workflow_app.council.api.schemas_ballots import (
    BallotPaperOut,
    CastIn,
    CastOut,
    CheckedCode,
    ChoiceIn,
    ItemCode,
    ReceiptCheckIn,
    ReceiptCheckOut,
    RecusedItemOut,
    WrittenIn,
    WrittenOut,
    WrittenPaperOut,
)
from workflow_app.council.service import access, ballots, receipts
from workflow_app.council.service.errors import AlreadyVoted, NotAllowed, RoundClosed
from workflow_app.extensions import db
from workflow_app.models.council import AgendaItem, CouncilMember, VotingRound

TAGS = ["ballots"]
SECRETARY = ("secretary",)


def _seat(voting_round: VotingRound) -> CouncilMember:
    seat = access.seat_of(caller(), voting_round.session.council, voting_round.session.held_on)
    if seat is None:
        raise ApiError(403, "forbidden", _("You have no seat on this council."))
    return seat


def _choices(sent: list[ChoiceIn], items: list[AgendaItem]) -> dict[int, str]:
    """The choices as the service takes them; 422 unless exactly one per item of the paper
    (checked before re-authentication, so a malformed paper costs no attempt)."""
    chosen = {entry.item_id: entry.choice for entry in sent}
    if len(chosen) != len(sent) or set(chosen) != {item.id for item in items}:
        raise ApiError(422, "invalid_input", _(
            "Choose agree, disagree or abstain for every item."))
    return chosen


@operation("GET", "/council/rounds/{round_id}/ballot", summary="My ballot paper",
           description="The items you vote on in this round (minus your recusals); empty "
                       "when you are absent or recused from every item, or the round is "
                       "closed. 403 without a seat on the council.",
           tags=TAGS, response=BallotPaperOut, errors=[404])
def get_my_ballot_paper(round_id: int) -> BallotPaperOut:
    voting_round = access.visible_round(db.session, caller(), round_id)
    seat = _seat(voting_round)
    items = ballots.paper_items(voting_round, seat) if voting_round.is_open else []
    return BallotPaperOut(round_id=voting_round.id, session_id=voting_round.session_id,
                    round_open=voting_round.is_open, member_id=seat.id,
                    recused=[RecusedItemOut(item_id=i.id, position=i.position,
                                            title=i.dossier.title, kind=r.kind,
                                            reason=r.reason or "")
                             for i, r in ballots.recused_items(voting_round, seat)],
                    items=[paper_item_out(i) for i in items],
                    voted=ballots.has_voted(db.session, voting_round, seat),
                    needs_code=current_user.totp_enabled)


@operation("POST", "/council/rounds/{round_id}/ballot", summary="Cast my ballot",
           description="Final. Send every item of your paper, `confirm: true`, your password "
                       "and, if you use one, your authenticator code. The answer holds your "
                       "receipt code, shown once, and your per-item codes: find them in the "
                       "round's published lists after close. 409 `already_voted` (a ballot "
                       "of yours is counted), 409 "
                       "`round_closed`, 403 `not_allowed` (no paper for you), 422 "
                       "`reauth_failed` (nothing cast; the attempt counts towards the sign-in "
                       "throttle), 422 `invalid_input` (not exactly one choice per item). No "
                       "Idempotency-Key: a repeat is refused with 409 instead.",
           tags=TAGS, request=CastIn, response=CastOut, status=201, errors=[404, 409],
           idempotent=False)
def cast_my_ballot(round_id: int, body: CastIn) -> CastOut:
    actor = caller()
    voting_round = access.visible_round(db.session, caller(), round_id)
    seat = _seat(voting_round)
    if not voting_round.is_open:
        raise RoundClosed()
    items = ballots.paper_items(voting_round, seat)
    if not items:
        raise NotAllowed(_("You have no ballot paper in this round."))
    if ballots.has_voted(db.session, voting_round, seat):
        raise AlreadyVoted()
    chosen = _choices(body.choices, items)
    problem = reauth.check(db.session, actor, body.password, body.code,
                           request.remote_addr or "unknown")
    if problem is not None:
        # Keep the failed attempt (throttle and audit), as the page does; nothing else ran.
        db.session.commit()
        raise ApiError(422, "reauth_failed", problem)
    result = ballots.cast(db.session, voting_round, seat, chosen, actor=actor)
    return CastOut(round_id=voting_round.id, items=result.items, receipt=result.receipt,
                   item_codes=[ItemCode(item_id=i, code=c) for i, c in result.codes])


@operation("POST", "/council/rounds/{round_id}/receipt-check", summary="Check my receipt",
           description="After close: whether a ballot with this receipt is in the round and, "
                       "per item, its code in the published list and the recorded choice. The "
                       "receipt goes in the body, never in a URL (it would reach logs and "
                       "history). Nothing is stored; no Idempotency-Key.",
           tags=TAGS, scope="read", request=ReceiptCheckIn, response=ReceiptCheckOut,
           errors=[404], idempotent=False)
def check_my_receipt(round_id: int, body: ReceiptCheckIn) -> ReceiptCheckOut:
    voting_round = access.visible_round(db.session, caller(), round_id)
    checked = receipts.check(db.session, voting_round, body.receipt) or []
    return ReceiptCheckOut(round_id=voting_round.id, found=bool(checked), items=[
        CheckedCode(item_id=c.item.id, code=c.code, choice=c.choice) for c in checked])


def _written_member(voting_round: VotingRound, member_id: int) -> CouncilMember:
    if not access.is_secretary(current_user, voting_round.session.council):
        raise ApiError(403, "forbidden", _("Only the secretary of this council does this."))
    member = db.session.get(CouncilMember, member_id)
    if member is None or member.council_id != voting_round.session.council_id:
        abort(404)
    return member


@operation("GET", "/council/rounds/{round_id}/written/{member_id}",
           summary="An absent member's written paper (secretary)",
           description="The items the member may vote on in writing in this round; empty "
                       "when the member has no written paper.",
           tags=TAGS, roles=SECRETARY, response=WrittenPaperOut, errors=[404])
def get_written_paper(round_id: int, member_id: int) -> WrittenPaperOut:
    voting_round = access.visible_round(db.session, caller(), round_id)
    member = _written_member(voting_round, member_id)
    items = ballots.paper_items(voting_round, member, "written") \
        if voting_round.is_open else []
    return WrittenPaperOut(round_id=voting_round.id, member_id=member.id,
                           member_name=member.name, round_open=voting_round.is_open,
                           items=[paper_item_out(i) for i in items],
                           entered=ballots.has_voted(db.session, voting_round, member))


@operation("POST", "/council/rounds/{round_id}/written/{member_id}",
           summary="Enter an absent member's written vote (secretary)",
           description="Copied from the paper, every item, `checked: true`. Registered as a "
                       "written vote entered by you; its receipt is not shown (as on the "
                       "page). 409 `already_voted` / `round_closed`; 422 when the member has "
                       "no written paper. No Idempotency-Key (see casting).",
           tags=TAGS, roles=SECRETARY, request=WrittenIn, response=WrittenOut, status=201,
           errors=[404, 409], idempotent=False)
def enter_written_vote(round_id: int, member_id: int, body: WrittenIn) -> WrittenOut:
    voting_round = access.visible_round(db.session, caller(), round_id)
    member = _written_member(voting_round, member_id)
    if not voting_round.is_open:
        raise RoundClosed()
    items = ballots.paper_items(voting_round, member, "written")
    if not items:
        raise ApiError(422, "invalid_input", _(
            "This member has no written paper in this round."))
    chosen = _choices(body.choices, items)
    result = ballots.cast(db.session, voting_round, member, chosen, actor=caller(),
                          channel="written")
    return WrittenOut(round_id=voting_round.id, member_id=member.id, items=result.items)
