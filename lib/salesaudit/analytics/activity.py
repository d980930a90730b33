"""Managers' activity, the day agenda, the funnel, stalled deals, overdue tasks and pipeline coverage.

The method's "instruments" view of the sales department: how many calls / meetings / proposals
each manager makes, who really goes to clients and who "imitates activity on the phone", what is
planned today and tomorrow and how yesterday's meetings went, conversion and win rate, deals left
without attention, and whether the open pipeline covers what is left of the month's plan.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    add_months,
    client_names,
    concat_evidence,
    done_activities,
    end_of_day,
    evidence,
    manager_names,
    month_end,
    month_key,
    month_start,
    months_of,
    name_of,
    safe_div,
    ts,
)
from salesaudit.analytics.calendar import is_working_day, working_days_per_month
from salesaudit.analytics.planfact import plan_fact
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import RESULT_NOT_EXPORTED

__all__ = [
    "activity_summary",
    "day_agenda",
    "funnel",
    "stalled_deals",
    "overdue_tasks",
    "pipeline_coverage",
    "conversion_links",
    "meeting_converted",
    "previous_working_day",
    "next_working_day",
]

_TYPES = ("call", "meeting", "email", "proposal", "demo")
TEAM = "team"


def previous_working_day(d: dt.date) -> dt.date:
    """The last working day strictly before ``d``."""
    d = ts(d).date() - dt.timedelta(days=1)
    while not is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


def next_working_day(d: dt.date) -> dt.date:
    """The first working day strictly after ``d``."""
    d = ts(d).date() + dt.timedelta(days=1)
    while not is_working_day(d):
        d += dt.timedelta(days=1)
    return d


@requires("activities")
def activity_summary(data: Dataset, *, as_of: dt.date, months: int = 3) -> AnalysisResult:
    """Done activities per manager and month over the last ``months`` calendar months (the month of
    ``as_of`` included, counted up to ``as_of``).

    Main columns: ``key, manager_id, manager_name, month, calls, meetings, emails, proposals,
    demos, done, field_share (meetings / (meetings + calls)), done_with_known_result (done whose
    result was exported: result not 'unknown'), no_result_share (done with result 'none' /
    done_with_known_result; NaN when no result is known), working_days, calls_per_day,
    meetings_per_day, activities_per_day``. Evidence: key -> the activity_ids counted.
    """
    params = {"as_of": str(as_of), "months": months}
    start = add_months(ts(as_of), -(months - 1))
    a = done_activities(data, as_of)
    a = a.loc[a["occurred_at"] >= start]
    if a.empty:
        return not_enough_data("activity_summary", "no done activities in the window", **params)
    month = months_of(a["occurred_at"])
    # 'unknown' = the export carried no result: neither "without a result" nor with one
    known = a["result"].ne(RESULT_NOT_EXPORTED)
    a = a.assign(month=month, no_result=a["result"].eq("none"), known=known)
    counts = a.groupby(["manager_id", "month", "type"]).size().unstack("type", fill_value=0)
    counts = counts.reindex(columns=list(_TYPES), fill_value=0)
    counts.columns = [f"{t}s" for t in _TYPES]
    g = a.groupby(["manager_id", "month"])
    main = (
        counts.join(g.size().rename("done"))
        .join(g["known"].sum().astype("int64").rename("done_with_known_result"))
        .join(g["no_result"].sum().rename("no_result"))
    )
    main = main.reset_index()
    wd = working_days_per_month(start.date(), as_of)
    main["working_days"] = main["month"].map(wd).fillna(0).astype("int64")
    main["field_share"] = safe_div(main["meetings"], main["meetings"] + main["calls"])
    main["no_result_share"] = safe_div(
        main["no_result"].astype("float64"), main["done_with_known_result"].astype("float64")
    )
    wdf = main["working_days"].astype("float64")
    main["calls_per_day"] = safe_div(main["calls"], wdf)
    main["meetings_per_day"] = safe_div(main["meetings"], wdf)
    main["activities_per_day"] = safe_div(main["done"], wdf)
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main["key"] = main["manager_id"] + "|" + month_key(main["month"])
    cols = [
        "key",
        "manager_id",
        "manager_name",
        "month",
        "calls",
        "meetings",
        "emails",
        "proposals",
        "demos",
        "done",
        "field_share",
        "done_with_known_result",
        "no_result_share",
        "working_days",
        "calls_per_day",
        "meetings_per_day",
        "activities_per_day",
    ]
    main = main[cols].sort_values(["manager_id", "month"]).reset_index(drop=True)
    ev = evidence(a["manager_id"] + "|" + month_key(a["month"]), "activities", a["activity_id"])
    return AnalysisResult(
        name="activity_summary", tables={"main": main}, evidence=ev, params=params
    )


@requires("activities")
def day_agenda(data: Dataset, *, as_of: dt.date) -> AnalysisResult:
    """Meetings planned for ``as_of`` and the next working day, and outcomes of the previous
    working day's meetings.

    Table ``meetings``: ``key (activity_id), day ('today'|'next'|'previous'), date, manager_id,
    manager_name, client_id, client_name, occurred_at, status, result, comment``. Main table per
    manager: ``key, manager_id, manager_name, today, next_day, previous_day, previous_done,
    previous_agreed, previous_refused, previous_no_result`` (previous_done = done meetings of the
    previous working day; previous_no_result = done with result 'none').
    """
    today = ts(as_of)
    nxt = ts(next_working_day(as_of))
    prev = ts(previous_working_day(as_of))
    params = {"as_of": str(as_of), "next_day": str(nxt.date()), "previous_day": str(prev.date())}
    a = data.activities.loc[data.activities["type"].eq("meeting")]
    day = a["occurred_at"].dt.normalize()
    label = pd.Series(None, index=a.index, dtype=object)
    label[day.eq(today)] = "today"
    label[day.eq(nxt)] = "next"
    label[day.eq(prev)] = "previous"
    sel = a.loc[label.notna()].assign(day=label[label.notna()], date=day[label.notna()])
    sel = sel.assign(
        manager_name=name_of(sel["manager_id"], manager_names(data)),
        client_name=name_of(sel["client_id"], client_names(data)),
        key=sel["activity_id"],
    )
    meetings = sel[
        [
            "key",
            "day",
            "date",
            "manager_id",
            "manager_name",
            "client_id",
            "client_name",
            "occurred_at",
            "status",
            "result",
            "comment",
        ]
    ]
    meetings = meetings.sort_values(["date", "manager_id", "occurred_at"]).reset_index(drop=True)
    p = sel.loc[sel["day"].eq("previous")]
    done = p["status"].eq("done")
    per = (
        pd.DataFrame(
            {
                "today": sel["day"].eq("today"),
                "next_day": sel["day"].eq("next"),
                "previous_day": sel["day"].eq("previous"),
                "previous_done": sel["day"].eq("previous") & sel["status"].eq("done"),
                "previous_agreed": sel.index.isin(p.index[done & p["result"].eq("agreed")]),
                "previous_refused": sel.index.isin(p.index[done & p["result"].eq("refused")]),
                "previous_no_result": sel.index.isin(p.index[done & p["result"].eq("none")]),
            },
            index=sel.index,
        )
        .groupby(sel["manager_id"])
        .sum()
        .astype("int64")
    )
    managers = data.managers["manager_id"] if data.has("managers") else pd.Series(dtype=object)
    all_ids = pd.Index(
        pd.concat([managers, sel["manager_id"]]).dropna().unique(), name="manager_id"
    )
    main = per.reindex(all_ids, fill_value=0).reset_index()
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = (
        main[
            [
                "key",
                "manager_id",
                "manager_name",
                "today",
                "next_day",
                "previous_day",
                "previous_done",
                "previous_agreed",
                "previous_refused",
                "previous_no_result",
            ]
        ]
        .sort_values("manager_id")
        .reset_index(drop=True)
    )
    ev = concat_evidence(
        [
            evidence(sel["manager_id"], "activities", sel["activity_id"]),
            evidence(sel["activity_id"], "activities", sel["activity_id"]),
        ]
    )
    return AnalysisResult(
        name="day_agenda", tables={"main": main, "meetings": meetings}, evidence=ev, params=params
    )


def conversion_links(
    deals: pd.DataFrame, acts: pd.DataFrame, act_type: str, window_days: int = 30
) -> pd.DataFrame:
    """For each deal, the latest done activity of ``act_type`` with the same client in the
    ``window_days`` before (or at) its creation: ``[deal_id, activity_id]`` (activity_id None
    when there is none)."""
    d = deals.loc[
        deals["client_id"].notna() & deals["created"].notna(), ["deal_id", "client_id", "created"]
    ]
    m = acts.loc[
        acts["type"].eq(act_type) & acts["client_id"].notna(),
        ["activity_id", "client_id", "occurred_at"],
    ]
    if d.empty:
        return pd.DataFrame(
            {"deal_id": pd.Series([], dtype=object), "activity_id": pd.Series([], dtype=object)}
        )
    if m.empty:
        return pd.DataFrame({"deal_id": d["deal_id"].values, "activity_id": None})
    d = d.sort_values("created", kind="mergesort")
    m = m.sort_values("occurred_at", kind="mergesort")
    j = pd.merge_asof(
        d,
        m,
        left_on="created",
        right_on="occurred_at",
        by="client_id",
        direction="backward",
        tolerance=pd.Timedelta(days=window_days),
    )
    return j[["deal_id", "activity_id"]].reset_index(drop=True)


def meeting_converted(
    meetings: pd.DataFrame,
    deals: pd.DataFrame | None,
    window_days: int = 30,
    *,
    by_client: bool = True,
) -> pd.Series:
    """Per meeting: did it lead to a deal? True when the meeting carries a deal_id, or (with
    ``by_client``) a deal with the same client was created within ``window_days`` after it.
    Index preserved. Use ``by_client=False`` when the CRM links activities to deals, so that
    only the links count."""
    out = meetings["deal_id"].notna()
    if not by_client or deals is None or deals.empty:
        return out
    m = meetings.loc[~out & meetings["client_id"].notna(), ["client_id", "occurred_at"]]
    d = deals.loc[deals["client_id"].notna() & deals["created"].notna(), ["client_id", "created"]]
    if m.empty or d.empty:
        return out
    m = m.reset_index().sort_values("occurred_at", kind="mergesort")
    d = d.sort_values("created", kind="mergesort")
    j = pd.merge_asof(
        m,
        d,
        left_on="occurred_at",
        right_on="created",
        by="client_id",
        direction="forward",
        tolerance=pd.Timedelta(days=window_days),
    )
    hit = j.loc[j["created"].notna(), "index"].to_numpy()
    out = out.copy()
    out.loc[hit] = True
    return out


@requires("deals")
def funnel(data: Dataset, *, as_of: dt.date, window_days: int = 30) -> AnalysisResult:
    """Funnel per manager and for the team (``manager_id`` 'team') over deals created by ``as_of``.

    Columns: ``key, manager_id, manager_name, deals, won, lost, open, win_rate (won / (won +
    lost)), meetings, deals_after_meeting, meeting_to_deal, proposals, deals_after_proposal,
    proposal_to_deal, avg_deal (mean amount of won), cycle_days (median days created -> closed,
    won)``. ``meeting_to_deal`` = deals created within ``window_days`` after a done meeting with
    the same client (counted for the deal's manager) / the manager's done meetings; same for
    proposals.
    """
    params = {"as_of": str(as_of), "window_days": window_days}
    eod = end_of_day(as_of)
    d = data.deals.loc[data.deals["created"] <= eod]
    if d.empty:
        return not_enough_data("funnel", "no deals created by as_of", **params)
    # outcomes as known at as_of: a deal closed after as_of is still open then
    closed_by = d["closed"].notna() & (d["closed"] <= eod)
    outcome = d["outcome"].where(closed_by | d["outcome"].eq("open"), "open")
    d = d.assign(outcome_at=outcome)
    acts = done_activities(data, as_of) if data.has("activities") else None
    # per activity type: its done activities and the deals created after one (the same for
    # the per-manager and the team rows, so computed once)
    conversions: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    if acts is not None:
        for t in ("meeting", "proposal"):
            aa = acts.loc[acts["type"].eq(t)]
            links = conversion_links(d, aa, t, window_days).dropna(subset=["activity_id"])
            conversions[t] = (aa, d.loc[d["deal_id"].isin(links["deal_id"])])
    frames = []
    ev = []
    for key_col in ("manager_id", None):
        grp = d["manager_id"] if key_col else pd.Series(TEAM, index=d.index)
        g = d.groupby(grp)
        won = d["outcome_at"].eq("won")
        f = pd.DataFrame(
            {
                "deals": g.size(),
                "won": won.groupby(grp).sum(),
                "lost": d["outcome_at"].eq("lost").groupby(grp).sum(),
                "open": d["outcome_at"].eq("open").groupby(grp).sum(),
                "avg_deal": d["amount"].where(won).groupby(grp).mean(),
                "cycle_days": ((d["closed"] - d["created"]).dt.total_seconds() / 86400)
                .where(won)
                .groupby(grp)
                .median(),
            }
        )
        if acts is not None:
            for t, name in (("meeting", "meetings"), ("proposal", "proposals")):
                aa, linked = conversions[t]
                ag = aa["manager_id"] if key_col else pd.Series(TEAM, index=aa.index)
                f[name] = aa.groupby(ag).size()
                lg = linked["manager_id"] if key_col else pd.Series(TEAM, index=linked.index)
                f[f"deals_after_{t}"] = linked.groupby(lg).size()
                if key_col:
                    ev.append(
                        evidence(
                            linked["manager_id"] + "|deals_after_" + t, "deals", linked["deal_id"]
                        )
                    )
                    ev.append(
                        evidence(aa["manager_id"] + "|" + name, "activities", aa["activity_id"])
                    )
        frames.append(f)
    main = pd.concat(frames)
    main.index.name = "manager_id"
    main = main.reset_index()
    for c in ("meetings", "deals_after_meeting", "proposals", "deals_after_proposal"):
        if c not in main:
            main[c] = np.nan if acts is None else 0
        elif acts is not None:
            main[c] = main[c].fillna(0).astype("int64")
    for c in ("deals", "won", "lost", "open"):
        main[c] = main[c].fillna(0).astype("int64")
    main["win_rate"] = safe_div(
        main["won"].astype("float64"), (main["won"] + main["lost"]).astype("float64")
    )
    main["meeting_to_deal"] = safe_div(
        main["deals_after_meeting"].astype("float64"), main["meetings"].astype("float64")
    )
    main["proposal_to_deal"] = safe_div(
        main["deals_after_proposal"].astype("float64"), main["proposals"].astype("float64")
    )
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = main[
        [
            "key",
            "manager_id",
            "manager_name",
            "deals",
            "won",
            "lost",
            "open",
            "win_rate",
            "meetings",
            "deals_after_meeting",
            "meeting_to_deal",
            "proposals",
            "deals_after_proposal",
            "proposal_to_deal",
            "avg_deal",
            "cycle_days",
        ]
    ]
    is_team = main["manager_id"].eq(TEAM)
    main = pd.concat(
        [main.loc[~is_team].sort_values("manager_id"), main.loc[is_team]], ignore_index=True
    )
    ev.append(evidence(d["manager_id"], "deals", d["deal_id"]))
    ev.append(evidence(pd.Series(TEAM, index=d.index), "deals", d["deal_id"]))
    return AnalysisResult(
        name="funnel", tables={"main": main}, evidence=concat_evidence(ev), params=params
    )


@requires("deals")
def stalled_deals(
    data: Dataset, *, as_of: dt.date, days: int = 30, match: str = "auto"
) -> AnalysisResult:
    """Open deals with no done activity for at least ``days`` days up to ``as_of``.

    Which activities count for a deal (``match``): ``"deal"`` - those carrying its deal_id;
    ``"client"`` - those, plus any activity with the same client and manager; ``"auto"``
    (default) - ``"deal"`` when the activities are linked to deals at all (some done activity
    has a deal_id), else ``"client"`` (exports without deal links). With no activity at all the
    idle time counts from the deal's creation. Main columns: ``key (deal_id), deal_id,
    client_id, client_name, manager_id, manager_name, stage, amount, created, last_activity,
    days_idle``; table ``summary`` per manager ``[key, manager_id, stalled, amount]``.
    """
    if match not in ("auto", "deal", "client"):
        raise ParameterError(
            f"unknown match mode {match!r}", column="match", hint="use 'auto', 'deal' or 'client'"
        )
    params = {"as_of": str(as_of), "days": days, "match": match}
    eod = end_of_day(as_of)
    d = data.deals
    d = d.loc[(d["created"] <= eod) & (d["outcome"].eq("open") | (d["closed"] > eod))]
    last_by_deal = pd.Series(dtype="datetime64[ns]")
    last_by_cm = pd.Series(dtype="datetime64[ns]")
    if data.has("activities"):
        a = done_activities(data, as_of)
        linked = a["deal_id"].notna()
        mode = match if match != "auto" else ("deal" if linked.any() else "client")
        params["match_used"] = mode
        last_by_deal = a.loc[linked].groupby("deal_id")["occurred_at"].max()
        if mode == "client":
            cm = a["client_id"].notna()
            last_by_cm = a.loc[cm].groupby(["client_id", "manager_id"])["occurred_at"].max()
    by_deal = d["deal_id"].map(last_by_deal)
    if len(last_by_cm):
        idx = pd.MultiIndex.from_frame(d[["client_id", "manager_id"]])
        by_cm = pd.Series(last_by_cm.reindex(idx).to_numpy(), index=d.index)
    else:
        by_cm = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    last = pd.concat(
        [by_deal.astype("datetime64[ns]"), by_cm.astype("datetime64[ns]")], axis=1
    ).max(axis=1)
    ref = last.fillna(d["created"])
    idle = (ts(as_of) - ref.dt.normalize()).dt.days
    out = d.assign(last_activity=last, days_idle=idle)
    out = out.loc[out["days_idle"] >= days]
    out = out.assign(
        key=out["deal_id"],
        client_name=name_of(out["client_id"], client_names(data)),
        manager_name=name_of(out["manager_id"], manager_names(data)),
    )
    main = out[
        [
            "key",
            "deal_id",
            "client_id",
            "client_name",
            "manager_id",
            "manager_name",
            "stage",
            "amount",
            "created",
            "last_activity",
            "days_idle",
        ]
    ]
    main = main.sort_values(["days_idle", "deal_id"], ascending=[False, True]).reset_index(
        drop=True
    )
    summary = (
        main.groupby("manager_id")
        .agg(stalled=("deal_id", "size"), amount=("amount", "sum"))
        .reset_index()
    )
    summary.insert(0, "key", summary["manager_id"])
    ev = concat_evidence(
        [
            evidence(main["deal_id"], "deals", main["deal_id"]),
            evidence(main["manager_id"], "deals", main["deal_id"]),
        ]
    )
    return AnalysisResult(
        name="stalled_deals", tables={"main": main, "summary": summary}, evidence=ev, params=params
    )


@requires("activities")
def overdue_tasks(data: Dataset, *, as_of: dt.date) -> AnalysisResult:
    """Activities not done in time: status 'overdue', or 'planned' for a day before ``as_of``.

    Table ``tasks``: ``key (activity_id), manager_id, manager_name, type, client_id, occurred_at,
    days_overdue, status``. Main per manager: ``key, manager_id, manager_name, overdue,
    open_total (planned + overdue), overdue_share, max_days_overdue``.
    """
    a = data.activities
    today = ts(as_of)
    overdue = a["status"].eq("overdue") | (a["status"].eq("planned") & (a["occurred_at"] < today))
    open_ = a["status"].isin(["planned", "overdue"])
    t = a.loc[overdue]
    tasks = t.assign(
        key=t["activity_id"],
        manager_name=name_of(t["manager_id"], manager_names(data)),
        days_overdue=(today - t["occurred_at"].dt.normalize()).dt.days.clip(lower=0),
    )[
        [
            "key",
            "manager_id",
            "manager_name",
            "type",
            "client_id",
            "occurred_at",
            "days_overdue",
            "status",
        ]
    ]
    tasks = tasks.sort_values(["days_overdue", "key"], ascending=[False, True]).reset_index(
        drop=True
    )
    g_open = a.loc[open_].groupby("manager_id").size()
    main = pd.DataFrame({"overdue": tasks.groupby("manager_id").size(), "open_total": g_open})
    main["max_days_overdue"] = tasks.groupby("manager_id")["days_overdue"].max()
    main = main.fillna({"overdue": 0, "open_total": 0})
    main.index.name = "manager_id"
    main = main.reset_index()
    main["overdue"] = main["overdue"].astype("int64")
    main["open_total"] = main["open_total"].astype("int64")
    main["overdue_share"] = safe_div(
        main["overdue"].astype("float64"), main["open_total"].astype("float64")
    )
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = main[
        [
            "key",
            "manager_id",
            "manager_name",
            "overdue",
            "open_total",
            "overdue_share",
            "max_days_overdue",
        ]
    ]
    ev = concat_evidence(
        [
            evidence(tasks["manager_id"], "activities", tasks["key"]),
            evidence(tasks["key"], "activities", tasks["key"]),
        ]
    )
    return AnalysisResult(
        name="overdue_tasks",
        tables={"main": main, "tasks": tasks},
        evidence=ev,
        params={"as_of": str(as_of)},
    )


@requires("deals")
def pipeline_coverage(
    data: Dataset, *, as_of: dt.date, revenue_plan_fact: AnalysisResult | None = None
) -> AnalysisResult:
    """Does the open pipeline cover what is left of the running month's revenue plan?

    Per manager and team: ``key, manager_id, manager_name, pipeline_due (open deals expected to
    close by month end, overdue expectations included), pipeline_all (all open deals),
    pipeline (pipeline_due when the deals carry expected close dates, else pipeline_all),
    remaining_plan (plan - fact of the running month, >= 0), coverage (pipeline /
    remaining_plan), required_coverage (1 / team win rate), verdict``: 'covered' (coverage >=
    required), 'short', 'plan_done' (nothing left), 'no_plan'. ``revenue_plan_fact``: an
    already computed ``plan_fact(data, as_of=as_of, metric="revenue")`` to reuse.
    """
    params = {"as_of": str(as_of)}
    eod = end_of_day(as_of)
    d = data.deals.loc[data.deals["created"] <= eod]
    open_ = d["outcome"].eq("open") | (d["closed"] > eod)
    closed = d.loc[~open_]
    won = int(closed["outcome"].eq("won").sum())
    lost = int(closed["outcome"].eq("lost").sum())
    win_rate = won / (won + lost) if won + lost else float("nan")
    required = 1.0 / win_rate if win_rate and not np.isnan(win_rate) else float("nan")
    o = d.loc[open_]
    period_end = month_end(as_of)
    uses_expected = bool(o["expected_close"].notna().any())
    due = o["expected_close"].notna() & (
        o["expected_close"] <= period_end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    )
    pipe = pd.DataFrame(
        {
            "pipeline_due": o["amount"].where(due, 0.0).groupby(o["manager_id"]).sum(),
            "pipeline_all": o["amount"].fillna(0.0).groupby(o["manager_id"]).sum(),
        }
    )
    pipe.loc[TEAM] = [
        float(o["amount"].where(due, 0.0).sum()),
        float(o["amount"].fillna(0.0).sum()),
    ]
    remaining = pd.Series(dtype="float64")
    if data.has("plans"):
        pf = revenue_plan_fact or plan_fact(data, as_of=as_of, metric="revenue")
        if pf.ok and len(pf.main):
            cur = pf.main.loc[pf.main["period"].eq(month_start(as_of))]
            ids = cur["manager_id"].where(~cur["is_total"], TEAM)
            remaining = pd.Series(
                (cur["plan"] - cur["fact"]).clip(lower=0).to_numpy(), index=ids.to_numpy()
            )
    idx = pipe.index.union(remaining.index)
    main = pipe.reindex(idx).fillna(0.0)
    main["remaining_plan"] = remaining.reindex(idx)
    main["pipeline"] = main["pipeline_due"] if uses_expected else main["pipeline_all"]
    main["coverage"] = safe_div(main["pipeline"], main["remaining_plan"])
    main["required_coverage"] = required
    verdict = np.where(
        main["remaining_plan"].isna(),
        "no_plan",
        np.where(
            main["remaining_plan"] <= 0,
            "plan_done",
            np.where(main["coverage"] >= required, "covered", "short"),
        ),
    )
    main["verdict"] = verdict
    main.index.name = "manager_id"
    main = main.reset_index()
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = main[
        [
            "key",
            "manager_id",
            "manager_name",
            "pipeline_due",
            "pipeline_all",
            "pipeline",
            "remaining_plan",
            "coverage",
            "required_coverage",
            "verdict",
        ]
    ]
    is_team = main["manager_id"].eq(TEAM)
    main = pd.concat(
        [main.loc[~is_team].sort_values("manager_id"), main.loc[is_team]], ignore_index=True
    )
    counted = o.loc[due] if uses_expected else o
    ev = concat_evidence(
        [
            evidence(counted["manager_id"], "deals", counted["deal_id"]),
            evidence(pd.Series(TEAM, index=counted.index), "deals", counted["deal_id"]),
        ]
    )
    params.update({"team_win_rate": win_rate, "uses_expected_close": uses_expected})
    return AnalysisResult(
        name="pipeline_coverage", tables={"main": main}, evidence=ev, params=params
    )
