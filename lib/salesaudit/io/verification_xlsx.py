"""Write the verification-call sample (выборочный обзвон) to an XLSX sheet for the director."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from salesaudit.errors import ParameterError

__all__ = ["write_verification_xlsx", "verification_rows", "VERIFICATION_CHOICES", "HEADERS"]

#: drop-down values of the result column, per language
VERIFICATION_CHOICES = {
    "ru": ("Подтвердил", "Не подтвердил", "Не дозвонились"),
    "en": ("Confirmed", "Not confirmed", "No answer"),
}
#: sample column -> (ru header, en header, width); ``occurred_at`` gives a date and a time column
HEADERS: dict[str, tuple[str, str, int]] = {
    "manager_name": ("Менеджер", "Manager", 24),
    "occurred_at": ("Дата встречи", "Meeting date", 13),
    "client_name": ("Клиент", "Client", 30),
    "contact_person": ("Контактное лицо", "Contact person", 26),
    "phone": ("Телефон", "Phone", 18),
    "email": ("E-mail", "E-mail", 26),
    "meetings_with_client": ("Встреч с клиентом", "Meetings with the client", 11),
    "comment": ("Комментарий менеджера", "Manager's comment", 36),
    "suspicion_level": ("Уровень подозрения", "Suspicion level", 14),
    "activity_id": ("ID встречи", "Meeting id", 14),
}
_TIME = ("Время", "Time", 8)
_EXTRA = {"ru": ("Результат проверки", "Комментарий"), "en": ("Verification result", "Comment")}
_LEVELS = {
    "ru": {"high": "высокий", "medium": "средний", "low": "низкий"},
    "en": {"high": "high", "medium": "medium", "low": "low"},
}
_LEVEL_RANK = {"high": 0, "medium": 1, "low": 2}
_SHEET = {"ru": "Обзвон", "en": "Verification"}
#: Excel number formats (stored in Excel's neutral syntax; shown as written in any locale)
DATE_FORMAT = "DD.MM.YYYY"
#: the English sheet writes dates as the English report does ("23 Nov 2026")
DATE_FORMAT_EN = "D MMM YYYY"
TIME_FORMAT = "HH:MM"


def _repeated_contacts(df: pd.DataFrame) -> pd.Series:
    """True for a row whose client (id, else name) or phone (digits, last 10) an earlier row has."""
    seen_clients: set[str] = set()
    seen_phones: set[str] = set()
    flags = []
    for rec in df.to_dict("records"):
        client = rec.get("client_id")
        if client is None or pd.isna(client):
            client = rec.get("client_name")
        client = "" if client is None or pd.isna(client) else str(client)
        phone = rec.get("phone")
        phone = "" if phone is None or pd.isna(phone) else str(phone)
        digits = "".join(ch for ch in phone if ch.isdigit())[-10:]
        flags.append(bool(client and client in seen_clients or digits and digits in seen_phones))
        if client:
            seen_clients.add(client)
        if digits:
            seen_phones.add(digits)
    return pd.Series(flags, index=df.index, dtype=bool)


def verification_rows(sample: pd.DataFrame) -> pd.DataFrame:
    """The sample as the sheet lists it (a new frame): ``occurred_at`` parsed to datetimes (the
    audit JSON keeps them as ISO text), highest suspicion first, then manager, then date; a
    contact (client and phone) that appears again is dropped, so nobody is called twice."""
    df = sample.copy()
    if "occurred_at" in df.columns:
        parsed = pd.to_datetime(df["occurred_at"], errors="coerce", format="mixed")
        # text that is not a date stays as it was (nothing lost); dates become datetimes
        df["occurred_at"] = parsed.astype(object).where(parsed.notna(), df["occurred_at"])
    keys: list[str] = []
    if "suspicion_level" in df.columns:
        df["_lvl"] = df["suspicion_level"].map(_LEVEL_RANK).fillna(len(_LEVEL_RANK))
        keys.append("_lvl")
    if "manager_name" in df.columns:
        df["_mgr"] = df["manager_name"].astype(str).str.casefold()
        keys.append("_mgr")
    if "occurred_at" in df.columns:
        df["_date"] = pd.to_datetime(df["occurred_at"], errors="coerce")
        keys.append("_date")
    if keys:
        df = df.sort_values(keys, kind="stable", na_position="last")
    if {"client_id", "client_name", "phone"} & set(df.columns):
        df = df.loc[~_repeated_contacts(df)]
    return df.drop(columns=[c for c in ("_lvl", "_mgr", "_date") if c in df.columns]).reset_index(
        drop=True
    )


def _split(v: Any) -> tuple[Any, Any]:
    """A meeting's date and time of day (text that is not a date stays in the date column)."""
    if isinstance(v, dt.datetime):
        return v.date(), v.time().replace(second=0, microsecond=0)
    if isinstance(v, pd.Timestamp):
        return _split(v.to_pydatetime())
    return v, None


