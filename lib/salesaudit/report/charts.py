"""House-style charts of the express assessment.

Every chart is a seaborn-style function ``plot_x(data, *, <column names>, lang="ru", ax=None) -> Axes``:
it takes a tidy DataFrame and the names of the columns to use, draws on ``ax`` (or on a new figure
of the house size) and returns the Axes. Inputs are never modified.

The house style is restrained and readable in grayscale: one blue-gray ramp where series differ by
lightness, plus hatching and marker shapes, DejaVu Sans (which has Cyrillic) and fixed sizes.
:func:`figure_to_svg` turns a figure into vector SVG (text in DejaVu Sans, embedded into the PDF by
WeasyPrint; or, optionally, glyphs as paths).
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from salesaudit.errors import ParameterError
from salesaudit.report.i18n import (
    area_label,
    fmt_month,
    fmt_number,
    fmt_pct,
    fmt_score,
    level_name,
    money_unit,
    refusal_name,
    t,
)

#: the ramp, darkest first; series are told apart by lightness (and hatching / markers)
INK = "#1b2a3a"
DARK = "#2f4b6b"
MID = "#6585a8"
LIGHT = "#a9bfd6"
PALE = "#dce6f0"
GRID = "#d0d4d9"
RAMP = (
    "#1f3550",
    "#3d5f86",
    "#6585a8",
    "#8ea8c5",
    "#b6c8dc",
    "#dbe5ef",
    "#5a5a5a",
    "#9a9a9a",
    "#d2d2d2",
)
#: line hatches only: dotted ones ("...", "ooo", "***") make WeasyPrint's SVG renderer 20x slower
HATCHES = ("", "///", "\\\\\\", "xxx", "---", "|||", "+++", "//", "\\\\")
MARKERS = ("o", "s", "D", "^", "v", "P")
#: house figure size in inches: A4 text width (16.5 cm) by a third of a page
WIDTH = 6.5
HEIGHT = 3.0

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 8.5,
    "axes.edgecolor": "#6b7280",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.5,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "hatch.linewidth": 0.6,
    "hatch.color": INK,
    "svg.hashsalt": "salesaudit",
    "figure.dpi": 100,
}


#: seaborn's "whitegrid" axes style (as ``seaborn.axes_style("whitegrid")`` gives it), written
#: out so that drawing does not import seaborn (about 0.8 s in every process that draws)
WHITEGRID: dict[str, Any] = {
    "figure.facecolor": "white",
    "axes.labelcolor": ".15",
    "xtick.direction": "out",
    "ytick.direction": "out",
    "xtick.color": ".15",
    "ytick.color": ".15",
    "axes.axisbelow": True,
    "grid.linestyle": "-",
    "text.color": ".15",
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "xtick.top": False,
    "ytick.right": False,
    "axes.grid": True,
    "axes.facecolor": "white",
    "axes.edgecolor": ".8",
    "grid.color": ".8",
    "axes.spines.left": True,
    "axes.spines.bottom": True,
    "axes.spines.right": True,
    "axes.spines.top": True,
    "xtick.bottom": False,
    "ytick.left": False,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Context in which matplotlib draws in the house style: seaborn's "whitegrid" look with the
    house settings (:data:`STYLE`) on top; the global rcParams are restored afterwards."""
    with mpl.rc_context({**WHITEGRID, **STYLE}):
        yield


