"""The canonical data model: the tables every analysis reads (seven core ones plus ``leads``).

Column names, allowed values and dtypes are defined here once; :mod:`pandera` schemas enforce them
lazily, so that every failure case is reported, not just the first. See ``docs/data-model.md``.

Conventions for every table:
- ids are strings (``manager_id``, ``client_id``, ``deal_id``, ``activity_id``, ``sale_id``,
  ``training_id``); datetimes are timezone-naive ``datetime64[ns]``; money is ``float64`` in the
  report currency (roubles unless the mapping says otherwise);
- ``src_file`` / ``src_row`` name the raw file and the 1-based row of the source sheet each record
  came from (row as a spreadsheet program shows it), so that every number can be traced back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pandera.pandas as pa

# --- allowed values -------------------------------------------------------------------------
ROLES = ("manager", "head_of_sales", "owner", "other")
PAY = ("fixed", "variable", "mixed", "unknown")
ACTIVITY_TYPES = ("call", "meeting", "email", "proposal", "demo", "task")
ACTIVITY_STATUSES = ("planned", "done", "overdue")
#: ``none``: done without a result (the result cell is blank while others are filled);
#: ``unknown``: the export carries no results at all (no result column, or one blank in every
#: row) - never counted as "without a result"
ACTIVITY_RESULTS = (
    "agreed",
    "refused",
    "rescheduled",
    "clarify",
    "no_answer",
    "none",
    "unknown",
)
#: the result code of activities whose export carries no results
RESULT_NOT_EXPORTED = "unknown"
OUTCOMES = ("won", "lost", "open")
#: canonical refusal / loss reasons; labels a client uses are mapped onto these (mapping file,
#: presets); a label that maps to none is kept verbatim and reported as unknown.
REFUSAL_REASONS = (
    "no_budget",
    "not_interested",
    "too_expensive",
    "competitor",
    "no_need",
    "timing",
    "no_decision_maker",
    "no_response",
    "other",
)
#: each refusal reason's name, as a table heading or a legend writes it (the report's labels;
#: a sentence lower-cases the first letter: «против 13 % по причине «нет бюджета»»)
REFUSAL_REASON_NAMES: dict[str, dict[str, str]] = {
    "no_budget": {"ru": "Нет бюджета", "en": "No budget"},
    "not_interested": {"ru": "Не интересно", "en": "Not interested"},
    "too_expensive": {"ru": "Дорого", "en": "Too expensive"},
    "competitor": {"ru": "Конкурент", "en": "Competitor"},
    "no_need": {"ru": "Нет потребности", "en": "No need"},
    "timing": {"ru": "Не сейчас", "en": "Timing"},
    "no_decision_maker": {"ru": "Нет ЛПР", "en": "No decision maker"},
    "no_response": {"ru": "Нет ответа", "en": "No response"},
    "other": {"ru": "Другое", "en": "Other"},
}
PLAN_DIMENSIONS = ("none", "client", "brand", "product", "route")
#: lead statuses: still being worked, turned into a deal, or dropped (junk, refused, duplicate)
LEAD_STATUSES = ("open", "converted", "lost")
PLAN_METRICS = (
    "revenue",
    "units",
    "meetings",
    "calls",
    "emails",
    "proposals",
    "demos",
    "active_clients",
    "new_clients",
    "equipment",
    "pos_materials",
    "marketing_participants",
)

TABLES = (
    "managers",
    "clients",
    "activities",
    "deals",
    "sales",
    "plans",
    "trainings",
    "leads",
)
#: at least one of these must be present for an audit
CORE_TABLES = ("deals", "activities", "sales")

SOURCE_COLUMNS = {"src_file": "str", "src_row": "Int64"}

#: canonical columns per table: name -> pandas dtype. Order is the canonical column order.
COLUMNS: dict[str, dict[str, str]] = {
    "managers": {
        "manager_id": "str",
        "name": "str",
        "role": "str",
        "pay": "str",
        "hired": "datetime64[ns]",
        "left": "datetime64[ns]",
        "phone": "str",
        "email": "str",
        "team_lead": "str",  # name of the manager's team lead (mapping join), free text
    },
    "clients": {
        "client_id": "str",
        "name": "str",
        "segment": "str",
        "region": "str",
        "manager_id": "str",
        "created": "datetime64[ns]",
        "contact_person": "str",
        "phone": "str",
        "email": "str",
    },
    "activities": {
        "activity_id": "str",
        "manager_id": "str",
        "client_id": "str",
        "type": "str",
        "occurred_at": "datetime64[ns]",
        "logged_at": "datetime64[ns]",
        "status": "str",
        "result": "str",
        "refusal_reason": "str",
        "comment": "str",
        "deal_id": "str",
    },
    "deals": {
        "deal_id": "str",
        "client_id": "str",
        "manager_id": "str",
        "created": "datetime64[ns]",
        "stage": "str",
        "amount": "float64",
        "expected_close": "datetime64[ns]",
        "closed": "datetime64[ns]",
        "outcome": "str",
        "lost_reason": "str",
        "product": "str",
        "brand": "str",
        "pipeline": "str",
        "category": "str",  # product category (mapping join with a product list)
    },
    "sales": {
        "sale_id": "str",
        "date": "datetime64[ns]",
        "client_id": "str",
        "manager_id": "str",
        "product": "str",
        "brand": "str",
        "route": "str",
        "quantity": "float64",
        "amount": "float64",
        "category": "str",  # product category (mapping join with a product list)
        "cost": "float64",  # cost of goods sold (1C «Валовая прибыль» «Себестоимость»)
        "gross_profit": "float64",  # revenue minus cost, as the source states it
    },
    "plans": {
        "period": "datetime64[ns]",  # first day of the planned month
        "manager_id": "str",  # empty = the whole department
        "dimension": "str",
        "dimension_value": "str",
        "metric": "str",
        "value": "float64",
        "acknowledged_at": "datetime64[ns]",
    },
    "trainings": {
        "training_id": "str",
        "manager_id": "str",
        "date": "datetime64[ns]",
        "topic": "str",
    },
    "leads": {
        "lead_id": "str",
        "created_at": "datetime64[ns]",
        "source": "str",  # where the lead came from (site form, exhibition, ...), free text
        "manager_id": "str",
        "client_id": "str",
        "status": "str",
        "converted_deal_id": "str",  # the deal the lead became (deals.deal_id), when known
        "lost_reason": "str",
    },
}

#: columns that must be filled (non-null) in every accepted record
REQUIRED: dict[str, tuple[str, ...]] = {
    "managers": ("manager_id", "name", "role", "pay"),
    "clients": ("client_id", "name"),
    "activities": ("activity_id", "manager_id", "type", "occurred_at", "status", "result"),
    "deals": ("deal_id", "manager_id", "created", "outcome"),
    "sales": ("sale_id", "date", "amount"),
    "plans": ("period", "dimension", "metric", "value"),
    "trainings": ("training_id", "manager_id", "date", "topic"),
    "leads": ("lead_id", "created_at", "status"),
}

#: primary key per table
KEYS: dict[str, str | None] = {
    "managers": "manager_id",
    "clients": "client_id",
    "activities": "activity_id",
    "deals": "deal_id",
    "sales": "sale_id",
    "plans": None,
    "trainings": "training_id",
    "leads": "lead_id",
}

#: columns restricted to a closed set of values
ALLOWED: dict[str, dict[str, tuple[str, ...]]] = {
    "managers": {"role": ROLES, "pay": PAY},
    "activities": {
        "type": ACTIVITY_TYPES,
        "status": ACTIVITY_STATUSES,
        "result": ACTIVITY_RESULTS,
    },
    "deals": {"outcome": OUTCOMES},
    "plans": {"dimension": PLAN_DIMENSIONS, "metric": PLAN_METRICS},
    "leads": {"status": LEAD_STATUSES},
}


def _column(table: str, name: str, dtype: str) -> pa.Column:
    import pandera.pandas as pa  # here: 0.25 s to import, needed only when validating

    checks = []
    if name in ALLOWED.get(table, {}):
        checks.append(pa.Check.isin(ALLOWED[table][name]))
    if dtype == "float64" and name in ("amount", "quantity", "value"):
        # negative amounts are allowed (returns) but reported by the quality report
        pass
    required = name in REQUIRED[table]
    pa_dtype = {"str": object, "Int64": "Int64"}.get(dtype, dtype)
    return pa.Column(pa_dtype, checks=checks, nullable=not required, required=True, coerce=False)


def schema(table: str) -> pa.DataFrameSchema:
    """Return the pandera schema of a canonical table (columns, dtypes, allowed values, keys)."""
    import pandera.pandas as pa

    if table not in COLUMNS:
        raise KeyError(f"unknown canonical table {table!r}; known: {', '.join(TABLES)}")
    cols = {name: _column(table, name, dt) for name, dt in COLUMNS[table].items()}
    cols["src_file"] = pa.Column(object, nullable=True, required=False)
    cols["src_row"] = pa.Column("Int64", nullable=True, required=False)
    key = KEYS[table]
    return pa.DataFrameSchema(
        cols,
        name=table,
        strict=False,
        unique=[key] if key else None,
        report_duplicates="all",
    )


def empty_frame(table: str) -> pd.DataFrame:
    """An empty canonical table with the right columns and dtypes (handy in tests)."""
    data = {}
    for name, dt in {**COLUMNS[table], **SOURCE_COLUMNS}.items():
        data[name] = pd.Series([], dtype=object if dt == "str" else dt)
    return pd.DataFrame(data)


def canonical_frame(table: str, records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Build a canonical table from records, filling missing columns with nulls and casting dtypes.

    Used by loaders and by tests that hand-build small frames. Does not validate: call
    :func:`salesaudit.model.validate_table` for that.
    """
    df = pd.DataFrame(records).copy() if not isinstance(records, pd.DataFrame) else records.copy()
    out = {}
    n = len(df)
    for name, dt in {**COLUMNS[table], **SOURCE_COLUMNS}.items():
        if name in df.columns:
            s = df[name]
        else:
            s = pd.Series([None] * n, index=df.index)
        if dt == "str":
            s = s.astype(object).where(s.notna(), None)
            s = s.map(lambda v: v if v is None else str(v))
        elif dt.startswith("datetime64"):
            s = pd.to_datetime(s, errors="raise")
            if getattr(s.dt, "tz", None) is not None:
                s = s.dt.tz_localize(None)
            s = s.astype("datetime64[ns]")
        elif dt == "Int64":
            s = pd.to_numeric(s).astype("Int64")
        else:
            s = pd.to_numeric(s).astype(dt)
        out[name] = s
    extra = [c for c in df.columns if c not in out]
    result = pd.DataFrame(out, index=df.index)
    for c in extra:
        result[c] = df[c]
    return result.reset_index(drop=True)
