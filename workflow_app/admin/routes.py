"""Administration: users and roles, units, clusters. Admins never touch dossiers or votes."""

from workflow_app.admin import clusters, units, users  # noqa: F401  (registers the views)
from workflow_app.admin.blueprint import bp

__all__ = ["bp"]
