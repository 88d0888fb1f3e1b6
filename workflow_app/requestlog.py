"""One structured log line per request, and the request id people can quote.

Each request gets an id: the incoming `X-Request-ID` when it looks like one (a proxy or load
balancer in front may set it; 8–64 letters, digits, `.`, `_`, `-`), else a new uuid4 hex. It
is echoed in the `X-Request-ID` response header and shown on the error pages, so an officer
can quote it and an administrator find the line.

The line (logger `workflow_app.requests`, level INFO) is JSON with: time (UTC), request_id,
user_id, method, route (the URL rule, e.g. `/council/rounds/<int:round_id>/ballot`, never
the path as sent, which may carry ids or codes), endpoint, status and duration_ms. Nothing
of the request's body, query string or headers is logged: no password, token, TOTP code or
ballot choice can reach it.

The same hook counts requests and their duration for Prometheus (by method, URL rule and
status).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from prometheus_client import Counter, Histogram
from sqlalchemy import inspect
from sqlalchemy.exc import NoInspectionAvailable

LOGGER = logging.getLogger("workflow_app.requests")
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"

# Prometheus (served by ops/views/metrics.py): by URL rule, never by path (bounded labels).
REQUESTS = Counter("tdkt_http_requests", "Requests answered", ["method", "route", "status"])
LATENCY = Histogram("tdkt_http_request_duration_seconds", "Time to answer a request",
                    ["method", "route"])


def request_id() -> str:
    return getattr(g, "request_id", "")


def _user_id() -> int | None:
    """The signed-in user's id as already loaded (never a query: the line is written after
    the response, when the transaction may have been rolled back and the row expired, so
    not even `is_authenticated`, which reads the expired row, is asked)."""
    user = getattr(g, "_login_user", None)
    if user is None:
        return None
    try:
        identity = inspect(user).identity
    except NoInspectionAvailable:  # not a mapped row: the anonymous user
        return None
    return identity[0] if identity else None


def _configure_logger(app: Flask) -> None:
    """INFO lines to stderr (gunicorn and systemd collect it), unless a logging configuration
    already gave the logger a handler. Under test the lines propagate to pytest's capture."""
    LOGGER.setLevel(logging.INFO)
    if app.testing:
        LOGGER.propagate = True
        return
    if not LOGGER.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)
    LOGGER.propagate = False


def init_app(app: Flask) -> None:
    """Register first, before the login gate: a redirect or refusal is logged too."""
    _configure_logger(app)

    @app.before_request
    def _start():
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response):
        started = getattr(g, "request_started", None)
        if started is None:  # a request refused before our hook ran
            return response
        response.headers[HEADER] = g.request_id
        rule = request.url_rule
        route = rule.rule if rule is not None else "(no route)"
        elapsed = time.perf_counter() - started
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(elapsed)
        LOGGER.info(json.dumps({
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "request_id": g.request_id,
            "user_id": _user_id(),
            "method": request.method,
            "route": rule.rule if rule is not None else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1),
        }, separators=(",", ":")))
        return response
