"""The emulation year over the API, as the movement, pact and scoring pages, through the same
services: registrations (`movements.service.registration`), inspections, the year-end
nominations from a registration and the acclamation from a ranking (`year_end`), and pacts
with their signatures and next year's head and deputies (`pacts`).

Who: a unit's own officers register it (403 otherwise); the organiser and auditors read
every registration, an officer its units' own; the organiser records inspections, opens the
acclamation and records the election; pacts are open to every signed-in user, kept by the
cluster's organiser or head unit and signed by each member. Refusals: 422 `invalid_input`
with the reason (naming the row of a bad registration line); 403 `forbidden`.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.listing import scan_page
from workflow_app.api.operations import operation
from workflow_app.api.pagination import PageQuery
from workflow_app.api.presenters import cluster_ref, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.catalogue.service.queries import award_by_code, today_local
from workflow_app.dossiers.service.batches import batch_dossiers
from workflow_app.dossiers.service.fields import DossierInvalid
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.movement import Pact, Registration
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.scoring import ScoreTable
from workflow_app.movements.api.schemas_year import (
    AcclamationIn,
    AcclamationOut,
    BatchRef,
    ElectionIn,
    ElectionOut,
    InspectionIn,
    InspectionOut,
    PactIn,
    PactOut,
    RegistrationIn,
    RegistrationLineOut,
    RegistrationNominationsOut,
    RegistrationOut,
    RegistrationPage,
    ReviewOut,
    ReviewRow,
    ReviewTable,
    SignatureIn,
    SignatureOut,
)
from workflow_app.movements.service import (
    exports,
    inspections,
    pacts,
    queries,
    registration,
    review_report,
    year_end,
)
from workflow_app.movements.service.movements import MovementError, is_organiser
from workflow_app.movements.service.pacts import PactError
from workflow_app.movements.service.registration import LineIn, RegistrationError
from workflow_app.scoring.service import access as scoring_access
from workflow_app.scoring.service.points import as_number

TAGS = ["movements"]
OFFICERS = registration.REGISTRAR_ROLES


def _invalid(error) -> ApiError:
    message = str(error.message)
    field = getattr(error, "field", None) or "body"
    row = getattr(error, "row", None)
    loc = ["lines", row - 1] if row and field == "body" else [field]
    return ApiError(422, "invalid_input", message, [{"loc": loc, "msg": message,
                                                     "type": "invalid"}])


def _registration_out(item, locale: str) -> RegistrationOut:
    return RegistrationOut(
        unit=unit_ref(item.unit, locale), registered_at=item.registered_at,
        commitments=item.commitments,
        lines=[RegistrationLineOut(
            person=Ref(id=line.person.id, name=line.person.full_name) if line.person else None,
            award=Ref(id=line.award.id, code=line.award.code, name=line.award.code))
            for line in item.lines])


@operation("GET", "/movements/{movement_id}/registrations",
           summary="Registrations under a movement",
           description="Every unit's for the organiser and auditors, with who has not "
                       "registered; your units' own for a unit officer. Keyset pages in the "
                       "order they were first recorded: pass `next_cursor` for the next.",
           tags=TAGS, roles=(*OFFICERS, "auditor"), query=PageQuery, response=RegistrationPage,
           errors=[404])
def list_registrations(movement_id: int, query: PageQuery) -> RegistrationPage:
    movement = queries.movement_or_404(db.session, movement_id)
    user, locale = caller(), current_locale()
    everything = is_organiser(user, movement) or user.has_role("auditor")
    items, next_cursor = scan_page(
        db.session, queries.registrations_query(movement), Registration.id, query,
        lambda r: everything or registration.may_register(user, r.unit), descending=False)
    missing = queries.registration_status(db.session, movement).not_registered \
        if everything else []
    return RegistrationPage(items=[_registration_out(r, locale) for r in items],
                            next_cursor=next_cursor,
                            not_registered=[unit_ref(u, locale) for u in missing])


@operation("GET", "/movements/{movement_id}/registrations/export",
           summary="Registrations under a movement as XLSX",
           description="As the movement page's export: one row per participating unit "
                       "(registered on, titles, commitments, registered or not) and one row "
                       "per title registered; every unit for the organiser and auditors, "
                       "your units' own for a unit officer. Vietnamese headers for a "
                       "Vietnamese caller.",
           tags=TAGS, roles=(*OFFICERS, "auditor"), errors=[404],
           raw_content_type=XLSX_MIMETYPE)
def export_registrations(movement_id: int):
    movement = queries.movement_or_404(db.session, movement_id)
    return send_xlsx(f"dang-ky-thi-dua-{movement.id}.xlsx", exports.registration_sheets(
        db.session, movement, caller(), current_locale()))


@operation("PUT", "/movements/{movement_id}/registrations/{unit_id}",
           summary="Register a unit's titles (replaces its registration)",
           description="Before the deadline unless reopened; only the unit's own people; "
                       "every line valid or nothing saved (422 naming the line).",
           tags=TAGS, roles=OFFICERS, request=RegistrationIn, response=RegistrationOut,
           errors=[404])
def save_registration(movement_id: int, unit_id: int, body: RegistrationIn) -> RegistrationOut:
    movement = queries.movement_or_404(db.session, movement_id)
    unit = db.get_or_404(OrgUnit, unit_id)
    try:
        saved = registration.register(
            db.session, caller(), movement, unit, commitments=body.commitments,
            lines=[LineIn(line.award_code, line.person_id) for line in body.lines],
            today=today_local())
    except RegistrationError as error:
        raise _invalid(error) from None
    return _registration_out(saved, current_locale())


@operation("POST", "/movements/{movement_id}/registrations/{unit_id}/nominations",
           summary="Open a unit's nominations from its registration",
           description="One batch of draft dossiers per registered title (nominees, award and "
                       "year pre-filled), for the unit's officer to complete.",
           tags=TAGS, roles=OFFICERS, response=RegistrationNominationsOut, status=201, errors=[404])
def open_registration_nominations(movement_id: int, unit_id: int) -> RegistrationNominationsOut:
    movement = queries.movement_or_404(db.session, movement_id)
    unit = db.get_or_404(OrgUnit, unit_id)
    if not registration.may_register(caller(), unit):
        raise ApiError(403, "forbidden", _("Only the unit's own officers register it."))
    try:
        batches = year_end.nominations_from_registration(db.session, caller(), movement, unit,
                                                         today=today_local())
    except (MovementError, DossierInvalid) as error:
        raise _invalid(error) from None
    return RegistrationNominationsOut(batches=[BatchRef(id=b.id, title=b.title,
                                            dossiers=len(batch_dossiers(db.session, b)))
                                   for b in batches])


@operation("POST", "/movements/{movement_id}/inspections",
           summary="Record an inspection of a participating unit",
           description="The organiser's standing agency; the date not in the future.",
           tags=TAGS, roles=("reviewer",), request=InspectionIn, response=InspectionOut,
           status=201, errors=[404])
def record_inspection(movement_id: int, body: InspectionIn) -> InspectionOut:
    movement = queries.movement_or_404(db.session, movement_id)
    if not is_organiser(caller(), movement):
        raise ApiError(403, "forbidden", _("Only the organiser's standing agency records "
                                           "inspections."))
    unit = db.get_or_404(OrgUnit, body.unit_id)
    try:
        row = inspections.record_inspection(db.session, caller(), movement, unit,
                                            held_on=body.held_on, findings=body.findings,
                                            today=today_local())
    except MovementError as error:
        raise _invalid(error) from None
    return InspectionOut(id=row.id, unit=unit_ref(unit, current_locale()),
                         held_on=row.held_on, findings=row.findings)


def _pact_out(pact: Pact) -> PactOut:
    locale = current_locale()
    signed = {s.unit_id for s in pact.signatures}
    members = pacts.members_of(db.session, pact.cluster, pact.year)
    return PactOut(
        id=pact.id, cluster=cluster_ref(pact.cluster, locale), year=pact.year,
        place=pact.signed_at_place, text=pact.text, targets=list(pact.targets or []),
        signatures=[SignatureOut(unit=unit_ref(s.unit, locale), signed_by=s.signed_by,
                                 on_behalf_of=s.on_behalf_of, signed_on=s.signed_on)
                    for s in pact.signatures],
        not_signed=[unit_ref(m.unit, locale) for m in members if m.unit_id not in signed])


@operation("POST", "/pacts", summary="Record a cluster's pact for a year",
           description="The cluster's organiser or the year's head unit; the text cannot "
                       "change once a member has signed.",
           tags=TAGS, roles=OFFICERS, request=PactIn, response=PactOut, status=201,
           errors=[404])
def save_pact(body: PactIn) -> PactOut:
    cluster = db.get_or_404(Cluster, body.cluster_id)
    if not pacts.may_keep(db.session, caller(), cluster, body.year):
        raise ApiError(403, "forbidden", _("Only the cluster's organiser or its head unit "
                                           "records the pact."))
    try:
        pact = pacts.save_pact(db.session, caller(), cluster, body.year, text=body.text,
                               targets=list(body.targets), place=body.place)
    except PactError as error:
        raise _invalid(error) from None
    return _pact_out(pact)


@operation("GET", "/pacts/{pact_id}", summary="A pact, who signed and who has not",
           description="Pacts are open to every signed-in user.",
           tags=TAGS, response=PactOut, errors=[404])
def get_pact(pact_id: int) -> PactOut:
    return _pact_out(db.get_or_404(Pact, pact_id))


@operation("POST", "/pacts/{pact_id}/signatures", summary="Record a member unit's signature",
           description="Once per member; by the unit's own officer or the organiser.",
           tags=TAGS, roles=OFFICERS, request=SignatureIn, response=PactOut, status=201,
           errors=[404])
def sign_pact(pact_id: int, body: SignatureIn) -> PactOut:
    pact = db.get_or_404(Pact, pact_id)
    unit = db.get_or_404(OrgUnit, body.unit_id)
    try:
        pacts.sign(db.session, caller(), pact, unit, signed_by=body.signed_by,
                   on_behalf_of=body.on_behalf_of, signed_on=body.signed_on,
                   today=today_local())
    except PactError as error:
        raise _invalid(error) from None
    return _pact_out(pact)


@operation("POST", "/clusters/{cluster_id}/next-year",
           summary="Record next year's head and deputies",
           description="Elected at the year-end review among the year's members; writes the "
                       "cluster's memberships of year + 1. The cluster's organiser only.",
           tags=TAGS, roles=("reviewer",), request=ElectionIn, response=ElectionOut,
           errors=[404])
def elect_next_year(cluster_id: int, body: ElectionIn) -> ElectionOut:
    cluster = db.get_or_404(Cluster, cluster_id)
    if not pacts.is_organiser(caller(), cluster):
        raise ApiError(403, "forbidden", _("Only the cluster's organiser records the "
                                           "election."))
    head = db.get_or_404(OrgUnit, body.head_unit_id)
    deputies = list(db.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(body.deputy_unit_ids))))
    if len(deputies) != len(set(body.deputy_unit_ids)):
        abort(404)
    try:
        pacts.elect_next_year(db.session, caller(), cluster, body.year, head=head,
                              deputies=deputies)
    except PactError as error:
        raise _invalid(error) from None
    locale = current_locale()
    return ElectionOut(year=body.year + 1, head=unit_ref(head, locale),
                       deputies=[unit_ref(d, locale) for d in deputies])


@operation("POST", "/scoring/tables/{table_id}/acclamation",
           summary="Open the cluster's acclamation from its published ranking",
           description="Opens (or reuses) the cluster's year-end conference and a vote for the "
                       "award, with the leaders proposed from the ranking. The organiser only.",
           tags=TAGS, roles=("reviewer",), request=AcclamationIn, response=AcclamationOut,
           status=201, errors=[404, 409])
def open_acclamation_from_ranking(table_id: int, body: AcclamationIn) -> AcclamationOut:
    table = db.session.get(ScoreTable, table_id)
    if table is None or not scoring_access.may_read(caller(), table, db.session):
        abort(404)
    if not scoring_access.may_organise(caller(), table):
        raise ApiError(403, "forbidden", _("Only the organiser's standing agency approves the "
                                           "results."))
    award = award_by_code(db.session, body.award_code.upper())
    if award is None:
        abort(404)
    try:
        contest, proposed = year_end.acclamation_from_ranking(
            db.session, caller(), table, award, body.seats, held_on=body.held_on,
            today=today_local(), place=body.place)
    except MovementError as error:
        raise _invalid(error) from None
    locale = current_locale()
    return AcclamationOut(contest_id=contest.id, proposed=[
        unit_ref(db.session.get(OrgUnit, i), locale) for i in proposed])


@operation("GET", "/movements/{movement_id}/reviews/{kind}",
           summary="A movement's half-year or year-end review, from what was recorded",
           description="`kind`: half_year or year_end. The organiser and auditors (404 "
                       "otherwise). The page offers the same as DOCX and PDF.",
           tags=TAGS, roles=("reviewer", "auditor"), response=ReviewOut, errors=[404])
def get_movement_review(movement_id: int, kind: str) -> ReviewOut:
    movement = queries.movement_or_404(db.session, movement_id)
    user = caller()
    if kind not in review_report.KINDS or not (is_organiser(user, movement)
                                               or user.has_role("auditor")):
        abort(404)
    data = review_report.build(db.session, movement, kind)
    locale = current_locale()
    return ReviewOut(
        kind=kind, registered=[unit_ref(r.unit, locale) for r in data.registered],
        not_registered=[unit_ref(u, locale) for u in data.not_registered],
        titles=dict(data.titles),
        inspections=[InspectionOut(id=i.id, unit=unit_ref(i.unit, locale), held_on=i.held_on,
                                   findings=i.findings) for i in data.inspections],
        tables=[ReviewTable(id=t.id, title=t.title, ranking=[ReviewRow(
            unit=Ref(id=r.unit_id, name=r.unit_name), rank=r.rank,
            total_points=as_number(r.total_cp), band=r.band["code"] if r.band else None,
            tied=r.tied) for r in rows]) for t, rows in data.tables],
        awards=[Ref(id=a.id, code=a.award_code, name=a.unit.name if a.unit else "")
                for a in data.awards] if kind == "year_end" else [])
