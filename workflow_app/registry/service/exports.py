"""The registry of one person or one unit as XLSX (issue 14 item 5): the awards (revoked
ones included and marked), the yearly ratings and, for a person, the initiatives — as the
person's or unit's registry page shows them; dates as dates, years as numbers."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.models.org import OrgUnit, Person
from workflow_app.registry.service import queries
from workflow_app.registry.service.labels import RATING, SCOPE, SOURCE
from workflow_app.workdays import local_date
from workflow_app.xlsx import Sheet


def _award_sheet(session: Session, locale: str, *, person: Person | None = None,
                 unit: OrgUnit | None = None) -> Sheet:
    names = award_names(session, locale, today_local())
    rows = ([entry.year, entry.award_code, names.get(entry.award_code, entry.award_code),
             entry.decision_number, entry.decision_date, entry.issuer,
             str(SOURCE.get(entry.source, entry.source)),
             local_date(entry.revoked_at) if entry.revoked_at else None,
             entry.revocation_number or ""]
            for entry in queries.awards_of(session, person=person, unit=unit))
    return Sheet(_("Awards"), [_("Year"), _("Code"), _("Award or title"), _("Decision number"),
                               _("Decision date"), _("Issued by"), _("Source"),
                               _("Revoked on"), _("Revoking decision")], rows,
                 widths=(8, 14, 36, 18, 12, 30, 14, 12, 18))


def person_sheets(session: Session, person: Person, locale: str) -> list[Sheet]:
    ratings = ([r.year, str(RATING.get(r.rating, r.rating))]
               for r in queries.ratings_of(session, person))
    initiatives = ([i.year, i.title, str(SCOPE.get(i.scope, i.scope)), i.recognised_by]
                   for i in queries.initiatives_of(session, person))
    return [_award_sheet(session, locale, person=person),
            Sheet(_("Ratings"), [_("Year"), _("Rating")], ratings, widths=(8, 30)),
            Sheet(_("Initiatives"), [_("Year"), _("Title"), _("Scope"), _("Recognised by")],
                  initiatives, widths=(8, 50, 14, 30))]


def unit_sheets(session: Session, unit: OrgUnit, locale: str) -> list[Sheet]:
    ratings = ([r.year, str(RATING.get(r.rating, r.rating))]
               for r in queries.unit_ratings_of(session, unit))
    return [_award_sheet(session, locale, unit=unit),
            Sheet(_("Ratings"), [_("Year"), _("Rating")], ratings, widths=(8, 30))]
