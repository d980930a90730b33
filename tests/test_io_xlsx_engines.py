"""The fast reading paths give exactly what the reference paths give.

- XLSX: python-calamine (values) + a scan of the sheet XML (merges, outline levels, bold) versus
  openpyxl, on 1C-style fixtures built here; and the fallback when calamine is not installed.
- CSV: the joined-buffer newline count used for source line numbers.
- readers: the per-distinct-value text mask used by the group-row heuristics.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.styles import Font
from salesaudit.io import RawSheet, _excel, read_file
from salesaudit.io._csv import _newline_counts
from salesaudit.io.readers import _text_mask

pytest.importorskip("python_calamine")


def _one_c_workbook(path: Path) -> Path:
    """A 1C report: preamble, two-row merged header, bold group rows, outline levels on the
    second sheet, a hidden sheet, a styled blank row at the end, all value types."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Продажи"
    ws["A1"] = "Валовая прибыль по менеджерам"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Период: 01.01.2024 - 31.03.2024"
    ws["A3"] = "Отборы:"
    ws["A4"] = 'Организация Равно "Ромашка"'
    ws["A6"] = "Менеджер"
    ws["B6"] = "Контрагент"
    ws["C6"] = "Продажи"
    ws.merge_cells("C6:D6")
    ws["E6"] = "Дата"
    ws["F6"] = "Оплачено"
    ws["C7"] = "Количество"
    ws["D7"] = " Сумма\u00a0 "
    for rng in ("A6:A7", "B6:B7", "E6:E7", "F6:F7"):
        ws.merge_cells(rng)
    rows = [
        ("Иванов И.И.", None, 10, 1500.5, None, None, True),
        ("Иванов И.И.", "ООО Альфа", 4, 500.0, dt.datetime(2024, 1, 5), True, False),
        ("Иванов И.И.", "ООО Бета", 6, 1000.25, dt.datetime(2024, 1, 6, 14, 5), False, False),
        ("Петров П.П.", None, 1, 99.0, None, None, True),
        ("Петров П.П.", "ИП Гамма", 1, 0.1, dt.date(2024, 2, 1), None, False),
        ("Петров П.П.", "  ", 12345678, -3.5e-7, dt.time(9, 30), None, False),
        (None, None, None, None, None, None, False),
        ("Итого", None, 11, 1599.5, None, None, True),
    ]
    for r, (a, b, c, d, e, f, bold) in enumerate(rows, start=8):
        for col, value in enumerate((a, b, c, d, e, f), start=1):
            ws.cell(r, col, value)
        if bold:
            ws.cell(r, 1).font = Font(bold=True)
    ws.cell(20, 3).font = Font(italic=True)  # styled but empty: part of openpyxl's extent

    outline = wb.create_sheet("Номенклатура")
    outline.append(["Отчет"])
    outline.append([])
    outline.append(["Номенклатура", "Количество", "Сумма"])
    for r, (name, qty, amount, level) in enumerate(
        [("Иванов", 3, 300, 1), ("Кофе", 1, 100, 2), ("Чай", 2, 200, 2), ("Петров", 5, 50, 1)],
        start=4,
    ):
        outline.append([name, qty, amount])
        outline.row_dimensions[r].outline_level = level
    outline.append(["Сахар", 5, 50])
    outline.row_dimensions[8].outline_level = 2

    hidden = wb.create_sheet("Скрытый")
    hidden.append(["Код", "Название"])
    hidden.append(["1", "Опт"])
    hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, *, calamine: bool) -> list[RawSheet]:
    monkeypatch.setattr(_excel, "CALAMINE_SIZE", -1 if calamine else 1 << 60)
    return read_file(path)


