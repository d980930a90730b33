"""Plans: wide sheets with every month-header style, several sheets, totals, quarter columns,
acknowledgements, and the long layout -> exact long rows."""

from __future__ import annotations

import pandas as pd
import pytest
from salesaudit.io.raw import RawSheet
from salesaudit.model.plans import (
    PLAN_SOURCE_COLUMNS,
    apply_acknowledgements,
    looks_like_plan,
    metric_from_label,
    parse_period_header,
    parse_plan_sheets,
)


def make_sheet(rows: list[list], sheet: str | None = None, file: str = "raw/plan.xlsx") -> RawSheet:
    head, *data = rows
    frame = pd.DataFrame(data, columns=head, dtype=object)
    return RawSheet(file=file, sheet=sheet, frame=frame, rows=list(range(2, 2 + len(data))))


NOV = pd.Timestamp("2024-11-01")
DEC = pd.Timestamp("2024-12-01")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Ноябрь 2024", NOV),
        ("ноя 2024", NOV),
        ("Ноябрь 24", NOV),
        ("ноябрь 2024 г.", NOV),
        ("ноя.24", NOV),
        ("11.2024", NOV),
        ("2024-11", NOV),
        ("2024-11-01 00:00:00", NOV),
        ("01.11.2024", NOV),
        ("Nov 2024", NOV),
        ("Май 2025", pd.Timestamp("2025-05-01")),
        ("мая 2025", pd.Timestamp("2025-05-01")),
        ("Март 2025", pd.Timestamp("2025-03-01")),
        ("Ноябрь 2024.2", NOV),
        ("1 кв. 2025", "quarter"),
        ("I квартал 2025", "quarter"),
        ("Q1 2025", "quarter"),
        ("2025", "year"),
        ("2025 год", "year"),
        ("Итого", "total"),
        ("Всего за год", "total"),
        ("Менеджер", None),
        ("Маршрут", None),
        ("", None),
    ],
)
def test_period_headers(header: str, expected: object) -> None:
    assert parse_period_header(header) == expected


def test_metric_names() -> None:
    assert metric_from_label("Встречи") == "meetings"
    assert metric_from_label("План звонков") == "calls"
    assert metric_from_label("КП") == "proposals"
    assert metric_from_label("План по выручке, руб.") == "revenue"
    assert metric_from_label("Отгрузки, шт") == "units"
    assert metric_from_label("units") == "units"
    assert metric_from_label("Погода") is None


def expected(rows: list[dict]) -> pd.DataFrame:
    base = {
        "manager_name": None,
        "dimension": "none",
        "dimension_value": None,
        "acknowledged_at": pd.NaT,
        "src_file": "raw/plan.xlsx",
    }
    return pd.DataFrame([{**base, **r} for r in rows])[PLAN_SOURCE_COLUMNS]


def test_workbook_with_manager_brand_activity_sheets_totals_and_acknowledgement() -> None:
    by_manager = make_sheet(
        [
            ["Менеджер", "Ноябрь 2024", "Декабрь 2024", "4 кв. 2024", "Итого"],
            ["Петров И.С.", "100 000", "120000", "220000", "220000"],
            ["Смирнова А.О.", "90000", None, "90000", "90000"],
            ["Итого по отделу", "190000", "120000", "310000", "310000"],
        ],
        sheet="План продаж",
    )
    by_brand = make_sheet(
        [["Бренд", "11.2024", "12.2024"], ["Bosch", "50", "60"], ["Всего", "50", "60"]],
        sheet="По брендам",
    )
    meetings = make_sheet(
        [["Сотрудник", "2024-11", "2024-12"], ["Петров И.С.", "20", "abc"]], sheet="Встречи"
    )
    activity = make_sheet(
        [
            ["Менеджер", "Показатель", "ноя 2024"],
            ["Петров И.С.", "Звонки", "300"],
            ["Петров И.С.", "КП", "15"],
            ["Петров И.С.", "Танцы", "1"],
        ],
        sheet="Активность",
    )
    ack = make_sheet(
        [
            ["Менеджер", "Период", "Ознакомлен", "Дата ознакомления"],
            ["Петров И.С.", "Ноябрь 2024", "да", "28.10.2024"],
            ["Смирнова А.О.", None, "да", "30.10.2024"],
            ["Сидоров", "Ноябрь 2024", "да", None],
        ],
        sheet="Ознакомление",
    )
    assert all(looks_like_plan(s) for s in (by_manager, by_brand, meetings, activity, ack))
    parsed = parse_plan_sheets([by_manager, by_brand, meetings, activity, ack])
    pd.testing.assert_frame_equal(
        parsed.plans,
        expected(
            [
                {
                    "period": NOV,
                    "manager_name": "Петров И.С.",
                    "metric": "revenue",
                    "value": 100000.0,
                    "src_row": 2,
                },
                {
                    "period": DEC,
                    "manager_name": "Петров И.С.",
                    "metric": "revenue",
                    "value": 120000.0,
                    "src_row": 2,
                },
                {
                    "period": NOV,
                    "manager_name": "Смирнова А.О.",
                    "metric": "revenue",
                    "value": 90000.0,
                    "src_row": 3,
                },
                {
                    "period": NOV,
                    "dimension": "brand",
                    "dimension_value": "Bosch",
                    "metric": "revenue",
                    "value": 50.0,
                    "src_row": 2,
                },
                {
                    "period": DEC,
                    "dimension": "brand",
                    "dimension_value": "Bosch",
                    "metric": "revenue",
                    "value": 60.0,
                    "src_row": 2,
                },
                {
                    "period": NOV,
                    "manager_name": "Петров И.С.",
                    "metric": "meetings",
                    "value": 20.0,
                    "src_row": 2,
                },
                {
                    "period": NOV,
                    "manager_name": "Петров И.С.",
                    "metric": "calls",
                    "value": 300.0,
                    "src_row": 2,
                },
                {
                    "period": NOV,
                    "manager_name": "Петров И.С.",
                    "metric": "proposals",
                    "value": 15.0,
                    "src_row": 3,
                },
            ]
        ),
    )
    assert parsed.acknowledgements[
        ["manager_name", "period", "acknowledged_at", "src_row"]
    ].values.tolist() == [
        ["Петров И.С.", NOV, pd.Timestamp("2024-10-28"), 2],
        ["Смирнова А.О.", pd.NaT, pd.Timestamp("2024-10-30"), 3],
    ]
    kinds = [(i["kind"], i["row"], i["column"], i["value"]) for i in parsed.issues]
    assert kinds == [
        ("skipped_column", 1, "4 кв. 2024", "4 кв. 2024"),
        ("skipped_column", 1, "Итого", None),
        ("total_row", 4, None, "Итого по отделу"),
        ("assumed_value", None, "metric", "По брендам"),
        ("total_row", 3, None, "Всего"),
        ("unparseable_value", 2, "2024-12", "abc"),
        ("unknown_label", 4, "Показатель", "Танцы"),
        ("assumed_value", 4, None, "Сидоров"),
    ]
    severities = {i["kind"]: i["severity"] for i in parsed.issues}
    assert severities["total_row"] == "info"
    assert parsed.rows_read == 3 + 2 + 1 + 3 + 3
    assert parsed.unparseable == 1


