"""Issue 10 item 4 over the API: a decision or a higher decision that would record the same
award twice for one nominee and year is refused with 409 `duplicate_award` (details: the
nominee, award, year, dossiers and registry decision numbers), and takes no number."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import make_higher_award, ok, wording
from tests.support.factories import REAUTH
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import forwarding
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.decision import Decision, DocumentSeries
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User


@pytest.fixture
def signer(make_user, make_person):
    """Signs decisions and, as a reviewer, forwards and records the higher decisions."""
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person, locale="en")


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def twins(make_dossier, **kwargs) -> tuple[Dossier, Dossier]:
    first = make_dossier("council_approved", **kwargs)
    second = make_dossier("council_approved", nominee=first.nominee_person, **kwargs)
    return first, second


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Decision, DocumentSeries, AwardRecord))


def test_the_api_refuses_with_409_and_takes_no_number(as_user, session, signer, make_dossier,
                                                      make_award, tx, storage):
    first, second = twins(make_dossier)
    ids, year = [first.id, second.id], first.year
    tx.rollback()  # the test's engine session holds no lock while the requests write
    call = as_user(signer)
    for path in ("/api/v1/decisions/preview", "/api/v1/decisions"):
        signing = REAUTH if path == "/api/v1/decisions" else {}
        response = call("POST", path, json={**wording(ids), **signing})
        assert response.status_code == 409, response.get_data(as_text=True)
        assert error_code(response) == "duplicate_award"
        error = response.get_json()["error"]
        assert f"#{ids[0]}" in error["message"] and f"#{ids[1]}" in error["message"]
        assert error["details"][0]["dossier_ids"] == ids
        assert error["details"][0]["year"] == year
    assert counts(session) == (0, 0, 0)
    issued = ok(call("POST", "/api/v1/decisions", json={**wording(ids[:1]), **REAUTH}), 201)
    assert issued["reference"] == "01/QĐ-BTP"
    again = call("POST", "/api/v1/decisions", json={**wording(ids[1:]), **REAUTH})
    assert again.status_code == 409 and error_code(again) == "duplicate_award"
    assert again.get_json()["error"]["details"][0]["decision_numbers"] == ["01/QĐ-BTP"]
    assert counts(session) == (1, 1, 1)

    higher = make_higher_award(make_award, tx)
    up = [d.id for d in twins(make_dossier, award=higher)]
    user = tx.get(User, signer.id)
    for dossier_id in up:
        dossier = tx.get(Dossier, dossier_id)
        forwarding.forward_dossiers(tx, user, forwarding.default_input(user, [dossier],
                                                                       today_vn()),
                                    storage, today_vn())
        tx.commit()
    tx.rollback()
    body = {"number": "125/QĐ-TTg", "decided_on": today_vn().isoformat()}
    ok(call("POST", f"/api/v1/forwarding/awaiting/{up[0]}/decision", json=body), 201)
    refused = call("POST", f"/api/v1/forwarding/awaiting/{up[1]}/decision",
                   json={**body, "number": "130/QĐ-TTg"})
    assert refused.status_code == 409 and error_code(refused) == "duplicate_award"
    assert session.get(Dossier, up[1]).state == "forwarded"
    assert session.scalar(select(func.count()).select_from(AwardRecord)) == 2
