"""mapping.yaml: strict validation (every error, with key paths and suggestions) and the end-to-end
load of an export from a CRM we have no preset for."""

from __future__ import annotations

import pandas as pd
import pytest
from salesaudit.errors import MappingError
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset
from salesaudit.model.mapping import ClientMapping, FileRule, parse_mapping, path_matches
from salesaudit.model.schemas import canonical_frame


def make_sheet(
    file: str, rows: list[list], sheet: str | None = None, header_row: int = 1
) -> RawSheet:
    head, *data = rows
    frame = pd.DataFrame(data, columns=head, dtype=object)
    first = header_row + 1
    return RawSheet(
        file=file,
        sheet=sheet,
        frame=frame,
        rows=list(range(first, first + len(data))),
        header_row=header_row,
    )


def errors_of(data: object) -> list[str]:
    with pytest.raises(MappingError) as info:
        parse_mapping(data, source="mapping.yaml")
    return [c.render() for c in info.value.cases]


def test_empty_mapping_is_no_mapping() -> None:
    assert parse_mapping(None) == ClientMapping()


def test_valid_mapping_is_parsed() -> None:
    m = parse_mapping(
        {
            "currency": "rub",
            "files": [
                {
                    "match": "crm_*.csv",
                    "table": "deals",
                    "date_format": "%d/%m/%Y",
                    "columns": {"Номер": "deal_id", "Мусор": None},
                    "labels": {"stage": {"Оплачено": "won"}},
                },
                {"match": "plan.xlsx", "table": "plans", "layout": "long", "metric": "units"},
            ],
            "labels": {"role": {"Продавец": "manager"}},
            "managers": {"Иванов И.И.": "Иван Иванов"},
            "clients": {"Ромашка": "ООО «Ромашка»"},
            "ignore": ["raw/old/*"],
        }
    )
    assert m.currency == "RUB"
    assert m.files[0] == FileRule(
        match="crm_*.csv",
        table="deals",
        date_format="%d/%m/%Y",
        columns={"Номер": "deal_id", "Мусор": None},
        labels={"stage": {"Оплачено": "won"}},
    )
    assert (m.files[1].layout, m.files[1].metric) == ("long", "units")
    assert m.managers == {"Иванов И.И.": "Иван Иванов"}
    assert m.rule_for("/c/raw/crm_2024.csv") is m.files[0]
    assert m.rule_for("/c/raw/other.csv") is None
    assert m.ignored("/c/raw/old/deals.csv") and not m.ignored("/c/raw/deals.csv")


def test_every_problem_is_reported_with_its_key_path() -> None:
    cases = errors_of(
        {
            "currency": "рубли",
            "filez": [],
            "files": [
                {"match": "a.csv", "table": "deal"},
                {"table": "deals", "columns": {"Сумма": "amout", "Клиент": "client_name"}},
                {"match": "b.csv", "table": "activities", "labels": {"type": {"Звонок": "cal"}}},
                {"match": "c.csv", "table": "deals", "header_row": 0, "date_format": "dd.mm.yyyy"},
                {"match": "d.xlsx", "table": "plans", "layout": "tall", "metric": "revenu"},
                {"match": "e.csv", "table": "sales", "layout": "wide"},
                {"match": "f.csv", "table": "deals", "sheet": ["x"], "preset": "amo"},
                "g.csv",
            ],
            "labels": {"colour": {"a": "b"}, "stage": {"Оплачено": "paid"}},
            "managers": ["Иванов"],
            "ignore": [1],
        }
    )
    assert cases == [
        "mapping.yaml: filez: unknown key -> did you mean 'files'?",
        "mapping.yaml: currency: must be a 3-letter currency code such as RUB, got 'рубли'",
        "mapping.yaml: files[0].table: unknown table 'deal' -> did you mean 'deals'?",
        "mapping.yaml: files[1].match: required: a file name or glob relative to raw/",
        "mapping.yaml: files[1].columns.Сумма: unknown field 'amout' for table 'deals' "
        "-> did you mean 'amount'?",
        "mapping.yaml: files[2].labels.type.Звонок: unknown code 'cal'; allowed: call, meeting, "
        "email, proposal, demo, task -> did you mean 'call'?",
        "mapping.yaml: files[3].header_row: must be a row number 1, 2, ..., got 0",
        "mapping.yaml: files[3].date_format: must be a strftime format, got 'dd.mm.yyyy' "
        "-> for example '%d.%m.%Y' or '%d/%m/%Y %H:%M'",
        "mapping.yaml: files[4].layout: must be one of wide, long",
        "mapping.yaml: files[4].metric: unknown plan metric 'revenu' -> did you mean 'revenue'?",
        "mapping.yaml: files[5].layout: only plans have a layout; this entry is for 'sales'",
        "mapping.yaml: files[6].preset: unknown preset 'amo'",
        "mapping.yaml: files[6].sheet: must be a sheet name, got ['x']",
        "mapping.yaml: files[7]: must be a mapping with 'match' and 'table', got 'g.csv'",
        "mapping.yaml: labels.colour: no label map for this field",
        "mapping.yaml: labels.stage.Оплачено: unknown code 'paid'; allowed: won, lost, open",
        "mapping.yaml: managers: must be a mapping of names, got list",
        "mapping.yaml: ignore: must be a list of file globs",
    ]


