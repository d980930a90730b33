"""Latency of the workshop dashboard's updates on the demo company.

Builds the dashboard for a temporary copy of ``data_samples/demo`` (answers are really saved,
so the interview figure includes the atomic write), then for each panel sets a control value
many times — exactly what a click or a slider drag does in the browser: the widget's value
changes and the panel's observers recompute the figures — and prints the median and the maximum
in milliseconds as a markdown table. The times are the kernel's side of an update (the figures
recomputed and the widgets' new HTML set); the browser's round trip and redraw come on top.

    .venv/bin/python benchmarks/workshop_latency.py [--repeat 40] [--client data_samples/demo]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _time(update: Callable[[int], None], repeat: int) -> tuple[float, float]:
    """(median, max) milliseconds of ``update(i)`` over ``repeat`` calls (one warm-up first)."""
    update(-1)
    samples = []
    for i in range(repeat):
        t0 = time.perf_counter()
        update(i)
        samples.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(samples), max(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", default=str(ROOT / "data_samples" / "demo"))
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    source = Path(args.client)
    if not (source / "raw").is_dir():
        print(f"{source}: no raw/ folder; run `make demo-data` first", file=sys.stderr)
        return 2

    from salesaudit.app.workshop import build_dashboard

    with tempfile.TemporaryDirectory(prefix="sa-bench-") as tmp:
        client = Path(tmp) / source.name
        shutil.copytree(source, client, ignore=shutil.ignore_patterns(".salesaudit.key"))
        t0 = time.perf_counter()
        dash = build_dashboard(str(client), lang="ru")
        startup = time.perf_counter() - t0

        managers = [mid for mid, _name in dash.state.managers()]
        interview, forecast, planfact = dash.interview, dash.forecast, dash.planfact
        refusals, credibility = dash.refusals, dash.credibility
        questions = list(interview.buttons)
        answers = ["yes", "partly", "no", "unknown"]

        def answer(i: int) -> None:
            qid = questions[(i + 1) % len(questions)]
            interview.buttons[qid].value = answers[(i + 1) % len(answers)]

        meetings = itertools.cycle([1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
        conv = itertools.cycle([5.0, 7.5, 10.0, 12.5, 15.0])

        def slider(i: int) -> None:
            if i % 2:
                forecast.meetings.value = next(meetings)
            else:
                forecast.conversion.value = next(conv)

        def pick_from(widget, values: list) -> Callable[[int], None]:
            cycle = itertools.cycle(values)

            def pick(_i: int) -> None:
                widget.value = next(cycle)

            return pick

        periods = [v for _label, v in planfact.period.options]
        rows = [
            ("Interview: answer a question (rescore + save)", answer),
            ("Forecast: move a slider", slider),
            (
                "Forecast: pick a manager (reload actuals)",
                pick_from(forecast.manager, [None, *managers]),
            ),
            ("Plan / fact: pick a manager", pick_from(planfact.manager, [None, *managers])),
            ("Plan / fact: pick a period", pick_from(planfact.period, periods)),
        ]
        ref_opts = [v for _label, v in refusals.manager.options if v is not None]
        if ref_opts:
            rows.append(("Refusals: pick a manager", pick_from(refusals.manager, ref_opts)))
        cred_opts = [v for _label, v in credibility.manager.options if v is not None]
        if cred_opts:
            rows.append(("Credibility: pick a manager", pick_from(credibility.manager, cred_opts)))

        print(f"Dashboard built (load + audit + analyses) in {startup:.1f} s "
              f"for {source.name}; {args.repeat} updates each.\n")  # fmt: skip
        print("| update | median, ms | max, ms |")
        print("|---|---:|---:|")
        for label, update in rows:
            med, worst = _time(update, args.repeat)
            print(f"| {label} | {med:.2f} | {worst:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
