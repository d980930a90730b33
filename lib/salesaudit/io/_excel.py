"""Reading XLSX (openpyxl) and legacy XLS (xlrd) workbooks into cell grids.

Also holds :class:`SheetGrid`, the shape every private reader hands to
:mod:`salesaudit.io.readers`, and the zip safety checks (zip bombs, damaged archives, 1C's
wrong-case part names).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from salesaudit.errors import InputFileError

#: zip safety limits for XLSX files (checked from the zip directory, before extracting)
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000
#: members smaller than this are not ratio-checked (a few KB of repeated XML compress >200x)
RATIO_MIN_SIZE = 1024 * 1024
#: above this size an XLSX is read in openpyxl's streaming mode (merged cells and outline levels
#: are then scanned from the sheet XML)
STREAMING_SIZE = 30 * 1024 * 1024

DAMAGED_HINT = "file is damaged, export again (or open it in Excel and save as XLSX)"


@dataclass
class SheetGrid:
    """One sheet/table as a grid of text cells, before header detection.

    ``cells`` has positional columns ``0..n-1`` and ``str``/``None`` values; ``rows`` gives the
    1-based source row of each grid row; ``merged`` lists merged ranges as 0-based inclusive
    ``(first_row, first_col, last_row, last_col)`` positions in ``cells``; ``outline`` /
    ``bold`` are per-row outline levels and "first filled cell is bold" flags when the format
    has them; ``notna`` may carry a precomputed ``cells.notna()`` matrix.
    """

    name: str | None
    cells: pd.DataFrame
    rows: np.ndarray
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    outline: np.ndarray | None = None
    bold: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    #: optional precomputed ``cells.notna()`` as a numpy bool matrix (saves time on big CSVs)
    notna: np.ndarray | None = None


def cell_text(value: object) -> str | None:
    """Text of a spreadsheet cell value: ints without ``.0``, floats round-trip exact,
    datetimes as ISO ``YYYY-MM-DD[ HH:MM:SS]``, booleans ``TRUE``/``FALSE``, blanks ``None``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        total = int(round(value.total_seconds()))
        sign = "-" if total < 0 else ""
        total = abs(total)
        return f"{sign}{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"
    return str(value)


def _grid(rows: list[list[str | None]]) -> pd.DataFrame:
    width = max((len(r) for r in rows), default=0)
    padded = [r + [None] * (width - len(r)) for r in rows]
    return pd.DataFrame(padded, columns=range(width), dtype=object)


# --- zip checks ------------------------------------------------------------------------------


