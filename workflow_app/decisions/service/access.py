"""Who may read an issued document (a decision, a tờ trình, a revoking decision).

Signers, reviewers and auditors whose grant covers the issuing unit, and submitters whose
grant covers the unit of one of the document's dossiers. Anyone else gets 404, as if the
document did not exist.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound

from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.user import User

ISSUER_READERS = ("signer", "reviewer", "auditor")
DOSSIER_READERS = ("submitter",)


def may_read(viewer: User | None, document: Decision | SubmissionLetter) -> bool:
    if not getattr(viewer, "is_active", False):
        return False
    if viewer.can_see_unit(document.issuer, *ISSUER_READERS):
        return True
    return any(viewer.can_see_unit(item.dossier.unit, *DOSSIER_READERS)
               for item in document.items)


def readable(session, viewer: User | None, model, document_id: int):
    """The document of `model` with this id if `viewer` may read it; NotFound otherwise."""
    document = session.get(model, document_id)
    if document is None or not may_read(viewer, document):
        raise NotFound()
    return document
