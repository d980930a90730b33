"""Refusal (loss) reason mix per manager vs the team, with a chi-square test.

The source example: manager A's refusals are mostly "budgets exhausted" (be more flexible with
payment terms), manager B's mostly "not interested in the product" (learn the product better).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from salesaudit.analytics._base import AnalysisResult, not_enough_data
from salesaudit.analytics._common import concat_evidence, evidence, manager_names, name_of
from salesaudit.analytics._stats import chi2_independence
from salesaudit.model.dataset import Dataset

__all__ = ["refusal_mix", "refusal_events"]

TEAM = "team"
UNSPECIFIED = "unspecified"


def refusal_events(data: Dataset) -> tuple[pd.DataFrame, str]:
    """All refusals as ``[manager_id, client_id, date, reason, table, record_id, deal_id]`` and the
    source used ('activities', 'deals' or 'activities+deals').

    Sources: activities with result 'refused' (``refusal_reason``) and lost deals
    (``lost_reason``). A refused activity is the same event as a lost deal when it carries that
    deal's deal_id, or has the same client, manager and reason on the deal's close day; such
    pairs are counted once (as the deal, which keeps the activity as extra evidence).
    """
    frames = []
    sources = []
    if data.has("activities"):
        a = data.activities.loc[data.activities["result"].eq("refused")]
        if len(a):
            sources.append("activities")
            frames.append(
                pd.DataFrame(
                    {
                        "manager_id": a["manager_id"].values,
                        "client_id": a["client_id"].values,
                        "date": a["occurred_at"].dt.normalize().values,
                        "reason": a["refusal_reason"].fillna(UNSPECIFIED).values,
                        "table": "activities",
                        "record_id": a["activity_id"].values,
                        "deal_id": a["deal_id"].values,
                    }
                )
            )
    if data.has("deals"):
        d = data.deals.loc[data.deals["outcome"].eq("lost")]
        if len(d):
            sources.append("deals")
            frames.append(
                pd.DataFrame(
                    {
                        "manager_id": d["manager_id"].values,
                        "client_id": d["client_id"].values,
                        "date": d["closed"].dt.normalize().values,
                        "reason": d["lost_reason"].fillna(UNSPECIFIED).values,
                        "table": "deals",
                        "record_id": d["deal_id"].values,
                        "deal_id": d["deal_id"].values,
                    }
                )
            )
    cols = [
        "manager_id",
        "client_id",
        "date",
        "reason",
        "table",
        "record_id",
        "deal_id",
        "duplicate_of",
    ]
    if not frames:
        return pd.DataFrame(columns=cols), ""
    ev = pd.concat(frames, ignore_index=True)
    ev["duplicate_of"] = None
    if len(sources) == 2:
        acts = ev["table"].eq("activities")
        lost = ev.loc[ev["table"].eq("deals")]
        lost_ids = set(lost["deal_id"])
        dup_by_id = acts & ev["deal_id"].isin(lost_ids)
        ev.loc[dup_by_id, "duplicate_of"] = ev.loc[dup_by_id, "deal_id"]
        k = ["client_id", "manager_id", "reason", "date"]
        cand = ev.loc[acts & ~dup_by_id & ev["client_id"].notna()].reset_index()
        same = cand.merge(
            lost[k + ["record_id"]].rename(columns={"record_id": "lost_id"}), on=k, how="inner"
        )
        same = same.drop_duplicates("index")
        ev.loc[same["index"].to_numpy(), "duplicate_of"] = same["lost_id"].to_numpy()
    return ev[cols], "+".join(sources)


def _holm(summary: pd.DataFrame, min_refusals: int) -> pd.Series:
    """Holm-adjusted p-values over the managers with >= min_refusals refusals (NaN for others)."""
    tested = summary["refusals"].ge(min_refusals) & summary["p_value"].notna()
    p = summary.loc[tested, "p_value"].astype("float64")
    out = pd.Series(np.nan, index=summary.index)
    if p.empty:
        return out
    order = p.sort_values(kind="mergesort")
    m = len(order)
    adj = np.minimum(1.0, np.maximum.accumulate(order.to_numpy() * (m - np.arange(m))))
    out.loc[order.index] = adj
    return out


def _adjusted_residuals(table: np.ndarray, expected: np.ndarray) -> np.ndarray:
    n = table.sum()
    row = table.sum(axis=1, keepdims=True) / n
    col = table.sum(axis=0, keepdims=True) / n
    return (table - expected) / np.sqrt(expected * (1 - row) * (1 - col))


def refusal_mix(
    data: Dataset,
    *,
    coaching: Mapping[str, Mapping[str, str]] | None = None,
    min_refusals: int = 10,
    min_share_diff: float = 0.15,
    alpha: float = 0.05,
) -> AnalysisResult:
    """Refusal reason mix per manager vs the team, dominant reason, chi-square test and coaching.

    Main (per manager x reason, plus manager_id 'team'): ``key, manager_id, manager_name, reason,
    count, share, team_share (share of the reason among the rest of the team), residual
    (adjusted standardized residual of the manager's count vs the rest of the team)``.
    Summary (per manager): ``key, manager_id, manager_name, refusals, dominant_reason,
    dominant_share, team_share_of_dominant, share_diff (dominant_share - team_share_of_dominant),
    chi2, dof, p_value, dominant_residual, flagged, recommendation_ru, recommendation_en`` (from
    ``coaching[dominant_reason]``, None when the dict has no entry).

    ``flagged``: refusals >= ``min_refusals``, share_diff >= ``min_share_diff`` and
    ``p_adjusted`` < ``alpha``. ``p_adjusted`` is the chi-square p-value adjusted by Holm over
    the managers tested (those with >= ``min_refusals``): testing a dozen managers at 5 % each
    would flag one by chance. The effect-size floor matters because with hundreds of refusals a
    chi-square finds even a 3-point difference "significant"; a real skew is e.g. 70 % vs 15 %.
    """
    params = {"min_refusals": min_refusals, "min_share_diff": min_share_diff, "alpha": alpha}
    ev_all, source = refusal_events(data)
    if not source:
        return not_enough_data("refusal_mix", "no refused activities and no lost deals", **params)
    ev = ev_all.loc[ev_all["duplicate_of"].isna()]
    params["source"] = source
    params["duplicates_merged"] = int(ev_all["duplicate_of"].notna().sum())
    ct = ev.groupby(["manager_id", "reason"]).size().unstack("reason", fill_value=0)
    reasons = list(ct.columns)
    total = ct.sum(axis=0)
    rows = []
    summ = []
    names = manager_names(data)
    for mgr in ct.index:  # one iteration per manager
        own = ct.loc[mgr]
        rest = total - own
        n = int(own.sum())
        dom = str(own[own == own.max()].index.sort_values()[0])
        keep = (own + rest) > 0
        tbl = np.vstack([own[keep].to_numpy(), rest[keep].to_numpy()]).astype("float64")
        chi2 = p = dof = np.nan
        resid = pd.Series(np.nan, index=reasons)
        if tbl.shape[1] >= 2 and tbl[1].sum() > 0 and n > 0:
            chi2, p, dof, expected = chi2_independence(tbl)
            resid.loc[np.asarray(reasons)[keep.to_numpy()]] = _adjusted_residuals(tbl, expected)[0]
        rest_n = float(rest.sum())
        for r in reasons:
            rows.append(
                (
                    mgr,
                    r,
                    int(own[r]),
                    own[r] / n if n else np.nan,
                    rest[r] / rest_n if rest_n else np.nan,
                    resid[r],
                )
            )
        rec = (coaching or {}).get(dom) or {}
        dom_share = own[dom] / n if n else np.nan
        team_dom = rest[dom] / rest_n if rest_n else np.nan
        diff = dom_share - team_dom
        flagged = bool(n >= min_refusals and not np.isnan(diff) and diff >= min_share_diff)
        summ.append(
            (
                mgr,
                n,
                dom,
                dom_share,
                team_dom,
                diff,
                chi2,
                dof,
                p,
                resid[dom],
                flagged,
                rec.get("ru"),
                rec.get("en"),
            )
        )
    tn = float(total.sum())
    for r in reasons:
        rows.append((TEAM, r, int(total[r]), total[r] / tn, total[r] / tn, np.nan))
    main = pd.DataFrame(
        rows, columns=["manager_id", "reason", "count", "share", "team_share", "residual"]
    )
    main = main.loc[(main["count"] > 0) | main["team_share"].gt(0)].reset_index(drop=True)
    main["manager_name"] = name_of(main["manager_id"], names)
    main.insert(0, "key", main["manager_id"] + "|" + main["reason"])
    main = main[
        ["key", "manager_id", "manager_name", "reason", "count", "share", "team_share", "residual"]
    ]
    summary = pd.DataFrame(
        summ,
        columns=[
            "manager_id",
            "refusals",
            "dominant_reason",
            "dominant_share",
            "team_share_of_dominant",
            "share_diff",
            "chi2",
            "dof",
            "p_value",
            "dominant_residual",
            "flagged",
            "recommendation_ru",
            "recommendation_en",
        ],
    )
    summary.insert(
        summary.columns.get_loc("p_value") + 1, "p_adjusted", _holm(summary, min_refusals)
    )
    summary["flagged"] = summary["flagged"] & summary["p_adjusted"].lt(alpha)
    summary["manager_name"] = name_of(summary["manager_id"], names)
    summary.insert(0, "key", summary["manager_id"])
    summary = summary[
        [
            "key",
            "manager_id",
            "manager_name",
            "refusals",
            "dominant_reason",
            "dominant_share",
            "team_share_of_dominant",
            "share_diff",
            "chi2",
            "dof",
            "p_value",
            "p_adjusted",
            "dominant_residual",
            "flagged",
            "recommendation_ru",
            "recommendation_en",
        ]
    ]
    dup = ev_all.loc[ev_all["duplicate_of"].notna()]
    dup_deal = ev_all.loc[ev_all["table"].eq("deals")].set_index("record_id")
    if len(dup):
        dup_key = (
            dup["duplicate_of"].map(dup_deal["manager_id"]).fillna(dup["manager_id"]).astype(str)
            + "|"
            + dup["duplicate_of"].map(dup_deal["reason"]).fillna(dup["reason"]).astype(str)
        )
    else:
        dup_key = pd.Series([], dtype=object)
    evid = concat_evidence(
        [
            evidence(ev["manager_id"] + "|" + ev["reason"], "", ev["record_id"]).assign(
                table=ev["table"].values
            ),
            evidence(dup_key, "activities", dup["record_id"]),
            evidence(ev["manager_id"], "", ev["record_id"]).assign(table=ev["table"].values),
        ]
    )
    return AnalysisResult(
        name="refusal_mix", tables={"main": main, "summary": summary}, evidence=evid, params=params
    )
