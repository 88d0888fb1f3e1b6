"""Schemathesis against the served OpenAPI document: every operation, on SQLite and
PostgreSQL, with a valid read-write token — no server error, and no response that breaks
the document (status, content type, headers, body schema), no ignored authentication.

Every operation runs on both databases, each with the phase it is most likely to break:
- PostgreSQL: schemathesis' coverage phase, positive cases — each parameter at the limits
  the schema allows (the largest integers, the longest strings), values that reach the
  database, where PostgreSQL and SQLite differ (integer ranges, text it cannot store);
- SQLite: the random fuzzing phase (`MAX_EXAMPLES`, 8, generated cases per operation,
  valid and invalid), which explores the application's own logic and its refusals, the
  same on either database (an invalid value stops at validation, before any database).
Both run the document's explicit examples. (The two phases on both databases took 40 % of
the whole suite's time; split, the suite stays within CI's 10 minutes.)

New operations are fuzzed automatically: the tests are parametrized from the document. The
run is deterministic (`derandomize`) and bounded; raise the fuzzing phase locally for a
deeper run, e.g. `FUZZ_EXAMPLES=500 pytest tests/api/test_api_fuzz.py`, or run both phases
on both databases with `FUZZ_BOTH=1`. Give the fuzzing user more roles or rows in
`fuzz_data` when new operations need them.
"""

from __future__ import annotations

import os
import uuid

import pytest
import schemathesis
from flask.globals import _cv_app
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import ignored_auth, positive_data_acceptance

from tests.support.fuzz_rows_council import (
    JUDGED_COUNCIL_BODIES,
    add_council_rows,
    is_council_operation,
)
from tests.support.fuzz_rows_decisions import (
    JUDGED_DECISION_REQUESTS,
    add_decision_rows,
    is_decision_operation,
    is_document_operation,
)
from tests.support.fuzz_rows_dossiers import (
    JUDGED_BODIES,
    add_dossier_rows,
    is_dossier_operation,
)
from tests.support.fuzz_rows_emulation import JUDGED_EMULATION_BODIES
from tests.support.fuzz_rows_reports import JUDGED_REPORT_QUERIES
from workflow_app.api import _import_routes
from workflow_app.api.spec import build_document
from workflow_app.api.tokens import hash_token
from workflow_app.models.api_token import ApiToken
from workflow_app.models.base import utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import clusters as cluster_service

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
AUTH_CHECKED: set[str] = set()  # operations whose unauthenticated repeat was checked once
# A fixed token (its row is made per test) so that schemathesis knows it as the run's
# explicit credential: its auth checks then remove it and expect a 401.
FUZZ_TOKEN = "tdkt_fuzzing-token-for-tests-only-0123456789abcdefghij"


class _CurrentApp:
    """The WSGI app schemathesis calls: the app of the running test (one per database).

    Each request runs in an app context of its own, as in production (the test holds one
    open; see `RequestIsolatingClient` in tests/conftest.py).
    """

    app = None

    def __call__(self, environ, start_response):
        token = _cv_app.set(None)
        try:
            return self.app(environ, start_response)
        finally:
            _cv_app.reset(token)


def _document() -> dict:
    """The document as the app serves it (the same builder over the same operations).

    Built at import rather than fetched through a fixture: schemathesis' lazy fixture loader
    (`schemathesis.pytest.from_fixture`) fails under pytest 9.2 (it reads `node._nodeid`);
    `test_the_fuzzed_document_is_the_served_one` checks that both are the same.
    """
    _import_routes()
    return build_document()


CURRENT_APP = _CurrentApp()
DOCUMENT = _document()
BOTH_PHASES = bool(os.environ.get("FUZZ_BOTH"))
# An account's e-mail must be deliverable: a syntactically valid address at a special-use
# domain (`x@y.test`) is a documented 422, not valid data rejected.
# A trust certificate must be a real CA certificate: any other file is the documented 422.
JUDGED_ADMIN_BODIES = frozenset({"POST /users", "POST /trust-certificates"})
# A signing act's body carries the caller's password again: any string fits the schema, only
# the right one passes, and a wrong one is the documented 422 `reauth_failed` (api/reauth.py).
JUDGED_SIGNING_BODIES = frozenset({
    "POST /decisions", "POST /submission-letters", "POST /revocations/{revocation_id}/decision",
    "POST /council/sessions/{session_id}/minutes/sign", "POST /quota-exceptions",
    "POST /dossiers/{dossier_id}/eligibility/overrides",
    "POST /eligibility/exception-requests/{request_id}/answer",
    # The signed PDF: the password again, and a file the schema cannot describe (a PDF
    # signed over the issued bytes); anything else is the documented 422.
    "POST /decisions/{decision_id}/signed-pdf",
    "POST /submission-letters/{letter_id}/signed-pdf",
    "POST /decisions/{decision_id}/agency-signature",
    "POST /submission-letters/{letter_id}/agency-signature"})


