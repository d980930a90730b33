"""The quality report: exact counts on a small case, grouping, rendering limits, languages."""

from __future__ import annotations

import pandas as pd
import pytest
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset
from salesaudit.model.quality import (
    ISSUE_COLUMNS,
    TABLE_COLUMNS,
    QualityReport,
    issue,
    issues_frame,
    message_text,
)


def make_sheet(file: str, rows: list[list]) -> RawSheet:
    head, *data = rows
    frame = pd.DataFrame(data, columns=head, dtype=object)
    return RawSheet(file=file, sheet=None, frame=frame, rows=list(range(2, 2 + len(data))))


def small_case() -> tuple:
    sales = make_sheet(
        "raw/sales.xlsx",
        [
            ["Дата", "Контрагент", "Менеджер", "Сумма"],
            ["01.11.2024", "Лютик", "Петров Иван", "100"],
            ["02.11.2024", None, "Петров Иван", "-20"],
            ["03.11.2024", "Лютик", None, "сто"],
            ["15.12.2024", "Лютик", "Петров Иван", "50"],
            [None, "Лютик", "Петров Иван", "10"],
        ],
    )
    return build_dataset([sales], meta={"as_of": "2024-12-01"})


def test_exact_counts_on_a_small_case() -> None:
    _, quality = small_case()
    assert list(quality.tables.columns) == TABLE_COLUMNS
    row = quality.tables.set_index("table").loc["sales"]
    assert row.to_dict() == {
        "files": "raw/sales.xlsx",
        "rows_read": 5,
        "accepted": 3,
        "rejected": 2,
        "duplicates": 0,
        "unparseable_cells": 1,
        "date_min": pd.Timestamp("2024-11-01"),
        "date_max": pd.Timestamp("2024-12-15"),
        "no_manager": 0,
        "no_client": 1,
        "future_dates": 1,
        "negative_amounts": 1,
    }
    assert list(quality.issues.columns) == ISSUE_COLUMNS
    assert quality.issues[["severity", "kind", "row"]].astype(object).values.tolist() == [
        ["warning", "unparseable_value", 4],
        ["info", "assumed_value", pd.NA],
        ["error", "rejected_row", 6],
        ["error", "rejected_row", 4],
        ["warning", "future_date", 5],
        ["warning", "negative_amount", 3],
        ["warning", "no_client", 3],
    ]
    assert quality.count("rejected_row") == 2
    assert quality.count(severity="warning") == 4
    assert quality.accepted("sales") == 3 and quality.accepted("deals") == 0
    assert quality.usable


def test_summary_groups_by_severity_and_kind() -> None:
    _, quality = small_case()
    assert quality.summary()[["severity", "kind", "count"]].values.tolist() == [
        ["error", "rejected_row", 2],
        ["warning", "unparseable_value", 1],
        ["warning", "future_date", 1],
        ["warning", "negative_amount", 1],
        ["warning", "no_client", 1],
        ["info", "assumed_value", 1],
    ]


def test_text_in_russian_and_english() -> None:
    _, quality = small_case()
    ru = quality.to_text("ru")
    en = quality.to_text("en")
    assert "Качество данных" in ru and "Строка отклонена [rejected_row]: 2" in ru
    assert "Итог: данных достаточно для аудита." in ru
    assert "Data quality" in en and "Row rejected [rejected_row]: 2" in en
    assert "sales.xlsx row 6 [date]: date is empty; the record cannot be used" in en
    table_line = next(line for line in en.splitlines() if line.startswith("sales"))
    assert table_line.split() == ["sales", "1", "5", "3", "2", "0", "1", "01.11.2024–15.12.2024"]
    with pytest.raises(ValueError):
        quality.to_text("de")


