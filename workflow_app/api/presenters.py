"""ORM rows → response models, in the caller's language. Read-only: no queries beyond the
relations already loaded, except where a docstring says so."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow_app.api.schemas.shared import AwardRecordOut, ClockOut, DossierSummary, PersonOut, Ref
from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.decisions.service import revocation as revocations
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.labels import state_label
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Cluster, OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User
from workflow_app.org.service import scope
from workflow_app.registry.service.labels import SOURCE
from workflow_app.workflow import StepClock


def clock_out(clock: StepClock | None) -> ClockOut | None:
    if clock is None:
        return None
    return ClockOut(step=clock.step, running=clock.running, used_days=clock.used_days,
                    limit_days=clock.limit_days, remaining_days=clock.remaining_days,
                    due_on=clock.due_on, is_overdue=clock.is_overdue)


def unit_ref(unit: OrgUnit | None, locale: str) -> Ref | None:
    return None if unit is None else Ref(id=unit.id, code=unit.code,
                                         name=unit.display_name(locale))


def _award_ref(dossier: Dossier, locale: str) -> Ref:
    award = dossier.award
    version = dossier.rule_version(today_vn()) or (award.versions[0] if award.versions else None)
    return Ref(id=award.id, code=award.code, name=version.name(locale) if version else award.code)


def summary_fields(dossier: Dossier, locale: str) -> dict:
    person = dossier.nominee_person
    return {
        "id": dossier.id, "workflow": dossier.workflow, "state": dossier.state,
        "state_label": state_label(dossier.workflow, dossier.state, locale),
        "version": dossier.version, "title": dossier.title, "year": dossier.year,
        "commendation_type": dossier.commendation_type,
        "unit": unit_ref(dossier.unit, locale), "award": _award_ref(dossier, locale),
        "nominee_person": Ref(id=person.id, name=person.full_name) if person else None,
        "nominee_unit": unit_ref(dossier.nominee_unit, locale),
        "batch_id": dossier.batch_id, "created_at": dossier.created_at,
        "received_at": dossier.received_at,
    }


def dossier_summary(dossier: Dossier, locale: str) -> DossierSummary:
    return DossierSummary(**summary_fields(dossier, locale))


def cluster_ref(cluster: Cluster, locale: str) -> Ref:
    name = cluster.name_en if locale == "en" and cluster.name_en else cluster.name
    return Ref(id=cluster.id, code=cluster.code, name=name)


def person_out(viewer: User, person: Person, locale: str) -> PersonOut:
    national_id = scope.national_id_for(viewer, person)
    return PersonOut(
        id=person.id, full_name=person.full_name, position=person.position,
        unit=unit_ref(person.unit, locale), is_leader=person.is_leader,
        date_of_birth=person.date_of_birth, national_id=national_id,
        national_id_is_full=bool(national_id) and national_id == person.national_id)


def names(session: Session, locale: str) -> dict[str, str]:
    """Award code → name in `locale`, under the rules in force today."""
    return award_names(session, locale, today_local())


def award_record_out(session: Session, viewer: User, entry: AwardRecord, locale: str,
                     award_name: dict[str, str]) -> AwardRecordOut:
    live = revocations.live_revocation(session, entry)
    if entry.revoked_at is not None:
        status = "revoked"
    else:
        status = "revocation_proposed" if live is not None else "active"
    may_propose = (revocations.may_propose_for(viewer, entry)
                   and revocations.why_not_proposable(session, entry) is None)
    person = entry.person
    return AwardRecordOut(
        id=entry.id, award_code=entry.award_code,
        award_name=award_name.get(entry.award_code, entry.award_code), year=entry.year,
        decision_number=entry.decision_number, decision_date=entry.decision_date,
        issuer=entry.issuer, source=entry.source,
        source_label=str(SOURCE.get(entry.source, entry.source)), dossier_id=entry.dossier_id,
        person=Ref(id=person.id, name=person.full_name) if person is not None else None,
        unit=unit_ref(entry.unit, locale), recorded_at=entry.recorded_at, status=status,
        revoked_at=entry.revoked_at, revocation_number=entry.revocation_number,
        revocation_id=live.id if live is not None else None,
        items_to_recover=bool(live is not None and live.status == "revoked"
                              and live.recovery_required and live.recovered_on is None),
        can_propose_revocation=may_propose)
