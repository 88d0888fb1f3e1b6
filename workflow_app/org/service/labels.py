"""Labels used only by the organisation pages (shared labels live in workflow_app.labels)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CLUSTER_KIND_LABELS = {
    "cluster": _l("Emulation cluster (cụm thi đua)"),
    "block": _l("Emulation block (khối thi đua)"),
}


def cluster_kind_label(kind: str) -> str:
    return str(CLUSTER_KIND_LABELS.get(kind, kind))
