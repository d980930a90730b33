"""What every analysis returns, and how it says "not enough data"."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from salesaudit.model.dataset import Dataset

OK = "ok"
INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True)
class AnalysisResult:
    """Result of one analysis.

    ``tables`` holds tidy DataFrames (the main one under ``"main"``); ``evidence`` is a long
    DataFrame ``[key, table, record_id]`` linking each reported row (``key``, as named in the
    table's ``key`` column) to the canonical records behind it. ``status`` is ``"ok"`` or
    ``"insufficient_data"`` (then ``message`` says what is missing and tables may be empty).
    """

    name: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    evidence: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["key", "table", "record_id"])
    )
    status: str = OK
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def main(self) -> pd.DataFrame:
        return self.tables.get("main", pd.DataFrame())


def not_enough_data(name: str, missing: list[str] | str, **params: Any) -> AnalysisResult:
    msg = missing if isinstance(missing, str) else "needs table(s): " + ", ".join(missing)
    return AnalysisResult(name=name, status=INSUFFICIENT, message=msg, params=params)


def requires(*tables: str) -> Callable:
    """Decorator: the analysis needs these canonical tables (non-empty) in its ``Dataset``.

    When one is missing the analysis is not run and an ``insufficient_data`` result is returned.
    The decorated function must take the ``Dataset`` as its first argument.
    """

    def deco(fn: Callable[..., AnalysisResult]) -> Callable[..., AnalysisResult]:
        @functools.wraps(fn)
        def wrapper(data: Dataset, *args: Any, **kwargs: Any) -> AnalysisResult:
            missing = data.missing(*tables)
            if missing:
                return not_enough_data(fn.__name__, missing)
            return fn(data, *args, **kwargs)

        wrapper.required_tables = tables  # type: ignore[attr-defined]
        return wrapper

    return deco
