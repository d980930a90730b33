"""The audit result: one serializable object every notebook, the PDF and the workshop render from.

Everything in it is plain JSON data (str, int, float, bool, None, lists, dicts); DataFrames are kept
as ``{"columns": [...], "records": [[...], ...]}`` via :func:`frame_to_json` /
:func:`frame_from_json`. The same inputs give byte-identical JSON (sorted keys, no timestamps of
the run itself).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SEVERITIES = ("critical", "high", "medium", "low")
HORIZONS = (30, 60, 90)


def _jsonable(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (pd.Timestamp,)):
        return None if pd.isna(v) else v.isoformat()
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else round(f, 6)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, pd.Period):
        return str(v)
    if v is pd.NaT or (not isinstance(v, (str, list, dict, tuple)) and pd.isna(v)):
        return None
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v


def frame_to_json(df: pd.DataFrame) -> dict:
    """A DataFrame as ``{"columns": [...], "records": [[...]...]}`` with JSON-safe cells."""
    df = df.reset_index(drop=True)
    return {
        "columns": [str(c) for c in df.columns],
        "records": [[_jsonable(v) for v in row] for row in df.itertuples(index=False, name=None)],
    }


def frame_from_json(obj: dict) -> pd.DataFrame:
    """Inverse of :func:`frame_to_json` (datetimes stay ISO strings; parse where needed)."""
    return pd.DataFrame(obj.get("records", []), columns=obj.get("columns", []))


@dataclass
class Indicator:
    """A number computed from the data and judged against a reference range."""

    id: str
    area: str  # p1..p7
    label: dict[str, str]  # {"ru": ..., "en": ...}
    value: float | None
    unit: str  # "%", "share", "days", "rub", "count", ...
    status: str  # "ok" | "insufficient_data"
    verdict: str  # "good" | "warn" | "bad" | "n/a"
    score: float | None  # 0..100, None when unavailable
    weight: float
    reference: dict[str, Any] = field(default_factory=dict)  # {"good": .., "bad": .., "source": ..}
    # {"analysis": .., "records": [...], ...}
    evidence: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    #: why the indicator is n/a (a code of ``scoring.indicators.REASONS``); "" when computed
    reason: str = ""


@dataclass
class AreaScore:
    """Score of one of the seven key problems (higher = healthier)."""

    area: str  # p1..p7
    title: dict[str, str]
    score: float | None  # 0..100
    confidence: float  # 0..1: share of weight backed by evidence
    interview_score: float | None
    data_score: float | None
    answered: int
    questions: int
    indicators: list[str] = field(default_factory=list)
    #: False = «не оценено»: too little evidence (rule in checklist/scoring.yaml ``assessment``);
    #: then ``score`` is None and ``assessment_reason`` says why
    assessed: bool = True
    assessment_reason: dict[str, str] | None = None
    #: the score computed from whatever evidence there was (kept for the record even when the
    #: area is not assessed)
    raw_score: float | None = None


@dataclass
class Finding:
    id: str
    area: str
    severity: str  # critical | high | medium | low
    title: dict[str, str]
    evidence: dict[str, Any]  # {"numbers": {...}, "records": {...}, "answers": {...}}
    recommendation: dict[str, str]
    owner_role: str  # owner | head_of_sales | manager | consultant
    horizon: int  # 30 | 60 | 90
    rank: int = 0
    effect: dict[str, str] | None = None  # expected effect of the recommendation {ru, en}
    target: dict[str, Any] | None = None  # {indicator, value} or {text: {ru, en}}


@dataclass
class AuditResult:
    meta: dict[str, Any]  # client, as_of, lang, consultant, parameters, input hashes, version
    areas: list[AreaScore]
    overall_index: float | None
    maturity: dict[str, Any]  # {"level": 1..5, "name": {"ru":..,"en":..}}
    upside: dict[str, Any]  # revenue/profit ranges + assumptions
    indicators: list[Indicator]
    findings: list[Finding]
    roadmap: list[dict[str, Any]]
    express_checklist: list[dict[str, Any]]
    answers: dict[str, Any]  # question id -> {"answer":..,"note":..}
    analyses: dict[str, dict[str, Any]]  # name -> {"status","message","tables":{n: frame_json}}
    quality: dict[str, Any]  # data-quality summary (frame_json tables)
    #: the verdict on each of the seven problems (``scoring.verdicts``): area, code
    #: (confirmed | partial | not_found | not_assessed), label and sentence {ru, en}, basis
    verdicts: list[dict[str, Any]] = field(default_factory=list)
    #: how many areas were assessed and whether the overall index / maturity level are given
    #: (``{"areas_assessed", "areas_total", "min_areas", "index_given", "reason": {ru, en}}``)
    assessment: dict[str, Any] = field(default_factory=dict)
    #: ISO code of every money figure (report.yaml ``currency``, default RUB); never converted
    currency: str = "RUB"

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=1)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AuditResult:
        return cls(
            meta=d["meta"],
            areas=[AreaScore(**a) for a in d["areas"]],
            overall_index=d["overall_index"],
            maturity=d["maturity"],
            upside=d["upside"],
            indicators=[Indicator(**i) for i in d["indicators"]],
            findings=[Finding(**f) for f in d["findings"]],
            roadmap=d["roadmap"],
            express_checklist=d["express_checklist"],
            answers=d["answers"],
            analyses=d["analyses"],
            quality=d["quality"],
            verdicts=d.get("verdicts", []),
            assessment=d.get("assessment", {}),
            currency=d.get("currency", "RUB"),
        )

    @classmethod
    def from_json(cls, text: str) -> AuditResult:
        return cls.from_dict(json.loads(text))

    def client_label(self, lang: str = "ru") -> str:
        """The client's display name from ``meta`` (``client`` or ``client_name``; a
        ``{"ru": .., "en": ..}`` dict gives the ``lang`` text); ``""`` when there is none."""
        c = self.meta.get("client") or self.meta.get("client_name") or ""
        if isinstance(c, dict):
            return str(c.get(lang) or next((v for v in c.values() if v), ""))
        return str(c)

    def table(self, analysis: str, name: str = "main") -> pd.DataFrame:
        """An analysis table back as a DataFrame (empty when not available)."""
        a = self.analyses.get(analysis, {})
        t = a.get("tables", {}).get(name)
        return frame_from_json(t) if t else pd.DataFrame()
