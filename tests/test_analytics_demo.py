"""Every planted problem of the demo company shows in the analytics; the healthy profile is clean.

The demo generator (:mod:`salesaudit.synth`) plants eight problems and lists them with their
measured values in ``planted.yaml``; these tests hold the analyses against that list.
"""

from __future__ import annotations

import pytest
from salesaudit.analytics import AnalysisResult, run_all

synth = pytest.importorskip("salesaudit.synth")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo() -> tuple[dict[str, AnalysisResult], dict]:
    data, planted = synth.generate_dataset("demo")
    return run_all(data, as_of=synth.AS_OF), planted


@pytest.fixture(scope="module")
def healthy() -> dict[str, AnalysisResult]:
    data, _ = synth.generate_dataset("healthy")
    return run_all(data, as_of=synth.AS_OF)


def _problem(planted: dict, pid: str) -> dict:
    return next(p for p in planted["problems"] if p["id"] == pid)


def test_all_analyses_ok(demo) -> None:
    res, _ = demo
    # the demo company exports no leads: only the lead funnel lacks its table
    assert {k: r.message for k, r in res.items() if not r.ok} == {
        "lead_funnel": "needs table(s): leads"
    }


def test_refusal_skews_p1_p2(demo) -> None:
    res, planted = demo
    s = res["refusals"].tables["summary"].set_index("manager_id")
    flagged = set(s.index[s["flagged"].astype(bool)])
    p1, p2 = _problem(planted, "P1"), _problem(planted, "P2")
    assert flagged == {p1["manager_id"], p2["manager_id"]}
    assert s.loc[p1["manager_id"], "dominant_reason"] == p1["expected"]["reason"] == "no_budget"
    assert (
        s.loc[p2["manager_id"], "dominant_reason"] == p2["expected"]["reason"] == "not_interested"
    )
    # activities and lost deals together: between the two measured shares of the generator
    for p in (p1, p2):
        share = s.loc[p["manager_id"], "dominant_share"]
        lo = min(p["expected"]["activities"], p["expected"]["lost_deals"]) - 0.02
        hi = max(p["expected"]["activities"], p["expected"]["lost_deals"]) + 0.02
        assert lo <= share <= hi


def test_fabricated_meetings_p3(demo) -> None:
    res, planted = demo
    p3 = _problem(planted, "P3")
    cred = res["credibility"].main.set_index("manager_id")
    assert cred.index[0] == p3["manager_id"]  # the most suspicious
    row = cred.loc[p3["manager_id"]]
    assert row["level"] == "high"
    assert bool(row["fixed_pay"]) is (p3["expected"]["pay"] == "fixed")
    for signal in ("batch_share", "evening_share", "impossible_share", "no_followup_share"):
        assert signal in row["reasons"]
    others = cred.drop(index=p3["manager_id"])
    assert (others["level"] == "low").all()
    sample = res["verification_sample"].main
    sizes = sample.groupby("manager_id").size()
    assert sizes[p3["manager_id"]] == 15  # oversampled x3
    assert sizes.drop(index=p3["manager_id"]).max() == 5


def test_owner_holds_top_clients_p4(demo) -> None:
    res, planted = demo
    exp = _problem(planted, "P4")["expected"]
    owner = res["delegation"].main.set_index("role").loc["owner"]
    assert owner["top_clients_share"] > 0.5 and exp["owner_share_of_top_clients"] > 0.5
    assert owner["revenue_share"] == pytest.approx(exp["owner_revenue_share"], abs=0.03)


def test_plan_money_only_p5(demo) -> None:
    res, planted = demo
    exp = _problem(planted, "P5")["expected"]
    m = res["plan_structure"].main.set_index("aspect")
    assert set(m.index[m["present"].astype(bool)]) == {"period", "employee"}
    assert (
        res["plan_structure"].tables["summary"].iloc[0]["acknowledged_share"]
        == exp["share_acknowledged"]
    )
    assert int(m.loc["period", "rows"]) == exp["rows"]


def test_training_effects_p6(demo) -> None:
    res, planted = demo
    t = res["training_effect"].main.set_index("date")
    for pid, verdict in (("P6a", "improved"), ("P6b", "no_change")):
        exp = _problem(planted, pid)["expected"]
        row = t.loc[exp["date"]]
        assert row["managers"] == ",".join(exp["managers"])
        assert row["metric"] == "meeting_to_deal"
        assert row["verdict"] == verdict


def test_stalled_deals_p7(demo) -> None:
    res, planted = demo
    exp = _problem(planted, "P7")["expected"]
    m = res["stalled_deals"].main
    assert sorted(m["deal_id"]) == sorted(exp["deal_ids"])
    assert m["amount"].sum() == exp["amount"]
    assert (m["days_idle"].min(), m["days_idle"].max()) == (
        exp["min_idle_days"],
        exp["max_idle_days"],
    )


def test_head_of_sales_sells_p8(demo) -> None:
    res, planted = demo
    exp = _problem(planted, "P8")["expected"]
    hos = res["delegation"].main.set_index("role").loc["head_of_sales"]
    assert hos["revenue_share"] == pytest.approx(exp["revenue_share"], abs=0.03)
    assert hos["selling_share"] > 0.9


def test_healthy_profile_raises_no_flags(healthy) -> None:
    assert not healthy["refusals"].tables["summary"]["flagged"].astype(bool).any()
    assert (healthy["credibility"].main["level"] == "low").all()
    assert healthy["delegation"].main.set_index("role").loc["owner", "top_clients_share"] < 0.1
    m = healthy["plan_structure"].main.set_index("aspect")
    assert bool(m.loc["acknowledged", "present"]) and bool(m.loc["meetings", "present"])
