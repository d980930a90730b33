"""run_all: every analysis runs, none mutates its inputs, params override, failures are contained."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from salesaudit.analytics import ANALYSES, run_all
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 11, 14)
EXPECTED_KEYS = [
    "plan_structure",
    "seasonality",
    "plan_fact",
    "plan_acknowledgement",
    "activity",
    "day_agenda",
    "funnel",
    "stalled_deals",
    "overdue_tasks",
    "pipeline_coverage",
    "forecast",
    "forecast_backtest",
    "refusals",
    "training_effect",
    "credibility",
    "verification_sample",
    "delegation",
    "client_base",
    "lead_funnel",
]


def _company(seed: int = 0, n_act: int = 3000, n_deals: int = 400, n_sales: int = 2000) -> Dataset:
    """A small random company covering every table (deterministic)."""
    rng = np.random.default_rng(seed)
    mids = [f"m{i}" for i in range(1, 7)]
    managers = canonical_frame(
        "managers",
        [
            {
                "manager_id": m,
                "name": f"Manager {m}",
                "role": "manager",
                "pay": "fixed" if m == "m1" else "mixed",
            }
            for m in mids
        ]
        + [
            {"manager_id": "own", "name": "Owner", "role": "owner", "pay": "unknown"},
            {"manager_id": "hos", "name": "Head", "role": "head_of_sales", "pay": "mixed"},
        ],
    )
    allm = [*mids, "own", "hos"]
    cids = [f"c{i}" for i in range(60)]
    clients = canonical_frame(
        "clients",
        [
            {
                "client_id": c,
                "name": f"Client {c}",
                "contact_person": "Ivan",
                "phone": "+7 900",
                "email": f"{c}@example.ru",
            }
            for c in cids
        ],
    )
    start = pd.Timestamp("2024-01-01")
    t = start + pd.to_timedelta(rng.integers(0, 700 * 24 * 60, n_act), unit="min")
    acts = canonical_frame(
        "activities",
        pd.DataFrame(
            {
                "activity_id": [f"a{i}" for i in range(n_act)],
                "manager_id": rng.choice(allm, n_act),
                "client_id": rng.choice(cids, n_act),
                "type": rng.choice(["call", "meeting", "email", "proposal", "demo", "task"], n_act),
                "occurred_at": t,
                "logged_at": t + pd.to_timedelta(rng.integers(0, 3000, n_act), unit="min"),
                "status": rng.choice(["done", "planned", "overdue"], n_act, p=[0.85, 0.1, 0.05]),
                "result": rng.choice(["agreed", "refused", "none", "clarify"], n_act),
                "refusal_reason": rng.choice(
                    ["no_budget", "not_interested", "too_expensive"], n_act
                ),
                "comment": rng.choice(["ok", "called", None, "meeting held"], n_act),
            }
        ),
    )
    created = start + pd.to_timedelta(rng.integers(0, 650, n_deals), unit="D")
    outcome = rng.choice(["won", "lost", "open"], n_deals)
    closed = created + pd.to_timedelta(rng.integers(1, 60, n_deals), unit="D")
    deals = canonical_frame(
        "deals",
        pd.DataFrame(
            {
                "deal_id": [f"d{i}" for i in range(n_deals)],
                "client_id": rng.choice(cids, n_deals),
                "manager_id": rng.choice(allm, n_deals),
                "created": created,
                "amount": rng.integers(10, 100, n_deals) * 1000.0,
                "outcome": outcome,
                "closed": pd.Series(closed).where(outcome != "open"),
                "expected_close": closed,
                "lost_reason": pd.Series(rng.choice(["no_budget", "competitor"], n_deals)).where(
                    outcome == "lost"
                ),
            }
        ),
    )
    sd = start + pd.to_timedelta(rng.integers(0, 700, n_sales), unit="D")
    sales = canonical_frame(
        "sales",
        pd.DataFrame(
            {
                "sale_id": [f"s{i}" for i in range(n_sales)],
                "date": sd,
                "client_id": rng.choice(cids, n_sales),
                "manager_id": rng.choice(allm, n_sales),
                "brand": rng.choice(["X", "Y"], n_sales),
                "quantity": rng.integers(1, 10, n_sales) * 1.0,
                "amount": rng.integers(1, 50, n_sales) * 1000.0,
            }
        ),
    )
    prow = []
    for p in pd.date_range("2025-06-01", "2025-12-01", freq="MS"):
        prow.append({"period": p, "dimension": "none", "metric": "revenue", "value": 1e6})
        for m in mids:
            prow.append(
                {
                    "period": p,
                    "manager_id": m,
                    "dimension": "none",
                    "metric": "revenue",
                    "value": 150000,
                    "acknowledged_at": p if m != "m2" else None,
                }
            )
            prow.append(
                {
                    "period": p,
                    "manager_id": m,
                    "dimension": "none",
                    "metric": "meetings",
                    "value": 20,
                }
            )
        prow.append(
            {
                "period": p,
                "manager_id": "m1",
                "dimension": "brand",
                "dimension_value": "X",
                "metric": "revenue",
                "value": 50000,
            }
        )
    trainings = canonical_frame(
        "trainings",
        [
            {"training_id": f"t{i}", "manager_id": m, "date": "2025-03-01", "topic": "Negotiation"}
            for i, m in enumerate(mids[:3])
        ],
    )
    return Dataset(
        managers=managers,
        clients=clients,
        activities=acts,
        deals=deals,
        sales=sales,
        plans=canonical_frame("plans", prow),
        trainings=trainings,
        leads=_leads(rng, start, allm, n_deals),
        meta={"client": "toy"},
    )


def _leads(rng: np.random.Generator, start: pd.Timestamp, allm: list, n_deals: int) -> pd.DataFrame:
    """Random leads; the converted ones name one of the deals."""
    n = 300
    status = rng.choice(["open", "converted", "lost"], n)
    deal = pd.Series([f"d{i}" for i in rng.integers(0, n_deals, n)]).where(status == "converted")
    return canonical_frame(
        "leads",
        pd.DataFrame(
            {
                "lead_id": [f"l{i}" for i in range(n)],
                "created_at": start + pd.to_timedelta(rng.integers(0, 650, n), unit="D"),
                "source": rng.choice(["site", "expo", "call"], n),
                "manager_id": rng.choice(allm, n),
                "status": status,
                "converted_deal_id": deal,
            }
        ),
    )


def test_every_analysis_runs_and_nothing_is_mutated() -> None:
    data = _company()
    before = {name: copy.deepcopy(data.table(name)) for name in data.present}
    meta = copy.deepcopy(data.meta)
    res = run_all(data, as_of=AS_OF)
    assert list(res) == EXPECTED_KEYS == list(ANALYSES)
    failed = {k: r.message for k, r in res.items() if not r.ok}
    assert failed == {}
    for name, frame in before.items():
        pd.testing.assert_frame_equal(data.table(name), frame, check_exact=True)
    assert data.meta == meta
    for k, r in res.items():
        assert list(r.evidence.columns) == ["key", "table", "record_id"], k
        assert "key" in r.main.columns, k


def test_evidence_keys_name_reported_rows() -> None:
    """Every evidence key is a row key of one of the result's tables, or ``<row key>|<column>``."""
    res = run_all(_company(), as_of=AS_OF)
    for name, r in res.items():
        keys = set().union(
            *(set(t["key"].astype(str)) for t in r.tables.values() if "key" in t.columns)
        )
        columns = set().union(*(set(t.columns) for t in r.tables.values()))
        ev_keys = pd.Series(r.evidence["key"].unique(), dtype=object)
        split = ev_keys.str.rsplit("|", n=1)
        ok = ev_keys.isin(keys) | (split.str[0].isin(keys) & split.str[1].isin(columns))
        assert ok.all(), (name, list(ev_keys[~ok][:5]))
        assert len(r.evidence) > 0, name


