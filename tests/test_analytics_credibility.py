"""Credibility: batch logging and the other signals are caught; the verification sample."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics import credibility, verification_sample
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 10, 31)
DAYS = [d for d in pd.date_range("2025-10-06", "2025-10-17") if d.weekday() < 5]  # 10 working days


def _honest(m: str) -> list[dict]:
    return [
        {
            "activity_id": f"{m}-{i}",
            "manager_id": m,
            "client_id": f"{m}-c{i}",
            "type": "meeting",
            "occurred_at": d + pd.Timedelta(hours=10),
            "logged_at": d + pd.Timedelta(hours=11),
            "status": "done",
            "result": "agreed",
            "comment": f"Обсудили поставку {i}",
        }
        for i, d in enumerate(DAYS)
    ]


def _cheater(m: str = "m1") -> list[dict]:
    rows = []
    for i, d in enumerate(DAYS):
        friday = d + pd.Timedelta(days=4 - d.weekday())
        rows.append(
            {
                "activity_id": f"{m}-{i}",
                "manager_id": m,
                "client_id": f"{m}-c{i}",
                "type": "meeting",
                "occurred_at": d + pd.Timedelta(hours=10),
                "logged_at": friday + pd.Timedelta(hours=19, minutes=d.weekday()),
                "status": "done",
                "result": "none",
                "comment": "Встреча проведена",
            }
        )
    return rows


def _data(extra: list[dict] | None = None) -> Dataset:
    acts = _cheater() + _honest("m2") + _honest("m3") + _honest("m4") + (extra or [])
    managers = canonical_frame(
        "managers",
        [
            {
                "manager_id": m,
                "name": m.upper(),
                "role": "manager",
                "pay": "fixed" if m == "m1" else "mixed",
            }
            for m in ("m1", "m2", "m3", "m4")
        ],
    )
    clients = canonical_frame(
        "clients",
        [
            {
                "client_id": a["client_id"],
                "name": f"ООО {a['client_id']}",
                "contact_person": "Иванов И.",
                "phone": f"+7 900 000-{n // 100:02d}-{n % 100:02d}",
                "email": "a@example.ru",
            }
            for n, a in enumerate(acts)
            if a.get("client_id")
        ],
    )
    return Dataset(
        activities=canonical_frame("activities", acts), managers=managers, clients=clients
    )


def test_batch_logging_is_caught() -> None:
    res = credibility(_data(), as_of=AS_OF)
    m = res.main.set_index("key")
    m1 = m.loc["m1"]
    assert m1["meetings"] == 10
    assert m1["batch_share"] == 1.0
    assert m1["late_share"] == pytest.approx(0.8)  # Friday's own meetings are logged the same day
    assert m1["evening_share"] == 1.0
    assert m1["no_followup_share"] == 1.0
    assert m1["repeat_comment_share"] == 1.0
    assert m1["impossible_share"] == 0.0
    assert bool(m1["fixed_pay"]) is True
    assert m1["score"] == 80.0  # 25 + 15 + 10 + 15 + 10 + 5
    assert m1["level"] == "high"
    assert (
        m1["reasons"]
        == "batch_share; late_share; evening_share; no_followup_share; repeat_comment_share; fixed_pay"
    )
    for honest in ("m2", "m3", "m4"):
        assert m.loc[honest, "score"] == 0.0 and m.loc[honest, "level"] == "low"
        assert m.loc[honest, "batch_share"] == 0.0
    assert res.main["key"].iloc[0] == "m1"  # most suspicious first
    ev = res.evidence
    assert ev.loc[ev["key"].eq("m1|batch_share")].shape[0] == 10
    assert ev.loc[ev["key"].eq("m2|batch_share")].shape[0] == 0
    sig = res.tables["signals"].set_index("key")
    assert sig.loc["m1|batch_share", "team_norm"] == 0.0 and bool(
        sig.loc["m1|batch_share", "above_norm"]
    )


def test_two_logs_within_ten_minutes_are_not_a_batch() -> None:
    rows = _honest("m5")
    rows[0]["logged_at"] = pd.Timestamp("2025-10-20 12:00")
    rows[1]["logged_at"] = pd.Timestamp("2025-10-20 12:09")
    rows[2]["logged_at"] = pd.Timestamp("2025-10-20 12:20")
    res = credibility(_data(rows), as_of=AS_OF)
    assert res.main.set_index("key").loc["m5", "batch_share"] == 0.0


def test_followup_clears_no_outcome() -> None:
    follow = {
        "activity_id": "f1",
        "manager_id": "m1",
        "client_id": "m1-c0",
        "type": "call",
        "occurred_at": pd.Timestamp("2025-10-15 10:00"),
        "status": "done",
        "result": "agreed",
    }
    res = credibility(_data([follow]), as_of=AS_OF)
    assert res.main.set_index("key").loc["m1", "no_followup_share"] == pytest.approx(0.9)


def test_impossible_schedule() -> None:
    day = pd.Timestamp("2025-10-21")
    rows = [
        {
            "activity_id": f"x{i}",
            "manager_id": "m5",
            "client_id": f"x{i}",
            "type": "meeting",
            "occurred_at": day + pd.Timedelta(hours=9 + i),
            "logged_at": day + pd.Timedelta(hours=9 + i, minutes=30),
            "status": "done",
            "result": "agreed",
            "comment": f"c{i}",
        }
        for i in range(5)
    ]
    rows.append(
        {
            "activity_id": "y1",
            "manager_id": "m5",
            "client_id": "y1",
            "type": "meeting",
            "occurred_at": pd.Timestamp("2025-10-23 10:00"),
            "logged_at": pd.Timestamp("2025-10-23 11:00"),
            "status": "done",
            "result": "agreed",
            "comment": "y",
        }
    )
    rows.append(
        {
            "activity_id": "y2",
            "manager_id": "m5",
            "client_id": "y2",
            "type": "meeting",
            "occurred_at": pd.Timestamp("2025-10-23 10:30"),
            "logged_at": pd.Timestamp("2025-10-23 11:10"),
            "status": "done",
            "result": "agreed",
            "comment": "z",
        }
    )
    rows.append(
        {
            "activity_id": "y3",
            "manager_id": "m5",
            "client_id": "y3",
            "type": "meeting",
            "occurred_at": pd.Timestamp("2025-10-25 10:00"),
            "logged_at": pd.Timestamp("2025-10-25 11:00"),
            "status": "done",
            "result": "agreed",
            "comment": "w",
        }
    )
    res = credibility(_data(rows), as_of=AS_OF)
    m5 = res.main.set_index("key").loc["m5"]
    assert m5["meetings"] == 8
    assert m5["overloaded_day_meetings"] == 5
    assert m5["overlap_meetings"] == 2  # y1 and y2, 30 minutes apart
    assert m5["off_day_meetings"] == 1  # Saturday 25 October
    assert m5["impossible_share"] == 1.0
    assert "impossible_share" in m5["reasons"]


def test_verification_sample_is_stratified_and_reproducible() -> None:
    data = _data()
    res = verification_sample(data, as_of=AS_OF, per_manager=2, seed=7)
    s = res.main
    assert s.groupby("manager_id").size().to_dict() == {"m1": 6, "m2": 2, "m3": 2, "m4": 2}
    assert set(s.loc[s["manager_id"].eq("m1"), "suspicion_level"]) == {"high"}
    assert (
        s["phone"].str.startswith("+7 900 000-").all()
        and s["client_name"].str.startswith("ООО").all()
    )
    again = verification_sample(data, as_of=AS_OF, per_manager=2, seed=7).main
    pd.testing.assert_frame_equal(s, again)
    other = verification_sample(data, as_of=AS_OF, per_manager=2, seed=8).main
    assert set(other["activity_id"]) != set(s["activity_id"])
    assert list(res.evidence["record_id"]) == list(s["activity_id"])


def _meeting(aid: str, manager: str, client: str, day: int) -> dict:
    at = pd.Timestamp(2025, 10, day, 11)
    return {
        "activity_id": aid,
        "manager_id": manager,
        "client_id": client,
        "type": "meeting",
        "occurred_at": at,
        "logged_at": at + pd.Timedelta(hours=1),
        "status": "done",
        "result": "agreed",
        "comment": f"встреча {aid}",
    }


def test_verification_sample_calls_each_contact_once() -> None:
    """A client met by two managers, a manager's repeated meetings with one client and two
    client cards with the same phone (written differently) each give one row; the strata table
    says who got fewer rows than the quota."""
    acts = [
        _meeting("a1", "m1", "A", 6),
        _meeting("a2", "m1", "A", 7),
        _meeting("a3", "m2", "A", 8),
        _meeting("a4", "m2", "E", 9),
        _meeting("a5", "m2", "D", 10),
    ] + [_meeting(f"f{i}", "m3", f"F{i}", 13 + i) for i in range(5)]
    phones = {"A": "+7 (900) 111-22-33", "E": "8 900 1112233", "D": "+7 900 444-55-66"}
    clients = canonical_frame(
        "clients",
        [
            {"client_id": c, "name": f"ООО {c}", "phone": phones.get(c, f"+7 900 000-00-{n:02d}")}
            for n, c in enumerate(["A", "E", "D"] + [f"F{i}" for i in range(5)])
        ],
    )
    managers = canonical_frame(
        "managers",
        [{"manager_id": m, "name": m.upper(), "role": "manager"} for m in ("m1", "m2", "m3")],
    )
    data = Dataset(
        activities=canonical_frame("activities", acts), managers=managers, clients=clients
    )
    levels = pd.DataFrame({"manager_id": ["m1", "m2", "m3"], "level": ["high", "low", "medium"]})
    for seed in range(6):  # the outcome does not depend on the draw
        res = verification_sample(data, as_of=AS_OF, per_manager=2, seed=seed, suspicion=levels)
        s = res.main
        assert s["client_id"].is_unique
        by_manager = s.groupby("manager_id")["client_id"].apply(sorted).to_dict()
        assert by_manager["m1"] == ["A"]  # the most suspicious manager draws first
        assert by_manager["m2"] == ["D"]  # A is taken and E shares A's phone
        assert len(by_manager["m3"]) == 4
        assert s.loc[s["manager_id"].eq("m1"), "meetings_with_client"].tolist() == [2]
        strata = res.tables["strata"].set_index("manager_id")
        assert strata[["meetings", "contacts", "quota", "drawn", "shortfall"]].to_dict("index") == {
            "m1": {"meetings": 2, "contacts": 1, "quota": 6, "drawn": 1, "shortfall": 5},
            "m2": {"meetings": 3, "contacts": 3, "quota": 2, "drawn": 1, "shortfall": 1},
            "m3": {"meetings": 5, "contacts": 5, "quota": 4, "drawn": 4, "shortfall": 0},
        }


def test_public_name_is_the_function_whatever_is_imported_first() -> None:
    """``from salesaudit.analytics import credibility`` is the analysis even after the suite
    (which imports the defining submodule) was loaded: no submodule shares the name."""
    import subprocess
    import sys

    code = (
        "import salesaudit.analytics.suite\n"
        "from salesaudit.analytics import credibility, verification_sample\n"
        "print(callable(credibility), type(credibility).__name__, callable(verification_sample))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "function", "True"]
