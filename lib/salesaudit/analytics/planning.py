"""Sales planning: how the plan is built (structure) and how it compares to history (seasonality).

The method asks that a plan be broken down by period, employee, client, brand, product, route and
units, and that non-money indicators that drive sales (active clients, meetings, calls, proposals,
demos, placed equipment, POS materials, marketing participants, new clients) be planned too; and
that each manager acknowledge (sign) the plan. It also lists seasonality and market trend among
the factors a plan must account for.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    concat_evidence,
    evidence,
    month_key,
    month_start,
    months_of,
    plan_record_ids,
    revenue_records,
    revenue_source,
)
from salesaudit.model.dataset import Dataset

__all__ = ["plan_structure", "seasonality", "revenue_plan_by_period", "NON_MONEY_METRICS"]

#: planned indicators other than money that the method recommends
NON_MONEY_METRICS = (
    "active_clients",
    "meetings",
    "calls",
    "proposals",
    "demos",
    "equipment",
    "pos_materials",
    "marketing_participants",
    "new_clients",
)
_DIMENSIONS = ("period", "employee", "client", "brand", "product", "route", "units")


@requires("plans")
def plan_structure(data: Dataset) -> AnalysisResult:
    """Which dimensions the plan is broken down by, which non-money indicators are planned, and
    the share of managers' plan rows that were acknowledged.

    Main table ``[key, aspect, kind, present, rows, detail]``; ``kind`` is ``dimension``,
    ``metric`` or ``acknowledgement``. Evidence links each aspect to the plan rows showing it.
    """
    p = data.plans
    rid = plan_record_ids(p)
    periods = p["period"].dropna()
    n_periods = periods.nunique()
    per_manager = p["manager_id"].notna()
    masks: dict[str, tuple[str, pd.Series, str]] = {}
    if n_periods:
        detail = f"{n_periods} period(s) {periods.min():%Y-%m}..{periods.max():%Y-%m}"
    else:
        detail = "no periods"
    masks["period"] = ("dimension", p["period"].notna(), detail)
    masks["employee"] = (
        "dimension",
        per_manager,
        f"{p.loc[per_manager, 'manager_id'].nunique()} manager(s)",
    )
    for dim in ("client", "brand", "product", "route"):
        m = p["dimension"].eq(dim)
        masks[dim] = ("dimension", m, f"{p.loc[m, 'dimension_value'].nunique()} value(s)")
    masks["units"] = ("dimension", p["metric"].eq("units"), "plan in units (pieces)")
    rows = []
    ev = []
    for aspect in _DIMENSIONS:
        kind, m, detail = masks[aspect]
        n = int(m.sum())
        rows.append((aspect, kind, n > 0, n, detail if n else ""))
        ev.append(evidence(aspect, "plans", rid[m]))
    for metric in NON_MONEY_METRICS:
        m = p["metric"].eq(metric)
        n = int(m.sum())
        detail = f"{p.loc[m, 'period'].nunique()} period(s)" if n else ""
        rows.append((metric, "metric", n > 0, n, detail))
        ev.append(evidence(metric, "plans", rid[m]))
    mgr = p.loc[per_manager]
    acked = mgr["acknowledged_at"].notna()
    n_ack = int(acked.sum())
    share = n_ack / len(mgr) if len(mgr) else float("nan")
    detail = (
        f"{n_ack} of {len(mgr)} manager plan rows acknowledged" if len(mgr) else "no manager plans"
    )
    rows.append(("acknowledged", "acknowledgement", n_ack > 0, n_ack, detail))
    ev.append(evidence("acknowledged", "plans", rid[per_manager][acked.values]))
    main = pd.DataFrame(rows, columns=["aspect", "kind", "present", "rows", "detail"])
    main.insert(0, "key", main["aspect"])
    summary = pd.DataFrame(
        {
            "dimensions_present": [int(main.loc[main["kind"].eq("dimension"), "present"].sum())],
            "dimensions_total": [len(_DIMENSIONS)],
            "metrics_present": [int(main.loc[main["kind"].eq("metric"), "present"].sum())],
            "metrics_total": [len(NON_MONEY_METRICS)],
            "acknowledged_share": [share],
        }
    )
    return AnalysisResult(
        name="plan_structure",
        tables={"main": main, "summary": summary},
        evidence=concat_evidence(ev),
    )


def revenue_plan_by_period(plans: pd.DataFrame, metric: str = "revenue") -> pd.Series:
    """Department plan per period for ``metric`` (index: period month start).

    Uses rows without a breakdown dimension (``dimension == 'none'``): the department row(s)
    (``manager_id`` empty) where given, else the sum of the managers' rows, so that a plan given
    both ways is not counted twice.
    """
    p = plans.loc[plans["metric"].eq(metric) & plans["dimension"].eq("none")]
    if p.empty:
        return pd.Series(dtype="float64")
    period = months_of(p["period"])
    mgr = p["manager_id"].notna()
    by_mgr = p.loc[mgr, "value"].groupby(period[mgr]).sum()
    by_dep = p.loc[~mgr, "value"].groupby(period[~mgr]).sum()
    out = by_dep.combine_first(by_mgr)
    return out.sort_index().astype("float64")


def seasonality(data: Dataset, *, as_of: dt.date) -> AnalysisResult:
    """Monthly revenue, its linear trend and seasonal index, and a baseline plan to hold against
    the client's plan.

    Only complete months before the month of ``as_of`` are used (needs >= 12). Trend: least
    squares line over the month number. Seasonal index of a calendar month: mean of
    revenue / trend over the years observed. Baseline = trend (extrapolated) x seasonal index.
    Tables ``main [key, month, revenue, trend, seasonal_index, baseline]`` and
    ``plan_vs_baseline [key, period, client_plan, baseline, diff_pct]`` (diff_pct = plan /
    baseline - 1, in %).
    """
    params = {"as_of": str(as_of)}
    source = revenue_source(data)
    if not source:
        return not_enough_data("seasonality", ["sales or deals"], **params)
    rec = revenue_records(data, as_of)
    cutoff = month_start(as_of)
    rec = rec.loc[rec["date"] < cutoff]
    if rec.empty:
        return not_enough_data("seasonality", "no revenue before the running month", **params)
    month = months_of(rec["date"])
    by_month = rec["value"].groupby(month).sum()
    full = pd.date_range(by_month.index.min(), cutoff - pd.DateOffset(months=1), freq="MS")
    by_month = by_month.reindex(full, fill_value=0.0)
    if len(by_month) < 12:
        return not_enough_data(
            "seasonality",
            f"needs at least 12 complete months of revenue, found {len(by_month)}",
            **params,
        )
    t = np.arange(len(by_month), dtype="float64")
    y = by_month.to_numpy(dtype="float64")
    slope, intercept = np.polyfit(t, y, 1)
    trend = intercept + slope * t
    ratio = np.where(trend > 0, y / np.where(trend > 0, trend, 1.0), np.nan)
    cal_month = by_month.index.month
    index_by_cal = pd.Series(ratio).groupby(np.asarray(cal_month)).mean()
    seasonal = index_by_cal.reindex(cal_month).to_numpy()
    main = pd.DataFrame(
        {
            "month": by_month.index,
            "revenue": y,
            "trend": trend,
            "seasonal_index": seasonal,
            "baseline": trend * seasonal,
        }
    )
    main.insert(0, "key", month_key(main["month"]))
    ev = evidence(month_key(month), source, rec["record_id"])
    first = by_month.index[0]
    pvb_cols = ["key", "period", "client_plan", "baseline", "diff_pct"]
    plan = revenue_plan_by_period(data.plans) if data.has("plans") else pd.Series(dtype="float64")
    if len(plan):
        periods = pd.DatetimeIndex(plan.index)
        k = (periods.year - first.year) * 12 + (periods.month - first.month)
        base = (intercept + slope * np.asarray(k, dtype="float64")) * index_by_cal.reindex(
            periods.month
        ).to_numpy()
        pvb = pd.DataFrame(
            {
                "period": periods,
                "client_plan": plan.to_numpy(),
                "baseline": base,
            }
        )
        pvb["diff_pct"] = (
            pvb["client_plan"] / pvb["baseline"].where(pvb["baseline"] > 0) - 1
        ) * 100
        pvb.insert(0, "key", month_key(pvb["period"]))
    else:
        pvb = pd.DataFrame(columns=pvb_cols)
    return AnalysisResult(
        name="seasonality",
        tables={"main": main, "plan_vs_baseline": pvb[pvb_cols]},
        evidence=ev,
        params={**params, "source": source, "slope": float(slope), "intercept": float(intercept)},
    )
