"""The interview sheet: an XLSX the consultant fills in during the interview with the director.

One row per checklist question, grouped by area (an area title row, then its questions as an
outline group), with an answer column restricted by a drop-down (Да / Частично / Нет / Не знаю or
yes / partly / no / unknown), a notes column, readable widths and a frozen header.
:func:`read_interview_sheet` reads a filled sheet back into the raw answers structure.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from salesaudit.errors import InputFileError
from salesaudit.io.xlsx_safe import save_workbook, set_value

SHEET = "Interview"
#: answer labels per language, canonical order yes / partly / no / unknown
LABELS: dict[str, dict[str, str]] = {
    "ru": {"yes": "Да", "partly": "Частично", "no": "Нет", "unknown": "Не знаю"},
    "en": {"yes": "yes", "partly": "partly", "no": "no", "unknown": "unknown"},
}
HEADERS: dict[str, list[str]] = {
    "ru": [
        "ID",
        "Область",
        "Вопрос",
        "Подсказка (что спросить, что проверить)",
        "Ответ",
        "Заметки",
    ],
    "en": ["ID", "Area", "Question", "Hint (what to ask, what to check)", "Answer", "Notes"],
}
WIDTHS = [10, 8, 60, 55, 13, 45]
ABOUT_TITLE = {"ru": "Как заполнять", "en": "How to fill in"}
ABOUT = {
    "ru": [
        "Интервью с руководителем: как заполнять лист Interview",
        "Для каждого вопроса выберите ответ в столбце «Ответ»: Да / Частично / Нет / Не знаю.",
        "«Не знаю» и пустой ответ не влияют на оценку, но снижают её достоверность.",
        "В «Заметки» запишите факты: что показали, какие документы видели, цифры.",
        "Не меняйте столбец ID: по нему ответы связываются с чек-листом.",
        "Сохраните файл как answers.xlsx в папке клиента (или перенесите ответы в answers.yaml).",
    ],
    "en": [
        "Director interview: how to fill in the Interview sheet",
        "For each question choose an answer in the Answer column: yes / partly / no / unknown.",
        "'unknown' and blank answers do not change the score but lower its confidence.",
        "Write facts into Notes: what you were shown, which documents you saw, figures.",
        "Do not change the ID column: it links the answers to the checklist.",
        "Save the file as answers.xlsx in the client folder (or copy the answers to answers.yaml).",
    ],
}
COL_ID, COL_ANSWER, COL_NOTE = 1, 5, 6
_AREA_FILL = PatternFill("solid", fgColor="DDE6F0")
_HEAD_FILL = PatternFill("solid", fgColor="1F3B57")


def _build(checklist: Any, lang: str, answers: dict[str, Any]) -> Workbook:
    if lang not in LABELS:
        raise InputFileError(f"unknown language {lang!r}", hint="use ru or en")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS[lang])
    for c in range(1, len(WIDTHS) + 1):
        cell = ws.cell(row=1, column=c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = w
    ws.freeze_panes = "A2"
    labels = LABELS[lang]
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(labels[v] for v in ("yes", "partly", "no", "unknown")) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ответ" if lang == "ru" else "Answer",
        error=("Выберите: " if lang == "ru" else "Choose: ") + ", ".join(labels.values()),
    )
    ws.add_data_validation(dv)
    row = 2
    for area in checklist.areas:
        ws.cell(row=row, column=1, value=area.id)
        ws.cell(row=row, column=2, value=area.id)
        ws.cell(row=row, column=3, value=area.title[lang])
        for c in range(1, len(WIDTHS) + 1):
            ws.cell(row=row, column=c).fill = _AREA_FILL
            ws.cell(row=row, column=c).font = Font(bold=True)
        row += 1
        for q in checklist.questions:
            if q.area != area.id:
                continue
            given = answers.get(q.id) or {}
            value = given.get("answer") if isinstance(given, dict) else given
            note = given.get("note") if isinstance(given, dict) else None
            ws.cell(row=row, column=COL_ID, value=q.id)
            ws.cell(row=row, column=2, value=q.area)
            ws.cell(row=row, column=3, value=q.text[lang])
            ws.cell(row=row, column=4, value=q.hint[lang])
            ws.cell(row=row, column=COL_ANSWER, value=labels.get(value))
            set_value(ws.cell(row=row, column=COL_NOTE), note)
            for c in (3, 4, COL_NOTE):
                ws.cell(row=row, column=c).alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(row=row, column=COL_ANSWER).fill = PatternFill("solid", fgColor="FFF7D6")
            ws.row_dimensions[row].outline_level = 1
            dv.add(ws.cell(row=row, column=COL_ANSWER))
            row += 1
    ws.sheet_properties.outlinePr.summaryBelow = False
    ws.auto_filter.ref = f"A1:F{max(row - 1, 1)}"
    about = wb.create_sheet(ABOUT_TITLE[lang])
    about.column_dimensions["A"].width = 110
    for line in ABOUT[lang]:
        about.append([line])
    about["A1"].font = Font(bold=True)
    return wb


def write_interview_sheet(
    checklist: Any,
    path: str | Path,
    *,
    lang: str = "ru",
    answers: dict[str, Any] | None = None,
) -> Path:
    """Write the interview sheet for ``checklist`` to ``path`` (atomically) and return the path.

    ``checklist`` is a :class:`salesaudit.scoring.checklist.Checklist`; ``answers`` (optional)
    prefills the sheet: ``{question id: {"answer": yes|partly|no|unknown, "note": str}}`` (as
    ``Answers.to_dict()`` gives).
    """
    wb = _build(checklist, lang, answers or {})
    # every text cell (question texts, prefilled notes) is stored as text, never a formula
    return save_workbook(wb, path, what="the interview sheet")


def read_interview_sheet(path: str | Path) -> dict[str, Any]:
    """Read a filled interview sheet: ``{"source": file, "answers": {id: {answer, note, row}}}``.

    Area title rows and blank rows are skipped; answers keep the sheet's label (validation and
    mapping to yes/partly/no/unknown happen in :func:`salesaudit.scoring.answers.validate_answers`).
    """
    return read_interview_sheet_hashed(path)[0]


def read_interview_sheet_hashed(path: str | Path) -> tuple[dict[str, Any], str]:
    """:func:`read_interview_sheet` plus the SHA-256 of the bytes read (the file is read once
    into memory and parsed from there)."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError("interview sheet not found", file=p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"cannot read the interview sheet ({exc.strerror})",
            file=p,
            hint="check that the file is not open elsewhere and that you may read it",
        ) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile):
        raise InputFileError(
            "cannot open the interview sheet as XLSX (the file is not an Excel workbook)",
            file=p,
            hint="use the sheet written by `salesaudit interview-sheet`, saved as an Excel "
            "workbook (.xlsx), or answers.yaml",
        ) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        answers: dict[str, Any] = {}
        duplicates: list[dict[str, Any]] = []
        for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if n == 1 or not values:
                continue
            cells = list(values) + [None] * (COL_NOTE - len(values))
            qid = cells[COL_ID - 1]
            if qid is None or str(qid).strip() == "":
                continue
            qid = str(qid).strip()
            if "." not in qid:  # an area title row
                continue
            if qid in answers:
                duplicates.append({"id": qid, "row": n, "first_row": answers[qid]["row"]})
                continue
            answer = cells[COL_ANSWER - 1]
            note = cells[COL_NOTE - 1]
            answers[qid] = {
                "answer": None if answer is None else str(answer),
                "note": None if note is None else str(note),
                "row": n,
            }
    finally:
        wb.close()
    sha = hashlib.sha256(data).hexdigest()
    return {"source": str(p), "answers": answers, "duplicates": duplicates}, sha
