"""Are the logged meetings real? Signals of "drawn" meetings and a sample for verification calls.

The method warns that some managers simply "draw" meetings, especially with a fixed pay
component, and recommends checking CRM data from time to time by calling a sample of clients.
Signals per manager (done meetings in the window):

- ``batch_share``: meetings logged in batches (>= 3 logged by the manager within 10 minutes);
- ``late_share``: logged >= 24 h after the time of the meeting;
- ``evening_share``: logged at 18:00 or later;
- ``no_followup_share``: no outcome (result 'none') and no activity or deal with that client in the
  14 days after;
- ``impossible_share``: overlapping meetings (next meeting starts < 60 min after the previous one),
  meetings on days with more than 4 meetings, meetings on weekends / holidays;
- ``repeat_comment_share``: the comment (normalised) is identical to another of the manager's
  meetings;
- ``fixed_pay``: the manager is on fixed pay (a risk factor, not evidence).

A share signal counts as "above the team norm" when it exceeds the team median by more than
``max(0.10, median)`` (i.e. at least double the median and 10 points above it). Score = sum of
the weights of the signals above norm (``WEIGHTS``, total 100); level 'high' >= 50, 'medium'
>= 25, else 'low'.
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
    evidence,
    manager_names,
    name_of,
    ts,
)
from salesaudit.analytics.calendar import working_day_mask
from salesaudit.model.dataset import Dataset

__all__ = ["credibility", "verification_sample", "WEIGHTS", "meeting_signals"]

WEIGHTS = {
    "batch_share": 25,
    "late_share": 15,
    "evening_share": 10,
    "no_followup_share": 15,
    "impossible_share": 20,
    "repeat_comment_share": 10,
    "fixed_pay": 5,
}
BATCH_SIZE = 3
BATCH_MINUTES = 10
LATE_HOURS = 24
EVENING_HOUR = 18
FOLLOWUP_DAYS = 14
MEETING_MINUTES = 60
MAX_FIELD_MEETINGS = 4
#: suspicion score from which a manager's level is "high" / "medium" (0-100 scale)
LEVEL_HIGH = 50
LEVEL_MEDIUM = 25
#: oversampling factor of the verification sample per suspicion level
OVERSAMPLE = {"high": 3, "medium": 2, "low": 1}


def _batch_flags(m: pd.DataFrame) -> pd.Series:
    """True for meetings inside a run of >= BATCH_SIZE logged by one manager within BATCH_MINUTES."""
    ok = m["logged_at"].notna()
    s = m.loc[ok, ["manager_id", "logged_at"]]
    if s.empty:
        return pd.Series(False, index=m.index)
    code = pd.factorize(s["manager_id"])[0].astype("int64")
    secs = (s["logged_at"].astype("int64") // 10**9).to_numpy()
    key = code * 10**11 + secs  # 10**11 s > 3000 years: managers never mix
    order = np.argsort(key, kind="mergesort")
    k = key[order]
    left = np.searchsorted(k, k - BATCH_MINUTES * 60, side="left")
    count = np.arange(len(k)) - left + 1
    mark = np.zeros(len(k) + 1, dtype="int64")
    hit = count >= BATCH_SIZE
    np.add.at(mark, left[hit], 1)
    np.add.at(mark, np.arange(len(k))[hit] + 1, -1)
    in_batch = np.cumsum(mark)[:-1] > 0
    flags = np.zeros(len(k), dtype=bool)
    flags[order] = in_batch
    return pd.Series(flags, index=s.index).reindex(m.index, fill_value=False)


def _no_followup(m: pd.DataFrame, data: Dataset) -> pd.Series:
    """Meetings with result 'none' and no activity / deal with the client within FOLLOWUP_DAYS after."""
    cand = m.loc[
        m["result"].eq("none") & m["client_id"].notna(), ["activity_id", "client_id", "occurred_at"]
    ]
    if cand.empty:
        return pd.Series(False, index=m.index)
    nxt = pd.Series(pd.NaT, index=cand.index, dtype="datetime64[ns]")
    a = data.activities.loc[
        data.activities["client_id"].notna(), ["activity_id", "client_id", "occurred_at"]
    ]
    c = cand.reset_index().sort_values("occurred_at", kind="mergesort")
    later = a.rename(columns={"occurred_at": "next_at", "activity_id": "next_id"}).sort_values(
        "next_at", kind="mergesort"
    )
    j = pd.merge_asof(
        c,
        later.assign(t=later["next_at"]),
        left_on="occurred_at",
        right_on="t",
        by="client_id",
        direction="forward",
        allow_exact_matches=False,
    )
    nxt.loc[j["index"].to_numpy()] = j["next_at"].to_numpy()
    if data.has("deals"):
        d = data.deals.loc[
            data.deals["client_id"].notna() & data.deals["created"].notna(),
            ["client_id", "created"],
        ]
        d = d.sort_values("created", kind="mergesort")
        jd = pd.merge_asof(
            c, d, left_on="occurred_at", right_on="created", by="client_id", direction="forward"
        )
        dd = pd.Series(jd["created"].to_numpy(), index=jd["index"].to_numpy())
        nxt = pd.concat([nxt, dd.reindex(nxt.index)], axis=1).min(axis=1)
    gap = nxt - cand["occurred_at"]
    none = gap.isna() | (gap > pd.Timedelta(days=FOLLOWUP_DAYS))
    return none.reindex(m.index, fill_value=False)


def meeting_signals(m: pd.DataFrame, data: Dataset) -> pd.DataFrame:
    """Per-meeting boolean signal columns for done meetings ``m`` (index preserved)."""
    occurred = m["occurred_at"]
    logged = m["logged_at"]
    lag = logged - occurred
    out = pd.DataFrame(index=m.index)
    out["batch"] = _batch_flags(m)
    out["late"] = (lag >= pd.Timedelta(hours=LATE_HOURS)).fillna(False)
    out["evening"] = (logged.dt.hour >= EVENING_HOUR).fillna(False)
    out["no_followup"] = _no_followup(m, data)
    srt = m.sort_values(["manager_id", "occurred_at"], kind="mergesort")
    same = srt["manager_id"].eq(srt["manager_id"].shift())
    gap = srt["occurred_at"] - srt["occurred_at"].shift()
    ov = same & (gap < pd.Timedelta(minutes=MEETING_MINUTES))
    ov = ov | ov.shift(-1, fill_value=False)  # both meetings of an overlapping pair
    out["overlap"] = ov.reindex(m.index)
    day = occurred.dt.normalize()
    per_day = m.groupby([m["manager_id"], day])["activity_id"].transform("size")
    out["overloaded_day"] = per_day > MAX_FIELD_MEETINGS
    out["off_day"] = ~working_day_mask(occurred)
    out["impossible"] = out["overlap"] | out["overloaded_day"] | out["off_day"]
    norm = m["comment"].fillna("").str.strip().str.lower().str.replace(r"\s+", " ", regex=True)
    has = norm.ne("")
    dup = pd.DataFrame({"m": m["manager_id"], "c": norm}).duplicated(keep=False)
    out["repeat_comment"] = has & dup
    return out


_SIGNAL_OF = {
    "batch_share": "batch",
    "late_share": "late",
    "evening_share": "evening",
    "no_followup_share": "no_followup",
    "impossible_share": "impossible",
    "repeat_comment_share": "repeat_comment",
}


@requires("activities")
def credibility(data: Dataset, *, as_of: dt.date, months: int = 6) -> AnalysisResult:
    """Suspicion score per manager from signals of fabricated meetings over the last ``months``
    calendar months (the month of ``as_of`` included).

    Main columns: ``key, manager_id, manager_name, meetings, batch_share, late_share,
    evening_share, no_followup_share, overlap_meetings, overloaded_day_meetings, off_day_meetings,
    impossible_share, repeat_comment_share, fixed_pay, score (0-100), level, reasons`` (signals
    above the team norm, '; '-separated). Table ``signals`` (long): ``key, manager_id, signal,
    value, team_norm, above_norm, weight``. Evidence: ``manager|signal`` -> the meetings showing it.
    """
    params = {"as_of": str(as_of), "months": months, "weights": dict(WEIGHTS)}
    start = add_months(ts(as_of), -(months - 1))
    a = done_activities(data, as_of)
    m = a.loc[a["type"].eq("meeting") & (a["occurred_at"] >= start)]
    if m.empty:
        return not_enough_data("credibility", "no done meetings in the window", **params)
    sig = meeting_signals(m, data)
    g = sig.groupby(m["manager_id"])
    main = pd.DataFrame({"meetings": g.size()})
    for col, s in _SIGNAL_OF.items():
        main[col] = g[s].mean()
    # "no outcome" can only be seen where the export carries results: over meetings with a known
    # result (empty, never 0 %, for a manager whose results were not exported)
    known = m["result"].ne("unknown")
    main["no_followup_share"] = sig["no_followup"].where(known).groupby(m["manager_id"]).mean()
    main["overlap_meetings"] = g["overlap"].sum().astype("int64")
    main["overloaded_day_meetings"] = g["overloaded_day"].sum().astype("int64")
    main["off_day_meetings"] = g["off_day"].sum().astype("int64")
    pay = pd.Series(dtype=object)
    if data.has("managers"):
        pay = data.managers.drop_duplicates("manager_id").set_index("manager_id")["pay"]
    main["fixed_pay"] = main.index.map(pay).to_series(index=main.index).eq("fixed")
    long = []
    score = pd.Series(0.0, index=main.index)
    reasons = pd.Series("", index=main.index, dtype=object)
    for col in _SIGNAL_OF:
        norm = float(main[col].median())
        above = main[col] > norm + max(0.10, norm)
        score += above * WEIGHTS[col]
        reasons = reasons.where(~above, reasons + np.where(reasons.eq(""), "", "; ") + col)
        long.append(
            pd.DataFrame(
                {
                    "manager_id": main.index,
                    "signal": col,
                    "value": main[col].to_numpy(),
                    "team_norm": norm,
                    "above_norm": above.to_numpy(),
                    "weight": WEIGHTS[col],
                }
            )
        )
    fp = main["fixed_pay"]
    score += fp * WEIGHTS["fixed_pay"]
    reasons = reasons.where(~fp, reasons + np.where(reasons.eq(""), "", "; ") + "fixed_pay")
    long.append(
        pd.DataFrame(
            {
                "manager_id": main.index,
                "signal": "fixed_pay",
                "value": fp.astype("float64").to_numpy(),
                "team_norm": np.nan,
                "above_norm": fp.to_numpy(),
                "weight": WEIGHTS["fixed_pay"],
            }
        )
    )
    main["score"] = score.astype("float64")
    main["level"] = np.where(
        score >= LEVEL_HIGH, "high", np.where(score >= LEVEL_MEDIUM, "medium", "low")
    )
    main["reasons"] = reasons
    main.index.name = "manager_id"
    main = main.reset_index()
    main["manager_name"] = name_of(main["manager_id"], manager_names(data))
    main.insert(0, "key", main["manager_id"])
    main = main[
        [
            "key",
            "manager_id",
            "manager_name",
            "meetings",
            "batch_share",
            "late_share",
            "evening_share",
            "no_followup_share",
            "overlap_meetings",
            "overloaded_day_meetings",
            "off_day_meetings",
            "impossible_share",
            "repeat_comment_share",
            "fixed_pay",
            "score",
            "level",
            "reasons",
        ]
    ]
    main = main.sort_values(["score", "manager_id"], ascending=[False, True]).reset_index(drop=True)
    signals = pd.concat(long, ignore_index=True)
    signals.insert(0, "key", signals["manager_id"] + "|" + signals["signal"])
    ev = [evidence(m["manager_id"] + "|meetings", "activities", m["activity_id"])]
    for col, s in _SIGNAL_OF.items():
        hit = sig[s]
        ev.append(
            evidence(m.loc[hit, "manager_id"] + "|" + col, "activities", m.loc[hit, "activity_id"])
        )
    return AnalysisResult(
        name="credibility",
        tables={"main": main, "signals": signals},
        evidence=concat_evidence(ev),
        params=params,
    )


def _phone_key(phone: pd.Series) -> pd.Series:
    """Digits of a phone number (last 10, so +7 / 8 prefixes match); empty when none."""
    digits = phone.astype("string").fillna("").str.replace(r"\D", "", regex=True)
    return digits.str[-10:].astype(object)


def _draw_distinct(
    order: pd.DataFrame, quota: pd.Series, managers: list[str]
) -> tuple[list[object], dict[str, int]]:
    """Round-robin draw: each manager in ``managers`` order takes its next meeting (``order`` is
    sorted by manager then random rank) whose client and phone are not taken yet, until its
    ``quota`` is met or it has no such meeting left. Returns the picked index labels and the
    number drawn per manager."""
    queues: dict[str, list[tuple[object, str, str]]] = {m: [] for m in managers}
    for idx, mgr, client, phone in zip(
        order.index, order["manager_id"], order["client_id"], order["_phone"], strict=True
    ):
        queues[mgr].append((idx, str(client), phone))
    pos = dict.fromkeys(managers, 0)
    drawn = dict.fromkeys(managers, 0)
    clients: set[str] = set()
    phones: set[str] = set()
    picked: list[object] = []
    active = [m for m in managers if quota[m] > 0 and queues[m]]
    while active:
        still = []
        for mgr in active:
            q = queues[mgr]
            while pos[mgr] < len(q):
                idx, client, phone = q[pos[mgr]]
                pos[mgr] += 1
                if client in clients or (phone and phone in phones):
                    continue
                clients.add(client)
                if phone:
                    phones.add(phone)
                picked.append(idx)
                drawn[mgr] += 1
                break
            if drawn[mgr] < quota[mgr] and pos[mgr] < len(q):
                still.append(mgr)
        active = still
    return picked, drawn


@requires("activities")
def verification_sample(
    data: Dataset,
    *,
    as_of: dt.date,
    per_manager: int = 5,
    seed: int = 42,
    months: int = 3,
    suspicion: pd.DataFrame | None = None,
) -> AnalysisResult:
    """A reproducible stratified sample of done meetings with a client, for verification calls,
    with every contact once.

    Stratified by manager: ``per_manager`` meetings each, times ``OVERSAMPLE`` of the manager's
    suspicion level from :func:`credibility` (high x3, medium x2, low x1), drawn from the last
    ``months`` calendar months. ``suspicion``: the main table of an already computed
    :func:`credibility` (``manager_id``, ``level``) to reuse; computed here (6 months) when
    None. The draw depends only on the data and ``seed``.

    No contact is called twice: the sample never holds two meetings with the same client, nor
    two clients with the same phone number (digits compared, last 10). Managers draw in turns
    (most suspicious level first, then by id), one meeting per turn, each taking its next
    randomly ranked meeting with a contact nobody has taken yet; so a client met by two
    managers goes to one of them and the other draws another client. A manager with fewer
    distinct contacts than the quota gets all of them; table ``strata`` says so per manager.

    Main columns: ``key (activity_id), manager_id, manager_name, suspicion_level, activity_id,
    occurred_at, client_id, client_name, contact_person, phone, email, comment, result,
    meetings_with_client`` (the manager's done meetings with that client in the window).
    Table ``strata``: ``key, manager_id, manager_name, suspicion_level, meetings, contacts
    (distinct clients), quota, drawn, shortfall``.
    """
    params = {"as_of": str(as_of), "per_manager": per_manager, "seed": seed, "months": months}
    start = add_months(ts(as_of), -(months - 1))
    a = done_activities(data, as_of)
    m = a.loc[a["type"].eq("meeting") & a["client_id"].notna() & (a["occurred_at"] >= start)]
    if m.empty:
        return not_enough_data(
            "verification_sample", "no done meetings with a client in the window", **params
        )
    if suspicion is None:
        cred = credibility(data, as_of=as_of, months=max(months, 6))
        suspicion = cred.main if cred.ok else None
    level = (
        suspicion.set_index("manager_id")["level"]
        if suspicion is not None and len(suspicion)
        else pd.Series(dtype=object)
    )
    m = m.sort_values("activity_id", kind="mergesort")
    rng = np.random.default_rng(seed)
    lvl = m["manager_id"].map(level).fillna("low")
    cols = ["contact_person", "phone", "email"]
    m = m.assign(suspicion_level=lvl, _rand=rng.random(len(m)))
    if data.has("clients"):
        c = data.clients.drop_duplicates("client_id").set_index("client_id")
        for col in cols:
            m[col] = m["client_id"].map(c[col])
    else:
        for col in cols:
            m[col] = None
    m["_phone"] = _phone_key(m["phone"])
    m["meetings_with_client"] = (
        m.groupby(["manager_id", "client_id"])["activity_id"].transform("size").astype("int64")
    )
    per = m.groupby("manager_id").agg(
        meetings=("activity_id", "size"),
        contacts=("client_id", "nunique"),
        suspicion_level=("suspicion_level", "first"),
    )
    per["quota"] = per["suspicion_level"].map(OVERSAMPLE).fillna(1).astype("int64") * per_manager
    rank = {v: i for i, v in enumerate(("high", "medium", "low"))}
    managers = sorted(per.index, key=lambda x: (rank.get(per.at[x, "suspicion_level"], 3), x))
    order = m.sort_values(["manager_id", "_rand", "activity_id"], kind="mergesort")
    picked, drawn = _draw_distinct(order, per["quota"], managers)
    s = m.loc[picked].copy()
    s["client_name"] = name_of(s["client_id"], client_names(data))
    s["manager_name"] = name_of(s["manager_id"], manager_names(data))
    s["key"] = s["activity_id"]
    main = s[
        [
            "key",
            "manager_id",
            "manager_name",
            "suspicion_level",
            "activity_id",
            "occurred_at",
            "client_id",
            "client_name",
            "contact_person",
            "phone",
            "email",
            "comment",
            "result",
            "meetings_with_client",
        ]
    ]
    main = main.sort_values(["manager_id", "occurred_at", "activity_id"]).reset_index(drop=True)
    strata = per.reset_index()
    strata["drawn"] = strata["manager_id"].map(drawn).astype("int64")
    strata["shortfall"] = (strata["quota"] - strata["drawn"]).astype("int64")
    strata["manager_name"] = name_of(strata["manager_id"], manager_names(data))
    strata.insert(0, "key", strata["manager_id"])
    strata = strata[
        [
            "key",
            "manager_id",
            "manager_name",
            "suspicion_level",
            "meetings",
            "contacts",
            "quota",
            "drawn",
            "shortfall",
        ]
    ]
    ev = evidence(main["activity_id"], "activities", main["activity_id"])
    return AnalysisResult(
        name="verification_sample",
        tables={"main": main, "strata": strata},
        evidence=ev,
        params=params,
    )
