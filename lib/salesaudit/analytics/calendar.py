"""Russian production calendar (производственный календарь) via the ``holidays`` package.

A day is a working day when it is Monday-Friday and not an official holiday or a transferred day
off, or when it is a weekend day officially declared a working day. ``holidays`` (>= 0.60) lists
official holidays *and* the weekdays made days off by government transfers ("Day off
(substituted from ...)"), and exposes the Saturdays made working days (e.g. 1 November 2025) in
``weekend_workdays``; both are applied here. Years for which a government decree was published
after the installed ``holidays`` release are only as good as that release.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

__all__ = [
    "working_days",
    "working_days_in_month",
    "is_working_day",
    "working_day_mask",
    "month_bounds",
    "working_days_per_month",
]


@lru_cache(maxsize=64)
def _year_calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off on weekdays, working weekend days) of one year."""
    cal = holidays.country_holidays("RU", years=year)
    days_off = frozenset(d for d in cal if d.year == year and d.weekday() < 5)
    workdays = frozenset(
        d for d in (getattr(cal, "weekend_workdays", None) or ()) if d.year == year
    )
    return days_off, workdays


@lru_cache(maxsize=64)
def _arrays(first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """(weekday days off, working weekend days) of the years, as sorted ``datetime64[D]`` arrays."""
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for y in range(first_year, last_year + 1):
        o, w = _year_calendar(int(y))
        off |= o
        work |= w
    return (
        np.array(sorted(off), dtype="datetime64[D]"),
        np.array(sorted(work), dtype="datetime64[D]"),
    )


def is_working_day(d: dt.date) -> bool:
    """True when ``d`` is an official Russian working day."""
    d = pd.Timestamp(d).date()
    off, work = _year_calendar(d.year)
    if d in work:
        return True
    return d.weekday() < 5 and d not in off


def working_day_mask(dates: pd.Series) -> pd.Series:
    """Vectorized :func:`is_working_day` for a datetime Series (time of day ignored; NaT -> False)."""
    values = pd.to_datetime(dates).to_numpy().astype("datetime64[D]")
    valid = ~np.isnat(values)
    out = np.zeros(len(values), dtype=bool)
    if valid.any():
        v = values[valid]
        years = v.astype("datetime64[Y]").astype(int) + 1970
        off, work = _arrays(int(years.min()), int(years.max()))
        out[valid] = np.is_busday(v, holidays=off) | np.isin(v, work)
    return pd.Series(out, index=dates.index)


def working_days(start: dt.date, end: dt.date) -> int:
    """Number of working days from ``start`` to ``end``, both inclusive (0 when end < start)."""
    a = np.datetime64(pd.Timestamp(start).date(), "D")
    b = np.datetime64(pd.Timestamp(end).date(), "D")
    if b < a:
        return 0
    off, work = _arrays(pd.Timestamp(start).year, pd.Timestamp(end).year)
    busy = int(np.busday_count(a, b + 1, holidays=off))
    return busy + int(((work >= a) & (work <= b)).sum())


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar month."""
    first = dt.date(year, month, 1)
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    return first, last


def working_days_in_month(year: int, month: int) -> int:
    """Number of working days in a calendar month."""
    first, last = month_bounds(year, month)
    return working_days(first, last)


def working_days_per_month(start: dt.date, end: dt.date) -> pd.Series:
    """Working days per calendar month between ``start`` and ``end`` (inclusive), indexed by month start."""
    rng = pd.Series(pd.date_range(pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()))
    if rng.empty:
        return pd.Series(dtype="int64")
    mask = working_day_mask(rng)
    months = rng.dt.to_period("M").dt.start_time
    return mask.groupby(months.values).sum().astype("int64")
