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
        "mapping.yaml: labels.colour: no label map for this field -> did you mean 'source'?",
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
        "sales, plans, trainings, leads",
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


# --- constants, defaults, joins, label patterns ----------------------------------------------

DEALS_ROWS = [
    ["Номер", "Менеджер", "Создана", "Статус", "Сумма", "Товар", "Клиент", "Воронка"],
    ["A-1", "Иванов", "05.11.2024", "Оплачено", "100", "Кирпич М150", None, "Опт"],
    ["A-2", "Петров", "06.11.2024", "Отказ", "200", "Цемент", "Лютик", "Опт"],
    ["A-3", "Сидоров", "07.11.2024", "В работе", "300", "Песок", "Ромашка", None],
    ["A-4", "Сидоров", "08.11.2024", "Пауза до весны", "400", None, None, None],
]
DEALS_COLUMNS = {
    "Номер": "deal_id",
    "Менеджер": "manager_name",
    "Создана": "created",
    "Статус": "stage",
    "Сумма": "amount",
    "Товар": "product",
    "Клиент": "client_name",
    "Воронка": "pipeline",
}


def _issues(q, kind: str) -> list[list]:
    found = q.issues[q.issues["kind"] == kind]
    return found[["column", "row", "message"]].astype(object).to_numpy().tolist()


def test_constants_and_defaults_fill_and_are_reported() -> None:
    mapping = {
        "files": [
            {
                "match": "crm.csv",
                "table": "deals",
                "columns": DEALS_COLUMNS,
                "labels": {"stage": {"Оплачено": "won", "Отказ": "lost", "/работ|пауз/": "open"}},
                "constants": {"pipeline": "выставка", "currency": "USD"},
                "defaults": {"client_name": "Розница"},
            }
        ]
    }
    data, q = build_dataset(
        [make_sheet("/c/raw/crm.csv", DEALS_ROWS)], mapping, meta={"as_of": "2024-12-01"}
    )
    d = data.deals
    assert d["pipeline"].tolist() == ["выставка"] * 4  # the export's «Воронка» is replaced
    names = data.clients.set_index("client_id")["name"]
    assert d["client_id"].map(names).tolist() == ["Розница", "Лютик", "Ромашка", "Розница"]
    assert d["outcome"].tolist() == ["won", "lost", "open", "open"]
    pd.testing.assert_series_equal(
        d["amount"], pd.Series([100.0, 200.0, 300.0, 400.0], name="amount")
    )
    assert _issues(q, "filled_from_mapping") == [
        [
            "client_name",
            pd.NA,
            "client_name: 2 empty cell(s) set to 'Розница' (mapping.yaml defaults)",
        ],
        [
            "pipeline",
            pd.NA,
            "pipeline: 4 row(s) set to 'выставка' (mapping.yaml constants); column 'Воронка' "
            "not used",
        ],
        ["currency", pd.NA, "currency: 4 row(s) set to 'USD' (mapping.yaml constants)"],
    ]
    # the file's currency differs from the report currency: reported, not converted
    assert _issues(q, "other_currency") == [
        [
            "mapping.yaml constants.currency",
            2,
            "4 record(s) in 'USD', not RUB: amounts are taken as they are, not converted",
        ]
    ]
    assert "unknown_label" not in set(q.issues["kind"])  # «Пауза до весны» matched /пауз/
    from salesaudit.model.quality import message_text

    assert message_text(_issues(q, "filled_from_mapping")[1][2]) == (
        "pipeline: во всех строках (4) — 'выставка' (mapping.yaml constants); колонка 'Воронка' "
        "не используется"
    )


def test_constant_satisfies_a_required_column_the_export_lacks() -> None:
    rows = [["Дата", "Сумма"], ["01.11.2024", "10"], ["02.11.2024", "20"]]
    mapping = {
        "files": [
            {
                "match": "kassa.csv",
                "table": "sales",
                "columns": {"Дата": "date", "Сумма": "amount"},
                "constants": {"manager_name": "Касса"},
            }
        ]
    }
    data, q = build_dataset(
        [make_sheet("/c/raw/kassa.csv", rows)], mapping, meta={"as_of": "2024-12-01"}
    )
    assert data.managers["name"].tolist() == ["Касса"]
    assert data.sales["manager_id"].tolist() == ["m01", "m01"]


