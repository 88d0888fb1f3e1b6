"""Seed 001 replayed: the 2017 year-end conference of Cụm thi đua số III (demo data).

Seed 001 reports that the cluster's 12 member units acclaimed Cục Hộ tịch, quốc tịch, chứng
thực and Thanh tra Bộ for Cờ thi đua của Chính phủ, and those two with Cục Kiểm tra văn bản
quy phạm pháp luật and Cục Bồi thường nhà nước for Cờ thi đua ngành Tư pháp. The seed gives
the result, not the ballots: the papers below are INVENTED so that approval voting under
the catalogue's threshold (more than half of the other members, configurable) gives exactly
that result. The catalogue holds no rule of 2017 (old law is not a source for current
rules), so the replay applies the rule version in force on `rule_on` (default: today).

`replay_seed_001` is idempotent: a second run finds the conference and changes nothing.
Needs the demo units and cluster (`flask demo load`) and the catalogue (`flask catalogue
load`).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.council.service import acclamation
from workflow_app.council.service.errors import CouncilError
from workflow_app.models.acclamation import AcclamationConference
from workflow_app.models.catalogue import Award
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.user import User

CLUSTER_CODE = "CUM-III"
YEAR = 2017
HELD_ON = date(2017, 11, 22)  # "Chiều 22/11" (seed 001)

# Letters for the 12 members, in the order of seed 001.
UNITS = {
    "A": "BTP-CHTQTCT",    # Cục Hộ tịch, quốc tịch, chứng thực
    "B": "BTP-TCTHADS",    # Tổng cục Thi hành án dân sự
    "C": "BTP-CBTNN",      # Cục Bồi thường Nhà nước
    "D": "BTP-CKTVB",      # Cục Kiểm tra văn bản quy phạm pháp luật
    "E": "BTP-CDKGDBD",    # Cục Đăng ký Quốc gia giao dịch bảo đảm
    "F": "BTP-CTGPL",      # Cục Trợ giúp pháp lý
    "G": "BTP-CCN",        # Cục Con nuôi
    "H": "BTP-CCNTT",      # Cục Công nghệ thông tin
    "I": "BTP-TTR",        # Thanh tra Bộ
    "J": "BTP-CCTPN",      # Cục Công tác phía Nam
    "K": "BTP-CBTTP",      # Cục Bổ trợ tư pháp
    "L": "BTP-CQLXLVPHC",  # Cục Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật
}

# (award code, seats, {voter: candidates}) — invented papers (see the module docstring).
CONTESTS = (
    ("CO_CP", 2, {
        "A": "ID", "B": "AI", "C": "AI", "D": "AI", "E": "AI", "F": "AD",
        "G": "AI", "H": "IC", "I": "AC", "J": "AI", "K": "AC", "L": "AI",
    }),
    ("CO_BO", 4, {
        "A": "IDCF", "B": "ADCI", "C": "ADIE", "D": "ACIH", "E": "ADCI", "F": "ADIB",
        "G": "ACID", "H": "ADCJ", "I": "ADCK", "J": "AIDC", "K": "AICL", "L": "ADCE",
    }),
)


def _by_code(session: Session, model, codes) -> dict:
    rows = {row.code: row for row in session.scalars(select(model).where(model.code.in_(codes)))}
    missing = sorted(set(codes) - set(rows))
    if missing:
        raise CouncilError(_("Missing for the seed 001 replay: %(codes)s. Load the demo data "
                             "and the catalogue first.", codes=", ".join(missing)))
    return rows


def replay_seed_001(session: Session, actor: User, *, rule_on: date | None = None,
                    storage: Storage | None = None) -> AcclamationConference:
    """Hold the 2017 conference of Cụm III with the papers above; open the nominations, each
    with the result attached (stored in `storage`, default: the dossier attachments)."""
    [cluster] = _by_code(session, Cluster, [CLUSTER_CODE]).values()
    existing = session.scalar(select(AcclamationConference).where(
        AcclamationConference.cluster_id == cluster.id, AcclamationConference.year == YEAR))
    if existing is not None:
        return existing
    units = _by_code(session, OrgUnit, list(UNITS.values()))
    awards = _by_code(session, Award, [code for code, _seats, _papers in CONTESTS])
    conference = acclamation.open_conference(session, cluster, YEAR, HELD_ON, actor=actor)
    for code, seats, papers in CONTESTS:
        contest = acclamation.open_contest(session, conference, awards[code], seats,
                                           actor=actor, rule_on=rule_on or date.today())
        for voter, choices in papers.items():
            acclamation.record_vote(session, contest, units[UNITS[voter]],
                                    [units[UNITS[c]] for c in choices], actor=actor)
        acclamation.close_contest(session, contest, actor=actor)
        acclamation.open_nominations(session, contest, actor=actor, storage=storage)
    return conference