def test_params_override_and_guard() -> None:
    data = _company()
    res = run_all(
        data, as_of=AS_OF, params={"stalled_deals": {"days": 45}, "activity": {"months": 1}}
    )
    assert res["stalled_deals"].params["days"] == 45
    assert res["stalled_deals"].main["days_idle"].min() >= 45
    assert res["activity"].main["month"].nunique() == 1
    res = run_all(data, as_of=AS_OF, params={"funnel": {"no_such_argument": 1}})
    assert res["funnel"].status == "insufficient_data"
    assert "analysis failed: TypeError" in res["funnel"].message
    assert res["stalled_deals"].ok  # the others still run
    with pytest.raises(ParameterError, match="no_such_analysis"):
        run_all(data, as_of=AS_OF, params={"no_such_analysis": {}})


def test_coaching_reaches_refusals() -> None:
    coaching = {
        r: {"ru": f"совет {r}", "en": f"tip {r}"}
        for r in ("no_budget", "not_interested", "too_expensive", "competitor")
    }
    res = run_all(_company(), as_of=AS_OF, coaching=coaching)
    s = res["refusals"].tables["summary"]
    assert (s["recommendation_en"] == "tip " + s["dominant_reason"]).all()


def test_missing_tables_give_insufficient_data_not_errors() -> None:
    data = _company()
    only_sales = Dataset(sales=data.sales)
    res = run_all(only_sales, as_of=AS_OF)
    assert res["client_base"].ok and res["seasonality"].ok
    for k in ("funnel", "credibility", "plan_fact", "training_effect", "delegation", "refusals"):
        assert res[k].status == "insufficient_data", k
        assert not res[k].message.startswith("analysis failed"), k


