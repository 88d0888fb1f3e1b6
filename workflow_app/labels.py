"""Translatable labels for domain codes shown in pages (unit kinds, cluster roles, who wrote an
audit event without an account)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

UNIT_KIND_LABELS = {
    "ministry": _l("Ministry"),
    "department": _l("Department (Vụ, Văn phòng, Thanh tra)"),
    "agency": _l("Agency (Cục, Tổng cục)"),
    "provincial_justice": _l("Provincial Justice Department (Sở Tư pháp)"),
    "thads_provincial": _l("Provincial civil judgment enforcement (Cục THADS)"),
    "thads_district": _l("District civil judgment enforcement (Chi cục THADS)"),
    "division": _l("Division (Phòng)"),
    "other": _l("Other"),
}

CLUSTER_ROLE_LABELS = {
    "member": _l("Member"),
    "head": _l("Head (trưởng cụm)"),
    "deputy": _l("Deputy (phó trưởng cụm)"),
}


ORG_EVENT_LABELS = {
    "created": _l("Established"),
    "renamed": _l("Renamed"),
    "moved": _l("Moved under another unit"),
    "merged": _l("Merged"),
    "split": _l("Split"),
    "dissolved": _l("Dissolved"),
    "reversal": _l("Reversal"),
}

GRANT_CHOICE_LABELS = {
    "move": _l("Move to the receiving unit"),
    "lapse": _l("Lapse"),
}


def org_event_label(kind: str) -> str:
    return str(ORG_EVENT_LABELS.get(kind, kind))


def grant_choice_label(choice: str | None) -> str:
    return str(GRANT_CHOICE_LABELS.get(choice, choice)) if choice else ""


def unit_kind_label(kind: str) -> str:
    return str(UNIT_KIND_LABELS.get(kind, kind))


def cluster_role_label(role: str) -> str:
    return str(CLUSTER_ROLE_LABELS.get(role, role))


def init_app(app) -> None:
    app.jinja_env.globals.update(
        unit_kind_label=unit_kind_label, cluster_role_label=cluster_role_label,
        org_event_label=org_event_label, grant_choice_label=grant_choice_label,
    )


# Who wrote an event without an account (`actor_label`), in words.
ACTOR_LABELS: dict[str, object] = {
    "cli": _l("the system (command line)"),
    "demo": _l("the system (demonstration data)"),
    "system": _l("the system"),
    "restore": _l("the system (restore from a backup)"),
    "upgrade": _l("the system (upgrade)"),
    "public": _l("a member of the public"),
}


def actor_words(label: str | None) -> str:
    """An event's actor label as people read it ("cli" → the system (command line))."""
    if not label:
        return str(_l("the system"))
    return str(ACTOR_LABELS.get(label, label))
