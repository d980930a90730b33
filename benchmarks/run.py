"""Time each stage of the pipeline on the demo company and on synthetic scale data.

    python benchmarks/run.py                      # demo + half + full scale
    python benchmarks/run.py --scale full         # demo + full scale only
    python benchmarks/run.py --skip-scale         # demo only

Every stage runs in a fresh subprocess (no warm caches, no memory carried over) and reports its
wall time and the subprocess's peak resident memory (``ru_maxrss``):

- ``load``: read every raw export (``salesaudit.io.readers.read_file``);
- ``build``: canonical tables + quality report (``salesaudit.model.build.build_dataset``);
- ``analytics``: ``salesaudit.analytics.suite.run_all``;
- ``audit``: ``salesaudit.scoring.build_audit`` (checklist + interview answers);
- ``report``: ``salesaudit run`` end to end (load .. notebooks .. PDF), as the CLI does it.

The inputs of a stage (the previous stage's output) are unpickled before its clock starts, so a
stage's time is its own; its peak memory includes those inputs. A stage whose code is not in the
package yet is reported as "n/a (not built)" — never estimated. Results go to
``docs/performance.md`` (machine facts, the exact command, one table) and to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "_data"
DEMO = ROOT / "data_samples" / "demo"
DOC = ROOT / "docs" / "performance.md"
#: every data set's last results (git-ignored), so ``--update`` can re-run a single row
RESULTS = DATA / "last_results.json"
#: hand-written findings appended to the generated document
NOTES = ROOT / "benchmarks" / "performance_notes.md"
#: targets checked in the written table (scale data = the full set)
TARGET_SECONDS = 60.0  # load + build + analytics + audit on the full scale data
TARGET_PEAK_MB = 3 * 1024.0
TARGET_DEMO_SECONDS = 15.0  # the whole `salesaudit run` on the demo company, fresh processes
STAGES = ("load", "build", "analytics", "audit", "report")
AS_OF = dt.date(2026, 11, 20)
SCALES = {
    "half": dict(managers=50, clients=10_000, activities=500_000, deals=50_000, sales=150_000, months=24),
    "full": dict(managers=50, clients=20_000, activities=1_000_000, deals=100_000, sales=300_000, months=24),
}  # fmt: skip

#: stage -> (module, attribute) that must exist for the stage to run
REQUIRES = {
    "load": ("salesaudit.io.readers", "read_file"),
    "build": ("salesaudit.model.build", "build_dataset"),
    "analytics": ("salesaudit.analytics.suite", "run_all"),
    "audit": ("salesaudit.scoring", "build_audit"),
    "report": ("salesaudit.app.run", "run_client"),
}


# --- child side ---------------------------------------------------------------------------------
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


#: CPU seconds (user + system, this process and its finished children) of the last timed stage
_CPU: dict[str, float] = {}


def _cpu_now() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _start() -> float:
    _CPU["start"] = _cpu_now()
    return time.perf_counter()


def _stop(t0: float) -> float:
    _CPU["seconds"] = _cpu_now() - _CPU["start"]
    return time.perf_counter() - t0


def _child(stage: str, client: Path, work: Path) -> dict:
    """Run one stage (inputs from ``work``), return its timing."""
    if stage == "load":
        from dataclasses import replace

        from salesaudit.app.loading import _PRESET_HINTS
        from salesaudit.io.folder import open_client_folder
        from salesaudit.io.readers import read_file

        folder = open_client_folder(client)
        t0 = _start()
        sheets = []
        for path in folder.raw_files:
            rel = path.relative_to(folder.root).as_posix()
            sheets += [replace(s, file=rel) for s in read_file(path, header_hints=_PRESET_HINTS)]
        seconds = _stop(t0)
        (work / "sheets.pkl").write_bytes(pickle.dumps(sheets))
        rows = {s.file: len(s.frame) for s in sheets}
        return {"seconds": seconds, "rows": rows}
    if stage == "build":
        from salesaudit.model.build import build_dataset

        sheets = pickle.loads((work / "sheets.pkl").read_bytes())
        t0 = _start()
        data, quality = build_dataset(sheets, None, meta={"as_of": AS_OF, "client": client.name})
        seconds = _stop(t0)
        (work / "dataset.pkl").write_bytes(pickle.dumps(data))
        rows = {t: len(data.table(t)) for t in data.present}
        return {"seconds": seconds, "rows": rows}
    if stage == "analytics":
        from salesaudit.analytics.suite import run_all

        data = pickle.loads((work / "dataset.pkl").read_bytes())
        t0 = _start()
        analyses = run_all(data, as_of=AS_OF)
        seconds = _stop(t0)
        (work / "analyses.pkl").write_bytes(pickle.dumps(analyses))
        ok = sum(1 for a in analyses.values() if a.status == "ok")
        return {"seconds": seconds, "rows": {"analyses": len(analyses), "ok": ok}}
    if stage == "audit":
        from salesaudit.app.audit import load_answers, load_checklist
        from salesaudit.scoring import build_audit

        data = pickle.loads((work / "dataset.pkl").read_bytes())
        analyses = pickle.loads((work / "analyses.pkl").read_bytes())
        checklist = load_checklist()
        answers = load_answers(client, checklist)
        t0 = _start()
        result = build_audit(
            data, analyses, checklist, answers, as_of=AS_OF, meta={"client": client.name}
        )
        seconds = _stop(t0)
        return {"seconds": seconds, "rows": {"json_chars": len(result.to_json())}}
    if stage == "report":
        out = work / "report"
        cmd = [
            str(Path(sys.executable).with_name("salesaudit")),
            "run",
            str(client),
            "--out",
            str(out),
        ]
        if client.resolve() == DEMO.resolve():  # as `make demo` runs it, with the branding
            cmd += ["--settings", str(ROOT / "data_samples" / "consultancy.yaml")]
        t0 = _start()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = _stop(t0)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return {"seconds": seconds, "error": f"exit {proc.returncode}: " + " | ".join(tail)}
        return {"seconds": seconds, "rows": {}, "child_peak_mb": peak}
    raise SystemExit(f"unknown stage {stage}")


# --- parent side ----------------------------------------------------------------------------------
def _available(stage: str) -> bool:
    module, attr = REQUIRES[stage]
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return False
    if not hasattr(mod, attr):
        return False
    if stage == "report":
        from salesaudit.app import run as run_cmd

        return getattr(run_cmd, "HELP", "") != "(being built)"
    return True


def _run_stage(stage: str, client: Path, work: Path, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--child", stage, "--client", str(client), "--work", str(work)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout (> {timeout:.0f} s)"}
    wall = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"status": f"failed: {tail[0][:160]}", "wall": wall}
    out = json.loads(lines[-1])
    out["status"] = "ok" if "error" not in out else f"failed: {out['error'][:160]}"
    return out


def _repeat_report(client: Path, work: Path, timeout: float, repeat: int) -> dict:
    """``salesaudit run`` ``repeat`` times, each in fresh processes: the median run's figures,
    with every run's wall seconds in ``runs`` (a shared machine varies from run to run)."""
    results = []
    for _ in range(repeat):
        r = _run_stage("report", client, work, timeout)
        if r["status"] != "ok":
            return r
        results.append(r)
    ordered = sorted(results, key=lambda r: r["seconds"])
    median = dict(ordered[(len(ordered) - 1) // 2])
    median["runs"] = [round(r["seconds"], 2) for r in results]
    return median


def benchmark(
    name: str, client: Path, timeout: float, stages: tuple[str, ...], repeat: int = 1
) -> dict:
    """Run every stage on one client folder; a stage is skipped when an earlier one failed.

    The report stage runs ``repeat`` times (the median is kept, every run is listed)."""
    print(f"== {name}: {client}", flush=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="salesaudit-bench-") as tmp:
        work = Path(tmp)
        broken = False
        for stage in STAGES:
            if stage not in stages:
                results[stage] = {"status": "skipped"}
            elif not _available(stage):
                results[stage] = {"status": "n/a (not built)"}
                broken = broken or stage in ("load", "build", "analytics")
            elif broken and stage != "report":
                results[stage] = {"status": "n/a (previous stage missing)"}
            elif stage == "report" and repeat > 1:
                results[stage] = _repeat_report(client, work, timeout, repeat)
            else:
                results[stage] = _run_stage(stage, client, work, timeout)
                if results[stage]["status"] != "ok" and stage != "report":
                    broken = True
            r = results[stage]
            shown = (
                f"{r['seconds']:.2f} s (cpu {r.get('cpu') or 0.0:.1f} s), peak {r['peak_mb']:.0f} MB"
                if r["status"] == "ok"
                else r["status"]
            )
            if r.get("runs"):
                shown += f"; median of {len(r['runs'])} runs: {', '.join(map(str, r['runs']))}"
            print(f"   {stage:<10} {shown}", flush=True)
    return results


def ensure_scale(name: str, regenerate: bool) -> Path:
    """Generate the scale folder if it is missing (or ``regenerate``)."""
    out = DATA / ("scale" if name == "full" else f"scale_{name}")
    if regenerate or not (out / "raw" / "bitrix_activities.csv").is_file():
        sizes = SCALES[name]
        cmd = [sys.executable, str(ROOT / "benchmarks" / "generate_scale.py"), "--out", str(out)]
        for k, v in sizes.items():
            cmd += [f"--{k}", str(v)]
        print("generating:", " ".join(cmd[1:]), flush=True)
        subprocess.run(cmd, check=True)
    return out


def _machine() -> list[str]:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
        )
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    import numpy
    import pandas

    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores visible; RAM {ram}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, pandas {pandas.__version__}, numpy {numpy.__version__}",
        f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(the machine is shared: other work was running)",
    ]


