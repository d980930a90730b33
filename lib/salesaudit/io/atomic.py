"""Writing outputs atomically: a reader never sees a half-written file or folder.

Files are written to a temporary file in the same folder, flushed to disk and moved into place
with :func:`os.replace` (atomic on one filesystem). Folders are built in a temporary sibling
folder and swapped in only when the build succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from salesaudit.errors import InputFileError, OutputError

__all__ = [
    "atomic_output_dir",
    "disk_full",
    "lock_path",
    "output_error",
    "output_lock",
    "recover_output_dir",
    "scratch_dir",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_dir",
    "pause_point",
    "previous_path",
]


def previous_path(path: str | Path) -> Path:
    """Where :func:`atomic_write_bytes` keeps the previous version: ``answers.yaml`` ->
    ``answers.prev.yaml`` (``notes`` -> ``notes.prev``)."""
    p = Path(path)
    return p.with_name(f"{p.stem}.prev{p.suffix}")


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entry table (best effort; not supported everywhere)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes, *, keep_previous: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    The bytes go to a temporary file in the same folder, are fsync'ed and then moved over
    ``path``. With ``keep_previous`` an existing file is first copied to
    :func:`previous_path` (``answers.yaml`` -> ``answers.prev.yaml``). The folder must exist.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise InputFileError(
            "folder does not exist",
            file=folder,
            hint="create the folder first or choose another output path",
        )
    if target.is_dir():
        raise InputFileError("is a folder, not a file", file=target, hint="choose a file name")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                shutil.copymode(target, tmp)
            if keep_previous:
                prev = previous_path(target)
                prev_tmp = prev.with_name(f".{prev.name}.tmp")
                shutil.copy2(target, prev_tmp)
                os.replace(prev_tmp, prev)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)
    return target


def atomic_write_text(
    path: str | Path,
    text: str,
    *,
    encoding: str = "utf-8",
    keep_previous: bool = False,
) -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`); returns the path."""
    return atomic_write_bytes(path, text.encode(encoding), keep_previous=keep_previous)


#: errno values of a full disk / exhausted quota
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_RENAME_EXCHANGE = 2  # linux/fs.h


def disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) is a full disk or quota; also an
    error that only reports one in its text (a notebook that failed to write its output)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        if any(t in str(exc) for t in (os.strerror(errno.ENOSPC), "[Errno 28]", "Disk quota")):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def output_error(exc: OSError, path: Path, doing: str) -> OutputError:
    """A clear :class:`OutputError` for an ``OSError`` met while ``doing`` something at ``path``."""
    if exc.errno in DISK_FULL_ERRNOS:
        return OutputError(
            f"no space left on the disk while {doing}",
            file=path,
            hint="free some space on that disk or choose another --out; the previous report "
            "(if any) was left as it was",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(
            f"no permission to write while {doing} ({exc.strerror})",
            file=path,
            hint="choose an output folder you may write to (--out)",
        )
    if exc.errno in (errno.EBUSY, errno.EXDEV):
        return OutputError(
            f"cannot replace the folder while {doing}: it is a mount point or on another disk",
            file=path,
            hint="give a folder inside it as --out, e.g. --out <that folder>/report",
        )
    return OutputError(
        f"cannot write the output while {doing} ({exc.strerror or exc})",
        file=path,
        hint="check the output folder (--out) exists, is writable and the disk is not full",
    )


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where the
    system or the filesystem cannot (the caller then renames twice)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _siblings(final: Path, kind: str) -> list[Path]:
    """Temporary siblings of ``final`` left by a build: ``.<name>.<kind>.*`` (oldest first)."""
    parent = final.parent
    if not parent.is_dir():
        return []
    prefix = f".{final.name}.{kind}."
    found = [p for p in parent.iterdir() if p.name.startswith(prefix) and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def recover_output_dir(final_dir: str | Path) -> list[str]:
    """Clean what a killed build of ``final_dir`` left behind; returns what was done.

    Call it while holding :func:`output_lock` (no other build of ``final_dir`` is running then).
    A half-built ``.<name>.building.*`` sibling is deleted; a ``.<name>.old.*`` backup is put
    back as ``final_dir`` when ``final_dir`` is missing (the build was killed between its two
    renames), deleted otherwise.
    """
    final = Path(final_dir)
    done: list[str] = []
    for tmp in _siblings(final, "building"):
        shutil.rmtree(tmp, ignore_errors=True)
        done.append(f"removed the unfinished build {tmp.name}")
    backups = _siblings(final, "old")
    if backups and not final.exists() and not final.is_symlink():
        os.replace(backups[-1], final)
        backups = backups[:-1]
        done.append(f"restored the previous report {final.name}")
    for old in backups:
        shutil.rmtree(old, ignore_errors=True)
        done.append(f"removed the old copy {old.name}")
    return done


SCRATCH_PREFIX = "salesaudit-run-"


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C on Windows: keep the folder
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private temporary folder for one run (kernel connection files, converters' temp files):
    ``<system temp>/salesaudit-run-<pid>-*``, removed at the end of the block.

    While the block runs, :func:`tempfile.gettempdir` and ``TMPDIR`` (for the kernels) point into
    it. Folders of runs whose process is gone (killed with SIGKILL) are removed first.
    """
    base = Path(tempfile.gettempdir())
    for old in base.glob(f"{SCRATCH_PREFIX}*"):
        pid = old.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=base))
    saved_dir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


def lock_path(final_dir: str | Path) -> Path:
    """The lock file of an output folder: ``.<name>.lock`` next to it."""
    final = Path(final_dir)
    return final.with_name(f".{final.name}.lock")


@contextlib.contextmanager
def output_lock(
    final_dir: str | Path, *, on_wait: Callable[[str], None] | None = None
) -> Iterator[Path]:
    """Hold an exclusive lock on the output folder ``final_dir`` for the block.

    The lock is ``fcntl.flock`` on :func:`lock_path` (created, holding the owner's process id,
    and removed again when released). A second holder waits until the first is done;
    ``on_wait`` is called once with a sentence saying so. Where ``fcntl`` does not exist
    (Windows) the block runs unlocked.
    """
    path = lock_path(final_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(exc, path.parent, "creating the output folder") from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield path
        return
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise output_error(exc, path, "creating the lock file") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None and not told:
                    told = True
                    owner = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    who = f" (process {owner})" if owner.isdigit() else ""
                    on_wait(
                        f"another run is writing {Path(final_dir)}{who}; waiting for it to "
                        "finish (Ctrl-C to stop)"
                    )
                fcntl.flock(fd, fcntl.LOCK_EX)
            # the holder before us may have removed the file: lock the file that is there now
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
        except BaseException:
            os.close(fd)
            raise
        break
    try:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield path
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def check_output_dir(final_dir: str | Path) -> Path:
    """``final_dir`` as a path, after checking it can be replaced as a whole: not a file, not a
    mount point (:class:`~salesaudit.errors.OutputError` naming it otherwise)."""
    final = Path(final_dir)
    if final.is_file():
        raise OutputError(
            "is a file, not an output folder", file=final, hint="choose a folder name as --out"
        )
    if final.is_dir() and os.path.ismount(final):
        raise OutputError(
            "the output folder is a mount point: the report folder is replaced as a whole, "
            "which a mount point does not allow",
            file=final,
            hint="give a folder inside it as --out, e.g. --out " + str(final / "report"),
        )
    return final


def pause_point(name: str) -> None:
    """Test hook: with ``SALESAUDIT_PAUSE_AT=<name>`` in the environment, say so on stderr and
    sleep (tests kill the process at that exact moment). Does nothing otherwise."""
    if os.environ.get("SALESAUDIT_PAUSE_AT") == name:
        print(f"salesaudit: paused at {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("SALESAUDIT_PAUSE_SECONDS", "60")))


@contextlib.contextmanager
def atomic_output_dir(final_dir: str | Path, *, keep_failed: Path | None = None) -> Iterator[Path]:
    """Build a folder in a temporary sibling and swap it in as ``final_dir`` on success.

    Yields a fresh empty folder ``.<name>.building.*`` next to ``final_dir`` (same filesystem).
    On normal exit the two folders are exchanged in one atomic step (Linux
    ``renameat2(RENAME_EXCHANGE)``), so at every moment ``final_dir`` is either the previous
    complete folder or the new one; the previous one is then deleted. Where the exchange is not
    available, the old folder is renamed to ``.<name>.old.*`` and the new one into place;
    :func:`recover_output_dir` puts the old one back if the process died in between.

    If the block raises, ``final_dir`` is left untouched; the half-built folder is deleted, or
    moved to ``keep_failed`` for inspection when given (an existing ``keep_failed`` folder is
    replaced; never on a full disk or when the run was interrupted). The exception propagates. A ``final_dir`` that is a mount
    point or a file, and an ``OSError`` while creating or swapping the folders, raise
    :class:`~salesaudit.errors.OutputError` naming the path.
    """
    final = check_output_dir(final_dir)
    parent = final.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.building.", dir=parent))
    except OSError as exc:
        raise output_error(exc, parent, "creating the output folder") from None
    try:
        yield tmp
    except BaseException as exc:
        if (
            keep_failed is not None
            and not disk_full(exc)
            and not isinstance(exc, KeyboardInterrupt)
        ):
            failed = Path(keep_failed)
            if failed.exists():
                shutil.rmtree(failed)
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(tmp), str(failed))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        _swap_in(tmp, final)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise output_error(exc, final, "moving the new report into place") from None
    _fsync_dir(parent)


def _swap_in(tmp: Path, final: Path) -> None:
    """Put the complete folder ``tmp`` in place of ``final`` (see :func:`atomic_output_dir`)."""
    if not final.exists() and not final.is_symlink():
        os.replace(tmp, final)  # renaming onto a free name is atomic
        return
    pause_point("before-swap")
    if os.environ.get("SALESAUDIT_NO_EXCHANGE") != "1" and _exchange(tmp, final):
        # ``tmp`` now holds the previous folder: a kill from here on leaves only debris that
        # the next run's recover_output_dir removes
        pause_point("after-swap")
        shutil.rmtree(tmp, ignore_errors=True)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{final.name}.old.", dir=final.parent))
    backup.rmdir()  # we only wanted a unique free name
    os.replace(final, backup)
    pause_point("between-renames")
    try:
        os.replace(tmp, final)
    except BaseException:
        os.replace(backup, final)
        raise
    shutil.rmtree(backup, ignore_errors=True)
