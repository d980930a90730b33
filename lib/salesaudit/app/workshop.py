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
import contextlib
import os
import secrets
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

from salesaudit.errors import InputFileError, NotebookError, ParameterError, SalesAuditError

HELP = "serve the live workshop dashboard (Voilà) for a client folder on 127.0.0.1"

#: environment variables the notebook reads when its parameters are empty
ENV_CLIENT_DIR = "SALESAUDIT_CLIENT_DIR"
ENV_LANG = "SALESAUDIT_LANG"
#: the server's access token travels in this variable (read and removed by the server)
ENV_TOKEN = "SALESAUDIT_WORKSHOP_TOKEN"
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


#: where ``salesaudit run`` (and the workshop itself) keep the workshop snapshot of a client
SNAPSHOT_FILE = Path(".salesaudit") / "workshop.json"


def snapshot_path(client_dir: str | os.PathLike[str]) -> Path:
    """``CLIENT_DIR/.salesaudit/workshop.json``: the last audit, as the workshop needs it."""
    return Path(client_dir) / SNAPSHOT_FILE


def input_fingerprint(client_dir: str | os.PathLike[str], *, lang: str, as_of: Any) -> dict:
    """What a snapshot must have been computed from to be reused: the SHA-256 of every raw file,
    ``mapping.yaml``, ``report.yaml`` and the checklist files, the assessment date, the language
    and the package version. Interview answers are left out: the workshop reads the current
    ones and rescores live."""
    import salesaudit
    from salesaudit.io.checklist_files import default_checklist_dir
    from salesaudit.io.folder import file_sha256, open_client_folder

    folder = open_client_folder(client_dir)
    answers = (
        folder.answers_path.relative_to(folder.root).as_posix() if folder.answers_path else None
    )
    files = {k: v for k, v in folder.hashes.items() if k != answers}
    if folder.report_settings_path is not None:
        files[folder.report_settings_path.name] = file_sha256(folder.report_settings_path)
    checklist = default_checklist_dir()
    for path in sorted(checklist.glob("*.yaml")):
        files["checklist/" + path.name] = file_sha256(path)
    return {
        "files": dict(sorted(files.items())),
        # without a date anywhere the audit takes the data's last day: the files decide it
        "as_of": str(as_of)[:10] if as_of is not None else "from the data",
        "lang": lang,
        "version": salesaudit.__version__,
    }


def _effective_as_of(client_dir: Path, as_of: Any) -> Any:
    """The assessment date an audit of ``client_dir`` uses: ``as_of``, else report.yaml's."""
    if as_of is not None:
        return as_of
    from salesaudit.app.audit import read_report_settings

    return read_report_settings(client_dir).get("as_of")


def write_snapshot(
    client_dir: str | os.PathLike[str],
    state: Any,
    result: Any,
    *,
    lang: str,
    as_of: Any = None,
) -> Path:
    """Store the workshop snapshot of an audit of ``client_dir`` (atomically)."""
    from salesaudit.io.jsonfile import write_json_atomic
    from salesaudit.workshop.snapshot import snapshot_payload

    path = Path(client_dir)
    fingerprint = input_fingerprint(path, lang=lang, as_of=_effective_as_of(path, as_of))
    return write_json_atomic(snapshot_path(path), snapshot_payload(state, result, fingerprint))


def compute_state(
    client_dir: Path, lang: str, *, as_of: Any = None, checklist: Any = None
) -> tuple[Any, Any]:
    """Load and audit ``client_dir``: the workshop state and the audit result."""
    from salesaudit.app.audit import audit_client_analyses, load_checklist
    from salesaudit.workshop import WorkshopState

    checklist = checklist if checklist is not None else load_checklist()
    # the workshop discusses the data as they are: problems `validate` refuses (and `run`
    # stops on without --accept-incomplete) are listed with the data quality, not fatal here
    result, loaded, analyses = audit_client_analyses(
        client_dir, as_of=as_of, lang=lang, checklist=checklist, accept_incomplete=True
    )
    state = WorkshopState.from_audit(result, loaded.dataset, analyses, checklist, lang=lang)
    return state, result


