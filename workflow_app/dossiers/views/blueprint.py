"""The `dossiers` blueprint object, shared by the route modules (assembled in `routes`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dossiers", __name__, url_prefix="/dossiers")
