"""Callable factories with sensible defaults: `make_unit()`, `make_person()`, `make_user()`."""

from __future__ import annotations

import itertools

import pytest

from workflow_app.accounts.service import users as user_service
from workflow_app.models.org import OrgUnit, Person

DEFAULT_PASSWORD = "correct-horse-battery"
# The password again, as signing acts ask for it (workflow_app/signing.py, api/reauth.py).
REAUTH = {"password": DEFAULT_PASSWORD}
_counter = itertools.count(1)


def _add_unit(session, name=None, *, kind="agency", parent=None, code=None, symbol="") -> OrgUnit:
    n = next(_counter)
    name = name or f"Đơn vị {n}"
    # Every test unit can issue documents: its organisation line is set (test data).
    unit = OrgUnit(code=code or f"U{n}", name=name, name_en=f"Unit {n}", kind=kind,
                   symbol=symbol, parent=parent,
                   founding_ground=f"Căn cứ Quyết định thử nghiệm về tổ chức của {name};")
    session.add(unit)
    session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    session.flush()
    return unit


@pytest.fixture
def make_unit(session):
    def make(name=None, *, kind="agency", parent=None, code=None, symbol="") -> OrgUnit:
        unit = _add_unit(session, name, kind=kind, parent=parent, code=code, symbol=symbol)
        session.commit()
        return unit

    return make


# The ministry's document settings (test data: a decree named without number or date).
ROOT_FOUNDING_GROUND = ("Căn cứ Nghị định thử nghiệm quy định chức năng, nhiệm vụ, quyền hạn "
                        "và cơ cấu tổ chức của Bộ Tư pháp;")


@pytest.fixture
def root_unit(make_unit, session) -> OrgUnit:
    unit = make_unit("Bộ Tư pháp", kind="ministry", code="BTP", symbol="BTP")
    unit.founding_ground, unit.head_title = ROOT_FOUNDING_GROUND, "Bộ trưởng Bộ Tư pháp"
    session.commit()
    return unit


@pytest.fixture
def make_person(session, root_unit):
    def make(full_name=None, *, unit=None, **fields) -> Person:
        n = next(_counter)
        person = Person(full_name=full_name or f"Nguyễn Văn {n}", unit=unit or root_unit,
                        position=fields.pop("position", "Chuyên viên"), **fields)
        session.add(person)
        session.commit()
        return person

    return make


@pytest.fixture
def make_user(session, root_unit):
    def make(username=None, *, roles=(), unit=None, password=DEFAULT_PASSWORD, person=None,
             totp_secret=None, **fields):
        user = user_service.create_user(
            session, username or f"user{next(_counter)}", password, person=person, **fields
        )
        for role in roles:
            user_service.grant_role(session, user, role, unit or root_unit, actor=None)
        if totp_secret:
            user.totp_secret = totp_secret
        session.commit()
        return user

    return make
