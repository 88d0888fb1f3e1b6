"""Demo council and the seed 001 acclamation (DEMO ONLY), after the demo accounts exist.

The Ministry's council (Hội đồng Thi đua - Khen thưởng Bộ Tư pháp) seats the demo chair,
three members and the secretary, so that a session and a secret ballot can be tried at once.
It recuses members of the nominee's unit as well as the nominee (a configurable setting), so
the demo shows an automatic recusal (`demo_council_dossiers.py`).
The Cụm thi đua số III conference of 2017 (seed 001) is replayed when the catalogue is
loaded: it acclaims 2 units for Cờ thi đua của Chính phủ and 4 for Cờ thi đua ngành Tư pháp
and opens their flag dossiers.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.council.service import councils
from workflow_app.demo.seed001 import replay_seed_001
from workflow_app.models.catalogue import Award
from workflow_app.models.council import Council
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User

COUNCIL_CODE = "HDTDKT-BTP"
SEATS = (("demo.chair", "chair"), ("demo.council1", "member"), ("demo.council2", "member"),
         ("demo.council3", "member"), ("demo.secretary", "secretary"))
TERM_FROM = date(2026, 1, 1)


def _user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def load_demo_council(session: Session) -> list[str]:
    """Create what is missing; return lines saying what was done."""
    done = []
    council = session.scalar(select(Council).where(Council.code == COUNCIL_CODE))
    if council is None:
        ministry = session.scalar(select(OrgUnit).where(OrgUnit.code == "BTP"))
        council = councils.create_council(
            session, code=COUNCIL_CODE, name="Hội đồng Thi đua - Khen thưởng Bộ Tư pháp",
            unit=ministry, quorum_comparator=">", quorum_ratio="1/2",
            recuse_nominee_unit=True)
        for username, role in SEATS:
            councils.add_member(session, council, _user(session, username), role,
                                term_from=TERM_FROM, term_to=None, voting=None)
        done.append(f"council {COUNCIL_CODE} with {len(SEATS)} seats")
    if session.scalar(select(Award.id).where(Award.code == "CO_CP")) is None:
        done.append("seed 001 acclamation skipped: load the catalogue first")
        return done
    actor = _user(session, "demo.vutdkt")
    conference = replay_seed_001(session, actor)
    done.append(f"seed 001 acclamation of Cụm thi đua số III ({conference.year}) recorded")
    return done