def _same(a: list[RawSheet], b: list[RawSheet]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert (x.sheet, x.header_row, x.rows, x.dropped, x.meta) == (
            y.sheet,
            y.header_row,
            y.rows,
            y.dropped,
            y.meta,
        )
        assert list(x.frame.columns) == list(y.frame.columns)
        assert x.frame.to_numpy().tolist() == y.frame.to_numpy().tolist()


def test_calamine_and_openpyxl_give_identical_raw_sheets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_c_workbook(tmp_path / "1c.xlsx")
    used: list[bool] = []
    real = _excel._read_xlsx_calamine
    monkeypatch.setattr(
        _excel, "_read_xlsx_calamine", lambda buf, p: used.append(True) or real(buf, p)
    )
    fast = _read(path, monkeypatch, calamine=True)
    assert used == [True]
    slow = _read(path, monkeypatch, calamine=False)
    assert used == [True]  # the reference read did not go through calamine
    _same(fast, slow)

    sales, nomenclature, hidden = fast
    assert sales.header_row == 7
    assert list(sales.frame.columns) == [
        "Менеджер",
        "Контрагент",
        "Продажи Количество",
        "Продажи Сумма",
        "Дата",
        "Оплачено",
        "group_1",
    ]
    assert sales.frame.to_numpy().tolist() == [
        ["Иванов И.И.", "ООО Альфа", "4", "500", "2024-01-05", "TRUE", "Иванов И.И."],
        ["Иванов И.И.", "ООО Бета", "6", "1000.25", "2024-01-06 14:05:00", "FALSE", "Иванов И.И."],
        ["Петров П.П.", "ИП Гамма", "1", "0.1", "2024-02-01", None, "Петров П.П."],
        ["Петров П.П.", None, "12345678", "-3.5e-07", "09:30:00", None, "Петров П.П."],
    ]
    assert sales.rows == [9, 10, 12, 13]
    assert sales.dropped == [(8, "group"), (11, "group"), (14, "blank"), (15, "total")] + [
        (r, "blank") for r in range(16, 21)
    ]
    assert sales.meta["period"] == "01.01.2024 - 31.03.2024"
    assert nomenclature.frame.to_numpy().tolist() == [
        ["Кофе", "1", "100", "Иванов"],
        ["Чай", "2", "200", "Иванов"],
        ["Сахар", "5", "50", "Петров"],
    ]
    assert nomenclature.dropped == [(4, "group"), (7, "group")]
    assert hidden.meta["hidden"] is True


def test_streaming_openpyxl_and_calamine_agree_on_outline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_c_workbook(tmp_path / "1c.xlsx")
    fast = _read(path, monkeypatch, calamine=True)
    monkeypatch.setattr(_excel, "STREAMING_SIZE", 0)  # openpyxl read-only + XML scan
    streamed = _read(path, monkeypatch, calamine=False)
    assert [s.dropped for s in fast[1:]] == [s.dropped for s in streamed[1:]]
    assert [s.frame.to_numpy().tolist() for s in fast[1:]] == [
        s.frame.to_numpy().tolist() for s in streamed[1:]
    ]


def test_without_calamine_the_reader_falls_back_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_c_workbook(tmp_path / "1c.xlsx")
    reference = _read(path, monkeypatch, calamine=False)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import raises ImportError
    assert _excel._calamine_available() is False
    monkeypatch.setattr(_excel, "CALAMINE_SIZE", -1)
    _same(read_file(path), reference)


def test_bold_style_on_unstyled_cells_falls_back_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_c_workbook(tmp_path / "1c.xlsx")
    monkeypatch.setattr(_excel, "_bold_styles", lambda zf: {0, 1})
    data = path.read_bytes()
    zf = _excel.open_zip(data, path)
    buf, _ = _excel.fix_part_name_case(zf, data)
    assert _excel._read_xlsx_calamine(buf, path) is None


def test_scan_finds_bold_cells_last_row_and_outline(tmp_path: Path) -> None:
    path = _one_c_workbook(tmp_path / "1c.xlsx")
    data = path.read_bytes()
    zf = _excel.open_zip(data, path)
    buf, _ = _excel.fix_part_name_case(zf, data)
    sheets = _excel._workbook_sheets(zipfile_of(buf))
    assert [(name, state) for name, state, _ in sheets] == [
        ("Продажи", "visible"),
        ("Номенклатура", "visible"),
        ("Скрытый", "hidden"),
    ]
    bold_ids = _excel._bold_styles(zipfile_of(buf))
    scan = _excel._scan_sheet_xml(buf, sheets[0][2], None, bold_ids=bold_ids)
    assert scan is not None
    assert sorted(scan.bold_cells) == [(7, 0), (10, 0), (14, 0)]
    assert scan.last_row == 20
    assert (0, 0, 0, 5) in scan.merged and (5, 2, 5, 3) in scan.merged
    outline = _excel._scan_sheet_xml(buf, sheets[1][2], None)
    assert outline is not None
    assert outline.outline.tolist() == [0, 0, 0, 1, 2, 2, 1, 2]


def zipfile_of(buf: object) -> object:
    import zipfile

    return zipfile.ZipFile(buf)  # type: ignore[arg-type]


def test_newline_counts() -> None:
    assert _newline_counts(["a\nb", "", "\n\n", "x"]).tolist() == [1, 0, 2, 0]
    assert _newline_counts(["ж\nё\n", "я", "\r\n"]).tolist() == [2, 0, 1]
    assert _newline_counts(["no", "breaks"]).tolist() == [0, 0]
    assert _newline_counts([]).tolist() == []
    assert _newline_counts(["a\x00\n", "\n\n"]).tolist() == [1, 2]  # NUL inside: one by one


def test_text_mask_per_distinct_value() -> None:
    values = np.array(["Москва", None, "1 000", "Москва", "2024-01-05", " ", "Итого"], dtype=object)
    assert _text_mask(values).tolist() == [True, False, False, True, False, True, True]
    assert _text_mask(np.array([None, None], dtype=object)).tolist() == [False, False]


def test_a_workbook_calamine_cannot_read_goes_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_calamine

    path = _one_c_workbook(tmp_path / "1c.xlsx")
    reference = _read(path, monkeypatch, calamine=False)

    calls: list[bool] = []

    def refuse(_buf: object) -> None:
        calls.append(True)
        raise python_calamine.CalamineError("unsupported")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    _same(_read(path, monkeypatch, calamine=True), reference)
    assert calls == [True]


def test_a_sheet_starting_at_c3_keeps_its_positions(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"] = "Клиент", "Сумма"
    ws["C4"], ws["D4"] = "А", 5
    ws["C5"], ws["D5"] = "Б", 6.5
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    data = path.read_bytes()
    fast = _excel.read_xlsx(data, path, engine="calamine")[0]
    slow = _excel.read_xlsx(data, path, engine="openpyxl")[0]
    expected = [[None] * 4, [None] * 4, [None, None, "Клиент", "Сумма"]]
    expected += [[None, None, "А", "5"], [None, None, "Б", "6.5"]]
    assert fast.cells.to_numpy().tolist() == expected
    assert slow.cells.to_numpy().tolist() == expected
    assert fast.rows.tolist() == slow.rows.tolist() == [1, 2, 3, 4, 5]
    assert fast.bold.tolist() == slow.bold.tolist()
    assert fast.outline.tolist() == slow.outline.tolist() == [0] * 5
