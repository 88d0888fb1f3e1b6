"""The council blueprint (/council): loaders that answer 404 for what the user may not see."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from workflow_app.council.service import access, labels
from workflow_app.extensions import db
from workflow_app.models.council import AgendaItem, CouncilSession, Recusal, VotingRound

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.context_processor
def _labels():
    return labels.helpers()


def visible_session(session_id: int) -> CouncilSession:
    return access.visible_session(db.session, current_user, session_id)


def visible_round(round_id: int) -> VotingRound:
    return access.visible_round(db.session, current_user, round_id)


def visible_item(item_id: int) -> AgendaItem:
    return access.visible_item(db.session, current_user, item_id)


def visible_recusal(recusal_id: int) -> Recusal:
    return access.visible_recusal(db.session, current_user, recusal_id)


def my_seat(meeting: CouncilSession):
    return access.seat_of(current_user, meeting.council, meeting.held_on)


def secretary_only(meeting: CouncilSession) -> None:
    if not access.is_secretary(current_user, meeting.council):
        abort(403)


def chair_only(meeting: CouncilSession) -> None:
    if not access.is_chair(current_user, meeting.council):
        abort(403)
