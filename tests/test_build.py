"""build_dataset: raw sheets from several systems -> exact canonical tables and quality report."""

from __future__ import annotations

import copy

import pandas as pd
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset, validate_table
from salesaudit.model.schemas import canonical_frame


def make_sheet(
    file: str,
    rows: list[list],
    sheet: str | None = None,
    header_row: int = 1,
    dropped: tuple = (),
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
        dropped=list(dropped),
    )


def company_sheets() -> list[RawSheet]:
    managers = make_sheet(
        "raw/managers.xlsx",
        [
            ["ФИО", "Должность", "Система оплаты", "Дата приема"],
            ["Петров Иван Сергеевич", "Менеджер по продажам", "Оклад + %", "01.02.2023"],
            ["Смирнова Анна Олеговна", "Менеджер", "Оклад", None],
            ["Козлов Олег", "РОП", "Сдельно", None],
        ],
    )
    clients = make_sheet(
        "raw/clients.csv",
        [
            ["Клиент", "Сегмент", "Ответственный"],
            ["ООО «Ромашка»", "A", "Иван Петров"],
            ["АО Лютик", "B", None],
        ],
    )
    activities = make_sheet(
        "raw/activities.csv",
        [
            [
                "ID",
                "Тип",
                "Тема",
                "Ответственный",
                "Компания",
                "Дата начала",
                "Статус",
                "Результат",
                "Причина отказа",
            ],
            [
                "1",
                "Звонок",
                "Первый звонок",
                "Иван Петров",
                "Ромашка ООО",
                "04.11.2024 10:00",
                "Выполнено",
                "Договорились",
                None,
            ],
            [
                "2",
                "Встреча",
                "Встреча",
                "Анна Смирнова",
                "Лютик",
                "05.11.2024 12:00",
                "Выполнено",
                "Отказ",
                "Дорого",
            ],
            [
                "3",
                "Телепатия",
                "?",
                "Анна Смирнова",
                "Лютик",
                "06.11.2024",
                "Выполнено",
                None,
                None,
            ],
            [
                "4",
                "Звонок",
                None,
                "Кто-то",
                "Лютик",
                "07.11.2024",
                "Запланировано",
                "Странно",
                None,
            ],
            ["5", "Звонок", None, "Анна Смирнова", None, "вчера", "Выполнено", None, None],
        ],
    )
    deals = make_sheet(
        "raw/amo.csv",
        [
            ["ID", "Бюджет", "Ответственный", "Дата создания", "Этап сделки", "Компания"],
            ["10", "1 000", "Иван Петров", "01.11.2024", "Успешно реализовано", 'ООО "Ромашка"'],
        ],
    )
    sales = make_sheet(
        "raw/sales_1c.xlsx",
        [["Контрагент", "Номенклатура", "Количество", "Сумма"], ["Лютик", "x", "1", "2"]],
        sheet="TDSheet",
        header_row=7,
        dropped=((10, "Итого"),),
    )
    trainings = make_sheet(
        "raw/trainings.csv",
        [["Сотрудник", "Дата", "Тема"], ["Петров И.С.", "10.10.2024", "Переговоры"]],
    )
    return [managers, clients, activities, deals, sales, trainings]


