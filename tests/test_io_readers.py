"""Readers: every fixture is built here, in tmp_path (XLSX via openpyxl, HTML, CSV bytes, XLS)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font
from salesaudit.io import (
    ClientFolder,
    RawSheet,
    detect_format,
    file_sha256,
    is_total_label,
    normalize_header,
    open_client_folder,
    read_file,
    read_yaml,
)


def _values(sheet: RawSheet) -> list[list[str | None]]:
    return sheet.frame.to_numpy().tolist()


def _assert_text_cells(sheet: RawSheet) -> None:
    for value in sheet.frame.to_numpy().ravel():
        assert value is None or type(value) is str


# --- XLSX: a 1C report ------------------------------------------------------------------------


def _one_c_report(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Продажи"
    ws["A1"] = "Валовая прибыль по менеджерам"
    ws.merge_cells("A1:E1")
    ws["A2"] = "Период: 01.01.2024 - 31.03.2024"
    ws["A3"] = "Отборы:"
    ws["A4"] = 'Организация Равно "Ромашка"'
    ws["A5"] = "Показатели: Количество, Сумма"
    ws["A7"] = "Менеджер"
    ws["B7"] = "Контрагент"
    ws["C7"] = "Продажи"
    ws.merge_cells("C7:D7")
    ws["E7"] = "Дата"
    ws["C8"] = "Количество"
    ws["D8"] = " Сумма\u00a0 "
    for rng in ("A7:A8", "B7:B8", "E7:E8"):
        ws.merge_cells(rng)
    rows = [
        ("Иванов И.И.", None, 10, 1500.5, None, True),
        ("Иванов И.И.", "ООО Альфа", 4, 500.0, dt.datetime(2024, 1, 5), False),
        ("Иванов И.И.", "ООО Бета", 6, 1000.5, dt.datetime(2024, 1, 6, 14, 5), False),
        ("Петров П.П.", None, 1, 99.0, None, True),
        ("Петров П.П.", "ИП Гамма", 1, 99, dt.date(2024, 2, 1), False),
        (None, None, None, None, None, False),
        ("Итого", None, 11, 1599.5, None, True),
    ]
    for r, (a, b, c, d, e, bold) in enumerate(rows, start=9):
        for col, value in enumerate((a, b, c, d, e), start=1):
            ws.cell(r, col, value)
        if bold:
            ws.cell(r, 1).font = Font(bold=True)
    wb.save(path)
    return path


def test_one_c_report_header_preamble_groups_totals(tmp_path: Path) -> None:
    path = _one_c_report(tmp_path / "report.xls")  # wrong extension on purpose
    sheets = read_file(path)
    assert len(sheets) == 1
    s = sheets[0]
    assert s.file == str(path)
    assert s.sheet == "Продажи"
    assert s.header_row == 8
    assert list(s.frame.columns) == [
        "Менеджер",
        "Контрагент",
        "Продажи Количество",
        "Продажи Сумма",
        "Дата",
        "group_1",
    ]
    assert _values(s) == [
        ["Иванов И.И.", "ООО Альфа", "4", "500", "2024-01-05", "Иванов И.И."],
        ["Иванов И.И.", "ООО Бета", "6", "1000.5", "2024-01-06 14:05:00", "Иванов И.И."],
        ["Петров П.П.", "ИП Гамма", "1", "99", "2024-02-01", "Петров П.П."],
    ]
    assert s.rows == [10, 11, 13]
    assert s.dropped == [(9, "group"), (12, "group"), (14, "blank"), (15, "total")]
    assert s.meta["title"] == "Валовая прибыль по менеджерам"
    assert s.meta["period"] == "01.01.2024 - 31.03.2024"
    assert s.meta["filters"] == ['Организация Равно "Ромашка"']
    assert s.meta["indicators"] == ["Количество, Сумма"]
    assert s.meta["preamble"] == [
        "Валовая прибыль по менеджерам",
        "Период: 01.01.2024 - 31.03.2024",
        "Отборы:",
        'Организация Равно "Ромашка"',
        "Показатели: Количество, Сумма",
    ]
    assert s.meta["group_columns"] == ["group_1"]
    assert s.meta["format"] == "xlsx"
    _assert_text_cells(s)


def test_outline_levels_mark_group_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Отчет"])
    ws.append([])
    ws.append(["Номенклатура", "Количество", "Сумма"])
    data = [
        ("Иванов", 3, 300, 1),
        ("Кофе", 1, 100, 2),
        ("Чай", 2, 200, 2),
        ("Петров", 5, 50, 1),
        ("Сахар", 5, 50, 2),
    ]
    for r, (name, qty, amount, level) in enumerate(data, start=4):
        ws.append([name, qty, amount])
        ws.row_dimensions[r].outline_level = level
    ws.append(["Итого", 8, 350])
    path = tmp_path / "outline.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert s.header_row == 3
    assert list(s.frame.columns) == ["Номенклатура", "Количество", "Сумма", "group_1"]
    assert _values(s) == [
        ["Кофе", "1", "100", "Иванов"],
        ["Чай", "2", "200", "Иванов"],
        ["Сахар", "5", "50", "Петров"],
    ]
    assert s.rows == [5, 6, 8]
    assert s.dropped == [(4, "group"), (7, "group"), (9, "total")]


def test_structural_group_rows_without_formatting(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Продажи по клиентам"])
    ws.append(["Клиент", "Менеджер", "Товар", "Сумма"])
    ws.append(["Москва", None, None, 1000])  # group row: first text column + subtotal only
    ws.append(["ООО Альфа", "Иванов", "Кофе", 600])
    ws.append(["ООО Бета", "Иванов", "Чай", 400])
    ws.append(["ООО Гамма", "Петров", "Кофе", 10])
    ws.append(["ООО Дельта", "Петров", "Сахар", 20])
    path = tmp_path / "groups.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert s.dropped == [(3, "group")]
    assert s.rows == [4, 5, 6, 7]
    assert s.frame["group_1"].tolist() == ["Москва"] * 4


def test_plain_crm_export_keeps_sparse_rows(tmp_path: Path) -> None:
    # header on row 1 (no report preamble) and no bold: a sparse row is data, not a group
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Название", "Ответственный", "Бюджет"])
    ws.append(["Сделка 1", "Иванов", 100])
    ws.append(["Сделка 2", None, 200])
    ws.append(["Сделка 3", "Петров", 300])
    ws.append(["Сделка 4", "Петров", 400])
    path = tmp_path / "deals.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert s.header_row == 1
    assert s.dropped == []
    assert s.rows == [2, 3, 4, 5]
    assert _values(s)[1] == ["Сделка 2", None, "200"]


def test_cell_values_become_faithful_text(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["int", "float", "intfloat", "datetime", "date", "bool", "text", "time"])
    ws.append(
        [
            12,
            0.1,
            1500.0,
            dt.datetime(2024, 12, 31, 14, 5, 7),
            dt.date(2024, 12, 31),
            True,
            "  x ",
            dt.time(9, 5),
        ]
    )
    ws.append([-3, 1234567.891, -0.0, dt.datetime(2024, 12, 31), None, False, "   ", None])
    path = tmp_path / "values.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert _values(s) == [
        ["12", "0.1", "1500", "2024-12-31 14:05:07", "2024-12-31", "TRUE", "  x ", "09:05:00"],
        ["-3", "1234567.891", "0", "2024-12-31", None, "FALSE", None, None],
    ]
    _assert_text_cells(s)


def test_header_names_unique_stripped_and_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "utm_source",
            "\u00a0Товар ",
            "utm_source",
            None,
            "Товар",
            "Товар",
            "Товар.2 ",
            "Сумма  сделки",
        ]
    )
    ws.append(["yandex", "Кофе", "google", "x", "Чай", "Сахар", "y", "10"])
    path = tmp_path / "amo.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert list(s.frame.columns) == [
        "utm_source",
        "Товар",
        "utm_source.2",
        "column_4",
        "Товар.3",
        "Товар.4",
        "Товар.2",
        "Сумма сделки",
    ]


def test_header_hints_choose_the_header_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Сделка", "Бюджет"])  # the real header (2 names)
    ws.append(["Альфа Бета Гамма", "Москва", "Опт", "Новый"])  # a row with more text cells
    ws.append(["Сделка 2", "100"])
    path = tmp_path / "hints.xlsx"
    wb.save(path)
    assert read_file(path)[0].header_row == 2
    s = read_file(path, header_hints=["  СДЕЛКА ", "бюджет"])[0]
    assert s.header_row == 1
    assert list(s.frame.columns) == ["Сделка", "Бюджет", "column_3", "column_4"]
    assert s.rows == [2, 3]


def test_vertical_merges_in_data_are_filled_down(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Менеджер", "Клиент", "Сумма"])
    ws.append(["Иванов", "Альфа", 1])
    ws.append([None, "Бета", 2])
    ws.append([None, "Гамма", 3])
    ws.append(["Петров", "Дельта", 4])
    ws.merge_cells("A2:A4")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert s.frame["Менеджер"].tolist() == ["Иванов", "Иванов", "Иванов", "Петров"]
    assert s.dropped == []


def test_every_sheet_with_data_is_returned(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Сделки"
    ws.append(["ID", "Сумма"])
    ws.append(["1", 10])
    wb.create_sheet("Пусто")
    only_header = wb.create_sheet("Шапка")
    only_header.append(["ID", "Сумма"])
    other = wb.create_sheet("Звонки")
    other.append([None])
    other.append(["Дата", "Менеджер"])
    other.append(["01.02.2024", "Иванов"])
    path = tmp_path / "multi.xlsx"
    wb.save(path)
    sheets = read_file(path)
    assert [(s.sheet, s.header_row, s.rows) for s in sheets] == [
        ("Сделки", 1, [2]),
        ("Звонки", 2, [3]),
    ]


_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _minimal_xlsx(path: Path, shared_strings_member: str) -> Path:
    """A 1C-like XLSX written part by part, shared strings stored under the given name."""
    parts = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": f'<Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" '
        f'Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_DOC_REL}"><sheets>'
        '<sheet name="TDSheet" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>5</v></c></row>'
        "</sheetData></worksheet>",
        shared_strings_member: f'<sst xmlns="{_MAIN_NS}" count="3" uniqueCount="3">'
        "<si><t>Клиент</t></si><si><t>Сумма</t></si><si><t>Альфа</t></si></sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml.encode("utf-8"))
    return path


def test_minimal_xlsx_with_shared_strings_reads(tmp_path: Path) -> None:
    s = read_file(_minimal_xlsx(tmp_path / "ok.xlsx", "xl/sharedStrings.xml"))[0]
    assert s.sheet == "TDSheet"
    assert _values(s) == [["Альфа", "5"]]
    assert "fixed_part_names" not in s.meta


def test_wrong_case_shared_strings_is_fixed_in_memory(tmp_path: Path) -> None:
    bad = _minimal_xlsx(tmp_path / "1c.xlsx", "xl/SharedStrings.xml")
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    with pytest.raises(KeyError):  # openpyxl alone cannot read it
        openpyxl.load_workbook(bad)
    s = read_file(bad)[0]
    assert list(s.frame.columns) == ["Клиент", "Сумма"]
    assert _values(s) == [["Альфа", "5"]]
    assert s.meta["fixed_part_names"] == ["xl/SharedStrings.xml -> xl/sharedStrings.xml"]
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1c.xlsx"]


def test_legacy_xls(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Лист1")
    bold = xlwt.easyxf("font: bold on")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    sheet.write(0, 0, "Отчет по продажам")
    sheet.write(2, 0, "Клиент")
    sheet.write(2, 1, "Сумма")
    sheet.write(2, 2, "Дата")
    sheet.write(3, 0, "Альфа")
    sheet.write(3, 1, 1500.0)
    sheet.write(3, 2, dt.datetime(2024, 12, 31), date_style)
    sheet.write(4, 0, "Бета")
    sheet.write(4, 1, 2.5)
    sheet.write(4, 2, dt.datetime(2024, 1, 2, 14, 5), date_style)
    sheet.write(5, 0, "Итого", bold)
    sheet.write(5, 1, 1502.5, bold)
    path = tmp_path / "legacy.xls"
    book.save(str(path))
    assert detect_format(path.read_bytes()) == "xls"
    s = read_file(path)[0]
    assert s.header_row == 3
    assert list(s.frame.columns) == ["Клиент", "Сумма", "Дата"]
    assert _values(s) == [["Альфа", "1500", "2024-12-31"], ["Бета", "2.5", "2024-01-02 14:05:00"]]
    assert s.rows == [4, 5]
    assert s.dropped == [(6, "total")]
    assert s.meta["title"] == "Отчет по продажам"
    assert s.meta["format"] == "xls"


# --- HTML (Bitrix24 "Excel") ------------------------------------------------------------------


BITRIX_HTML = """<html>
<head><meta http-equiv="Content-type" content="text/html;charset=windows-1251" /></head>
<body>
<table border="1">
<thead><tr><th>ID</th><th>Название</th><th>Сумма</th><th>Стадия</th></tr></thead>
<tbody>
<tr><td>101</td><td>Поставка &quot;Альфа&quot;</td><td>1&nbsp;234,50</td><td>Сделка успешна</td></tr>
<tr><td>102</td><td>Монтаж<br/>и наладка</td><td></td><td>В работе</td></tr>
<tr><td colspan="2">Итого</td><td>1 234,50</td><td></td></tr>
</tbody></table></body></html>
"""


def test_bitrix_html_disguised_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "deals.xls"
    path.write_bytes(BITRIX_HTML.encode("cp1251"))
    assert detect_format(path.read_bytes()) == "html"
    s = read_file(path)[0]
    assert s.sheet is None
    assert list(s.frame.columns) == ["ID", "Название", "Сумма", "Стадия"]
    assert _values(s) == [
        ["101", 'Поставка "Альфа"', "1 234,50", "Сделка успешна"],
        ["102", "Монтаж\nи наладка", None, "В работе"],
    ]
    assert s.rows == [2, 3]
    assert s.dropped == [(4, "total")]
    assert s.meta["encoding"] == "windows-1251"
    _assert_text_cells(s)


# --- CSV ------------------------------------------------------------------------------------


def test_cp1251_semicolon_csv(tmp_path: Path) -> None:
    text = (
        "Контрагент;Менеджер;Сумма;Дата\r\n"
        'ООО "Альфа";Иванов;1 234,50;31.12.2024\r\n'
        '"Бета; филиал";Петров;;01.02.2024\r\n'
        "\r\n"
        "Итого;;1 234,50;\r\n"
    )
    path = tmp_path / "sales.csv"
    path.write_bytes(text.encode("cp1251"))
    s = read_file(path)[0]
    assert s.meta["encoding"] == "cp1251"
    assert s.meta["delimiter"] == ";"
    assert list(s.frame.columns) == ["Контрагент", "Менеджер", "Сумма", "Дата"]
    assert _values(s) == [
        ['ООО "Альфа"', "Иванов", "1 234,50", "31.12.2024"],
        ["Бета; филиал", "Петров", None, "01.02.2024"],
    ]
    assert s.rows == [2, 3]
    assert s.dropped == [(4, "blank"), (5, "total")]


def test_bom_tab_separated(tmp_path: Path) -> None:
    text = "Имя\tТелефон\tКомментарий\nИванов\t+7 900 000-00-00\tперезвонить, завтра\nПетров\t\t\n"
    path = tmp_path / "contacts.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    s = read_file(path)[0]
    assert s.meta["encoding"] == "utf-8-sig"
    assert s.meta["delimiter"] == "\t"
    assert list(s.frame.columns) == ["Имя", "Телефон", "Комментарий"]
    assert _values(s) == [
        ["Иванов", "+7 900 000-00-00", "перезвонить, завтра"],
        ["Петров", None, None],
    ]
    assert s.rows == [2, 3]


def test_backslash_escaped_quotes_with_embedded_newlines(tmp_path: Path) -> None:
    text = (
        "ID,Название,Комментарий,Сумма\n"
        '1,"Сделка \\"Альфа\\"","первая строка\nвторая строка",100\n'
        '2,Бета,"три\nстроки\nтут",200\n'
        '3,"Гамма, \\"ООО\\"",,300\n'
    )
    path = tmp_path / "bitrix.csv"
    path.write_text(text, encoding="utf-8")
    s = read_file(path)[0]
    assert s.meta["escapechar"] == "\\"
    assert _values(s) == [
        ["1", 'Сделка "Альфа"', "первая строка\nвторая строка", "100"],
        ["2", "Бета", "три\nстроки\nтут", "200"],
        ["3", 'Гамма, "ООО"', None, "300"],
    ]
    assert s.rows == [2, 4, 7]


def test_doubled_quotes_and_crlf_embedded_newlines(tmp_path: Path) -> None:
    text = 'a,b\r\n"x ""q""","1\r\n2"\r\n\r\ny,3\r\n'
    path = tmp_path / "quotes.csv"
    path.write_bytes(text.encode("utf-8"))
    s = read_file(path)[0]
    assert s.meta["escapechar"] is None
    assert s.frame["a"].tolist() == ['x "q"', "y"]
    assert s.frame["b"].str.replace("\r", "").tolist() == ["1\n2", "3"]
    assert s.rows == [2, 5]
    assert s.dropped == [(4, "blank")]


