"""Opening a client folder (see "Client folder convention" in docs/architecture.md)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from salesaudit.errors import ErrorCase, InputFileError

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
    and answers files, so a run can record exactly which inputs it used (the readers replace a
    raw file's hash by the hash of the bytes they actually read). ``skipped`` lists what in
    ``raw/`` is not read, as ``(path relative to root, reason)``: hidden files (``.DS_Store``,
    ``._x``), Excel lock files (``~$x.xlsx``), README, system files, links to folders and
    broken links.
    """

    root: Path
    raw_files: list[Path]
    mapping_path: Path | None
    answers_path: Path | None
    report_settings_path: Path | None
    hashes: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (read in chunks)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _skip_reason(name: str) -> str | None:
    """Why a file or folder of raw/ named ``name`` is not read (``None``: it is read).

    Names are taken literally: ``deals%2Fjan.csv`` is a file of that name (nothing is
    URL-decoded) and is read.
    """
    if name.startswith("~$"):
        return "skipped: Excel lock file of an open workbook (~$...), not an export"
    if name.startswith("."):
        return (
            "skipped: hidden file (the name starts with a dot, e.g. .DS_Store or ._ files of "
            "macOS) -> if it is an export, rename it without the leading dot"
        )
    if name.lower().startswith("readme.") or name.lower() == "readme":
        return "skipped: README, not an export"
    if name in ("Thumbs.db", "desktop.ini"):
        return "skipped: Windows system file, not an export"
    return None


def _outside(path: Path, root: Path) -> bool:
    """Whether ``path`` (a link) resolves to a place outside the client folder ``root``."""
    target = path.resolve()
    return target != root and root not in target.parents


def _scan_raw(root: Path, raw: Path) -> tuple[list[Path], list[tuple[str, str]], list[ErrorCase]]:
    """Files to read, things skipped (relative path, reason) and links refused (cases)."""
    real_root = root.resolve()
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    refused: list[ErrorCase] = []

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    for folder, dirs, names in os.walk(raw, followlinks=False):
        base = Path(folder)
        for d in sorted(dirs):
            p = base / d
            if p.is_symlink():
                if _outside(p, real_root):
                    refused.append(ErrorCase(_LINK_OUT, file=rel(p), hint=_LINK_HINT))
                else:
                    skipped.append((rel(p), "skipped: a link to a folder is not followed"))
            elif (why := _skip_reason(d)) is not None:
                skipped.append((rel(p), why.replace("hidden file", "hidden folder")))
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink() and not _skip_reason(d))
        for name in sorted(names):
            p = base / name
            if p.is_symlink():
                if not p.exists():
                    skipped.append((rel(p), "skipped: a broken link (its target does not exist)"))
                    continue
                if _outside(p, real_root):
                    refused.append(ErrorCase(_LINK_OUT, file=rel(p), hint=_LINK_HINT))
                    continue
            if (why := _skip_reason(name)) is not None:
                skipped.append((rel(p), why))
            elif p.is_file():
                files.append(p)
            else:
                skipped.append((rel(p), "skipped: not a regular file"))
    files.sort(key=rel)
    return files, skipped, refused


_LINK_OUT = "a link to a file outside the client folder: refused"
_LINK_HINT = (
    "copy the file itself into raw/; links out of the client folder are not followed, so that "
    "no file from elsewhere on this computer ends up in a report"
)


def _first_existing(root: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def open_client_folder(path: str | Path) -> ClientFolder:
    """Open a client folder: list its raw exports and find mapping/answers/report files.

    Raw files are all regular files under ``raw/`` (subfolders included), except hidden files
    and folders, Excel lock files (``~$...``), ``README.*`` and system files, which are listed in
    ``skipped`` with the reason. Links are followed only when they point inside the client
    folder (links to folders never). Raises :class:`InputFileError` when the folder is missing,
    is a file, has no (non-empty) ``raw/`` folder, or when ``raw/`` holds links to files outside
    the client folder (every such link is named).
    """
    root = Path(path)
    if not root.exists():
        raise InputFileError("client folder not found", file=root, hint=_CONVENTION)
    if not root.is_dir():
        raise InputFileError("is a file, not a client folder", file=root, hint=_CONVENTION)
    raw = root / "raw"
    if raw.is_symlink() and _outside(raw, root.resolve()):
        raise InputFileError(
            "raw/ is a link to a folder outside the client folder: refused",
            file=raw,
            hint="copy the exports into a real raw/ folder inside the client folder",
        )
    if not raw.is_dir():
        raise InputFileError(
            "no raw/ folder in the client folder",
            file=root,
            hint="put the client's exports into raw/; " + _CONVENTION,
        )
    raw_files, skipped, refused = _scan_raw(root, raw)
    if refused:
        raise InputFileError(
            f"raw/ holds {len(refused)} link(s) to files outside the client folder",
            file=raw,
            hint=_LINK_HINT,
            cases=refused,
        )
    if not raw_files and skipped:
        raise InputFileError(
            "raw/ holds no export: every file in it was skipped",
            file=raw,
            hint="put the client's exports (XLSX, XLS, CSV, HTML) into raw/",
            cases=[ErrorCase(why, file=f) for f, why in skipped],
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
        skipped=skipped,
    )
