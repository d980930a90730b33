"""Real export formats: 1C «Валовая прибыль» (XLSX with outline levels, old .xls with indents)
and English CRM deal exports (HubSpot, Pipedrive, Salesforce).

The client folders under tests/data/real/ are built by tests/data/real/make_fixtures.py with
the systems' real layouts; every figure below is what a correct reader gets from them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from salesaudit import cli
from salesaudit.analytics.suite import check_as_of, data_date_range
from salesaudit.app.loading import load_client
from salesaudit.io.readers import read_file
from salesaudit.model.build import build_dataset
from salesaudit.model.parse import parse_date, parse_dates, parse_number, parse_period
from salesaudit.model.presets import detect_preset
from salesaudit.scoring.score import annual_revenue

REAL = Path(__file__).resolve().parent / "data" / "real"
GP_FILES = {
    "xlsx": REAL / "1c_gross_profit_xlsx" / "raw" / "valovaya_pribyl_2025.xlsx",
    "xls": REAL / "1c_gross_profit_xls" / "raw" / "valovaya_pribyl_2025.xls",
}
IVANOV, PETROVA = "Иванов Иван Иванович", "Петрова Анна Сергеевна"
GP_COLUMNS = [
    "Номенклатура",
    "Продажи Количество",
    "Продажи Выручка",
    "Себестоимость Сумма",
    "Валовая прибыль Сумма",
    "Валовая прибыль %",
    "Менеджер",
    "Контрагент",
]


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def _by_manager(dataset, table: str, column: str, mask=None) -> dict[str, float]:
    df = getattr(dataset, table)
    if mask is not None:
        df = df[mask(df)]
    names = dataset.managers.set_index("manager_id")["name"]
    return {names[k]: round(float(v), 2) for k, v in df.groupby("manager_id")[column].sum().items()}


# --- 1C «Валовая прибыль» -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_gross_profit_reader_finds_header_groups_and_levels(fmt: str) -> None:
    (sheet,) = read_file(GP_FILES[fmt])
    assert sheet.header_row == 7
    assert list(sheet.frame.columns) == GP_COLUMNS
    assert sheet.rows == [10, 11, 13, 16, 17, 19]
    assert sheet.dropped == [
        (8, "group"),
        (9, "group"),
        (12, "group"),
        (14, "group"),
        (15, "group"),
        (18, "group"),
        (20, "total"),
    ]
    assert sheet.meta["title"] == "Валовая прибыль"
    assert sheet.meta["period"] == "01.01.2025 - 31.12.2025"
    assert sheet.meta["filters"] == ['Организация Равно "ТД Стройматериалы"']
    assert sheet.meta["hierarchy"] == ["Менеджер", "Контрагент", "Номенклатура"]
    assert sheet.frame["Менеджер"].tolist() == [IVANOV] * 3 + [PETROVA] * 3
    assert sheet.frame["Контрагент"].tolist() == [
        "ООО «Альфа»",
        "ООО «Альфа»",
        "ИП Смирнов А. В.",
        "АО «Бета-Строй»",
        "АО «Бета-Строй»",
        "ООО «Гамма»",
    ]
    assert sheet.frame["Себестоимость Сумма"].tolist() == [
        "90000",
        "20000",
        "18000",
        "36000",
        "27000",
        "21000",
    ]
    assert detect_preset(sheet).name == "1c_gross_profit"


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_gross_profit_load_and_build(fmt: str) -> None:
    loaded = load_client(GP_FILES[fmt].parents[1], as_of=dt.date(2025, 12, 31))
    ds, quality = loaded.dataset, loaded.quality
    row = quality.tables.set_index("table").loc["sales"]
    assert (int(row.rows_read), int(row.accepted), int(row.rejected)) == (6, 6, 0)
    assert (row.date_min, row.date_max) == (_ts("2025-01-01"), _ts("2025-12-31"))  # the period
    assert _by_manager(ds, "sales", "amount") == {IVANOV: 169000.0, PETROVA: 101000.0}
    assert _by_manager(ds, "sales", "cost") == {IVANOV: 128000.0, PETROVA: 84000.0}
    assert _by_manager(ds, "sales", "gross_profit") == {IVANOV: 41000.0, PETROVA: 17000.0}
    assert ds.sales["quantity"].tolist() == [10.0, 5.0, 2.0, 1000.0, 3.0, 4.0]
    assert ds.sales["product"].tolist() == [
        "Цемент М500",
        "Песок речной",
        "Цемент М500",
        "Кирпич облицовочный",
        "Цемент М500",
        "Песок речной",
    ]
    clients = ds.clients.set_index("client_id")["name"]
    assert sorted(clients[ds.sales["client_id"]].unique()) == [
        "АО «Бета-Строй»",
        "ИП Смирнов А. В.",
        "ООО «Альфа»",
        "ООО «Гамма»",
    ]
    # no date per line: every line dated the first day of the «Период», and said so
    assert ds.sales["date"].tolist() == [_ts("2025-01-01")] * 6
    issues = quality.issues
    period = issues[issues["kind"] == "period_date"]
    assert len(period) == 1
    assert period.iloc[0]["severity"] == "warning"
    assert period.iloc[0]["message"].startswith(
        "no date per row: 6 row(s) dated 01.01.2025, the first day of the report period "
        "01.01.2025-31.12.2025"
    )
    skipped = issues[issues["kind"].isin(["dropped_row", "total_row"])]
    assert sorted(skipped["row"].astype(int).tolist()) == [8, 9, 12, 14, 15, 18, 20]
    assert ds.sales["src_row"].tolist() == [10, 11, 13, 16, 17, 19]
    # the data covers the whole period: an audit as of its last day is inside the data, and the
    # year's revenue is the report's total, not annualised from a single day
    file = f"raw/{GP_FILES[fmt].name}"
    assert ds.meta["report_periods"] == [
        {
            "file": file,
            "table": "sales",
            "start": dt.date(2025, 1, 1),
            "end": dt.date(2025, 12, 31),
        }
    ]
    assert data_date_range(ds) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    check_as_of(ds, dt.date(2025, 12, 31))  # no error
    revenue = annual_revenue(ds.sales, None, dt.date(2025, 12, 31))
    assert (revenue["value"], revenue["days_covered"], revenue["annualised"]) == (
        270000.0,
        365,
        False,
    )


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_gross_profit_xlsx_engines_agree(engine: str) -> None:
    """Both XLSX engines give the same sheet; indented labels make calamine hand over to
    openpyxl (which reads the indent levels), without indents calamine reads it itself."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment
    from salesaudit.io._excel import read_xlsx
    from salesaudit.io.readers import sheet_from_grid

    data = GP_FILES["xlsx"].read_bytes()
    (indented,) = read_xlsx(data, GP_FILES["xlsx"], engine=engine)
    assert indented.indent.tolist()[7:12] == [0, 1, 2, 2, 1]
    wb = load_workbook(io.BytesIO(data))
    for row in wb.active.iter_rows():
        for cell in row:
            cell.alignment = Alignment()
    buf = io.BytesIO()
    wb.save(buf)
    (plain,) = read_xlsx(buf.getvalue(), GP_FILES["xlsx"], engine=engine)
    assert plain.indent is None
    for grid in (indented, plain):
        sheet = sheet_from_grid(grid, file="gp.xlsx")
        assert list(sheet.frame.columns) == GP_COLUMNS
        assert sheet.rows == [10, 11, 13, 16, 17, 19]
        assert sheet.frame["Валовая прибыль Сумма"].tolist() == [
            "30000",
            "5000",
            "6000",
            "9000",
            "9000",
            "-1000",
        ]


