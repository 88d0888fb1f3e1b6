"""All model families, imported here so that the metadata is complete."""

from workflow_app.models.audit import AuditEvent, AuditHead
from workflow_app.models.base import Base
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.user import LoginAttempt, RoleGrant, User, UserSession

__all__ = [
    "AuditEvent",
    "AuditHead",
    "Award",
    "AwardVersion",
    "Base",
    "Cluster",
    "ClusterMembership",
    "LoginAttempt",
    "OrgUnit",
    "Person",
    "RoleGrant",
    "User",
    "UserSession",
]
