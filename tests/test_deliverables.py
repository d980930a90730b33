"""Client deliverables: every XLSX keeps text as text; the report's tables workbook; the DOCX;
the PDF through WeasyPrint or a system Chromium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.io.interview_sheet import read_interview_sheet, write_interview_sheet
from salesaudit.io.xlsx_safe import excel_value, formula_cells, save_workbook, set_value
from salesaudit.scoring.checklist import build_checklist

ROOT = Path(__file__).resolve().parents[1]
RISKY = ["=1+1", '=HYPERLINK("http://example.com","x")', "+7 900", "-5 %", "@SUM(A1)", "\tTab"]


def test_set_value_keeps_text_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i, v in enumerate(RISKY, start=1):
        set_value(ws.cell(row=i, column=1), v)
    ws["B1"] = "=2+2"  # written past the helper: the last pass before saving catches it
    ws["B2"] = "#N/A"
    set_value(ws["C1"], np.int64(7))
    set_value(ws["C2"], np.float64(2.5))
    set_value(ws["C3"], pd.Timestamp("2025-03-04 09:15"))
    set_value(ws["C4"], float("nan"))
    set_value(ws["C5"], pd.NaT)
    set_value(ws["C6"], np.bool_(True))
    set_value(ws["C7"], "x" * 40000)
    out = save_workbook(wb, tmp_path / "t.xlsx", what="a test file")
    wb2 = load_workbook(out)
    ws2 = wb2.active
    assert formula_cells(wb2) == []
    assert [ws2.cell(row=i, column=1).value for i in range(1, 7)] == RISKY
    assert all(ws2.cell(row=i, column=1).data_type == "s" for i in range(1, 7))
    assert all(ws2.cell(row=i, column=1).quotePrefix for i in range(1, 7))
    assert (ws2["B1"].value, ws2["B1"].data_type, ws2["B1"].quotePrefix) == ("=2+2", "s", True)
    assert (ws2["B2"].value, ws2["B2"].data_type) == ("#N/A", "s")
    assert (ws2["C1"].value, ws2["C1"].data_type) == (7, "n")
    assert ws2["C2"].value == 2.5
    assert ws2["C3"].value == dt.datetime(2025, 3, 4, 9, 15) and ws2["C3"].data_type == "d"
    assert ws2["C4"].value is None and ws2["C5"].value is None
    assert ws2["C6"].value is True
    assert len(ws2["C7"].value) == 32767 and ws2["C7"].value.endswith("…")
    assert excel_value("a\x00b\x07c") == "abc"


def test_interview_sheet_notes_stay_text(tmp_path: Path) -> None:
    checklist = build_checklist(read_checklist_dir(ROOT / "checklist"))
    ids = [q.id for q in checklist.questions][: len(RISKY)]
    answers = {q: {"answer": "yes", "note": note} for q, note in zip(ids, RISKY, strict=True)}
    path = write_interview_sheet(checklist, tmp_path / "s.xlsx", answers=answers)
    wb = load_workbook(path)
    assert formula_cells(wb) == []
    ws = wb["Interview"]
    notes = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=6)
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=1).value in ids
    }
    assert [notes[q].value for q in ids] == RISKY
    assert {notes[q].data_type for q in ids} == {"s"}
    back = read_interview_sheet(path)["answers"]
    assert [back[q]["note"] for q in ids] == RISKY
