"""Rate limits per token (from the configuration): 429 JSON with Retry-After, counted per
token, so one busy integration does not block another."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support.api_fixtures import error_code


@pytest.fixture
def limited_app(config, make_app):
    return make_app(replace(config, api_rate_limit="3 per minute"))


def test_the_fourth_call_in_a_minute_gets_429_with_retry_after(limited_app, make_user,
                                                               make_token, bearer):
    first = bearer(make_token(make_user("busy")))
    second = bearer(make_token(make_user("calm")))
    client = limited_app.test_client()
    statuses = [client.get("/api/v1/me", headers=first).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get("/api/v1/units", headers=first)
    assert refused.status_code == 429 and error_code(refused) == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/me", headers=second).status_code == 200  # its own quota


def test_the_limit_applies_to_the_api_only(limited_app, make_user, make_token, bearer):
    client = limited_app.test_client()
    headers = bearer(make_token(make_user("busy")))
    for _ in range(3):
        client.get("/api/v1/me", headers=headers)
    assert client.get("/api/v1/me", headers=headers).status_code == 429
    assert client.get("/health").status_code == 200
