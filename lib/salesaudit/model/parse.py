"""Parsing cell text into numbers and dates, the way Russian CRM/1C/Excel exports write them.

Scalar functions (:func:`parse_number`, :func:`parse_date`) define the rules; the vectorised
functions (:func:`parse_numbers`, :func:`parse_dates`) give the same answers for whole columns,
fast: common shapes go through vectorised pandas/numpy paths, everything else falls back to the
scalar function once per distinct value.

Number rules (:func:`parse_number`):

- ``int``/``float`` (and numpy numbers, ``Decimal``) pass through as ``float``; ``bool`` is refused;
- empty markers -> ``None``: ``None``, NaN, ``''``, ``'-'``, ``'—'``, ``'–'``;
- thousands separators: ordinary space, NBSP (U+00A0), thin space (U+2009), narrow NBSP (U+202F),
  figure space (U+2007) -- groups after the first must have exactly three digits;
- currency marks before or after the number: ``₽``, ``руб.``, ``руб``, ``р.``, ``р``, ``RUB``,
  ``$``, ``€``, ``USD``, ``EUR`` (any case);
- negative: leading ``-``, ``−`` (U+2212) or ``–`` (U+2013), or the whole value in parentheses;
  a leading ``+`` is accepted;
- separators ``,`` and ``.``:

  * both present -> the one that occurs last is the decimal separator, the other groups thousands
    (``1,234,567.89`` and ``1.234.567,89`` both mean 1234567.89);
  * the same one repeated -> thousands grouping (``1,234,567`` -> 1234567);
  * a single ``,`` or a single ``.`` -> **always the decimal separator**. Russian exports write
    decimals with a comma, so ``'1,234'`` means 1.234, not 1234 (documented ambiguity rule);
  * with ``decimal="."`` (English exports: HubSpot, Pipedrive, Salesforce) the point is the only
    decimal separator and a comma only groups thousands: ``'12,500'`` -> 12500,
    ``'12,500.00'`` -> 12500; a comma that is not a thousands group (``'12,5'``) is refused;
- scientific notation (``1.5E-05``) as Excel sometimes writes it is accepted;
- anything else (letters, ``%``, ``inf``, misplaced groups such as ``12 34``) raises ``ValueError``.

Date rules (:func:`parse_date`):

- ``datetime``/``date``/``pd.Timestamp``/``np.datetime64`` pass through; timezone-aware values keep
  their wall-clock time as written and drop the offset (``14:05+03:00`` -> ``14:05``);
- numbers and numeric strings are Excel serial day numbers in the 1900 date system
  (``45657`` -> 2024-12-31; fractions are times of day; Excel's fictitious 1900-02-29, serial 60,
  is refused; serials above 109574 = 2199-12-31 are refused). Numeric *strings* must have a
  5-digit day number (10000..99999, years 1927..2173): ``'12.2024'`` or ``'2024'`` are not dates;
- ``dd.mm.yyyy``, ``dd.mm.yyyy hh:mm``, ``dd.mm.yyyy hh:mm:ss``, ``dd.mm.yy`` (also with ``/`` or
  ``-`` between day, month and year; ``dayfirst=False`` reads those as month first, as US
  exports write: Salesforce's ``3/12/2025`` is March 12; a time may follow after a comma and
  carry ``AM``/``PM``: ``3/12/2025, 2:07 PM``), ISO 8601
  (``2024-12-31``, ``2024-12-31T14:05:00``, ``2024-12-31 14:05:00``, with fractions / offsets);
- empty markers -> ``None``: ``None``, NaN, NaT, ``''``, ``'-'``, ``'—'``, and amoCRM's
  ``'не закрыта'`` / ``'не закрыто'`` (any case);
- an explicit ``fmt`` (strftime directives) wins over every guess;
- anything else raises ``ValueError``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from decimal import Decimal
from numbers import Real

import numpy as np
import pandas as pd

__all__ = [
    "EMPTY_TOKENS",
    "NOT_CLOSED_TOKENS",
    "parse_date",
    "parse_dates",
    "parse_number",
    "parse_numbers",
    "parse_period",
]

#: cell texts that mean "no value" for numbers and dates
EMPTY_TOKENS = frozenset({"", "-", "—", "–"})
#: amoCRM writes these in "closed at" columns of open deals; they mean "no date"
NOT_CLOSED_TOKENS = frozenset({"не закрыта", "не закрыто", "не закрыт"})

_SPACE_CHARS = " \u00a0\u2009\u202f\u2007"
_STRIP_CHARS = _SPACE_CHARS + "\t\r\n"
_MINUS_CHARS = "-\u2212\u2013"
_CURRENCY = r"(?:₽|руб\.?|р\.?|rub\.?|\$|€|usd|eur)"
_CUR_PREFIX_RE = re.compile(rf"^{_CURRENCY}[{_STRIP_CHARS}]*", re.IGNORECASE)
_CUR_SUFFIX_RE = re.compile(rf"[{_STRIP_CHARS}]*{_CURRENCY}$", re.IGNORECASE)
_SCI_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+|\.[0-9]+[eE][-+]?[0-9]+")
_SPACED_RE = re.compile(rf"([0-9]{{1,3}}(?:[{_SPACE_CHARS}][0-9]{{3}})+)(?:[.,]([0-9]+))?")
_PLAIN_RE = re.compile(r"([0-9]*)(?:[.,]([0-9]*))?")
# vectorised fast paths (subsets of what parse_number accepts, with the same meaning)
_FAST_PLAIN_RE = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_FAST_RU_RE = re.compile(
    rf"(?:{_CURRENCY}[{_STRIP_CHARS}]*)?"
    rf"([-\u2212]?(?:[0-9]{{1,3}}(?:[{_SPACE_CHARS}][0-9]{{3}})+|[0-9]+)(?:,[0-9]+)?)"
    rf"(?:[{_STRIP_CHARS}]*{_CURRENCY})?",
    re.IGNORECASE,
)
_SPACES_SUB = re.compile(f"[{_SPACE_CHARS}]").sub


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _grouped(text: str, sep: str) -> str:
    """Digits of a thousands-grouped integer ``d{1,3}(sep ddd)+``; ValueError if malformed."""
    parts = text.split(sep)
    if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
        raise ValueError
    digits = "".join(parts)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError
    return digits


def _number_body(body: str) -> float:
    """Parse an unsigned number without currency marks; ValueError if it is not one."""
    if _SCI_RE.fullmatch(body):
        return float(body)
    if any(c in _SPACE_CHARS for c in body):
        m = _SPACED_RE.fullmatch(body)
        if not m:
            raise ValueError
        digits = re.sub(f"[{_SPACE_CHARS}]", "", m.group(1))
        return float(f"{digits}.{m.group(2)}" if m.group(2) else digits)
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        dec = "," if body.rfind(",") > body.rfind(".") else "."
        thou = "." if dec == "," else ","
        if body.count(dec) != 1:
            raise ValueError
        int_part, frac = body.split(dec)
        if not frac or not frac.isascii() or not frac.isdigit():
            raise ValueError
        return float(f"{_grouped(int_part, thou)}.{frac}")
    if commas > 1 or dots > 1:
        return float(_grouped(body, "," if commas else "."))
    m = _PLAIN_RE.fullmatch(body)
    if not m or not (m.group(1) or m.group(2)):
        raise ValueError
    return float(f"{m.group(1) or '0'}.{m.group(2) or '0'}")


def _point_decimal(body: str) -> str:
    """An English-style number (``12,500.00``) with the thousands commas removed; ValueError
    when a comma is not a thousands group or there are several points."""
    if body.count(".") > 1:
        raise ValueError
    int_part, point, frac = body.partition(".")
    if "," in int_part:
        int_part = _grouped(int_part, ",")
    return int_part + point + frac


def parse_number(value: object, *, decimal: str | None = None) -> float | None:
    """Parse one cell into a float (see the module docstring for the accepted shapes).

    ``decimal="."`` reads English exports (a comma only groups thousands). Returns ``None``
    for empty cells; raises ``ValueError`` for text that is not a number.
    """
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Real | Decimal | np.number):
        out = float(value)  # type: ignore[arg-type]
        if math.isnan(out):
            return None
        if math.isinf(out):
            raise ValueError(f"not a finite number: {value!r}")
        return out
    if not isinstance(value, str):
        raise ValueError(f"not a number: {value!r}")
    text = value.strip(_STRIP_CHARS)
    if text in EMPTY_TOKENS:
        return None
    try:
        negative = False
        if len(text) > 2 and text[0] == "(" and text[-1] == ")":
            negative, text = True, text[1:-1].strip(_STRIP_CHARS)
        sign_seen = False
        for _ in range(2):  # sign and currency prefix in either order: "-₽ 5", "₽ -5"
            if text and text[0] in _MINUS_CHARS + "+":
                if sign_seen:
                    raise ValueError
                sign_seen = True
                negative = (text[0] != "+") != negative
                text = text[1:].lstrip(_STRIP_CHARS)
            text = _CUR_PREFIX_RE.sub("", text, count=1)
        text = _CUR_SUFFIX_RE.sub("", text, count=1)
        if not text:
            raise ValueError
        if decimal == "." and "," in text:
            text = _point_decimal(text)
        number = _number_body(text)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    return -number if negative else number


def parse_numbers(s: pd.Series, *, decimal: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse a column of cells into numbers, vectorised (``decimal="."``: English exports,
    see :func:`parse_number`).

    Returns ``(values, bad)``: ``values`` is float64 (NaN for empty or unparseable cells), ``bad``
    is a bool mask of cells that were non-empty but not numbers. Same index and name as ``s``;
    ``s`` is not modified. Gives the same result as :func:`parse_number` cell by cell.
    """
    n = len(s)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        arr = s.to_numpy(dtype="float64", na_value=np.nan)
        inf = np.isinf(arr)
        arr = np.where(inf, np.nan, arr)
        return (
            pd.Series(arr, index=s.index, name=s.name, dtype="float64"),
            pd.Series(inf, index=s.index, name=s.name, dtype=bool),
        )
    obj = s.to_numpy(dtype=object)
    values = np.full(n, np.nan, dtype="float64")
    bad = np.zeros(n, dtype=bool)
    is_str = np.fromiter((type(v) is str for v in obj), dtype=bool, count=n)
    todo = np.zeros(n, dtype=bool)  # positions left for the scalar fallback

    if is_str.any():
        pos = np.flatnonzero(is_str)
        texts = [v.strip(_STRIP_CHARS) for v in obj[pos]]
        plain_match = _FAST_PLAIN_RE.fullmatch
        ru_match = _FAST_RU_RE.fullmatch
        plain_i, plain_t, ru_i, ru_t = [], [], [], []
        for j, t in enumerate(texts):
            if t in EMPTY_TOKENS:
                continue
            if plain_match(t) is not None:
                plain_i.append(j)
                plain_t.append(t)
                continue
            m = ru_match(t) if decimal != "." else None
            if m is not None:
                ru_i.append(j)
                ru_t.append(_SPACES_SUB("", m.group(1)).replace(",", ".").replace("\u2212", "-"))
            else:
                todo[pos[j]] = True
        if plain_i:
            values[pos[plain_i]] = np.array(plain_t, dtype=object).astype("float64")
        if ru_i:
            values[pos[ru_i]] = np.array(ru_t, dtype=object).astype("float64")
    todo |= ~is_str & np.fromiter((not _is_missing(v) for v in obj), dtype=bool, count=n)

    if todo.any():
        idx = np.flatnonzero(todo)
        cache: dict[object, float | None] = {}
        for i in idx:
            v = obj[i]
            key = (type(v), v)
            try:
                if key not in cache:
                    cache[key] = _try(lambda x: parse_number(x, decimal=decimal), v)
                result = cache[key]
            except TypeError:  # unhashable cell
                result = _try(lambda x: parse_number(x, decimal=decimal), v)
            if result is _BAD:
                bad[i] = True
            elif result is not None:
                values[i] = result
    return (
        pd.Series(values, index=s.index, name=s.name, dtype="float64"),
        pd.Series(bad, index=s.index, name=s.name, dtype=bool),
    )


