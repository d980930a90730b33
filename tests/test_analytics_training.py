"""Training effect: improved / no_change / worse / inconclusive on hand-built deals."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from salesaudit.analytics import training_effect
from salesaudit.analytics.training import two_proportion_z
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

TRAINING_DAY = pd.Timestamp("2025-06-01")
AS_OF = dt.date(2025, 12, 1)


def _deals(
    prefix: str, start: pd.Timestamp, n: int, won: int, amount: float, managers=("m1", "m2")
) -> list[dict]:
    rows = []
    for i in range(n):
        rows.append(
            {
                "deal_id": f"{prefix}{i}",
                "manager_id": managers[i % len(managers)],
                "client_id": f"c{i}",
                "created": start - pd.Timedelta(days=10),
                "closed": start + pd.Timedelta(days=i * 2),  # spread over 60 days
                "outcome": "won" if i < won else "lost",
                "amount": amount,
            }
        )
    return rows


def _data(
    before: tuple[int, int], after: tuple[int, int], extra: list[dict] | None = None
) -> Dataset:
    deals = _deals("b", TRAINING_DAY - pd.Timedelta(days=90), *before, amount=100.0)
    deals += _deals("a", TRAINING_DAY, *after, amount=200.0)
    deals += _deals("x", TRAINING_DAY, 30, 30, 500.0, managers=("m3",))  # not trained: ignored
    deals += extra or []
    trainings = canonical_frame(
        "trainings",
        [
            {"training_id": "t1", "manager_id": "m1", "date": TRAINING_DAY, "topic": "Переговоры"},
            {"training_id": "t2", "manager_id": "m2", "date": TRAINING_DAY, "topic": "Переговоры"},
        ],
    )
    return Dataset(deals=canonical_frame("deals", deals), trainings=trainings)


def test_z_test_values() -> None:
    z, p = two_proportion_z(6, 30, 18, 30)
    assert z == pytest.approx(0.4 / math.sqrt(0.4 * 0.6 * 2 / 30))
    assert p == pytest.approx(0.0015654, abs=1e-6)
    assert two_proportion_z(0, 0, 1, 2) != two_proportion_z(0, 0, 1, 2)  # NaN pair


def test_improved() -> None:
    res = training_effect(_data((30, 6), (30, 18)), as_of=AS_OF)
    row = res.main.iloc[0]
    assert row["key"] == "2025-06-01|Переговоры"
    assert row["metric"] == "win_rate"  # no activities: win rate of closed deals
    assert row["managers"] == "m1,m2" and row["training"] == "t1,t2"
    assert row["window_days_used"] == 90
    assert (row["n_before"], row["x_before"], row["n_after"], row["x_after"]) == (30, 6, 30, 18)
    assert row["rate_before"] == pytest.approx(0.2) and row["rate_after"] == pytest.approx(0.6)
    assert row["diff_pp"] == pytest.approx(40.0)
    # 95 % interval of the lift: se = sqrt(.2 x .8 / 30 + .6 x .4 / 30) = 0.115470
    assert row["ci_low_pp"] == pytest.approx(40.0 - 1.959964 * 11.5470, abs=1e-3)
    assert row["ci_high_pp"] == pytest.approx(40.0 + 1.959964 * 11.5470, abs=1e-3)
    assert row["avg_deal_before"] == 100 and row["avg_deal_after"] == 200
    assert row["avg_deal_p"] < 0.001
    assert row["verdict"] == "improved"
    bm = res.tables["by_manager"].set_index("key")
    assert bm.loc[
        "2025-06-01|Переговоры|m1", ["n_before", "x_before", "n_after", "x_after"]
    ].tolist() == [15, 3, 15, 9]
    ev = res.evidence
    assert ev.loc[ev["key"].eq("2025-06-01|Переговоры|n_after")].shape[0] == 30


def test_no_change_and_worse() -> None:
    assert (
        training_effect(_data((30, 9), (30, 10)), as_of=AS_OF).main.iloc[0]["verdict"]
        == "no_change"
    )
    assert training_effect(_data((30, 18), (30, 6)), as_of=AS_OF).main.iloc[0]["verdict"] == "worse"


def test_inconclusive_thin_data_or_short_window() -> None:
    res = training_effect(_data((10, 1), (30, 25)), as_of=AS_OF)
    assert res.main.iloc[0]["verdict"] == "inconclusive"  # n_before < 20
    res = training_effect(_data((30, 6), (30, 18)), as_of=dt.date(2025, 6, 10))
    row = res.main.iloc[0]
    assert row["window_days_used"] == 10  # truncated at as_of, before window matched
    assert row["n_after"] == 5 and row["n_before"] == 0  # before window 22-31 May holds no deal
    assert row["verdict"] == "inconclusive"


def test_trainings_after_as_of_ignored() -> None:
    res = training_effect(_data((30, 6), (30, 18)), as_of=dt.date(2025, 5, 1))
    assert res.ok and res.main.empty


def _meetings(linked: bool) -> list[dict]:
    """25 meetings before (5 convert) and 25 after (15 convert) the training."""
    rows = []
    for label, who, prefix, conv, offset in (("b", "m1", "k", 5, -60), ("a", "m2", "q", 15, 0)):
        for i in range(25):
            rows.append(
                {
                    "activity_id": f"m{label}{i}",
                    "manager_id": who,
                    "client_id": f"{prefix}{i}",
                    "type": "meeting",
                    "occurred_at": TRAINING_DAY + pd.Timedelta(days=offset + i),
                    "status": "done",
                    "result": "agreed",
                    "deal_id": f"{label}{i}" if linked and i < conv else None,
                }
            )
    rows.append(
        {
            "activity_id": "mp",
            "manager_id": "m1",
            "client_id": "k0",
            "type": "meeting",
            "occurred_at": TRAINING_DAY + pd.Timedelta(days=3),
            "status": "planned",
            "result": "none",
        }
    )
    return rows


def test_meeting_to_deal_conversion_by_deal_links() -> None:
    base = _data((30, 6), (30, 18))
    # a deal of the client 10 days after an unlinked meeting does not count when links exist
    later = [
        {
            "deal_id": "n1",
            "manager_id": "m2",
            "client_id": "q20",
            "outcome": "open",
            "created": TRAINING_DAY + pd.Timedelta(days=30),
        }
    ]
    deals = pd.concat([base.deals, canonical_frame("deals", later)], ignore_index=True)
    data = base.replace(activities=canonical_frame("activities", _meetings(True)), deals=deals)
    row = training_effect(data, as_of=AS_OF).main.iloc[0]
    assert row["metric"] == "meeting_to_deal"
    assert (row["n_before"], row["x_before"], row["n_after"], row["x_after"]) == (25, 5, 25, 15)
    assert row["z"] == pytest.approx(0.4 / math.sqrt(0.4 * 0.6 * 2 / 25))
    assert row["verdict"] == "improved"
    assert row["avg_deal_before"] == 100 and row["avg_deal_after"] == 200  # from won deals
    row = training_effect(data, as_of=AS_OF, metric="win_rate").main.iloc[0]
    assert (row["metric"], row["n_before"], row["x_before"]) == ("win_rate", 30, 6)
    ev = training_effect(data, as_of=AS_OF).evidence
    assert ev.loc[ev["key"].eq("2025-06-01|Переговоры|x_after")].shape[0] == 15


def test_meeting_to_deal_conversion_by_client_without_links() -> None:
    base = _data((30, 6), (30, 18))
    later = [
        {
            "deal_id": f"n{c}{i}",
            "manager_id": "m1",
            "client_id": f"{c}{i}",
            "outcome": "open",
            "created": TRAINING_DAY + pd.Timedelta(days=offset + i + 10),
        }
        for c, n, offset in (("k", 5, -60), ("q", 15, 0))
        for i in range(n)
    ]
    deals = pd.concat([base.deals, canonical_frame("deals", later)], ignore_index=True)
    data = base.replace(activities=canonical_frame("activities", _meetings(False)), deals=deals)
    row = training_effect(data, as_of=AS_OF).main.iloc[0]
    assert (row["n_before"], row["x_before"], row["n_after"], row["x_after"]) == (25, 5, 25, 15)
    with pytest.raises(ParameterError):
        training_effect(data, as_of=AS_OF, metric="nope")
