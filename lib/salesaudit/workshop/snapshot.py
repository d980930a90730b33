"""The workshop snapshot: what the dashboard needs from an audit, as JSON, so that opening the
workshop after ``salesaudit run`` reuses the audit instead of loading and analysing again.

A snapshot holds the audit result (:class:`~salesaudit.scoring.result.AuditResult` JSON: data
indicators, answers at audit time, meta), the analyses the panels read (every table, dtypes
kept: pandas' ``orient="table"`` JSON), the plan/fact table of every planned metric, the staff
and plan tables, and a ``fingerprint`` of the inputs it was computed from (the caller decides
what goes into it and compares it; see :mod:`salesaudit.app.workshop`). Pure functions: the
caller reads and writes the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from salesaudit.analytics import AnalysisResult
from salesaudit.model.dataset import Dataset
from salesaudit.scoring.result import AuditResult
from salesaudit.workshop.planfact import PLAN_FACT_PREFIX, plan_fact_tables
from salesaudit.workshop.state import WorkshopState

#: bump when the payload's shape changes (an old snapshot is then recomputed, never misread)
SNAPSHOT_VERSION = 2
#: the analyses the panels read (see the panels' ``ANALYSIS`` names)
WORKSHOP_ANALYSES = (
    "forecast",
    "activity_forecast",
    "plan_fact",
    "refusals",
    "credibility",
    "verification_sample",
)
#: the canonical tables the panels read
WORKSHOP_TABLES = ("managers", "plans")


def frame_to_text(df: pd.DataFrame) -> str:
    """A DataFrame as JSON text: pandas' table schema (dtypes, dates, missing values) plus the
    float columns written by Python's ``json`` (shortest exact repr), because pandas' writer keeps
    at most 15 digits and a forecast must come back to the last bit."""
    frame = df.reset_index(drop=True)
    floats = {
        str(c): [None if pd.isna(v) else float(v) for v in frame[c]]
        for c in frame.columns
        if pd.api.types.is_float_dtype(frame[c].dtype)
    }
    table = frame.to_json(orient="table", index=False, date_format="iso")
    return json.dumps({"table": json.loads(table), "floats": floats}, ensure_ascii=False)


def frame_from_text(text: str) -> pd.DataFrame:
    """Inverse of :func:`frame_to_text`. Text columns stay ``object`` with ``None`` for missing
    values, also when every value is missing (pandas would read those back as float NaN)."""
    doc = json.loads(text)
    table = doc["table"]
    df = pd.read_json(io.StringIO(json.dumps(table)), orient="table", convert_dates=True)
    for f in table.get("schema", {}).get("fields", []):
        name = f.get("name")
        if f.get("type") == "string" and name in df.columns:
            col = df[name].astype(object)
            df[name] = col.where(col.notna(), None)
    for name, values in doc.get("floats", {}).items():
        if name in df.columns:
            df[name] = pd.Series(
                [float("nan") if v is None else v for v in values], index=df.index, dtype="float64"
            )
    return df


def _analysis_payload(res: AnalysisResult) -> dict[str, Any]:
    return {
        "status": res.status,
        "message": res.message,
        "params": json.loads(json.dumps(res.params, default=str)),
        "tables": {name: frame_to_text(df) for name, df in sorted(res.tables.items())},
    }


def snapshot_payload(
    state: WorkshopState, result: AuditResult, fingerprint: Mapping[str, Any]
) -> dict[str, Any]:
    """The snapshot of ``state`` (built from ``result``) for ``fingerprint``, as JSON data."""
    analyses = {
        name: _analysis_payload(res)
        for name in WORKSHOP_ANALYSES
        if (res := state.analysis(name)) is not None
    }
    for metric, main in plan_fact_tables(state).items():
        analyses[PLAN_FACT_PREFIX + metric] = _analysis_payload(
            AnalysisResult(
                PLAN_FACT_PREFIX + metric, tables={"main": main}, params={"metric": metric}
            )
        )
    tables = {
        name: frame_to_text(state.dataset.table(name))
        for name in WORKSHOP_TABLES
        if state.dataset.has(name)
    }
    return {
        "version": SNAPSHOT_VERSION,
        "fingerprint": dict(fingerprint),
        "audit": result.to_json(),
        "analyses": analyses,
        "tables": tables,
    }


def snapshot_matches(payload: Any, fingerprint: Mapping[str, Any]) -> bool:
    """Whether ``payload`` is a snapshot of this version computed for ``fingerprint``."""
    return (
        isinstance(payload, Mapping)
        and payload.get("version") == SNAPSHOT_VERSION
        and payload.get("fingerprint") == dict(fingerprint)
    )


def state_from_snapshot(
    payload: Mapping[str, Any],
    checklist: Any,
    *,
    lang: str = "ru",
    answers: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[WorkshopState, AuditResult]:
    """The workshop state of a snapshot; ``answers`` (the client's current ones) replace those
    of the audit when given."""
    result = AuditResult.from_json(payload["audit"])
    analyses = {
        name: AnalysisResult(
            name,
            tables={t: frame_from_text(text) for t, text in a.get("tables", {}).items()},
            status=a.get("status", "ok"),
            message=a.get("message", ""),
            params=dict(a.get("params") or {}),
        )
        for name, a in payload.get("analyses", {}).items()
    }
    dataset = Dataset(
        **{name: frame_from_text(text) for name, text in payload.get("tables", {}).items()}
    )
    state = WorkshopState.from_audit(result, dataset, analyses, checklist, lang=lang)
    if answers is not None:
        state = replace(state, answers={k: dict(v) for k, v in answers.items()})
    return state, result