def test_first_column_without_a_header_is_the_manager() -> None:
    sheet = make_sheet([["", "Январь 2025", "Февраль 2025"], ["Петров", "1", "2"]], sheet="Лист1")
    parsed = parse_plan_sheets([sheet])
    assert parsed.plans[["period", "manager_name", "metric", "value"]].values.tolist() == [
        [pd.Timestamp("2025-01-01"), "Петров", "revenue", 1.0],
        [pd.Timestamp("2025-02-01"), "Петров", "revenue", 2.0],
    ]
    assert [i["kind"] for i in parsed.issues] == ["assumed_value"]


def test_mapping_rule_gives_metric_and_dimension() -> None:
    sheet = make_sheet([["Маршрут", "Ноябрь 2024"], ["М-1", "7"]], sheet="Лист1")
    parsed = parse_plan_sheets([sheet], metric="equipment")
    assert parsed.plans[["dimension", "dimension_value", "metric", "value"]].values.tolist() == [
        ["route", "М-1", "equipment", 7.0]
    ]


def test_long_layout() -> None:
    sheet = make_sheet(
        [
            ["Период", "Менеджер", "Показатель", "Значение"],
            ["Ноябрь 2024", "Петров И.С.", "Выручка", "100"],
            ["01.12.2024", "Петров И.С.", "Встречи", "5"],
            ["1 кв. 2025", "Петров И.С.", "Выручка", "300"],
            ["Ноябрь 2024", "Итого", "Выручка", "100"],
            ["Ноябрь 2024", "Петров И.С.", "Выручка", "сто"],
        ]
    )
    parsed = parse_plan_sheets([sheet])
    pd.testing.assert_frame_equal(
        parsed.plans,
        expected(
            [
                {
                    "period": NOV,
                    "manager_name": "Петров И.С.",
                    "metric": "revenue",
                    "value": 100.0,
                    "src_row": 2,
                },
                {
                    "period": DEC,
                    "manager_name": "Петров И.С.",
                    "metric": "meetings",
                    "value": 5.0,
                    "src_row": 3,
                },
            ]
        ),
    )
    assert [(i["kind"], i["row"]) for i in parsed.issues] == [
        ("skipped_column", 4),
        ("total_row", 5),
        ("unparseable_value", 6),
    ]


def test_apply_acknowledgements_by_period_and_for_all_periods() -> None:
    plans = pd.DataFrame(
        {
            "period": [NOV, DEC, NOV],
            "manager_id": ["m01", "m01", "m02"],
            "acknowledged_at": pd.to_datetime([pd.NaT, pd.NaT, pd.NaT]),
        }
    )
    acks = pd.DataFrame(
        {
            "manager_id": ["m01", "m02"],
            "period": pd.to_datetime([NOV, pd.NaT]),
            "acknowledged_at": pd.to_datetime(["2024-10-28", "2024-10-30"]),
        }
    )
    out = apply_acknowledgements(plans, acks)
    assert out["acknowledged_at"].tolist() == [
        pd.Timestamp("2024-10-28"),
        pd.NaT,
        pd.Timestamp("2024-10-30"),
    ]
    assert plans["acknowledged_at"].isna().all()  # input untouched


def test_plan_sheet_without_months_is_reported() -> None:
    sheet = make_sheet([["Менеджер", "План"], ["Петров", "100"]], sheet="Лист1")
    parsed = parse_plan_sheets([sheet], layout="wide")
    assert parsed.plans.empty
    assert [(i["severity"], i["kind"], i["value"]) for i in parsed.issues] == [
        ("error", "missing_column", "Менеджер, План")
    ]