def write_verification_xlsx(sample: pd.DataFrame, path: str | Path, *, lang: str = "ru") -> Path:
    """Write the sample of :func:`salesaudit.analytics.verification_sample` to ``path``.

    One sheet with a bold frozen header in ``lang`` ('ru' or 'en'), set column widths, rows as
    :func:`verification_rows` orders them (one per contact), the meeting date as an Excel date
    (``DD.MM.YYYY``; English ``D MMM YYYY``) and its time as an Excel time (``HH:MM``) when the
    data has times, counts as numbers, every text cell stored as text (never a formula;
    :mod:`salesaudit.io.xlsx_safe`), a 'Результат проверки' column with a drop-down (Подтвердил / Не подтвердил /
    Не дозвонились) and an empty 'Комментарий' column. Columns of the sample that are absent are
    skipped. Written atomically; returns the path.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from salesaudit.io.xlsx_safe import print_as_list, save_workbook, set_value

    if lang not in VERIFICATION_CHOICES:
        raise ParameterError(f"unknown language {lang!r}", column="lang", hint="use 'ru' or 'en'")
    cols = [c for c in HEADERS if c in sample.columns]
    if not cols:
        raise ParameterError(
            "the verification sample has none of the expected columns",
            hint="pass the main table of analytics.verification_sample",
        )
    rows = verification_rows(sample)
    i = 0 if lang == "ru" else 1
    with_time = False
    if "occurred_at" in cols:
        with_time = any(
            isinstance(v, (dt.datetime, pd.Timestamp)) and (v.hour, v.minute) != (0, 0)
            for v in rows["occurred_at"]
        )
    # sheet columns: (sample column, header, width, number format)
    layout: list[tuple[str, str, int, str | None]] = []
    for c in cols:
        date_fmt = DATE_FORMAT if lang == "ru" else DATE_FORMAT_EN
        fmt = date_fmt if c == "occurred_at" else ("0" if c == "meetings_with_client" else None)
        layout.append((c, HEADERS[c][i], HEADERS[c][2], fmt))
        if c == "occurred_at" and with_time:
            layout.append(("_time", _TIME[i], _TIME[2], TIME_FORMAT))
    extra = list(_EXTRA[lang])
    headers = [h for _, h, _, _ in layout] + extra
    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET[lang]
    for n, h in enumerate(headers, start=1):
        set_value(ws.cell(row=1, column=n), h)
    levels = _LEVELS[lang]
    for r, rec in enumerate(rows.to_dict("records"), start=2):
        day, clock = _split(rec.get("occurred_at"))
        for n, (c, _, _, fmt) in enumerate(layout, start=1):
            if c == "occurred_at":
                v = day
            elif c == "_time":
                v = clock
            elif c == "suspicion_level":
                v = levels.get(rec.get(c), rec.get(c))
            else:
                v = rec.get(c)
            cell = set_value(ws.cell(row=r, column=n), v)
            if fmt and not isinstance(cell.value, str):
                cell.number_format = fmt
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [w for _, _, w, _ in layout] + [22, 40]
    for n, w in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=n).column_letter].width = w
    result_col = ws.cell(row=1, column=len(layout) + 1).column_letter
    choices = ",".join(VERIFICATION_CHOICES[lang])
    dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    dv.error = "Выберите значение из списка" if lang == "ru" else "Pick a value from the list"
    dv.errorTitle = headers[len(layout)]
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    last = max(len(rows), 1) + 1
    dv.add(f"{result_col}2:{result_col}{last}")
    ws.auto_filter.ref = ws.dimensions
    print_as_list(ws)
    return save_workbook(wb, path, what="the verification sheet")
