"""Turning unexpected failures on a client's file into a clear user error.

Readers and parsers below ``app`` raise :class:`~salesaudit.errors.SalesAuditError` for the
problems they know. A file can still break them in a way nobody foresaw (a YAML date such as
``2026-13-45``, a damaged XLSX where a YAML was expected, ...). The commands wrap each step that
reads one client file in :func:`user_errors`, so the user sees the file, what went wrong and what
to do, and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salesaudit.errors import InputFileError, SalesAuditError
from salesaudit.io.safe_text import exception_text


def describe(exc: BaseException) -> str:
    """``"TypeName: message"`` of an exception (the name alone when the message is empty), with
    quoted client data masked and cut short (:func:`salesaudit.io.safe_text.exception_text`)."""
    return exception_text(exc)


@contextmanager
def user_errors(file: str | Path | None, what: str, hint: str) -> Iterator[None]:
    """Let :class:`SalesAuditError` through; any other exception becomes an
    :class:`InputFileError` naming ``file``: ``"<what> (<TypeName>: <message>)"`` with ``hint``."""
    try:
        yield
    except SalesAuditError:
        raise
    except Exception as exc:  # noqa: BLE001 - the point: no traceback for a bad file
        raise InputFileError(f"{what} ({describe(exc)})", file=file, hint=hint) from exc
