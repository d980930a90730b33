"""The per-client mapping file (``mapping.yaml``): for exports we have no preset for.

:func:`parse_mapping` validates the parsed YAML strictly and collects *every* problem into one
:class:`~salesaudit.errors.MappingError` whose cases name the key path (``files[1].table``) and,
for misspelt names, suggest the closest valid one. The reference is ``docs/mapping.md``.

Besides columns and label maps a file rule may give ``constants`` (a value for every row),
``defaults`` (a value for empty cells only) and ``join`` (fields looked up in another file of
``raw/`` by a key, e.g. the team lead per manager or the brand per product). Label maps accept
patterns (``"/перезвон|callback/i": rescheduled``), tried in order after the exact labels, and
``table.field`` keys (``activities.result``) at the top level.
"""

from __future__ import annotations

import difflib
import re
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
    LEAD_STATUSES,
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
    "constants",
    "defaults",
    "join",
)
JOIN_KEYS = ("file", "sheet", "on", "key", "take")
#: a constant/default may also name the currency of the file's amounts (checked against the
#: report currency, never converted)
EXTRA_FILL_FIELDS = ("currency",)
#: managers' fields a join keyed on ``manager_name`` may take for the managers table (free text
#: only: roles, pay and dates belong in the staff list, where they are parsed and label-mapped)
MANAGER_JOIN_FIELDS = ("team_lead",)
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
    "source": None,
}
#: codes of a field that differ per table (``status`` of activities vs leads)
TABLE_LABEL_CODES: dict[tuple[str, str], tuple[str, ...] | None] = {
    ("leads", "status"): LEAD_STATUSES,
    ("leads", "lost_reason"): REFUSAL_REASONS,
}
_PATTERN = re.compile(r"^/(?P<body>.+)/(?P<flags>[a-z]*)$", re.S)


def label_codes(field_name: str, table: str | None = None) -> tuple[str, ...] | None:
    """Codes a label map of ``field_name`` may use (``None`` = free text); ``table`` narrows a
    field that several tables share (``status``); without it the union is allowed."""
    if table is not None and (table, field_name) in TABLE_LABEL_CODES:
        return TABLE_LABEL_CODES[(table, field_name)]
    if table is None:
        extra = [c for (t, f), c in TABLE_LABEL_CODES.items() if f == field_name and c]
        base = LABEL_CODES.get(field_name)
        if extra and base is not None:
            return tuple(dict.fromkeys([*base, *[x for e in extra for x in e]]))
    return LABEL_CODES.get(field_name)


def is_pattern(label: str) -> bool:
    """True for a label written as a pattern: ``/regex/`` or ``/regex/i``."""
    return bool(_PATTERN.match(str(label)))


def compile_pattern(label: str) -> re.Pattern[str]:
    """The regular expression of a ``/regex/flags`` label, always case-insensitive (texts are
    compared lower-cased, ``ё`` as ``е``). Raises :class:`re.error` for a bad expression."""
    m = _PATTERN.match(label)
    if m is None:
        raise re.error(f"not a /pattern/: {label!r}")
    if set(m["flags"]) - {"i"}:
        raise re.error(f"unknown flag(s) {m['flags']!r}; only 'i' is allowed")
    return re.compile(m["body"].replace("ё", "е").replace("Ё", "Е"), re.IGNORECASE)


