"""Write the verification-call sample (выборочный обзвон) to an XLSX sheet for the director."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from salesaudit.errors import InputFileError, ParameterError

__all__ = ["write_verification_xlsx", "VERIFICATION_CHOICES", "HEADERS"]

#: drop-down values of the result column, per language
VERIFICATION_CHOICES = {
    "ru": ("Подтвердил", "Не подтвердил", "Не дозвонились"),
    "en": ("Confirmed", "Not confirmed", "No answer"),
}
#: sample column -> (ru header, en header, width)
HEADERS: dict[str, tuple[str, str, int]] = {
    "manager_name": ("Менеджер", "Manager", 24),
    "occurred_at": ("Дата встречи", "Meeting date", 17),
    "client_name": ("Клиент", "Client", 30),
    "contact_person": ("Контактное лицо", "Contact person", 26),
    "phone": ("Телефон", "Phone", 18),
    "email": ("E-mail", "E-mail", 26),
    "comment": ("Комментарий менеджера", "Manager's comment", 36),
    "suspicion_level": ("Уровень подозрения", "Suspicion level", 14),
    "activity_id": ("ID встречи", "Meeting id", 14),
}
_EXTRA = {"ru": ("Результат проверки", "Комментарий"), "en": ("Verification result", "Comment")}
_LEVELS = {"ru": {"high": "высокий", "medium": "средний", "low": "низкий"}}
_SHEET = {"ru": "Обзвон", "en": "Verification"}


def _cell(v: object) -> object:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


def write_verification_xlsx(sample: pd.DataFrame, path: str | Path, *, lang: str = "ru") -> Path:
    """Write the sample of :func:`salesaudit.analytics.verification_sample` to ``path``.

    One sheet with a bold frozen header in ``lang`` ('ru' or 'en'), set column widths, a
    'Результат проверки' column with a drop-down (Подтвердил / Не подтвердил / Не дозвонились)
    and an empty 'Комментарий' column. Columns of the sample that are absent are skipped. The
    file is written to a temporary file next to ``path`` and moved into place. Returns the path.
    """
    if lang not in VERIFICATION_CHOICES:
        raise ParameterError(f"unknown language {lang!r}", column="lang", hint="use 'ru' or 'en'")
    path = Path(path)
    cols = [c for c in HEADERS if c in sample.columns]
    if not cols:
        raise ParameterError(
            "the verification sample has none of the expected columns",
            hint="pass the main table of analytics.verification_sample",
        )
    i = 0 if lang == "ru" else 1
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET[lang]
    headers = [HEADERS[c][i] for c in cols] + list(_EXTRA[lang])
    ws.append(headers)
    levels = _LEVELS.get(lang, {})
    for row in sample[cols].itertuples(index=False, name=None):
        values = [_cell(v) for v in row]
        if "suspicion_level" in cols:
            k = cols.index("suspicion_level")
            values[k] = levels.get(values[k], values[k])
        ws.append([*values, None, None])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [HEADERS[c][2] for c in cols] + [22, 40]
    for n, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=n).column_letter].width = w
    if "occurred_at" in cols:
        letter = ws.cell(row=1, column=cols.index("occurred_at") + 1).column_letter
        for cell in ws[letter][1:]:
            cell.number_format = "DD.MM.YYYY HH:MM"
    result_col = ws.cell(row=1, column=len(cols) + 1).column_letter
    choices = ",".join(VERIFICATION_CHOICES[lang])
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    dv.error = "Выберите значение из списка" if lang == "ru" else "Pick a value from the list"
    dv.errorTitle = headers[len(cols)]
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    last = max(len(sample), 1) + 1
    dv.add(f"{result_col}2:{result_col}{last}")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            wb.save(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise InputFileError(
            f"cannot write the verification sheet: {exc.strerror or exc}",
            file=path,
            hint="check that the folder exists, is writable and the file is not open in Excel",
        ) from exc
    return path
