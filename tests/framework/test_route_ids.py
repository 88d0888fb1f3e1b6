"""Ids out of range in a URL are a plain 404 (issue 10, item 5), never a 500.

`/dossiers/99999999999999999999999` used to reach the database and fail there (SQLite:
"Python int too large to convert to SQLite INTEGER"; PostgreSQL: "integer out of range").
These tests walk every route of the app with an integer path parameter, and every API
operation with one, on both databases, signed in as a user holding every role (so that no
role check answers before the id is looked up), and anonymously for the public routes.
"""

from __future__ import annotations

import base64
import dataclasses
import re

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from tests.support.helpers import CSRF_RE, login_as
from workflow_app import url_ids
from workflow_app.api import tokens
from workflow_app.api.operations import OPERATIONS
from workflow_app.extensions import db
from workflow_app.models.user import ROLES

MAX_ID = 2**31 - 1  # PostgreSQL `integer`, the type of every id column
assert url_ids.MAX_ID == MAX_ID
# 0 and negative numbers cannot be ids; 2^31 does not fit PostgreSQL's integer, 2^63 not
# SQLite's; 10^30 fits nothing.
BAD_IDS = ("0", "-1", "00", str(MAX_ID + 1), str(2**63 - 1), str(2**63), str(10**30))
PARAM = re.compile(r"<(?:(?P<conv>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _int_params(rule) -> list[str]:
    return [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]


def _url(rule: str, values: dict[str, str]) -> str:
    return PARAM.sub(lambda m: values.get(m["name"], "1"), rule)


def _int_rules(app, *, api: bool):
    rules = [rule for rule in app.url_map.iter_rules() if _int_params(rule)
             and rule.rule.startswith("/api/") == api]
    assert rules, "no route with an integer parameter found"
    return rules


def _method(rule) -> str:
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    return "GET" if "GET" in methods else methods[0]


def _probes(rules):
    """(method, url) for each rule, each integer parameter and each bad value; the other
    parameters stay at a plausible 1."""
    for rule in rules:
        for name in _int_params(rule):
            for bad in BAD_IDS:
                yield rule, _method(rule), _url(rule.rule, {name: bad})


@pytest.fixture
def config(config):
    """The walk sends a few hundred API requests with one token: lift the rate limit."""
    return dataclasses.replace(config, api_rate_limit="100000 per minute")


@pytest.fixture
def everyone(make_user):
    return make_user("all.roles", roles=ROLES)


@pytest.fixture
def api_headers(app, everyone):
    """A read-write personal access token of `everyone`, made by the real service."""
    with app.test_request_context():
        _row, plaintext = tokens.create_token(db.session, db.session.merge(everyone), "ids",
                                              "read-write", 30)
        db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def _csrf(client) -> str:
    match = CSRF_RE.search(client.get("/account").get_data(as_text=True))
    assert match, "no CSRF token on /account"
    return match.group(1)


def test_every_page_route_answers_404_for_an_impossible_id(app, client, everyone):
    login_as(app, client, everyone)
    headers = {"X-CSRFToken": _csrf(client)}
    wrong = []
    for rule, method, url in _probes(_int_rules(app, api=False)):
        response = client.open(url, method=method, headers=headers)
        if response.status_code != 404:
            wrong.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_public_page_routes_answer_404_anonymously(app, client):
    public = [rule for rule in _int_rules(app, api=False)
              if getattr(app.view_functions[rule.endpoint], "is_public", False)]
    assert any(rule.rule.startswith("/cong-khai/") for rule in public)
    wrong = []
    for rule, method, url in _probes(public):
        response = client.open(url, method=method)
        if response.status_code != 404:
            wrong.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_every_api_operation_answers_a_json_404_for_an_impossible_id(client, api_headers):
    headers = api_headers
    operations = [op for op in OPERATIONS
                  if any(s["type"] == "integer" for s in op.path_params.values())]
    assert operations
    wrong = []
    for op in operations:
        int_names = [n for n, s in op.path_params.items() if s["type"] == "integer"]
        for name in int_names:
            for bad in BAD_IDS:
                path = re.sub(r"\{(\w+)\}", lambda m, name=name, bad=bad:
                              bad if m[1] == name else "1", op.path)
                url = "/api/v1" + path
                response = client.open(url, method=op.method, headers=headers)
                body = response.get_json(silent=True) or {}
                if response.status_code != 404 or body.get("error", {}).get("code") != "not_found":
                    wrong.append(f"{op.method} {url}: {response.status_code} "
                                 f"{response.get_data(as_text=True)[:80]}")
    assert not wrong, "\n".join(wrong)


def test_an_oversized_id_on_the_public_list_is_the_ordinary_404_page(client):
    response = client.get("/cong-khai/99999999999999999999999")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize("key", ["2147483648", "9223372036854775807", "999999999999999999",
                                 "²", "١٢"])
def test_an_api_cursor_with_an_impossible_key_is_a_400(client, api_headers, key):
    cursor = base64.urlsafe_b64encode(f"v1:{key}".encode()).decode().rstrip("=")
    response = client.get(f"/api/v1/dossiers?cursor={cursor}", headers=api_headers)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "invalid_cursor"


# Pages whose query string carries an id or a key into the database (the list filters and
# "older" links): an impossible one is the filter form's error, never a 500.
QUERY_IDS = ("/dossiers/?before={n}", "/dossiers/?batch={n}", "/dossiers/?award={n}",
             "/audit/?before={n}", "/review/?page={n}", "/review/?unit={n}",
             "/review/?award={n}", "/cong-khai/?page={n}", "/registry/persons/1?year={n}")


def test_impossible_ids_in_page_query_strings_are_refused_not_500(app, client, everyone):
    login_as(app, client, everyone)
    wrong = []
    for template in QUERY_IDS:
        for bad in BAD_IDS:
            url = template.format(n=bad)
            response = client.get(url)
            if response.status_code >= 500:
                wrong.append(f"GET {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def _integer_fields(model) -> dict[str, bool]:
    """{field: is a list} for every integer (or list of integers) field of `model`."""
    found = {}
    for name, schema in model.model_json_schema().get("properties", {}).items():
        options = schema.get("anyOf", [schema])
        for option in options:
            if option.get("type") == "integer":
                found[name] = False
            elif option.get("type") == "array" and option.get("items", {}).get("type") \
                    == "integer":
                found[name] = True
    return found


HUGE = (2**31, 2**63, 10**30)


def test_impossible_integers_in_api_query_strings_are_a_400_with_a_reason(client,
                                                                          api_headers):
    wrong, tried = [], 0
    for op in OPERATIONS:
        if op.query is None or any(s["type"] == "integer" for s in op.path_params.values()):
            continue
        path = "/api/v1" + re.sub(r"\{\w+\}", "x", op.path)
        for name in _integer_fields(op.query):
            for bad in HUGE:
                tried += 1
                response = client.open(f"{path}?{name}={bad}", method=op.method,
                                       headers=api_headers)
                error = (response.get_json(silent=True) or {}).get("error", {})
                if response.status_code != 400 or not error.get("message") \
                        or name not in str(error.get("details")):
                    wrong.append(f"{op.method} {path}?{name}={bad}: {response.status_code} "
                                 f"{response.get_data(as_text=True)[:120]}")
    assert tried > 10
    assert not wrong, "\n".join(wrong)


def test_impossible_integers_in_api_bodies_are_a_422_naming_the_field(client, api_headers):
    wrong, tried = [], 0
    for op in OPERATIONS:
        if op.request is None:
            continue
        path = "/api/v1" + re.sub(r"\{\w+\}", "1", op.path)
        for name, is_list in _integer_fields(op.request).items():
            for bad in HUGE:
                tried += 1
                body = {name: [bad] if is_list else bad}
                response = client.open(path, method=op.method, json=body, headers=api_headers)
                error = (response.get_json(silent=True) or {}).get("error", {})
                if response.status_code >= 500 or (
                        response.status_code == 422 and name not in str(error.get("details"))):
                    wrong.append(f"{op.method} {path} {body}: {response.status_code} "
                                 f"{response.get_data(as_text=True)[:120]}")
    assert tried > 10
    assert not wrong, "\n".join(wrong)


def test_the_id_converter_matches_exactly_the_possible_ids(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/dossiers/1")[1] == {"dossier_id": 1}
    assert adapter.match(f"/dossiers/{MAX_ID}")[1] == {"dossier_id": MAX_ID}
    for bad in BAD_IDS + ("+1", "1.0", "1e3", "٣", " 1"):
        with pytest.raises(NotFound):
            adapter.match(f"/dossiers/{bad}")
    pattern = re.compile(url_ids.digits_up_to(MAX_ID) + r"\Z")
    for number in (*range(0, 1001), *range(MAX_ID - 1000, MAX_ID + 1001), 10**9, 10**10 - 1):
        assert bool(pattern.match(str(number))) == (1 <= number <= MAX_ID), number


def test_an_impossible_id_is_a_404_even_where_another_method_shares_the_path(app):
    """Werkzeug answers 405 when a converter *refuses* a value and a rule with another
    method has the same path; the range is therefore in the pattern."""
    adapter = app.url_map.bind("localhost")
    shared = [rule for rule in app.url_map.iter_rules()
              if rule.rule == "/api/v1/dossiers/<int:dossier_id>"]
    assert len({m for rule in shared for m in rule.methods - {"HEAD", "OPTIONS"}}) > 1
    with pytest.raises(NotFound):
        adapter.match(f"/api/v1/dossiers/{MAX_ID + 1}", method="GET")


def test_anonymous_api_callers_get_the_json_404_too(client):
    response = client.get(f"/api/v1/dossiers/{10**30}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
