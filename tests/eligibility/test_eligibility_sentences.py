"""Issue 10 item 9: the sentences eligibility shows, rendered in Vietnamese and English for
every shape of years — none, one, a contiguous range, a scattered list — and mixed
met / not met / unknown years. Never an empty placeholder ("—") inside a sentence, never a
one-year period written "2025–2025", every sentence starting with a capital letter.

The rules are called on hand-made `Facts` (no database); the dossier page checks at the end
(the informational badge after submission, the capitalised list of missing items) run on
SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from tests.support.helpers import login_as
from workflow_app import create_app
from workflow_app.config import Config
from workflow_app.eligibility.service import rules_collective as c
from workflow_app.eligibility.service import rules_history as h
from workflow_app.eligibility.service import rules_manual as m
from workflow_app.eligibility.service.evaluate import _evaluate_one
from workflow_app.eligibility.service.facts import Facts
from workflow_app.eligibility.service.results import MET, NOT_MET, UNKNOWN

YEAR = 2025
NAMES = {"vi": {"CSTDCS": "Chiến sĩ thi đua cơ sở", "BK_BO": "Bằng khen của Bộ trưởng"},
         "en": {"CSTDCS": "Grassroots Emulation Fighter", "BK_BO": "Minister's Certificate"}}
EMPTY_PLACEHOLDER = re.compile(r"—\s*(?=[;:.,)]|$)|(?:\bin|\bfor|năm|các năm)\s+—")
SAME_YEAR_PERIOD = re.compile(r"\b(\d{4})–\1\b")
PLURAL_ONE_YEAR = re.compile(r"các năm \d{4}(?![\d,–])")


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    """The real app (its translations), never connected to a database."""
    folder = tmp_path_factory.mktemp("sentences")
    app = create_app(Config(secret_key="x", database_url=f"sqlite:///{folder}/unused.db",
                            instance_dir=folder, testing=True, cookie_secure=False))
    with app.test_request_context():
        yield app


def facts(locale: str, *, awards=None, pending=None, ratings=None, initiatives=()) -> Facts:
    return Facts(session=None, year=YEAR, on=date(2025, 12, 1),
                 awards={k: set(v) for k, v in (awards or {}).items()},
                 pending={k: set(v) for k, v in (pending or {}).items()},
                 ratings=dict(ratings or {}), initiatives=list(initiatives),
                 _names=NAMES[locale])


def idea(year: int, title: str, scope: str = "unit", kind: str = "initiative"):
    return SimpleNamespace(year=year, title=title, scope=scope, kind=kind)


def say(rule, p: dict, locale: str, **data) -> tuple[str, str]:
    with force_locale(locale):
        status, text = rule(p, facts(locale, **data))
    well_formed(text)
    return status, text


def well_formed(text: str) -> None:
    assert text and text[0] == text[0].upper(), text
    assert not EMPTY_PLACEHOLDER.search(text), text
    assert not SAME_YEAR_PERIOD.search(text), text
    assert not PLURAL_ONE_YEAR.search(text), text
    assert "  " not in text and " ;" not in text and " :" not in text, text
    assert "%(" not in text and "{" not in text, text


# --- consecutive titles -------------------------------------------------------------------

CONSECUTIVE = {"kind": "consecutive_titles", "award": "CSTDCS", "years": 3}


@pytest.mark.parametrize(("held", "pending", "status", "vi", "en"), [
    ((), (), NOT_MET,
     "Chiến sĩ thi đua cơ sở: không có năm nào trong giai đoạn 2023–2025 (cần 3 năm liên tục).",
     "Grassroots Emulation Fighter: none in 2023–2025 (3 consecutive years needed)."),
    ((2024,), (), NOT_MET,
     "Đã đạt Chiến sĩ thi đua cơ sở năm 2024; còn thiếu năm 2023, 2025: 1/3 năm liên tục "
     "(giai đoạn 2023–2025).",
     "Grassroots Emulation Fighter in 2024 — 2023, 2025 missing: 1 of 3 consecutive years "
     "(2023–2025)."),
    ((2023, 2025), (), NOT_MET,
     "Đã đạt Chiến sĩ thi đua cơ sở các năm 2023, 2025; còn thiếu năm 2024: 2/3 năm liên tục "
     "(giai đoạn 2023–2025).",
     "Grassroots Emulation Fighter in 2023, 2025 — 2024 missing: 2 of 3 consecutive years "
     "(2023–2025)."),
    ((2023, 2024), (2025,), UNKNOWN,
     "Đã đạt Chiến sĩ thi đua cơ sở các năm 2023, 2024; năm 2025 đang được xét trong hồ sơ "
     "khác: 2/3 năm liên tục (giai đoạn 2023–2025).",
     "Grassroots Emulation Fighter in 2023, 2024 — 2025 pending in another dossier: 2 of 3 "
     "consecutive years (2023–2025)."),
    ((2023, 2024, 2025), (), MET,
     "Đã đạt Chiến sĩ thi đua cơ sở đủ 3 năm liên tục (giai đoạn 2023–2025).",
     "Grassroots Emulation Fighter held in each of the 3 consecutive years 2023–2025."),
])
def test_consecutive_titles(bare_app, held, pending, status, vi, en):
    data = {"awards": {"CSTDCS": held}, "pending": {"CSTDCS": pending}}
    assert say(h.consecutive_titles, CONSECUTIVE, "vi", **data) == (status, vi)
    assert say(h.consecutive_titles, CONSECUTIVE, "en", **data) == (status, en)


@pytest.mark.parametrize(("held", "pending", "status", "vi", "en"), [
    ((), (), NOT_MET, "Sổ theo dõi không ghi nhận Chiến sĩ thi đua cơ sở năm 2025.",
     "No Grassroots Emulation Fighter for 2025 in the registry."),
    ((), (2025,), UNKNOWN, "Chiến sĩ thi đua cơ sở năm 2025 đang được xét trong một hồ sơ khác.",
     "Grassroots Emulation Fighter for 2025 is pending in another dossier."),
    ((2025,), (), MET, "Đã đạt Chiến sĩ thi đua cơ sở năm 2025.",
     "Grassroots Emulation Fighter held for 2025."),
])
def test_a_one_year_run_reads_as_that_year(bare_app, held, pending, status, vi, en):
    p = {**CONSECUTIVE, "years": 1}
    data = {"awards": {"CSTDCS": held}, "pending": {"CSTDCS": pending}}
    assert say(h.consecutive_titles, p, "vi", **data) == (status, vi)
    assert say(h.consecutive_titles, p, "en", **data) == (status, en)


# --- titles in a period, an award held before ---------------------------------------------

PERIOD = {"kind": "titles_in_period", "award": "CSTDCS", "count": 3, "within": 5}


@pytest.mark.parametrize(("held", "status", "vi", "en"), [
    ((), NOT_MET, "Không có Chiến sĩ thi đua cơ sở trong giai đoạn 2021–2025 (yêu cầu 3 lần).",
     "No Grassroots Emulation Fighter in 2021–2025 (3 needed)."),
    ((2022,), NOT_MET,
     "Đã đạt Chiến sĩ thi đua cơ sở năm 2022: 1 lần trong giai đoạn 2021–2025 (yêu cầu 3 lần).",
     "Grassroots Emulation Fighter in 2022: 1 time in 2021–2025 (3 needed)."),
    ((2021, 2023, 2025), MET,
     "Đã đạt Chiến sĩ thi đua cơ sở các năm 2021, 2023, 2025: 3 lần trong giai đoạn 2021–2025 "
     "(yêu cầu 3 lần).",
     "Grassroots Emulation Fighter in 2021, 2023, 2025: 3 times in 2021–2025 (3 needed)."),
    ((2022, 2023, 2024, 2025), MET,
     "Đã đạt Chiến sĩ thi đua cơ sở các năm 2022–2025: 4 lần trong giai đoạn 2021–2025 "
     "(yêu cầu 3 lần).",
     "Grassroots Emulation Fighter in 2022–2025: 4 times in 2021–2025 (3 needed)."),
])
def test_titles_in_period(bare_app, held, status, vi, en):
    data = {"awards": {"CSTDCS": held}}
    assert say(h.titles_in_period, PERIOD, "vi", **data) == (status, vi)
    assert say(h.titles_in_period, PERIOD, "en", **data) == (status, en)


@pytest.mark.parametrize(("held", "vi", "en"), [
    ((2019,), "Đã đạt Bằng khen của Bộ trưởng năm 2019.", "Minister's Certificate held in 2019."),
    ((2019, 2022), "Đã đạt Bằng khen của Bộ trưởng các năm 2019, 2022.",
     "Minister's Certificate held in 2019, 2022."),
])
def test_an_award_held_before(bare_app, held, vi, en):
    p = {"kind": "holds_award", "award": "BK_BO", "when": "before"}
    assert say(h.holds_award, p, "vi", awards={"BK_BO": held}) == (MET, vi)
    assert say(h.holds_award, p, "en", awards={"BK_BO": held}) == (MET, en)


# --- ratings ------------------------------------------------------------------------------

ONE_YEAR = {"kind": "rating_years", "min_rating": "good", "years": 1}
FIVE_YEARS = {"kind": "rating_years", "min_rating": "good", "years": 5, "consecutive": True}
TWO_EXCELLENT = {"kind": "rating_years", "min_rating": "excellent", "years": 2,
                 "consecutive": True}
TWO_OF_THREE = {"kind": "rating_years", "min_rating": "excellent", "years": 2, "within": 3}


@pytest.mark.parametrize(("p", "ratings", "status", "vi", "en"), [
    (ONE_YEAR, {}, UNKNOWN,
     "Chưa ghi nhận kết quả đánh giá năm 2025 (yêu cầu hoàn thành tốt nhiệm vụ (HTTNV) trở lên).",
     "No rating recorded for 2025 (good (HTTNV) or better needed)."),
    (ONE_YEAR, {2025: "excellent"}, MET,
     "Được đánh giá hoàn thành tốt nhiệm vụ (HTTNV) trở lên năm 2025.",
     "Rated good (HTTNV) or better for 2025."),
    (ONE_YEAR, {2025: "completed"}, NOT_MET,
     "Được đánh giá dưới mức hoàn thành tốt nhiệm vụ (HTTNV) năm 2025.",
     "Rated below good (HTTNV) for 2025."),
    # The garbled sentence of the issue: nothing good, nothing unrated.
    (TWO_EXCELLENT, {2024: "good", 2025: "good"}, NOT_MET,
     "Được đánh giá dưới mức hoàn thành xuất sắc nhiệm vụ (HTXSNV) các năm 2024, 2025: 0/2 năm "
     "liên tục (giai đoạn 2024–2025).",
     "Rated below excellent (HTXSNV) in 2024, 2025: 0 of 2 consecutive years (2024–2025)."),
    # Mixed: met in a range, not met one year, unknown another.
    (FIVE_YEARS, {2021: "good", 2022: "excellent", 2023: "good", 2024: "completed"}, NOT_MET,
     "Được đánh giá hoàn thành tốt nhiệm vụ (HTTNV) trở lên các năm 2021–2023; dưới mức đó năm "
     "2024; chưa ghi nhận kết quả đánh giá năm 2025: 3/5 năm liên tục (giai đoạn 2021–2025).",
     "Rated good (HTTNV) or better in 2021–2023; below that in 2024; no rating recorded for "
     "2025: 3 of 5 consecutive years (2021–2025)."),
    (FIVE_YEARS, {2021: "good", 2023: "good", 2025: "good"}, UNKNOWN,
     "Được đánh giá hoàn thành tốt nhiệm vụ (HTTNV) trở lên các năm 2021, 2023, 2025; chưa ghi "
     "nhận kết quả đánh giá các năm 2022, 2024: 3/5 năm liên tục (giai đoạn 2021–2025).",
     "Rated good (HTTNV) or better in 2021, 2023, 2025; no rating recorded for 2022, 2024: "
     "3 of 5 consecutive years (2021–2025)."),
    (FIVE_YEARS, {}, UNKNOWN,
     "Chưa ghi nhận kết quả đánh giá các năm 2021–2025: 0/5 năm liên tục "
     "(giai đoạn 2021–2025).",
     "No rating recorded for 2021–2025: 0 of 5 consecutive years (2021–2025)."),
    (FIVE_YEARS, dict.fromkeys(range(2021, 2026), "good"), MET,
     "Được đánh giá hoàn thành tốt nhiệm vụ (HTTNV) trở lên đủ 5 năm liên tục "
     "(giai đoạn 2021–2025).",
     "Rated good (HTTNV) or better in each of the 5 consecutive years 2021–2025."),
    (TWO_OF_THREE, {2023: "excellent", 2024: "good", 2025: "excellent"}, MET,
     "Được đánh giá hoàn thành xuất sắc nhiệm vụ (HTXSNV) trở lên các năm 2023, 2025; dưới mức "
     "đó năm 2024: 2 năm (yêu cầu 2 năm trong giai đoạn 2023–2025).",
     "Rated excellent (HTXSNV) or better in 2023, 2025; below that in 2024: 2 years (2 needed "
     "in 2023–2025)."),
    (TWO_OF_THREE, {2024: "excellent", 2025: "good"}, UNKNOWN,
     "Được đánh giá hoàn thành xuất sắc nhiệm vụ (HTXSNV) trở lên năm 2024; dưới mức đó năm "
     "2025; chưa ghi nhận kết quả đánh giá năm 2023: 1 năm (yêu cầu 2 năm trong giai đoạn "
     "2023–2025).",
     "Rated excellent (HTXSNV) or better in 2024; below that in 2025; no rating recorded for "
     "2023: 1 year (2 needed in 2023–2025)."),
])
def test_rating_years(bare_app, p, ratings, status, vi, en):
    assert say(h.rating_years, p, "vi", ratings=ratings) == (status, vi)
    assert say(h.rating_years, p, "en", ratings=ratings) == (status, en)


# --- initiatives and science topics -------------------------------------------------------

@pytest.mark.parametrize(("p", "found", "status", "vi", "en"), [
    ({"kind": "initiative", "scope": "unit"}, (), NOT_MET,
     "Chưa ghi nhận sáng kiến nào được công nhận có phạm vi cơ sở trở lên năm 2025 "
     "(cần 1 sáng kiến).",
     "No recognised initiative at unit scope or wider recorded for 2025 (1 needed)."),
    ({"kind": "initiative", "scope": "unit"}, (idea(2025, "Sổ hộ tịch điện tử"),), MET,
     "1 sáng kiến được công nhận có phạm vi cơ sở trở lên năm 2025: Sổ hộ tịch điện tử.",
     "1 recognised initiative(s) at unit scope or wider for 2025: Sổ hộ tịch điện tử."),
    ({"kind": "initiative", "scope": "unit", "count": 2, "within": 2},
     (idea(2024, "Một cửa"),), NOT_MET,
     "Ghi nhận 1/2 sáng kiến được công nhận có phạm vi cơ sở trở lên trong giai đoạn "
     "2024–2025.",
     "1 of 2 recognised initiative(s) at unit scope or wider recorded for 2024–2025."),
    ({"kind": "science_topic", "scope": "nationwide", "count": 2, "within": 2}, (), NOT_MET,
     "Chưa ghi nhận đề tài khoa học nào đã được nghiệm thu có phạm vi toàn quốc trở lên trong "
     "giai đoạn 2024–2025 (cần 2 đề tài).",
     "No accepted science topic at national scope or wider recorded in 2024–2025 (2 needed)."),
    ({"kind": "science_topic", "scope": "ministry"},
     (idea(2025, "Đề tài A", "national", "science_topic"),), MET,
     "1 đề tài khoa học đã được nghiệm thu có phạm vi cấp bộ, tỉnh trở lên năm 2025: Đề tài A.",
     "1 accepted science topic(s) at ministry scope or wider for 2025: Đề tài A."),
])
def test_initiatives(bare_app, p, found, status, vi, en):
    assert say(h.initiative, p, "vi", initiatives=found) == (status, vi)
    assert say(h.initiative, p, "en", initiatives=found) == (status, en)


# --- collectives and the reviewer's conditions --------------------------------------------

def test_member_count_agrees_with_one_member(bare_app):
    p = {"kind": "member_count", "award": "CSTDCS", "min": 2}
    unit = facts("en")
    unit._members = [SimpleNamespace(id=1)]
    unit.member_awards = lambda code, year: {1}
    with force_locale("en"):
        status, text = c.member_count(p, unit)
    assert (status, text) == (NOT_MET, "1 member holds Grassroots Emulation Fighter for 2025 "
                                       "(at least 2 needed).")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_a_criterion_without_wording_in_this_language_falls_back(bare_app, locale):
    status, text = say(m.criterion, {"kind": "criterion", "text_vi": "Có đạo đức tốt."},
                       locale)
    assert status == UNKNOWN and text.endswith("Có đạo đức tốt.")
    status, text = say(m.criterion, {"kind": "criterion"}, locale)
    assert status == UNKNOWN and not text.rstrip().endswith(":")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_mixed_options_each_read_well(bare_app, locale):
    """A combined rule with a met, a not met and an unknown option: every sentence is whole."""
    p = {"kind": "all_of", "options": [
        {"kind": "holds_award", "award": "BK_BO", "when": "before"},
        {"kind": "titles_in_period", "award": "CSTDCS", "count": 2, "within": 3},
        {"kind": "rating_years", "min_rating": "good", "years": 3, "consecutive": True}]}
    with force_locale(locale):
        result = _evaluate_one(p, facts(locale, awards={"BK_BO": {2020}},
                                        ratings={2023: "good"}), "1", None, "individual")
    assert [o.status for o in result.options] == [MET, NOT_MET, UNKNOWN]
    assert result.status == NOT_MET
    for text in [result.explanation] + [o.explanation for o in result.options]:
        well_formed(text)


# --- the dossier page ---------------------------------------------------------------------

def test_after_submission_not_met_is_shown_grey_for_information(
        app, client, tx, make_dossier, make_user, cstd_bo):
    decided = make_dossier("decided", award=cstd_bo)
    draft = make_dossier(award=cstd_bo)
    ids = decided.id, draft.id
    tx.rollback()
    reader = make_user("reader-vi", roles=["reviewer"])
    login_as(app, client, reader)
    page = client.get(f"/dossiers/{ids[0]}").get_data(as_text=True)
    panel = page.split('data-testid="eligibility-panel"')[1].split("</section>")[0]
    rule = panel.split('data-testid="rule-1"')[1].split("</li>")[0]
    assert 'data-status="not_met"' in rule
    assert "không đáp ứng (thông tin)" in rule and "text-bg-danger" not in panel
    assert "không đạt" not in panel
    draft_page = client.get(f"/dossiers/{ids[1]}").get_data(as_text=True)
    draft_panel = draft_page.split('data-testid="eligibility-panel"')[1].split("</section>")[0]
    assert "text-bg-danger" in draft_panel and "không đạt" in draft_panel  # still blocking


@pytest.mark.parametrize(("locale", "items"), [
    ("vi", ["Tiêu đề", "Tóm tắt thành tích"]), ("en", ["A title", "An achievement summary"])])
def test_the_missing_items_start_with_a_capital_letter(
        app, client, tx, session, make_dossier, submitter, locale, items):
    dossier_id = make_dossier(title="", summary="").id
    tx.rollback()
    session.merge(submitter).locale = locale
    session.commit()
    login_as(app, client, submitter)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    box = page.split('data-testid="missing"')[1].split("</ul>")[0]
    listed = re.findall(r"<li>\s*(.*?)\s*</li>", box)
    assert listed[:2] == items
    assert all(item[0].isupper() for item in listed)


def test_inside_a_met_any_of_rule_an_unmet_option_is_not_a_failure(app):
    """"At least one of" is met by one option: the others are shown as not needed, never as a
    red failure under a green verdict."""
    from flask import render_template_string

    from workflow_app.eligibility.service.results import RuleResult

    group = RuleResult("2", "any_of", MET, "Đáp ứng ít nhất một điều kiện.", options=[
        RuleResult("2.1", "initiatives", NOT_MET, "Chưa ghi nhận sáng kiến nào."),
        RuleResult("2.2", "rating_years", MET, "Hoàn thành xuất sắc nhiệm vụ năm 2025.")])
    alone = RuleResult("3", "initiatives", NOT_MET, "Chưa ghi nhận đề tài khoa học nào.")
    with app.test_request_context():
        html = render_template_string('{% include "eligibility/_rules.html" %}',
                                      results=[group, alone], dossier=None,
                                      can_override=False, informational=False)
    option = html.split('data-testid="rule-2.1"')[1].split("</li>")[0]
    assert 'data-testid="not-needed-2.1"' in option and "text-bg-danger" not in option
    assert "không cần" in option
    top_alone = html.split('data-testid="rule-3"')[1].split("</li>")[0]
    assert "text-bg-danger" in top_alone  # a rule of its own still fails in red
