"""Leads -> deals -> won, by lead source.

Where do the enquiries come from, how many of them become deals, and how many of those deals are
won (and for how much)? The leads table (Bitrix24 «Лиды», amoCRM «Неразобранное» or a mapped
file) names the deal a lead became (``converted_deal_id``); the deal's outcome and amount come
from the deals table. A converted lead whose deal cannot be found is *untraced*: it counts as a
conversion, but its source's lead -> won rate is left empty rather than guessed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data, requires
from salesaudit.analytics._common import concat_evidence, end_of_day, evidence, safe_div
from salesaudit.model.dataset import Dataset

__all__ = ["lead_funnel", "UNSPECIFIED", "TOTAL"]

#: source of leads whose source is empty
UNSPECIFIED = "unspecified"
#: key of the all-sources row
TOTAL = "total"

COLUMNS = [
    "key",
    "source",
    "leads",
    "open",
    "converted",
    "lost",
    "lead_to_deal",
    "deals_found",
    "untraced",
    "won",
    "deal_to_won",
    "lead_to_won",
    "revenue",
    "revenue_per_lead",
]


def _rows(leads: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    g = leads.groupby(group, sort=False)
    status = leads["status"]
    f = pd.DataFrame(
        {
            "leads": g.size(),
            "open": status.eq("open").groupby(group, sort=False).sum(),
            "converted": status.eq("converted").groupby(group, sort=False).sum(),
            "lost": status.eq("lost").groupby(group, sort=False).sum(),
            "deals_found": leads["_found"].groupby(group, sort=False).sum(),
            "won": leads["_won"].groupby(group, sort=False).sum(),
            "revenue": leads["_revenue"].groupby(group, sort=False).sum(),
        }
    )
    f["untraced"] = f["converted"] - f["deals_found"]
    return f


@requires("leads")
def lead_funnel(data: Dataset, *, as_of: dt.date) -> AnalysisResult:
    """The lead funnel by source over the leads created by ``as_of``.

    ``main`` columns: ``key`` (the source, or ``'total'``), ``source``, ``leads``, ``open``,
    ``converted``, ``lost`` (lead statuses), ``lead_to_deal`` (converted / leads),
    ``deals_found`` (converted leads whose deal is in the deals table), ``untraced`` (converted
    without a deal found), ``won`` (found deals won by ``as_of``), ``deal_to_won`` (won /
    deals_found), ``lead_to_won`` (won / leads; empty when some conversions are untraced),
    ``revenue`` (amount of those won deals), ``revenue_per_lead``. Sources by number of leads,
    then the total. ``untraced`` table: the converted leads whose deal was not found. Evidence
    keys ``<source>|leads`` (lead ids) and ``<source>|won`` (deal ids). Without a deals table
    ``deals_found``, ``won`` and the money columns are empty.
    """
    params = {"as_of": str(as_of)}
    eod = end_of_day(as_of)
    leads = data.leads.loc[data.leads["created_at"] <= eod].copy()
    if leads.empty:
        return not_enough_data("lead_funnel", "no leads created by as_of", **params)
    leads["source"] = leads["source"].where(leads["source"].notna(), UNSPECIFIED).astype(str)
    has_deals = data.has("deals")
    converted = leads["status"].eq("converted")
    if has_deals:
        deals = data.deals.drop_duplicates("deal_id").set_index("deal_id")
        won_by = deals["outcome"].eq("won") & deals["closed"].notna() & (deals["closed"] <= eod)
        ids = leads["converted_deal_id"]
        found = converted & ids.isin(deals.index)
        won = found & ids.map(won_by).eq(True)
        revenue = ids.map(deals["amount"]).where(won, 0.0).astype(float).fillna(0.0)
    else:
        found = pd.Series(False, index=leads.index)
        won = found
        revenue = pd.Series(0.0, index=leads.index)
    leads["_found"] = found
    leads["_won"] = won
    leads["_revenue"] = revenue

    per_source = _rows(leads, leads["source"])
    per_source = per_source.sort_values("leads", ascending=False, kind="stable")
    total = _rows(leads, pd.Series(TOTAL, index=leads.index))
    out = pd.concat([per_source, total])
    out.index.name = "key"
    out = out.reset_index()
    out["source"] = out["key"]
    out["lead_to_deal"] = safe_div(out["converted"], out["leads"])
    out["deal_to_won"] = safe_div(out["won"], out["deals_found"])
    out["lead_to_won"] = safe_div(out["won"], out["leads"]).where(out["untraced"].eq(0))
    out["revenue_per_lead"] = safe_div(out["revenue"], out["leads"])
    if not has_deals:
        for c in (
            "deals_found",
            "won",
            "deal_to_won",
            "lead_to_won",
            "revenue",
            "revenue_per_lead",
        ):
            out[c] = np.nan
    for c in ("leads", "open", "converted", "lost", "untraced"):
        out[c] = out[c].astype("int64")
    out = out[COLUMNS]

    ev = [
        evidence(leads["source"] + "|leads", "leads", leads["lead_id"]),
        evidence(pd.Series(f"{TOTAL}|leads", index=leads.index), "leads", leads["lead_id"]),
    ]
    won_rows = leads.loc[won]
    if len(won_rows):
        ev.append(evidence(won_rows["source"] + "|won", "deals", won_rows["converted_deal_id"]))
        ev.append(
            evidence(
                pd.Series(f"{TOTAL}|won", index=won_rows.index),
                "deals",
                won_rows["converted_deal_id"],
            )
        )
    untraced = leads.loc[converted & ~found, ["lead_id", "source", "converted_deal_id"]]
    n_untraced = len(untraced)
    message = ""
    if not has_deals:
        message = "no deals table: conversions are counted, deal outcomes and revenue are not"
    elif n_untraced:
        message = (
            f"{n_untraced} converted lead(s) without a deal found in the deals table: "
            "lead -> won left empty for their source"
        )
    return AnalysisResult(
        name="lead_funnel",
        tables={"main": out, "untraced": untraced.reset_index(drop=True)},
        evidence=concat_evidence(ev),
        message=message,
        params=params,
    )
