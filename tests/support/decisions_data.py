"""Fixtures and helpers for the decision, forwarding and revocation API tests.

The ministry (`root_unit`, symbol BTP) issues; province A (`submitting_unit`) submits;
province B (`province_b`) is another unit with its own signer and submitter. Users read
English. Each test module declares the fixtures it needs from the `make_*` helpers.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support.helpers import audit_events as events  # noqa: F401 - used by the tests
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.dossier import Dossier

PENDING = "(số sẽ cấp khi ban hành)"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_signer(make_user, make_person, unit=None, name="signer-btp"):
    """A signer over `unit` (default: the ministry), linked to a person with a position."""
    person = make_person("Lê Thành Long" if unit is None else "Phạm Văn B",
                         position="Bộ trưởng" if unit is None else "Cục trưởng", unit=unit)
    return make_user(name, roles=["signer"], unit=unit, person=person, locale="en")


def make_officer(make_user, make_person):
    """A reviewer over the ministry (forwards, proposes revocations), linked to a person."""
    person = make_person("Trần Thị Vụ", position="Vụ trưởng Vụ Thi đua - Khen thưởng")
    return make_user("officer-btp", roles=["reviewer"], person=person, locale="en")


def make_higher_award(make_award, tx):
    """An award the Prime Minister confers: forwarded with a tờ trình, not decided here."""
    award = make_award()
    version = tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one()
    version.conferring_level = "prime_minister"
    tx.commit()
    return award


def wording(ids, **changes) -> dict:
    """A decision body the signer could send."""
    from workflow_app.dossiers.service.dossiers import today_vn

    body = {"dossier_ids": list(ids), "issued_on": today_vn().isoformat(), "place": "Hà Nội",
            "summary": "Về việc tặng Bằng khen", "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP",
            "bases": ["Căn cứ A;", "  ", "Căn cứ B;"],
            "articles": ["Tặng Bằng khen.", "Quyết định này có hiệu lực kể từ ngày ký."],
            "recipients": ["Như Điều 3;", "Lưu: VT, TĐKT."]}
    body.update(changes)
    return body


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def state_of(session, dossier_id: int) -> str:
    return session.scalar(select(Dossier.state).where(Dossier.id == dossier_id))




def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()
