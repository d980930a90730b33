"""Measure the planted signals on canonical tables.

These are deliberately simple, transparent computations (the analytics layer does the real
work): they document what "the problem is present" means for each planted case and let the
tests and ``planted.yaml`` state exact expected values.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salesaudit.model.dataset import Dataset
from salesaudit.synth._company import russian_holidays

#: a stalled deal: open, and no activity for at least this many days before as_of
STALL_DAYS = 30
#: days before / after a training over which meeting->deal conversion is compared
TRAINING_WINDOW_DAYS = 120


def _r(x: float) -> float:
    return float(round(float(x), 4))


def refusal_shares(data: Dataset) -> pd.DataFrame:
    """Share of each refusal reason among a seller's refused activities.

    Rows: ``manager_id``; columns: the reasons; values: shares (rows add up to 1).
    """
    a = data.activities
    ref = a[(a["status"] == "done") & (a["result"] == "refused")]
    counts = ref.groupby(["manager_id", "refusal_reason"]).size().unstack(fill_value=0)
    return counts.div(counts.sum(axis=1), axis=0)


def reason_share(data: Dataset, manager_id: str, reason: str) -> dict[str, float]:
    """A manager's share of ``reason`` among his refusals (refused activities and lost deals)
    against the rest of the sales managers (role ``manager``)."""
    a, d, m = data.activities, data.deals, data.managers
    team = set(m.loc[m["role"] == "manager", "manager_id"]) - {manager_id}
    ref = a[(a["status"] == "done") & (a["result"] == "refused")]
    lost = d[d["outcome"] == "lost"]

    def share(frame: pd.DataFrame, col: str, who: set[str]) -> float:
        sub = frame[frame["manager_id"].isin(who)]
        return _r((sub[col] == reason).mean()) if len(sub) else float("nan")

    return {
        "activities": share(ref, "refusal_reason", {manager_id}),
        "activities_team": share(ref, "refusal_reason", team),
        "lost_deals": share(lost, "lost_reason", {manager_id}),
        "lost_deals_team": share(lost, "lost_reason", team),
        "refusals": int((ref["manager_id"] == manager_id).sum()),
    }


def meeting_log_metrics(data: Dataset, manager_id: str) -> dict[str, float]:
    """How a seller's done meetings were recorded: outcome, timing of the record, schedule."""
    a = data.activities
    hol = russian_holidays()
    mt = a[(a["manager_id"] == manager_id) & (a["type"] == "meeting") & (a["status"] == "done")]
    mt = mt.sort_values("occurred_at")
    day = mt["occurred_at"].dt.normalize()
    per_day = day.value_counts()
    delay_h = (mt["logged_at"] - mt["occurred_at"]).dt.total_seconds() / 3600.0
    off_days = day.map(lambda t: t.weekday() >= 5 or t.date() in hol)
    gaps = mt.groupby(day)["occurred_at"].diff().dt.total_seconds() / 60.0
    comments = mt["comment"].dropna()
    top_comment = comments.value_counts().iloc[0] / len(mt) if len(comments) else 0.0
    return {
        "meetings": int(len(mt)),
        "share_no_result": _r((mt["result"] == "none").mean()),
        "share_logged_3h_after": _r((delay_h > 3).mean()),
        "share_logged_after_18": _r(
            ((mt["logged_at"].dt.hour >= 18) & (mt["logged_at"] > mt["occurred_at"])).mean()
        ),
        "share_with_deal": _r(mt["deal_id"].notna().mean()),
        "days_with_6plus": int((per_day >= 6).sum()),
        "weekend_or_holiday_meetings": int(off_days.sum()),
        "overlapping_meetings": int((gaps < 60).sum()),
        "top_comment_share": _r(top_comment),
    }


def owner_top_clients(data: Dataset) -> dict[str, float]:
    """Who is responsible for the top 20% of clients by revenue (clients with sales only)."""
    s, c, m = data.sales, data.clients, data.managers
    owner = m.loc[m["role"] == "owner", "manager_id"].tolist()
    rev = s.groupby("client_id")["amount"].sum()
    rev = rev[rev > 0].sort_values(ascending=False, kind="mergesort")
    n_top = math.ceil(0.2 * len(rev))
    top = rev.iloc[:n_top]
    resp = c.set_index("client_id")["manager_id"]
    held = resp.reindex(top.index).isin(owner)
    return {
        "clients_with_revenue": int(len(rev)),
        "top_clients": int(n_top),
        "owner_top_clients": int(held.sum()),
        "owner_share_of_top_clients": _r(held.mean()),
        "owner_share_of_top_revenue": _r(top[held].sum() / top.sum()),
        "owner_revenue_share": _r(
            s.loc[s["manager_id"].isin(owner), "amount"].sum() / s["amount"].sum()
        ),
    }


