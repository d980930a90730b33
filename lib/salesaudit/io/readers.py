"""Reading client exports (XLSX, XLS, Bitrix24 HTML-as-XLS, CSV/TSV) into :class:`RawSheet` s.

The format is detected from the file's content, never from its extension. Every sheet/table
goes through the same steps:

1. **header row**: among the first 30 rows, the row that matches most ``header_hints``
   (compared case- and space-insensitively); without hints or matches, the row with the most
   non-empty *text* cells (cells that look like numbers or dates do not count; a horizontally
   merged range counts once) that is followed by another non-blank row; ties go to the row
   followed by a row with numbers/dates, then to the row with more filled cells, then to the
   earliest (see ``_find_header``). Merged cells in the header area are filled with their
   top-left value first. If the row just above the header holds horizontally merged cells
   (1C's two-row headers, "Продажи" over "Количество" | "Сумма"), those labels are prefixed:
   ``"Продажи Количество"``.
2. **preamble**: non-blank rows above the header go to ``meta["preamble"]`` (one line per row);
   the first plain line is ``meta["title"]``, the text after ``Период:`` is ``meta["period"]``,
   lines of the ``Отборы:`` / ``Показатели:`` / ``Группировки:`` blocks go to
   ``meta["filters"]`` / ``meta["indicators"]`` / ``meta["groupings"]``.
3. **header names**: whitespace (incl. NBSP) stripped and collapsed; an empty name becomes
   ``column_<n>`` (1-based position); repeats become ``name``, ``name.2``, ``name.3``.
4. **data rows** (vertically merged data cells are filled down) and dropped rows, recorded in
   ``dropped`` as ``(row, reason)``:

   - ``"blank"``: no value in any cell;
   - ``"total"``: the first non-empty cell starts with Итого / Всего / Total
     (:func:`is_total_label`);
   - ``"group"`` (spreadsheets only, never CSV): 1C group/subtotal rows, recognised by, in
     order: (a) the sheet's row outline levels when they vary -- detail rows sit at the deepest
     level, rows above it are groups; otherwise (b) a bold row whose only *text* cell is in the
     first text column (other cells empty or numeric subtotals), or (c) when the sheet has a
     report preamble (header not on row 1): a row whose only text cell is in the first text
     column while the "key" text columns (filled in >= 80 % of rows) are empty. Both (b) and
     (c) apply only while such rows are a minority. The labels of the dropped group rows are
     kept: each data row gets them in added columns ``group_1``, ``group_2``, ... (outer
     first), listed in ``meta["group_columns"]``.
5. columns with neither a header nor any value are removed.

Cells are ``str`` or ``None``. Excel numbers become text faithfully (``12`` not ``12.0``),
Excel dates ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS``, so :mod:`salesaudit.model.parse` can read
them. Every failure is an :class:`~salesaudit.errors.InputFileError` naming the file and what
to do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from salesaudit.errors import InputFileError
from salesaudit.io._csv import read_csv
from salesaudit.io._excel import SheetGrid, read_xls, read_xlsx
from salesaudit.io._html import looks_like_html, read_html
from salesaudit.io.raw import RawSheet
from salesaudit.io.safe_text import _VALUE_LIKE_RE, headers_for_message, normalize_header

__all__ = [
    "detect_format",
    "headers_for_message",
    "is_total_label",
    "normalize_header",
    "read_file",
]

HEADER_SEARCH_ROWS = 30
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_A_TABLE = "not a table export; export as XLSX or CSV"
#: reason of a CSV row skipped because it holds NUL bytes
NUL_ROW = (
    "the row holds NUL bytes (a damaged export): skipped -> check this row in the CRM/1C and "
    "export the file again"
)
_TOTAL_RE = re.compile(r"^\s*(?:итого|итоги|всего|total|totals|grand total)\b", re.IGNORECASE)
#: first letters of the labels _TOTAL_RE accepts (a cheap pre-filter on big files)
_TOTAL_FIRST_CHARS = frozenset("ИиВвTtGg")
_BLOCKS = {
    "отбор": "filters",
    "показател": "indicators",
    "группировк": "groupings",
    "параметр": "parameters",
}
_BINARY_MAGICS = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
}


def is_total_label(text: object) -> bool:
    """True for labels of total rows: text starting with Итого / Итоги / Всего / Total
    (any case, e.g. ``"Итого по менеджеру"``, ``"ВСЕГО:"``), but not ``"Итоговый"``."""
    return isinstance(text, str) and _TOTAL_RE.match(text) is not None


def _hint_key(text: object) -> str:
    return normalize_header(text).casefold().replace("ё", "е")


def detect_format(data: bytes) -> str:
    """Format of a file from its first bytes: ``'xlsx'`` (zip), ``'xls'`` (OLE2 workbook),
    ``'encrypted'`` (OLE2 holding an encrypted OOXML package), ``'ole2'`` (another OLE2 file,
    e.g. a .doc), ``'html'``, ``'xml-spreadsheet'``, ``'binary:<what>'`` or ``'text'``."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        if b"EncryptionInfo" in data or "EncryptionInfo".encode("utf-16-le") in data:
            return "encrypted"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return "ole2"
    for magic, what in _BINARY_MAGICS.items():
        if data.startswith(magic):
            return f"binary:{what}"
    head = data[:4096]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") and (
        b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]
    ):
        return "xml-spreadsheet"
    if looks_like_html(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        return "html"
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in head:
        # a text export with a few NUL bytes (a damaged row) is still text: the CSV reader
        # reports and skips the rows that hold them
        nuls = head.count(b"\x00")
        if nuls > max(len(head) // 100, 4) or not _text_without_nul(head):
            return "binary:a binary file"
    return "text"


def _text_without_nul(head: bytes) -> bool:
    """Whether the start of a file, NUL bytes removed, reads as UTF-8 or Windows-1251 text."""
    clean = head.replace(b"\x00", b"")
    for encoding in ("utf-8", "cp1251"):
        try:
            text = clean.decode(encoding)
        except UnicodeDecodeError:
            try:  # a character cut at the end of the head
                text = clean[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
        if control <= len(text) * 0.001:
            return True
    return False


def read_file(path: str | Path, *, header_hints: Collection[str] = ()) -> list[RawSheet]:
    """Read a client export into one :class:`RawSheet` per sheet/table that has data rows.

    ``header_hints`` are column names the caller expects (e.g. from a preset); they steer the
    header-row detection. Each sheet's ``meta["sha256"]`` is the SHA-256 of the bytes this
    call read (what a run records as the input's hash). Raises :class:`InputFileError` for a
    missing file, a folder, an empty file, a file that is not a table export, an unreadable
    encoding, a password-protected or damaged workbook, or a zip bomb.
    """
    p = Path(path)
    data = _read_bytes(p)
    digest = hashlib.sha256(data).hexdigest()  # of the bytes read, not of a later re-read
    kind = detect_format(data)
    if kind == "xlsx":
        grids = read_xlsx(data, p)
    elif kind == "xls":
        grids = _read_xls_checked(data, p)
    elif kind == "encrypted":
        raise InputFileError(
            "the workbook is password-protected, save without password",
            file=p,
            hint="open it in Excel, remove the password (File > Info > Protect Workbook) "
            "and save as XLSX",
        )
    elif kind == "html":
        grids = read_html(data, p)
    elif kind == "text":
        grids = read_csv(data, p)
    elif kind == "xml-spreadsheet":
        raise InputFileError(
            "XML Spreadsheet 2003 files are not supported",
            file=p,
            hint="open the file in Excel and save as XLSX",
        )
    else:
        what = kind.split(":", 1)[1] if ":" in kind else "an Office document that is not a workbook"
        raise InputFileError(
            NOT_A_TABLE,
            file=p,
            hint=f"this looks like {what}; export the table from the CRM/1C as XLSX or CSV",
        )
    hints = {_hint_key(h) for h in header_hints if _hint_key(h)}
    sheets = [
        sheet
        for grid in grids
        if (sheet := sheet_from_grid(grid, file=str(p), header_hints=hints)) is not None
    ]
    with_data = [replace(s, meta={**s.meta, "sha256": digest}) for s in sheets if len(s.frame)]
    if not with_data:
        what = "no data rows (only a header)" if sheets else "no rows"
        raise InputFileError(
            f"the file is empty ({what})",
            file=p,
            hint="export the table again with its data",
        )
    return with_data


def _read_bytes(p: Path) -> bytes:
    if not p.exists():
        raise InputFileError("file not found", file=p, hint="check the path and the file name")
    if p.is_dir():
        raise InputFileError(
            "is a folder, not a file", file=p, hint="give the path of an exported file"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"cannot read the file ({exc.strerror})",
            file=p,
            hint="check that the file is not open elsewhere and that you may read it",
        ) from None
    if len(data) < 65536 and not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise InputFileError(
            "the file is empty (0 bytes or no rows)",
            file=p,
            hint="export the table again with its data",
        )
    return data


def _read_xls_checked(data: bytes, p: Path) -> list[SheetGrid]:
    try:
        return read_xls(data, p)
    except InputFileError as exc:
        if "encrypt" in exc.message.lower() or "password" in exc.message.lower():
            raise InputFileError(
                "the workbook is password-protected, save without password",
                file=p,
                hint="open it in Excel, remove the password and save as XLSX",
            ) from None
        raise


# --- one grid -> RawSheet ---------------------------------------------------------------------


def _is_value_like(text: str) -> bool:
    return _VALUE_LIKE_RE.match(text) is not None


def _fill_merged(cells: pd.DataFrame, merged: list[tuple[int, int, int, int]], upto: int) -> None:
    """Fill merged ranges that start in rows ``< upto`` with their top-left value (in place)."""
    for r0, c0, r1, c1 in merged:
        if r0 >= upto or r0 >= len(cells) or c0 >= cells.shape[1]:
            continue
        value = cells.iat[r0, c0]
        if value is None:
            continue
        r1, c1 = min(r1, len(cells) - 1), min(c1, cells.shape[1] - 1)
        cells.iloc[r0 : r1 + 1, c0 : c1 + 1] = value


def _find_header(
    top: pd.DataFrame,
    cells: pd.DataFrame,
    nonblank: np.ndarray,
    hints: set[str],
    merged: list[tuple[int, int, int, int]],
) -> int | None:
    """Position of the header row among the first rows of a grid (``None``: all blank).

    ``top`` is the first rows with merged cells filled. Without hint matches, a row scores its
    non-empty text cells (a horizontally merged range counts once, so a title merged across
    the sheet counts 1 while repeated names such as amoCRM's "Товар", "Товар" count each); ties
    go to a row whose next non-blank row holds a number or date, then to the row with more
    filled cells (a header "Менеджер | 2024-01-01 | 2024-02-01" beats a title), then to the
    earliest row. The row must be followed by another non-blank row.
    """
    n = len(top)
    if not nonblank[:n].any():
        return None
    rows = [top.iloc[i].tolist() for i in range(n)]
    if hints:
        scores = [sum(1 for v in set(r) if v is not None and _hint_key(v) in hints) for r in rows]
        best = max(scores)
        if best > 0:
            return scores.index(best)
    covered = np.zeros(top.shape, dtype=bool)
    for r0, c0, r1, c1 in merged:
        if r0 < n and c1 > c0:
            covered[r0 : min(r1, n - 1) + 1, c0 + 1 : c1 + 1] = True
    nonblank_rows = np.flatnonzero(nonblank)
    best_i, best_score = None, (0, False, 0)
    for i in range(n):
        if not nonblank[i]:
            continue
        later = nonblank_rows[nonblank_rows > i]
        if not len(later):
            break
        texts = sum(
            1
            for c, v in enumerate(rows[i])
            if v is not None and not covered[i, c] and normalize_header(v) and not _is_value_like(v)
        )
        following = cells.iloc[int(later[0])].tolist()
        values_next = any(v is not None and _is_value_like(v) for v in following)
        filled = sum(1 for c, v in enumerate(rows[i]) if v is not None and not covered[i, c])
        score = (texts, values_next, filled)
        if score > best_score:
            best_i, best_score = i, score
    if best_i is None:
        return int(nonblank_rows[0])
    return best_i


def _header_names(values: list[object]) -> list[str]:
    names = [normalize_header(v) for v in values]
    names = [name or f"column_{i}" for i, name in enumerate(names, start=1)]
    seen: dict[str, int] = {}
    taken = set(names)
    out = []
    for name in names:
        if name not in seen:
            seen[name] = 1
            out.append(name)
            continue
        k = seen[name] + 1
        while f"{name}.{k}" in taken:
            k += 1
        seen[name] = k
        taken.add(f"{name}.{k}")
        out.append(f"{name}.{k}")
    return out


def _parse_preamble(lines: list[str]) -> dict:
    meta: dict = {"preamble": lines}
    block: str | None = None
    for line in lines:
        low = line.casefold()
        key = next((v for k, v in _BLOCKS.items() if low.startswith(k)), None)
        if low.startswith("период"):
            meta["period"] = line.split(":", 1)[1].strip() if ":" in line else line[6:].strip()
            block = None
        elif key is not None:
            block = key
            meta.setdefault(block, [])
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            if rest:
                meta[block].append(rest)
        elif block is not None:
            meta[block].append(line)
        elif "title" not in meta:
            meta["title"] = line
    return meta


def _first_values(data: pd.DataFrame, notna: np.ndarray) -> np.ndarray:
    """Per row, the first non-empty cell (``None`` for blank rows), as an object array."""
    n = len(data)
    if not n or not data.shape[1]:
        return np.full(n, None, dtype=object)
    pos = notna.argmax(axis=1)
    out = np.full(n, None, dtype=object)
    for j in range(data.shape[1]):
        sel = np.flatnonzero((pos == j) & notna[:, j])
        if len(sel):
            out[sel] = data.iloc[:, j].to_numpy()[sel]
    return out


def sheet_from_grid(
    grid: SheetGrid, *, file: str, header_hints: Collection[str] = ()
) -> RawSheet | None:
    """Turn a grid of text cells into a :class:`RawSheet` (header, preamble, dropped rows; see
    the module docstring). Returns ``None`` for a grid without any value. ``header_hints`` are
    compared after :func:`normalize_header` + casefold. The grid is not modified."""
    hints = {_hint_key(h) for h in header_hints if _hint_key(h)}
    cells = grid.cells.copy() if grid.merged else grid.cells
    if cells.empty:
        return None
    nn = grid.notna if grid.notna is not None else cells.notna().to_numpy()
    nonblank = nn.any(axis=1)
    if not nonblank.any():
        return None
    top_n = min(len(cells), HEADER_SEARCH_ROWS)
    top = cells.iloc[:top_n].copy()
    _fill_merged(top, grid.merged, top_n)
    h = _find_header(top, cells, nonblank, hints, grid.merged)
    if h is None:  # pragma: no cover - nonblank.any() was checked
        return None
    if grid.merged:  # header area only; data area: vertical fill below
        _fill_merged(cells, grid.merged, h + 1)
    header_values = cells.iloc[h].tolist()
    consumed_above = False
    if h > 0:  # two-row header: horizontal merges in the row above prefix the names
        for r0, c0, r1, c1 in grid.merged:
            if r0 == h - 1 and r1 == h - 1 and c1 > c0:
                above = normalize_header(cells.iat[r0, c0])
                for c in range(c0, min(c1, len(header_values) - 1) + 1):
                    below = normalize_header(header_values[c])
                    if above and below and below != above:
                        header_values[c] = f"{above} {below}"
                        consumed_above = True
    rows_arr = np.asarray(grid.rows, dtype=np.int64)
    pre_end = h - 1 if consumed_above else h
    preamble = []
    for i in range(pre_end):
        if nonblank[i]:
            vals = list(dict.fromkeys(normalize_header(v) for v in cells.iloc[i] if v is not None))
            line = " ".join(v for v in vals if v)
            if line:
                preamble.append(line)
    meta = {**grid.meta, **_parse_preamble(preamble)} if preamble else dict(grid.meta)

    data = cells.iloc[h + 1 :]
    data_nn = nn[h + 1 :]
    data_rows = rows_arr[h + 1 :]
    # fill vertically merged data cells down
    vertical = [m for m in grid.merged if m[0] > h and m[1] == m[3] and m[2] > m[0]]
    if vertical:
        data = data.copy()
        for r0, c0, r1, _ in vertical:
            if c0 < data.shape[1] and cells.iat[r0, c0] is not None:
                data.iloc[r0 - h - 1 : r1 - h, c0] = cells.iat[r0, c0]
        data_nn = data.notna().to_numpy()

    # columns: drop those with neither a header nor any value
    width = cells.shape[1]
    has_data = data_nn.any(axis=0) if len(data) else np.zeros(width, dtype=bool)
    keep_cols = [c for c in range(width) if normalize_header(header_values[c]) or has_data[c]]
    names = _header_names([header_values[c] for c in keep_cols])
    if len(keep_cols) < width:
        data = data.iloc[:, keep_cols]
        data_nn = data_nn[:, keep_cols]
    data = data.set_axis(names, axis=1, copy=False)

    dropped: list[tuple[int, str]] = []
    n = len(data)
    keep = np.ones(n, dtype=bool)
    if n:
        filled = data_nn.sum(axis=1)
        first = _first_values(data, data_nn)
        blank = filled == 0
        for i in np.flatnonzero(filled == 1):  # a lone whitespace-only cell is blank too
            blank[i] = not first[i].strip()
        match = _TOTAL_RE.match
        starts = _TOTAL_FIRST_CHARS
        total = np.fromiter(
            (
                v is not None and (v[0] in starts or v[0].isspace()) and match(v) is not None
                for v in first
            ),
            dtype=bool,
            count=n,
        )
        total &= ~blank
        is_csv = grid.meta.get("format") == "csv"
        group = np.zeros(n, dtype=bool)
        if not is_csv:
            group = _group_rows(data, grid, h, blank | total) & ~blank & ~total
        for reason, mask in (("blank", blank), ("total", total), ("group", group)):
            for i in np.flatnonzero(mask):
                dropped.append((int(data_rows[i]), reason))
        nul = _nul_rows(grid.meta.get("nul_lines"), data_rows) & ~blank
        if nul.any():
            dropped += [(int(data_rows[i]), NUL_ROW) for i in np.flatnonzero(nul)]
        keep = ~(blank | total | group | nul)
        if group.any():
            data, group_cols = _attach_groups(data, grid, h, group, keep)
            meta["group_columns"] = group_cols
    dropped.sort()
    if keep.all():
        frame = data.set_axis(pd.RangeIndex(n), axis=0, copy=False)
    else:
        frame = data[keep].reset_index(drop=True)
    return RawSheet(
        file=file,
        sheet=grid.name,
        frame=frame,
        rows=data_rows[keep].tolist(),
        header_row=int(rows_arr[h]),
        meta=meta,
        dropped=dropped,
    )


def _nul_rows(nul_lines: list[int] | None, starts: np.ndarray) -> np.ndarray:
    """Mask of the records (starting on file lines ``starts``) that span a line with NUL bytes."""
    mask = np.zeros(len(starts), dtype=bool)
    if not nul_lines or not len(starts):
        return mask
    idx = np.searchsorted(starts, np.asarray(nul_lines, dtype=np.int64), side="right") - 1
    mask[idx[idx >= 0]] = True
    return mask


def _footer_rows(filled: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Lines under the table (Salesforce's report name, copyright, «Generated By», 1C's
    signatures): after the last row with two or more values, past a blank row, only rows with
    a single value. Needs at least two rows with two or more values above them."""
    footer = np.zeros(len(filled), dtype=bool)
    full = np.flatnonzero(filled >= 2)
    if len(full) < 2:
        return footer
    tail = np.arange(int(full[-1]) + 1, len(filled))
    rest = tail[~blank[tail]]
    if not len(rest) or not blank[tail[0] : rest[0]].any():
        return footer
    footer[rest] = True
    return footer


def _text_mask(values: np.ndarray) -> np.ndarray:
    """Per cell: a non-empty cell that is not value-like (each distinct text is tested once)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if not len(uniques):
        return np.zeros(len(values), dtype=bool)
    flags = np.fromiter((not _is_value_like(u) for u in uniques), dtype=bool, count=len(uniques))
    return np.where(codes >= 0, flags[np.maximum(codes, 0)], False)


def _text_only_first(data: pd.DataFrame) -> tuple[np.ndarray, int | None, list[int]]:
    """Per row: whether its only non-value text cell is in the first text column; that column's
    position; and the positions of the text columns."""
    texts = pd.DataFrame(
        {c: _text_mask(data.iloc[:, c].to_numpy()) for c in range(data.shape[1])},
        index=data.index,
    )
    notna = data.notna()
    counts_text = texts.sum(axis=0)
    counts_all = notna.sum(axis=0)
    text_cols = [
        i
        for i in range(data.shape[1])
        if counts_all.iloc[i] and counts_text.iloc[i] * 2 > counts_all.iloc[i]
    ]
    if not text_cols:
        return np.zeros(len(data), dtype=bool), None, []
    first_col = text_cols[0]
    t = texts.to_numpy()
    only_first = t[:, first_col] & (t.sum(axis=1) == 1)
    return only_first, first_col, text_cols


def _group_rows(data: pd.DataFrame, grid: SheetGrid, h: int, skip: np.ndarray) -> np.ndarray:
    """Mask of 1C group/subtotal rows among ``data`` (see the module docstring, rule 4)."""
    n = len(data)
    group = np.zeros(n, dtype=bool)
    rows_idx = slice(h + 1, h + 1 + n)
    live = ~skip
    if live.sum() < 2:
        return group
    if grid.outline is not None:
        levels = np.asarray(grid.outline[rows_idx], dtype=np.int64)
        live_levels = levels[live]
        if len(np.unique(live_levels)) > 1:
            return live & (levels < live_levels.max())
    only_first, first_col, text_cols = _text_only_first(data)
    if first_col is None:
        return group
    if grid.bold is not None:
        bold = np.asarray(grid.bold[rows_idx], dtype=bool)
        candidates = live & bold & only_first
        if 0 < candidates.sum() < live.sum() / 2:
            group |= candidates
    if h > 0:
        notna = data.notna().to_numpy()
        fill = notna[live].mean(axis=0)
        keys = [c for c in text_cols if c != first_col and fill[c] >= 0.8]
        if keys:
            candidates = live & only_first & ~notna[:, keys].any(axis=1)
            if 0 < candidates.sum() < live.sum() / 2:
                group |= candidates
    return group


def _attach_groups(
    data: pd.DataFrame, grid: SheetGrid, h: int, group: np.ndarray, keep: np.ndarray
) -> tuple[pd.DataFrame, list[str]]:
    """Add ``group_1``, ``group_2``, ... columns: the labels of the enclosing group rows."""
    n = len(data)
    if (
        grid.outline is not None
        and len(np.unique(np.asarray(grid.outline[h + 1 : h + 1 + n])[keep | group])) > 1
    ):
        levels = np.asarray(grid.outline[h + 1 : h + 1 + n], dtype=np.int64)
    else:
        levels = np.zeros(n, dtype=np.int64)
    group_levels = sorted(set(levels[group].tolist()))
    depth = {lvl: i for i, lvl in enumerate(group_levels)}
    first = _first_values(data, data.notna().to_numpy()).tolist()
    stack: list[str | None] = [None] * len(group_levels)
    columns: list[list[str | None]] = [[None] * n for _ in group_levels]
    for i in range(n):
        if group[i]:
            d = depth[int(levels[i])]
            stack[d] = first[i]
            for deeper in range(d + 1, len(stack)):
                stack[deeper] = None
        elif keep[i]:
            for d in range(len(stack)):
                columns[d][i] = stack[d]
    out = data.copy()
    names = []
    for d in range(len(group_levels)):
        name = f"group_{d + 1}"
        while name in out.columns:
            name += "_"
        out[name] = columns[d]
        names.append(name)
    return out, names
