"""Nominations under public disclosure, as the public pages (`/cong-khai/`) show them.

Decision: the API offers these reads to any signed-in caller, but NOT the public comment
form. Comments come from people without an account, through the page, which has CSRF, a
per-address rate limit and no token; an integrator acting for the public would turn every
comment into one from the integrator's address, and a token-holder commenting is not what
the procedure asks for. Reviewers read and answer the comments through /review/….
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery, keyset_page
from workflow_app.disclosure.api.presenters import public_nomination
from workflow_app.disclosure.api.schemas import PublicNomination, PublicNominationPage
from workflow_app.disclosure.service import queries
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.workdays import local_date


@operation("GET", "/disclosures", summary="Nominations under public disclosure",
           description="What the public list shows (no personal data beyond the nominee's "
                       "name), for any signed-in caller. Commenting is done on the public "
                       "page, not through the API.",
           tags=["disclosure"], query=PageQuery, response=PublicNominationPage)
def list_disclosures(query: PageQuery) -> PublicNominationPage:
    statement = select(Dossier).where(queries.under_disclosure()).options(
        joinedload(Dossier.unit), joinedload(Dossier.nominee_person),
        joinedload(Dossier.nominee_unit), joinedload(Dossier.award_version),
        selectinload(Dossier.award).selectinload(Award.versions))
    rows, next_cursor = keyset_page(db.session, statement, Dossier.id, query)
    today, locale = local_date(utcnow()), current_locale()
    return PublicNominationPage(items=[public_nomination(d, today, locale) for d in rows],
                                next_cursor=next_cursor)


@operation("GET", "/disclosures/{dossier_id}", summary="One nomination under public disclosure",
           description="404 when the dossier is not under public disclosure now.",
           tags=["disclosure"], response=PublicNomination, errors=[404])
def get_disclosure(dossier_id: int) -> PublicNomination:
    dossier = queries.public_dossier(db.session, dossier_id)
    if dossier is None:
        abort(404)
    return public_nomination(dossier, local_date(utcnow()), current_locale())