def test_company_folder_builds_exact_tables() -> None:
    sheets = company_sheets()
    before = copy.deepcopy([s.frame for s in sheets])
    data, quality = build_dataset(sheets, meta={"as_of": "2024-12-01", "client": "Демо"})

    for frame, original in zip([s.frame for s in sheets], before):  # inputs untouched
        pd.testing.assert_frame_equal(frame, original)

    assert data.managers[["manager_id", "name", "role", "pay", "src_row"]].values.tolist() == [
        ["m01", "Петров Иван Сергеевич", "manager", "mixed", 2],
        ["m02", "Смирнова Анна Олеговна", "manager", "fixed", 3],
        ["m03", "Козлов Олег", "head_of_sales", "unknown", 4],
        ["m04", "Кто-то", "other", "unknown", pd.NA],
    ]
    assert data.clients[["client_id", "name", "segment", "manager_id"]].values.tolist() == [
        ["c0001", "ООО «Ромашка»", "A", "m01"],
        ["c0002", "АО Лютик", "B", None],
    ]
    expected = canonical_frame(
        "activities",
        [
            {
                "activity_id": "1",
                "manager_id": "m01",
                "client_id": "c0001",
                "type": "call",
                "occurred_at": pd.Timestamp("2024-11-04 10:00"),
                "status": "done",
                "result": "agreed",
                "comment": "Первый звонок",
                "src_file": "raw/activities.csv",
                "src_row": 2,
            },
            {
                "activity_id": "2",
                "manager_id": "m02",
                "client_id": "c0002",
                "type": "meeting",
                "occurred_at": pd.Timestamp("2024-11-05 12:00"),
                "status": "done",
                "result": "refused",
                "refusal_reason": "too_expensive",
                "comment": "Встреча",
                "src_file": "raw/activities.csv",
                "src_row": 3,
            },
            {
                "activity_id": "4",
                "manager_id": "m04",
                "client_id": "c0002",
                "type": "call",
                "occurred_at": pd.Timestamp("2024-11-07"),
                "status": "planned",
                "result": "none",
                # an unknown result is counted as 'none' but its words are kept
                "comment": "Результат: Странно",
                "src_file": "raw/activities.csv",
                "src_row": 5,
            },
        ],
    )
    pd.testing.assert_frame_equal(data.activities, expected)
    assert data.deals[
        ["deal_id", "client_id", "manager_id", "amount", "outcome"]
    ].values.tolist() == [["10", "c0001", "m01", 1000.0, "won"]]
    assert data.trainings[["training_id", "manager_id", "topic"]].values.tolist() == [
        ["trainings:2", "m01", "Переговоры"]
    ]
    assert data.sales is not None and data.sales.empty  # read, but every row was rejected
    assert not data.has("sales")
    assert data.meta["client"] == "Демо" and data.meta["currency"] == "RUB"

    act = quality.tables.set_index("table").loc["activities"]
    assert act[
        ["rows_read", "accepted", "rejected", "duplicates", "unparseable_cells"]
    ].tolist() == [
        5,
        3,
        2,
        0,
        1,
    ]
    sales = quality.tables.set_index("table").loc["sales"]
    assert (sales["rows_read"], sales["accepted"], sales["rejected"]) == (1, 0, 1)
    got = quality.issues[["severity", "kind", "file", "row", "column", "value"]]
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        ["warning", "unknown_label", "raw/managers.xlsx", 4, "Система оплаты", "Сдельно"],
        ["warning", "unparseable_value", "raw/activities.csv", 6, "Дата начала", "вчера"],
        ["warning", "unknown_label", "raw/activities.csv", 4, "Тип", "Телепатия"],
        ["warning", "unknown_label", "raw/activities.csv", 5, "Результат", "Странно"],
        ["info", "total_row", "raw/sales_1c.xlsx", 10, None, None],
        [
            "error",
            "missing_column",
            "raw/sales_1c.xlsx",
            7,
            "date",
            "Контрагент, Номенклатура, Количество, Сумма",
        ],
        ["warning", "new_name", "raw/activities.csv", None, None, "Кто-то"],
        ["info", "no_manager", "raw/clients.csv", 3, "manager_id", "1"],
        ["error", "rejected_row", "raw/activities.csv", 6, "occurred_at", None],
        ["error", "rejected_row", "raw/activities.csv", 4, "type", "Телепатия"],
    ]
    missing = quality.issues[quality.issues["kind"] == "missing_column"].iloc[0]
    assert missing["message"] == (
        "the sheet is read as 'sales' but has no column for 'date' (Период / Дата / Дата документа);"
        " all 1 rows rejected -> add the column to the export or map it in mapping.yaml"
    )
    assert quality.usable


def test_sales_ids_are_generated_from_file_stem_and_row_and_files_concatenate() -> None:
    head = ["Период", "Контрагент", "Номенклатура", "Менеджер", "Сумма"]
    one = make_sheet(
        "raw/1c_2024.xlsx",
        [head, ["01.11.2024", "Лютик", "x", "Петров Иван", "1 200,50"]],
        header_row=6,
    )
    two = make_sheet(
        "raw/1c_2025.xlsx",
        [head, ["01.01.2025", "ООО Лютик", "y", "Петров Иван", "-300"]],
        header_row=6,
    )
    data, quality = build_dataset([one, two], meta={"as_of": "2025-02-01"})
    assert data.sales[
        ["sale_id", "date", "client_id", "manager_id", "amount", "src_file", "src_row"]
    ].values.tolist() == [
        ["1c_2024:7", pd.Timestamp("2024-11-01"), "c0001", "m01", 1200.5, "raw/1c_2024.xlsx", 7],
        ["1c_2025:7", pd.Timestamp("2025-01-01"), "c0001", "m01", -300.0, "raw/1c_2025.xlsx", 7],
    ]
    row = quality.tables.set_index("table").loc["sales"]
    assert row["files"] == "raw/1c_2024.xlsx, raw/1c_2025.xlsx"
    assert (row["rows_read"], row["accepted"], row["negative_amounts"]) == (2, 2, 1)
    assert (row["date_min"], row["date_max"]) == (
        pd.Timestamp("2024-11-01"),
        pd.Timestamp("2025-01-01"),
    )


