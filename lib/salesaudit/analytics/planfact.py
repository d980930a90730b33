"""Plan / fact / deviation, the completion forecast of the running period, and plan acknowledgement.

Facts per plan metric (all up to and including ``as_of``):
- ``revenue``: ``sales.amount`` (1C) when a sales table exists, else won deals' ``amount`` by close date;
- ``units``: ``sales.quantity``;
- ``meetings`` / ``calls`` / ``proposals`` / ``demos`` / ``emails``: done activities of that type;
- ``active_clients``: distinct clients with a sale or a done activity in the period;
- ``new_clients``: clients whose first sale ever falls in the period;
- ``equipment``, ``pos_materials``, ``marketing_participants``: no fact source in the data (fact NaN).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    METRIC_ACTIVITY,
    concat_evidence,
    done_activities,
    evidence,
    manager_names,
    month_key,
    month_start,
    months_of,
    name_of,
    plan_record_ids,
    revenue_records,
    safe_div,
)
from salesaudit.analytics.calendar import working_days, working_days_in_month
from salesaudit.model.dataset import Dataset

__all__ = ["plan_fact", "plan_acknowledgement", "fact_records", "DISTINCT_METRICS"]

#: metrics whose fact is a count of distinct clients rather than a sum
DISTINCT_METRICS = ("active_clients", "new_clients")
_FACT_COLS = [
    "date",
    "manager_id",
    "client_id",
    "brand",
    "product",
    "route",
    "value",
    "table",
    "record_id",
]
_DIM_COLUMN = {"client": "client_id", "brand": "brand", "product": "product", "route": "route"}


def _empty_facts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in _FACT_COLS})


def fact_records(data: Dataset, metric: str, as_of: dt.date) -> pd.DataFrame | None:
    """Records that make the fact of ``metric``: ``[date, manager_id, client_id, brand, product,
    route, value, table, record_id]``; ``None`` when the data has no source for the metric."""
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    if metric == "revenue":
        rec = revenue_records(data, as_of)
        return rec if len(rec) or data.has("sales") or data.has("deals") else None
    if metric in ("units", "new_clients"):
        if not data.has("sales"):
            return None
        s = data.sales
        if metric == "new_clients":
            s = s.loc[s["client_id"].notna()].sort_values(["date", "sale_id"], kind="mergesort")
            s = s.drop_duplicates("client_id", keep="first")
            value = pd.Series(1.0, index=s.index)
        else:
            value = s["quantity"]
        out = pd.DataFrame(
            {
                "date": s["date"],
                "manager_id": s["manager_id"],
                "client_id": s["client_id"],
                "brand": s["brand"],
                "product": s["product"],
                "route": s["route"],
                "value": value,
                "table": "sales",
                "record_id": s["sale_id"],
            }
        )
        return out.loc[out["date"] < end, _FACT_COLS].reset_index(drop=True)
    frames = []
    if metric in METRIC_ACTIVITY or metric == "active_clients":
        if data.has("activities"):
            a = done_activities(data, as_of)
            if metric in METRIC_ACTIVITY:
                a = a.loc[a["type"].eq(METRIC_ACTIVITY[metric])]
            else:
                a = a.loc[a["client_id"].notna()]
            frames.append(
                pd.DataFrame(
                    {
                        "date": a["occurred_at"],
                        "manager_id": a["manager_id"],
                        "client_id": a["client_id"],
                        "brand": None,
                        "product": None,
                        "route": None,
                        "value": 1.0,
                        "table": "activities",
                        "record_id": a["activity_id"],
                    }
                )
            )
        elif metric in METRIC_ACTIVITY:
            return None
    if metric == "active_clients" and data.has("sales"):
        s = data.sales.loc[data.sales["client_id"].notna()]
        frames.append(
            pd.DataFrame(
                {
                    "date": s["date"],
                    "manager_id": s["manager_id"],
                    "client_id": s["client_id"],
                    "brand": s["brand"],
                    "product": s["product"],
                    "route": s["route"],
                    "value": 1.0,
                    "table": "sales",
                    "record_id": s["sale_id"],
                }
            )
        )
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    return out.loc[out["date"] < end, _FACT_COLS].reset_index(drop=True)


def _aggregate(rec: pd.DataFrame, keys: list[str], metric: str) -> pd.Series:
    if rec.empty:
        return pd.Series(dtype="float64")
    g = rec.groupby(keys, dropna=False)
    if metric in DISTINCT_METRICS:
        return g["client_id"].nunique().astype("float64")
    return g["value"].sum().astype("float64")


def _period_days(periods: pd.Series, as_of: dt.date) -> pd.DataFrame:
    """Working-day columns per period: total, elapsed (up to as_of inclusive), left, running flag."""
    uniq = pd.Series(periods.dropna().unique())
    cur = month_start(as_of)
    rows = []
    for p in uniq:  # one iteration per planned month, not per record
        p = pd.Timestamp(p)
        total = working_days_in_month(p.year, p.month)
        if p < cur:
            elapsed = total
        elif p > cur:
            elapsed = 0
        else:
            elapsed = working_days(p.date(), as_of)
        rows.append((p, p == cur, total, elapsed, total - elapsed))
    return pd.DataFrame(rows, columns=["period", "running", "wd_total", "wd_elapsed", "wd_left"])


def _add_forecast(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["deviation"] = df["fact"] - df["plan"]
    df["pct_done"] = safe_div(df["fact"] * 100.0, df["plan"])
    forecast = safe_div(df["fact"], df["wd_elapsed"].astype("float64")) * df["wd_total"]
    past = ~df["running"] & (df["wd_left"] == 0)
    df["forecast"] = np.where(past, df["fact"], np.where(df["running"], forecast, np.nan))
    df["forecast_pct"] = safe_div(df["forecast"] * 100.0, df["plan"])
    remaining = (df["plan"] - df["fact"]).clip(lower=0)
    df["required_daily"] = np.where(
        df["running"], safe_div(remaining, df["wd_left"].astype("float64")), np.nan
    )
    return df


@requires("plans")
def plan_fact(data: Dataset, *, as_of: dt.date, metric: str = "revenue") -> AnalysisResult:
    """Plan vs fact per period x manager (plus department totals) for one plan metric.

    Main table columns: ``key, period, manager_id, manager_name, is_total, plan, fact, deviation,
    pct_done, running, wd_total, wd_elapsed, wd_left, forecast, forecast_pct, required_daily``.
    For the running period (the month containing ``as_of``) ``forecast`` is the run rate
    ``fact / wd_elapsed x wd_total`` (working days of the production calendar, ``as_of``
    included) and ``required_daily`` the fact per remaining working day needed for 100 %; for
    past periods ``forecast`` = ``fact``; periods after the running one have no fact (NaN).
    Department rows have ``manager_id`` None and
    ``is_total`` True; their plan is the department row of the plan when given, else the sum of
    the managers' plans. ``row_kind``: ``planned`` (a manager with a plan), ``unplanned``
    (someone who sold in a planned period without a plan: the owner, the head of sales, a new
    hire; plan NaN), ``unassigned`` (records without a responsible person; manager_id None,
    key ``<month>|unassigned``) or ``total``: the total's fact is the sum of the other rows'
    facts (for the distinct-client metrics a client counted under two managers counts once). Table ``by_dimension`` gives plan/fact per client/brand/product/route
    where the plan is broken down that way. Evidence: key -> the records making the fact.
    """
    params = {"as_of": str(as_of), "metric": metric}
    p = data.plans.loc[data.plans["metric"].eq(metric)]
    if p.empty:
        return not_enough_data("plan_fact", f"no plan rows for metric {metric!r}", **params)
    rec = fact_records(data, metric, as_of)
    has_fact = rec is not None
    if rec is None:
        rec = _empty_facts()
    rec = rec.assign(period=months_of(pd.to_datetime(rec["date"])))
    p = p.assign(period=months_of(p["period"]))
    days = _period_days(p["period"], as_of)
    names = manager_names(data)

    base = p.loc[p["dimension"].eq("none")]
    mgr_plan = base.loc[base["manager_id"].notna()].groupby(["period", "manager_id"])["value"].sum()
    dep_plan = base.loc[base["manager_id"].isna()].groupby("period")["value"].sum()
    tot_plan = dep_plan.combine_first(mgr_plan.groupby(level="period").sum())

    rows = []
    if len(mgr_plan):
        m = mgr_plan.rename("plan").reset_index()
        fact = _aggregate(rec, ["period", "manager_id"], metric).rename("fact")
        m = (
            m.merge(fact.reset_index(), on=["period", "manager_id"], how="left")
            if len(fact)
            else m.assign(fact=np.nan)
        )
        m["is_total"] = False
        m["row_kind"] = "planned"
        rows.append(m)
    if len(tot_plan) and len(rec):
        # everyone who sold in a planned period without a plan of his own (the owner, the head
        # of sales, a new hire) gets a row of his own, and so do records without a responsible
        # person: the department total is then the sum of the rows, nothing silently dropped
        in_p = rec.loc[rec["period"].isin(tot_plan.index)]
        planned = set(mgr_plan.index) if len(mgr_plan) else set()
        known = in_p.loc[in_p["manager_id"].notna()]
        f = _aggregate(known, ["period", "manager_id"], metric).rename("fact").reset_index()
        f = f.loc[[(p_, m_) not in planned for p_, m_ in zip(f["period"], f["manager_id"])]]
        if len(f):
            rows.append(f.assign(plan=np.nan, is_total=False, row_kind="unplanned"))
        loose = in_p.loc[in_p["manager_id"].isna()]
        if len(loose):
            f = _aggregate(loose.assign(manager_id=""), ["period"], metric).rename("fact")
            rows.append(
                f.reset_index().assign(
                    plan=np.nan, manager_id=None, is_total=False, row_kind="unassigned"
                )
            )
    if len(tot_plan):
        t = tot_plan.rename("plan").reset_index()
        fact = _aggregate(rec, ["period"], metric).rename("fact")
        t = (
            t.merge(fact.reset_index(), on="period", how="left")
            if len(fact)
            else t.assign(fact=np.nan)
        )
        t["manager_id"] = None
        t["is_total"] = True
        t["row_kind"] = "total"
        rows.append(t)
    if rows:
        main = pd.concat(rows, ignore_index=True)
        if has_fact:
            main["fact"] = main["fact"].fillna(0.0)
        # periods after the running one have no fact yet (not a fact of 0)
        main["fact"] = main["fact"].where(main["period"] <= month_start(as_of))
        main = main.merge(days, on="period", how="left")
        main = _add_forecast(main)
        main["manager_name"] = name_of(main["manager_id"], names)
        main["key"] = month_key(main["period"]) + "|" + main["manager_id"].fillna("total")
        loose = main["row_kind"].eq("unassigned")
        main.loc[loose, "key"] = month_key(main.loc[loose, "period"]) + "|unassigned"
        order = main["row_kind"].map({"planned": 0, "unplanned": 1, "unassigned": 2, "total": 3})
        main = main.assign(_o=order).sort_values(["period", "_o", "manager_id"], kind="mergesort")
        cols = [
            "key",
            "period",
            "manager_id",
            "manager_name",
            "is_total",
            "plan",
            "fact",
            "deviation",
            "pct_done",
            "running",
            "wd_total",
            "wd_elapsed",
            "wd_left",
            "forecast",
            "forecast_pct",
            "required_daily",
            "row_kind",
        ]
        main = main[cols].reset_index(drop=True)
    else:
        main = pd.DataFrame()

    # evidence: records behind each manager and department fact, plus the plan rows
    ev = []
    planned_periods = set(main["period"]) if len(main) else set()
    r = rec.loc[rec["period"].isin(planned_periods)] if planned_periods else rec.iloc[0:0]
    if len(r):
        key_p = month_key(r["period"])
        for table, grp in r.groupby("table"):
            kp = key_p.loc[grp.index]
            ev.append(evidence(kp + "|total", str(table), grp["record_id"]))
            has_m = grp["manager_id"].notna()
            ev.append(
                evidence(
                    kp[has_m] + "|" + grp.loc[has_m, "manager_id"],
                    str(table),
                    grp.loc[has_m, "record_id"],
                )
            )
            ev.append(
                evidence(kp[~has_m] + "|unassigned", str(table), grp.loc[~has_m, "record_id"])
            )
    pid = plan_record_ids(p)
    ev.append(
        evidence(month_key(p["period"]) + "|" + p["manager_id"].fillna("total"), "plans", pid)
    )

    # breakdown by planned dimension
    dim = p.loc[p["dimension"].isin(list(_DIM_COLUMN))]
    dim_rows = []
    for d, grp in dim.groupby("dimension"):
        col = _DIM_COLUMN[str(d)]
        g = grp.assign(scope=grp["manager_id"].fillna(""))
        plan_d = (
            g.groupby(["period", "scope", "dimension_value"], dropna=False)["value"]
            .sum()
            .rename("plan")
            .reset_index()
        )
        if len(rec) and rec[col].notna().any():
            rr = rec.loc[rec[col].notna()]
            f_m = _aggregate(
                rr.assign(scope=rr["manager_id"].fillna(""), dimension_value=rr[col].astype(str)),
                ["period", "scope", "dimension_value"],
                metric,
            )
            f_t = _aggregate(
                rr.assign(scope="", dimension_value=rr[col].astype(str)),
                ["period", "scope", "dimension_value"],
                metric,
            )
            facts = (
                pd.concat([f_m.loc[f_m.index.get_level_values("scope") != ""], f_t])
                .rename("fact")
                .reset_index()
            )
            plan_d = plan_d.merge(facts, on=["period", "scope", "dimension_value"], how="left")
            plan_d["fact"] = plan_d["fact"].fillna(0.0)
            kp = month_key(rr["period"])
            dv = "|" + str(d) + "=" + rr[col].astype(str)
            has_m = rr["manager_id"].notna()
            ev.append(
                evidence(
                    kp[has_m] + "|" + rr.loc[has_m, "manager_id"] + dv[has_m],
                    "",
                    rr.loc[has_m, "record_id"],
                ).assign(table=rr.loc[has_m, "table"].to_numpy())
            )
            ev.append(
                evidence(kp + "|total" + dv, "", rr["record_id"]).assign(
                    table=rr["table"].to_numpy()
                )
            )
        else:
            plan_d["fact"] = np.nan
        plan_d["dimension"] = d
        dim_rows.append(plan_d)
        ev.append(
            evidence(
                month_key(grp["period"])
                + "|"
                + grp["manager_id"].fillna("total")
                + "|"
                + str(d)
                + "="
                + grp["dimension_value"].astype(str),
                "plans",
                pid.loc[grp.index],
            )
        )
    if dim_rows:
        bd = pd.concat(dim_rows, ignore_index=True)
        bd["manager_id"] = bd["scope"].where(bd["scope"] != "", None)
        bd["deviation"] = bd["fact"] - bd["plan"]
        bd["pct_done"] = safe_div(bd["fact"] * 100.0, bd["plan"])
        bd["key"] = (
            month_key(bd["period"])
            + "|"
            + bd["manager_id"].fillna("total")
            + "|"
            + bd["dimension"]
            + "="
            + bd["dimension_value"].astype(str)
        )
        by_dimension = bd[
            [
                "key",
                "period",
                "manager_id",
                "dimension",
                "dimension_value",
                "plan",
                "fact",
                "deviation",
                "pct_done",
            ]
        ]
        by_dimension = by_dimension.sort_values(
            ["period", "dimension", "dimension_value", "key"]
        ).reset_index(drop=True)
    else:
        by_dimension = pd.DataFrame(
            columns=[
                "key",
                "period",
                "manager_id",
                "dimension",
                "dimension_value",
                "plan",
                "fact",
                "deviation",
                "pct_done",
            ]
        )
    evid = concat_evidence(ev)
    if len(main):
        keys = set(main["key"]) | set(by_dimension["key"])
        evid = evid.loc[evid["key"].isin(keys)].reset_index(drop=True)
    msg = "" if has_fact else f"no fact source in the data for metric {metric!r}"
    return AnalysisResult(
        name="plan_fact",
        tables={"main": main, "by_dimension": by_dimension},
        evidence=evid,
        message=msg,
        params=params,
    )


@requires("plans")
def plan_acknowledgement(data: Dataset) -> AnalysisResult:
    """Who acknowledged (signed) which period's plan and when.

    Main table per period x manager (managers' plan rows only): ``key, period, manager_id,
    manager_name, rows, acknowledged_rows, acknowledged (all rows), acknowledged_at (latest)``.
    Table ``summary``: ``manager_periods, acknowledged, share``.
    """
    p = data.plans.loc[data.plans["manager_id"].notna()]
    if p.empty:
        return not_enough_data("plan_acknowledgement", "the plan has no per-manager rows")
    p = p.assign(period=months_of(p["period"]), ack=p["acknowledged_at"].notna())
    g = p.groupby(["period", "manager_id"])
    main = pd.DataFrame(
        {
            "rows": g.size(),
            "acknowledged_rows": g["ack"].sum().astype("int64"),
            "acknowledged_at": g["acknowledged_at"].max(),
        }
    ).reset_index()
    main["acknowledged"] = main["acknowledged_rows"] == main["rows"]
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main["key"] = month_key(main["period"]) + "|" + main["manager_id"]
    main = main[
        [
            "key",
            "period",
            "manager_id",
            "manager_name",
            "rows",
            "acknowledged_rows",
            "acknowledged",
            "acknowledged_at",
        ]
    ]
    summary = pd.DataFrame(
        {
            "manager_periods": [len(main)],
            "acknowledged": [int(main["acknowledged"].sum())],
            "share": [float(main["acknowledged"].mean())],
        }
    )
    ev = evidence(month_key(p["period"]) + "|" + p["manager_id"], "plans", plan_record_ids(p))
    return AnalysisResult(
        name="plan_acknowledgement", tables={"main": main, "summary": summary}, evidence=ev
    )
