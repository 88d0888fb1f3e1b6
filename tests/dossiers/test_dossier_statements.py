"""The dossier list and the dossier page (HTML and API) load what they show in a fixed
number of statements (issue 16): the count with 50 items equals the count with 1."""

from __future__ import annotations

from tests.support.helpers import recording
from tests.support.workflow_factories import place
from workflow_app.audit.chain import record
from workflow_app.models.dossier import Dossier, DossierDocument

DOCUMENT_CODES = ("TO_TRINH", "BAO_CAO_THANH_TICH", "BIEN_BAN_HOI_DONG")


def _counts(app, call, signed_in_client, dossier_id: int) -> dict[str, int]:
    engine = app.extensions["workflow_db_engine"]
    counts = {}
    for name, fetch in (
            ("api list", lambda: call("GET", "/api/v1/dossiers?limit=100")),
            ("page list", lambda: signed_in_client.get("/dossiers/")),
            ("api dossier", lambda: call("GET", f"/api/v1/dossiers/{dossier_id}")),
            ("page dossier", lambda: signed_in_client.get(f"/dossiers/{dossier_id}"))):
        with recording(engine) as log:
            response = fetch()
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:500])
        counts[name] = len(log)
    return counts


def test_lists_and_the_dossier_page_do_not_grow_with_their_items(
        app, tx, as_user, signed_in, make_dossier, make_user, reviewer, submitter):
    first = make_dossier("submitted")
    call = as_user(reviewer)
    page_client = signed_in(reviewer, locale="vi")
    _counts(app, call, page_client, first.id)  # the token's first use stamps it: not counted
    one = _counts(app, call, page_client, first.id)
    # 49 more dossiers (other nominees), and 49 more documents and timeline events on one
    # dossier: a list of 50, a page with 50 documents and 50 events.
    for _ in range(49):
        make_dossier("submitted")
    dossier = tx.get(Dossier, first.id)
    for i in range(49):
        code = DOCUMENT_CODES[i % len(DOCUMENT_CODES)]
        dossier.documents.append(DossierDocument(doc_type=code, sha256=f"{i + 7:064x}",
                                                 filename=f"{code}-{i}.pdf", size=1))
    for i in range(49):
        record(tx, "dossier.test_placed", "dossier", dossier.id, actor_label=f"tests {i}",
               from_state="submitted", to_state="submitted")
    place(tx, dossier, "submitted")
    tx.commit()
    fifty = _counts(app, call, page_client, first.id)
    assert fifty == one
