"""A hook for builders that need the report's charts as figures (the DOCX wants PNG images).

:func:`salesaudit.report.sections.chart` calls :func:`emit` with each figure it draws. Outside
:func:`collect` it returns ``""`` and the chart is drawn as SVG as usual; inside, the figure goes
to the collector and :func:`emit` returns a tiny placeholder SVG carrying the figure's number
(:func:`figure_number` reads it back from the ``<img>``), so the builder matches every picture
to its place in the HTML whatever order the sections draw them in. A context variable, so
concurrent builds do not mix.
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

_SINK: ContextVar[tuple[Callable[[Any], None], list[int]] | None] = ContextVar(
    "salesaudit_figure_sink", default=None
)
_MARK = re.compile(rb'data-sa-figure="(\d+)"')


def emit(fig: Any) -> str:
    """Hand ``fig`` (a matplotlib Figure) to the active collector and return the placeholder SVG
    that stands for it; ``""`` when nothing collects (the caller draws the SVG itself)."""
    state = _SINK.get()
    if state is None:
        return ""
    callback, count = state
    callback(fig)
    count[0] += 1
    return f'<svg xmlns="http://www.w3.org/2000/svg" data-sa-figure="{count[0] - 1}"/>'


def figure_number(src: str) -> int | None:
    """The figure number of an ``<img src="data:image/svg+xml;base64,…">`` made from an
    :func:`emit` placeholder (``None`` for any other image)."""
    head, _, data = src.partition(",")
    if not head.startswith("data:image/svg+xml") or not data:
        return None
    try:
        raw = base64.b64decode(data, validate=False)
    except ValueError:
        return None
    m = _MARK.search(raw[:200])
    return int(m.group(1)) if m else None


@contextlib.contextmanager
def collect(callback: Callable[[Any], None]) -> Iterator[None]:
    """Within the block, every chart the sections draw is passed to ``callback`` (in the order
    drawn; figure ``n`` is the ``n``-th call)."""
    token = _SINK.set((callback, [0]))
    try:
        yield
    finally:
        _SINK.reset(token)