#: characters per line of a long category label (area titles, manager names)
LABEL_WIDTH = 38


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Break a long axis label into lines of at most ``width`` characters (at spaces)."""
    return (
        textwrap.fill(str(text), width=width, break_long_words=False)
        if len(str(text)) > width
        else str(text)
    )


def _new_ax(ax: Axes | None, height: float = HEIGHT, width: float = WIDTH) -> Axes:
    if ax is not None:
        return ax
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig.add_subplot()


def money_scale(values: Any, lang: str = "ru") -> tuple[float, str]:
    """Divisor and unit for a money axis by the largest absolute value: roubles, thousands or
    millions (``(1e6, "млн ₽")`` / ``(1e6, "RUB m")``). The one place chart money units come from."""
    arr = np.abs(np.asarray(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce"), float))
    top = float(np.nanmax(arr)) if arr.size and np.isfinite(arr).any() else 0.0
    div = 1e6 if top >= 2e6 else 1e3 if top >= 2e4 else 1.0
    return div, money_unit(div, lang)  # in the report currency


def money_axis(ax: Axes, axis: str, values: Any, label_key: str, lang: str = "ru") -> None:
    """Format the ``axis`` ("x" or "y") of ``ax`` as money in the scale of ``values`` and label
    it "<label>, <unit>" (e.g. "Выручка, млн ₽")."""
    div, unit = money_scale(values, lang)

    def tick(v: float, _pos: Any) -> str:
        x = v / div
        return fmt_number(x, lang, 0 if abs(x - round(x)) < 1e-9 else 1)

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_formatter(mpl.ticker.FuncFormatter(tick))
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(f"{t(label_key, lang)}, {unit}")


def _need(data: pd.DataFrame, *cols: str | None) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"chart data must be a DataFrame, got {type(data).__name__}")
    missing = [c for c in cols if c is not None and c not in data.columns]
    if missing:
        raise ParameterError(
            f"chart data lacks column(s): {', '.join(missing)}",
            hint=f"available columns: {', '.join(map(str, data.columns))}",
        )
    return data.copy()


def _num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype(float)


def _finish(ax: Axes, title: str | None) -> Axes:
    if title:
        ax.set_title(title, loc="left")
    return ax


def _empty(ax: Axes, lang: str, title: str | None) -> Axes:
    ax.set_axis_off()
    ax.text(0.5, 0.5, t("no_data", lang), ha="center", va="center", transform=ax.transAxes)
    return _finish(ax, title)


def _score_color(score: float) -> str:
    if score >= 70:
        return LIGHT
    if score >= 40:
        return MID
    return DARK


def plot_area_scores(
    data: pd.DataFrame,
    *,
    area: str = "area",
    score: str = "score",
    confidence: str = "confidence",
    label: str | None = "title",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
    compact: bool = False,
) -> Axes:
    """The seven problem areas: one horizontal bar per area (score 0..100, higher = healthier).

    Bar lightness follows the score band (dark = weak); a confidence below 50 % is hatched; the
    label at each bar reads ``<score> · <confidence %>``. Areas without a score get no bar and "—".
    ``label`` may hold a plain title or a ``{"ru","en"}`` dict; falls back to the built-in title.
    Each bar is named by the problem's number and title in ``lang`` (``"1. Management
    competence"``), never by its internal id. ``compact=True`` draws a lower figure whose bars are
    named by the built-in short titles on one line each.
    """
    df = _need(data, area, score, confidence)
    with house_style():
        per_bar, extra = (0.19, 0.62) if compact else (0.32, 0.7)
        ax = _new_ax(ax, height=per_bar * max(len(df), 1) + extra)
        if df.empty:
            return _empty(ax, lang, title)
        names = [
            area_label(a, lang, None if compact or label not in df.columns else df[label].iloc[i])
            if compact
            else wrap_label(area_label(a, lang, df[label].iloc[i] if label in df.columns else None))
            for i, a in enumerate(df[area])
        ]
        scores = _num(df[score])
        confs = _num(df[confidence])
        y = np.arange(len(df))
        for yi, s, c in zip(y, scores, confs):
            if np.isnan(s):
                ax.text(1, yi, "—", va="center", fontsize=7.5)
                continue
            ax.barh(
                yi,
                s,
                height=0.62,
                color=_score_color(s),
                edgecolor=INK,
                linewidth=0.5,
                hatch="///" if (not np.isnan(c) and c < 0.5) else "",
                label="_nolegend_",
            )
            conf_txt = "" if np.isnan(c) else f" · {fmt_pct(c * 100, lang, 0)}"
            ax.text(s + 1.2, yi, f"{fmt_score(s, lang)}{conf_txt}", va="center", fontsize=7.5)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 118)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel(t("score_axis", lang))
        ax.grid(axis="y", visible=False)
        ax.legend(
            handles=[
                Patch(facecolor=DARK, edgecolor=INK, label="0–39"),
                Patch(facecolor=MID, edgecolor=INK, label="40–69"),
                Patch(facecolor=LIGHT, edgecolor=INK, label="70–100"),
                Patch(
                    facecolor="white",
                    edgecolor=INK,
                    hatch="///",
                    label=f"{t('confidence', lang)} < {fmt_pct(50, lang, 0)}",
                ),
            ],
            loc="lower right",
            ncols=4,
            bbox_to_anchor=(1.0, 1.0),
            fontsize=6.5,
        )
        return _finish(ax, title)


def plot_plan_fact(
    data: pd.DataFrame,
    *,
    manager: str = "manager",
    plan: str = "plan",
    fact: str = "fact",
    forecast: str | None = None,
    horizontal: bool | None = None,
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plan vs fact per manager: light hatched plan bars, dark fact bars, ``% done`` next to fact.

    With ``forecast`` (the running month's completion forecast) a diamond marks it per manager.
    ``horizontal`` (default: more than six managers) lays managers out as rows so long names
    stay readable; plan bars come first, then fact bars, in both layouts.
    """
    df = _need(data, manager, plan, fact, forecast)
    horizontal = len(df) > 6 if horizontal is None else horizontal
    with house_style():
        ax = _new_ax(ax, height=0.22 * len(df) + 0.9 if horizontal else HEIGHT)
        if df.empty:
            return _empty(ax, lang, title)
        pos = np.arange(len(df))
        p, f = _num(df[plan]), _num(df[fact])
        w = 0.38
        draw = ax.barh if horizontal else ax.bar
        style = {"edgecolor": INK, "linewidth": 0.5}
        draw(pos - w / 2, p.fillna(0), w, color=PALE, hatch="///", label=t("plan", lang), **style)
        draw(pos + w / 2, f.fillna(0), w, color=DARK, label=t("fact", lang), **style)
        top = float(np.nanmax(np.concatenate([p.to_numpy(), f.to_numpy(), [0.0]])))
        if forecast is not None:
            fc = _num(df[forecast])
            xy = (fc, pos + w / 2) if horizontal else (pos + w / 2, fc)
            ax.scatter(
                *xy,
                marker="D",
                s=22,
                color="white",
                edgecolor=INK,
                zorder=3,
                label=t("month_forecast", lang),
            )
            top = max(top, float(np.nanmax(np.append(fc.to_numpy(), 0.0))))
        marks = _num(df[forecast]) if forecast is not None else f
        for pi, pv, fv, mv in zip(pos, p, f, marks):
            if pv and not np.isnan(pv) and not np.isnan(fv):
                label = fmt_pct(fv / pv * 100, lang, 0)
                at = max(fv, mv) if not np.isnan(mv) else fv  # clear of the forecast marker
                if horizontal:
                    ax.text(at + top * 0.025, pi + w / 2, label, va="center", fontsize=6.5)
                else:
                    ax.text(
                        pi + w / 2, at + top * 0.03, label, ha="center", va="bottom", fontsize=7
                    )
        names = [wrap_label(str(v), 28) for v in df[manager]]
        if horizontal:
            ax.set_yticks(pos, names)
            ax.invert_yaxis()
            ax.set_xlim(0, top * 1.15 if top > 0 else 1)
            money_axis(ax, "x", [top], "revenue", lang)
            ax.grid(axis="y", visible=False)
            ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3)
        else:
            ax.set_xticks(pos, names)
            ax.set_ylim(0, top * 1.15 if top > 0 else 1)
            money_axis(ax, "y", [top], "revenue", lang)
            ax.grid(axis="x", visible=False)
            ax.legend(loc="upper right", ncols=3)
        return _finish(ax, title)