@dataclass(frozen=True)
class Join:
    """One ``join:`` entry: fields taken from another file, looked up by a key."""

    file: str
    on: str
    take: Mapping[str, str]
    sheet: str | None = None
    #: header of the key column in the joined file (``None`` = found from the ``on`` field)
    key: str | None = None


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
    #: field -> value set in every row (the export lacks the column, or it is wrong)
    constants: Mapping[str, str] = field(default_factory=dict)
    #: field -> value for the empty cells only
    defaults: Mapping[str, str] = field(default_factory=dict)
    joins: tuple[Join, ...] = ()
    #: field -> ((pattern, code), ...) in the order given; tried after the exact labels
    patterns: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

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
    #: label patterns applied to every file, like ``labels`` (keys ``field`` or ``table.field``)
    patterns: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    #: True when the file names a ``currency`` (else RUB is only the default)
    currency_given: bool = False

    def labels_for(self, table: str, field_name: str) -> dict[str, str]:
        """The global exact labels of a field for ``table`` (``field`` and ``table.field``)."""
        return {
            **self.labels.get(field_name, {}),
            **self.labels.get(f"{table}.{field_name}", {}),
        }

    def patterns_for(self, table: str, field_name: str) -> tuple[tuple[str, str], ...]:
        """The global label patterns of a field for ``table`` (``table.field`` first)."""
        return (
            *self.patterns.get(f"{table}.{field_name}", ()),
            *self.patterns.get(field_name, ()),
        )

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


def _labels(
    col: _Collector, path: str, value: Any, table: str | None
) -> tuple[dict[str, dict[str, str]], dict[str, tuple[tuple[str, str], ...]]]:
    """Label maps ``{field: {label: code}}`` split into exact labels and ``/pattern/`` labels.

    Keys are fields, or ``table.field`` (at the top level, or naming the rule's own table)."""
    if value is None:
        return {}, {}
    if not isinstance(value, Mapping):
        col.add(path, f"must be a mapping field -> {{label: code}}, got {type(value).__name__}")
        return {}, {}
    out: dict[str, dict[str, str]] = {}
    patterns: dict[str, tuple[tuple[str, str], ...]] = {}
    known = tuple(LABEL_CODES)
    for key, labels in value.items():
        where = f"{path}.{key}"
        qualifier, _, fld = str(key).rpartition(".")
        if qualifier:
            if qualifier not in TABLES:
                col.add(where, f"unknown table {qualifier!r}", _suggest(qualifier, TABLES))
                continue
            if table is not None and qualifier != table:
                col.add(where, f"this entry reads table {table!r}, not {qualifier!r}")
                continue
        scope = qualifier or table
        if fld not in LABEL_CODES:
            col.add(where, "no label map for this field", _suggest(fld, known))
            continue
        if scope is not None and fld not in source_fields(scope):
            col.add(where, f"field {fld!r} is not a field of table {scope!r}")
            continue
        codes = label_codes(fld, scope)
        pairs = _str_map(col, where, labels)
        exact: dict[str, str] = {}
        pats: list[tuple[str, str]] = []
        for label, code in pairs.items():
            if codes is not None and code not in codes:
                col.add(
                    f"{where}.{label}",
                    f"unknown code {code!r}; allowed: {', '.join(codes)}",
                    _suggest(code, codes),
                )
                continue
            if is_pattern(label):
                try:
                    compile_pattern(label)
                except re.error as exc:
                    col.add(
                        f"{where}.{label}",
                        f"not a valid pattern ({exc})",
                        "write it as /text|other text/ or /text/i; escape . ( ) [ ] with \\",
                    )
                    continue
                pats.append((label, code))
            else:
                exact[label] = code
        name = f"{qualifier}.{fld}" if qualifier and table is None else fld
        out[name] = {**out.get(name, {}), **exact}
        if pats:
            patterns[name] = (*patterns.get(name, ()), *pats)
    return out, patterns


