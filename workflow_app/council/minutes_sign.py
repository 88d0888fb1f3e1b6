"""The chair signs the minutes off: content and files are frozen, the event is audited.

Only the chair of the session's council, only when the session has at least one round and
every round is closed, and only once (the session row is locked and `council_minutes` has a
unique session id). The DOCX and PDF are stored by SHA-256 before the row is written; the
audit event `council.minutes_signed` carries both hashes, the content's hash and the chain
head recorded in the content.
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.council import access, minutes, minutes_doc
from workflow_app.council.errors import CouncilError, NotAllowed
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.user import User


def signed(session: Session, meeting: CouncilSession) -> CouncilMinutes | None:
    return session.scalar(select(CouncilMinutes).where(CouncilMinutes.session_id == meeting.id))


def content_hash(content: dict) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sign_off(session: Session, meeting: CouncilSession, *, actor: User,
             storage: Storage) -> CouncilMinutes:
    if not access.is_chair(actor, meeting.council):
        raise NotAllowed(_("Only the chair of this council signs the minutes off."))
    session.execute(select(CouncilSession).where(CouncilSession.id == meeting.id)
                    .with_for_update()).scalar_one()
    session.expire(meeting, ["rounds"])
    if signed(session, meeting) is not None:
        raise CouncilError(_("The minutes of this session are already signed off; they "
                             "cannot be signed again."))
    if not meeting.rounds or any(r.is_open for r in meeting.rounds):
        raise CouncilError(_("The minutes can be signed off only when every voting round of "
                             "the session is closed."))
    content = minutes.minutes_of(session, meeting)
    docx, pdf = minutes_doc.render(content)
    row = CouncilMinutes(session_id=meeting.id, content=content,
                         docx_sha256=storage.put(docx), pdf_sha256=storage.put(pdf),
                         audit_seq=content["audit_head"]["seq"],
                         audit_hash=content["audit_head"]["hash"], signed_by_id=actor.id)
    session.add(row)
    session.flush()
    record(session, "council.minutes_signed", "council_session", meeting.id, actor=actor,
           data={"minutes_id": row.id, "docx_sha256": row.docx_sha256,
                 "pdf_sha256": row.pdf_sha256, "content_sha256": content_hash(content),
                 "audit_head": content["audit_head"]})
    return row
