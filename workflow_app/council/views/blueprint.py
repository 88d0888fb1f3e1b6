"""The council blueprint (/council): loaders that answer 404 for what the user may not see."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from workflow_app.council.service import access
from workflow_app.council.views import labels
from workflow_app.extensions import db
from workflow_app.models.council import AgendaItem, CouncilSession, Recusal, VotingRound

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.context_processor
def _labels():
    return labels.helpers()


def visible_session(session_id: int) -> CouncilSession:
    meeting = db.session.get(CouncilSession, session_id)
    if meeting is None or not access.can_view(current_user, meeting):
        abort(404)
    return meeting


def visible_round(round_id: int) -> VotingRound:
    voting_round = db.session.get(VotingRound, round_id)
    if voting_round is None or not access.can_view(current_user, voting_round.session):
        abort(404)
    return voting_round


def visible_item(item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or not access.can_view(current_user, item.session):
        abort(404)
    return item


def visible_recusal(recusal_id: int) -> Recusal:
    entry = db.session.get(Recusal, recusal_id)
    if entry is None or not access.can_view(current_user, entry.item.session):
        abort(404)
    return entry


def my_seat(meeting: CouncilSession):
    return access.seat_of(current_user, meeting.council, meeting.held_on)


def secretary_only(meeting: CouncilSession) -> None:
    if not access.is_secretary(current_user, meeting.council):
        abort(403)


def chair_only(meeting: CouncilSession) -> None:
    if not access.is_chair(current_user, meeting.council):
        abort(403)
