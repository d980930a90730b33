"""Print an HTML document to PDF with a system Chromium, Google Chrome or Microsoft Edge.

The second PDF backend, for machines where WeasyPrint's system libraries (Pango) are missing,
typically a Windows laptop that has Edge or Chrome anyway. The browser runs headless with a
fresh profile in a temporary folder, every host name resolving to nothing (no network), and
prints the page with the document's own ``@page`` size and margins; the temporary folder is
removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from salesaudit.errors import NotebookError

__all__ = ["BROWSER_ENV", "browser_candidates", "find_browser", "html_to_pdf_chromium"]

#: environment variable naming the browser executable to use (overrides the search)
BROWSER_ENV = "SALESAUDIT_CHROMIUM"
#: names looked up on PATH, in order
PATH_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
)
_WINDOWS = (
    ("PROGRAMFILES", r"Google\Chrome\Application\chrome.exe"),
    ("PROGRAMFILES(X86)", r"Google\Chrome\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Google\Chrome\Application\chrome.exe"),
    ("PROGRAMFILES(X86)", r"Microsoft\Edge\Application\msedge.exe"),
    ("PROGRAMFILES", r"Microsoft\Edge\Application\msedge.exe"),
    ("PROGRAMFILES", r"Chromium\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Chromium\Application\chrome.exe"),
)
_MACOS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)


def browser_candidates() -> list[Path]:
    """Where a browser is looked for, in order: ``$SALESAUDIT_CHROMIUM``, PATH, then the usual
    install places on Windows (Chrome, Edge, Chromium) and macOS."""
    out: list[Path] = []
    env = os.environ.get(BROWSER_ENV, "").strip()
    if env:
        out.append(Path(env))
    for name in PATH_NAMES:
        hit = shutil.which(name)
        if hit:
            out.append(Path(hit))
    if sys.platform == "win32":
        for var, rel in _WINDOWS:
            base = os.environ.get(var)
            if base:
                out.append(Path(base) / rel)
    elif sys.platform == "darwin":
        out.extend(Path(p) for p in _MACOS)
    return out


def find_browser() -> Path | None:
    """The first existing browser of :func:`browser_candidates`, or ``None``."""
    for p in browser_candidates():
        if p.is_file() and os.access(p, os.X_OK):
            return p
    return None


def _with_base(html: str, base_url: Path | str | None) -> str:
    """``html`` with a ``<base href>`` so relative URLs resolve against ``base_url``."""
    if base_url is None:
        return html
    p = Path(base_url).resolve()
    href = p.as_uri() + ("/" if p.is_dir() else "")
    tag = f'<base href="{href}">'
    low = html.lower()
    i = low.find("<head>")
    if i >= 0:
        return html[: i + 6] + tag + html[i + 6 :]
    return tag + html


def html_to_pdf_chromium(
    html: str,
    *,
    base_url: Path | str | None = None,
    executable: Path | str | None = None,
    timeout: float = 180.0,
) -> bytes:
    """Print ``html`` to PDF bytes with a headless Chromium/Chrome/Edge.

    ``executable`` defaults to :func:`find_browser`. Relative URLs resolve against
    ``base_url``. Raises :class:`NotebookError` when no browser is found, it fails, times out
    or writes no PDF (the message carries the end of the browser's own output).
    """
    exe = Path(executable) if executable else find_browser()
    if exe is None:
        raise NotebookError(
            "no Chromium, Google Chrome or Microsoft Edge found to print the PDF",
            hint=f"install one of them, or set {BROWSER_ENV} to the browser's executable",
        )
    with tempfile.TemporaryDirectory(prefix="salesaudit-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        out = folder / "report.pdf"
        page.write_text(_with_base(html, base_url), encoding="utf-8")
        args = [
            str(exe),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: every host name fails
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",  # the same for browsers older than 2023
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            proc = subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise NotebookError(
                f"the browser did not print the PDF within {timeout:.0f} s",
                file=exe,
                hint="close other browser windows and retry, or use --pdf-backend weasyprint",
            ) from exc
        except OSError as exc:
            raise NotebookError(
                f"cannot start the browser to print the PDF ({exc.strerror or exc})",
                file=exe,
                hint=f"check the path, or set {BROWSER_ENV} to another browser",
            ) from exc
        data = out.read_bytes() if out.is_file() else b""
        if not data.startswith(b"%PDF"):
            tail = (proc.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-3:]
            raise NotebookError(
                f"the browser wrote no PDF (exit code {proc.returncode})",
                file=exe,
                hint=("browser said: " + " | ".join(tail)) if tail else None,
            )
        return data
