"""Cell values for the XLSX files the project writes: text stays text, numbers stay numbers.

Client data lands in the workbooks we hand out (comments, names, phones). openpyxl turns a
string starting with ``=`` into a formula and ``#N/A``-like strings into error cells, and Excel
re-evaluates a text cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula once the user
edits it. Every writer therefore puts values through :func:`set_value`: a string is stored as a
text cell (never a formula), and one starting with ``= + - @``, a tab or a carriage return also
gets Excel's "quote prefix" flag, so editing it keeps it text; the visible value is unchanged
(no apostrophe is added). Characters XML cannot carry (NUL and other control characters) are
removed and text longer than Excel's 32 767-character cell limit is cut with "…".
:func:`secure_workbook` is the last pass before saving: it turns any formula or error cell that
slipped through into text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = [
    "FORMULA_PREFIXES",
    "MAX_CELL_TEXT",
    "excel_value",
    "formula_cells",
    "print_as_list",
    "save_workbook",
    "secure_workbook",
    "set_value",
]

#: first characters that make a spreadsheet treat text as a formula (or a DDE command)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Excel's limit of characters in one cell
MAX_CELL_TEXT = 32767


def _clean_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def excel_value(value: Any) -> Any:
    """``value`` as a plain Python cell value: ``None`` for missing (None, NaN, NaT),
    ``datetime``/``date``/``time`` for dates, ``bool``/``int``/``float`` for numbers (numpy and
    pandas scalars unwrapped), cleaned ``str`` for text; anything else as its ``str``."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not hasattr(value, "item"):
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        try:
            import pandas as pd

            if value is pd.NaT:
                return None
            if isinstance(value, pd.Timestamp):
                return value.to_pydatetime().replace(tzinfo=None)
        except ImportError:  # pragma: no cover - pandas is a dependency
            pass
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    if hasattr(value, "item"):  # numpy scalars
        try:
            return excel_value(value.item())
        except (TypeError, ValueError):
            pass
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    return _clean_text(str(value))


def set_value(cell: Any, value: Any) -> Any:
    """Store ``value`` in the openpyxl ``cell`` (see :func:`excel_value`); a string is always a
    text cell, flagged with the quote prefix when it starts like a formula. Returns the cell."""
    v = excel_value(value)
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"
        if v.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def _cells(wb: Any) -> Iterable[Any]:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def secure_workbook(wb: Any) -> int:
    """Turn every formula or error cell of ``wb`` into a text cell with the same visible text
    (quote-prefixed when it starts like a formula). Returns how many cells it changed."""
    changed = 0
    for cell in _cells(wb):
        if cell.data_type in ("f", "e") and isinstance(cell.value, str):
            set_value(cell, cell.value)
            changed += 1
        elif (
            cell.data_type == "s"
            and isinstance(cell.value, str)
            and cell.value.startswith(FORMULA_PREFIXES)
            and not cell.quotePrefix
        ):
            cell.quotePrefix = True
    return changed


def formula_cells(wb: Any) -> list[str]:
    """``Sheet!A1`` of every cell of ``wb`` holding a formula (what a check wants empty)."""
    return [f"{c.parent.title}!{c.coordinate}" for c in _cells(wb) if c.data_type == "f"]


def print_as_list(ws: Any) -> None:
    """A sheet that prints as a list: the header row frozen and repeated on every page,
    landscape, one page wide and as many pages long as needed."""
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def save_workbook(wb: Any, path: str | Path, *, what: str) -> Path:
    """Secure ``wb`` (:func:`secure_workbook`) and write it to ``path`` atomically (the folder
    is created); ``what`` names the file in the error ("the verification sheet"). Raises
    :class:`~salesaudit.errors.InputFileError` naming the path when it cannot be written."""
    from salesaudit.errors import InputFileError
    from salesaudit.io.atomic import atomic_write_bytes

    secure_workbook(wb)
    target = Path(path)
    buf = io.BytesIO()
    wb.save(buf)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, buf.getvalue())
    except OSError as exc:
        raise InputFileError(
            f"cannot write {what} ({exc.strerror or exc})",
            file=target,
            hint="check that the folder exists, is writable, the disk is not full and the file "
            "is not open in Excel",
        ) from exc
    return target