def _sizes(client: Path) -> str:
    raw = client / "raw"
    total = sum(p.stat().st_size for p in raw.iterdir() if p.is_file())
    return f"{total / 1e6:.1f} MB"


def _cpu_cell(res: dict) -> str:
    """CPU seconds of load + build + analytics + audit (robust to a busy machine)."""
    core = [res.get(s, {}) for s in ("load", "build", "analytics", "audit")]
    if all(r.get("status") == "ok" and r.get("cpu") is not None for r in core):
        return f"{sum(r['cpu'] for r in core):.1f}"
    return "n/a"


def _cell(r: dict) -> str:
    """A table cell: seconds, or a short status (failures are listed under the table)."""
    if r.get("status") == "ok":
        return f"{r['seconds']:.2f}"
    status = str(r.get("status", "?"))
    return "failed (see below)" if status.startswith("failed") else status.replace("|", "/")


def _ratio(half: dict, full: dict, field: str) -> float | None:
    ok = half.get("status") == "ok" and full.get("status") == "ok"
    a, b = half.get(field), full.get(field)
    return b / a if ok and a and b is not None else None


def _peak(res: dict) -> float | None:
    ok = [res[s] for s in STAGES if isinstance(res.get(s), dict) and res[s].get("status") == "ok"]
    peaks = [r.get("peak_mb", 0.0) for r in ok] + [r.get("child_peak_mb", 0.0) for r in ok]
    return max(peaks) if peaks else None


