"""The `@operation` decorator: one Flask route and its OpenAPI description, from one place.

    @operation("GET", "/dossiers/{dossier_id}", summary="One dossier", tags=["dossiers"],
               roles=READERS, response=DossierOut, errors=[404])
    def get_dossier(dossier_id: int) -> DossierOut: ...

What the decorator guarantees for every API route (the view only does its own work):
1. the route is registered on the `api` blueprint, with path parameters typed from the
   view's annotations (`int` → a bounded integer, `str` → a short token), so a malformed id
   is a 404 and never reaches the database;
2. the caller's token scope (`scope="write"` needs a read-write token) and role (`roles`:
   one of them over any unit; empty = any signed-in user) are checked → 403;
3. `query=Model` parses the query string (400 `invalid_query`), `request=Model` the JSON
   body, strictly (415 not JSON, 400 malformed, 422 `validation_failed` with per-field
   details); the view receives them as `query=` and `body=`. Uploads: `form=Model` and
   `files=("file",)` parse a `multipart/form-data` body instead (415 otherwise; 422 for a
   bad field or a missing file); the view receives `form=` and `files=` ({name: FileStorage});
4. mutations (POST/PUT/PATCH/DELETE) honour `Idempotency-Key` (`idempotency.py`) and are
   committed here, once, after the view returns: views and services never commit;
   `idempotent=False` refuses the header (400 `idempotency_not_supported`) for an operation
   whose answer must never be stored (a ballot's receipt); callbacks a view registers with
   `after_commit(...)` run once the commit is done (outside effects, e.g. VACUUM);
5. the view returns an instance of `response`, serialised as JSON with `status`.
Unit scoping stays the view's job (through the same service functions as the pages).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import wraps

from flask import Response, abort, current_app, g, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import FileStorage

from workflow_app.api import idempotency
from workflow_app.api.auth import require_roles, require_scope
from workflow_app.api.blueprint import bp
from workflow_app.api.errors import ApiError
from workflow_app.api.validation_messages import translated
from workflow_app.extensions import db
from workflow_app.url_ids import MAX_ID  # PostgreSQL integer: larger ids cannot exist

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
STRING_PARAM = {"type": "string", "minLength": 1, "maxLength": 64,
                "pattern": "^[A-Za-z0-9_-]+$"}


@dataclass(frozen=True)
class Operation:
    """One API operation as the OpenAPI document describes it."""

    method: str
    path: str  # OpenAPI form, relative to /api/v1: "/dossiers/{dossier_id}"
    endpoint: str
    summary: str
    description: str
    roles: tuple[str, ...] | Callable[[], Sequence[str]]
    scope: str
    request: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    tags: tuple[str, ...]
    public: bool
    path_params: dict[str, dict] = field(default_factory=dict)
    # For the few routes that answer something else than a model (the document, the page,
    # downloads: a tuple lists every media type the route may answer with).
    raw_content_type: str | tuple[str, ...] | None = None
    # A multipart/form-data body: its text fields (a model) and the names of its file parts.
    form: type[BaseModel] | None = None
    files: tuple[str, ...] = ()
    # False: the operation refuses an Idempotency-Key (its answer must never be stored).
    idempotent: bool = True

    def role_list(self) -> list[str]:
        return list(self.roles() if callable(self.roles) else self.roles)


OPERATIONS: list[Operation] = []


def _path_params(path: str, view: Callable) -> tuple[str, dict[str, dict]]:
    """The Flask rule for `path` and the JSON Schema of each path parameter."""
    hints = typing.get_type_hints(view)
    rule, params = path, {}
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        if hints.get(name) is int:
            # The app's `int` converter (url_ids.IdConverter) matches 1 … MAX_ID only, so
            # another id is the ordinary JSON 404 before any view or check runs.
            converter = f"<int:{name}>"
            params[name] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            converter = f"<string(maxlength=64):{name}>"
            params[name] = dict(STRING_PARAM)
        rule = rule.replace("{" + name + "}", converter)
    return rule, params


def _field_errors(error: ValidationError) -> list[dict]:
    return [translated(e) for e in error.errors(include_url=False)]


def _parse_query(model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as error:
        raise ApiError(400, "invalid_query", _("Some query parameters are not valid."),
                       _field_errors(error)) from None


def _parse_body(model: type[BaseModel]) -> BaseModel:
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       _("Send the request body as application/json."))
    if request.get_json(silent=True) is None:
        raise ApiError(400, "malformed_json", _("The request body is not valid JSON."))
    try:
        return model.model_validate_json(request.get_data(cache=True))
    except ValidationError as error:
        raise ApiError(422, "validation_failed", _("Some fields are not valid."),
                       _field_errors(error)) from None


def _parse_multipart(model: type[BaseModel],
                     file_fields: Sequence[str]) -> tuple[BaseModel, dict[str, FileStorage]]:
    """The text fields of a multipart body as `model`, and its files by field name."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type",
                       _("Send the request body as multipart/form-data."))
    problems: list[dict] = []
    try:
        form = model.model_validate(request.form.to_dict())
    except ValidationError as error:
        form, problems = None, _field_errors(error)
    files = {name: request.files[name] for name in file_fields if name in request.files}
    problems += [{"loc": [name], "msg": _("This field is required: send it as a file part."),
                  "type": "missing"} for name in file_fields if name not in files]
    if problems:
        raise ApiError(422, "validation_failed", _("Some fields are not valid."), problems)
    return form, files


