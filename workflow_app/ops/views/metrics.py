"""`/metrics`: Prometheus text format, for a scraper holding METRICS_TOKEN.

Off (404) unless METRICS_TOKEN is set; a missing or wrong token gets 401. With several
gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, cleared at each start): the
request counters are then summed over the workers.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path

from flask import Response, abort, current_app, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from workflow_app.extensions import db
from workflow_app.ops.service import metrics as figures
from workflow_app.ops.views.routes import bp
from workflow_app.security import public


class _Snapshot:
    def __init__(self, families: list) -> None:
        self.families = families

    def collect(self):
        return self.families


def _request_registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@bp.route("/metrics")
@public
def metrics():
    config = current_app.extensions["workflow_config"]
    if not config.metrics_token:
        abort(404)
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {config.metrics_token}".encode()):
        return jsonify(error="unauthorized",
                       message="Send Authorization: Bearer <METRICS_TOKEN>"), 401
    state = CollectorRegistry()
    state.register(_Snapshot(figures.collect(db.session, Path(config.instance_dir))))
    body = generate_latest(_request_registry()) + generate_latest(state)
    return Response(body, content_type=CONTENT_TYPE_LATEST)
