"""Rules on a collective: its own rating, and shares or counts of its members that year.

Members are the persons of the unit and of every unit below it (the registry knows no
other membership). Member awards are active registry records for the nomination year;
member ratings are PerformanceRating rows for that year.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from workflow_app.eligibility.service.facts import Facts, rating_at_least
from workflow_app.eligibility.service.results import MET, NOT_MET, UNKNOWN
from workflow_app.eligibility.service.rules_history import _rating_word


def _compare(value: Fraction, comparator: str, ratio: Fraction) -> bool:
    return value > ratio if comparator == ">" else value >= ratio


def unit_rating(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    rating = f.ratings.get(f.year)
    args = {"year": f.year, "rating": _rating_word(p["min_rating"])}
    if rating is None:
        return UNKNOWN, _("No rating of the collective recorded for %(year)d.", **args)
    if rating_at_least(rating, p["min_rating"]):
        return MET, _("The collective was rated %(rating)s or better for %(year)d.", **args)
    return NOT_MET, _("The collective was rated below %(rating)s for %(year)d.", **args)


def member_share(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    ratio = Fraction(p["ratio"])
    total = f.member_total()
    args: dict[str, Any] = {"year": f.year, "total": total, "comparator": p["comparator"],
                            "percent": f"{float(ratio) * 100:g}"}
    if total == 0:
        return UNKNOWN, _("The collective has no members recorded.")
    if "award" in p:
        holders = len(f.member_awards(p["award"], f.year))
        args.update(count=holders, award=f.award_name(p["award"]))
        ok = _compare(Fraction(holders, total), p["comparator"], ratio)
        text = _("%(count)d of %(total)d members hold %(award)s for %(year)d "
                 "(needed: %(comparator)s %(percent)s %%).", **args)
        return (MET if ok else NOT_MET), text
    counts = f.member_rating_counts(f.year)
    good = sum(n for rating, n in counts.items() if rating_at_least(rating, p["min_rating"]))
    unrated = total - sum(counts.values())
    args.update(count=good, unrated=unrated, rating=_rating_word(p["min_rating"]))
    if _compare(Fraction(good, total), p["comparator"], ratio):
        return MET, _("%(count)d of %(total)d members rated %(rating)s or better for %(year)d "
                      "(needed: %(comparator)s %(percent)s %%).", **args)
    if unrated and _compare(Fraction(good + unrated, total), p["comparator"], ratio):
        return UNKNOWN, _("%(count)d of %(total)d members rated %(rating)s or better for "
                          "%(year)d; %(unrated)d not rated yet (needed: %(comparator)s "
                          "%(percent)s %%).", **args)
    return NOT_MET, _("%(count)d of %(total)d members rated %(rating)s or better for %(year)d "
                      "(needed: %(comparator)s %(percent)s %%).", **args)


def member_count(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    holders = len(f.member_awards(p["award"], f.year)) if f.member_total() else 0
    args = {"count": holders, "min": p["min"], "award": f.award_name(p["award"]),
            "year": f.year}
    text = ngettext("%(count)d member holds %(award)s for %(year)d (at least %(min)d needed).",
                    "%(count)d members hold %(award)s for %(year)d (at least %(min)d needed).",
                    holders, **args)
    return (MET if holders >= p["min"] else NOT_MET), text