def test_csv_rows_longer_than_the_first_lines(tmp_path: Path) -> None:
    lines = ["a,b"] + [f"{i},{i}" for i in range(60)] + ["x,y,z"]
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = read_file(path)[0]
    assert list(s.frame.columns) == ["a", "b", "column_3"]
    assert s.frame.iloc[-1].tolist() == ["x", "y", "z"]
    assert s.frame["column_3"].iloc[0] is None
    assert s.rows[-1] == 62


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Клиент\tСумма\r\nАльфа\t10\r\n".encode("utf-16"))
    s = read_file(path)[0]
    assert s.meta["encoding"] == "utf-16"
    assert _values(s) == [["Альфа", "10"]]


def test_format_is_detected_by_content_not_extension(tmp_path: Path) -> None:
    csv_as_xlsx = tmp_path / "export.xlsx"
    csv_as_xlsx.write_text("a;b\n1;2\n", encoding="utf-8")
    assert _values(read_file(csv_as_xlsx)[0]) == [["1", "2"]]
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    xlsx_as_csv = tmp_path / "export.csv"
    wb.save(xlsx_as_csv)
    assert _values(read_file(xlsx_as_csv)[0]) == [["1", "2"]]


def test_one_column_csv(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("Телефон\n+79000000000\n+79000000001\n", encoding="utf-8")
    s = read_file(path)[0]
    assert list(s.frame.columns) == ["Телефон"]
    assert s.rows == [2, 3]


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Итого", True),
        ("ИТОГО:", True),
        ("Итого по менеджеру Иванов", True),
        ("  всего", True),
        ("Total", True),
        ("Grand total", True),
        ("Итоги", True),
        ("Итоговый отчет", False),
        ("Всеволод", False),
        ("Totally new", False),
        ("", False),
        (None, False),
        (5, False),
    ],
)
def test_is_total_label(text: object, expected: bool) -> None:
    assert is_total_label(text) is expected


