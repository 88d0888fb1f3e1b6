"""Rules on a nominee's own history: titles held, ratings, initiatives.

Year boundary (the same for every rule here): a window of N years ENDS WITH the nomination
year Y and includes it — years Y-N+1 … Y. CSTĐ Bộ for 2025 (3 consecutive CSTĐCS) needs
CSTĐCS in 2023, 2024 and 2025: the third title is decided in the same cycle, so a title for
year Y that is still pending in another dossier makes the rule unknown rather than not met.
`holds_award` with `when = "before"` means a year strictly before Y.

Wording (issue 10 item 9): each sentence is chosen for the years it has to name — none, one
(a one-year window reads "for 2025", never "2025–2025"), or several ("2021, 2023",
"2021–2025" for a run); a clause about an empty list of years is left out, never filled
with a placeholder. Year phrases come from `results.in_years` / `years_text`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from workflow_app.eligibility.service.facts import (
    CATALOGUE_SCOPE,
    SCOPE_ORDER,
    Facts,
    rating_at_least,
    scope_at_least,
)
from workflow_app.eligibility.service.results import (
    MET,
    NOT_MET,
    UNKNOWN,
    capitalised,
    in_years,
    years_text,
)


def window(year: int, size: int) -> list[int]:
    """The `size` years ending with `year`, oldest first."""
    return list(range(year - size + 1, year + 1))


def _same_year(code: str, f: Facts) -> tuple[str, str]:
    """The award for the nomination year itself: held, pending elsewhere, or not held."""
    name = f.award_name(code)
    if f.year in f.awards.get(code, set()):
        return MET, _("%(award)s held for %(year)d.", award=name, year=f.year)
    if f.year in f.pending.get(code, set()):
        return UNKNOWN, _("%(award)s for %(year)d is pending in another dossier.",
                          award=name, year=f.year)
    return NOT_MET, _("No %(award)s for %(year)d in the registry.", award=name, year=f.year)


def lineage_note(f: Facts, years: list[int], code: str | None = None) -> str:
    """" Counted from predecessor units …: <unit> <years>." for the years among `years`
    that came from units the collective took over (issue 19), else ""."""
    source = f.inherited_awards.get(code, {}) if code else f.inherited_ratings
    by_unit: dict[str, list[int]] = {}
    for year in sorted(years):
        if year in source:
            by_unit.setdefault(source[year], []).append(year)
    if not by_unit:
        return ""
    units = "; ".join(f"{name} ({years_text(held)})" for name, held in by_unit.items())
    return " " + _("Years counted from predecessor units (configurable — no confirmed legal "
                   "source): %(units)s.", units=units)


def _noted(result: tuple[str, str], f: Facts, years: list[int],
           code: str | None = None) -> tuple[str, str]:
    status, text = result
    return status, text + lineage_note(f, years, code)


def holds_award(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    earlier = [y for y in f.awards.get(p["award"], set()) if y <= f.year]
    return _noted(_holds_award(p, f), f, earlier, p["award"])


def _holds_award(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name = p["award"], f.award_name(p["award"])
    if p["when"] == "same_year":
        return _same_year(code, f)
    earlier = sorted(y for y in f.awards.get(code, set()) if y < f.year)
    if len(earlier) == 1:
        return MET, _("%(award)s held in %(year)d.", award=name, year=earlier[0])
    if earlier:
        return MET, _("%(award)s held in %(years)s.", award=name, years=years_text(earlier))
    return NOT_MET, _("No %(award)s before %(year)d in the registry.", award=name, year=f.year)


def consecutive_titles(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    return _noted(_consecutive_titles(p, f), f, window(f.year, max(p["years"], 1)),
                  p["award"])


def _consecutive_titles(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name, size = p["award"], f.award_name(p["award"]), p["years"]
    if size <= 1:
        return _same_year(code, f)
    years = window(f.year, size)
    held = [y for y in years if y in f.awards.get(code, set())]
    missing = [y for y in years if y not in held]
    args = {"award": name, "count": len(held), "years": size, "first": years[0],
            "last": years[-1]}
    if not missing:
        return MET, _("%(award)s held in each of the %(years)d consecutive years "
                      "%(first)d–%(last)d.", **args)
    if not held:
        return NOT_MET, _("%(award)s: none in %(first)d–%(last)d (%(years)d consecutive years "
                          "needed).", **args)
    args.update(held=in_years(held), missing=years_text(missing))
    if missing == [f.year] and f.year in f.pending.get(code, set()):
        return UNKNOWN, _("%(award)s %(held)s — %(missing)s pending in another dossier: "
                          "%(count)d of %(years)d consecutive years (%(first)d–%(last)d).",
                          **args)
    return NOT_MET, _("%(award)s %(held)s — %(missing)s missing: %(count)d of %(years)d "
                      "consecutive years (%(first)d–%(last)d).", **args)


def titles_in_period(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    code, name = p["award"], f.award_name(p["award"])
    if p["within"] <= 1:
        return _same_year(code, f)
    years = window(f.year, p["within"])
    held = [y for y in years if y in f.awards.get(code, set())]
    args = {"award": name, "count": len(held), "need": p["count"], "first": years[0],
            "last": years[-1]}
    status = MET if len(held) >= p["count"] else NOT_MET
    if not held:
        return status, _("No %(award)s in %(first)d–%(last)d (%(need)d needed).", **args)
    return status, ngettext(
        "%(award)s %(held)s: %(count)d time in %(first)d–%(last)d (%(need)d needed).",
        "%(award)s %(held)s: %(count)d times in %(first)d–%(last)d (%(need)d needed).",
        len(held), held=in_years(held), **args)


def rating_years(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    consecutive = p.get("consecutive") or not p.get("within")
    years = window(f.year, p["years"] if consecutive else p["within"])
    return _noted(_rating_years(p, f), f, years)


def _rating_years(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """Consecutive (or no `within`): each of the last `years` years at least `min_rating`.
    With `within` (not consecutive): at least `years` such years among the last `within`.
    A year without a rating is unknown, unless the rule fails whatever it turns out to be."""
    need, minimum = p["years"], p["min_rating"]
    consecutive = p.get("consecutive") or not p.get("within")
    years = window(f.year, need if consecutive else p["within"])
    good = [y for y in years if rating_at_least(f.ratings.get(y), minimum)]
    unrated = [y for y in years if y not in f.ratings]
    bad = [y for y in years if y in f.ratings and y not in good]
    if len(good) >= need:
        status = MET
    elif (not bad) if consecutive else len(good) + len(unrated) >= need:
        status = UNKNOWN
    else:
        status = NOT_MET
    rating = _rating_word(minimum)
    if len(years) == 1 and need <= 1:
        return status, _one_year_rating(status, rating, f.year)
    args = {"rating": rating, "count": len(good), "need": need, "first": years[0],
            "last": years[-1]}
    if consecutive and status == MET:
        return MET, _("Rated %(rating)s or better in each of the %(need)d consecutive years "
                      "%(first)d–%(last)d.", **args)
    clauses = []
    if good:
        clauses.append(_("rated %(rating)s or better %(years)s", rating=rating,
                         years=in_years(good)))
    if bad:
        clauses.append(_("below that %(years)s", years=in_years(bad)) if good else
                       _("rated below %(rating)s %(years)s", rating=rating,
                         years=in_years(bad)))
    if unrated:
        clauses.append(_("no rating recorded for %(year)d", year=unrated[0])
                       if len(unrated) == 1 else
                       _("no rating recorded for %(years)s", years=years_text(unrated)))
    if consecutive:
        tally = _("%(count)d of %(need)d consecutive years (%(first)d–%(last)d)", **args)
    else:
        tally = ngettext("%(count)d year (%(need)d needed in %(first)d–%(last)d)",
                         "%(count)d years (%(need)d needed in %(first)d–%(last)d)",
                         len(good), **args)
    return status, f"{capitalised('; '.join(clauses))}: {tally}."


def _one_year_rating(status: str, rating: str, year: int) -> str:
    if status == MET:
        return _("Rated %(rating)s or better for %(year)d.", rating=rating, year=year)
    if status == UNKNOWN:
        return _("No rating recorded for %(year)d (%(rating)s or better needed).",
                 rating=rating, year=year)
    return _("Rated below %(rating)s for %(year)d.", rating=rating, year=year)


def initiative(p: dict[str, Any], f: Facts) -> tuple[str, str]:
    """Recognised initiatives (or accepted science topics) at the scope or wider, in the
    last `within` years (default: the nomination year only)."""
    kind = p["kind"]
    years = window(f.year, p.get("within") or 1)
    found = [i for i in f.initiatives if i.kind == kind and i.year in years
             and scope_at_least(i.scope, p["scope"])]
    need = p.get("count") or 1
    status = MET if len(found) >= need else NOT_MET
    args = {"scope": _scope_word(p["scope"]), "count": len(found), "need": need,
            "first": years[0], "last": years[-1], "year": f.year,
            "titles": "; ".join(i.title for i in found[:3])}
    topic = kind == "science_topic"
    if len(years) == 1:
        if not found:
            return status, (_("No accepted science topic at %(scope)s scope or wider recorded "
                              "for %(year)d (%(need)d needed).", **args) if topic else
                            _("No recognised initiative at %(scope)s scope or wider recorded "
                              "for %(year)d (%(need)d needed).", **args))
        if status == MET:
            return status, (_("%(count)d accepted science topic(s) at %(scope)s scope or wider "
                              "for %(year)d: %(titles)s.", **args) if topic else
                            _("%(count)d recognised initiative(s) at %(scope)s scope or wider "
                              "for %(year)d: %(titles)s.", **args))
        return status, (_("%(count)d of %(need)d accepted science topic(s) at %(scope)s scope "
                          "or wider recorded for %(year)d.", **args) if topic else
                        _("%(count)d of %(need)d recognised initiative(s) at %(scope)s scope "
                          "or wider recorded for %(year)d.", **args))
    if not found:
        return status, (_("No accepted science topic at %(scope)s scope or wider recorded in "
                          "%(first)d–%(last)d (%(need)d needed).", **args) if topic else
                        _("No recognised initiative at %(scope)s scope or wider recorded in "
                          "%(first)d–%(last)d (%(need)d needed).", **args))
    if status == MET:
        return status, (_("%(count)d accepted science topic(s) at %(scope)s scope or wider in "
                          "%(first)d–%(last)d: %(titles)s.", **args) if topic else
                        _("%(count)d recognised initiative(s) at %(scope)s scope or wider in "
                          "%(first)d–%(last)d: %(titles)s.", **args))
    return status, (_("%(count)d of %(need)d accepted science topic(s) at %(scope)s scope "
                      "or wider recorded for %(first)d–%(last)d.", **args) if topic else
                    _("%(count)d of %(need)d recognised initiative(s) at %(scope)s scope or "
                      "wider recorded for %(first)d–%(last)d.", **args))


def _rating_word(code: str) -> str:
    return {"excellent": _("excellent (HTXSNV)"), "good": _("good (HTTNV)"),
            "complete": _("completed (HTNV)")}.get(code, code)


def _scope_word(code: str) -> str:
    scope = CATALOGUE_SCOPE.get(code, code)
    return {"unit": _("unit"), "ministry": _("ministry"),
            "national": _("national")}.get(scope, scope) if scope in SCOPE_ORDER else code
