"""Plan structure and seasonality baseline (exact values on constructed series)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics import plan_structure, seasonality
from salesaudit.analytics.planning import revenue_plan_by_period
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame


def _plans() -> pd.DataFrame:
    rows = [
        {
            "period": "2025-01-01",
            "manager_id": "m1",
            "dimension": "none",
            "metric": "revenue",
            "value": 100,
            "acknowledged_at": "2024-12-30",
            "src_file": "p.xlsx",
            "src_row": 2,
        },
        {
            "period": "2025-01-01",
            "manager_id": "m2",
            "dimension": "none",
            "metric": "revenue",
            "value": 200,
            "src_file": "p.xlsx",
            "src_row": 3,
        },
        {
            "period": "2025-02-01",
            "manager_id": "m1",
            "dimension": "brand",
            "dimension_value": "X",
            "metric": "units",
            "value": 5,
            "src_file": "p.xlsx",
            "src_row": 4,
        },
        {
            "period": "2025-02-01",
            "manager_id": "m1",
            "dimension": "none",
            "metric": "meetings",
            "value": 40,
            "acknowledged_at": "2025-01-30",
            "src_file": "p.xlsx",
            "src_row": 5,
        },
        {
            "period": "2025-02-01",
            "manager_id": None,
            "dimension": "none",
            "metric": "revenue",
            "value": 2530,
            "src_file": "p.xlsx",
            "src_row": 6,
        },
    ]
    return canonical_frame("plans", rows)


def test_plan_structure() -> None:
    res = plan_structure(Dataset(plans=_plans()))
    m = res.main.set_index("key")
    assert m.loc["period", "detail"] == "2 period(s) 2025-01..2025-02"
    present = m["present"].astype(bool).to_dict()
    assert {k for k, v in present.items() if v} == {
        "period",
        "employee",
        "brand",
        "units",
        "meetings",
        "acknowledged",
    }
    assert m.loc["employee", "rows"] == 4 and m.loc["employee", "detail"] == "2 manager(s)"
    assert m.loc["acknowledged", "detail"] == "2 of 4 manager plan rows acknowledged"
    assert m.loc["client", "kind"] == "dimension" and m.loc["calls", "kind"] == "metric"
    s = res.tables["summary"].iloc[0]
    assert (s["dimensions_present"], s["metrics_present"], s["acknowledged_share"]) == (4, 1, 0.5)
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("brand"), "record_id"]) == ["p.xlsx:4"]
    assert sorted(ev.loc[ev["key"].eq("acknowledged"), "record_id"]) == ["p.xlsx:2", "p.xlsx:5"]


def test_revenue_plan_by_period_department_row_wins() -> None:
    assert revenue_plan_by_period(_plans()).to_dict() == {
        pd.Timestamp("2025-01-01"): 300.0,
        pd.Timestamp("2025-02-01"): 2530.0,
    }


def _sales(values: dict[str, float]) -> pd.DataFrame:
    return canonical_frame(
        "sales",
        [
            {"sale_id": f"s{i}", "date": f"{m}-15", "amount": v}
            for i, (m, v) in enumerate(values.items())
        ],
    )


def test_seasonality_linear_history() -> None:
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    sales = _sales({f"{m:%Y-%m}": 1000 + 100 * i for i, m in enumerate(months)})
    res = seasonality(Dataset(sales=sales, plans=_plans()), as_of=dt.date(2025, 1, 15))
    assert res.ok
    main = res.main
    assert main["trend"].round(6).tolist() == [1000.0 + 100 * i for i in range(12)]
    assert main["seasonal_index"].round(9).eq(1.0).all()
    pvb = res.tables["plan_vs_baseline"].set_index("key")
    assert pvb.loc["2025-02", "baseline"] == pytest.approx(2300.0)  # month 13 of the trend
    assert pvb.loc["2025-02", "diff_pct"] == pytest.approx(10.0)
    assert pvb.loc["2025-01", "client_plan"] == 300


def test_seasonality_index_by_calendar_month() -> None:
    bump = {0: 100, 11: 100, 5: -100, 6: -100}  # zero mean and no trend over 2 years
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    sales = _sales({f"{m:%Y-%m}": 1000 + bump.get(i % 12, 0) for i, m in enumerate(months)})
    res = seasonality(Dataset(sales=sales), as_of=dt.date(2025, 1, 10))
    main = res.main.set_index("key")
    assert main["trend"].round(6).eq(1000.0).all()
    assert main.loc["2024-01", "seasonal_index"] == pytest.approx(1.1)
    assert main.loc["2023-06", "seasonal_index"] == pytest.approx(0.9)
    assert main.loc["2024-03", "seasonal_index"] == pytest.approx(1.0)
    assert main.loc["2024-12", "baseline"] == pytest.approx(1100.0)
    assert res.tables["plan_vs_baseline"].empty
    assert res.evidence.loc[res.evidence["key"].eq("2024-12"), "record_id"].tolist() == ["s23"]


def test_seasonality_needs_twelve_months() -> None:
    sales = _sales({"2024-06": 1, "2024-07": 2})
    res = seasonality(Dataset(sales=sales), as_of=dt.date(2025, 1, 15))
    assert res.status == "insufficient_data" and "found 7" in res.message