def plot_seasonality(
    data: pd.DataFrame,
    *,
    period: str = "period",
    revenue: str = "revenue",
    trend: str | None = "trend",
    baseline: str | None = "baseline",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Monthly revenue as light bars, the trend as a dark dashed line, the baseline with markers."""
    df = _need(data, period, revenue, trend, baseline)
    with house_style():
        ax = _new_ax(ax)
        if df.empty:
            return _empty(ax, lang, title)
        x = np.arange(len(df))
        ax.bar(
            x,
            _num(df[revenue]).fillna(0),
            0.7,
            color=LIGHT,
            edgecolor=INK,
            linewidth=0.4,
            label=t("revenue", lang),
        )
        if trend is not None:
            ax.plot(
                x, _num(df[trend]), color=INK, linestyle="--", linewidth=1.3, label=t("trend", lang)
            )
        if baseline is not None:
            ax.plot(
                x,
                _num(df[baseline]),
                color=MID,
                linestyle="-",
                marker="o",
                markersize=3.5,
                linewidth=1.1,
                label=t("baseline", lang),
            )
        labels = [_period_label(v, lang) for v in df[period]]
        step = max(1, len(labels) // 12)
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right")
        money_axis(ax, "y", df[revenue], "revenue", lang)
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left", ncols=3)
        return _finish(ax, title)


def _period_label(v: Any, lang: str = "ru") -> str:
    """A month on a chart axis: ``11.2026`` (ru) / ``Nov 2026`` (en)."""
    return fmt_month(v, lang)


def plot_refusal_mix(
    data: pd.DataFrame,
    *,
    manager: str = "manager",
    reason: str = "reason",
    value: str = "count",
    team: bool = True,
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked 100 % bars of refusal reasons per manager, with the whole team as the last bar.

    ``data`` is long: one row per (manager, reason) with a count (or amount) in ``value``.
    Reasons differ by lightness and hatching; the legend names them in ``lang``.
    """
    df = _need(data, manager, reason, value)
    with house_style():
        ax = _new_ax(ax, height=0.24 * (df[manager].nunique() + (1 if team else 0)) + 1.2)
        if df.empty:
            return _empty(ax, lang, title)
        df[value] = _num(df[value]).fillna(0)
        wide = df.pivot_table(
            index=manager, columns=reason, values=value, aggfunc="sum", fill_value=0, sort=False
        )
        order = wide.sum(axis=0).sort_values(ascending=False).index
        wide = wide[order]
        if team:
            wide.loc[t("team", lang)] = wide.sum(axis=0)
        shares = wide.div(wide.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
        y = np.arange(len(shares))
        left = np.zeros(len(shares))
        for i, col in enumerate(shares.columns):
            vals = shares[col].to_numpy()
            ax.barh(
                y,
                vals,
                left=left,
                height=0.62,
                color=RAMP[i % len(RAMP)],
                edgecolor=INK,
                linewidth=0.4,
                hatch=HATCHES[i % len(HATCHES)],
                label=refusal_name(col, lang),
            )
            # on a hatched segment the number sits on a small white patch, so it stays
            # readable in grayscale print
            hatched = bool(HATCHES[i % len(HATCHES)])
            patch = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}
            for yi, (lv, v) in enumerate(zip(left, vals)):
                if v >= 9:
                    dark = (i < 2 or i == 6) and not hatched
                    ax.text(
                        lv + v / 2,
                        yi,
                        fmt_number(v, lang),
                        ha="center",
                        va="center",
                        fontsize=6.5,
                        color="white" if dark else INK,
                        bbox=patch if hatched else None,
                    )
            left = left + vals
        ax.set_yticks(y, [str(v) for v in shares.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"{t('share', lang)}, %")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), ncols=1)
        return _finish(ax, title)


