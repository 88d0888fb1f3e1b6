"""Eligibility and quotas over the API: a person's (or a unit's) eligibility for each award
in a year, as the person's registry page shows it (met / not met / unknown per rule, with
the legal basis); the quota counts of a unit and year; a reviewer's override of a rule on a
dossier; and the decision to exceed a quota — through the same functions
(`eligibility.service.dossier`, `eligibility.service.quotas`) as the registry and dossier pages.

Scope as on the pages: a person outside the units your roles cover is a 404; units are
visible to every signed-in user. Overrides need a reviewer over the dossier's unit (403),
quota exceptions a reviewer over the unit or an admin (403).
"""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.presenters import unit_ref
from workflow_app.api.reauth import require_reauth
from workflow_app.api.schemas.shared import Ref
from workflow_app.catalogue.service.queries import today_local
from workflow_app.dossiers.service.access import visible_dossier_or_404
from workflow_app.eligibility.api.presenters import eligibility_out, quota_out, rule_out
from workflow_app.eligibility.api.schemas import (
    AwardEligibilityOut,
    NomineeEligibilityOut,
    OverrideIn,
    QuotaExceptionIn,
    QuotaExceptionOut,
    UnitQuotasOut,
    YearQuery,
)
from workflow_app.eligibility.api.schemas_dossier import EligibilityOut
from workflow_app.eligibility.service import quotas
from workflow_app.eligibility.service.dossier import (
    AwardEligibility,
    OverrideError,
    eligibility_context,
    nominee_eligibility,
    override_rule,
)
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit, Person
from workflow_app.org.service import scope
from workflow_app.registry.service.labels import STATUS

TAGS = ["eligibility"]
REVIEWERS = ("reviewer",)


def _award_out(row: AwardEligibility, locale: str) -> AwardEligibilityOut:
    version = row.version
    return AwardEligibilityOut(
        award=Ref(id=version.award.id, code=version.award.code, name=version.name(locale)),
        version_id=version.id, conferring_level=version.conferring_level,
        legal_basis=version.legal_basis or None, status=row.status,
        status_label=str(STATUS.get(row.status, row.status)),
        rules=[rule_out(result) for result in row.results])


def _eligibility(nominee: Person | OrgUnit, query: YearQuery) -> NomineeEligibilityOut:
    locale, today = current_locale(), today_local()
    year = query.year or today.year
    rows = nominee_eligibility(db.session, nominee, year, today)
    is_person = isinstance(nominee, Person)
    return NomineeEligibilityOut(
        year=year, judged_on=today,
        person=Ref(id=nominee.id, name=nominee.full_name) if is_person else None,
        unit=None if is_person else unit_ref(nominee, locale),
        awards=[_award_out(row, locale) for row in rows])


@operation("GET", "/registry/persons/{person_id}/eligibility",
           summary="A person's eligibility for each award in a year",
           description="Every award in force that fits an individual, judged against the "
                       "registry for `year`: each rule met / not met / unknown with its legal "
                       "basis, as the person's registry page shows it.",
           tags=TAGS, query=YearQuery, response=NomineeEligibilityOut, errors=[404])
def get_person_eligibility(person_id: int, query: YearQuery) -> NomineeEligibilityOut:
    return _eligibility(scope.visible_person(db.session, caller(), person_id), query)


@operation("GET", "/registry/units/{unit_id}/eligibility",
           summary="A unit's eligibility for each award in a year",
           description="Every award in force that fits a collective, judged against the "
                       "registry for `year` (its own awards and ratings, and its members').",
           tags=TAGS, query=YearQuery, response=NomineeEligibilityOut, errors=[404])
def get_unit_eligibility(unit_id: int, query: YearQuery) -> NomineeEligibilityOut:
    return _eligibility(db.get_or_404(OrgUnit, unit_id), query)


