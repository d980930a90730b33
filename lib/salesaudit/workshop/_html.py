"""Small HTML pieces of the dashboard: projector-sized CSS, number formats, bar charts, tables.

Charts are plain HTML/CSS bars: they redraw in well under a millisecond, stay sharp on a
projector and need no image round-trip to the browser.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import pandas as pd

from salesaudit.report.i18n import fmt_number, fmt_pct

#: house colours (shared with the PDF's charts: good / warn / bad / neutral)
GOOD, WARN, BAD, NEUTRAL, ACCENT = "#2e7d32", "#f9a825", "#c62828", "#90a4ae", "#1565c0"

CSS = """
<style>
.sa-dashboard { font-size: 20px; line-height: 1.35; max-width: 1400px; }
.sa-dashboard .widget-label, .sa-dashboard .widget-readout, .sa-dashboard input,
.sa-dashboard select, .sa-dashboard button, .sa-dashboard .widget-html-content,
.sa-dashboard .lm-TabBar-tabLabel, .sa-dashboard .widget-dropdown > select {
  font-size: 20px !important; }
.sa-dashboard .widget-slider .widget-readout { min-width: 7em; }
.sa-dashboard .lm-TabBar-tab, .sa-dashboard .p-TabBar-tab {
  flex: 0 0 auto !important; max-width: none !important; min-height: 44px;
  padding: 6px 22px !important; }
.sa-dashboard .lm-TabBar, .sa-dashboard .p-TabBar { min-height: 46px; }
.sa-dashboard .widget-slider .noUi-target { height: 10px; }
.sa-dashboard .widget-slider .noUi-handle { width: 22px !important; height: 22px !important;
  top: -7px !important; right: -11px !important; border-radius: 11px !important; }
