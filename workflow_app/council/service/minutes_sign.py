"""The chair signs the minutes off: numbered, content and files frozen, the event audited.

Only the chair of the session's council, only when the session has at least one round and
every round is closed, and only once: the session row is locked first (PostgreSQL `FOR
UPDATE`; SQLite write transactions are exclusive), so a concurrent second sign-off waits,
then finds the minutes signed and stops before taking a number; `council_minutes` has a
unique session id as the backstop.

The minutes take the next number of the BB (biên bản) series of the council's unit for the
year of the sign-off (Vietnam date), printed with the council's symbol: `01/BB-HĐTĐKT`. A
council issuing documents in its own name keeps its own series (LEGAL_FACTS §6); in this
system only councils issue minutes, so the unit's BB series is its council's. A refused or
rolled-back sign-off burns no number (the counter update rolls back with it).

The DOCX and PDF (which print the number) are stored by SHA-256 before the row is written;
the audit event `council.minutes_signed` carries the number, both hashes, the content's hash
and the chain head recorded in the content.
"""

from __future__ import annotations

import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.attachments.names import DOCX_MIMETYPE, PDF_MIMETYPE
from workflow_app.attachments.storage import DOCUMENTS, Storage, app_storage
from workflow_app.audit.chain import record
from workflow_app.council.service import access, minutes, minutes_doc
from workflow_app.council.service.errors import CouncilError, NotAllowed
from workflow_app.decisions.service import numbering
from workflow_app.models.base import utcnow
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.user import User
from workflow_app.workdays import local_date

# Abbreviation of "Hội đồng Thi đua - Khen thưởng", the issuer printed in the symbol.
COUNCIL_SYMBOL = "HĐTĐKT"
MINUTES_SYMBOL = f"{numbering.MINUTES}-{COUNCIL_SYMBOL}"


def document_storage() -> Storage:
    """Where the minutes' files are kept: the same store as issued decisions
    (`decisions.views.routes_common.storage`)."""
    return app_storage(DOCUMENTS)


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
    signed_on = local_date(utcnow())
    try:
        allocated = numbering.allocate(session, meeting.council.unit, numbering.MINUTES,
                                       signed_on)
    except numbering.NumberingError as error:
        raise CouncilError(str(error.message)) from None
    number = {"reference": numbering.format_reference(allocated.number, MINUTES_SYMBOL),
              "number": allocated.number, "year": allocated.year,
              "signed_on": signed_on.isoformat()}
    content = minutes.minutes_of(session, meeting, number=number)
    docx, pdf = minutes_doc.render(content)
    row = CouncilMinutes(session_id=meeting.id, content=content,
                         docx_sha256=storage.put(docx), pdf_sha256=storage.put(pdf),
                         audit_seq=content["audit_head"]["seq"],
                         audit_hash=content["audit_head"]["hash"], signed_by_id=actor.id,
                         issuer_unit_id=allocated.issuer_unit_id, year=allocated.year,
                         number=allocated.number, reference=number["reference"])
    savepoint = session.begin_nested()
    try:
        session.add(row)
        session.flush()
    except IntegrityError:  # the backstop; the lock above makes it unreachable
        savepoint.rollback()
        raise CouncilError(_("The minutes of this session are already signed off; they "
                             "cannot be signed again.")) from None
    savepoint.commit()
    record(session, "council.minutes_signed", "council_session", meeting.id, actor=actor,
           data={"minutes_id": row.id, "reference": row.reference,
                 "docx_sha256": row.docx_sha256, "pdf_sha256": row.pdf_sha256,
                 "content_sha256": content_hash(content),
                 "audit_head": content["audit_head"]})
    return row


def minutes_download(session: Session, meeting: CouncilSession, fmt: str) -> dict:
    """The minutes as "docx" or "pdf", for `downloads.send_document`: the stored file once
    signed off, else a draft drawn now."""
    name = f"BB-HDTDKT-{meeting.id}-{meeting.held_on:%Y%m%d}.{fmt}"
    mimetype = DOCX_MIMETYPE if fmt == "docx" else PDF_MIMETYPE
    frozen = signed(session, meeting)
    if frozen is not None:
        return {"filename": name, "mimetype": mimetype, "kind": DOCUMENTS,
                "sha256": frozen.docx_sha256 if fmt == "docx" else frozen.pdf_sha256}
    docx, pdf = minutes_doc.render(minutes.minutes_of(session, meeting))
    return {"filename": name, "mimetype": mimetype, "data": docx if fmt == "docx" else pdf}
