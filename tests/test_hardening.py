"""Hardening (issue 11): links and odd names in raw/, NUL bytes, wide headers, messages without
client data, hashes of the bytes read, and ``salesaudit run`` as a process that is killed,
stopped, run twice at once, or given a full disk or a mount point as ``--out``.

The process tests start the real ``salesaudit run`` (a subprocess) and send it SIGKILL, SIGTERM
or SIGHUP at chosen moments: ``SALESAUDIT_PAUSE_AT=<moment>`` makes the run say
``salesaudit: paused at <moment>`` on stderr and sleep there (:func:`salesaudit.io.atomic.pause_point`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT
from salesaudit.errors import InputFileError, OutputError
from salesaudit.io.atomic import (
    atomic_output_dir,
    lock_path,
    output_lock,
    recover_output_dir,
)
from salesaudit.io.folder import open_client_folder
from salesaudit.io.readers import NUL_ROW, headers_for_message, read_file

SALESAUDIT = str(Path(sys.executable).with_name("salesaudit"))
DEMO = ROOT / "data_samples" / "demo"
OUTPUTS = {"audit.json", "quality.txt", "report.html", "report.pdf", "verification_calls.xlsx"}


def _client(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "client"
    for rel, data in files.items():
        p = root / "raw" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


DEALS = "ID;Менеджер;Сумма\n1;Иванов;100\n2;Петров;200\n".encode()


# --- links and names in raw/ ---------------------------------------------------------------


def test_link_to_a_file_outside_the_client_folder_is_refused_by_name(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "passwords.csv"
    secret.parent.mkdir()
    secret.write_text("login;password\nboss;hunter2\n", encoding="utf-8")
    root = _client(tmp_path, {"deals.csv": DEALS})
    (root / "raw" / "passwords.csv").symlink_to(secret)
    (root / "raw" / "sub").mkdir()
    (root / "raw" / "sub" / "up.csv").symlink_to(
        Path("..") / ".." / ".." / "elsewhere" / "passwords.csv"
    )
    with pytest.raises(InputFileError) as info:
        open_client_folder(root)
    hint = (
        "copy the file itself into raw/; links out of the client folder are not followed, so "
        "that no file from elsewhere on this computer ends up in a report"
    )
    assert str(info.value).splitlines() == [
        f"{root / 'raw'}: raw/ holds 2 link(s) to files outside the client folder -> {hint}",
        f"  - raw/passwords.csv: a link to a file outside the client folder: refused -> {hint}",
        f"  - raw/sub/up.csv: a link to a file outside the client folder: refused -> {hint}",
    ]
    assert "hunter2" not in str(info.value)


def test_link_to_a_folder_outside_is_refused_and_raw_itself_too(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.csv").write_bytes(DEALS)
    root = _client(tmp_path, {"deals.csv": DEALS})
    (root / "raw" / "more").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputFileError) as info:
        open_client_folder(root)
    assert [(c.file, c.message) for c in info.value.cases] == [
        ("raw/more", "a link to a file outside the client folder: refused")
    ]
    other = tmp_path / "other"
    other.mkdir()
    (other / "raw").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputFileError) as info:
        open_client_folder(other)
    assert info.value.message == "raw/ is a link to a folder outside the client folder: refused"


def test_links_inside_the_client_folder_load_and_odd_names_are_literal(tmp_path: Path) -> None:
    root = _client(
        tmp_path,
        {
            "deals%2F..%2Fjan.csv": DEALS,  # a literal name, never URL-decoded
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "._deals.csv": b"\x00\x05\x16\x07",
            "~$plan.xlsx": b"lock",
            "README.txt": b"notes",
            ".git/config": b"[core]",
        },
    )
    (root / "archive").mkdir()
    (root / "archive" / "sales.csv").write_bytes(DEALS)
    (root / "raw" / "sales.csv").symlink_to(Path("..") / "archive" / "sales.csv")
    (root / "raw" / "same").symlink_to(root / "archive", target_is_directory=True)
    (root / "raw" / "gone.csv").symlink_to(root / "missing.csv")
    folder = open_client_folder(root)
    assert [p.relative_to(root).as_posix() for p in folder.raw_files] == [
        "raw/deals%2F..%2Fjan.csv",
        "raw/sales.csv",
    ]
    assert folder.skipped == [
        ("raw/.git", _hidden("folder")),
        ("raw/same", "skipped: a link to a folder is not followed"),
        ("raw/.DS_Store", _hidden("file")),
        ("raw/._deals.csv", _hidden("file")),
        ("raw/README.txt", "skipped: README, not an export"),
        ("raw/gone.csv", "skipped: a broken link (its target does not exist)"),
        ("raw/~$plan.xlsx", "skipped: Excel lock file of an open workbook (~$...), not an export"),
    ]
    sheet = read_file(folder.raw_files[0])[0]
    assert sheet.frame.to_dict("list") == {
        "ID": ["1", "2"],
        "Менеджер": ["Иванов", "Петров"],
        "Сумма": ["100", "200"],
    }


def _hidden(what: str) -> str:
    return (
        f"skipped: hidden {what} (the name starts with a dot, e.g. .DS_Store or ._ files of "
        "macOS) -> if it is an export, rename it without the leading dot"
    )


def test_skipped_files_are_listed_in_the_quality_report(tmp_path: Path) -> None:
    from salesaudit.app.loading import load_client
    from salesaudit.model.quality import message_text

    root = _client(tmp_path, {"deals.csv": DEALS, "~$deals.xlsx": b"lock"})
    issues = load_client(root).quality.issues
    rows = issues[issues["kind"] == "skipped_file"]
    assert rows[["severity", "file", "message"]].values.tolist() == [
        [
            "info",
            "raw/~$deals.xlsx",
            "skipped: Excel lock file of an open workbook (~$...), not an export",
        ]
    ]
    assert message_text(rows["message"].iloc[0], "ru") == (
        "пропущен: файл блокировки открытой книги Excel (~$...), это не выгрузка"
    )


# --- NUL bytes, wide headers ---------------------------------------------------------------


def test_nul_bytes_skip_their_row_and_the_rest_loads(tmp_path: Path) -> None:
    p = tmp_path / "deals.csv"
    p.write_bytes(
        'ID;Менеджер;Комментарий\n1;Иванов;ok\n2;Пет\x00ров;"две\nстроки"\n3;Сидоров;\x00\x00\n'
        "4;Орлов;конец\n".encode()
    )
    sheet = read_file(p)[0]
    assert sheet.frame.to_dict("list") == {
        "ID": ["1", "4"],
        "Менеджер": ["Иванов", "Орлов"],
        "Комментарий": ["ok", "конец"],
    }
    assert sheet.rows == [2, 6]
    assert sheet.dropped == [(3, NUL_ROW), (5, NUL_ROW)]
    assert NUL_ROW == (
        "the row holds NUL bytes (a damaged export): skipped -> check this row in the CRM/1C "
        "and export the file again"
    )


def test_a_binary_file_is_still_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputFileError, match="not a table export"):
        read_file(p)


def test_header_with_thousands_of_empty_columns_loads(tmp_path: Path) -> None:
    p = tmp_path / "wide.csv"
    rows = ["Менеджер;Сумма" + ";" * 16000] + [f"М{i};{i}" for i in range(50)]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sheet = read_file(p)[0]
    assert list(sheet.frame.columns) == ["Менеджер", "Сумма"]
    assert sheet.frame["Сумма"].tolist() == [str(i) for i in range(50)]

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Менеджер", "Сумма"])
    ws.cell(row=1, column=16000, value=" ")  # the used range reaches column 16000
    for i in range(20):
        ws.append([f"М{i}", i])
    wb.save(tmp_path / "wide.xlsx")
    sheet = read_file(tmp_path / "wide.xlsx")[0]
    assert list(sheet.frame.columns) == ["Менеджер", "Сумма"]
    assert len(sheet.frame) == 20


@pytest.mark.parametrize(
    "data",
    [
        'ID;Имя;Комментарий\n1;"Иванов";"две\nстроки"\n\n2;" ";"a ""b"" c"\n3;x;\n'.encode(),
        b'sep=,\nID,Name\n1,a\n2,"b,c"\n',
        b'ID,Name\n1,"a \\"q\\" b"\n2,c\n',
        "ID\tName\n1\tИван\n2\tПётр\n".encode("utf-16"),
        "ID;Имя\n1;Иванов\n2;Пётр «К»\n".encode("cp1251"),
        'ID;Имя\r\n1;"a\r\nb"\r\n2;c\r\n'.encode(),
    ],
)
def test_the_wide_csv_reader_reads_like_the_usual_one(tmp_path: Path, monkeypatch, data) -> None:
    """Over 256 columns the CSV is read with the csv module (only the used columns are kept);
    forced on ordinary files it gives the same sheet as pandas."""
    import salesaudit.io._csv as csv_reader

    p = tmp_path / "x.csv"
    p.write_bytes(data)
    usual = read_file(p)[0]
    monkeypatch.setattr(csv_reader, "_WIDE", 0)
    wide = read_file(p)[0]
    assert wide.frame.equals(usual.frame)
    assert (wide.rows, wide.dropped, wide.header_row) == (
        usual.rows,
        usual.dropped,
        usual.header_row,
    )


# --- no client data in messages ------------------------------------------------------------


def test_header_names_for_messages_never_show_values() -> None:
    assert (
        headers_for_message(
            [
                "Сделка",
                "+7 916 123-45-67",
                "ivan@client.ru",
                "1 250 000,00",
                "2024-03-01",
                "Очень длинное название колонки из выгрузки",
                "column_7",
            ]
        )
        == "Сделка, Очень длинное название колонк…; 4 value(s) not shown"
    )
    assert headers_for_message([f"h{i}" for i in range(11)]) == (
        "h0, h1, h2, h3, h4, h5, h6, h7, +3 more"
    )


def test_unrecognised_file_message_shows_names_not_values(tmp_path: Path) -> None:
    from salesaudit.app.loading import load_client

    secret_row = "Иванов;+7 916 123-45-67;ivan@client.ru;1250000\n"
    root = _client(
        tmp_path,
        {
            "deals.csv": "ID;Менеджер;Сумма;Дата создания\n1;Иванов;100;2024-01-01\n".encode(),
            "odd.csv": ("Кто;Телефон;Почта;Сколько\n" + secret_row * 3).encode(),
        },
    )
    issues = load_client(root).quality.issues
    odd = issues[(issues["file"] == "raw/odd.csv") & (issues["kind"] == "unrecognised_file")]
    assert odd["message"].tolist() == [
        "unrecognised file (headers: Кто, Телефон, Почта, Сколько); add it to mapping.yaml "
        "(files: - match: ..., table: ..., columns: ...)"
    ]
    text = " ".join(issues["message"].astype(str))
    assert "123-45-67" not in text and "ivan@client.ru" not in text


def test_damaged_workbook_message_echoes_nothing_and_library_texts_are_cut(tmp_path: Path) -> None:
    from salesaudit.io.safe_text import exception_text

    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04" + "Иванов +7 916 123-45-67 ".encode() * 500)
    with pytest.raises(InputFileError) as info:
        read_file(p)
    assert "Иванов" not in str(info.value) and "123-45-67" not in str(info.value)
    text = exception_text(ValueError("bad cell " + "Иванов " * 100))
    assert text == "ValueError: bad cell " + ("Иванов " * 100)[:98] + "…"
    assert len(text) == 120
    assert exception_text(KeyError("x")) == "KeyError: 'x'"
    # quoted client data is masked, identifiers stay
    assert exception_text(ValueError("could not convert string to float: 'Иванов Иван'")) == (
        "ValueError: could not convert string to float: '…'"
    )
    assert exception_text(ValueError('no "ivan@mail.ru", "79161234567", "amount"')) == (
        'ValueError: no "…", "…", "amount"'
    )
    assert exception_text(KeyError("manager_id")) == "KeyError: 'manager_id'"
    assert exception_text(ValueError("")) == "ValueError"


def test_an_unforeseen_failure_on_a_file_names_no_cell_value(tmp_path: Path) -> None:
    from salesaudit.app._guard import user_errors

    with (
        pytest.raises(InputFileError) as info,
        user_errors(tmp_path / "x.csv", "cannot read", "fix"),
    ):
        float("Иванов Иван")
    assert str(info.value) == (
        f"{tmp_path / 'x.csv'}: cannot read (ValueError: could not convert string to float: '…') "
        "-> fix"
    )


# --- hashes of the bytes read ---------------------------------------------------------------


def test_input_hash_is_of_the_bytes_actually_read(tmp_path: Path, monkeypatch) -> None:
    """The file changes between the folder scan and the read: the recorded hash is the one of
    the bytes that went into the audit."""
    import salesaudit.app.loading as loading

    root = _client(tmp_path, {"deals.csv": DEALS})
    changed = DEALS + "3;Орлов;300\n".encode()
    real_read = loading.read_file

    def read_after_change(path, **kwargs):
        Path(path).write_bytes(changed)
        return real_read(path, **kwargs)

    monkeypatch.setattr(loading, "read_file", read_after_change)
    loaded = loading.load_client(root)
    assert loaded.hashes["raw/deals.csv"] == hashlib.sha256(changed).hexdigest()
    assert hashlib.sha256(DEALS).hexdigest() != hashlib.sha256(changed).hexdigest()


# --- atomic output folder, lock, recovery ----------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_swap_leaves_no_sibling_and_a_second_lock_holder_waits(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    (final / "report.pdf").write_bytes(b"old")
    order: list[str] = []
    waiting: list[str] = []
    with output_lock(final):
        assert lock_path(final).read_text() == f"{os.getpid()}\n"

        def second() -> None:
            with output_lock(final, on_wait=waiting.append):
                order.append("second")

        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.5)
        order.append("first")
        with atomic_output_dir(final) as build:
            (build / "report.pdf").write_bytes(b"new")
    t.join(10)
    assert order == ["first", "second"]
    assert waiting == [
        f"another run is writing {final} (process {os.getpid()}); waiting for it to finish "
        "(Ctrl-C to stop)"
    ]
    assert _tree(final) == {"report.pdf": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # lock file removed too


def test_recovery_after_a_kill_between_the_two_renames(tmp_path: Path) -> None:
    final = tmp_path / "out"
    old = tmp_path / ".out.old.abc123"
    old.mkdir()
    (old / "report.pdf").write_bytes(b"previous")
    building = tmp_path / ".out.building.xyz"
    building.mkdir()
    (building / "report.pdf").write_bytes(b"half")
    assert recover_output_dir(final) == [
        "removed the unfinished build .out.building.xyz",
        "restored the previous report out",
    ]
    assert _tree(final) == {"report.pdf": b"previous"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert recover_output_dir(final) == []


def test_interrupted_build_is_removed_not_kept_as_failed(tmp_path: Path) -> None:
    final = tmp_path / "out"
    final.mkdir()
    (final / "a").write_bytes(b"old")
    with (
        pytest.raises(KeyboardInterrupt),
        atomic_output_dir(final, keep_failed=tmp_path / "f") as b,
    ):
        (b / "a").write_bytes(b"half")
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert _tree(final) == {"a": b"old"}


def test_scratch_dir_is_private_removed_and_cleans_folders_of_dead_runs(
    tmp_path: Path, monkeypatch
) -> None:
    import tempfile

    from salesaudit.io.atomic import scratch_dir

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"salesaudit-run-{dead.pid}-abc"
    (stale / "kernel").mkdir(parents=True)
    mine = tmp_path / f"salesaudit-run-{os.getpid()}-live"  # a live process's: kept
    mine.mkdir()
    with scratch_dir() as folder:
        assert folder.parent == tmp_path and folder.name.startswith(
            f"salesaudit-run-{os.getpid()}-"
        )
        assert tempfile.gettempdir() == str(folder) == os.environ["TMPDIR"]
        assert not stale.exists() and mine.exists()
    assert not folder.exists()
    assert tempfile.gettempdir() == str(tmp_path)


def test_output_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x")
    with pytest.raises(OutputError) as info, atomic_output_dir(tmp_path / "out"):
        pass
    assert (
        str(info.value)
        == f"{tmp_path / 'out'}: is a file, not an output folder -> choose a folder name as --out"
    )


@pytest.fixture
def tmpfs(tmp_path: Path):
    """A 256 KB tmpfs mount (root only; skipped otherwise)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_is_recognised_through_causes_and_notebook_messages() -> None:
    import errno

    from salesaudit.errors import NotebookError
    from salesaudit.io.atomic import disk_full

    full = OSError(errno.ENOSPC, "No space left on device")
    try:
        try:
            raise full
        except OSError as exc:
            raise RuntimeError("write failed") from exc
    except RuntimeError as wrapped:
        assert disk_full(wrapped)
    failed = NotebookError("notebook 20_planning.ipynb failed: OSError: [Errno 28] No space left")
    assert disk_full(failed)
    assert not disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not disk_full(NotebookError("notebook 20_planning.ipynb failed: KeyError: 'x'"))


