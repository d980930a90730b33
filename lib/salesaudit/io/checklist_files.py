"""Reading the method's ``checklist/`` folder and a client's interview answers (YAML or XLSX).

Only parsing happens here: validation lives in :mod:`salesaudit.scoring.checklist` and
:mod:`salesaudit.scoring.answers`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from salesaudit.errors import AnswersError, ChecklistError, InputFileError, SalesAuditError
from salesaudit.io.yamlio import parse_yaml

#: environment variable that points at another checklist folder (a consultant's own method copy)
CHECKLIST_ENV = "SALESAUDIT_CHECKLIST"
ANSWER_FILES = ("answers.yaml", "answers.yml", "answers.xlsx")


def default_checklist_dir() -> Path:
    """The checklist folder: ``$SALESAUDIT_CHECKLIST`` if set, else ``checklist/`` of the checkout."""
    env = os.environ.get(CHECKLIST_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "checklist"


def _load_yaml(path: Path, error: type[SalesAuditError]) -> Any:
    return _load_yaml_hashed(path, error)[0]


def _load_yaml_hashed(path: Path, error: type[SalesAuditError]) -> tuple[Any, str]:
    """The YAML data of ``path`` and the SHA-256 of the bytes parsed (read once)."""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise error("file not found", file=path) from exc
    except UnicodeDecodeError as exc:
        raise error("not UTF-8 text", file=path, hint="save the file as UTF-8") from exc
    except OSError as exc:
        raise error(f"cannot read the file ({exc.strerror})", file=path) from exc
    return parse_yaml(text, file=path, error=error), hashlib.sha256(data).hexdigest()


def read_yaml(path: str | Path) -> Any:
    """Parse one YAML file (``InputFileError`` with the line number when it is malformed)."""
    return _load_yaml(Path(path), InputFileError)


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
    return {p.name: _load_yaml(p, ChecklistError) for p in sorted(folder.glob("*.yaml"))}


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
    doc, sha = _load_yaml_hashed(p, AnswersError)
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
