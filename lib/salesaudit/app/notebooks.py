"""Executing the report notebooks with papermill: warm kernels, parallel workers, clear failures.

A kernel's start-up and the import of pandas/matplotlib/the report library take most of a small
notebook's run time, so :class:`NotebookPool` starts one kernel per worker thread *once*, warms it
up (imports the libraries) while the caller is still computing the audit, and executes the
notebooks one after another in it via :func:`papermill.execute_notebook` (the kernel's namespace
is reset between notebooks, so they cannot see each other's variables). Each kernel keeps one
connected client, handed to papermill through a small engine of ours, so no notebook waits for
a new connection to settle. An urgent job (the report, which the PDF waits for) goes to the first
worker ahead of the others. Parameters are validated against each notebook's ``parameters``
cell before anything runs. A failing cell becomes a
:class:`~salesaudit.errors.NotebookError` naming the notebook, the cell (index and first line) and
the exception; the executed notebook, with papermill's error marker, is kept.

The notebooks themselves call :func:`load_result` first: it turns an empty or missing
``result_json`` into a clear :class:`~salesaudit.errors.ParameterError`.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesaudit.errors import ErrorCase, InputFileError, NotebookError, ParameterError

# nbformat validates notebooks with jsonschema, whose optional "iri" format checker imports
# rfc3987_syntax, which compiles its grammars on import (~0.9 s of a run, measured). Neither
# nbformat's schema nor papermill uses that format; jsonschema treats the module as absent when
# importing it fails, which a None entry in sys.modules makes it do.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    import pandas as pd

    from salesaudit.report.params import DeclaredParameter
    from salesaudit.scoring.result import AuditResult

#: kernel every notebook runs in
KERNEL_NAME = "python3"
#: languages a report can be written in
LANGS = ("ru", "en")
#: imports run in each kernel as soon as it starts (while the audit is computed)
WARMUP_CODE = """
import warnings
warnings.filterwarnings("ignore", category=DeprecationWarning)
import pandas, numpy, matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot
import salesaudit.scoring.result, salesaudit.app.notebooks
try:
    import salesaudit.report.sections, salesaudit.io.branding
except Exception:
    pass
