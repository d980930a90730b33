"""The per-client mapping file (``mapping.yaml``): for exports we have no preset for.

:func:`parse_mapping` validates the parsed YAML strictly and collects *every* problem into one
:class:`~salesaudit.errors.MappingError` whose cases name the key path (``files[1].table``) and,
for misspelt names, suggest the closest valid one. The reference is ``docs/mapping.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from salesaudit.errors import ErrorCase, MappingError
from salesaudit.model.presets import PRESETS, normalize_label, source_fields
from salesaudit.model.schemas import (
    ACTIVITY_RESULTS,
    ACTIVITY_STATUSES,
    ACTIVITY_TYPES,
    OUTCOMES,
    PAY,
    PLAN_DIMENSIONS,
    PLAN_METRICS,
    REFUSAL_REASONS,
    ROLES,
    TABLES,
)

TOP_KEYS = ("currency", "files", "labels", "managers", "clients", "ignore")
FILE_KEYS = (
    "match",
    "sheet",
    "table",
    "preset",
    "header_row",
    "date_format",
    "columns",
    "labels",
    "layout",
    "metric",
    "dimension",
)
LAYOUTS = ("wide", "long")

#: label maps a mapping may give: field -> allowed codes (None = free text, any code allowed)
LABEL_CODES: dict[str, tuple[str, ...] | None] = {
    "stage": OUTCOMES,
    "outcome": OUTCOMES,
    "role": ROLES,
    "pay": PAY,
    "type": ACTIVITY_TYPES,
    "status": ACTIVITY_STATUSES,
    "result": ACTIVITY_RESULTS,
    "refusal_reason": REFUSAL_REASONS,
    "lost_reason": REFUSAL_REASONS,
    "metric": PLAN_METRICS,
    "dimension": PLAN_DIMENSIONS,
}


@dataclass(frozen=True)
class FileRule:
    """One ``files:`` entry: which raw files it covers and how to read them."""

    match: str
    table: str
    sheet: str | None = None
    preset: str | None = None
    header_row: int | None = None
    date_format: str | None = None
    #: source header -> source field, or ``None`` to ignore the column
    columns: Mapping[str, str | None] = field(default_factory=dict)
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    layout: str = "wide"
    metric: str | None = None
    dimension: str | None = None

    def matches(self, file: str, sheet: str | None = None) -> bool:
        """True when ``file`` (any path; matched from the right) and ``sheet`` fit this rule."""
        if not path_matches(file, self.match):
            return False
        if self.sheet is None:
            return True
        return sheet is not None and normalize_label(sheet) == normalize_label(self.sheet)


@dataclass(frozen=True)
class ClientMapping:
    """A validated mapping file."""

    currency: str = "RUB"
    files: tuple[FileRule, ...] = ()
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    managers: Mapping[str, str] = field(default_factory=dict)
    clients: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()

    def rule_for(self, file: str, sheet: str | None = None) -> FileRule | None:
        """The first ``files:`` entry covering this file/sheet, or ``None``."""
        for rule in self.files:
            if rule.matches(file, sheet):
                return rule
        return None

    def ignored(self, file: str) -> bool:
        """True when the file matches one of the ``ignore:`` patterns."""
        return any(path_matches(file, pattern) for pattern in self.ignore)


def path_matches(file: str, pattern: str) -> bool:
    """Glob-match ``file`` against ``pattern`` from the right (``'deals_*.csv'`` matches
    ``/x/raw/deals_2024.csv``; ``'raw/old/*'`` matches ``/x/raw/old/a.csv``)."""
    path = PurePosixPath(str(file).replace("\\", "/"))
    pattern = pattern.replace("\\", "/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    try:
        return path.match(pattern)
    except ValueError:
        return False


def _suggest(value: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


class _Collector:
    def __init__(self, source: str) -> None:
        self.source = source
        self.cases: list[ErrorCase] = []

    def add(self, path: str, message: str, hint: str | None = None) -> None:
        self.cases.append(ErrorCase(f"{path}: {message}", file=self.source, hint=hint))

    def unknown_keys(self, path: str, data: Mapping, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.add(where, "unknown key", _suggest(str(key), allowed))


def _str_map(col: _Collector, path: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        col.add(path, f"must be a mapping of names, got {type(value).__name__}")
        return {}
    out = {}
    for k, v in value.items():
        if not isinstance(v, str | int | float) or isinstance(v, bool):
            col.add(f"{path}.{k}", f"must be a text value, got {v!r}")
            continue
        out[str(k)] = str(v)
    return out


def _labels(col: _Collector, path: str, value: Any, table: str | None) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        col.add(path, f"must be a mapping field -> {{label: code}}, got {type(value).__name__}")
        return {}
    out: dict[str, dict[str, str]] = {}
    known = tuple(LABEL_CODES)
    for fld, labels in value.items():
        where = f"{path}.{fld}"
        if fld not in LABEL_CODES:
            col.add(where, "no label map for this field", _suggest(str(fld), known))
            continue
        if table is not None and fld not in source_fields(table):
            col.add(where, f"field {fld!r} is not a field of table {table!r}")
            continue
        codes = LABEL_CODES[fld]
        pairs = _str_map(col, where, labels)
        for label, code in pairs.items():
            if codes is not None and code not in codes:
                col.add(
                    f"{where}.{label}",
                    f"unknown code {code!r}; allowed: {', '.join(codes)}",
                    _suggest(code, codes),
                )
        out[str(fld)] = pairs
    return out


def _file_rule(col: _Collector, i: int, entry: Any) -> FileRule | None:
    path = f"files[{i}]"
    if not isinstance(entry, Mapping):
        col.add(path, f"must be a mapping with 'match' and 'table', got {entry!r}")
        return None
    col.unknown_keys(path, entry, FILE_KEYS)
    ok = True
    match = entry.get("match")
    if not isinstance(match, str) or not match.strip():
        col.add(f"{path}.match", "required: a file name or glob relative to raw/")
        ok = False
    table = entry.get("table")
    preset = entry.get("preset")
    if preset is not None and preset not in PRESETS:
        col.add(
            f"{path}.preset", f"unknown preset {preset!r}", _suggest(str(preset), list(PRESETS))
        )
        ok = False
    if table is None and isinstance(preset, str) and preset in PRESETS:
        table = PRESETS[preset].table
    elif isinstance(preset, str) and preset in PRESETS and table != PRESETS[preset].table:
        col.add(
            f"{path}.preset",
            f"preset {preset!r} reads table {PRESETS[preset].table!r}, not {table!r}",
        )
        ok = False
    if table is None:
        col.add(f"{path}.table", f"required: one of {', '.join(TABLES)}")
        return None
    if table not in TABLES:
        col.add(f"{path}.table", f"unknown table {table!r}", _suggest(str(table), TABLES))
        return None
    sheet = entry.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        col.add(f"{path}.sheet", f"must be a sheet name, got {sheet!r}")
        ok = False
    header_row = entry.get("header_row")
    if header_row is not None and (
        isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
    ):
        col.add(f"{path}.header_row", f"must be a row number 1, 2, ..., got {header_row!r}")
        ok = False
    date_format = entry.get("date_format")
    if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
        col.add(
            f"{path}.date_format",
            f"must be a strftime format, got {date_format!r}",
            "for example '%d.%m.%Y' or '%d/%m/%Y %H:%M'",
        )
        ok = False
    columns: dict[str, str | None] = {}
    raw_columns = entry.get("columns")
    allowed_fields = source_fields(table)
    if raw_columns is not None and not isinstance(raw_columns, Mapping):
        col.add(f"{path}.columns", "must be a mapping 'source header': field")
        ok = False
    elif raw_columns:
        for header, fld in raw_columns.items():
            where = f"{path}.columns.{header}"
            if fld is None or fld == "skip":
                columns[str(header)] = None
            elif not isinstance(fld, str) or fld not in allowed_fields:
                col.add(
                    where,
                    f"unknown field {fld!r} for table {table!r}",
                    _suggest(str(fld), allowed_fields)
                    or f"fields of {table}: {', '.join(allowed_fields)}",
                )
                ok = False
            else:
                columns[str(header)] = fld
        dup = [f for f in set(columns.values()) if f and list(columns.values()).count(f) > 1]
        for f in sorted(dup):
            if f != "product":
                col.add(f"{path}.columns", f"field {f!r} is mapped from more than one column")
                ok = False
    labels = _labels(col, f"{path}.labels", entry.get("labels"), table)
    layout = entry.get("layout", "wide")
    if layout not in LAYOUTS:
        col.add(
            f"{path}.layout", f"must be one of {', '.join(LAYOUTS)}", _suggest(str(layout), LAYOUTS)
        )
        ok = False
    metric = entry.get("metric")
    if metric is not None and metric not in PLAN_METRICS:
        col.add(
            f"{path}.metric", f"unknown plan metric {metric!r}", _suggest(str(metric), PLAN_METRICS)
        )
        ok = False
    dimension = entry.get("dimension")
    if dimension is not None and dimension not in PLAN_DIMENSIONS:
        col.add(
            f"{path}.dimension",
            f"unknown plan dimension {dimension!r}",
            _suggest(str(dimension), PLAN_DIMENSIONS),
        )
        ok = False
    for key in ("layout", "metric", "dimension"):
        if key in entry and table != "plans":
            col.add(f"{path}.{key}", f"only plans have a {key}; this entry is for {table!r}")
            ok = False
    if not ok:
        return None
    return FileRule(
        match=str(match),
        table=str(table),
        sheet=None if sheet is None else str(sheet),
        preset=preset,
        header_row=header_row,
        date_format=date_format,
        columns=columns,
        labels=labels,
        layout=str(layout),
        metric=metric,
        dimension=dimension,
    )


def parse_mapping(data: Any, *, source: str = "mapping.yaml") -> ClientMapping:
    """Validate a parsed mapping file; raise one :class:`MappingError` listing every problem.

    ``data`` is what the YAML reader returned (``None`` for an empty file means "no mapping").
    """
    col = _Collector(source)
    if data is None:
        return ClientMapping()
    if isinstance(data, ClientMapping):
        return data
    if not isinstance(data, Mapping):
        raise MappingError(
            f"the mapping file must be a mapping of keys ({', '.join(TOP_KEYS)}), "
            f"got {type(data).__name__}",
            file=source,
            hint="see docs/mapping.md for the layout",
        )
    col.unknown_keys("", data, TOP_KEYS)
    currency = data.get("currency", "RUB")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        col.add("currency", f"must be a 3-letter currency code such as RUB, got {currency!r}")
        currency = "RUB"
    rules: list[FileRule] = []
    files = data.get("files") or []
    if not isinstance(files, list):
        col.add("files", "must be a list of file entries (each starting with '- match: ...')")
        files = []
    for i, entry in enumerate(files):
        rule = _file_rule(col, i, entry)
        if rule is not None:
            rules.append(rule)
    labels = _labels(col, "labels", data.get("labels"), None)
    managers = _str_map(col, "managers", data.get("managers"))
    clients = _str_map(col, "clients", data.get("clients"))
    ignore = data.get("ignore") or []
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        col.add("ignore", "must be a list of file globs")
        ignore = []
    if col.cases:
        n = len(col.cases)
        raise MappingError(
            f"{n} problem{'s' if n > 1 else ''} in the mapping file",
            file=source,
            hint="fix them as listed below; the reference is docs/mapping.md",
            cases=col.cases,
        )
    return ClientMapping(
        currency=currency.upper(),
        files=tuple(rules),
        labels=labels,
        managers=managers,
        clients=clients,
        ignore=tuple(ignore),
    )