def test_duplicates_ambiguous_managers_future_dates() -> None:
    head = ["ID", "Бюджет", "Ответственный", "Дата создания", "Этап сделки"]
    sheet = make_sheet(
        "raw/amo.csv",
        [
            head,
            ["1", "10", "Олег Иванов", "01.11.2024", "Переговоры"],
            ["1", "10", "Олег Иванов", "01.11.2024", "Переговоры"],
            ["2", "10", "Павел Иванов", "02.11.2024", "Мой этап"],
            ["3", "10", "Иванов", "03.11.2024", "Переговоры"],
            ["4", "10", "Павел Иванов", "05.01.2025", "Переговоры"],
        ],
    )
    data, quality = build_dataset([sheet], meta={"as_of": "2024-12-01"})
    assert data.deals[["deal_id", "manager_id", "outcome", "stage"]].values.tolist() == [
        ["1", "m01", "open", "Переговоры"],
        ["2", "m02", "open", "Мой этап"],
        ["4", "m02", "open", "Переговоры"],
    ]
    row = quality.tables.set_index("table").loc["deals"]
    assert row[["rows_read", "accepted", "rejected", "duplicates", "future_dates"]].tolist() == [
        5,
        3,
        1,
        1,
        1,
    ]
    by_kind = quality.issues.groupby("kind")["row"].apply(list).to_dict()
    assert by_kind["duplicate"] == [3]
    assert by_kind["unknown_label"] == [4]
    assert by_kind["rejected_row"] == [5]
    assert by_kind["future_date"] == [6]
    rejected = quality.issues[quality.issues["kind"] == "rejected_row"].iloc[0]
    assert rejected["message"] == (
        "manager Иванов could not be matched unambiguously; name the right one in mapping.yaml managers:"
    )
    assert quality.matches.loc[quality.matches["source_label"] == "Иванов", "status"].tolist() == [
        "ambiguous"
    ]


def test_unrecognised_files_only_is_not_usable() -> None:
    sheet = make_sheet("raw/notes.csv", [["foo", "bar"], ["1", "2"]])
    data, quality = build_dataset([sheet])
    assert not quality.usable
    assert data.present == []
    assert quality.issues[["severity", "kind", "file"]].values.tolist() == [
        ["error", "unrecognised_file", "raw/notes.csv"]
    ]
    assert "mapping.yaml" in quality.issues.iloc[0]["message"]


def test_mapping_ignore_and_plans_with_acknowledgement() -> None:
    managers = make_sheet(
        "raw/managers.xlsx",
        [
            ["Сотрудник", "Роль"],
            ["Петров Иван Сергеевич", "Менеджер"],
            ["Смирнова Анна", "Менеджер"],
        ],
    )
    plan = make_sheet(
        "raw/plan.xlsx",
        [["Менеджер", "Ноябрь 2024"], ["Петров И.С.", "100"], ["Смирнова А.", "90"]],
        sheet="План",
    )
    ack = make_sheet(
        "raw/plan.xlsx",
        [["Сотрудник", "Подпись", "Дата ознакомления"], ["Петров И.", "Петров", "30.10.2024"]],
        sheet="Ознакомлен",
    )
    old = make_sheet("raw/old/deals.csv", [["x"], ["1"]])
    deals = make_sheet(
        "raw/amo.csv",
        [
            ["ID", "Ответственный", "Дата создания", "Этап сделки"],
            ["1", "Смирнова Анна", "01.11.2024", "Переговоры"],
        ],
    )
    data, quality = build_dataset(
        [managers, plan, ack, old, deals], {"ignore": ["old/*"]}, meta={"as_of": "2024-12-01"}
    )
    expected = canonical_frame(
        "plans",
        [
            {
                "period": "2024-11-01",
                "manager_id": "m01",
                "dimension": "none",
                "metric": "revenue",
                "value": 100.0,
                "acknowledged_at": "2024-10-30",
                "src_file": "raw/plan.xlsx",
                "src_row": 2,
            },
            {
                "period": "2024-11-01",
                "manager_id": "m02",
                "dimension": "none",
                "metric": "revenue",
                "value": 90.0,
                "src_file": "raw/plan.xlsx",
                "src_row": 3,
            },
        ],
    )
    pd.testing.assert_frame_equal(data.plans, expected)
    assert quality.count("ignored_file") == 1
    assert quality.count("unrecognised_file") == 0


