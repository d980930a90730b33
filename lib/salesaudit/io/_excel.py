"""Reading XLSX (openpyxl, or python-calamine for big files) and legacy XLS (xlrd) workbooks into
cell grids.

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
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from salesaudit.errors import InputFileError
from salesaudit.io.safe_text import exception_text

#: zip safety limits for XLSX files (checked from the zip directory, before extracting)
MAX_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000
#: members smaller than this are not ratio-checked (a few KB of repeated XML compress >200x)
RATIO_MIN_SIZE = 1024 * 1024
#: above this size an XLSX is read in openpyxl's streaming mode (merged cells and outline levels
#: are then scanned from the sheet XML)
STREAMING_SIZE = 30 * 1024 * 1024
#: above this size an XLSX's cell values are read with python-calamine (a Rust reader, 6-10x
#: faster than openpyxl: 0.29 s against 1.8 s on the demo's 720 KB 1C report) when it is
#: installed; merged cells, outline levels and bold flags then come from a scan of the sheet XML
#: and styles.xml. At 0 that is every XLSX; openpyxl reads a workbook only when calamine is
#: missing or cannot place a sheet (and for a damaged file, whose diagnosis it gives).
CALAMINE_SIZE = 0

DAMAGED_HINT = "file is damaged, export again (or open it in Excel and save as XLSX)"


@dataclass
class SheetGrid:
    """One sheet/table as a grid of text cells, before header detection.

    ``cells`` has positional columns ``0..n-1`` and ``str``/``None`` values; ``rows`` gives the
    1-based source row of each grid row; ``merged`` lists merged ranges as 0-based inclusive
    ``(first_row, first_col, last_row, last_col)`` positions in ``cells``; ``outline`` /
    ``bold`` are per-row outline levels and "first filled cell is bold" flags when the format
    has them; ``indent`` is the per-row indent level (the cell format's indent attribute) of the
    first filled cell, where the format has it (old .xls 1C reports show groups by indent, not by
    outline levels); ``notna`` may carry a precomputed ``cells.notna()`` matrix.
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
    indent: np.ndarray | None = None


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


def read_xlsx(data: bytes, path: Path, *, engine: str | None = None) -> list[SheetGrid]:
    """Read every worksheet of an XLSX held in ``data`` into grids (values, not formulas).

    ``engine`` is ``"openpyxl"``, ``"calamine"`` or ``None`` (calamine for files above
    :data:`CALAMINE_SIZE`, now every file, when python-calamine is importable, else openpyxl).
    Both engines give the same grids. The whole workbook is read with openpyxl instead when
    calamine cannot read it or a sheet's XML cannot be placed cheaply (rows or bold cells
    without a cell reference), so damaged files get openpyxl's diagnosis.
    """
    zf = open_zip(data, path)
    _check_is_xlsx(zf, path)
    buf, renames = fix_part_name_case(zf, data)
    if engine is None:
        engine = "calamine" if len(data) > CALAMINE_SIZE and _calamine_available() else "openpyxl"
    grids = _read_xlsx_calamine(buf, path) if engine == "calamine" else None
    if grids is None:
        buf.seek(0)
        grids = _read_xlsx_openpyxl(buf, path, streaming=len(data) > STREAMING_SIZE)
    for g in grids:
        g.meta["format"] = "xlsx"
        if renames:
            g.meta["fixed_part_names"] = [f"{a} -> {b}" for a, b in renames]
    return grids


def _read_xlsx_openpyxl(buf: io.BytesIO, path: Path, *, streaming: bool) -> list[SheetGrid]:
    import openpyxl  # local: heavy import, only needed for XLSX

    try:
        wb = openpyxl.load_workbook(buf, read_only=streaming, data_only=True)
    except InputFileError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputFileError(
            f"file is damaged, cannot read the workbook ({exception_text(exc)})",
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
                    scan = _scan_sheet_xml(buf, member, len(grid.cells))
                    grid.merged, grid.outline = scan.merged, scan.outline
            grids.append(grid)
    except InputFileError:
        raise
    except Exception as exc:
        raise InputFileError(
            f"file is damaged, cannot read the sheets ({exception_text(exc)})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    finally:
        if streaming:
            wb.close()
    return grids


# --- XLSX via python-calamine ------------------------------------------------------------------


def _calamine_available() -> bool:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, absolute zip member) of a part (``{}`` if it has none)."""
    import xml.etree.ElementTree as ET  # noqa: N817 - trusted structure files, no entities

    base = posixpath.dirname(part)
    rels_name = posixpath.join(base, "_rels", posixpath.basename(part) + ".rels")
    if rels_name not in zf.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(zf.read(rels_name)):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        full = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(base, target))
        )
        out[rel.get("Id", "")] = (rel.get("Type", ""), full)
    return out


def _workbook_sheets(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """``(name, state, member)`` of every worksheet (not chart sheet), in workbook order."""
    import xml.etree.ElementTree as ET  # noqa: N817

    root_rels = _rels(zf, "")
    wb_part = next(
        (m for t, m in root_rels.values() if t.endswith("/officeDocument")), "xl/workbook.xml"
    )
    rels = _rels(zf, wb_part)
    out = []
    for el in ET.fromstring(zf.read(wb_part)).iter():
        if _local(el.tag) != "sheet":
            continue
        rid = el.get(f"{{{_REL_NS}}}id", "")
        kind, member = rels.get(rid, ("", ""))
        if kind.endswith("/worksheet") and member in zf.namelist():
            out.append((el.get("name", ""), el.get("state", "visible"), member))
    return out


def _bold_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indices of the cell formats (``cellXfs``) whose font is bold, as openpyxl's ``font.b``."""
    import xml.etree.ElementTree as ET  # noqa: N817

    name = next((n for n in zf.namelist() if n.lower() == "xl/styles.xml"), None)
    if name is None:
        return set()
    root = ET.fromstring(zf.read(name))
    fonts: list[bool] = []
    xfs: list[int] = []
    for section in root:
        if _local(section.tag) == "fonts":
            for font in section:
                b = next((c for c in font if _local(c.tag) == "b"), None)
                fonts.append(b is not None and b.get("val", "1").lower() not in ("0", "false"))
        elif _local(section.tag) == "cellXfs":
            xfs = [int(xf.get("fontId", "0") or 0) for xf in section]
    return {i for i, f in enumerate(xfs) if f < len(fonts) and fonts[f]}


def _has_indented_styles(zf: zipfile.ZipFile) -> bool:
    """Whether a cell format (``cellXfs``) sets an indent (``<alignment indent="2"/>``)."""
    name = next((n for n in zf.namelist() if n.lower() == "xl/styles.xml"), None)
    if name is None:
        return False
    return re.search(rb'<(?:\w+:)?alignment\b[^>]*\bindent="0*[1-9]', zf.read(name)) is not None


def _read_xlsx_calamine(buf: io.BytesIO, path: Path) -> list[SheetGrid] | None:
    """Grids read with python-calamine; ``None`` when calamine cannot read the workbook or a
    sheet's XML cannot be placed (then the caller reads it with openpyxl, which also gives the
    "damaged file" diagnosis). ``path`` is only for messages."""
    import python_calamine

    try:
        zf = zipfile.ZipFile(buf)
        sheets = _workbook_sheets(zf)
        bold_ids = _bold_styles(zf)
        if 0 in bold_ids:  # unstyled cells would be bold: rare, leave it to openpyxl
            return None
        if _has_indented_styles(zf):  # indent levels (1C groups) come from openpyxl's styles
            return None
        buf.seek(0)
        book = python_calamine.CalamineWorkbook.from_filelike(buf)
        grids = []
        for name, state, member in sheets:
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            scan = _scan_sheet_xml(buf, member, None, bold_ids=bold_ids)
            if scan is None:
                return None
            grids.append(_calamine_grid(name, state, values, scan))
    except Exception:  # noqa: BLE001 - any calamine/XML failure: openpyxl reads or diagnoses it
        return None
    return grids


def _calamine_text(value: object) -> str | None:
    """:func:`cell_text` of a python-calamine value (empty cells are ``""``)."""
    if type(value) is str:
        return value if value.strip() else None
    if type(value) is float:
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return None if math.isnan(value) else repr(value)
    return cell_text(value)


def _used_width(values: list[list]) -> int:
    """1 + the last column holding a value (not empty, not only spaces) in any row."""
    last = -1
    for r in values:
        tail = r[last + 1 :]
        if tail.count("") == len(tail):  # the common case, at C speed
            continue
        for j in range(len(r) - 1, last, -1):
            v = r[j]
            if v is None or (type(v) is str and not v.strip()):
                continue
            last = j
            break
    return last + 1


def _calamine_grid(name: str, state: str, values: list[list], scan: _SheetScan) -> SheetGrid:
    """A grid with openpyxl's extent: up to the last row holding a cell element or a merge."""
    n_rows = max(len(values), scan.last_row)
    width = _used_width(values)  # not the 16 000 empty columns a stray cell can drag along
    if width < max((len(r) for r in values), default=0):
        values = [r[:width] for r in values]
    for _, _, r1, c1 in scan.merged:
        n_rows = max(n_rows, r1 + 1)
        width = max(width, c1 + 1)
    cache: dict[tuple[type, object], str | None] = {}

    def text(value: object) -> str | None:  # dates repeat: format each distinct one once
        if type(value) is float:
            return _calamine_text(value)
        key = (type(value), value)
        if key not in cache:
            cache[key] = _calamine_text(value)
        return cache[key]

    pad = [None] * width  # calamine rows are rectangular; merges may reach further
    rows: list[list[str | None]] = [
        [(v if v.strip() else None) if type(v) is str else text(v) for v in r]
        + pad[: width - len(r)]
        for r in values
    ]
    rows += [pad] * (n_rows - len(rows))
    if width:
        cells = pd.DataFrame(rows, columns=range(width), dtype=object)
    else:
        cells = pd.DataFrame(index=range(n_rows), dtype=object)
    bold = np.zeros(n_rows, dtype=bool)
    if scan.bold_cells and width:
        nn = cells.notna().to_numpy()
        first = nn.argmax(axis=1)
        for r, c in scan.bold_cells:
            if r < n_rows and nn[r].any() and first[r] == c:
                bold[r] = True
    outline = np.zeros(n_rows, dtype=np.int64)
    k = min(n_rows, len(scan.outline))
    outline[:k] = scan.outline[:k]
    meta: dict = {}
    if state != "visible":
        meta["hidden"] = True
    return SheetGrid(
        name=name,
        cells=cells,
        rows=np.arange(1, n_rows + 1, dtype=np.int64),
        merged=scan.merged,
        outline=outline,
        bold=bold,
        meta=meta,
    )


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_ROW_NUM_RE = re.compile(rb'\br="([0-9]+)"')
_OUTLINE_RE = re.compile(rb'\boutlineLevel="([0-9]+)"')


_CELL_REF_RE = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_SHEET_DATA_RE = re.compile(rb"<(\w+:)?sheetData\b")


def _row_patterns(
    prefix: bytes,
) -> tuple[bytes, re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Row tag start, and patterns (with a literal prefix, so fast) for: the numbers of all
    rows, the numbers of rows holding cells (not ``<row/>`` nor ``<row></row>``), and the
    attributes of rows with an outline level."""
    tag = b"<" + prefix + b"row"
    t = re.escape(tag)
    return (
        tag,
        re.compile(t + rb'\s[^>]*?\br="([0-9]+)"'),
        re.compile(t + rb'\s[^>]*?\br="([0-9]+)"[^>]*(?<!/)>(?!</)'),
        re.compile(t + rb'\s([^>]*\boutlineLevel="[0-9]+"[^>]*)>'),
    )


_CELL_TAG_RE = re.compile(rb"<(?:\w+:)?c\s")


@dataclass
class _SheetScan:
    """What a streaming scan of a worksheet's XML finds (0-based positions)."""

    merged: list[tuple[int, int, int, int]]
    outline: np.ndarray
    #: the last 1-based row number that holds a ``<c>`` element (openpyxl's extent)
    last_row: int = 0
    #: ``(row, col)`` of the cells whose style is bold
    bold_cells: list[tuple[int, int]] = field(default_factory=list)


def _scan_sheet_xml(
    buf: io.BytesIO, member: str, n_rows: int | None, *, bold_ids: Collection[int] = ()
) -> _SheetScan | None:
    """Merged ranges, row outline levels, the last row with cells and (for ``bold_ids``) the
    bold cells of a worksheet, read by streaming its XML. ``n_rows`` caps the outline array
    (``None``: as many rows as the sheet has). ``None`` when a row or a bold cell carries no
    ``r`` reference (its position would need a full parse)."""
    from openpyxl.utils.cell import column_index_from_string, range_boundaries

    merged: list[tuple[int, int, int, int]] = []
    levels: dict[int, int] = {}
    last_row = 0
    bold_cells: list[tuple[int, int]] = []
    bold_re = bold_ws_re = None
    if bold_ids:  # find the style attribute first (a fast literal search), then its tag
        alts = b"|".join(str(i).encode() for i in sorted(bold_ids))
        bold_re = re.compile(rb' s="(?:' + alts + rb')"')
        bold_ws_re = re.compile(rb'\ss="(?:' + alts + rb')"')  # other whitespace: slower
    rows_re: tuple[bytes, re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]] | None = None
    with zipfile.ZipFile(buf) as zf, zf.open(member.lstrip("/")) as fh:
        carry = b""
        while chunk := fh.read(1 << 22):
            text = carry + chunk
            cut = text.rfind(b">") + 1
            text, carry = text[:cut], text[cut:]
            if rows_re is None and (data := _SHEET_DATA_RE.search(text)):
                rows_re = _row_patterns(data.group(1) or b"")
            if rows_re is not None:
                tag, numbered, filled, outlined = rows_re
                total = sum(text.count(tag + end) for end in (b" ", b">", b"/>"))
                if n_rows is None and len(numbered.findall(text)) < total:
                    return None  # a row without its number: positions need a full parse
                last_row = max(last_row, max(map(int, filled.findall(text)), default=0))
                if b"outlineLevel" in text:
                    for attrs in outlined.findall(text):
                        number = _ROW_NUM_RE.search(attrs)
                        level = _OUTLINE_RE.search(attrs)
                        if number and level:
                            levels[int(number.group(1))] = int(level.group(1))
            if bold_re is not None and bold_ws_re is not None:
                odd_space = any(ws + b's="' in text for ws in (b"\n", b"\t", b"\r"))
                for m in (bold_ws_re if odd_space else bold_re).finditer(text):
                    start = text.rfind(b"<", 0, m.start())
                    cell_tag = text[start : text.find(b">", m.end()) + 1]
                    if not _CELL_TAG_RE.match(cell_tag):  # a row or column style
                        continue
                    ref = _CELL_REF_RE.search(cell_tag)
                    if ref is None:
                        return None
                    col = column_index_from_string(ref.group(1).decode("ascii"))
                    bold_cells.append((int(ref.group(2)) - 1, col - 1))
            if b"mergeCell" in text:
                for m in _MERGE_RE.finditer(text):
                    ref = m.group(1).decode("ascii")
                    min_col, min_row, max_col, max_row = range_boundaries(
                        ref if ":" in ref else f"{ref}:{ref}"
                    )
                    merged.append((min_row - 1, min_col - 1, max_row - 1, max_col - 1))
    size = n_rows if n_rows is not None else max([last_row, *levels])
    outline = np.zeros(size, dtype=np.int64)
    for row, level in levels.items():
        if 0 < row <= size:
            outline[row - 1] = level
    return _SheetScan(merged, outline, last_row, bold_cells)


def _xlsx_sheet(ws: object, streaming: bool) -> SheetGrid:
    rows: list[list[str | None]] = []
    bold: list[bool] = []
    indent: list[int] = []
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        texts = []
        first_bold = False
        first_indent = 0
        seen = False
        for cell in row:
            value = getattr(cell, "value", None)
            text = cell_text(value)
            texts.append(text)
            if text is not None and not seen:
                seen = True
                font = getattr(cell, "font", None)  # EmptyCell (streaming) has none
                first_bold = bool(font is not None and font.b)
                align = getattr(cell, "alignment", None)
                first_indent = int(getattr(align, "indent", 0) or 0)
        rows.append(texts)
        bold.append(first_bold)
        indent.append(first_indent)
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
        indent=np.array(indent, dtype=np.int64) if any(indent) else None,
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
            f"file is damaged, cannot read the XLS workbook ({exception_text(exc)})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    grids = []
    for sheet in book.sheets():
        rows: list[list[str | None]] = []
        bold: list[bool] = []
        outline: list[int] = []
        indent: list[int] = []
        for r in range(sheet.nrows):
            texts: list[str | None] = []
            first_bold = False
            first_indent = 0
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
                    first_indent = int(getattr(xf.alignment, "indent_level", 0) or 0)
                texts.append(text)
            rows.append(texts)
            bold.append(first_bold)
            indent.append(first_indent)
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
                indent=np.array(indent, dtype=np.int64) if any(indent) else None,
            )
        )
    return grids
