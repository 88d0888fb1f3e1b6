"""Words for the audit log: every action, subject kind and recorded field by a Vietnamese and
an English label (msgid in English, Vietnamese in translations/vi).

Adding an action: write `record(session, "family.what_happened", …)` in the capability, then
add one line to `ACTION_LABELS` below (or call `register_action_labels({...})` from the
capability's service at import time). `tests/auditor/test_action_labels.py` lists every action
the code can emit and fails on one without a label. Until it has one, the log shows the
family's label and the code ("Event on a dossier (dossier.xyz)"), never a bare code alone.

Transitions (`<subject kind>.<trigger>`: dossier, movement) take the transition's own label
from states/*.toml.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from workflow_app.workflow.definition import SUBJECT_KINDS
from workflow_app.workflow.registry import get_registry

# --- actions ----------------------------------------------------------------------------

ACTION_LABELS: dict[str, object] = {
    # dossiers (transitions come from states/*.toml)
    "dossier.created": _l("Dossier created"),
    "dossier.edited": _l("Dossier edited"),
    "dossier.document_added": _l("Document added to a dossier"),
    "dossier.document_removed": _l("Document removed from a dossier"),
    "batch.created": _l("Batch of dossiers created"),
    "batch.document_added": _l("Document added to a batch"),
    "batch.document_removed": _l("Document removed from a batch"),
    "eligibility.overridden": _l("Eligibility rule overridden"),
    "eligibility.exception_requested": _l("Exception to an eligibility rule asked for"),
    "eligibility.exception_granted": _l("Exception to an eligibility rule granted"),
    "eligibility.exception_refused": _l("Exception to an eligibility rule refused"),
    "quota.exception_recorded": _l("Quota exception recorded"),
    "review.checklist_saved": _l("Appraisal checklist saved"),
    "disclosure.comment_added": _l("Public comment or objection received"),
    "disclosure.objection_answered": _l("Objection answered"),
    # the emulation year (movement transitions come from states/movement.toml)
    "movement.created": _l("Emulation movement created"),
    "movement.updated": _l("Emulation movement changed"),
    "movement.registration_window": _l("Registration settings set (deadline, reopening, "
                                       "whether registration is required)"),
    "registration.saved": _l("Emulation registration saved"),
    "registration.nominations_opened": _l("Nominations opened from a registration"),
    "scoring.acclamation_proposed": _l("Acclamation proposed from a published ranking"),
    "inspection.recorded": _l("Inspection recorded"),
    "pact.saved": _l("Emulation pact saved"),
    "pact.signed": _l("Emulation pact signed"),
    "pact.next_year_elected": _l("Next year's cluster head and deputy named"),
    "scoring.table_created": _l("Scoring table created"),
    "scoring.self_scored": _l("Unit's own scores saved"),
    "scoring.assessor_scored": _l("Assessor's scores saved"),
    "scoring.locked": _l("Scoring table locked"),
    "scoring.published": _l("Scoring results published"),
    # council
    "council.created": _l("Council created"),
    "council.rules_changed": _l("Council's voting rules changed"),
    "council.member_added": _l("Council member added"),
    "council.member_term_ended": _l("Council member's term ended"),
    "council.member_role_changed": _l("Council member's role changed"),
    "council.session_scheduled": _l("Council session scheduled"),
    "council.session_changed": _l("Council session changed"),
    "council.session_cancelled": _l("Council session cancelled"),
    "council.session_ended": _l("Council session ended"),
    "council.item_added": _l("Item added to the agenda"),
    "council.item_removed": _l("Item removed from the agenda"),
    "council.item_held": _l("Agenda item held over"),
    "council.dossier_scheduled": _l("Dossier put on a council session's agenda"),
    "council.dossier_unscheduled": _l("Dossier taken off a council session's agenda"),
    "council.attendance_recorded": _l("Attendance recorded"),
    "council.round_opened": _l("Voting round opened"),
    "council.round_closed": _l("Voting round closed"),
    "council.ballot_cast": _l("Ballot cast"),
    "council.written_vote_entered": _l("Written vote entered"),
    "council.tallied": _l("Votes tallied"),
    "council.chair_ruling": _l("Chair's ruling"),
    "council.recused_automatically": _l("Member recused automatically"),
    "council.conflict_declared": _l("Conflict of interest declared"),
    "council.conflict_decided": _l("Conflict of interest decided"),
    "council.minutes_signed": _l("Minutes signed"),
    # acclamation (suy tôn) in clusters
    "acclamation.conference_opened": _l("Acclamation conference opened"),
    "acclamation.contest_opened": _l("Acclamation contest opened"),
    "acclamation.candidates_set": _l("Acclamation candidates named"),
    "acclamation.vote_recorded": _l("Acclamation vote recorded"),
    "acclamation.closed": _l("Acclamation closed"),
    "acclamation.nominated": _l("Nominated by the cluster's acclamation"),
    # decisions, letters, revocations, registry
    "decision.issued": _l("Decision issued"),
    "submission.issued": _l("Submission letter issued"),
    "decision.signed_pdf_recorded": _l("Digitally signed PDF of the decision recorded"),
    "submission.signed_pdf_recorded": _l("Digitally signed PDF of the submission letter "
                                         "recorded"),
    "trust.certificate_added": _l("Certificate added for validating digital signatures"),
    "trust.certificate_removed": _l("Certificate removed from validating digital signatures"),
    "numbering.series_continued": _l("Document numbering continued from paper"),
    "revocation.proposed": _l("Revocation proposed"),
    "revocation.dismissed": _l("Revocation proposal dismissed"),
    "revocation.issued": _l("Revocation decision issued"),
    "revocation.recorded": _l("Higher authority's revocation recorded"),
    "revocation.recovered": _l("Revoked award recovered"),
    "registry.conferred": _l("Award entered in the registry from a decision"),
    "registry.revoked": _l("Award revoked in the registry"),
    "registry.entered": _l("Registry entry made by hand"),
    "registry.imported": _l("Registry imported from a file"),
    # catalogue
    "catalogue.version_added": _l("Award rule version added"),
    "catalogue.version_changed": _l("Award rule version changed"),
    "catalogue.version_revised": _l("Award rule version replaced by a new version from a date"),
    "catalogue.version_restored": _l("Award rule version restored"),
    "catalogue.version_withdrawn": _l("Award rule version withdrawn"),
    # organisation
    "unit.created": _l("Unit created"),
    "unit.updated": _l("Unit changed"),
    "cluster.created": _l("Emulation cluster created"),
    "cluster.membership_set": _l("Cluster membership set"),
    "cluster.membership_removed": _l("Cluster membership removed"),
    "person.created": _l("Person added"),
    # accounts and sign-in
    "user.created": _l("Account created"),
    "user.enabled": _l("Account enabled"),
    "user.disabled": _l("Account disabled"),
    "user.role_granted": _l("Role granted"),
    "user.role_revoked": _l("Role revoked"),
    "user.totp_reset": _l("Two-step sign-in reset"),
    "auth.login_succeeded": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.logout": _l("Signed out"),
    "auth.password_changed": _l("Password changed"),
    "auth.totp_enrolled": _l("Two-step sign-in turned on"),
    "auth.totp_disabled": _l("Two-step sign-in turned off"),
    "auth.reauth_failed": _l("Confirmation of identity failed"),
    "auth.reauth_code_reused": _l("One-time code used twice"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    # reorganisations of units (org/service/reorg.py) and people's transfers
    "org.renamed": _l("Unit renamed"),
    "org.moved": _l("Unit moved under another unit"),
    "org.merged": _l("Units merged"),
    "org.split": _l("Unit split"),
    "org.dissolved": _l("Unit dissolved"),
    "org.created": _l("Unit established"),
    "org.reversed": _l("Reorganisation reversed"),
    "org.imported": _l("Reorganisations imported from a file"),
    "org.history_rule_set": _l("Rule on predecessors' years set"),
    "person.transferred": _l("Person transferred to another unit"),
    "system.backup_created": _l("Backup made"),
    "system.upgraded": _l("Database upgraded to a new version"),
    "outbox.retried": _l("Failed e-mail queued again"),
    # webhooks
    "webhook.subscription_created": _l("Webhook subscription created"),
    "webhook.subscription_paused": _l("Webhook subscription paused"),
    "webhook.subscription_resumed": _l("Webhook subscription resumed"),
    "webhook.delivery_resent": _l("Webhook delivery sent again"),
}

# The family (text before the first dot) of an action without its own label.
FAMILY_LABELS: dict[str, object] = {
    "dossier": _l("Event on a dossier"),
    "batch": _l("Event on a batch"),
    "eligibility": _l("Eligibility event"),
    "quota": _l("Quota event"),
    "review": _l("Appraisal event"),
    "disclosure": _l("Public disclosure event"),
    "council": _l("Council event"),
    "acclamation": _l("Acclamation event"),
    "decision": _l("Decision event"),
    "submission": _l("Submission event"),
    "numbering": _l("Numbering event"),
    "trust": _l("Digital signature trust event"),
    "revocation": _l("Revocation event"),
    "registry": _l("Registry event"),
    "catalogue": _l("Award catalogue event"),
    "unit": _l("Unit event"),
    "cluster": _l("Cluster event"),
    "person": _l("Person event"),
    "user": _l("Account event"),
    "auth": _l("Sign-in event"),
    "api_token": _l("API token event"),
    "movement": _l("Emulation movement event"),
    "registration": _l("Registration event"),
    "inspection": _l("Inspection event"),
    "pact": _l("Emulation pact event"),
    "scoring": _l("Scoring event"),
    "report": _l("Report event"),
    "system": _l("System operation"),
    "outbox": _l("E-mail outbox event"),
    "webhook": _l("Webhook event"),
}

SUBJECT_LABELS: dict[str, object] = {
    "dossier": _l("Dossier"),
    "batch": _l("Batch"),
    "user": _l("Account"),
    "account": _l("Account (by username)"),
    "unit": _l("Unit"),
    "org_unit": _l("Unit (quotas, numbering)"),
    "cluster": _l("Emulation cluster"),
    "person": _l("Person"),
    "decision": _l("Decision"),
    "submission_letter": _l("Submission letter"),
    "trust_certificate": _l("Certificate for digital signatures"),
    "revocation": _l("Revocation"),
    "award_record": _l("Registry award"),
    "award_version": _l("Award rule version"),
    "registry": _l("Registry import"),
    "initiative": _l("Initiative"),
    "performance_rating": _l("Performance rating"),
    "unit_rating": _l("Unit rating"),
    "council": _l("Council"),
    "council_session": _l("Council session"),
    "council_round": _l("Voting round"),
    "acclamation_conference": _l("Acclamation conference"),
    "acclamation_contest": _l("Acclamation contest"),
    "movement": _l("Emulation movement"),
    "pact": _l("Emulation pact"),
    "score_table": _l("Scoring table"),
    "system": _l("System"),
    "webhook_subscription": _l("Webhook subscription"),
}

# Fields recorded in events' data and diffs (dossier fields come from dossiers' labels).
FIELD_LABELS: dict[str, object] = {
    "reason": _l("Reason"),
    # webhooks and the e-mail outbox
    "url": _l("Receiver's address"),
    "events": _l("Events sent"),
    "description": _l("Description"),
    "delivery_id": _l("Delivery"),
    "audit_seq": _l("Audit event number"),
    "previous": _l("Before"),
    "messages": _l("Messages"),
    "message_id": _l("Message"),
    "name": _l("Name"),
    "name_en": _l("Name in English"),
    "code": _l("Code"),
    "kind": _l("Kind"),
    "symbol": _l("Symbol"),
    "parent_id": _l("Parent unit"),
    "path": _l("Place in the organisation"),
    "is_active": _l("Active"),
    "held_on": _l("Meeting date"),
    "place": _l("Place"),
    "title": _l("Title"),
    "checked": _l("Checked"),
    "note": _l("Note"),
    "open_objection_count": _l("Open objections"),
    "state": _l("State"),
    "version": _l("Version"),
    "vote_outcome": _l("Vote outcome"),
    "council_scheduled_on": _l("Council date"),
    "quorum_ratio": _l("Quorum ratio"),
    "quorum_comparator": _l("Quorum comparison"),
    "recuse_nominee_unit": _l("Recuse members of the nominee's unit"),
    "role": _l("Role"),
    "unit_id": _l("Unit"),
    "rule": _l("Rule"),
    "reference": _l("Number"),
    "issued_on": _l("Issued on"),
    "sha256": _l("File hash (SHA-256)"),
    "filename": _l("File name"),
    "doc_type": _l("Document type"),
}


# The reason a failed sign-in records (accounts/service/signin.py), in words.
SIGN_IN_REASONS: dict[str, object] = {
    "bad_credentials": _l("wrong username or password"),
    "disabled": _l("account disabled"),
    "bad_code": _l("wrong two-factor code"),
}


def reason_words(action: str, reason: str) -> str:
    """An event's recorded reason as people read it: a failed sign-in's code in words."""
    if action == "auth.login_failed" and reason in SIGN_IN_REASONS:
        return str(SIGN_IN_REASONS[reason])
    return reason


def register_action_labels(labels: Mapping[str, object]) -> None:
    """Add labels for a capability's actions (lazy_gettext strings), e.g. from its service."""
    ACTION_LABELS.update(labels)


