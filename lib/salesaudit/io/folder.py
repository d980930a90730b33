"""Opening a client folder (see "Client folder convention" in docs/architecture.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from salesaudit.errors import InputFileError

__all__ = ["ClientFolder", "file_sha256", "open_client_folder"]

_CONVENTION = (
    "a client folder holds raw/ (the exports as sent), optional mapping.yaml, answers.yaml "
    "(or answers.xlsx) and report.yaml; see docs/architecture.md"
)


@dataclass(frozen=True)
class ClientFolder:
    """What a client folder holds.

    ``raw_files`` are sorted by relative path; ``hashes`` maps the path relative to ``root``
    (POSIX style, e.g. ``raw/deals.xlsx``) to the SHA-256 of every raw file and of the mapping
    and answers files, so a run can record exactly which inputs it used.
    """

    root: Path
    raw_files: list[Path]
    mapping_path: Path | None
    answers_path: Path | None
    report_settings_path: Path | None
    hashes: dict[str, str] = field(default_factory=dict)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (read in chunks)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _ignored(path: Path) -> bool:
    name = path.name
    return (
        name.startswith(".")
        or name.startswith("~$")
        or name.lower().startswith("readme.")
        or name.lower() == "readme"
        or name in ("Thumbs.db", "desktop.ini")
    )


def _first_existing(root: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def open_client_folder(path: str | Path) -> ClientFolder:
    """Open a client folder: list its raw exports and find mapping/answers/report files.

    Raw files are all regular files under ``raw/`` (subfolders included), except hidden files,
    Excel lock files (``~$...``) and ``README.*``. Raises :class:`InputFileError` when the folder
    is missing, is a file, or has no (non-empty) ``raw/`` folder.
    """
    root = Path(path)
    if not root.exists():
        raise InputFileError("client folder not found", file=root, hint=_CONVENTION)
    if not root.is_dir():
        raise InputFileError("is a file, not a client folder", file=root, hint=_CONVENTION)
    raw = root / "raw"
    if not raw.is_dir():
        raise InputFileError(
            "no raw/ folder in the client folder",
            file=root,
            hint="put the client's exports into raw/; " + _CONVENTION,
        )
    raw_files = sorted(
        (
            p
            for p in raw.rglob("*")
            if p.is_file()
            and not _ignored(p)
            and not any(part.startswith(".") for part in p.relative_to(raw).parts)
        ),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    if not raw_files:
        raise InputFileError(
            "raw/ folder is empty",
            file=raw,
            hint="put the client's exports (XLSX, XLS, CSV, HTML) into raw/; " + _CONVENTION,
        )
    mapping = _first_existing(root, ("mapping.yaml", "mapping.yml"))
    answers = _first_existing(root, ("answers.yaml", "answers.yml", "answers.xlsx"))
    report = _first_existing(root, ("report.yaml", "report.yml"))
    hashes = {
        p.relative_to(root).as_posix(): file_sha256(p)
        for p in [*raw_files, *(x for x in (mapping, answers) if x is not None)]
    }
    return ClientFolder(
        root=root,
        raw_files=raw_files,
        mapping_path=mapping,
        answers_path=answers,
        report_settings_path=report,
        hashes=hashes,
    )