def test_many_issues_print_a_few_examples_and_a_count() -> None:
    many = issues_frame(
        pd.DataFrame(
            {
                "severity": "error",
                "table": "activities",
                "file": "raw/calls.csv",
                "row": range(2, 100_002),
                "column": "type",
                "kind": "rejected_row",
                "message": "x" * 300 + " why " + "y" * 90,
                "value": "?",
            }
        )
    )
    report = QualityReport(issues=many)
    text = report.to_text("en")
    lines = text.splitlines()
    assert len(lines) < 30
    # never cut: a long message is wrapped at spaces (a word longer than a line stays whole)
    assert "    - calls.csv row 2 [type]:" in lines
    assert "      " + "x" * 300 in lines
    assert "      why " + "y" * 90 + " ('?')" in lines
    assert "Row rejected [rejected_row]: 100000" in text
    assert "… and 99997 more" in text
    assert not report.usable
    assert "not enough data" in text


def test_with_issues_prepends_and_issue_validates() -> None:
    _, quality = small_case()
    extra = [issue("error", "unreadable_file", "cannot read", file="raw/bad.xlsx")]
    more = quality.with_issues(extra)
    assert more.issues.iloc[0]["kind"] == "unreadable_file"
    assert len(more.issues) == len(quality.issues) + 1
    assert len(quality.issues) == 7  # the original is unchanged
    with pytest.raises(ValueError):
        issue("fatal", "unreadable_file", "x")
    with pytest.raises(ValueError):
        issue("error", "no_such_kind", "x")


def test_every_model_message_has_a_russian_rendering() -> None:
    sheets = [
        make_sheet(
            "raw/amo.csv",
            [
                [
                    "ID",
                    "Бюджет",
                    "Ответственный",
                    "Дата создания",
                    "Этап сделки",
                    "Компания",
                    "Причина отказа",
                ],
                ["1", "10", "Олег Иванов", "01.11.2024", "Странный", "Лютик", "Жадность"],
                ["1", "10", "Олег Иванов", "01.11.2024", "Переговоры", "Лютик", None],
                ["2", "-5", "Павел Иванов", "01.01.2030", "Переговоры", None, None],
                ["3", "x", "Иванов", "01.11.2024", "Переговоры", None, None],
            ],
        ),
        make_sheet(
            "raw/deals_b24.csv",
            [
                [
                    "ID",
                    "Стадия сделки",
                    "Сумма",
                    "Валюта",
                    "Ответственный",
                    "Компания",
                    "Дата создания",
                ],
                ["9", "Новая", "1", "USD", "Олег Иванов", "Лютик", "01.11.2024"],
            ],
        ),
        make_sheet(
            "raw/calls.csv",
            [
                ["ID", "Тип", "Ответственный", "Дата начала"],
                ["1", "Телепатия", "Олег Иванов", "01.11.2024"],
            ],
        ),
        make_sheet("raw/notes.csv", [["foo"], ["1"]]),
        RawSheet(
            file="raw/plan.xlsx",
            sheet="Прочее",
            frame=pd.DataFrame(
                [["Олег Иванов", "1", "x", "3", "4"], ["Итого", "1", "2", "3", "4"]],
                columns=["Менеджер", "Ноябрь 2024", "Декабрь 2024", "4 кв. 2024", "Итого"],
                dtype=object,
            ),
            rows=[2, 3],
            dropped=[(4, "total"), (5, "group"), (6, "blank")],
        ),
        make_sheet("raw/ack.xlsx", [["Ознакомлен"], ["да"]]),
    ]
    mapping = {
        "files": [
            {"match": "calls.csv", "table": "activities", "columns": {"Нет такой": "comment"}}
        ]
    }
    _, quality = build_dataset(sheets, mapping, meta={"as_of": "2024-12-01"})
    kinds = set(quality.issues["kind"])
    assert {
        "unknown_label",
        "duplicate",
        "future_date",
        "negative_amount",
        "unparseable_value",
        "ambiguous_match",
        "rejected_row",
        "other_currency",
        "unrecognised_file",
        "skipped_column",
        "total_row",
        "dropped_row",
        "assumed_value",
        "bad_mapping",
        "missing_column",
        "no_client",
    } <= kinds
    untranslated = [m for m in quality.issues["message"] if message_text(m, "ru") == m]
    assert untranslated == []
    assert message_text("something else", "ru") == "something else"
    assert message_text("total row skipped", "en") == "total row skipped"
