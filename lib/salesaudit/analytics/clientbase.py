"""The client base: ABC by revenue, active / new / churned clients per month, top-client dependence.

Definitions: A = clients making the first 80 % of revenue (the client crossing 80 % is A), B = the
next 15 % (up to 95 %), C = the rest. A client is active in a month when it bought in it; new in
the month of its first purchase ever; churned in month M when it bought in month M-3 and not in
M-2, M-1 or M: three full months without a purchase since the last one, so that each lapse is
counted once, in the month it becomes a lapse (a client who comes back later is active/new again
but its churn stays counted).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data
from salesaudit.analytics._common import (
    add_months,
    client_names,
    concat_evidence,
    evidence,
    month_key,
    months_of,
    name_of,
    revenue_records,
    revenue_source,
    ts,
)
from salesaudit.model.dataset import Dataset

__all__ = ["client_base"]

A_LIMIT = 0.80
B_LIMIT = 0.95
CHURN_MONTHS = 3


def client_base(data: Dataset, *, as_of: dt.date, months: int = 12) -> AnalysisResult:
    """ABC, monthly dynamics and dependence on top clients over the last ``months`` months.

    Tables: ``main`` (per client) ``key, client_id, client_name, revenue, share, cum_share, abc``;
    ``monthly`` ``key, month, active_clients, new_clients, churned_clients``; ``summary`` ``clients,
    revenue, a_clients, b_clients, c_clients, top10_revenue, top10_share``. Revenue from sales
    (else won deals).
    """
    params = {"as_of": str(as_of), "months": months}
    source = revenue_source(data)
    if not source:
        return not_enough_data("client_base", ["sales or deals"], **params)
    rec_all = revenue_records(data, as_of)
    rec_all = rec_all.loc[rec_all["client_id"].notna()]
    start = add_months(ts(as_of), -(months - 1))
    rec = rec_all.loc[rec_all["date"] >= start]
    if rec.empty:
        return not_enough_data("client_base", "no revenue with a client in the window", **params)
    by_client = rec.groupby("client_id")["value"].sum()
    by_client = by_client.sort_values(ascending=False, kind="mergesort")
    total = float(by_client.sum())
    share = by_client / total if total else by_client * np.nan
    cum = share.cumsum()
    before = cum - share
    eps = 1e-9  # cumulative sums of shares carry rounding noise
    abc = np.where(before < A_LIMIT - eps, "A", np.where(before < B_LIMIT - eps, "B", "C"))
    main = pd.DataFrame(
        {
            "client_id": by_client.index,
            "revenue": by_client.to_numpy(),
            "share": share.to_numpy(),
            "cum_share": cum.to_numpy(),
            "abc": abc,
        }
    )
    main["client_name"] = name_of(main["client_id"], client_names(data))
    main.insert(0, "key", main["client_id"])
    main = main[["key", "client_id", "client_name", "revenue", "share", "cum_share", "abc"]]
    # monthly dynamics (history before the window counts for "new" and "churned")
    month = months_of(rec_all["date"])
    bought = rec_all.groupby([rec_all["client_id"], month]).size().unstack(fill_value=0).gt(0)
    grid = pd.date_range(min(bought.columns.min(), start), add_months(ts(as_of), 0), freq="MS")
    bought = bought.reindex(columns=grid, fill_value=False)
    arr = bought.to_numpy()
    first = np.argmax(arr, axis=1)
    cs = np.cumsum(arr, axis=1)

    def window_any(lo: int, hi: int) -> np.ndarray:
        """Bought in any month of columns [j+lo, j+hi] for each column j (False out of range)."""
        pad = np.concatenate([np.zeros((arr.shape[0], 1), dtype=cs.dtype), cs], axis=1)
        j = np.arange(arr.shape[1])
        a = np.clip(j + lo, 0, arr.shape[1])
        b = np.clip(j + hi + 1, 0, arr.shape[1])
        return (pad[:, b] - pad[:, a]) > 0

    recent = window_any(-(CHURN_MONTHS - 1), 0)
    prior = window_any(-CHURN_MONTHS, -CHURN_MONTHS)
    churned = prior & ~recent
    new = np.zeros_like(arr)
    new[np.arange(arr.shape[0]), first] = arr.any(axis=1)
    sel = grid >= start
    monthly = pd.DataFrame(
        {
            "month": grid[sel],
            "active_clients": arr.sum(axis=0)[sel],
            "new_clients": new.sum(axis=0)[sel],
            "churned_clients": churned.sum(axis=0)[sel],
        }
    )
    monthly.insert(0, "key", month_key(monthly["month"]))
    top10 = float(by_client.iloc[:10].sum())
    summary = pd.DataFrame(
        {
            "clients": [len(by_client)],
            "revenue": [total],
            "a_clients": [int((abc == "A").sum())],
            "b_clients": [int((abc == "B").sum())],
            "c_clients": [int((abc == "C").sum())],
            "top10_revenue": [top10],
            "top10_share": [top10 / total if total else np.nan],
        }
    )
    ev = concat_evidence(
        [
            evidence(rec["client_id"], source, rec["record_id"]),
            evidence(month_key(rec["date"]), source, rec["record_id"]),
        ]
    )
    return AnalysisResult(
        name="client_base",
        tables={"main": main, "monthly": monthly, "summary": summary},
        evidence=ev,
        params={**params, "source": source},
    )
