"""The home page's role cards link each role to its own working page, which opens."""

from __future__ import annotations

import re

import pytest

from tests.support.helpers import login_as

EXPECTED = {
    "submitter": "/dossiers/",
    "reviewer": "/review/",
    "council_member": "/council/",
    "secretary": "/council/",
    "chair": "/council/",
    "signer": "/decisions/to-sign",
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_a_role_card_links_to_the_role_page_which_opens(app, client, make_user, role):
    user = make_user(f"role-{role}", roles=[role], locale="en")
    login_as(app, client, user)
    page = client.get("/").get_data(as_text=True)
    link = re.search(rf'<a [^>]*href="([^"]+)"[^>]*data-testid="role-link-{role}"', page)
    assert link is not None and link.group(1) == EXPECTED[role]
    assert "come in a later release" not in page
    assert client.get(link.group(1)).status_code == 200
