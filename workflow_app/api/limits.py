"""Rate limits per token (or per signed-in user) on /api/v1, with Flask-Limiter.

The limit is `Config.api_rate_limit` (env `API_RATE_LIMIT`, default "300 per minute"); the
counters live in `Config.ratelimit_storage_uri` (env `RATELIMIT_STORAGE_URI`, default
"memory://", which counts per process: with several workers, point it at a shared store
such as "redis://host:6379"). A breach is a 429 `rate_limited` with `Retry-After`.

One Limiter per app (not a module-level extension): its counters then belong to that app,
so two apps in one process (tests, a CLI next to a server) never share them. Its
before-request check is registered after the login gate, so it sees the token's owner.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter

from workflow_app.api.auth import principal
from workflow_app.api.blueprint import bp


def _limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def init_limiter(app: Flask) -> Limiter:
    config = app.extensions["workflow_config"]
    app.config["API_RATE_LIMIT"] = config.api_rate_limit
    limiter = Limiter(principal, storage_uri=config.ratelimit_storage_uri,
                      headers_enabled=True, strategy="fixed-window")
    # One quota across every API route (a plain blueprint limit would count per route).
    limiter.shared_limit(_limit, scope="api")(bp)
    limiter.init_app(app)
    app.extensions["api_limiter"] = limiter
    return limiter
