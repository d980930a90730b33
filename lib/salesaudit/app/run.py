"""``salesaudit run``: the whole express assessment of one client folder, end to end.

Steps: check the client folder, report.yaml, the answers and the notebook parameters (before
anything heavy) -> compute the audit once (:func:`salesaudit.app.audit.audit_client`) while warm
Jupyter kernels start -> write ``audit.json`` -> execute the report notebooks in parallel
(papermill; ``90_report`` first, then ``10_problem`` once per key problem p1..p7 and the
others) -> meanwhile ``verification_calls.xlsx`` and ``quality.txt`` ->
``report.html`` (nbconvert, our template) and ``report.pdf`` (WeasyPrint, or a system
Chromium/Chrome/Edge: ``--pdf-backend``) from ``90_report`` -> ``report_tables.xlsx`` (every
table of the report) and ``report.docx`` (the editable report) while the other notebooks run.

Everything is built in a temporary folder next to ``--out`` and moved into place only when every
step succeeded, so the previous report stays intact on failure. When a notebook fails, the
build (with the executed notebook carrying papermill's error marker) is kept in
``<out>.failed/`` and a :class:`~salesaudit.errors.NotebookError` names the notebook, the cell
and the exception.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from salesaudit.app.notebooks import (
    LANGS,
    JobOutcome,
    NotebookJob,
    NotebookPool,
    notebooks_dir,
    validate_jobs,
)
from salesaudit.errors import NotebookError, OutputError, ParameterError, SalesAuditError

HELP = "build the express assessment of a client folder: audit, notebooks, HTML/PDF report"

AREAS = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")
#: notebook template -> executed notebook name(s) and extra parameters; 90_report runs first
#: because the HTML/PDF conversion waits for it
REPORT_NOTEBOOK = "90_report"
RESULT_FILE = "audit.json"
HTML_FILE = "report.html"
PDF_FILE = "report.pdf"
XLSX_FILE = "verification_calls.xlsx"
TABLES_FILE = "report_tables.xlsx"
DOCX_FILE = "report.docx"
#: the PDF backend of the current run (``--pdf-backend``; resolved while the report notebook runs)
PDF_BACKEND: ContextVar[str] = ContextVar("salesaudit_pdf_backend", default="auto")
QUALITY_FILE = "quality.txt"
NOTEBOOKS_SUBDIR = "notebooks"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit run``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="client folder (with raw/)")
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default: reports/<client folder name>); replaced only on success",
    )
    parser.add_argument("--lang", choices=LANGS, default="ru", help="report language (ru)")
    parser.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="assessment date (default: today / the data's end)"
    )
    parser.add_argument(
        "--pseudonymize",
        action="store_true",
        help="replace client/manager names, phones and e-mails by keyed aliases "
        "(key kept in CLIENT_DIR/.salesaudit.key)",
    )
    parser.add_argument(
        "--settings",
        metavar="YAML",
        help="consultancy settings: branding of the cover (name, logo, contacts)",
    )
    parser.add_argument(
        "--accept-incomplete",
        action="store_true",
        help="build the report even when `salesaudit validate` would refuse the data (a table "
        "mostly rejected, a key field missing); the report lists those problems",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, metavar="N", help="notebooks executed in parallel (2)"
    )
    parser.add_argument(
        "--pdf-backend",
        choices=("auto", "weasyprint", "chromium"),
        default="auto",
        help="PDF renderer: WeasyPrint, or a system Chromium/Chrome/Edge (auto: WeasyPrint when "
        "its libraries load, else the browser)",
    )


def parse_as_of(text: str | None) -> dt.date | None:
    """``--as-of`` as a date (``None`` when not given); a clear error for anything but YYYY-MM-DD."""
    if text is None or text == "":
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ParameterError(
            f"--as-of {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2024-06-30"
        ) from exc


def default_out(client_dir: str | Path) -> Path:
    """``reports/<client folder name>`` (relative to the current folder)."""
    return Path("reports") / Path(client_dir).resolve().name


def failed_dir(out: Path) -> Path:
    """Where a failed build is kept: ``<out>.failed`` next to ``out``."""
    return out.with_name(out.name + ".failed")


def plan_jobs(
    build: Path,
    *,
    lang: str,
    settings: Path | None,
    source_dir: Path | None = None,
) -> list[NotebookJob]:
    """The notebook executions of one run, the report first; outputs under ``build/notebooks``.

    Notebooks run with their own folder as working folder and read ``../audit.json``, so an
    executed notebook can be re-run from the output folder as it is.
    """
    src = source_dir or notebooks_dir()
    nb_out = build / NOTEBOOKS_SUBDIR
    common = {"result_json": f"../{RESULT_FILE}", "lang": lang}

    def job(template: str, name: str, **extra: Any) -> NotebookJob:
        return NotebookJob(
            name=name,
            source=src / f"{template}.ipynb",
            output=nb_out / f"{name}.ipynb",
            parameters={**common, **extra},
            cwd=nb_out,
        )

    jobs = [job(REPORT_NOTEBOOK, REPORT_NOTEBOOK, settings=str(settings) if settings else "")]
    jobs += [job("10_problem", f"10_problem_{a}", area=a) for a in AREAS]
    jobs += [job(n, n) for n in ("40_credibility", "30_sales_force", "20_planning", "00_intake")]
    return jobs


# --- progress --------------------------------------------------------------------------------


@dataclass
class Progress:
    """A tqdm bar on a terminal; one plain line per step otherwise (logs, CI, tests)."""

    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    _bar: Any = None

    def __post_init__(self) -> None:
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=self.total, file=self.stream, unit="step", leave=False)

    def step(self, text: str) -> None:
        """One step finished: ``text`` says which."""
        self.done += 1
        line = f"[{self.done}/{self.total}] {text}"
        if self._bar is not None:
            self._bar.set_postfix_str(text[:40])
            self._bar.update(1)
        else:
            print(f"salesaudit run: {line}", file=self.stream, flush=True)

    def say(self, text: str) -> None:
        """One line of news that is not a step (waiting for a lock, debris cleaned)."""
        if self._bar is not None:
            self._bar.write(f"salesaudit run: {text}", file=self.stream)
        else:
            print(f"salesaudit run: {text}", file=self.stream, flush=True)

    def close(self, text: str) -> None:
        if self._bar is not None:
            self._bar.close()
        elapsed = time.perf_counter() - self.started
        print(f"salesaudit run: {text} ({elapsed:.1f} s)", file=self.stream, flush=True)


# --- the run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    """Where the outputs went and how long the steps took (seconds)."""

    out: Path
    files: list[Path]
    timings: dict[str, float]


class RunStopped(KeyboardInterrupt):
    """The run was stopped by a signal (SIGINT = Ctrl-C, SIGTERM, SIGHUP).

    ``completed`` is true when the signal came while the finished report was being moved into
    place (the swap is never interrupted): the new report is then complete.
    """

    def __init__(self, signum: int, completed: bool = False) -> None:
        super().__init__(signum)
        self.signum = signum
        self.completed = completed

    @property
    def exit_code(self) -> int:
        """128 + the signal number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP)."""
        return 128 + self.signum


#: the signals that stop a run cleanly (Ctrl-C, ``kill``, a closed terminal)
STOP_SIGNALS = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)
)


class _StopOnSignals:
    """While active, SIGINT/SIGTERM/SIGHUP raise :class:`RunStopped` in the main thread once;
    further signals are ignored while the run cleans up. :meth:`hold` defers them (the swap of
    the output folder); :meth:`release` raises a deferred one."""

    def __init__(self) -> None:
        self.armed = True
        self.pending: int | None = None
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.pending is not None:
            return  # already stopping: let the clean-up finish
        self.pending = signum
        if self.armed:
            # the kernels are killed now: their clients' complaints are not news
            for name in _JUPYTER_LOGGERS:
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
            raise RunStopped(signum)

    def __enter__(self) -> _StopOnSignals:
        import threading

        if threading.current_thread() is threading.main_thread():
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def hold(self) -> None:
        self.armed = False

    def release(self) -> None:
        self.armed = True
        if self.pending is not None:
            raise RunStopped(self.pending, completed=True)


_JUPYTER_LOGGERS = ("traitlets", "papermill", "nbclient", "jupyter_client")


def _quiet_jupyter_logs() -> None:
    for name in (*_JUPYTER_LOGGERS, "weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _relocated(err: NotebookError, build: Path, failed: Path) -> NotebookError:
    """The same error, pointing at the executed notebook's place in ``<out>.failed``."""
    file = Path(err.file) if err.file else None
    if file is not None:
        with contextlib.suppress(ValueError):
            file = failed / file.relative_to(build)
    return NotebookError(err.message, file=file, hint=err.hint, cases=err.cases)


