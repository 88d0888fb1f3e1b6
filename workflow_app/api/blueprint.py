"""The `api` blueprint at /api/v1. Routes are added by `spec.operation`, never by `bp.route`
(so that every route is also in the OpenAPI document)."""

from flask import Blueprint

API_PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
