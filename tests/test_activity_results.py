"""Activity results that the export does not carry: code ``unknown``, never "done without a result".

A sheet without a result column, or with one blank in every row, says nothing about whether
managers record results: its rows get ``unknown`` (reported), the activity analysis leaves them
out of the share without a result, and ``p4.result_recorded`` is n/a (reason ``no_results``)
when no result is known at all. A column blank in only some rows is evidence: a blank there is
``none`` (done without a result).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.analytics import activity_summary, day_agenda
from salesaudit.analytics._base import AnalysisResult
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import ACTIVITY_RESULTS, canonical_frame
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.conditions import Context, check_condition, evaluate
from salesaudit.scoring.indicators import REASONS, compute_indicators

AS_OF = dt.date(2025, 11, 14)  # Friday; the previous working day is Thu 13
HEAD = ["ID", "Тип", "Ответственный", "Дата начала"]


def _sheet(file: str, rows: list[list]) -> RawSheet:
    head, *data = rows
    return RawSheet(
        file=file,
        sheet=None,
        frame=pd.DataFrame(data, columns=head, dtype=object),
        rows=list(range(2, 2 + len(data))),
        header_row=1,
        dropped=[],
    )


def _build(file: str, rows: list[list]):
    return build_dataset([_sheet(file, rows)], meta={"as_of": str(AS_OF)})


def _result_issues(quality) -> list[list]:
    """Issues about the result field: [severity, kind, table, file, column, value, message]."""
    iss = quality.issues
    hit = iss.loc[iss["column"].isin(["result", "Результат"])]
    cols = ["severity", "kind", "table", "file", "column", "value", "message"]
    return hit[cols].astype(object).values.tolist()


@pytest.fixture(scope="module")
def shipped():
    return build_checklist(read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist"))


def test_unknown_is_a_result_code() -> None:
    assert ACTIVITY_RESULTS[-2:] == ("none", "unknown")
    assert "no_results" in REASONS


# --- build: what the sheet says about results ------------------------------------------------


def test_sheet_without_result_column_is_unknown_and_reported() -> None:
    data, quality = _build(
        "raw/calls.csv",
        [
            HEAD,
            ["1", "Звонок", "Олег Иванов", "03.11.2025"],
            ["2", "Встреча", "Олег Иванов", "04.11.2025"],
        ],
    )
    assert data.activities["result"].tolist() == ["unknown", "unknown"]
    assert _result_issues(quality) == [
        [
            "info",
            "assumed_value",
            "activities",
            "raw/calls.csv",
            "result",
            "unknown",
            "no column for 'result': every row set to 'unknown'",
        ]
    ]


def test_result_column_blank_in_every_row_is_unknown_with_a_warning() -> None:
    data, quality = _build(
        "raw/calls.csv",
        [
            [*HEAD, "Результат"],
            ["1", "Звонок", "Олег Иванов", "03.11.2025", None],
            ["2", "Встреча", "Олег Иванов", "04.11.2025", "  "],
            ["3", "Звонок", "Олег Иванов", "05.11.2025", ""],
        ],
    )
    assert data.activities["result"].tolist() == ["unknown", "unknown", "unknown"]
    assert data.activities["comment"].isna().all()  # nothing to keep: the cells were empty
    assert _result_issues(quality) == [
        [
            "warning",
            "assumed_value",
            "activities",
            "raw/calls.csv",
            "Результат",
            "unknown",
            "the result column 'Результат' is empty in all 3 row(s): results are taken as not "
            "exported ('unknown') and the share of activities with a result is not assessed "
            "-> if managers really record no results, the interview should say so",
        ]
    ]
    from salesaudit.model.quality import message_text

    assert message_text(_result_issues(quality)[0][-1], "ru") == (
        "колонка результата 'Результат' пуста во всех строках (3): результаты считаются не "
        "выгруженными, доля дел с результатом не оценивается -> если менеджеры действительно не "
        "записывают результаты, пусть это прозвучит на интервью"
    )


def test_result_column_blank_in_some_rows_keeps_none() -> None:
    data, quality = _build(
        "raw/calls.csv",
        [
            [*HEAD, "Результат"],
            ["1", "Звонок", "Олег Иванов", "03.11.2025", None],
            ["2", "Встреча", "Олег Иванов", "04.11.2025", "Отказ"],
            ["3", "Звонок", "Олег Иванов", "05.11.2025", ""],
        ],
    )
    assert data.activities["result"].tolist() == ["none", "refused", "none"]
    assert _result_issues(quality) == []


# --- analyses: unknown is neither "without a result" nor a result -----------------------------


def _act(aid: str, m: str, type_: str, at: str, result: str, status: str = "done") -> dict:
    return {
        "activity_id": aid,
        "manager_id": m,
        "type": type_,
        "occurred_at": at,
        "status": status,
        "result": result,
    }


def _mixed() -> Dataset:
    """m1: 4 done with a known result (1 'none') and 2 unknown; m2: 2 unknown only."""
    return Dataset(
        activities=canonical_frame(
            "activities",
            [
                _act("a1", "m1", "call", "2025-11-03 10:00", "agreed"),
                _act("a2", "m1", "call", "2025-11-04 10:00", "none"),
                _act("a3", "m1", "meeting", "2025-11-05 10:00", "refused"),
                _act("a4", "m1", "call", "2025-11-06 10:00", "no_answer"),
                _act("a5", "m1", "call", "2025-11-07 10:00", "unknown"),
                _act("a6", "m1", "meeting", "2025-11-10 10:00", "unknown"),
                _act("a7", "m1", "call", "2025-11-11 10:00", "unknown", status="planned"),
                _act("b1", "m2", "call", "2025-11-03 10:00", "unknown"),
                _act("b2", "m2", "meeting", "2025-11-05 10:00", "unknown"),
            ],
        )
    )


def test_activity_no_result_share_over_known_results_only() -> None:
    res = activity_summary(_mixed(), as_of=AS_OF, months=1)
    m = res.main.set_index("key")
    assert list(m.index) == ["m1|2025-11", "m2|2025-11"]
    assert m.loc["m1|2025-11", ["done", "done_with_known_result"]].tolist() == [6, 4]
    assert m.loc["m1|2025-11", "no_result_share"] == 0.25  # 1 'none' of 4 known, not 1 of 6
    assert m.loc["m2|2025-11", ["done", "done_with_known_result"]].tolist() == [2, 0]
    assert math.isnan(m.loc["m2|2025-11", "no_result_share"])
    cols = list(res.main.columns)
    assert cols.index("done_with_known_result") == cols.index("no_result_share") - 1


def test_day_agenda_never_counts_unknown_as_none_agreed_or_refused() -> None:
    data = Dataset(
        activities=canonical_frame(
            "activities",
            [
                _act("p1", "m1", "meeting", "2025-11-13 10:00", "unknown"),
                _act("p2", "m1", "meeting", "2025-11-13 12:00", "none"),
                _act("p3", "m1", "meeting", "2025-11-13 14:00", "agreed"),
                _act("p4", "m1", "meeting", "2025-11-13 16:00", "refused"),
            ],
        )
    )
    main = day_agenda(data, as_of=AS_OF).main.set_index("manager_id")
    cols = ["previous_done", "previous_agreed", "previous_refused", "previous_no_result"]
    assert main.loc["m1", cols].tolist() == [4, 1, 1, 1]


def test_credibility_no_followup_only_over_meetings_with_a_known_result() -> None:
    from salesaudit.analytics import credibility

    def meeting(aid: str, m: str, day: int, result: str) -> dict:
        return {
            **_act(aid, m, "meeting", f"2025-11-{day:02d} 11:00", result),
            "client_id": "c" + aid,
        }

    data = Dataset(
        activities=canonical_frame(
            "activities",
            [
                meeting("1", "m1", 3, "none"),  # no outcome, no follow-up: the signal
                meeting("2", "m1", 4, "agreed"),
                meeting("3", "m1", 5, "unknown"),  # not exported: not counted either way
                meeting("4", "m2", 3, "unknown"),
                meeting("5", "m2", 4, "unknown"),
            ],
        )
    )
    main = credibility(data, as_of=AS_OF).main.set_index("manager_id")
    assert main.loc["m1", "no_followup_share"] == 0.5  # 1 of the 2 meetings with a result
    assert math.isnan(main.loc["m2", "no_followup_share"])  # no result known: empty, not 0 %
    assert "no_followup_share" not in main.loc["m2", "reasons"]


# --- the indicator: n/a without results, judged over known results ----------------------------


def _result_recorded(analyses: dict[str, AnalysisResult], checklist):
    inds = {i.id: i for i in compute_indicators(analyses, checklist=checklist)}
    return inds["p4.result_recorded"]


def test_indicator_is_na_when_no_result_is_known(shipped) -> None:
    data = Dataset(
        activities=canonical_frame(
            "activities",
            [
                _act("b1", "m2", "call", "2025-11-03 10:00", "unknown"),
                _act("b2", "m2", "meeting", "2025-11-05 10:00", "unknown"),
            ],
        )
    )
    ind = _result_recorded({"activity": activity_summary(data, as_of=AS_OF)}, shipped)
    assert (ind.status, ind.verdict, ind.score, ind.value, ind.reason) == (
        "insufficient_data",
        "n/a",
        None,
        None,
        "no_results",
    )
    assert ind.message == (
        "activity: the export of activities holds no results (no result column, or one empty "
        "in every row), so the share of activities with a result is not assessed"
    )
    # findings rules can name the reason
    cond = {"indicator": "p4.result_recorded", "reason": "no_results"}
    assert check_condition(cond) == []
    ctx = Context(indicators={ind.id: (None, "n/a")}, reasons={ind.id: ind.reason})
    assert evaluate(cond, ctx)


def test_indicator_over_known_results_only(shipped) -> None:
    ind = _result_recorded({"activity": activity_summary(_mixed(), as_of=AS_OF)}, shipped)
    assert (ind.status, ind.value, ind.reason) == ("ok", 75.0, "")
    assert ind.evidence["numbers"] == {"done": 4, "without_result": 1, "result_not_exported": 4}


def test_indicator_end_to_end_from_a_sheet_without_results(shipped) -> None:
    """The false finding this guards against: «0 % of activities have a result»."""
    data, _ = _build(
        "raw/calls.csv",
        [
            HEAD,
            ["1", "Звонок", "Олег Иванов", "03.11.2025"],
            ["2", "Встреча", "Олег Иванов", "04.11.2025"],
            ["3", "Звонок", "Олег Иванов", "05.11.2025"],
        ],
    )
    ind = _result_recorded({"activity": activity_summary(data, as_of=AS_OF)}, shipped)
    assert (ind.verdict, ind.value, ind.reason) == ("n/a", None, "no_results")


def test_indicator_from_a_partly_blank_column_counts_blanks_as_without_result(shipped) -> None:
    data, _ = _build(
        "raw/calls.csv",
        [
            [*HEAD, "Результат"],
            ["1", "Звонок", "Олег Иванов", "03.11.2025", None],
            ["2", "Встреча", "Олег Иванов", "04.11.2025", "Отказ"],
            ["3", "Звонок", "Олег Иванов", "05.11.2025", "Договорились"],
            ["4", "Звонок", "Олег Иванов", "06.11.2025", "Перенос"],
        ],
    )
    ind = _result_recorded({"activity": activity_summary(data, as_of=AS_OF)}, shipped)
    assert (ind.verdict, ind.value, ind.reason) == ("warn", 75.0, "")
    assert ind.evidence["numbers"] == {"done": 4, "without_result": 1}


def test_verdict_says_why_the_result_share_is_not_assessed(shipped) -> None:
    """The interview says results are not logged; the data cannot confirm it, and the verdict
    says why instead of citing «0 % with a result»."""
    from salesaudit.scoring.answers import Answers
    from salesaudit.scoring.findings import evaluate_findings
    from salesaudit.scoring.score import score_areas
    from salesaudit.scoring.verdicts import problem_verdicts

    data = Dataset(
        activities=canonical_frame(
            "activities", [_act("b1", "m2", "call", "2025-11-03 10:00", "unknown")]
        )
    )
    inds = compute_indicators({"activity": activity_summary(data, as_of=AS_OF)}, checklist=shipped)
    answers = Answers()
    for q in shipped.questions_of("p4"):
        answers = answers.with_answer(q.id, "no" if q.id == "p4.q02" else "yes")
    areas = score_areas(shipped, answers, inds)
    findings = evaluate_findings(shipped, inds, answers, areas)
    assert [f.id for f in findings] == ["crm_partly_used"]
    v = {x["area"]: x for x in problem_verdicts(shipped, areas, inds, findings, answers)}["p4"]
    q = shipped.question("p4.q02").text
    assert v["sentence"]["ru"] == (
        "В выгрузке дел нет результатов (колонки нет или она пуста во всех строках) — доля дел "
        f"с результатом не оценена; по интервью: «нет» на вопрос «{q['ru']}»."
    )
    assert v["sentence"]["en"] == (
        "The activities export holds no results (no result column, or one empty in every row): "
        "the share of activities with a result is not assessed; from the interview: “no” to "
        f"“{q['en']}”."
    )
    assert v["basis"]["indicators"] == ["p4.result_recorded"]
