"""The vote rule of an agenda item, read from the rule version fixed on its dossier.

An award whose rule says `cluster_acclamation` was acclaimed by its cluster first; when its
dossier reaches the council, the council confirms it by secret ballot under the same
threshold (`council_method`) — a configurable reading, no confirmed legal source.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from workflow_app.council.service.errors import CouncilError
from workflow_app.council.service.thresholds import RuleError, Threshold
from workflow_app.models.council import AgendaItem

METHODS = ("secret_ballot", "open_vote", "cluster_acclamation")


def dossier_rule(item: AgendaItem) -> dict[str, Any]:
    """The dossier's vote rule (a copy), checked; raises CouncilError when unusable."""
    dossier = item.dossier
    version = dossier.rule_version(item.session.held_on)
    rule = dict(version.vote_rule or {}) if version is not None else {}
    if not rule:
        raise CouncilError(_("The dossier “%(title)s” has no council vote rule.",
                             title=dossier.title))
    try:
        Threshold.from_rule(rule)
    except RuleError:
        raise CouncilError(_("The vote rule of “%(title)s” is not usable.",
                             title=dossier.title)) from None
    if rule.get("method") not in METHODS:
        raise CouncilError(_("The vote rule of “%(title)s” has an unknown method.",
                             title=dossier.title))
    return rule


def item_rule(item: AgendaItem) -> dict[str, Any]:
    """The rule fixed on the item when its round opened, else the dossier's current one."""
    return dict(item.rule) if item.rule else dossier_rule(item)


def council_method(rule: dict[str, Any]) -> str:
    """How the council votes on the item: "secret_ballot" or "open_vote"."""
    return "open_vote" if rule.get("method") == "open_vote" else "secret_ballot"


def written_allowed(rule: dict[str, Any]) -> bool:
    return bool(rule.get("absent_may_vote_in_writing"))
