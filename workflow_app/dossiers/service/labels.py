"""Translated names for what dossier pages show: commendation types, document types, states,
actions, edited fields, and the colour of each state's badge."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflow_app.workflow.documents import DOCUMENT_LABELS
from workflow_app.workflow.registry import get_registry

# Loại hình khen thưởng, Law 2022 Art. 8 (LEGAL_FACTS §2.1, §9).
COMMENDATION_TYPE_LABELS = {
    "CONG_TRANG": _l("Merit (công trạng)"),
    "DOT_XUAT": _l("Ad hoc achievement (đột xuất)"),
    "PHONG_TRAO": _l("Emulation movement or thematic (phong trào, chuyên đề)"),
    "CONG_HIEN": _l("Service period (quá trình cống hiến)"),
    "NIEN_HAN": _l("Seniority (niên hạn)"),
    "DOI_NGOAI": _l("External affairs (đối ngoại)"),
}

# Document types a submitter may attach: the codes of LEGAL_FACTS §9 that a unit prepares,
# plus "KHAC" for other supporting papers. Decisions and revocation files are not uploaded
# by submitters.
SUBMITTER_DOCUMENT_TYPES = (
    "TO_TRINH", "BAO_CAO_THANH_TICH", "BAO_CAO_TOM_TAT_THANH_TICH", "BIEN_BAN_BINH_XET",
    "BIEN_BAN_HOI_DONG", "XAC_NHAN_SANG_KIEN", "XAC_NHAN_DE_TAI",
    "XAC_NHAN_THANH_TICH_DOT_XUAT", "FILE_DIEN_TU", "KHAC",
)
EXTRA_DOCUMENT_LABELS = {"KHAC": _l("Other supporting document")}

FIELD_LABELS = {
    "title": _l("Dossier title"),
    "summary": _l("Achievement summary"),
    "report_sections": _l("Achievement report"),
    "award_id": _l("Award"),
    "commendation_type": _l("Commendation type"),
    "year": _l("Year"),
    "year_from": _l("From year"),
    "movement_reference": _l("Emulation movement or plan"),
    "received_at": _l("Received on"),
    "award_version_id": _l("Rule version"),
    "decision_number": _l("Decision number"),
    "decision_date": _l("Decision date"),
    "forward_reference": _l("Submission to the higher authority"),
    "disclosure_started_on": _l("Disclosure opened on"),
    "disclosure_ends_on": _l("Disclosure ends on"),
    "document_number": _l("Document number"),
    "document_date": _l("Document date"),
}

# Events of a dossier that are not transitions.
EVENT_LABELS = {
    "dossier.created": _l("Dossier created"),
    "dossier.edited": _l("Dossier edited"),
    "dossier.document_added": _l("Document added"),
    "dossier.document_removed": _l("Document removed"),
    # Events other services write on a dossier: without a label the timeline would show the
    # raw action code to the submitter.
    "eligibility.overridden": _l("Eligibility rule overridden by the reviewer"),
    "eligibility.exception_requested": _l("Exception to an eligibility rule asked for"),
    "eligibility.exception_granted": _l("Exception to an eligibility rule granted"),
    "eligibility.exception_refused": _l("Exception to an eligibility rule refused"),
    "review.checklist_saved": _l("Appraisal checklist saved"),
    "disclosure.comment_added": _l("Public comment or objection received"),
    "disclosure.objection_answered": _l("Objection answered"),
    "council.dossier_scheduled": _l("Put on a council session's agenda"),
    "council.dossier_unscheduled": _l("Taken off a council session's agenda"),
    "acclamation.nominated": _l("Nominated by the cluster's acclamation"),
}

STATE_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "in_appraisal": "text-bg-primary",
    "returned": "text-bg-warning",
    "public_disclosure": "text-bg-info",
    "awaiting_council": "text-bg-info",
    "in_voting": "text-bg-info",
    "council_approved": "text-bg-success",
    "appraised": "text-bg-success",
    "forwarded": "text-bg-info",
    "decided": "text-bg-success",
    "revocation_proposed": "text-bg-warning",
    "revoked": "text-bg-dark",
    "council_rejected": "text-bg-danger",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-dark",
}


def commendation_type_label(code: str) -> str:
    label = COMMENDATION_TYPE_LABELS.get(code)
    return str(label) if label is not None else code


def doc_type_label(code: str) -> str:
    label = DOCUMENT_LABELS.get(code) or EXTRA_DOCUMENT_LABELS.get(code)
    return str(label) if label is not None else code


def field_label(name: str) -> str:
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name


def state_label(workflow: str, state: str | None, locale: str) -> str:
    """The state's label from its workflow definition, in `locale`."""
    if not state:
        return ""
    definition = get_registry().get(workflow)
    if state in definition.states:
        return definition.state(state).label(locale)
    return state


def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-secondary")


def all_states(locale: str) -> list[tuple[str, str]]:
    """(id, label) of every state of every workflow, first seen first (for the list filter)."""
    seen: dict[str, str] = {}
    for definition in get_registry():
        for state in definition.states.values():
            seen.setdefault(state.id, state.label(locale))
    return list(seen.items())


def action_label(workflow: str, action: str, locale: str) -> str:
    """The label of an audit action on a dossier: a transition's own label, or a known event."""
    if action in EVENT_LABELS:
        return str(EVENT_LABELS[action])
    trigger = action.removeprefix("dossier.")
    definition = get_registry().get(workflow)
    for transition in definition.transitions:
        if transition.trigger == trigger:
            return transition.label(locale)
    return action


def procedure_label(workflow: str, locale: str) -> str:
    return get_registry().get(workflow).label(locale)
