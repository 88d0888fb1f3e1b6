"""Fixtures for the reviewer, public-disclosure and deadline tests.

Two provinces under the ministry: A (`submitting_unit` from workflow_factories) and B, each
with its own reviewer; dates relative to today in Vietnam; and the dossier pages' transition
route (`dossiers.transition`) — the real one when it is registered, else a stand-in that
follows the same contract (form fields `csrf_token`, `version`, `reason`, extra inputs,
`next`), so the review page's action forms are exercised end to end either way.
Users made here read English, so that assertions do not depend on the Vietnamese catalogue.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from flask import abort, redirect, request
from flask_login import current_user

from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.workdays import local_date
from workflow_app.workflow import fire
from workflow_app.workflow.engine import get_calendar

FIELD_TAG_RE = re.compile(r"<(?:input|textarea)\b([^>]*)>")
NAME_RE = re.compile(r'\bname="([^"]+)"')
VALUE_RE = re.compile(r'\bvalue="([^"]*)"')


def vn_today() -> date:
    return local_date(utcnow())


def at_day(day: date) -> datetime:
    """10:00 in Vietnam on `day`, as aware UTC."""
    return datetime.combine(day, time(3), tzinfo=UTC)


def working_days_from_today(n: int) -> date:
    return get_calendar().add_working_days(vn_today(), n)


@pytest.fixture
def province_b(make_unit, root_unit):
    return make_unit("Cục Thi hành án dân sự tỉnh B", kind="thads_provincial", parent=root_unit)


@pytest.fixture
def submitter_b(make_user, province_b):
    return make_user("submitter-b", roles=["submitter"], unit=province_b)


@pytest.fixture
def reviewer_a(make_user, submitting_unit):
    return make_user("reviewer-a", roles=["reviewer"], unit=submitting_unit,
                     email="reviewer-a@example.vn", locale="en")


@pytest.fixture
def reviewer_b(make_user, province_b):
    return make_user("reviewer-b", roles=["reviewer"], unit=province_b,
                     email="reviewer-b@example.vn", locale="en")


def _stand_in_transition(dossier_id: int, trigger: str):
    dossier = db.session.get(Dossier, dossier_id) or abort(404)
    extra = {k: v for k, v in request.form.items()
             if k not in {"csrf_token", "version", "reason", "next"} and v}
    fire(db.session, dossier, trigger, current_user._get_current_object(),
         request.form.get("version"), request.form.get("reason"), **extra)
    db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")


@pytest.fixture
def transition_route(app):
    """The endpoint `dossiers.transition`; a stand-in when the dossier pages lack it."""
    if "dossiers.transition" not in app.view_functions:
        app.add_url_rule("/dossiers/<int:dossier_id>/transitions/<trigger>",
                         endpoint="dossiers.transition", view_func=_stand_in_transition,
                         methods=["POST"])
    return "dossiers.transition"


def in_english(client) -> None:
    """Show the pages in English to a visitor who is not signed in (tests read English)."""
    with client.session_transaction() as flask_session:
        flask_session["locale"] = "en"


def form_fields(html: str, form_testid: str) -> tuple[str, dict[str, str]]:
    """(action, {name: value}) of the first form inside the element with `form_testid`."""
    start = html.index(f'data-testid="{form_testid}"')
    form_start = html.index("<form", start)
    form_end = html.index("</form>", form_start)
    form = html[form_start:form_end]
    action = re.search(r'action="([^"]+)"', form).group(1)
    fields = {}
    for tag in FIELD_TAG_RE.finditer(form):
        name, value = NAME_RE.search(tag.group(1)), VALUE_RE.search(tag.group(1))
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return action, fields
