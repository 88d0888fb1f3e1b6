"""A session's minutes (biên bản), as the minutes pages (`council/views/minutes.py`): the
content, the DOCX and PDF, the chair's sign-off, and the check against the audit trail —
through the same functions (`council/service/minutes.py`, `minutes_sign.py`, `minutes_verify.py`,
`minutes_sign.minutes_download`).

Read by whoever sees the session (404 otherwise). Before sign-off the minutes are built now
(a draft); after it, the frozen content and the stored files are served. Sign-off is the
chair's (403 otherwise), once every round of the session is closed, once (409 after); it
asks for no re-authentication, like the page. Verifying is for the council's auditors,
chair and secretary.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.reauth import require_reauth
from workflow_app.council.api.schemas_minutes import (
    CheckOut,
    MinutesContent,
    MinutesOut,
    MinutesSignIn,
    VerificationOut,
)
from workflow_app.council.service import access, minutes, minutes_sign, minutes_verify
from workflow_app.downloads import DOCX_MIMETYPE, PDF_MIMETYPE, send_document
from workflow_app.extensions import db
from workflow_app.models.council import CouncilSession
from workflow_app.models.user import User

TAGS = ["council minutes"]


def _minutes_view(meeting: CouncilSession) -> MinutesOut:
    frozen = minutes_sign.signed(db.session, meeting)
    content = frozen.content if frozen else minutes.minutes_of(db.session, meeting)
    signer = db.session.get(User, frozen.signed_by_id) if frozen else None
    return MinutesOut(
        session_id=meeting.id, signed=frozen is not None,
        reference=frozen.reference if frozen else None,
        signed_at=frozen.signed_at if frozen else None,
        signed_by=signer.display_name if signer else None,
        docx_sha256=frozen.docx_sha256 if frozen else None,
        pdf_sha256=frozen.pdf_sha256 if frozen else None,
        all_rounds_closed=bool(meeting.rounds) and not any(r.is_open for r in meeting.rounds),
        content=MinutesContent.model_validate(content))


@operation("GET", "/council/sessions/{session_id}/minutes", summary="The minutes of a session",
           description="Who sat and how, each round's quorum snapshot, ballot count and "
                       "ballot-set hash, each item's recusals, tally, outcome and the chair's "
                       "reservation and ruling, and the audit chain's head. Frozen once "
                       "signed off. Never who voted what.",
           tags=TAGS, response=MinutesOut, errors=[404])
def get_council_minutes(session_id: int) -> MinutesOut:
    return _minutes_view(access.visible_session(db.session, caller(), session_id))


@operation("GET", "/council/sessions/{session_id}/minutes/docx",
           summary="The minutes as DOCX",
           description="The stored signed file, or a draft rendered now.",
           tags=TAGS, errors=[404], raw_content_type=DOCX_MIMETYPE)
def download_council_minutes_docx(session_id: int):
    return send_document(**minutes_sign.minutes_download(
        db.session, access.visible_session(db.session, caller(), session_id), "docx"))


@operation("GET", "/council/sessions/{session_id}/minutes/pdf", summary="The minutes as PDF",
           description="The stored signed file, or a draft rendered now.",
           tags=TAGS, errors=[404], raw_content_type=PDF_MIMETYPE)
def download_council_minutes_pdf(session_id: int):
    return send_document(**minutes_sign.minutes_download(
        db.session, access.visible_session(db.session, caller(), session_id), "pdf"))


@operation("POST", "/council/sessions/{session_id}/minutes/sign",
           summary="Sign the minutes off (chair)",
           description="Your password again in `password` (and `code` with an authenticator app): "
                       "422 `reauth_failed` otherwise, counted towards the sign-in lockout. "
                       "Numbered from the BB series of the council's unit (e.g. "
                       "01/BB-HĐTĐKT), content and files frozen, audited "
                       "`council.minutes_signed` with their hashes. 409 while a round is open "
                       "or once signed.",
           tags=TAGS, roles=("chair",), request=MinutesSignIn, response=MinutesOut,
           status=201, errors=[404, 409])
def sign_council_minutes(session_id: int, body: MinutesSignIn) -> MinutesOut:
    meeting = access.visible_session(db.session, caller(), session_id)
    if not access.is_chair(current_user, meeting.council):
        raise ApiError(403, "forbidden", _("Only the chair of this council signs the "
                                           "minutes off."))
    require_reauth(caller(), body.password, body.code, "minutes")
    minutes_sign.sign_off(db.session, meeting, actor=caller(),
                          storage=minutes_sign.document_storage())
    return _minutes_view(meeting)


@operation("GET", "/council/sessions/{session_id}/minutes/verify",
           summary="Check signed minutes against the files and the audit trail",
           description="Each check with the differences it found, named (the sign-off event, "
                       "the session's audit events, the stored DOCX and PDF, attendance, "
                       "quorum snapshots and ballot-set hashes, recusals, tallies, the "
                       "chair's reservations and rulings). Writes nothing.",
           tags=TAGS, roles=("auditor", "chair", "secretary"), response=VerificationOut,
           errors=[404])
def verify_council_minutes(session_id: int) -> VerificationOut:
    meeting = access.visible_session(db.session, caller(), session_id)
    if not access.may_verify_minutes(current_user, meeting.council):
        raise ApiError(403, "forbidden", _("Auditors, the chair and the secretary of this "
                                           "council verify its minutes."))
    result = minutes_verify.verify(db.session, meeting, minutes_sign.document_storage())
    return VerificationOut(
        session_id=meeting.id, signed=result.signed, reference=result.reference,
        ok=result.ok, checks=[CheckOut(code=c.code, label=c.label, ok=c.ok,
                                       problems=list(c.problems)) for c in result.checks])
