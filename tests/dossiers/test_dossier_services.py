"""Creating and editing dossiers through the services: checks, the engine, the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.support.dossier_factories import events_of
from workflow_app.audit.verify import verify_chain
from workflow_app.dossiers.service.dossiers import NotEditable, create_dossier, edit_dossier
from workflow_app.dossiers.service.fields import DossierInvalid, fold
from workflow_app.models.audit import AuditEvent
from workflow_app.workflow import Forbidden, StaleVersion, fire


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _event_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def _create(tx, actor, unit, award, **fields):
    values = {"commendation_type": "CONG_TRANG", "year": 2025, **fields}
    dossier = create_dossier(tx, actor, unit=unit, award=award, **values)
    tx.commit()
    return dossier


def test_create_opens_a_draft_through_the_engine_with_search_text_and_default_title(
        tx, session, make_award, submitter, submitting_unit, nominee):
    award = make_award("CSTDCS")
    dossier = _create(tx, submitter, submitting_unit, award, person=nominee,
                      movement_reference="Kế hoạch số 16/KH-STP",
                      report_sections=[{"heading": "Thành tích đạt được", "body": "Nhiều"},
                                       {"heading": "Trống", "body": "  "}])
    assert (dossier.state, dossier.version, dossier.workflow) == ("draft", 1, "normal")
    assert dossier.title == "Danh hiệu CSTDCS năm 2025 — Nguyễn Văn Bình"
    assert dossier.report_sections == [{"heading": "Thành tích đạt được", "body": "Nhiều"}]
    assert "nguyen van binh" in dossier.search_text and "16/kh-stp" in dossier.search_text
    [created] = events_of(session, dossier.id)
    assert created.action == "dossier.created" and created.to_state == "draft"
    assert created.actor_id == submitter.id


def test_simplified_procedure_is_chosen_when_the_rule_lists_the_commendation_type(
        tx, make_award, submitter, submitting_unit, nominee):
    award = make_award()
    award.versions[0].simplified = {"allowed_for": ["DOT_XUAT"],
                                    "required_documents": ["TO_TRINH"]}
    tx.commit()
    ad_hoc = _create(tx, submitter, submitting_unit, award, person=nominee,
                     commendation_type="DOT_XUAT")
    merit = _create(tx, submitter, submitting_unit, award, person=nominee)
    assert (ad_hoc.workflow, merit.workflow) == ("simplified", "normal")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"year": date.today().year + 1}, "year", "Enter a year between"),
    ({"year": 2025, "year_from": 2026}, "year_from", "must be before 2025"),
    ({"commendation_type": "THUONG_XUYEN"}, "commendation_type", "from the list"),
    ({"title": "x" * 300}, "title", "At most 255 characters"),
    ({"report_sections": [{"heading": "", "body": "text without heading"}]}, "sections",
     "needs a heading"),
])
def test_bad_fields_are_refused_by_name_and_nothing_is_written(
        tx, session, make_award, submitter, submitting_unit, nominee, fields, field, message):
    award = make_award()
    before = _event_count(session)
    with pytest.raises(DossierInvalid) as error:
        create_dossier(tx, submitter, unit=submitting_unit, award=award, person=nominee,
                       **{"commendation_type": "CONG_TRANG", "year": 2025, **fields})
    tx.rollback()
    assert error.value.field == field and message in error.value.message
    assert _event_count(session) == before


def test_nominee_outside_the_unit_and_an_award_for_collectives_are_refused(
        tx, make_award, make_person, submitter, submitting_unit, other_unit, nominee):
    award = make_award()
    stranger = make_person("Người Ngoài", unit=other_unit)
    with pytest.raises(DossierInvalid, match="must belong to the submitting unit"):
        create_dossier(tx, submitter, unit=submitting_unit, award=award, person=stranger,
                       commendation_type="CONG_TRANG", year=2025)
    tx.rollback()
    award.versions[0].subject = "collective"
    tx.commit()
    with pytest.raises(DossierInvalid, match="for collectives, not for a person"):
        create_dossier(tx, submitter, unit=submitting_unit, award=award, person=nominee,
                       commendation_type="CONG_TRANG", year=2025)
    tx.rollback()


def test_only_a_submitter_over_the_unit_may_open_a_dossier(
        tx, make_award, reviewer, other_submitter, submitting_unit, nominee):
    award = make_award()
    for actor in (reviewer, other_submitter):
        with pytest.raises(Forbidden):
            create_dossier(tx, actor, unit=submitting_unit, award=award, person=nominee,
                           commendation_type="CONG_TRANG", year=2025)
        tx.rollback()


def test_edit_records_the_field_diff_and_bumps_the_version(tx, session, make_dossier,
                                                           submitter):
    dossier = make_dossier(summary="Cũ")
    event = edit_dossier(tx, dossier, submitter, 1, summary="Mới", year=2024,
                         title=dossier.title)
    tx.commit()
    assert dossier.version == 2
    assert event.action == "dossier.edited" and event.actor_id == submitter.id
    assert event.data["changes"] == {"summary": ["Cũ", "Mới"],
                                     "year": [date.today().year - 1, 2024]}
    assert event.data["version"] == 2
    assert edit_dossier(tx, dossier, submitter, 2, summary="Mới") is None  # nothing changed
    tx.commit()
    assert dossier.version == 2 and len(events_of(session, dossier.id, "dossier.edited")) == 1
    assert verify_chain(session).ok


def test_edit_is_refused_when_stale_outside_editable_states_and_to_other_roles(
        tx, session, make_dossier, submitter, reviewer):
    dossier = make_dossier()
    with pytest.raises(StaleVersion):
        edit_dossier(tx, dossier, submitter, 7, summary="x")
    tx.rollback()
    with pytest.raises(Forbidden):
        edit_dossier(tx, dossier, reviewer, 1, summary="x")
    tx.rollback()
    fire(tx, dossier, "submit", submitter, expected_version=1)
    tx.commit()
    with pytest.raises(NotEditable) as error:
        edit_dossier(tx, dossier, submitter, dossier.version, summary="x")
    tx.rollback()
    assert error.value.code == 409 and "draft or returned" in str(error.value.description)
    assert events_of(session, dossier.id, "dossier.edited") == []


def test_returned_dossier_is_editable_but_its_fixed_award_is_not(
        tx, make_dossier, make_award, submitter):
    dossier = make_dossier("returned")
    other = make_award()
    with pytest.raises(DossierInvalid, match="cannot be changed once the dossier has been"):
        edit_dossier(tx, dossier, submitter, dossier.version, award=other)
    tx.rollback()
    assert edit_dossier(tx, dossier, submitter, dossier.version, summary="Bổ sung") is not None
    tx.commit()


def test_a_change_that_would_switch_the_procedure_is_refused(tx, make_dossier, submitter):
    dossier = make_dossier()
    dossier.award.versions[0].simplified = {"allowed_for": ["DOT_XUAT"]}
    tx.commit()
    with pytest.raises(DossierInvalid, match="another procedure"):
        edit_dossier(tx, dossier, submitter, 1, commendation_type="DOT_XUAT")
    tx.rollback()


def test_fold_removes_vietnamese_accents():
    assert fold("  Nguyễn ĐỨC   Thắng ") == "nguyen duc thang"
