"""`flask council …`: councils and their members, the seed 001 acclamation replay, and the
check of signed minutes against the audit trail."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from workflow_app.council.service import councils, minutes_sign, minutes_verify
from workflow_app.council.service.errors import CouncilError
from workflow_app.demo import seed001
from workflow_app.extensions import db
from workflow_app.models.council import MEMBER_ROLES, Council, CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow.errors import WorkflowError

council_cli = AppGroup("council", help="Councils (Hội đồng TĐKT), members, acclamation replay.")


def _one(model, column, value, what: str):
    row = db.session.scalar(select(model).where(func.lower(column) == value.lower()))
    if row is None:
        raise click.ClickException(f"No {what} '{value}'.")
    return row


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date (YYYY-MM-DD).") from None


def _commit_or_fail(work) -> None:
    try:
        result = work()
    except (CouncilError, WorkflowError) as error:
        db.session.rollback()
        raise click.ClickException(str(error.description)) from None
    db.session.commit()
    return result


@council_cli.command("create")
@click.argument("code")
@click.argument("name")
@click.option("--unit", "unit_code", required=True, help="Code of the council's unit.")
@click.option("--quorum", nargs=2, default=(">", "1/2"), show_default=True,
              help="Comparator and ratio of voting members present (configurable).")
@click.option("--recuse-nominee-unit", is_flag=True,
              help="Also recuse members of the nominee's unit.")
def create(code: str, name: str, unit_code: str, quorum: tuple[str, str],
           recuse_nominee_unit: bool) -> None:
    """Create a council over a unit."""
    unit = _one(OrgUnit, OrgUnit.code, unit_code, "unit")
    council = _commit_or_fail(lambda: councils.create_council(
        db.session, code=code, name=name, unit=unit, quorum_comparator=quorum[0],
        quorum_ratio=quorum[1], recuse_nominee_unit=recuse_nominee_unit))
    click.echo(f"Council {council.code} created (id {council.id}).")


@council_cli.command("add-member")
@click.argument("code")
@click.argument("username")
@click.argument("role", type=click.Choice(MEMBER_ROLES))
@click.option("--from", "term_from", required=True, help="First day of the term (YYYY-MM-DD).")
@click.option("--to", "term_to", default=None, help="Last day of the term (YYYY-MM-DD).")
@click.option("--voting/--non-voting", default=None,
              help="Default: every role votes except the secretary.")
def add_member(code: str, username: str, role: str, term_from: str, term_to: str | None,
               voting: bool | None) -> None:
    """Seat a user on a council."""
    council = _one(Council, Council.code, code, "council")
    user = _one(User, User.username, username, "user")
    member = _commit_or_fail(lambda: councils.add_member(
        db.session, council, user, role, term_from=_day(term_from), term_to=_day(term_to),
        voting=voting))
    click.echo(f"{user.username} seated as {role} (member id {member.id}).")


@council_cli.command("members")
@click.argument("code")
def members(code: str) -> None:
    """List a council's seats."""
    council = _one(Council, Council.code, code, "council")
    for m in council.members:
        term = f"{m.term_from}–{m.term_to or ''}"
        click.echo(f"{m.id:>5}  {m.user.username:<24} {m.role:<16} "
                   f"{'votes' if m.voting else 'no vote':<8} {term}")


@council_cli.command("seed-001")
@click.option("--actor", "username", required=True,
              help="Account recording the conference (submitter over the Ministry).")
def seed_001(username: str) -> None:
    """Replay the 2017 acclamation of Cụm thi đua số III (demo data; idempotent)."""
    actor = _one(User, User.username, username, "user")
    conference = _commit_or_fail(lambda: seed001.replay_seed_001(db.session, actor))
    for contest in conference.contests:
        names = [r.unit.name for r in contest.results if r.acclaimed]
        click.echo(f"{contest.award.code}: {'; '.join(names)}")


@council_cli.command("verify-minutes")
@click.argument("session_ids", nargs=-1, type=int)
def verify_minutes(session_ids: tuple[int, ...]) -> None:
    """Check signed minutes (all, or of the sessions given) against their stored files and
    the audit trail; exit 1 naming every difference."""
    if not session_ids:
        session_ids = tuple(db.session.scalars(select(CouncilMinutes.session_id)
                                               .order_by(CouncilMinutes.session_id)))
    if not session_ids:
        click.echo("No signed minutes.")
    failed = False
    for session_id in session_ids:
        meeting = db.session.get(CouncilSession, session_id)
        if meeting is None:
            raise click.ClickException(f"No council session {session_id}.")
        result = minutes_verify.verify(db.session, meeting, minutes_sign.document_storage())
        if not result.signed:
            click.echo(f"session {session_id}: minutes not signed off")
            failed = True
        elif result.ok:
            click.echo(f"session {session_id}: minutes {result.reference or '-'} OK")
        else:
            failed = True
            click.echo(f"session {session_id}: minutes {result.reference or '-'} DIFFER")
            for problem in result.problems():
                click.echo(f"  - {problem}")
    if failed:
        raise SystemExit(1)
