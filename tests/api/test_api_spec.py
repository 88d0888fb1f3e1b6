"""The OpenAPI document is generated from the code: every /api/v1 route is in it and nothing
else is, it is valid OpenAPI 3.1, each operation names its roles, and the reference page is
served from vendored assets under the strict CSP."""

from __future__ import annotations

import re

from openapi_spec_validator import OpenAPIV31SpecValidator

from tests.framework.test_security import PUBLIC_ENDPOINTS
from tests.support.openapi_snapshot import SNAPSHOT, render

CONVERTER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _document(app):
    response = app.test_client().get("/api/v1/openapi.json")  # public: no sign-in
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_every_api_route_is_documented_and_nothing_else_is(app):
    document = _document(app)
    prefix = document["servers"][0]["url"]
    routes = {(CONVERTER.sub(r"{\1}", rule.rule).removeprefix(prefix), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - IGNORED_METHODS}
    documented = {(path, method) for path, item in document["paths"].items()
                  for method in item}
    assert routes == documented
    assert prefix == "/api/v1" and len(documented) >= 8


def test_the_document_is_valid_openapi_3_1(app):
    document = _document(app)
    assert document["openapi"] == "3.1.0"
    errors = [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]
    assert errors == []


def test_each_operation_names_roles_scope_and_json_errors(app):
    document = _document(app)
    error_ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path, item in document["paths"].items():
        for method, op in item.items():
            public = op.get("security") == []
            assert isinstance(op["x-roles"], list), (method, path)
            sentence = "No sign-in needed." if public else "With a token:"
            assert sentence in op["description"], (method, path)
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    assert response["content"]["application/json"]["schema"] == error_ref
            if not public:
                assert {"401", "403", "429"} <= set(op["responses"]), (method, path)
    transition = document["paths"]["/dossiers/{dossier_id}/transitions/{trigger}"]["post"]
    assert {"submitter", "reviewer"} <= set(transition["x-roles"])
    assert transition["x-token-scope"] == "write"
    assert "Idempotency-Key" in {p["name"] for p in transition["parameters"]}
    listing = document["paths"]["/dossiers"]["get"]
    assert {"cursor", "limit", "state", "q"} <= {p["name"] for p in listing["parameters"]}
    assert set(document["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth"}


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)


def test_no_constraint_is_lost_on_the_way_to_json_schema(app):
    """pydantic writes a bound it cannot place as an unknown key ("ge": 1) that clients and
    fuzzers ignore; every bound must be a JSON Schema keyword (minimum, maximum …)."""
    leftovers = {"ge", "le", "gt", "lt", "min_length", "max_length"} & set(_keys(_document(app)))
    assert leftovers == set()


def test_only_the_description_of_the_api_is_public():
    api_public = {endpoint for endpoint in PUBLIC_ENDPOINTS if endpoint.startswith("api.")}
    assert api_public == {"api.openapi_document", "api.docs_page"}


def test_reference_page_uses_vendored_assets_and_no_inline_script(app):
    client = app.test_client()
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " style=" not in html
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        with client.get(src) as asset:
            assert asset.status_code == 200, src
    assert 'data-spec-url="/api/v1/openapi.json"' in html


def test_schema_names_are_class_names_not_module_paths(app):
    """Two response models of one name get pydantic's module-path names
    (`workflow_app__api__…__PaperOut`), which change whenever code moves: names are unique."""
    names = list(_document(app)["components"]["schemas"])
    assert [name for name in names if "__" in name] == []
    assert len(names) > 100


def test_the_document_is_the_reviewed_snapshot_byte_for_byte():
    """Moving code changes nothing in the document; a change to an operation is a reviewed
    change of tests/api/openapi.json (refresh: `python -m tests.support.openapi_snapshot`)."""
    assert render() == SNAPSHOT.read_text(encoding="utf-8")
