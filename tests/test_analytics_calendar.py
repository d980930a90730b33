"""Russian production calendar: known months asserted exactly."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics.calendar import (
    is_working_day,
    month_bounds,
    working_day_mask,
    working_days,
    working_days_in_month,
    working_days_per_month,
)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2025, 11, 19),  # 3 and 4 Nov off, Saturday 1 Nov a working day
        (2026, 1, 15),
        (2025, 1, 17),
        (2025, 5, 18),
        (2025, 6, 19),
        (2025, 12, 22),  # 31 Dec a day off
        (2026, 3, 21),  # 9 Mar observed holiday
    ],
)
def test_working_days_in_month(year: int, month: int, expected: int) -> None:
    assert working_days_in_month(year, month) == expected


def test_single_days() -> None:
    assert is_working_day(dt.date(2025, 11, 1)) is True  # transferred working Saturday
    assert is_working_day(dt.date(2025, 11, 3)) is False  # transferred day off (Monday)
    assert is_working_day(dt.date(2025, 11, 4)) is False  # Unity Day
    assert is_working_day(dt.date(2025, 11, 5)) is True
    assert is_working_day(dt.date(2025, 11, 8)) is False  # ordinary Saturday
    assert is_working_day(dt.date(2026, 1, 9)) is False


def test_working_days_range_inclusive() -> None:
    assert working_days(dt.date(2025, 11, 1), dt.date(2025, 11, 7)) == 4  # 1, 5, 6, 7
    assert working_days(dt.date(2025, 11, 5), dt.date(2025, 11, 5)) == 1
    assert working_days(dt.date(2025, 11, 6), dt.date(2025, 11, 5)) == 0
    assert working_days(dt.date(2025, 12, 29), dt.date(2026, 1, 12)) == 3  # 29, 30 Dec; 12 Jan


def test_mask_vectorized_with_times_and_nat() -> None:
    s = pd.Series(
        pd.to_datetime(["2025-11-01 10:30", "2025-11-04 09:00", None, "2025-11-05 23:59"])
    )
    assert working_day_mask(s).tolist() == [True, False, False, True]
    assert working_day_mask(s).index.tolist() == [0, 1, 2, 3]


def test_per_month_and_bounds() -> None:
    wd = working_days_per_month(dt.date(2025, 10, 15), dt.date(2025, 11, 30))
    assert wd.to_dict() == {pd.Timestamp("2025-10-01"): 13, pd.Timestamp("2025-11-01"): 19}
    assert month_bounds(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
