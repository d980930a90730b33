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


def test_owner_concentration_by_revenue_and_no_head_of_sales_end_to_end() -> None:
    """From canonical frames to the indicators: the owner leads 1 of the 2 top clients but 58 %
    of their revenue; nobody is head of sales, so the head's indicators are n/a for that reason
    (and the finding no_head_in_staff_list is raised)."""
    from pathlib import Path

    from salesaudit.io.checklist_files import read_checklist_dir
    from salesaudit.scoring.answers import Answers
    from salesaudit.scoring.checklist import build_checklist
    from salesaudit.scoring.findings import evaluate_findings
    from salesaudit.scoring.indicators import compute_indicators
    from salesaudit.scoring.score import score_areas

    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "own", "name": "Собственник", "role": "owner", "pay": "unknown"},
            {"manager_id": "m1", "name": "М1", "role": "manager", "pay": "mixed"},
            {"manager_id": "m2", "name": "М2", "role": "manager", "pay": "mixed"},
        ],
    )
    rows = [("own", "c1", 410), ("m1", "c2", 300)] + [
        ("m1" if i % 2 else "m2", f"c{i}", 36.25) for i in range(3, 11)
    ]  # 10 clients, 1000 in all; the top 20 % = c1 (410) and c2 (300)
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": f"s{n}", "date": "2025-10-01", "amount": float(a), "manager_id": m,
             "client_id": c}
            for n, (m, c, a) in enumerate(rows)
        ],
    )  # fmt: skip
    res = delegation(Dataset(managers=managers, sales=sales), as_of=AS_OF)
    main = res.main.set_index("role")
    assert "head_of_sales" not in main.index
    assert main.loc["owner", "top_clients"] == 1 and main.loc["owner", "top_clients_share"] == 0.5
    checklist = build_checklist(
        read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist")
    )
    ind = {i.id: i for i in compute_indicators({"delegation": res}, checklist=checklist)}
    top = ind["p6.owner_top_clients"]
    # 410 / 710 of the top clients' revenue, not "1 of 2 clients" = 50 %
    assert (top.value, top.verdict) == (round(410 / 710 * 100, 4), "bad")
    assert top.evidence["numbers"]["owner_top_clients"] == 1
    assert ind["p6.owner_revenue"].value == 41.0
    for iid in ("p7.head_own_sales", "p7.head_selling_share"):
        assert (ind[iid].verdict, ind[iid].reason) == ("n/a", "no_head_of_sales")
    inds = list(ind.values())
    findings = evaluate_findings(
        checklist, inds, Answers(), score_areas(checklist, Answers(), inds)
    )
    assert {f.id for f in findings} >= {"no_head_in_staff_list", "owner_holds_key_clients"}
