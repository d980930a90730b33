"""Reading the method's ``checklist/`` folder and a client's interview answers (YAML or XLSX).

Only parsing happens here: validation lives in :mod:`salesaudit.scoring.checklist` and
:mod:`salesaudit.scoring.answers`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from salesaudit.errors import AnswersError, ChecklistError
from salesaudit.io.yamlio import read_yaml_hashed

#: environment variable that points at another checklist folder (a consultant's own method copy)
CHECKLIST_ENV = "SALESAUDIT_CHECKLIST"
ANSWER_FILES = ("answers.yaml", "answers.yml", "answers.xlsx")


def default_checklist_dir() -> Path:
    """The checklist folder: ``$SALESAUDIT_CHECKLIST`` if set, else ``checklist/`` of the checkout."""
    env = os.environ.get(CHECKLIST_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "checklist"


def read_checklist_dir(path: str | Path | None = None) -> dict[str, Any]:
    """Parse every ``*.yaml`` file of the checklist folder into ``{file name: content}``.

    Raises :class:`ChecklistError` when the folder is missing or a file is not valid YAML.
    """
    folder = Path(path) if path is not None else default_checklist_dir()
    if not folder.is_dir():
        raise ChecklistError(
            "checklist folder not found",
            file=folder,
            hint=f"pass the folder or set {CHECKLIST_ENV}",
        )
    return {
        p.name: read_yaml_hashed(p, error=ChecklistError)[0] for p in sorted(folder.glob("*.yaml"))
    }


def find_answers_file(client_dir: str | Path) -> Path | None:
    """The client's answers file (``answers.yaml`` preferred over ``answers.xlsx``), or None."""
    for name in ANSWER_FILES:
        p = Path(client_dir) / name
        if p.is_file():
            return p
    return None


def read_answers_file(path: str | Path) -> dict[str, Any]:
    """Read interview answers from ``answers.yaml`` or a filled interview sheet (``.xlsx``).

    Returns the raw structure ``{"source": file, "answers": {question id: value or {answer, note,
    row}}, ...}`` for :func:`salesaudit.scoring.answers.validate_answers`.
    """
    return read_answers_file_hashed(path)[0]


def read_answers_file_hashed(path: str | Path) -> tuple[dict[str, Any], str]:
    """:func:`read_answers_file` plus the SHA-256 of the bytes read (the file is read once)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from salesaudit.io.interview_sheet import read_interview_sheet_hashed

        return read_interview_sheet_hashed(p)
    doc, sha = read_yaml_hashed(p, error=AnswersError)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise AnswersError(
            "the answers file must hold a mapping with an 'answers:' section",
            file=p,
            hint="see data_samples/demo/answers.yaml",
        )
    out = dict(doc)
    out["source"] = str(p)
    return out, sha
