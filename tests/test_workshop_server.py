"""The workshop server as a real process: token, Host and Origin checks, kernel cap and idle
culling, no CDN on the page, the token on no command line and in no kernel's environment.

One ``salesaudit workshop`` process on a copy of the demo folder serves every check (a page load
costs a kernel). The server's process group is stopped whatever happens.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from salesaudit.app.workshop import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("workshop_server")]

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data_samples" / "demo"
IDLE = 3  # seconds a kernel with no page connected may idle before it is culled
URL_LINE = re.compile(r"at (http://127\.0\.0\.1:\d+/\?token=([A-Za-z0-9_-]+))")
WS_HEADERS = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def _request(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """One GET on loopback with the given headers (``Host`` included): status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.putrequest("GET", path, skip_host="Host" in (headers or {}))
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        status = resp.status
        head = {k.lower(): v for k, v in resp.getheaders()}
        cookies = [v.split(";")[0] for k, v in resp.getheaders() if k.lower() == "set-cookie"]
        head["cookie"] = "; ".join(cookies)
        body = "" if status == 101 else resp.read().decode("utf-8", "replace")
        return status, head, body
    finally:
        conn.close()


def _group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not (DEMO / "raw").is_dir():
        pytest.skip("data_samples/demo missing: run `make demo-data`")
    base = tmp_path_factory.mktemp("ws")
    client = base / "demo"
    shutil.copytree(DEMO, client, ignore=shutil.ignore_patterns(".salesaudit"))
    port = free_port()
    log = base / "server.log"
    env = dict(os.environ)
    env.pop("SALESAUDIT_LANG", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "salesaudit.cli", "workshop", str(client), "--no-browser"]
            + ["--port", str(port), "--max-pages", "1", "--idle-timeout", str(IDLE)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=base,
            env=env,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        match = None
        while match is None and time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"workshop exited with {proc.returncode}:\n{log.read_text()}")
            match = URL_LINE.search(log.read_text())
            time.sleep(0.3)
        assert match is not None, log.read_text()
        yield {"port": port, "token": match.group(2), "log": log, "proc": proc}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _dashboard_in(body: str) -> bool:
    """Whether the page carries the executed dashboard: the notebook's last cell rendered a
    widget view (the browser draws it from the model) and no cell failed."""
    return (
        "application/vnd.jupyter.widget-view+json" in body
        and '"output_type": "error"' not in body
        and "Traceback" not in body
    )


def _page(server: dict) -> tuple[int, str, str]:
    """Load the page with the token: status, body and the login cookie."""
    status, head, body = _request(server["port"], f"/?token={server['token']}")
    cookie = head["cookie"]
    return status, body, cookie


def _wait_for_page(server: dict, timeout: float = 60) -> tuple[str, str]:
    """Load the page, retrying while the single kernel slot is taken (culling frees it)."""
    deadline = time.monotonic() + timeout
    while True:
        status, body, cookie = _page(server)
        if status == 200:
            return body, cookie
        assert status == 503, body
        assert time.monotonic() < deadline, "the idle kernel was never culled"
        time.sleep(1)


def test_workshop_server_refuses_what_it_must(server: dict) -> None:
    port, token = server["port"], server["token"]
    # no token: Jupyter's login page, never the dashboard
    status, head, body = _request(port, "/")
    assert status in (302, 403)
    assert not _dashboard_in(body)
    # a Host header that is not loopback (DNS rebinding) is refused, token or not
    status, _, _ = _request(port, f"/?token={token}", {"Host": f"evil.example:{port}"})
    assert status == 403
    status, _, _ = _request(port, "/voila/static/voila.js", {"Host": f"localhost:{port}"})
    assert status == 200

    body, cookie = _wait_for_page(server)
    assert _dashboard_in(body)
    # nothing on the page comes from outside the server
    external = re.findall(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)""", body)
    external += re.findall(r"""import\(\s*["'](https?://[^"']+)""", body)
    assert external == []
    assert "cdn.jsdelivr" not in body and "cdnjs" not in body and "unpkg" not in body

    # the cap: one kernel is open, a second page is refused with 503
    status, refused, _ = _page(server)
    assert status == 503
    assert "Too many open workshop pages" in refused

    # the kernel's WebSocket: with the login cookie, a foreign Origin is refused
    kernel_id = re.search(r'kernelId"\s*:\s*"([0-9a-f-]+)"', body).group(1)
    path = f"/api/kernels/{kernel_id}/channels"
    foreign = {**WS_HEADERS, "Cookie": cookie, "Origin": "http://evil.example"}
    assert _request(port, path, foreign)[0] == 403
    same = {**WS_HEADERS, "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
    assert _request(port, path, same)[0] == 101
    # ... and without cookie or token nobody gets in
    assert _request(port, path, {**WS_HEADERS, "Origin": f"http://127.0.0.1:{port}"})[0] == 403

    # the token is on no command line and in no environment of the server's processes
    for pid in _group_pids(server["proc"].pid):
        for name in ("cmdline", "environ"):
            try:
                data = (Path("/proc") / str(pid) / name).read_bytes()
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            assert token.encode() not in data, f"token in /proc/{pid}/{name}"

    # the idle kernel (its page never connected) is culled, and a new page opens again
    body, _ = _wait_for_page(server, timeout=IDLE * 10 + 30)
    assert _dashboard_in(body)
    assert "Culling 'idle' kernel" in server["log"].read_text()


def test_workshop_refuses_bad_limits(tmp_path: Path) -> None:
    client = tmp_path / "c"
    (client / "raw").mkdir(parents=True)
    (client / "raw" / "x.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "salesaudit.cli", "workshop", str(client), "--no-browser"]
        + ["--max-pages", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    assert "--max-pages must be at least 1 (got 0)" in res.stderr
    assert "Traceback" not in res.stderr
