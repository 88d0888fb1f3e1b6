"""Administration: users and roles, units, clusters. Admins never touch dossiers or votes."""

from workflow_app.admin.views import (  # noqa: F401  (registers the views)
    clusters,
    reorg,
    trust_roots,
    units,
    users,
)
from workflow_app.admin.views.blueprint import bp

__all__ = ["bp"]
