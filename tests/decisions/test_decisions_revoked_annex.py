"""Revoking decisions in the decisions list (they share the QĐ series with award decisions)
and revoked annex rows on a decision's page: marked, with the revoking number, the
certificate kept downloadable as issued but flagged as revoked."""

from __future__ import annotations

from tests.support import revoked_annex_data
from tests.support.helpers import login_as

# Shared fixtures (a module of fixtures, as tests/support/review_fixtures.py is for the conftest).
signer, officer = revoked_annex_data.signer, revoked_annex_data.officer
revoked_world = revoked_annex_data.revoked_world


def _row(page: str, testid: str, marker: str) -> str:
    rows = page.split(f'data-testid="{testid}"')[1:]
    return next(row.split("</tr>")[0] for row in rows if marker in row.split("</tr>")[0])


def test_the_list_shows_revoking_decisions_marked_and_linked_to_the_revocation(
        app, client, officer, revoked_world):
    login_as(app, client, officer)
    page = client.get("/decisions/").get_data(as_text=True)
    assert page.count('data-testid="decisions-row"') == 2  # 01 and 02: no gap in the series
    revoking = _row(page, "decisions-row", "02/QĐ-BTP")
    assert 'data-kind="revoking"' in revoking and "Revoking decision" in revoking
    assert f"/decisions/revocations/{revoked_world.revocation_id}" in revoking
    award = _row(page, "decisions-row", "01/QĐ-BTP")
    assert 'data-kind="award"' in award and "Revoking decision" not in award
    assert page.index("02/QĐ-BTP") < page.index("01/QĐ-BTP")  # newest first


def test_a_revoked_annex_row_is_marked_and_its_certificate_flagged(
        app, client, officer, revoked_world):
    login_as(app, client, officer)
    page = client.get(f"/decisions/{revoked_world.decision_id}").get_data(as_text=True)
    rows = [row.split("</tr>")[0] for row in page.split('data-testid="annex-row"')[1:]]
    assert len(rows) == 2
    revoked = [row for row in rows if 'data-testid="annex-revoked"' in row]
    assert len(revoked) == 1 and "02/QĐ-BTP" in revoked[0]
    assert f"/certificates/{revoked_world.revoked_item_id}.pdf" in revoked[0]
    assert 'data-testid="certificate-revoked"' in revoked[0]
    assert f"/decisions/revocations/{revoked_world.revocation_id}" in revoked[0]
    kept = next(row for row in rows if row is not revoked[0])
    assert "certificate-revoked" not in kept and "02/QĐ-BTP" not in kept
    certificate = client.get(f"/decisions/{revoked_world.decision_id}/certificates/"
                             f"{revoked_world.revoked_item_id}.pdf")
    assert certificate.status_code == 200 and certificate.data.startswith(b"%PDF")