def test_gross_profit_validate_run(capsys) -> None:
    code = cli.main(["validate", str(REAL / "1c_gross_profit_xls"), "--as-of", "2025-12-31"])
    out = capsys.readouterr().out
    assert code == 0
    assert "пресет 1c_gross_profit" in out  # the detected preset, named per file
    flat = " ".join(out.split())  # long lines are wrapped, never cut
    assert "6 стр. датированы 01.01.2025, первым днём периода отчёта 01.01.2025-31.12.2025" in flat
    sales_line = next(line for line in out.splitlines() if line.startswith("sales"))
    assert sales_line.split() == ["sales", "1", "6", "6", "0", "0", "0", "01.01.2025–31.12.2025"]


def _gp_sheet(labels: list[tuple[str, float, float, float]], header: str, period: str | None):
    """A small «Валовая прибыль» XLSX (no outline levels, no indent attributes)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Валовая прибыль"
    if period:
        ws["A2"] = f"Период: {period}"
    for c, name in enumerate([header, "Выручка", "Себестоимость", "Валовая прибыль"], start=1):
        ws.cell(row=4, column=c, value=name)
    for r, values in enumerate(labels, start=5):
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_grouping_by_leading_spaces_and_dates_from_documents(tmp_path: Path) -> None:
    rows = [
        ("Сидоров П. П.", 300.0, 200.0, 100.0),
        ("    ООО «Дельта»", 300.0, 200.0, 100.0),
        ("        Реализация товаров и услуг УТ-00012 от 12.03.2025 10:15:00", 100.0, 70.0, 30.0),
        ("        Реализация товаров и услуг УТ-00031 от 02.04.2025 9:05:00", 200.0, 130.0, 70.0),
        ("Итого", 300.0, 200.0, 100.0),
    ]
    path = tmp_path / "gp.xlsx"
    path.write_bytes(
        _gp_sheet(rows, "Менеджер\nКонтрагент\nДокумент продажи", "01.01.2025 - 30.06.2025")
    )
    (sheet,) = read_file(path)
    assert sheet.dropped == [(5, "group"), (6, "group"), (9, "total")]
    assert list(sheet.frame.columns) == [
        "Документ продажи",
        "Выручка",
        "Себестоимость",
        "Валовая прибыль",
        "Менеджер",
        "Контрагент",
    ]
    ds, quality = build_dataset([sheet], meta={"as_of": dt.date(2025, 6, 30)})
    assert ds.sales["date"].tolist() == [_ts("2025-03-12 10:15"), _ts("2025-04-02 09:05")]
    assert ds.sales["amount"].tolist() == [100.0, 200.0]
    assert ds.sales["gross_profit"].tolist() == [30.0, 70.0]
    assert ds.managers["name"].tolist() == ["Сидоров П. П."]
    assert quality.count("period_date") == 0
    assert "2 row(s) dated by their document" in " ".join(quality.issues["message"])


def test_old_xls_grouped_by_leading_spaces_with_period_in_parameters(tmp_path: Path) -> None:
    """1C 7.7-style .xls: the levels are spaces in the text, the period sits in «Параметры:»."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Лист1")
    ws.write(0, 0, "Валовая прибыль")
    ws.write(1, 0, "Параметры: Период: 01.01.2025 - 31.03.2025; Валюта: RUB")
    for c, name in enumerate(
        ["Менеджер / Контрагент", "Выручка", "Себестоимость", "Валовая прибыль"]
    ):
        ws.write(3, c, name)
    rows = [
        ("Иванов", 500.0, 350.0, 150.0),
        ("   ООО «Альфа»", 300.0, 200.0, 100.0),
        ("   ООО «Бета»", 200.0, 150.0, 50.0),
        ("Петрова", 80.0, 90.0, -10.0),
        ("   ИП Орлов", 80.0, 90.0, -10.0),
        ("Итого", 580.0, 440.0, 140.0),
    ]
    for r, values in enumerate(rows, start=4):
        for c, v in enumerate(values):
            ws.write(r, c, v)
    path = tmp_path / "vp.xls"
    wb.save(str(path))
    (sheet,) = read_file(path)
    assert sheet.meta["period"] == "01.01.2025 - 31.03.2025"
    assert sheet.dropped == [(5, "group"), (8, "group"), (10, "total")]
    ds, quality = build_dataset([sheet], meta={"as_of": dt.date(2025, 3, 31)})
    names = ds.managers.set_index("manager_id")["name"]
    clients = ds.clients.set_index("client_id")["name"]
    got = ds.sales.assign(m=ds.sales["manager_id"].map(names), c=ds.sales["client_id"].map(clients))
    assert got[["m", "c", "amount", "cost", "gross_profit"]].values.tolist() == [
        ["Иванов", "ООО «Альфа»", 300.0, 200.0, 100.0],
        ["Иванов", "ООО «Бета»", 200.0, 150.0, 50.0],
        ["Петрова", "ИП Орлов", 80.0, 90.0, -10.0],
    ]
    assert ds.sales["date"].tolist() == [_ts("2025-01-01")] * 3
    assert quality.count("period_date") == 1


