"""Forecast what-if: sliders for the activity forecast's inputs -> monthly forecast vs plan, gap.

The forecast is the method's activity-based arithmetic,
:func:`salesaudit.analytics.forecast.month_forecast` (meetings a day x working days x conversion x
average deal x headcount); the sliders start at the picked manager's (or the team's) actual
figures as computed once by :func:`salesaudit.analytics.forecast.activity_forecast`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from salesaudit.analytics.calendar import working_days_in_month
from salesaudit.analytics.forecast import TEAM, month_forecast
from salesaudit.report.i18n import fmt_money, fmt_number
from salesaudit.workshop._html import esc, kpi
from salesaudit.workshop._panel import ALL, Panel, dropdown
from salesaudit.workshop._text import t
from salesaudit.workshop.state import WorkshopState

#: names under which the suite may store the activity forecast (first found wins)
ANALYSES = ("forecast", "activity_forecast")


@dataclass(frozen=True)
class ForecastInputs:
    """The five inputs of the activity forecast; ``conversion`` is a share (0.1 = 1 in 10)."""

    meetings_per_day: float
    conversion: float
    avg_deal: float
    working_days: int
    headcount: int = 1


@dataclass(frozen=True)
class ForecastView:
    """What the panel shows: the forecast, the plan it is compared with, and the gap."""

    forecast: float
    plan: float | None
    gap: float | None  # forecast - plan (negative = short of plan)
    plan_month: pd.Timestamp


def plan_month(state: WorkshopState) -> pd.Timestamp:
    """The month the forecast is compared with: the month of ``as_of``."""
    return pd.Timestamp(state.as_of.year, state.as_of.month, 1)


def monthly_plan(state: WorkshopState, manager_id: str | None, month: pd.Timestamp) -> float | None:
    """Revenue plan of ``month`` for a manager, or for the team (``manager_id=None``).

    Rows without a breakdown (``dimension == "none"``) count. The team's plan is the
    department row when given, else the sum of the managers' rows. ``None`` when not planned.
    """
    data = state.dataset
    if not data.has("plans"):
        return None
    p = data.plans
    p = p.loc[
        p["metric"].eq("revenue")
        & p["dimension"].eq("none")
        & (p["period"].dt.to_period("M").dt.start_time == month)
    ]
    if manager_id is not None:
        rows = p.loc[p["manager_id"].eq(manager_id)]
        return float(rows["value"].sum()) if len(rows) else None
    dep = p.loc[p["manager_id"].isna()]
    if len(dep):
        return float(dep["value"].sum())
    mgr = p.loc[p["manager_id"].notna()]
    return float(mgr["value"].sum()) if len(mgr) else None


def _num(value: object, default: float = 0.0) -> float:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return default if math.isnan(f) or math.isinf(f) else f


def forecast_table(state: WorkshopState) -> pd.DataFrame:
    """The precomputed activity forecast's main table (empty when it could not be computed)."""
    for name in ANALYSES:
        table = state.table(name)
        if not table.empty:
            return table
    return pd.DataFrame()


def actual_inputs(state: WorkshopState, manager_id: str | None) -> ForecastInputs:
    """The forecast inputs as observed: the manager's row (or the team's) of the forecast table.

    Meetings a day, conversion, average deal and headcount come from
    :func:`~salesaudit.analytics.forecast.activity_forecast` (last complete months before
    ``as_of``); the working days are those of the plan month in the production calendar. A
    manager without a row (no meetings in the window) starts at zero.
    """
    month = plan_month(state)
    days = working_days_in_month(month.year, month.month)
    table = forecast_table(state)
    key = TEAM if manager_id is None else manager_id
    rows = table.loc[table["manager_id"].eq(key)] if not table.empty else table
    if rows.empty:
        headcount = 1 if manager_id is not None else max(len(state.managers()), 1)
        return ForecastInputs(0.0, 0.0, 0.0, days, headcount)
    r = rows.iloc[0]
    return ForecastInputs(
        meetings_per_day=_num(r.get("meetings_per_day")),
        conversion=_num(r.get("conversion")),
        avg_deal=_num(r.get("avg_deal")),
        working_days=days,
        headcount=max(int(_num(r.get("headcount"), 1.0)), 1),
    )


def what_if(inputs: ForecastInputs, plan: float | None, month: pd.Timestamp) -> ForecastView:
    """The forecast for ``inputs`` (via ``month_forecast``, the PDF's definition) against ``plan``."""
    value = float(
        month_forecast(
            inputs.meetings_per_day,
            inputs.conversion,
            inputs.avg_deal,
            inputs.working_days,
            headcount=inputs.headcount,
        )
    )
    gap = None if plan is None else value - plan
    return ForecastView(forecast=value, plan=plan, gap=gap, plan_month=month)


def on_slider_grid(inputs: ForecastInputs) -> ForecastInputs:
    """``inputs`` rounded to the sliders' steps: 0.1 meeting, 0.1 % conversion, 100 ₽ deal."""
    return ForecastInputs(
        meetings_per_day=round(inputs.meetings_per_day, 1),
        conversion=round(inputs.conversion * 100.0, 1) / 100.0,
        avg_deal=float(round(inputs.avg_deal / 100.0) * 100),
        working_days=inputs.working_days,
        headcount=inputs.headcount,
    )


