"""Reading CSV/TSV text exports: encoding and delimiter detection, quoting, source line numbers."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from salesaudit.errors import InputFileError
from salesaudit.io._excel import SheetGrid
from salesaudit.io.safe_text import exception_text

DELIMITERS = (",", ";", "\t")
_ENCODING_HINT = "save as UTF-8 (in Excel: Save As > 'CSV UTF-8'), or export as XLSX"
#: cp1251 characters a real Russian text uses besides letters (quotes, dashes, №, NBSP, ...)
_CP1251_COMMON = set("«»№–—“”„‘’•…ёЁ\u00a0°±§©®™€·")
_SAMPLE_CHARS = 256 * 1024
_SAMPLE_RECORDS = 50
_FIELDS_RE = re.compile(r"saw (\d+)")
_SEP_LINE_RE = re.compile(r"sep=([,;\t|])\r?\n")
#: above this many columns the reader first finds the last column used (a header dragged out to
#: column 16000 by Excel) and converts only the columns up to it
_WIDE = 256


def _plausible_text(text: str) -> bool:
    """Whether decoded text looks like a human-readable table, not binary or a wrong codec."""
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return True
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if control > len(sample) * 0.001:
        return False
    non_ascii = [ch for ch in sample if ord(ch) > 127]
    if not non_ascii:
        return True
    odd = sum(
        1
        for ch in non_ascii
        if ch not in _CP1251_COMMON and not unicodedata.category(ch).startswith(("L", "N", "Z"))
    )
    return odd <= len(non_ascii) * 0.05


def _decode_head(data: bytes, encoding: str) -> str | None:
    """Decode the first bytes of ``data`` strictly (a character cut at the end is fine)."""
    head = data[: _SAMPLE_CHARS * 2]
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=len(head) == len(data))
    except UnicodeDecodeError:
        return None


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode the start of a text export and name its encoding.

    Returns ``(text, encoding)`` where ``text`` is the decoded start of the file (at least
    256 K characters, or all of it) and ``encoding`` one of ``utf-8-sig``, ``utf-16``,
    ``utf-8``, ``cp1251``. UTF-8 is checked on the start only; :func:`read_csv` falls back to
    Windows-1251 if a later byte is not UTF-8. Raises :class:`InputFileError` "unreadable
    encoding, save as UTF-8" when no encoding gives plausible text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_head(data[3:], "utf-8")
        if text is not None:
            return text, "utf-8-sig"
    else:
        for encoding in ("utf-8", "cp1251"):
            text = _decode_head(data, encoding)
            if text is not None and _plausible_text(text):
                return text, encoding
    raise InputFileError("unreadable encoding, save as UTF-8", file=path, hint=_ENCODING_HINT)


def _cp1251_fallback(data: bytes, path: Path) -> str:
    """Encoding to use when a file that started as UTF-8 is not UTF-8 further on."""
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = None
    if text is None or not _plausible_text(text) or not _plausible_text(text[-_SAMPLE_CHARS:]):
        raise InputFileError("unreadable encoding, save as UTF-8", file=path, hint=_ENCODING_HINT)
    return "cp1251"


def _record_counts(sample: str, delimiter: str, escapes: bool) -> list[int]:
    """Delimiters outside quotes per record, for the complete records of ``sample``."""
    counts: list[int] = []
    in_quotes = False
    current = 0
    i, n = 0, len(sample)
    while i < n and len(counts) < _SAMPLE_RECORDS:
        ch = sample[i]
        if in_quotes:
            if escapes and ch == "\\" and i + 1 < n:
                i += 2
                continue
            if ch == '"':
                if i + 1 < n and sample[i + 1] == '"':
                    i += 2
                    continue
                in_quotes = False
        elif ch == '"':
            in_quotes = True
        elif ch == delimiter:
            current += 1
        elif ch == "\n":
            counts.append(current)
            current = 0
        i += 1
    return counts


def detect_delimiter(text: str, *, escapes: bool = False) -> str:
    """Pick ``','``, ``';'`` or tab: the one whose count outside quotes is the same on most of the
    first records (ties -> the larger count). A single-column file gives ``','``."""
    sample = text[:_SAMPLE_CHARS]
    if not sample.endswith("\n"):
        cut = sample.rfind("\n")
        sample = sample[: cut + 1] if cut >= 0 else sample + "\n"
    best, best_score = ",", (0.0, 0)
    for delim in DELIMITERS:
        counts = [c for c in _record_counts(sample, delim, escapes)]
        nonblank = [c for c in counts if c > 0] or [0]
        mode, freq = Counter(nonblank).most_common(1)[0]
        if mode == 0:
            continue
        score = (freq / len(counts), mode)
        if score > best_score:
            best, best_score = delim, score
    return best


def has_backslash_escapes(text: str) -> bool:
    """Whether quoted fields escape quotes as ``\\"`` (Bitrix24 CSV) rather than ``""``."""
    return '\\"' in text