def test_error_header_counts_problems_and_points_to_the_docs() -> None:
    with pytest.raises(MappingError) as info:
        parse_mapping({"files": [{"match": "a.csv", "table": "deal"}]})
    err = info.value
    assert err.message == "1 problem in the mapping file"
    assert err.hint == "fix them as listed below; the reference is docs/mapping.md"
    assert err.exit_code == 2


def test_more_mapping_errors() -> None:
    cases = errors_of(
        {
            "files": [
                {"match": "a.csv", "table": "deals", "columns": {"A": "amount", "B": "amount"}},
                {"match": "b.csv", "table": "clients", "labels": {"stage": {"x": "won"}}},
                {"match": "c.csv"},
                {"match": "d.csv", "table": "plans", "dimension": "city"},
            ],
            "clients": {"Ромашка": ["a"]},
        }
    )
    assert cases == [
        "mapping.yaml: files[0].columns: field 'amount' is mapped from more than one column",
        "mapping.yaml: files[1].labels.stage: field 'stage' is not a field of table 'clients'",
        "mapping.yaml: files[2].table: required: one of managers, clients, activities, deals, "
        "sales, plans, trainings",
        "mapping.yaml: files[3].dimension: unknown plan dimension 'city' -> did you mean 'client'?",
        "mapping.yaml: clients.Ромашка: must be a text value, got ['a']",
    ]


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(MappingError, match="must be a mapping of keys"):
        parse_mapping(["files"])


def test_path_matching_from_the_right() -> None:
    assert path_matches("/clients/x/raw/crm_export_1.csv", "crm_export_*.csv")
    assert path_matches("raw/old/a.csv", "raw/old/*")
    assert path_matches("raw/old/a.csv", "./raw/old/*")
    assert not path_matches("raw/crm.csv", "raw/old/*")


def test_unknown_crm_export_loads_end_to_end_through_the_mapping() -> None:
    export = make_sheet(
        "raw/crm_export_2024.csv",
        [
            ["Номер", "Клиент", "Менеджер", "Сумма", "Статус", "Создана", "Почему нет", "Заметка"],
            ["A-1", "ООО «Ромашка»", "Иванов И.И.", "1 500,50", "Оплачено", "05/11/2024", "", "x"],
            ["A-2", "Лютик", "Петрова А.", "700", "Отказ", "06/11/2024", "Дорого", "y"],
            ["A-3", "Ромашка", "Иванов И.И.", "300", "В работе", "07/11/2024", None, None],
            ["A-4", "Лютик", "Петрова А.", "10", "Пауза", "08/11/2024", "Жадность", None],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "crm_export_*.csv",
                "table": "deals",
                "date_format": "%d/%m/%Y",
                "columns": {
                    "Номер": "deal_id",
                    "Клиент": "client_name",
                    "Менеджер": "manager_name",
                    "Сумма": "amount",
                    "Статус": "stage",
                    "Создана": "created",
                    "Почему нет": "lost_reason",
                    "Заметка": None,
                },
                "labels": {
                    "stage": {"Оплачено": "won", "Отказ": "lost", "В работе": "open"},
                    "lost_reason": {"Дорого": "too_expensive"},
                },
            }
        ],
        "managers": {"Иванов И.И.": "Иван Иванов", "Петрова А.": "Анна Петрова"},
        "clients": {"Ромашка": "ООО «Ромашка»"},
    }
    data, quality = build_dataset([export], mapping, meta={"as_of": "2024-12-01"})
    expected = canonical_frame(
        "deals",
        [
            {
                "deal_id": "A-1",
                "client_id": "c0002",
                "manager_id": "m02",
                "created": "2024-11-05",
                "stage": "Оплачено",
                "amount": 1500.5,
                "outcome": "won",
                "src_file": "raw/crm_export_2024.csv",
                "src_row": 2,
            },
            {
                "deal_id": "A-2",
                "client_id": "c0001",
                "manager_id": "m01",
                "created": "2024-11-06",
                "stage": "Отказ",
                "amount": 700.0,
                "outcome": "lost",
                "lost_reason": "too_expensive",
                "src_file": "raw/crm_export_2024.csv",
                "src_row": 3,
            },
            {
                "deal_id": "A-3",
                "client_id": "c0002",
                "manager_id": "m02",
                "created": "2024-11-07",
                "stage": "В работе",
                "amount": 300.0,
                "outcome": "open",
                "src_file": "raw/crm_export_2024.csv",
                "src_row": 4,
            },
            {
                "deal_id": "A-4",
                "client_id": "c0001",
                "manager_id": "m01",
                "created": "2024-11-08",
                "stage": "Пауза",
                "amount": 10.0,
                "outcome": "open",
                "lost_reason": "Жадность",
                "src_file": "raw/crm_export_2024.csv",
                "src_row": 5,
            },
        ],
    )
    pd.testing.assert_frame_equal(data.deals, expected)
    assert data.managers[["manager_id", "name"]].values.tolist() == [
        ["m01", "Анна Петрова"],
        ["m02", "Иван Иванов"],
    ]
    assert data.clients[["client_id", "name"]].values.tolist() == [
        ["c0001", "Лютик"],
        ["c0002", "ООО «Ромашка»"],
    ]
    unknown = quality.issues[quality.issues["kind"] == "unknown_label"]
    assert unknown[["column", "value", "row"]].values.tolist() == [
        ["Статус", "Пауза", 5],
        ["Почему нет", "Жадность", 5],
    ]
    assert quality.usable