def test_normalize_header() -> None:
    assert normalize_header("\u00a0 Сумма \n сделки\u202f") == "Сумма сделки"
    assert normalize_header(None) == ""


def test_detect_format_by_magic_bytes() -> None:
    assert detect_format(b"PK\x03\x04rest") == "xlsx"
    assert (
        detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le")) == "xls"
    )
    assert detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 EncryptionInfo") == "encrypted"
    assert (
        detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"))
        == "ole2"
    )
    assert detect_format(b"%PDF-1.7") == "binary:a PDF document"
    assert detect_format(b"\n\n<TABLE><tr><td>1</td></tr></TABLE>") == "html"
    assert detect_format(b"a;b\n1;2\n") == "text"


# --- client folder / YAML --------------------------------------------------------------------


def test_open_client_folder(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "crm").mkdir(parents=True)
    (raw / "deals.xlsx").write_bytes(b"deals")
    (raw / "crm" / "calls.csv").write_bytes(b"calls")
    (raw / "~$deals.xlsx").write_bytes(b"lock")
    (raw / ".DS_Store").write_bytes(b"x")
    (raw / "README.md").write_text("notes")
    (tmp_path / "mapping.yaml").write_text("files: {}\n")
    (tmp_path / "answers.yaml").write_text("answers: {}\n")
    folder = open_client_folder(tmp_path)
    assert isinstance(folder, ClientFolder)
    assert folder.root == tmp_path
    assert folder.raw_files == [raw / "crm" / "calls.csv", raw / "deals.xlsx"]
    assert folder.mapping_path == tmp_path / "mapping.yaml"
    assert folder.answers_path == tmp_path / "answers.yaml"
    assert folder.report_settings_path is None
    assert folder.hashes == {
        "raw/crm/calls.csv": hashlib.sha256(b"calls").hexdigest(),
        "raw/deals.xlsx": hashlib.sha256(b"deals").hexdigest(),
        "mapping.yaml": hashlib.sha256(b"files: {}\n").hexdigest(),
        "answers.yaml": hashlib.sha256(b"answers: {}\n").hexdigest(),
    }
    assert file_sha256(raw / "deals.xlsx") == hashlib.sha256(b"deals").hexdigest()


