"""One search over persons, units, dossiers, decisions and the registry's decisions, as on the
search page (`search.service.queries`): diacritic- and case-insensitive, scoped by role in SQL,
totals never capped, paged."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.search.api.schemas import SearchAllQuery, SearchGroup, SearchHit, SearchResultsOut
from workflow_app.search.service import queries

TAGS = ["search"]


def _hit(kind: str, item, locale: str, awards: dict[str, str]) -> SearchHit:
    if kind == "person":
        return SearchHit(id=item.id, title=item.full_name,
                         detail=item.unit.display_name(locale))
    if kind == "unit":
        return SearchHit(id=item.id, title=item.display_name(locale), detail=item.code)
    if kind == "dossier":
        return SearchHit(id=item.id, title=item.nominee_name,
                         detail=f"{item.title} ({item.year})")
    if kind == "record":
        who = item.person.full_name if item.person else item.unit.display_name(locale)
        return SearchHit(id=item.id, title=item.decision_number,
                         detail=f"{item.decision_date.strftime('%d/%m/%Y')} · {who}: "
                                f"{awards.get(item.award_code, item.award_code)} {item.year}")
    return SearchHit(id=item.id, title=item.reference,
                     detail=f"{item.issued_on.strftime('%d/%m/%Y')} · {item.summary[:200]}")


@operation("GET", "/search", summary="Search persons, units, dossiers and decisions",
           description="The words of `q` in the order typed, the last one possibly "
                       "unfinished, in the record's text (name; unit name or code; dossier "
                       "number, nominee, award, title or achievement summary; decision number, "
                       "summary or annex rows; `record`: a registry entry by the number of a "
                       "decision this system did not issue); numbers match without leading "
                       "zeros. When that finds nothing, every word in any order "
                       "(`mode: all_words`). Case and diacritics ignored. Only what you may "
                       "see; each group gives its full total.",
           tags=TAGS, query=SearchAllQuery, response=SearchResultsOut)
def search(query: SearchAllQuery) -> SearchResultsOut:
    locale = current_locale()
    user = caller()
    if query.kind:
        found = [queries.search_kind(db.session, user, query.kind, query.q, page=query.page,
                                     per_page=query.per_page)]
    else:
        found = queries.search_all(db.session, user, query.q, per_kind=query.per_page)
    awards = (award_names(db.session, locale, today_local())
              if any(h.kind == "record" and h.items for h in found) else {})
    return SearchResultsOut(groups=[
        SearchGroup(kind=hits.kind, total=hits.total, page=hits.page, pages=hits.pages,
                    mode=hits.mode,
                    items=[_hit(hits.kind, item, locale, awards) for item in hits.items])
        for hits in found])
