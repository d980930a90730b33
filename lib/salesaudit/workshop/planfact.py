"""Plan / fact drill-down: period, manager and metric pickers -> deviations and the daily run-rate.

The plan/fact tables are computed once per planned metric by
:func:`salesaudit.analytics.planfact.plan_fact`; picking only filters them.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from salesaudit.analytics.planfact import plan_fact
from salesaudit.report.i18n import fmt_number, fmt_pct
from salesaudit.workshop._html import BAD, GOOD, diverging_chart, esc, kpi, legend, table_html
from salesaudit.workshop._panel import ALL, Panel, dropdown
from salesaudit.workshop._text import METRIC_LABELS, label_of, t
from salesaudit.workshop.state import WorkshopState

#: the analysis name under which the suite stores plan/fact of revenue
ANALYSIS = "plan_fact"
#: a snapshot stores the plan/fact of every planned metric as the analysis ``plan_fact:<metric>``
PLAN_FACT_PREFIX = "plan_fact:"


def plan_fact_tables(state: WorkshopState) -> dict[str, pd.DataFrame]:
    """Plan/fact main table per planned metric (``revenue`` first); empty when there is no plan.

    A metric's table comes from the precomputed ``plan_fact:<metric>`` analysis of a snapshot
    when present, revenue from the suite's ``plan_fact``; other metrics are computed here once.
    """
    data = state.dataset
    if not data.has("plans"):
        return {}
    metrics = [m for m in METRIC_LABELS if m in set(data.plans["metric"].dropna())]
    out: dict[str, pd.DataFrame] = {}
    for metric in metrics:
        stored = state.analysis(PLAN_FACT_PREFIX + metric)
        if stored is not None:
            out[metric] = stored.main
            continue
        pre = state.analysis(ANALYSIS)
        if (
            metric == "revenue"
            and pre is not None
            and pre.params.get("metric", "revenue") == metric
        ):
            res = pre
        else:
            res = plan_fact(data, as_of=state.as_of.date(), metric=metric)
        if res.ok and len(res.main):
            out[metric] = res.main
    return out


def period_label(period: pd.Timestamp, lang: str) -> str:
    """A plan month as shown: ``11.2026`` (ru) or ``2026-11`` (en)."""
    return f"{pd.Timestamp(period):%m.%Y}" if lang == "ru" else f"{pd.Timestamp(period):%Y-%m}"


def period_key(period: pd.Timestamp) -> str:
    """The picker value of a plan month: ``"2026-11"``."""
    return f"{pd.Timestamp(period):%Y-%m}"


def periods_of(main: pd.DataFrame) -> list[pd.Timestamp]:
    """The planned periods of a plan/fact table, oldest first."""
    if main.empty:
        return []
    return sorted(pd.Timestamp(p) for p in main["period"].dropna().unique())


def default_period(main: pd.DataFrame, as_of: pd.Timestamp) -> pd.Timestamp | None:
    """The running period when planned, else the latest planned period before ``as_of``."""
    periods = periods_of(main)
    if not periods:
        return None
    current = pd.Timestamp(as_of.year, as_of.month, 1)
    if current in periods:
        return current
    past = [p for p in periods if p <= current]
    return past[-1] if past else periods[0]


def select_rows(
    main: pd.DataFrame, period: pd.Timestamp | None, manager_id: str | None
) -> pd.DataFrame:
    """The rows the drill-down shows for a period (``None`` = all) and manager (``None`` = team).

    - team, one period: every manager's row of the period, then the department total;
    - team, all periods: the department total of each period;
    - a manager: that manager's rows of the period (or of every period).
    """
    if main.empty:
        return main.copy()
    mask = pd.Series(True, index=main.index)
    if period is not None:
        mask &= main["period"].eq(pd.Timestamp(period))
    if manager_id is None:
        if period is None:
            mask &= main["is_total"].astype(bool)
    else:
        mask &= main["manager_id"].eq(manager_id)
    return main.loc[mask].reset_index(drop=True)


@dataclass(frozen=True)
class RunRate:
    """What is left to do in the running period for one manager or the team."""

    period: pd.Timestamp | None
    plan: float | None
    fact: float | None
    remaining: float | None
    wd_left: int | None
    required_daily: float | None


def run_rate(main: pd.DataFrame, manager_id: str | None) -> RunRate:
    """The required daily run-rate of the running period (``None`` fields when not running)."""
    if main.empty:
        return RunRate(None, None, None, None, None, None)
    rows = main.loc[main["running"].astype(bool)]
    rows = (
        rows.loc[rows["is_total"].astype(bool)]
        if manager_id is None
        else rows.loc[rows["manager_id"].eq(manager_id)]
    )
    if rows.empty:
        return RunRate(None, None, None, None, None, None)
    r = rows.iloc[0]
    plan, fact = float(r["plan"]), float(r["fact"])
    remaining = max(plan - fact, 0.0) if pd.notna(fact) else None
    req = r["required_daily"]
    return RunRate(
        period=pd.Timestamp(r["period"]),
        plan=plan,
        fact=fact if pd.notna(fact) else None,
        remaining=remaining,
        wd_left=int(r["wd_left"]),
        required_daily=float(req) if pd.notna(req) else None,
    )


class PlanFactPanel(Panel):
    """Plan / fact / deviation by period and manager, with the required daily run-rate."""

    title_key = "tab_planfact"
    css_class = "sa-panel-planfact"

    def __init__(self, state: WorkshopState) -> None:
        super().__init__(state)
        lang = self.lang
        self.tables = plan_fact_tables(state)
        metrics = list(self.tables)
        self.metric = dropdown(
            [(label_of(METRIC_LABELS, m, lang), m) for m in metrics] or [("—", ALL)],
            metrics[0] if metrics else ALL,
            t("metric", lang),
            "sa-planfact-metric",
        )
        self.period = dropdown([("—", ALL)], ALL, t("period", lang), "sa-planfact-period")
        self.manager = dropdown(
            [(t("team", lang), ALL)] + [(name, mid) for mid, name in state.people()],
            ALL,
            t("manager", lang),
            "sa-planfact-manager",
        )
        self.kpis = w.HTML()
        self.kpis.add_class("sa-planfact-kpis")
        self.chart = w.HTML()
        self.chart.add_class("sa-planfact-chart")
        self.table = w.HTML()
        self.table.add_class("sa-planfact-table")
        self._set_periods()
        self.metric.observe(self._on_metric, names="value")
        self._updating = False
        self.period.observe(self._on_pick, names="value")
        self.manager.observe(self._on_pick, names="value")
        if not metrics:
            self.widget.children = [w.HTML(self._insufficient(ANALYSIS))]
            return
        self.widget.children = [
            w.HBox([self.metric, self.period, self.manager], layout=w.Layout(flex_flow="row wrap")),
            self.kpis,
            self.chart,
            self.table,
        ]
        self.refresh()

    @property
    def main(self) -> pd.DataFrame:
        """The plan/fact table of the picked metric."""
        return self.tables.get(self.metric.value, pd.DataFrame())

    def _set_periods(self) -> None:
        main = self.main
        lang = self.lang
        options = [(t("all_periods", lang), ALL)] + [
            (period_label(p, lang), period_key(p)) for p in periods_of(main)
        ]
        default = default_period(main, self.state.as_of)
        self._updating = True
        try:
            self.period.options = options
            self.period.value = ALL if default is None else period_key(default)
        finally:
            self._updating = False

    def _on_pick(self, _change: object) -> None:
        if not self._updating:
            self.refresh()

    def _on_metric(self, _change: object) -> None:
        self._set_periods()
        self.refresh()

    def rows(self) -> pd.DataFrame:
        """The plan/fact rows for the current pickers."""
        period = pd.Timestamp(self.period.value + "-01") if self.period.value else None
        return select_rows(self.main, period, self.manager.value or None)

    def refresh(self) -> None:
        """Redraw the run-rate, the deviation chart and the table for the current pickers."""
        lang = self.lang
        rows = self.rows()
        money = self.metric.value == "revenue"
        rr = run_rate(self.main, self.manager.value or None)
        if rr.period is None:
            self.kpis.value = ""
        else:
            shown = fmt_number(rr.required_daily, lang, 0)
            self.kpis.value = (
                '<div class="sa-kpis">'
                + kpi(
                    f"{t('run_rate', lang)} ({period_label(rr.period, lang)})",
                    f'<span class="sa-runrate-value" data-value="{rr.required_daily}">'
                    f"{esc(shown)}</span>",
                )
                + kpi(t("days_left", lang), esc(str(rr.wd_left)))
                + "</div>"
            )
        if rows.empty:
            self.chart.value = ""
            self.table.value = f'<p class="sa-note">{esc(t("no_rows", lang))}</p>'
            return
        several_periods = rows["period"].nunique() > 1
        labels = []
        for r in rows.itertuples(index=False):
            who = t("team", lang) if r.is_total else (r.manager_name or r.manager_id)
            labels.append(
                f"{period_label(r.period, lang)} · {who}" if several_periods else str(who)
            )
        dev = [None if pd.isna(v) else float(v) - 100.0 for v in rows["pct_done"]]
        self.chart.value = (
            f"<h3>{esc(t('deviation_chart', lang))}</h3>"
            + legend([(BAD, t("below_plan", lang)), (GOOD, t("above_plan", lang))])
            + f'<p class="sa-note">{esc(t("deviation_scale", lang))}</p>'
            + diverging_chart(list(zip(labels, dev)), lang=lang)
        )
        decimals = 0 if money else 1

        def num(v: object) -> str:
            return fmt_number(v, lang, decimals)

        shown = pd.DataFrame(
            {
                t("period", lang): [period_label(p, lang) for p in rows["period"]],
                t("manager", lang): [lb.split(" · ", 1)[-1] for lb in labels],
                t("plan_col", lang): [num(v) for v in rows["plan"]],
                t("fact_col", lang): [num(v) for v in rows["fact"]],
                t("deviation", lang): [num(v) for v in rows["deviation"]],
                t("fulfilment", lang): [fmt_pct(v, lang) for v in rows["pct_done"]],
                t("run_rate", lang): [num(v) for v in rows["required_daily"]],
            }
        )
        numeric = [c for c in shown.columns[2:]]
        self.table.value = table_html(shown, numeric=numeric, css="sa-planfact-rows")