def test_mount_point_as_out_is_a_clear_error(tmpfs: Path) -> None:
    with pytest.raises(OutputError) as info, atomic_output_dir(tmpfs):
        pass
    assert str(info.value) == (
        f"{tmpfs}: the output folder is a mount point: the report folder is replaced as a whole, "
        f"which a mount point does not allow -> give a folder inside it as --out, e.g. --out "
        f"{tmpfs / 'report'}"
    )


def test_disk_full_is_a_clear_error_and_the_previous_report_stays(tmpfs: Path) -> None:
    from salesaudit.io.atomic import atomic_write_bytes, output_error

    final = tmpfs / "out"
    final.mkdir()
    (final / "report.pdf").write_bytes(b"previous")
    with pytest.raises(OSError) as info, atomic_output_dir(final, keep_failed=tmpfs / "f") as b:
        atomic_write_bytes(b / "report.pdf", b"x" * 1024 * 1024)
    err = output_error(info.value, tmpfs, "writing the report")
    assert str(err) == (
        f"{tmpfs}: no space left on the disk while writing the report -> free some space on "
        "that disk or choose another --out; the previous report (if any) was left as it was"
    )
    assert _tree(final) == {"report.pdf": b"previous"}
    assert sorted(p.name for p in tmpfs.iterdir()) == ["out"]  # nothing kept on a full disk


