"""The workshop served by ``salesaudit workshop`` and driven in headless Chromium (Debian's).

Starts the command on a free loopback port, opens the page, picks a manager and moves the
meetings-per-day slider, and checks that the forecast shown is the lib's ``forecast_value`` for
the same inputs. Takes a screenshot into the test's temporary folder (``reports/workshop.png``);
the tracked ``docs/img/workshop.png`` is refreshed only with ``SALESAUDIT_UPDATE_SCREENSHOTS=1``,
so a test run leaves the checkout clean. The server's process group is terminated whatever
happens.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
#: the client folder served (the demo company unless SALESAUDIT_WORKSHOP_CLIENT names another)
DEMO = Path(os.environ.get("SALESAUDIT_WORKSHOP_CLIENT") or ROOT / "data_samples" / "demo")
CHROMIUM = "/usr/bin/chromium"
#: the screenshot in the docs, refreshed only when this environment variable is "1"
DOC_SCREENSHOT = ROOT / "docs" / "img" / "workshop.png"
UPDATE_SCREENSHOTS = "SALESAUDIT_UPDATE_SCREENSHOTS"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: the page runs the whole audit before it shows anything
PAGE_TIMEOUT_MS = 240_000
MEETINGS = 3.5


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"salesaudit workshop exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "voila/static/voila.js", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    pytest.fail(f"server did not come up in {timeout} s:\n{log.read_text()}")


def _page_url(log: Path, proc: subprocess.Popen, timeout: float = 60) -> str:
    """The page URL with its access token, as the command prints it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"at (http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]+)", log.read_text())
        if match:
            return match.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(f"no URL printed:\n{log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the command stops its Voilà server in turn
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass


def _lib_panel(manager_name: str):
    """The forecast panel the library builds for the demo, with ``manager_name`` picked."""
    from salesaudit.app.workshop import build_dashboard

    dash = build_dashboard(str(DEMO), lang="ru")
    ids = {name: mid for mid, name in dash.state.people()}
    panel = dash.forecast
    panel.manager.value = ids[manager_name]
    return panel


def _shown(page, key: str) -> float:
    """The raw value behind the formatted figure beside slider ``key``."""
    return float(page.locator(f".sa-forecast-{key}-value .sa-value").get_attribute("data-value"))


KEYS = ("meetings", "conversion", "avg-deal", "headcount", "working-days")
#: the projector sizes every tab is looked at in (screenshots in the test's reports/ folder)
SIZES = ((1280, 720), (1920, 1080))


def test_forecast_in_the_browser_equals_the_lib_value(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed: apt-get install chromium")
    if not (DEMO / "raw").is_dir():
        pytest.skip("data_samples/demo missing: run `make demo-data`")
    from playwright.sync_api import expect, sync_playwright
    from salesaudit.analytics.forecast import forecast_value
    from salesaudit.app.workshop import free_port

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "server.log"
    env = dict(os.environ)
    env.pop("SALESAUDIT_LANG", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "salesaudit.cli", "workshop", str(DEMO), "--port", str(port)]
            + ["--no-browser"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    try:
        _wait_for_server(url, proc, log)
        base = url
        url = _page_url(log, proc)
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                str(tmp_path / "profile"),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1600, "height": 1000},
            )
            try:
                page = ctx.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                requests: list[str] = []
                page.on("request", lambda r: requests.append(r.url))
                page.goto(url, timeout=PAGE_TIMEOUT_MS)
                page.wait_for_selector(".sa-dashboard", timeout=PAGE_TIMEOUT_MS)
                page.get_by_text("Прогноз «что если»", exact=True).click()
                value = page.locator(".sa-forecast-value")
                expect(value).to_be_visible(timeout=30_000)

                # pick the first manager of the list: the sliders show the lib's actual figures
                select = page.locator(".sa-forecast-manager select")
                options = select.locator("option").all_inner_texts()
                manager = options[1]
                select.select_option(label=manager)
                panel = _lib_panel(manager.replace("\u00a0", " "))
                actual = panel.inputs()
                expected_actual = {
                    "meetings": actual.meetings_per_day,
                    "conversion": round(actual.conversion * 100.0, 1),
                    "avg-deal": actual.avg_deal,
                    "headcount": actual.headcount,
                    "working-days": actual.working_days,
                }
                for key in KEYS:
                    expect(page.locator(f".sa-forecast-{key}-value .sa-value")).to_have_attribute(
                        "data-value", repr(expected_actual[key]), timeout=30_000
                    )
                # the figures beside the sliders are in the Russian format (3,5; 227 400 ₽)
                texts = panel.slider_texts()
                for key in KEYS:
                    shown_text = page.locator(f".sa-forecast-{key}-value").inner_text()
                    assert shown_text.replace("\u00a0", " ") == texts[key].replace("\u00a0", " ")
                assert "," in texts["conversion"] or texts["conversion"].startswith("0 ")

                # move the meetings-a-day slider by keyboard to 3.5 (one arrow = one 0.1 step)
                handle = page.locator(".sa-forecast-meetings .noUi-handle")
                handle.focus()
                steps = round((MEETINGS - actual.meetings_per_day) * 10)
                for _ in range(abs(steps)):
                    page.keyboard.press("ArrowRight" if steps > 0 else "ArrowLeft")
                meetings = page.locator(".sa-forecast-meetings-value .sa-value")
                expect(meetings).to_have_attribute("data-value", repr(MEETINGS), timeout=30_000)
                expect(page.locator(".sa-forecast-meetings-value")).to_have_text("3,5")
                shown_inputs = {key: _shown(page, key) for key in KEYS}
                expected = forecast_value(
                    shown_inputs["meetings"],
                    shown_inputs["conversion"] / 100.0,
                    shown_inputs["avg-deal"],
                    shown_inputs["working-days"],
                    headcount=shown_inputs["headcount"],
                )
                expect(value).to_have_attribute("data-value", repr(expected), timeout=30_000)
                # ... the lib's forecast for the same manager at 3.5 meetings a day
                panel.meetings.value = MEETINGS
                assert panel.view().forecast == expected
                shown = value.inner_text()
                assert shown.replace("\u00a0", " ").endswith("₽")
                digits = "".join(ch for ch in shown if ch.isdigit())
                assert int(digits) == round(expected)

                # the same people, in the same order, on every tab that picks a person
                people = [o for o in options[1:]]
                page.get_by_text("План / факт", exact=True).click()
                pf = page.locator(".sa-planfact-manager select option").all_inner_texts()
                assert pf[1:] == people
                page.get_by_text("Отказы", exact=True).click()
                assert (
                    page.locator(".sa-refusals-manager select option").all_inner_texts() == people
                )
                page.get_by_text("Достоверность", exact=True).click()
                cred = page.locator(".sa-credibility-manager select option").all_inner_texts()
                assert cred == people

                # the chosen interview answer stands out: white on blue
                page.get_by_text("Интервью", exact=True).click()
                page.locator(
                    ".sa-interview-areas .lm-AccordionPanel-title, "
                    ".sa-interview-areas .jupyter-widget-Collapse-header"
                ).first.click()
                active = page.locator(".sa-answer .mod-active").first
                expect(active).to_be_visible(timeout=30_000)
                colours = active.evaluate(
                    "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
                )
                assert colours == ["rgb(21, 101, 192)", "rgb(255, 255, 255)"]
                assert not page.locator(".sa-dashboard").get_by_text("p1.q01").count()
                assert not errors, errors

                # every tab at projector sizes: full width, tabs stay on screen when scrolled
                shots = tmp_path / "reports"
                shots.mkdir(parents=True, exist_ok=True)
                tabs = page.locator(".sa-tabs .lm-TabBar-tab")
                for width, height in SIZES:
                    page.set_viewport_size({"width": width, "height": height})
                    for i in range(tabs.count()):
                        tabs.nth(i).click()
                        page.wait_for_timeout(300)
                        box = page.locator(".sa-dashboard").bounding_box()
                        assert box is not None and box["width"] >= width - 60
                        page.screenshot(path=str(shots / f"workshop_{width}_{i}.png"))
                    tabs.nth(0).click()
                    page.mouse.move(width / 2, height / 2)
                    page.mouse.wheel(0, 2000)
                    page.wait_for_timeout(300)
                    bar = page.locator(".sa-tabs .lm-TabBar").bounding_box()
                    assert bar is not None and 0 <= bar["y"] <= 5, bar
                    page.mouse.wheel(0, -4000)
                external = [
                    u for u in requests if not u.startswith(base) and not u.startswith("data:")
                ]
                assert external == []

                page.set_viewport_size({"width": 1600, "height": 1000})
                page.get_by_text("Прогноз «что если»", exact=True).click()
                shot = shots / "workshop.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
                if os.environ.get(UPDATE_SCREENSHOTS) == "1":
                    DOC_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(shot, DOC_SCREENSHOT)
                    shutil.copyfile(
                        shots / "workshop_1280_0.png",
                        DOC_SCREENSHOT.with_name("workshop_interview.png"),
                    )
            finally:
                ctx.close()
    finally:
        _stop(proc)
    assert proc.returncode == 0, log.read_text()  # a clean stop
    assert "stopped" in log.read_text()
    with pytest.raises(OSError):  # nothing serves the port any more
        urllib.request.urlopen(url.split("?")[0], timeout=5)
