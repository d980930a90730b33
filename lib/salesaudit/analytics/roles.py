"""Delegation: how much the owner and the head of sales sell themselves (key problem 6 and 1/7).

When the owner carries the key competence, or the head of sales is really a top seller, sales
management is replaced by selling, support and administration. We measure their share of revenue,
of the top clients and of new deals, and the head of sales' selling vs management activities.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import (
    SELLING_TYPES,
    add_months,
    concat_evidence,
    done_activities,
    evidence,
    revenue_records,
    revenue_source,
    safe_div,
    ts,
)
from salesaudit.model.dataset import Dataset

__all__ = ["delegation", "ROLE_ORDER"]

ROLE_ORDER = ("owner", "head_of_sales", "manager", "other", "unknown")


@requires("managers")
def delegation(data: Dataset, *, as_of: dt.date, months: int = 12) -> AnalysisResult:
    """Owner's and head of sales' share of revenue, top-20 % clients and new deals over the last
    ``months`` calendar months (month of ``as_of`` included), and their activity mix.

    Main, one row per role (``owner``, ``head_of_sales``, ``manager``, ``other``, ``unknown`` =
    ids not in the managers table): ``key, role, people, revenue, revenue_share, top_clients
    (top-20 % clients by revenue whose largest seller has this role), top_clients_share,
    top_clients_revenue (revenue of all top clients sold by this role), top_clients_revenue_share,
    new_deals, new_deals_share, activities, selling_activities (call/meeting/email/proposal/demo
    with a client), management_activities (tasks, and meetings without a client = internal),
    selling_share``. ``params['staff_roles']`` is False when no staff list gave the roles
    (``Dataset.meta['staff_roles']``; hand-built datasets without the key count as given).
    """
    params = {"as_of": str(as_of), "months": months}
    source = revenue_source(data)
    if not source and not data.has("activities"):
        return not_enough_data("delegation", ["sales or deals or activities"], **params)
    start = add_months(ts(as_of), -(months - 1))
    roles = data.managers.drop_duplicates("manager_id").set_index("manager_id")["role"]

    def role_of(ids: pd.Series) -> pd.Series:
        return ids.map(roles).fillna("unknown")

    people = roles.value_counts()
    ev = []
    rev = revenue_records(data, as_of)
    rev = rev.loc[rev["date"] >= start]
    rev = rev.assign(role=role_of(rev["manager_id"]))
    t = pd.DataFrame(index=pd.Index(ROLE_ORDER, name="role"))
    t["people"] = people.reindex(t.index).fillna(0).astype("int64")
    t["revenue"] = rev.groupby("role")["value"].sum().reindex(t.index).fillna(0.0)
    total = float(rev["value"].sum())
    t["revenue_share"] = safe_div(t["revenue"], total)
    ev.append(evidence(rev["role"] + "|revenue", source or "sales", rev["record_id"]))
    # top 20 % of clients by revenue
    by_client = (
        rev.loc[rev["client_id"].notna()]
        .groupby("client_id")["value"]
        .sum()
        .sort_values(ascending=False, kind="mergesort")
    )
    n_top = int(np.ceil(0.2 * len(by_client))) if len(by_client) else 0
    top = by_client.index[:n_top]
    tr = rev.loc[rev["client_id"].isin(top)]
    seller = tr.groupby(["client_id", "role"])["value"].sum().reset_index()
    seller = seller.sort_values(
        ["client_id", "value", "role"], ascending=[True, False, True]
    ).drop_duplicates("client_id")
    t["top_clients"] = seller.groupby("role").size().reindex(t.index).fillna(0).astype("int64")
    t["top_clients_share"] = safe_div(t["top_clients"].astype("float64"), float(n_top))
    t["top_clients_revenue"] = tr.groupby("role")["value"].sum().reindex(t.index).fillna(0.0)
    t["top_clients_revenue_share"] = safe_div(t["top_clients_revenue"], float(tr["value"].sum()))
    ev.append(evidence(tr["role"] + "|top_clients", source or "sales", tr["record_id"]))
    if data.has("deals"):
        d = data.deals.loc[
            (data.deals["created"] >= start)
            & (data.deals["created"] < ts(as_of) + pd.Timedelta(days=1))
        ]
        d = d.assign(role=role_of(d["manager_id"]))
        t["new_deals"] = d.groupby("role").size().reindex(t.index).fillna(0).astype("int64")
        t["new_deals_share"] = safe_div(t["new_deals"].astype("float64"), float(len(d)))
        ev.append(evidence(d["role"] + "|new_deals", "deals", d["deal_id"]))
    else:
        t["new_deals"] = pd.NA
        t["new_deals_share"] = np.nan
    if data.has("activities"):
        a = done_activities(data, as_of)
        a = a.loc[a["occurred_at"] >= start]
        a = a.assign(role=role_of(a["manager_id"]))
        selling = a["type"].isin(SELLING_TYPES) & a["client_id"].notna()
        mgmt = a["type"].eq("task") | (a["type"].eq("meeting") & a["client_id"].isna())
        t["activities"] = a.groupby("role").size().reindex(t.index).fillna(0).astype("int64")
        t["selling_activities"] = (
            selling.groupby(a["role"]).sum().reindex(t.index).fillna(0).astype("int64")
        )
        t["management_activities"] = (
            mgmt.groupby(a["role"]).sum().reindex(t.index).fillna(0).astype("int64")
        )
        t["selling_share"] = safe_div(
            t["selling_activities"].astype("float64"),
            (t["selling_activities"] + t["management_activities"]).astype("float64"),
        )
        ev.append(
            evidence(
                a.loc[selling, "role"] + "|selling_activities",
                "activities",
                a.loc[selling, "activity_id"],
            )
        )
        ev.append(
            evidence(
                a.loc[mgmt, "role"] + "|management_activities",
                "activities",
                a.loc[mgmt, "activity_id"],
            )
        )
    else:
        for c in ("activities", "selling_activities", "management_activities"):
            t[c] = pd.NA
        t["selling_share"] = np.nan
    t = t.loc[(t["people"] > 0) | (t["revenue"] != 0)]
    main = t.reset_index()
    main.insert(0, "key", main["role"])
    # roles known from a staff list (Dataset.meta["staff_roles"], set by the model): without
    # one everybody is a "manager" by default, and a missing owner / head of sales says nothing
    staff_roles = bool(data.meta.get("staff_roles", True))
    params.update({"source": source, "top_clients_total": n_top, "staff_roles": staff_roles})
    return AnalysisResult(
        name="delegation", tables={"main": main}, evidence=concat_evidence(ev), params=params
    )
