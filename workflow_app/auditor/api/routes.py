"""The audit trail for auditors, as the auditor pages (`workflow_app/audit_ui/`): the log with
the same filters (keyset by `seq`, newest first), one event, a subject's history with its
diffs, "verify now" and the export. Read-only; the auditor role over any unit, as the pages.
"""

from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor, keyset_page
from workflow_app.audit.cli import outside_copy_path
from workflow_app.audit.export import write_zip
from workflow_app.audit.report import build_report, record_run
from workflow_app.auditor.api.schemas import (
    AuditEventDetail,
    AuditEventOut,
    AuditHistory,
    AuditLogQuery,
    AuditPage,
    ChainResult,
    FieldChange,
    HistoryQuery,
    VerifyOut,
)
from workflow_app.auditor.service import present, queries
from workflow_app.auditor.service.verification import summarise
from workflow_app.downloads import local_stamp, send_written
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.audit import AuditEvent

AUDITORS = ("auditor",)


def _readable(events: list[AuditEvent]) -> list[dict]:
    """Each event's fields with the words the page shows (one query per kind of name)."""
    rows = present.present(db.session, events, current_locale())
    return [{**AuditEventOut.model_validate(e).model_dump(), "occurred_at_local": r.at,
             "action_label": r.action_label, "subject_name": r.subject_name,
             "actor_name": r.actor, "from_label": r.from_label or None,
             "to_label": r.to_label or None} for e, r in zip(events, rows, strict=True)]


def _details(events: list[AuditEvent]) -> list[AuditEventDetail]:
    return [AuditEventDetail(**fields, changes=[
        FieldChange(field=name, old=old, new=new) for name, old, new in queries.changes_of(e)])
        for e, fields in zip(events, _readable(events), strict=True)]


@operation("GET", "/audit/events", summary="The audit log, newest first",
           description="The filters of the audit log page. `next_cursor` continues below "
                       "the last `seq` returned, so pages stay stable while events arrive.",
           tags=["audit"], roles=AUDITORS, query=AuditLogQuery, response=AuditPage)
def list_audit_events(query: AuditLogQuery) -> AuditPage:
    filters = query.model_dump(exclude={"cursor", "limit"})
    filters["before"] = decode_cursor(query.cursor)
    rows, next_before = queries.page(db.session, filters, page_size=query.limit)
    return AuditPage(items=[AuditEventOut(**fields) for fields in _readable(rows)],
                     next_cursor=encode_cursor(next_before) if next_before else None)


@operation("GET", "/audit/events/{seq}", summary="One audit event, with its recorded diff",
           tags=["audit"], roles=AUDITORS, response=AuditEventDetail, errors=[404])
def get_audit_event(seq: int) -> AuditEventDetail:
    return _details([db.get_or_404(AuditEvent, seq)])[0]


@operation("GET", "/audit/history", summary="Every event about one subject, oldest first",
           description="A dossier, user, unit, council session … with the field-level "
                       "changes each event recorded. 404 when nothing was ever recorded "
                       "about the subject.",
           tags=["audit"], roles=AUDITORS, query=HistoryQuery, response=AuditHistory,
           errors=[404])
def get_audit_history(query: HistoryQuery) -> AuditHistory:
    statement = queries.about_subject(query.subject_type, query.subject_id)
    rows, next_cursor = keyset_page(db.session, statement, AuditEvent.seq, query)
    if not rows and query.cursor is None:
        abort(404)
    return AuditHistory(subject_type=query.subject_type, subject_id=query.subject_id,
                        items=_details(rows), next_cursor=next_cursor)


@operation("GET", "/audit/verify", summary="Verify the audit trail now",
           description="Recomputes the hash chain (naming the first bad `seq`), checks the "
                       "signed checkpoints (also the copies kept outside the database) and "
                       "that every dossier's state matches its last event; writes nothing. "
                       "`POST /audit/verify` does the same and keeps the run.",
           tags=["audit"], roles=AUDITORS, response=VerifyOut)
def verify_audit_trail() -> VerifyOut:
    return _verify_out(build_report(db.session, outside_copy_path()))


@operation("POST", "/audit/verify", summary="Verify the audit trail now and keep the run",
           description="As `GET /audit/verify`, and the run (when, by whom, intact or not, "
                       "events checked, problems) is kept beside the chain, never in it: the "
                       "administrator's status page and `tdkt_audit_last_verification_*` "
                       "metrics show the latest run, as for the auditor page's \"verify now\" "
                       "and `flask audit verify`.",
           tags=["audit"], roles=AUDITORS, response=VerifyOut)
def record_audit_verification() -> VerifyOut:
    report = build_report(db.session, outside_copy_path())
    out = _verify_out(report)
    record_run(db.session, report, actor=current_user._get_current_object())
    db.session.commit()
    return out


def _verify_out(report) -> VerifyOut:
    summary = summarise(report, current_locale())
    chain = report.chain
    return VerifyOut(
        ok=report.ok,
        chain=ChainResult(ok=chain.ok, checked=chain.checked, first_bad_seq=chain.first_bad_seq,
                          reason=chain.reason, head_hash=chain.head_hash),
        checkpoints_checked=report.checkpoints_checked,
        checkpoint_problems=report.checkpoint_problems, state_problems=report.state_problems,
        lines=report.lines(), headline=summary.headline,
        summary=summary.problems + summary.lines)


@operation("GET", "/audit/export", summary="Export the audit trail (zip)",
           description="The same archive as the auditor page: events.jsonl (canonical JSON "
                       "Lines), manifest.json (count, head hash, checkpoints, hashing rule) "
                       "and standalone_verify.py for offline verification.",
           tags=["audit"], roles=AUDITORS, raw_content_type="application/zip")
def export_audit_trail() -> Response:
    return send_written(f"audit-export-{local_stamp(with_time=True)}.zip", "application/zip",
                        lambda out: write_zip(db.session, out))