#: the sliders in display order, as their DOM classes name them (``sa-forecast-<key>``)
SLIDER_KEYS = ("meetings", "conversion", "avg-deal", "headcount", "working-days")


def _nice_max(value: float, floor: float) -> float:
    """A slider maximum: at least ``floor``, about three times the actual value, rounded up."""
    target = max(floor, value * 3.0)
    magnitude = 10 ** max(0, int(math.log10(target)) - 1) if target > 0 else 1
    return float(math.ceil(target / magnitude) * magnitude)


class ForecastPanel(Panel):
    """Sliders for the forecast inputs and the resulting monthly forecast, plan and gap."""

    title_key = "tab_forecast"
    css_class = "sa-panel-forecast"

    def __init__(self, state: WorkshopState) -> None:
        super().__init__(state)
        lang = self.lang
        self.month = plan_month(state)
        self._plans: dict[str | None, float | None] = {}  # manager -> plan of the month
        # the exact actual inputs and their slider-grid version: while the sliders show the
        # latter, the forecast is the exact one, i.e. the PDF's figure (h5-scoring)
        self._actual: tuple[ForecastInputs, ForecastInputs] | None = None
        self._updating = False
        self.manager = dropdown(
            [(t("team", lang), ALL)] + [(name, mid) for mid, name in state.people()],
            ALL,
            t("manager", lang),
            "sa-forecast-manager",
        )
        style = {"description_width": "20em"}

        def slider(kind: type, css: str, label: str, **kw: object) -> w.Widget:
            # no readout: the value is shown beside the slider in the Russian number format
            s = kind(
                description=t(label, lang), style=style, readout=False,
                layout=w.Layout(width="auto", flex="1 1 auto"), **kw,
            )  # fmt: skip
            s.add_class(css)
            return s

        self.meetings = slider(w.FloatSlider, "sa-forecast-meetings", "meetings_per_day",
                               min=0.0, max=10.0, step=0.1)  # fmt: skip
        self.conversion = slider(w.FloatSlider, "sa-forecast-conversion", "conversion",
                                 min=0.0, max=100.0, step=0.1)  # fmt: skip
        self.avg_deal = slider(w.FloatSlider, "sa-forecast-avg-deal", "avg_deal",
                               min=0.0, max=100_000.0, step=100.0)  # fmt: skip
        self.headcount = slider(w.IntSlider, "sa-forecast-headcount", "headcount",
                                min=1, max=50, step=1)  # fmt: skip
        self.working_days = slider(w.IntSlider, "sa-forecast-working-days", "working_days",
                                   min=1, max=31, step=1)  # fmt: skip
        self.values = {key: w.HTML() for key in SLIDER_KEYS}
        for key, box in self.values.items():
            box.add_class("sa-slider-value")
            box.add_class(f"sa-forecast-{key}-value")
        self._set_ranges()
        self.reset = w.Button(
            description=t("reset", lang), layout=w.Layout(width="auto", margin="0 0 0 16px")
        )
        self.reset.add_class("sa-forecast-reset")
        self.output = w.HTML()
        self.output.add_class("sa-forecast-output")
        month = f"{self.month:%m.%Y}" if lang == "ru" else f"{self.month:%Y-%m}"
        note = w.HTML(
            f'<p class="sa-note">{esc(t("forecast_formula", lang))}. '
            f"{esc(t('plan_month', lang))}: {month}</p>"
        )
        rows = []
        for key, s in zip(SLIDER_KEYS, self._sliders()):
            row = w.HBox([s, self.values[key]], layout=w.Layout(width="100%"))
            row.add_class("sa-slider-row")
            rows.append(row)
        self.widget.children = [w.HBox([self.manager, self.reset]), *rows, self.output, note]
        for s in self._sliders():
            s.observe(self._on_slider, names="value")
        self.manager.observe(self._on_manager, names="value")
        self.reset.on_click(lambda _b: self.load_actuals())
        self.load_actuals()

    def _set_ranges(self) -> None:
        """Slider ranges wide enough for every manager and the team, fixed once.

        Changing a range later would make the browser snap and send back slider values.
        """
        everyone = [None] + [mid for mid, _name in self.state.people()]
        actuals = [actual_inputs(self.state, m) for m in everyone]
        self.meetings.max = _nice_max(max(a.meetings_per_day for a in actuals), 10.0)
        self.avg_deal.max = _nice_max(max(a.avg_deal for a in actuals), 100_000.0)
        self.headcount.max = int(max(50, *(2 * a.headcount for a in actuals)))

    def _sliders(self) -> list[w.Widget]:
        return [self.meetings, self.conversion, self.avg_deal, self.headcount, self.working_days]

    @property
    def manager_id(self) -> str | None:
        """The picked manager (``None`` = the whole team)."""
        return self.manager.value or None

    def inputs(self) -> ForecastInputs:
        """The inputs as the sliders show them, on the sliders' grid.

        A browser slider computes its value as steps x step size (35 x 0.1 gives
        3.5000000000000004); rounding to the grid makes the forecast the one of the numbers
        the readouts show.
        """
        return on_slider_grid(
            ForecastInputs(
                meetings_per_day=float(self.meetings.value),
                conversion=float(self.conversion.value) / 100.0,
                avg_deal=float(self.avg_deal.value),
                working_days=int(self.working_days.value),
                headcount=int(self.headcount.value),
            )
        )

    def view(self) -> ForecastView:
        """Forecast, plan and gap for the current sliders and manager."""
        key = self.manager_id
        if key not in self._plans:
            self._plans[key] = monthly_plan(self.state, key, self.month)
        plan = self._plans[key]
        inputs = self.inputs()
        if self._actual is not None and inputs == self._actual[1]:
            inputs = self._actual[0]  # untouched sliders: the exact inputs, as in the PDF
        return what_if(inputs, plan, self.month)

    def load_actuals(self) -> None:
        """Set the sliders to the picked manager's (or the team's) actual figures.

        The figures are rounded to the sliders' steps (0.1 meeting, 0.1 %, 100 ₽), so that the
        readouts show exactly the numbers the forecast is computed from.
        """
        exact = actual_inputs(self.state, self.manager_id)
        actual = on_slider_grid(exact)
        self._actual = (exact, actual)
        self._updating = True
        try:
            self.meetings.value = actual.meetings_per_day
            self.conversion.value = round(actual.conversion * 100.0, 1)
            self.avg_deal.value = actual.avg_deal
            self.headcount.value = actual.headcount
            self.working_days.value = actual.working_days
        finally:
            self._updating = False
        self.refresh()

    def _on_manager(self, _change: object) -> None:
        self.load_actuals()

    def _on_slider(self, _change: object) -> None:
        if not self._updating:
            self.refresh()

    def slider_texts(self) -> dict[str, str]:
        """The sliders' values as shown beside them (Russian format: ``3,5``, ``227 400 ₽``)."""
        lang = self.lang
        x = self.inputs()
        return {
            "meetings": fmt_number(x.meetings_per_day, lang, 1),
            "conversion": fmt_number(x.conversion * 100.0, lang, 1) + " %",
            "avg-deal": fmt_money(x.avg_deal, lang),
            "headcount": fmt_number(x.headcount, lang, 0),
            "working-days": fmt_number(x.working_days, lang, 0),
        }

    def refresh(self) -> None:
        """Recompute the forecast for the sliders and redraw the figures."""
        lang = self.lang
        x = self.inputs()
        raw = {
            "meetings": x.meetings_per_day,
            "conversion": round(x.conversion * 100.0, 1),
            "avg-deal": x.avg_deal,
            "headcount": x.headcount,
            "working-days": x.working_days,
        }
        for key, text in self.slider_texts().items():
            self.values[
                key
            ].value = f'<span class="sa-value" data-value="{raw[key]!r}">{esc(text)}</span>'
        v = self.view()
        forecast = (
            f'<span class="sa-forecast-value" data-value="{v.forecast!r}">'
            f"{esc(fmt_money(v.forecast, lang))}</span>"
        )
        if v.plan is None:
            plan_html = f'<span class="sa-plan-value">{esc(t("no_plan", lang))}</span>'
            gap_html = '<span class="sa-gap-value">—</span>'
            kind = ""
        else:
            plan_html = (
                f'<span class="sa-plan-value" data-value="{v.plan!r}">'
                f"{esc(fmt_money(v.plan, lang))}</span>"
            )
            sign = "+" if v.gap and v.gap > 0 else ""
            pct = f" ({sign}{fmt_number(100.0 * v.gap / v.plan, lang, 1)} %)" if v.plan else ""
            gap_html = (
                f'<span class="sa-gap-value" data-value="{v.gap!r}">'
                f"{esc(sign + fmt_money(v.gap, lang) + pct)}</span>"
            )
            kind = "sa-neg" if v.gap is not None and v.gap < 0 else "sa-pos"
        self.output.value = (
            '<div class="sa-kpis">'
            + kpi(t("forecast", lang), forecast)
            + kpi(t("plan", lang), plan_html)
            + kpi(t("gap", lang), gap_html, kind=kind)
            + "</div>"
        )

    def with_inputs(self, inputs: ForecastInputs) -> None:
        """Set every slider at once (one redraw), e.g. from a test or a saved scenario."""
        self._updating = True
        try:
            self.meetings.value = inputs.meetings_per_day
            self.conversion.value = inputs.conversion * 100.0
            self.avg_deal.value = inputs.avg_deal
            self.headcount.value = inputs.headcount
            self.working_days.value = inputs.working_days
        finally:
            self._updating = False
        self.refresh()


__all__ = [
    "ForecastInputs",
    "ForecastPanel",
    "ForecastView",
    "actual_inputs",
    "monthly_plan",
    "plan_month",
    "what_if",
]
