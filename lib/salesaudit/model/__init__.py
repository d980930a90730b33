"""Canonical data model: schemas, value parsing, presets, mapping, reconciliation, data quality."""

from salesaudit.model.build import build_dataset, validate_table
from salesaudit.model.dataset import Dataset
from salesaudit.model.mapping import ClientMapping, FileRule, parse_mapping
from salesaudit.model.plans import parse_period_header, parse_plan_sheets
from salesaudit.model.presets import PRESETS, Preset, detect_preset
from salesaudit.model.quality import QualityReport
from salesaudit.model.reconcile import Resolution, reconcile_clients, reconcile_managers
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
    "PRESETS",
    "ClientMapping",
    "FileRule",
    "Preset",
    "QualityReport",
    "Resolution",
    "build_dataset",
    "detect_preset",
    "parse_mapping",
    "parse_period_header",
    "parse_plan_sheets",
    "reconcile_clients",
    "reconcile_managers",
    "validate_table",
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
