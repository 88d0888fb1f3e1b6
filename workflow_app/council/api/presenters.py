"""Council rows → response models, in the caller's language, showing what the council pages
show (`templates/council/`). Never a ballot's content next to a member: tallies are counts,
a member's own paper lists items, published ballots are read only after close.

`page_of` paginates a list the pages filter in Python (councils and sessions are few: a
council's visibility follows role grants over units, checked by `council.service.access`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from workflow_app.api.pagination import PageQuery, decode_cursor, encode_cursor
from workflow_app.api.presenters import unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.catalogue.service.words import vote_rule_words
from workflow_app.council.api.schemas_ballots import (
    PaperItemOut,
    PublishedCode,
    PublishedItem,
    RoundItemOut,
    RoundOut,
)
from workflow_app.council.api.schemas_councils import CouncilOut, CouncilSummary, SeatOut
from workflow_app.council.api.schemas_sessions import (
    AgendaDossier,
    AttendanceOut,
    EntitledOut,
    ItemOut,
    MySeatOut,
    QuorumOut,
    QuorumRuleOut,
    QuotaFlagOut,
    RecusalOut,
    RoundRef,
    SessionOut,
    SessionSummary,
    TallyOut,
)
from workflow_app.council.service import attendance, labels, receipts, rules, sessions
from workflow_app.models.council import (
    AgendaItem,
    Council,
    CouncilMember,
    CouncilSession,
    Recusal,
    VotingRound,
)
from workflow_app.models.dossier import Dossier

Row = TypeVar("Row")


def page_of(rows: Sequence[Row], page: PageQuery, key: Callable[[Row], int], *,
            descending: bool = False) -> tuple[list[Row], str | None]:
    """One keyset page of `rows` (already filtered) ordered by the unique int `key`."""
    after = decode_cursor(page.cursor)
    ordered = sorted(rows, key=key, reverse=descending)
    if after is not None:
        ordered = [r for r in ordered if (key(r) < after if descending else key(r) > after)]
    chunk = ordered[:page.limit]
    more = len(ordered) > page.limit
    return chunk, encode_cursor(key(chunk[-1])) if more and chunk else None


def council_ref(council: Council) -> Ref:
    return Ref(id=council.id, code=council.code, name=council.name)


def council_summary(council: Council, locale: str) -> CouncilSummary:
    return CouncilSummary(
        id=council.id, code=council.code, name=council.name,
        unit=unit_ref(council.unit, locale), quorum_comparator=council.quorum_comparator,
        quorum_ratio=council.quorum_ratio, recuse_nominee_unit=council.recuse_nominee_unit,
        created_at=council.created_at)


def seat_out(member: CouncilMember, today: date,
             missing_grant: Callable[[CouncilMember], str | None]) -> SeatOut:
    return SeatOut(id=member.id, user_id=member.user_id, name=member.name,
                   username=member.user.username, role=member.role,
                   role_label=labels.label(labels.MEMBER_ROLES, member.role),
                   voting=member.voting, term_from=member.term_from, term_to=member.term_to,
                   serving_today=member.serves_on(today), missing_grant=missing_grant(member))


def council_out(council: Council, locale: str, today: date, *, can_manage: bool,
                missing_grant: Callable[[CouncilMember], str | None]) -> CouncilOut:
    return CouncilOut(**council_summary(council, locale).model_dump(),
                      members=[seat_out(m, today, missing_grant) for m in council.members],
                      can_manage=can_manage)


def session_summary(meeting: CouncilSession) -> SessionSummary:
    open_round = next((r for r in meeting.rounds if r.is_open), None)
    return SessionSummary(
        id=meeting.id, council=council_ref(meeting.council), held_on=meeting.held_on,
        place=meeting.place, title=meeting.title, status=sessions.status(meeting),
        created_at=meeting.created_at, ended_at=meeting.ended_at,
        cancelled_at=meeting.cancelled_at, cancel_reason=meeting.cancel_reason,
        open_round_id=open_round.id if open_round else None)


def agenda_dossier(dossier: Dossier, locale: str) -> AgendaDossier:
    award, version = dossier.award, dossier.award_version
    return AgendaDossier(
        id=dossier.id, title=dossier.title, state=dossier.state, nominee=dossier.nominee_name,
        award=Ref(id=award.id, code=award.code,
                  name=version.name(locale) if version else award.code),
        unit=unit_ref(dossier.unit, locale), summary=dossier.summary or "")


def recusal_out(entry: Recusal) -> RecusalOut:
    return RecusalOut(
        id=entry.id, member_id=entry.member_id, member_name=entry.member.name,
        kind=entry.kind, kind_label=labels.label(labels.RECUSAL_KINDS, entry.kind),
        status=entry.status, status_label=labels.label(labels.RECUSAL_STATUSES, entry.status),
        reason=entry.reason or "", created_at=entry.created_at, decided_at=entry.decided_at)


def tally_out(tally: dict[str, Any] | None) -> TallyOut | None:
    if not tally:
        return None
    basis = (tally.get("rule") or {}).get("denominator")
    return TallyOut(
        method=tally["method"], agree=tally["agree"], disagree=tally["disagree"],
        abstain=tally["abstain"], recused=list(tally.get("recused", [])),
        denominator=tally["denominator"],
        denominator_basis=labels.label(labels.DENOMINATORS, basis),
        votes_needed=tally["votes_needed"], outcome=tally["outcome"],
        outcome_label=labels.label(labels.OUTCOMES, tally["outcome"]))


def _rule(item: AgendaItem) -> dict[str, Any] | None:
    if item.rule:
        return dict(item.rule)
    version = item.dossier.award_version
    return dict(version.vote_rule) if version is not None and version.vote_rule else None


def item_out(item: AgendaItem, locale: str) -> ItemOut:
    rule = _rule(item)
    return ItemOut(
        id=item.id, session_id=item.session_id, position=item.position,
        dossier=agenda_dossier(item.dossier, locale), rule=rule,
        rule_text=vote_rule_words(rule) if rule is not None else "",
        round_id=item.round_id, outcome=item.outcome, tally=tally_out(item.tally),
        held_for_chair=item.held_for_chair, hold_reason=item.hold_reason or "",
        ruling=item.ruling, ruling_reason=item.ruling_reason or "",
        recusals=[recusal_out(r) for r in item.recusals])


def quorum_out(snapshot: dict[str, Any]) -> QuorumOut:
    rule = snapshot.get("rule") or {}
    return QuorumOut(
        rule=QuorumRuleOut(comparator=rule.get("comparator", ""), ratio=rule.get("ratio", ""),
                           basis=rule.get("basis", "")),
        entitled=[EntitledOut(member_id=i, name=n) for i, n in snapshot.get("entitled", [])],
        present=list(snapshot.get("present", [])), written=list(snapshot.get("written", [])),
        entitled_count=snapshot.get("entitled_count", 0),
        present_count=snapshot.get("present_count", 0), needed=snapshot.get("needed", 0),
        met=bool(snapshot.get("met")))


def attendance_out(meeting: CouncilSession, statuses: dict[int, str]) -> list[AttendanceOut]:
    seats = attendance.seats(meeting)
    return [AttendanceOut(member_id=m.id, name=m.name, role=m.role, voting=m.voting,
                          status=statuses.get(m.id, "absent"),
                          status_label=labels.label(labels.ATTENDANCE,
                                                    statuses.get(m.id, "absent")))
            for m in seats]


def quota_flag_out(flag, locale: str) -> QuotaFlagOut:
    status = flag.status
    return QuotaFlagOut(
        unit=unit_ref(status.unit, locale), award_code=status.award_code,
        award_name=status.award_name, year=status.year, used=status.used, cap=status.cap,
        explanation=str(status.explanation), blocked=status.blocked,
        exception_reason=status.exception.reason if status.exception else None,
        on_agenda=[d.id for d in flag.on_agenda], addable=[d.id for d in flag.addable])


def session_out(meeting: CouncilSession, locale: str, *, is_secretary: bool, is_chair: bool,
                statuses: dict[int, str], live_quorum: dict[str, Any] | None,
                my_seat: MySeatOut | None, quota_flags: list) -> SessionOut:
    """The session page's content; `live_quorum` is the secretary's quorum-now card."""
    open_round = next((r for r in meeting.rounds if r.is_open), None)
    snapshot = open_round.quorum if open_round is not None else live_quorum
    return SessionOut(
        **session_summary(meeting).model_dump(), is_secretary=is_secretary, is_chair=is_chair,
        can_change=is_secretary and sessions.status(meeting) == "scheduled",
        items=[item_out(i, locale) for i in meeting.items],
        attendance=attendance_out(meeting, statuses),
        quorum=quorum_out(snapshot) if snapshot is not None else None,
        quorum_is_snapshot=open_round is not None,
        rounds=[RoundRef(id=r.id, number=r.number, status=r.status) for r in meeting.rounds],
        my_seat=my_seat, quota_flags=[quota_flag_out(f, locale) for f in quota_flags])


def paper_item_out(item: AgendaItem) -> PaperItemOut:
    rule = rules.item_rule(item)
    return PaperItemOut(item_id=item.id, position=item.position, dossier_id=item.dossier_id,
                        title=item.dossier.title, nominee=item.dossier.nominee_name,
                        method=rules.council_method(rule), rule_text=vote_rule_words(rule))


def round_out(voting_round: VotingRound, published: list[receipts.PublishedItem]) -> RoundOut:
    """A round as its page shows it; `published` (per item) is empty while it is open."""
    return RoundOut(
        id=voting_round.id, session_id=voting_round.session_id, number=voting_round.number,
        status=voting_round.status, opened_at=voting_round.opened_at,
        closed_at=voting_round.closed_at, quorum=quorum_out(voting_round.quorum),
        items=[RoundItemOut(
            id=i.id, position=i.position, dossier_id=i.dossier_id, title=i.dossier.title,
            method=rules.council_method(i.rule), tally=tally_out(i.tally),
            held_for_chair=i.held_for_chair, ruling=i.ruling,
            ruling_reason=i.ruling_reason or "") for i in voting_round.items],
        ballot_count=voting_round.ballot_count, ballot_set_hash=voting_round.ballot_set_hash,
        published=[PublishedItem(item_id=p.item.id, ballots=[
            PublishedCode(code=code, choice=choice) for code, choice in p.entries])
            for p in published])
