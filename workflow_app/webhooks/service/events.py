"""Which audit events integrators can subscribe to, and what a webhook's body says.

The audit trail is the queue of events: each change writes its audit event in its own
transaction (audit/chain.py), numbered without gaps under the chain head's lock, so an event
the worker can read has committed, and the change with it — a rolled-back change was never
an event. Reading the chain after a cursor therefore misses nothing and invents nothing, and
adds no statement to the change itself (issue 16's statement budget per transition).

The body follows the Standard Webhooks shape: `{"type", "timestamp", "data"}`. `data` holds
the subject (kind and id), the audit event's number (`audit_seq`, to look it up through
/api/v1/audit/events/{seq}) and the facts an integrator needs to avoid retyping: numbers,
dates, ids. Never a name, a comment or a reason: a receiver that needs more asks the API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_

from workflow_app.models.audit import AuditEvent

# kind → its label for people (the subscription form, the delivery log).
EVENT_KINDS: Mapping[str, object] = {
    "dossier.state_changed": _l("Dossier state changed"),
    "decision.issued": _l("Decision issued"),
    "minutes.signed": _l("Council minutes signed"),
    "award.recorded": _l("Award recorded in the registry"),
    "award.revoked": _l("Award revoked"),
}

# audit action → (event kind, the audit data fields the body carries)
ACTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "decision.issued": ("decision.issued", ("reference", "issued_on", "issuer_unit_id",
                                            "dossier_ids", "pdf_sha256")),
    "council.minutes_signed": ("minutes.signed", ("minutes_id", "reference", "pdf_sha256")),
    "registry.conferred": ("award.recorded", ("dossier_id", "award", "year", "decision_number",
                                              "decision_date", "person_id", "unit_id")),
    "registry.entered": ("award.recorded", ("award", "year", "decision_number",
                                            "decision_date", "issuer", "person_id",
                                            "unit_id")),
    "revocation.issued": ("award.revoked", ("reference", "issued_on", "award_record_id",
                                            "dossier_id")),
    "revocation.recorded": ("award.revoked", ("reference", "decided_on", "award_record_id",
                                              "dossier_id")),
}


def candidates():
    """The SQL condition on audit_event that every subscribed event meets (refined by
    `kind_of`)."""
    return or_(and_(AuditEvent.subject_type == "dossier", AuditEvent.from_state.is_not(None),
                    AuditEvent.to_state.is_not(None)),
               AuditEvent.action.in_(tuple(ACTIONS)))


def kind_of(event: AuditEvent) -> str | None:
    """The event kind of an audit event, None when no subscriber can ask for it."""
    if event.subject_type == "dossier" and event.from_state and event.to_state:
        return "dossier.state_changed"
    spec = ACTIONS.get(event.action)
    if spec is None:
        return None
    if event.action == "registry.entered" and (event.data or {}).get("kind") != "award":
        return None  # ratings entered by hand are not awards
    return spec[0]


def body(event: AuditEvent, kind: str) -> str:
    """The JSON body of the webhook for `event`, exactly as it will be signed and sent."""
    data: dict = {"audit_seq": event.seq, "action": event.action,
                  "subject": {"type": event.subject_type, "id": event.subject_id}}
    if kind == "dossier.state_changed":
        data.update({"dossier_id": int(event.subject_id), "from_state": event.from_state,
                     "to_state": event.to_state, "trigger": event.action.partition(".")[2],
                     "version": (event.data or {}).get("version")})
    else:
        fields = ACTIONS[event.action][1]
        data.update({k: v for k, v in (event.data or {}).items() if k in fields})
    return json.dumps({"type": kind, "timestamp": event.occurred_at.isoformat(), "data": data},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
