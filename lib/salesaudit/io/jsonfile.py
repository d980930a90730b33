"""JSON files the project writes for itself (the workshop snapshot): read leniently, write
atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from salesaudit.io.atomic import atomic_write_text

__all__ = ["read_json_or_none", "write_json_atomic"]


def read_json_or_none(path: str | Path) -> Any:
    """The JSON content of ``path``; ``None`` when the file is missing, unreadable or not JSON
    (a cache that cannot be read is recomputed, never an error)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write ``data`` as compact UTF-8 JSON to ``path`` atomically (parent folders created)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(target, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
