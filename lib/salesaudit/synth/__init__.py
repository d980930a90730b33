"""Synthetic demo data: a fictional B2B distributor with planted sales-management problems.

Pure and deterministic: everything is built in memory from one seeded :mod:`numpy` generator;
the same ``(profile, seed)`` gives byte-identical files. Only :mod:`salesaudit.app.demo` writes
them to disk.

- :func:`generate_dataset` -> ground-truth canonical tables + the planted-problems dict;
- :func:`export_raw` -> the tables rendered as the raw exports a consultant receives;
- :func:`generate_demo_files` -> a complete client folder as ``{relative path: bytes}``.
"""

from __future__ import annotations

import yaml

from salesaudit.model.dataset import Dataset
from salesaudit.synth._company import AS_OF, HISTORY_START
from salesaudit.synth._export import RAW_FILES, export_raw, workbook_bytes
from salesaudit.synth._generate import PROFILES, build_tables, check_profile
from salesaudit.synth._planted import measurements, planted_report, report_info
from salesaudit.synth._signals import (
    STALL_DAYS,
    head_of_sales_profile,
    meeting_log_metrics,
    owner_top_clients,
    plan_structure,
    reason_share,
    refusal_shares,
    stalled_deals,
    training_conversion,
)

__all__ = [
    "AS_OF",
    "HISTORY_START",
    "PROFILES",
    "RAW_FILES",
    "STALL_DAYS",
    "export_raw",
    "folder_files",
    "generate_dataset",
    "generate_demo_files",
    "head_of_sales_profile",
    "measurements",
    "meeting_log_metrics",
    "owner_top_clients",
    "plan_structure",
    "reason_share",
    "refusal_shares",
    "stalled_deals",
    "training_conversion",
    "workbook_bytes",
    "yaml_bytes",
]


def generate_dataset(profile: str = "demo", *, seed: int = 7) -> tuple[Dataset, dict]:
    """Ground-truth canonical tables of the demo company and the planted-problems dict.

    ``profile`` is ``"demo"`` (eight planted problems) or ``"healthy"`` (same company shape, no
    planted problems). All seven tables are present and valid against
    :func:`salesaudit.model.schemas.schema`. Besides the canonical columns, ``activities`` carries
    ``subject`` (Bitrix «Тема») and ``deals`` carries ``product2``, ``tags``, ``utm_source``
    (extra amoCRM columns) so that :func:`export_raw` can render them. Ids: managers ``m01``..
    ``m15`` (m14 head of sales, m15 owner), clients ``c0001``.., deals and activities use the
    numeric ids of the exports, sales ``s000001``.., trainings ``t001``...
    """
    check_profile(profile)
    data = build_tables(profile, seed)
    return data, planted_report(data, profile, seed)


def yaml_bytes(value: object) -> bytes:
    """Deterministic UTF-8 YAML (keys in insertion order, Cyrillic kept readable)."""
    text = yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100)
    return text.encode("utf-8")


def generate_demo_files(profile: str = "demo", seed: int = 7) -> dict[str, bytes]:
    """A complete synthetic client folder: ``raw/*`` exports, ``planted.yaml`` and
    ``report.yaml``, as ``{relative path: file bytes}`` (sorted by path)."""
    data, planted = generate_dataset(profile, seed=seed)
    return folder_files(data, planted, profile)


def folder_files(data: Dataset, planted: dict, profile: str) -> dict[str, bytes]:
    """The client-folder files of an already generated dataset (see
    :func:`generate_demo_files`)."""
    check_profile(profile)
    files = export_raw(data, profile=profile)
    files["planted.yaml"] = yaml_bytes(planted)
    files["report.yaml"] = yaml_bytes(report_info(profile))
    return dict(sorted(files.items()))
