"""The administration blueprint: admins only, for every view in it."""

from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated or not current_user.has_role("admin"):
        abort(403)