def test_check_as_of_names_the_data_range() -> None:
    import datetime as dt

    from salesaudit.analytics.suite import check_as_of, data_date_range
    from salesaudit.errors import ParameterError
    from salesaudit.model.dataset import Dataset
    from salesaudit.model.schemas import canonical_frame

    deals = canonical_frame(
        "deals",
        [
            {"deal_id": "d1", "manager_id": "m", "created": "2026-02-01", "outcome": "won",
             "closed": "2026-03-10"},
            {"deal_id": "d2", "manager_id": "m", "created": "2026-03-01", "outcome": "open"},
        ],
    )  # fmt: skip
    acts = canonical_frame(
        "activities",
        [
            {"activity_id": "a1", "manager_id": "m", "type": "call", "status": "done",
             "occurred_at": "2026-01-15 10:00", "result": "none"},
            # planned activities lie in the future by nature: they do not extend the range
            {"activity_id": "a2", "manager_id": "m", "type": "call", "status": "planned",
             "occurred_at": "2026-09-01 10:00", "result": "none"},
        ],
    )  # fmt: skip
    data = Dataset(deals=deals, activities=acts)
    assert data_date_range(data) == (dt.date(2026, 1, 15), dt.date(2026, 3, 10))
    check_as_of(data, dt.date(2026, 1, 15))  # the first day
    check_as_of(data, dt.date(2026, 3, 17))  # 7 days of grace after the last record
    with pytest.raises(ParameterError) as exc:
        check_as_of(data, dt.date(2026, 3, 18), origin="report.yaml", file="c/report.yaml")
    e = exc.value
    assert str(e.message) == (
        "as_of 2026-03-18 (from report.yaml) is after the last record: the data runs from "
        "2026-01-15 to 2026-03-10"
    )
    # the message names the file and the key itself: no «column» (report.yaml has keys)
    assert e.column is None and "2026-01-15..2026-03-10" in e.hint
    assert str(e).startswith("c/report.yaml: as_of 2026-03-18 (from report.yaml) is after")
    with pytest.raises(ParameterError, match="before the first record"):
        check_as_of(data, dt.date(2026, 1, 14))
    assert data_date_range(Dataset()) is None
    check_as_of(Dataset(), dt.date(2000, 1, 1))  # nothing dated: nothing to check
