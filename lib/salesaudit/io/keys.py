"""The per-client pseudonymisation key: 32 random bytes kept as hex in ``<client_dir>/.salesaudit.key``.

The key makes aliases (``Клиент-3F9A``) stable across runs for one client while keeping them
impossible to reverse without the key. It is created on the first ``--pseudonymize`` run,
atomically (a concurrent run either creates it or reads the one the other run created), readable
by the owner only, and must never be committed (``.salesaudit.key`` belongs in ``.gitignore``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from salesaudit.errors import InputFileError

#: file name of the key inside a client folder
KEY_FILE = ".salesaudit.key"
#: key length in bytes
KEY_BYTES = 32


def key_path(client_dir: str | Path) -> Path:
    """Where the pseudonymisation key of a client folder lives."""
    return Path(client_dir) / KEY_FILE


def _parse_key(text: str, path: Path) -> bytes:
    value = text.strip()
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise InputFileError(
            f"the pseudonymisation key is not {KEY_BYTES * 2} hexadecimal characters",
            file=path,
            hint="restore the key from a backup to keep the same aliases, or delete the file "
            "to create a new key (all aliases will change)",
        )
    return key


def read_key(client_dir: str | Path) -> bytes | None:
    """The client's key, or ``None`` when the folder has none yet.

    Raises :class:`~salesaudit.errors.InputFileError` when the key file exists but is unreadable or
    malformed.
    """
    path = key_path(client_dir)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            f"cannot read the pseudonymisation key: {exc}",
            file=path,
            hint="check the file permissions, or delete the file to create a new key",
        ) from exc
    return _parse_key(text, path)


def load_or_create_key(client_dir: str | Path) -> bytes:
    """Return the client's 32-byte pseudonymisation key, creating it on first use.

    The key is written to a temporary file in the client folder and linked into place, so that
    the key file is never seen half-written and two concurrent runs agree on one key.
    """
    folder = Path(client_dir)
    if not folder.is_dir():
        raise InputFileError(
            "the client folder does not exist",
            file=folder,
            hint="pass the folder that contains raw/ (and answers.yaml)",
        )
    existing = read_key(folder)
    if existing is not None:
        return existing
    path = key_path(folder)
    tmp = folder / f"{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(key.hex() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # fails if another run created the key first
        except FileExistsError:
            other = read_key(folder)
            if other is None:  # pragma: no cover - deleted between link and read
                raise
            return other
    except OSError as exc:
        raise InputFileError(
            f"cannot create the pseudonymisation key: {exc}",
            file=path,
            hint="make the client folder writable, or create the key file yourself",
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return key
