"""The authorization matrix: every role × every operation of the OpenAPI document × an object
of another unit → 403 or 404, and none of that object's data in the answer.

Callers hold one role each over unit A (and one holds none); every object is unit B's
(`authz_world.py`). The operations come from the registered spec, so new ones are covered
as they are added, and fail here until they have

- an entry in MATRIX (by operationId): SCOPED when no caller of another unit may reach the
  object, or `open_to(roles, why=…)` for the roles that do by design (auditors read every
  dossier, the unit tree is open to all …): their reads may answer 2xx (and show the data,
  unless `reveals=` narrows who may see it); their mutations are not called here;
- a kind for each path parameter in PARAM_KINDS (parameter → object kind; "parent.param"
  when the same name means another kind under another parent).

What is asserted, per role and operation: never a 5xx; none of unit B's secrets in the
answer; and when the path names unit B's object, 403 or 404 — when only the body does
(`unit_id`, `person_ids` … are filled with unit B's objects by `authz_bodies.py`), 403,
404, 409, or a 422 about exactly those fields. Lists and searches are called with filters
naming unit B's objects and its secret words: they may answer, without its data. A read of
unit B's object by unit B's own insider must answer 200, so that no case passes because
the path named nothing. One app and one database per database variant: the world is built
once, then every case runs in it (as subtests, each reported on its own).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from tests.support.api_fixtures import error_code
from tests.support.authz_bodies import minimal, request_kwargs
from tests.support.authz_world import CALLER_ROLES, Makers, World, build_world
from workflow_app.api import _import_routes
from workflow_app.api.operations import MUTATING, OPERATIONS, Operation

# Path parameters (and body or query fields) → the kind of unit B's object they name.
PARAM_KINDS = {
    "unit_id": "unit", "parent_id": "unit", "organiser_unit_id": "unit",
    "person_id": "person", "person_ids": "person", "nominee_person_id": "person",
    "nominee_unit_id": "unit",
    "dossier_id": "dossier", "dossier_ids": "dossier",
    "document_id": "document", "batch_id.document_id": "batch_document",
    "batch_id": "batch", "comment_id": "comment", "seq": "audit_event",
    "user_id": "user", "grant_id": "grant",
    "cluster_id": "cluster", "membership_id": "membership",
    "council_id": "council", "member_id": "member", "session_id": "session",
    "item_id": "item", "recusal_id": "recusal", "round_id": "round",
    "conference_id": "conference", "contest_id": "contest",
    "decision_id": "decision", "decision_id.item_id": "decision_item",
    "record_id": "award_record", "entry_id": "award_record", "award_record_id": "award_record",
    "revocation_id": "revocation", "letter_id": "letter",
    "request_id": "exception_request",
    "code": "award", "trigger": "trigger", "movement_id": "movement",
    "movement_id.kind": "review_kind",
    "table_id": "score_table", "pact_id": "pact",
    "certificate_id": "trust_certificate",
    "unit_ids": "unit", "successor_ids": "unit", "heir_ids": "unit", "new_parent_id": "unit",
    "event_id": "org_event", "to_unit_id": "unit", "body_unit_id": "unit",
    "q": "search_text",  # searches look for unit B's secret words
    "subscription_id": "webhook_subscription", "delivery_id": "webhook_delivery",
}
# Kinds that are not unit B's objects (the catalogue is shared; a trigger is a word; webhook
# subscriptions and trust certificates belong to no unit: administrators only, refused to
# the others in tests/webhooks/ and tests/decisions/test_signed_pdf_pages.py).
GLOBAL_KINDS = {"award", "trigger", "review_kind", "webhook_subscription", "webhook_delivery",
                "trust_certificate"}
ALL = frozenset(CALLER_ROLES)


@dataclass(frozen=True)
class Entry:
    open_to: frozenset[str] = frozenset()  # may reach unit B's object, by design
    why: str = ""
    reveals: frozenset[str] | None = None  # may see its data (default: open_to)
    params: dict[str, str] = field(default_factory=dict)  # per-operation kind overrides

    def may_see(self, role: str) -> bool:
        return role in (self.open_to if self.reveals is None else self.reveals)


SCOPED = Entry()


def open_to(*roles: str, why: str, reveals: tuple[str, ...] | None = None) -> Entry:
    chosen = ALL if roles == ("*",) else frozenset(roles)
    return Entry(chosen, why, None if reveals is None else frozenset(reveals))


ADMIN_EVERYWHERE = "admins manage accounts, units and clusters over every unit (admin pages)"
AUDITOR_READS = "auditors read every dossier and batch, read-only (dossiers.access)"
PEOPLE_SEEN = "admins and auditors see every person (org.scope)"
WEBHOOKS = "administrators manage webhook subscriptions, which belong to no unit"

MATRIX: dict[str, Entry] = {
    # Organisation and catalogue: the tree and clusters are open; persons are personal data.
    "list_units": open_to("*", why="unit names are not personal data"),
    "get_unit": open_to("*", why="the unit tree is open; its people only within scope",
                        reveals=("admin", "auditor")),
    "list_persons": open_to("admin", "auditor", why=PEOPLE_SEEN),
    "get_person": open_to("admin", "auditor", why=PEOPLE_SEEN),
    "list_clusters": open_to("*", why="clusters and blocks are open to every signed-in user"),
    "get_cluster": open_to("*", why="clusters and blocks are open to every signed-in user"),
    "list_awards": SCOPED, "get_award": SCOPED, "reload_catalogue": SCOPED,
    "get_me": SCOPED, "list_notifications": SCOPED, "mark_all_read": SCOPED,
    "get_my_dashboard": SCOPED,
    # Administration.
    "list_users": open_to("admin", why=ADMIN_EVERYWHERE),
    "get_user": open_to("admin", why=ADMIN_EVERYWHERE),
    "create_user": open_to("admin", why=ADMIN_EVERYWHERE),
    "grant_role": open_to("admin", why=ADMIN_EVERYWHERE),
    "revoke_role": open_to("admin", why=ADMIN_EVERYWHERE),
    "set_user_active": open_to("admin", why=ADMIN_EVERYWHERE),
    "reset_user_totp": open_to("admin", why=ADMIN_EVERYWHERE),
    "create_unit": open_to("admin", why=ADMIN_EVERYWHERE),
    "update_unit": open_to("admin", why=ADMIN_EVERYWHERE),
    "create_cluster": open_to("admin", why=ADMIN_EVERYWHERE),
    "set_cluster_membership": open_to("admin", why=ADMIN_EVERYWHERE),
    "remove_cluster_membership": open_to("admin", why=ADMIN_EVERYWHERE),
    "list_webhook_subscriptions": open_to("admin", why=WEBHOOKS),
    "create_webhook_subscription": open_to("admin", why=WEBHOOKS),
    "set_webhook_subscription_active": open_to("admin", why=WEBHOOKS),
    "list_webhook_deliveries": open_to("admin", why=WEBHOOKS),
    "resend_webhook_delivery": open_to("admin", why=WEBHOOKS),
    "list_trust_certificates": open_to("admin", why=ADMIN_EVERYWHERE),
    "add_trust_certificate": open_to("admin", why=ADMIN_EVERYWHERE),
    "remove_trust_certificate": open_to("admin", why=ADMIN_EVERYWHERE),
    "preview_reorganisation": open_to("admin", why=ADMIN_EVERYWHERE),
    "apply_reorganisation": open_to("admin", why=ADMIN_EVERYWHERE),
    "reverse_reorganisation": open_to("admin", why=ADMIN_EVERYWHERE),
    "transfer_person": open_to("admin", why=ADMIN_EVERYWHERE),
    "list_history_rules": open_to("admin", why=ADMIN_EVERYWHERE),
    "set_history_rule": open_to("admin", why=ADMIN_EVERYWHERE),
    "get_unit_life": open_to("*", why="a unit's names, parents and reorganisations are "
                                      "not personal data (the unit page)"),
    # The audit trail: auditors read all of it.
    "list_audit_events": open_to("auditor", why="the audit trail is the auditors'"),
    "get_audit_event": open_to("auditor", why="the audit trail is the auditors'"),
    "get_audit_history": open_to("auditor", why="the audit trail is the auditors'"),
    "verify_audit_trail": open_to("auditor", why="the audit trail is the auditors'"),
    "record_audit_verification": open_to("auditor", why="the audit trail is the auditors'"),
    "export_audit_trail": open_to("auditor", why="the audit trail is the auditors'"),
    "list_audit_exceptions": open_to("auditor", why="the audit trail is the auditors'"),
    "get_audit_evidence": open_to("auditor", why="the audit trail is the auditors'"),
    "download_audit_evidence": open_to("auditor", why="the audit trail is the auditors'"),
    "sample_audit_dossiers": open_to("auditor", why="the audit trail is the auditors'"),
    "run_audit_crosschecks": open_to("auditor", why="the audit trail is the auditors'"),
    # Dossiers, documents, batches.
    "list_dossiers": open_to("auditor", why=AUDITOR_READS),
    "get_dossier": open_to("auditor", why=AUDITOR_READS),
    "get_eligibility": open_to("auditor", why=AUDITOR_READS),
    "list_documents": open_to("auditor", why=AUDITOR_READS),
    "download_document": open_to("auditor", why=AUDITOR_READS),
    "create_dossier": SCOPED, "edit_dossier": SCOPED, "fire_transition": SCOPED,
    "upload_document": SCOPED, "remove_document": SCOPED,
    "list_batches": open_to("auditor", why=AUDITOR_READS),
    "get_batch": open_to("auditor", why=AUDITOR_READS),
    "download_batch_document": open_to("auditor", why=AUDITOR_READS),
    "create_batch": SCOPED, "upload_batch_document": SCOPED,
    "remove_batch_document": SCOPED, "submit_batch": SCOPED,
    # Review and public disclosure.
    "review_queue": SCOPED, "get_checklist": SCOPED, "save_checklist": SCOPED,
    "list_comments": SCOPED, "answer_objection": SCOPED,
    "list_disclosures": open_to("*", why="a nomination under public disclosure is public"),
    "get_disclosure": open_to("*", why="a nomination under public disclosure is public"),
    # Councils: every role, auditors and admins too, only over the council's unit.
    **dict.fromkeys((
        "list_councils", "get_council", "create_council", "set_council_rules", "seat_member",
        "end_member_term", "change_member_role",
        "list_council_sessions", "get_council_session", "schedule_council_session",
        "change_council_session", "cancel_council_session",
        "list_eligible_dossiers", "add_agenda_item", "remove_agenda_item",
        "record_council_attendance", "record_quota_decision", "end_council_session",
        "open_council_round", "get_council_round", "close_council_round",
        "declare_council_conflict", "decide_council_conflict", "hold_council_item",
        "rule_council_item", "get_my_ballot_paper", "cast_my_ballot", "get_written_paper",
        "check_my_receipt",
        "enter_written_vote", "get_council_minutes", "download_council_minutes_docx",
        "download_council_minutes_pdf", "verify_council_minutes", "sign_council_minutes",
        "list_acclamation_conferences", "get_acclamation_conference",
        "open_acclamation_conference", "open_acclamation_contest", "get_acclamation_contest",
        "record_acclamation_paper", "close_acclamation_contest", "open_acclamation_nominations",
        "set_acclamation_candidates",
    ), SCOPED),
    # The registry and eligibility: persons are scoped; a unit's own record is open.
    "search_registry": open_to("admin", "auditor", why=PEOPLE_SEEN),
    "get_person_history": open_to("admin", "auditor", why=PEOPLE_SEEN),
    "get_person_eligibility": open_to("admin", "auditor", why=PEOPLE_SEEN),
    **dict.fromkeys(("get_unit_history", "get_unit_eligibility", "get_unit_quotas"), open_to(
        "*", why="a unit's own awards, ratings and quotas are open (registry unit page)",
        reveals=("admin", "auditor"))),
    "download_import_template": SCOPED, "import_registry": SCOPED,
    # Search: persons as on the registry, dossiers as on their list, decisions as may_read.
    "search": open_to("admin", "auditor", why=PEOPLE_SEEN + "; " + AUDITOR_READS),
    # XLSX exports of lists: each scoped exactly as the list or page it exports.
    "export_dossiers": open_to("auditor", why=AUDITOR_READS),
    "export_review_queue": SCOPED, "export_decision_annex": SCOPED,
    "export_council_tallies": SCOPED,
    "export_person_registry": open_to("admin", "auditor", why=PEOPLE_SEEN),
    "export_unit_registry": open_to(
        "*", why="a unit's own awards and ratings are open (registry unit page)",
        reveals=("admin", "auditor")),
    "enter_person_award": SCOPED, "enter_person_rating": SCOPED,
    "enter_person_initiative": SCOPED, "enter_unit_award": SCOPED, "enter_unit_rating": SCOPED,
    "override_eligibility_rule": SCOPED, "record_quota_exception": SCOPED,
    "ask_for_exception": SCOPED, "waiting_exception_requests": SCOPED,
    "answer_exception_request": SCOPED,
    # Decisions, tờ trình, revocations: read over the issuing (or the award's) unit only.
    **dict.fromkeys((
        "list_decisions", "draft_decision", "list_ready_to_sign", "get_decision",
        "download_certificate", "download_decision_docx", "download_decision_pdf",
        "issue_decision", "preview_decision",
        "list_awaiting", "draft_submission", "list_ready_to_forward", "record_higher_decision",
        "record_higher_refusal", "list_submission_letters", "get_submission_letter",
        "download_letter_docx", "download_letter_pdf", "forward_dossiers",
        "list_revocations", "get_revocation", "draft_revocation_decision", "propose_revocation",
        "issue_revocation_decision", "dismiss_revocation", "record_higher_revocation",
        "preview_revocation_decision", "record_recovery",
        "upload_signed_decision", "get_signed_decision", "upload_signed_letter",
        "get_signed_letter", "agency_sign_decision", "agency_sign_letter",
    ), SCOPED),
    # Emulation movements: plans are public documents of the sector; the organiser writes.
    **dict.fromkeys(("list_movements", "get_movement"), open_to(
        "*", why="movements and plans are public documents of the sector")),
    **dict.fromkeys(("create_movement", "update_movement", "fire_movement_action",
                     "set_registration_settings"), SCOPED),
    **dict.fromkeys(("get_score_table", "get_score_sheet"), open_to(
        "auditor", why="auditors read every score table (scoring.access.may_read)")),
    **dict.fromkeys(("create_score_table", "save_score_sheet", "lock_score_table",
                     "publish_score_table"), SCOPED),
    **dict.fromkeys(("list_registrations", "export_registrations"), open_to(
        "*", why="the movement is public; each caller sees only its own units' registrations",
        reveals=("auditor",))),
    "get_pact": open_to("*", why="a cluster's pact is a public document of the cluster"),
    "get_movement_review": open_to("auditor", why="auditors read every movement's review"),
    **dict.fromkeys(("save_registration", "open_registration_nominations",
                     "record_inspection", "save_pact", "sign_pact", "elect_next_year",
                     "open_acclamation_from_ranking"), SCOPED),
    **dict.fromkeys(("download_revocation_docx", "download_revocation_pdf"), Entry(
        params={"revocation_id": "issued_revocation"})),  # only a decided one has a document
    # Reports: the statistics count the registry within the persons' scope, the process
    # report reads the dossiers within the dossiers' scope (issue 14).
    **dict.fromkeys(("get_statistics", "download_statistics_xlsx", "list_statistics_records"),
                    open_to("admin", "auditor", why=PEOPLE_SEEN)),
    **dict.fromkeys(("get_process_report", "download_process_xlsx"),
                    open_to("auditor", why=AUDITOR_READS)),
}


def _operations() -> list[Operation]:
    _import_routes()
    return [op for op in OPERATIONS if not op.public]


def _op_id(op: Operation) -> str:
    return op.endpoint.removeprefix("api.")


def kind_of(op: Operation, name: str) -> str | None:
    """The kind a path parameter names: the per-operation override, then "parent.name"
    (the parameter before it in the path), then the name alone."""
    override = MATRIX.get(_op_id(op), SCOPED).params.get(name)
    if override:
        return override
    names = list(op.path_params)
    index = names.index(name) if name in names else 0
    if index > 0 and f"{names[index - 1]}.{name}" in PARAM_KINDS:
        return PARAM_KINDS[f"{names[index - 1]}.{name}"]
    return PARAM_KINDS.get(name)


def test_every_operation_has_a_matrix_entry_and_every_path_parameter_a_kind():
    operations = _operations()
    missing = sorted(f"{op.method} {op.path} (operationId {_op_id(op)})" for op in operations
                     if _op_id(op) not in MATRIX)
    assert not missing, (
        "No authorization-matrix entry for: " + "; ".join(missing) + ". Add each to MATRIX "
        "in tests/api/test_api_authz_matrix.py: SCOPED, or open_to(roles, why=…) for the "
        "roles that reach another unit's object by design.")
    unmapped = sorted(f"{{{name}}} in {op.method} {op.path}" for op in operations
                      for name in op.path_params if kind_of(op, name) is None)
    assert not unmapped, (
        "Path parameters without an object kind: " + "; ".join(unmapped) + ". Map each in "
        "PARAM_KINDS (parameter → kind) and build that kind in unit B in "
        "tests/support/authz_world.py.")
    stale = set(MATRIX) - {_op_id(op) for op in operations}
    assert not stale, f"MATRIX entries for operations that no longer exist: {sorted(stale)}"


@dataclass
class Case:
    op: Operation
    url: str
    make_kwargs: Callable[[], dict]  # fresh each call (an upload's file is read once)
    names_b_object: bool  # the path or the body names one of unit B's objects
    body_fields: set[str]  # the body's fields that name one

    def kwargs(self) -> dict:
        return self.make_kwargs()


def _case(op: Operation, world: World) -> Case:
    path, names_b = op.path, False
    for name in op.path_params:
        kind = kind_of(op, name)
        assert kind in world.objects, (
            f"{op.method} {op.path}: no object of kind {kind!r} (for {{{name}}}) in unit B; "
            "build one in tests/support/authz_world.py")
        names_b = names_b or kind not in GLOBAL_KINDS
        path = path.replace("{" + name + "}", str(world.objects[kind]))
    referenced: set[str] = set()

    def refer(field_name: str):
        kind = PARAM_KINDS.get(field_name)
        if kind is None or kind in GLOBAL_KINDS or kind not in world.objects:
            return None
        referenced.add(field_name)
        return world.objects[kind]

    request_kwargs(op, refer)
    body_fields = set(referenced)
    query: dict = {}
    if op.query is not None:  # a filter naming unit B's object: an empty answer is right
        schema = op.query.model_json_schema()
        query = {k: v for k, v in minimal(schema, schema.get("$defs", {}), refer).items()
                 if k != "cursor"}

    def make_kwargs() -> dict:
        kwargs = request_kwargs(op, refer)
        return {**kwargs, "query_string": query} if query else kwargs

    return Case(op, f"/api/v1{path}", make_kwargs, names_b or bool(body_fields), body_fields)


def _text(response) -> str:
    return response.get_data()[:400].decode("utf-8", "replace")


def _leaks(response, secrets) -> list[str]:
    raw = response.get_data()
    texts = [raw.decode("utf-8", "replace")]
    if response.mimetype == "application/json":
        texts.append(json.dumps(response.get_json(), ensure_ascii=False))
    return [s for s in secrets if any(s.lower() in t.lower() for t in texts)]


@pytest.fixture
def world(app, session, tx, make_unit, make_user, make_person, make_award, make_dossier,
          call_as, make_council, vote_award, meeting, submitting_unit, root_unit) -> World:
    app.config["API_RATE_LIMIT"] = "100000 per minute"  # hundreds of calls per caller
    return build_world(Makers(app, session, tx, make_unit, make_user, make_person, make_award,
                              make_dossier, call_as, make_council, vote_award, meeting,
                              submitting_unit, root_unit))


REFUSED = (403, 404)
REFUSED_BY_BODY = (403, 404, 409, 422)


def test_no_caller_of_another_unit_reaches_its_objects(world, call_as, subtests):
    operations = sorted(_operations(), key=lambda op: op.method in MUTATING)  # reads first
    insider = call_as(world.insider)
    callers = {role: call_as(user) for role, user in world.callers.items()}
    for op in operations:
        entry = MATRIX.get(_op_id(op))
        if entry is None:
            continue  # reported by the entry test above
        case = _case(op, world)
        if op.method == "GET" and case.names_b_object:
            with subtests.test(msg=f"insider control → {op.method} {op.path}"):
                control = insider(op.method, case.url, **case.kwargs())
                assert control.status_code == 200, (
                    "unit B's own insider cannot read this object: the matrix would pass "
                    f"vacuously ({control.status_code} {_text(control)})")
        for role in CALLER_ROLES:
            if role in entry.open_to and op.method in MUTATING:
                continue  # allowed by design; its effect is tested in the area's own tests
            label = f"{role} → {op.method} {op.path}"
            with subtests.test(msg=label):
                response = callers[role](op.method, case.url, **case.kwargs())
                status, text = response.status_code, _text(response)
                assert status < 500, f"{label}: {status} {text}"
                if not entry.may_see(role):
                    leaks = _leaks(response, world.secrets)
                    assert not leaks, f"{label}: unit B's data {leaks} in {status} {text}"
                if role in entry.open_to or not case.names_b_object:
                    continue
                named_in_path = any(kind_of(op, n) not in GLOBAL_KINDS for n in op.path_params)
                allowed = REFUSED if named_in_path else REFUSED_BY_BODY
                assert status in allowed, f"{label}: {status} {text}"
                if status == 422:  # must be about the fields naming unit B's objects
                    error_code(response)
                    details = response.get_json()["error"]["details"] or [{"loc": ["?"]}]
                    about = {str(d["loc"][0]) for d in details}
                    assert about <= case.body_fields, (
                        f"{label}: refused for {sorted(about)}, not for the fields naming "
                        f"unit B's objects {sorted(case.body_fields)}: the generated body is "
                        f"not valid (fix authz_bodies.py), or the refusal names no field "
                        f"({text})")

