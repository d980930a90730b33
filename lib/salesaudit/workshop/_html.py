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
/* full width on a projector (1280x720 .. 1920x1080): Voilà's page margins off */
body.jp-Notebook, #rendered_cells, #rendered_cells > div { padding: 0 !important; margin: 0 !important;
  max-width: none !important; box-shadow: none !important; }
.jp-OutputArea-output, .jp-Cell-outputWrapper, .jp-OutputArea-child { width: 100% !important; }
.sa-dashboard { font-size: 20px; line-height: 1.35; width: 100%; box-sizing: border-box;
  padding: 8px 20px 40px 20px; }
.sa-dashboard .widget-label, .sa-dashboard .widget-readout, .sa-dashboard input,
.sa-dashboard select, .sa-dashboard button, .sa-dashboard .widget-html-content,
.sa-dashboard .lm-TabBar-tabLabel, .sa-dashboard .widget-dropdown > select {
  font-size: 20px !important; }
/* the tab bar stays on screen while a long tab scrolls: it sticks to the page's scrolling box,
   so no box between them may clip (Voilà's output area and the widget boxes do by default) */
.jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output, .sa-dashboard,
.sa-dashboard .widget-tab, .sa-dashboard .jupyter-widget-TabPanel { overflow: visible !important; }
.sa-dashboard .lm-TabBar, .sa-dashboard .p-TabBar { position: sticky; top: 0; z-index: 30;
  background: #ffffff; min-height: 46px; box-shadow: 0 2px 0 #ffffff; }
.sa-dashboard .lm-TabBar-tab, .sa-dashboard .p-TabBar-tab {
  flex: 0 0 auto !important; max-width: none !important; min-height: 44px;
  padding: 6px 22px !important; }
.sa-dashboard .lm-TabBar-tab.lm-mod-current, .sa-dashboard .p-TabBar-tab.p-mod-current {
  font-weight: 700; border-top: 4px solid #1565c0 !important; }
.sa-dashboard .widget-slider .noUi-target { height: 10px; }
.sa-dashboard .widget-slider .noUi-handle { width: 24px !important; height: 24px !important;
  top: -8px !important; right: -12px !important; border-radius: 12px !important;
  border: 2px solid #1565c0 !important; }
.sa-dashboard .widget-inline-hbox { margin: 6px 0; }
.sa-dashboard .widget-dropdown > select { min-width: 440px; }
.sa-sample-rows td:nth-child(1), .sa-sample-rows td:nth-child(4) { white-space: nowrap; }
.sa-dashboard .widget-inline-hbox .widget-label { min-width: 16em; }
.sa-title { font-size: clamp(22px, 1.7vw, 30px); font-weight: 700; margin: 4px 0 10px 0; }
.sa-big { font-size: 44px; font-weight: 700; line-height: 1.15; margin-top: 4px; }
.sa-kpis { display: flex; gap: 36px; flex-wrap: wrap; margin: 8px 0 14px 0; }
.sa-kpi { padding: 10px 18px; border-left: 6px solid #1565c0; background: #f5f7fa; }
.sa-kpi .sa-kpi-label { font-size: 18px; color: #455a64; }
.sa-kpi.sa-neg { border-left-color: #c62828; }
.sa-kpi.sa-pos { border-left-color: #2e7d32; }
.sa-note { font-size: 16px; color: #546e7a; }
.sa-legend { font-size: 16px; color: #37474f; margin: 4px 0 10px 0; display: flex;
  gap: 4px 22px; flex-wrap: wrap; line-height: 1.4; }
.sa-legend span.sa-swatch { display: inline-block; width: 16px; height: 16px;
  vertical-align: -2px; margin-right: 6px; }
.sa-bars { width: 100%; border-collapse: collapse; }
.sa-bars td { padding: 4px 8px; vertical-align: middle; }
.sa-bars td.sa-bar-label { width: 38%; }
.sa-area-bars td.sa-bar-label { width: 56%; font-size: 18px; }
.sa-area-bars td.sa-bar-value { width: 18%; }
.sa-bars td.sa-bar-value { width: 12%; text-align: right; font-weight: 600; white-space: nowrap; }
.sa-bars td.sa-bar-value.sa-missing { font-weight: 400; color: #607d8b; font-size: 17px; }
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
.sa-question .widget-toggle-buttons button { min-width: 6em; height: 42px; padding: 0 12px;
  border: 2px solid #b0bec5 !important; background: #ffffff; color: #263238; }
.sa-question .widget-toggle-buttons button:first-child { min-width: 2.5em; }
/* the chosen answer must read from the back of the room */
.sa-question .widget-toggle-buttons button.mod-active { background: #1565c0 !important;
  color: #ffffff !important; font-weight: 700; border-color: #0d47a1 !important;
  box-shadow: inset 0 0 0 2px #0d47a1; }
.sa-question .widget-toggle-buttons button:first-child.mod-active { background: #eceff1 !important;
  color: #455a64 !important; border-color: #b0bec5 !important; box-shadow: none; font-weight: 400; }
.sa-qnum { font-weight: 700; color: #1565c0; margin-right: 6px; }
.sa-slider-row { align-items: center; width: 100%; }
.sa-slider-value { min-width: 9em; text-align: right; font-weight: 700; }
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


def legend(items: Sequence[tuple[str, str]], css: str = "") -> str:
    """A legend line: ``items`` of ``(colour, label)`` as swatches with their labels."""
    parts = "".join(
        f'<span><span class="sa-swatch" style="background:{esc(colour)}"></span>{esc(label)}</span>'
        for colour, label in items
    )
    return f'<div class="sa-legend {esc(css)}">{parts}</div>'


def bar_chart(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    maximum: float = 100.0,
    value_format: str = "num",
    css: str = "",
    lang: str = "ru",
    decimals: int = 0,
    missing: str = "—",
) -> str:
    """Horizontal bars: ``rows`` of ``(label, value, colour)``, values from 0 to ``maximum``;
    a row without a value shows ``missing`` (e.g. «не оценено») instead of a number."""
    body = []
    for label, value, colour in rows:
        value_css = "sa-bar-value"
        if value is None or not _isnum(value):
            width, shown = 0.0, esc(missing)
            value_css += " sa-missing"
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
            f'<td class="{value_css}">{shown}</td></tr>'
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
