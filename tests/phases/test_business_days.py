"""Business days for a consultation's period: Monday to Friday, without the rest days of the Ley
Federal del Trabajo (art. 74) and without the days the municipality adds in
PMOT_EXTRA_HOLIDAYS. Each rule is checked on the day itself and on the days around it."""

import datetime

import pytest

from phases import rules

D = datetime.date


def period_end(opens_on: datetime.date, days: int) -> datetime.date:
    return rules.last_day(opens_on, days, business=True)


@pytest.fixture(autouse=True)
def no_extra_holidays(settings):
    settings.PMOT_EXTRA_HOLIDAYS = []


# 2026: the fixed days and the three moving Mondays (5 Feb, 21 Mar and 20 Nov are observed on the
# first Monday of February and the third Mondays of March and November).
HOLIDAYS_2026 = [
    D(2026, 1, 1),  # Thursday
    D(2026, 2, 2),  # first Monday of February
    D(2026, 3, 16),  # third Monday of March
    D(2026, 5, 1),  # Friday
    D(2026, 9, 16),  # Wednesday
    D(2026, 11, 16),  # third Monday of November
    D(2026, 12, 25),  # Friday
]


def test_the_weekday_rest_days_of_2026_are_exactly_those_of_art_74():
    workdays = [
        D(2026, 1, 1) + datetime.timedelta(days=n)
        for n in range(365)
        if (D(2026, 1, 1) + datetime.timedelta(days=n)).weekday() < 5
    ]
    assert [day for day in workdays if not rules.is_business_day(day)] == HOLIDAYS_2026


@pytest.mark.parametrize("holiday", HOLIDAYS_2026, ids=str)
def test_a_rest_day_does_not_count_but_the_days_around_it_do(holiday):
    before = holiday - datetime.timedelta(days=1)
    after = holiday + datetime.timedelta(days=1)
    assert not rules.is_business_day(holiday)
    assert rules.is_business_day(before) == (before.weekday() < 5)
    assert rules.is_business_day(after) == (after.weekday() < 5)


@pytest.mark.parametrize(
    ("holiday", "not_a_holiday"),
    [
        # February, March and November 2027 begin on a Monday: it is the first Monday itself.
        (D(2027, 2, 1), D(2027, 2, 8)),
        (D(2027, 3, 15), D(2027, 3, 22)),
        (D(2027, 11, 15), D(2027, 11, 22)),
        # 2028: February begins on a Tuesday, March on a Wednesday, November on a Wednesday.
        (D(2028, 2, 7), D(2028, 2, 14)),
        (D(2028, 3, 20), D(2028, 3, 21)),  # the 21st itself is a working Tuesday
        (D(2028, 11, 20), D(2028, 11, 13)),
    ],
    ids=str,
)
def test_the_moving_mondays_fall_on_the_right_monday(holiday, not_a_holiday):
    assert holiday.weekday() == 0
    assert not rules.is_business_day(holiday)
    assert rules.is_business_day(not_a_holiday) == (not_a_holiday.weekday() < 5)


@pytest.mark.parametrize(
    ("year", "is_transition"),
    [(2024, True), (2025, False), (2029, False), (2030, True), (2031, False), (2036, True)],
)
def test_1_october_rests_only_when_the_federal_executive_takes_office(year, is_transition):
    first_of_october = D(year, 10, 1)
    assert first_of_october.weekday() < 5  # a weekday in every year listed
    assert rules.is_business_day(first_of_october) is not is_transition
    assert rules.is_business_day(D(year, 10, 2)) == (D(year, 10, 2).weekday() < 5)


def test_a_period_skips_weekends_and_a_moving_monday():
    # Friday 30 January 2026 counts as day 1; Monday 2 February is Constitution day.
    assert period_end(D(2026, 1, 30), 1) == D(2026, 1, 30)
    assert period_end(D(2026, 1, 30), 2) == D(2026, 2, 3)
    # Opening on the rest day itself: the first day that counts is the next one.
    assert period_end(D(2026, 2, 2), 1) == D(2026, 2, 3)


def test_a_period_across_the_transition_day_of_2030():
    # Monday 30 September 2030 + 2 business days: 1 October (Tuesday) does not count.
    assert period_end(D(2030, 9, 30), 2) == D(2030, 10, 2)
    # Six years earlier and later the same dates are plain working days.
    assert period_end(D(2036, 9, 30), 2) == D(2036, 10, 2)
    assert period_end(D(2031, 9, 30), 2) == D(2031, 10, 1)


def test_a_long_period_over_the_year_end():
    # 10 business days from Monday 21 December 2026: 25 Dec and 1 Jan and two weekends skipped.
    assert period_end(D(2026, 12, 21), 10) == D(2027, 1, 5)


def test_an_extra_holiday_of_the_setting_does_not_count(settings):
    # Wednesday 18 and Thursday 19 March 2026: without the setting, 2 days end on the 19th.
    assert period_end(D(2026, 3, 18), 2) == D(2026, 3, 19)
    settings.PMOT_EXTRA_HOLIDAYS = ["2026-03-19", "2027-03-18"]
    assert not rules.is_business_day(D(2026, 3, 19))
    assert rules.is_business_day(D(2026, 3, 18))
    assert rules.is_business_day(D(2026, 3, 20))
    assert period_end(D(2026, 3, 18), 2) == D(2026, 3, 20)
    # A date of another year in the list affects only that year.
    assert rules.is_business_day(D(2025, 3, 19))
    assert not rules.is_business_day(D(2027, 3, 18))


def test_the_extra_holidays_are_read_from_the_environment(monkeypatch):
    from pmot import settings as project_settings

    monkeypatch.setenv("PMOT_EXTRA_HOLIDAYS", " 2026-03-19 ,2026-11-02,")
    assert project_settings.env_list("PMOT_EXTRA_HOLIDAYS") == ["2026-03-19", "2026-11-02"]


def test_calendar_days_ignore_every_holiday(settings):
    settings.PMOT_EXTRA_HOLIDAYS = ["2026-03-19"]
    assert rules.last_day(D(2026, 3, 14), 7, business=False) == D(2026, 3, 20)
