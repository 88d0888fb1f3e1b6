"""The working-day calendar: weekends, Tết, fixed holidays, swapped days, year boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workflow_app.workdays import CalendarError, default_calendar, load_calendar, local_date

CAL = default_calendar()


def test_weekends_are_not_working_days_and_friday_plus_one_is_monday():
    assert CAL.is_working_day(date(2026, 3, 6))  # Friday
    assert not CAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CAL.is_working_day(date(2026, 3, 8))  # Sunday
    assert CAL.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert CAL.add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)


def test_tet_2026_week_is_skipped():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day)), day
    assert CAL.holiday_name(date(2026, 2, 17), "en") == "Lunar New Year, day 1"
    # Friday before Tết + 1 working day lands on the Monday after the Tết week.
    assert CAL.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_counting_across_the_new_year_skips_1_january():
    # Wednesday 31/12/2025 → Thursday 1/1/2026 is a holiday → Friday 2/1, Monday 5/1.
    assert CAL.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    assert CAL.add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)
    assert CAL.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2


def test_ten_working_day_disclosure_window_over_tet_2026():
    # Opened Monday 9/2/2026: Tue–Fri before Tết (4), the week of 23/2 (5), Monday 2/3 (1).
    assert CAL.add_working_days(date(2026, 2, 9), 10) == date(2026, 3, 2)


def test_swapped_saturday_is_worked_and_swapped_weekday_is_not():
    assert CAL.is_working_day(date(2025, 2, 8))  # Saturday, make-up day
    assert not CAL.is_working_day(date(2025, 1, 27))  # Monday, swapped off
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.is_working_day(date(2025, 4, 26))


def test_lunar_and_compensatory_days_off():
    assert not CAL.is_working_day(date(2025, 4, 7))  # Giỗ Tổ 2025 (Monday)
    assert not CAL.is_working_day(date(2026, 4, 27))  # Giỗ Tổ 2026 falls on Sunday 26/4
    assert not CAL.is_working_day(date(2027, 5, 3))  # 1/5/2027 is a Saturday


def test_fixed_holidays_apply_in_years_without_a_file():
    assert not CAL.is_configured(2031)
    assert CAL.is_configured(2026)
    assert not CAL.is_working_day(date(2031, 9, 2))  # Tuesday
    assert not CAL.is_working_day(date(2031, 5, 1))  # Thursday
    assert CAL.is_working_day(date(2031, 5, 2))  # Friday: no yearly file, no swap
    assert CAL.holiday_name(date(2031, 9, 2), "vi") == "Quốc khánh (2/9)"


def test_zero_and_negative_counts():
    monday = date(2026, 3, 9)
    assert CAL.add_working_days(monday, 0) == monday
    assert CAL.add_working_days(monday, -1) == date(2026, 3, 6)
    assert CAL.working_days_between(date(2026, 3, 13), monday) == -4
    assert CAL.working_days_between(monday, monday) == 0


def test_adding_then_counting_round_trips_over_three_years():
    start = date(2025, 1, 1)
    for offset in range(0, 3 * 365, 11):
        day = start + timedelta(days=offset)
        for count in (1, 7, 20):
            assert CAL.working_days_between(day, CAL.add_working_days(day, count)) == count
            assert CAL.is_working_day(CAL.add_working_days(day, count))


def test_dates_are_taken_in_vietnam_time():
    assert local_date(datetime(2026, 2, 15, 17, 30, tzinfo=UTC)) == date(2026, 2, 16)
    assert local_date(datetime(2026, 2, 15, 16, 59, tzinfo=UTC)) == date(2026, 2, 15)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 2, 15, 12, 0))


def _calendar_dir(tmp_path, year_file: str, name: str = "2026.toml"):
    (tmp_path / "fixed.toml").write_text(
        '[[holiday]]\nmonth = 1\nday = 1\nname_vi = "Tết"\nname_en = "New Year"\n')
    (tmp_path / name).write_text(year_file)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("2026.toml", 'year = 2025\nstatus = "provisional"\n', "2026.toml: year = 2025"),
        ("2026.toml", 'year = 2026\nstatus = "maybe"\n', "2026.toml: status must be"),
        ("2026.toml",
         'year = 2026\nstatus = "provisional"\n[[day_off]]\ndate = 2027-01-04\n'
         'name_vi = "x"\nname_en = "x"\n',
         "2026.toml: day_off #1: date must be a day in 2026"),
        ("2026.toml",
         'year = 2026\nstatus = "provisional"\n[[working_day]]\ndate = 2026-03-09\n'
         'name_vi = "x"\nname_en = "x"\n',
         "2026.toml: working_day #1: 2026-03-09 is already a weekday"),
        ("2026.toml",
         'year = 2026\nstatus = "provisional"\n[[day_off]]\ndate = 2026-03-09\nname_vi = "x"\n',
         "2026.toml: day_off #1: name_vi and name_en are required"),
        ("2026.toml", "year = ", "2026.toml: invalid TOML"),
    ],
)
def test_bad_holiday_files_are_refused_naming_file_and_entry(tmp_path, name, content, expected):
    with pytest.raises(CalendarError) as error:
        load_calendar(_calendar_dir(tmp_path, content, name))
    assert expected in str(error.value)


def test_a_valid_year_file_is_used(tmp_path):
    calendar = load_calendar(_calendar_dir(
        tmp_path,
        'year = 2026\nstatus = "confirmed"\n[[day_off]]\ndate = 2026-03-09\n'
        'name_vi = "Nghỉ"\nname_en = "Off"\n'))
    assert not calendar.is_working_day(date(2026, 3, 9))
    assert not calendar.is_working_day(date(2026, 1, 1))
    assert calendar.is_working_day(date(2026, 2, 17))  # this calendar has no Tết entry
