"""What a mapping rule adds to a sheet before it is parsed: constants, defaults, joins (private).

All of it works on the *raw* text cells, so that the filled values are parsed, label-mapped and
validated exactly like values read from the export. Every fill is reported in the quality report
(``filled_from_mapping``, with the number of rows); every join key not found in the joined file
is reported with its count (``join_unmatched``) and its rows are kept. Also here: the label
patterns of a mapping and the lead-specific touches (a «Да/Нет» conversion column).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from salesaudit.io.raw import RawSheet
from salesaudit.model.mapping import ClientMapping, FileRule, Join, compile_pattern, path_matches
from salesaudit.model.presets import PRESETS, base_header, normalize_label, source_fields
from salesaudit.model.quality import issue

#: hidden source field of a managers' field taken by a join on ``manager_name``
MANAGER_FIELD_PREFIX = "_mgr_"
#: hidden source field of the file's currency (``constants: {currency: USD}``)
CURRENCY_FIELD = "_currency"

_YES = frozenset({"да", "yes", "true", "+", "y", "д"})
_NO = frozenset({"нет", "no", "false", "-", "n", "н"})


@dataclass(frozen=True)
class Lookup:
    """A joined file, indexed: normalised key -> {take field: raw value}."""

    join: Join
    file: str
    key_header: str
    index: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)


def _blank(s: pd.Series) -> pd.Series:
    return s.isna() | s.astype(str).str.strip().eq("")


def _key_header(sheet: RawSheet, join: Join) -> str | None:
    """The column of the joined file holding the key: ``key:`` when given, else a header that a
    preset spells for the ``on`` field (``manager_name`` also as the staff list's ``name``)."""
    heads = {normalize_label(base_header(h)): h for h in sheet.frame.columns}
    if join.key is not None:
        return heads.get(normalize_label(join.key))
    wanted = {normalize_label(join.on)}
    #: a staff list names people under ``name``; so does a client list
    own_table = {"manager_name": "managers", "client_name": "clients"}.get(join.on)
    for preset in PRESETS.values():
        for fld, spellings in preset.columns.items():
            if fld == join.on or (fld == "name" and preset.table == own_table):
                wanted |= {normalize_label(x) for x in spellings}
    for norm, header in heads.items():
        if norm in wanted:
            return header
    return None


def resolve_lookups(
    cmap: ClientMapping, sheets: Sequence[RawSheet]
) -> tuple[dict[tuple[int, int], Lookup], list[dict], set[str]]:
    """Index every ``join:`` file of the mapping. Returns ``{(rule no, join no): Lookup}``, the
    issues (join file or column not found, a key given twice with different values) and the
    files used as lookups (so they are not reported as unrecognised)."""
    out: dict[tuple[int, int], Lookup] = {}
    issues: list[dict] = []
    used: set[str] = set()
    for r, rule in enumerate(cmap.files):
        for j, join in enumerate(rule.joins):
            where = f"files[{r}].join"
            found = [
                s
                for s in sheets
                if path_matches(s.file, join.file)
                and (
                    join.sheet is None
                    or (
                        s.sheet is not None
                        and normalize_label(s.sheet) == normalize_label(join.sheet)
                    )
                )
            ]
            if not found:
                issues.append(
                    issue(
                        "error",
                        "bad_mapping",
                        f"{where}: no file in raw/ matches {join.file!r}; nothing joined",
                        table=rule.table,
                        value=join.file,
                    )
                )
                continue
            sheet = found[0]
            used.add(sheet.file)
            key = _key_header(sheet, join)
            heads = {normalize_label(base_header(h)): h for h in sheet.frame.columns}
            missing = [h for h in join.take.values() if normalize_label(h) not in heads]
            if key is None or missing:
                what = (
                    f"no key column for {join.on!r} (give key: 'header')"
                    if key is None
                    else f"no column {', '.join(repr(m) for m in missing)}"
                )
                issues.append(
                    issue(
                        "error",
                        "bad_mapping",
                        f"{where}: {sheet.file} has {what}; nothing joined",
                        table=rule.table,
                        file=sheet.file,
                        column=join.key or join.on,
                    )
                )
                continue
            frame = sheet.frame
            keys = frame[key].map(lambda v: None if v is None else normalize_label(v) or None)
            index: dict[str, dict[str, str | None]] = {}
            conflicts: dict[str, int] = {}
            rows = list(sheet.rows)
            for pos, k in enumerate(keys):
                if k is None:
                    continue
                values = {}
                for fld, header in join.take.items():
                    v = frame[heads[normalize_label(header)]].iloc[pos]
                    values[fld] = None if v is None or not str(v).strip() else str(v).strip()
                if k in index:
                    if index[k] != values:
                        conflicts.setdefault(k, rows[pos])
                    continue
                index[k] = values
            for k, row in conflicts.items():
                issues.append(
                    issue(
                        "warning",
                        "join_conflict",
                        f"{where}: key {k!r} is given twice in {sheet.file} with different "
                        "values; the first row is used",
                        table=rule.table,
                        file=sheet.file,
                        row=int(row),
                        column=key,
                        value=k,
                    )
                )
            out[(r, j)] = Lookup(join=join, file=sheet.file, key_header=key, index=index)
    return out, issues, used


def _target(table: str, fld: str) -> str:
    if fld == "currency":
        return CURRENCY_FIELD
    if fld not in source_fields(table):
        return MANAGER_FIELD_PREFIX + fld
    return fld


def apply_fills(
    frame: pd.DataFrame,
    by_field: Mapping[str, list[str]],
    src_rows: pd.Series,
    *,
    rule: FileRule,
    lookups: Sequence[Lookup | None],
    table: str,
    file: str,
) -> tuple[pd.DataFrame, dict[str, list[str]], list[dict]]:
    """The sheet's raw frame with the rule's joins, defaults and constants applied.

    Joins and defaults fill empty cells only (join first); a constant replaces the column.
    Returns a new frame (the input is not modified), the new field -> headers map and the
    issues. ``lookups`` are aligned with ``rule.joins`` (``None`` = could not be indexed).
    """
    frame = frame.copy()
    fields = {f: list(h) for f, h in by_field.items()}
    issues: list[dict] = []
    n = len(frame)

    def empty_of(target: str) -> pd.Series:
        heads = fields.get(target)
        if not heads:
            return pd.Series(True, index=frame.index)
        mask = pd.Series(True, index=frame.index)
        for h in heads:
            mask &= _blank(frame[h])
        return mask

    def fill(target: str, values: pd.Series | str, where: pd.Series, name: str) -> int:
        count = int(where.sum())
        if target in fields:
            head = fields[target][0]
            frame[head] = frame[head].where(~where, values).astype(object)
        else:
            col = (
                pd.Series(values, index=frame.index, dtype=object)
                if isinstance(values, str)
                else values.astype(object)
            )
            frame[name] = col.where(where, None)
            fields[target] = [name]
        return count

    constants = {f: v for f, v in rule.constants.items()}
    for j, join in enumerate(rule.joins):
        lookup = lookups[j] if j < len(lookups) else None
        if lookup is None:
            continue
        if join.on not in fields:
            issues.append(
                issue(
                    "error",
                    "bad_mapping",
                    f"join with {lookup.file}: this sheet has no column for {join.on!r}; "
                    "nothing joined",
                    table=table,
                    file=file,
                    column=join.on,
                )
            )
            continue
        raw = frame[fields[join.on]].bfill(axis=1).iloc[:, 0]
        raw = raw.where(~_blank(raw), None)
        keys = raw.map(lambda v: None if v is None else normalize_label(v))
        index = lookup.index
        hit = keys.map(lambda k, ix=index: k is not None and k in ix).astype(bool)
        for fld, header in join.take.items():
            target = _target(table, fld)
            if fld in constants:
                continue
            values = keys.map(lambda k, f=fld, ix=index: ix.get(k, {}).get(f) if k else None)
            where = hit & values.notna() & empty_of(target)
            count = fill(target, values, where, f"{lookup.file}: {header}")
            if count:
                issues.append(
                    issue(
                        "info",
                        "filled_from_mapping",
                        f"{fld}: {count} row(s) filled from {lookup.file} "
                        f"(mapping.yaml join on {join.on})",
                        table=table,
                        file=file,
                        column=fld,
                        value=count,
                    )
                )
        unmatched = keys.notna() & ~hit
        if unmatched.any():
            labels = raw[unmatched]
            firsts = src_rows[unmatched].groupby(keys[unmatched].to_numpy()).min()
            shown = labels.groupby(keys[unmatched].to_numpy()).first()
            counts = keys[unmatched].value_counts()
            taken = ", ".join(join.take)
            for k, count in counts.items():
                issues.append(
                    issue(
                        "warning",
                        "join_unmatched",
                        f"{join.on} {shown[k]!r} is not in {lookup.file}: {int(count)} row(s) "
                        f"kept without {taken}",
                        table=table,
                        file=file,
                        row=int(firsts[k]),
                        column=join.on,
                        value=shown[k],
                    )
                )
        no_key = int(keys.isna().sum())
        if no_key:
            issues.append(
                issue(
                    "info",
                    "join_unmatched",
                    f"{no_key} row(s) without {join.on}: nothing to look up in {lookup.file}",
                    table=table,
                    file=file,
                    column=join.on,
                    value=no_key,
                )
            )
    for fld, value in rule.defaults.items():
        target = _target(table, fld)
        where = empty_of(target)
        count = fill(target, value, where, f"mapping.yaml defaults.{fld}")
        if count:
            issues.append(
                issue(
                    "info",
                    "filled_from_mapping",
                    f"{fld}: {count} empty cell(s) set to {value!r} (mapping.yaml defaults)",
                    table=table,
                    file=file,
                    column=fld,
                    value=value,
                )
            )
    for fld, value in constants.items():
        target = _target(table, fld)
        name = f"mapping.yaml constants.{fld}"
        frame[name] = pd.Series(value, index=frame.index, dtype=object)
        replaced = [h for h in fields.get(target, []) if not h.startswith("mapping.yaml")]
        fields[target] = [name]
        note = f"; column {', '.join(map(repr, replaced))} not used" if replaced else ""
        issues.append(
            issue(
                "info",
                "filled_from_mapping",
                f"{fld}: {n} row(s) set to {value!r} (mapping.yaml constants){note}",
                table=table,
                file=file,
                column=fld,
                value=value,
            )
        )
    return frame, fields, issues


def compiled_patterns(
    *groups: Sequence[tuple[str, str]],
) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The label patterns of several groups (file rule first, then global), compiled, in order."""
    return tuple((compile_pattern(p), code) for group in groups for p, code in group)


def match_pattern(value: str, patterns: Sequence[tuple[re.Pattern[str], str]]) -> str | None:
    """The code of the first pattern found in ``value`` (compared lower-cased, ``ё`` as ``е``)."""
    text = normalize_label(value)
    for pattern, code in patterns:
        if pattern.search(text):
            return code
    return None


def finish_leads(out: pd.DataFrame, src_rows: pd.Series, file: str) -> tuple[pd.DataFrame, list]:
    """Lead rows after label translation: a «Да/Нет» conversion column becomes the status, and
    an open lead that names its deal counts as converted (both reported)."""
    out = out.copy()
    issues: list[dict] = []
    if "converted_deal_id" not in out:
        return out, issues
    ids = out["converted_deal_id"]
    folded = ids.map(lambda v: None if v is None else normalize_label(v))
    yes = folded.isin(_YES)
    no = folded.isin(_NO)
    # a yes/no column only when every filled cell is yes or no (deal ids stay ids)
    if (yes | no).any() and int((yes | no).sum()) == int(folded.notna().sum()):
        out["converted_deal_id"] = ids.where(~(yes | no), None)
        out["status"] = out["status"].where(~yes, "converted")
        issues.append(
            issue(
                "info",
                "assumed_value",
                f"converted_deal_id: a yes/no column; {int(yes.sum())} lead(s) with «да» "
                "counted as converted (no deal id to trace them to)",
                table="leads",
                file=file,
                column="converted_deal_id",
                value=int(yes.sum()),
            )
        )
    named = out["converted_deal_id"].notna() & out["status"].eq("open")
    if named.any():
        out["status"] = out["status"].where(~named, "converted")
        issues.append(
            issue(
                "info",
                "assumed_value",
                f"{int(named.sum())} open lead(s) name a deal: counted as converted "
                f"(first in row {int(src_rows[named].min())})",
                table="leads",
                file=file,
                row=int(src_rows[named].min()),
                column="status",
                value=int(named.sum()),
            )
        )
    return out, issues


def manager_fields(
    frames: Mapping[str, pd.DataFrame], managers: pd.DataFrame, ids: Mapping[str, str]
) -> pd.DataFrame:
    """The managers table with the fields joins took per ``manager_name`` in other tables
    (``team_lead``) filled where empty: the first non-empty value per manager wins."""
    out = managers.copy()
    for df in frames.values():
        cols = [c for c in df.columns if str(c).startswith(MANAGER_FIELD_PREFIX)]
        if not cols or "manager_name" not in df:
            continue
        for col in cols:
            fld = col.removeprefix(MANAGER_FIELD_PREFIX)
            pairs = df.loc[df[col].notna() & df["manager_name"].notna(), ["manager_name", col]]
            if pairs.empty:
                continue
            mids = pairs["manager_name"].map(ids)
            by_id = pd.Series(pairs[col].to_numpy(), index=mids.to_numpy())
            by_id = by_id[by_id.index.notna()]
            by_id = by_id[~by_id.index.duplicated(keep="first")]
            current = out[fld] if fld in out else pd.Series(None, index=out.index, dtype=object)
            looked = out["manager_id"].map(by_id)
            out[fld] = current.where(current.notna(), looked).astype(object)
            out[fld] = out[fld].where(out[fld].notna(), None)
    return out
