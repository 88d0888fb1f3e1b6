"""The OpenAPI 3.1 document, generated from the registered operations and their pydantic
models (JSON Schema 2020-12, which OpenAPI 3.1 uses as is). Nothing here is hand-maintained:
a new `@operation` appears in the document, with its parameters, bodies, errors and roles.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from workflow_app.api.blueprint import API_PREFIX
from workflow_app.api.operations import MUTATING, OPERATIONS, Operation
from workflow_app.api.pagination import MAX_LIMIT
from workflow_app.api.schemas.common import ErrorBody

REF = "#/components/schemas/{model}"
ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}

DESCRIPTION = f"""The JSON API of the award nomination dossier system.

**Authentication.** A personal access token, created on your profile page (`/account`), sent as
`Authorization: Bearer tdkt_…`. A token acts as its owner: same roles, same units. A `read`
token can call only the read operations (403 `insufficient_scope` otherwise). The UI's own
calls may use the session cookie instead; then every mutation needs the page's CSRF token
in the `X-CSRFToken` header.

**Errors** are always `{{"error": {{"code", "message", "details"}}}}`; branch on `code`.

**Mutations** accept an `Idempotency-Key` header (any unique string, e.g. a UUID; kept 24 h):
a retry with the same key and body returns the first result without running again
(`Idempotent-Replayed: true`); the same key with another body is a 422
`idempotency_key_reused`. Casting a ballot and entering a written vote refuse the header
(400 `idempotency_not_supported`): nothing of a ballot is stored; a repeat is a 409.

**Lists** are paginated by key: pass the `next_cursor` of a page as `cursor` to get the next
one (`limit` up to {MAX_LIMIT}); `next_cursor` is null on the last page.

**Rate limits** apply per token (or per signed-in user): 429 `rate_limited` with
`Retry-After`.
"""


def _models() -> list[tuple[type[BaseModel], str]]:
    pairs: list[tuple[type[BaseModel], str]] = [(ErrorBody, "serialization")]
    for op in OPERATIONS:
        if op.request is not None:
            pairs.append((op.request, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    return list(dict.fromkeys(pairs))


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """One `in: query` parameter per field; optional fields lose their `null` variant (a
    query string cannot send null: the parameter is simply left out)."""
    schema = model.model_json_schema()
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        if prop.get("default", 0) is None:
            prop.pop("default")
        variants = [v for v in prop.pop("anyOf", []) if v.get("type") != "null"]
        if len(variants) == 1:
            prop.update(variants[0])
        elif variants:
            prop["anyOf"] = variants
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _multipart_schema(op: Operation) -> dict[str, Any]:
    """The object schema of a multipart body: the form model's fields (a form cannot send
    null, so optional fields lose their null variant) and a binary part per file."""
    schema = op.form.model_json_schema()
    schema.pop("title", None)
    properties = {}
    for name, prop in schema.get("properties", {}).items():
        prop = {key: value for key, value in prop.items() if key != "title"}
        if prop.get("default", 0) is None:
            prop.pop("default")
        variants = [v for v in prop.pop("anyOf", []) if v.get("type") != "null"]
        if len(variants) == 1:
            prop.update(variants[0])
        elif variants:
            prop["anyOf"] = variants
        properties[name] = prop
    for name in op.files:
        properties[name] = {"type": "string", "format": "binary",
                            "contentMediaType": "application/octet-stream"}
    return {**schema, "type": "object", "properties": properties,
            "required": [*schema.get("required", []), *op.files]}


def _raw_schema(content_type: str) -> dict[str, Any]:
    if content_type == "application/json":
        return {"type": "object"}
    if content_type.startswith("text/"):
        return {"type": "string"}
    return {"type": "string", "format": "binary"}


def _error_statuses(op: Operation) -> list[int]:
    statuses = set(op.errors) | {429}
    if not op.public:
        statuses |= {401, 403}
    if op.path_params:
        statuses.add(404)
    if op.query is not None:
        statuses.add(400)
    if op.request is not None or op.form is not None:
        statuses |= {400, 413, 415, 422}
    if op.method in MUTATING:
        statuses |= {400, 422}  # invalid or reused Idempotency-Key
    return sorted(statuses)


def _roles_sentence(op: Operation) -> str:
    if op.public:
        return "No sign-in needed."
    roles = op.role_list()
    who = f"Required role (any unit): one of {', '.join(roles)}." if roles \
        else "Any signed-in user."
    scope = "a read-write token" if op.scope == "write" else "a read or read-write token"
    return f"{who} With a token: {scope}."


def _operation_object(op: Operation, refs: dict) -> dict[str, Any]:
    parameters = [{"name": name, "in": "path", "required": True, "schema": schema}
                  for name, schema in op.path_params.items()]
    if op.query is not None:
        parameters += _query_parameters(op.query)
    if op.method in MUTATING and op.idempotent:
        parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                           "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                      "pattern": "^[\\x21-\\x7e]+$"}})
    if op.raw_content_type is not None:
        types = (op.raw_content_type,) if isinstance(op.raw_content_type, str) \
            else op.raw_content_type
        success = {"content": {kind: {"schema": _raw_schema(kind)} for kind in types}}
    else:
        success = {"content": {"application/json": {
            "schema": refs[(op.response, "serialization")]}}}
    responses = {str(op.status): {"description": HTTPStatus(op.status).phrase, **success}}
    for status in _error_statuses(op):
        responses[str(status)] = {"description": HTTPStatus(status).phrase,
                                  "content": {"application/json": {"schema": ERROR_REF}}}
    body = {
        "operationId": op.endpoint.removeprefix("api."),
        "summary": op.summary,
        "description": " ".join(filter(None, [op.description, _roles_sentence(op)])),
        "tags": list(op.tags),
        "parameters": parameters,
        "responses": responses,
        "x-roles": [] if op.public else op.role_list(),
        "x-token-scope": None if op.public else op.scope,
    }
    if op.public:
        body["security"] = []
    if op.request is not None:
        body["requestBody"] = {"required": True, "content": {"application/json": {
            "schema": refs[(op.request, "validation")]}}}
    if op.form is not None:
        body["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": _multipart_schema(op)}}}
    return body


def build_document() -> dict[str, Any]:
    """The whole OpenAPI 3.1.0 document for the operations registered so far."""
    refs, definitions = models_json_schema(_models(), ref_template=REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation_object(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hồ sơ khen thưởng · Award nomination dossiers", "version": "1.0.0",
                 "description": DESCRIPTION},
        "servers": [{"url": API_PREFIX}],
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "tdkt_…",
                               "description": "A personal access token from /account."},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "tdkt_session",
                               "description": "The UI's session; mutations also need the "
                                              "X-CSRFToken header."},
            },
        },
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
    }
