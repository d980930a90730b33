"""Scoring: the method as data (checklist), interview answers, indicators, area scores, findings,
the roadmap and the :class:`AuditResult`.

Names are imported on first use (see :mod:`salesaudit._lazy`): ``salesaudit.scoring.result``
alone does not load the analytics.
"""

from __future__ import annotations

from salesaudit._lazy import lazy_exports

#: public name -> the submodule that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    # salesaudit.scoring.answers
    "Answer": "answers",
    "Answers": "answers",
    "normalize_answer": "answers",
    "validate_answers": "answers",
    # salesaudit.scoring.audit
    "build_audit": "audit",
    "serialize_analysis": "audit",
    # salesaudit.scoring.checklist
    "ANSWER_LABELS": "checklist",
    "ANSWER_SCORES": "checklist",
    "AREA_IDS": "checklist",
    "Area": "checklist",
    "Checklist": "checklist",
    "Effect": "checklist",
    "FindingRule": "checklist",
    "IndicatorDef": "checklist",
    "Question": "checklist",
    "build_checklist": "checklist",
    # salesaudit.scoring.conditions
    "Context": "conditions",
    "check_condition": "conditions",
    "evaluate": "conditions",
    # salesaudit.scoring.findings
    "build_roadmap": "findings",
    "evaluate_findings": "findings",
    "express_checklist": "findings",
    # salesaudit.scoring.indicators
    "EXTRACTORS": "indicators",
    "compute_indicators": "indicators",
    "score_value": "indicators",
    # salesaudit.scoring.result
    "AreaScore": "result",
    "AuditResult": "result",
    "Finding": "result",
    "Indicator": "result",
    "frame_from_json": "result",
    "frame_to_json": "result",
    # salesaudit.scoring.score
    "annual_revenue": "score",
    "maturity": "score",
    "overall_index": "score",
    "score_areas": "score",
    "upside": "score",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
