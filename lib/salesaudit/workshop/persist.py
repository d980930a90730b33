"""Saving the interview answers given in the workshop to the client's ``answers.yaml``.

The file has the format :func:`salesaudit.io.checklist_files.read_answers_file` reads: a mapping
with an ``answers:`` section (question id -> ``{answer, note}``) and any other top-level facts
(who was interviewed, when), which are kept as they were. The file is replaced atomically and
the previous version is kept next to it (:func:`salesaudit.io.atomic.atomic_write_text`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from salesaudit.workshop.state import ANSWERS

ANSWERS_FILE = "answers.yaml"
_HEADER = (
    "# Interview answers (yes | partly | no | unknown), saved by the salesaudit workshop.\n"
    "# Format: answers: {question id: {answer: .., note: ..}}; other keys are kept as they were.\n"
)


def answers_document(
    answers: Mapping[str, Mapping[str, Any]], meta: Mapping[str, Any] | None = None
) -> str:
    """The YAML text of ``answers.yaml``: ``meta`` keys first, then ``answers`` sorted by id.

    Entries without an answer are left out; an empty note is not written. Raises
    :class:`ValueError` for an answer outside yes / partly / no / unknown.
    """
    doc: dict[str, Any] = {
        str(k): v for k, v in (meta or {}).items() if k not in ("answers", "source")
    }
    out: dict[str, dict[str, str]] = {}
    for qid in sorted(answers):
        entry = answers[qid]
        value = entry.get("answer")
        if value is None:
            continue
        if value not in ANSWERS:
            raise ValueError(f"question {qid!r}: invalid answer {value!r}")
        item = {"answer": str(value)}
        note = entry.get("note")
        if note is not None and str(note).strip():
            item["note"] = str(note)
        out[str(qid)] = item
    doc["answers"] = out
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return _HEADER + body


def save_answers(client_dir: str | Path, answers: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write ``client_dir/answers.yaml`` atomically, keeping the previous version; returns the path.

    Top-level facts of an existing ``answers.yaml`` other than the answers are preserved.
    """
    from salesaudit.io.atomic import atomic_write_text
    from salesaudit.io.checklist_files import find_answers_file, read_answers_file

    path = Path(client_dir) / ANSWERS_FILE
    meta: dict[str, Any] = {}
    existing = find_answers_file(client_dir)
    if existing is not None and Path(existing).suffix.lower() in (".yaml", ".yml"):
        meta = {
            k: v for k, v in read_answers_file(existing).items() if k not in ("answers", "source")
        }
    atomic_write_text(path, answers_document(answers, meta), keep_previous=True)
    return path
