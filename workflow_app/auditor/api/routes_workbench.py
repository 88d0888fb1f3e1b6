"""The auditor's workbench, as its pages: exceptions with counts by month, evidence packs
(JSON and the offline-checkable ZIP), a reproducible sample, the cross-checks. Read-only;
the auditor role over every unit, as the pages."""

from __future__ import annotations

from flask import Response
from werkzeug.exceptions import NotFound

from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.audit.canonical import HASHED_FIELDS, event_hash
from workflow_app.audit.cli import outside_copy_path
from workflow_app.auditor.api.schemas_workbench import (
    Change,
    CrossCheckOut,
    CrossChecksOut,
    EvidenceDocument,
    EvidenceEvent,
    EvidenceMinutes,
    EvidenceOut,
    EvidenceQuery,
    ExceptionOut,
    ExceptionsPage,
    ExceptionsQuery,
    MonthCount,
    SampledDossier,
    SampleOut,
    SampleQuery,
)
from workflow_app.auditor.service import (
    crosschecks,
    evidence,
    evidence_pdf,
    exceptions,
    labels,
    present,
    sampling,
)
from workflow_app.downloads import send_written
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.labels import actor_words

AUDITORS = ("auditor",)


def _filters(query) -> dict:
    return {k: v for k, v in query.model_dump(exclude={"cursor", "limit"}).items()
            if v not in (None, "")}


@operation("GET", "/audit/exceptions", summary="Exceptions: departures from the ordinary path",
           description="Eligibility overrides, quota exceptions, chair rulings, rule and "
                       "catalogue changes, returns and rejections, steps past their time "
                       "limit, revocations, documents reissued or removed, session changes, "
                       "failed sign-ins, role grants: who, when, the rule or limit concerned "
                       "and the reason; with counts by month.",
           tags=["audit"], roles=AUDITORS, query=ExceptionsQuery, response=ExceptionsPage)
def list_audit_exceptions(query: ExceptionsQuery) -> ExceptionsPage:
    filters = _filters(query)
    before = decode_cursor(query.cursor)
    locale = current_locale()
    items, next_before, limited = [], None, False
    if filters.get("kind") != exceptions.LATE:
        items, next_before = exceptions.page(db.session, {**filters, "before": before},
                                             locale, page_size=query.limit)
    if before is None and filters.get("kind") in (None, exceptions.LATE):
        late, limited = exceptions.late_steps(db.session, filters, locale)
        items = late + items
    months = exceptions.counts(db.session, filters) if filters.get("kind") != \
        exceptions.LATE else []
    return ExceptionsPage(
        items=[ExceptionOut(
            kind=x.kind, kind_label=x.kind_label, seq=x.row.seq if x.row else None,
            occurred_at=x.at_utc or None, occurred_at_local=x.at or None,
            actor=x.actor or None, action=x.row.action if x.row else None,
            action_label=x.row.action_label if x.row else None,
            subject_type=x.subject_type, subject_id=x.subject_id, subject=x.subject,
            rule=x.rule, reason=x.reason,
            changes=[Change(field=c.field, label=c.label, old=c.old, new=c.new)
                     for c in x.changes]) for x in items],
        counts=[MonthCount(month=m, counts=c, total=sum(c.values())) for m, c in months],
        next_cursor=encode_cursor(next_before) if next_before else None,
        late_steps_limited=limited)


def _pack(query: EvidenceQuery) -> evidence.Pack:
    try:
        return evidence.build(db.session, query.kind, query.id.strip(), current_locale(),
                              app_storage(ATTACHMENTS), app_storage(DOCUMENTS))
    except NotFound:
        raise ApiError(404, "not_found", labels.not_found_message()) from None


@operation("GET", "/audit/evidence", summary="Evidence pack of a dossier, decision or session",
           description="`kind` and `id` (a decision also by its reference, e.g. "
                       "12/QĐ-BTP). The events (hashes recomputed), "
                       "the documents checked against their audit events and stored bytes, "
                       "the signed minutes' verification and the covering checkpoint.",
           tags=["audit"], roles=AUDITORS, query=EvidenceQuery, response=EvidenceOut,
           errors=[404])