def test_leading_spaces_that_are_not_a_grouping_drop_nothing(tmp_path: Path) -> None:
    rows = [
        ("Иванов", 100.0, 80.0, 20.0),
        (" Петров", 200.0, 150.0, 50.0),
        ("Сидоров", 300.0, 200.0, 100.0),
        ("Козлов", 400.0, 300.0, 100.0),
    ]
    path = tmp_path / "flat.xlsx"
    path.write_bytes(_gp_sheet(rows, "Менеджер", "01.01.2025 - 31.01.2025"))
    (sheet,) = read_file(path)
    assert sheet.dropped == []
    assert sheet.rows == [5, 6, 7, 8]


def test_report_without_period_nor_date_is_refused_loudly(tmp_path: Path) -> None:
    path = tmp_path / "gp.xlsx"
    path.write_bytes(
        _gp_sheet([("Иванов", 100.0, 80.0, 20.0), ("Петров", 5.0, 4.0, 1.0)], "Менеджер", None)
    )
    (sheet,) = read_file(path)
    ds, quality = build_dataset([sheet], meta={"as_of": dt.date(2025, 6, 30)})
    row = quality.tables.set_index("table").loc["sales"]
    assert (int(row.rows_read), int(row.accepted), int(row.rejected)) == (2, 0, 2)
    missing = quality.issues[quality.issues["kind"] == "missing_column"]
    assert missing["column"].tolist() == ["date"]


