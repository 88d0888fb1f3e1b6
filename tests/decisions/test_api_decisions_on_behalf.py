"""The API's optional "on behalf of" line of a decision's signature block: empty in the
draft, printed above the signer's title in the preview and the issued decision, refused
(422) when it is more than one short line."""

from __future__ import annotations

import pytest

from tests.support.decisions_data import count, make_signer, ok, wording
from tests.support.factories import REAUTH
from workflow_app.models.decision import Decision


@pytest.fixture
def signer(make_user, make_person):
    return make_signer(make_user, make_person)


def test_draft_is_empty_and_the_line_reaches_the_preview_and_the_decision(
        as_user, session, signer, make_dossier):
    ids = [make_dossier("council_approved").id]
    call = as_user(signer)
    assert ok(call("POST", "/api/v1/decisions/draft", json={}))["on_behalf_of"] == ""
    body = wording(ids, on_behalf_of="KT. BỘ TRƯỞNG")
    preview = ok(call("POST", "/api/v1/decisions/preview", json=body))
    assert preview["signer_title"] == "KT. BỘ TRƯỞNG\nBỘ TRƯỞNG"
    for bad in ("KT. BỘ TRƯỞNG\nTM. BỘ", "K" * 61):
        refused = call("POST", "/api/v1/decisions", json={**body, "on_behalf_of": bad, **REAUTH})
        assert refused.status_code == 422
    assert count(session, Decision) == 0
    issued = ok(call("POST", "/api/v1/decisions",
                     json={**body, "issuer_id": preview["issuer"]["id"], **REAUTH}), 201)
    assert issued["signer_title"] == "KT. BỘ TRƯỞNG\nBỘ TRƯỞNG"
