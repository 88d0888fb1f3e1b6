"""The API's decision shows which annex rows were later revoked, with the revoking number
and the revocation to read; the certificate stays the one issued."""

from __future__ import annotations

from tests.support import revoked_annex_data
from tests.support.decisions_data import ok

# Shared fixtures (a module of fixtures, as tests/support/review_fixtures.py is for the conftest).
signer, officer = revoked_annex_data.signer, revoked_annex_data.officer
revoked_world = revoked_annex_data.revoked_world


def test_decision_items_say_which_award_was_revoked_and_by_what(as_user, officer,
                                                                 revoked_world):
    body = ok(as_user(officer)("GET", f"/api/v1/decisions/{revoked_world.decision_id}"))
    items = {item["id"]: item for item in body["items"]}
    revoked, kept = items[revoked_world.revoked_item_id], items[revoked_world.kept_item_id]
    assert revoked["revoked"] is True and revoked["revocation_reference"] == "02/QĐ-BTP"
    assert revoked["revocation_id"] == revoked_world.revocation_id
    assert revoked["certificate_sha256"]  # kept as issued
    assert kept["revoked"] is False and kept["revocation_reference"] is None