# --- English CRMs -----------------------------------------------------------------------------

EN_CASES = {
    "hubspot_deals": "hubspot_deals",
    "pipedrive_deals": "pipedrive_deals",
    "salesforce_opportunities": "salesforce_opportunities",
}


@pytest.mark.parametrize("folder", list(EN_CASES))
def test_english_exports_detected(folder: str) -> None:
    (path,) = (REAL / folder / "raw").iterdir()
    (sheet,) = read_file(path)
    assert detect_preset(sheet).name == EN_CASES[folder]


#: the day each English export was taken (report.yaml as_of)
EN_AS_OF = {
    "hubspot_deals": dt.date(2025, 6, 24),
    "pipedrive_deals": dt.date(2025, 6, 14),
    "salesforce_opportunities": dt.date(2025, 6, 14),
}


def _deals(folder: str):
    loaded = load_client(REAL / folder, as_of=EN_AS_OF[folder])
    deals = loaded.dataset.deals
    names = loaded.dataset.managers.set_index("manager_id")["name"]
    return loaded, deals.assign(manager=deals["manager_id"].map(names))


def test_hubspot_deals() -> None:
    loaded, deals = _deals("hubspot_deals")
    row = loaded.quality.tables.set_index("table").loc["deals"]
    assert (int(row.rows_read), int(row.accepted), int(row.rejected)) == (7, 7, 0)
    assert deals["deal_id"].tolist() == ["1001", "1002", "1003", "1004", "1005", "1006", "1007"]
    assert deals["outcome"].value_counts().to_dict() == {"open": 3, "won": 2, "lost": 2}
    assert deals["amount"].tolist()[:4] == [12500.0, 8000.0, 4750.5, 21000.0]
    assert pd.isna(deals["amount"].iloc[4])
    won = deals[deals["outcome"] == "won"]
    assert won.groupby("manager")["amount"].sum().to_dict() == {
        "Jane Smith": 12500.0,
        "John Doe": 21000.0,
    }
    assert deals["closed"].dropna().tolist() == [
        _ts("2025-03-12 14:07"),
        _ts("2025-04-02 11:30"),
        _ts("2025-05-28 17:20"),
        _ts("2025-06-10 09:00"),
    ]
    # «Close Date» of an open deal is its expected close date, not a close
    open_ = deals[deals["outcome"] == "open"]
    assert open_["closed"].isna().all()
    assert open_["expected_close"].tolist() == [
        _ts("2025-07-15"),
        _ts("2025-08-01"),
        _ts("2025-07-30"),
    ]
    assert deals["created"].iloc[0] == _ts("2025-01-20 09:15")
    assert deals["lost_reason"].dropna().tolist() == ["competitor", "too_expensive"]
    unknown = loaded.quality.issues[loaded.quality.issues["kind"] == "unknown_label"]
    assert unknown["value"].tolist() == ["Verbal Commit"]


