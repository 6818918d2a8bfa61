"""The forecast on synthetic cohorts whose answer is worked out by hand, and the backtest."""

import math

import pytest

from ruraledu.forecast.engine import Z90, History, SchoolInfo, backtest, forecast

PRIMARY, JUNIOR, TOWN, VILLAGE = 1, 2, 10, 100


def steady_history() -> History:
    """A primary (grades 1–6) and a junior school (7–9) in one town, three steady years:
    grade 1 = 100 from one village (+10 without a village), grades 2–6 keep their pupils except
    grade 3, which keeps 95 %; the junior school takes 80 % of the town's grade 6."""
    rolls, entrants = {}, {}
    for year in (2020, 2021, 2022):
        for grade, n in {1: 110, 2: 110, 3: 104.5, 4: 104.5, 5: 104.5, 6: 104.5}.items():
            rolls[(year, PRIMARY, grade)] = n
        for grade in (7, 8, 9):
            rolls[(year, JUNIOR, grade)] = 83.6
        entrants[(year, PRIMARY, VILLAGE)] = 100
        entrants[(year, PRIMARY, None)] = 10
    births = {(VILLAGE, y): 125 for y in (2014, 2015, 2016)}
    births.update({(VILLAGE, 2017): 150, (VILLAGE, 2018): 50})
    schools = {
        PRIMARY: SchoolInfo(tuple(range(1, 7)), TOWN),
        JUNIOR: SchoolInfo((7, 8, 9), TOWN),
    }
    return History(rolls, entrants, births, schools)


def test_it_forecasts_a_steady_cohort_by_hand():
    # given three identical years and births that jump, then fall
    history = steady_history()

    # when
    result = forecast(history, 2022, horizon=3)

    # then grade 1 = births six years earlier × 0.8 (100 of 125) + the 10 without a village
    cells = result.cells
    assert cells[(2023, PRIMARY, 1)].expected == pytest.approx(150 * 0.8 + 10)
    assert cells[(2024, PRIMARY, 1)].expected == pytest.approx(50 * 0.8 + 10)
    # the cohort moves up: grade 2 keeps all, grade 3 keeps 95 %
    assert cells[(2024, PRIMARY, 2)].expected == pytest.approx(130)
    assert cells[(2025, PRIMARY, 3)].expected == pytest.approx(130 * 0.95)
    # junior grade 7 takes 80 % of the town's grade 6 a year earlier
    assert cells[(2023, JUNIOR, 7)].expected == pytest.approx(104.5 * 0.8)
    assert cells[(2024, JUNIOR, 8)].expected == pytest.approx(83.6)
    # no scatter in the ratios: the 90 % interval is the Poisson term alone
    cell = cells[(2023, PRIMARY, 1)]
    assert cell.low == pytest.approx(130 - Z90 * math.sqrt(130))
    assert cell.high == pytest.approx(130 + Z90 * math.sqrt(130))
    assert len(cells) == 3 * 9


def test_it_widens_the_interval_when_the_ratios_scatter():
    # given grade 2 keeps 100 % one year and 80 % the next
    history = steady_history()
    history.rolls[(2021, PRIMARY, 2)] = 110
    history.rolls[(2022, PRIMARY, 2)] = 88

    # when
    cell = forecast(history, 2022, horizon=1).cells[(2023, PRIMARY, 2)]

    # then the pooled ratio is 198/220 and the yearly ratios 1.0 and 0.8 scatter around it
    assert cell.expected == pytest.approx(110 * 198 / 220)
    yearly = [1.0 / 0.9, 0.8 / 0.9]
    rel2 = (yearly[0] - yearly[1]) ** 2 / 2
    sd = math.sqrt(cell.expected**2 * rel2 + cell.expected)
    assert cell.high - cell.expected == pytest.approx(Z90 * sd)


def test_the_backtest_compares_the_model_with_last_year():
    # given two grades, one village; 2021 is forecast from 2019 and 2020
    rolls = {
        (2019, PRIMARY, 1): 50,
        (2019, PRIMARY, 2): 40,
        (2020, PRIMARY, 1): 50,
        (2020, PRIMARY, 2): 45,
        (2021, PRIMARY, 1): 66,
        (2021, PRIMARY, 2): 50,
    }
    entrants = {(y, PRIMARY, VILLAGE): rolls[(y, PRIMARY, 1)] for y in (2019, 2020, 2021)}
    births = {(VILLAGE, 2013): 100, (VILLAGE, 2014): 100, (VILLAGE, 2015): 120}
    history = History(rolls, entrants, births, {PRIMARY: SchoolInfo((1, 2), TOWN)})

    # when
    result = backtest(history, 2021)

    # then grade 1 = 120 × 0.5, grade 2 = 50 × 45/50: 105 against 116; naive says 95
    assert result.per_school == {PRIMARY: (116, pytest.approx(105), 95)}
    assert result.model_mape == pytest.approx(11 / 116)
    assert result.naive_mape == pytest.approx(21 / 116)


def test_there_is_no_backtest_without_the_year_before():
    history = History({(2021, PRIMARY, 1): 10}, {}, {}, {PRIMARY: SchoolInfo((1,), TOWN)})
    assert backtest(history, 2021) is None


def test_a_year_without_births_uses_the_villages_latest_three_years():
    # given births stop after 2017 (2015: 125, 2016: 125, 2017: 150)
    history = steady_history()
    del history.births[(VILLAGE, 2018)]

    # when
    cell = forecast(history, 2022, horizon=2).cells[(2024, PRIMARY, 1)]

    # then 2024 (born 2018) takes the mean of 2015–2017 births × 0.8, + 10
    assert cell.expected == pytest.approx((125 + 125 + 150) / 3 * 0.8 + 10)