def _schema(*, coverage: bool, fuzzing: bool):
    loaded = schemathesis.openapi.from_dict(DOCUMENT)
    loaded.app = CURRENT_APP
    loaded.config.phases.coverage.enabled = coverage or BOTH_PHASES
    # Not every other HTTP method on every path: a wrong method is Flask's routing, the
    # same for all (its JSON 405 is tested in test_api_errors.py).
    loaded.config.phases.coverage.unexpected_methods = set()
    if coverage and not fuzzing and not BOTH_PHASES:
        # PostgreSQL's part: the values the schema allows at their limits, which reach the
        # database. Values the schema refuses stop at validation, before any database: the
        # random phase (positive and negative) covers them on SQLite.
        loaded.config.phases.coverage.generation.modes = [GenerationMode.POSITIVE]
    loaded.config.phases.fuzzing.enabled = fuzzing or BOTH_PHASES
    loaded.config.update(base_url="http://localhost/api/v1",
                         headers={"Authorization": f"Bearer {FUZZ_TOKEN}"})
    return loaded


boundaries = _schema(coverage=True, fuzzing=False)
random_cases = _schema(coverage=False, fuzzing=True)



@pytest.fixture
def fuzz_data(request, app, data_snapshots):
    """A user with every role that reads or acts on dossiers, its token, and the rows of the
    operation's area: built once per test process for each kind of area, then put back."""
    name = request.node.name
    areas = (is_dossier_operation(name), is_council_operation(name),
             is_decision_operation(name), is_document_operation(name))
    data_snapshots.build_or_restore(("fuzz", areas), app, lambda: _build_rows(request, app))
    CURRENT_APP.app = app


def _build_rows(request, app) -> None:
    session, tx = request.getfixturevalue("session"), request.getfixturevalue("tx")
    make_user, make_unit, make_dossier, make_award = (
        request.getfixturevalue(name)
        for name in ("make_user", "make_unit", "make_dossier", "make_award"))
    make_dossier()
    make_dossier("submitted")
    # Organisation and administration: an admin and auditor too, a cluster with members.
    unit = session.get(OrgUnit, make_dossier().unit_id)
    cluster = cluster_service.create_cluster(session, code="FUZZ", name="Cụm", kind="cluster",
                                             organiser=unit)
    cluster_service.set_membership(session, cluster, unit, 2025, "head")
    user = make_user("fuzzer", roles=["submitter", "reviewer", "auditor", "admin"])
    session.add(ApiToken(user_id=user.id, name="fuzz", prefix=FUZZ_TOKEN[:12],
                         token_hash=hash_token(FUZZ_TOKEN), scope="read-write",
                         expires_at=utcnow().replace(year=utcnow().year + 1)))
    session.commit()
    name = request.node.name
    add_dossier_rows(name, app, tx, user, make_dossier, make_award)
    if is_council_operation(name):
        add_council_rows(tx, session, user, make_user, make_unit, make_dossier, make_award)
    if is_decision_operation(name):
        add_decision_rows(name, app, tx, session, user, make_dossier, make_award)


def test_the_fuzzed_document_is_the_served_one(app):
    assert app.test_client().get("/api/v1/openapi.json").get_json() == DOCUMENT


@pytest.mark.postgresql_only
@boundaries.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_boundary_cases_within_its_schema(case, fuzz_data):
    _call_and_validate(case)


@pytest.mark.sqlite_only
@random_cases.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_random_cases_within_its_schema(case, fuzz_data):
    _call_and_validate(case)


def _call_and_validate(case) -> None:
    if case.query:
        # A cursor is opaque: only the server's `next_cursor` is valid, and a made-up one
        # is a 400 `invalid_cursor` (test_api_errors.py) that schemathesis would count as a
        # valid request refused. Real cursors are followed in test_api_dossiers.py.
        case.query.pop("cursor", None)
    if case.headers and "Idempotency-Key" in case.headers:
        # Generated keys repeat across examples with other bodies: a correct 422
        # `idempotency_key_reused` (test_api_idempotency.py), not a refused valid request.
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    # The token again, as the call's own header: with generated headers of its own (the
    # Idempotency-Key) a case no longer counts the configured one as the explicit credential.
    judged = case.operation.label in (JUDGED_BODIES | JUDGED_COUNCIL_BODIES
                                      | JUDGED_DECISION_REQUESTS | JUDGED_REPORT_QUERIES
                                      | JUDGED_EMULATION_BODIES | JUDGED_ADMIN_BODIES
                                      | JUDGED_SIGNING_BODIES)
    excluded = [positive_data_acceptance] if judged else []
    if case.operation.label in AUTH_CHECKED:
        # `ignored_auth` sends every case again without the token (two requests in three
        # were those): once per operation is enough here, and every route's anonymous 401
        # is checked by tests/framework/test_security.py.
        excluded.append(ignored_auth)
    AUTH_CHECKED.add(case.operation.label)
    case.call_and_validate(headers={"Authorization": f"Bearer {FUZZ_TOKEN}"},
                           excluded_checks=excluded or None)
