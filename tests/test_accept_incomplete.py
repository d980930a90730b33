"""Data that ``salesaudit validate`` refuses (exit 1) stop ``audit`` and ``run`` with the same
problems, unless ``--accept-incomplete``; the report then lists them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from salesaudit import cli
from test_run import _tree_digest
from test_validate_cli import BROKEN, client

#: the two blocking problems of the BROKEN folder (see test_validate_cli), as validate words them
PROBLEMS = [
    "таблица activities: отклонено 3 из 4 строк (больше половины)",
    "raw/amo_deals.csv: таблица deals без ключевого поля amount (Сумма / Бюджет / Выручка)",
]


def test_audit_refuses_what_validate_refuses_listing_every_problem(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, BROKEN)
    out = tmp_path / "result.json"
    code = cli.main(["audit", str(root), "--as-of", "2024-11-04", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"salesaudit: error: {root}: данные непригодны для аудита: 2 пробл. -> salesaudit "
        "validate покажет, что прочитано, и готовый фрагмент mapping.yaml; чтобы всё же "
        "построить отчёт на этих данных, добавьте --accept-incomplete (отчёт перечислит эти "
        "проблемы)",
        *(f"  - {p}" for p in PROBLEMS),
    ]
    assert "Traceback" not in err
    assert not out.exists()


def test_audit_in_english_words_the_refusal_in_english(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, BROKEN)
    code = cli.main(["audit", str(root), "--as-of", "2024-11-04", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1
    assert "the data cannot be used for an audit: 2 problem(s)" in err
    assert "add --accept-incomplete" in err
    assert "  - table activities: 3 of 4 rows rejected (more than half)" in err.splitlines()


def test_accept_incomplete_audits_and_keeps_the_problems_in_the_result(
    tmp_path: Path, capsys
) -> None:
    root = client(tmp_path, BROKEN)
    out = tmp_path / "result.json"
    args = ["audit", str(root), "--as-of", "2024-11-04", "--out", str(out), "--accept-incomplete"]
    assert cli.main(args) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["quality"]["blocking"] == [
        {"ru": PROBLEMS[0], "en": "table activities: 3 of 4 rows rejected (more than half)"},
        {
            "ru": PROBLEMS[1],
            "en": "raw/amo_deals.csv: table deals without the key field amount (Сумма / Бюджет "
            "/ Выручка)",
        },
    ]
    assert result["overall_index"] is None  # nothing to score on: no index is guessed
    # no staff list was given: «nobody is head of sales» would be a guess, so it is not a finding
    assert [f["id"] for f in result["findings"]] == []


def test_usable_data_carry_no_blocking_problems(tmp_path: Path) -> None:
    from salesaudit.app.audit import audit_client
    from test_validate_cli import DEALS_CSV

    root = client(tmp_path, {"deals.csv": DEALS_CSV})
    result, _ = audit_client(root, as_of=dt.date(2024, 11, 2))
    assert result.quality["blocking"] == []


@pytest.mark.slow
def test_run_refuses_and_leaves_the_previous_report_byte_identical(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, BROKEN)
    out = tmp_path / "reports" / "client"
    out.mkdir(parents=True)
    (out / "report.pdf").write_bytes(b"%PDF-1.4 previous report\n")
    before = _tree_digest(out)
    code = cli.main(["run", str(root), "--out", str(out), "--as-of", "2024-11-04"])
    err = capsys.readouterr().err
    assert code == 1
    assert "данные непригодны для аудита: 2 пробл." in err
    assert "--accept-incomplete" in err
    assert [line for line in err.splitlines() if line.startswith("  - ")] == [
        f"  - {p}" for p in PROBLEMS
    ]
    assert "Traceback" not in err
    assert _tree_digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["client"]  # no temp folders left
