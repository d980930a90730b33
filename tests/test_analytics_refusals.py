"""Refusal mix: a planted skew is flagged, a small difference is not; dedupe of the same event."""

from __future__ import annotations

import math

import pytest
from salesaudit.analytics import refusal_mix
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

COACHING = {
    "no_budget": {"ru": "Предлагать гибкие условия оплаты", "en": "Offer flexible payment terms"},
    "not_interested": {"ru": "Лучше знать продукт", "en": "Know the product better"},
}


def _refusals(manager: str, counts: dict[str, int], start: int = 0) -> list[dict]:
    rows = []
    i = start
    for reason, n in counts.items():
        for _ in range(n):
            rows.append(
                {
                    "activity_id": f"{manager}-{i}",
                    "manager_id": manager,
                    "client_id": f"c{i}",
                    "type": "call",
                    "occurred_at": "2025-10-01 10:00",
                    "status": "done",
                    "result": "refused",
                    "refusal_reason": reason,
                }
            )
            i += 1
    return rows


def _data(extra: list[dict] | None = None) -> Dataset:
    rows = (
        _refusals("m1", {"no_budget": 24, "not_interested": 6})
        + _refusals("m2", {"no_budget": 6, "not_interested": 24})
        + _refusals("m3", {"no_budget": 15, "not_interested": 15})
        + (extra or [])
    )
    rows.append(
        {
            "activity_id": "ok1",
            "manager_id": "m3",
            "type": "call",
            "occurred_at": "2025-10-01 11:00",
            "status": "done",
            "result": "agreed",
        }
    )
    return Dataset(activities=canonical_frame("activities", rows))


def test_planted_skew_is_flagged_small_difference_is_not() -> None:
    res = refusal_mix(_data(), coaching=COACHING)
    assert res.ok and res.params["source"] == "activities"
    s = res.tables["summary"].set_index("key")
    m1 = s.loc["m1"]
    assert m1["refusals"] == 30 and m1["dominant_reason"] == "no_budget"
    assert m1["dominant_share"] == pytest.approx(0.8)
    assert m1["team_share_of_dominant"] == pytest.approx(21 / 60)
    # [[24, 6], [21, 39]]: expected [[15, 15], [30, 30]] -> chi2 = 5.4 + 5.4 + 2.7 + 2.7
    assert m1["chi2"] == pytest.approx(16.2)
    assert m1["dof"] == 1
    assert m1["p_value"] < 0.001
    assert m1["dominant_residual"] == pytest.approx(9 / math.sqrt(5))
    assert bool(m1["flagged"]) is True
    assert m1["recommendation_ru"] == "Предлагать гибкие условия оплаты"
    assert m1["recommendation_en"] == "Offer flexible payment terms"
    assert s.loc["m2", "dominant_reason"] == "not_interested" and bool(s.loc["m2", "flagged"])
    m3 = s.loc["m3"]
    assert m3["chi2"] == pytest.approx(0.0) and m3["p_value"] == pytest.approx(1.0)
    # Holm over 3 managers: m1 and m2 share the smallest p (mirror tables) -> 3p; m3 -> 1
    assert m1["p_adjusted"] == pytest.approx(3 * m1["p_value"])
    assert m3["p_adjusted"] == pytest.approx(1.0)
    assert bool(m3["flagged"]) is False
    main = res.main.set_index("key")
    assert main.loc["m1|no_budget", ["count", "share"]].tolist() == [24, 0.8]
    assert main.loc["team|no_budget", ["count", "share"]].tolist() == [45, 0.5]
    ev = res.evidence
    assert ev.loc[ev["key"].eq("m1|no_budget")].shape[0] == 24


def test_small_sample_is_not_flagged() -> None:
    extra = _refusals("m4", {"no_budget": 9}, start=100)
    res = refusal_mix(_data(extra), min_refusals=10)
    m4 = res.tables["summary"].set_index("key").loc["m4"]
    assert m4["refusals"] == 9 and m4["p_value"] < 0.05
    assert bool(m4["flagged"]) is False
    assert m4["recommendation_ru"] is None
    res = refusal_mix(_data(extra), min_refusals=9)
    assert bool(res.tables["summary"].set_index("key").loc["m4", "flagged"]) is True


