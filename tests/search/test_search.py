"""Search (issue 14 item 6): beyond 5,000 persons, with and without diacritics, scoped by
role, totals never capped, paged, kept current on every write; page, API and registry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text

from tests.support.helpers import login_as, recording, run_cli
from workflow_app.extensions import db
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.org import Person
from workflow_app.models.search import SearchTerm
from workflow_app.search.service.queries import search_kind

GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hùng", "Khánh", "Lan", "Minh")


def test_search_beyond_5000_persons_scoped_paged_and_current(
        app, session, client, call_as, make_unit, root_unit, make_user, make_person,
        make_dossier, submitting_unit, submitter, tx):
    unit_b = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice",
                       parent=root_unit, code="STP-QB")
    session.add_all(Person(full_name=f"Trần Văn {GIVEN[i % 10]}", unit_id=submitting_unit.id,
                           position="Chấp hành viên") for i in range(5200))
    session.commit()
    if db.engine.dialect.name == "postgresql":  # as autovacuum would after a bulk load
        session.execute(text("ANALYZE search_term"))
        session.execute(text("ANALYZE person"))
        session.commit()
    target = make_person("Nguyễn Văn Quang", unit=submitting_unit)
    elsewhere = make_person("Nguyễn Văn Quảng", unit=unit_b)  # folds the same way
    mai = [make_person("Đỗ Thị Mai", unit=submitting_unit).id for _ in range(25)]
    assert target.id > 5200
    admin = make_user("admin-s", roles=["admin"])
    reader = session.get(type(submitter), submitter.id)

    # With and without diacritics, any case, a word's beginning; the scope decides.
    for query in ("Nguyen Van Quang", "nguyễn văn quang", "NGUYEN VAN QU", "van quang"):
        hits = search_kind(session, reader, "person", query)
        assert [p.id for p in hits.items] == [target.id] and hits.mode == "phrase", query
    widened = search_kind(session, reader, "person", "quang nguyen")  # not in this order
    assert [p.id for p in widened.items] == [target.id] and widened.mode == "all_words"
    both = search_kind(session, admin, "person", "nguyen van quang")
    assert both.total == 2 and {p.id for p in both.items} == {target.id, elsewhere.id}
    assert search_kind(session, reader, "person", "ang").total == 0  # words begin, not infix
    # Totals are never capped, pages follow: 25 "Đỗ Thị Mai", đ folded to d.
    first = search_kind(session, reader, "person", "do thi mai", per_page=20)
    second = search_kind(session, reader, "person", "ĐỖ THỊ", page=2, per_page=20)
    assert (first.total, second.total, first.pages) == (25, 25, 2)
    assert sorted(p.id for p in first.items + second.items) == sorted(mai)
    past = search_kind(session, reader, "person", "do thi mai", page=9)  # past the end
    assert (past.total, past.items, past.mode) == (25, [], "phrase")
    crowd = search_kind(session, admin, "person", "tran van")
    assert crowd.total == 5200 and len(crowd.items) == 20
    # Done in the database: a fixed number of statements, whatever the number of matches.
    with recording(db.engine) as log:
        search_kind(session, admin, "person", "tran van binh")
    assert len(log) == 2, log  # the page with its total (one range scan), then the units
    assert len(log.touching("search_term")) >= 1

    # Dossiers by nominee, achievement summary and award; decisions by number and annex.
    dossier = make_dossier(nominee=tx.get(Person, target.id),
                           summary="Sáng kiến số hoá hồ sơ thi hành án dân sự")
    award_code = dossier.award.code
    decision = Decision(issuer_unit_id=submitting_unit.id, doc_type="QD", year=2025,
                        number=901, reference="901/QĐ-BTP", issued_on=date(2025, 12, 30),
                        place="Hà Nội", summary="Về việc tặng danh hiệu Chiến sĩ thi đua",
                        signer_name="Lê Văn Ký", signer_title="Thứ trưởng",
                        docx_sha256="0" * 64, pdf_sha256="0" * 64)
    decision.items.append(DecisionItem(position=1, awardee_name="Nguyễn Văn Quang",
                                       award_name="Chiến sĩ thi đua cơ sở",
                                       dossier_id=dossier.id, certificate_sha256="0" * 64))
    tx.add(decision)
    tx.commit()
    for query in ("so hoa ho so", "Sáng kiến", f"danh hieu {award_code}", str(dossier.id)):
        assert [d.id for d in search_kind(session, reader, "dossier", query).items] == \
            [dossier.id], query
    outsider = make_user("submitter-b", roles=["submitter"], unit=unit_b)
    assert search_kind(session, outsider, "dossier", "so hoa").total == 0
    signer = make_user("signer-a", roles=["signer"], unit=submitting_unit)
    for query in ("901/QĐ-BTP", "901 qd", "chien si thi dua co so", "quang"):
        assert [d.id for d in search_kind(session, signer, "decision", query).items] == \
            [decision.id], query
    assert search_kind(session, reader, "decision", "901").total == 1  # its dossier's unit
    assert search_kind(session, outsider, "decision", "901").total == 0

    # Kept current on write: a rename and a deletion reach the index in the same flush.
    target = session.get(Person, target.id)
    target.full_name = "Nguyễn Văn Quyết"
    session.delete(session.get(Person, mai[0]))
    session.commit()
    assert search_kind(session, reader, "person", "quang nguyen").total == 0
    assert search_kind(session, reader, "person", "quyet").total == 1
    assert search_kind(session, reader, "person", "do thi mai").total == 24
    words_before = session.scalar(select(func.count()).select_from(SearchTerm))
    session.commit()
    result = run_cli(app, "search", "reindex")  # rebuilt from scratch: the same rows
    assert result.exit_code == 0 and "person:" in result.output, result.output
    assert session.scalar(select(func.count()).select_from(SearchTerm)) == words_before

    # The API: every kind with its total, or one kind paged; bad input is a 400.
    call = call_as(admin)
    body = call("GET", "/api/v1/search", query_string={"q": "tran van", "per_page": 3}).get_json()
    totals = {g["kind"]: g["total"] for g in body["groups"]}
    assert totals["person"] == 5200 and len(body["groups"][0]["items"]) == 3
    page = call("GET", "/api/v1/search", query_string={
        "q": "tran van binh", "kind": "person", "page": 2, "per_page": 100}).get_json()
    assert page["groups"][0]["total"] == 520 and len(page["groups"][0]["items"]) == 100
    assert call("GET", "/api/v1/search", query_string={"q": "x", "kind": "y"}).status_code == 400
    registry = call("GET", "/api/v1/registry/search", query_string={"q": "tran van"}).get_json()
    assert registry["persons_total"] == 5200 and len(registry["persons"]) == 50

    # The pages: the search page and the registry show the totals and page on.
    login_as(app, client, reader)
    html = client.get("/search/?q=Nguyen+Van+Quyet").get_data(as_text=True)
    assert "Nguyễn Văn Quyết" in html and 'data-testid="search-total-person">1<' in html
    # A kind with nothing found says only that (not also "showing what has all the words").
    assert 'data-testid="search-total-decision">0<' in html
    assert "search-all-words-decision" not in html
    html = client.get("/registry/?q=tran+van&page=3").get_data(as_text=True)
    assert 'data-testid="person-total">5200<' in html and "registry-next" in html
    html = client.get("/search/?q=do+thi&kind=person&page=2").get_data(as_text=True)
    assert html.count("Đỗ Thị Mai") == 4 and "search-next" not in html


def test_decision_numbers_match_without_leading_zeros_and_registry_only_decisions_are_found(
        app, session, client, call_as, make_unit, root_unit, make_user, make_person,
        make_award, submitting_unit, submitter):
    from workflow_app.models.registry import AwardRecord

    make_award("CSTDCS")  # "Danh hiệu CSTDCS": the name read instead of the code
    unit_b = make_unit("Sở Tư pháp tỉnh Quảng Trị", kind="provincial_justice",
                       parent=root_unit, code="STP-QT")
    quang = make_person("Nguyễn Văn Quang", unit=submitting_unit)
    far = make_person("Lê Thị Hoa", unit=unit_b)

    def entry(person, number, source="import"):
        return AwardRecord(person_id=person.id, award_code="CSTDCS", year=2019,
                           decision_number=number, decision_date=date(2019, 5, 12),
                           issuer="Bộ Tư pháp", source=source)

    imported, elsewhere = entry(quang, "01/QĐ-BTP"), entry(far, "01/QĐ-BTP")
    ours = entry(quang, "077/QĐ-BTP", source="decision")  # this system's decision: not a record
    session.add_all([imported, elsewhere, ours])
    session.add(Decision(issuer_unit_id=submitting_unit.id, doc_type="QD", year=2025, number=7,
                         reference="0007/QĐ-BTP", issued_on=date(2025, 1, 6), place="Hà Nội",
                         summary="Về việc tặng Bằng khen", signer_name="Lê Văn Ký",
                         signer_title="Thứ trưởng", docx_sha256="0" * 64, pdf_sha256="0" * 64))
    session.commit()
    admin = make_user("admin-z", roles=["admin"])
    reader = session.get(type(submitter), submitter.id)
    # Leading zeros, spaces, case and Đ/D do not count, on either side.
    for query in ("1/QĐ-BTP", "01/QĐ-BTP", "1 / qd - btp", "0001/QD-BTP", "01/qđ"):
        assert [r.id for r in search_kind(session, reader, "record", query).items] == \
            [imported.id], query
        assert search_kind(session, admin, "record", query).total == 2, query
    assert search_kind(session, admin, "record", "77/QĐ-BTP").total == 0
    assert search_kind(session, admin, "record", "10/QĐ-BTP").total == 0  # 10 is not 1
    signer = make_user("signer-z", roles=["signer"], unit=submitting_unit)
    for query in ("7/QĐ-BTP", "07/qd-btp", "0007 QĐ BTP"):
        assert search_kind(session, signer, "decision", query).total == 1, query
    # An index lookup, not a scan: the page with its total, then the recipients.
    search_kind(session, admin, "record", "1/QĐ-BTP")  # the user's grants loaded
    with recording(db.engine) as log:
        search_kind(session, admin, "record", "1/QĐ-BTP")
    assert len(log) == 2 and len(log.touching("search_term")) == 1, log
    # Registry entries keep the index current too: a corrected number is found at once.
    imported = session.get(AwardRecord, imported.id)
    imported.decision_number = "12/QĐ-BTP"
    session.commit()
    assert search_kind(session, reader, "record", "012/qd").total == 1
    assert search_kind(session, reader, "record", "1/qd").mode == "all_words"  # not as typed
    run_cli(app, "search", "reindex")
    assert search_kind(session, admin, "record", "12/QĐ-BTP").total == 1

    call = call_as(admin)
    body = call("GET", "/api/v1/search", query_string={"q": "12/QD-BTP"}).get_json()
    group = next(g for g in body["groups"] if g["kind"] == "record")
    assert group["total"] == 1 and group["items"][0]["title"] == "12/QĐ-BTP"
    assert "Nguyễn Văn Quang: Danh hiệu CSTDCS 2019" in group["items"][0]["detail"]
    login_as(app, client, reader)
    html = client.get("/search/?q=12%2FQD-BTP").get_data(as_text=True)
    assert 'data-testid="search-total-record">1<' in html
    assert "Quyết định chỉ có trong sổ khen thưởng" in html and "12/05/2019" in html
    assert f"/registry/persons/{quang.id}" in html