_BAD = object()


def _try(func: Callable[[object], object], value: object) -> object:
    """``func(value)``, or the ``_BAD`` marker when it raises ``ValueError``."""
    try:
        return func(value)
    except ValueError:
        return _BAD


# --- dates -----------------------------------------------------------------------------------

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EXCEL_EPOCH_EARLY = pd.Timestamp("1899-12-31")  # serials 1..59, before Excel's fake 1900-02-29
#: numeric strings are read as serials only with a 5-digit day number (1927-05-18 .. 2173-10-14),
#: so that "12.2024" or "2024" are refused rather than read as days of 1900
_SERIAL_RE = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_MAX_SERIAL = 109574.0  # 2199-12-31; beyond that a "serial" is not a plausible date
_ISO_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ].*)?")
_DMY_RE = re.compile(
    r"(?P<a>[0-9]{1,2})(?P<sep>[./-])(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4}|[0-9]{2})"
    r"(?:,?[ T]+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{1,2})(?::(?P<S>[0-9]{1,2})(?:[.,](?P<f>[0-9]{1,9}))?)?"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?)?"
)
#: formats tried vectorised in parse_dates, in this order (dayfirst=True)
_FAST_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d.%m.%y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
#: fixed-width layouts parsed with numpy arithmetic in parse_dates (D/M/Y/h/m/s = digits)
_LAYOUTS = {
    10: ("DD.MM.YYYY", "YYYY-MM-DD"),
    16: ("DD.MM.YYYY hh:mm", "YYYY-MM-DD hh:mm", "YYYY-MM-DDThh:mm"),
    19: ("DD.MM.YYYY hh:mm:ss", "YYYY-MM-DD hh:mm:ss", "YYYY-MM-DDThh:mm:ss"),
}
_DIGIT_FIELDS = "DMYhms"


