"""Adding persons (workflow_app/org/service/persons.py): checked, audited without personal data."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from workflow_app.models import AuditEvent, Person
from workflow_app.org.service.persons import PersonError, create_person


# Messages are translated (Vietnamese by default): check the figures they must name.
@pytest.mark.parametrize(("fields", "message"), [
    ({"full_name": "   "}, "120"),
    ({"full_name": "x" * 121}, "120"),
    ({"position": "p" * 161}, "160"),
    ({"national_id": "12345"}, "12"),
    ({"national_id": "04418790012a"}, "12"),
    ({"date_of_birth": date.today() + timedelta(days=1)}, None),
])
def test_bad_person_is_refused_and_nothing_is_written(session, root_unit, fields, message):
    with pytest.raises(PersonError, match=message):
        create_person(session, **{"full_name": "Nguyễn Văn A", "unit": root_unit, **fields})
    session.rollback()
    assert session.scalar(select(func.count(Person.id))) == 0


def test_duplicate_national_id_is_a_clear_error(session, root_unit):
    create_person(session, full_name="Người Một", unit=root_unit, national_id="044187900126")
    with pytest.raises(PersonError):
        create_person(session, full_name="Người Hai", unit=root_unit, national_id="044187900126")


def test_audit_event_names_the_unit_but_not_the_national_id(session, root_unit):
    person = create_person(session, full_name="  Lê   Văn  Bình ", unit=root_unit,
                           national_id="044083900999", date_of_birth=date(1983, 7, 14))
    session.commit()
    assert person.full_name == "Lê Văn Bình"
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "person.created"))
    assert event.subject_id == str(person.id)
    assert event.data == {"unit_id": root_unit.id, "unit_code": "BTP", "is_leader": False,
                          "has_national_id": True}
    assert "044083900999" not in str(event.data) and "1983" not in str(event.data)