import gc
gc.freeze()  # the imported modules: later full collections need not walk them again
"""
#: run before each notebook: forget the previous notebook's variables, close its figures, cd
RESET_CODE = """get_ipython().run_line_magic("reset", "-f")
import os as _os, matplotlib.pyplot as _plt
_plt.close("all")
_os.chdir({cwd!r})
del _os, _plt
"""
#: seconds a single cell may run
CELL_TIMEOUT = 600

_log = logging.getLogger(__name__)


def notebooks_dir() -> Path:
    """The folder with the report notebook templates (``$SALESAUDIT_NOTEBOOKS`` overrides it)."""
    env = os.environ.get("SALESAUDIT_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "notebooks"


# --- used inside the notebooks ---------------------------------------------------------------


def load_result(result_json: str, lang: str = "ru") -> AuditResult:
    """The audit result a notebook renders, read from ``result_json``; checks the parameters.

    Raises :class:`ParameterError` when ``result_json`` is empty or ``lang`` is not ``ru``/``en``,
    :class:`InputFileError` when the file is missing or is not an audit result.
    """
    cases = []
    if not isinstance(result_json, str) or not result_json.strip():
        cases.append(
            ErrorCase(
                "parameter 'result_json' is empty",
                hint="pass the path of audit.json: papermill NB OUT -p result_json audit.json, "
                "or use `salesaudit run CLIENT_DIR`",
            )
        )
    if lang not in LANGS:
        cases.append(ErrorCase(f"parameter 'lang' is {lang!r}; allowed: {' | '.join(LANGS)}"))
    if cases:
        raise ParameterError("the notebook cannot run with these parameters", cases=cases)
    path = Path(result_json)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputFileError(
            "the audit result JSON does not exist",
            file=path,
            hint="run `salesaudit audit CLIENT_DIR` (or `salesaudit run`) to create it",
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read the audit result JSON: {exc}", file=path) from exc
    from salesaudit.scoring.result import AuditResult

    try:
        result = AuditResult.from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputFileError(
            f"not a valid audit result: {type(exc).__name__}: {exc}",
            file=path,
            hint="recreate it with `salesaudit audit` / `salesaudit run` of this version",
        ) from exc
    from salesaudit.report.i18n import set_currency

    set_currency(result.currency)  # every money figure of the notebook in the audit's currency
    return result


_FACTS = {
    "client": ("Клиент", "Client"),
    "as_of": ("Дата оценки", "Assessment date"),
    "overall": ("Общий индекс", "Overall index"),
    "maturity": ("Уровень зрелости", "Maturity level"),
    "indicators": ("Показателей рассчитано", "Indicators computed"),
    "findings": ("Выводов", "Findings"),
    "analyses": ("Анализов с данными", "Analyses with data"),
    "pseudonymized": ("Псевдонимизировано", "Pseudonymised"),
}


def audit_facts(result: AuditResult, lang: str = "ru") -> list[tuple[str, Any]]:
    """The headline facts of an audit as ``(label, value)`` pairs (for ``sections.kv_table``)."""
    i = 0 if lang == "ru" else 1
    client = result.client_label(lang) or "—"
    ok = sum(1 for a in result.analyses.values() if a.get("status", "ok") == "ok")
    computed = sum(1 for ind in result.indicators if ind.value is not None)
    level = (result.maturity or {}).get("level")
    yes_no = ("да", "нет") if lang == "ru" else ("yes", "no")
    values = {
        "client": client,
        "as_of": result.meta.get("as_of") or "—",
        "overall": "—" if result.overall_index is None else round(float(result.overall_index), 1),
        "maturity": "—" if level is None else level,
        "indicators": f"{computed} / {len(result.indicators)}",
        "findings": len(result.findings),
        "analyses": f"{ok} / {len(result.analyses)}",
        "pseudonymized": yes_no[0] if result.meta.get("pseudonymized") else yes_no[1],
    }
    return [(_FACTS[k][i], v) for k, v in values.items()]


def analyses_frame(result: AuditResult) -> pd.DataFrame:
    """One row per analysis: ``analysis``, ``status`` (ok | insufficient_data), ``tables`` (names),
    ``message`` (what was missing)."""
    rows = [
        (
            name,
            a.get("status", "ok"),
            ", ".join(sorted(a.get("tables", {}))),
            a.get("message", "") or "",
        )
        for name, a in result.analyses.items()
    ]
    import pandas as pd

    return pd.DataFrame(rows, columns=["analysis", "status", "tables", "message"])


def check_area(result: AuditResult, area: str) -> None:
    """Raise :class:`ParameterError` unless ``area`` is one of the result's key problems."""
    known = [a.area for a in result.areas]
    if area not in known:
        raise ParameterError(
            f"parameter 'area' is {area!r}; the audit has: {' | '.join(known) or '(none)'}",
            hint="pass -p area p1 … p7",
        )


def area_frame(result: AuditResult, area: str, lang: str = "ru") -> pd.DataFrame:
    """The indicators of one key problem: ``indicator`` (id), ``label``, ``value``, ``unit``,
    ``verdict``, ``score``, ``weight``, ``status``, ``analysis`` (where the number comes from)."""
    rows = [
        (
            ind.id,
            (ind.label or {}).get(lang) or (ind.label or {}).get("ru") or ind.id,
            ind.value,
            ind.unit,
            ind.verdict,
            ind.score,
            ind.weight,
            ind.status,
            (ind.evidence or {}).get("analysis"),
        )
        for ind in result.indicators
        if ind.area == area
    ]
    cols = [
        "indicator",
        "label",
        "value",
        "unit",
        "verdict",
        "score",
        "weight",
        "status",
        "analysis",
    ]
    import pandas as pd

    return pd.DataFrame(rows, columns=cols)


# --- jobs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotebookJob:
    """One notebook execution: template ``source`` -> executed ``output`` with ``parameters``."""

    name: str
    source: Path
    output: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    #: working folder of the kernel while this job runs (default: the output's folder)
    cwd: Path | None = None