def get_audit_evidence(query: EvidenceQuery) -> EvidenceOut:
    pack = _pack(query)
    people = present.actor_names(db.session, pack.events)
    return EvidenceOut(
        kind=pack.kind, id=pack.ident, title=pack.title, ok=pack.ok,
        events=[EvidenceEvent(
            seq=e.seq, hash=e.hash, prev_hash=e.prev_hash, action=e.action,
            action_label=labels.action_label(e.action, current_locale()),
            occurred_at=present.utc_instant(e.occurred_at),
            actor=people.get(e.actor_id) or actor_words(e.actor_label),
            hash_ok=event_hash(e.prev_hash, {n: getattr(e, n) for n in HASHED_FIELDS})
            == e.hash) for e in pack.events],
        documents=[EvidenceDocument(
            label=d.label, filename=d.filename, sha256=d.sha256, recorded_sha256=d.recorded,
            recorded_in_seq=d.event_seq, stored_ok=d.stored_ok, ok=d.ok, problem=d.problem())
            for d in pack.documents],
        minutes=[EvidenceMinutes(session=name, signed=v.signed, ok=v.ok,
                                 problems=v.problems()) for name, v in pack.minutes],
        checkpoint=pack.checkpoint, checkpoint_problem=pack.checkpoint_problem)


@operation("GET", "/audit/evidence/pack", summary="Evidence pack as a ZIP checkable offline",
           description="evidence.pdf, evidence.json, documents/<sha256>, and the whole chain "
                       "export (events.jsonl, manifest.json, standalone_verify.py): run "
                       "`python3 standalone_verify.py .` in the unzipped folder.",
           tags=["audit"], roles=AUDITORS, query=EvidenceQuery, raw_content_type="application/zip",
           errors=[404])
def download_audit_evidence(query: EvidenceQuery) -> Response:
    pack = _pack(query)
    pdf = evidence_pdf.render(pack)
    return send_written(f"evidence-{pack.kind}-{pack.ident}.zip", "application/zip",
                        lambda target: evidence.pack_zip(db.session, pack, pdf, target,
                                                         outside_copy_path()))


@operation("GET", "/audit/sample", summary="A reproducible sample of decided dossiers",
           description="`random.Random(seed).sample(ids, size)` over the dossiers decided in "
                       "the period (and unit), by increasing number. Without `seed` a new one "
                       "is drawn and returned: give it again to get the same sample.",
           tags=["audit"], roles=AUDITORS, query=SampleQuery, response=SampleOut)
def sample_audit_dossiers(query: SampleQuery) -> SampleOut:
    seed = query.seed if query.seed is not None else sampling.new_seed()
    drawn = sampling.draw(db.session, _filters(query), query.size, seed)
    return SampleOut(seed=drawn.seed, size=drawn.size, population=drawn.population, items=[
        SampledDossier(id=d.id, nominee=d.nominee_name, unit=d.unit.name,
                       decision_number=d.decision_number, decision_date=d.decision_date)
        for d in drawn.dossiers])


@operation("GET", "/audit/crosschecks", summary="Run the cross-checks",
           description="Ballots against the register of participation; issued documents' "
                       "hashes against their audit events and stored files; dossier states "
                       "against their last event; registry awards against their decision or "
                       "audited entry. Each difference is named; writes nothing.",
           tags=["audit"], roles=AUDITORS, response=CrossChecksOut)
def run_audit_crosschecks() -> CrossChecksOut:
    results = crosschecks.run(db.session, app_storage(DOCUMENTS), current_locale())
    return CrossChecksOut(ok=all(r.ok for r in results), checks=[
        CrossCheckOut(code=r.code, label=r.label, checked=r.checked, ok=r.ok,
                      problems=r.problems, truncated=r.truncated) for r in results])