def test_lost_deal_and_its_refusal_are_one_event() -> None:
    acts = canonical_frame(
        "activities",
        [
            {
                "activity_id": "a1",
                "manager_id": "m1",
                "client_id": "c1",
                "type": "call",
                "occurred_at": "2025-10-01 10:00",
                "status": "done",
                "result": "refused",
                "refusal_reason": "no_budget",
                "deal_id": "d1",
            },
            {
                "activity_id": "a2",
                "manager_id": "m1",
                "client_id": "c2",
                "type": "call",
                "occurred_at": "2025-10-02 10:00",
                "status": "done",
                "result": "refused",
                "refusal_reason": "competitor",
            },
            {
                "activity_id": "a3",
                "manager_id": "m1",
                "client_id": "c3",
                "type": "call",
                "occurred_at": "2025-10-03 10:00",
                "status": "done",
                "result": "refused",
                "refusal_reason": "timing",
            },
        ],
    )
    deals = canonical_frame(
        "deals",
        [
            {
                "deal_id": "d1",
                "manager_id": "m1",
                "client_id": "c1",
                "created": "2025-09-01",
                "closed": "2025-10-01",
                "outcome": "lost",
                "lost_reason": "no_budget",
            },
            {
                "deal_id": "d2",
                "manager_id": "m1",
                "client_id": "c2",
                "created": "2025-09-01",
                "closed": "2025-10-02",
                "outcome": "lost",
                "lost_reason": "competitor",
            },
            {
                "deal_id": "d3",
                "manager_id": "m1",
                "client_id": "c4",
                "created": "2025-09-01",
                "closed": "2025-10-05",
                "outcome": "lost",
                "lost_reason": None,
            },
        ],
    )
    res = refusal_mix(Dataset(activities=acts, deals=deals))
    assert res.params["source"] == "activities+deals"
    assert res.params["duplicates_merged"] == 2  # a1 by deal_id, a2 by client/manager/reason/day
    main = res.main.set_index("key")
    assert main.loc["m1|no_budget", "count"] == 1
    assert main.loc["m1|competitor", "count"] == 1
    assert main.loc["m1|timing", "count"] == 1
    assert main.loc["m1|unspecified", "count"] == 1
    assert res.tables["summary"].set_index("key").loc["m1", "refusals"] == 4
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("m1|no_budget"), "record_id"]) == ["a1", "d1"]


def test_no_refusals() -> None:
    acts = canonical_frame(
        "activities",
        [
            {
                "activity_id": "a",
                "manager_id": "m",
                "type": "call",
                "occurred_at": "2025-10-01",
                "status": "done",
                "result": "agreed",
            }
        ],
    )
    assert refusal_mix(Dataset(activities=acts)).status == "insufficient_data"


def test_significant_but_small_difference_is_not_flagged() -> None:
    rows = _refusals("m1", {"no_budget": 400, "not_interested": 600})
    rows += _refusals("m2", {"no_budget": 350, "not_interested": 650}, start=1000)
    rows += _refusals("m3", {"no_budget": 350, "not_interested": 650}, start=2000)
    res = refusal_mix(Dataset(activities=canonical_frame("activities", rows)))
    m1 = res.tables["summary"].set_index("key").loc["m1"]
    assert m1["dominant_reason"] == "not_interested"
    assert m1["share_diff"] == pytest.approx(0.6 - 0.65)
    # [[400, 600], [700, 1300]]: chi2 = (100/3)^2 x (1/366.67 + 1/633.33 + 1/733.33 + 1/1266.67)
    assert m1["chi2"] == pytest.approx((100 / 3) ** 2 * (3 / 1100 + 3 / 1900 + 3 / 2200 + 3 / 3800))
    assert m1["p_value"] < 0.01
    assert bool(m1["flagged"]) is False
    res = refusal_mix(Dataset(activities=canonical_frame("activities", rows)), min_share_diff=0.0)
    assert bool(res.tables["summary"].set_index("key").loc["m1", "flagged"]) is False  # diff < 0
