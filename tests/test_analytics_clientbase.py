"""Client base: ABC, new / churned clients, top-10 dependence (exact values)."""

from __future__ import annotations

import datetime as dt

import pytest
from salesaudit.analytics import client_base
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame


def _sale(i, client, date, amount) -> dict:
    return {"sale_id": f"s{i}", "client_id": client, "date": date, "amount": amount}


def test_abc_and_top10() -> None:
    amounts = {"c1": 500, "c2": 200, "c3": 100, "c4": 80, "c5": 50, "c6": 40, "c7": 20, "c8": 10}
    sales = [_sale(i, c, "2025-10-01", a) for i, (c, a) in enumerate(amounts.items())]
    clients = canonical_frame("clients", [{"client_id": "c1", "name": "ООО Первый"}])
    res = client_base(
        Dataset(sales=canonical_frame("sales", sales), clients=clients), as_of=dt.date(2025, 11, 14)
    )
    m = res.main.set_index("key")
    # cumulative shares: .5 .7 .8 .88 .93 .97 .99 1.0
    assert m["abc"].to_dict() == {
        "c1": "A",
        "c2": "A",
        "c3": "A",
        "c4": "B",
        "c5": "B",
        "c6": "B",
        "c7": "C",
        "c8": "C",
    }
    assert m.loc["c3", "cum_share"] == pytest.approx(0.8)
    assert m.loc["c1", "client_name"] == "ООО Первый"
    s = res.tables["summary"].iloc[0]
    assert (s["clients"], s["revenue"], s["a_clients"], s["b_clients"], s["c_clients"]) == (
        8,
        1000,
        3,
        3,
        2,
    )
    assert s["top10_share"] == 1.0


def test_monthly_new_active_churned() -> None:
    sales = [
        _sale(1, "c1", "2025-01-10", 10),
        _sale(2, "c1", "2025-02-10", 10),
        _sale(3, "c2", "2025-02-10", 10),
        _sale(4, "c2", "2025-06-10", 10),
        _sale(5, "c3", "2025-05-10", 10),
        _sale(6, "c1", "2024-12-10", 10),  # before the window: c1 is not new in January
    ]
    res = client_base(
        Dataset(sales=canonical_frame("sales", sales)), as_of=dt.date(2025, 6, 30), months=6
    )
    mo = res.tables["monthly"].set_index("key")
    assert list(mo.index) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert mo["active_clients"].tolist() == [1, 2, 0, 0, 1, 1]
    assert mo["new_clients"].tolist() == [0, 1, 0, 0, 1, 0]
    # churned in M: bought in M-3, not in M-2..M: c1 and c2 (last bought in February) lapse in May
    assert mo["churned_clients"].tolist() == [0, 0, 0, 0, 2, 0]
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("c1"), "record_id"]) == ["s1", "s2"]
