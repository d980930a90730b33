"""Putting it together: analyses + checklist + answers -> the :class:`AuditResult`."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

import salesaudit
from salesaudit.analytics._base import AnalysisResult
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import Checklist
from salesaudit.scoring.findings import build_roadmap, evaluate_findings, express_checklist
from salesaudit.scoring.indicators import compute_indicators
from salesaudit.scoring.result import AuditResult, frame_to_json
from salesaudit.scoring.score import (
    annual_revenue,
    assessment_summary,
    maturity,
    overall_index,
    score_areas,
    upside,
)
from salesaudit.scoring.verdicts import problem_verdicts

#: evidence rows kept per analysis in the result (the total is recorded next to them)
MAX_ANALYSIS_EVIDENCE = 1000
#: engagement parameters build_audit understands
PARAM_KEYS = ("thresholds", "gross_margin", "analysis_params")
RESULT_VERSION = 1


def _plain(v: Any) -> Any:
    """Make a value JSON-safe and deterministic (dates -> ISO text, numpy -> Python)."""
    if isinstance(v, pd.DataFrame):
        return frame_to_json(v)
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in sorted(v.items(), key=lambda kv: str(kv[0]))}
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=str) if isinstance(v, (set, frozenset)) else v
        return [_plain(x) for x in items]
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.isoformat()
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, np.generic):
        return _plain(v.item())
    if isinstance(v, decimal.Decimal):
        return float(v)
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if v is pd.NaT or v is pd.NA:
        return None
    return str(v)


def serialize_analysis(res: AnalysisResult, max_evidence: int = MAX_ANALYSIS_EVIDENCE) -> dict:
    """One analysis as plain JSON data: status, message, params, tables, capped evidence."""
    ev = res.evidence if res.evidence is not None else pd.DataFrame()
    return {
        "name": res.name,
        "status": res.status,
        "message": res.message,
        "params": _plain(res.params),
        "tables": {name: frame_to_json(df) for name, df in sorted(res.tables.items())},
        "evidence": frame_to_json(ev.head(max_evidence)),
        "evidence_total": len(ev),
    }


def check_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate engagement parameters (unknown keys and a bad gross margin raise ParameterError)."""
    params = dict(params or {})
    unknown = sorted(set(params) - set(PARAM_KEYS))
    if unknown:
        raise ParameterError(
            f"unknown engagement parameter(s): {', '.join(unknown)}",
            hint="known: " + ", ".join(PARAM_KEYS),
        )
    gm = params.get("gross_margin")
    if gm is not None and (
        isinstance(gm, bool) or not isinstance(gm, (int, float)) or not 0 < gm <= 1
    ):
        raise ParameterError(
            f"gross_margin must be a share in (0, 1], got {gm!r}",
            column="gross_margin",
            hint="e.g. gross_margin: 0.3 for 30 %",
        )
    thr = params.get("thresholds")
    if thr is not None and not isinstance(thr, Mapping):
        raise ParameterError(
            "thresholds must map indicator id -> {good:, bad:}", column="thresholds"
        )
    return params


def build_audit(
    data: Dataset,
    analyses: Mapping[str, AnalysisResult],
    checklist: Checklist,
    answers: Answers,
    *,
    as_of: dt.date,
    meta: Mapping[str, Any],
    quality: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
) -> AuditResult:
    """Score the audit and assemble the :class:`AuditResult` (pure; same inputs -> same JSON).

    ``params``: engagement parameters — ``thresholds`` (indicator id -> {good, bad, weight,
    source}), ``gross_margin`` (share), ``analysis_params`` (recorded only). ``meta`` is copied
    into the result's meta (client, consultant, input hashes, ...) together with ``as_of``, the
    parameters and the result version.
    """
    p = check_params(params)
    indicators = [
        _plain_indicator(i)
        for i in compute_indicators(analyses, p.get("thresholds"), checklist=checklist)
    ]
    areas = score_areas(checklist, answers, indicators)
    assessment = assessment_summary(checklist, areas)
    index = overall_index(checklist, areas)
    revenue = annual_revenue(data.sales, data.deals, as_of)
    currency = str(meta.get("currency") or data.meta.get("currency") or "RUB").upper()
    ups = upside(
        checklist,
        areas,
        revenue,
        currency=currency,
        gross_margin=p.get("gross_margin"),
        blocked=None if assessment["index_given"] else "too few areas assessed",
    )
    findings = evaluate_findings(checklist, indicators, answers, areas)
    names, people = _people(data)
    verdicts = problem_verdicts(
        checklist,
        areas,
        indicators,
        findings,
        answers,
        names=names,
        people=people,
        currency=_currency(meta),
    )
    full_meta = dict(meta)
    full_meta.update(
        {
            "as_of": as_of.isoformat(),
            "parameters": p,
            "result_version": RESULT_VERSION,
            "version": salesaudit.__version__,
            "answers_source": answers.source,
            "answers_meta": answers.meta,
            "tables_present": data.present,
            "checklist": {
                "areas": len(checklist.areas),
                "questions": len(checklist.questions),
                "indicators": len(checklist.indicators),
                "rules": len(checklist.findings),
            },
        }
    )
    full_meta.setdefault("lang", "ru")
    return AuditResult(
        meta=_plain(full_meta),
        areas=areas,
        overall_index=index,
        maturity=_plain(maturity(checklist, index)),
        upside=_plain(ups),
        indicators=indicators,
        findings=findings,
        roadmap=_plain(build_roadmap(findings)),
        express_checklist=_plain(express_checklist(checklist, indicators, answers)),
        answers=answers.to_dict(),
        analyses={name: serialize_analysis(res) for name, res in sorted(analyses.items())},
        quality=_plain(dict(quality or {})),
        verdicts=_plain(verdicts),
        assessment=_plain(assessment),
        currency=currency,
    )


def _currency(meta: Mapping[str, Any]) -> str:
    """The ISO code of the money in the verdict sentences (report.yaml ``currency`` when given,
    else RUB); the Russian sentences print its sign, the English ones the code, as fmt_money."""
    cur = meta.get("currency")
    if isinstance(cur, Mapping):
        cur = cur.get("code") or cur.get("symbol")
    code = str(cur or "RUB").upper()
    return "RUB" if code == "RUR" else code


def _people(data: Dataset) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(manager id -> name, lang -> {"owner", "head_of_sales"} -> names) from the staff list."""
    if not data.has("managers"):
        return {}, {}
    m = data.managers.drop_duplicates("manager_id")
    names = {str(i): str(n) for i, n in zip(m["manager_id"], m["name"], strict=True) if pd.notna(n)}
    people: dict[str, dict[str, str]] = {"ru": {}, "en": {}}
    for role in ("owner", "head_of_sales"):
        who = [names.get(str(i), str(i)) for i in m.loc[m["role"].eq(role), "manager_id"]]
        if who:
            people["ru"][role] = people["en"][role] = ", ".join(who)
    return names, people


def _plain_indicator(ind: Any) -> Any:
    """JSON-safe evidence/reference on an Indicator this module created (not an input)."""
    ind.evidence = _plain(ind.evidence)
    ind.reference = _plain(ind.reference)
    return ind