def plot_forecast(
    data: pd.DataFrame,
    *,
    manager: str = "manager",
    forecast: str = "forecast",
    plan: str | None = "plan",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Activity-based forecast per manager (horizontal bars) with the plan as a dark tick mark."""
    df = _need(data, manager, forecast, plan)
    with house_style():
        ax = _new_ax(ax, height=0.19 * max(len(df), 1) + 0.7)
        if df.empty:
            return _empty(ax, lang, title)
        y = np.arange(len(df))
        fc = _num(df[forecast])
        ax.barh(
            y,
            fc.fillna(0),
            height=0.6,
            color=LIGHT,
            edgecolor=INK,
            linewidth=0.5,
            label=t("forecast_value", lang),
        )
        if plan is not None:
            ax.scatter(
                _num(df[plan]),
                y,
                marker="|",
                s=260,
                linewidths=2.2,
                color=INK,
                zorder=3,
                label=t("plan", lang),
            )
        ax.set_yticks(y, [str(v) for v in df[manager]])
        ax.invert_yaxis()
        money_axis(ax, "x", fc, "revenue_month", lang)
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2)
        return _finish(ax, title)


def plot_forecast_backtest(
    data: pd.DataFrame,
    *,
    period: str = "period",
    forecast: str = "forecast",
    actual: str = "actual",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Backtest: forecast (dashed, squares) against actual (solid, circles) by period.

    Rows with the same period (e.g. one per manager) are summed first.
    """
    df = _need(data, period, forecast, actual)
    with house_style():
        ax = _new_ax(ax)
        if df.empty:
            return _empty(ax, lang, title)
        df[forecast] = _num(df[forecast])
        df[actual] = _num(df[actual])
        g = df.groupby(period, sort=True)[[forecast, actual]].sum(min_count=1)
        x = np.arange(len(g))
        ax.plot(
            x,
            g[actual],
            color=INK,
            marker="o",
            markersize=4,
            linewidth=1.4,
            label=t("actual", lang),
        )
        ax.plot(
            x,
            g[forecast],
            color=MID,
            marker="s",
            markersize=4,
            linestyle="--",
            linewidth=1.4,
            label=t("forecast_value", lang),
        )
        ax.set_xticks(
            x,
            [_period_label(v, lang) for v in g.index],
            rotation=45 if len(g) > 6 else 0,
            ha="right" if len(g) > 6 else "center",
        )
        money_axis(ax, "y", g[actual], "revenue_month", lang)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", ncols=2)
        return _finish(ax, title)


LEVEL_STYLE = {"low": (PALE, ""), "medium": (MID, "\\\\\\"), "high": (DARK, "///")}


def plot_suspicion(
    data: pd.DataFrame,
    *,
    manager: str = "manager",
    score: str = "score",
    level: str | None = "level",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Suspicion score per manager (horizontal bars); the level (low/medium/high) sets the fill."""
    df = _need(data, manager, score, level)
    with house_style():
        ax = _new_ax(ax, height=0.19 * max(len(df), 1) + 0.85)
        if df.empty:
            return _empty(ax, lang, title)
        y = np.arange(len(df))
        scores = _num(df[score])
        levels = [str(v) for v in df[level]] if level else ["medium"] * len(df)
        for yi, s, lv in zip(y, scores, levels):
            color, hatch = LEVEL_STYLE.get(lv, (LIGHT, ""))
            ax.barh(
                yi,
                0 if np.isnan(s) else s,
                height=0.6,
                color=color,
                edgecolor=INK,
                linewidth=0.5,
                hatch=hatch,
            )
        ax.set_yticks(y, [str(v) for v in df[manager]])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        present = [lv for lv in LEVEL_STYLE if lv in levels]
        ax.legend(
            handles=[
                Patch(
                    facecolor=LEVEL_STYLE[lv][0],
                    edgecolor=INK,
                    hatch=LEVEL_STYLE[lv][1],
                    label=level_name(lv, lang),
                )
                for lv in present
            ],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=3,
        )
        ax.set_xlabel(t("suspicion_axis", lang))
        return _finish(ax, title)


def plot_activity(
    data: pd.DataFrame,
    *,
    manager: str = "manager",
    meetings: str = "meetings_per_day",
    calls: str | None = "calls_per_day",
    field_share: str | None = "field_share",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Meetings and calls per working day by manager (grouped bars); field share written at right.

    ``field_share`` is a 0..1 share of meetings held at the client's site.
    """
    df = _need(data, manager, meetings, calls, field_share)
    with house_style():
        ax = _new_ax(ax, height=0.26 * max(len(df), 1) + 0.9)
        if df.empty:
            return _empty(ax, lang, title)
        y = np.arange(len(df))
        h = 0.38 if calls else 0.6
        m = _num(df[meetings])
        ax.barh(
            y - (h / 2 if calls else 0),
            m.fillna(0),
            height=h,
            color=DARK,
            edgecolor=INK,
            linewidth=0.5,
            label=t("meetings_per_day", lang),
        )
        top = float(np.nanmax(np.append(m.to_numpy(), 0.0)))
        if calls:
            c = _num(df[calls])
            ax.barh(
                y + h / 2,
                c.fillna(0),
                height=h,
                color=PALE,
                edgecolor=INK,
                linewidth=0.5,
                hatch="---",
                label=t("calls_per_day", lang),
            )
            top = max(top, float(np.nanmax(np.append(c.to_numpy(), 0.0))))
        if field_share:
            for yi, fs in zip(y, _num(df[field_share])):
                if not np.isnan(fs):
                    ax.text(
                        top * 1.04,
                        yi,
                        f"{t('field_share', lang)}: {fmt_pct(fs * 100, lang, 0)}",
                        va="center",
                        fontsize=7,
                    )
            ax.set_xlim(0, top * 1.5 if top > 0 else 1)
        ax.set_yticks(y, [str(v) for v in df[manager]])
        ax.invert_yaxis()
        ax.set_xlabel(t("activity_axis", lang))
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2)
        return _finish(ax, title)


def plot_client_abc(
    data: pd.DataFrame,
    *,
    abc: str = "abc",
    revenue: str = "revenue",
    clients: str | None = None,
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Share of revenue by ABC class (bars), with the number and share of clients on each bar.

    ``data`` may be one row per client (then clients are counted) or one row per class with a
    client count in ``clients``.
    """
    df = _need(data, abc, revenue, clients)
    with house_style():
        ax = _new_ax(ax, height=2.4, width=WIDTH * 0.7)
        if df.empty:
            return _empty(ax, lang, title)
        df[revenue] = _num(df[revenue]).fillna(0)
        agg = df.groupby(abc, sort=True).agg(
            rev=(revenue, "sum"), n=(clients, "sum") if clients else (revenue, "size")
        )
        rev_share = agg["rev"] / agg["rev"].sum() * 100 if agg["rev"].sum() else agg["rev"] * 0
        n_share = agg["n"] / agg["n"].sum() * 100 if agg["n"].sum() else agg["n"] * 0
        x = np.arange(len(agg))
        for i, (xi, v) in enumerate(zip(x, rev_share)):
            ax.bar(
                xi,
                v,
                0.6,
                color=RAMP[[0, 2, 4][i % 3]],
                edgecolor=INK,
                linewidth=0.5,
                hatch=HATCHES[i % 3],
            )
            ax.text(
                xi,
                v + 1.5,
                f"{fmt_pct(v, lang, 0)}\n{t('clients_count', lang)}: {fmt_number(agg['n'].iloc[i], lang)} ({fmt_pct(n_share.iloc[i], lang, 0)})",
                ha="center",
                va="bottom",
                fontsize=7,
            )
        ax.set_xticks(x, [str(v) for v in agg.index])
        ax.set_ylim(0, 115)
        ax.set_ylabel(f"{t('revenue_share', lang)}, %")
        ax.grid(axis="x", visible=False)
        return _finish(ax, title)


def plot_active_clients(
    data: pd.DataFrame,
    *,
    period: str = "period",
    active: str = "active_clients",
    new: str | None = None,
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Active clients by period as bars; new clients (optional) as a dark line with markers."""
    df = _need(data, period, active, new)
    with house_style():
        ax = _new_ax(ax, height=2.4)
        if df.empty:
            return _empty(ax, lang, title)
        g = df.groupby(period, sort=True)[[c for c in (active, new) if c]].sum(min_count=1)
        x = np.arange(len(g))
        ax.bar(
            x,
            _num(g[active]).fillna(0),
            0.7,
            color=LIGHT,
            edgecolor=INK,
            linewidth=0.4,
            label=t("active_clients", lang),
        )
        if new:
            ax.plot(
                x,
                _num(g[new]),
                color=INK,
                marker="o",
                markersize=3.5,
                linewidth=1.2,
                label=t("new_clients_month", lang),
            )
        labels = [_period_label(v, lang) for v in g.index]
        step = max(1, len(labels) // 12)
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right")
        ax.set_ylabel(t("clients_axis", lang))
        ax.grid(axis="x", visible=False)
        ax.legend(loc="upper left")
        return _finish(ax, title)


def plot_delegation(
    data: pd.DataFrame,
    *,
    person: str = "manager",
    value: str = "revenue",
    role: str | None = "role",
    lang: str = "ru",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Who sells: each person's share of ``value`` (e.g. revenue); the owner's bar dark and hatched."""
    df = _need(data, person, value, role)
    with house_style():
        ax = _new_ax(ax, height=0.3 * max(len(df), 1) + 0.8)
        if df.empty:
            return _empty(ax, lang, title)
        v = _num(df[value]).fillna(0)
        share = v / v.sum() * 100 if v.sum() else v * 0
        y = np.arange(len(df))
        roles = [str(r) for r in df[role]] if role else [""] * len(df)
        for yi, s, r in zip(y, share, roles):
            owner = r == "owner"
            ax.barh(
                yi,
                s,
                height=0.6,
                color=DARK if owner else LIGHT,
                edgecolor=INK,
                linewidth=0.5,
                hatch="///" if owner else "",
            )
            ax.text(s + 0.8, yi, fmt_pct(s, lang, 1), va="center", fontsize=7)
        ax.set_yticks(y, [str(p) for p in df[person]])
        ax.invert_yaxis()
        ax.set_xlim(0, max(float(share.max()) * 1.2, 10))
        ax.set_xlabel(f"{t('revenue_share', lang)}, %")
        ax.grid(axis="y", visible=False)
        return _finish(ax, title)


_XML_HEAD = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def figure_to_svg(fig: Figure, *, text_as_paths: bool = False) -> str:
    """The figure as a self-contained vector SVG string.

    By default text stays text in DejaVu Sans (the house font, which has Cyrillic): WeasyPrint
    renders it with the system DejaVu Sans and embeds the font in the PDF, the text stays
    searchable, and rendering is about four times faster than with glyph outlines.
    ``text_as_paths=True`` draws every glyph as a path instead, for viewers that may lack the
    font. The XML prologue is dropped so the result can be inlined into HTML; output is
    deterministic (no date metadata, fixed id salt). The house figures use constrained layout,
    which already keeps every label inside the figure, so the figure is drawn once (a "tight"
    bounding box would draw it twice).
    """
    buf = io.StringIO()
    rc = {"svg.fonttype": "path" if text_as_paths else "none", "svg.hashsalt": "salesaudit"}
    with mpl.rc_context(rc):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return _XML_HEAD.sub("", buf.getvalue()).strip()


def tick_labels(ax: Axes, axis: str = "y") -> list[str]:
    """Text of the tick labels on ``axis`` (``"x"`` or ``"y"``)."""
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [tl.get_text() for tl in ticks]


__all__: Sequence[str] = (
    "STYLE",
    "house_style",
    "figure_to_svg",
    "plot_area_scores",
    "plot_plan_fact",
    "plot_seasonality",
    "plot_refusal_mix",
    "plot_forecast",
    "plot_forecast_backtest",
    "plot_suspicion",
    "plot_activity",
    "plot_client_abc",
    "plot_active_clients",
    "plot_delegation",
    "tick_labels",
)
