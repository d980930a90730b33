"""Value parsing: numbers and dates as Russian CRM / 1C / Excel exports write them."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from salesaudit.model.parse import parse_date, parse_dates, parse_number, parse_numbers

# --- parse_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234 567,89", 1234567.89),
        ("1234567.89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1.234.567,89", 1234567.89),
        ("1\u00a0234\u00a0567,89", 1234567.89),
        ("1\u2009234,5", 1234.5),
        ("1\u202f234,5", 1234.5),
        ("1 234,50 ₽", 1234.5),
        ("1 234,50₽", 1234.5),
        ("₽ 1 234,50", 1234.5),
        ("1 234 руб.", 1234.0),
        ("1 234 РУБ.", 1234.0),
        ("500 р.", 500.0),
        ("500 р", 500.0),
        ("500 RUB", 500.0),
        ("RUB 500", 500.0),
        ("-1 234,5", -1234.5),
        ("\u22121 234,5", -1234.5),
        ("(1 234,5)", -1234.5),
        ("-₽ 5", -5.0),
        ("₽ -5", -5.0),
        ("+7", 7.0),
        ("  42  ", 42.0),
        ("0,5", 0.5),
        (",5", 0.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1,234,567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("1.5E-05", 1.5e-05),
        ("2e3", 2000.0),
        ("007", 7.0),
    ],
)
def test_parse_number_accepts_export_shapes(text: str, expected: float) -> None:
    assert parse_number(text) == expected


def test_single_comma_with_three_digits_is_a_decimal_comma() -> None:
    # documented ambiguity rule: Russian locale, a lone comma is always the decimal separator
    assert parse_number("1,234") == 1.234
    assert parse_number("1.234") == 1.234
    assert parse_number("1 234") == 1234.0


@pytest.mark.parametrize("empty", [None, "", "  ", "-", "—", "–", float("nan"), np.nan, pd.NA])
def test_parse_number_empty_is_none(empty: object) -> None:
    assert parse_number(empty) is None


@pytest.mark.parametrize(
    ("value", "expected"), [(5, 5.0), (2.5, 2.5), (np.int64(3), 3.0), (np.float32(0.5), 0.5)]
)
def test_parse_number_numbers_pass_through(value: object, expected: float) -> None:
    result = parse_number(value)
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize(
    "garbage",
    [
        "abc",
        "12 34",
        "1 2345",
        "1,23,4",
        "1.234,5.6",
        "12%",
        "inf",
        "nan",
        "1-2",
        "--5",
        "₽",
        "()",
        "1,234.56.78",
        True,
        float("inf"),
        [1],
    ],
)
def test_parse_number_garbage_raises(garbage: object) -> None:
    with pytest.raises(ValueError, match="not a"):
        parse_number(garbage)


def test_parse_numbers_values_and_bad_mask() -> None:
    s = pd.Series(
        ["1 234,5", "7", None, "", "abc", "(10)", "2,5 ₽", 3, "-", "1e3"],
        index=list("abcdefghij"),
        name="amount",
    )
    before = s.copy()
    values, bad = parse_numbers(s)
    assert values.dtype == "float64"
    assert bad.dtype == bool
    assert list(values.index) == list("abcdefghij")
    assert values.name == "amount"
    expected = [1234.5, 7.0, None, None, None, -10.0, 2.5, 3.0, None, 1000.0]
    for got, exp in zip(values.tolist(), expected):
        assert (math.isnan(got) and exp is None) or got == exp
    assert bad.tolist() == [False, False, False, False, True, False, False, False, False, False]
    pd.testing.assert_series_equal(s, before)


def test_parse_numbers_numeric_dtype_passes_through() -> None:
    values, bad = parse_numbers(pd.Series([1, 2, 3], dtype="int64"))
    assert values.tolist() == [1.0, 2.0, 3.0]
    assert not bad.any()
    values, bad = parse_numbers(pd.Series([1.5, np.inf, np.nan]))
    assert values.iloc[0] == 1.5
    assert values.iloc[1:].isna().all()
    assert bad.tolist() == [False, True, False]


def test_parse_numbers_empty_series() -> None:
    values, bad = parse_numbers(pd.Series([], dtype=object))
    assert len(values) == 0
    assert len(bad) == 0
    assert values.dtype == "float64"


# --- hypothesis: Russian-formatted numbers round-trip ---------------------------------------


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


@settings(max_examples=300, deadline=None)
@given(
    integer=st.integers(min_value=0, max_value=10**12),
    cents=st.integers(min_value=0, max_value=99),
    sep=st.sampled_from([" ", "\u00a0", "\u2009", "\u202f", ""]),
    dec=st.sampled_from([",", "."]),
    negative=st.booleans(),
    minus=st.sampled_from(["-", "\u2212", "paren"]),
    currency=st.sampled_from(["", " ₽", "₽", " руб.", " р.", " RUB", "prefix"]),
)
def test_russian_number_round_trip(
    integer: int,
    cents: int,
    sep: str,
    dec: str,
    negative: bool,
    minus: str,
    currency: str,
) -> None:
    body = f"{_group(str(integer), sep)}{dec}{cents:02d}"
    text = f"₽ {body}" if currency == "prefix" else body + currency
    if negative:
        text = f"({text})" if minus == "paren" else minus + text
    expected = float(f"{integer}.{cents:02d}") * (-1 if negative else 1)
    assert parse_number(text) == expected
    values, bad = parse_numbers(pd.Series([text, text]))
    assert values.tolist() == [expected, expected]
    assert not bad.any()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=True, allow_infinity=False, width=64),
            st.integers(min_value=-(10**9), max_value=10**9),
            st.text(alphabet="0123456789 ,.-−₽руб()RUBe\u00a0", max_size=12),
        ),
        max_size=30,
    )
)
def test_parse_numbers_agrees_with_scalar(cells: list[object]) -> None:
    values, bad = parse_numbers(pd.Series(cells, dtype=object))
    for cell, got, is_bad in zip(cells, values, bad):
        try:
            exp = parse_number(cell)
        except ValueError:
            assert is_bad and math.isnan(got)
            continue
        assert not is_bad
        assert (exp is None and math.isnan(got)) or got == exp


# --- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31.12.2024", "2024-12-31"),
        ("31.12.2024 14:05", "2024-12-31 14:05"),
        ("31.12.2024 14:05:00", "2024-12-31 14:05:00"),
        ("1.2.2024 9:05:00", "2024-02-01 09:05:00"),
        ("31.12.24", "2024-12-31"),
        ("2024-12-31", "2024-12-31"),
        ("2024-12-31T14:05:00", "2024-12-31 14:05:00"),
        ("2024-12-31 14:05:00", "2024-12-31 14:05:00"),
        ("2024-12-31T14:05:00+03:00", "2024-12-31 14:05:00"),
        ("2024-12-31T14:05:00Z", "2024-12-31 14:05:00"),
        ("31/12/2024", "2024-12-31"),
        (45657, "2024-12-31"),
        (45657.5, "2024-12-31 12:00"),
        ("45657", "2024-12-31"),
        (1, "1900-01-01"),
        (61, "1900-03-01"),
        (dt.datetime(2024, 12, 31, 14, 5), "2024-12-31 14:05"),
        (dt.date(2024, 12, 31), "2024-12-31"),
        (pd.Timestamp("2024-12-31 14:05", tz="Europe/Moscow"), "2024-12-31 14:05"),
        (np.datetime64("2024-12-31T14:05"), "2024-12-31 14:05"),
    ],
)
def test_parse_date_accepts_export_shapes(value: object, expected: str) -> None:
    result = parse_date(value)
    assert result == pd.Timestamp(expected)
    assert result.tzinfo is None


def test_parse_date_dayfirst_switch() -> None:
    assert parse_date("01.02.2024") == pd.Timestamp("2024-02-01")
    assert parse_date("01.02.2024", dayfirst=False) == pd.Timestamp("2024-01-02")
    assert parse_date("02/01/2024", dayfirst=False) == pd.Timestamp("2024-02-01")


def test_parse_date_explicit_format_wins() -> None:
    assert parse_date("12/31/2024", fmt="%m/%d/%Y") == pd.Timestamp("2024-12-31")
    assert parse_date("01.02.2024", fmt="%m.%d.%Y") == pd.Timestamp("2024-01-02")
    with pytest.raises(ValueError, match="not a date in format '%m/%d/%Y'"):
        parse_date("31.12.2024", fmt="%m/%d/%Y")


@pytest.mark.parametrize(
    "empty", [None, "", " ", "-", "—", "не закрыта", "Не закрыто", "НЕ ЗАКРЫТА", np.nan, pd.NaT]
)
def test_parse_date_empty_is_none(empty: object) -> None:
    assert parse_date(empty) is None


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "31.02.2024",
        "32.01.2024",
        "2024-13-01",
        "25:00",
        "0",
        "2024",
        "45",
        60,
        -5,
        10**7,
        True,
        "12.2024",
    ],
)
def test_parse_date_garbage_raises(garbage: object) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date(garbage)


def test_parse_dates_values_and_bad_mask() -> None:
    s = pd.Series(
        [
            "31.12.2024",
            "31.12.2024 14:05:00",
            "2024-12-31T14:05:00",
            "не закрыта",
            None,
            "abc",
            "29.02.2023",
            "45657",
            "1.2.2024 9:05:00",
            dt.datetime(2024, 1, 2, 3, 4, 5),
        ],
        index=range(10, 20),
        name="closed",
    )
    before = s.copy()
    values, bad = parse_dates(s)
    assert values.dtype == "datetime64[ns]"
    assert values.name == "closed"
    assert list(values.index) == list(range(10, 20))
    expected = [
        "2024-12-31",
        "2024-12-31 14:05:00",
        "2024-12-31 14:05:00",
        None,
        None,
        None,
        None,
        "2024-12-31",
        "2024-02-01 09:05:00",
        "2024-01-02 03:04:05",
    ]
    assert values.tolist() == [pd.NaT if e is None else pd.Timestamp(e) for e in expected]
    assert bad.tolist() == [False, False, False, False, False, True, True, False, False, False]
    pd.testing.assert_series_equal(s, before)


def test_parse_dates_with_format_and_datetime_dtypes() -> None:
    values, bad = parse_dates(pd.Series(["12/31/2024", "31.12.2024", ""]), fmt="%m/%d/%Y")
    assert values.tolist() == [pd.Timestamp("2024-12-31"), pd.NaT, pd.NaT]
    assert bad.tolist() == [False, True, False]
    aware = pd.Series(pd.to_datetime(["2024-12-31 14:05"]).tz_localize("Europe/Moscow"))
    values, bad = parse_dates(aware)
    assert values.tolist() == [pd.Timestamp("2024-12-31 14:05")]
    assert values.dtype == "datetime64[ns]"
    assert not bad.any()


def test_parse_dates_fixed_width_rejects_invalid_calendar_dates() -> None:
    s = pd.Series(["31.04.2024", "30.04.2024", "2024-02-30", "2024-02-29 24:00:00", "00.01.2024"])
    values, bad = parse_dates(s)
    assert values.tolist() == [pd.NaT, pd.Timestamp("2024-04-30"), pd.NaT, pd.NaT, pd.NaT]
    assert bad.tolist() == [True, False, True, True, True]


# --- hypothesis: dates in every supported format round-trip -----------------------------------

_DATE_FORMATS = [
    ("%d.%m.%Y", "day"),
    ("%d.%m.%Y %H:%M", "minute"),
    ("%d.%m.%Y %H:%M:%S", "second"),
    ("%d.%m.%y", "day"),
    ("%Y-%m-%d", "day"),
    ("%Y-%m-%dT%H:%M:%S", "second"),
    ("%Y-%m-%d %H:%M:%S", "second"),
    ("%d/%m/%Y", "day"),
    ("1c", "second"),
    ("serial", "day"),
]


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=dt.datetime(1969, 1, 1), max_value=dt.datetime(2068, 12, 31)),
    fmt=st.sampled_from(_DATE_FORMATS),
)
def test_date_round_trip(moment: dt.datetime, fmt: tuple[str, str]) -> None:
    pattern, precision = fmt
    truncate = {"day": "D", "minute": "min", "second": "s"}[precision]
    expected = pd.Timestamp(moment).floor(truncate)
    if pattern == "1c":  # 1C writes hours without a leading zero
        text = f"{moment.day:02d}.{moment.month:02d}.{moment.year} {moment.hour}:{moment:%M:%S}"
    elif pattern == "serial":
        text = str((expected - pd.Timestamp("1899-12-30")).days)
    else:
        text = moment.strftime(pattern)
    assert parse_date(text) == expected
    values, bad = parse_dates(pd.Series([text, None, text]))
    assert values.tolist() == [expected, pd.NaT, expected]
    assert not bad.any()


def test_parse_dates_numeric_serials() -> None:
    s = pd.Series([45657, 45657.5, np.nan, 60, 1, 0, 1e9, 59.25], name="d")
    values, bad = parse_dates(s)
    assert values.tolist() == [
        pd.Timestamp("2024-12-31"),
        pd.Timestamp("2024-12-31 12:00"),
        pd.NaT,
        pd.NaT,
        pd.Timestamp("1900-01-01"),
        pd.NaT,
        pd.NaT,
        pd.Timestamp("1900-02-28 06:00"),
    ]
    assert bad.tolist() == [False, False, False, True, False, True, True, False]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(min_value=-5, max_value=200_000),
            st.text(alphabet="0123456789.:-/ TZ+", max_size=20),
            st.sampled_from(["не закрыта", "31.12.2024", "2024-02-30", "29.02.2024 23:59:59"]),
        ),
        max_size=30,
    )
)
def test_parse_dates_agrees_with_scalar(cells: list[object]) -> None:
    values, bad = parse_dates(pd.Series(cells, dtype=object))
    for cell, got, is_bad in zip(cells, values, bad):
        try:
            exp = parse_date(cell)
        except ValueError:
            assert is_bad and pd.isna(got)
            continue
        assert not is_bad
        assert (exp is None and pd.isna(got)) or got == exp


def test_parse_dates_repeated_cells_map_back_to_their_rows() -> None:
    # distinct texts are parsed once and spread back; every row keeps its own result
    cells = ["05.01.2024", " 05.01.2024 ", "abc", None, "05.01.2024", "—", "abc", 45296, "abc"]
    s = pd.Series(cells * 3, index=range(100, 127), dtype=object)
    values, bad = parse_dates(s)
    one = [
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-01-05"),
        pd.NaT,
        pd.NaT,
        pd.Timestamp("2024-01-05"),
        pd.NaT,
        pd.NaT,
        pd.Timestamp("2024-01-05"),
        pd.NaT,
    ]
    assert values.tolist() == one * 3
    assert bad.tolist() == [False, False, True, False, False, False, True, False, True] * 3
    assert list(bad.index) == list(range(100, 127))