def _json(payload: dict, status: int) -> Response:
    return current_app.response_class(json.dumps(payload, ensure_ascii=False), status=status,
                                      mimetype="application/json")


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` after this request's mutation is committed (never if it fails)."""
    g.setdefault("api_after_commit", []).append(callback)


def _refuse_idempotency_key() -> None:
    if idempotency.HEADER in request.headers:
        raise ApiError(400, "idempotency_not_supported", _(
            "This operation does not accept an Idempotency-Key: its answer is never stored. "
            "A repeated request is refused with the reason instead."))


def _handler(op: Operation, view: Callable) -> Callable:
    int_params = [name for name, schema in op.path_params.items()
                  if schema["type"] == "integer"]

    @wraps(view)
    def handle(**kwargs):
        if any(not 1 <= kwargs[name] <= MAX_ID for name in int_params):
            abort(404)  # no such id can exist (the converter already refuses it: defence)
        if not op.public:
            require_scope(op.scope)
            require_roles(op.role_list())
        if op.query is not None:
            kwargs["query"] = _parse_query(op.query)
        if op.request is not None:
            kwargs["body"] = _parse_body(op.request)
        if op.form is not None:
            kwargs["form"], kwargs["files"] = _parse_multipart(op.form, op.files)
        if op.method in MUTATING and not op.idempotent:
            _refuse_idempotency_key()
        claim = idempotency.claim(db.session) if op.method in MUTATING and op.idempotent \
            else None
        if isinstance(claim, Response):
            return claim
        result = view(**kwargs)
        if op.raw_content_type is not None:
            return result
        payload = result.model_dump(mode="json")
        if op.method in MUTATING:
            if claim is not None:
                idempotency.complete(db.session, claim, op.status, payload)
            db.session.commit()
            for callback in g.pop("api_after_commit", []):
                callback()
        return _json(payload, op.status)

    return handle


def operation(method: str, path: str, *, summary: str, description: str = "",
              roles: Sequence[str] | Callable[[], Sequence[str]] = (),
              scope: str | None = None, request: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
              status: int = 200, errors: Sequence[int] = (), tags: Sequence[str] = (),
              public: bool = False, raw_content_type: str | tuple[str, ...] | None = None,
              form: type[BaseModel] | None = None, files: Sequence[str] = (),
              idempotent: bool = True) -> Callable:
    """Register `view` as the API operation `method path` (see the module docstring)."""
    method = method.upper()
    scope = scope or ("write" if method in MUTATING else "read")
    if form is not None and request is not None:
        raise TypeError("an operation takes a JSON body (request=) or a multipart one (form=)")

    def decorator(view: Callable) -> Callable:
        rule, params = _path_params(path, view)
        op = Operation(method, path, f"api.{view.__name__}", summary, description,
                       roles if callable(roles) else tuple(roles), scope, request, query,
                       response, status, tuple(errors), tuple(tags), public, params,
                       raw_content_type, form, tuple(files), idempotent)
        handle = _handler(op, view)
        if public:
            handle.is_public = True
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=handle, methods=[method])
        OPERATIONS.append(op)
        return view

    return decorator
