"""Reorganisations over the API (issue 19), as Administration → Reorganisations: preview a
change, apply it (one transaction, audited), reverse it by a compensating event; and any
signed-in user reads a unit's history (unit names are not personal data). A change that
cannot apply is a 409 `rule_broken` with every reason, nothing written."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.errors import apply_rules, referenced
from workflow_app.api.operations import operation
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.labels import org_event_label
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.org_history import OrgEvent
from workflow_app.org.api.schemas_reorg import (
    EventOut,
    EventUnitOut,
    GrantPlan,
    HistoryRuleIn,
    HistoryRuleList,
    HistoryRuleOut,
    PlanOut,
    ReorgIn,
    ReversalIn,
    TransferIn,
    TransferOut,
    UnitLifeOut,
    UnitLifeQuery,
)
from workflow_app.org.service import history, history_rules, reorg, transfers

ADMINS = ("admin",)
TAGS = ["administration"]


def _ref(unit: OrgUnit, locale: str) -> dict:
    return {"id": unit.id, "code": unit.code, "name": unit.display_name(locale)}


def _units(ids: list[int], field: str) -> list[OrgUnit]:
    return [referenced(OrgUnit, unit_id, field) for unit_id in dict.fromkeys(ids)]


def _change(body: ReorgIn) -> reorg.Change:
    return reorg.Change(
        kind=body.kind, effective_date=body.effective_date,
        decision_number=body.decision_number, decision_date=body.decision_date,
        decision_issuer=body.decision_issuer, units=_units(body.unit_ids, "unit_ids"),
        successors=_units(body.successor_ids, "successor_ids"),
        heirs=_units(body.heir_ids, "heir_ids"), new_name=body.new_name,
        new_name_en=body.new_name_en,
        new_parent=referenced(OrgUnit, body.new_parent_id, "new_parent_id")
        if body.new_parent_id is not None else None,
        grants_choice=body.grants_choice, note=body.note)


def _plan_out(plan: reorg.Plan) -> PlanOut:
    locale, work = current_locale(), plan.work
    return PlanOut(
        ok=plan.ok, problems=plan.problems, kind=plan.change.kind,
        effective_date=plan.change.effective_date,
        closing=[_ref(u, locale) for u in plan.closing],
        successors=[_ref(u, locale) for u in plan.change.successors],
        inheritors=[_ref(u, locale) for u in plan.inheritors],
        receiver=_ref(plan.receiver, locale) if plan.receiver else None,
        dossier_ids=[d.id for d in work.dossiers],
        registration_ids=[r.id for r in work.registrations],
        registration_clash_ids=[r.id for r in work.registration_clashes],
        movement_ids=[m.id for m in work.movements],
        council_ids=[c.id for c in work.councils],
        grants=[GrantPlan(user_id=g.user_id, username=g.user.username, role=g.role,
                          unit=_ref(g.unit, locale)) for g in work.grants],
        membership_ids=[m.id for m in work.memberships], person_count=work.person_count)


def event_out(event: OrgEvent) -> EventOut:
    locale = current_locale()
    return EventOut(
        id=event.id, kind=event.kind, kind_label=org_event_label(event.kind),
        effective_date=event.effective_date, decision_number=event.decision_number,
        decision_date=event.decision_date, decision_issuer=event.decision_issuer,
        note=event.note, grants_choice=event.grants_choice, handover=event.handover or {},
        reverses_id=event.reverses_id,
        reversed_by_id=event.reversal.id if event.reversal else None,
        units=[EventUnitOut(unit=_ref(row.unit, locale), role=row.role,
                            old_name=row.old_name, new_name=row.new_name,
                            old_parent_id=row.old_parent_id, new_parent_id=row.new_parent_id,
                            parent_changed=row.parent_changed,
                            inherits_history=row.inherits_history) for row in event.units])


@operation("POST", "/reorganisations/preview", summary="Preview a reorganisation",
           description="Everything the change would do — units closed, successors, work in "
                       "flight handed over, role grants, memberships to re-form — and the "
                       "`problems` that stop it. Writes nothing.",
           tags=TAGS, roles=ADMINS, request=ReorgIn, response=PlanOut, errors=[404])
def preview_reorganisation(body: ReorgIn) -> PlanOut:
    return _plan_out(reorg.preview(db.session, _change(body)))


@operation("POST", "/reorganisations", summary="Apply a reorganisation",
           description="In one transaction, audited. 409 `rule_broken` with every reason "
                       "(as the preview's `problems`) when it cannot apply; nothing written.",
           tags=TAGS, roles=ADMINS, request=ReorgIn, response=EventOut, status=201,
           errors=[404, 409])
def apply_reorganisation(body: ReorgIn) -> EventOut:
    change = _change(body)
    event = apply_rules((reorg.ReorgError,),
                        lambda: reorg.apply(db.session, change, actor=caller()))
    return event_out(event)


@operation("POST", "/reorganisations/{event_id}/reversal",
           summary="Reverse a reorganisation by a compensating event",
           description="Restores names, parents, validity, work handed over and role "
                       "grants where nothing changed since; the original stays, marked "
                       "reversed. 409 `rule_broken` when a later change must be reversed "
                       "first, or it is already reversed.",
           tags=TAGS, roles=ADMINS, request=ReversalIn, response=EventOut, status=201,
           errors=[404, 409])
def reverse_reorganisation(event_id: int, body: ReversalIn) -> EventOut:
    event = db.get_or_404(OrgEvent, event_id)
    compensation = apply_rules((reorg.ReorgError,), lambda: reorg.reverse(
        db.session, event, body.reason, actor=caller()))
    return event_out(compensation)


@operation("GET", "/units/{unit_id}/history", summary="A unit's life and reorganisations",
           description="Its validity, successors, predecessors whose history it takes "
                       "over, and every event (reversals included); with `on`, its name "
                       "and parent on that day.",
           tags=["organisation"], query=UnitLifeQuery, response=UnitLifeOut, errors=[404])
def get_unit_life(unit_id: int, query: UnitLifeQuery) -> UnitLifeOut:
    unit = db.get_or_404(OrgUnit, unit_id)
    locale = current_locale()
    life = history.unit_life(db.session, unit)
    parent = history.parent_as_of(db.session, unit, query.on) if query.on else None
    return UnitLifeOut(
        unit=_ref(unit, locale), valid_from=unit.valid_from, valid_to=unit.valid_to,
        name_on=history.name_as_of(db.session, unit, query.on, locale) if query.on else None,
        parent_on=_ref(parent, locale) if parent else None,
        successors=[_ref(u, locale) for u in life.successors],
        predecessors=[_ref(p.unit, locale) for p in life.predecessors],
        events=[event_out(e) for e in life.events])




@operation("POST", "/persons/{person_id}/transfers",
           summary="Record a person's transfer to another unit",
           description="From `effective_date` the person belongs to `to_unit_id`; their "
                       "awards and ratings stay theirs. 409 `rule_broken` for a unit that "
                       "does not exist that day, a date in the future or before their latest "
                       "transfer, or their own unit.",
           tags=TAGS, roles=ADMINS, request=TransferIn, response=TransferOut, status=201,
           errors=[404, 409])
def transfer_person(person_id: int, body: TransferIn) -> TransferOut:
    person = db.get_or_404(Person, person_id)
    to_unit = referenced(OrgUnit, body.to_unit_id, "to_unit_id")
    row = apply_rules((transfers.TransferError,), lambda: transfers.transfer(
        db.session, person, to_unit, body.effective_date,
        decision_number=body.decision_number, decision_date=body.decision_date,
        note=body.note, actor=caller()))
    locale = current_locale()
    return TransferOut(id=row.id, person_id=person.id, from_unit=_ref(row.from_unit, locale),
                       to_unit=_ref(row.to_unit, locale), effective_date=row.effective_date,
                       decision_number=row.decision_number, decision_date=row.decision_date)


def _rule_out(rule) -> HistoryRuleOut:
    return HistoryRuleOut(id=rule.id, body=_ref(rule.body, current_locale()),
                          award_code=rule.award_code,
                          counts_predecessors=rule.counts_predecessors, note=rule.note)


@operation("GET", "/reorganisations/history-rules",
           summary="Rules on whether successors count their predecessors' years",
           description="Per body (a unit and everything below it) and award; without a "
                       "rule the default applies. Configurable — no confirmed legal source.",
           tags=TAGS, roles=ADMINS, response=HistoryRuleList)
def list_history_rules() -> HistoryRuleList:
    return HistoryRuleList(default_counts_predecessors=history.DEFAULT_COUNTS_PREDECESSORS,
                           items=[_rule_out(r) for r in history_rules.rules(db.session)])


@operation("PUT", "/reorganisations/history-rules",
           summary="Set a body's rule on predecessors' years",
           description="Creates or changes the rule of the body for the award (null: every "
                       "award); audited. 409 `rule_broken` for a body that no longer exists.",
           tags=TAGS, roles=ADMINS, request=HistoryRuleIn, response=HistoryRuleOut,
           errors=[404, 409])
def set_history_rule(body: HistoryRuleIn) -> HistoryRuleOut:
    unit = referenced(OrgUnit, body.body_unit_id, "body_unit_id")
    rule = apply_rules((history_rules.HistoryRuleError,), lambda: history_rules.set_rule(
        db.session, unit, body.award_code, body.counts_predecessors, body.note,
        actor=caller()))
    return _rule_out(rule)