def test_joins_take_team_lead_and_brand_and_report_unmatched_keys() -> None:
    staff = make_sheet(
        "/c/raw/staff.xlsx",
        [["Сотрудник", "Руководитель"], ["Иванов", "Орлова"], ["Петров", "Орлова"]],
    )
    products = make_sheet(
        "/c/raw/products.csv",
        [
            ["Номенклатура", "Бренд", "Категория"],
            ["кирпич  м150", "Braer", "Кирпич"],
            ["Цемент", "Евроцемент", "Вяжущие"],
            ["Цемент", "Другой", "Вяжущие"],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "crm.csv",
                "table": "deals",
                "columns": DEALS_COLUMNS,
                "labels": {"stage": {"Оплачено": "won", "Отказ": "lost"}},
                "join": [
                    {
                        "file": "staff.xlsx",
                        "on": "manager_name",
                        "take": {"team_lead": "Руководитель"},
                    },
                    {
                        "file": "products.csv",
                        "on": "product",
                        "take": {"brand": "Бренд", "category": "Категория"},
                    },
                ],
            }
        ]
    }
    deals = make_sheet("/c/raw/crm.csv", DEALS_ROWS)
    data, q = build_dataset([deals, staff, products], mapping, meta={"as_of": "2024-12-01"})
    d = data.deals
    assert len(d) == 4  # unmatched rows are kept
    assert d["brand"].tolist() == ["Braer", "Евроцемент", None, None]
    assert d["category"].tolist() == ["Кирпич", "Вяжущие", None, None]
    m = data.managers.set_index("name")
    assert m["team_lead"].to_dict() == {"Иванов": "Орлова", "Петров": "Орлова", "Сидоров": None}
    assert _issues(q, "join_unmatched") == [
        [
            "manager_name",
            4,
            "manager_name 'Сидоров' is not in /c/raw/staff.xlsx: 2 row(s) kept without team_lead",
        ],
        [
            "product",
            4,
            "product 'Песок' is not in /c/raw/products.csv: 1 row(s) kept without brand, category",
        ],
        ["product", pd.NA, "1 row(s) without product: nothing to look up in /c/raw/products.csv"],
    ]
    assert [r[2] for r in _issues(q, "filled_from_mapping")] == [
        "team_lead: 2 row(s) filled from /c/raw/staff.xlsx (mapping.yaml join on manager_name)",
        "brand: 2 row(s) filled from /c/raw/products.csv (mapping.yaml join on product)",
        "category: 2 row(s) filled from /c/raw/products.csv (mapping.yaml join on product)",
    ]
    assert _issues(q, "join_conflict") == [
        [
            "Номенклатура",
            4,
            "files[0].join: key 'цемент' is given twice in /c/raw/products.csv with different "
            "values; the first row is used",
        ]
    ]
    # the lookup files are not «unrecognised»
    assert "unrecognised_file" not in set(q.issues["kind"])
    assert q.count("error") == 0
    sheets = q.sheets.set_index("file")
    assert sheets.loc["/c/raw/staff.xlsx", "origin"] == "lookup"
    assert sheets.loc["/c/raw/products.csv", "origin"] == "lookup"
    assert sheets.loc["/c/raw/crm.csv", "defaults"] == ("brand", "category")
    text = q.to_text("ru")
    assert (
        "/c/raw/staff.xlsx\n  справочник для mapping.yaml join (сам в таблицы не читается)" in text
    )


