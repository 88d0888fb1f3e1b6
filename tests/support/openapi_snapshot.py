"""The OpenAPI document as generated, kept in tests/api/openapi.json so that a change to it
is always on purpose: moving code must leave it byte-identical (issue 12), and a new or
changed operation shows up as a diff to review.

Refresh it after changing operations on purpose:
    .venv/bin/python -m tests.support.openapi_snapshot
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parents[1] / "api" / "openapi.json"


def render() -> str:
    from workflow_app.api import _import_routes
    from workflow_app.api.spec import build_document

    _import_routes()
    return json.dumps(build_document(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    SNAPSHOT.write_text(render(), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
