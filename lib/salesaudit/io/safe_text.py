"""Texts about a client file fit to show in a message: never its cell values.

Client data is a trade secret: a message (terminal, log, quality report) names the file, the row,
the column and what to do, but does not echo what the file holds. Header names are shown (they
name columns, not people), without anything that looks like a value, cut to a sane length;
a library's exception text is cut short.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["exception_text", "headers_for_message", "normalize_header"]

_SPACES_RE = re.compile(r"[\s\u00a0\u2007\u2009\u202f\ufeff]+")
#: a cell that is a number, amount, percentage, date or time (as in :mod:`salesaudit.io.readers`)
_VALUE_LIKE_RE = re.compile(
    r"^[\s\u00a0]*[-−+(]?[\s\u00a0]*[\d\s\u00a0\u202f.,:/()\-−+eETZ%]*\d[\d\s\u00a0\u202f.,:/()\-−+eETZ%]*"
    r"(?:₽|руб\.?|р\.?|rub)?[\s\u00a0]*$",
    re.IGNORECASE,
)


def normalize_header(text: object) -> str:
    """A header cell as a name: surrounding whitespace (incl. NBSP) stripped, inner runs of
    whitespace collapsed to one space; ``None`` -> ``''``."""
    if text is None:
        return ""
    return _SPACES_RE.sub(" ", str(text)).strip()


_EMAIL_LIKE_RE = re.compile(r"\S+@\S+")
_PHONE_LIKE_RE = re.compile(r"(?:\d[\s\-().+]*){7,}")


def headers_for_message(columns: Collection[object], *, limit: int = 8, width: int = 30) -> str:
    """Header names fit to show in a message, never cell values.

    Names that look like values (numbers, amounts, dates, phones, e-mail addresses: a data row
    taken for the header) are left out, each name is cut to ``width`` characters and at most
    ``limit`` names are listed (``+N more``). Generated names (``column_3``) are left out too.
    """
    names: list[str] = []
    hidden = 0
    for col in columns:
        name = normalize_header(col)
        if not name or re.fullmatch(r"column_\d+(?:\.\d+)?", name):
            continue
        if _VALUE_LIKE_RE.match(name) or _EMAIL_LIKE_RE.search(name) or _PHONE_LIKE_RE.search(name):
            hidden += 1
            continue
        names.append(name if len(name) <= width else name[: width - 1].rstrip() + "…")
    shown = names[:limit]
    more = len(names) - len(shown)
    text = ", ".join(shown) if shown else "no header names"
    if more:
        text += f", +{more} more"
    if hidden:
        text += f"; {hidden} value(s) not shown"
    return text


_QUOTED_RE = re.compile(r"(['\"])(.*?)\1")
#: a quoted part of an exception message that is data, not an identifier: Cyrillic letters,
#: an e-mail, a long number, or just long
_DATA_LIKE_RE = re.compile(r"[А-Яа-яЁё]|@|\d{5,}|.{41,}")


def exception_text(exc: BaseException, width: int = 120) -> str:
    """``Type: message`` of a library's exception, fit for a message: quoted parts that look
    like data (``could not convert string to float: 'Иванов'``) become ``'…'`` while
    identifiers stay (``KeyError: 'manager_id'``), and the whole is cut to ``width``
    characters. The type name alone when the message is empty."""
    message = " ".join(str(exc).split())
    message = _QUOTED_RE.sub(
        lambda m: f"{m[1]}…{m[1]}" if _DATA_LIKE_RE.search(m[2]) else m[0], message
    )
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= width else text[: width - 1] + "…"