def open_zip(data: bytes, path: Path) -> zipfile.ZipFile:
    """Open an XLSX/zip from memory after the safety checks; InputFileError if damaged/a bomb."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputFileError(
            "file is damaged (not a readable zip/XLSX)", file=path, hint=DAMAGED_HINT
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise InputFileError(
            f"refusing to open: the archive has {len(infos)} parts (limit {MAX_MEMBERS}), "
            "looks like a zip bomb, not a spreadsheet",
            file=path,
            hint="export the table again from the source system",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputFileError(
            f"refusing to open: it would unpack to {total // (1024 * 1024)} MB "
            f"(limit {MAX_UNCOMPRESSED // (1024 * 1024)} MB), looks like a zip bomb",
            file=path,
            hint="export the table again from the source system",
        )
    for info in infos:
        if info.file_size >= RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise InputFileError(
                f"refusing to open: part {info.filename!r} is compressed "
                f"{info.file_size / max(info.compress_size, 1):.0f}:1 (limit {MAX_RATIO}:1), "
                "looks like a zip bomb",
                file=path,
                hint="export the table again from the source system",
            )
    return zf


_PART_NAME_RE = re.compile(rb'PartName="([^"]+)"')
_TARGET_RE = re.compile(rb'Target="([^"]+)"')
_EXTERNAL_RE = re.compile(rb'TargetMode="External"')


def _referenced_parts(zf: zipfile.ZipFile) -> set[str]:
    """Part names that [Content_Types].xml and the .rels files refer to (zip-style, no '/')."""
    names = {n.lower(): n for n in zf.namelist()}
    refs: set[str] = set()
    ct = names.get("[content_types].xml")
    if ct:
        for m in _PART_NAME_RE.finditer(zf.read(ct)):
            refs.add(m.group(1).decode("utf-8", "replace").lstrip("/"))
    for name in zf.namelist():
        if not name.lower().endswith(".rels"):
            continue
        # "xl/_rels/workbook.xml.rels" describes "xl/workbook.xml": targets are relative to "xl/"
        base = posixpath.dirname(posixpath.dirname(name))
        for rel in re.finditer(rb"<Relationship\b[^>]*>", zf.read(name)):
            tag = rel.group(0)
            target = _TARGET_RE.search(tag)
            if not target or _EXTERNAL_RE.search(tag):
                continue
            t = target.group(1).decode("utf-8", "replace")
            full = (
                t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(base, t))
            )
            refs.add(full)
    return refs


def fix_part_name_case(
    zf: zipfile.ZipFile, data: bytes
) -> tuple[io.BytesIO, list[tuple[str, str]]]:
    """Rename parts whose name differs only in letter case from what the workbook refers to
    (1C writes ``xl/SharedStrings.xml`` but refers to ``xl/sharedStrings.xml``, or vice versa).

    Returns a buffer with the (possibly rebuilt in memory) zip and the ``(old, new)`` renames;
    the client's file is never touched.
    """
    actual = set(zf.namelist())
    by_lower: dict[str, str] = {}
    for n in actual:
        by_lower.setdefault(n.lower(), n)
    renames: dict[str, str] = {}
    for ref in _referenced_parts(zf):
        if ref in actual:
            continue
        real = by_lower.get(ref.lower())
        if real is not None and real != ref and real not in renames:
            renames[real] = ref
    if not renames:
        return io.BytesIO(data), []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            out.writestr(renames.get(info.filename, info.filename), zf.read(info.filename))
    buf.seek(0)
    return buf, sorted(renames.items())


def _check_is_xlsx(zf: zipfile.ZipFile, path: Path) -> None:
    lower = {n.lower() for n in zf.namelist()}
    if "xl/workbook.xml" in lower or any(
        n.startswith("xl/") and n.endswith("workbook.xml") for n in lower
    ):
        return
    if "mimetype" in lower:
        mime = zf.read(next(n for n in zf.namelist() if n.lower() == "mimetype"))
        if b"spreadsheet" in mime:
            raise InputFileError(
                "OpenDocument spreadsheet (ODS) is not supported",
                file=path,
                hint="open it and save as XLSX or CSV",
            )
    if "word/document.xml" in lower or "ppt/presentation.xml" in lower:
        raise InputFileError(
            "not a table export; export as XLSX or CSV",
            file=path,
            hint="this is a Word/PowerPoint document; export the table from the source system",
        )
    raise InputFileError(
        "not a table export; export as XLSX or CSV",
        file=path,
        hint="the zip archive holds no workbook; export the table again",
    )


# --- XLSX ------------------------------------------------------------------------------------


def read_xlsx(data: bytes, path: Path) -> list[SheetGrid]:
    """Read every worksheet of an XLSX held in ``data`` into grids (values, not formulas)."""
    import openpyxl  # local: heavy import, only needed for XLSX

    zf = open_zip(data, path)
    _check_is_xlsx(zf, path)
    buf, renames = fix_part_name_case(zf, data)
    streaming = len(data) > STREAMING_SIZE
    try:
        wb = openpyxl.load_workbook(buf, read_only=streaming, data_only=True)
    except InputFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(
            f"file is damaged, cannot read the workbook ({type(exc).__name__}: {exc})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    grids = []
    try:
        for ws in wb.worksheets:
            grid = _xlsx_sheet(ws, streaming)
            if streaming:  # openpyxl's read-only mode skips merges and outline: scan the XML
                member = getattr(ws, "_worksheet_path", None)
                if member:
                    grid.merged, grid.outline = _scan_sheet_xml(buf, member, len(grid.cells))
            grids.append(grid)
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(
            f"file is damaged, cannot read the sheets ({type(exc).__name__}: {exc})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    finally:
        if streaming:
            wb.close()
    for g in grids:
        g.meta["format"] = "xlsx"
        if renames:
            g.meta["fixed_part_names"] = [f"{a} -> {b}" for a, b in renames]
    return grids


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_ROW_TAG_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUM_RE = re.compile(rb'\br="([0-9]+)"')
_OUTLINE_RE = re.compile(rb'\boutlineLevel="([0-9]+)"')


def _scan_sheet_xml(
    buf: io.BytesIO, member: str, n_rows: int
) -> tuple[list[tuple[int, int, int, int]], np.ndarray]:
    """Merged ranges and row outline levels of a worksheet, read by streaming its XML."""
    from openpyxl.utils.cell import range_boundaries

    merged: list[tuple[int, int, int, int]] = []
    outline = np.zeros(n_rows, dtype=np.int64)
    with zipfile.ZipFile(buf) as zf, zf.open(member.lstrip("/")) as fh:
        carry = b""
        while chunk := fh.read(1 << 20):
            text = carry + chunk
            cut = text.rfind(b">") + 1
            text, carry = text[:cut], text[cut:]
            for m in _ROW_TAG_RE.finditer(text):
                level = _OUTLINE_RE.search(m.group(1))
                number = _ROW_NUM_RE.search(m.group(1))
                if level and number and 0 < int(number.group(1)) <= n_rows:
                    outline[int(number.group(1)) - 1] = int(level.group(1))
            for m in _MERGE_RE.finditer(text):
                ref = m.group(1).decode("ascii")
                min_col, min_row, max_col, max_row = range_boundaries(
                    ref if ":" in ref else f"{ref}:{ref}"
                )
                merged.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    return merged, outline


def _xlsx_sheet(ws: object, streaming: bool) -> SheetGrid:
    rows: list[list[str | None]] = []
    bold: list[bool] = []
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        texts = []
        first_bold = False
        seen = False
        for cell in row:
            value = getattr(cell, "value", None)
            text = cell_text(value)
            texts.append(text)
            if text is not None and not seen:
                seen = True
                font = getattr(cell, "font", None)  # EmptyCell (streaming) has none
                first_bold = bool(font is not None and font.b)
        rows.append(texts)
        bold.append(first_bold)
    merged: list[tuple[int, int, int, int]] = []
    outline = None
    if not streaming:
        for rng in ws.merged_cells.ranges:  # type: ignore[attr-defined]
            merged.append((rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1))
        dims = ws.row_dimensions  # type: ignore[attr-defined]
        outline = np.array(
            [
                int(dims[r + 1].outline_level or 0) if (r + 1) in dims else 0
                for r in range(len(rows))
            ],
            dtype=np.int64,
        )
    cells = _grid(rows)
    meta: dict = {}
    if getattr(ws, "sheet_state", "visible") != "visible":
        meta["hidden"] = True
    return SheetGrid(
        name=ws.title,  # type: ignore[attr-defined]
        cells=cells,
        rows=np.arange(1, len(rows) + 1, dtype=np.int64),
        merged=merged,
        outline=outline,
        bold=np.array(bold, dtype=bool),
        meta=meta,
    )


# --- legacy XLS ------------------------------------------------------------------------------


def read_xls(data: bytes, path: Path) -> list[SheetGrid]:
    """Read every sheet of a legacy BIFF ``.xls`` workbook held in ``data`` into grids."""
    import xlrd  # local: only needed for XLS

    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True)
            formatting = True
        except (NotImplementedError, AssertionError, IndexError, KeyError):
            book = xlrd.open_workbook(file_contents=data, formatting_info=False)
            formatting = False
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, ...
        raise InputFileError(
            f"file is damaged, cannot read the XLS workbook ({type(exc).__name__}: {exc})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    grids = []
    for sheet in book.sheets():
        rows: list[list[str | None]] = []
        bold: list[bool] = []
        outline: list[int] = []
        for r in range(sheet.nrows):
            texts: list[str | None] = []
            first_bold = False
            for c in range(sheet.ncols):
                ctype = sheet.cell_type(r, c)
                value = sheet.cell_value(r, c)
                if ctype == xlrd.XL_CELL_DATE:
                    with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                elif ctype == xlrd.XL_CELL_ERROR:
                    value = xlrd.error_text_from_code.get(value, "#ERR")
                elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value = None
                text = cell_text(value)
                if text is not None and not any(t is not None for t in texts) and formatting:
                    xf = book.xf_list[sheet.cell_xf_index(r, c)]
                    first_bold = bool(book.font_list[xf.font_index].bold)
                texts.append(text)
            rows.append(texts)
            bold.append(first_bold)
            info = sheet.rowinfo_map.get(r) if formatting else None
            outline.append(int(info.outline_level) if info is not None else 0)
        merged = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        grids.append(
            SheetGrid(
                name=sheet.name,
                cells=_grid(rows),
                rows=np.arange(1, len(rows) + 1, dtype=np.int64),
                merged=merged,
                outline=np.array(outline, dtype=np.int64) if formatting else None,
                bold=np.array(bold, dtype=bool) if formatting else None,
                meta={"format": "xls"},
            )
        )
    return grids