def test_validate_table_rejects_without_raising() -> None:
    df = canonical_frame(
        "deals",
        [
            {
                "deal_id": "1",
                "manager_id": "m01",
                "created": "2024-11-01",
                "outcome": "won",
                "src_file": "a",
                "src_row": 2,
            },
            {
                "deal_id": "2",
                "manager_id": None,
                "created": "2024-11-01",
                "outcome": "won",
                "src_file": "a",
                "src_row": 3,
            },
            {
                "deal_id": "3",
                "manager_id": "m01",
                "created": "2024-11-01",
                "outcome": "maybe",
                "src_file": "a",
                "src_row": 4,
            },
            {
                "deal_id": "1",
                "manager_id": "m01",
                "created": "2024-11-02",
                "outcome": "lost",
                "src_file": "a",
                "src_row": 5,
            },
        ],
    )
    accepted, issues = validate_table("deals", df)
    assert accepted["deal_id"].tolist() == ["1"]
    assert issues[["kind", "row", "column"]].values.tolist() == [
        ["rejected_row", 3, "manager_id"],
        ["duplicate", 5, "deal_id"],
        ["rejected_row", 4, "outcome"],
    ]


def test_bitrix_deals_currency_and_client_plans_with_mapped_metric() -> None:
    bitrix = make_sheet(
        "raw/bitrix_deals.xls",
        [
            [
                "ID",
                "Название сделки",
                "Стадия сделки",
                "Сумма",
                "Валюта",
                "Ответственный",
                "Компания",
                "Дата создания",
            ],
            [
                "7",
                "Поставка",
                "Сделка успешна",
                "100",
                "RUB",
                "Иван Петров",
                "ООО Лютик",
                "01.11.2024",
            ],
            [
                "8",
                "Поставка",
                "Анализ причины провала",
                "5",
                "USD",
                "Иван Петров",
                "ООО Лютик",
                "02.11.2024",
            ],
            ["9", "Поставка", "Новая", "6", "руб.", "Иван Петров", "Ромашка", "03.11.2024"],
        ],
    )
    plan = make_sheet(
        "raw/plan.xlsx",
        [["Клиент", "Показатель", "Ноябрь 2024"], ["Лютик", "Отгрузка ящиков", "40"]],
        sheet="По клиентам",
    )
    mapping = {
        "files": [{"match": "plan.xlsx", "table": "plans", "dimension": "client"}],
        "labels": {"metric": {"Отгрузка ящиков": "units"}},
    }
    data, quality = build_dataset([bitrix, plan], mapping, meta={"as_of": "2024-12-01"})
    assert data.deals[["deal_id", "outcome", "stage", "amount"]].values.tolist() == [
        ["7", "won", "Сделка успешна", 100.0],
        ["8", "lost", "Анализ причины провала", 5.0],
        ["9", "open", "Новая", 6.0],
    ]
    assert data.clients[["client_id", "name"]].values.tolist() == [
        ["c0001", "ООО Лютик"],
        ["c0002", "Ромашка"],
    ]
    assert data.plans[["dimension", "dimension_value", "metric", "value"]].values.tolist() == [
        ["client", "c0001", "units", 40.0]
    ]
    currency = quality.issues[quality.issues["kind"] == "other_currency"]
    assert currency[["row", "column", "value"]].values.tolist() == [[3, "Валюта", "USD"]]


def test_repeated_columns_products_join_but_names_never_merge() -> None:
    head = ["ID", "Бюджет", "Ответственный", "Ответственный.2", "Дата создания", "Этап сделки"]
    sheet = make_sheet(
        "raw/amo.csv",
        [
            head + ["Товар", "Товар.2"],
            ["1", "10", "Олег Иванов", "Олег Иванов", "01.11.2024", "Переговоры", "Кирпич", "Цемент"],
            ["2", "20", "Олег Иванов", "Павел Петров", "02.11.2024", "Переговоры", "Кирпич", None],
            ["3", "30", None, "Павел Петров", "03.11.2024", "Переговоры", None, None],
        ],
    )  # fmt: skip
    data, quality = build_dataset([sheet], meta={"as_of": "2024-12-01"})
    names = dict(zip(data.managers["manager_id"], data.managers["name"], strict=True))
    deals = data.deals.set_index("deal_id")
    assert [names[m] for m in deals["manager_id"]] == ["Олег Иванов", "Олег Иванов", "Павел Петров"]
    assert deals["product"].tolist() == ["Кирпич; Цемент", "Кирпич", None]
    conflicts = quality.issues.loc[quality.issues["kind"].eq("conflicting_columns")]
    assert conflicts[["severity", "row", "column", "value"]].values.tolist() == [
        ["warning", 3, "Ответственный / Ответственный.2", "Олег Иванов | Павел Петров"]
    ]
    assert conflicts["message"].tolist() == [
        "manager_name: repeated columns disagree; the first value is used"
    ]
