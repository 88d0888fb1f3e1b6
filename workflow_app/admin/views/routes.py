"""Administration: users and roles, units, clusters. Admins never touch dossiers or votes."""

from workflow_app.admin.views import clusters, reorg, units, users  # noqa: F401  (registers the views)
from workflow_app.admin.views.blueprint import bp

__all__ = ["bp"]
