"""The evidence pack as one PDF (fpdf2, the vendored Liberation fonts of decisions): the
result first, then the history with its diffs, the documents and their hashes, the minutes'
verification and the chain proof."""

from __future__ import annotations

from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from workflow_app.auditor.service.evidence import Pack
from workflow_app.auditor.service.present import local_time
from workflow_app.decisions.service.pdf_render import FAMILY, new_pdf


def _line(pdf, text: str, size: float = 9, style: str = "", h: float = 4.6) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, h, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf, text: str) -> None:
    pdf.ln(2)
    _line(pdf, text, size=12, style="B", h=6)


def render(pack: Pack) -> bytes:
    pdf = new_pdf(on=pack.generated_at.date())
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.set_title(_("Evidence pack: %(title)s", title=pack.title))
    _line(pdf, _("Evidence pack: %(title)s", title=pack.title), size=15, style="B", h=7)
    _line(pdf, _("Prepared on %(time)s (Vietnam time).", time=local_time(pack.generated_at)))
    _line(pdf, _("Result: every check holds.") if pack.ok
          else _("Result: some checks do not hold (listed below)."), size=11, style="B", h=6)
    if pack.ok and not pack.anchored:
        _line(pdf, pack.checkpoint_problem or "")

    _heading(pdf, _("1. History"))
    for section in pack.sections:
        _line(pdf, section.heading, size=10, style="B", h=5)
        for row in section.rows:
            states = f" ({row.from_label or '∅'} → {row.to_label or '∅'})" \
                if row.from_label or row.to_label else ""
            _line(pdf, f"#{row.seq} · {row.at} · {row.actor} · {row.action_label}{states}")
            if row.reason:
                _line(pdf, f"    {_('Reason')}: {row.reason}")
            for label, value in row.details:
                _line(pdf, f"    {label}: {value}")
            for change in row.changes:
                _line(pdf, f"    {change.label}: {change.old} → {change.new}")

    _heading(pdf, _("2. Documents and their hashes"))
    if not pack.documents:
        _line(pdf, _("No documents."))
    for doc in pack.documents:
        verdict = _("matches the audit event and the stored file") if doc.ok else doc.problem()
        _line(pdf, f"{doc.label} — {doc.filename}", style="B")
        _line(pdf, f"    SHA-256 {doc.sha256}", size=8)
        seq = f" #{doc.event_seq}" if doc.event_seq else ""
        _line(pdf, f"    {_('Recorded in event')}{seq}: {verdict}")

    _heading(pdf, _("3. Minutes and tallies"))
    if not pack.minutes:
        _line(pdf, _("No council session concerned."))
    for name, verification in pack.minutes:
        if not verification.signed:
            _line(pdf, f"{name}: " + _("the minutes are not signed yet."))
        elif verification.ok:
            _line(pdf, f"{name}: " + _("the signed minutes %(ref)s match the audit trail "
                                       "(attendance, quorum, ballots, tallies, rulings).",
                                       ref=verification.reference or ""))
        else:
            _line(pdf, f"{name}:", style="B")
            for problem in verification.problems():
                _line(pdf, f"    {problem}")

    _heading(pdf, _("4. Chain proof"))
    if pack.broken_events:
        _line(pdf, _("Events whose hash no longer matches their contents: %(seqs)s",
                     seqs=", ".join(str(s) for s in pack.broken_events)), style="B")
    else:
        _line(pdf, _("The hash of each of the %(n)d events was recomputed from its contents "
                     "and matches.", n=len(pack.events)))
    if pack.checkpoint is not None:
        cp = pack.checkpoint
        _line(pdf, _("Covering signed checkpoint: event %(seq)d, signed %(at)s.",
                     seq=cp["seq"], at=pack.checkpoint_at))
        _line(pdf, f"    head_hash {cp['head_hash']}", size=8)
        _line(pdf, f"    public_key {cp['public_key']}", size=8)
        _line(pdf, f"    signature {cp['signature']}", size=8)
    if pack.checkpoint_problem:
        _line(pdf, pack.checkpoint_problem, style="B")
    _line(pdf, _("To check offline: unzip the pack and run “python3 standalone_verify.py .” "
                 "in its folder (add --checkpoints with your kept copy of the checkpoints)."))
    pdf.ln(1)
    for event in pack.events:
        _line(pdf, f"#{event.seq}  {event.hash}  ← {event.prev_hash[:16]}…", size=7, h=3.6)
    return bytes(pdf.output())
