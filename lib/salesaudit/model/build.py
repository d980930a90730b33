"""From raw sheets to the canonical :class:`~salesaudit.model.dataset.Dataset` and its quality report.

:func:`build_dataset` never crashes on bad data and never stops at the first problem:

1. each sheet is assigned to a table — a ``mapping.yaml`` rule first, then a preset recognised
   from the headers, then the plan reader (month columns / long plan / acknowledgement sheet);
   anything else is an ``unrecognised_file`` error in the report;
2. columns are mapped to source fields, values parsed with :mod:`salesaudit.model.parse`
   (vectorised; bad cells are reported and left empty), labels translated (unknown labels are
   reported; ``stage``->``open``, ``result``->``none``, ``role``->``other``, ``pay``->``unknown``
   are the only substitutions; a blank result is ``none`` = done without a result, unless the
   sheet carries no results at all - no result column, or one blank in every row - then every
   row is ``unknown``), ids generated where the source has none (``"<file stem>:<source row>"``);
3. managers and clients are reconciled across all sources (:mod:`salesaudit.model.reconcile`);
4. each table is checked against its pandera schema; records that break a REQUIRED or ALLOWED
   rule are rejected with their reasons, later copies of a key are dropped as duplicates.

Inputs are never modified. No file is touched here: :func:`salesaudit.app.loading.load_client`
reads the files and calls this.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
from pandera.errors import SchemaErrors

from salesaudit.io.raw import RawSheet
from salesaudit.io.safe_text import headers_for_message
from salesaudit.model._crm import (
    drop_deleted_deals,
    finish_deals,
    keep_free_results,
    merge_product_rows,
)
from salesaudit.model._fill import (
    Lookup,
    apply_fills,
    compiled_patterns,
    finish_leads,
    manager_fields,
    match_pattern,
    resolve_lookups,
)
from salesaudit.model.dataset import Dataset
from salesaudit.model.mapping import ClientMapping, FileRule, parse_mapping
from salesaudit.model.parse import parse_dates, parse_numbers, parse_period
from salesaudit.model.plans import (
    ACK_COLUMNS,
    PLAN_SOURCE_COLUMNS,
    apply_acknowledgements,
    looks_like_plan,
    parse_plan_sheets,
)
from salesaudit.model.presets import (
    FREE_LABEL_FIELDS,
    LABEL_FALLBACKS,
    PRESETS,
    Preset,
    base_header,
    detect_preset,
    normalize_label,
)
from salesaudit.model.propose import describe_sheet, sheet_summary
from salesaudit.model.quality import (
    TABLE_COLUMNS,
    QualityReport,
    concat_issues,
    issue,
    issue_rows,
    issues_frame,
)
from salesaudit.model.reconcile import (
    MATCH_COLUMNS,
    Resolution,
    reconcile_clients,
    reconcile_managers,
)
from salesaudit.model.schemas import (
    ALLOWED,
    COLUMNS,
    KEYS,
    REQUIRED,
    RESULT_NOT_EXPORTED,
    TABLES,
    schema,
)

#: source fields a sheet must have, per table; each entry lists alternatives
REQUIRED_SOURCE: dict[str, tuple[tuple[str, ...], ...]] = {
    "managers": (("name",),),
    "clients": (("name",),),
    "activities": (("manager_name", "manager_id"), ("type",), ("occurred_at",)),
    "deals": (("manager_name", "manager_id"), ("created",), ("stage", "outcome")),
    "sales": (("date",), ("amount",)),
    "trainings": (("manager_name", "manager_id"), ("date",), ("topic",)),
    "leads": (("created_at",),),
}
#: id column generated as "<file stem>:<source row>" when the source has none
GENERATED_IDS = {
    "activities": "activity_id",
    "deals": "deal_id",
    "sales": "sale_id",
    "trainings": "training_id",
    "leads": "lead_id",
}
#: value of a field whose column the sheet lacks (reported as info)
TABLE_DEFAULTS: dict[str, dict[str, str]] = {
    "activities": {"status": "done", "result": RESULT_NOT_EXPORTED},
    "managers": {"role": "manager", "pay": "unknown"},
    "leads": {"status": "open"},
}
#: fields whose labels are translated, per table
LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "managers": ("role", "pay"),
    "activities": ("type", "status", "result", "refusal_reason"),
    "deals": ("outcome", "lost_reason"),
    "leads": ("status", "lost_reason", "source"),
}
#: free-text fields translated only when the mapping gives labels for them
OPTIONAL_LABEL_FIELDS = frozenset({"source"})
#: the date that dates the records of each table (period shown in the report)
MAIN_DATE = {
    "managers": "hired",
    "clients": "created",
    "activities": "occurred_at",
    "deals": "created",
    "sales": "date",
    "plans": "period",
    "trainings": "date",
    "leads": "created_at",
}
#: how a consultant finds a field in the source systems (for "missing column" messages)
FIELD_HINTS = {
    "name": "Сотрудник / ФИО (managers), Клиент / Название (clients)",
    "manager_name": "Ответственный / Менеджер / Сотрудник",
    "client_name": "Компания / Клиент / Контрагент",
    "type": "Тип (Звонок, Встреча, ...)",
    "occurred_at": "Дата начала / Срок / Дата",
    "created": "Дата создания",
    "stage": "Этап сделки / Стадия сделки / Статус",
    "outcome": "Этап сделки / Стадия сделки",
    "date": "Период / Дата / Дата документа",
    "amount": "Сумма / Бюджет / Выручка",
    "topic": "Тема",
}


@dataclass
class _Stats:
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rejected: int = 0
    unparseable: int = 0


def _roles_given(plan: _Plan) -> bool:
    """True when the sheet's ``role`` comes from the client: a column of the sheet or the
    mapping rule's constant / default / join (not the table default ``manager``)."""
    if "role" in plan.columns.values():
        return True
    rule = plan.rule
    if rule is None:
        return False
    return (
        "role" in rule.constants
        or "role" in rule.defaults
        or any("role" in j.take for j in rule.joins)
    )


@dataclass
class _Plan:
    """How one sheet is to be read."""

    sheet: RawSheet
    table: str
    columns: dict[str, str]
    labels: dict[str, dict[str, str]]
    date_format: str | None
    defaults: dict[str, str]
    origin: str
    currency: str = "RUB"
    #: number and date conventions of the preset (English CRMs: "." and month first)
    decimal: str | None = None
    dayfirst: bool = True
    #: the mapping rule of the sheet (constants, defaults, joins) and its joined files
    rule: FileRule | None = None
    lookups: tuple[Lookup | None, ...] = ()
    #: field -> label patterns (compiled), tried after the exact labels
    patterns: dict[str, tuple] = field(default_factory=dict)