def run_client(
    client_dir: str | Path,
    *,
    out: str | Path | None = None,
    lang: str = "ru",
    as_of: dt.date | None = None,
    pseudonymize: bool = False,
    settings: str | Path | None = None,
    jobs: int = 2,
    stream: TextIO | None = None,
    audit: Callable[..., tuple[Any, Any]] | None = None,
    source_dir: Path | None = None,
    pdf_backend: str = "auto",
    accept_incomplete: bool = False,
) -> RunOutcome:
    """Build the express assessment of ``client_dir`` into ``out`` (see the module docstring).

    ``audit`` replaces :func:`salesaudit.app.audit.audit_client` (tests inject failures with it);
    ``source_dir`` replaces the notebook templates folder. Data that ``salesaudit validate``
    refuses (exit 1) stop the run with the same problems listed unless ``accept_incomplete``.
    """
    _set_pdf_backend(pdf_backend)
    with _StopOnSignals() as stopper:
        return _run_client(
            client_dir,
            out=out,
            lang=lang,
            as_of=as_of,
            pseudonymize=pseudonymize,
            settings=settings,
            jobs=jobs,
            stream=stream,
            audit=audit,
            source_dir=source_dir,
            stopper=stopper,
            accept_incomplete=accept_incomplete,
        )


def _run_client(
    client_dir: str | Path,
    *,
    out: str | Path | None,
    lang: str,
    as_of: dt.date | None,
    pseudonymize: bool,
    settings: str | Path | None,
    jobs: int,
    stream: TextIO | None,
    audit: Callable[..., tuple[Any, Any]] | None,
    source_dir: Path | None,
    stopper: _StopOnSignals,
    accept_incomplete: bool = False,
) -> RunOutcome:
    from salesaudit.io.atomic import (
        check_output_dir,
        disk_full,
        output_error,
    )
    from salesaudit.io.branding import load_branding
    from salesaudit.io.folder import open_client_folder

    _quiet_jupyter_logs()
    if lang not in LANGS:
        raise ParameterError(f"--lang {lang!r} is not supported", hint="use ru or en")
    if jobs < 1:
        raise ParameterError(f"--jobs must be at least 1, got {jobs}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    folder = open_client_folder(client_dir)  # clear error before anything heavy
    settings_path = Path(settings).resolve() if settings else None
    load_branding(settings_path)  # a bad settings file fails now, not inside a notebook
    out_dir = check_output_dir(Path(out) if out else default_out(folder.root))
    failed = failed_dir(out_dir)
    src = source_dir or notebooks_dir()
    progress = Progress(total=1 + (1 + len(AREAS) + 4) + 6, stream=stream or sys.stderr)
    try:
        return _checked_run(
            folder, out_dir, failed, src, progress, lang, as_of, pseudonymize,
            settings_path, jobs, audit, stopper, t0, timings, accept_incomplete,
        )  # fmt: skip
    except OSError as exc:
        name = Path(os.fsdecode(exc.filename)) if exc.filename else None
        if disk_full(exc):
            raise output_error(exc, out_dir.parent, "writing the report") from None
        if name is not None and out_dir.parent.resolve() in name.resolve().parents:
            raise output_error(exc, name, "writing the report") from None
        raise
    except NotebookError as err:
        if disk_full(err):
            raise OutputError(
                "no space left on the disk while writing the report",
                file=out_dir.parent,
                hint="free some space on that disk or choose another --out; the previous "
                "report (if any) was left as it was",
            ) from None
        raise


def _checked_run(
    folder: Any,
    out_dir: Path,
    failed: Path,
    src: Path,
    progress: Progress,
    lang: str,
    as_of: dt.date | None,
    pseudonymize: bool,
    settings_path: Path | None,
    jobs: int,
    audit: Callable[..., tuple[Any, Any]] | None,
    stopper: _StopOnSignals,
    t0: float,
    timings: dict[str, float],
    accept_incomplete: bool = False,
) -> RunOutcome:
    """The run proper (see :func:`run_client`) in a private temporary folder."""
    from salesaudit.io.atomic import scratch_dir

    n_jobs = 1 + len(AREAS) + 4
    # the kernels start now, in the background: they warm up while the remaining checks and
    # the audit run (a failing check stops them again). Nothing runs in them before the
    # parameters are validated. The report notebook is urgent: the PDF waits for it.
    with scratch_dir() as scratch:  # kernel connection files and temp files of this run
        return _pooled_run(
            NotebookPool(scratch, workers=min(jobs, n_jobs)),
            folder, out_dir, failed, src, progress, lang, as_of, pseudonymize,
            settings_path, audit, stopper, t0, timings, accept_incomplete,
        )  # fmt: skip


def _pooled_run(
    pool: NotebookPool,
    folder: Any,
    out_dir: Path,
    failed: Path,
    src: Path,
    progress: Progress,
    lang: str,
    as_of: dt.date | None,
    pseudonymize: bool,
    settings_path: Path | None,
    audit: Callable[..., tuple[Any, Any]] | None,
    stopper: _StopOnSignals,
    t0: float,
    timings: dict[str, float],
    accept_incomplete: bool = False,
) -> RunOutcome:
    """The remaining checks, then, holding the output folder's lock, the audit and the build."""
    from salesaudit.io.atomic import (
        atomic_output_dir,
        output_lock,
        pause_point,
        recover_output_dir,
    )

    with pool, contextlib.ExitStack() as locked:
        from salesaudit.app.validate import check_settings_and_answers

        check_settings_and_answers(folder.root)  # report.yaml and answers too
        validate_jobs(plan_jobs(out_dir, lang=lang, settings=settings_path, source_dir=src))
        # one run at a time into one --out: a second run waits here (nothing written before);
        # then the debris of a killed run (a half-built or an old copy of the folder) goes
        locked.enter_context(output_lock(out_dir, on_wait=progress.say))
        for line in recover_output_dir(out_dir):
            progress.say(line)
        pause_point("locked")
        # kernels start and import the libraries while the audit is computed
        t = time.perf_counter()
        # pseudonymised mode: audit_client pseudonymises the inputs and scrubs the result
        analyses = None  # kept for the workshop snapshot (not with an injected audit)
        if audit is None:
            from salesaudit.app.audit import audit_client_analyses

            result, loaded, analyses = audit_client_analyses(
                folder.root,
                as_of=as_of,
                pseudonymize=pseudonymize,
                lang=lang,
                accept_incomplete=accept_incomplete,
            )
        else:
            result, loaded = audit(folder.root, as_of=as_of, pseudonymize=pseudonymize, lang=lang)
        timings["audit"] = time.perf_counter() - t
        progress.step(f"audit computed ({timings['audit']:.1f} s)")
        build: Path | None = None
        try:
            with atomic_output_dir(out_dir, keep_failed=failed) as tmp:
                build = tmp.resolve()
                try:
                    _build(build, pool, result, loaded, lang, settings_path, src, progress, timings)
                    pause_point("built")
                except BaseException as exc:
                    # stop the other notebooks before the half-built folder is moved away
                    if isinstance(exc, KeyboardInterrupt):
                        pool.abort()  # stopped: kill the kernels, do not wait for notebooks
                    pool.cancel_pending()
                    pool.close()
                    raise
                stopper.hold()  # the swap of the folders is never interrupted
        except NotebookError as err:
            if build is not None:
                raise _relocated(err, build, failed) from None
            raise
    stopper.release()
    if failed.exists():  # a stale failure from an earlier run
        shutil.rmtree(failed, ignore_errors=True)
    if analyses is not None and not pseudonymize:
        _write_workshop_snapshot(folder.root, result, loaded, analyses, lang, as_of, progress)
    timings["total"] = time.perf_counter() - t0
    files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    progress.close(f"report ready: {out_dir / PDF_FILE}")
    return RunOutcome(out=out_dir, files=files, timings=timings)


def _write_workshop_snapshot(
    client_dir: Path,
    result: Any,
    loaded: Any,
    analyses: dict[str, Any],
    lang: str,
    as_of: Any,
    progress: Progress,
) -> None:
    """Keep this audit for the workshop (``CLIENT_DIR/.salesaudit/workshop.json``), so that
    ``salesaudit workshop`` opens without loading and analysing again. Best effort: a failure
    is reported and the run still succeeds."""
    from salesaudit.app.audit import load_checklist
    from salesaudit.app.workshop import write_snapshot
    from salesaudit.workshop import WorkshopState

    try:
        state = WorkshopState.from_audit(
            result, loaded.dataset, analyses, load_checklist(), lang=lang
        )
        write_snapshot(client_dir, state, result, lang=lang, as_of=as_of)
    except (OSError, SalesAuditError) as exc:
        progress.say(f"workshop snapshot not written: {exc}")


def _build(
    build: Path,
    pool: NotebookPool,
    result: Any,
    loaded: Any,
    lang: str,
    settings: Path | None,
    src: Path,
    progress: Progress,
    timings: dict[str, float],
) -> None:
    """Write every output into ``build``; raises the first notebook's error."""
    from salesaudit.io.atomic import atomic_write_bytes, atomic_write_text, pause_point

    atomic_write_text(build / RESULT_FILE, result.to_json())
    planned = plan_jobs(build, lang=lang, settings=settings, source_dir=src)
    futures = [pool.submit(j, urgent=(j.name == REPORT_NOTEBOOK)) for j in planned]
    pause_point("notebooks")  # test hook: the notebooks are running
    t = time.perf_counter()
    # while the report notebook runs, this process writes what needs no notebook and loads the
    # HTML/PDF converters, so the PDF starts as soon as the report notebook is done
    _write_verification(build / XLSX_FILE, result, lang)
    progress.step(f"{XLSX_FILE} written")
    atomic_write_text(build / QUALITY_FILE, _quality_text(loaded, result, lang))
    progress.step(f"{QUALITY_FILE} written")
    _load_converters(lang)
    report: JobOutcome = futures[0].result()
    if report.error is not None:
        raise report.error
    progress.step(f"{report.job.name} executed ({report.seconds:.1f} s)")
    html = _render_html(report.job.output, lang, result)
    atomic_write_text(build / HTML_FILE, html)
    progress.step(f"{HTML_FILE} written")
    atomic_write_bytes(build / PDF_FILE, _render_pdf(html, build))
    timings["render"] = time.perf_counter() - t
    progress.step(f"{PDF_FILE} written")
    # the editable copies, while the other notebooks run in their kernels
    _write_deliverables(build, result, lang, settings, progress, timings)
    for fut in futures[1:]:
        outcome: JobOutcome = fut.result()
        if outcome.error is not None:
            raise outcome.error
        progress.step(f"{outcome.job.name} executed ({outcome.seconds:.1f} s)")
    timings["notebooks"] = time.perf_counter() - t


def _set_pdf_backend(name: str) -> None:
    """Remember ``--pdf-backend`` for this run; ``chromium`` is checked now (cheap), WeasyPrint
    when :func:`_load_converters` imports it."""
    from salesaudit.report.pdf import BACKENDS, resolve_backend

    if name not in BACKENDS:
        raise ParameterError(f"--pdf-backend {name!r} is not supported", hint=" | ".join(BACKENDS))
    PDF_BACKEND.set(resolve_backend(name) if name == "chromium" else name)


def _write_deliverables(
    build: Path,
    result: Any,
    lang: str,
    settings: Path | None,
    progress: Progress,
    timings: dict[str, float],
) -> None:
    """``report_tables.xlsx`` (every table of the report) and ``report.docx`` (the editable
    report, charts as PNG) from the same result the PDF shows."""
    from salesaudit.io.atomic import atomic_write_bytes
    from salesaudit.io.branding import load_branding
    from salesaudit.io.tables_xlsx import write_tables_xlsx
    from salesaudit.report.docx import build_docx, docx_bytes
    from salesaudit.report.i18n import currency_sign, t
    from salesaudit.report.tables import report_tables

    t0 = time.perf_counter()
    client = result.client_label(lang)
    title = f"{t('report_title', lang)} — {client}" if client else t("report_title", lang)
    write_tables_xlsx(
        report_tables(result, lang),
        build / TABLES_FILE,
        lang=lang,
        title=title,
        currency_sign=currency_sign(lang, result.currency),
    )
    progress.step(f"{TABLES_FILE} written")
    t1 = time.perf_counter()
    doc = build_docx(result, load_branding(settings), lang)
    atomic_write_bytes(build / DOCX_FILE, docx_bytes(doc))
    progress.step(f"{DOCX_FILE} written")
    timings["tables_xlsx"] = t1 - t0
    timings["docx"] = time.perf_counter() - t1


def _load_converters(lang: str) -> None:
    """Import nbconvert and WeasyPrint (about 1 s) and compile the report template (0.15 s, by
    converting an empty notebook) ahead of their use."""
    import nbformat

    from salesaudit.report.pdf import resolve_backend

    # imports WeasyPrint when it is the backend; neither backend available: a clear error now
    PDF_BACKEND.set(resolve_backend(PDF_BACKEND.get()))
    from salesaudit.report.notebook import notebook_to_html

    notebook_to_html(nbformat.v4.new_notebook(), lang=lang)


def _render_html(executed: Path, lang: str, result: Any) -> str:
    """The report HTML (our nbconvert template) of the executed report notebook."""
    from salesaudit.report.notebook import notebook_to_html

    return notebook_to_html(executed, lang=lang, client=result.client_label("ru"))


def _render_pdf(html: str, build: Path) -> bytes:
    """The PDF (WeasyPrint) of the report HTML; a failure names the HTML kept for inspection.

    ``report.html`` is already written into ``build`` (it moves to ``<out>.failed/`` with the
    rest of the failed build).
    """
    from salesaudit.report.pdf import html_to_pdf_bytes

    try:
        return html_to_pdf_bytes(html, base_url=build, backend=PDF_BACKEND.get())
    except NotebookError as err:
        raise NotebookError(
            err.message,
            file=build / HTML_FILE,
            hint="open this report.html in a browser to see the page the PDF renderer could not "
            "render; the previous report was left as it was",
            cases=err.cases,
        ) from err


def _write_verification(path: Path, result: Any, lang: str) -> None:
    """The verification-call sheet from the result's sample (headers only when there is none)."""
    import pandas as pd

    from salesaudit.io.verification_xlsx import HEADERS, write_verification_xlsx

    sample = result.table("verification_sample")
    if not set(HEADERS) & set(sample.columns):
        sample = pd.DataFrame(columns=list(HEADERS))
    write_verification_xlsx(sample, path, lang=lang)


def _quality_text(loaded: Any, result: Any, lang: str) -> str:
    """The data-quality report as text (from the loaded client; pseudonymised when the run is)."""
    quality = getattr(loaded, "quality", None)
    if quality is not None and hasattr(quality, "to_text"):
        return str(quality.to_text(lang=lang))
    return str(result.quality.get("text", "")) if isinstance(result.quality, dict) else ""


def run(args: argparse.Namespace) -> int:
    """``salesaudit run`` entry point. Ctrl-C, SIGTERM and SIGHUP stop the run cleanly (temporary
    folder removed, kernels stopped, the previous report kept) with exit code 128 + the signal
    number and one line on stderr."""
    try:
        run_client(
            args.client_dir,
            out=args.out,
            lang=args.lang,
            as_of=parse_as_of(args.as_of),
            pseudonymize=args.pseudonymize,
            settings=args.settings,
            jobs=args.jobs,
            pdf_backend=getattr(args, "pdf_backend", "auto"),
            accept_incomplete=getattr(args, "accept_incomplete", False),
        )
    except RunStopped as stop:
        name = signal.Signals(stop.signum).name
        if stop.completed:
            what = "after the new report was moved into place"
        else:
            what = "the previous report (if any) was left as it was"
        print(f"salesaudit: interrupted ({name}); {what}", file=sys.stderr, flush=True)
        return stop.exit_code
    return 0