@dataclass(frozen=True)
class JobOutcome:
    """What became of a job: seconds taken and the error (``None`` when it succeeded)."""

    job: NotebookJob
    seconds: float
    error: NotebookError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def validate_jobs(jobs: Iterable[NotebookJob]) -> None:
    """Check every job's parameters against its notebook; one error listing every bad case."""
    cases: list[ErrorCase] = []
    # imported here: the report package pulls in matplotlib/seaborn, which `--help` must not wait for
    from salesaudit.report.params import declared_parameters, validate_parameters

    known: dict[Path, dict[str, DeclaredParameter]] = {}
    for job in jobs:
        if not job.source.is_file():
            cases.append(ErrorCase("report notebook not found", file=str(job.source)))
            continue
        try:
            if job.source not in known:
                known[job.source] = declared_parameters(job.source)
            validate_parameters(job.source, job.parameters, declared=known[job.source])
        except ParameterError as exc:
            for c in exc.cases or [ErrorCase(exc.message, hint=exc.hint)]:
                case = ErrorCase(c.message, file=job.source.name, hint=c.hint)
                if case not in cases:
                    cases.append(case)
    if cases:
        raise ParameterError(
            "invalid notebook parameters; no notebook was run",
            hint="fix the values (allowed values are in each notebook's parameters cell)",
            cases=cases,
        )


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def _source_cell_index(template: Any, source: str) -> int | None:
    for i, cell in enumerate(template.cells):
        if cell.cell_type == "code" and cell.source == source:
            return i
    return None


def notebook_error(job: NotebookJob, exc: BaseException) -> NotebookError:
    """A :class:`NotebookError` naming the notebook, the failing cell and the exception."""
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        index: int | None = None
        try:
            import nbformat

            index = _source_cell_index(nbformat.read(str(job.source), as_version=4), exc.source)
        except Exception:  # noqa: BLE001 - the message is still useful without the index
            index = None
        where = f"cell {index}" if index is not None else f"cell In [{exc.exec_count}]"
        evalue = str(exc.evalue).strip()
        detail = f"{exc.ename}: {evalue}" if evalue else exc.ename
        return NotebookError(
            f"notebook {job.output.name} failed in {where} (`{_first_line(exc.source)}`): {detail}",
            file=job.output,
            hint="open the executed notebook to see the failing cell and its traceback",
        )
    if isinstance(exc, DeadKernelError):
        return NotebookError(
            f"notebook {job.output.name} failed: its kernel stopped while it ran ({exc})",
            file=job.output,
            hint="the kernel process ended (out of memory, or code that exits the process); "
            "the other notebooks ran on a new kernel; run the command again",
        )
    return NotebookError(
        f"notebook {job.output.name} could not be executed: {type(exc).__name__}: {exc}",
        file=job.output,
        hint="check that the Jupyter kernel 'python3' is installed in this environment "
        "(python -m ipykernel install --sys-prefix --name python3)",
    )


# --- warm kernels ----------------------------------------------------------------------------

#: papermill engine (registered on first use) that runs a notebook on an already-running kernel
ENGINE_NAME = "salesaudit-warm-kernel"


