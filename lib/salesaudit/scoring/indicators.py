"""Data indicators: numbers taken from the analyses and judged against the checklist's thresholds.

Each indicator id in ``checklist/thresholds.yaml`` has an extractor here that reads the analysis
tables (their documented columns) and returns the value plus the numbers and evidence keys used.
An indicator whose analysis is missing or has too little data is ``insufficient_data`` with a
message and no score. Scoring against the reference range is linear: 100 at ``good`` (or
better), 0 at ``bad`` (or worse); verdict ``good`` / ``warn`` / ``bad``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult
from salesaudit.scoring.checklist import Checklist, IndicatorDef
from salesaudit.scoring.result import Indicator

#: cap of record ids listed as evidence per indicator
MAX_EVIDENCE_RECORDS = 50
#: managers need at least this many closed deals to enter the win-rate spread
MIN_CLOSED_DEALS = 20
#: complete plan periods looked at (the latest ones)
PLAN_PERIODS = 6
TEAM = "team"


#: why an indicator is n/a, as a code findings rules and the report can use
#: (``{indicator: ID, reason: no_head_of_sales}``)
REASONS = (
    "insufficient_data",
    "no_head_of_sales",
    "no_owner",
    "no_open_deals",
    "no_tasks",
    "no_meetings",
    "no_planned_activities",
    "no_revenue",
    "no_results",
    "no_staff_roles",
)


class Unavailable(Exception):
    """An indicator cannot be computed from the analyses (the message says why, ``reason`` gives
    the code: one of :data:`REASONS`)."""

    def __init__(self, message: str, reason: str = "insufficient_data") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Measurement:
    """What an extractor returns: the value, the numbers behind it and evidence keys."""

    value: float
    numbers: dict[str, Any] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)


def _result(analyses: Mapping[str, AnalysisResult], name: str) -> AnalysisResult:
    res = analyses.get(name)
    if res is None:
        raise Unavailable(f"analysis {name!r} was not run")
    if not res.ok:
        raise Unavailable(f"{name}: {res.message or 'insufficient data'}")
    return res


def _table(res: AnalysisResult, table: str, columns: list[str]) -> pd.DataFrame:
    df = res.tables.get(table)
    if df is None or df.empty:
        raise Unavailable(f"{res.name}: table {table!r} is empty")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise Unavailable(f"{res.name}: table {table!r} lacks column(s) {', '.join(missing)}")
    return df


def _f(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _keys(s: pd.Series) -> list[str]:
    return [str(k) for k in s.dropna().tolist()]


def _complete_plan_rows(analyses: Mapping[str, AnalysisResult]) -> tuple[pd.DataFrame, bool]:
    res = _result(analyses, "plan_fact")
    cols = ["key", "period", "manager_id", "is_total", "plan", "fact", "pct_done", "running"]
    df = _table(res, "main", cols + ["wd_left"])
    df = df.loc[df["plan"].astype("float64") > 0]
    if df["fact"].isna().all():
        raise Unavailable(f"plan_fact: {res.message or 'no fact for the plan'}")
    past = df.loc[~df["running"].astype(bool) & (df["wd_left"].fillna(0) == 0)]
    if past.empty:
        raise Unavailable("plan_fact: no complete planned period yet")
    periods = sorted(past["period"].unique())[-PLAN_PERIODS:]
    return past.loc[past["period"].isin(periods)], True


def _iqr(values: pd.Series) -> float:
    """75th minus 25th percentile (linear interpolation)."""
    return float(values.quantile(0.75) - values.quantile(0.25))


def _plan_spread(a: Mapping[str, AnalysisResult]) -> Measurement:
    rows, _ = _complete_plan_rows(a)
    mgr = rows.loc[~rows["is_total"].astype(bool)]
    if mgr["manager_id"].nunique() < 3:
        raise Unavailable("plan_fact: fewer than three managers with a plan")
    g = mgr.groupby("manager_id")
    pct = (g["fact"].sum() * 100.0 / g["plan"].sum()).sort_values(kind="mergesort")
    return Measurement(
        _iqr(pct),
        {
            "periods": len(mgr["period"].unique()),
            "managers": len(pct),
            "p25": round(float(pct.quantile(0.25)), 2),
            "p75": round(float(pct.quantile(0.75)), 2),
            "lowest": {"manager": str(pct.index[0]), "pct": round(float(pct.iloc[0]), 2)},
            "highest": {"manager": str(pct.index[-1]), "pct": round(float(pct.iloc[-1]), 2)},
        },
        _keys(mgr.loc[mgr["manager_id"].isin([pct.index[0], pct.index[-1]]), "key"]),
    )


def _plan_fulfilment(a: Mapping[str, AnalysisResult]) -> Measurement:
    rows, _ = _complete_plan_rows(a)
    mgr = rows.loc[~rows["is_total"].astype(bool)]
    # managers' rows when the plan is per manager: the department total would also count the
    # revenue of people without a plan (owner, head of sales) against it
    use = mgr if len(mgr) else rows.loc[rows["is_total"].astype(bool)]
    if use.empty:
        raise Unavailable("plan_fact: no plan rows")
    plan, fact = float(use["plan"].sum()), float(use["fact"].sum())
    return Measurement(
        fact * 100.0 / plan,
        {
            "periods": len(use["period"].unique()),
            "basis": "managers' plans" if len(mgr) else "department plan",
            "plan": round(plan, 2),
            "fact": round(fact, 2),
        },
        _keys(use["key"]),
    )


#: overdue items count when due within this many days (the activity summary's 3-month window)
OVERDUE_WINDOW_DAYS = 92


def _overdue_tasks(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "overdue_tasks")
    tasks = res.tables.get("tasks")
    if tasks is None or "days_overdue" not in tasks:
        raise Unavailable("overdue_tasks: no task table")
    act = _table(_result(a, "activity"), "main", ["done"])
    main = res.tables.get("main")
    open_total = (
        float(main["open_total"].sum())
        if main is not None and "open_total" in main and len(main)
        else 0.0
    )
    if tasks.empty and open_total <= 0:
        raise Unavailable(
            "overdue_tasks: the export holds no planned or overdue activities (only done ones), "
            "so 0 overdue says nothing about task discipline",
            "no_tasks",
        )
    recent = tasks.loc[tasks["days_overdue"].fillna(0) <= OVERDUE_WINDOW_DAYS]
    done = float(act["done"].sum())
    total = done + len(recent)
    if total <= 0:
        raise Unavailable("activity: no activities in the last 3 months")
    return Measurement(
        len(recent) * 100.0 / total,
        {
            "overdue_recent": len(recent),
            "done_recent": int(done),
            "overdue_all": len(tasks),
            "window_days": OVERDUE_WINDOW_DAYS,
        },
        _keys(recent["key"]),
    )


def _suspect_managers(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "credibility")
    main = _table(res, "main", ["manager_id", "meetings", "level", "score", "reasons"])
    main = main.loc[main["meetings"].fillna(0) > 0]
    if main.empty:
        raise Unavailable(
            "credibility: no done meetings, so no manager can be checked for drawn meetings",
            "no_meetings",
        )
    high = main.loc[main["level"].eq("high")]
    keys = []
    for _, r in high.iterrows():
        keys += [
            f"{r['manager_id']}|{s.strip()}" for s in str(r["reasons"]).split(";") if s.strip()
        ]
    return Measurement(
        len(high) * 100.0 / len(main),
        {
            "managers": len(main),
            "high_risk": sorted(high["manager_id"].astype(str).tolist()),
            "scores": {str(r["manager_id"]): _f(r["score"]) for _, r in high.iterrows()},
        },
        keys,
    )


def _late_logging(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "credibility")
    main = _table(res, "main", ["manager_id", "meetings", "late_share"])
    n = float(main["meetings"].sum())
    if n <= 0:
        raise Unavailable("credibility: no meetings", "no_meetings")
    late = float((main["late_share"].fillna(0) * main["meetings"]).sum())
    return Measurement(
        late * 100.0 / n,
        {"meetings": int(n), "logged_late": int(round(late))},
        [f"{m}|late_share" for m in main["manager_id"].astype(str)],
    )


def _stalled(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "stalled_deals")
    stalled = res.tables.get("main", pd.DataFrame(columns=["key"]))
    fun = _table(_result(a, "funnel"), "main", ["manager_id", "open"])
    team = fun.loc[fun["manager_id"].eq(TEAM)]
    open_deals = float(team["open"].iloc[0]) if len(team) else float(fun["open"].sum())
    if open_deals <= 0:
        raise Unavailable("funnel: no open deals, so 0 stalled deals says nothing", "no_open_deals")
    return Measurement(
        len(stalled) * 100.0 / open_deals,
        {"stalled": len(stalled), "open_deals": int(open_deals), "days": res.params.get("days")},
        _keys(stalled["key"]) if "key" in stalled else [],
    )


def _coverage(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "pipeline_coverage")
    main = _table(res, "main", ["manager_id", "pipeline", "remaining_plan", "coverage", "verdict"])
    team = main.loc[main["manager_id"].eq(TEAM)]
    if team.empty:
        raise Unavailable("pipeline_coverage: no team row")
    r = team.iloc[0]
    if r["verdict"] == "no_plan":
        raise Unavailable("pipeline_coverage: no revenue plan for the running month")
    if r["verdict"] == "plan_done":
        raise Unavailable("pipeline_coverage: the running month's plan is already met")
    cov = _f(r["coverage"])
    if cov is None:
        raise Unavailable("pipeline_coverage: coverage undefined")
    return Measurement(
        cov,
        {
            "pipeline": _f(r["pipeline"]),
            "remaining_plan": _f(r["remaining_plan"]),
            "required_coverage": _f(r.get("required_coverage")),
        },
        [TEAM],
    )


#: plan_structure aspects counted as breadth (beyond period x employee x money)
BREADTH_DIMENSIONS = ("client", "brand", "product", "route", "units")


def _plan_breadth(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "plan_structure")
    main = _table(res, "main", ["aspect", "kind", "present"])
    present = main.loc[main["present"].astype(bool)]
    dims = present.loc[
        present["kind"].eq("dimension") & present["aspect"].isin(BREADTH_DIMENSIONS), "aspect"
    ].tolist()
    metrics = present.loc[present["kind"].eq("metric"), "aspect"].tolist()
    return Measurement(
        float(len(dims) + len(metrics)),
        {"dimensions": sorted(dims), "non_money_metrics": sorted(metrics)},
        sorted(dims + metrics),
    )


def _plan_ack(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "plan_acknowledgement")
    summ = _table(res, "summary", ["manager_periods", "acknowledged", "share"])
    main = res.tables.get("main", pd.DataFrame(columns=["key", "acknowledged"]))
    share = _f(summ["share"].iloc[0])
    if share is None:
        raise Unavailable("plan_acknowledgement: no manager plans")
    not_ack = main.loc[~main["acknowledged"].astype(bool), "key"] if len(main) else main["key"]
    return Measurement(
        share * 100.0,
        {
            "manager_periods": int(summ["manager_periods"].iloc[0]),
            "acknowledged": int(summ["acknowledged"].iloc[0]),
        },
        _keys(not_ack),
    )


def _forecast_error(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "forecast_backtest")
    summ = _table(res, "summary", ["manager_id", "months", "mape"])
    team = summ.loc[summ["manager_id"].eq(TEAM)]
    mape = _f(team["mape"].iloc[0]) if len(team) else None
    if mape is None:
        raise Unavailable("forecast_backtest: no team MAPE")
    main = res.tables.get("main", pd.DataFrame(columns=["key", "manager_id"]))
    return Measurement(
        mape,
        {"months": int(team["months"].iloc[0])},
        _keys(main.loc[main["manager_id"].eq(TEAM), "key"]) if len(main) else [],
    )


def _result_recorded(a: Mapping[str, AnalysisResult]) -> Measurement:
    """Share of done activities with a result, over those whose result was exported
    (``done_with_known_result``; tables without that column: every done activity)."""
    res = _result(a, "activity")
    main = _table(res, "main", ["key", "done", "no_result_share"])
    total = float(main["done"].sum())
    if total <= 0:
        raise Unavailable("activity: no done activities")
    known = main["done_with_known_result"] if "done_with_known_result" in main else main["done"]
    done = float(known.fillna(0).sum())
    if done <= 0:
        raise Unavailable(
            "activity: the export of activities holds no results (no result column, or one "
            "empty in every row), so the share of activities with a result is not assessed",
            "no_results",
        )
    no_result = float((main["no_result_share"].fillna(0) * known.fillna(0)).sum())
    worst = main.sort_values("no_result_share", ascending=False, kind="mergesort").head(5)
    numbers = {"done": int(done), "without_result": int(round(no_result))}
    if done < total:  # part of the export carried no results: left out, and said so
        numbers["result_not_exported"] = int(round(total - done))
    return Measurement(100.0 - no_result * 100.0 / done, numbers, _keys(worst["key"]))


def _agenda(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "day_agenda")
    main = _table(res, "main", ["manager_id", "today", "next_day"])
    if float((main["today"] + main["next_day"]).sum()) <= 0:
        ot = a.get("overdue_tasks")
        ot_main = ot.tables.get("main") if ot is not None and ot.ok else None
        has_planned = (
            ot_main is not None
            and "open_total" in ot_main
            and float(ot_main["open_total"].sum()) > 0
        )
        if not has_planned:
            raise Unavailable(
                "day_agenda: the export holds no planned activities at all, so an empty "
                "agenda may only mean that planned meetings were not exported",
                "no_planned_activities",
            )
    planned = main.loc[(main["today"] + main["next_day"]) > 0, "manager_id"].astype(str).tolist()
    missing = main.loc[(main["today"] + main["next_day"]) == 0, "manager_id"].astype(str).tolist()
    return Measurement(
        len(planned) * 100.0 / len(main),
        {"managers": len(main), "without_meetings": sorted(missing)},
        planned,
    )


def _funnel_managers(a: Mapping[str, AnalysisResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    main = _table(_result(a, "funnel"), "main", ["manager_id", "won", "lost", "win_rate"])
    return main.loc[main["manager_id"].eq(TEAM)], main.loc[~main["manager_id"].eq(TEAM)]


def _win_rate(a: Mapping[str, AnalysisResult]) -> Measurement:
    team, _ = _funnel_managers(a)
    if team.empty or _f(team["win_rate"].iloc[0]) is None:
        raise Unavailable("funnel: no closed deals")
    r = team.iloc[0]
    return Measurement(
        float(r["win_rate"]) * 100.0, {"won": int(r["won"]), "lost": int(r["lost"])}, [TEAM]
    )


def _conversion_spread(a: Mapping[str, AnalysisResult]) -> Measurement:
    _, mgr = _funnel_managers(a)
    mgr = mgr.loc[(mgr["won"] + mgr["lost"]) >= MIN_CLOSED_DEALS]
    if len(mgr) < 3:
        raise Unavailable(
            f"funnel: fewer than three managers with {MIN_CLOSED_DEALS}+ closed deals"
        )
    mgr = mgr.sort_values(["win_rate", "manager_id"], kind="mergesort")
    rates = mgr["win_rate"].astype("float64") * 100.0
    lo, hi = mgr.iloc[0], mgr.iloc[-1]
    return Measurement(
        _iqr(rates),
        {
            "managers": len(mgr),
            "p25": round(float(rates.quantile(0.25)), 2),
            "p75": round(float(rates.quantile(0.75)), 2),
            "lowest": {
                "manager": str(lo["manager_id"]),
                "win_rate": round(float(lo["win_rate"]) * 100, 2),
            },
            "highest": {
                "manager": str(hi["manager_id"]),
                "win_rate": round(float(hi["win_rate"]) * 100, 2),
            },
        },
        [str(lo["manager_id"]), str(hi["manager_id"])],
    )


def _refusal_skew(a: Mapping[str, AnalysisResult]) -> Measurement:
    res = _result(a, "refusals")
    summ = _table(
        res,
        "summary",
        ["manager_id", "refusals", "dominant_reason", "dominant_share", "team_share_of_dominant"],
    )
    min_n = int(res.params.get("min_refusals", 10))
    s = summ.loc[summ["refusals"] >= min_n]
    if s.empty:
        raise Unavailable(f"refusals: no manager with {min_n}+ refusals")
    excess = (s["dominant_share"] - s["team_share_of_dominant"]).fillna(0) * 100.0
    s = s.assign(excess=excess).sort_values(["excess", "manager_id"], ascending=[False, True])
    top = s.iloc[0]
    flagged = s.loc[s["flagged"].astype(bool)] if "flagged" in s else s.iloc[0:0]
    return Measurement(
        float(top["excess"]),
        {
            "manager": str(top["manager_id"]),
            "dominant_reason": str(top["dominant_reason"]),
            "dominant_share": round(float(top["dominant_share"]) * 100, 2),
            "team_share": round(float(top["team_share_of_dominant"]) * 100, 2),
            "flagged_managers": sorted(flagged["manager_id"].astype(str).tolist()),
        },
        [f"{top['manager_id']}|{top['dominant_reason']}"],
    )


def _training_effect(a: Mapping[str, AnalysisResult]) -> Measurement:
    """The lift in conversion (percentage points) after the weakest judged training, with its
    95 % interval. The lift does not saturate (+17 pp and +3 pp stay apart, unlike a share of
    trainings that "paid off"), and taking the weakest training keeps one that did not pay off
    from being averaged away by another that did. Inconclusive trainings (too few deals) are
    left out."""
    res = _result(a, "training_effect")
    main = _table(res, "main", ["key", "diff_pp", "verdict"])
    judged = main.loc[main["verdict"].isin(["improved", "no_change", "worse"])]
    judged = judged.loc[judged["diff_pp"].notna()]
    if judged.empty:
        raise Unavailable("training_effect: every training is inconclusive (too few deals)")
    judged = judged.sort_values(["diff_pp", "key"], kind="mergesort")
    w = judged.iloc[0]
    improved = int(judged["verdict"].eq("improved").sum())

    def ci(c: str) -> float | None:
        v = _f(w.get(c))
        return None if v is None else round(v, 2)

    topic = str(w["topic"]) if "topic" in w and pd.notna(w["topic"]) else str(w["key"])
    return Measurement(
        float(w["diff_pp"]),
        {
            "trainings": len(judged),
            "improved": improved,
            "weakest": {
                "key": str(w["key"]),
                "topic": topic,
                "lift_pp": round(float(w["diff_pp"]), 2),
                "ci_low_pp": ci("ci_low_pp"),
                "ci_high_pp": ci("ci_high_pp"),
                "verdict": str(w["verdict"]),
                "rate_before": _f(w.get("rate_before")),
                "rate_after": _f(w.get("rate_after")),
            },
            "lifts_pp": {
                str(r["key"]): round(float(r["diff_pp"]), 2) for _, r in judged.iterrows()
            },
            "verdicts": {str(k): int(v) for k, v in judged["verdict"].value_counts().items()},
        },
        [
            f"{k}|{c}"
            for k in _keys(judged["key"])
            for c in ("n_before", "x_before", "n_after", "x_after")
        ],
    )


#: why the head-of-sales indicators are n/a when the staff list has nobody in that role
NO_HEAD_OF_SALES = (
    "delegation: nobody has the role head_of_sales in the staff list (managers table), so the "
    "head's own selling cannot be measured; a missing head of sales is itself a finding"
)
NO_OWNER = (
    "delegation: nobody has the role owner in the staff list (managers table), so the owner's "
    "share of sales cannot be measured; mark the owner's row role: owner"
)


NO_STAFF_ROLES = (
    "delegation: no staff list with roles was given (managers taken from the names in the "
    "exports, all with the role manager), so the owner's and the head of sales' selling cannot "
    "be told apart; give the staff list with a role column"
)


def _role_row(a: Mapping[str, AnalysisResult], role: str, columns: list[str]) -> pd.Series | None:
    res = _result(a, "delegation")
    if not res.params.get("staff_roles", True):
        raise Unavailable(NO_STAFF_ROLES, "no_staff_roles")
    main = _table(res, "main", ["role", "people"] + columns)
    rows = main.loc[main["role"].eq(role) & (main["people"].fillna(0).astype(int) > 0)]
    return rows.iloc[0] if len(rows) else None


def _owner_top(a: Mapping[str, AnalysisResult]) -> Measurement:
    """The owner's share of the REVENUE of the top-20 % clients (by revenue, last 12 months):
    concentration is measured in money, not by counting clients."""
    r = _role_row(a, "owner", ["top_clients", "top_clients_revenue", "top_clients_revenue_share"])
    params = _result(a, "delegation").params
    total = params.get("top_clients_total")
    if r is None:
        raise Unavailable(NO_OWNER, "no_owner")
    share = _f(r["top_clients_revenue_share"])
    if share is None:
        raise Unavailable("delegation: no revenue with clients in the window", "no_revenue")
    return Measurement(
        share * 100.0,
        {
            "owner_top_clients": int(r["top_clients"]),
            "top_clients_total": total,
            "owner_top_revenue": _f(r["top_clients_revenue"]),
            "months": params.get("months"),
        },
        ["owner|top_clients"],
    )


def _owner_revenue(a: Mapping[str, AnalysisResult]) -> Measurement:
    r = _role_row(a, "owner", ["revenue", "revenue_share"])
    if r is None:
        raise Unavailable(NO_OWNER, "no_owner")
    share = _f(r["revenue_share"])
    if share is None:
        raise Unavailable("delegation: no revenue in the window", "no_revenue")
    return Measurement(
        share * 100.0,
        {
            "owner_revenue": _f(r["revenue"]),
            "months": _result(a, "delegation").params.get("months"),
        },
        ["owner|revenue"],
    )


def _head_sales(a: Mapping[str, AnalysisResult]) -> Measurement:
    r = _role_row(a, "head_of_sales", ["revenue", "revenue_share"])
    if r is None:
        raise Unavailable(NO_HEAD_OF_SALES, "no_head_of_sales")
    share = _f(r["revenue_share"])
    if share is None:
        raise Unavailable("delegation: no revenue in the window", "no_revenue")
    return Measurement(
        share * 100.0,
        {"head_revenue": _f(r["revenue"]), "months": _result(a, "delegation").params.get("months")},
        ["head_of_sales|revenue"],
    )


def _head_selling(a: Mapping[str, AnalysisResult]) -> Measurement:
    r = _role_row(
        a, "head_of_sales", ["selling_activities", "management_activities", "selling_share"]
    )
    if r is None:
        raise Unavailable(NO_HEAD_OF_SALES, "no_head_of_sales")
    share = _f(r["selling_share"])
    if share is None:
        raise Unavailable("delegation: the head of sales has no logged activities")
    return Measurement(
        share * 100.0,
        {
            "selling_activities": int(r["selling_activities"]),
            "management_activities": int(r["management_activities"]),
        },
        ["head_of_sales|selling"],
    )


#: indicator id -> extractor
EXTRACTORS: dict[str, Callable[[Mapping[str, AnalysisResult]], Measurement]] = {
    "p1.plan_spread": _plan_spread,
    "p1.overdue_tasks": _overdue_tasks,
    "p1.suspect_managers": _suspect_managers,
    "p2.plan_fulfilment": _plan_fulfilment,
    "p2.stalled_deals": _stalled,
    "p2.pipeline_coverage": _coverage,
    "p3.plan_breadth": _plan_breadth,
    "p3.plan_acknowledged": _plan_ack,
    "p3.forecast_error": _forecast_error,
    "p4.result_recorded": _result_recorded,
    "p4.late_logging": _late_logging,
    "p4.agenda_planned": _agenda,
    "p5.win_rate": _win_rate,
    "p5.conversion_spread": _conversion_spread,
    "p5.refusal_skew": _refusal_skew,
    "p5.training_effect": _training_effect,
    "p6.owner_top_clients": _owner_top,
    "p6.owner_revenue": _owner_revenue,
    "p7.head_own_sales": _head_sales,
    "p7.head_selling_share": _head_selling,
}


def score_value(value: float, good: float, bad: float) -> float:
    """Linear score 0..100: 100 at ``good`` or better, 0 at ``bad`` or worse (either direction)."""
    if good == bad:
        raise ValueError("good and bad must differ")
    return float(np.clip((value - bad) / (good - bad), 0.0, 1.0) * 100.0)


def verdict_of(score: float) -> str:
    """good (score 100), bad (score 0), warn in between."""
    if score >= 100.0:
        return "good"
    if score <= 0.0:
        return "bad"
    return "warn"


def _records(res: AnalysisResult | None, keys: list[str]) -> tuple[list[str], int]:
    if res is None or not keys or res.evidence is None or res.evidence.empty:
        return [], 0
    ev = res.evidence
    hit = ev.loc[ev["key"].astype(str).isin(set(keys)), ["table", "record_id"]].drop_duplicates()
    ids = (hit["table"].astype(str) + ":" + hit["record_id"].astype(str)).tolist()
    return ids[:MAX_EVIDENCE_RECORDS], len(ids)


def judge(defn: IndicatorDef, value: float) -> tuple[float, str]:
    """(score, verdict) of a value against an indicator's reference range."""
    s = score_value(value, defn.good, defn.bad)
    return s, verdict_of(s)