def test_join_problems_are_reported_not_raised() -> None:
    mapping = {
        "files": [
            {
                "match": "crm.csv",
                "table": "deals",
                "columns": DEALS_COLUMNS,
                "join": [
                    {"file": "nowhere.xlsx", "on": "product", "take": {"brand": "Бренд"}},
                    {"file": "staff.csv", "on": "manager_name", "take": {"team_lead": "Шеф"}},
                ],
            }
        ]
    }
    staff = make_sheet("/c/raw/staff.csv", [["Кто", "Руководитель"], ["Иванов", "Орлова"]])
    data, q = build_dataset(
        [make_sheet("/c/raw/crm.csv", DEALS_ROWS), staff], mapping, meta={"as_of": "2024-12-01"}
    )
    assert len(data.deals) == 4
    assert [r[2] for r in _issues(q, "bad_mapping")] == [
        "files[0].join: no file in raw/ matches 'nowhere.xlsx'; nothing joined",
        "files[0].join: /c/raw/staff.csv has no key column for 'manager_name' (give key: "
        "'header'); nothing joined",
    ]


def test_label_patterns_first_match_wins_and_unmatched_text_is_counted() -> None:
    calls = make_sheet(
        "/c/raw/calls.csv",
        [
            ["Сотрудник", "Начало", "Тип", "Итог"],
            ["Иванов", "05.11.2024", "Звонок", "Клиент просил ПЕРЕЗВОНИТЬ, не дозвонился"],
            ["Иванов", "05.11.2024", "Звонок", "не дозвонился"],
            ["Петров", "05.11.2024", "Звонок", "Договорились"],
            ["Петров", "06.11.2024", "Звонок", "ушёл в отпуск"],
            ["Петров", "07.11.2024", "Звонок", "Ушел в отпуск"],
            ["Петров", "08.11.2024", "Звонок", "Callback tomorrow"],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "calls.csv",
                "table": "activities",
                "columns": {
                    "Сотрудник": "manager_name",
                    "Начало": "occurred_at",
                    "Тип": "type",
                    "Итог": "result",
                },
            }
        ],
        "labels": {
            "activities.result": {"/перезвон|callback/i": "rescheduled", "/не дозвон/": "no_answer"}
        },
    }
    data, q = build_dataset([calls], mapping, meta={"as_of": "2024-12-01"})
    assert data.activities["result"].tolist() == [
        "rescheduled",  # both patterns fit: the first one wins
        "no_answer",
        "agreed",
        "none",
        "none",
        "rescheduled",
    ]
    unknown = q.issues[q.issues["kind"] == "unknown_label"]
    assert unknown[["row", "value", "message"]].to_numpy().tolist() == [
        [
            5,
            "ушёл в отпуск",
            "result: label not known in 1 row(s); counted as 'none'; add it to mapping.yaml labels.result",
        ],
        [
            6,
            "Ушел в отпуск",
            "result: label not known in 1 row(s); counted as 'none'; add it to mapping.yaml labels.result",
        ],
    ]


def test_new_mapping_keys_are_validated() -> None:
    cases = errors_of(
        {
            "files": [
                {
                    "match": "a.csv",
                    "table": "deals",
                    "constants": {"pipline": "x", "currency": "рубли", "amount": True},
                    "defaults": {"pipeline": "y"},
                    "join": {"file": "b.csv", "on": "manager", "take": {"team": "Руководитель"}},
                    "labels": {"stage": {"/(unclosed/": "won"}, "leads.status": {"x": "lost"}},
                },
                {"match": "b.csv", "table": "leads", "labels": {"status": {"Спам": "junk"}}},
                {"match": "c.csv", "table": "plans", "constants": {"metric": "units"}},
            ],
            "labels": {"activity.result": {"x": "none"}, "leads.status": {"Мусор": "lost"}},
        }
    )
    assert cases == [
        "mapping.yaml: files[0].labels.stage./(unclosed/: not a valid pattern (missing ), "
        "unterminated subpattern at position 0) -> write it as /text|other text/ or /text/i; "
        "escape . ( ) [ ] with \\",
        "mapping.yaml: files[0].labels.leads.status: this entry reads table 'deals', not 'leads'",
        "mapping.yaml: files[0].constants.pipline: unknown field 'pipline' for table 'deals' "
        "-> did you mean 'pipeline'?",
        "mapping.yaml: files[0].constants.currency: must be a 3-letter currency code such as "
        "RUB, got 'рубли'",
        "mapping.yaml: files[0].constants.amount: must be a text, number or date value, got True",
        "mapping.yaml: files[0].join.on: must be a field of table 'deals' holding the key, got "
        "'manager' -> did you mean 'manager_id'?",
        "mapping.yaml: files[0].join.take.team: unknown field 'team' for table 'deals' -> "
        "fields: deal_id, client_id, manager_id, created, stage, amount, expected_close, closed, "
        "outcome, lost_reason, product, brand, pipeline, category, manager_name, client_name",
        "mapping.yaml: files[1].labels.status.Спам: unknown code 'junk'; allowed: open, "
        "converted, lost",
        "mapping.yaml: files[2].constants: plans are read by the plan reader; not available "
        "for plans",
        "mapping.yaml: labels.activity.result: unknown table 'activity' -> did you mean "
        "'activities'?",
    ]


