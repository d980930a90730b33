"""Real amoCRM/Kommo and Bitrix24 exports: every figure a correct reader gets, exactly.

The client folders in ``tests/data/real/`` are built by hand in the real formats (header order
and spelling, value formats, encodings, product rows, free-text results); see
docs/data-model.md, "Real export variants". The expected figures below were counted by hand
from the rows of those files.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from salesaudit import cli
from salesaudit.app.loading import LoadedClient, load_client
from salesaudit.io.raw import RawSheet
from salesaudit.io.readers import read_file
from salesaudit.model.build import build_dataset
from salesaudit.model.presets import PRESETS, detect_preset, preset_scores

REAL = Path(__file__).parent / "data" / "real"
AMO = REAL / "amocrm_deals"
AMO_CSV = "raw/amocrm_export_leads_2025-07-31.csv"
AMO_STAFF = "raw/Сотрудники отдела продаж.xlsx"
B24 = REAL / "bitrix24_deals"
B24_DEALS = "raw/DEAL_20250701_8f2c1a.csv"
B24_ACTS = "raw/ACTIVITY_20250701_41d7.csv"
B24_XLS = REAL / "bitrix24_deals_xls"


@pytest.fixture(scope="module")
def amo() -> LoadedClient:
    return load_client(AMO, as_of=date(2025, 7, 31))


@pytest.fixture(scope="module")
def b24() -> LoadedClient:
    return load_client(B24, as_of=date(2025, 6, 20))


def table_row(loaded: LoadedClient, table: str) -> dict:
    t = loaded.quality.tables
    return t[t["table"] == table].iloc[0].to_dict()


def issues_of(loaded: LoadedClient, kind: str, file: str | None = None) -> pd.DataFrame:
    i = loaded.quality.issues
    sel = i[i["kind"] == kind]
    return sel if file is None else sel[sel["file"] == file]


def headers_sheet(headers: list[str]) -> RawSheet:
    frame = pd.DataFrame([[None] * len(headers)], columns=headers, dtype=object)
    return RawSheet(file="raw/x.csv", sheet=None, frame=frame, rows=[2])


# --- amoCRM / Kommo ---------------------------------------------------------------------------


def test_amocrm_76_column_export_is_recognised() -> None:
    (sheet,) = read_file(AMO / AMO_CSV)
    assert sheet.meta["encoding"] == "utf-8-sig" and sheet.meta["delimiter"] == ";"
    assert len(sheet.frame.columns) == 76
    # the repeated company phone / e-mail columns keep their place
    assert "Рабочий телефон.2" in sheet.frame.columns
    assert "Рабочий email.2" in sheet.frame.columns
    assert detect_preset(sheet).name == "amocrm_deals"
    scores = dict(preset_scores(sheet))
    # 57 of the 74 distinct headers are amoCRM's own; the 17 custom fields are not
    assert scores["amocrm_deals"] == pytest.approx(57 / 74)
    columns = PRESETS["amocrm_deals"].match_headers(sheet.frame.columns)
    read = {h: f for h, f in columns.items() if not f.startswith("_")}
    assert read == {
        "ID": "deal_id",
        "Бюджет ₽": "amount",
        "Ответственный": "manager_name",
        "Дата создания": "created",
        "Дата закрытия": "closed",
        "Этап сделки": "stage",
        "Воронка": "pipeline",
        "Компания": "client_name",
        "Причина отказа": "lost_reason",
        "Продукт": "product",
    }
    # «Ответственный за контакт» / «… за компанию» are never the deal's manager
    assert columns["Ответственный за контакт"] == "_known"
    assert columns["Ответственный за компанию"] == "_known"


@pytest.mark.parametrize("budget", ["Бюджет ₽", "Бюджет ", "Бюджет, руб.", "Бюджет, ₽"])
def test_amocrm_budget_spellings(budget: str) -> None:
    sheet = headers_sheet(["ID", "Название сделки", budget, "Ответственный", "Этап сделки"])
    preset = detect_preset(sheet)
    assert preset is not None and preset.name == "amocrm_deals"
    assert preset.match_headers(sheet.frame.columns)[budget] == "amount"


def test_amocrm_deals_counts_and_figures(amo: LoadedClient) -> None:
    row = table_row(amo, "deals")
    assert (row["rows_read"], row["accepted"], row["rejected"], row["unparseable_cells"]) == (
        24,
        23,
        1,
        1,
    )
    deals = amo.dataset.deals
    assert deals["outcome"].value_counts().to_dict() == {"won": 8, "lost": 8, "open": 7}
    won = deals[deals["outcome"] == "won"]
    assert won["amount"].sum() == pytest.approx(10_473_750.50)
    by_outcome = deals.groupby("outcome")["amount"].sum()
    assert by_outcome["lost"] == pytest.approx(4_795_000.0)
    assert by_outcome["open"] == pytest.approx(3_495_000.0)  # one empty, one «по запросу»
    by_id = deals.set_index("deal_id")
    assert by_id.loc["31500105", "closed"] == pd.Timestamp("2025-03-12 14:07:33")
    assert by_id.loc["31500101", "amount"] == 1_250_000.0  # «1 250 000 ₽» with NBSP groups
    assert by_id.loc["31500120", "amount"] == 615_250.5  # «615 250,50 ₽»
    # «не закрыта»: open deals have no close date, closed ones all have one
    assert deals.loc[deals["outcome"] == "open", "closed"].isna().all()
    assert deals.loc[deals["outcome"] != "open", "closed"].notna().all()
    # custom stages are open
    assert by_id.loc[["31500107", "31500114", "31500121"], "outcome"].tolist() == ["open"] * 3
    assert deals["lost_reason"].value_counts().to_dict() == {
        "too_expensive": 2,
        "competitor": 2,
        "Пропал, не выходит на связь": 2,
        "no_budget": 1,
    }
    assert int(((deals["outcome"] == "lost") & deals["lost_reason"].isna()).sum()) == 1
    assert deals["pipeline"].value_counts().to_dict() == {
        "Основная воронка": 20,
        "Крупные клиенты": 3,
    }
    # the multi-line note of deal 105 shifts the file lines of the rows after it
    assert by_id.loc["31500105", "src_row"] == 6
    assert by_id.loc["31500123", "src_row"] == 25


def test_amocrm_managers_and_names(amo: LoadedClient) -> None:
    managers = amo.dataset.managers.set_index("name")
    assert managers["pay"].to_dict() == {
        "Белова Ольга Андреевна": "mixed",
        "Лаптев Андрей Олегович": "variable",
        "Костин Дмитрий Сергеевич": "variable",
        "Воронцов Игорь Петрович": "fixed",
        "Сёмина Мария Игоревна": "unknown",
    }
    assert managers.loc["Воронцов Игорь Петрович", "role"] == "head_of_sales"
    assert managers.loc["Сёмина Мария Игоревна", "left"] == pd.Timestamp("2025-06-30")
    names = amo.dataset.deals["manager_id"].map(
        amo.dataset.managers.set_index("manager_id")["name"]
    )
    assert names.value_counts().to_dict() == {
        "Белова Ольга Андреевна": 8,
        "Лаптев Андрей Олегович": 7,
        "Костин Дмитрий Сергеевич": 6,
        "Воронцов Игорь Петрович": 2,
    }
    # «Ольга Белова» in the CRM is matched to the staff list, no new person is invented
    assert (amo.quality.matches["status"] == "new").sum() == 0


def test_amocrm_every_problem_is_reported(amo: LoadedClient) -> None:
    unknown = issues_of(amo, "unknown_label")
    found = {
        (r.file, r.column, r.value, int(r.message.split(" in ")[1].split(" ")[0]))
        for r in unknown.itertuples()
    }
    assert found == {
        (AMO_CSV, "Этап сделки", "Выставлен счёт", 2),
        (AMO_CSV, "Этап сделки", "КП отправлено", 1),
        (AMO_CSV, "Причина отказа", "Пропал, не выходит на связь", 2),
        (AMO_STAFF, "Тип оплаты", "По договорённости", 1),
    }
    rejected = issues_of(amo, "rejected_row")
    assert rejected[["file", "row", "column"]].values.tolist() == [[AMO_CSV, 24, "manager_id"]]
    bad = issues_of(amo, "unparseable_value")
    assert bad[["row", "column", "value"]].values.tolist() == [[25, "Бюджет ₽", "по запросу"]]


# --- Bitrix24 deals ---------------------------------------------------------------------------


def test_bitrix_deals_file_is_read_as_exported() -> None:
    (sheet,) = read_file(B24 / B24_DEALS)
    assert sheet.meta["encoding"] == "cp1251" and sheet.meta["delimiter"] == ";"
    # the empty column after the trailing «;» of every line is dropped
    assert len(sheet.frame.columns) == 33
    assert sheet.frame.columns[-1] == "Количество"
    assert len(sheet.frame) == 21
    assert detect_preset(sheet).name == "bitrix24_deals"
    columns = PRESETS["bitrix24_deals"].match_headers(sheet.frame.columns)
    assert columns["Компания: Название"] == "client_name"
    assert columns["Компания: Ответственный"] == "_known"  # not the deal's manager
    assert columns["Группа стадий"] == "outcome"
    assert columns["Причина отказа (пользовательское поле)"] == "lost_reason"


def test_bitrix_deals_counts_and_figures(b24: LoadedClient) -> None:
    row = table_row(b24, "deals")
    assert (row["rows_read"], row["accepted"], row["rejected"], row["duplicates"]) == (21, 18, 0, 0)
    deals = b24.dataset.deals
    assert deals["outcome"].value_counts().to_dict() == {"won": 6, "lost": 6, "open": 6}
    won = deals[deals["outcome"] == "won"]
    # 342 000 and 64 500 once each, although their deals span 3 and 2 product rows
    assert won["amount"].sum() == pytest.approx(2_204_000.0)
    by_outcome = deals.groupby("outcome")["amount"].sum()
    assert by_outcome["lost"] == pytest.approx(3_509_000.0)
    assert by_outcome["open"] == pytest.approx(3_539_000.0)
    by_id = deals.set_index("deal_id")
    assert by_id.loc["1045", "amount"] == 342_000.0
    assert by_id.loc["1045", "product"] == "Щит ЩРН-24; Автомат ABB S203; Кабель-канал 40х25"
    assert by_id.loc["1050", "product"] == "Лампа LED 12W; Светильник ДПО"
    assert by_id.loc["1045", "src_row"] == 6
    # «Группа стадий» decides: custom tender stages are won / lost without any unknown label
    assert by_id.loc["1044", "outcome"] == "won"
    assert by_id.loc["1051", "outcome"] == "lost"
    assert by_id.loc["1047", "outcome"] == "open"
    assert issues_of(b24, "unknown_label", B24_DEALS)["column"].tolist() == [
        "Причина отказа (пользовательское поле)"
    ]
    # close dates: the expected date for closed deals, «Дата изменения» where it is empty
    assert by_id.loc["1041", "closed"] == pd.Timestamp("2025-02-28")
    assert by_id.loc["1048", "closed"] == pd.Timestamp("2025-04-22 12:30:00")
    assert deals.loc[deals["outcome"] != "open", "closed"].notna().all()
    assert deals.loc[deals["outcome"] != "open", "expected_close"].isna().all()
    assert deals.loc[deals["outcome"] == "open", "closed"].isna().all()
    assert by_id.loc["1043", "expected_close"] == pd.Timestamp("2025-12-30")
    assert deals["lost_reason"].value_counts().to_dict() == {
        "too_expensive": 2,
        "Выбрали другого поставщика": 2,
        "no_budget": 1,
    }
    assert deals["pipeline"].value_counts().to_dict() == {"Общее": 15, "Тендеры": 3}


def test_bitrix_deals_choices_are_reported(b24: LoadedClient) -> None:
    merged = issues_of(b24, "product_rows")
    assert merged[["file", "row", "value"]].values.tolist() == [[B24_DEALS, 7, "3"]]
    assumed = issues_of(b24, "assumed_value", B24_DEALS)
    assert sorted(assumed["column"]) == ["Дата изменения", "Предполагаемая дата закрытия"]
    msg = assumed.set_index("column")["message"]
    assert "close date of 11 won/lost deal(s)" in msg["Предполагаемая дата закрытия"]
    assert msg["Дата изменения"].startswith("1 won/lost deal(s) have no close date")
    currency = issues_of(b24, "other_currency")
    assert currency[["row", "value"]].values.tolist() == [[17, "USD"]]
    sheets = b24.quality.sheets.set_index("file")
    assert sheets.loc[B24_DEALS, "preset"] == "bitrix24_deals"
    assert sheets.loc[B24_DEALS, "rejected"] == 0  # merged product rows are not rejections


BITRIX_NO_GROUP = [
    "ID",
    "Стадия сделки",
    "Сумма",
    "Ответственный",
    "Дата создания",
    "Предполагаемая дата закрытия",
    "Сделка закрыта",
    "Товар",
]


def bitrix_sheet(rows: list[list[str | None]]) -> RawSheet:
    frame = pd.DataFrame(rows, columns=BITRIX_NO_GROUP, dtype=object)
    return RawSheet(
        file="raw/deals.csv", sheet=None, frame=frame, rows=list(range(2, len(rows) + 2))
    )


def test_bitrix_closed_flag_against_the_stage() -> None:
    sheet = bitrix_sheet(
        [
            ["1", "Сделка успешна", "100", "Анна Ким", "01.03.2025", "10.03.2025", "Да", None],
            ["2", "Счёт отправлен", "200", "Анна Ким", "02.03.2025", "11.03.2025", "Да", None],
            ["3", "Сделка провалена", "300", "Анна Ким", "03.03.2025", "12.03.2025", "Нет", None],
            ["4", "Новая", "400", "Анна Ким", "04.03.2025", "30.04.2025", "Нет", None],
        ]
    )
    data, quality = build_dataset([sheet], meta={"as_of": date(2025, 6, 1)})
    deals = data.deals.set_index("deal_id")
    # the stage decides; «Сделка закрыта» that disagrees is reported row by row
    assert deals["outcome"].to_dict() == {"1": "won", "2": "open", "3": "lost", "4": "open"}
    assert deals["closed"].tolist() == [
        pd.Timestamp("2025-03-10"),
        pd.NaT,
        pd.Timestamp("2025-03-12"),
        pd.NaT,
    ]
    conflicts = quality.issues[quality.issues["kind"] == "conflicting_columns"]
    assert conflicts[["row", "column", "value"]].values.tolist() == [
        [3, "Сделка закрыта", "Счёт отправлен"],
        [4, "Сделка закрыта", "Сделка провалена"],
    ]


def test_bitrix_rows_with_one_id_but_different_amounts_are_not_merged() -> None:
    sheet = bitrix_sheet(
        [
            ["7", "Сделка успешна", "100", "Анна Ким", "01.03.2025", "10.03.2025", "Да", "A"],
            ["7", "Сделка успешна", "100", "Анна Ким", "01.03.2025", "10.03.2025", "Да", "B"],
            ["8", "Сделка успешна", "500", "Анна Ким", "01.03.2025", "10.03.2025", "Да", "C"],
            ["8", "Сделка успешна", "900", "Анна Ким", "01.03.2025", "10.03.2025", "Да", "D"],
        ]
    )
    data, quality = build_dataset([sheet], meta={"as_of": date(2025, 6, 1)})
    assert data.deals[["deal_id", "amount", "product"]].values.tolist() == [
        ["7", 100.0, "A; B"],
        ["8", 500.0, "C"],
    ]
    dup = quality.issues[quality.issues["kind"] == "duplicate"]
    assert dup[["row", "value"]].values.tolist() == [[5, "8"]]
    merged = quality.issues[quality.issues["kind"] == "product_rows"]
    assert merged[["row", "value"]].values.tolist() == [[3, "1"]]


def test_bitrix_excel_export_without_stage_groups() -> None:
    """«Экспорт в Excel» is an HTML table saved as .xls; this one has no «Группа стадий»."""
    (sheet,) = read_file(B24_XLS / "raw/DEAL_20250215_c3b9.xls")
    assert sheet.meta["format"] == "html"
    assert detect_preset(sheet).name == "bitrix24_deals"
    loaded = load_client(B24_XLS, as_of=date(2025, 2, 18))
    row = table_row(loaded, "deals")
    assert (row["rows_read"], row["accepted"], row["rejected"]) == (11, 10, 0)
    deals = loaded.dataset.deals.set_index("deal_id")
    assert deals["outcome"].to_dict() == {
        "201": "won",
        "202": "lost",
        "203": "open",
        "204": "won",
        "205": "open",  # «Сделка закрыта» Да, but the stage «Ждём оплату» is not known
        "206": "lost",
        "207": "open",
        "208": "won",
        "209": "lost",
        "210": "won",  # «Сделка закрыта» Нет, but the stage says won
    }
    assert deals.loc[deals["outcome"] == "won", "amount"].sum() == pytest.approx(479_500.0)
    assert deals.loc["201", "amount"] == 48_600.0  # two product rows, the amount once
    assert deals.loc["201", "product"] == "Трос 12 мм; Зажим"
    assert deals.loc["208", "closed"] == pd.Timestamp("2025-02-18 13:45:00")  # «Дата изменения»
    assert deals.loc["205", "expected_close"] == pd.Timestamp("2025-02-05")
    assert deals["lost_reason"].dropna().tolist() == ["not_interested", "no_need", "other"]
    i = loaded.quality.issues
    conflicts = i[i["kind"] == "conflicting_columns"]
    assert conflicts[["row", "value"]].values.tolist() == [
        [7, "Ждём оплату"],
        [12, "Сделка успешна"],
    ]
    unknown = i[i["kind"] == "unknown_label"]
    assert unknown[["column", "value"]].values.tolist() == [
        ["Стадия сделки", "Переговоры"],
        ["Стадия сделки", "Ждём оплату"],
    ]


# --- Bitrix24 «Дела» --------------------------------------------------------------------------


def test_bitrix_activities_counts_and_results(b24: LoadedClient) -> None:
    (sheet,) = read_file(B24 / B24_ACTS)
    assert sheet.meta["encoding"] == "utf-8-sig" and len(sheet.frame.columns) == 13
    row = table_row(b24, "activities")
    assert (row["rows_read"], row["accepted"], row["rejected"], row["unparseable_cells"]) == (
        20,
        17,
        3,
        1,
    )
    acts = b24.dataset.activities
    assert acts["type"].value_counts().to_dict() == {
        "call": 11,
        "meeting": 3,
        "email": 2,
        "task": 1,
    }
    assert acts["result"].value_counts().to_dict() == {
        "none": 7,
        "no_answer": 3,
        "agreed": 2,
        "refused": 2,
        "rescheduled": 2,
        "clarify": 1,
    }
    by_id = acts.set_index("activity_id")
    assert by_id.loc["7001", "occurred_at"] == pd.Timestamp("2025-03-12 14:07:33")
    assert by_id.loc["7018", "occurred_at"] == pd.Timestamp("2025-03-20 10:00:00")  # «Срок»
    assert by_id.loc["7003", "logged_at"] == pd.Timestamp("2025-03-10 09:00:00")  # «Создано»
    assert by_id.loc["7007", "status"] == "planned"  # «Не выполнено»
    # free text is never lost: the words stay in the comment, exact labels do not repeat
    assert by_id.loc["7006", "comment"] == "Звонок клиенту | Результат: Секретарь, ЛПР в отпуске"
    assert by_id.loc["7003", "comment"] == (
        "Обсуждали поставку щитов | Результат: Клиент отказался, дорого"
    )
    assert by_id.loc["7002", "comment"] == "Звонок клиенту"
    unknown = issues_of(b24, "unknown_label", B24_ACTS)
    counts = {
        (r.column, r.value): int(r.message.split(" in ")[1].split(" ")[0])
        for r in unknown.itertuples()
    }
    assert counts == {
        ("Тип", "Открытая линия"): 1,
        ("Результат", "Секретарь, ЛПР в отпуске"): 2,
        ("Результат", "Ждут КП"): 1,
        ("Результат", "Отправлен счёт"): 1,
    }
    rejected = issues_of(b24, "rejected_row", B24_ACTS)
    assert sorted(rejected[["row", "column"]].values.tolist()) == [
        [10, "type"],
        [20, "occurred_at"],
        [21, "manager_id"],
    ]


# --- the whole path: validate -----------------------------------------------------------------


def test_validate_exits_0_with_the_counts(capsys) -> None:
    code = cli.main(["validate", str(B24), "--as-of", "2025-06-20"])
    out = capsys.readouterr().out
    assert code == 0
    # table, files, read, accepted, rejected, duplicates, bad cells
    assert re.search(r"\bactivities\s+1\s+20\s+17\s+3\s+0\s+1\s", out)
    assert re.search(r"\bdeals\s+1\s+21\s+18\s+0\s+0\s+0\s", out)
    code = cli.main(["validate", str(AMO), "--as-of", "2025-07-31"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"\bmanagers\s+1\s+5\s+5\s+0\s+0\s+0\s", out)
    assert re.search(r"\bdeals\s+1\s+24\s+23\s+1\s+0\s+1\s", out)


def test_validate_names_the_detected_presets(capsys) -> None:
    code = cli.main(["validate", str(B24), "--as-of", "2025-06-20"])
    out = capsys.readouterr().out
    assert code == 0
    assert "пресет bitrix24_deals" in out
    assert "пресет bitrix24_activities" in out
    assert "строки: прочитано 21, принято 18, отклонено 0" in out
    # both dates come from «Предполагаемая дата закрытия» / «Дата изменения»: not «missing»
    assert "нет колонок для: brand, category" in out
    assert "строки: прочитано 20, принято 17, отклонено 3" in out
    code = cli.main(["validate", str(AMO), "--as-of", "2025-07-31"])
    out = capsys.readouterr().out
    assert code == 0
    assert "пресет amocrm_deals" in out
    assert "пресет template_managers" in out
    assert "строки: прочитано 24, принято 23, отклонено 1" in out


@pytest.mark.slow
def test_audit_reports_the_figures_read(tmp_path: Path) -> None:
    """The audit's indicators are the figures counted by hand from the exports."""
    values = {}
    for folder in (AMO, B24_XLS):
        client = tmp_path / folder.name
        shutil.copytree(folder, client)
        out = tmp_path / f"{folder.name}.json"
        assert cli.main(["audit", str(client), "--out", str(out)]) == 0
        result = json.loads(out.read_text(encoding="utf-8"))
        values[folder.name] = {i["id"]: i["value"] for i in result["indicators"]}
        assert result["currency"] == "RUB"
    amo = values["amocrm_deals"]
    assert amo["p5.win_rate"] == pytest.approx(50.0, abs=1e-4)  # 8 won of 16 closed
    # the head of sales (Воронцов, matched from «Игорь Воронцов») won 3 400 000 of 10 473 750.50
    assert amo["p7.head_own_sales"] == pytest.approx(3_400_000 / 10_473_750.5 * 100, abs=1e-3)
    assert values["bitrix24_deals_xls"]["p5.win_rate"] == pytest.approx(400 / 7, abs=1e-3)