@operation("GET", "/registry/units/{unit_id}/quotas", summary="A unit's quota counts in a year",
           description="For every award with a quota rule in force: nominees counted (active "
                       "registry records and open or decided dossiers of the unit and its "
                       "sub-units), the cap and whether it is exceeded without a recorded "
                       "decision.",
           tags=TAGS, query=YearQuery, response=UnitQuotasOut, errors=[404])
def get_unit_quotas(unit_id: int, query: YearQuery) -> UnitQuotasOut:
    locale, today = current_locale(), today_local()
    unit = db.get_or_404(OrgUnit, unit_id)
    year = query.year or today.year
    statuses = quotas.unit_quotas(db.session, unit, year, today)
    return UnitQuotasOut(unit=unit_ref(unit, locale), year=year,
                         quotas=[out for out in (quota_out(s, locale) for s in statuses)
                                 if out is not None])


@operation("POST", "/dossiers/{dossier_id}/eligibility/overrides",
           summary="Override an eligibility rule on a dossier (reviewer)",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "The rule then counts as met for this dossier only; the reason is "
                       "required and audited (`eligibility.overridden`). 403 unless you are a "
                       "reviewer over the dossier's unit; 409 `override_refused` when the "
                       "dossier has no such rule or it is already overridden.",
           tags=TAGS, roles=REVIEWERS, request=OverrideIn, response=EligibilityOut,
           status=201, errors=[404, 409])
def override_eligibility_rule(dossier_id: int, body: OverrideIn) -> EligibilityOut:
    viewer = caller()
    dossier = visible_dossier_or_404(db.session, viewer, dossier_id)
    if not viewer.can_see_unit(dossier.unit, "reviewer"):
        raise ApiError(403, "forbidden", _("Your role or unit does not give you access to "
                                           "this."))
    try:
        require_reauth(viewer, body.password, body.code, "override")
        override_rule(db.session, dossier, body.rule_id, body.reason, viewer)
    except OverrideError as error:
        raise ApiError(409, "override_refused", str(error)) from None
    context = eligibility_context(db.session, dossier, viewer)
    return eligibility_out(dossier, context, current_locale())


@operation("POST", "/quota-exceptions", summary="Record a decision to exceed a quota",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "For a unit (the quota's `unit`), an award and a year, with the reason "
                       "and the reference of the decision; audited "
                       "`quota.exception_recorded`. 404 `unknown_reference` for a unit that "
                       "does not exist; 403 unless you are an admin or a reviewer over the "
                       "unit; 409 `quota_exception_refused` for an unknown award or when one "
                       "is already recorded.",
           tags=TAGS, roles=("reviewer", "admin"), request=QuotaExceptionIn,
           response=QuotaExceptionOut, status=201, errors=[404, 409])
def record_quota_exception(body: QuotaExceptionIn) -> QuotaExceptionOut:
    actor, locale = caller(), current_locale()
    unit = db.session.get(OrgUnit, body.unit_id)
    if unit is None:
        raise ApiError(404, "unknown_reference", _("%(field)s names no existing record.",
                                                   field="unit_id"), {"field": "unit_id"})
    if not (actor.has_role("admin") or actor.can_see_unit(unit, "reviewer")):
        raise ApiError(403, "forbidden", _("Your role or unit does not give you access to "
                                           "this."))
    require_reauth(actor, body.password, body.code, "quota_exception")
    try:
        entry = quotas.record_quota_exception(db.session, unit, body.award_code, body.year,
                                              body.reason, actor)
    except quotas.QuotaExceptionError as error:
        raise ApiError(409, "quota_exception_refused", str(error)) from None
    status = quotas.quota_status(db.session, unit, body.award_code, body.year)
    return QuotaExceptionOut(
        id=entry.id, unit=unit_ref(unit, locale), award_code=entry.award_code,
        year=entry.year, reason=entry.reason,
        created_by=actor.display_name, created_at=entry.created_at,
        quota=quota_out(status, locale))
