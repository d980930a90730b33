"""Sales plans as a sales director keeps them, turned into the long ``plans`` table.

Wide sheets: managers (or clients / brands / products / routes) as rows, months as columns headed
'Ноябрь 2024', 'ноя 2024', 'Ноябрь 24', '11.2024', '2024-11', or dates ('01.11.2024',
'2024-11-01 00:00:00'). One workbook may hold several sheets: by manager, by brand, activity plans
('Встречи', 'Звонки', 'КП'); the metric comes from a 'Показатель' column, else from the sheet
name, else the mapping rule, else revenue (reported). Rows 'Итого' / 'Всего' are skipped and
recorded; quarter and year columns ('1 кв. 2025', '2025') are skipped and reported, never
split into months. An acknowledgement sheet ('Ознакомлен' / 'Подпись' / 'Дата ознакомления' per
manager and period) gives ``acknowledged_at``. A long layout (Период, Менеджер, Показатель,
Значение) is accepted too.

The functions here work on source labels (``manager_name``); ids are assigned later by
:mod:`salesaudit.model.build` through :mod:`salesaudit.model.reconcile`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from salesaudit.io.raw import RawSheet
from salesaudit.model.parse import parse_date, parse_numbers
from salesaudit.model.presets import base_header, normalize_label
from salesaudit.model.quality import issue
from salesaudit.model.schemas import PLAN_METRICS

PLAN_SOURCE_COLUMNS = [
    "period",
    "manager_name",
    "dimension",
    "dimension_value",
    "metric",
    "value",
    "acknowledged_at",
    "src_file",
    "src_row",
]
ACK_COLUMNS = ["manager_name", "period", "acknowledged_at", "src_file", "src_row"]

_MONTHS = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_YEAR = r"(?P<y>\d{4}|\d{2})(?:\s*(?:г|год|года)\.?)?"
_NAMED_MONTH = re.compile(rf"^(?P<m>[a-zа-я]+)\.?[\s\-'’.]*{_YEAR}$")
_NUM_MONTH = re.compile(r"^(?P<m>\d{1,2})[./\-](?P<y>\d{4})$")
_ISO_MONTH = re.compile(r"^(?P<y>\d{4})[./\-](?P<m>\d{1,2})$")
_QUARTER = re.compile(
    r"^(?:(?:[1-4]|i{1,3}|iv)\s*-?\s*(?:кв|квартал|q)\.?|q\s*[1-4]|квартал\s*[1-4])\s*\d{2,4}"
    r"(?:\s*(?:г|год|года)\.?)?$"
)
_YEAR_ONLY = re.compile(r"^(?:\d{4})(?:\s*(?:г|год|года)\.?)?$")
_TOTAL = re.compile(r"^(итого|всего|итог|total)\b")

#: label/sheet-name keyword -> metric (first match wins; short ones must be a whole word)
METRIC_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("встреч", "meetings"),
    ("звонк", "calls"),
    ("письм", "emails"),
    ("e-mail", "emails"),
    ("коммерческ", "proposals"),
    ("кп", "proposals"),
    ("демонстрац", "demos"),
    ("презентац", "demos"),
    ("новые клиент", "new_clients"),
    ("новых клиент", "new_clients"),
    ("активн", "active_clients"),
    ("акб", "active_clients"),
    ("оборудован", "equipment"),
    ("pos", "pos_materials"),
    ("маркетинг", "marketing_participants"),
    ("штук", "units"),
    ("шт", "units"),
    ("количеств", "units"),
    ("объем", "units"),
    ("выручк", "revenue"),
    ("продаж", "revenue"),
    ("оборот", "revenue"),
    ("сумм", "revenue"),
    ("руб", "revenue"),
    ("revenue", "revenue"),
)
#: header / sheet-name keyword -> dimension of the row labels
DIMENSION_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("бренд", "brand"),
    ("марк", "brand"),
    ("brand", "brand"),
    ("клиент", "client"),
    ("контрагент", "client"),
    ("client", "client"),
    ("номенклатур", "product"),
    ("товар", "product"),
    ("продукт", "product"),
    ("маршрут", "route"),
    ("route", "route"),
)
_MANAGER_HEADERS = ("менеджер", "сотрудник", "фио", "ответственный", "manager", "employee")
_METRIC_HEADERS = ("показатель", "метрика", "metric", "kpi")
_PERIOD_HEADERS = ("период", "месяц", "period", "month")
_VALUE_HEADERS = ("значение", "план", "value", "plan")
_ACK_HEADERS = ("ознакомлен", "подпись", "дата ознакомления")


@dataclass(frozen=True)
class PlanParse:
    """Plans read from one or more sheets.

    - ``plans``: [:data:`PLAN_SOURCE_COLUMNS`] — ``manager_name`` is the label as written;
    - ``acknowledgements``: [:data:`ACK_COLUMNS`] — who acknowledged which period when
      (``period`` NaT = every period of that manager);
    - ``issues``: issue records (see :func:`salesaudit.model.quality.issue`);
    - ``rows_read``, ``unparseable``: counters for the quality report.
    """

    plans: pd.DataFrame
    acknowledgements: pd.DataFrame
    issues: list[dict] = field(default_factory=list)
    rows_read: int = 0
    unparseable: int = 0


def parse_period_header(text: object) -> pd.Timestamp | str | None:
    """Interpret a column header as a plan period.

    Returns the first day of the month for a month header, ``'quarter'`` / ``'year'`` /
    ``'total'`` for columns that must be skipped, ``None`` when the header is not a period.
    """
    if text is None:
        return None
    found = _period(str(text).strip())
    if found is None and base_header(str(text)) != str(text):  # 'Ноябрь 2024.2' (repeated)
        found = _period(base_header(str(text)).strip())
    return found


def _period(raw: str) -> pd.Timestamp | str | None:
    t = normalize_label(raw)
    if not t:
        return None
    if _TOTAL.match(t):
        return "total"
    if _QUARTER.match(t):
        return "quarter"
    if _YEAR_ONLY.match(t):
        return "year"
    m = _NAMED_MONTH.match(t)
    if m and m["m"][:3] in _MONTHS and _month_word_ok(m["m"]):
        return _month(int(m["y"]), _MONTHS[m["m"][:3]])
    m = _NUM_MONTH.match(t) or _ISO_MONTH.match(t)
    if m and 1 <= int(m["m"]) <= 12:
        return _month(int(m["y"]), int(m["m"]))
    if re.match(r"^\d", t):
        try:
            ts = parse_date(raw)
        except ValueError:
            return None
        if ts is not None and not (len(t) <= 6 and t.replace(".", "").isdigit()):
            return _month(ts.year, ts.month)
    return None


def _month_word_ok(word: str) -> bool:
    # 'март', 'мар', 'марта' are months; 'маршрут' is not
    return len(word) <= 9 and not word.startswith("марш")


def _month(year: int, month: int) -> pd.Timestamp:
    if year < 100:
        year += 2000
    return pd.Timestamp(year=year, month=month, day=1)


def _keyword(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    t = normalize_label(text)
    words = set(re.split(r"[\s,.;:()/]+", t))
    for key, value in table:
        if (len(key) <= 3 and key in words) or (len(key) > 3 and key in t):
            return value
    return None


def metric_from_label(label: object, labels: Mapping[str, str] | None = None) -> str | None:
    """Plan metric a label or sheet name names ('Встречи' -> 'meetings', 'План по выручке' ->
    'revenue'), or ``None``. ``labels`` (from mapping.yaml ``labels.metric``) are tried first."""
    if label is None:
        return None
    t = normalize_label(label)
    if labels:
        folded = {normalize_label(k): v for k, v in labels.items()}
        if t in folded:
            return folded[t]
    if t in PLAN_METRICS:
        return t
    return _keyword(t, METRIC_KEYWORDS)


def is_ack_sheet(sheet: RawSheet) -> bool:
    """True when the sheet records plan acknowledgements (Ознакомлен / Подпись / Дата
    ознакомления)."""
    heads = {normalize_label(base_header(c)) for c in sheet.frame.columns}
    return any(h in heads or any(x.startswith(h) for x in heads) for h in _ACK_HEADERS)


def is_long_plan(sheet: RawSheet) -> bool:
    """True for a long plan sheet: a period column and a value column."""
    heads = [normalize_label(base_header(c)) for c in sheet.frame.columns]
    return any(h in _PERIOD_HEADERS for h in heads) and any(h in _VALUE_HEADERS for h in heads)


def month_columns(sheet: RawSheet) -> dict[str, pd.Timestamp]:
    """Columns of the sheet whose headers are months."""
    out = {}
    for c in sheet.frame.columns:
        p = parse_period_header(c)
        if isinstance(p, pd.Timestamp):
            out[c] = p
    return out


def looks_like_plan(sheet: RawSheet) -> bool:
    """True when a sheet is a plan: two or more month columns, a long plan or an
    acknowledgement sheet."""
    months = month_columns(sheet)
    if len(months) >= 2 or is_long_plan(sheet) or is_ack_sheet(sheet):
        return True
    manager, metric, dim = _label_columns(sheet, set(months))
    return len(months) == 1 and (manager is not None or metric is not None or dim is not None)


def _empty_plans() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=PLAN_SOURCE_COLUMNS))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Plan rows with fixed dtypes (dates ns, value float, src_row int, text object)."""
    out = df[PLAN_SOURCE_COLUMNS].copy()
    for c in ("period", "acknowledged_at"):
        out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    out["value"] = pd.to_numeric(out["value"]).astype("float64")
    out["src_row"] = pd.to_numeric(out["src_row"]).astype("int64")
    for c in ("manager_name", "dimension", "dimension_value", "metric", "src_file"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    return out.reset_index(drop=True)


def _label_columns(
    sheet: RawSheet, skip: set[str]
) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """(manager column, metric column, (dimension column, dimension)) among non-period
    columns."""
    manager = metric = None
    dim: tuple[str, str] | None = None
    for c in sheet.frame.columns:
        if c in skip:
            continue
        h = normalize_label(base_header(c))
        if manager is None and any(h.startswith(x) for x in _MANAGER_HEADERS):
            manager = c
        elif metric is None and any(h.startswith(x) for x in _METRIC_HEADERS):
            metric = c
        elif dim is None and (d := _keyword(h, DIMENSION_KEYWORDS)) is not None:
            dim = (c, d)
    return manager, metric, dim


def _clean(s: pd.Series) -> pd.Series:
    s = s.astype(object).where(s.notna(), None)
    return s.map(lambda v: None if v is None or not str(v).strip() else str(v).strip())


def parse_wide_plan(
    sheet: RawSheet,
    *,
    metric: str | None = None,
    dimension: str | None = None,
    metric_labels: Mapping[str, str] | None = None,
) -> PlanParse:
    """Read one wide plan sheet (rows = managers / clients / brands, columns = months).

    ``metric`` / ``dimension`` are defaults from a mapping rule; ``metric_labels`` maps the
    client's own metric names (mapping ``labels.metric``)."""
    to_metric = partial(metric_from_label, labels=metric_labels)
    issues: list[dict] = []
    frame = sheet.frame
    src_rows = list(sheet.rows)
    kinds = {c: parse_period_header(c) for c in frame.columns}
    months = {c: p for c, p in kinds.items() if isinstance(p, pd.Timestamp)}
    for c, p in kinds.items():
        if p in ("quarter", "year"):
            issues.append(
                issue(
                    "warning",
                    "skipped_column",
                    f"{'quarter' if p == 'quarter' else 'year'} column skipped: "
                    "plans are read by month only; add monthly columns if you need them",
                    table="plans",
                    file=sheet.file,
                    row=sheet.header_row,
                    column=str(c),
                    value=c,
                )
            )
        elif p == "total":
            issues.append(
                issue(
                    "info",
                    "skipped_column",
                    "total column skipped",
                    table="plans",
                    file=sheet.file,
                    row=sheet.header_row,
                    column=str(c),
                )
            )
    skip = set(months) | {c for c, p in kinds.items() if p is not None}
    manager_col, metric_col, dim = _label_columns(sheet, skip)
    sheet_dim = _keyword(sheet.sheet or "", DIMENSION_KEYWORDS)
    label_cols = [c for c in frame.columns if c not in skip]
    if dim is None and manager_col is None and label_cols:
        first = label_cols[0]
        if metric_col == first and len(label_cols) > 1:
            first = label_cols[1]
        if first != metric_col:
            d = dimension or sheet_dim
            if d and d != "none":
                dim = (first, d)
            else:
                manager_col = first
    if dimension and dim is not None and dim[1] != dimension:
        dim = (dim[0], dimension)
    if not months:
        issues.append(
            issue(
                "error",
                "missing_column",
                "plan sheet without month columns (headers such as 'Ноябрь 2024', 'ноя 2024', "
                "'11.2024', '2024-11'); nothing read -> name the months in the header row or use "
                "layout: long",
                table="plans",
                file=sheet.file,
                row=sheet.header_row,
                value=", ".join(str(c) for c in frame.columns)[:200],
            )
        )
        return PlanParse(_empty_plans(), pd.DataFrame(columns=ACK_COLUMNS), issues, len(frame), 0)
    sheet_metric = to_metric(sheet.sheet) if sheet.sheet else None
    default_metric = sheet_metric or metric
    if default_metric is None and metric_col is None:
        default_metric = "revenue"
        issues.append(
            issue(
                "info",
                "assumed_value",
                "no 'Показатель' column and the sheet name names no metric: read as revenue",
                table="plans",
                file=sheet.file,
                column="metric",
                value=sheet.sheet,
            )
        )

    label_frame = pd.DataFrame(index=frame.index)
    label_frame["manager_name"] = _clean(frame[manager_col]) if manager_col is not None else None
    label_frame["dimension_value"] = _clean(frame[dim[0]]) if dim else None
    label_frame["metric_label"] = _clean(frame[metric_col]) if metric_col is not None else None
    label_frame["src_row"] = src_rows
    # total rows: any label column saying Итого / Всего
    is_total = pd.Series(False, index=frame.index)
    for c in [manager_col, metric_col, dim[0] if dim else None]:
        if c is not None:
            is_total |= _clean(frame[c]).map(lambda v: bool(v and _TOTAL.match(normalize_label(v))))
    if manager_col is None and dim is None:
        is_total[:] = False
    for pos in is_total[is_total].index:
        issues.append(
            issue(
                "info",
                "total_row",
                "total row skipped (never counted)",
                table="plans",
                file=sheet.file,
                row=int(label_frame.at[pos, "src_row"]),
                value=label_frame.at[pos, "manager_name"] or label_frame.at[pos, "dimension_value"],
            )
        )
    keep = ~is_total
    if manager_col is not None or dim is not None:
        keep &= label_frame["manager_name"].notna() | label_frame["dimension_value"].notna()
    labels = label_frame[keep]
    data = frame.loc[keep, list(months)]

    # metric per row
    if metric_col is not None:
        row_metric = labels["metric_label"].map(to_metric)
        unknown = labels["metric_label"].notna() & row_metric.isna()
        for pos in unknown[unknown].index:
            issues.append(
                issue(
                    "warning",
                    "unknown_label",
                    "plan metric not recognised; row skipped (add it to mapping.yaml labels.metric)",
                    table="plans",
                    file=sheet.file,
                    row=int(labels.at[pos, "src_row"]),
                    column=str(metric_col),
                    value=labels.at[pos, "metric_label"],
                )
            )
        row_metric = row_metric.where(labels["metric_label"].notna(), default_metric)
    else:
        row_metric = pd.Series(default_metric, index=labels.index, dtype=object)

    parts = []
    unparseable = 0
    for c, period in months.items():
        values, bad = parse_numbers(data[c])
        unparseable += int(bad.sum())
        for pos in bad[bad].index:
            issues.append(
                issue(
                    "warning",
                    "unparseable_value",
                    "plan value is not a number; cell ignored",
                    table="plans",
                    file=sheet.file,
                    row=int(labels.at[pos, "src_row"]),
                    column=str(c),
                    value=data.at[pos, c],
                )
            )
        part = pd.DataFrame(
            {
                "period": period,
                "manager_name": labels["manager_name"],
                "dimension": dim[1] if dim else "none",
                "dimension_value": labels["dimension_value"] if dim else None,
                "metric": row_metric,
                "value": values,
                "acknowledged_at": pd.NaT,
                "src_file": sheet.file,
                "src_row": labels["src_row"],
                "_order": labels.index,
            }
        )
        parts.append(part[values.notna() & row_metric.notna()])
    plans = pd.concat(parts, ignore_index=True) if parts else _empty_plans()
    plans = plans.sort_values(["_order", "period"], kind="stable").drop(columns="_order")
    plans = _typed(plans)
    return PlanParse(plans, pd.DataFrame(columns=ACK_COLUMNS), issues, len(frame), unparseable)


def parse_long_plan(
    sheet: RawSheet,
    *,
    metric: str | None = None,
    metric_labels: Mapping[str, str] | None = None,
) -> PlanParse:
    """Read a long plan sheet: Период, Менеджер, [Бренд/Клиент/...], Показатель, Значение."""
    to_metric = partial(metric_from_label, labels=metric_labels)
    issues: list[dict] = []
    frame = sheet.frame
    heads = {c: normalize_label(base_header(c)) for c in frame.columns}
    period_col = next(c for c, h in heads.items() if h in _PERIOD_HEADERS)
    value_col = next(c for c, h in heads.items() if h in _VALUE_HEADERS)
    manager_col, metric_col, dim = _label_columns(sheet, {period_col, value_col})
    ack_col = next((c for c, h in heads.items() if h.startswith("дата ознаком")), None)
    src = pd.Series(list(sheet.rows), index=frame.index)
    periods = frame[period_col].map(_period_cell)
    values, bad = parse_numbers(frame[value_col])
    row_metric = (
        _clean(frame[metric_col]).map(to_metric)
        if metric_col is not None
        else pd.Series(metric or to_metric(sheet.sheet) or "revenue", index=frame.index)
    )
    ack = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if ack_col is not None:
        ack = frame[ack_col].map(_date_or_nat).astype("datetime64[ns]")
    manager = (
        _clean(frame[manager_col])
        if manager_col is not None
        else pd.Series(None, index=frame.index)
    )
    is_total = manager.map(lambda v: bool(v and _TOTAL.match(normalize_label(v))))
    ok = pd.Series(True, index=frame.index)
    for pos in frame.index:
        row = int(src[pos])
        if is_total[pos]:
            issues.append(
                issue(
                    "info",
                    "total_row",
                    "total row skipped",
                    table="plans",
                    file=sheet.file,
                    row=row,
                )
            )
            ok[pos] = False
            continue
        if not isinstance(periods[pos], pd.Timestamp):
            issues.append(
                issue(
                    "warning",
                    "unparseable_value" if periods[pos] is None else "skipped_column",
                    "period is not a month; row skipped",
                    table="plans",
                    file=sheet.file,
                    row=row,
                    column=str(period_col),
                    value=frame.at[pos, period_col],
                )
            )
            ok[pos] = False
        elif bad[pos]:
            issues.append(
                issue(
                    "warning",
                    "unparseable_value",
                    "plan value is not a number; row skipped",
                    table="plans",
                    file=sheet.file,
                    row=row,
                    column=str(value_col),
                    value=frame.at[pos, value_col],
                )
            )
            ok[pos] = False
        elif row_metric[pos] is None:
            issues.append(
                issue(
                    "warning",
                    "unknown_label",
                    "plan metric not recognised; row skipped (add it to mapping.yaml labels.metric)",
                    table="plans",
                    file=sheet.file,
                    row=row,
                    column=str(metric_col),
                    value=frame.at[pos, metric_col] if metric_col is not None else None,
                )
            )
            ok[pos] = False
        elif pd.isna(values[pos]):
            ok[pos] = False
    plans = pd.DataFrame(
        {
            "period": periods.where(ok, None),
            "manager_name": manager,
            "dimension": dim[1] if dim else "none",
            "dimension_value": _clean(frame[dim[0]]) if dim else None,
            "metric": row_metric,
            "value": values,
            "acknowledged_at": ack,
            "src_file": sheet.file,
            "src_row": src,
        }
    )[ok]
    plans["period"] = pd.to_datetime(plans["period"])
    return PlanParse(
        _typed(plans),
        pd.DataFrame(columns=ACK_COLUMNS),
        issues,
        len(frame),
        int(bad.sum()),
    )


def _period_cell(v: object) -> pd.Timestamp | str | None:
    if v is None or not str(v).strip():
        return None
    return parse_period_header(v)


def _date_or_nat(v: object) -> pd.Timestamp:
    try:
        ts = parse_date(v)
    except ValueError:
        return pd.NaT
    return pd.NaT if ts is None else ts


_YES = {"да", "yes", "+", "v", "✓", "ознакомлен", "ознакомлена", "подписано", "подписан", "1"}


def parse_ack_sheet(sheet: RawSheet) -> PlanParse:
    """Read an acknowledgement sheet: manager, period (optional), signed / date of
    acknowledgement."""
    issues: list[dict] = []
    frame = sheet.frame
    heads = {c: normalize_label(base_header(c)) for c in frame.columns}
    manager_col = next(
        (c for c, h in heads.items() if any(h.startswith(x) for x in _MANAGER_HEADERS)), None
    )
    period_col = next((c for c, h in heads.items() if h in _PERIOD_HEADERS), None)
    date_col = next((c for c, h in heads.items() if h.startswith("дата ознаком")), None)
    if date_col is None:
        date_col = next((c for c, h in heads.items() if h == "дата"), None)
    flag_cols = [c for c, h in heads.items() if h.startswith(("ознакомлен", "подпись"))]
    rows = []
    if manager_col is None:
        issues.append(
            issue(
                "error",
                "missing_column",
                "acknowledgement sheet has no manager column (Менеджер / Сотрудник / ФИО)",
                table="plans",
                file=sheet.file,
            )
        )
        return PlanParse(_empty_plans(), pd.DataFrame(columns=ACK_COLUMNS), issues, len(frame))
    for pos, src_row in zip(frame.index, sheet.rows):
        name = frame.at[pos, manager_col]
        if name is None or not str(name).strip() or _TOTAL.match(normalize_label(name)):
            continue
        when = pd.NaT
        if date_col is not None:
            when = _date_or_nat(frame.at[pos, date_col])
        flags = [frame.at[pos, c] for c in flag_cols]
        for f in flags:  # 'Ознакомлен' may hold the date itself
            if pd.isna(when) and f is not None:
                when = _date_or_nat(f)
        signed = any(f is not None and normalize_label(f) in _YES for f in flags)
        if pd.isna(when):
            if signed:
                issues.append(
                    issue(
                        "info",
                        "assumed_value",
                        "acknowledged without a date: acknowledged_at left empty",
                        table="plans",
                        file=sheet.file,
                        row=int(src_row),
                        value=name,
                    )
                )
            continue
        period = None
        if period_col is not None:
            p = _period_cell(frame.at[pos, period_col])
            period = p if isinstance(p, pd.Timestamp) else None
        rows.append((str(name).strip(), period, when, sheet.file, int(src_row)))
    ack = pd.DataFrame(rows, columns=ACK_COLUMNS)
    ack["period"] = pd.to_datetime(ack["period"])
    ack["acknowledged_at"] = pd.to_datetime(ack["acknowledged_at"]).astype("datetime64[ns]")
    return PlanParse(_empty_plans(), ack, issues, len(frame))


def parse_plan_sheets(
    sheets: Sequence[RawSheet],
    *,
    metric: str | None = None,
    dimension: str | None = None,
    layout: str | None = None,
    metric_labels: Mapping[str, str] | None = None,
) -> PlanParse:
    """Read every plan sheet (wide, long or acknowledgement) and combine them.

    ``metric`` / ``dimension`` / ``layout`` come from a mapping rule and act as defaults;
    ``metric_labels`` maps the client's metric names (mapping ``labels.metric``).
    Acknowledgements are returned separately (matched to plan rows after names are reconciled).
    """
    plans, acks, issues = [], [], []
    rows = bad = 0
    for sheet in sheets:
        if is_ack_sheet(sheet) and len(month_columns(sheet)) < 2:
            part = parse_ack_sheet(sheet)
        elif layout == "long" or (layout is None and is_long_plan(sheet)):
            part = parse_long_plan(sheet, metric=metric, metric_labels=metric_labels)
        else:
            part = parse_wide_plan(
                sheet, metric=metric, dimension=dimension, metric_labels=metric_labels
            )
        plans.append(part.plans)
        acks.append(part.acknowledgements)
        issues += part.issues
        rows += part.rows_read
        bad += part.unparseable
    plan_df = (
        pd.concat([p for p in plans if len(p)], ignore_index=True)
        if any(len(p) for p in plans)
        else _empty_plans()
    )
    ack_df = (
        pd.concat([a for a in acks if len(a)], ignore_index=True)
        if any(len(a) for a in acks)
        else pd.DataFrame(columns=ACK_COLUMNS)
    )
    return PlanParse(_typed(plan_df), ack_df, issues, rows, bad)


def apply_acknowledgements(
    plans: pd.DataFrame, acks: pd.DataFrame, *, key: str = "manager_id"
) -> pd.DataFrame:
    """Set ``acknowledged_at`` on plan rows from acknowledgement rows keyed by ``key``
    (``manager_id`` after reconciliation) and period (an ack without a period covers every
    period of that manager). Returns a new frame; rows already acknowledged keep their date."""
    out = plans.copy()
    if acks.empty or out.empty:
        return out
    acks = acks[acks[key].notna()]
    with_period = acks[acks["period"].notna()].drop_duplicates([key, "period"], keep="last")
    any_period = acks[acks["period"].isna()].drop_duplicates([key], keep="last")
    at = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if len(with_period):
        idx = pd.MultiIndex.from_frame(with_period[[key, "period"]])
        lookup = pd.Series(with_period["acknowledged_at"].to_numpy(), index=idx)
        keys = pd.MultiIndex.from_frame(out[[key, "period"]])
        at = pd.Series(lookup.reindex(keys).to_numpy(), index=out.index).astype("datetime64[ns]")
    if len(any_period):
        general = out[key].map(dict(zip(any_period[key], any_period["acknowledged_at"])))
        at = at.fillna(pd.to_datetime(general))
    out["acknowledged_at"] = out["acknowledged_at"].fillna(at).astype("datetime64[ns]")
    return out
