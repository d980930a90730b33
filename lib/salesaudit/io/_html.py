"""Reading HTML tables (Bitrix24's "Excel" export is an HTML page saved as ``.xls``)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from salesaudit.errors import InputFileError
from salesaudit.io._excel import DAMAGED_HINT, SheetGrid, _grid

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACE_RE = re.compile(r"[ \t\r\n\u00a0]+")


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes of a file look like an HTML page or a bare HTML table."""
    text = head[:2048].lower()
    for bom in (b"\xef\xbb\xbf",):
        text = text.removeprefix(bom)
    return any(tag in text for tag in (b"<html", b"<table", b"<meta", b"<!doctype html"))


def decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """Decode an HTML file: declared charset first, then UTF-8, then Windows-1251."""
    candidates: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    m = _CHARSET_RE.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii").lower())
    candidates += ["utf-8", "cp1251"]
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise InputFileError(
        "unreadable encoding, save as UTF-8",
        file=path,
        hint="export the table again as XLSX or CSV",
    )


def _cell_text(el: object) -> str | None:
    for br in el.iter("br"):  # type: ignore[attr-defined]
        br.tail = "\n" + (br.tail or "")
    raw = el.text_content()  # type: ignore[attr-defined]
    lines = [_SPACE_RE.sub(" ", line).strip() for line in raw.split("\n")]
    text = "\n".join(line for line in lines if line)
    return text or None


def read_html(data: bytes, path: Path) -> list[SheetGrid]:
    """Read every top-level ``<table>`` of an HTML file into a grid, all cells as text.

    ``colspan``/``rowspan`` are expanded: the value goes to the top-left cell and the span is
    recorded in ``merged`` (the header logic fills it like Excel merged cells).
    """
    import lxml.html  # local: only needed for HTML exports

    text, encoding = decode_html(data, path)
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        doc = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError / XMLSyntaxError / ValueError
        raise InputFileError(
            f"file is damaged, cannot read the HTML table ({type(exc).__name__})",
            file=path,
            hint=DAMAGED_HINT,
        ) from None
    grids = []
    tables = [t for t in doc.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    for number, table in enumerate(tables, start=1):
        trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        rows: list[list[str | None]] = []
        merged: list[tuple[int, int, int, int]] = []
        pending: dict[tuple[int, int], bool] = {}  # cells covered by a rowspan from above
        for r, tr in enumerate(trs):
            row: list[str | None] = []
            c = 0
            for td in tr.xpath("./td|./th"):
                while pending.pop((r, c), False):
                    row.append(None)
                    c += 1
                try:
                    colspan = max(1, min(int(td.get("colspan", "1") or 1), 1000))
                    rowspan = max(1, min(int(td.get("rowspan", "1") or 1), 10000))
                except ValueError:
                    colspan = rowspan = 1
                row.append(_cell_text(td))
                row.extend([None] * (colspan - 1))
                if colspan > 1 or rowspan > 1:
                    merged.append((r, c, r + rowspan - 1, c + colspan - 1))
                    for rr in range(r + 1, r + rowspan):
                        for cc in range(c, c + colspan):
                            pending[(rr, cc)] = True
                c += colspan
            while pending.pop((r, c), False):
                row.append(None)
                c += 1
            rows.append(row)
        if not rows:
            continue
        grids.append(
            SheetGrid(
                name=f"table {number}" if len(tables) > 1 else None,
                cells=_grid(rows),
                rows=np.arange(1, len(rows) + 1, dtype=np.int64),
                merged=merged,
                meta={"format": "html", "encoding": encoding},
            )
        )
    return grids
