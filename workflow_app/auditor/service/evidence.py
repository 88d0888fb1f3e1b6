"""Evidence pack for one dossier, one council session or one decision (issue 15 item 3).

What it holds:
- the full history of the subject and of what it is bound to (a dossier's decisions and
  registry entries, a decision's dossiers, a session's voting rounds), readable, with diffs;
- every document with its file hash checked three ways: the hash the database row holds, the
  hash the audit event recorded when the file was added or issued, and the stored file's
  bytes hashed again now;
- the verification of the signed minutes of the council sessions concerned (attendance,
  quorum snapshots, ballot-set hashes, recusals, tallies, rulings: council's minutes_verify);
- the chain proof: each event's hash recomputed from its fields, and the signed checkpoint
  that covers the last of them (its signature and its place in the chain checked).

`pack_zip` writes it as evidence.pdf, evidence.json and the documents under readable names
(documents/quyet-dinh-01-QD-BTP.pdf …, each file once however many times it is listed, with
documents/SHA256SUMS mapping each name to its hash, checkable with `sha256sum -c`), together
with the whole chain export (events.jsonl, manifest.json, standalone_verify.py): the standalone
verifier checks the chain and, when it finds evidence.json, that every listed event is in
the verified chain with the listed hash, that every document file hashes to its listed
hash which an event of the pack recorded, and that the listed checkpoint covers the events.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from workflow_app.attachments.names import ascii_name
from workflow_app.attachments.storage import Storage
from workflow_app.audit.canonical import HASHED_FIELDS, event_hash
from workflow_app.audit.checkpoint import as_dict, check_checkpoint
from workflow_app.audit.export import STANDALONE, write_export
from workflow_app.auditor.service import labels, present
from workflow_app.auditor.service.verification import translate
from workflow_app.council.service import minutes_verify
from workflow_app.dossiers.service.labels import doc_type_label
from workflow_app.models.audit import AuditCheckpoint, AuditEvent
from workflow_app.models.council import AgendaItem, CouncilSession, VotingRound
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.signature import SignedPdf

KINDS = ("dossier", "decision", "council_session")
FORMAT = "tdkt-evidence-pack/1"


@dataclass
class DocumentCheck:
    label: str
    filename: str
    sha256: str  # what the database row holds
    recorded: str | None  # what the audit event recorded
    event_seq: int | None
    store: str  # "attachments" or "documents"
    stored_ok: bool | None = None  # the stored bytes hash to sha256 (None: file missing)
    data: bytes | None = field(default=None, repr=False)
    archive_name: str = ""  # its readable name in the ZIP (before folding to ASCII)

    @property
    def ok(self) -> bool:
        return self.recorded == self.sha256 and bool(self.stored_ok)

    def problem(self) -> str:
        if self.recorded is None:
            return _("no audit event recorded this file's hash")
        if self.recorded != self.sha256:
            return _("the audit event recorded another hash (%(hash)s)", hash=self.recorded)
        if self.stored_ok is None:
            return _("the stored file is missing")
        if not self.stored_ok:
            return _("the stored file's bytes no longer hash to the recorded hash")
        return ""


@dataclass
class Section:
    heading: str
    rows: list[present.Row]


@dataclass
class Pack:
    kind: str
    ident: str
    title: str
    sections: list[Section]
    events: list[AuditEvent]
    documents: list[DocumentCheck]
    minutes: list[tuple[str, minutes_verify.Verification]]
    broken_events: list[int]
    checkpoint: dict | None
    checkpoint_problem: str | None
    generated_at: datetime

    @property
    def checkpoint_at(self) -> str:
        """When the covering checkpoint was signed, in Vietnam time."""
        if self.checkpoint is None:
            return ""
        return present.local_time(datetime.fromisoformat(
            self.checkpoint["created_at"].replace("Z", "+00:00")))

    @property
    def ok(self) -> bool:
        """No check fails. A pack whose events no signed checkpoint covers yet is not a
        failure (the hashes all hold); it is `anchored` once a checkpoint covers them."""
        return (not self.broken_events and all(d.ok for d in self.documents)
                and all(v.ok for _n, v in self.minutes if v.signed)
                and (self.checkpoint is None or self.checkpoint_problem is None))

    @property
    def anchored(self) -> bool:
        return self.checkpoint is not None and self.checkpoint_problem is None


def _about(session: Session, subject_type: str, ids) -> list[AuditEvent]:
    ids = [str(i) for i in ids]
    if not ids:
        return []
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == subject_type, AuditEvent.subject_id.in_(ids))
        .order_by(AuditEvent.seq)))


def _recorded(events: list[AuditEvent], action: str, key: str,
              match=lambda data: True) -> tuple[str | None, int | None]:
    for event in events:
        data = event.data or {}
        if event.action == action and match(data) and data.get(key):
            return data[key], event.seq
    return None, None


def _stored(check: DocumentCheck, storage: Storage) -> DocumentCheck:
    try:
        data = storage.get(check.sha256)
    except (OSError, ValueError):
        check.stored_ok = None
        return check
    check.stored_ok = hashlib.sha256(data).hexdigest() == check.sha256
    check.data = data
    return check


def _dossier_documents(dossier: Dossier, events: list[AuditEvent],
                       storage: Storage) -> list[DocumentCheck]:
    out = []
    for doc in sorted(dossier.document_history, key=lambda d: d.id):
        recorded, seq = _recorded(events, "dossier.document_added", "sha256",
                                  lambda data, i=doc.id: data.get("document_id") == i)
        out.append(_stored(DocumentCheck(
            doc_type_label(doc.doc_type), doc.filename, doc.sha256, recorded, seq,
            "attachments", archive_name=f"ho-so-{dossier.id}-{doc.filename}"), storage))
    return out


def _decision_documents(decision: Decision, events: list[AuditEvent], storage: Storage,
                        dossier_ids: set[int] | None = None) -> list[DocumentCheck]:
    ref = decision.reference
    out = []
    for key, label in (("docx_sha256", _("Decision %(ref)s (DOCX)", ref=ref)),
                       ("pdf_sha256", _("Decision %(ref)s (PDF)", ref=ref))):
        recorded, seq = _recorded(events, "decision.issued", key,
                                  lambda data: data.get("reference") == ref)
        extension = key[:4].rstrip("_")
        out.append(_stored(DocumentCheck(
            label, f"{ref.replace('/', '-')}.{extension}", getattr(decision, key), recorded,
            seq, "documents", archive_name=f"quyet-dinh-{ref}.{extension}"), storage))
    issued = next((e for e in events if e.action == "decision.issued"
                   and (e.data or {}).get("reference") == ref), None)
    certificates = (issued.data or {}).get("certificates", {}) if issued else {}
    for item in decision.items:
        if dossier_ids is not None and item.dossier_id not in dossier_ids:
            continue
        out.append(_stored(DocumentCheck(
            _("Certificate of %(name)s (%(ref)s)", name=item.awardee_name, ref=ref),
            f"certificate-{item.dossier_id}.pdf", item.certificate_sha256,
            certificates.get(str(item.dossier_id)), issued.seq if issued else None,
            "documents", archive_name=f"bang-giay-khen-{ref}-ho-so-{item.dossier_id}.pdf"),
            storage))
    return out


def _signed_documents(session: Session, decision: Decision, events: list[AuditEvent],
                      storage: Storage) -> list[DocumentCheck]:
    """The digitally signed PDF of record, when one is recorded: its hash checked against
    the `decision.signed_pdf_recorded` event (which also holds the signer's certificate and
    the validation result, listed with the decision's history)."""
    row = session.scalar(select(SignedPdf).where(SignedPdf.document_kind == "decision",
                                                 SignedPdf.document_id == decision.id))
    if row is None:
        return []
    ref = decision.reference
    recorded, seq = _recorded(events, "decision.signed_pdf_recorded", "signed_pdf_sha256")
    return [_stored(DocumentCheck(
        _("Decision %(ref)s (digitally signed PDF)", ref=ref),
        f"{ref.replace('/', '-')}-signed.pdf", row.sha256, recorded, seq, "documents",
        archive_name=f"quyet-dinh-{ref}-da-ky-so.pdf"), storage)]


def _minutes_documents(row: CouncilMinutes, events: list[AuditEvent],
                       storage: Storage) -> list[DocumentCheck]:
    out = []
    for key, ext in (("docx_sha256", "docx"), ("pdf_sha256", "pdf")):
        recorded, seq = _recorded(events, "council.minutes_signed", key,
                                  lambda data: data.get("minutes_id") == row.id)
        out.append(_stored(DocumentCheck(
            _("Minutes %(ref)s (%(ext)s)", ref=row.reference or f"#{row.id}", ext=ext.upper()),
            f"minutes-{row.session_id}.{ext}", getattr(row, key), recorded, seq, "documents",
            archive_name=f"bien-ban-phien-hop-{row.session_id}.{ext}"),
            storage))
    return out


def _sessions_of(session: Session, dossier_ids: list[int]) -> list[CouncilSession]:
    if not dossier_ids:
        return []
    ids = select(AgendaItem.session_id).where(AgendaItem.dossier_id.in_(dossier_ids))
    return list(session.scalars(select(CouncilSession).where(CouncilSession.id.in_(ids))
                                .order_by(CouncilSession.id)))


def _minutes(session: Session, meetings: list[CouncilSession], storage: Storage,
             locale: str) -> list[tuple[str, minutes_verify.Verification]]:
    out = []
    for meeting in meetings:
        name = present.subject_name(session, "council_session", str(meeting.id), locale)
        out.append((name, minutes_verify.verify(session, meeting, storage)))
    return out


def _decision_by(session: Session, ident: str) -> Decision:
    decision = None
    if ident.isdigit() and len(ident) < 12:
        decision = session.get(Decision, int(ident))
    if decision is None:
        decision = session.scalar(select(Decision).where(Decision.reference == ident.strip())
                                  .order_by(Decision.id.desc()).limit(1))
    if decision is None:
        raise NotFound()
    return decision


def find(session: Session, kind: str, ident: str) -> str:
    """The id of the pack's subject (a decision also by its number, e.g. 12/QĐ-BTP)."""
    if kind == "decision":
        return str(_decision_by(session, ident).id)
    model = {"dossier": Dossier, "council_session": CouncilSession}.get(kind)
    if model is None or not ident.isdigit() or len(ident) >= 12 or \
            session.get(model, int(ident)) is None:
        raise NotFound()
    return ident


def build(session: Session, kind: str, ident: str, locale: str, attachments: Storage,
          documents: Storage, now: datetime | None = None) -> Pack:
    """Raises NotFound for an unknown kind or subject."""
    ident = find(session, kind, ident)
    groups: list[tuple[str, list[AuditEvent]]] = []
    docs: list[DocumentCheck] = []
    meetings: list[CouncilSession] = []
    if kind == "dossier":
        dossier = session.get(Dossier, int(ident))
        own = _about(session, "dossier", [dossier.id])
        groups.append((labels.subject_type_label("dossier"), own))
        docs += _dossier_documents(dossier, own, attachments)
        decision_ids = session.scalars(select(DecisionItem.decision_id).where(
            DecisionItem.dossier_id == dossier.id)).all()
        for decision in session.scalars(select(Decision).where(Decision.id.in_(decision_ids))):
            events = _about(session, "decision", [decision.id])
            groups.append((present.subject_name(session, "decision", str(decision.id), locale),
                           events))
            docs += _decision_documents(decision, events, documents, {dossier.id})
            docs += _signed_documents(session, decision, events, documents)
        records = session.scalars(select(AwardRecord.id).where(
            AwardRecord.dossier_id == dossier.id)).all()
        groups.append((labels.subject_type_label("award_record"),
                       _about(session, "award_record", records)))
        meetings = _sessions_of(session, [dossier.id])
    elif kind == "decision":
        decision = session.get(Decision, int(ident))
        events = _about(session, "decision", [decision.id])
        groups.append((labels.subject_type_label("decision"), events))
        docs += _decision_documents(decision, events, documents)
        docs += _signed_documents(session, decision, events, documents)
        dossier_ids = [item.dossier_id for item in decision.items]
        for dossier in session.scalars(select(Dossier).where(Dossier.id.in_(dossier_ids))
                                       .order_by(Dossier.id)):
            own = _about(session, "dossier", [dossier.id])
            groups.append((present.subject_name(session, "dossier", str(dossier.id), locale),
                           own))
            docs += _dossier_documents(dossier, own, attachments)
        records = session.scalars(select(AwardRecord.id).where(
            AwardRecord.dossier_id.in_(dossier_ids))).all()
        groups.append((labels.subject_type_label("award_record"),
                       _about(session, "award_record", records)))
        meetings = _sessions_of(session, dossier_ids)
    else:
        meeting = session.get(CouncilSession, int(ident))
        events = _about(session, "council_session", [meeting.id])
        groups.append((labels.subject_type_label("council_session"), events))
        rounds = session.scalars(select(VotingRound.id).where(
            VotingRound.session_id == meeting.id)).all()
        groups.append((labels.subject_type_label("council_round"),
                       _about(session, "council_round", rounds)))
        row = session.scalar(select(CouncilMinutes).where(
            CouncilMinutes.session_id == meeting.id))
        if row is not None:
            docs += _minutes_documents(row, events, documents)
        meetings = [meeting]
    everything = sorted({e.seq: e for _h, evs in groups for e in evs}.values(),
                        key=lambda e: e.seq)
    broken = [e.seq for e in everything if event_hash(
        e.prev_hash, {name: getattr(e, name) for name in HASHED_FIELDS}) != e.hash]
    checkpoint, problem = _covering(session, everything)
    sections = [Section(heading, present.present(session, evs, locale))
                for heading, evs in groups if evs]
    return Pack(kind=kind, ident=ident,
                title=present.subject_name(session, kind, ident, locale), sections=sections,
                events=everything, documents=docs,
                minutes=_minutes(session, meetings, documents, locale),
                broken_events=broken, checkpoint=checkpoint, checkpoint_problem=problem,
                generated_at=now or datetime.now(UTC))


def _covering(session: Session, events: list[AuditEvent]) -> tuple[dict | None, str | None]:
    last = max((e.seq for e in events), default=0)
    row = session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.seq >= last)
                         .order_by(AuditCheckpoint.seq, AuditCheckpoint.id).limit(1))
    if row is None:
        return None, _("No signed checkpoint covers these events yet (the last one is event "
                       "%(seq)d): ask the administrator to run `flask audit checkpoint`, then "
                       "download the pack again.", seq=last)
    data = as_dict(row)
    problem = check_checkpoint(session, data)
    return data, (_("the covering checkpoint does not hold: %(why)s", why=translate(problem))
                  if problem else None)