def _targets(by: dict[str, dict]) -> list[str]:
    """One line per target: met / not met, with the figures."""
    lines = ["", "Targets:", ""]
    demo = by.get("demo", {}).get("report", {})
    if demo.get("status") == "ok":
        runs = demo.get("runs") or [demo["seconds"]]
        verdict = "met" if max(runs) <= TARGET_DEMO_SECONDS else "NOT met"
        figures = (
            f"median {demo['seconds']:.1f} s of {len(runs)} runs, slowest {max(runs):.1f} s: "
            + ", ".join(f"{x:.1f}" for x in runs)
            if len(runs) > 1
            else f"{demo['seconds']:.1f} s"
        )
        lines.append(
            f"- demo end to end (`salesaudit run`, fresh processes, every run) <= "
            f"{TARGET_DEMO_SECONDS:.0f} s: {verdict} ({figures})"
        )
    full = by.get("full")
    if full is None:
        return [*lines, "- full scale data not measured in this run"]
    core = ("load", "build", "analytics", "audit")
    if all(full[s].get("status") == "ok" for s in core):
        total = sum(full[s]["seconds"] for s in core)
        verdict = "met" if total <= TARGET_SECONDS else "NOT met"
        parts = " + ".join(f"{full[s]['seconds']:.1f}" for s in core)
        lines.append(
            f"- full scale load + build + analytics + audit <= {TARGET_SECONDS:.0f} s: "
            f"{verdict} ({parts} = {total:.1f} s)"
        )
    else:
        lines.append("- full scale pipeline time: not measured (a stage did not run)")
    peak = max((p for p in (_peak(r) for r in by.values()) if p is not None), default=None)
    if peak is not None:
        verdict = "met" if peak <= TARGET_PEAK_MB else "NOT met"
        lines.append(f"- peak RSS <= {TARGET_PEAK_MB:.0f} MB: {verdict} (largest: {peak:.0f} MB)")
    half = by.get("half")
    if half is not None:
        for field, what in (("cpu", "CPU time"), ("seconds", "wall time")):
            ratios = [_ratio(half[s], full[s], field) for s in core]
            if all(r is not None for r in ratios):
                worst = max(r for r in ratios if r is not None)
                verdict = "met" if worst <= 2.4 else "NOT met"
                lines.append(
                    f"- cost linear in rows, by {what} (full / half <= 2.4 for every data "
                    f"stage): {verdict} (worst ratio {worst:.2f})"
                )
    return lines


