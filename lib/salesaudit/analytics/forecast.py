"""Activity-based revenue forecast: meetings per day x conversion x average deal x working days.

The source method: if a manager makes about 2 meetings a day, about every tenth meeting becomes a
contract and the average contract is 50,000, "a simple calculation" gives the month. With 22
working days that is 2 x 0.1 x 50,000 x 22 = 220,000 (the source text says 440,000 for these
inputs; our tables show every input so a reader can check the arithmetic).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    add_months,
    concat_evidence,
    done_activities,
    evidence,
    manager_names,
    month_key,
    month_start,
    name_of,
    revenue_records,
    revenue_source,
    safe_div,
    ts,
)
from salesaudit.analytics.calendar import working_days, working_days_in_month
from salesaudit.model.dataset import Dataset

__all__ = [
    "forecast_value",
    "month_forecast",
    "activity_forecast",
    "forecast_backtest",
    "forecast_inputs",
]

TEAM = "team"


def forecast_value(
    meetings_per_day: float,
    conversion: float,
    avg_deal: float,
    working_days: float,
    headcount: float = 1,
) -> float:
    """Forecast revenue = meetings/day x conversion (won deals per meeting) x average deal x
    working days x headcount (scalars give a float; Series multiply element-wise)."""
    parts = (meetings_per_day, conversion, avg_deal, working_days, headcount)
    if any(isinstance(p, pd.Series) for p in parts):
        out = parts[0]
        for p in parts[1:]:
            out = out * p
        return out.astype("float64")
    return float(np.prod([float(p) for p in parts]))


def month_forecast(
    meetings_per_day: Any,
    conversion: Any,
    avg_deal: Any,
    working_days: Any,
    headcount: Any = 1,
) -> Any:
    """THE activity forecast of a month: one definition for the PDF (``activity_forecast``,
    ``forecast_backtest``) and the workshop's what-if panel.

    :func:`forecast_value` of the inputs, except that a conversion of 0 (meetings that led to
    no won deal, so the average deal is undefined) forecasts 0 rather than "unknown". Takes
    scalars (returns a float) or equally indexed Series (returns a Series); an undefined input
    otherwise gives NaN.
    """
    value = forecast_value(meetings_per_day, conversion, avg_deal, working_days, headcount)
    if isinstance(value, pd.Series):
        return value.where(~pd.Series(conversion, index=value.index).eq(0), 0.0)
    conv = float(conversion)
    return 0.0 if conv == 0 else float(value)


def _meetings_and_won(data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(done meetings, won deals with a close date): the only rows the forecast reads."""
    a = done_activities(data)
    a = a.loc[a["type"].eq("meeting"), ["activity_id", "manager_id", "occurred_at"]]
    d = data.deals
    d = d.loc[
        d["outcome"].eq("won") & d["closed"].notna(), ["deal_id", "manager_id", "closed", "amount"]
    ]
    return a, d