def test_pipedrive_deals() -> None:
    loaded, deals = _deals("pipedrive_deals")
    row = loaded.quality.tables.set_index("table").loc["deals"]
    # 7 rows: deal 507 has the status 'deleted' and is left out (neither open nor lost)
    assert (int(row.rows_read), int(row.accepted), int(row.rejected)) == (7, 6, 0)
    assert "507" not in deals["deal_id"].tolist()
    gone = loaded.quality.issues[loaded.quality.issues["kind"] == "deleted_rows"]
    assert gone[["severity", "row", "column", "value"]].astype(str).values.tolist() == [
        ["info", "8", "Deal - Status", "1"]
    ]
    assert loaded.quality.count("unknown_label") == 0
    sheet = loaded.quality.sheets.set_index("file").loc["raw/deals-export-2025-06-14.csv"]
    assert (int(sheet.rows), int(sheet.accepted), int(sheet.rejected)) == (7, 6, 0)
    assert deals["outcome"].tolist() == ["won", "lost", "open", "won", "lost", "open"]
    assert deals["amount"].tolist() == [15000.0, 7250.0, 3000.0, 22400.5, 1200.0, 9999.99]
    won = deals[deals["outcome"] == "won"]
    assert won.groupby("manager")["amount"].sum().to_dict() == {
        "Jane Smith": 15000.0,
        "John Doe": 22400.5,
    }
    assert deals["closed"].tolist()[:2] == [_ts("2025-03-12 14:07:33"), _ts("2025-04-18 16:05:10")]
    assert deals["closed"].isna().tolist() == [False, False, True, False, False, True]
    assert deals["expected_close"].iloc[5] == _ts("2025-09-30")
    assert deals["lost_reason"].dropna().tolist() == ["competitor", "no_budget"]
    other = loaded.quality.issues[loaded.quality.issues["kind"] == "other_currency"]
    assert other[["row", "value"]].astype(str).values.tolist() == [["5", "EUR"]]


def test_salesforce_opportunities_month_first_dates_and_footer() -> None:
    loaded, deals = _deals("salesforce_opportunities")
    row = loaded.quality.tables.set_index("table").loc["deals"]
    assert (int(row.rows_read), int(row.accepted), int(row.rejected)) == (6, 6, 0)
    assert sorted(loaded.dataset.managers["name"]) == ["Jane Smith", "John Doe"]
    assert deals["outcome"].value_counts().to_dict() == {"won": 2, "lost": 2, "open": 2}
    # 3/12/2025 is March 12, 1/20/2025 is January 20 (month first)
    assert deals["created"].tolist() == [
        _ts("2025-01-20"),
        _ts("2025-02-03"),
        _ts("2025-05-10"),
        _ts("2025-03-01"),
        _ts("2025-06-02"),
        _ts("2025-04-15"),
    ]
    assert deals["closed"].dropna().tolist() == [
        _ts("2025-03-12"),
        _ts("2025-04-02"),
        _ts("2025-05-28"),
        _ts("2025-06-10"),
    ]
    assert deals["expected_close"].dropna().tolist() == [_ts("2025-07-15"), _ts("2025-08-01")]
    won = deals[deals["outcome"] == "won"]
    assert won.groupby("manager")["amount"].sum().to_dict() == {
        "Jane Smith": 12500.0,
        "John Doe": 21000.0,
    }
    assert deals["lost_reason"].dropna().tolist() == ["too_expensive", "competitor"]
    footer = loaded.quality.issues[loaded.quality.issues["message"] == "footer"]
    assert footer["row"].astype(int).tolist() == [9, 10, 11, 12, 13]