# --- the real process -----------------------------------------------------------------------


class Run:
    """A ``salesaudit run`` subprocess; ``until(moment)`` waits for it to pause there."""

    def __init__(self, client: Path, out: Path, *, pause: str | None = None, **env: str) -> None:
        environ = {**os.environ, **env}
        if pause:
            environ["SALESAUDIT_PAUSE_AT"] = pause
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [SALESAUDIT, "run", str(client), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
        )
        self._seen = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    def until(self, text: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        with self._seen:
            while not any(text in line for line in self.lines):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None and not self._reader.is_alive():
                    self.proc.kill()
                    raise AssertionError(f"never saw {text!r}: {self.lines}")
                self._seen.wait(min(left, 0.5))

    def kernels(self) -> list[int]:
        """Process ids of the run's children (the Jupyter kernels)."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(x) for x in out.split()]

    def wait(self, timeout: float = 240) -> int:
        code = self.proc.wait(timeout)
        self._reader.join(10)
        return code


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def _gone(pids: list[int], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.2)
    return False


def _complete(out: Path) -> bool:
    names = {p.name for p in out.iterdir()} if out.is_dir() else set()
    notebooks = list((out / "notebooks").glob("*.ipynb")) if out.is_dir() else []
    return names >= OUTPUTS and len(notebooks) == 12


def _debris(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".out.", "out.")))


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of the demo client and one finished real run of it (the previous report)."""
    base = tmp_path_factory.mktemp("hardening")
    client = base / "client"
    shutil.copytree(DEMO, client, ignore=shutil.ignore_patterns(".salesaudit*"))
    out = base / "reports" / "out"
    run = Run(client, out)
    assert run.wait() == 0, run.lines
    assert _complete(out)
    return client, out, _tree(out)


def _fresh_out(previous, tmp_path: Path) -> Path:
    _, out, _ = previous
    copy = tmp_path / "reports" / "out"
    shutil.copytree(out, copy)
    return copy


@pytest.mark.slow
@pytest.mark.parametrize(
    ("moment", "env"),
    [
        ("locked", {}),
        ("notebooks", {}),
        ("before-swap", {}),
        ("after-swap", {}),
        ("between-renames", {"SALESAUDIT_NO_EXCHANGE": "1"}),
    ],
)
def test_kill_9_leaves_the_previous_or_the_new_report(previous, tmp_path, moment, env) -> None:
    client, _, before = previous
    out = _fresh_out(previous, tmp_path)
    run = Run(client, out, pause=moment, **env)
    run.until(f"paused at {moment}")
    kernels = run.kernels()
    os.kill(run.proc.pid, signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    if moment == "between-renames":
        assert not out.exists()  # the one moment without exchange: recovery puts it back
    elif moment == "after-swap":
        assert _complete(out) and _tree(out) != before  # the new report, complete
    else:
        assert _tree(out) == before  # byte-identical previous report
    assert _gone(kernels), "the kernels outlived the killed run"
    # the next run (here: its first step) cleans what the killed one left
    with output_lock(out):
        recover_output_dir(out)
    assert _debris(out.parent) == []
    assert _tree(out) == before or (moment == "after-swap" and _complete(out))


@pytest.mark.slow
def test_the_next_real_run_cleans_the_debris_of_a_killed_one(previous, tmp_path) -> None:
    client, _, before = previous
    out = _fresh_out(previous, tmp_path)
    killed = Run(client, out, pause="between-renames", SALESAUDIT_NO_EXCHANGE="1")
    killed.until("paused at between-renames")
    os.kill(killed.proc.pid, signal.SIGKILL)
    killed.wait()
    assert not out.exists() and len(_debris(out.parent)) == 3  # old copy, lock file, no out
    scratch = list(Path(tempfile.gettempdir()).glob(f"salesaudit-run-{killed.proc.pid}-*"))
    assert len(scratch) == 1 and list(scratch[0].glob("*.json"))  # kernel connection files
    nxt = Run(client, out, pause="locked", SALESAUDIT_PAUSE_SECONDS="0")
    assert nxt.wait() == 0, nxt.lines
    assert "salesaudit run: restored the previous report out" in nxt.lines
    assert _debris(out.parent) == []
    assert _complete(out)
    assert not scratch[0].exists()  # the killed run's temporary folder went too


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "moment"),
    [(signal.SIGTERM, "notebooks"), (signal.SIGHUP, "locked"), (signal.SIGINT, "locked")],
)
def test_sigterm_and_sighup_stop_cleanly(previous, tmp_path, sig, moment) -> None:
    client, _, before = previous
    out = _fresh_out(previous, tmp_path)
    run = Run(client, out, pause=moment)
    run.until(f"paused at {moment}")
    kernels = run.kernels()
    assert kernels  # the kernels run (and run notebooks at "notebooks")
    os.kill(run.proc.pid, sig)
    assert run.wait() == 128 + sig
    last = [line for line in run.lines if not line.startswith("salesaudit run: [")]
    assert last[-2:] == [
        f"salesaudit: paused at {moment}",
        f"salesaudit: interrupted ({sig.name}); the previous report (if any) was left as it was",
    ]
    assert _tree(out) == before
    assert _debris(out.parent) == []  # temp folder and lock removed, nothing kept
    assert _gone(kernels, timeout=5)


