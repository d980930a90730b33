"""HTML -> PDF with WeasyPrint: A4, embedded fonts, vector charts, and no network access.

The report layer only produces bytes (:func:`html_to_pdf_bytes`); writing the file belongs to the
io layer (:func:`salesaudit.io.atomic.atomic_write_bytes`), which :func:`html_to_pdf` calls.
"""

from __future__ import annotations

import logging
from pathlib import Path

from salesaudit.errors import NotebookError

#: URL schemes a report may load: local files (logo, assets) and inline data
ALLOWED_SCHEMES = frozenset({"file", "data"})


def _fetcher():  # noqa: ANN202 - WeasyPrint type
    from weasyprint.urls import URLFetcher

    # allowed_protocols makes WeasyPrint refuse http(s)/ftp before any connection is made
    return URLFetcher(allowed_protocols=set(ALLOWED_SCHEMES), timeout=5)


def html_to_pdf_bytes(html: str, *, base_url: Path | str | None = None) -> bytes:
    """Render an HTML document to PDF bytes (A4 per the document's ``@page`` CSS).

    Relative URLs resolve against ``base_url`` (a folder); only ``file:`` and ``data:`` URLs are
    fetched, anything else (http, https, ftp) is refused so a run never touches the network.
    Fonts are embedded (subsets) by WeasyPrint. Raises :class:`NotebookError` when rendering fails.
    """
    try:
        import weasyprint
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise NotebookError("WeasyPrint is not installed", hint="pip install weasyprint") from exc
    base = None
    if base_url is not None:
        p = Path(base_url).resolve()
        base = p.as_uri() + ("/" if p.is_dir() else "")
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        doc = weasyprint.HTML(string=html, base_url=base, url_fetcher=_fetcher())
        data = doc.write_pdf()
    except Exception as exc:  # WeasyPrint raises many kinds; the user gets one clear message
        raise NotebookError(
            f"could not render the report PDF: {exc}",
            hint="check the report HTML (run with --html to inspect it)",
        ) from exc
    if not data:
        raise NotebookError("the PDF renderer returned nothing")
    return bytes(data)


def html_to_pdf(html: str, out_path: Path, *, base_url: Path | None = None) -> Path:
    """Render ``html`` and write the PDF to ``out_path`` atomically (via the io layer; the folder
    must exist)."""
    from salesaudit.io.atomic import atomic_write_bytes

    return atomic_write_bytes(Path(out_path), html_to_pdf_bytes(html, base_url=base_url))
