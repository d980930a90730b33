"""Delegation: owner's and head of sales' shares (exact values)."""

from __future__ import annotations

import datetime as dt

import pytest
from salesaudit.analytics import delegation
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 11, 14)


def _data() -> Dataset:
    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "own", "name": "Собственник", "role": "owner", "pay": "unknown"},
            {"manager_id": "hos", "name": "РОП", "role": "head_of_sales", "pay": "mixed"},
            {"manager_id": "m1", "name": "М1", "role": "manager", "pay": "mixed"},
            {"manager_id": "m2", "name": "М2", "role": "manager", "pay": "mixed"},
        ],
    )
    s = [
        ("own", "c1", 500),
        ("hos", "c2", 300),
        ("m1", "c3", 100),
        ("m1", "c4", 50),
        ("m1", "c1", 100),
    ]
    s += [("m2", "c5", 30), ("m2", "c6", 20), ("m2", "c7", 10), ("m2", "c8", 5), ("m2", "c9", 5)]
    rows = [
        {"sale_id": f"s{i + 1}", "date": "2025-06-10", "manager_id": m, "client_id": c, "amount": a}
        for i, (m, c, a) in enumerate(s)
    ]
    rows.append(
        {
            "sale_id": "s0",
            "date": "2024-11-01",
            "manager_id": "own",
            "client_id": "c1",
            "amount": 10000,
        }
    )
    deals = canonical_frame(
        "deals",
        [
            {"deal_id": "d1", "manager_id": "own", "created": "2025-05-01", "outcome": "open"},
            {"deal_id": "d2", "manager_id": "hos", "created": "2025-05-01", "outcome": "open"},
            {"deal_id": "d3", "manager_id": "m1", "created": "2025-05-01", "outcome": "open"},
            {"deal_id": "d4", "manager_id": "m1", "created": "2025-05-01", "outcome": "open"},
            {"deal_id": "d5", "manager_id": "own", "created": "2024-01-01", "outcome": "open"},
        ],
    )
    a = [
        ("meeting", "c1"),
        ("meeting", "c2"),
        ("meeting", "c3"),
        ("call", "c1"),
        ("task", None),
        ("task", None),
        ("meeting", None),
    ]
    acts = canonical_frame(
        "activities",
        [
            {
                "activity_id": f"a{i}",
                "manager_id": "hos",
                "client_id": c,
                "type": t,
                "occurred_at": "2025-10-01 10:00",
                "status": "done",
                "result": "none",
            }
            for i, (t, c) in enumerate(a)
        ],
    )
    return Dataset(
        managers=managers, sales=canonical_frame("sales", rows), deals=deals, activities=acts
    )


def test_delegation_shares() -> None:
    res = delegation(_data(), as_of=AS_OF)
    m = res.main.set_index("key")
    assert list(m.index) == ["owner", "head_of_sales", "manager"]
    assert m.loc["owner", "revenue"] == 500 and m.loc["owner", "revenue_share"] == pytest.approx(
        500 / 1120
    )
    assert m.loc["head_of_sales", "revenue_share"] == pytest.approx(300 / 1120)
    assert m.loc["manager", ["people", "revenue"]].tolist() == [2, 320]
    assert res.params["top_clients_total"] == 2  # ceil(20 % of 9 clients): c1, c2
    assert m.loc["owner", ["top_clients", "top_clients_share"]].tolist() == [1, 0.5]
    assert m.loc["head_of_sales", "top_clients"] == 1 and m.loc["manager", "top_clients"] == 0
    assert m.loc["owner", "top_clients_revenue_share"] == pytest.approx(500 / 900)
    assert m.loc["manager", "top_clients_revenue_share"] == pytest.approx(100 / 900)
    assert m.loc["owner", ["new_deals", "new_deals_share"]].tolist() == [1, 0.25]
    hos = m.loc["head_of_sales"]
    assert (hos["activities"], hos["selling_activities"], hos["management_activities"]) == (7, 4, 3)
    assert hos["selling_share"] == pytest.approx(4 / 7)
    ev = res.evidence
    assert ev.loc[ev["key"].eq("owner|revenue"), "record_id"].tolist() == ["s1"]


def test_without_sales_uses_won_deals() -> None:
    data = _data()
    deals = canonical_frame(
        "deals",
        [
            {
                "deal_id": "w1",
                "manager_id": "own",
                "client_id": "c1",
                "created": "2025-05-01",
                "closed": "2025-06-01",
                "outcome": "won",
                "amount": 300,
            },
            {
                "deal_id": "w2",
                "manager_id": "m1",
                "client_id": "c2",
                "created": "2025-05-01",
                "closed": "2025-06-01",
                "outcome": "won",
                "amount": 100,
            },
        ],
    )
    res = delegation(data.replace(sales=None, deals=deals), as_of=AS_OF)
    assert res.params["source"] == "deals"
    assert res.main.set_index("key").loc["owner", "revenue_share"] == 0.75