@pytest.mark.slow
def test_two_runs_into_one_out_are_serialised(previous, tmp_path) -> None:
    client, _, _ = previous
    out = _fresh_out(previous, tmp_path)
    first = Run(client, out, pause="locked", SALESAUDIT_PAUSE_SECONDS="3")
    first.until("paused at locked")
    second = Run(client, out)
    second.until("another run is writing")
    assert first.wait() == 0, first.lines
    assert second.wait() == 0, second.lines
    waiting = [line for line in second.lines if "another run" in line]
    assert waiting == [
        f"salesaudit run: another run is writing {out} (process {first.proc.pid}); waiting for "
        "it to finish (Ctrl-C to stop)"
    ]
    assert _complete(out)
    assert _debris(out.parent) == []


@pytest.mark.slow
def test_run_into_a_mount_point_or_a_full_disk_names_the_path(previous, tmpfs) -> None:
    client, _, _ = previous
    run = Run(client, tmpfs)
    assert run.wait() == 2
    assert run.lines[-1] == (
        f"salesaudit: error: {tmpfs}: the output folder is a mount point: the report folder is "
        "replaced as a whole, which a mount point does not allow -> give a folder inside it as "
        f"--out, e.g. --out {tmpfs / 'report'}"
    )
    full = Run(client, tmpfs / "report")
    assert full.wait() == 2
    assert full.lines[-1] == (
        f"salesaudit: error: {tmpfs}: no space left on the disk while writing the report -> free "
        "some space on that disk or choose another --out; the previous report (if any) was left "
        "as it was"
    )
    assert sorted(p.name for p in tmpfs.iterdir()) == []
