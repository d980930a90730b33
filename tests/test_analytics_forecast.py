"""Activity forecast: the source check, exact inputs on a hand-built company, and the backtest."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics import activity_forecast, forecast_backtest, forecast_value
from salesaudit.analytics.calendar import working_day_mask
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 11, 14)


def test_source_check_two_meetings_a_day() -> None:
    # 2 meetings/day, every 10th meeting a contract of 50,000, 22 working days -> 220,000
    # (the source text says 440,000 for these inputs)
    assert forecast_value(2, 0.1, 50_000, 22) == pytest.approx(220_000.0)
    assert forecast_value(2, 0.1, 50_000, 22, headcount=3) == pytest.approx(660_000.0)
    assert forecast_value(0, 0.1, 50_000, 22) == 0.0


def _data() -> Dataset:
    days = pd.Series(pd.date_range("2025-08-01", "2025-10-31"))
    days = days[working_day_mask(days)].reset_index(drop=True)
    assert len(days) == 66
    acts = [
        {
            "activity_id": f"m1-{i}",
            "manager_id": "m1",
            "client_id": "c1",
            "type": "meeting",
            "occurred_at": d + pd.Timedelta(hours=10),
            "status": "done",
            "result": "agreed",
        }
        for i, d in enumerate(days)
    ]
    acts += [
        {
            "activity_id": f"m2-{i}",
            "manager_id": "m2",
            "client_id": "c2",
            "type": "meeting",
            "occurred_at": d + pd.Timedelta(hours=11),
            "status": "done",
            "result": "agreed",
        }
        for i, d in enumerate(days[::2])
    ]
    acts += [
        {
            "activity_id": "x1",
            "manager_id": "m1",
            "client_id": "c1",
            "type": "meeting",
            "occurred_at": pd.Timestamp("2025-11-05 10:00"),
            "status": "done",
            "result": "agreed",
        },
        {
            "activity_id": "x2",
            "manager_id": "m1",
            "client_id": "c1",
            "type": "meeting",
            "occurred_at": pd.Timestamp("2025-09-05 15:00"),
            "status": "planned",
            "result": "none",
        },
        {
            "activity_id": "x3",
            "manager_id": "m1",
            "client_id": "c1",
            "type": "call",
            "occurred_at": pd.Timestamp("2025-09-05 16:00"),
            "status": "done",
            "result": "none",
        },
    ]
    deal = lambda i, m, closed, amount, outcome="won": {  # noqa: E731
        "deal_id": f"d{i}",
        "manager_id": m,
        "client_id": "c1",
        "created": "2025-06-01",
        "closed": closed,
        "amount": amount,
        "outcome": outcome,
    }
    deals = [
        deal(i, "m1", c, 110)
        for i, c in enumerate(
            ["2025-08-05", "2025-08-20", "2025-09-10", "2025-09-25", "2025-10-07", "2025-10-21"]
        )
    ]
    deals += [
        deal(10 + i, "m2", c, 100) for i, c in enumerate(["2025-08-12", "2025-09-16", "2025-10-14"])
    ]
    deals += [deal(20, "m1", "2025-09-01", 999, "lost"), deal(21, "m1", "2025-07-10", 1000)]
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": "s1", "date": "2025-10-15", "manager_id": "m1", "amount": 500},
            {"sale_id": "s2", "date": "2025-10-16", "manager_id": "m2", "amount": 100},
            {"sale_id": "s3", "date": "2025-11-16", "manager_id": "m2", "amount": 7},
        ],
    )
    return Dataset(
        activities=canonical_frame("activities", acts),
        deals=canonical_frame("deals", deals),
        sales=sales,
    )


def test_activity_forecast_inputs_and_result() -> None:
    res = activity_forecast(_data(), as_of=AS_OF)
    assert res.ok
    assert res.params["window"] == "2025-08-01..2025-10-31"
    m = res.main.set_index("key")
    assert list(m.index) == ["m1", "m2", "team"]
    r1 = m.loc["m1"]
    assert (r1["meetings"], r1["won_deals"], r1["window_working_days"], r1["working_days"]) == (
        66,
        6,
        66,
        19,
    )
    assert r1["meetings_per_day"] == pytest.approx(1.0)
    assert r1["conversion"] == pytest.approx(6 / 66)
    assert r1["avg_deal"] == pytest.approx(110.0)
    assert r1["forecast"] == pytest.approx(190.0)  # 1 x 1/11 x 110 x 19
    r2 = m.loc["m2"]
    assert (r2["meetings"], r2["won_deals"]) == (33, 3)
    assert r2["forecast"] == pytest.approx(0.5 * (3 / 33) * 100 * 19)
    t = m.loc["team"]
    assert (t["meetings"], t["won_deals"], t["headcount"]) == (99, 9, 2)
    assert t["meetings_per_day"] == pytest.approx(0.75)
    assert t["forecast"] == pytest.approx(960 * 19 / 66)
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("m2") & ev["table"].eq("deals"), "record_id"]) == [
        "d10",
        "d11",
        "d12",
    ]
    assert ev.loc[ev["key"].eq("m1") & ev["table"].eq("activities")].shape[0] == 66


def test_target_month_uses_its_working_days() -> None:
    res = activity_forecast(_data(), as_of=AS_OF, target_month=dt.date(2026, 1, 1))
    r1 = res.main.set_index("key").loc["m1"]
    assert r1["working_days"] == 15
    assert r1["forecast"] == pytest.approx(150.0)


def test_backtest_october() -> None:
    res = forecast_backtest(_data(), as_of=AS_OF, months=1)
    m = res.main.set_index("key")
    # lookback Jul-Sep (66 working days); October has 23 working days
    assert m.loc["2025-10|m1", "forecast"] == pytest.approx(1440 * 23 / 66)
    assert m.loc["2025-10|m1", "actual"] == 500
    assert m.loc["2025-10|m1", "ape"] == pytest.approx(abs(500 - 1440 * 23 / 66) / 500 * 100)
    assert m.loc["2025-10|m2", "forecast"] == pytest.approx(200 * 23 / 66)
    assert m.loc["2025-10|team", "forecast"] == pytest.approx(1640 * 23 / 66)
    assert m.loc["2025-10|team", "actual"] == 600
    s = res.tables["summary"].set_index("key")
    assert s.loc["m2", "mape"] == pytest.approx(abs(100 - 200 * 23 / 66))
    assert s.loc["m2", "months"] == 1


def test_not_enough_data() -> None:
    data = _data()
    empty = data.replace(activities=data.activities.iloc[0:0])
    assert activity_forecast(empty, as_of=AS_OF).status == "insufficient_data"
    res = activity_forecast(data, as_of=dt.date(2025, 6, 10))
    assert res.status == "insufficient_data" and "no done meetings" in res.message


def test_meetings_without_won_deals_forecast_zero() -> None:
    data = _data()
    deals = data.deals.loc[data.deals["manager_id"].ne("m2")]
    res = activity_forecast(data.replace(deals=deals), as_of=AS_OF)
    m = res.main.set_index("key")
    assert (m.loc["m2", "meetings"], m.loc["m2", "won_deals"], m.loc["m2", "conversion"]) == (
        33,
        0,
        0.0,
    )
    assert pd.isna(m.loc["m2", "avg_deal"])
    assert m.loc["m2", "forecast"] == 0.0
    assert m.loc["team", "forecast"] == pytest.approx(660 * 19 / 66)