def load_state(
    client_dir: str | os.PathLike[str], lang: str = "ru", *, as_of: Any = None
) -> tuple[Any, str]:
    """The workshop state of ``client_dir`` and where it came from: ``"snapshot"`` (the last
    audit's snapshot, up to date with every input) or ``"computed"`` (loaded and audited now;
    the snapshot is then written for the next opening, best effort)."""
    import datetime as dt

    from salesaudit.app.audit import load_answers, load_checklist
    from salesaudit.io.jsonfile import read_json_or_none
    from salesaudit.workshop.snapshot import snapshot_matches, state_from_snapshot

    path = Path(client_dir)
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    checklist = load_checklist()
    when = _effective_as_of(path, as_of)
    fingerprint = input_fingerprint(path, lang=lang, as_of=when)
    payload = read_json_or_none(snapshot_path(path))
    if snapshot_matches(payload, fingerprint):
        current = load_answers(path, checklist).to_dict()
        state, _result = state_from_snapshot(payload, checklist, lang=lang, answers=current)
        return state, "snapshot"
    state, result = compute_state(path, lang, as_of=as_of, checklist=checklist)
    if not result.meta.get("pseudonymized"):
        with contextlib.suppress(OSError, SalesAuditError):
            write_snapshot(path, state, result, lang=lang, as_of=as_of)
    return state, "computed"


def build_dashboard(client_dir: str = "", lang: str = "ru", *, as_of: Any = None) -> Any:
    """The workshop dashboard of ``client_dir`` (display it).

    ``client_dir`` empty means ``$SALESAUDIT_CLIENT_DIR``; ``lang`` is ``"ru"`` or ``"en"``
    (``$SALESAUDIT_LANG`` overrides it, so that ``salesaudit workshop --lang`` works under Voilà).
    The state comes from the last audit's snapshot when it is up to date with the client's files
    (:func:`load_state`), else the folder is loaded and audited now. Area scores are recomputed
    live from the audit's indicators and the answers given in the interview panel, which are
    saved to ``client_dir/answers.yaml`` (the previous file is kept as ``answers.prev.yaml``).
    """
    from salesaudit.workshop import build_dashboard as _build

    path = resolve_client_dir(client_dir)
    language = resolve_lang(lang)
    state, _source = load_state(path, language, as_of=as_of)
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
    parser.add_argument(
        "--max-pages",
        type=int,
        default=MAX_PAGES,
        metavar="N",
        help=f"most workshop pages (kernels) open at once ({MAX_PAGES})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=int,
        default=IDLE_TIMEOUT,
        metavar="S",
        help=f"shut a kernel down after S seconds with no page connected ({IDLE_TIMEOUT})",
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


#: most kernels (open pages) at once, and how long a kernel with no page connected may idle
MAX_PAGES = 4
IDLE_TIMEOUT = 900
#: where the ``salesaudit`` page template lives (a Jupyter data dir: voila/templates/salesaudit)
TEMPLATES = Path(__file__).resolve().parent / "voila_templates"


def voila_command(
    notebook: Path, port: int, *, max_pages: int = MAX_PAGES, idle_timeout: int = IDLE_TIMEOUT
) -> list[str]:
    """The hardened Voilà command line (:mod:`salesaudit.app._voila`): loopback only, no browser,
    sources stripped, no tracebacks, our CDN-free template, a kernel cap and idle culling.

    The token is not on it: it travels in ``$SALESAUDIT_WORKSHOP_TOKEN``.
    """
    return [
        sys.executable,
        "-m",
        "salesaudit.app._voila",
        str(notebook),
        f"--port={port}",
        "--no-browser",
        f"--Voila.ip={HOST}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        "--template=salesaudit",
        # serve no files beside the page (the default allows images of the notebook folder)
        "--VoilaConfiguration.file_allowlist=(?!)",
        "--VoilaConfiguration.multi_kernel_manager_class=salesaudit.app._voila.CappedKernelManager",
        f"--CappedKernelManager.max_kernels={max_pages}",
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, idle_timeout // 2))}",
        "--MappingKernelManager.cull_connected=False",
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
    for name, value in (("--max-pages", args.max_pages), ("--idle-timeout", args.idle_timeout)):
        if value < 1:
            raise ParameterError(f"{name} must be at least 1 (got {value})")
    token = secrets.token_urlsafe(24)
    env = dict(os.environ)
    env[ENV_CLIENT_DIR] = str(client_dir)
    env[ENV_LANG] = args.lang
    env[ENV_TOKEN] = token  # the server reads and removes it: never on a command line
    # the CDN-free page template is found through the Jupyter data path
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(TEMPLATES), env.get("JUPYTER_PATH", "")) if p
    )
    # traitlets warns about the list option's syntax; users need not see it
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    base = f"http://{HOST}:{port}/"
    url = f"{base}?token={token}"
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGHUP)}
    proc = subprocess.Popen(
        voila_command(notebook, port, max_pages=args.max_pages, idle_timeout=args.idle_timeout),
        env=env,
        cwd=str(notebook.parent),
        start_new_session=True,  # Ctrl-C reaches us only; we stop the server ourselves
    )
    try:
        _wait_until_up(proc, base, START_TIMEOUT)
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
