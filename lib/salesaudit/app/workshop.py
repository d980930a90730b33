"""``salesaudit workshop CLIENT_DIR``: the live workshop dashboard, served by Voilà on loopback only.

Two things live here:

- :func:`build_dashboard` — what ``notebooks/workshop.ipynb`` calls: loads and audits the client
  folder (``$SALESAUDIT_CLIENT_DIR`` when no folder is given), builds the
  :class:`~salesaudit.workshop.WorkshopState` and returns the dashboard widget. Answers given in the
  interview panel are saved to the client's ``answers.yaml`` atomically (the previous file is kept).
- the command: validates ``CLIENT_DIR``, starts Voilà on ``127.0.0.1`` (a free port unless
  ``--port`` is given) with sources stripped and tracebacks hidden, passes the folder and language
  through the environment, prints the URL and stops the server cleanly on Ctrl-C.

Voilà only executes the notebook it serves; it has no terminals, file browser or code console, and
the page cannot send code to the kernel beyond widget messages.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from typing import Any

from salesaudit.errors import InputFileError, NotebookError, ParameterError

HELP = "serve the live workshop dashboard (Voilà) for a client folder on 127.0.0.1"

#: environment variables the notebook reads when its parameters are empty
ENV_CLIENT_DIR = "SALESAUDIT_CLIENT_DIR"
ENV_LANG = "SALESAUDIT_LANG"
LANGS = ("ru", "en")
HOST = "127.0.0.1"
#: how long to wait for Voilà to answer before giving up (seconds)
START_TIMEOUT = 90.0


# --- the notebook's entry point -------------------------------------------------------------


def resolve_client_dir(client_dir: str | os.PathLike[str] | None) -> Path:
    """The client folder to open: ``client_dir`` or ``$SALESAUDIT_CLIENT_DIR``; checked to exist.

    Raises :class:`ParameterError` when neither is set and :class:`InputFileError` when the
    folder is missing or has no ``raw/`` sub-folder.
    """
    text = str(client_dir or "").strip() or os.environ.get(ENV_CLIENT_DIR, "").strip()
    if not text:
        raise ParameterError(
            "no client folder given",
            hint=f"pass client_dir=... or set {ENV_CLIENT_DIR}, "
            "or run `salesaudit workshop CLIENT_DIR`",
        )
    path = Path(text).expanduser().resolve()
    if not path.is_dir():
        raise InputFileError(
            "client folder not found", file=path, hint="check the path; it must be a folder"
        )
    if not (path / "raw").is_dir():
        raise InputFileError(
            "not a client folder: it has no raw/ sub-folder",
            file=path,
            hint="put the client's exports into CLIENT_DIR/raw/ (see docs/architecture.md)",
        )
    return path


def resolve_lang(lang: str | None) -> str:
    """``$SALESAUDIT_LANG`` when set (the command passes ``--lang`` this way), else ``lang``."""
    value = (os.environ.get(ENV_LANG, "").strip() or (lang or "ru").strip()).lower()
    if value not in LANGS:
        raise ParameterError(
            f"unknown language {value!r}", column="lang", hint=f"use one of: {', '.join(LANGS)}"
        )
    return value


def build_dashboard(client_dir: str = "", lang: str = "ru", *, as_of: Any = None) -> Any:
    """Load and audit ``client_dir`` and return the workshop dashboard (display it).

    ``client_dir`` empty means ``$SALESAUDIT_CLIENT_DIR``; ``lang`` is ``"ru"`` or ``"en"``
    (``$SALESAUDIT_LANG`` overrides it, so that ``salesaudit workshop --lang`` works under Voilà).
    The analyses are kept as objects for the panels; area scores are recomputed live from the
    audit's indicators and the answers given in the interview panel, which are saved to
    ``client_dir/answers.yaml`` (the previous file is kept as ``answers.prev.yaml``).
    """
    import datetime as dt

    from salesaudit.analytics.suite import run_all
    from salesaudit.app.audit import audit_client, load_checklist, read_report_settings
    from salesaudit.workshop import WorkshopState
    from salesaudit.workshop import build_dashboard as _build

    path = resolve_client_dir(client_dir)
    language = resolve_lang(lang)
    checklist = load_checklist()
    result, loaded = audit_client(path, as_of=as_of, lang=language, checklist=checklist)
    settings = read_report_settings(path)
    analyses = run_all(
        loaded.dataset,
        as_of=dt.date.fromisoformat(str(result.meta["as_of"])[:10]),
        coaching=checklist.coaching,
        params=settings.get("analysis") or None,
    )
    state = WorkshopState.from_audit(result, loaded.dataset, analyses, checklist, lang=language)
    return _build(state, save_answers=_answers_saver(path))


def _answers_saver(client_dir: Path) -> Any:
    """A callback ``save(answers: dict) -> Path`` writing ``client_dir/answers.yaml`` atomically."""
    from salesaudit.workshop import save_answers

    def save(answers: dict[str, Any]) -> Path:
        return save_answers(client_dir, answers)

    return save


# --- the command ----------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit workshop``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="client folder (with raw/)")
    parser.add_argument(
        "--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one)"
    )
    parser.add_argument("--lang", choices=LANGS, default="ru", help="dashboard language")
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a web browser, only print the URL"
    )


def notebook_path() -> Path:
    """``notebooks/workshop.ipynb`` of the checkout (the package is installed editable)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "notebooks" / "workshop.ipynb"
        if candidate.is_file():
            return candidate
    raise NotebookError(
        "notebooks/workshop.ipynb not found next to the package",
        hint="run from a checkout of the salesaudit repository (pip install -e .)",
    )


