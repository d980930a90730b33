"""Interview capture: the XLSX sheet round trip, answers.yaml, and answer validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from salesaudit import cli
from salesaudit.errors import AnswersError
from salesaudit.io.checklist_files import read_answers_file, read_checklist_dir
from salesaudit.io.interview_sheet import LABELS, read_interview_sheet, write_interview_sheet
from salesaudit.scoring.answers import normalize_answer, validate_answers
from salesaudit.scoring.checklist import ANSWER_LABELS, build_checklist

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checklist():
    return build_checklist(read_checklist_dir(ROOT / "checklist"))


def test_sheet_layout(checklist, tmp_path: Path) -> None:
    path = write_interview_sheet(checklist, tmp_path / "s.xlsx", lang="ru")
    wb = load_workbook(path)
    ws = wb["Interview"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [
        "ID",
        "Область",
        "Вопрос",
        "Подсказка (что спросить, что проверить)",
        "Ответ",
        "Заметки",
    ]
    ids = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    # an area title row, then the area's questions, for every area in order
    expected = []
    for area in checklist.areas:
        expected.append(area.id)
        expected += [q.id for q in checklist.questions_of(area.id)]
    assert ids == expected
    first_q = ids.index("p1.q01") + 2
    assert ws.cell(row=first_q, column=3).value == checklist.question("p1.q01").text["ru"]
    assert ws.row_dimensions[first_q].outline_level == 1
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    assert dvs[0].formula1 == '"Да,Частично,Нет,Не знаю"'
    covered = str(dvs[0].sqref)
    assert f"E{first_q}" in covered
    assert ws.column_dimensions["C"].width == 60


def test_round_trip_prefilled(checklist, tmp_path: Path) -> None:
    given = {
        "p1.q01": {"answer": "yes", "note": "есть РОП"},
        "p3.q05": {"answer": "no", "note": None},
        "p4.q02": {"answer": "partly", "note": "не все"},
        "p6.q01": {"answer": "unknown", "note": None},
    }
    for lang in ("ru", "en"):
        path = write_interview_sheet(checklist, tmp_path / f"{lang}.xlsx", lang=lang, answers=given)
        raw = read_interview_sheet(path)
        assert raw["source"] == str(path)
        assert len(raw["answers"]) == len(checklist.questions)
        ans = validate_answers(raw, checklist)
        assert ans.to_dict() == dict(sorted(given.items()))
    wb = load_workbook(tmp_path / "ru.xlsx")
    values = {r[0].value: r[4].value for r in wb["Interview"].iter_rows(min_row=2)}
    assert values["p1.q01"] == "Да" and values["p4.q02"] == "Частично"


def test_filled_sheet_errors_carry_rows(checklist, tmp_path: Path) -> None:
    path = write_interview_sheet(checklist, tmp_path / "s.xlsx", lang="ru")
    wb = load_workbook(path)
    ws = wb["Interview"]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=rows["p2.q01"], column=5, value="Может быть")
    ws.cell(row=rows["p2.q02"], column=5, value=" частично ")
    ws.cell(row=rows["p2.q03"], column=1, value="p2.q3")
    ws.cell(row=rows["p2.q03"], column=5, value="Да")
    wb.save(path)
    with pytest.raises(AnswersError) as info:
        validate_answers(read_interview_sheet(path), checklist)
    err = info.value
    assert err.file == str(path)
    by_row = {c.row: c for c in err.cases}
    assert set(by_row) == {rows["p2.q01"], rows["p2.q03"]}
    bad = by_row[rows["p2.q01"]]
    assert "invalid answer 'Может быть'" in bad.message and "Частично" in bad.hint
    unknown = by_row[rows["p2.q03"]]
    assert "unknown question id 'p2.q3'" in unknown.message
    assert unknown.hint == "did you mean 'p2.q03'?"


def test_duplicate_rows_are_reported(checklist, tmp_path: Path) -> None:
    path = write_interview_sheet(checklist, tmp_path / "s.xlsx")
    wb = load_workbook(path)
    ws = wb["Interview"]
    ws.append(["p1.q01", "p1", "again", "", "Нет", ""])
    wb.save(path)
    with pytest.raises(AnswersError) as info:
        validate_answers(read_interview_sheet(path), checklist)
    (case,) = info.value.cases
    assert case.row == ws.max_row and "appears twice" in case.message


def test_validate_answers_collects_every_problem(checklist) -> None:
    raw = {
        "source": "answers.yaml",
        "answers": {
            "p1.q01": True,  # YAML's bare yes
            "p1.q02": False,  # YAML's bare no
            "p1.q03": "Не знаю",
            "p1.q04": "",  # blank = unanswered
            "p1.q05": {"answer": "ДА", "note": "  проверяют\n обзвоном "},
            "p7.q9": "yes",
            "p2.q01": "maybe",
            "p2.q02": {"answer": "no", "comment": "x"},
        },
    }
    with pytest.raises(AnswersError) as info:
        validate_answers(raw, checklist)
    msgs = [c.render() for c in info.value.cases]
    assert len(msgs) == 3
    assert any("unknown question id 'p7.q9'" in m and "did you mean" in m for m in msgs)
    assert any("'p2.q01': invalid answer 'maybe'" in m and "yes / partly / no" in m for m in msgs)
    assert any("'p2.q02': unknown field(s) comment" in m for m in msgs)
    del raw["answers"]["p7.q9"], raw["answers"]["p2.q01"], raw["answers"]["p2.q02"]
    ans = validate_answers(raw, checklist)
    assert ans.values() == {"p1.q01": "yes", "p1.q02": "no", "p1.q03": "unknown", "p1.q05": "yes"}
    assert ans.get("p1.q05").note == "проверяют обзвоном"
    assert ans.get("p1.q03").score is None and ans.get("p1.q02").score == 0.0


def test_normalize_answer() -> None:
    assert normalize_answer("Частично") == "partly"
    assert normalize_answer("  no ") == "no"
    assert normalize_answer(0.5) == "partly"
    assert normalize_answer(None) is None and normalize_answer("  ") is None
    with pytest.raises(ValueError):
        normalize_answer("probably")


def test_write_errors_are_reported(checklist, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    from salesaudit.errors import InputFileError

    with pytest.raises(InputFileError, match="cannot write the interview sheet"):
        write_interview_sheet(checklist, blocker / "sub" / "s.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_sheet_labels_match_scoring_labels() -> None:
    assert LABELS == ANSWER_LABELS


def test_answers_yaml_and_demo_file(checklist, tmp_path: Path) -> None:
    demo = validate_answers(read_answers_file(ROOT / "data_samples/demo/answers.yaml"), checklist)
    assert set(demo.items) == set(checklist.question_ids)
    assert demo.get("p3.q05").value == "no"
    assert demo.get("p3.q02").value == "no"
    assert demo.get("p6.q01").value == "no" and demo.get("p7.q01").value == "no"
    assert demo.get("p4.q02").value == "partly"
    bad = tmp_path / "answers.yaml"
    bad.write_text("answers:\n  p1.q01: yes\n   p1.q02: no\n", encoding="utf-8")
    with pytest.raises(AnswersError) as info:
        read_answers_file(bad)
    assert info.value.row == 3 and info.value.file == str(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- p1.q01\n", encoding="utf-8")
    with pytest.raises(AnswersError, match="must hold a mapping"):
        read_answers_file(listy)


def test_cli_interview_sheet_prefills(tmp_path: Path, capsys) -> None:
    client = tmp_path / "client"
    client.mkdir()
    (client / "answers.yaml").write_text(
        'answers:\n  p5.q02: {answer: "partly", note: "адаптация 2 недели"}\n', encoding="utf-8"
    )
    assert cli.main(["interview-sheet", str(client), "--lang", "en"]) == 0
    out = client / "interview.xlsx"
    assert str(out) in capsys.readouterr().out
    raw = read_interview_sheet(out)
    assert raw["answers"]["p5.q02"]["answer"] == "partly"
    assert raw["answers"]["p5.q02"]["note"] == "адаптация 2 недели"
    assert raw["answers"]["p5.q01"]["answer"] is None
    # a broken answers file is reported, not a traceback
    (client / "answers.yaml").write_text("answers:\n  p5.q22: yes\n", encoding="utf-8")
    assert cli.main(["interview-sheet", str(client)]) == 2
    assert "unknown question id 'p5.q22'" in capsys.readouterr().err