def test_salesforce_formatted_xlsx_report_with_groups_subtotals_and_footer(tmp_path: Path) -> None:
    """Salesforce «Export > Formatted report»: title, «Filtered By», the grouping column merged
    down each group, «Subtotal» rows, a «Total» row and the confidentiality footer."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Opportunities by Stage"
    ws["A2"] = "As of 6/30/2025 5:02 PM · Generated by Jane Smith"
    ws["A3"] = "Filtered By:"
    ws["A4"] = "    Show Me: All opportunities"
    header = ["Stage", "Opportunity Owner", "Account Name", "Opportunity Name", "Amount"]
    header += ["Close Date", "Created Date"]
    day = dt.datetime
    rows = [
        ["Closed Won", "Jane Smith", "Acme Corp", "Acme - 200", 12500.0, day(2025, 3, 12)],
        [None, "John Doe", "Umbrella Corp", "Umbrella", 21000.0, day(2025, 5, 28)],
        ["Subtotal", None, None, None, 33500.0, None],
        ["Prospecting", "Jane Smith", "Hooli", "Hooli trial", None, day(2025, 8, 1)],
        ["Subtotal", None, None, None, 0.0, None],
        ["Total", None, None, None, 33500.0, None],
    ]
    created = [day(2025, 1, 20), day(2025, 3, 1), None, day(2025, 6, 2), None, None]
    for c, name in enumerate(header, start=1):
        ws.cell(row=6, column=c, value=name)
    for r, (values, made) in enumerate(zip(rows, created, strict=True), start=7):
        for c, v in enumerate([*values, made], start=1):
            ws.cell(row=r, column=c, value=v)
    ws.merge_cells("A7:A8")
    ws["A14"] = "Confidential Information - Do Not Distribute"
    ws["A15"] = "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."
    path = tmp_path / "Opportunities by Stage.xlsx"
    wb.save(path)
    (sheet,) = read_file(path)
    assert sheet.header_row == 6
    assert sheet.rows == [7, 8, 10]
    assert sheet.dropped == [
        (9, "total"),
        (11, "total"),
        (12, "total"),
        (13, "blank"),
        (14, "footer"),
        (15, "footer"),
    ]
    assert detect_preset(sheet).name == "salesforce_opportunities"
    ds, quality = build_dataset([sheet], {"currency": "USD"}, meta={"as_of": dt.date(2025, 6, 30)})
    deals = ds.deals
    assert deals["outcome"].tolist() == ["won", "won", "open"]
    assert deals["amount"].tolist()[:2] == [12500.0, 21000.0]
    assert deals["closed"].tolist()[:2] == [_ts("2025-03-12"), _ts("2025-05-28")]
    assert deals["expected_close"].iloc[2] == _ts("2025-08-01")
    assert deals["created"].tolist() == [_ts("2025-01-20"), _ts("2025-03-01"), _ts("2025-06-02")]


def test_salesforce_validate_run(capsys) -> None:
    code = cli.main(
        [
            "validate",
            str(REAL / "salesforce_opportunities"),
            "--as-of",
            "2025-06-14",
            "--lang",
            "en",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "preset salesforce_opportunities" in out
    deals_line = next(line for line in out.splitlines() if line.startswith("deals"))
    assert deals_line.split() == ["deals", "1", "6", "6", "0", "0", "0", "20.01.2025–02.06.2025"]


@pytest.mark.parametrize(
    ("folder", "source", "observed", "currency"),
    [
        ("1c_gross_profit_xls", "sales", 270000.0, "RUB"),
        ("salesforce_opportunities", "deals (won)", 33500.0, "USD"),
    ],
)
def test_audit_runs_on_the_real_folders(
    tmp_path: Path, folder: str, source: str, observed: float, currency: str
) -> None:
    """``salesaudit audit`` with report.yaml's as_of: the revenue it reports is the export's."""
    import json
    import shutil

    client = tmp_path / folder
    shutil.copytree(REAL / folder, client)
    out = tmp_path / "result.json"
    assert cli.main(["audit", str(client), "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    revenue = result["upside"]["annual_revenue"]
    assert (revenue["source"], revenue["observed"]) == (source, observed)
    assert result["currency"] == currency
    if folder.startswith("1c"):  # a one-year report: its total, over 365 days, not annualised
        assert (revenue["value"], revenue["days_covered"], revenue["annualised"]) == (
            270000.0,
            365,
            False,
        )


# --- parsing rules these formats need ---------------------------------------------------------


def test_english_numbers_and_us_dates() -> None:
    assert parse_number("12,500", decimal=".") == 12500.0
    assert parse_number("12,500.00", decimal=".") == 12500.0
    assert parse_number("$1,234,567.5", decimal=".") == 1234567.5
    assert parse_number("12,500") == 12.5  # the Russian rule is unchanged
    with pytest.raises(ValueError):
        parse_number("12,5", decimal=".")
    assert parse_date("3/12/2025", dayfirst=False) == _ts("2025-03-12")
    assert parse_date("3/12/2025, 2:07 PM", dayfirst=False) == _ts("2025-03-12 14:07")
    assert parse_date("12/31/2025 12:05 AM", dayfirst=False) == _ts("2025-12-31 00:05")
    values, bad = parse_dates(
        pd.Series(["3/12/2025", "03.12.2025", "2025-03-12 14:07:33", "13/1/2025"]),
        dayfirst=False,
    )
    assert values.tolist()[:3] == [
        _ts("2025-03-12"),
        _ts("2025-03-12"),
        _ts("2025-03-12 14:07:33"),
    ]
    assert bad.tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("01.01.2025 - 31.12.2025", "2025-01-01", "2025-12-31"),
        ("с 01.02.2025 по 28.02.2025", "2025-02-01", "2025-02-28"),
        ("Январь 2025 г. - Март 2025 г.", "2025-01-01", "2025-03-31"),
        ("2 квартал 2025 г.", "2025-04-01", "2025-06-30"),
        ("2025 г.", "2025-01-01", "2025-12-31"),
    ],
)
def test_report_periods(text: str, start: str, end: str) -> None:
    assert parse_period(text) == (_ts(start), _ts(end))


def test_unreadable_period_is_none() -> None:
    assert parse_period("за всё время") is None
    assert parse_period("31.12.2025 - 01.01.2025") is None


def test_hubspot_stages_with_the_pipeline_name_after_them(tmp_path: Path) -> None:
    # a HubSpot portal with several pipelines exports «Closed Won (Partners)»
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "hubspot.csv").write_text(
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner\n"
        "1,A,Closed Won (Partners),100,2025-03-12 10:00,2025-01-10 09:00,Jane Smith\n"
        "2,B,Closed lost (Sales Pipeline),200,2025-03-13 10:00,2025-01-11 09:00,Jane Smith\n"
        "3,C,Contract Sent (Partners),300,2025-07-01,2025-01-12 09:00,John Doe\n"
        "4,D,Closed Won,400,2025-03-14 10:00,2025-01-13 09:00,John Doe\n",
        encoding="utf-8",
    )
    loaded = load_client(tmp_path, as_of=dt.date(2025, 6, 30))
    deals = loaded.dataset.deals
    assert deals["outcome"].tolist() == ["won", "lost", "open", "won"]
    unknown = loaded.quality.issues[loaded.quality.issues["kind"] == "unknown_label"]
    assert unknown["value"].tolist() == ["Contract Sent (Partners)"]  # reported, not guessed


def test_deleted_deals_left_out_whatever_the_spelling() -> None:
    from salesaudit.model._crm import drop_deleted_deals

    out = pd.DataFrame(
        {"deal_id": ["1", "2", "3", "4"], "outcome": ["won", "Удалена", None, "DELETED"]}
    )
    rows = pd.Series([2, 3, 4, 5], index=out.index)
    kept, kept_rows, found = drop_deleted_deals(
        out, rows, table="deals", file="raw/d.csv", column="Статус"
    )
    assert kept["deal_id"].tolist() == ["1", "3"] and kept_rows.tolist() == [2, 4]
    assert [(f["kind"], f["row"], f["value"]) for f in found] == [("deleted_rows", 3, "2")]
    assert out["deal_id"].tolist() == ["1", "2", "3", "4"]  # the input is not modified