class _Kernel:
    """One kernel process with one client, both used by one worker thread.

    The client is connected once, when the kernel starts: connecting a client waits for the
    kernel to answer and for its output channel to go quiet (at least 0.2 s each time), which a
    run of twelve notebooks would otherwise pay twice per notebook.
    """

    def __init__(self, cwd: Path, kernel_name: str, warmup: str) -> None:
        self.cwd = cwd
        self.kernel_name = kernel_name
        self.warmup = warmup
        self.km: Any = None
        self.kc: Any = None
        self.killed = False

    def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.cwd.mkdir(parents=True, exist_ok=True)
        km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(
            cwd=str(self.cwd),
            extra_arguments=["--HistoryManager.enabled=False", "--IPKernelApp.log_level=ERROR"],
        )
        self.km = km
        if self.killed:  # the run was stopped while the kernel was starting
            self.kill()
            raise NotebookError("the run was interrupted")

        async def connect() -> Any:
            kc = km.client()
            kc.allow_stdin = False
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=60)
            except BaseException:
                kc.stop_channels()
                raise
            return kc

        self.kc = run_sync(connect)()
        if self.warmup:
            self.run(self.warmup)

    def run(self, code: str, timeout: float = 300) -> None:
        """Execute ``code`` silently (warm-up, reset); raises when it fails or the kernel dies.

        Returns early (without error) when :meth:`kill` was called meanwhile.
        """
        from jupyter_core.utils import run_sync

        kc = self.kc

        async def go() -> dict:
            msg_id = kc.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while not self.killed:
                try:
                    reply = await kc.get_shell_msg(timeout=0.2)
                except queue.Empty:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"kernel set-up code took over {timeout} s") from None
                    if not await self.km.is_alive():
                        raise RuntimeError("the kernel died") from None
                    continue
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    return reply
            return {}

        reply = run_sync(go)()
        content = reply.get("content", {})
        if reply and content.get("status") != "ok":
            raise RuntimeError(
                f"kernel set-up code failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and self.kc is not None and bool(run_sync(self.km.is_alive)())

    def kill(self) -> None:
        """Kill the kernel process from any thread (used when the run is interrupted)."""
        self.killed = True
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
            self.kc = None
        if self.km is None:
            return
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as exc:  # noqa: BLE001 - best effort at the end of a run
            _log.debug("kernel shutdown: %s", exc)
        self.km = None


@functools.cache
def _warm_kernel_engine() -> str:
    """Register (once) and name the papermill engine that executes on a :class:`_Kernel`.

    It is papermill's own nbclient engine, except that the notebook client is handed the
    kernel's connected client instead of connecting a new one for every notebook.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: float = 60,
            execution_timeout: float | None = None,
            **kwargs: Any,
        ) -> Any:
            kernel: _Kernel = kwargs["warm_kernel"]
            client = PapermillNotebookClient(
                nb_man,
                km=kernel.km,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = kernel.kc  # connected and ready: nbclient then does not connect again
            return client.execute()

    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)
    return ENGINE_NAME


def _execute(job: NotebookJob, kernel: _Kernel) -> None:
    import papermill

    job.output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(job.source),
        str(job.output),
        parameters=dict(job.parameters),
        engine_name=_warm_kernel_engine(),
        kernel_name=kernel.kernel_name,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT,
        warm_kernel=kernel,
    )


class NotebookPool:
    """``workers`` threads, each with its own warm kernel, executing notebook jobs in order.

    Use it as a context manager: kernels start (and warm up) at once, in the background;
    :meth:`submit` queues a job and returns a :class:`~concurrent.futures.Future` of its
    :class:`JobOutcome`; leaving the block waits for the queued jobs and stops the kernels.
    With ``reuse=False`` every job gets a fresh kernel (slower; for debugging).

    An ``urgent`` job (the report, which the PDF waits for) runs on the lead worker (worker 0)
    before any other job queued there; the other workers take only the other jobs.
    """

    def __init__(
        self,
        cwd: str | Path,
        *,
        workers: int = 2,
        kernel_name: str = KERNEL_NAME,
        warmup: str = WARMUP_CODE,
        reuse: bool = True,
    ) -> None:
        if workers < 1:
            raise ParameterError(f"--jobs must be at least 1, got {workers}")
        self.cwd = Path(cwd)
        self.workers = workers
        self.kernel_name = kernel_name
        self.warmup = warmup
        self.reuse = reuse
        self._cv = threading.Condition()
        self._urgent: deque[tuple[NotebookJob, Future]] = deque()
        self._background: deque[tuple[NotebookJob, Future]] = deque()
        self._closing = False
        self._threads: list[threading.Thread] = []
        self._kernels: list[_Kernel] = []
        self._aborted = threading.Event()

    def __enter__(self) -> NotebookPool:
        for i in range(self.workers):
            t = threading.Thread(target=self._work, args=(i,), name=f"notebook-worker-{i}")
            t.daemon = True
            t.start()
            self._threads.append(t)
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.abort()
        self.close()

    def submit(self, job: NotebookJob, *, urgent: bool = False) -> Future:
        """Queue ``job``; the future's result is its :class:`JobOutcome`."""
        fut: Future = Future()
        with self._cv:
            (self._urgent if urgent else self._background).append((job, fut))
            self._cv.notify_all()
        return fut

    def cancel_pending(self) -> None:
        """Cancel the jobs not started yet; running ones finish (see :meth:`close`)."""
        with self._cv:
            pending = [*self._urgent, *self._background]
            self._urgent.clear()
            self._background.clear()
        for _, fut in pending:
            fut.cancel()

    def abort(self) -> None:
        """Cancel the queued jobs and kill the kernels (a running notebook fails at once)."""
        self._aborted.set()
        self.cancel_pending()
        for k in list(self._kernels):
            k.kill()

    def close(self) -> None:
        """Wait for queued jobs, then stop the workers and their kernels."""
        with self._cv:
            self._closing = True
            self._cv.notify_all()
        for t in self._threads:
            t.join()
        self._threads = []

    def _take(self, lead: bool) -> tuple[NotebookJob, Future] | None:
        """The next job for a worker (urgent ones only for the lead), ``None`` when closing."""
        with self._cv:
            while True:
                if lead and self._urgent:
                    return self._urgent.popleft()
                if self._background:
                    return self._background.popleft()
                if self._closing:
                    return None
                self._cv.wait()

    def _new_kernel(self) -> _Kernel:
        k = _Kernel(self.cwd, self.kernel_name, self.warmup if self.reuse else "")
        self._kernels.append(k)
        if self._aborted.is_set():
            raise NotebookError("the run was interrupted")
        try:
            k.start()
        except BaseException:
            k.stop()
            raise
        return k

    def _work(self, index: int) -> None:
        lead = index == 0
        kernel: _Kernel | None = None
        try:
            kernel = self._new_kernel()
        except Exception as exc:  # noqa: BLE001 - retried (and reported) with the first job
            if not self._aborted.is_set():  # an aborted run stops its starting kernels
                _log.warning("kernel start failed: %s", exc)
        try:
            while True:
                item = self._take(lead)
                if item is None:
                    return
                job, fut = item
                if not fut.set_running_or_notify_cancel():
                    continue
                t0 = time.perf_counter()
                try:
                    if kernel is None or not kernel.alive():
                        if kernel is not None:
                            kernel.stop()
                        kernel = None
                        kernel = self._new_kernel()
                    cwd = job.cwd or job.output.parent
                    cwd.mkdir(parents=True, exist_ok=True)
                    kernel.run(RESET_CODE.format(cwd=str(cwd)))
                    _execute(job, kernel)
                    outcome = JobOutcome(job, time.perf_counter() - t0)
                except Exception as exc:  # noqa: BLE001 - every failure becomes a NotebookError
                    err = notebook_error(job, exc)
                    outcome = JobOutcome(job, time.perf_counter() - t0, err)
                if not self.reuse and kernel is not None:
                    kernel.stop()
                    kernel = None
                fut.set_result(outcome)
        finally:
            if kernel is not None:
                kernel.stop()


def run_jobs(
    jobs: list[NotebookJob],
    *,
    cwd: str | Path,
    workers: int = 2,
    on_done: Callable[[JobOutcome], None] | None = None,
    validate: bool = True,
) -> list[JobOutcome]:
    """Validate and execute ``jobs`` on ``workers`` warm kernels; outcomes in job order.

    ``on_done`` is called (in the caller's thread) as each job finishes. Does not raise for a
    failing notebook: look at :attr:`JobOutcome.error`.
    """
    if validate:
        validate_jobs(jobs)
    with NotebookPool(cwd, workers=min(workers, max(1, len(jobs)))) as pool:
        futures = [pool.submit(j) for j in jobs]
        outcomes = []
        for fut in futures:
            outcome = fut.result()
            if on_done:
                on_done(outcome)
            outcomes.append(outcome)
    return outcomes