def test_table_qualified_and_pattern_labels_are_parsed() -> None:
    m = parse_mapping(
        {
            "labels": {
                "leads.status": {"Мусор": "lost", "/спам|дубл/": "lost"},
                "result": {"/перезвон/i": "rescheduled"},
            },
            "files": [
                {
                    "match": "a.csv",
                    "table": "deals",
                    "constants": {"pipeline": "выставка", "currency": "usd"},
                    "defaults": {"created": "2024-01-01"},
                    "join": {
                        "file": "staff.xlsx",
                        "on": "manager_name",
                        "take": {"team_lead": "Руководитель"},
                    },
                }
            ],
        }
    )
    assert m.labels_for("leads", "status") == {"Мусор": "lost"}
    assert m.patterns_for("leads", "status") == (("/спам|дубл/", "lost"),)
    assert m.patterns_for("activities", "result") == (("/перезвон/i", "rescheduled"),)
    rule = m.files[0]
    assert rule.constants == {"pipeline": "выставка", "currency": "usd"}
    assert rule.defaults == {"created": "2024-01-01"}
    assert [(j.file, j.on, dict(j.take), j.key) for j in rule.joins] == [
        ("staff.xlsx", "manager_name", {"team_lead": "Руководитель"}, None)
    ]


def test_join_onto_the_staff_list_and_manager_fields_are_free_text_only() -> None:
    assert errors_of(
        {
            "files": [
                {
                    "match": "a.csv",
                    "table": "deals",
                    "join": {"file": "s.csv", "on": "manager_name", "take": {"role": "Должность"}},
                }
            ]
        }
    ) == [
        "mapping.yaml: files[0].join.take.role: unknown field 'role' for table 'deals' -> "
        "fields: deal_id, client_id, manager_id, created, stage, amount, expected_close, closed, "
        "outcome, lost_reason, product, brand, pipeline, category, manager_name, client_name, "
        "team_lead"
    ]
    staff = make_sheet(
        "/c/raw/managers.xlsx",
        [["ФИО", "Должность"], ["Иванов Иван", "Менеджер"], ["Петров Пётр", "РОП"]],
    )
    teams = make_sheet(
        "/c/raw/teams.csv",
        [["Сотрудник", "Группа", "Руководитель"], ["иванов иван", "Опт", "Петров Пётр"]],
    )
    mapping = {
        "files": [
            {
                "match": "managers.xlsx",
                "preset": "template_managers",
                "join": {"file": "teams.csv", "on": "name", "take": {"team_lead": "Руководитель"}},
            }
        ]
    }
    data, q = build_dataset([staff, teams], mapping, meta={"as_of": "2024-12-01"})
    assert data.managers[["name", "role", "team_lead"]].to_numpy().tolist() == [
        ["Иванов Иван", "manager", "Петров Пётр"],
        ["Петров Пётр", "head_of_sales", None],
    ]
    assert _issues(q, "join_unmatched") == [
        [
            "name",
            3,
            "name 'Петров Пётр' is not in /c/raw/teams.csv: 1 row(s) kept without team_lead",
        ]
    ]