.sa-dashboard .widget-inline-hbox { margin: 6px 0; }
.sa-dashboard .widget-dropdown > select { min-width: 440px; }
.sa-sample-rows td:nth-child(1), .sa-sample-rows td:nth-child(4) { white-space: nowrap; }
.sa-dashboard .widget-inline-hbox .widget-label { min-width: 16em; }
.sa-title { font-size: 30px; font-weight: 700; margin: 4px 0 10px 0; }
.sa-big { font-size: 44px; font-weight: 700; line-height: 1.15; margin-top: 4px; }
.sa-kpis { display: flex; gap: 36px; flex-wrap: wrap; margin: 8px 0 14px 0; }
.sa-kpi { padding: 10px 18px; border-left: 6px solid #1565c0; background: #f5f7fa; }
.sa-kpi .sa-kpi-label { font-size: 18px; color: #455a64; }
.sa-kpi.sa-neg { border-left-color: #c62828; }
.sa-kpi.sa-pos { border-left-color: #2e7d32; }
.sa-note { font-size: 16px; color: #546e7a; }
.sa-bars { width: 100%; border-collapse: collapse; }
.sa-bars td { padding: 4px 8px; vertical-align: middle; }
.sa-bars td.sa-bar-label { width: 38%; }
.sa-area-bars td.sa-bar-label { width: 62%; font-size: 17px; }
.sa-area-bars td.sa-bar-value { width: 14%; }
.sa-bars td.sa-bar-value { width: 12%; text-align: right; font-weight: 600; white-space: nowrap; }
.sa-bar-track { background: #eceff1; height: 26px; position: relative; }
.sa-bar { height: 26px; }
.sa-bar-zero { position: absolute; left: 50%; top: 0; bottom: 0; border-left: 2px solid #37474f; }
.sa-table { border-collapse: collapse; margin: 6px 0 12px 0; }
.sa-table th, .sa-table td { padding: 6px 12px; border-bottom: 1px solid #cfd8dc; text-align: left; }
.sa-table th { background: #eceff1; }
.sa-table td.sa-num { text-align: right; white-space: nowrap; }
.sa-advice { background: #fff8e1; border-left: 6px solid #f9a825; padding: 8px 14px; margin: 8px 0; }
.sa-suspect { border-left: 6px solid #c62828; background: #fff5f5; padding: 8px 14px; margin: 8px 0; }
.sa-error { color: #c62828; font-weight: 600; }
.sa-ok { color: #2e7d32; }
.sa-question { border-bottom: 1px solid #eceff1; padding: 6px 0; }
.sa-question .widget-toggle-buttons button { min-width: 6em; height: 40px; padding: 0 10px; }
.sa-question .widget-toggle-buttons button:first-child { min-width: 2.5em; }
</style>
"""


def esc(text: object) -> str:
    """HTML-escaped ``str(text)``."""
    return html.escape("" if text is None else str(text))


def _isnum(value: object) -> bool:
    return isinstance(value, (int, float)) and not (
        isinstance(value, float) and (math.isnan(value) or math.isinf(value))
    )


def score_color(score: float | None) -> str:
    """Colour of a 0..100 score: green from 70, amber from 40, red below, grey when unknown."""
    if score is None or not _isnum(score):
        return NEUTRAL
    if score >= 70:
        return GOOD
    if score >= 40:
        return WARN
    return BAD


def kpi(label: str, value_html: str, css: str = "", kind: str = "") -> str:
    """One big figure with its label; ``css`` is an extra class on the figure (for tests)."""
    return (
        f'<div class="sa-kpi {esc(kind)}"><div class="sa-kpi-label">{esc(label)}</div>'
        f'<div class="sa-big {esc(css)}">{value_html}</div></div>'
    )


def bar_chart(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    maximum: float = 100.0,
    value_format: str = "num",
    css: str = "",
    lang: str = "ru",
    decimals: int = 0,
) -> str:
    """Horizontal bars: ``rows`` of ``(label, value, colour)``, values from 0 to ``maximum``."""
    body = []
    for label, value, colour in rows:
        if value is None or not _isnum(value):
            width, shown = 0.0, "—"
        else:
            width = max(0.0, min(100.0, 100.0 * float(value) / maximum)) if maximum else 0.0
            shown = (
                fmt_pct(value, lang, decimals)
                if value_format == "pct"
                else fmt_number(value, lang, decimals)
            )
        body.append(
            f'<tr><td class="sa-bar-label">{esc(label)}</td>'
            f'<td><div class="sa-bar-track"><div class="sa-bar" '
            f'style="width:{width:.1f}%;background:{colour}"></div></div></td>'
            f'<td class="sa-bar-value">{shown}</td></tr>'
        )
    return f'<table class="sa-bars {esc(css)}">{"".join(body)}</table>'


def diverging_chart(
    rows: Sequence[tuple[str, float | None]], *, limit: float = 100.0, lang: str = "ru"
) -> str:
    """Bars left (red, below plan) or right (green, above plan) of a zero line; values in %."""
    body = []
    for label, value in rows:
        if value is None or not _isnum(value):
            bar, shown = "", "—"
        else:
            half = min(50.0, 50.0 * abs(float(value)) / limit) if limit else 0.0
            left = 50.0 - half if value < 0 else 50.0
            colour = BAD if value < 0 else GOOD
            bar = (
                f'<div class="sa-bar" style="position:absolute;left:{left:.1f}%;'
                f'width:{half:.1f}%;background:{colour}"></div>'
            )
            shown = ("+" if value > 0 else "") + fmt_pct(value, lang)
        body.append(
            f'<tr><td class="sa-bar-label">{esc(label)}</td>'
            f'<td><div class="sa-bar-track">{bar}<div class="sa-bar-zero"></div></div></td>'
            f'<td class="sa-bar-value">{shown}</td></tr>'
        )
    return f'<table class="sa-bars">{"".join(body)}</table>'


def table_html(df: pd.DataFrame, *, numeric: Sequence[str] = (), css: str = "") -> str:
    """A DataFrame as a plain HTML table; cells already formatted as text by the caller."""
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False, name=None):
        cells = []
        for col, val in zip(df.columns, rec):
            cls = ' class="sa-num"' if col in numeric else ""
            cells.append(f"<td{cls}>{esc(val)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'<table class="sa-table {esc(css)}"><tr>{head}</tr>{"".join(rows)}</table>'