def test_mapping_entry_overrides_the_preset_for_that_file() -> None:
    # an amoCRM export whose "Бюджет" holds something else: the mapping points amount elsewhere
    amo = make_sheet(
        "raw/amo.csv",
        [
            ["ID", "Бюджет", "Сумма оплаты", "Ответственный", "Дата создания", "Этап сделки"],
            ["1", "999", "100", "Иван Петров", "01.11.2024", "Успешно реализовано"],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "amo.csv",
                "table": "deals",
                "columns": {"Бюджет": None, "Сумма оплаты": "amount"},
            }
        ]
    }
    data, _ = build_dataset([amo], mapping, meta={"as_of": "2024-12-01"})
    assert data.deals[["deal_id", "amount", "outcome"]].values.tolist() == [["1", 100.0, "won"]]


def test_mapping_header_row_override_rereads_the_sheet() -> None:
    sheet = make_sheet(
        "raw/odd.csv",
        [
            ["Отчёт", None, None],
            ["Дата", "Сумма", "Покупатель"],
            ["01.11.2024", "10", "Лютик"],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "odd.csv",
                "table": "sales",
                "header_row": 2,
                "columns": {"Дата": "date", "Сумма": "amount", "Покупатель": "client_name"},
            }
        ]
    }
    data, _ = build_dataset([sheet], mapping, meta={"as_of": "2024-12-01"})
    assert data.sales[["sale_id", "amount", "client_id", "src_row"]].values.tolist() == [
        ["odd:3", 10.0, "c0001", 3]
    ]


def test_preset_must_feed_the_rule_table() -> None:
    assert errors_of(
        {"files": [{"match": "a.csv", "table": "sales", "preset": "amocrm_deals"}]}
    ) == ["mapping.yaml: files[0].preset: preset 'amocrm_deals' reads table 'deals', not 'sales'"]


def test_header_row_before_the_detected_header_is_an_error() -> None:
    sheet = make_sheet(
        "raw/odd.csv",
        [["Дата", "Сумма", "Контрагент"], ["01.11.2024", "10", "Лютик"]],
        header_row=3,
    )
    mapping = {"files": [{"match": "odd.csv", "table": "sales", "header_row": 1}]}
    data, quality = build_dataset([sheet], mapping)
    assert data.sales is None
    assert quality.issues[["severity", "kind", "row"]].values.tolist() == [
        ["error", "bad_mapping", 1]
    ]
    assert "header_row 1 is not a row of this sheet" in quality.issues.iloc[0]["message"]


def test_mapping_names_a_column_the_sheet_lacks() -> None:
    sheet = make_sheet("raw/s.csv", [["Дата", "Сумма"], ["01.11.2024", "10"]])
    mapping = {
        "files": [
            {
                "match": "s.csv",
                "table": "sales",
                "columns": {"Дата": "date", "Сумма": "amount", "Клиент": "client_name"},
            }
        ]
    }
    data, quality = build_dataset([sheet], mapping)
    assert data.sales["amount"].tolist() == [10.0]
    bad = quality.issues[quality.issues["kind"] == "bad_mapping"]
    assert bad[["severity", "column"]].values.tolist() == [["warning", "Клиент"]]
