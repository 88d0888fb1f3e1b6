"""Councils and voting (issue 4): councils and members, sessions, attendance and quorum,
recusals, secret and open ballots, statutory thresholds, tallies, cluster acclamation.

Services here flush and never commit; routes commit once. Every session action writes an
audit event; no audit event, log line or export ever holds a ballot's content or anything
linking a member to a ballot.
"""