def write_doc(
    runs: list[tuple[str, Path, dict]], command: str, started: str, notes: str = ""
) -> str:
    """Markdown report: machine, command, one row per data set, linearity notes, targets.

    A result may carry ``"measured"`` (UTC time of its run) and ``"command"`` when it comes
    from an earlier run (``--update``); those are shown per row."""
    lines = [
        "# Performance",
        "",
        "Measured by `benchmarks/run.py` (every stage in a fresh subprocess; seconds of wall time; "
        "peak = the largest resident set of any stage's process, which includes the stage's "
        "unpickled inputs; CPU = user + system seconds of the four data stages, which a busy "
        "machine inflates far less than wall time). Regenerate with `make benchmark`; "
        "`--update` re-runs only the data sets asked for and keeps the other rows.",
        "",
        f"Run {started} UTC with:",
        "",
        f"    {command}",
        "",
        "Machine:",
        "",
        *_machine(),
        "",
        "Data sets: the demo company (`data_samples/demo`) and synthetic scale folders from "
        "`benchmarks/generate_scale.py` (50 staff, 24 months; half = 10 000 clients, 500 000 "
        "activities, 50 000 deals, 150 000 1C lines; full = 20 000 / 1 000 000 / 100 000 / "
        "300 000). The scale 1C report is written in openpyxl write-only mode (no merged cells or "
        "outline levels), so its manager group rows are recognised by the reader's text "
        "heuristics only.",
        "",
        "| data | raw size | rows (activities / deals / sales) | load s | build s | analytics s | audit s | report (CLI) s | peak RSS MB | CPU s, data stages | measured (UTC) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, client, res in runs:
        measured = res.get("_measured", started)
        rows = res.get("build", {}).get("rows", {})
        counts = " / ".join(
            f"{rows.get(t, '?'):,}" if isinstance(rows.get(t), int) else "?"
            for t in ("activities", "deals", "sales")
        )
        p = _peak(res)
        peak = f"{p:.0f}" if p is not None else "n/a"
        lines.append(
            f"| {name} | {_sizes(client)} | {counts} | "
            + " | ".join(_cell(res[s]) for s in STAGES)
            + f" | {peak} | {_cpu_cell(res)} | {measured} |"
        )
    commands = sorted({res["_command"] for _, _, res in runs if res.get("_command")} - {command})
    if commands:
        lines += ["", "Rows measured in an earlier run (see the last column) used:", ""]
        lines += [f"    {c}" for c in commands]
    by = {name: res for name, _, res in runs}
    if "half" in by and "full" in by:
        lines += ["", "Cost ratio full / half (2x the rows; 2.0 = linear), wall and CPU:", ""]
        for s in STAGES:
            a, b = by["half"][s], by["full"][s]
            wall, cpu = _ratio(a, b, "seconds"), _ratio(a, b, "cpu")
            if wall is None:
                bad = a if a.get("status") != "ok" else b
                lines.append(f"- {s}: n/a ({bad.get('status', '?')[:60]})")
            else:
                lines.append(
                    f"- {s}: wall {wall:.2f}" + (f", CPU {cpu:.2f}" if cpu is not None else "")
                )
    failures = [
        f"- {name} / {s}: {res[s]['status']}"
        for name, _, res in runs
        for s in STAGES
        if str(res.get(s, {}).get("status", "")).startswith("failed")
    ]
    if failures:
        lines += ["", "Failed stages:", "", *failures]
    lines += [
        "",
        "Stage notes: `load` = reading the files; `build` = presets, parsing, name reconciliation, "
        "validation; `audit` excludes loading the checklist and the answers; `report` is the "
        "whole `salesaudit run` (it loads and analyses again, then executes the notebooks and "
        "renders the PDF); its peak is the largest single process it started (`ru_maxrss` of the "
        "children: the CLI or one notebook kernel), not the sum over the tree. Scale 1C rows: "
        "the write-only workbook has no outline levels, so manager group rows are dropped only if "
        "the reader's bold/text heuristics catch them (otherwise a handful of rows is rejected "
        "and reported — visible in `salesaudit validate`). The demo's report cell is the median "
        "of `--repeat-demo` runs (each in fresh processes); the target below holds only if "
        "every run meets it.",
    ]
    lines += _targets(by)
    if notes:
        lines += ["", notes.strip()]
    lines.append("")
    return "\n".join(lines)


def _load_results() -> dict[str, dict]:
    try:
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_results(runs: list[tuple[str, Path, dict]]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {name: {"client": str(client), "res": res} for name, client, res in runs}
    RESULTS.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="time each pipeline stage -> docs/performance.md")
    p.add_argument("--scale", choices=("full", "half", "both"), default="both")
    p.add_argument("--skip-scale", action="store_true", help="benchmark the demo only")
    p.add_argument("--regenerate", action="store_true", help="regenerate the scale data")
    p.add_argument("--timeout", type=float, default=3600.0, help="per stage, seconds (3600)")
    p.add_argument(
        "--no-report-at-scale", action="store_true", help="skip `salesaudit run` on scale data"
    )
    p.add_argument(
        "--no-doc", action="store_true", help="print only; do not write docs/performance.md"
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="keep the other data sets' rows from the last run (e.g. re-run only the demo)",
    )
    p.add_argument(
        "--repeat-demo",
        type=int,
        default=5,
        metavar="N",
        help="run the demo's `salesaudit run` N times; the table shows the median (5)",
    )
    p.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    p.add_argument("--client", help=argparse.SUPPRESS)
    p.add_argument("--work", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        out = _child(args.child, Path(args.client), Path(args.work))
        out["peak_mb"] = _peak_mb()
        out["cpu"] = _CPU.get("seconds")
        print(json.dumps(out, ensure_ascii=False, default=str))
        return 0
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    names = [] if args.skip_scale else (["half", "full"] if args.scale == "both" else [args.scale])
    scale_stages = tuple(s for s in STAGES if not (args.no_report_at_scale and s == "report"))
    folders = [("demo", DEMO)] + [(n, ensure_scale(n, args.regenerate)) for n in names]
    previous = _load_results() if args.update else {}
    runs: list[tuple[str, Path, dict]] = []
    notes = NOTES.read_text(encoding="utf-8") if NOTES.is_file() else ""

    def ordered() -> list[tuple[str, Path, dict]]:
        done = {name for name, _, _ in runs}
        kept = [
            (name, Path(v["client"]), v["res"])
            for name, v in previous.items()
            if name not in done and Path(v["client"]).is_dir()
        ]
        order = {"demo": 0, "half": 1, "full": 2}
        return sorted(runs + kept, key=lambda r: order.get(r[0], 9))

    for name, client in folders:
        stages = STAGES if name == "demo" else scale_stages
        repeat = max(1, args.repeat_demo) if name == "demo" else 1
        res = benchmark(name, client, args.timeout, stages, repeat)
        res["_measured"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
        res["_command"] = command.strip()
        runs.append((name, client, res))
        if not args.no_doc:  # after every data set, so an interrupted run keeps its results
            _save_results(ordered())
            DOC.write_text(write_doc(ordered(), command.strip(), started, notes), encoding="utf-8")
    if not args.no_doc:
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
