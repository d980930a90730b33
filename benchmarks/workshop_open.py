"""How long the workshop takes to open: ``salesaudit workshop`` started, the page loaded in
headless Debian Chromium (Playwright), until the dashboard is on screen.

    .venv/bin/python benchmarks/workshop_open.py [--client DIR] [--repeat N] [--no-snapshot]

Per start it prints: when the command printed its URL (the server answers), and for each page
load the first byte, the HTML complete and the dashboard drawn, from the request and from the
command's start. With ``--no-snapshot`` the client's workshop snapshot is moved aside first (the
first page then loads and audits the folder; the snapshot is put back at the end). Needs
``/usr/bin/chromium``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
URL = re.compile(r"at (http://127\.0\.0\.1:\d+/\?token=\S+)")


def _one_start(client: Path, pages: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright
    from salesaudit.app.workshop import free_port

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            t0 = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-m", "salesaudit.cli", "workshop", str(client), "--no-browser"]
                + ["--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            url = None
            while url is None:
                if proc.poll() is not None:
                    raise SystemExit(log_path.read_text())
                match = URL.search(log_path.read_text())
                url = match.group(1) if match else None
                time.sleep(0.05)
            up = time.monotonic() - t0
            rows = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                for _ in range(pages):
                    page = browser.new_page(viewport={"width": 1280, "height": 720})
                    t1 = time.monotonic()
                    page.goto(url, wait_until="commit")
                    first = time.monotonic() - t1
                    page.wait_for_load_state("domcontentloaded")
                    html = time.monotonic() - t1
                    page.wait_for_selector(".sa-dashboard", timeout=300_000)
                    shown = time.monotonic() - t1
                    rows.append(
                        {
                            "server_up": up,
                            "first_byte": first,
                            "html": html,
                            "dashboard": shown,
                            "from_start": (t1 - t0) + shown,
                        }
                    )
                    page.close()
                browser.close()
            return rows
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--client", default=str(ROOT / "data_samples" / "demo"))
    ap.add_argument("--repeat", type=int, default=3, help="server starts (each loads 2 pages)")
    ap.add_argument("--no-snapshot", action="store_true", help="open without the snapshot")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("needs Debian's chromium: apt-get install chromium")
    client = Path(args.client).resolve()
    snapshot = client / ".salesaudit" / "workshop.json"
    aside = snapshot.with_name("workshop.json.bench")
    if args.no_snapshot and snapshot.exists():
        shutil.move(snapshot, aside)
    try:
        rows = []
        for _ in range(args.repeat):
            rows += _one_start(client, 2)
            if args.no_snapshot and snapshot.exists():
                snapshot.unlink()  # every start opens without it
    finally:
        if aside.exists():
            shutil.move(aside, snapshot)
    print(
        "| start | page | server up, s | first byte, s | HTML, s | dashboard, s | from start, s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for i, r in enumerate(rows):
        print(
            f"| {i // 2 + 1} | {i % 2 + 1} | {r['server_up']:.1f} | {r['first_byte']:.2f} | "
            f"{r['html']:.2f} | {r['dashboard']:.2f} | {r['from_start']:.1f} |"
        )
    first = [r["dashboard"] for i, r in enumerate(rows) if i % 2 == 0]
    print(f"median dashboard after the first request: {statistics.median(first):.2f} s")


if __name__ == "__main__":
    main()
