"""Duplicate flags: same nomination twice, same attachment, identical achievement text."""

from __future__ import annotations

from workflow_app.eligibility.service.duplicates import duplicates_for
from workflow_app.models.dossier import DossierDocument
from workflow_app.models.org import Person

REPORT = "Hoàn thành xuất sắc nhiệm vụ năm 2025, chủ trì xây dựng ba đề án cấp Bộ."


def test_flags_same_nomination_attachment_and_text(tx, make_dossier, make_unit,
                                                    submitting_unit):
    other_unit = make_unit("Chi cục THADS huyện B", parent=submitting_unit)
    person = Person(full_name="Phạm Văn Trùng", unit_id=submitting_unit.id)
    tx.add(person)
    tx.commit()
    first = make_dossier(nominee=person, year=2025, summary=REPORT)
    second = make_dossier(nominee=person, year=2025, unit=other_unit, summary="Khác hẳn.")
    shared = "ab" * 32
    for dossier in (first, second):
        dossier.documents.append(DossierDocument(doc_type="BAO_CAO_THANH_TICH", sha256=shared,
                                                 filename="bao-cao.pdf", size=10))
    stranger = make_dossier(year=2025, summary="  " + REPORT.upper() + " ")
    make_dossier("withdrawn", nominee=person, year=2025)  # withdrawn: ignored
    tx.commit()
    flags = duplicates_for(tx, first)
    kinds = sorted((f.kind, f.other.id) for f in flags)
    assert kinds == sorted([("same_nomination", second.id), ("same_attachment", second.id),
                            ("same_report", stranger.id)])
    assert "Chi cục THADS huyện B" in next(f.explanation for f in flags
                                       if f.kind == "same_nomination")
    assert duplicates_for(tx, stranger)[0].kind == "same_report"


def test_short_common_text_is_not_flagged(tx, make_dossier):
    first = make_dossier(summary="Hoàn thành tốt.")
    make_dossier(summary="Hoàn thành tốt.")
    assert duplicates_for(tx, first) == []


def test_flags_cost_the_same_however_many_dossiers_the_nominee_or_the_year_holds(
        app, tx, make_dossier, submitting_unit):
    """Issue 16: neither the nominee's other dossiers nor the year's are all read (one query
    per flag, rows only for what is flagged; identical texts found by their stored
    fingerprint): statements, loaded dossiers and flags do not grow with them."""
    from sqlalchemy import event

    from tests.support.helpers import recording
    from workflow_app.extensions import db
    from workflow_app.models.dossier import Dossier

    person = Person(full_name="Lê Thị Nhiều", unit_id=submitting_unit.id)
    tx.add(person)
    tx.commit()
    first = make_dossier(nominee=person, year=2025, summary=REPORT)
    second = make_dossier(nominee=person, year=2025, summary="Khác hẳn.")
    shared = "cd" * 32
    for dossier in (first, second):
        dossier.documents.append(DossierDocument(doc_type="BAO_CAO_THANH_TICH", sha256=shared,
                                                 filename="bao-cao.pdf", size=10))
    tx.commit()

    def measure():
        fresh = db.new_session()
        loaded = []
        event.listen(fresh, "loaded_as_persistent",
                     lambda _s, obj: loaded.append(obj) if isinstance(obj, Dossier) else None)
        try:
            with recording(db.engine) as log:
                flags = duplicates_for(fresh, fresh.get(Dossier, first.id))
            return len(log), len(loaded), sorted((f.kind, f.other.id) for f in flags)
        finally:
            fresh.close()

    few = measure()
    for year in range(1990, 2020):  # 30 more dossiers of the nominee, none a duplicate
        make_dossier(nominee=person, year=year, summary="Hoàn thành tốt.")
    for i in range(10):  # and 10 of others the same year, with texts of their own
        make_dossier(year=2025, summary=f"{REPORT} Thêm thành tích số {i}.")
    assert measure() == few
    assert few[1] == 2 and few[2] == [("same_attachment", second.id),
                                      ("same_nomination", second.id)]