def forecast_inputs(
    data: Dataset,
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    with_evidence: bool = True,
    prefiltered: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast inputs per manager and team from the window [start, end] (dates, inclusive).

    Returns (table, evidence): table indexed by manager_id (plus 'team') with ``meetings,
    won_deals, won_amount, window_working_days, headcount, meetings_per_day, conversion,
    avg_deal``. Team meetings_per_day is per manager (team meetings / managers with meetings /
    working days) so that team forecast = that x conversion x avg_deal x working days x headcount.
    ``with_evidence=False`` skips building the evidence; ``prefiltered`` passes the (meetings,
    won deals) frames already selected when called repeatedly (the backtest).
    """
    eod = end + pd.Timedelta(days=1)
    a, d = prefiltered if prefiltered is not None else _meetings_and_won(data)
    a = a.loc[(a["occurred_at"] >= start) & (a["occurred_at"] < eod)]
    d = d.loc[(d["closed"] >= start) & (d["closed"] < eod)]
    wd = working_days(start.date(), end.date())
    t = pd.DataFrame(
        {
            "meetings": a.groupby("manager_id").size(),
            "won_deals": d.groupby("manager_id").size(),
            "won_amount": d.groupby("manager_id")["amount"].sum(),
        }
    ).fillna(0.0)
    t["headcount"] = 1
    team_heads = int((t["meetings"] > 0).sum()) or max(len(t), 1)
    t.loc[TEAM] = [
        float(t["meetings"].sum()),
        float(t["won_deals"].sum()),
        float(t["won_amount"].sum()),
        team_heads,
    ]
    t["meetings"] = t["meetings"].astype("int64")
    t["won_deals"] = t["won_deals"].astype("int64")
    t["headcount"] = t["headcount"].astype("int64")
    t["window_working_days"] = wd
    t["meetings_per_day"] = safe_div(
        t["meetings"].astype("float64"), (t["headcount"] * wd).astype("float64")
    )
    t["conversion"] = safe_div(t["won_deals"].astype("float64"), t["meetings"].astype("float64"))
    t["avg_deal"] = safe_div(t["won_amount"], t["won_deals"].astype("float64"))
    t.index.name = "manager_id"
    if not with_evidence:
        return t, concat_evidence([])
    ev = concat_evidence(
        [
            evidence(a["manager_id"] + "|meetings", "activities", a["activity_id"]),
            evidence(d["manager_id"] + "|won", "deals", d["deal_id"]),
            evidence(pd.Series(TEAM + "|meetings", index=a.index), "activities", a["activity_id"]),
            evidence(pd.Series(TEAM + "|won", index=d.index), "deals", d["deal_id"]),
        ]
    )
    return t, ev


def _forecast_column(t: pd.DataFrame, wd: int) -> pd.Series:
    """Forecast per row by :func:`month_forecast` (0 when meetings converted into no won deal)."""
    return month_forecast(t["meetings_per_day"], t["conversion"], t["avg_deal"], wd, t["headcount"])


@requires("activities", "deals")
def activity_forecast(
    data: Dataset,
    *,
    as_of: dt.date,
    target_month: dt.date | None = None,
    lookback_months: int = 3,
) -> AnalysisResult:
    """Forecast of a month's revenue per manager and team from the last ``lookback_months``
    complete months before the month of ``as_of``.

    Main columns: ``key, manager_id, manager_name, meetings, won_deals, won_amount,
    window_working_days, headcount, meetings_per_day, conversion (won deals closed in the
    window / done meetings), avg_deal, working_days (of the target month, production calendar),
    forecast``. Target month defaults to the month of ``as_of``.
    """
    target = month_start(target_month or as_of)
    end = month_start(as_of) - pd.Timedelta(days=1)
    start = add_months(ts(as_of), -lookback_months)
    params = {
        "as_of": str(as_of),
        "target_month": str(target.date()),
        "lookback_months": lookback_months,
        "window": f"{start.date()}..{end.date()}",
    }
    t, ev = forecast_inputs(data, start, end)
    if t.loc[TEAM, "meetings"] == 0:
        return not_enough_data(
            "activity_forecast", "no done meetings in the lookback window", **params
        )
    wd = working_days_in_month(target.year, target.month)
    t["working_days"] = wd
    t["forecast"] = _forecast_column(t, wd)
    main = t.reset_index()
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = main[
        [
            "key",
            "manager_id",
            "manager_name",
            "meetings",
            "won_deals",
            "won_amount",
            "window_working_days",
            "headcount",
            "meetings_per_day",
            "conversion",
            "avg_deal",
            "working_days",
            "forecast",
        ]
    ]
    is_team = main["manager_id"].eq(TEAM)
    main = pd.concat(
        [main.loc[~is_team].sort_values("manager_id"), main.loc[is_team]], ignore_index=True
    )
    ev = ev.assign(key=ev["key"].str.split("|").str[0])
    return AnalysisResult(
        name="activity_forecast", tables={"main": main}, evidence=ev, params=params
    )


@requires("activities", "deals")
def forecast_backtest(
    data: Dataset, *, as_of: dt.date, months: int = 6, lookback_months: int = 3
) -> AnalysisResult:
    """How good would the activity forecast have been? For each of the last ``months`` complete
    months: forecast from the preceding ``lookback_months`` vs actual revenue (sales when
    present, else won deals), per manager and team.

    Main columns: ``key, month, manager_id, manager_name, forecast, actual, error (actual -
    forecast), ape (|error| / actual x 100)``; table ``summary [key, manager_id, manager_name,
    months, mape]`` (mean APE over months with actual > 0 and a forecast).
    """
    params = {"as_of": str(as_of), "months": months, "lookback_months": lookback_months}
    source = revenue_source(data)
    rev = revenue_records(data, as_of)
    rows = []
    ev = []
    pre = _meetings_and_won(data)
    for k in range(months, 0, -1):  # one iteration per month, vectorized inside
        m = add_months(ts(as_of), -k)
        m_end = add_months(m, 1) - pd.Timedelta(days=1)
        t, _ = forecast_inputs(
            data,
            add_months(m, -lookback_months),
            m - pd.Timedelta(days=1),
            with_evidence=False,
            prefiltered=pre,
        )
        wd = working_days_in_month(m.year, m.month)
        fc = _forecast_column(t, wd).fillna(0.0).where(t["meetings"] > 0)
        r = rev.loc[(rev["date"] >= m) & (rev["date"] < m_end + pd.Timedelta(days=1))]
        actual = r.groupby("manager_id")["value"].sum()
        actual.loc[TEAM] = float(r["value"].sum())
        idx = fc.index.union(actual.index)
        f = pd.DataFrame({"forecast": fc.reindex(idx), "actual": actual.reindex(idx).fillna(0.0)})
        f["month"] = m
        f.index.name = "manager_id"
        rows.append(f.reset_index())
        key_m = m.strftime("%Y-%m")
        ev.append(evidence(key_m + "|" + r["manager_id"].fillna(""), str(source), r["record_id"]))
        ev.append(
            evidence(pd.Series(key_m + "|" + TEAM, index=r.index), str(source), r["record_id"])
        )
    main = pd.concat(rows, ignore_index=True)
    if main["forecast"].notna().sum() == 0:
        return not_enough_data(
            "forecast_backtest", "no month has meetings in its lookback window", **params
        )
    main["error"] = main["actual"] - main["forecast"]
    main["ape"] = safe_div(main["error"].abs() * 100.0, main["actual"])
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main["key"] = month_key(main["month"]) + "|" + main["manager_id"]
    main = main[
        ["key", "month", "manager_id", "manager_name", "forecast", "actual", "error", "ape"]
    ]
    main = main.sort_values(["month", "manager_id"]).reset_index(drop=True)
    g = main.groupby("manager_id")
    summary = pd.DataFrame({"months": g["ape"].count(), "mape": g["ape"].mean()}).reset_index()
    summary["manager_name"] = name_of(summary["manager_id"], manager_names(data))
    summary.insert(0, "key", summary["manager_id"])
    summary = summary[["key", "manager_id", "manager_name", "months", "mape"]]
    return AnalysisResult(
        name="forecast_backtest",
        tables={"main": main, "summary": summary},
        evidence=concat_evidence(ev),
        params={**params, "source": source},
    )
