"""Write the report's tables to one Excel workbook (``report_tables.xlsx``).

A contents sheet first (every table with its sheet, row count and a link), then one sheet per
table: a bold, frozen, filterable header row, numbers stored as numbers with a number format by
kind (money ``#,##0 ₽``, shares ``0.0%``, dates ``DD.MM.YYYY`` / months ``MM.YYYY``, English
``D MMM YYYY`` / ``MMM YYYY`` as the English report writes them; Excel shows the thousands and
decimal separators of the reader's locale, so a Russian Excel shows ``1 234 567 ₽`` and
``12,5%``), column widths from the content, text wrapped, every text cell stored as text
(:mod:`salesaudit.io.xlsx_safe`). The tables come as ``(title, frame, formats)`` from
:func:`salesaudit.report.tables.report_tables`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from salesaudit.errors import ParameterError

__all__ = ["NUMBER_FORMATS", "sheet_names", "write_tables_xlsx"]

#: kind -> Excel number format per language (Excel's neutral syntax: "," groups, "." decimals)
NUMBER_FORMATS: dict[str, dict[str, str]] = {
    "money": {"ru": '#,##0" ₽"', "en": '"RUB "#,##0'},
    "share": {"ru": "0.0%", "en": "0.0%"},
    "int": {"ru": "#,##0", "en": "#,##0"},
    "number": {"ru": "General", "en": "General"},
    "number2": {"ru": "#,##0.00", "en": "#,##0.00"},
    "score": {"ru": "0.0", "en": "0.0"},
    # English as the English report writes dates and months ("23 Nov 2026", "Nov 2026")
    "date": {"ru": "DD.MM.YYYY", "en": "D MMM YYYY"},
    "month": {"ru": "MM.YYYY", "en": "MMM YYYY"},
}
_CONTENTS = {
    "ru": ("Содержание", ["№", "Таблица", "Лист", "Строк"]),
    "en": ("Contents", ["#", "Table", "Sheet", "Rows"]),
}
_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET = 31
MAX_WIDTH = 60


def _cut(text: str, n: int) -> str:
    """``text`` in at most ``n`` characters, cut after a whole word with "…" when too long."""
    if len(text) <= n:
        return text
    head = text[: n - 1]
    if " " in head[n // 2 :]:
        head = head[: head.rindex(" ")]
    return head.rstrip(" -·.,") + "…"


def sheet_names(titles: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel sheet names for ``titles``: a long ``"Section: table"`` title gives the table's
    part, characters Excel refuses (``[]:*?/\\``) replaced, at most 31 characters, unique
    without regard to case (``… (2)`` when cut titles meet) and different from ``reserved``."""
    used = {r.casefold() for r in reserved}
    out = []
    for title in titles:
        text = str(title)
        if len(text) > MAX_SHEET and ": " in text:  # "Section: table" -> the table's own title
            text = text.rsplit(": ", 1)[1]
        base = _BAD.sub("-", text).strip().strip("'") or "Sheet"
        name = _cut(base, MAX_SHEET)
        n = 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name = _cut(base, MAX_SHEET - len(suffix)) + suffix
            n += 1
        used.add(name.casefold())
        out.append(name)
    return out


def _width(values: list[Any], header: str) -> float:
    longest = len(str(header))
    for v in values[:500]:
        if v is None:
            continue
        text = v if isinstance(v, str) else f"{v:,.2f}" if isinstance(v, float) else str(v)
        longest = max(longest, max((len(line) for line in str(text).splitlines()), default=0))
    return float(min(MAX_WIDTH, max(8, longest + 2)))


def write_tables_xlsx(
    tables: Sequence[tuple[str, pd.DataFrame, Mapping[str, Any]]],
    path: str | Path,
    *,
    lang: str = "ru",
    title: str = "",
    currency_sign: str | None = None,
) -> Path:
    """Write ``tables`` (``(title, frame, formats)``; formats: column -> kind of
    :data:`NUMBER_FORMATS` or a list of kinds per row) to ``path`` atomically; ``title`` heads
    the contents sheet (report and client). ``currency_sign`` is how money is marked in
    ``lang`` (``'$'``, ``'USD'``; default the rouble formats). Returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    from salesaudit.io.xlsx_safe import print_as_list, save_workbook, set_value

    if lang not in _CONTENTS:
        raise ParameterError(f"unknown language {lang!r}", column="lang", hint="use 'ru' or 'en'")
    contents_name, contents_headers = _CONTENTS[lang]
    names = sheet_names([t for t, _, _ in tables], reserved=[contents_name])
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()
    toc = wb.active
    toc.title = contents_name
    set_value(toc["A1"], title or contents_name)
    toc["A1"].font = Font(bold=True, size=13)
    for n, h in enumerate(contents_headers, start=1):
        cell = set_value(toc.cell(row=3, column=n), h)
        cell.font = bold
        cell.fill = head_fill
    for i, ((ttl, frame, _), name) in enumerate(zip(tables, names, strict=True), start=1):
        r = 3 + i
        set_value(toc.cell(row=r, column=1), i)
        link = set_value(toc.cell(row=r, column=2), ttl)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1", display=ttl)
        link.font = Font(color="1F4E79", underline="single")
        set_value(toc.cell(row=r, column=3), name)
        set_value(toc.cell(row=r, column=4), len(frame))
    for letter, w in zip("ABCD", (6, 70, 34, 8), strict=True):
        toc.column_dimensions[letter].width = w
    toc.freeze_panes = "A4"
    for (_, frame, formats), name in zip(tables, names, strict=True):
        ws = wb.create_sheet(name)
        headers = [str(c) for c in frame.columns]
        for n, h in enumerate(headers, start=1):
            cell = set_value(ws.cell(row=1, column=n), h)
            cell.font = bold
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        columns = [frame.iloc[:, j].tolist() for j in range(frame.shape[1])]
        for j, (h, values) in enumerate(zip(headers, columns, strict=True), start=1):
            kind = formats.get(h, "text")
            for i, v in enumerate(values, start=2):
                cell = set_value(ws.cell(row=i, column=j), v)
                k = kind[i - 2] if isinstance(kind, (list, tuple)) else kind
                fmt = NUMBER_FORMATS.get(k, {}).get(lang)
                if k == "money" and currency_sign:
                    sign = currency_sign.replace('"', "")
                    fmt = f'#,##0" {sign}"' if lang == "ru" else f'"{sign} "#,##0'
                if fmt and cell.value is not None and not isinstance(cell.value, (str, bool)):
                    cell.number_format = fmt
                elif isinstance(cell.value, str) and ("\n" in cell.value or len(cell.value) > 40):
                    cell.alignment = wrap
            width = _width(values, h)
            ws.column_dimensions[get_column_letter(j)].width = width
        if headers:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(frame), 1) + 1}"
        print_as_list(ws)
    return save_workbook(wb, path, what="the report tables workbook")
