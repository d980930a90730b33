"""Canonical data model: schemas, value parsing, presets, mapping, reconciliation, data quality.

Names are imported on first use (see :mod:`salesaudit._lazy`): ``salesaudit.model.dataset``
alone does not load pandera.
"""

from __future__ import annotations

from salesaudit._lazy import lazy_exports

#: public name -> the submodule that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    # salesaudit.model.build
    "build_dataset": "build",
    "validate_table": "build",
    # salesaudit.model.dataset
    "Dataset": "dataset",
    # salesaudit.model.mapping
    "ClientMapping": "mapping",
    "FileRule": "mapping",
    "parse_mapping": "mapping",
    # salesaudit.model.plans
    "parse_period_header": "plans",
    "parse_plan_sheets": "plans",
    # salesaudit.model.presets
    "PRESETS": "presets",
    "Preset": "presets",
    "detect_preset": "presets",
    # salesaudit.model.quality
    "QualityReport": "quality",
    # salesaudit.model.reconcile
    "Resolution": "reconcile",
    "reconcile_clients": "reconcile",
    "reconcile_managers": "reconcile",
    # salesaudit.model.schemas
    "ACTIVITY_RESULTS": "schemas",
    "ACTIVITY_STATUSES": "schemas",
    "ACTIVITY_TYPES": "schemas",
    "COLUMNS": "schemas",
    "OUTCOMES": "schemas",
    "PAY": "schemas",
    "PLAN_DIMENSIONS": "schemas",
    "PLAN_METRICS": "schemas",
    "REFUSAL_REASONS": "schemas",
    "ROLES": "schemas",
    "TABLES": "schemas",
    "canonical_frame": "schemas",
    "empty_frame": "schemas",
    "schema": "schemas",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
