"""Writing outputs atomically: a reader never sees a half-written file or folder.

Files are written to a temporary file in the same folder, flushed to disk and moved into place
with :func:`os.replace` (atomic on one filesystem). Folders are built in a temporary sibling
folder and swapped in only when the build succeeded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from salesaudit.errors import InputFileError

__all__ = [
    "atomic_output_dir",
    "atomic_write_bytes",
    "atomic_write_text",
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


@contextlib.contextmanager
def atomic_output_dir(final_dir: str | Path, *, keep_failed: Path | None = None) -> Iterator[Path]:
    """Build a folder in a temporary sibling and swap it in as ``final_dir`` on success.

    Yields a fresh empty folder next to ``final_dir`` (same filesystem). On normal exit the old
    ``final_dir`` (if any) is renamed to a backup, the new folder is renamed into place, and only
    then the backup is deleted. If the block raises, ``final_dir`` is left untouched; the
    half-built folder is deleted, or moved to ``keep_failed`` for inspection when given (an
    existing ``keep_failed`` folder is replaced). The exception propagates.
    """
    final = Path(final_dir)
    parent = final.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.building.", dir=parent))
    try:
        yield tmp
    except BaseException:
        if keep_failed is not None:
            failed = Path(keep_failed)
            if failed.exists():
                shutil.rmtree(failed)
            failed.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(tmp), str(failed))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    backup: Path | None = None
    if final.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{final.name}.old.", dir=parent))
        backup.rmdir()  # we only wanted a unique free name
        os.replace(final, backup)
    try:
        os.replace(tmp, final)
    except BaseException:
        if backup is not None:
            os.replace(backup, final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(parent)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
