"""Rules on a nominee's own history: titles held, ratings, initiatives.

Year boundary (the same for every rule here): a window of N years ENDS WITH the nomination
year Y and includes it — years Y-N+1 … Y. CSTĐ Bộ for 2025 (3 consecutive CSTĐCS) needs
CSTĐCS in 2023, 2024 and 2025: the third title is decided in the same cycle, so a title for
year Y that is still pending in another dossier makes the rule unknown rather than not met.
`holds_award` with `when = "before"` means a year strictly before Y.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from workflow_app.eligibility.facts import (
    CATALOGUE_SCOPE,
    SCOPE_ORDER,
    Facts,
    rating_at_least,
    scope_at_least,
)
from workflow_app.eligibility.results import MET, NOT_MET, UNKNOWN, years_text


def window(year: int, size: int) -> list[int]:
    """The `size` years ending with `year`, oldest first."""
    return list(range(year - size + 1, year + 1))


def holds_award(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name = p["award"], f.award_name(p["award"])
    held = f.awards.get(code, set())
    if p["when"] == "same_year":
        if f.year in held:
            return MET, _("%(award)s held for %(year)d.", award=name, year=f.year)
        if f.year in f.pending.get(code, set()):
            return UNKNOWN, _("%(award)s for %(year)d is pending in another dossier.",
                              award=name, year=f.year)
        return NOT_MET, _("No %(award)s for %(year)d in the registry.", award=name, year=f.year)
    earlier = {y for y in held if y < f.year}
    if earlier:
        return MET, _("%(award)s held in %(years)s.", award=name, years=years_text(earlier))
    return NOT_MET, _("No %(award)s before %(year)d in the registry.", award=name, year=f.year)


def consecutive_titles(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name, size = p["award"], f.award_name(p["award"]), p["years"]
    years = window(f.year, size)
    held = [y for y in years if y in f.awards.get(code, set())]
    missing = [y for y in years if y not in held]
    args = {"award": name, "held": years_text(held), "missing": years_text(missing),
            "count": len(held), "years": size, "first": years[0], "last": years[-1]}
    if not missing:
        return MET, _("%(award)s in %(held)s: %(years)d consecutive years (%(first)d–%(last)d).",
                      **args)
    if not held:
        return NOT_MET, _("%(award)s: none in %(first)d–%(last)d (%(years)d consecutive years "
                          "needed).", **args)
    if missing == [f.year] and f.year in f.pending.get(code, set()):
        return UNKNOWN, _("%(award)s in %(held)s — %(missing)s pending in another dossier: "
                          "%(count)d of %(years)d consecutive years (%(first)d–%(last)d).",
                          **args)
    return NOT_MET, _("%(award)s in %(held)s — %(missing)s missing: %(count)d of %(years)d "
                      "consecutive years (%(first)d–%(last)d).", **args)


def titles_in_period(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name = p["award"], f.award_name(p["award"])
    years = window(f.year, p["within"])
    held = [y for y in years if y in f.awards.get(code, set())]
    args = {"award": name, "held": years_text(held), "count": len(held), "need": p["count"],
            "first": years[0], "last": years[-1]}
    if len(held) >= p["count"]:
        return MET, _("%(award)s in %(held)s: %(count)d times in %(first)d–%(last)d "
                      "(%(need)d needed).", **args)
    return NOT_MET, _("%(award)s in %(held)s: %(count)d times in %(first)d–%(last)d "
                      "(%(need)d needed).", **args)


def rating_years(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """Consecutive (or no `within`): each of the last `years` years at least `min_rating`.
    With `within` (not consecutive): at least `years` such years among the last `within`.
    A year without a rating is unknown, unless the rule fails whatever it turns out to be."""
    need, minimum = p["years"], p["min_rating"]
    consecutive = p.get("consecutive") or not p.get("within")
    years = window(f.year, need if consecutive else p["within"])
    good = [y for y in years if rating_at_least(f.ratings.get(y), minimum)]
    unrated = [y for y in years if y not in f.ratings]
    bad = [y for y in years if y in f.ratings and y not in good]
    args = {"good": years_text(good), "unrated": years_text(unrated), "bad": years_text(bad),
            "count": len(good), "need": need, "first": years[0], "last": years[-1],
            "rating": _rating_word(minimum)}
    if len(good) >= need:
        return MET, _("Rated %(rating)s or better in %(good)s: %(count)d of %(need)d years "
                      "(%(first)d–%(last)d).", **args)
    could_be = len(good) + len(unrated) >= need
    if consecutive:
        could_be = not bad
    if could_be:
        return UNKNOWN, _("Rated %(rating)s or better in %(good)s; no rating recorded for "
                          "%(unrated)s (%(first)d–%(last)d).", **args)
    return NOT_MET, _("Rated %(rating)s or better in %(good)s; below that in %(bad)s; "
                      "no rating for %(unrated)s: %(count)d of %(need)d years "
                      "(%(first)d–%(last)d).", **args)


def initiative(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """Recognised initiatives (or accepted science topics) at the scope or wider, in the
    last `within` years (default: the nomination year only)."""
    kind = p["kind"]
    years = window(f.year, p.get("within") or 1)
    found = [i for i in f.initiatives if i.kind == kind and i.year in years
             and scope_at_least(i.scope, p["scope"])]
    need = p.get("count") or 1
    args = {"scope": _scope_word(p["scope"]), "count": len(found), "need": need,
            "first": years[0], "last": years[-1],
            "titles": "; ".join(i.title for i in found[:3])}
    if kind == "science_topic":
        if len(found) >= need:
            return MET, _("%(count)d accepted science topic(s) at %(scope)s scope or wider in "
                          "%(first)d–%(last)d: %(titles)s.", **args)
        return NOT_MET, _("%(count)d of %(need)d accepted science topic(s) at %(scope)s scope "
                          "or wider recorded for %(first)d–%(last)d.", **args)
    if len(found) >= need:
        return MET, _("%(count)d recognised initiative(s) at %(scope)s scope or wider in "
                      "%(first)d–%(last)d: %(titles)s.", **args)
    return NOT_MET, _("%(count)d of %(need)d recognised initiative(s) at %(scope)s scope or "
                      "wider recorded for %(first)d–%(last)d.", **args)


def _rating_word(code: str) -> str:
    return {"excellent": _("excellent (HTXSNV)"), "good": _("good (HTTNV)"),
            "complete": _("completed (HTNV)")}.get(code, code)


def _scope_word(code: str) -> str:
    scope = CATALOGUE_SCOPE.get(code, code)
    return {"unit": _("unit"), "ministry": _("ministry"),
            "national": _("national")}.get(scope, scope) if scope in SCOPE_ORDER else code
