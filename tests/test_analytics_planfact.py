"""Plan / fact / forecast and plan acknowledgement on a small hand-built company."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics import plan_acknowledgement, plan_fact
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 11, 14)  # Nov 2025: 19 working days, 9 elapsed (1, 5-7, 10-14), 10 left


def _plan(period, manager, metric, value, dim="none", dim_value=None, ack=None, row=None) -> dict:
    return {
        "period": period,
        "manager_id": manager,
        "dimension": dim,
        "dimension_value": dim_value,
        "metric": metric,
        "value": value,
        "acknowledged_at": ack,
        "src_file": "plan.xlsx",
        "src_row": row,
    }


def _data() -> Dataset:
    plans = canonical_frame(
        "plans",
        [
            _plan("2025-10-01", "m1", "revenue", 100, ack="2025-09-30", row=2),
            _plan("2025-10-01", "m2", "revenue", 200, row=3),
            _plan("2025-11-01", "m1", "revenue", 1000, ack="2025-10-31", row=4),
            _plan("2025-11-01", "m2", "revenue", 2000, ack="2025-11-02", row=5),
            _plan("2025-11-01", None, "revenue", 3500, row=6),
            _plan("2025-11-01", "m1", "revenue", 300, dim="brand", dim_value="X", row=7),
            _plan("2025-11-01", None, "revenue", 100, dim="brand", dim_value="Y", row=8),
            _plan("2025-11-01", "m1", "meetings", 10, row=9),
            _plan("2025-11-01", "m1", "active_clients", 5, row=10),
            _plan("2025-11-01", "m1", "new_clients", 2, row=11),
            _plan("2025-12-01", "m1", "revenue", 900, row=12),
        ],
    )
    sales = canonical_frame(
        "sales",
        [
            {
                "sale_id": "s1",
                "date": "2025-10-10 00:00",
                "client_id": "c1",
                "manager_id": "m1",
                "brand": "X",
                "amount": 120,
            },
            {
                "sale_id": "s2",
                "date": "2025-10-20 00:00",
                "client_id": "c2",
                "manager_id": "m2",
                "brand": "Y",
                "amount": 150,
            },
            {
                "sale_id": "s3",
                "date": "2025-11-05 00:00",
                "client_id": "c3",
                "manager_id": "m1",
                "brand": "X",
                "amount": 450,
            },
            {
                "sale_id": "s4",
                "date": "2025-11-14 23:00",
                "client_id": "c2",
                "manager_id": "m2",
                "brand": "Y",
                "amount": 900,
            },
            {
                "sale_id": "s5",
                "date": "2025-11-15 00:00",
                "client_id": "c1",
                "manager_id": "m1",
                "brand": "X",
                "amount": 999,
            },
            {
                "sale_id": "s6",
                "date": "2025-11-10 00:00",
                "client_id": "c4",
                "manager_id": None,
                "brand": "Y",
                "amount": 90,
            },
        ],
    )
    acts = canonical_frame(
        "activities",
        [
            {
                "activity_id": "a1",
                "manager_id": "m1",
                "client_id": "c2",
                "type": "meeting",
                "occurred_at": "2025-11-03 10:00",
                "status": "done",
                "result": "agreed",
            },
            {
                "activity_id": "a2",
                "manager_id": "m1",
                "client_id": "c2",
                "type": "meeting",
                "occurred_at": "2025-11-06 10:00",
                "status": "planned",
                "result": "none",
            },
            {
                "activity_id": "a3",
                "manager_id": "m1",
                "client_id": "c1",
                "type": "call",
                "occurred_at": "2025-11-07 10:00",
                "status": "done",
                "result": "none",
            },
            {
                "activity_id": "a4",
                "manager_id": "m1",
                "client_id": "c1",
                "type": "meeting",
                "occurred_at": "2025-11-20 10:00",
                "status": "done",
                "result": "agreed",
            },
        ],
    )
    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "m1", "name": "Анна", "role": "manager", "pay": "mixed"},
            {"manager_id": "m2", "name": "Борис", "role": "manager", "pay": "fixed"},
        ],
    )
    return Dataset(managers=managers, plans=plans, sales=sales, activities=acts)


def test_revenue_plan_fact_and_running_forecast() -> None:
    res = plan_fact(_data(), as_of=AS_OF)
    assert res.ok
    m = res.main.set_index("key")
    assert list(m.index) == [
        "2025-10|m1",
        "2025-10|m2",
        "2025-10|total",
        "2025-11|m1",
        "2025-11|m2",
        "2025-11|unassigned",  # the sale without a manager has its own row, never dropped
        "2025-11|total",
        "2025-12|m1",
        "2025-12|total",
    ]
    assert m.loc["2025-10|m1", ["plan", "fact", "deviation", "pct_done", "forecast"]].tolist() == [
        100,
        120,
        20,
        120,
        120,
    ]
    assert m.loc["2025-10|m2", ["plan", "fact", "deviation", "pct_done"]].tolist() == [
        200,
        150,
        -50,
        75,
    ]
    assert m.loc["2025-10|total", ["plan", "fact"]].tolist() == [300, 270]  # no department row: sum
    assert bool(m.loc["2025-10|total", "is_total"]) and m.loc["2025-10|total", "manager_id"] is None
    nov = m.loc["2025-11|m1"]
    assert (nov["wd_total"], nov["wd_elapsed"], nov["wd_left"], bool(nov["running"])) == (
        19,
        9,
        10,
        True,
    )
    assert nov["fact"] == 450 and nov["pct_done"] == 45
    assert nov["forecast"] == pytest.approx(950.0)
    assert nov["forecast_pct"] == pytest.approx(95.0)
    assert nov["required_daily"] == pytest.approx(55.0)
    assert m.loc["2025-11|m1", "manager_name"] == "Анна"
    assert m.loc["2025-11|m2", "forecast"] == pytest.approx(1900.0)
    tot = m.loc["2025-11|total"]
    assert tot["plan"] == 3500  # the department row wins over the managers' sum (3000)
    assert tot["fact"] == 1440  # 450 + 900 + 90 (unassigned sale); s5 is after as_of
    assert tot["forecast"] == pytest.approx(3040.0)
    assert tot["required_daily"] == pytest.approx(206.0)
    loose = m.loc["2025-11|unassigned"]
    assert (loose["row_kind"], loose["fact"], loose["manager_id"]) == ("unassigned", 90, None)
    assert pd.isna(loose["plan"]) and not bool(loose["is_total"])
    assert pd.isna(m.loc["2025-10|m1", "required_daily"])
    dec = m.loc["2025-12|m1"]  # a future period: plan only
    assert dec["plan"] == 900 and pd.isna(dec["fact"]) and pd.isna(dec["forecast"])
    assert (dec["wd_total"], dec["wd_elapsed"], bool(dec["running"])) == (22, 0, False)


def test_team_total_is_the_sum_of_its_rows_with_the_owner_on_his_own_row() -> None:
    data = _data()
    owner = canonical_frame(
        "managers", [{"manager_id": "own", "name": "Собственник", "role": "owner", "pay": "fixed"}]
    )
    sale = canonical_frame(
        "sales",
        [{"sale_id": "s9", "date": "2025-10-15", "amount": 1000.0, "manager_id": "own"}],
    )
    data = data.replace(
        managers=pd.concat([data.managers, owner], ignore_index=True),
        sales=pd.concat([data.sales, sale], ignore_index=True),
    )
    m = plan_fact(data, as_of=AS_OF).main
    octo = m.loc[m["key"].str.startswith("2025-10")].set_index("key")
    assert list(octo.index) == ["2025-10|m1", "2025-10|m2", "2025-10|own", "2025-10|total"]
    assert octo.loc["2025-10|own", ["row_kind", "fact", "manager_name"]].tolist() == [
        "unplanned",
        1000,
        "Собственник",
    ]
    assert pd.isna(octo.loc["2025-10|own", "plan"])
    # the owner's sale counts in the total, and the total equals the sum of its rows
    assert octo.loc["2025-10|total", ["plan", "fact"]].tolist() == [300, 1270]
    for period, grp in m.loc[m["period"] <= pd.Timestamp("2025-11-01")].groupby("period"):
        rows, total = grp.loc[~grp["is_total"]], grp.loc[grp["is_total"]].iloc[0]
        assert rows["fact"].sum() == total["fact"], period
    ev = plan_fact(data, as_of=AS_OF).evidence
    assert ev.loc[ev["key"].eq("2025-10|own"), "record_id"].tolist() == ["s9"]
    assert ev.loc[ev["key"].eq("2025-11|unassigned"), "record_id"].tolist() == ["s6"]


def test_evidence_names_the_sales_and_plan_rows() -> None:
    ev = plan_fact(_data(), as_of=AS_OF).evidence
    sales = ev.loc[ev["table"].eq("sales")]
    assert sorted(sales.loc[sales["key"].eq("2025-11|total"), "record_id"]) == ["s3", "s4", "s6"]
    assert sorted(sales.loc[sales["key"].eq("2025-11|m1"), "record_id"]) == ["s3"]
    plans = ev.loc[ev["table"].eq("plans") & ev["key"].eq("2025-11|m1"), "record_id"]
    assert sorted(plans) == ["plan.xlsx:4", "plan.xlsx:7"]


def test_by_dimension() -> None:
    res = plan_fact(_data(), as_of=AS_OF)
    ev = res.evidence
    got = ev.loc[ev["key"].eq("2025-11|total|brand=Y")].sort_values("record_id")
    assert got[["table", "record_id"]].values.tolist() == [
        ["plans", "plan.xlsx:8"],
        ["sales", "s4"],
        ["sales", "s6"],
    ]
    got = ev.loc[ev["key"].eq("2025-11|m1|brand=X"), "record_id"]
    assert sorted(got) == ["plan.xlsx:7", "s3"]
    bd = res.tables["by_dimension"].set_index("key")
    assert bd.loc["2025-11|m1|brand=X", ["plan", "fact"]].tolist() == [300, 450]
    assert bd.loc["2025-11|total|brand=Y", ["plan", "fact"]].tolist() == [100, 990]


@pytest.mark.parametrize(
    ("metric", "fact", "ids"),
    [
        ("meetings", 1, ["a1"]),  # planned a2 and future a4 do not count
        ("active_clients", 3, ["a1", "a3", "s3"]),  # c2, c1, c3
        ("new_clients", 1, ["s3"]),  # c3 first bought in November
    ],
)
def test_non_money_metrics(metric: str, fact: int, ids: list[str]) -> None:
    res = plan_fact(_data(), as_of=AS_OF, metric=metric)
    row = res.main.set_index("key").loc["2025-11|m1"]
    assert row["fact"] == fact
    ev = res.evidence
    got = ev.loc[ev["key"].eq("2025-11|m1") & ev["table"].ne("plans"), "record_id"]
    assert sorted(got) == ids


def test_metric_without_plan_or_source() -> None:
    res = plan_fact(_data(), as_of=AS_OF, metric="demos")
    assert res.status == "insufficient_data" and "demos" in res.message
    res = plan_fact(_data().replace(sales=None), as_of=AS_OF, metric="new_clients")
    assert res.ok and res.main["fact"].isna().all()
    assert "no fact source" in res.message


def test_revenue_from_won_deals_without_sales() -> None:
    deals = canonical_frame(
        "deals",
        [
            {
                "deal_id": "d1",
                "manager_id": "m1",
                "created": "2025-10-01",
                "closed": "2025-11-03",
                "outcome": "won",
                "amount": 700,
            },
            {
                "deal_id": "d2",
                "manager_id": "m1",
                "created": "2025-10-01",
                "closed": "2025-11-04",
                "outcome": "lost",
                "amount": 500,
            },
        ],
    )
    res = plan_fact(_data().replace(sales=None, deals=deals), as_of=AS_OF)
    m = res.main.set_index("key")
    assert m.loc["2025-11|m1", "fact"] == 700
    assert m.loc["2025-10|m1", "fact"] == 0


def test_acknowledgement() -> None:
    res = plan_acknowledgement(_data())
    m = res.main.set_index("key")
    assert m.loc["2025-10|m1", ["rows", "acknowledged_rows"]].tolist() == [1, 1]
    assert bool(m.loc["2025-10|m1", "acknowledged"]) is True
    assert bool(m.loc["2025-10|m2", "acknowledged"]) is False
    assert m.loc["2025-11|m1", ["rows", "acknowledged_rows"]].tolist() == [5, 1]
    assert bool(m.loc["2025-11|m1", "acknowledged"]) is False
    assert m.loc["2025-11|m2", "acknowledged_at"] == pd.Timestamp("2025-11-02")
    assert res.tables["summary"].iloc[0].tolist() == [5, 2, 0.4]
