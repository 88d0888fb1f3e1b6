"""Translatable labels for council codes, available in the council templates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CHOICES = {"agree": _l("Agree"), "disagree": _l("Disagree"), "abstain": _l("Abstain")}
ATTENDANCE = {"present": _l("Present"), "absent": _l("Absent"),
              "absent_written_vote": _l("Absent, votes in writing")}
MEMBER_ROLES = {"chair": _l("Chair"), "vice_chair": _l("Vice-chair"),
                "standing_member": _l("Standing member"), "member": _l("Member"),
                "secretary": _l("Secretary")}
RECUSAL_KINDS = {"nominee": _l("nominee"), "nominee_unit": _l("member of the nominee's unit"),
                 "declared": _l("declared conflict")}
RECUSAL_STATUSES = {"pending": _l("awaiting the chair"), "accepted": _l("accepted"),
                    "rejected": _l("rejected")}
OUTCOMES = {"approved": _l("Approved"), "rejected": _l("Not approved")}
METHODS = {"secret_ballot": _l("Secret ballot"), "open_vote": _l("Open vote (by name)"),
           "cluster_acclamation": _l("Secret ballot (after the cluster's acclamation)")}
DENOMINATORS = {"all_members": _l("all members"), "present_members": _l("members present"),
                "valid_ballots": _l("valid ballots")}


def label(table: dict, code) -> str:
    return str(table.get(code, code or "—"))


def helpers() -> dict:
    from workflow_app.catalogue.service.words import vote_rule_words

    return {
        "vote_rule_words": vote_rule_words,
        "choice_label": lambda c: label(CHOICES, c),
        "attendance_label": lambda c: label(ATTENDANCE, c),
        "member_role_label": lambda c: label(MEMBER_ROLES, c),
        "recusal_kind_label": lambda c: label(RECUSAL_KINDS, c),
        "recusal_status_label": lambda c: label(RECUSAL_STATUSES, c),
        "outcome_label": lambda c: label(OUTCOMES, c),
        "method_label": lambda c: label(METHODS, c),
        "denominator_label": lambda c: label(DENOMINATORS, c),
        "comparator_sign": lambda c: {">=": "≥", ">": ">"}.get(c, c),
    }
