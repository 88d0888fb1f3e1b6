"""People move (issue 19 item 3): a transfer on a date with its decision; the unit a person
belonged to on any day; their awards stay theirs and count for them after the move; bad
input refused with its reason, nothing written; the admin page and the API."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.support.helpers import login_as, post_form
from tests.support.registry_data import give
from workflow_app.eligibility.service.evaluate import evaluate
from workflow_app.models import AuditEvent, Person, PersonTransfer
from workflow_app.org.service import reorg, transfers


@pytest.fixture(autouse=True)
def _english(app):
    """The services' messages in English, as the assertions read them (Vietnamese is
    checked by the page tests and tests/framework/test_i18n.py)."""
    with force_locale("en"):
        yield


@pytest.fixture
def two_units(make_unit, root_unit):
    a = make_unit("Sở Tư pháp tỉnh A", kind="provincial_justice", parent=root_unit)
    b = make_unit("Sở Tư pháp tỉnh B", kind="provincial_justice", parent=root_unit)
    return a, b


def _count(session) -> int:
    return session.scalar(select(func.count(PersonTransfer.id)))


def test_a_transfer_moves_the_person_from_its_date_and_their_titles_follow(
        session, two_units, make_person):
    a, b = two_units
    person = make_person("Nguyễn Thị Hoa", unit=a)
    give(session, "CSTDCS", 2022, 2023, 2024, person=person)
    transfers.transfer(session, person, b, date(2024, 9, 1), decision_number="45/QĐ-UBND",
                       decision_date=date(2024, 8, 20))
    session.commit()
    session.expire_all()
    assert person.unit_id == b.id
    assert transfers.unit_as_of(session, person, date(2024, 8, 31)).id == a.id
    assert transfers.unit_as_of(session, person, date(2024, 9, 1)).id == b.id
    [audit] = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.transferred"))
    assert audit.data["from_unit_id"] == a.id and audit.data["to_unit_id"] == b.id
    # Titles earned in A count for the person in B (the registry keys them by person).
    from types import SimpleNamespace
    three = SimpleNamespace(prerequisites=[{"kind": "consecutive_titles", "award": "CSTDCS",
                                            "years": 3}])
    [result] = evaluate(session, person, "CSTD_BO", 2024, date(2024, 12, 1), version=three)
    assert result.status == "met"


@pytest.mark.parametrize("case, words", [
    ("same_unit", "already belongs"), ("future", "future"), ("closed", "does not exist"),
    ("out_of_order", "date order")])
def test_bad_transfers_are_refused_and_nothing_is_written(session, two_units, make_person,
                                                          case, words):
    a, b = two_units
    person = make_person(unit=a)
    target, day = b, date(2024, 9, 1)
    if case == "same_unit":
        target = a
    elif case == "future":
        day = date(2099, 1, 1)
    elif case == "closed":
        reorg.apply(session, reorg.Change("dissolved", date(2024, 1, 1), "1/QĐ", date(2023, 12, 1),
                                          "UBND", [b]))
        session.commit()
    else:
        transfers.transfer(session, person, b, date(2025, 1, 1))
        session.commit()
        target = a
    before = (_count(session), session.get(Person, person.id).unit_id)
    with pytest.raises(transfers.TransferError, match=words):
        transfers.transfer(session, person, target, day)
    session.rollback()
    assert (_count(session), session.get(Person, person.id).unit_id) == before


def test_admin_page_and_api_record_a_transfer(app, client, session, two_units, make_person,
                                              make_user, call_as):
    a, b = two_units
    person = make_person("Trần Văn Bình", unit=a)
    login_as(app, client, make_user("root", roles=["admin"]))
    path = f"/admin/persons/{person.id}/transfer"
    refused = post_form(client, path, {"to_unit_id": str(a.id), "effective_date": "01/09/2024"})
    assert refused.status_code == 422 and _count(session) == 0
    done = post_form(client, path, {"to_unit_id": str(b.id), "effective_date": "01/09/2024",
                                    "decision_number": "45/QĐ-UBND"})
    assert done.status_code == 302 and _count(session) == 1
    page = client.get(f"/org/persons/{person.id}").get_data(as_text=True)
    assert 'data-testid="transfer"' in page and "45/QĐ-UBND" in page and "01/09/2024" in page

    api = call_as(make_user("api-admin", roles=["admin"]))
    back = api("POST", f"/api/v1/persons/{person.id}/transfers",
               json={"to_unit_id": a.id, "effective_date": "2025-02-01"})
    assert back.status_code == 201, back.get_data(as_text=True)
    assert back.get_json()["from_unit"]["id"] == b.id
    early = api("POST", f"/api/v1/persons/{person.id}/transfers",
                json={"to_unit_id": b.id, "effective_date": "2024-01-01"})
    assert early.status_code == 409 and _count(session) == 2


def test_statistics_count_a_title_where_it_was_earned(session, two_units, make_person,
                                                      make_user):
    from workflow_app.reports.service import statistics as stats
    from workflow_app.reports.service.filters import StatsQuery

    a, b = two_units
    person = make_person("Lê Văn Cường", unit=a)
    give(session, "CSTDCS", 2022, person=person)  # earned in A
    transfers.transfer(session, person, b, date(2023, 3, 1))
    give(session, "CSTDCS", 2023, person=person)  # earned in B
    session.commit()
    admin = make_user("stats-admin", roles=["admin"])

    def totals(unit) -> dict[int, int]:
        table = stats.statistics(session, admin, StatsQuery(2022, 2023, unit_id=unit.id,
                                                            group_by="award"))
        [row] = table.rows
        return {year: row.count(year) for year in table.years}

    assert totals(a) == {2022: 1, 2023: 0}
    assert totals(b) == {2022: 0, 2023: 1}
