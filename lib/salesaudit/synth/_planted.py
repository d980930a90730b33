"""The planted-problems report: what was planted in the demo company, with the exact values the
ground truth shows, and the same measurements for the healthy profile (where nothing is planted).
"""

from __future__ import annotations

import pandas as pd

from salesaudit.model.dataset import Dataset
from salesaudit.synth import _signals as sig
from salesaudit.synth._company import AS_OF, HISTORY_START
from salesaudit.synth._generate import (
    FABRICATOR,
    HEAD,
    NO_BUDGET_MANAGER,
    NOT_INTERESTED_MANAGER,
    OWNER,
    TRAINING_NO_EFFECT,
    TRAINING_WORKED,
)

PERIOD = f"{HISTORY_START.isoformat()}..{AS_OF.isoformat()}"

REPORT = {
    "demo": {
        "client_name": "ООО «Вектор Стройкомплект» (демо)",
        "industry": "Дистрибуция строительных материалов и инженерного оборудования (B2B)",
        "consultant": "Демо-консультант",
    },
    "healthy": {
        "client_name": "ООО «Опора Стройкомплект» (демо, здоровый профиль)",
        "industry": "Дистрибуция строительных материалов и инженерного оборудования (B2B)",
        "consultant": "Демо-консультант",
    },
}


def report_info(profile: str) -> dict:
    """Content of ``report.yaml`` for a generated client folder."""
    return {**REPORT[profile], "as_of": AS_OF, "currency": "RUB"}


def measurements(data: Dataset) -> dict:
    """Every planted-signal measurement on ``data`` (both profiles), plain YAML-able values."""
    as_of = pd.Timestamp(AS_OF)
    stalled = sig.stalled_deals(data, as_of)
    return {
        "refusal_no_budget": sig.reason_share(data, NO_BUDGET_MANAGER, "no_budget"),
        "refusal_not_interested": sig.reason_share(data, NOT_INTERESTED_MANAGER, "not_interested"),
        "max_reason_share_any_manager": sig.max_reason_share(data),
        "meeting_log": {m: sig.meeting_log_metrics(data, m) for m in (FABRICATOR, "m01")},
        "pay": sig.pay_of_sellers(data),
        "owner_top_clients": sig.owner_top_clients(data),
        "plan": sig.plan_structure(data),
        "training_worked": sig.training_conversion(data, TRAINING_WORKED[2]),
        "training_no_effect": sig.training_conversion(data, TRAINING_NO_EFFECT[2]),
        "stalled_deals": {
            "count": int(len(stalled)),
            "min_idle_days": int(stalled["idle_days"].min()) if len(stalled) else 0,
            "max_idle_days": int(stalled["idle_days"].max()) if len(stalled) else 0,
            "amount": float(round(stalled["amount"].sum(), 2)),
            "deal_ids": stalled["deal_id"].tolist(),
        },
        "head_of_sales": sig.head_of_sales_profile(data),
    }


def _name(data: Dataset, manager_id: str) -> str:
    m = data.managers
    return str(m.loc[m["manager_id"] == manager_id, "name"].iloc[0])


def planted_report(data: Dataset, profile: str, seed: int) -> dict:
    """The planted-problems dict written to ``planted.yaml``.

    ``problems`` lists each planted case (``id``, ``kind``, ``who``, ``manager_id``, ``period``,
    ``signal`` in words, ``expected`` with exact values measured on the ground truth); it is
    empty for the healthy profile. ``measured`` holds the same measurements for any profile.
    """
    meas = measurements(data)
    out: dict = {
        "profile": profile,
        "seed": seed,
        "as_of": AS_OF.isoformat(),
        "period": PERIOD,
        "synthetic": True,
        "problems": [],
        "measured": meas,
    }
    if profile != "demo":
        return out
    names = {mid: _name(data, mid) for mid in data.managers["manager_id"]}
    tw, tn = meas["training_worked"], meas["training_no_effect"]
    out["problems"] = [
        {
            "id": "P1",
            "kind": "refusal_mix",
            "who": names[NO_BUDGET_MANAGER],
            "manager_id": NO_BUDGET_MANAGER,
            "period": PERIOD,
            "signal": "refusals are mostly 'no budget' (Нет бюджета) against ~15% in the team",
            "expected": {"reason": "no_budget", **meas["refusal_no_budget"]},
        },
        {
            "id": "P2",
            "kind": "refusal_mix",
            "who": names[NOT_INTERESTED_MANAGER],
            "manager_id": NOT_INTERESTED_MANAGER,
            "period": PERIOD,
            "signal": "refusals are mostly 'not interested' (Не интересно)",
            "expected": {"reason": "not_interested", **meas["refusal_not_interested"]},
        },
        {
            "id": "P3",
            "kind": "fabricated_meetings",
            "who": names[FABRICATOR],
            "manager_id": FABRICATOR,
            "period": PERIOD,
            "signal": "fixed pay; meetings logged in batches after 18:00 (sometimes days later), "
            "no outcome, no deal or follow-up, repeated identical comments, 6+ meetings a day, "
            "overlapping and weekend/holiday meetings",
            "expected": {"pay": "fixed", **meas["meeting_log"][FABRICATOR]},
            "reference_manager": {"manager_id": "m01", **meas["meeting_log"]["m01"]},
        },
        {
            "id": "P4",
            "kind": "owner_holds_top_clients",
            "who": names[OWNER],
            "manager_id": OWNER,
            "period": PERIOD,
            "signal": "the owner is the responsible manager of most of the top-20% clients by "
            "revenue",
            "expected": meas["owner_top_clients"],
        },
        {
            "id": "P5",
            "kind": "plan_money_only",
            "who": "department",
            "manager_id": None,
            "period": "2025-06..2026-12",
            "signal": "the plan is roubles per manager per month only: no client/brand/activity "
            "breakdown, never acknowledged",
            "expected": meas["plan"],
        },
        {
            "id": "P6a",
            "kind": "training_effect",
            "who": [names[m] for m in tw["managers"]],
            "manager_id": tw["managers"],
            "period": tw["date"],
            "signal": f"'{TRAINING_WORKED[2]}' worked: meeting->deal conversion up after the date",
            "expected": {"effect": "positive", **tw},
        },
        {
            "id": "P6b",
            "kind": "training_effect",
            "who": [names[m] for m in tn["managers"]],
            "manager_id": tn["managers"],
            "period": tn["date"],
            "signal": f"'{TRAINING_NO_EFFECT[2]}' did not work: conversion unchanged",
            "expected": {"effect": "none", **tn},
        },
        {
            "id": "P7",
            "kind": "stalled_deals",
            "who": "department",
            "manager_id": None,
            "period": f"open deals idle >= {sig.STALL_DAYS} days before {AS_OF.isoformat()}",
            "signal": "open deals with no activity for 30-120 days",
            "expected": meas["stalled_deals"],
        },
        {
            "id": "P8",
            "kind": "head_of_sales_sells",
            "who": names[HEAD],
            "manager_id": HEAD,
            "period": PERIOD,
            "signal": "the head of sales sells a lot himself (~20% of revenue) and logs little "
            "management work",
            "expected": meas["head_of_sales"],
        },
    ]
    return out
