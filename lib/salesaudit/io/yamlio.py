"""Reading and writing YAML files (mapping, answers, report settings, checklists)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from salesaudit.errors import InputFileError
from salesaudit.io.atomic import atomic_write_text

__all__ = ["read_yaml", "write_yaml_atomic"]


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file with ``yaml.safe_load``; an empty file gives ``None``.

    Raises :class:`InputFileError` when the file is missing, is a folder, is not UTF-8 text, or
    has a YAML syntax error (naming the file, the 1-based line and the column).
    """
    p = Path(path)
    if not p.exists():
        raise InputFileError("file not found", file=p, hint="check the path and the file name")
    if p.is_dir():
        raise InputFileError("is a folder, not a YAML file", file=p, hint="give the file path")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(
            "unreadable encoding, save as UTF-8", file=p, hint="save the file as UTF-8 text"
        ) from None
    except OSError as exc:
        raise InputFileError(
            f"cannot read the file ({exc.strerror})", file=p, hint="check file permissions"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        where = f" at line {line}, column {column}" if line is not None else ""
        raise InputFileError(
            f"YAML syntax error{where}: {problem}",
            file=p,
            row=line,
            column=str(column) if column is not None else None,
            hint="fix the indentation / quoting there (a text with ':' or '#' needs quotes)",
        ) from None
    except yaml.YAMLError as exc:
        raise InputFileError(
            f"YAML syntax error: {exc}", file=p, hint="fix the file and run again"
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # a well-formed scalar with an impossible value, e.g. the date 2026-13-45
        raise InputFileError(
            f"invalid value in YAML: {exc}",
            file=p,
            hint="fix the value (dates as YYYY-MM-DD, or quote it to keep it as text)",
        ) from None


def write_yaml_atomic(path: str | Path, data: Any, *, keep_previous: bool = False) -> Path:
    """Write ``data`` as UTF-8 YAML (block style, keys in the given order, Cyrillic as-is)
    atomically; with ``keep_previous`` the old file is kept as ``<name>.prev.yaml``."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return atomic_write_text(path, text, keep_previous=keep_previous)
