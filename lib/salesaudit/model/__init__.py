"""Canonical data model: schemas, value parsing, presets, mapping, reconciliation, data quality."""

from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import (
    ACTIVITY_RESULTS,
    ACTIVITY_STATUSES,
    ACTIVITY_TYPES,
    COLUMNS,
    OUTCOMES,
    PAY,
    PLAN_DIMENSIONS,
    PLAN_METRICS,
    REFUSAL_REASONS,
    ROLES,
    TABLES,
    canonical_frame,
    empty_frame,
    schema,
)

__all__ = [
    "ACTIVITY_RESULTS",
    "ACTIVITY_STATUSES",
    "ACTIVITY_TYPES",
    "COLUMNS",
    "OUTCOMES",
    "PAY",
    "PLAN_DIMENSIONS",
    "PLAN_METRICS",
    "REFUSAL_REASONS",
    "ROLES",
    "TABLES",
    "Dataset",
    "canonical_frame",
    "empty_frame",
    "schema",
]
