"""Bad client folders: every one gives a clear message and exit code 2 (1: not usable), no traceback.

Each folder is built in ``tmp_path``; the commands run in-process through :func:`cli.main` (an
exception escaping a command would fail the test, and the CLI's last-resort handler would give
exit code 3) and a few through the real ``salesaudit`` process to check stderr as a user sees it.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from salesaudit import cli
from salesaudit.app import loading

HEADER = "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки"
DEALS = (
    f"{HEADER}\n"
    "1;100;Иванов Иван;01.02.2026;Успешно реализовано\n"
    "2;200;Петров Пётр;03.02.2026;Закрыто и не реализовано\n"
    "3;300;Иванов Иван;05.02.2026;Успешно реализовано\n"
)


def _client(tmp_path: Path, raw: dict[str, bytes | str], **files: str) -> Path:
    """A client folder: ``raw`` files (name -> content) and top-level files (``answers_yaml=``
    -> ``answers.yaml``)."""
    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    for name, data in raw.items():
        payload = data.encode("utf-8") if isinstance(data, str) else data
        (root / "raw" / name).write_bytes(payload)
    for key, text in files.items():
        (root / key.replace("_", ".")).write_text(text, encoding="utf-8")
    return root


def _xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "internal error" not in captured.err
    return code, captured.out, " ".join(captured.err.split())


def _validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return _main(["validate", str(root), "--lang", "en"], capsys)


def _audit(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return _main(["audit", str(root), "--out", str(root.parent / "out.json")], capsys)


# --- raw exports --------------------------------------------------------------------------------


def test_truncated_csv_rejects_the_cut_row_and_says_why(tmp_path: Path, capsys) -> None:
    data = DEALS.encode("utf-8")
    cut = data[: data.index(b"3;300;") + len("3;300;Ива".encode())]
    root = _client(tmp_path, {"deals.csv": cut})
    code, out, _ = _validate(root, capsys)
    assert code == 0
    assert "deals.csv row 4 [created]: created is empty; the record cannot be used" in out
    lines = [ln.split() for ln in out.splitlines() if ln.startswith("deals ")]
    assert lines[0][:6] == ["deals", "1", "3", "2", "1", "0"]  # files, read, accepted, rejected


def test_xlsx_with_a_garbage_sheet_uses_the_good_sheet(tmp_path: Path, capsys) -> None:
    book = _xlsx(
        {
            "Сделки": [
                HEADER.split(";"),
                ["1", "100", "Иванов", "01.02.2026", "Успешно реализовано"],
            ],
            "junk": [["@@##", None, 3.5], [None, "=1/0", "☃"], [True, False, None]],
        }
    )
    root = _client(tmp_path, {"deals.xlsx": book})
    code, out, _ = _validate(root, capsys)
    assert code == 0
    assert "deals.xlsx: sheet not used (empty or not a known table) ('junk')" in out
    assert code == _audit(root, capsys)[0] == 0


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        ("deals.xlsx", b"\x00\x01garbage" * 300, "raw/deals.xlsx: not a table export"),
        (
            "deals.csv",
            f"{HEADER}\n",
            "raw/deals.csv: the file is empty (no data rows (only a header))",
        ),
        ("deals.csv", b"", "raw/deals.csv: the file is empty (0 bytes or no rows)"),
    ],
    ids=["xlsx-garbage-bytes", "csv-only-headers", "csv-empty"],
)
def test_unreadable_only_file_is_exit_2(
    tmp_path: Path, capsys, name: str, payload: bytes | str, expected: str
) -> None:
    root = _client(tmp_path, {name: payload})
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2
        assert err.startswith(f"salesaudit: error: {root / 'raw'}: none of the 1 file(s) in raw/")
        assert expected in err


def test_truncated_xlsx_next_to_a_good_csv_is_reported_not_fatal(tmp_path: Path, capsys) -> None:
    book = _xlsx({"S": [HEADER.split(";"), ["9", "900", "Сидоров", "01.03.2026", "Успешно"]]})
    root = _client(tmp_path, {"deals.csv": DEALS, "more.xlsx": book[: len(book) // 2]})
    code, out, _ = _validate(root, capsys)
    assert code == 0
    assert "more.xlsx: file is damaged" in out
    assert "File could not be read [unreadable_file]: 1" in out


def test_duplicate_but_different_columns_do_not_crash(tmp_path: Path, capsys) -> None:
    dup = (
        "ID;Бюджет;Бюджет;Ответственный;Дата создания сделки;Этап сделки\n"
        "1;100;abc;Иванов;01.02.2026;Успешно реализовано\n"
        "2;x;300;Петров;02.02.2026;Закрыто и не реализовано\n"
    )
    root = _client(tmp_path, {"deals.csv": dup})
    code, out, _ = _validate(root, capsys)
    assert code == 0
    assert "deals.csv row 3 [Бюджет]: not a number; the cell is left empty ('x')" in out
    assert "deals.csv row 2 [Бюджет.2]: not a number; the cell is left empty ('abc')" in out


def test_a_file_the_model_cannot_handle_becomes_an_unreadable_file_issue(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """An unexpected exception while modelling one file: that file is reported, the rest used."""
    real = loading.build_dataset

    def fragile(sheets, cmap, meta=None):
        if any(s.file == "raw/bad.csv" for s in sheets):
            raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")
        return real(sheets, cmap, meta=meta)

    monkeypatch.setattr(loading, "build_dataset", fragile)
    root = _client(tmp_path, {"deals.csv": DEALS, "bad.csv": DEALS.replace("1;100", "7;700")})
    loaded = loading.load_client(root)
    issues = loaded.quality.issues
    bad = issues[issues["kind"] == "unreadable_file"]
    assert bad["file"].tolist() == ["raw/bad.csv"]
    assert (
        bad["message"]
        .iloc[0]
        .startswith(
            "the file was read but its content could not be used (TypeError: unsupported operand "
            "type(s) for +: 'int' and 'str'); the other files are used without it -> "
        )
    )
    assert sorted(loaded.dataset.deals["deal_id"]) == ["1", "2", "3"]
    assert [m["file"] for m in loaded.sheets_meta] == ["raw/bad.csv", "raw/deals.csv"]
    code, out, _ = _validate(root, capsys)
    assert code == 0
    assert "- bad.csv: the file was read but its content could not be used (TypeError: " in out

    # only the broken file: exit 2 naming it
    (root / "raw" / "deals.csv").unlink()
    code, _, err = _validate(root, capsys)
    assert code == 2
    assert err.startswith(
        f"salesaudit: error: {root / 'raw'}: the exports in raw/ could not be used (TypeError: "
    )
    assert "- raw/bad.csv: the file was read but its content could not be used" in err


def test_a_failure_only_in_combination_is_one_clear_error(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    real = loading.build_dataset

    def fragile(sheets, cmap, meta=None):
        if len(sheets) > 1:
            raise KeyError("manager_id")
        return real(sheets, cmap, meta=meta)

    monkeypatch.setattr(loading, "build_dataset", fragile)
    root = _client(tmp_path, {"a.csv": DEALS, "b.csv": DEALS.replace("1;100", "7;700")})
    code, _, err = _validate(root, capsys)
    assert code == 2
    assert err == (
        f"salesaudit: error: {root / 'raw'}: the exports in raw/ could not be combined into the "
        "data model (KeyError: 'manager_id') -> check the layout of the file(s) named (one header "
        "row, one record per row) or describe them in mapping.yaml, or move them out of raw/; if "
        "the data looks right, report it to the salesaudit developers"
    )


def test_long_plan_without_a_period_column_is_not_a_traceback(tmp_path: Path, capsys) -> None:
    mapping = (
        "files:\n  - match: plan.csv\n    table: plans\n    layout: long\n"
        "    columns: {Менеджер: manager_name}\n"
    )
    root = _client(
        tmp_path, {"plan.csv": "Менеджер;Январь;Февраль\nИванов;1;2\n"}, mapping_yaml=mapping
    )
    code, _, err = _validate(root, capsys)
    assert code == 2
    assert "plan.csv" in err


def test_only_trainings_is_not_usable_exit_1(tmp_path: Path, capsys) -> None:
    trainings = "Сотрудник;Тренинг;Дата\nИванов;Переговоры;01.02.2026\n"
    root = _client(tmp_path, {"trainings.csv": trainings})
    code, _, err = _validate(root, capsys)
    assert code == 1
    assert err.startswith(f"salesaudit: error: {root}: not enough data for an audit")
    code, _, err = _audit(root, capsys)
    assert code == 1
    assert "no deals, activities or sales could be loaded from raw/" in err


# --- mapping.yaml, answers, report.yaml ---------------------------------------------------------


def test_mapping_to_wrong_fields(tmp_path: Path, capsys) -> None:
    mapping = "files:\n  - match: deals.csv\n    table: deals\n    columns:\n      Бюджет: budget_amount\n"
    root = _client(tmp_path, {"deals.csv": DEALS}, mapping_yaml=mapping)
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2
        assert (
            "- mapping.yaml: files[0].columns.Бюджет: unknown field 'budget_amount' for table "
            "'deals' -> did you mean 'amount'?"
        ) in err


def test_mapping_with_an_impossible_date(tmp_path: Path, capsys) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS}, mapping_yaml="currency: 2026-13-45\n")
    code, _, err = _validate(root, capsys)
    assert code == 2
    assert err.startswith(
        f"salesaudit: error: {root / 'mapping.yaml'}: invalid value in YAML: "
        "month must be in 1..12 -> "
    )


def test_answers_with_wrong_types(tmp_path: Path, capsys) -> None:
    answers = "answers:\n  p1.q01: 5\n  p1.q02: {answer: [yes], note: x}\n  p1.q03: yes\n"
    root = _client(tmp_path, {"deals.csv": DEALS}, answers_yaml=answers)
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2
        assert "problem(s) in the interview answers" in err
        assert "question 'p1.q01': invalid answer 5" in err


def test_answers_xlsx_that_is_not_a_workbook(tmp_path: Path, capsys) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS})
    (root / "answers.xlsx").write_bytes(b"not a zip" * 100)
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2
        assert err.rstrip("\n") == (
            f"salesaudit: error: {root / 'answers.xlsx'}: cannot open the interview sheet as XLSX "
            "(the file is not an Excel workbook) -> use the sheet written by `salesaudit "
            "interview-sheet`, saved as an Excel workbook (.xlsx), or answers.yaml"
        )


def test_report_yaml_that_is_a_list(tmp_path: Path, capsys) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS}, report_yaml="- client_name: X\n- as_of: 1\n")
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2
        assert err == (
            f"salesaudit: error: {root / 'report.yaml'}: report.yaml must hold a mapping of "
            "keys, got list -> see docs/report-yaml.md"
        )


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        ("as_of: 2026-13-45\n", "report.yaml: invalid value in YAML: month must be in 1..12"),
        ("as_of: yesterday\n", "report.yaml: as_of: must be a date YYYY-MM-DD, got 'yesterday'"),
        ("analysis: {activity: 5}\n", "analysis.activity: must be a mapping of parameter -> value"),
        ("analysis: [1]\n", "report.yaml: analysis: must be a mapping, got [1]"),
        ("thresholds: [1]\n", "report.yaml: thresholds: must be a mapping, got [1]"),
        ("gross_margin: lots\n", "gross_margin: must be a share in (0, 1], got 'lots'"),
    ],
    ids=["bad-date", "as-of-text", "analysis-scalar", "analysis-list", "thresholds", "margin"],
)
def test_report_yaml_with_bad_values(tmp_path: Path, capsys, report: str, expected: str) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS}, report_yaml=report)
    for run in (_validate, _audit):
        code, _, err = run(root, capsys)
        assert code == 2, err
        assert err.startswith(f"salesaudit: error: {root / 'report.yaml'}")
        assert expected in err


def test_validate_lists_settings_and_answers_problems_together(tmp_path: Path, capsys) -> None:
    root = _client(
        tmp_path,
        {"deals.csv": DEALS},
        report_yaml="- x\n",
        answers_yaml="answers: [yes]\n",
    )
    code, out, err = _validate(root, capsys)
    assert code == 2
    assert out.startswith("Data quality")  # the data-quality report is still printed first
    assert err.startswith(
        f"salesaudit: error: {root}: 2 problems in the client folder's settings and answers"
    )
    assert "report.yaml must hold a mapping" in err
    assert "'answers' must be a mapping of question id -> answer" in err


# --- as a user sees it: the real process ------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "audit", "run"])
def test_real_process_prints_no_traceback(tmp_path: Path, command: str) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS}, report_yaml="as_of: 2026-02-30\n")
    proc = subprocess.run(
        [sys.executable, "-m", "salesaudit.cli", command, str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        f"salesaudit: error: {root / 'report.yaml'}: invalid value in YAML: "
    )
    assert "day is out of range for month" in proc.stderr


def test_run_checks_answers_before_writing_anything(tmp_path: Path, capsys) -> None:
    root = _client(tmp_path, {"deals.csv": DEALS}, answers_yaml="answers:\n  p1.q01: 5\n")
    out = tmp_path / "reports" / "client"
    code, _, err = _main(["run", str(root), "--out", str(out)], capsys)
    assert code == 2
    assert "question 'p1.q01': invalid answer 5" in err
    assert not (tmp_path / "reports").exists()  # nothing was written
