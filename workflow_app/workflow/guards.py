"""Guards: named business rules a transition checks before it may happen.

Each guard is a pure function of the dossier and the context: it returns None when the rule
holds, or the reason it does not, in plain translated words (shown to the user with a 409).
Guards read only fields the dossier has; they never write.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from workflow_app.models.dossier import Dossier
from workflow_app.workflow.context import FireContext, guard
from workflow_app.workflow.documents import document_label

# Số/ký hiệu of an administrative document (ND 30/2020, Annex I; LEGAL_FACTS §6): a number
# zero-padded below 10, "/", then symbol groups joined by "-", no spaces — "2307/QĐ-BTP".
DOCUMENT_NUMBER_RE = re.compile(r"^(0[1-9]|[1-9]\d+)/[^\W\d_][^\W_]*(-[^\W_]+)+$")


def required_documents(dossier: Dossier, version) -> list[str]:
    """Document codes the award's rule version requires for the dossier's procedure."""
    simplified = getattr(version, "simplified", None) or {}
    if dossier.workflow == "simplified" and simplified.get("required_documents"):
        return list(simplified["required_documents"])
    return list(version.required_documents or [])


def missing_items(dossier: Dossier, on: date) -> list[str]:
    """What the submitter still has to provide, in plain words (empty when complete)."""
    missing: list[str] = []
    if not (dossier.title or "").strip():
        missing.append(_("a title"))
    if not (dossier.summary or "").strip():
        missing.append(_("an achievement summary"))
    version = dossier.rule_version(on)
    if version is not None:
        present = dossier.document_types
        missing += [document_label(c) for c in required_documents(dossier, version)
                    if c not in present]
    return missing


@guard("dossier_complete")
def dossier_complete(dossier: Dossier, ctx: FireContext) -> str | None:
    version = dossier.rule_version(ctx.today)
    if version is None:
        return _("No rule of this award is in force on %(day)s; the dossier cannot be received.",
                 day=format_date(ctx.today, "dd/MM/yyyy"))
    missing = missing_items(dossier, ctx.today)
    if missing:
        return _("The dossier is incomplete. Missing: %(items)s.", items="; ".join(missing))
    return None


def _fixed_version(dossier: Dossier):
    return dossier.award_version


@guard("disclosure_required")
def disclosure_required(dossier: Dossier, ctx: FireContext) -> str | None:
    version = _fixed_version(dossier)
    if version is None:
        return _("The award rule has not been fixed: the dossier has not been received.")
    if not version.disclosure_required:
        return _("The rule of this award does not call for public disclosure.")
    return None


@guard("disclosure_not_required")
def disclosure_not_required(dossier: Dossier, ctx: FireContext) -> str | None:
    version = _fixed_version(dossier)
    if version is None:
        return _("The award rule has not been fixed: the dossier has not been received.")
    if version.disclosure_required:
        return _("The rule of this award calls for public disclosure before the council.")
    return None


@guard("disclosure_window_elapsed")
def disclosure_window_elapsed(dossier: Dossier, ctx: FireContext) -> str | None:
    if dossier.disclosure_ends_on is None:
        return _("No public disclosure window has been opened.")
    if ctx.today <= dossier.disclosure_ends_on:
        return _("The public disclosure window is open until %(day)s.",
                 day=format_date(dossier.disclosure_ends_on, "dd/MM/yyyy"))
    return None


@guard("objections_answered")
def objections_answered(dossier: Dossier, ctx: FireContext) -> str | None:
    count = dossier.open_objection_count
    if count:
        return ngettext("%(num)d objection has not been answered yet.",
                        "%(num)d objections have not been answered yet.", count)
    return None


@guard("before_council")
def before_council(dossier: Dossier, ctx: FireContext) -> str | None:
    day = dossier.council_scheduled_on
    if day is not None and ctx.today >= day:
        return _("The dossier is on the agenda of the council session of %(day)s.",
                 day=format_date(day, "dd/MM/yyyy"))
    return None


@guard("vote_closed")
def vote_closed(dossier: Dossier, ctx: FireContext) -> str | None:
    if dossier.vote_outcome is None:
        return _("The council vote has not been closed yet.")
    return None


@guard("vote_passed")
def vote_passed(dossier: Dossier, ctx: FireContext) -> str | None:
    if dossier.vote_outcome != "approved":
        return vote_closed(dossier, ctx) or _("The council did not approve this nomination.")
    return None


@guard("vote_failed")
def vote_failed(dossier: Dossier, ctx: FireContext) -> str | None:
    if dossier.vote_outcome != "rejected":
        return vote_closed(dossier, ctx) or _("The council approved this nomination.")
    return None


@guard("actor_not_nominee")
def actor_not_nominee(dossier: Dossier, ctx: FireContext) -> str | None:
    person_id = getattr(ctx.actor, "person_id", None)
    if person_id is not None and person_id == dossier.nominee_person_id:
        return _("You cannot act on a nomination of yourself.")
    return None


def parse_document_date(value) -> date | None:
    """A date given as a `date` or an ISO string; None when absent. Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@guard("document_number_given", needs_input=True)
def document_number_given(dossier: Dossier, ctx: FireContext) -> str | None:
    number = str(ctx.data.get("document_number") or "").strip()
    if not number:
        return _("Enter the document's number and symbol, e.g. 2307/QĐ-BTP.")
    if len(number) > 60 or not DOCUMENT_NUMBER_RE.match(number):
        return _("“%(number)s” is not a document number and symbol like 2307/QĐ-BTP "
                 "(number zero-padded below 10, no spaces).", number=number[:60])
    try:
        day = parse_document_date(ctx.data.get("document_date"))
    except ValueError:
        return _("The document date is not a valid date.")
    if day is not None and day > ctx.today:
        return _("The document date cannot be in the future.")
    return None


def _council_item_exists(dossier: Dossier, ctx: FireContext, *conditions) -> bool:
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from workflow_app.models.council import AgendaItem, VotingRound

    session = ctx.session or object_session(dossier)
    if session is None:
        return False
    query = (select(AgendaItem.id).outerjoin(VotingRound, AgendaItem.round_id == VotingRound.id)
             .where(AgendaItem.dossier_id == dossier.id, *conditions).limit(1))
    return session.scalar(query) is not None


@guard("council_round_open")
def council_round_open(dossier: Dossier, ctx: FireContext) -> str | None:
    """The vote opens only with a council voting round (council/service/rounds.py), which
    takes the quorum snapshot and fixes the ballot papers first."""
    from workflow_app.models.council import VotingRound

    if not _council_item_exists(dossier, ctx, VotingRound.status == "open"):
        return _("The vote opens from the council session page, with a voting round.")
    return None


@guard("not_reserved_for_chair")
def not_reserved_for_chair(dossier: Dossier, ctx: FireContext) -> str | None:
    """An item the chair reserved for a ruling waits for that ruling (override_*)."""
    from workflow_app.models.council import AgendaItem

    if _council_item_exists(dossier, ctx, AgendaItem.held_for_chair.is_(True),
                            AgendaItem.ruling.is_(None)):
        return _("The chair has reserved this item for a ruling.")
    return None
