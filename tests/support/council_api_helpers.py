"""Helpers and fixtures for the council API tests (tests/api/test_api_council*.py).

`make_outsider`: a user holding every council role over another unit — the council of
`make_council()` (over the root unit) is not theirs, so they must get a 404 and no data.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support.factories import DEFAULT_PASSWORD
from tests.support.helpers import audit_events as events  # noqa: F401 - used by the tests

COUNCIL_ROLES = ["admin", "secretary", "chair", "auditor", "council_member", "submitter",
                 "reviewer"]


def body(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_json()




def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def paper_choices(paper: dict, choice: str = "agree") -> list[dict]:
    return [{"item_id": item["item_id"], "choice": choice} for item in paper["items"]]


def cast_body(paper: dict, choice: str = "agree", **extra) -> dict:
    return {"choices": paper_choices(paper, choice), "confirm": True,
            "password": DEFAULT_PASSWORD, **extra}


def make_outsider(make_user, other_unit):
    """For a module's `outsider` fixture."""
    return make_user("outsider", roles=COUNCIL_ROLES, unit=other_unit, locale="en")


def assert_hidden(response, *secrets: str) -> None:
    """A 404 JSON error that shows none of `secrets`."""
    assert response.status_code == 404, response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert response.get_json()["error"]["code"] == "not_found"
    for secret in secrets:
        assert secret not in text