def test_read_yaml(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("files:\n  deals.xlsx: deals\nлимит: 5\n", encoding="utf-8")
    assert read_yaml(path) == {"files": {"deals.xlsx": "deals"}, "лимит": 5}
    empty = tmp_path / "e.yaml"
    empty.write_text("")
    assert read_yaml(empty) is None


def test_header_detection_title_above_single_column(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text("Телефоны клиентов\n\nТелефон\n+7 900 000-00-01\n+7 900 000-00-02\n", "utf-8")
    s = read_file(path)[0]
    assert s.header_row == 3
    assert s.meta["title"] == "Телефоны клиентов"
    assert s.frame["Телефон"].tolist() == ["+7 900 000-00-01", "+7 900 000-00-02"]
    assert s.rows == [4, 5]


def test_header_with_repeated_names_beats_richer_data_rows(tmp_path: Path) -> None:
    # amoCRM repeats "Товар": the header has 5 text cells, 3 distinct; data rows have 4 distinct
    path = tmp_path / "amo.csv"
    path.write_text(
        "ID,Товар,Товар,Товар,Сделка\n1,Кофе,Чай,Сахар,Поставка\n2,Соль,,,Монтаж\n", "utf-8"
    )
    s = read_file(path)[0]
    assert s.header_row == 1
    assert list(s.frame.columns) == ["ID", "Товар", "Товар.2", "Товар.3", "Сделка"]


def test_plan_sheet_with_date_headers_under_a_title(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["План продаж на 2024 год"])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(
        ["Менеджер", dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1), dt.datetime(2024, 3, 1)]
    )
    ws.append(["Иванов", 100, 110, 120])
    ws.append(["Петров", 200, 210, 220])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    s = read_file(path)[0]
    assert s.header_row == 3
    assert list(s.frame.columns) == ["Менеджер", "2024-01-01", "2024-02-01", "2024-03-01"]
    assert _values(s) == [["Иванов", "100", "110", "120"], ["Петров", "200", "210", "220"]]
    assert s.meta["title"] == "План продаж на 2024 год"


# --- property: what the csv module writes, read_file reads back ------------------------------

_CELL_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ019 ,;\t\"'\nЖжЯяёЁ-.:()№")), max_size=12)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(min_value=2, max_value=5),
    records=st.lists(st.lists(_CELL_TEXT, min_size=4, max_size=4), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_csv_round_trip(
    tmp_path: Path, width: int, records: list[list[str]], delimiter: str, encoding: str
) -> None:
    header = [f"c{j}" for j in range(width)]
    rows = [[str(i)] + rec[: width - 1] for i, rec in enumerate(records, start=1)]
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / f"round_{width}_{len(records)}_{ord(delimiter)}_{encoding}.csv"
    path.write_bytes(buf.getvalue().encode(encoding))
    s = read_file(path)[0]
    assert s.meta["delimiter"] == delimiter
    assert list(s.frame.columns) == header
    assert _values(s) == [[v if v != "" else None for v in r] for r in rows]
    expected_lines, line = [], 2
    for r in rows:
        expected_lines.append(line)
        line += 1 + sum(v.count("\n") for v in r)
    assert s.rows == expected_lines


def test_big_xlsx_streaming_mode_reads_the_same_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesaudit.io import _excel

    path = _one_c_report(tmp_path / "report.xlsx")
    monkeypatch.setattr(_excel, "STREAMING_SIZE", 0)  # pretend the file is big
    s = read_file(path)[0]
    # merged cells come from scanning the sheet XML, fonts from the read-only cells
    assert s.header_row == 8
    assert list(s.frame.columns) == [
        "Менеджер",
        "Контрагент",
        "Продажи Количество",
        "Продажи Сумма",
        "Дата",
        "group_1",
    ]
    assert s.frame["Контрагент"].tolist() == ["ООО Альфа", "ООО Бета", "ИП Гамма"]
    assert s.rows == [10, 11, 13]
    assert s.dropped == [(9, "group"), (12, "group"), (14, "blank"), (15, "total")]


def test_big_xlsx_streaming_mode_reads_outline_levels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from salesaudit.io import _excel

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Номенклатура", "Сумма"])
    for r, (name, amount, level) in enumerate(
        [("Иванов", 300, 1), ("Кофе", 100, 2), ("Чай", 200, 2)], start=2
    ):
        ws.append([name, amount])
        ws.row_dimensions[r].outline_level = level
    path = tmp_path / "outline.xlsx"
    wb.save(path)
    monkeypatch.setattr(_excel, "STREAMING_SIZE", 0)
    s = read_file(path)[0]
    assert s.dropped == [(2, "group")]
    assert _values(s) == [["Кофе", "100", "Иванов"], ["Чай", "200", "Иванов"]]


def test_html_with_several_tables_and_spans(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        "<table><tr><th>Клиент</th><th>Сумма</th></tr>"
        "<tr><td rowspan='2'>Альфа</td><td>10</td></tr><tr><td>20</td></tr></table>"
        "<p>between</p>"
        "<table><tr><th colspan='2'>Период</th></tr>"
        "<tr><th>Месяц</th><th>План</th></tr><tr><td>Январь</td><td>5</td></tr></table>"
        "</body></html>"
    )
    path = tmp_path / "two.xls"
    path.write_text(html, encoding="utf-8")
    first, second = read_file(path)
    assert first.sheet == "table 1"
    assert _values(first) == [["Альфа", "10"], ["Альфа", "20"]]
    assert first.rows == [2, 3]
    assert second.sheet == "table 2"
    assert list(second.frame.columns) == ["Период Месяц", "Период План"]
    assert _values(second) == [["Январь", "5"]]
    assert second.header_row == 2


def test_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nИмя;Сумма, руб\nАльфа;1,5\nБета;2\n", encoding="utf-8")
    s = read_file(path)[0]
    assert s.meta["delimiter"] == ";"
    assert s.header_row == 2
    assert list(s.frame.columns) == ["Имя", "Сумма, руб"]
    assert _values(s) == [["Альфа", "1,5"], ["Бета", "2"]]
    assert s.rows == [3, 4]
    assert "title" not in s.meta
