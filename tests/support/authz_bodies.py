"""Request bodies for the authorization matrix: the smallest valid body of an operation, with
every field that names an object (`unit_id`, `person_ids` …) pointing at unit B's object.

Valid, so that the request gets past parsing to the view's own scope check: a 422 for a
body this module got wrong would prove nothing. Built from the operation's pydantic models
(JSON Schema), deterministically: the first candidate value that fits each field's pattern
and length, else the smallest string hypothesis finds for the pattern.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from tests.support.dossier_factories import PDF
from tests.support.factories import DEFAULT_PASSWORD
from workflow_app.api.operations import Operation

CANDIDATES = ("Zz", "zz1", "ZZ1", "1", "a", "x@example.com", "2025-01-01", "00000000-0000")


def _string(schema: dict) -> str:
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "date":
        return date.today().isoformat()
    if schema.get("format") == "email":
        return "someone@example.com"
    low, high = schema.get("minLength", 0), schema.get("maxLength", 10_000)
    pattern = schema.get("pattern")

    def fits(text: str) -> bool:
        return low <= len(text) <= high and (pattern is None or re.search(pattern, text))

    for text in CANDIDATES + tuple("Z" * n for n in range(max(low, 1), low + 3)):
        if fits(text):
            return text
    return _smallest_match(pattern, low, high)


@cache
def _smallest_match(pattern: str | None, low: int, high: int) -> str:
    """The smallest string hypothesis finds for the pattern and length; found once per run
    (without the explain phase, which only words a failure and costs seconds per call)."""

    def fits(text: str) -> bool:
        return low <= len(text) <= high and (pattern is None or re.search(pattern, text))

    strategy = st.from_regex(pattern, fullmatch=True) if pattern else st.text()
    return find(strategy, fits, settings=settings(
        database=None, max_examples=2000, phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck)))


def _resolve(schema: dict, defs: dict) -> dict:
    while "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def minimal(schema: dict, defs: dict, refer: Callable[[str], Any | None],
            name: str = "") -> Any:
    """The smallest valid value of `schema`; `refer(name)` gives unit B's object for a field
    that names one (None: not such a field)."""
    schema = _resolve(schema, defs)
    if name:
        reference = refer(name)
        if reference is not None:
            kind = schema.get("type")
            variants = [_resolve(v, defs) for v in schema.get("anyOf", [])]
            is_list = kind == "array" or any(v.get("type") == "array" for v in variants)
            return [reference] if is_list else reference
    if name == "password":  # a signing act's re-authentication: the caller's own password,
        return DEFAULT_PASSWORD  # so the request reaches the scope check it is here for
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema or "oneOf" in schema:
        variants = schema.get("anyOf") or schema["oneOf"]
        chosen = next((v for v in variants if _resolve(v, defs).get("type") != "null"),
                      variants[0])
        return minimal(chosen, defs, refer)
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", []))
        properties = schema.get("properties", {})
        return {key: minimal(sub, defs, refer, key) for key, sub in properties.items()
                if key in required or refer(key) is not None}
    if kind == "array":
        item = minimal(schema.get("items", {}), defs, refer)
        return [item] * max(schema.get("minItems", 0), 1 if "items" in schema else 0)
    if kind == "integer":
        return max(schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "string":
        return _string(schema)
    return None


def request_kwargs(op: Operation, refer: Callable[[str], Any | None]) -> dict[str, Any]:
    """Keyword arguments for the test client: a JSON body, a multipart body, or nothing."""
    if op.request is not None:
        schema = op.request.model_json_schema()
        return {"json": minimal(schema, schema.get("$defs", {}), refer)}
    if op.form is not None:
        schema = op.form.model_json_schema()
        data = {key: str(value) for key, value in
                minimal(schema, schema.get("$defs", {}), refer).items()}
        for name in op.files:
            data[name] = (io.BytesIO(PDF), "matrix.pdf")
        return {"data": data, "content_type": "multipart/form-data"}
    return {}
