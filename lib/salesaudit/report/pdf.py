"""HTML -> PDF: WeasyPrint (A4, embedded fonts, vector charts, page numbers in the contents),
or a system Chromium / Chrome / Edge when WeasyPrint's libraries are missing; no network access.

The report layer only produces bytes (:func:`html_to_pdf_bytes`); writing the file belongs to the
io layer (:func:`salesaudit.io.atomic.atomic_write_bytes`), which :func:`html_to_pdf` calls.
``backend`` is ``"auto"`` (WeasyPrint when it can be imported, else the browser),
``"weasyprint"`` or ``"chromium"``; :func:`resolve_backend` says which one ``auto`` takes.
The browser honours the page size and margins but not WeasyPrint's page-margin boxes and page
references, so its PDF has no running header and the contents list no page numbers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from salesaudit.errors import NotebookError, ParameterError

#: URL schemes a report may load: local files (logo, assets) and inline data
ALLOWED_SCHEMES = frozenset({"file", "data"})
#: values of ``--pdf-backend``
BACKENDS = ("auto", "weasyprint", "chromium")


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot be used here (``None`` when it imports): not installed, or its
    system libraries (Pango, GObject) missing, as on a Windows laptop without GTK."""
    try:
        import weasyprint  # noqa: F401
    except ImportError as exc:
        return f"WeasyPrint is not installed ({exc})"
    except OSError as exc:  # cffi cannot load libpango / libgobject
        return f"WeasyPrint's system libraries are missing ({exc})"
    return None


def resolve_backend(backend: str = "auto") -> str:
    """The PDF backend a run will use: ``"weasyprint"`` or ``"chromium"``.

    ``auto`` takes WeasyPrint when it imports, else a system browser. Raises
    :class:`ParameterError` for an unknown name and :class:`NotebookError` (before anything is
    rendered) when the backend asked for, or neither for ``auto``, is available.
    """
    from salesaudit.io.chromium import BROWSER_ENV, find_browser

    if backend not in BACKENDS:
        raise ParameterError(f"unknown PDF backend {backend!r}", hint="use " + " | ".join(BACKENDS))
    browser_hint = (
        "install Google Chrome, Microsoft Edge or Chromium, or set "
        f"{BROWSER_ENV} to the browser's executable"
    )
    if backend == "chromium":
        if find_browser() is None:
            raise NotebookError(
                "--pdf-backend chromium: no Chromium, Google Chrome or Microsoft Edge found",
                hint=browser_hint,
            )
        return "chromium"
    problem = weasyprint_problem()
    if problem is None:
        return "weasyprint"
    if backend == "weasyprint":
        raise NotebookError(
            f"--pdf-backend weasyprint: {problem}",
            hint="install WeasyPrint with its libraries (see its installation guide), or use "
            "--pdf-backend chromium",
        )
    if find_browser() is None:
        raise NotebookError(
            f"no PDF renderer: {problem}, and no Chromium, Google Chrome or Microsoft Edge "
            "was found",
            hint=f"{browser_hint}; or install WeasyPrint's libraries (Pango)",
        )
    return "chromium"


def _fetcher():  # noqa: ANN202 - WeasyPrint type
    from weasyprint.urls import URLFetcher

    # allowed_protocols makes WeasyPrint refuse http(s)/ftp before any connection is made
    return URLFetcher(allowed_protocols=set(ALLOWED_SCHEMES), timeout=5)


def html_to_pdf_bytes(
    html: str, *, base_url: Path | str | None = None, backend: str = "auto"
) -> bytes:
    """Render an HTML document to PDF bytes (A4 per the document's ``@page`` CSS).

    Relative URLs resolve against ``base_url`` (a folder); only ``file:`` and ``data:`` URLs are
    fetched, anything else (http, https, ftp) is refused so a run never touches the network.
    Fonts are embedded (subsets). ``backend`` as in :func:`resolve_backend`. Raises
    :class:`NotebookError` when rendering fails or no backend is available.
    """
    if resolve_backend(backend) == "chromium":
        from salesaudit.io.chromium import html_to_pdf_chromium

        return html_to_pdf_chromium(html, base_url=base_url)
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


def html_to_pdf(
    html: str, out_path: Path, *, base_url: Path | None = None, backend: str = "auto"
) -> Path:
    """Render ``html`` and write the PDF to ``out_path`` atomically (via the io layer; the folder
    must exist)."""
    from salesaudit.io.atomic import atomic_write_bytes

    data = html_to_pdf_bytes(html, base_url=base_url, backend=backend)
    return atomic_write_bytes(Path(out_path), data)
