"""Shared helpers of the analytics modules (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from salesaudit.model.dataset import Dataset

EVIDENCE_COLUMNS = ["key", "table", "record_id"]
#: activity types that are selling work with a client
SELLING_TYPES = ("call", "meeting", "email", "proposal", "demo")
#: plan metric -> activity type counted as its fact
METRIC_ACTIVITY = {
    "meetings": "meeting",
    "calls": "call",
    "emails": "email",
    "proposals": "proposal",
    "demos": "demo",
}


def ts(d: dt.date | pd.Timestamp) -> pd.Timestamp:
    """A date as a midnight Timestamp."""
    return pd.Timestamp(d).normalize()


def month_start(d: dt.date | pd.Timestamp) -> pd.Timestamp:
    """First day of the month containing ``d``."""
    t = pd.Timestamp(d)
    return pd.Timestamp(t.year, t.month, 1)


def add_months(d: pd.Timestamp, n: int) -> pd.Timestamp:
    """Month start ``n`` months after (before, when negative) the month of ``d``."""
    t = month_start(d)
    return t + pd.DateOffset(months=n)


def month_end(d: dt.date | pd.Timestamp) -> pd.Timestamp:
    """Last day (midnight) of the month containing ``d``."""
    return month_start(d) + pd.offsets.MonthEnd(0)


def months_of(s: pd.Series) -> pd.Series:
    """Month start of every datetime in ``s`` (NaT stays NaT)."""
    return s.dt.to_period("M").dt.start_time


def month_key(s: pd.Series) -> pd.Series:
    """'YYYY-MM' of every datetime in ``s`` (fast: formats each distinct month once)."""
    ms = pd.Series(s.to_numpy().astype("datetime64[M]"), index=s.index)
    uniq = ms.dropna().unique()
    mapping = {u: pd.Timestamp(u).strftime("%Y-%m") for u in uniq}
    return ms.map(mapping).astype(object)


def end_of_day(d: dt.date | pd.Timestamp) -> pd.Timestamp:
    """The last nanosecond of day ``d`` (for inclusive upper bounds on datetimes)."""
    return ts(d) + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")


def evidence(key: pd.Series | str, table: str, record_id: pd.Series) -> pd.DataFrame:
    """A long evidence frame ``[key, table, record_id]``."""
    n = len(record_id)
    k = pd.Series([key] * n, dtype=object) if isinstance(key, str) else key.astype(str).values
    return pd.DataFrame(
        {
            "key": k,
            "table": np.full(n, table, dtype=object),
            "record_id": record_id.astype(str).values,
        }
    )


def concat_evidence(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate evidence frames (empty frame with the right columns when there are none)."""
    frames = [f for f in frames if f is not None and len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in EVIDENCE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[EVIDENCE_COLUMNS]


def plan_record_ids(plans: pd.DataFrame) -> pd.Series:
    """Record ids of plan rows (plans have no key): ``file:row`` when known, else ``plans:<pos>``."""
    pos = pd.Series([f"plans:{i}" for i in range(len(plans))], index=plans.index, dtype=object)
    if "src_row" in plans.columns:
        has = plans["src_row"].notna()
        files = plans.get("src_file", pd.Series(None, index=plans.index)).fillna("plans")
        src = files.astype(str) + ":" + plans["src_row"].astype("string").fillna("")
        pos = pos.where(~has, src)
    return pos


def manager_names(data: Dataset) -> pd.Series:
    """manager_id -> name (empty Series without a managers table)."""
    if not data.has("managers"):
        return pd.Series(dtype=object)
    m = data.managers.drop_duplicates("manager_id")
    return pd.Series(m["name"].values, index=m["manager_id"].values, dtype=object)


def client_names(data: Dataset) -> pd.Series:
    """client_id -> name (empty Series without a clients table)."""
    if not data.has("clients"):
        return pd.Series(dtype=object)
    c = data.clients.drop_duplicates("client_id")
    return pd.Series(c["name"].values, index=c["client_id"].values, dtype=object)


def name_of(ids: pd.Series, names: pd.Series) -> pd.Series:
    """Look names up for ids (None when unknown)."""
    out = ids.map(names) if len(names) else pd.Series(None, index=ids.index, dtype=object)
    return out.astype(object).where(out.notna(), None)


def done_activities(data: Dataset, as_of: dt.date | None = None) -> pd.DataFrame:
    """Done activities (occurred by the end of ``as_of`` when given)."""
    a = data.activities
    mask = a["status"].eq("done")
    if as_of is not None:
        mask &= a["occurred_at"] <= end_of_day(as_of)
    return a.loc[mask]


def revenue_records(data: Dataset, as_of: dt.date | None = None) -> pd.DataFrame:
    """Revenue facts as ``[date, manager_id, client_id, brand, product, route, value, table, record_id]``.

    From 1C sales (``sales.amount``) when a sales table is present, else from won deals' amounts
    at their close date.
    """
    cols = [
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
    if data.has("sales"):
        s = data.sales
        out = pd.DataFrame(
            {
                "date": s["date"],
                "manager_id": s["manager_id"],
                "client_id": s["client_id"],
                "brand": s["brand"],
                "product": s["product"],
                "route": s["route"],
                "value": s["amount"],
                "table": "sales",
                "record_id": s["sale_id"],
            }
        )
    elif data.has("deals"):
        d = data.deals.loc[data.deals["outcome"].eq("won") & data.deals["closed"].notna()]
        out = pd.DataFrame(
            {
                "date": d["closed"],
                "manager_id": d["manager_id"],
                "client_id": d["client_id"],
                "brand": d["brand"],
                "product": d["product"],
                "route": pd.Series(None, index=d.index, dtype=object),
                "value": d["amount"],
                "table": "deals",
                "record_id": d["deal_id"],
            }
        )
    else:
        out = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        return out.astype({"date": "datetime64[ns]", "value": "float64"})
    if as_of is not None:
        out = out.loc[out["date"] <= end_of_day(as_of)]
    return out.reset_index(drop=True)[cols]


def revenue_source(data: Dataset) -> str:
    """Which table revenue comes from: ``"sales"``, ``"deals"`` or ``""``."""
    if data.has("sales"):
        return "sales"
    if data.has("deals"):
        return "deals"
    return ""


def safe_div(a: pd.Series | float, b: pd.Series | float) -> pd.Series | float:
    """a / b with NaN where b is 0 or missing."""
    if isinstance(b, pd.Series):
        return a / b.where(b != 0)
    if b is None or pd.isna(b) or b == 0:
        return float("nan")
    return a / b
