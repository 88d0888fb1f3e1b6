"""All model families, imported here so that the metadata is complete."""

from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
    AcclamationMark,
    AcclamationResult,
    AcclamationVoter,
)
from workflow_app.models.api_token import ApiIdempotencyKey, ApiToken
from workflow_app.models.audit import AuditCheckpoint, AuditEvent, AuditHead, AuditVerification
from workflow_app.models.ballot import Ballot, OpenVote, Participation
from workflow_app.models.base import Base
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.council import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    CouncilSession,
    Recusal,
    VotingRound,
)
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import (
    Decision,
    DecisionItem,
    DocumentSeries,
    SubmissionItem,
    SubmissionLetter,
)
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.eligibility import EligibilityOverride, QuotaException
from workflow_app.models.movement import (
    Inspection,
    Movement,
    MovementArea,
    MovementParticipant,
    Pact,
    PactSignature,
    Registration,
    RegistrationLine,
)
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.models.org import Cluster, ClusterMembership, OrgUnit, Person
from workflow_app.models.org_history import (
    OrgEvent,
    OrgEventUnit,
    OrgHistoryRule,
    PersonTransfer,
)
from workflow_app.models.registry import (
    AwardRecord,
    Initiative,
    PerformanceRating,
    UnitRating,
)
from workflow_app.models.reminder import DeadlineReminder
from workflow_app.models.review import ReviewCheck
from workflow_app.models.revocation import Revocation, RevocationDecision
from workflow_app.models.scoring import (
    ScoreCriterion,
    ScoreEntry,
    ScoreGroup,
    ScoreResult,
    ScoreTable,
)
from workflow_app.models.search import SearchTerm
from workflow_app.models.signature import SignedPdf, TrustCertificate
from workflow_app.models.user import LoginAttempt, RoleGrant, User, UserSession
from workflow_app.models.webhook import WebhookDelivery, WebhookSubscription
from workflow_app.models.worker import WorkerHeartbeat

__all__ = [
    "AcclamationConference",
    "AcclamationContest",
    "AcclamationMark",
    "AcclamationResult",
    "AcclamationVoter",
    "AgendaItem",
    "ApiIdempotencyKey",
    "ApiToken",
    "Attendance",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "AuditVerification",
    "Award",
    "AwardRecord",
    "AwardVersion",
    "Ballot",
    "Base",
    "BatchDocument",
    "Cluster",
    "ClusterMembership",
    "Council",
    "CouncilMember",
    "CouncilMinutes",
    "CouncilSession",
    "DeadlineReminder",
    "Decision",
    "DecisionItem",
    "DisclosureComment",
    "DocumentSeries",
    "Dossier",
    "DossierBatch",
    "DossierDocument",
    "EligibilityOverride",
    "Initiative",
    "Inspection",
    "LoginAttempt",
    "Movement",
    "MovementArea",
    "MovementParticipant",
    "Notification",
    "OpenVote",
    "OrgEvent",
    "OrgEventUnit",
    "OrgHistoryRule",
    "OrgUnit",
    "OutboxMessage",
    "Pact",
    "PactSignature",
    "Participation",
    "PerformanceRating",
    "PersonTransfer",
    "Person",
    "QuotaException",
    "Recusal",
    "Registration",
    "RegistrationLine",
    "ReviewCheck",
    "Revocation",
    "RevocationDecision",
    "RoleGrant",
    "ScoreCriterion",
    "ScoreEntry",
    "ScoreGroup",
    "ScoreResult",
    "ScoreTable",
    "SearchTerm",
    "SignedPdf",
    "SubmissionItem",
    "SubmissionLetter",
    "TrustCertificate",
    "UnitRating",
    "User",
    "UserSession",
    "VotingRound",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkerHeartbeat",
]