def free_port(host: str = HOST) -> int:
    """A TCP port on ``host`` that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _port_in_use(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def voila_command(notebook: Path, port: int) -> list[str]:
    """The Voilà command line: loopback only, no browser, sources stripped, no tracebacks."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        # serve no files beside the page (the default allows images of the notebook folder)
        "--VoilaConfiguration.file_allowlist=(?!)",
    ]


def _wait_until_up(proc: subprocess.Popen, url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NotebookError(
                f"the Voilà server stopped at start (exit code {proc.returncode})",
                hint="see the messages above; is the port free and the venv complete?",
            )
        try:
            # only the server's static page is asked for: it does not start a kernel
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # the server answers (even a 404 means it is up)
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise NotebookError(f"the Voilà server did not answer within {timeout:.0f} s", hint=url)


#: how long Voilà gets to shut its kernel down after SIGTERM before it is killed (seconds)
STOP_TIMEOUT = 30.0


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (Voilà then shuts its kernel down); kill it when it
    has not stopped within :data:`STOP_TIMEOUT`."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM / SIGHUP handler: stop like Ctrl-C, so that the server is stopped too."""
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    """Serve the workshop until Ctrl-C; returns 0 after a clean stop."""
    client_dir = resolve_client_dir(args.client_dir)
    notebook = notebook_path()
    if args.port is None:
        port = free_port()
    else:
        if not 1 <= args.port <= 65535:
            raise ParameterError(f"port {args.port} is out of range", hint="use 1..65535")
        if _port_in_use(args.port):
            raise ParameterError(
                f"port {args.port} on {HOST} is already in use",
                hint="omit --port to pick a free one",
            )
        port = args.port
    env = dict(os.environ)
    env[ENV_CLIENT_DIR] = str(client_dir)
    env[ENV_LANG] = args.lang
    # traitlets warns about the list option's syntax; users need not see it
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    url = f"http://{HOST}:{port}/"
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    proc = subprocess.Popen(
        voila_command(notebook, port),
        env=env,
        cwd=str(notebook.parent),
        start_new_session=True,  # Ctrl-C reaches us only; we stop the server ourselves
    )
    try:
        _wait_until_up(proc, url, START_TIMEOUT)
        print(f"salesaudit workshop: {client_dir.name} at {url}  (Ctrl-C to stop)", flush=True)
        if not args.no_browser:
            webbrowser.open(url)
        while proc.poll() is None:
            time.sleep(0.5)
        if proc.returncode not in (0, -signal.SIGTERM):
            raise NotebookError(f"the Voilà server stopped (exit code {proc.returncode})")
        return 0
    except KeyboardInterrupt:
        print("salesaudit workshop: stopping the server ...", file=sys.stderr, flush=True)
        _stop(proc)
        print("salesaudit workshop: stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        _stop(proc)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
