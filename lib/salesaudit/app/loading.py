"""Loading a client folder: read every raw export (io), build the canonical dataset (model).

Problems are collected, not raised one by one: a file that cannot be read becomes an
``unreadable_file`` error in the quality report, and :class:`~salesaudit.errors.InputFileError`
is raised only when no file at all could be read. A sheet that was read but breaks the model
unexpectedly is treated the same way (an ``unreadable_file`` error naming the file and the
exception; the other files are still used). A malformed ``mapping.yaml`` raises one
:class:`~salesaudit.errors.MappingError` listing every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from salesaudit.app._guard import describe, user_errors
from salesaudit.errors import ErrorCase, InputFileError, SalesAuditError
from salesaudit.io.folder import ClientFolder, open_client_folder
from salesaudit.io.raw import RawSheet
from salesaudit.io.readers import read_file
from salesaudit.io.yamlio import read_yaml_hashed
from salesaudit.model.build import build_dataset
from salesaudit.model.dataset import Dataset
from salesaudit.model.mapping import ClientMapping, parse_mapping
from salesaudit.model.presets import PRESETS
from salesaudit.model.quality import QualityReport, issue

__all__ = ["LoadedClient", "load_client"]

#: every header spelling the presets know: steers the readers' header-row detection
_PRESET_HINTS = tuple(
    dict.fromkeys(
        spelling
        for preset in PRESETS.values()
        for spellings in preset.columns.values()
        for spelling in spellings
    )
)


@dataclass(frozen=True)
class LoadedClient:
    """A client folder read and modelled.

    ``sheets_meta`` has one dict per sheet read: ``file`` (relative to the client folder),
    ``sheet``, ``header_row``, ``rows`` (data rows), ``dropped`` (rows the reader skipped) and
    the reader's ``meta`` (1C title, period, encoding, ...). ``hashes`` are the SHA-256 of the
    raw files and the mapping/answers files (path relative to the folder -> hex digest).
    """

    folder: ClientFolder
    dataset: Dataset
    quality: QualityReport
    sheets_meta: list[dict[str, Any]] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    mapping: ClientMapping = field(default_factory=ClientMapping)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_error(exc: Exception, rel: str) -> dict:
    if isinstance(exc, SalesAuditError):
        text = exc.message + (f" -> {exc.hint}" if exc.hint else "")
        if exc.cases:
            text += "; " + "; ".join(c.render() for c in exc.cases[:3])
        return issue("error", "unreadable_file", text, file=rel, row=exc.row, column=exc.column)
    return issue(
        "error",
        "unreadable_file",
        f"cannot read the file ({describe(exc)}) -> open it in Excel, save it again "
        "as XLSX or CSV (UTF-8) and put it back into raw/",
        file=rel,
    )


def _model_failure(exc: Exception) -> str:
    return f"the file was read but its content could not be used ({describe(exc)})"


def _model_error(exc: Exception, file: str) -> dict:
    return issue(
        "error",
        "unreadable_file",
        f"{_model_failure(exc)}; the other files are used without it -> check its layout (one "
        "header row, one record per row) or describe it in mapping.yaml; if it looks right, "
        "report this file to the salesaudit developers",
        file=file,
    )


def _build_isolating_failures(
    sheets: list[RawSheet], cmap: ClientMapping, meta: dict[str, Any], root: Path
) -> tuple[Dataset, QualityReport, list[dict]]:
    """``build_dataset`` over every sheet; when it fails unexpectedly, without the culprit files.

    :class:`SalesAuditError` is raised as it is. Any other exception is a sheet the model cannot
    handle: each file is then built alone to find the one(s) that fail; those become
    ``unreadable_file`` issues (returned) and the dataset is built from the others. When no single
    file is to blame (the failure needs several files together) or no file is left, an
    :class:`InputFileError` says so with the exception text.
    """
    try:
        dataset, quality = build_dataset(sheets, cmap, meta=meta)
        return dataset, quality, []
    except SalesAuditError:
        raise
    except Exception as exc:  # noqa: BLE001 - find the file to blame instead of a traceback
        first = exc
    files = list(dict.fromkeys(s.file for s in sheets))
    failures: dict[str, Exception] = {}
    for file in files:
        try:
            build_dataset([s for s in sheets if s.file == file], cmap, meta=meta)
        except SalesAuditError:
            continue  # a known problem: the full build below reports it
        except Exception as exc:  # noqa: BLE001
            failures[file] = exc
    good = [s for s in sheets if s.file not in failures]
    hint = (
        "check the layout of the file(s) named (one header row, one record per row) or describe "
        "them in mapping.yaml, or move them out of raw/; if the data looks right, report it to "
        "the salesaudit developers"
    )
    if not failures or not good:
        what = "could not be used" if failures else "could not be combined into the data model"
        raise InputFileError(
            f"the exports in raw/ {what} ({describe(first)})",
            file=root / "raw",
            hint=hint,
            cases=[ErrorCase(_model_failure(e), file=f) for f, e in failures.items()],
        )
    broken = [_model_error(e, f) for f, e in failures.items()]
    with user_errors(root / "raw", "the exports could not be combined into the data model", hint):
        dataset, quality = build_dataset(good, cmap, meta=meta)
    return dataset, quality, broken


def _report_currency(root: Path) -> str | None:
    """report.yaml's ``currency`` when the file is valid (a broken report.yaml is reported by
    the settings check, not here)."""
    from salesaudit.app.audit import read_report_settings

    try:
        return read_report_settings(root).get("currency")
    except SalesAuditError:
        return None


def load_client(client_dir: str | Path, *, as_of: date | None = None) -> LoadedClient:
    """Read every export in ``client_dir/raw`` and build the canonical dataset.

    ``as_of`` is the audit date (dates after it are reported as future dates; default today).
    Raises :class:`InputFileError` when the folder is not a client folder or none of its raw
    files could be read, :class:`MappingError` when ``mapping.yaml`` is invalid.
    """
    folder = open_client_folder(client_dir)
    root = folder.root
    mapping_source = _relative(folder.mapping_path, root) if folder.mapping_path else "mapping.yaml"
    with user_errors(
        folder.mapping_path or root / "mapping.yaml",
        "mapping.yaml cannot be read",
        "fix the value named in the message (dates as YYYY-MM-DD, texts in quotes); "
        "see docs/mapping.md",
    ):
        raw_mapping, mapping_hash = (
            read_yaml_hashed(folder.mapping_path) if folder.mapping_path else (None, None)
        )
        cmap = parse_mapping(raw_mapping, source=mapping_source)

    sheets: list[RawSheet] = []
    problems: list[dict] = []
    cases: list[ErrorCase] = []
    skipped = 0
    for rel, why in folder.skipped:  # hidden files, Excel lock files, README, links
        problems.append(issue("info", "skipped_file", why, file=rel))
    for path in folder.raw_files:
        rel = _relative(path, root)
        if cmap.ignored(rel):
            skipped += 1
            problems.append(
                issue("info", "ignored_file", "ignored (mapping.yaml ignore:)", file=rel)
            )
            continue
        rules = [r for r in cmap.files if r.matches(rel)]
        hints = tuple(dict.fromkeys([h for r in rules for h in r.columns] + list(_PRESET_HINTS)))
        try:
            read = read_file(path, header_hints=hints)
        except Exception as exc:  # noqa: BLE001 - a broken file must not stop the others
            problems.append(_read_error(exc, rel))
            cases.append(ErrorCase(problems[-1]["message"], file=rel))
            continue
        sheets += [replace(s, file=rel) for s in read]
    if not sheets:
        if skipped and not cases:
            raise InputFileError(
                "every file in raw/ is excluded by mapping.yaml ignore:",
                file=root / "raw",
                hint="remove the patterns that exclude the exports you want audited",
            )
        raise InputFileError(
            f"none of the {len(folder.raw_files)} file(s) in raw/ could be read",
            file=root / "raw",
            hint="export the data again as XLSX or CSV; see docs/data-model.md",
            cases=cases,
        )
    meta: dict[str, Any] = {"client_dir": str(root), "client": root.name}
    if as_of is not None:
        meta["as_of"] = as_of
    currency = _report_currency(root)
    if currency:
        meta["currency"] = currency  # the data is compared with the report's currency
    dataset, quality, broken = _build_isolating_failures(sheets, cmap, meta, root)
    problems += broken
    if problems:
        quality = quality.with_issues(problems)
    sheets_meta = [
        {
            "file": s.file,
            "sheet": s.sheet,
            "header_row": s.header_row,
            "rows": len(s.frame),
            "dropped": len(s.dropped),
            "meta": dict(s.meta),
        }
        for s in sheets
    ]
    return LoadedClient(
        folder=folder,
        dataset=dataset,
        quality=quality,
        sheets_meta=sheets_meta,
        # a raw file's (and mapping.yaml's) hash is the one of the bytes actually read
        hashes={
            **folder.hashes,
            **{s.file: s.meta["sha256"] for s in sheets if "sha256" in s.meta},
            **({mapping_source: mapping_hash} if mapping_hash else {}),
        },
        mapping=cmap,
    )
