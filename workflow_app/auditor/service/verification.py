"""The verification report in the reader's language.

`audit.report.AuditReport.lines()` stays the English of `flask audit verify` (scripts read
it); the page and the API's `summary` say the same in the user's language: each finding the
verifiers can name is matched here and translated with its numbers. A finding not matched
(none is known) is shown under a translated heading, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from workflow_app.audit.report import AuditReport
from workflow_app.auditor.service.labels import state_label

_KNOWN = [
    (r"^event (?P<seq>\d+) is missing \(next found: (?P<next>\d+)\)$",
     _l("event %(seq)s is missing (the next one found is %(next)s)")),
    (r"^prev_hash does not match the previous event's hash$",
     _l("its link to the previous event does not match that event's hash")),
    (r"^hash does not match the event's contents$",
     _l("its hash does not match its contents: the event was altered")),
    (r"^the chain head row \(audit_head\) is missing$",
     _l("the record of the chain's last event (audit_head) is missing")),
    (r"^event (?P<seq>\d+) is missing: the recorded head is seq (?P<head>\d+) "
     r"\(events removed at the end\?\)$",
     _l("event %(seq)s is missing: the chain should end at event %(head)s (events removed "
        "at the end?)")),
    (r"^event after the recorded head \(seq (?P<head>\d+)\): appended behind the "
     r"application's back\?$",
     _l("an event follows the recorded last event (%(head)s): added behind the "
        "application's back?")),
    (r"^the recorded head \(seq (?P<head>\d+)\) does not match the chain's hash at that "
     r"seq \(head row altered\?\)$",
     _l("the recorded last event (%(head)s) does not match the chain there (record "
        "altered?)")),
    (r"^checkpoint at seq (?P<seq>\d+|None): signature is not valid$",
     _l("signed checkpoint at event %(seq)s: the signature is not valid")),
    (r"^checkpoint at seq (?P<seq>\d+): the chain ends at seq (?P<last>\d+) "
     r"\(events removed at the end\?\)$",
     _l("signed checkpoint at event %(seq)s: the chain ends at event %(last)s (events "
        "removed at the end?)")),
    (r"^checkpoint at seq (?P<seq>\d+): the chain no longer has the signed hash there "
     r"\(rewritten history\)$",
     _l("signed checkpoint at event %(seq)s: the chain no longer has the signed hash there "
        "(history rewritten)")),
    (r"^(?P<path>.+) line (?P<line>\d+): not a checkpoint$",
     _l("the copy of the checkpoints kept outside the database, line %(line)s: not a "
        "checkpoint")),
    (r"^nothing refuses (?P<verb>[A-Z]+) on audit_event \(trigger missing\)$",
     _l("nothing in the database stops %(verb)s audit events (its protection is missing)")),
    (r"^(?P<verb>[A-Z]+) on audit_event is not refused: trigger (?P<name>\S+) (?P<why>.+)$",
     _l("the database no longer stops %(verb)s audit events (its protection is switched off "
        "or changed)")),
    (r"^cannot check triggers on (?P<name>.+)$",
     _l("this kind of database cannot be checked for the protection of the audit trail")),
]
# SQL verbs in the findings, as words
VERBS = {"UPDATE": _l("changing"), "DELETE": _l("deleting")}
_PATTERNS = [(re.compile(pattern), message) for pattern, message in _KNOWN]


def translate(finding: str) -> str:
    for pattern, message in _PATTERNS:
        match = pattern.match(finding)
        if match:
            values = match.groupdict()
            if "verb" in values:
                values["verb"] = str(VERBS.get(values["verb"], values["verb"].lower()))
            return str(message) % values
    return str(_l("unrecognised finding: %(text)s", text=finding))


@dataclass
class Summary:
    ok: bool
    headline: str
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def summarise(report: AuditReport, locale: str) -> Summary:
    chain = report.chain
    lines, problems = [], []
    if chain.ok:
        lines.append(str(_l("Hash chain: intact, %(n)d events checked; last hash %(hash)s.",
                            n=chain.checked, hash=chain.head_hash)))
    elif chain.first_bad_seq is None:
        problems.append(str(_l("Hash chain broken: %(why)s.", why=translate(chain.reason))))
    else:
        problems.append(str(_l("Hash chain broken at event %(seq)d: %(why)s (%(n)d events "
                               "verified before it).", seq=chain.first_bad_seq,
                               why=translate(chain.reason), n=chain.checked)))
    lines.append(str(_l("Signed checkpoints: %(n)d checked.", n=report.checkpoints_checked)))
    problems.extend(str(_l("Signed checkpoint: %(why)s.", why=translate(p)))
                    for p in report.checkpoint_problems)
    if not report.trigger_problems:
        lines.append(str(_l("The database refuses to change or delete audit events.")))
    problems.extend(str(_l("Append-only protection: %(why)s.", why=translate(p)))
                    for p in report.trigger_problems)
    for mismatch in report.state_mismatches:
        if mismatch.last_event_seq is None:
            problems.append(str(_l("Dossier #%(id)d is in state “%(state)s” but has no audit "
                                   "event at all.", id=mismatch.dossier_id,
                                   state=state_label(mismatch.state, locale))))
        else:
            problems.append(str(_l("Dossier #%(id)d is in state “%(state)s” but its last event "
                                   "(%(seq)d) says “%(recorded)s”: changed behind the "
                                   "workflow.", id=mismatch.dossier_id,
                                   state=state_label(mismatch.state, locale),
                                   seq=mismatch.last_event_seq,
                                   recorded=state_label(mismatch.last_event_state, locale))))
    if not report.state_mismatches:
        lines.append(str(_l("Every dossier's state matches its last audit event.")))
    headline = (_l("The audit trail is intact.") if report.ok
                else _l("The audit trail has been tampered with."))
    return Summary(report.ok, str(headline), lines, problems)
