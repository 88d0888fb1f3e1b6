"""Rows that let the fuzzer reach past "404" in the dossier area's operations (dossiers,
documents, batches, review, disclosure, notifications): a stored document, a batch, a
dossier under public disclosure, an objection to answer and a notification, all for the
fuzzing user (a submitter and reviewer over the root unit)."""

from __future__ import annotations

from datetime import timedelta

from tests.support.dossier_factories import PDF
from workflow_app.attachments.storage import Storage
from workflow_app.dossiers.service.batches import create_batch
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.org import Person
from workflow_app.notify.service.queue import notify

# Operations that judge a schema-valid request against the data — ids within the caller's
# units, the award's rule in force, a file's content, the dossier's own checklist — and
# answer 422 with the reason: for them a 422 is a documented refusal, not valid data
# rejected (their refusals are asserted in tests/api/test_api_dossiers*.py, _batches.py
# and _review.py).
JUDGED_BODIES = frozenset({
    "POST /dossiers", "PATCH /dossiers/{dossier_id}", "POST /dossiers/{dossier_id}/documents",
    "POST /batches", "POST /batches/{batch_id}/documents",
    "PUT /review/dossiers/{dossier_id}/checklist",
    "POST /review/dossiers/{dossier_id}/objections/{comment_id}/answer",
})


# The operations that use these rows (the test's name holds "[METHOD /path]").
AREA_PATHS = (" /dossiers", " /batches", " /review", " /disclosures", " /notifications")


def is_dossier_operation(test_name: str) -> bool:
    return any(path in test_name for path in AREA_PATHS)


def add_dossier_rows(test_name: str, app, tx, user, make_dossier, make_award) -> None:
    """Write the rows through `tx` (the engine's transactional session) and commit; only
    for the operations of this area (the rows cost every other test ~50 ms for nothing)."""
    if not is_dossier_operation(test_name):
        return
    actor = tx.merge(user)
    draft = make_dossier(documents=[])
    storage = Storage(app.extensions["workflow_config"].instance_dir / "attachments")
    add_document(tx, draft, actor, doc_type="TO_TRINH", filename="to-trinh.pdf", data=PDF,
                 storage=storage, max_size=1024 * 1024)
    sent = make_dossier("submitted")
    tx.add(DisclosureComment(dossier_id=sent.id, kind="objection", body="Phản ánh",
                             client_hash="f" * 64))
    sent.open_objection_count += 1
    disclosed = make_dossier("public_disclosure", award=make_award(disclosure=True))
    disclosed.disclosure_started_on = today_vn()
    disclosed.disclosure_ends_on = today_vn() + timedelta(days=14)
    person = Person(full_name="Đỗ Văn Lô", unit_id=draft.unit_id)
    tx.add(person)
    tx.flush()
    create_batch(tx, actor, unit=actor.grants[0].unit, award=draft.award,
                 commendation_type="CONG_TRANG", year=today_vn().year - 1,
                 title="Tờ trình thử", persons=[person])
    notify(tx, actor, "dossier.returned", "Hồ sơ bị trả lại", link=f"/dossiers/{sent.id}")
    tx.commit()