def plan_structure(data: Dataset) -> dict[str, object]:
    """Which breakdowns and indicators the plan has, and whether it was acknowledged."""
    p = data.plans
    return {
        "dimensions": sorted(p["dimension"].unique().tolist()),
        "metrics": sorted(p["metric"].unique().tolist()),
        "share_acknowledged": _r(p["acknowledged_at"].notna().mean()),
        "rows": int(len(p)),
    }


def training_conversion(data: Dataset, topic: str) -> dict[str, float]:
    """Meeting->deal conversion (done meetings linked to a deal / done meetings) of a training's
    participants in the windows before and after its date."""
    t, a = data.trainings, data.activities
    rows = t[t["topic"] == topic]
    date = rows["date"].min()
    who = set(rows["manager_id"])
    win = pd.Timedelta(days=TRAINING_WINDOW_DAYS)
    mt = a[(a["manager_id"].isin(who)) & (a["type"] == "meeting") & (a["status"] == "done")]
    before = mt[(mt["occurred_at"] >= date - win) & (mt["occurred_at"] < date)]
    after = mt[
        (mt["occurred_at"] >= date + pd.Timedelta(days=1)) & (mt["occurred_at"] < date + win)
    ]
    conv_b = before["deal_id"].notna().mean()
    conv_a = after["deal_id"].notna().mean()
    return {
        "date": str(date.date()),
        "managers": sorted(who),
        "meetings_before": int(len(before)),
        "meetings_after": int(len(after)),
        "conversion_before": _r(conv_b),
        "conversion_after": _r(conv_a),
        "change_pp": _r((conv_a - conv_b) * 100),
    }


def stalled_deals(data: Dataset, as_of: pd.Timestamp, min_days: int = STALL_DAYS) -> pd.DataFrame:
    """Open deals whose last done activity is at least ``min_days`` before ``as_of``.

    Columns: ``deal_id``, ``manager_id``, ``amount``, ``last_activity``, ``idle_days``.
    """
    a, d = data.activities, data.deals
    done = a[(a["status"] == "done") & a["deal_id"].notna() & (a["occurred_at"] < as_of)]
    last = done.groupby("deal_id")["occurred_at"].max()
    opened = d[d["outcome"] == "open"][["deal_id", "manager_id", "amount", "created"]].copy()
    opened["last_activity"] = opened["deal_id"].map(last).fillna(opened["created"])
    opened["idle_days"] = (as_of.normalize() - opened["last_activity"].dt.normalize()).dt.days
    out = opened[opened["idle_days"] >= min_days].sort_values(
        ["idle_days", "deal_id"], ascending=[False, True]
    )
    return out[["deal_id", "manager_id", "amount", "last_activity", "idle_days"]].reset_index(
        drop=True
    )


def head_of_sales_profile(data: Dataset) -> dict[str, float]:
    """The head of sales' own revenue share and how much of his logged work is managing."""
    s, a, m = data.sales, data.activities, data.managers
    heads = m.loc[m["role"] == "head_of_sales", "manager_id"].tolist()
    mine = a[a["manager_id"].isin(heads) & (a["status"] == "done")]
    months = max(1, mine["occurred_at"].dt.to_period("M").nunique())
    mgmt = mine["client_id"].isna() & (mine["type"] == "task")
    return {
        "revenue_share": _r(s.loc[s["manager_id"].isin(heads), "amount"].sum() / s["amount"].sum()),
        "management_tasks_per_month": _r(mgmt.sum() / months),
        "client_meetings_per_month": _r((mine["type"] == "meeting").sum() / months),
        "share_of_activities_managing": _r(mgmt.mean()),
    }


def pay_of_sellers(data: Dataset) -> dict[str, str]:
    """Pay scheme per sales manager (role ``manager``)."""
    m = data.managers
    sub = m[m["role"] == "manager"]
    return dict(zip(sub["manager_id"], sub["pay"], strict=True))


def max_reason_share(data: Dataset, min_refusals: int = 20) -> float:
    """The largest share any single reason takes in any sales manager's refusals."""
    shares = refusal_shares(data)
    a = data.activities
    ref = a[(a["status"] == "done") & (a["result"] == "refused")]
    counts = ref["manager_id"].value_counts()
    managers = set(data.managers.loc[data.managers["role"] == "manager", "manager_id"])
    keep = [i for i in shares.index if i in managers and counts.get(i, 0) >= min_refusals]
    return _r(np.nanmax(shares.loc[keep].to_numpy())) if keep else float("nan")
