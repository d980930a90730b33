"""Build the client folders of real export formats under tests/data/real/ (committed output).

Run from the repository root: ``.venv/bin/python tests/data/real/make_fixtures.py``. The files
reproduce the layouts the systems really write (see docs/data-model.md, "Real export formats"):

- ``1c_gross_profit_xlsx``: 1C:УТ/КА/ERP report «Валовая прибыль» saved as XLSX: title, «Период»,
  «Параметры», «Отбор» lines, a two-row header with merged cells (the grouping column merged over
  both rows, «Продажи» over «Количество | Выручка», «Себестоимость» over «Сумма», «Валовая
  прибыль» over «Сумма | %»), manager -> client -> nomenclature groups with subtotals on outline
  levels 0/1/2 (and indented labels), an «Итого» row, no date on the lines;
- ``1c_gross_profit_xls``: the same report saved as old .xls (BIFF8): no outline levels, the
  grouping shown only by the cells' indent levels;
- ``hubspot_deals``, ``pipedrive_deals``, ``salesforce_opportunities``: CSV exports with the
  systems' own header spellings, date and number formats (Salesforce's footer lines included).

The tests in tests/test_real_1c_en.py assert the exact figures a correct reader gets from them.
Each folder's report.yaml ``as_of`` is the day the export was taken (within a week of its last
record, as ``salesaudit audit`` requires).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (level, label, quantity, revenue, cost, gross profit, margin %): the «Валовая прибыль» rows
GROSS_PROFIT_ROWS = [
    (0, "Иванов Иван Иванович", 17, 169000.0, 128000.0, 41000.0, 24.26),
    (1, "ООО «Альфа»", 15, 145000.0, 110000.0, 35000.0, 24.14),
    (2, "Цемент М500", 10, 120000.0, 90000.0, 30000.0, 25.0),
    (2, "Песок речной", 5, 25000.0, 20000.0, 5000.0, 20.0),
    (1, "ИП Смирнов А. В.", 2, 24000.0, 18000.0, 6000.0, 25.0),
    (2, "Цемент М500", 2, 24000.0, 18000.0, 6000.0, 25.0),
    (0, "Петрова Анна Сергеевна", 1007, 101000.0, 84000.0, 17000.0, 16.83),
    (1, "АО «Бета-Строй»", 1003, 81000.0, 63000.0, 18000.0, 22.22),
    (2, "Кирпич облицовочный", 1000, 45000.0, 36000.0, 9000.0, 20.0),
    (2, "Цемент М500", 3, 36000.0, 27000.0, 9000.0, 25.0),
    (1, "ООО «Гамма»", 4, 20000.0, 21000.0, -1000.0, -5.0),
    (2, "Песок речной", 4, 20000.0, 21000.0, -1000.0, -5.0),
]
GROSS_PROFIT_TOTAL = ("Итого", 1024, 270000.0, 212000.0, 58000.0, 21.48)
PREAMBLE = [
    "Валовая прибыль",
    "Период: 01.01.2025 - 31.12.2025",
    "Параметры: Валюта: RUB; Данные по: дате отгрузки",
    'Отбор: Организация Равно "ТД Стройматериалы"',
]
HIERARCHY = "Менеджер\nКонтрагент\nНоменклатура"
#: header rows 6 and 7: column -> (upper label, lower label); None: merged with the left cell
UPPER = [HIERARCHY, "Продажи", None, "Себестоимость", "Валовая прибыль", None]
LOWER = [None, "Количество", "Выручка", "Сумма", "Сумма", "%"]


def gross_profit_xlsx() -> bytes:
    """The «Валовая прибыль» report as 1C saves it to XLSX (outline levels + indents)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Валовая прибыль"
    bold = Font(bold=True)
    ws["A1"] = PREAMBLE[0]
    ws["A1"].font = Font(bold=True, size=14)
    for r, line in enumerate(PREAMBLE[1:], start=2):
        ws.cell(row=r, column=1, value=line)
    for c, (up, low) in enumerate(zip(UPPER, LOWER, strict=True), start=1):
        if up is not None:
            ws.cell(row=6, column=c, value=up).font = bold
        if low is not None:
            ws.cell(row=7, column=c, value=low).font = bold
    ws.cell(row=6, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A6:A7")
    ws.merge_cells("B6:C6")
    ws.merge_cells("E6:F6")
    row = 8
    for level, label, qty, rev, cost, gp, pct in GROSS_PROFIT_ROWS:
        cells = [label, qty, rev, cost, gp, pct]
        for c, value in enumerate(cells, start=1):
            cell = ws.cell(row=row, column=c, value=value)
            if level < 2:
                cell.font = bold
            if c > 2:
                cell.number_format = "#,##0.00"
        ws.cell(row=row, column=1).alignment = Alignment(indent=level)
        if level:
            ws.row_dimensions[row].outline_level = level
        row += 1
    for c, value in enumerate(GROSS_PROFIT_TOTAL, start=1):
        ws.cell(row=row, column=c, value=value).font = bold
    ws.sheet_properties.outlinePr.summaryBelow = False
    ws.column_dimensions["A"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def gross_profit_xls() -> bytes:
    """The same report as old .xls (BIFF8): grouping by the label cells' indent level only."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Валовая прибыль")

    def style(level: int | None = None, bold: bool = False) -> xlwt.XFStyle:
        st = xlwt.XFStyle()
        st.font = xlwt.Font()
        st.font.bold = bold
        if level is not None:
            st.alignment = xlwt.Alignment()
            st.alignment.inde = level
        return st

    head = style(bold=True)
    ws.write(0, 0, PREAMBLE[0], head)
    for r, line in enumerate(PREAMBLE[1:], start=1):
        ws.write(r, 0, line)
    ws.write_merge(5, 6, 0, 0, HIERARCHY, head)
    ws.write_merge(5, 5, 1, 2, "Продажи", head)
    ws.write(5, 3, "Себестоимость", head)
    ws.write_merge(5, 5, 4, 5, "Валовая прибыль", head)
    for c, low in enumerate(LOWER):
        if low is not None:
            ws.write(6, c, low, head)
    row = 7
    for level, label, qty, rev, cost, gp, pct in GROSS_PROFIT_ROWS:
        ws.write(row, 0, label, style(level, bold=False))
        for c, value in enumerate([qty, rev, cost, gp, pct], start=1):
            ws.write(row, c, value)
        row += 1
    for c, value in enumerate(GROSS_PROFIT_TOTAL):
        ws.write(row, c, value, head)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(rows: list[list[str]], *, bom: bool = False, footer: list[str] = ()) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerows(rows)
    if footer:
        buf.write("\r\n")
        for line in footer:
            writer.writerow([line])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


HUBSPOT = [
    [
        "Record ID",
        "Deal Name",
        "Deal Stage",
        "Pipeline",
        "Amount",
        "Close Date",
        "Create Date",
        "Deal owner",
        "Associated Company",
        "Deal Type",
        "Closed Lost Reason",
        "Last Activity Date",
    ],
    [
        "1001",
        "Acme Corp - Annual license",
        "Closed Won",
        "Sales Pipeline",
        "12,500.00",
        "2025-03-12 14:07",
        "2025-01-20 09:15",
        "Jane Smith",
        "Acme Corp",
        "New Business",
        "",
        "2025-03-12 14:07",
    ],
    [
        "1002",
        "Globex renewal",
        "Closed Lost",
        "Sales Pipeline",
        "8,000.00",
        "2025-04-02 11:30",
        "2025-02-03 10:00",
        "John Doe",
        "Globex",
        "Existing Business",
        "Went with competitor",
        "2025-04-01 16:20",
    ],
    [
        "1003",
        "Initech pilot",
        "Contract Sent",
        "Sales Pipeline",
        "4,750.50",
        "2025-07-15 00:00",
        "2025-05-10 16:45",
        "Jane Smith",
        "Initech",
        "New Business",
        "",
        "2025-06-25 10:00",
    ],
    [
        "1004",
        "Umbrella expansion",
        "Closed Won",
        "Sales Pipeline",
        "21,000",
        "2025-05-28 17:20",
        "2025-03-01 08:05",
        "John Doe",
        "Umbrella Corp",
        "Existing Business",
        "",
        "",
    ],
    [
        "1005",
        "Hooli trial",
        "Appointment Scheduled",
        "Sales Pipeline",
        "",
        "2025-08-01 00:00",
        "2025-06-02 12:00",
        "Jane Smith",
        "Hooli",
        "New Business",
        "",
        "",
    ],
    [
        "1006",
        "Stark consulting",
        "Closed Lost",
        "Sales Pipeline",
        "3,200.00",
        "2025-06-10 09:00",
        "2025-04-15 13:30",
        "John Doe",
        "Stark Industries",
        "New Business",
        "Price too high",
        "",
    ],
    [
        "1007",
        "Wayne pilot",
        "Verbal Commit",
        "Sales Pipeline",
        "1,500.00",
        "2025-07-30 00:00",
        "2025-06-20 11:00",
        "Jane Smith",
        "Wayne Enterprises",
        "New Business",
        "",
        "",
    ],
]

PIPEDRIVE = [
    [
        "Deal - ID",
        "Deal - Title",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Status",
        "Deal - Owner",
        "Deal - Organization",
        "Deal - Deal created",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Lost reason",
        "Deal - Stage",
        "Deal - Pipeline",
        "Deal - Expected close date",
        "Deal - Contact person",
        "Deal - Update time",
    ],
    [
        "501",
        "Acme rollout",
        "15,000.00",
        "USD",
        "won",
        "Jane Smith",
        "Acme Corp",
        "2025-01-15 10:20:00",
        "2025-03-12 14:07:33",
        "",
        "",
        "Negotiations Started",
        "Pipeline",
        "2025-03-31",
        "Wile E. Coyote",
        "2025-03-12 14:07:33",
    ],
    [
        "502",
        "Globex deal",
        "7,250.00",
        "USD",
        "lost",
        "John Doe",
        "Globex",
        "2025-02-01 09:00:00",
        "",
        "2025-04-18 16:05:10",
        "Lost to competitor",
        "Proposal Made",
        "Pipeline",
        "2025-04-30",
        "Hank Scorpio",
        "2025-04-18 16:05:10",
    ],
    [
        "503",
        "Initech upsell",
        "3,000.00",
        "USD",
        "open",
        "Jane Smith",
        "Initech",
        "2025-05-20 11:11:11",
        "",
        "",
        "",
        "Contact Made",
        "Pipeline",
        "2025-07-15",
        "Bill Lumbergh",
        "2025-06-01 09:00:00",
    ],
    [
        "504",
        "Umbrella",
        "22,400.50",
        "EUR",
        "won",
        "John Doe",
        "Umbrella Corp",
        "2025-03-03 08:30:00",
        "2025-06-02 12:00:00",
        "",
        "",
        "Negotiations Started",
        "Pipeline",
        "2025-06-15",
        "Albert Wesker",
        "2025-06-02 12:00:00",
    ],
    [
        "505",
        "Hooli",
        "1,200.00",
        "USD",
        "lost",
        "Jane Smith",
        "Hooli",
        "2025-04-01 10:00:00",
        "",
        "2025-05-05 10:00:00",
        "No budget",
        "Qualified",
        "Pipeline",
        "2025-05-31",
        "Gavin Belson",
        "2025-05-05 10:00:00",
    ],
    [
        "506",
        "Stark",
        "9,999.99",
        "USD",
        "open",
        "John Doe",
        "Stark Industries",
        "2025-06-10 15:45:00",
        "",
        "",
        "",
        "Qualified",
        "Pipeline",
        "2025-09-30",
        "Pepper Potts",
        "2025-06-10 15:45:00",
    ],
    # exported with the filter "all deals incl. deleted": neither open nor closed, left out
    [
        "507",
        "Wayne test deal",
        "50,000.00",
        "USD",
        "deleted",
        "Jane Smith",
        "Wayne Enterprises",
        "2025-05-02 10:00:00",
        "",
        "",
        "",
        "Qualified",
        "Pipeline",
        "2025-08-31",
        "Lucius Fox",
        "2025-05-09 17:30:00",
    ],
]

SALESFORCE = [
    [
        "Opportunity Owner",
        "Account Name",
        "Opportunity Name",
        "Stage",
        "Fiscal Period",
        "Amount Currency",
        "Amount",
        "Probability (%)",
        "Age",
        "Close Date",
        "Created Date",
        "Next Step",
        "Lead Source",
        "Type",
        "Loss Reason",
    ],
    [
        "Jane Smith",
        "Acme Corp",
        "Acme - 200 licenses",
        "Closed Won",
        "Q1-2025",
        "USD",
        "12,500.00",
        "100",
        "51",
        "3/12/2025",
        "1/20/2025",
        "",
        "Web",
        "New Customer",
        "",
    ],
    [
        "John Doe",
        "Globex",
        "Globex renewal",
        "Closed Lost",
        "Q2-2025",
        "USD",
        "8,000.00",
        "0",
        "58",
        "4/2/2025",
        "2/3/2025",
        "",
        "Partner Referral",
        "Existing Customer - Upgrade",
        "Price",
    ],
    [
        "Jane Smith",
        "Initech",
        "Initech pilot",
        "Proposal/Price Quote",
        "Q3-2025",
        "USD",
        "4,750.50",
        "75",
        "51",
        "7/15/2025",
        "5/10/2025",
        "Send contract",
        "Web",
        "New Customer",
        "",
    ],
    [
        "John Doe",
        "Umbrella Corp",
        "Umbrella expansion",
        "Closed Won",
        "Q2-2025",
        "USD",
        "21,000.00",
        "100",
        "88",
        "5/28/2025",
        "3/1/2025",
        "",
        "Phone Inquiry",
        "Existing Customer - Upgrade",
        "",
    ],
    [
        "Jane Smith",
        "Hooli",
        "Hooli trial",
        "Prospecting",
        "Q3-2025",
        "USD",
        "",
        "10",
        "28",
        "8/1/2025",
        "6/2/2025",
        "Book a demo",
        "Web",
        "New Customer",
        "",
    ],
    [
        "John Doe",
        "Stark Industries",
        "Stark consulting",
        "Closed Lost",
        "Q2-2025",
        "USD",
        "3,200.00",
        "0",
        "56",
        "6/10/2025",
        "4/15/2025",
        "",
        "Trade Show",
        "New Customer",
        "Lost to Competitor",
    ],
]
SALESFORCE_FOOTER = [
    "Opportunities by Stage",
    "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved.",
    "Confidential Information - Do Not Distribute",
    "Generated By:  Jane Smith  6/14/2025 5:02 PM",
    "Acme Demo Inc.",
]

REPORT_YAML = """client_name: {name}
consultant: Test consultant
as_of: {as_of}
currency: {currency}
"""


def build(root: Path = HERE) -> list[Path]:
    """Write every client folder under ``root``; returns the files written."""
    folders = {
        "1c_gross_profit_xlsx": (
            "valovaya_pribyl_2025.xlsx",
            gross_profit_xlsx(),
            "ТД Стройматериалы",
            "2025-12-31",
            "RUB",
        ),
        "1c_gross_profit_xls": (
            "valovaya_pribyl_2025.xls",
            gross_profit_xls(),
            "ТД Стройматериалы",
            "2025-12-31",
            "RUB",
        ),
        "hubspot_deals": (
            "hubspot-crm-exports-all-deals-2025-06-24.csv",
            _csv(HUBSPOT),
            "Acme Demo Inc.",
            "2025-06-24",
            "USD",
        ),
        "pipedrive_deals": (
            "deals-export-2025-06-14.csv",
            _csv(PIPEDRIVE, bom=True),
            "Acme Demo Inc.",
            "2025-06-14",
            "USD",
        ),
        "salesforce_opportunities": (
            "report1719766920000.csv",
            _csv(SALESFORCE, footer=SALESFORCE_FOOTER),
            "Acme Demo Inc.",
            "2025-06-14",
            "USD",
        ),
    }
    written = []
    for folder, (name, data, client, as_of, currency) in folders.items():
        raw = root / folder / "raw"
        raw.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
        report = root / folder / "report.yaml"
        report.write_text(
            REPORT_YAML.format(name=client, as_of=as_of, currency=currency), encoding="utf-8"
        )
        written += [raw / name, report]
        if currency != "RUB":
            mapping = root / folder / "mapping.yaml"
            mapping.write_text(f"currency: {currency}\n", encoding="utf-8")
            written.append(mapping)
    return written


if __name__ == "__main__":
    for path in build():
        print(path.relative_to(HERE))