def _transition_label(kind: str, trigger: str, locale: str) -> str | None:
    """The label of a transition of a workflow driving `kind` (dossier, movement …)."""
    for definition in get_registry().for_subject(kind):
        for transition in definition.transitions:
            if transition.trigger == trigger:
                return transition.label(locale)
    return None


def known_action(action: str) -> bool:
    """Whether `action` has its own label (the test of every emitted action uses this)."""
    if action in ACTION_LABELS:
        return True
    kind, _dot, trigger = action.partition(".")
    return kind in SUBJECT_KINDS and _transition_label(kind, trigger, "en") is not None


def action_label(action: str, locale: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    kind, _dot, trigger = action.partition(".")
    if kind in SUBJECT_KINDS:
        label = _transition_label(kind, trigger, locale)
        if label is not None:
            return label
    family = FAMILY_LABELS.get(action.partition(".")[0])
    return f"{family if family is not None else _l('Event')} ({action})"


def subject_type_label(subject_type: str) -> str:
    label = SUBJECT_LABELS.get(subject_type)
    return str(label) if label is not None else subject_type


def state_label(state: str | None, locale: str) -> str:
    """A state's label from the first workflow defining it (both share their states' ids)."""
    if not state:
        return ""
    for definition in get_registry():
        if state in definition.states:
            return definition.state(state).label(locale)
    return state


def action_choices(locale: str) -> list[tuple[str, str]]:
    """(code, label) of every labelled action, by label: the log's action filter."""
    codes = set(ACTION_LABELS)
    for definition in get_registry():
        codes.update(f"dossier.{t.trigger}" for t in definition.transitions)
    return sorted(((code, action_label(code, locale)) for code in codes),
                  key=lambda pair: pair[1].lower())


def subject_choices() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for code in SUBJECT_LABELS:
        seen.setdefault(code, subject_type_label(code))
    return sorted(seen.items(), key=lambda pair: pair[1].lower())


def not_found_message() -> str:
    return str(_l("Nothing of this kind has that number."))