def _label_map(*maps: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in maps:
        for k, v in (m or {}).items():
            out[normalize_label(k)] = v
    return out


def _merge_labels(
    table: str,
    preset: Preset | None,
    mapping: ClientMapping,
    rule: FileRule | None,
) -> dict[str, dict[str, str]]:
    fields = set(LABEL_FIELDS.get(table, ())) | ({"stage"} if table == "deals" else set())
    if preset is None and table == "leads":  # a mapped leads file: the usual lead statuses
        preset = PRESETS["crm_leads"]
    out = {}
    for f in fields:
        codes = ALLOWED.get(table, {}).get("outcome" if f == "stage" else f, ())
        out[f] = _label_map(
            {c: c for c in codes},
            (preset.labels.get(f) if preset else None),
            mapping.labels_for(table, f),
            (rule.labels.get(f) if rule else None),
        )
    return out


def _merge_patterns(
    table: str, mapping: ClientMapping, rule: FileRule | None, preset: Preset | None = None
) -> dict[str, tuple]:
    """Label patterns per field: the file rule's first, then the global ones, then the preset's
    (first match wins)."""
    fields = set(LABEL_FIELDS.get(table, ())) | ({"stage"} if table == "deals" else set())
    out = {}
    for f in fields:
        found = compiled_patterns(
            rule.patterns.get(f, ()) if rule else (),
            mapping.patterns_for(table, f),
            preset.patterns.get(f, ()) if preset else (),
        )
        if found:
            out[f] = found
    return out


def _reheader(sheet: RawSheet, header_row: int) -> RawSheet | None:
    """The sheet re-read with the header at source row ``header_row`` (must be a data row)."""
    if header_row == sheet.header_row:
        return sheet
    if header_row not in sheet.rows:
        return None
    pos = sheet.rows.index(header_row)
    heads = []
    seen: dict[str, int] = {}
    for v in sheet.frame.iloc[pos].tolist():
        h = "" if v is None else str(v).strip()
        seen[h] = seen.get(h, 0) + 1
        heads.append(h if seen[h] == 1 else f"{h}.{seen[h]}")
    frame = sheet.frame.iloc[pos + 1 :].copy()
    frame.columns = heads
    return RawSheet(
        file=sheet.file,
        sheet=sheet.sheet,
        frame=frame.reset_index(drop=True),
        rows=list(sheet.rows[pos + 1 :]),
        header_row=header_row,
        meta=dict(sheet.meta),
        dropped=list(sheet.dropped),
    )


def _plan_sheet(
    sheet: RawSheet,
    rule: FileRule | None,
    mapping: ClientMapping,
    lookups: tuple[Lookup | None, ...] = (),
) -> tuple[_Plan | str | None, list[dict]]:
    """Decide how to read a sheet: a :class:`_Plan`, ``'plans'``, or ``None`` (unrecognised)."""
    issues: list[dict] = []
    if rule is not None and rule.table == "plans":
        return "plans", issues
    preset: Preset | None = None
    if rule is not None:
        if rule.preset:
            preset = PRESETS[rule.preset]
        else:
            detected = detect_preset(sheet)
            preset = detected if detected is not None and detected.table == rule.table else None
        table = rule.table
    else:
        preset = detect_preset(sheet)
        if preset is None:
            return ("plans" if looks_like_plan(sheet) else None), issues
        table = preset.table
    columns = dict(preset.match_headers(sheet.frame.columns)) if preset else {}
    if rule is not None and rule.columns:
        by_norm = {normalize_label(k): v for k, v in rule.columns.items()}
        for header in sheet.frame.columns:
            key = normalize_label(base_header(header))
            if header in rule.columns:
                target = rule.columns[header]
            elif key in by_norm:
                target = by_norm[key]
            else:
                continue
            if target is None:
                columns.pop(header, None)
            else:
                columns[header] = target
        missing = [h for h in rule.columns if normalize_label(h) not in _norm_headers(sheet)]
        for h in missing:
            issues.append(
                issue(
                    "warning",
                    "bad_mapping",
                    f"mapping.yaml names column {h!r}, which this sheet does not have",
                    table=table,
                    file=sheet.file,
                    column=h,
                )
            )
    defaults = {**TABLE_DEFAULTS.get(table, {}), **(dict(preset.defaults) if preset else {})}
    if table == "activities":  # no result column: results not exported, whatever a preset says
        defaults["result"] = RESULT_NOT_EXPORTED
    # a 1C report without a date per row: dated from its documents or its «Период» line (see
    # _undated_sales); the marker only tells that the field is filled
    if (
        table == "sales"
        and "date" not in columns.values()
        and "date" not in defaults
        and ("_document" in columns.values() or parse_period(sheet.meta.get("period")))
    ):
        defaults["date"] = DATE_FROM_REPORT
    return (
        _Plan(
            sheet=sheet,
            table=table,
            columns={
                h: f for h, f in columns.items() if not f.startswith("_") or f in PRIVATE_READ
            },
            labels=_merge_labels(table, preset, mapping, rule),
            date_format=(rule.date_format if rule and rule.date_format else None)
            or (preset.date_format if preset else None),
            defaults=defaults,
            origin="mapping" if rule is not None else (preset.name if preset else "?"),
            currency=mapping.currency,
            decimal=preset.decimal if preset else None,
            dayfirst=preset.dayfirst if preset else True,
            rule=rule,
            lookups=lookups,
            patterns=_merge_patterns(table, mapping, rule, preset),
        ),
        issues,
    )


def _describe(
    sheet: RawSheet, rule: FileRule | None, plan: _Plan | str | None, *, lookup: bool = False
) -> dict:
    """The per-sheet record of the quality report (see :func:`describe_sheet`); ``lookup``: an
    otherwise unrecognised sheet read as a ``join:`` lookup of mapping.yaml."""
    if not isinstance(plan, _Plan):
        return describe_sheet(
            sheet, rule, table=plan, origin="lookup" if lookup and plan is None else None
        )
    mapped = set(plan.columns.values())
    # fields the mapping rule fills without a column of this sheet (constants, defaults, joins)
    filled = [*rule.constants, *rule.defaults] if rule is not None else []
    filled += [f for j in rule.joins for f in j.take] if rule is not None else []
    fields = set(COLUMNS[plan.table]) | {"manager_name", "client_name"}
    return describe_sheet(
        sheet,
        rule,
        table=plan.table,
        columns=plan.columns,
        defaults=list(
            dict.fromkeys(
                [f for f in plan.defaults if f not in mapped]
                + [f for f in filled if f in fields and f not in mapped]
            )
        ),
    )


#: the ``defaults`` marker of a sales sheet dated from its report period or documents
DATE_FROM_REPORT = "report period / document"
#: private source fields (see :class:`~salesaudit.model.presets.Preset`) that are read
PRIVATE_READ = (
    "_subject",
    "_currency",
    "_close_date",
    "_document",
    "_closed_flag",
    "_modified",
)
#: a 1C document's date in its name: «Реализация товаров и услуг УТ-00012 от 12.03.2025 10:15:00»
_DOCUMENT_DATE = (
    r"\bот\s+([0-9]{1,2}\.[0-9]{1,2}\.[0-9]{2,4}(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?)"
)


def _undated_sales(
    out: pd.DataFrame,
    plan: _Plan,
    period: tuple[pd.Timestamp, pd.Timestamp] | None,
    src_rows: pd.Series,
) -> tuple[pd.Series, list[dict]]:
    """Dates of sales lines from a report without a date column: the date in the name of the
    line's document (``... от 12.03.2025``) when there is one, else the first day of the
    report period (the «Период:» line above the table). Each choice is reported."""
    sheet = plan.sheet
    dates = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    issues: list[dict] = []
    if "_document" in out:
        found = out["_document"].astype(object).str.extract(_DOCUMENT_DATE, expand=False)
        parsed, _ = parse_dates(found.astype(object).where(found.notna(), None))
        dates = parsed.astype("datetime64[ns]")
        n_doc = int(dates.notna().sum())
        if n_doc:
            issues.append(
                issue(
                    "info",
                    "assumed_value",
                    f"no date column: {n_doc} row(s) dated by their document "
                    "(the date after 'от' in its name)",
                    table=plan.table,
                    file=sheet.file,
                    column="date",
                )
            )
    left = dates.isna()
    if period is not None and left.any():
        start, end = period
        dates = dates.where(~left, start)
        issues.append(
            issue(
                "warning",
                "period_date",
                f"no date per row: {int(left.sum())} row(s) dated {start:%d.%m.%Y}, the first "
                f"day of the report period {start:%d.%m.%Y}-{end:%d.%m.%Y} (the 'Период' line); "
                "totals over the period are right, month-by-month figures are not -> export "
                "the report with a Период or Документ grouping to date each row",
                table=plan.table,
                file=sheet.file,
                row=int(src_rows[left].min()),
                column="date",
                value=str(sheet.meta.get("period")),
            )
        )
    return dates, issues


def _split_close_date(out: pd.DataFrame, plan: _Plan, column: str) -> list[dict]:
    """HubSpot's and Salesforce's «Close Date»: the close date of won and lost deals, the
    expected close date of open ones (``out`` is changed in place; it is our own frame)."""
    close = out.pop("_close_date")
    done = out["outcome"].isin(["won", "lost"]) if "outcome" in out else close.isna() & False
    closed = close.where(done)
    expected = close.where(~done)
    out["closed"] = out["closed"].fillna(closed) if "closed" in out else closed
    if "expected_close" in out:
        out["expected_close"] = out["expected_close"].fillna(expected)
    else:
        out["expected_close"] = expected
    n_closed, n_open = int(closed.notna().sum()), int(expected.notna().sum())
    return [
        issue(
            "info",
            "assumed_value",
            f"{column!r} read as the close date of {n_closed} won/lost deal(s) and as the "
            f"expected close date of {n_open} open deal(s)",
            table=plan.table,
            file=plan.sheet.file,
            column=column,
        )
    ]


def _norm_headers(sheet: RawSheet) -> set[str]:
    heads = {normalize_label(h) for h in sheet.frame.columns}
    return heads | {normalize_label(base_header(h)) for h in sheet.frame.columns}


def _clean_text(s: pd.Series) -> pd.Series:
    """Text cells stripped; empty and blank cells become ``None``."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)  # work once per distinct value
    cleaned = np.array([str(v).strip() or None for v in uniques] + [None], dtype=object)
    return pd.Series(cleaned[codes], index=s.index, dtype=object)


#: fields whose repeated source columns are several values of one record (amoCRM repeats
#: «Товар»): they are joined with "; ". Any other repeated field keeps its first non-empty value.
MULTI_VALUE_FIELDS = frozenset({"product", "brand", "comment"})


def _first_of_repeated(
    parts: list[pd.Series],
    headers: list[str],
    src_rows: pd.Series,
    *,
    table: str,
    file: str,
    field_name: str,
) -> tuple[pd.Series, pd.DataFrame]:
    """One value from a field's repeated columns: the first non-empty one. Rows where the
    columns disagree (e.g. two different names under «Ответственный») are reported, because
    joining them would invent a person or a label that exists nowhere."""
    block = pd.concat(parts, axis=1, ignore_index=True)
    first = block.bfill(axis=1).iloc[:, 0].astype(object)
    distinct = block.apply(lambda r: len({v for v in r if v is not None}), axis=1)
    conflict = distinct.gt(1)
    if not conflict.any():
        return first, issues_frame()
    values = block.loc[conflict].apply(
        lambda r: " | ".join(dict.fromkeys(v for v in r if v is not None)), axis=1
    )
    found = issue_rows(
        "warning",
        "conflicting_columns",
        f"{field_name}: repeated columns disagree; the first value is used",
        table=table,
        file=file,
        rows=src_rows[conflict].to_numpy(),
        column=" / ".join(headers),
        value=values.to_numpy(),
    )
    return first, found


def _bad_cells(
    bad: pd.Series,
    raw: pd.Series,
    src_rows: pd.Series,
    *,
    table: str,
    file: str,
    column: str,
    what: str,
) -> pd.DataFrame:
    if not bad.any():
        return issues_frame()
    return issue_rows(
        "warning",
        "unparseable_value",
        f"not {what}; the cell is left empty",
        table=table,
        file=file,
        rows=src_rows[bad].to_numpy(),
        column=column,
        value=raw[bad].astype(str).to_numpy(),
    )


def _translate(
    values: pd.Series,
    labels: Mapping[str, str],
    *,
    table: str,
    field_name: str,
    column: str,
    file: str,
    src_rows: pd.Series,
    fallback: str | None,
    free: bool,
    patterns: tuple = (),
) -> tuple[pd.Series, list[dict]]:
    """Map labels to codes on distinct values (exact labels first, then the mapping's patterns
    in order); report unknown labels once per label, with their row count."""
    uniq = pd.unique(values[values.notna()])
    mapped = {v: labels.get(normalize_label(v)) or match_pattern(v, patterns) for v in uniq}
    codes = values.map(mapped).astype(object)
    unknown = values.notna() & codes.isna()
    issues = []
    if unknown.any():
        bad_vals = values[unknown]
        firsts = src_rows[unknown].groupby(bad_vals.to_numpy()).min()
        counts = bad_vals.value_counts()
        if fallback is not None:
            treatment = f"counted as {fallback!r}"
        elif free:
            treatment = "kept as written"
        else:
            treatment = "these rows are rejected"
        for label, count in counts.items():
            issues.append(
                issue(
                    "warning",
                    "unknown_label",
                    f"{field_name}: label not known in {int(count)} row(s); {treatment}; "
                    f"add it to mapping.yaml labels.{field_name}",
                    table=table,
                    file=file,
                    row=int(firsts[label]),
                    column=column,
                    value=label,
                )
            )
        if fallback is not None:
            codes = codes.where(~unknown, fallback)
        else:
            codes = codes.where(~unknown, values)
    return codes.where(codes.notna(), None), issues


#: spellings of the same currency in exports
_CURRENCY_ALIASES = {
    "RUB": {"rub", "rur", "руб", "руб.", "рубль", "рубли", "₽", "российский рубль"},
    "USD": {"usd", "$", "доллар сша", "доллар"},
    "EUR": {"eur", "€", "евро"},
    "KZT": {"kzt", "₸", "тенге", "тг", "тг."},
    "BYN": {"byn", "byr", "br", "бел. руб.", "бел. руб", "белорусский рубль"},
    "UAH": {"uah", "₴", "грн", "грн.", "гривна"},
}


def _currency_issues(
    values: pd.Series, src_rows: pd.Series, plan: _Plan, column: str
) -> list[dict]:
    """Warn once per other currency found in a currency column (amounts are not converted)."""
    own = _CURRENCY_ALIASES.get(plan.currency, set()) | {plan.currency.casefold()}
    folded = values.map(lambda v: None if v is None else normalize_label(v))
    other = folded.notna() & ~folded.isin(own)
    out = []
    for label, count in values[other].value_counts().items():
        first = int(src_rows[other & (values == label)].min())
        out.append(
            issue(
                "warning",
                "other_currency",
                f"{int(count)} record(s) in {label!r}, not {plan.currency}: amounts are taken "
                "as they are, not converted",
                table=plan.table,
                file=plan.sheet.file,
                row=first,
                column=column,
                value=label,
            )
        )
    return out


def _results_not_exported(n: int, headers: Sequence[str], table: str, file: str) -> dict:
    """The warning for a result column blank in every row: the results are taken as not
    exported (``unknown``), not as "done without a result"."""
    return issue(
        "warning",
        "assumed_value",
        f"the result column {', '.join(map(repr, headers))} is empty in all {n} row(s): "
        f"results are taken as not exported ({RESULT_NOT_EXPORTED!r}) and the share of "
        "activities with a result is not assessed -> if managers really record no results, "
        "the interview should say so",
        table=table,
        file=file,
        column=headers[0],
        value=RESULT_NOT_EXPORTED,
    )


def _read_sheet(plan: _Plan) -> tuple[pd.DataFrame | None, list, int, int]:
    """Map, parse and translate one sheet. Returns (frame of source fields or None when the
    sheet is rejected, issues, unparseable cell count, rows read)."""
    sheet, table = plan.sheet, plan.table
    frame = sheet.frame
    n = len(frame)
    src_rows = pd.Series(list(sheet.rows), index=frame.index, dtype="int64")
    issues: list = []
    by_field: dict[str, list[str]] = {}
    for header, f in plan.columns.items():
        by_field.setdefault(f, []).append(header)
    if plan.rule is not None and (plan.rule.constants or plan.rule.defaults or plan.rule.joins):
        frame, by_field, found = apply_fills(
            frame,
            by_field,
            src_rows,
            rule=plan.rule,
            lookups=plan.lookups,
            table=table,
            file=sheet.file,
        )
        issues += found
    present = set(by_field)
    period = None
    if table == "sales" and "date" not in present:  # 1C reports without a date per row
        period = parse_period(sheet.meta.get("period"))
        if period is not None or "_document" in present:
            present.add("date")
    missing = [alts for alts in REQUIRED_SOURCE.get(table, ()) if not present & set(alts)]
    missing = [alts for alts in missing if not all(a in plan.defaults for a in alts)]
    if missing:
        for alts in missing:
            f = alts[0]
            issues.append(
                issue(
                    "error",
                    "missing_column",
                    f"the sheet is read as {table!r} but has no column for {f!r} "
                    f"({FIELD_HINTS.get(f, f)}); all {n} rows rejected",
                    table=table,
                    file=sheet.file,
                    row=sheet.header_row,
                    column=f,
                    value=", ".join(str(c) for c in frame.columns)[:200],
                )
            )
        issues[-1]["message"] += " -> add the column to the export or map it in mapping.yaml"
        return None, issues, 0, n

    dtypes = dict(COLUMNS[table])
    out = pd.DataFrame(index=frame.index)
    unparseable = 0
    for f, headers in by_field.items():
        dtype = dtypes.get(f, "datetime64[ns]" if f in ("_close_date", "_modified") else "str")
        if dtype.startswith("datetime") or dtype == "float64":
            is_date = dtype.startswith("datetime")
            merged = None
            for h in headers:
                if is_date:
                    vals, bad = parse_dates(frame[h], fmt=plan.date_format, dayfirst=plan.dayfirst)
                else:
                    vals, bad = parse_numbers(frame[h], decimal=plan.decimal)
                unparseable += int(bad.sum())
                issues.append(
                    _bad_cells(
                        bad,
                        frame[h],
                        src_rows,
                        table=table,
                        file=sheet.file,
                        column=h,
                        what="a date" if is_date else "a number",
                    )
                )
                # a repeated header (amoCRM repeats some): the first non-empty value wins
                merged = vals if merged is None else merged.fillna(vals)
            out[f] = merged
        else:
            parts = [_clean_text(frame[h]) for h in headers]
            if len(parts) == 1:
                out[f] = parts[0]
            elif f in MULTI_VALUE_FIELDS:
                joined = pd.concat(parts, axis=1).apply(
                    lambda r: "; ".join(dict.fromkeys(v for v in r if v is not None)) or None,
                    axis=1,
                )
                out[f] = joined.astype(object)
            else:
                out[f], found = _first_of_repeated(
                    parts, headers, src_rows, table=table, file=sheet.file, field_name=f
                )
                issues.append(found)
    if table == "deals" and "outcome" in by_field:  # Pipedrive's status 'deleted'
        out, src_rows, found = drop_deleted_deals(
            out, src_rows, table=table, file=sheet.file, column=by_field["outcome"][0]
        )
        issues += found
    if table == "deals":  # Bitrix24: one row per product of a deal
        out, src_rows, found = merge_product_rows(out, src_rows, table=table, file=sheet.file)
        issues += found
    if "_currency" in out:
        issues += _currency_issues(out.pop("_currency"), src_rows, plan, by_field["_currency"][0])
    if table == "sales" and "date" not in out:
        out["date"], found = _undated_sales(out, plan, period, src_rows)
        issues += found
    out = out.drop(columns=["_document"], errors="ignore")
    if "_subject" in out:
        subject = out.pop("_subject")
        out["comment"] = out["comment"].fillna(subject) if "comment" in out else subject
    for f, value in plan.defaults.items():
        if f not in out:
            out[f] = value
            issues.append(
                issue(
                    "info",
                    "assumed_value",
                    f"no column for {f!r}: every row set to {value!r}",
                    table=table,
                    file=sheet.file,
                    column=f,
                    value=value,
                )
            )
    if table == "activities" and "result" in by_field and len(out) and out["result"].isna().all():
        out["result"] = RESULT_NOT_EXPORTED
        issues.append(_results_not_exported(len(out), by_field["result"], table, sheet.file))
    elif table == "activities" and "result" in out:  # some results filled: a blank is "none"
        out["result"] = out["result"].where(out["result"].notna(), "none")
    # deals: the outcome comes from the stage unless the source has an outcome column
    if table == "deals" and "outcome" not in by_field and "stage" in out:
        codes, found = _translate(
            out["stage"],
            plan.labels.get("stage", {}),
            table=table,
            field_name="stage",
            column=by_field["stage"][0],
            file=sheet.file,
            src_rows=src_rows,
            fallback="open",
            free=False,
            patterns=plan.patterns.get("stage", ()),
        )
        out["outcome"] = codes
        issues += found
    if "_close_date" in out and "outcome" not in by_field:
        issues += _split_close_date(out, plan, by_field["_close_date"][0])
    raw_result = out["result"] if table == "activities" and "result" in by_field else None
    for f in LABEL_FIELDS.get(table, ()):
        if f not in out or (table == "deals" and f == "outcome" and "outcome" not in by_field):
            continue
        if f in OPTIONAL_LABEL_FIELDS and not (set(plan.labels.get(f, {})) or plan.patterns.get(f)):
            continue
        codes, found = _translate(
            out[f],
            plan.labels.get(f, {}),
            table=table,
            field_name=f,
            column=(by_field.get(f) or [f])[0],
            file=sheet.file,
            src_rows=src_rows,
            fallback=LABEL_FALLBACKS.get((table, f)),
            free=f in FREE_LABEL_FIELDS.get(table, ()) or f in OPTIONAL_LABEL_FIELDS,
            patterns=plan.patterns.get(f, ()),
        )
        out[f] = codes
        issues += found
    if "_close_date" in out:  # an outcome column (translated just above) decides
        issues += _split_close_date(out, plan, by_field["_close_date"][0])
    if table == "deals":  # Bitrix24's «Сделка закрыта» and «Дата изменения»
        out, found = finish_deals(out, src_rows, table=table, file=sheet.file, headers=by_field)
        issues += found
    if raw_result is not None:  # free-text results: the words stay in the comment
        out = keep_free_results(
            out, raw_result, plan.labels.get("result", {}), column=by_field["result"][0]
        )
    for (t, f), fallback in LABEL_FALLBACKS.items():
        if t == table and f in out and f != "outcome":  # an empty role / pay / result
            out[f] = out[f].where(out[f].notna(), fallback)
    if table == "leads":
        out, found = finish_leads(out, src_rows, sheet.file)
        issues += found
    id_col = GENERATED_IDS.get(table)
    if id_col is not None:
        stem = PurePosixPath(str(sheet.file).replace("\\", "/")).stem
        generated = stem + ":" + src_rows.astype(str)
        out[id_col] = out[id_col].fillna(generated) if id_col in out else generated
    out["src_file"] = sheet.file
    out["src_row"] = src_rows
    return out.reset_index(drop=True), issues, unparseable, n


def _flatten(items: Sequence[dict | pd.DataFrame]) -> pd.DataFrame:
    """Issue dicts and issue frames, in order, as one issues frame."""
    parts: list[pd.DataFrame | list[dict]] = []
    run: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            run.append(item)
            continue
        if run:
            parts.append(run)
            run = []
        parts.append(item)
    if run:
        parts.append(run)
    return concat_issues(parts)


def _as_of(meta: Mapping[str, Any]) -> pd.Timestamp:
    value = meta.get("as_of")
    if value is None:
        return pd.Timestamp.today().normalize()
    if isinstance(value, date | datetime | pd.Timestamp):
        return pd.Timestamp(value).normalize()
    return pd.Timestamp(str(value)).normalize()


def _manager_pairs(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for table, df in frames.items():
        if table != "managers" and "manager_name" in df:
            parts.append(
                df.loc[df["manager_name"].notna(), ["src_file", "manager_name"]].drop_duplicates()
            )
    if not parts:
        return pd.DataFrame(columns=["source_file", "source_label"])
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates()
    return pairs.rename(columns={"src_file": "source_file", "manager_name": "source_label"})


def _client_pairs(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    plans = frames.get("plans")
    if plans is not None and len(plans):
        by_client = plans[(plans["dimension"] == "client") & plans["dimension_value"].notna()]
        parts.append(
            by_client[["src_file", "dimension_value"]]
            .rename(columns={"dimension_value": "client_name"})
            .drop_duplicates()
        )
    for table, df in frames.items():
        if table != "clients" and "client_name" in df:
            parts.append(
                df.loc[df["client_name"].notna(), ["src_file", "client_name"]].drop_duplicates()
            )
    if not parts:
        return pd.DataFrame(columns=["source_file", "source_label"])
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates()
    return pairs.rename(columns={"src_file": "source_file", "client_name": "source_label"})


def _match_issues(res: Resolution, what: str, table_of_master: str) -> list[dict]:
    out = []
    for r in res.matches.itertuples(index=False):
        if r.status == "ambiguous":
            out.append(
                issue(
                    "warning",
                    "ambiguous_match",
                    f"{what} {r.source_label!r} fits several {what}s; its records get no "
                    f"{what} — name the right one in mapping.yaml {what}s:",
                    table=table_of_master,
                    file=r.source_file,
                    value=r.source_label,
                )
            )
        elif r.status == "new":
            out.append(
                issue(
                    "warning",
                    "new_name",
                    f"{what} {r.source_label!r} is not in the {table_of_master} list; added as a "
                    f"new {what}",
                    table=table_of_master,
                    file=r.source_file,
                    value=r.source_label,
                )
            )
    return out


def _dedupe_master(df: pd.DataFrame, table: str, column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the first row of each name; the rest are duplicates (returned separately)."""
    key = df[column].map(lambda v: normalize_label(v) if v is not None else None)
    dup = key.notna() & key.duplicated(keep="first")
    return df[~dup].reset_index(drop=True), df[dup].reset_index(drop=True)


def _conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns in canonical order and dtype (plus src_file / src_row)."""
    out = {}
    n = len(df)
    for name, dt in {**COLUMNS[table], "src_file": "str", "src_row": "Int64"}.items():
        s = df[name] if name in df else pd.Series([None] * n, index=df.index, dtype=object)
        if dt == "str":
            s = s.astype(object).where(s.notna(), None)
        elif dt.startswith("datetime"):
            if not pd.api.types.is_datetime64_dtype(s.dtype):
                s = pd.to_datetime(s)
            s = s.astype("datetime64[ns]")
        elif dt == "Int64":
            s = pd.to_numeric(s).astype("Int64")
        else:
            s = pd.to_numeric(s).astype(dt)
        out[name] = s
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def _reject_frame(
    df: pd.DataFrame,
    mask: pd.Series | np.ndarray,
    table: str,
    column: str,
    message: pd.Series | str,
    value: pd.Series | None,
) -> pd.DataFrame:
    mask = np.asarray(mask, dtype=bool)
    n = int(mask.sum())
    if not n:
        return issues_frame()
    msg = message[mask].to_numpy() if isinstance(message, pd.Series) else [message] * n
    val = value[mask].astype(object).to_numpy() if value is not None else [None] * n
    return issue_rows(
        "error",
        "rejected_row",
        msg,
        table=table,
        file=df["src_file"].to_numpy()[mask],
        rows=df["src_row"].to_numpy()[mask],
        column=column,
        value=[
            None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in val
        ],
    )


def _finalize(
    table: str, df: pd.DataFrame, names: pd.DataFrame
) -> tuple[pd.DataFrame, list[pd.DataFrame], int, int]:
    """Validate a table: returns (accepted rows, issue frames, rejected count, duplicate count).

    ``names`` holds the source labels (manager_name / client_name) aligned with ``df`` for
    clearer rejection messages."""
    issues: list[pd.DataFrame] = []
    rejected = pd.Series(False, index=df.index)
    for col in REQUIRED[table]:
        empty = df[col].isna() & ~rejected
        if not empty.any():
            continue
        message = pd.Series(f"{col} is empty; the record cannot be used", index=df.index)
        value = None
        if col == "manager_id" and "manager_name" in names:
            label = names["manager_name"]
            message = message.where(
                label.isna(),
                "manager " + label.astype(str) + " could not be matched unambiguously; "
                "name the right one in mapping.yaml managers:",
            )
            message = message.where(label.notna(), "no manager named in the record")
            value = label
        issues.append(_reject_frame(df, empty, table, col, message, value))
        rejected |= empty
    key = KEYS[table]
    dup_cols = [key] if key else ["period", "manager_id", "dimension", "dimension_value", "metric"]
    candidates = df[~rejected]
    dup = candidates.duplicated(dup_cols, keep="first").reindex(df.index, fill_value=False)
    if dup.any():
        first_row = candidates.drop_duplicates(dup_cols, keep="first")
        lookup = dict(zip(first_row[dup_cols[0]], first_row["src_row"])) if key else {}
        issues.append(
            issue_rows(
                "warning",
                "duplicate",
                [
                    f"duplicate of the record in row {lookup.get(v, '?')}; dropped"
                    if key
                    else "same plan given twice; the first one is kept"
                    for v in df.loc[dup, dup_cols[0]]
                ],
                table=table,
                file=df.loc[dup, "src_file"].to_numpy(),
                rows=df.loc[dup, "src_row"].to_numpy(),
                column=key or "period",
                value=df.loc[dup, dup_cols[0]].astype(str).to_numpy(),
            )
        )
    keep = df[~rejected & ~dup]
    try:
        schema(table).validate(keep, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        with_index = (
            cases[cases["index"].notna()]
            .drop_duplicates("index", keep="first")
            .sort_values("index", kind="stable")
        )
        bad = pd.Series(False, index=df.index)
        idx = with_index["index"].astype("int64").to_numpy()
        bad.loc[idx] = True
        if len(idx):
            allowed = ALLOWED.get(table, {})
            columns = with_index["column"].astype(str).to_numpy()
            messages = [
                f"{c}: value not allowed (allowed: {', '.join(allowed[c])}); the record is rejected"
                if c in allowed
                else f"{c}: value does not fit ({chk}); the record is rejected"
                for c, chk in zip(columns, with_index["check"].astype(str))
            ]
            issues.append(
                issues_frame(
                    pd.DataFrame(
                        {
                            "severity": "error",
                            "table": table,
                            "file": df.loc[idx, "src_file"].to_numpy(),
                            "row": df.loc[idx, "src_row"].to_numpy(),
                            "column": columns,
                            "kind": "rejected_row",
                            "message": messages,
                            "value": with_index["failure_case"].astype(str).to_numpy(),
                        }
                    )
                )
            )
        if len(with_index) < len(cases):
            issues.append(
                issues_frame(
                    [
                        issue(
                            "error",
                            "rejected_row",
                            f"table does not fit the model: {cases[cases['index'].isna()]['check'].tolist()}",
                            table=table,
                        )
                    ]
                )
            )
            bad[:] = True
        rejected |= bad
    accepted = df[~rejected & ~dup].reset_index(drop=True)
    return accepted, issues, int(rejected.sum()), int(dup.sum())


def validate_table(table: str, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a canonical table against its schema without raising.

    Returns ``(accepted, issues)``: the rows that fit (REQUIRED filled, ALLOWED values, first
    copy of each key) and an issues frame (``rejected_row`` / ``duplicate``) naming the
    source file and row of every other row. ``df`` is not modified.
    """
    if table not in COLUMNS:
        raise KeyError(f"unknown canonical table {table!r}; known: {', '.join(TABLES)}")
    canon = _conform(table, df)
    accepted, found, _rejected, _dups = _finalize(table, canon, pd.DataFrame(index=canon.index))
    return accepted, concat_issues(found)


def _table_stats(
    table: str, df: pd.DataFrame, stats: _Stats, rejected: int, dups: int, as_of: pd.Timestamp
) -> tuple[dict, list[pd.DataFrame]]:
    issues: list[pd.DataFrame] = []
    dates = df[MAIN_DATE[table]] if len(df) else pd.Series([], dtype="datetime64[ns]")
    future_mask = pd.Series(False, index=df.index)
    if table in ("activities", "deals", "sales", "trainings", "leads") and len(df):
        future_mask = dates > as_of + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
        if table == "activities":
            future_mask &= df["status"] != "planned"
    if future_mask.any():
        issues.append(
            issue_rows(
                "warning",
                "future_date",
                f"date after {as_of:%d.%m.%Y} (the audit date)",
                table=table,
                file=df.loc[future_mask, "src_file"].to_numpy(),
                rows=df.loc[future_mask, "src_row"].to_numpy(),
                column=MAIN_DATE[table],
                value=dates[future_mask].dt.strftime("%d.%m.%Y").to_numpy(),
            )
        )
    amount_col = {"deals": "amount", "sales": "amount", "plans": "value"}.get(table)
    negative = (df[amount_col] < 0) if amount_col and len(df) else pd.Series(False, index=df.index)
    if negative.any():
        issues.append(
            issue_rows(
                "warning",
                "negative_amount",
                "negative amount (a return or a correction?)",
                table=table,
                file=df.loc[negative, "src_file"].to_numpy(),
                rows=df.loc[negative, "src_row"].to_numpy(),
                column=amount_col,
                value=df.loc[negative, amount_col].astype(str).to_numpy(),
            )
        )
    counts = {}
    for col, kind in (("manager_id", "no_manager"), ("client_id", "no_client")):
        if (
            col not in df
            or table in ("managers", "trainings")
            or (table == "clients" and col == "client_id")
        ):
            counts[kind] = 0
            continue
        if table == "plans" and col == "client_id":
            counts[kind] = 0
            continue
        missing = df[col].isna()
        if table == "clients":  # clients created from names in the sources have no manager
            missing &= df["src_file"].notna()
        counts[kind] = int(missing.sum())
        if table == "plans":
            continue  # an empty manager in plans means the whole department
        for file, part in df[missing].groupby("src_file", sort=False):
            issues.append(
                issues_frame(
                    [
                        issue(
                            "info" if table == "clients" else "warning",
                            kind,
                            f"{len(part)} record(s) without a {col.removesuffix('_id')}"
                            f" (first in row {int(part['src_row'].min())})",
                            table=table,
                            file=str(file),
                            row=int(part["src_row"].min()),
                            column=col,
                            value=len(part),
                        )
                    ]
                )
            )
    row = {
        "table": table,
        "files": ", ".join(dict.fromkeys(stats.files)),
        "rows_read": stats.rows_read,
        "accepted": len(df),
        "rejected": stats.rejected + rejected,
        "duplicates": dups,
        "unparseable_cells": stats.unparseable,
        "date_min": dates.min() if len(dates) else pd.NaT,
        "date_max": dates.max() if len(dates) else pd.NaT,
        "no_manager": counts["no_manager"],
        "no_client": counts["no_client"],
        "future_dates": int(future_mask.sum()),
        "negative_amounts": int(negative.sum()),
    }
    return row, issues


def build_dataset(
    sheets: Sequence[RawSheet],
    mapping: Mapping[str, Any] | ClientMapping | None = None,
    *,
    meta: Mapping[str, Any] | None = None,
) -> tuple[Dataset, QualityReport]:
    """Turn raw sheets into the canonical :class:`Dataset` and its :class:`QualityReport`.

    ``mapping`` is the parsed ``mapping.yaml`` (validated here; a :class:`MappingError` lists
    every problem) or a :class:`ClientMapping`. ``meta`` is copied into ``Dataset.meta``;
    ``meta['as_of']`` (date) is the audit date for the future-date check (default: today).
    ``Dataset.meta['report_periods']`` lists the periods (``file``, ``table``, ``start``,
    ``end``) of reports whose lines were dated from their «Период» line: the data covers them.
    Never raises on bad data: problems end up in the report.
    """
    cmap = parse_mapping(mapping) if not isinstance(mapping, ClientMapping) else mapping
    meta = dict(meta or {})
    #: periods of reports whose lines carry no date of their own (see _undated_sales)
    report_periods: list[dict] = []
    as_of = _as_of(meta)
    issues: list = []
    stats: dict[str, _Stats] = {t: _Stats() for t in TABLES}
    report_currency = str(meta.get("currency") or "").upper()
    if report_currency and report_currency != cmap.currency:
        # report.yaml's currency is the report's; the data is compared with it, never converted
        if cmap.currency_given:
            issues.append(
                issue(
                    "warning",
                    "other_currency",
                    f"mapping.yaml currency {cmap.currency} differs from report.yaml currency "
                    f"{report_currency}: amounts are taken as they are, not converted",
                    value=cmap.currency,
                )
            )
        cmap = dataclasses.replace(cmap, currency=report_currency)
    read: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    plan_groups: list[tuple[FileRule | None, list[RawSheet]]] = []
    used_files: set[str] = set()
    unrecognised: list[RawSheet] = []
    described: list[dict] = []  # what was decided for each sheet (validate's per-file report)
    lookups, found, lookup_files = resolve_lookups(cmap, sheets)
    issues += found

    staff_roles = False
    for sheet in sheets:
        if cmap.ignored(sheet.file):
            issues.append(
                issue("info", "ignored_file", "ignored (mapping.yaml ignore:)", file=sheet.file)
            )
            continue
        rule = cmap.rule_for(sheet.file, sheet.sheet)
        if rule is not None and rule.header_row is not None:
            re_read = _reheader(sheet, rule.header_row)
            if re_read is None:
                issues.append(
                    issue(
                        "error",
                        "bad_mapping",
                        f"header_row {rule.header_row} is not a row of this sheet "
                        f"(the reader found the header in row {sheet.header_row})",
                        table=rule.table,
                        file=sheet.file,
                        row=rule.header_row,
                    )
                )
                continue
            sheet = re_read
        for row, reason in sheet.dropped:
            kind = (
                "total_row"
                if any(w in str(reason).lower() for w in ("итог", "total", "всего"))
                else "dropped_row"
            )
            issues.append(issue("info", kind, str(reason), file=sheet.file, row=int(row)))
        rule_no = next((i for i, r in enumerate(cmap.files) if r is rule), None)
        joined = tuple(
            lookups.get((rule_no, j)) for j in range(len(rule.joins) if rule is not None else 0)
        )
        plan, found = _plan_sheet(sheet, rule, cmap, joined)
        issues += found
        described.append(_describe(sheet, rule, plan, lookup=sheet.file in lookup_files))
        if plan == "plans":
            plan_groups.append((rule, [sheet]))
            used_files.add(sheet.file)
            stats["plans"].files.append(sheet.file)
            continue
        if plan is None:
            unrecognised.append(sheet)
            continue
        assert isinstance(plan, _Plan)
        used_files.add(sheet.file)
        frame, found, bad, n = _read_sheet(plan)
        issues += found
        st = stats[plan.table]
        st.files.append(sheet.file)
        st.rows_read += n
        st.unparseable += bad
        if frame is None:
            st.rejected += n
        else:
            read[plan.table].append(frame)
            if plan.table == "managers" and len(frame) and _roles_given(plan):
                staff_roles = True
            period = parse_period(sheet.meta.get("period"))
            if plan.defaults.get("date") == DATE_FROM_REPORT and period is not None:
                report_periods.append(
                    {
                        "file": sheet.file,
                        "table": plan.table,
                        "start": period[0].date(),
                        "end": period[1].date(),
                    }
                )

    for sheet in unrecognised:
        if sheet.file in lookup_files and sheet.file not in used_files:
            issues.append(
                issue(
                    "info",
                    "unused_sheet",
                    "read only as a lookup (mapping.yaml join)",
                    file=sheet.file,
                    value=sheet.sheet,
                )
            )
        elif len(sheet.frame) == 0 or sheet.file in used_files:
            issues.append(
                issue(
                    "info",
                    "unused_sheet",
                    "sheet not used (empty or not a known table)",
                    file=sheet.file,
                    value=sheet.sheet,
                )
            )
        else:
            heads = headers_for_message(sheet.frame.columns)  # names only, never values
            issues.append(
                issue(
                    "error",
                    "unrecognised_file",
                    f"unrecognised file (headers: {heads}); add it to mapping.yaml "
                    "(files: - match: ..., table: ..., columns: ...)",
                    file=sheet.file,
                    value=sheet.sheet,
                )
            )

    # plans
    plan_rows: list[pd.DataFrame] = []
    acks: list[pd.DataFrame] = []
    for rule, group in plan_groups:
        parsed = parse_plan_sheets(
            group,
            metric=rule.metric if rule else None,
            dimension=rule.dimension if rule else None,
            layout=rule.layout if rule and rule.layout == "long" else None,
            metric_labels={
                **cmap.labels.get("metric", {}),
                **(rule.labels.get("metric", {}) if rule else {}),
            },
        )
        issues += parsed.issues
        stats["plans"].rows_read += len(parsed.plans) + parsed.unparseable
        stats["plans"].unparseable += parsed.unparseable
        if len(parsed.plans):
            plan_rows.append(parsed.plans)
        if len(parsed.acknowledgements):
            acks.append(parsed.acknowledgements)
    frames = {t: pd.concat(read[t], ignore_index=True) for t in TABLES if read[t]}
    if plan_rows:
        frames["plans"] = pd.concat(plan_rows, ignore_index=True)[PLAN_SOURCE_COLUMNS]
    ack_df = pd.concat(acks, ignore_index=True) if acks else pd.DataFrame(columns=ACK_COLUMNS)

    # --- managers ---------------------------------------------------------------------------
    master_m = frames.get("managers")
    dup_m = pd.DataFrame()
    if master_m is not None:
        master_m = master_m[master_m["name"].notna()]
        master_m, dup_m = _dedupe_master(master_m, "managers", "name")
    pairs = _manager_pairs({**frames, "_ack": ack_df})
    res_m = reconcile_managers(
        pairs,
        master=None if master_m is None else master_m["name"].tolist(),
        master_ids=None
        if master_m is None or "manager_id" not in master_m
        else master_m["manager_id"].tolist(),
        overrides=cmap.managers,
    )
    issues += _match_issues(res_m, "manager", "managers")
    name_to_id = dict(zip(res_m.entities["name"], res_m.entities["id"]))
    new_people = res_m.entities[res_m.entities["origin"] == "source"]
    if master_m is not None:
        managers = master_m.copy()
        managers["manager_id"] = managers["name"].map(name_to_id)
        extra = pd.DataFrame(
            {
                "manager_id": new_people["id"],
                "name": new_people["name"],
                "role": "other",
                "pay": "unknown",
                "src_file": None,
                "src_row": None,
            }
        )
        managers = pd.concat([managers, extra], ignore_index=True) if len(extra) else managers
    elif len(new_people):
        managers = pd.DataFrame(
            {
                "manager_id": new_people["id"],
                "name": new_people["name"],
                "role": "manager",
                "pay": "unknown",
                "src_file": None,
                "src_row": None,
            }
        )
        issues.append(
            issue(
                "info",
                "assumed_value",
                f"no managers table: {len(managers)} managers taken from the names in the sources "
                "(role 'manager', pay 'unknown'); give managers.xlsx for roles and pay",
                table="managers",
            )
        )
    else:
        managers = None
    if managers is not None:
        frames["managers"] = manager_fields(frames, managers, res_m.ids)

    def manager_ids(df: pd.DataFrame) -> pd.Series:
        given = (
            df["manager_id"]
            if "manager_id" in df
            else pd.Series(None, index=df.index, dtype=object)
        )
        names = (
            df["manager_name"]
            if "manager_name" in df
            else pd.Series(None, index=df.index, dtype=object)
        )
        return given.where(given.notna(), names.map(res_m.ids)).astype(object)

    # --- clients ----------------------------------------------------------------------------
    master_c = frames.get("clients")
    dup_c = pd.DataFrame()
    if master_c is not None:
        master_c = master_c[master_c["name"].notna()]
        master_c, dup_c = _dedupe_master(master_c, "clients", "name")
    res_c = reconcile_clients(
        _client_pairs(frames),
        master=None if master_c is None else master_c["name"].tolist(),
        master_ids=None
        if master_c is None or "client_id" not in master_c
        else master_c["client_id"].tolist(),
        overrides=cmap.clients,
    )
    issues += _match_issues(res_c, "client", "clients")
    cname_to_id = dict(zip(res_c.entities["name"], res_c.entities["id"]))
    new_clients = res_c.entities[res_c.entities["origin"] == "source"]
    extra_c = pd.DataFrame({"client_id": new_clients["id"], "name": new_clients["name"]})
    if master_c is not None:
        clients = master_c.copy()
        clients["client_id"] = clients["name"].map(cname_to_id)
        clients = pd.concat([clients, extra_c], ignore_index=True) if len(extra_c) else clients
    else:
        clients = extra_c if len(extra_c) else None
    if clients is not None:
        frames["clients"] = clients

    # --- ids into every table ----------------------------------------------------------------
    for table, df in list(frames.items()):
        df = df.copy()
        if "manager_id" in COLUMNS[table] and table != "managers":
            df["manager_id"] = manager_ids(df)
        if "client_id" in COLUMNS[table] and table != "clients":
            given = (
                df["client_id"]
                if "client_id" in df
                else pd.Series(None, index=df.index, dtype=object)
            )
            names = (
                df["client_name"]
                if "client_name" in df
                else pd.Series(None, index=df.index, dtype=object)
            )
            df["client_id"] = given.where(given.notna(), names.map(res_c.ids)).astype(object)
        frames[table] = df
    if "plans" in frames:
        plans = frames["plans"]
        is_client = plans["dimension"] == "client"
        resolved = plans["dimension_value"].map(res_c.ids)
        plans["dimension_value"] = plans["dimension_value"].where(
            ~is_client | resolved.isna(), resolved
        )
    if "plans" in frames and len(ack_df):
        ack = ack_df.assign(manager_id=ack_df["manager_name"].map(res_m.ids))
        frames["plans"] = apply_acknowledgements(frames["plans"], ack)

    # --- validate ---------------------------------------------------------------------------
    result: dict[str, pd.DataFrame | None] = {}
    rows = []
    for table in TABLES:
        if table not in frames and not stats[table].files:
            continue
        df = frames.get(table)
        if df is None:
            df = pd.DataFrame(columns=list(COLUMNS[table]) + ["src_file", "src_row"])
        names = df[[c for c in ("manager_name", "client_name") if c in df]].reset_index(drop=True)
        canon = _conform(table, df)
        accepted, found, rejected, dups = _finalize(table, canon, names)
        if table in ("managers", "clients"):
            key = KEYS[table]
            accepted = accepted.sort_values(key, kind="stable").reset_index(drop=True)
        issues += found
        extra_dups = (
            dup_m if table == "managers" else dup_c if table == "clients" else pd.DataFrame()
        )
        if len(extra_dups):
            issues.append(
                issues_frame(
                    pd.DataFrame(
                        {
                            "severity": "warning",
                            "table": table,
                            "file": extra_dups["src_file"].to_numpy(),
                            "row": extra_dups["src_row"].to_numpy(),
                            "column": "name",
                            "kind": "duplicate",
                            "message": "the same name appears twice in the list; the first row is kept",
                            "value": extra_dups["name"].to_numpy(),
                        }
                    )
                )
            )
            dups += len(extra_dups)
        row, found = _table_stats(table, accepted, stats[table], rejected, dups, as_of)
        issues += found
        rows.append(row)
        result[table] = accepted
    tables = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for period in report_periods:  # lines dated from a «Период»: the table covers all of it
        at = tables.index[tables["table"] == period["table"]]
        for i in at:
            start, end = pd.Timestamp(period["start"]), pd.Timestamp(period["end"])
            low, high = tables.at[i, "date_min"], tables.at[i, "date_max"]
            tables.at[i, "date_min"] = start if pd.isna(low) else min(low, start)
            tables.at[i, "date_max"] = end if pd.isna(high) else max(high, end)
    matches = pd.concat([res_m.matches, res_c.matches], ignore_index=True)
    if matches.empty:
        matches = pd.DataFrame(columns=MATCH_COLUMNS)
    flat = _flatten(issues)
    sheets_df, empty_fields = sheet_summary(described, result, flat)
    report = QualityReport(
        tables=tables, issues=flat, matches=matches, sheets=sheets_df, empty_fields=empty_fields
    )
    meta.setdefault("currency", cmap.currency)
    meta["as_of"] = as_of.date()
    # a staff list whose roles were given (a column, or a mapping constant/default/join): only
    # then can "nobody is head of sales / owner" be told apart from "roles not exported"
    meta["staff_roles"] = staff_roles
    if report_periods:
        meta["report_periods"] = report_periods
    dataset = Dataset(**{t: result.get(t) for t in TABLES}, meta=meta)
    return dataset, report
