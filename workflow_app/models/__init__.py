"""All model families, imported here so that the metadata is complete."""

from workflow_app.models.audit import AuditCheckpoint, AuditEvent, AuditHead
from workflow_app.models.base import Base
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.user import LoginAttempt, RoleGrant, User, UserSession

__all__ = [
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "Award",
    "AwardVersion",
    "Base",
    "Cluster",
    "ClusterMembership",
    "Dossier",
    "DossierDocument",
    "LoginAttempt",
    "Notification",
    "OutboxMessage",
    "OrgUnit",
    "Person",
    "RoleGrant",
    "User",
    "UserSession",
]
