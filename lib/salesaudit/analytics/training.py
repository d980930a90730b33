"""Did a training change the attendees' results? Before vs after, in equal windows.

The method: if after a training a manager's effectiveness rose, the money was well spent; if it
did not change, it was not. We compare the attendees' meeting->deal conversion (or, without
meetings, their win rate) and average won deal in the ``window_days`` after the training
(truncated at ``as_of``) with an equally long window just before it.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    concat_evidence,
    end_of_day,
    evidence,
    manager_names,
    name_of,
    ts,
)
from salesaudit.analytics._stats import mann_whitney_p, normal_sf
from salesaudit.analytics.activity import meeting_converted
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset

__all__ = ["training_effect", "two_proportion_z", "lift_ci_pp"]

#: after-windows shorter than this are too short to judge
MIN_WINDOW_DAYS = 14


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Two-proportion z-test (pooled): returns (z, two-sided p) for p2 - p1; NaNs when undefined."""
    if n1 == 0 or n2 == 0:
        return float("nan"), float("nan")
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 0.0, 1.0
    z = (x2 / n2 - x1 / n1) / se
    return z, 2 * normal_sf(abs(z))


def lift_ci_pp(x1: int, n1: int, x2: int, n2: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % confidence interval (Wald, unpooled) of the lift ``p2 - p1`` in percentage points;
    NaNs when a window is empty. The lift itself never saturates: +17 pp and +3 pp stay apart."""
    if n1 == 0 or n2 == 0:
        return float("nan"), float("nan")
    p1, p2 = x1 / n1, x2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    d = (p2 - p1) * 100.0
    return d - z * se * 100.0, d + z * se * 100.0


def _trials(data: Dataset, managers: list[str], metric: str) -> pd.DataFrame:
    """The trials of the success rate: ``[manager_id, at, success, amount, won, table, record_id]``.

    ``meeting_to_deal``: done meetings (at = occurred_at; success = led to a deal, see
    :func:`~salesaudit.analytics.activity.meeting_converted`: by the deal_id link when the CRM
    links activities to deals at all, else by a deal of the client within 30 days);
    ``win_rate``: closed deals
    (at = closed; success = won). ``won``/``amount`` always describe won deals (for the
    average deal), taken from the deals table.
    """
    d = data.deals.loc[
        data.deals["manager_id"].isin(managers) & data.deals["outcome"].isin(["won", "lost"])
    ]
    deals = pd.DataFrame(
        {
            "manager_id": d["manager_id"],
            "at": d["closed"],
            "success": d["outcome"].eq("won"),
            "amount": d["amount"],
            "won": d["outcome"].eq("won"),
            "kind": "deal",
            "table": "deals",
            "record_id": d["deal_id"],
        }
    )
    if metric == "win_rate":
        return deals
    a = data.activities
    linked = bool(a["deal_id"].notna().any())
    m = a.loc[a["manager_id"].isin(managers) & a["type"].eq("meeting") & a["status"].eq("done")]
    meets = pd.DataFrame(
        {
            "manager_id": m["manager_id"],
            "at": m["occurred_at"],
            "success": meeting_converted(m, data.deals, by_client=not linked),
            "amount": np.nan,
            "won": False,
            "kind": "trial",
            "table": "activities",
            "record_id": m["activity_id"],
        }
    )
    return pd.concat([meets, deals.assign(kind="deal")], ignore_index=True)


def _verdict(n1: int, n2: int, p: float, diff: float, days: int, min_n: int) -> str:
    if n1 < min_n or n2 < min_n or days < MIN_WINDOW_DAYS or np.isnan(p):
        return "inconclusive"
    if p < 0.05:
        return "improved" if diff > 0 else "worse"
    return "no_change"


@requires("trainings", "deals")
def training_effect(
    data: Dataset,
    *,
    as_of: dt.date,
    window_days: int = 90,
    min_n: int = 20,
    metric: str = "auto",
) -> AnalysisResult:
    """Per training (same date and topic = one training; its attendees form the group): success
    rate and average won deal before vs after.

    ``metric``: ``meeting_to_deal`` (done meetings that led to a deal: linked by deal_id when
    the activities carry deal links, else a deal with the client created within 30 days), ``win_rate`` (won / closed deals), or
    ``auto`` (meeting_to_deal when the attendees have done meetings, else win_rate). After
    window: [training day, training day + window_days) truncated at the end of ``as_of``;
    before window: the same number of days just before the training day. Main columns: ``key,
    training, date, topic, managers, metric, window_days_used, n_before, x_before,
    rate_before, n_after, x_after, rate_after, diff_pp, z, p_value (two-proportion z-test),
    avg_deal_before, avg_deal_after, avg_deal_p (Mann-Whitney U, two-sided), verdict,
    ci_low_pp, ci_high_pp`` (verdict 'improved' | 'no_change' | 'worse' at p < 0.05;
    'inconclusive' when n < min_n in either window or the window is shorter than 14 days;
    ``ci_*_pp``: 95 % interval of ``diff_pp``, see :func:`lift_ci_pp`). Table ``by_manager``: n / x / rate per
    attending manager and window (no verdict).
    """
    if metric not in ("auto", "meeting_to_deal", "win_rate"):
        raise ParameterError(
            f"unknown metric {metric!r}",
            column="metric",
            hint="use 'auto', 'meeting_to_deal' or 'win_rate'",
        )
    params = {"as_of": str(as_of), "window_days": window_days, "min_n": min_n, "metric": metric}
    tr = data.trainings
    tr = tr.loc[tr["date"] <= end_of_day(as_of)]
    limit = ts(as_of) + pd.Timedelta(days=1)
    rows = []
    per_mgr = []
    ev = []
    names = manager_names(data)
    for (day, topic), grp in tr.groupby([tr["date"].dt.normalize(), "topic"], sort=True):
        managers = sorted(grp["manager_id"].dropna().unique())
        used = metric
        if metric == "auto":
            has_meetings = data.has("activities") and bool(
                (
                    data.activities["manager_id"].isin(managers)
                    & data.activities["type"].eq("meeting")
                    & data.activities["status"].eq("done")
                ).any()
            )
            used = "meeting_to_deal" if has_meetings else "win_rate"
        elif metric == "meeting_to_deal" and not data.has("activities"):
            return not_enough_data("training_effect", ["activities"], **params)
        trials = _trials(data, managers, used)
        start_after = pd.Timestamp(day)
        end_after = min(start_after + pd.Timedelta(days=window_days), limit)
        days = int((end_after - start_after).days)
        start_before = start_after - pd.Timedelta(days=days)
        before = trials.loc[(trials["at"] >= start_before) & (trials["at"] < start_after)]
        after = trials.loc[(trials["at"] >= start_after) & (trials["at"] < end_after)]
        tb = before.loc[before["kind"].eq("trial")] if used == "meeting_to_deal" else before
        ta = after.loc[after["kind"].eq("trial")] if used == "meeting_to_deal" else after
        n1, n2 = len(tb), len(ta)
        x1, x2 = int(tb["success"].sum()), int(ta["success"].sum())
        z, p = two_proportion_z(x1, n1, x2, n2)
        r1 = x1 / n1 if n1 else np.nan
        r2 = x2 / n2 if n2 else np.nan
        a1 = before.loc[before["won"], "amount"].dropna()
        a2 = after.loc[after["won"], "amount"].dropna()
        amt_p = mann_whitney_p(a1, a2) if len(a1) and len(a2) else np.nan
        key = f"{start_after:%Y-%m-%d}|{topic}"
        diff = (r2 - r1) * 100 if n1 and n2 else np.nan
        ci_low, ci_high = lift_ci_pp(x1, n1, x2, n2)
        rows.append(
            (
                key,
                ",".join(sorted(grp["training_id"])),
                start_after,
                topic,
                ",".join(managers),
                used,
                days,
                n1,
                x1,
                r1,
                n2,
                x2,
                r2,
                diff,
                z,
                p,
                float(a1.mean()) if len(a1) else np.nan,
                float(a2.mean()) if len(a2) else np.nan,
                amt_p,
                _verdict(n1, n2, p, diff, days, min_n),
                ci_low,
                ci_high,
            )
        )
        for label, t in (("before", tb), ("after", ta)):
            ev.append(
                evidence(key + "|n_" + label, "", t["record_id"]).assign(table=t["table"].values)
            )
            ok = t.loc[t["success"]]
            ev.append(
                evidence(key + "|x_" + label, "", ok["record_id"]).assign(table=ok["table"].values)
            )
        ev.append(evidence(key, "trainings", grp["training_id"]))
        for label, t in (("before", tb), ("after", ta)):
            per_mgr.append(
                pd.DataFrame(
                    {
                        "n": t.groupby("manager_id").size(),
                        "x": t["success"].groupby(t["manager_id"]).sum(),
                    }
                )
                .reindex(managers)
                .fillna(0)
                .astype("int64")
                .assign(window=label, training_key=key)
            )
    cols = [
        "key",
        "training",
        "date",
        "topic",
        "managers",
        "metric",
        "window_days_used",
        "n_before",
        "x_before",
        "rate_before",
        "n_after",
        "x_after",
        "rate_after",
        "diff_pp",
        "z",
        "p_value",
        "avg_deal_before",
        "avg_deal_after",
        "avg_deal_p",
        "verdict",
        "ci_low_pp",
        "ci_high_pp",
    ]
    main = pd.DataFrame(rows, columns=cols)
    bm_cols = [
        "key",
        "training_key",
        "manager_id",
        "manager_name",
        "n_before",
        "x_before",
        "rate_before",
        "n_after",
        "x_after",
        "rate_after",
    ]
    if per_mgr:
        pm = pd.concat(per_mgr)
        pm.index.name = "manager_id"
        pm = pm.reset_index().pivot_table(
            index=["training_key", "manager_id"], columns="window", values=["n", "x"], aggfunc="sum"
        )
        pm.columns = [f"{a}_{b}" for a, b in pm.columns]
        pm = pm.reset_index()
        for w in ("before", "after"):
            pm[f"rate_{w}"] = pm[f"x_{w}"] / pm[f"n_{w}"].where(pm[f"n_{w}"] > 0)
        pm["manager_name"] = name_of(pm["manager_id"], names)
        pm.insert(0, "key", pm["training_key"] + "|" + pm["manager_id"])
        by_manager = pm[bm_cols]
    else:
        by_manager = pd.DataFrame(columns=bm_cols)
    return AnalysisResult(
        name="training_effect",
        tables={"main": main, "by_manager": by_manager},
        evidence=concat_evidence(ev),
        params=params,
    )
