"""Rows that let the fuzzer reach past "404" in the council area's operations (councils,
sessions, rounds, ballots, minutes, acclamation), made only for those operations (they cost
a council, four sessions and a contest per example run).

The fuzzing user becomes the council's chair (a voting seat) and holds the secretary and
chair roles over the root unit. Session 1 has an open round (a ballot paper to cast),
session 2 a closed one (published receipts, minutes to sign), session 3 an agenda item and
no round (agenda, attendance, conflicts), session 4 nothing yet (it may still be changed
or cancelled). A cluster of three units has a conference and an
open contest.
"""

from __future__ import annotations

from datetime import date

from workflow_app.accounts.service import users as user_service
from workflow_app.council.service import acclamation, attendance, councils, rounds, sessions
from workflow_app.models.catalogue import Award
from workflow_app.models.org import Cluster
from workflow_app.org.service import clusters as cluster_service

COUNCIL_PREFIXES = ("/councils", "/council/", "/acclamation/")
RULE = {"method": "secret_ballot", "numerator": "agree", "denominator": "all_members",
        "comparator": ">", "ratio": "1/2", "absent_may_vote_in_writing": True,
        "configurable": True}

# Operations that judge a schema-valid body against the data (a council's rules, seats and
# terms, the caller's password, the paper's items, the cluster's units) and answer 422 with
# the reason (asserted in tests/api/test_api_council*.py).
JUDGED_COUNCIL_BODIES = frozenset({
    "POST /councils", "PUT /councils/{council_id}/rules",
    "POST /councils/{council_id}/members", "POST /councils/members/{member_id}/end-term",
    "PUT /councils/members/{member_id}/role", "POST /council/sessions",
    "PATCH /council/sessions/{session_id}", "POST /council/sessions/{session_id}/cancel",
    "PUT /council/sessions/{session_id}/attendance",
    "POST /council/sessions/{session_id}/quota-decisions",
    "POST /council/items/{item_id}/conflicts", "POST /council/items/{item_id}/hold",
    "POST /council/items/{item_id}/ruling", "POST /council/rounds/{round_id}/ballot",
    "POST /council/rounds/{round_id}/written/{member_id}", "POST /acclamation/conferences",
    "POST /acclamation/conferences/{conference_id}/contests",
    "POST /acclamation/contests/{contest_id}/papers",
    "PUT /acclamation/contests/{contest_id}/candidates",
})


def is_council_operation(test_name: str) -> bool:
    return any(f" {prefix}" in test_name for prefix in COUNCIL_PREFIXES)


def add_council_rows(tx, session, user, make_user, make_unit, make_dossier,
                     make_award) -> None:
    """Write the rows (users and units through `session`, the rest through `tx`)."""
    root = user.grants[0].unit
    for role in ("secretary", "chair", "council_member"):
        user_service.grant_role(session, user, role, root, actor=None)
    others = [make_user(f"fuzz-member-{n}", roles=["council_member"]) for n in (1, 2)]
    units = [make_unit(f"Đơn vị cụm {n}", parent=root) for n in (1, 2, 3)]
    cluster = cluster_service.create_cluster(session, code="FUZZ-CUM", name="Cụm thi đua",
                                             kind="cluster", organiser=root)
    for unit in units:
        cluster_service.set_membership(session, cluster, unit, 2025, "member")
    session.commit()

    award = tx.get(Award, make_award().id)
    award.versions[0].vote_rule = dict(RULE)
    tx.commit()
    dossiers = [make_dossier("awaiting_council", award=award) for _ in range(3)]
    actor = tx.merge(user)
    council = councils.create_council(tx, code="FUZZ-HD", name="Hội đồng thử",
                                      unit=tx.merge(root))
    seats = [councils.add_member(tx, council, actor, "chair", term_from=date(2020, 1, 1))]
    seats += [councils.add_member(tx, council, tx.merge(other), "member",
                                  term_from=date(2020, 1, 1)) for other in others]
    for n, dossier in enumerate(dossiers):
        meeting = sessions.schedule(tx, council, held_on=date.today(), place="Phòng họp",
                                    actor=actor)
        sessions.add_item(tx, meeting, dossier, actor=actor)
        for seat in seats:
            attendance.set_status(tx, meeting, seat, "present", actor=actor)
        if n < 2:
            voting_round = rounds.open_round(tx, meeting, actor=actor)
            if n == 1:
                rounds.close_round(tx, voting_round, actor=actor)
    # Session 4: scheduled, not opened (it may still be changed or cancelled).
    sessions.schedule(tx, council, held_on=date.today(), place="Phòng họp", actor=actor)
    conference = acclamation.open_conference(tx, tx.merge(session.get(Cluster, cluster.id)),
                                             2025, date(2025, 12, 20), actor=actor)
    acclamation.open_contest(tx, conference, award, 1, actor=actor)
    tx.commit()
