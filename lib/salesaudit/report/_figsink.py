"""A hook for builders that need the report's charts as figures (the DOCX wants PNG images).

:func:`salesaudit.report.sections.chart` calls :func:`emit` with each figure it draws; outside
:func:`collect` nothing happens. A context variable, so concurrent builds do not mix.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

_SINK: ContextVar[Callable[[Any], None] | None] = ContextVar("salesaudit_figure_sink", default=None)


def emit(fig: Any) -> bool:
    """Hand ``fig`` (a matplotlib Figure) to the active collector; ``True`` when there is one
    (the caller then need not render the figure itself)."""
    sink = _SINK.get()
    if sink is None:
        return False
    sink(fig)
    return True


@contextlib.contextmanager
def collect(callback: Callable[[Any], None]) -> Iterator[None]:
    """Within the block, every chart the sections draw is passed to ``callback`` (in order)."""
    token = _SINK.set(callback)
    try:
        yield
    finally:
        _SINK.reset(token)