def compute_indicators(
    analyses: Mapping[str, AnalysisResult],
    thresholds: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    checklist: Checklist,
) -> list[Indicator]:
    """Every indicator of the checklist, in checklist order, computed from the analyses.

    ``thresholds`` are per-engagement overrides (``report.yaml`` ``thresholds:``; indicator id ->
    ``{good, bad, weight, source}``). An indicator that cannot be computed has status
    ``insufficient_data``, verdict ``n/a``, score None and a message saying why. Evidence:
    ``{"analysis", "keys", "records" (``table:record_id``, at most 50), "records_total",
    "numbers"}``.
    """
    cl = checklist.with_thresholds(thresholds)
    out = []
    for d in cl.indicators:
        reference = {
            "good": d.good,
            "bad": d.bad,
            "direction": d.direction,
            "source": d.source,
        }
        extractor = EXTRACTORS.get(d.measure or d.id)
        try:
            if extractor is None:
                raise Unavailable(f"no computation named {d.measure!r}")
            m = extractor(analyses)
            value = _f(m.value)
            if value is None:
                raise Unavailable(f"{d.analysis}: value undefined")
        except Unavailable as exc:
            out.append(
                Indicator(
                    id=d.id,
                    area=d.area,
                    label=dict(d.label),
                    value=None,
                    unit=d.unit,
                    status="insufficient_data",
                    verdict="n/a",
                    score=None,
                    weight=d.weight,
                    reference=reference,
                    evidence={"analysis": d.analysis},
                    message=str(exc),
                    reason=exc.reason,
                )
            )
            continue
        score, verdict = judge(d, value)
        keys = sorted(dict.fromkeys(m.keys))
        records, total = _records(analyses.get(d.analysis), keys)
        out.append(
            Indicator(
                id=d.id,
                area=d.area,
                label=dict(d.label),
                value=round(value, 4),
                unit=d.unit,
                status="ok",
                verdict=verdict,
                score=round(score, 2),
                weight=d.weight,
                reference=reference,
                evidence={
                    "analysis": d.analysis,
                    "keys": keys[:MAX_EVIDENCE_RECORDS],
                    "records": records,
                    "records_total": total,
                    "numbers": m.numbers,
                },
            )
        )
    return out