# --- the files --------------------------------------------------------------------------

def file_names(pack: Pack) -> dict[str, str]:
    """{sha256: its path in the ZIP} for the documents held: a readable ASCII name from the
    document's own (Vietnamese letters folded: "quyet-dinh-01-QD-BTP.pdf"), one name per file
    (a file listed twice keeps its first name), a name taken twice made distinct ("-2")."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for doc in pack.documents:
        if doc.data is None or doc.sha256 in names:
            continue
        wanted = doc.archive_name or doc.filename
        stem, dot, extension = wanted.rpartition(".")
        stem, extension = (stem, extension) if dot else (wanted, "bin")
        stem = "-".join(part for part in ascii_name(stem).split("-") if part)[:80] or "tai-lieu"
        extension = ascii_name(extension).lower()[:8] or "bin"
        name, n = f"{stem}.{extension}", 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}.{extension}"
        taken.add(name)
        names[doc.sha256] = f"documents/{name}"
    return names


def manifest(pack: Pack) -> dict:
    """evidence.json: what the standalone verifier checks against the chain export."""
    files = file_names(pack)
    return {
        "format": FORMAT,
        "subject": {"kind": pack.kind, "id": pack.ident, "title": pack.title},
        "generated_at": pack.generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "events": [{"seq": e.seq, "hash": e.hash, "action": e.action} for e in pack.events],
        "documents": [{"label": d.label, "file": files[d.sha256], "sha256": d.sha256,
                       "recorded_in_seq": d.event_seq, "recorded_sha256": d.recorded}
                      for d in pack.documents if d.data is not None],
        "missing_documents": [{"label": d.label, "sha256": d.sha256}
                              for d in pack.documents if d.data is None],
        "checkpoint": pack.checkpoint,
    }


def pack_zip(session: Session, pack: Pack, pdf: bytes, target,
             kept_copies: Path | None = None) -> None:
    """Write the pack's ZIP to the binary file `target`. The chain export goes through a
    temporary file, never whole into memory (a long chain is hundreds of megabytes)."""
    with tempfile.TemporaryFile() as events:
        chain = write_export(session, events, kept_copies)
        events.seek(0)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("evidence.pdf", pdf)
            archive.writestr("evidence.json", json.dumps(manifest(pack), indent=2,
                                                         ensure_ascii=False))
            held = {doc.sha256: doc.data for doc in pack.documents if doc.data is not None}
            files = file_names(pack)
            for sha256, name in files.items():
                archive.writestr(name, held[sha256])
            archive.writestr("documents/SHA256SUMS", "".join(
                f"{sha256}  {name.removeprefix('documents/')}\n"
                for sha256, name in files.items()))
            with archive.open("events.jsonl", "w", force_zip64=True) as member:
                shutil.copyfileobj(events, member)
            archive.writestr("manifest.json", json.dumps(chain, indent=2, ensure_ascii=False))
            archive.writestr("standalone_verify.py", STANDALONE.read_bytes())