def read_csv(data: bytes, path: Path) -> list[SheetGrid]:
    """Read a CSV/TSV export into one grid of text cells (``''`` -> ``None``).

    Row numbers are the file line on which each record starts (records with line breaks inside
    quoted fields span several lines). Uses pandas' C parser on the raw bytes; quotes escaped
    as ``\\"`` (Bitrix24) are handled with ``escapechar``, doubled quotes always.
    """
    nul_lines: list[int] = []
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data, nul_lines = _strip_nul(data)
    text, encoding = decode_text(data, path)
    if encoding == "utf-16":
        source: io.IOBase = io.StringIO(text)
        read_encoding = None
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        escapes = has_backslash_escapes(text)
    else:
        source = io.BytesIO(data)
        read_encoding = encoding
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        escapes = b'\\"' in data
    truncated = len(text) > _SAMPLE_CHARS
    sample = text[:_SAMPLE_CHARS].removeprefix("\ufeff")
    del text  # the parser reads the bytes; do not keep a second copy of a big file
    sep_line = _SEP_LINE_RE.match(sample)  # Excel's "sep=;" first line names the delimiter
    skip = 1 if sep_line else 0
    if sep_line:
        delimiter = sep_line.group(1)
        sample = sample[sep_line.end() :]
    else:
        delimiter = detect_delimiter(sample, escapes=escapes)
    if not sample.endswith("\n"):
        cut = sample.rfind("\n")
        sample = sample[: cut + 1] if truncated and cut >= 0 else sample + "\n"
    width = max(_record_counts(sample, delimiter, escapes) or [0]) + 1
    kwargs: dict = {
        "sep": delimiter,
        "header": None,
        "dtype": str,
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "quotechar": '"',
        "doublequote": True,
        "engine": "c",
        "index_col": False,
        "quoting": csv.QUOTE_MINIMAL,
        "encoding": read_encoding,
        "skiprows": skip,
    }
    if escapes:
        kwargs["escapechar"] = "\\"
    frame = None
    if width > _WIDE:  # thousands of (mostly empty) columns: keep only those up to the last value
        if read_encoding is None:
            full = source.getvalue()
        else:
            try:
                full = data.decode(read_encoding)
            except UnicodeDecodeError:
                encoding = _cp1251_fallback(data, path)
                full = data.decode(encoding)
        frame = _wide_frame(full.removeprefix("\ufeff"), delimiter, escapes, skip)
        del full
    for _ in range(20 if frame is None else 0):
        source.seek(0)
        try:
            frame = pd.read_csv(source, names=list(range(width)), **kwargs)
            break
        except pd.errors.ParserError as exc:
            m = _FIELDS_RE.search(str(exc))
            if not m or int(m.group(1)) <= width:
                raise InputFileError(
                    f"cannot split the text into columns ({exception_text(exc)})",
                    file=path,
                    hint="check the file is a CSV export; export again as XLSX or UTF-8 CSV",
                ) from None
            width = int(m.group(1))
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame(columns=range(width), dtype=object)
            break
        except UnicodeDecodeError:
            if kwargs["encoding"] not in ("utf-8", "utf-8-sig"):
                raise InputFileError(
                    "unreadable encoding, save as UTF-8", file=path, hint=_ENCODING_HINT
                ) from None
            kwargs["encoding"] = encoding = _cp1251_fallback(data, path)
    if frame is None:
        raise InputFileError(
            "cannot split the text into columns (row lengths vary too much)",
            file=path,
            hint="export again as XLSX or UTF-8 CSV",
        )
    na = frame.isna().to_numpy()
    cells = frame  # ours: replace the parser's NaN by None in place, column by column
    for j, col in enumerate(cells.columns):
        if na[:, j].any():
            arr = cells[col].to_numpy(dtype=object)
            arr[na[:, j]] = None
            if cells[col].iat[int(np.argmax(na[:, j]))] is not None:  # got a copy, not a view
                cells[col] = arr
    rows = _record_start_lines(lines - skip, cells, na) + skip
    return [
        SheetGrid(
            name=None,
            cells=cells,
            rows=rows,
            meta={
                "format": "csv",
                "encoding": encoding,
                "delimiter": delimiter,
                "escapechar": "\\" if escapes else None,
                **({"nul_lines": nul_lines} if nul_lines else {}),
            },
            notna=~na,
        )
    ]


