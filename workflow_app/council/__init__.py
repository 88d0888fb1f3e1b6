"""Councils and voting (issue 4): councils and members (managed by admins), sessions,
attendance and quorum, recusals, secret and open ballots, statutory thresholds, tallies,
cluster acclamation with its pages, and the minutes — numbered from the BB series at the
chair's sign-off and verifiable against the audit trail (`minutes_verify.py`).

Services here flush and never commit; routes commit once. Every session action writes an
audit event; no audit event, log line or export ever holds a ballot's content or anything
linking a member to a ballot.
"""
