"""Scoring: the method as data (checklist), interview answers, indicators, area scores, findings,
the roadmap and the :class:`AuditResult`."""

from salesaudit.scoring.answers import Answer, Answers, normalize_answer, validate_answers
from salesaudit.scoring.audit import build_audit, serialize_analysis
from salesaudit.scoring.checklist import (
    ANSWER_LABELS,
    ANSWER_SCORES,
    AREA_IDS,
    Area,
    Checklist,
    Effect,
    FindingRule,
    IndicatorDef,
    Question,
    build_checklist,
)
from salesaudit.scoring.conditions import Context, check_condition, evaluate
from salesaudit.scoring.findings import build_roadmap, evaluate_findings, express_checklist
from salesaudit.scoring.indicators import EXTRACTORS, compute_indicators, score_value
from salesaudit.scoring.result import (
    AreaScore,
    AuditResult,
    Finding,
    Indicator,
    frame_from_json,
    frame_to_json,
)
from salesaudit.scoring.score import (
    annual_revenue,
    maturity,
    overall_index,
    score_areas,
    upside,
)

__all__ = [
    "ANSWER_LABELS",
    "ANSWER_SCORES",
    "AREA_IDS",
    "EXTRACTORS",
    "Answer",
    "Answers",
    "Area",
    "AreaScore",
    "AuditResult",
    "Checklist",
    "Context",
    "Effect",
    "Finding",
    "FindingRule",
    "Indicator",
    "IndicatorDef",
    "Question",
    "annual_revenue",
    "build_audit",
    "build_checklist",
    "build_roadmap",
    "check_condition",
    "compute_indicators",
    "evaluate",
    "evaluate_findings",
    "express_checklist",
    "frame_from_json",
    "frame_to_json",
    "maturity",
    "normalize_answer",
    "overall_index",
    "score_areas",
    "score_value",
    "serialize_analysis",
    "upside",
    "validate_answers",
]
