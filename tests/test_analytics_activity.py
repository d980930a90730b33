"""Activity, day agenda, funnel, stalled deals, overdue tasks and pipeline coverage (exact values)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from salesaudit.analytics import (
    activity_summary,
    day_agenda,
    funnel,
    overdue_tasks,
    pipeline_coverage,
    stalled_deals,
)
from salesaudit.analytics.activity import next_working_day, previous_working_day
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2025, 11, 14)  # Friday; next working day Mon 17, previous Thu 13


def _act(aid, m, type_, at, status="done", result="agreed", client=None, deal=None) -> dict:
    return {
        "activity_id": aid,
        "manager_id": m,
        "client_id": client,
        "type": type_,
        "occurred_at": at,
        "status": status,
        "result": result,
        "deal_id": deal,
    }


def _deal(
    did, m, client, created, outcome, closed=None, amount=None, expected=None, stage=None
) -> dict:
    return {
        "deal_id": did,
        "manager_id": m,
        "client_id": client,
        "created": created,
        "outcome": outcome,
        "closed": closed,
        "amount": amount,
        "expected_close": expected,
        "stage": stage,
    }


def test_working_day_neighbours() -> None:
    assert next_working_day(AS_OF) == dt.date(2025, 11, 17)
    assert previous_working_day(AS_OF) == dt.date(2025, 11, 13)
    assert previous_working_day(dt.date(2025, 11, 5)) == dt.date(2025, 11, 1)  # working Saturday


def test_activity_summary() -> None:
    acts = canonical_frame(
        "activities",
        [
            _act("a1", "m1", "call", "2025-10-01 10:00"),
            _act("a2", "m1", "call", "2025-10-02 10:00"),
            _act("a3", "m1", "call", "2025-10-03 10:00"),
            _act("a4", "m1", "meeting", "2025-10-06 10:00", result="none"),
            _act("a5", "m1", "email", "2025-10-07 10:00"),
            _act("a6", "m1", "call", "2025-10-08 10:00", status="planned", result="none"),
            _act("a7", "m1", "meeting", "2025-11-05 10:00"),
            _act("a8", "m1", "meeting", "2025-11-06 10:00"),
            _act("a9", "m1", "call", "2025-11-07 10:00", result="none"),
            _act("a10", "m1", "call", "2025-11-10 10:00"),
            _act("a11", "m1", "call", "2025-09-30 10:00"),  # before the window
            _act("a12", "m1", "call", "2025-11-17 10:00"),  # after as_of
        ],
    )
    res = activity_summary(Dataset(activities=acts), as_of=AS_OF, months=2)
    m = res.main.set_index("key")
    assert list(m.index) == ["m1|2025-10", "m1|2025-11"]
    oct_ = m.loc["m1|2025-10"]
    assert oct_[
        ["calls", "meetings", "emails", "proposals", "demos", "done", "working_days"]
    ].tolist() == [3, 1, 1, 0, 0, 5, 23]
    assert oct_["field_share"] == 0.25 and oct_["no_result_share"] == 0.2
    assert oct_["calls_per_day"] == pytest.approx(3 / 23)
    nov = m.loc["m1|2025-11"]
    assert nov[["calls", "meetings", "done", "working_days"]].tolist() == [2, 2, 4, 9]
    assert nov["field_share"] == 0.5 and nov["no_result_share"] == 0.25
    assert nov["meetings_per_day"] == pytest.approx(2 / 9)
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("m1|2025-11"), "record_id"]) == ["a10", "a7", "a8", "a9"]


def test_day_agenda() -> None:
    acts = canonical_frame(
        "activities",
        [
            _act(
                "t1",
                "m1",
                "meeting",
                "2025-11-14 11:00",
                status="planned",
                result="none",
                client="c1",
            ),
            _act(
                "n1",
                "m2",
                "meeting",
                "2025-11-17 12:00",
                status="planned",
                result="none",
                client="c2",
            ),
            _act("p1", "m1", "meeting", "2025-11-13 10:00", result="agreed", client="c3"),
            _act("p2", "m2", "meeting", "2025-11-13 10:00", result="none", client="c4"),
            _act(
                "p3",
                "m2",
                "meeting",
                "2025-11-13 15:00",
                status="planned",
                result="none",
                client="c5",
            ),
            _act("p4", "m2", "call", "2025-11-13 16:00", result="refused", client="c5"),
            _act(
                "o1", "m2", "meeting", "2025-11-15 10:00", status="planned", result="none"
            ),  # Saturday
        ],
    )
    clients = canonical_frame("clients", [{"client_id": "c1", "name": "ООО Альфа"}])
    res = day_agenda(Dataset(activities=acts, clients=clients), as_of=AS_OF)
    m = res.main.set_index("key")
    cols = [
        "today",
        "next_day",
        "previous_day",
        "previous_done",
        "previous_agreed",
        "previous_refused",
        "previous_no_result",
    ]
    assert m.loc["m1", cols].tolist() == [1, 0, 1, 1, 1, 0, 0]
    assert m.loc["m2", cols].tolist() == [0, 1, 2, 1, 0, 0, 1]
    meetings = res.tables["meetings"].set_index("key")
    assert sorted(meetings.index) == ["n1", "p1", "p2", "p3", "t1"]
    assert meetings.loc["t1", "day"] == "today" and meetings.loc["t1", "client_name"] == "ООО Альфа"
    assert res.params["next_day"] == "2025-11-17"


def _funnel_data() -> Dataset:
    deals = canonical_frame(
        "deals",
        [
            _deal("d1", "m1", "c1", "2025-10-05", "won", "2025-10-25", 100),
            _deal("d2", "m1", "c2", "2025-10-10", "lost", "2025-11-01", 50),
            _deal("d3", "m1", "c3", "2025-11-02", "open", None, 70),
            _deal("d4", "m1", "c4", "2025-10-01", "won", "2025-11-20", 999),  # closes after as_of
            _deal("d5", "m2", "c5", "2025-09-01", "won", "2025-09-21", 300),
            _deal("d6", "m2", "c6", "2025-12-01", "won", "2025-12-02", 1),  # created after as_of
        ],
    )
    acts = canonical_frame(
        "activities",
        [
            _act("a1", "m1", "meeting", "2025-08-01 10:00", client="c2"),  # 70 days before d2
            _act("a2", "m1", "meeting", "2025-10-01 10:00", client="c1"),  # 4 days before d1
            _act("a3", "m1", "meeting", "2025-10-20 10:00", client="c9"),
            _act("a4", "m1", "proposal", "2025-10-30 10:00", client="c3"),  # 3 days before d3
            _act(
                "a5",
                "m1",
                "meeting",
                "2025-10-21 10:00",
                status="planned",
                result="none",
                client="c9",
            ),
        ],
    )
    return Dataset(deals=deals, activities=acts)


def test_funnel() -> None:
    res = funnel(_funnel_data(), as_of=AS_OF)
    m = res.main.set_index("key")
    assert list(m.index) == ["m1", "m2", "team"]
    assert m.loc["m1", ["deals", "won", "lost", "open"]].tolist() == [4, 1, 1, 2]
    assert m.loc["m1", "win_rate"] == 0.5
    assert m.loc[
        "m1", ["meetings", "deals_after_meeting", "proposals", "deals_after_proposal"]
    ].tolist() == [3, 1, 1, 1]
    assert m.loc["m1", "meeting_to_deal"] == pytest.approx(1 / 3)
    assert m.loc["m1", "proposal_to_deal"] == 1.0
    assert m.loc["m1", "avg_deal"] == 100 and m.loc["m1", "cycle_days"] == 20
    assert m.loc["m2", ["deals", "won", "meetings"]].tolist() == [1, 1, 0]
    assert pd.isna(m.loc["m2", "meeting_to_deal"])
    assert m.loc["team", ["deals", "won", "lost", "open"]].tolist() == [5, 2, 1, 2]
    assert m.loc["team", "win_rate"] == pytest.approx(2 / 3)
    assert m.loc["team", "avg_deal"] == 200 and m.loc["team", "cycle_days"] == 20
    ev = res.evidence
    assert ev.loc[ev["key"].eq("m1|deals_after_meeting"), "record_id"].tolist() == ["d1"]


def test_stalled_deals() -> None:
    deals = canonical_frame(
        "deals",
        [
            _deal("d3", "m1", "c3", "2025-11-02", "open", amount=70),
            _deal("d4", "m1", "c4", "2025-10-01", "open", amount=400, stage="КП"),
            _deal("d7", "m2", "c7", "2025-09-01", "open", amount=10),
            _deal("d8", "m2", "c8", "2025-08-01", "open", amount=20),
            _deal("d9", "m2", "c9", "2025-08-01", "lost", "2025-09-01", 5),
        ],
    )
    acts = canonical_frame(
        "activities",
        [
            _act("a1", "m1", "call", "2025-10-10 10:00", client="cX", deal="d4"),
            _act("a2", "m2", "call", "2025-10-20 10:00", client="c7"),
            _act(
                "a3", "m1", "call", "2025-11-01 10:00", client="c8"
            ),  # other manager: does not count
            _act(
                "a4", "m2", "call", "2025-11-13 10:00", status="planned", result="none", client="c8"
            ),
        ],
    )
    data = Dataset(deals=deals, activities=acts)
    res = stalled_deals(data, as_of=AS_OF, days=30, match="client")
    m = res.main.set_index("key")
    assert list(m.index) == ["d8", "d4"]
    assert m.loc["d8", "days_idle"] == 105 and pd.isna(m.loc["d8", "last_activity"])
    assert m.loc["d4", "days_idle"] == 35 and m.loc["d4", "last_activity"] == pd.Timestamp(
        "2025-10-10 10:00"
    )
    assert m.loc["d4", "stage"] == "КП" and m.loc["d4", "amount"] == 400
    assert res.tables["summary"].set_index("key")["amount"].to_dict() == {"m1": 400, "m2": 20}
    res = stalled_deals(data, as_of=AS_OF, days=20, match="client")
    assert sorted(res.main["deal_id"]) == ["d4", "d7", "d8"]
    # activities carry deal links here, so "auto" counts only linked ones: d7's call does not count
    res = stalled_deals(data, as_of=AS_OF, days=30)
    assert res.params["match_used"] == "deal"
    assert res.main.set_index("key")["days_idle"].to_dict() == {"d8": 105, "d7": 74, "d4": 35}
    unlinked = data.replace(activities=acts.assign(deal_id=None))
    res = stalled_deals(unlinked, as_of=AS_OF, days=30)
    assert res.params["match_used"] == "client"
    assert sorted(res.main["deal_id"]) == [
        "d4",
        "d8",
    ]  # d7 kept alive by its client call; d4 idle since creation
    with pytest.raises(ParameterError):
        stalled_deals(data, as_of=AS_OF, match="x")


def test_overdue_tasks() -> None:
    acts = canonical_frame(
        "activities",
        [
            _act("a1", "m1", "task", "2025-11-10 10:00", status="planned", result="none"),
            _act("a2", "m1", "call", "2025-10-31 10:00", status="overdue", result="none"),
            _act("a3", "m1", "task", "2025-11-20 10:00", status="planned", result="none"),
            _act("a4", "m1", "task", "2025-11-14 09:00", status="planned", result="none"),
            _act("a5", "m2", "task", "2025-11-14 09:00", status="done", result="none"),
        ],
    )
    res = overdue_tasks(Dataset(activities=acts), as_of=AS_OF)
    m = res.main.set_index("key")
    assert m.loc["m1", ["overdue", "open_total", "overdue_share", "max_days_overdue"]].tolist() == [
        2,
        4,
        0.5,
        14,
    ]
    assert list(res.tables["tasks"]["key"]) == ["a2", "a1"]
    assert res.tables["tasks"]["days_overdue"].tolist() == [14, 4]
    assert "m2" not in m.index


def test_pipeline_coverage() -> None:
    deals = canonical_frame(
        "deals",
        [
            _deal("w1", "m1", "c1", "2025-09-01", "won", "2025-09-10", 1),
            _deal("l1", "m1", "c1", "2025-09-01", "lost", "2025-09-10", 1),
            _deal("l2", "m2", "c1", "2025-09-01", "lost", "2025-09-10", 1),
            _deal("l3", "m2", "c1", "2025-09-01", "lost", "2025-09-10", 1),
            _deal("d10", "m1", "c1", "2025-10-01", "open", None, 1000, "2025-11-25"),
            _deal("d11", "m1", "c1", "2025-10-01", "open", None, 2000, "2025-12-10"),
            _deal("d12", "m1", "c1", "2025-10-01", "open", None, 1500, "2025-10-30"),
            _deal("d13", "m3", "c1", "2025-10-01", "open", None, 100, "2025-11-20"),
        ],
    )
    plans = canonical_frame(
        "plans",
        [
            {
                "period": "2025-11-01",
                "manager_id": "m1",
                "dimension": "none",
                "metric": "revenue",
                "value": 1000,
            },
            {
                "period": "2025-11-01",
                "manager_id": "m2",
                "dimension": "none",
                "metric": "revenue",
                "value": 500,
            },
        ],
    )
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": "s1", "date": "2025-11-03", "manager_id": "m1", "amount": 400},
            {"sale_id": "s2", "date": "2025-11-05", "manager_id": "m2", "amount": 600},
        ],
    )
    res = pipeline_coverage(Dataset(deals=deals, plans=plans, sales=sales), as_of=AS_OF)
    m = res.main.set_index("key")
    assert res.params["team_win_rate"] == 0.25
    assert m.loc["m1", ["pipeline_due", "pipeline_all", "pipeline", "remaining_plan"]].tolist() == [
        2500,
        4500,
        2500,
        600,
    ]
    assert m.loc["m1", "coverage"] == pytest.approx(2500 / 600)
    assert m.loc["m1", "required_coverage"] == 4.0
    assert m.loc["m1", "verdict"] == "covered"
    assert m.loc["m2", "verdict"] == "plan_done"
    assert m.loc["m3", "verdict"] == "no_plan"
    assert m.loc["team", ["pipeline", "remaining_plan", "coverage"]].tolist() == [2600, 500, 5.2]
    assert m.loc["team", "verdict"] == "covered"
    ev = res.evidence
    assert sorted(ev.loc[ev["key"].eq("m1"), "record_id"]) == ["d10", "d12"]