def _parse_fixed_width(texts: np.ndarray, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse strings of exactly ``len(layout)`` characters with numpy arithmetic.

    Returns ``(datetime64[ns] values, ok mask)``; rows that do not fit the layout or are not
    valid calendar dates/times (or fall outside 1678-2261) are not ok and left to slower paths.
    """
    width = len(layout)
    codes = np.array(texts, dtype=f"<U{width}").view(np.uint32).reshape(-1, width)
    digits = codes.astype(np.int64) - 48
    ok = np.ones(len(texts), dtype=bool)
    fields: dict[str, np.ndarray] = {}
    for k, ch in enumerate(layout):
        if ch in _DIGIT_FIELDS:
            ok &= (digits[:, k] >= 0) & (digits[:, k] <= 9)
            fields[ch] = fields.get(ch, 0) * 10 + digits[:, k]
        else:
            ok &= codes[:, k] == ord(ch)
    zero = np.zeros(len(texts), dtype=np.int64)
    year, month, day = fields["Y"], fields["M"], fields["D"]
    hour, minute, sec = (fields.get(c, zero) for c in "hms")
    ok &= (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (day >= 1)
    ok &= (hour < 24) & (minute < 60) & (sec < 60)
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0)
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    days_in_month = ((months + 1).astype("datetime64[M]").astype("datetime64[D]") - start).astype(
        np.int64
    )
    ok &= day <= days_in_month
    ns = (
        start.astype("datetime64[ns]").astype(np.int64)
        + (day - 1) * 86_400_000_000_000
        + (hour * 3600 + minute * 60 + sec) * 1_000_000_000
    )
    return np.where(ok, ns, 0).astype("datetime64[ns]"), ok


def _guess_formats(texts: np.ndarray) -> list[str]:
    """The fast formats that match a sample of ``texts``, most frequent first."""
    sample = list(dict.fromkeys(texts[:2000]))[:50]
    hits = {}
    for f in _FAST_FORMATS:
        count = 0
        for t in sample:
            try:
                _dt.datetime.strptime(t, f)
            except ValueError:
                continue
            count += 1
        if count:
            hits[f] = count
    return sorted(hits, key=lambda f: -hits[f])


def _from_serial(serial: float, original: object) -> pd.Timestamp:
    if not math.isfinite(serial) or serial < 1 or serial > _MAX_SERIAL:
        raise ValueError(f"not a date (Excel serial out of range): {original!r}")
    if 60 <= serial < 61:
        raise ValueError(f"not a date (Excel's nonexistent 1900-02-29): {original!r}")
    epoch = _EXCEL_EPOCH_EARLY if serial < 60 else _EXCEL_EPOCH
    return (epoch + pd.to_timedelta(round(serial * 86_400_000_000), unit="us")).as_unit("ns")


def _naive(ts: pd.Timestamp) -> pd.Timestamp:
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)  # keep wall-clock time as written
    return ts.as_unit("ns")


def _parse_text_date(text: str, dayfirst: bool, original: object) -> pd.Timestamp:
    m = _DMY_RE.fullmatch(text)
    if m:
        a, b = int(m["a"]), int(m["b"])
        day, month = (a, b) if dayfirst else (b, a)
        year = int(m["y"])
        if len(m["y"]) == 2:
            # same pivot as strptime's %y: 69-99 -> 19xx, 00-68 -> 20xx
            year += 1900 if year >= 69 else 2000
        frac = m["f"] or ""
        micro = int((frac + "000000")[:6]) if frac else 0
        hour = int(m["H"] or 0)
        if m["ampm"]:
            if not 1 <= hour <= 12:
                raise ValueError(f"not a date: {original!r}")
            hour = hour % 12 + (12 if m["ampm"][0] in "Pp" else 0)
        try:
            return pd.Timestamp(
                _dt.datetime(
                    year,
                    month,
                    day,
                    hour,
                    int(m["M"] or 0),
                    int(m["S"] or 0),
                    micro,
                )
            ).as_unit("ns")
        except ValueError:
            raise ValueError(f"not a date: {original!r}") from None
    if _ISO_RE.fullmatch(text):
        try:
            return _naive(pd.Timestamp(_dt.datetime.fromisoformat(text.replace("Z", "+00:00"))))
        except ValueError:
            pass
    if _SERIAL_RE.fullmatch(text):
        return _from_serial(float(text), original)
    if dayfirst:  # the formats parse_dates tries vectorised, e.g. "2024-1-5"
        for f in _FAST_FORMATS:
            try:
                return _naive(pd.Timestamp(_dt.datetime.strptime(text, f)))
            except ValueError:
                continue
    raise ValueError(f"not a date: {original!r}")


def parse_date(
    value: object, *, fmt: str | None = None, dayfirst: bool = True
) -> pd.Timestamp | None:
    """Parse one cell into a naive ``pd.Timestamp`` (see the module docstring for the shapes).

    ``fmt`` (strftime directives) is tried alone when given; ``dayfirst`` decides whether
    ``01.02.2024`` is the 1st of February (default) or January 2nd. Returns ``None`` for empty
    cells and amoCRM's "не закрыта"; raises ``ValueError`` for anything else that is not a date.
    """
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, pd.Timestamp | _dt.datetime):
        return _naive(pd.Timestamp(value))
    if isinstance(value, _dt.date):
        return pd.Timestamp(value.year, value.month, value.day).as_unit("ns")
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).as_unit("ns")
    if isinstance(value, Real | Decimal | np.number):
        return _from_serial(float(value), value)  # type: ignore[arg-type]
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip(_STRIP_CHARS)
    if text in EMPTY_TOKENS or text.casefold() in NOT_CLOSED_TOKENS:
        return None
    if fmt is not None:
        try:
            return _naive(pd.Timestamp(_dt.datetime.strptime(text, fmt)))
        except ValueError:
            raise ValueError(f"not a date in format {fmt!r}: {value!r}") from None
    return _parse_text_date(text, dayfirst, value)


def _serials(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised Excel serial numbers (same rules as :func:`parse_date` for numbers)."""
    arr = s.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(arr)
    ok = ~missing & np.isfinite(arr) & (arr >= 1) & (arr <= _MAX_SERIAL)
    ok &= ~((arr >= 60) & (arr < 61))
    safe = np.where(ok, arr, 61.0)
    epoch = np.where(safe < 60, _EXCEL_EPOCH_EARLY.value, _EXCEL_EPOCH.value)
    micros = np.round(safe * 86_400_000_000).astype(np.int64)
    ns = epoch + micros * 1000
    values = np.where(ok, ns, np.iinfo(np.int64).min).view("datetime64[ns]")
    return (
        pd.Series(values, index=s.index, name=s.name, dtype="datetime64[ns]"),
        pd.Series(~ok & ~missing, index=s.index, name=s.name, dtype=bool),
    )


def parse_dates(
    s: pd.Series, *, fmt: str | None = None, dayfirst: bool = True
) -> tuple[pd.Series, pd.Series]:
    """Parse a column of cells into dates, vectorised (day-first, as Russian exports write;
    ``dayfirst=False`` for US exports such as Salesforce's ``3/12/2025``).

    Returns ``(values, bad)``: ``values`` is naive ``datetime64[ns]`` (NaT for empty or
    unparseable cells), ``bad`` a bool mask of cells that were non-empty but not dates. Same
    index and name as ``s``; ``s`` is not modified. Gives the same result as
    :func:`parse_date` (with the same ``dayfirst``) cell by cell.
    """
    n = len(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        out = s.dt.tz_localize(None).astype("datetime64[ns]")
        return out.rename(s.name), pd.Series(False, index=s.index, name=s.name, dtype=bool)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        out = s.astype("datetime64[ns]")
        return out.rename(s.name), pd.Series(False, index=s.index, name=s.name, dtype=bool)

    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _serials(s)
    obj = s.to_numpy(dtype=object)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(n, dtype=bool)
    is_str = np.fromiter((type(v) is str for v in obj), dtype=bool, count=n)
    todo = np.zeros(n, dtype=bool)
    others = np.flatnonzero(~is_str)
    todo[others] = [not _is_missing(obj[i]) for i in others]

    if is_str.any():
        pos = np.flatnonzero(is_str)
        # per distinct text once (dates repeat a lot), then spread back to the rows
        codes, uniques = pd.factorize(obj[pos])
        u_texts = np.array([v.strip(_STRIP_CHARS) for v in uniques], dtype=object)
        u_left = np.fromiter(
            (
                t not in EMPTY_TOKENS and not (t[:1] in "нН" and t.casefold() in NOT_CLOSED_TOKENS)
                for t in u_texts
            ),
            dtype=bool,
            count=len(u_texts),
        )
        texts = u_texts[codes]
        left = u_left[codes]
        if fmt is None:
            u_lengths = np.fromiter(map(len, u_texts), dtype=np.int64, count=len(u_texts))
            lengths = u_lengths[codes]
            for width, layouts in _LAYOUTS.items():
                for layout in layouts:
                    if not dayfirst and layout.startswith("DD"):
                        continue
                    sel = np.flatnonzero(left & (lengths == width))
                    if not len(sel):
                        break
                    parsed, ok = _parse_fixed_width(texts[sel], layout)
                    values[pos[sel[ok]]] = parsed[ok]
                    left[sel[ok]] = False
        formats = (fmt,) if fmt is not None else _guess_formats(texts[left])
        if not dayfirst and fmt is None:
            formats = [f for f in formats if f.startswith("%Y")]
        for f in formats:
            if not left.any():
                break
            sel = np.flatnonzero(left)
            try:
                parsed = pd.to_datetime(pd.Series(texts[sel]), format=f, errors="coerce")
            except (ValueError, TypeError):  # e.g. mixed UTC offsets with %z
                continue
            if isinstance(parsed.dtype, pd.DatetimeTZDtype):  # %z in an explicit fmt
                parsed = parsed.dt.tz_localize(None)
            if not pd.api.types.is_datetime64_dtype(parsed.dtype):
                continue
            ok = parsed.notna().to_numpy()
            values[pos[sel[ok]]] = parsed.to_numpy(dtype="datetime64[ns]")[ok]
            left[sel[ok]] = False
        todo[pos[left]] = True

    if todo.any():
        cache: dict[object, object] = {}
        for i in np.flatnonzero(todo):
            v = obj[i]
            key = (type(v), v)
            try:
                if key not in cache:
                    cache[key] = _try(lambda x: parse_date(x, fmt=fmt, dayfirst=dayfirst), v)
                result = cache[key]
            except TypeError:  # unhashable cell
                result = _try(lambda x: parse_date(x, fmt=fmt, dayfirst=dayfirst), v)
            if result is _BAD:
                bad[i] = True
            elif result is not None:
                values[i] = result.to_datetime64()  # type: ignore[union-attr]
    return (
        pd.Series(values, index=s.index, name=s.name, dtype="datetime64[ns]"),
        pd.Series(bad, index=s.index, name=s.name, dtype=bool),
    )


# --- report periods (1C "Период:" lines) -------------------------------------------------------

_PERIOD_DATE_RE = re.compile(r"(?<![0-9])[0-9]{1,2}\.[0-9]{1,2}\.(?:[0-9]{4}|[0-9]{2})(?![0-9])")
_MONTH_STEMS = (
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
)
_PERIOD_MONTH_RE = re.compile(
    r"(январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]\w*|июн\w*|июл\w*|август\w*|сентябр\w*"
    r"|октябр\w*|ноябр\w*|декабр\w*)\s+([0-9]{4})",
    re.IGNORECASE,
)
_PERIOD_QUARTER_RE = re.compile(r"([1-4])\s*(?:-?й\s*)?квартал\w*\s+([0-9]{4})", re.IGNORECASE)
_PERIOD_YEAR_RE = re.compile(r"(?<![0-9.])([0-9]{4})\s*(?:г\.?|год)(?![а-я])", re.IGNORECASE)


def _month_index(word: str) -> int:
    low = word.casefold()
    if low.startswith(("май", "мая")):
        return 5
    for i, stem in enumerate(_MONTH_STEMS, start=1):
        if stem != "ма" and low.startswith(stem):
            return i
    raise ValueError(word)


def parse_period(text: object) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and the last day of a report period as 1C writes it after ``Период:``.

    Accepted: two dates (``01.01.2025 - 31.12.2025``, ``с 01.01.2025 по 31.12.2025``; a time
    after a date is ignored), one date (a one-day period), months (``Январь 2025 г. - Март
    2025 г.``: from the 1st of the first to the last day of the last), quarters (``1 квартал
    2025 г.``) and years (``2025 г.``). ``None`` when the text names no period (or its end is
    before its start).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    found: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    dates = [parse_date(d) for d in _PERIOD_DATE_RE.findall(text)]
    found = [(d, d) for d in dates if d is not None]
    if not found:
        for m in _PERIOD_MONTH_RE.finditer(text):
            start = pd.Timestamp(int(m.group(2)), _month_index(m.group(1)), 1)
            found.append((start, start + pd.offsets.MonthEnd(0)))
    if not found:
        for m in _PERIOD_QUARTER_RE.finditer(text):
            start = pd.Timestamp(int(m.group(2)), 3 * int(m.group(1)) - 2, 1)
            found.append((start, start + pd.offsets.QuarterEnd(0)))
    if not found:
        for m in _PERIOD_YEAR_RE.finditer(text):
            year = int(m.group(1))
            found.append((pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)))
    if not found:
        return None
    start, end = found[0][0].normalize(), found[-1][1].normalize()
    if end < start:
        return None
    return start.as_unit("ns"), end.as_unit("ns")