def _wide_frame(text: str, delimiter: str, escapes: bool, skip: int) -> pd.DataFrame:
    """A very wide CSV read with the csv module: every record, cut after the last column that
    holds a value in any record (pandas would build a column object for each of 16 000 empty
    columns). Same cells as the pandas reader: text, ``''`` -> ``None``."""
    reader = csv.reader(
        io.StringIO(text),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        escapechar="\\" if escapes else None,
        strict=False,
    )
    rows: list[list[str]] = []
    last = -1
    for i, row in enumerate(reader):
        if i < skip:
            continue
        if len(row) > last + 1 and any(row[last + 1 :]):
            last = next(j for j in range(len(row) - 1, last, -1) if row[j] != "")
        rows.append(row[: max(last + 1, 0) + 4096])  # bound the memory of one record
    used = last + 1
    cells = [r[:used] + [""] * (used - len(r)) if len(r) < used else r[:used] for r in rows]
    frame = pd.DataFrame(cells, columns=range(used), dtype=object)
    return frame.mask(frame == "", None) if used else frame


def _strip_nul(data: bytes) -> tuple[bytes, list[int]]:
    """``data`` without its NUL bytes, and the 1-based file lines that held them (the reader
    skips the records on those lines and reports them)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    nul = np.flatnonzero(arr == 0)
    newlines = np.flatnonzero(arr == 10)
    lines = np.unique(np.searchsorted(newlines, nul) + 1)
    return data.replace(b"\x00", b""), [int(x) for x in lines]


def _record_start_lines(lines: int, cells: pd.DataFrame, na: np.ndarray) -> np.ndarray:
    """1-based file line of each record's start (a record spans 1 + its embedded line breaks);
    ``lines`` is the number of lines in the file."""
    n = len(cells)
    if lines <= n:
        return np.arange(1, n + 1, dtype=np.int64)
    extra = np.zeros(n, dtype=np.int64)
    for j, col in enumerate(cells.columns):
        arr = cells[col].to_numpy()
        present = np.flatnonzero(~na[:, j])
        extra[present] += _newline_counts(arr[present].tolist())
    starts = np.ones(n, dtype=np.int64)
    if n > 1:
        starts[1:] = 1 + np.cumsum(1 + extra[:-1])
    return starts


def _newline_counts(values: list[str]) -> np.ndarray:
    """Number of ``"\n"`` in each string, counted on one joined buffer (no per-cell calls)."""
    joined = "\x00".join(values)
    if "\n" not in joined:
        return np.zeros(len(values), dtype=np.int64)
    if joined.count("\x00") != max(len(values) - 1, 0):  # a cell holds NUL: count one by one
        return np.fromiter((v.count("\n") for v in values), dtype=np.int64, count=len(values))
    buf = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.append(np.flatnonzero(buf == 0), len(buf))
    before_end = np.searchsorted(np.flatnonzero(buf == 10), ends)
    return np.diff(before_end, prepend=0).astype(np.int64)