def _fill_values(col: _Collector, path: str, value: Any, table: str) -> dict[str, str]:
    """``constants:`` / ``defaults:`` of a file rule: field -> text value."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        col.add(path, f"must be a mapping field: value, got {type(value).__name__}")
        return {}
    allowed = (*source_fields(table), *EXTRA_FILL_FIELDS)
    out: dict[str, str] = {}
    for fld, v in value.items():
        where = f"{path}.{fld}"
        if fld not in allowed:
            col.add(
                where,
                f"unknown field {fld!r} for table {table!r}",
                _suggest(str(fld), allowed) or f"fields of {table}: {', '.join(allowed)}",
            )
            continue
        if isinstance(v, bool) or v is None or isinstance(v, list | dict):
            col.add(where, f"must be a text, number or date value, got {v!r}")
            continue
        if fld == "currency" and (len(str(v)) != 3 or not str(v).isalpha()):
            col.add(where, f"must be a 3-letter currency code such as RUB, got {v!r}")
            continue
        out[str(fld)] = v.isoformat() if hasattr(v, "isoformat") else str(v)
    return out


def _joins(col: _Collector, path: str, value: Any, table: str) -> tuple[Join, ...]:
    """``join:`` of a file rule: one mapping or a list of them."""
    if value is None:
        return ()
    entries = [value] if isinstance(value, Mapping) else value
    if not isinstance(entries, list):
        col.add(path, "must be a mapping {file, on, take} or a list of them")
        return ()
    out = []
    fields = source_fields(table)
    for i, entry in enumerate(entries):
        where = f"{path}[{i}]" if isinstance(value, list) else path
        if not isinstance(entry, Mapping):
            col.add(where, f"must be a mapping with 'file', 'on' and 'take', got {entry!r}")
            continue
        if True in entry and "on" not in entry:  # YAML 1.1 reads an unquoted `on:` as true
            entry = {("on" if k is True else k): v for k, v in entry.items()}
        col.unknown_keys(where, entry, JOIN_KEYS)
        ok = True
        file = entry.get("file")
        if not isinstance(file, str) or not file.strip():
            col.add(f"{where}.file", "required: the file (name or glob in raw/) to look up in")
            ok = False
        on = entry.get("on")
        if not isinstance(on, str) or on not in fields:
            col.add(
                f"{where}.on",
                f"must be a field of table {table!r} holding the key, got {on!r}",
                _suggest(str(on), fields) or f"fields of {table}: {', '.join(fields)}",
            )
            ok = False
        for k in ("key", "sheet"):
            v = entry.get(k)
            if v is not None and not isinstance(v, str | int):
                col.add(f"{where}.{k}", f"must be a column/sheet name, got {v!r}")
                ok = False
        take = entry.get("take")
        taken: dict[str, str] = {}
        allowed = list(fields)
        if on == "manager_name" and table != "managers":
            allowed += [f for f in MANAGER_JOIN_FIELDS if f not in allowed]
        if not isinstance(take, Mapping) or not take:
            col.add(f"{where}.take", "required: a mapping field: 'column of the joined file'")
            ok = False
        else:
            for fld, header in take.items():
                if fld not in allowed or fld == on:
                    col.add(
                        f"{where}.take.{fld}",
                        f"unknown field {fld!r} for table {table!r}",
                        _suggest(str(fld), allowed) or f"fields: {', '.join(allowed)}",
                    )
                    ok = False
                elif not isinstance(header, str | int) or isinstance(header, bool):
                    col.add(f"{where}.take.{fld}", f"must be a column name, got {header!r}")
                    ok = False
                else:
                    taken[str(fld)] = str(header)
        if ok:
            out.append(
                Join(
                    file=str(file),
                    on=str(on),
                    take=taken,
                    sheet=None if entry.get("sheet") is None else str(entry["sheet"]),
                    key=None if entry.get("key") is None else str(entry["key"]),
                )
            )
    return tuple(out)


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
    labels, patterns = _labels(col, f"{path}.labels", entry.get("labels"), table)
    constants = _fill_values(col, f"{path}.constants", entry.get("constants"), table)
    defaults = _fill_values(col, f"{path}.defaults", entry.get("defaults"), table)
    both = sorted(set(constants) & set(defaults))
    for f in both:
        col.add(f"{path}.defaults.{f}", "also given in constants; a constant fills every row")
        ok = False
    joins = _joins(col, f"{path}.join", entry.get("join"), table)
    for key in ("constants", "defaults", "join"):
        if key in entry and table == "plans":
            col.add(f"{path}.{key}", "plans are read by the plan reader; not available for plans")
            ok = False
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
        constants=constants,
        defaults=defaults,
        joins=joins,
        patterns=patterns,
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
    labels, patterns = _labels(col, "labels", data.get("labels"), None)
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
        patterns=patterns,
        currency_given="currency" in data,
    )
