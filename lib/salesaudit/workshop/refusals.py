"""Refusals: one manager's refusal-reason mix against the whole team's, with the coaching advice.

Reads the precomputed :func:`salesaudit.analytics.refusals.refusal_mix` result; picking a manager
only filters it.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from salesaudit.report.i18n import REFUSAL_LABELS as REASON_LABELS  # one vocabulary with the PDF
from salesaudit.report.i18n import fmt_pct
from salesaudit.workshop._html import ACCENT, NEUTRAL, esc, kpi
from salesaudit.workshop._panel import ALL, Panel, dropdown
from salesaudit.workshop._text import label_of, pick, t
from salesaudit.workshop.state import WorkshopState

#: the suite's key of :func:`~salesaudit.analytics.refusals.refusal_mix`
ANALYSIS = "refusals"
TEAM = "team"


def reason_mix(main: pd.DataFrame, manager_id: str) -> pd.DataFrame:
    """A manager's reasons: ``[reason, count, share, team_share]`` sorted by share, then reason.

    ``share`` is the reason's share of the manager's refusals; ``team_share`` its share of all
    the team's refusals (the analysis' ``team`` rows). Reasons the manager never heard but the
    team did are listed with count 0.
    """
    cols = ["reason", "count", "share", "team_share"]
    if main.empty:
        return pd.DataFrame(columns=cols)
    team = main.loc[main["manager_id"].eq(TEAM), ["reason", "share"]].rename(
        columns={"share": "team_share"}
    )
    own = main.loc[main["manager_id"].eq(manager_id), ["reason", "count", "share"]]
    out = team.merge(own, on="reason", how="outer")
    out["count"] = out["count"].fillna(0).astype("int64")
    out["share"] = out["share"].fillna(0.0).astype("float64")
    out["team_share"] = out["team_share"].fillna(0.0).astype("float64")
    out = out.sort_values(["share", "team_share", "reason"], ascending=[False, False, True])
    return out[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Advice:
    """A manager's dominant refusal reason and what to coach."""

    refusals: int
    dominant_reason: str | None
    dominant_share: float | None
    flagged: bool
    text: str


def advice_for(state: WorkshopState, summary: pd.DataFrame, manager_id: str) -> Advice:
    """The coaching advice for a manager's dominant reason, in the state's language.

    Uses the analysis' recommendation; falls back to the checklist's coaching advice when the
    analysis ran without it.
    """
    rows = summary.loc[summary["manager_id"].eq(manager_id)] if not summary.empty else summary
    if rows.empty:
        return Advice(0, None, None, False, "")
    r = rows.iloc[0]
    reason = r["dominant_reason"]
    text = r.get(f"recommendation_{state.lang}")
    if not isinstance(text, str) or not text:
        coaching = getattr(state.checklist, "coaching", None) or {}
        text = pick(coaching.get(reason), state.lang)
    share = r["dominant_share"]
    return Advice(
        refusals=int(r["refusals"]),
        dominant_reason=None if pd.isna(reason) else str(reason),
        dominant_share=None if pd.isna(share) else float(share),
        flagged=bool(r["flagged"]),
        text=text or "",
    )


def _paired_bars(mix: pd.DataFrame, lang: str) -> str:
    """Two bars per reason: the manager's share (blue) over the team's (grey)."""
    rows = []
    for r in mix.itertuples(index=False):
        label = esc(label_of(REASON_LABELS, r.reason, lang))
        cells = []
        for value, colour, css in ((r.share, ACCENT, "sa-mgr"), (r.team_share, NEUTRAL, "sa-team")):
            width = max(0.0, min(100.0, 100.0 * float(value)))
            cells.append(
                f'<div class="sa-bar-track" style="height:20px;margin:2px 0">'
                f'<div class="sa-bar {css}" style="height:20px;width:{width:.1f}%;'
                f'background:{colour}"></div></div>'
            )
        rows.append(
            f'<tr><td class="sa-bar-label">{label}</td><td>{"".join(cells)}</td>'
            f'<td class="sa-bar-value">{esc(fmt_pct(100 * r.share, lang, 0))}<br>'
            f'<span class="sa-note">{esc(fmt_pct(100 * r.team_share, lang, 0))}</span></td></tr>'
        )
    legend = (
        f'<p class="sa-note"><span style="color:{ACCENT}">■</span> {esc(t("share_manager", lang))}'
        f' &nbsp; <span style="color:{NEUTRAL}">■</span> {esc(t("share_team", lang))}</p>'
    )
    return legend + f'<table class="sa-bars sa-refusals-bars">{"".join(rows)}</table>'


class RefusalsPanel(Panel):
    """A manager's refusal reasons vs the team's and what to coach."""

    title_key = "tab_refusals"
    css_class = "sa-panel-refusals"

    def __init__(self, state: WorkshopState) -> None:
        super().__init__(state)
        lang = self.lang
        self.main = state.table(ANALYSIS)
        self.summary = state.table(ANALYSIS, "summary")
        ids = set() if self.summary.empty else set(self.summary["manager_id"])
        # the same people, in the same order, as on every other tab; the first one flagged by
        # the test is picked, else the first with refusals
        options = [(name, mid) for mid, name in state.people()] if ids else []
        flagged = (
            []
            if self.summary.empty
            else list(self.summary.loc[self.summary["flagged"].astype(bool), "manager_id"])
        )
        with_data = [v for _lb, v in options if v in ids]
        first = next((v for _lb, v in options if v in flagged), with_data[0] if with_data else ALL)
        self.manager = dropdown(
            options or [("—", ALL)], first, t("manager", lang), "sa-refusals-manager"
        )
        self.figures = w.HTML()
        self.figures.add_class("sa-refusals-figures")
        self.chart = w.HTML()
        self.chart.add_class("sa-refusals-chart")
        self.advice = w.HTML()
        self.advice.add_class("sa-refusals-advice")
        if not options:
            self.widget.children = [w.HTML(self._insufficient(ANALYSIS))]
            return
        self.widget.children = [self.manager, self.figures, self.advice, self.chart]
        self.manager.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def mix(self) -> pd.DataFrame:
        """The picked manager's reason mix (see :func:`reason_mix`)."""
        return reason_mix(self.main, self.manager.value)

    def refresh(self) -> None:
        """Redraw the figures, the advice and the chart for the picked manager."""
        lang = self.lang
        manager_id = self.manager.value
        if self.summary.empty or manager_id not in set(self.summary["manager_id"]):
            self.figures.value = f'<p class="sa-note">{esc(t("no_data_for", lang))}</p>'
            self.advice.value = ""
            self.chart.value = ""
            return
        adv = advice_for(self.state, self.summary, manager_id)
        dominant = label_of(REASON_LABELS, adv.dominant_reason, lang)
        share = fmt_pct(None if adv.dominant_share is None else 100 * adv.dominant_share, lang, 0)
        self.figures.value = (
            '<div class="sa-kpis">'
            + kpi(
                t("refusals_count", lang), f'<span class="sa-refusals-count">{adv.refusals}</span>'
            )
            + kpi(
                t("reason", lang),
                f'<span class="sa-refusals-dominant" data-value="{esc(adv.dominant_reason)}">'
                f"{esc(dominant)} · {esc(share)}</span>",
                kind="sa-neg" if adv.flagged else "",
            )
            + "</div>"
        )
        self.advice.value = (
            f'<div class="sa-advice"><b>{esc(t("advice", lang))}:</b> {esc(adv.text)}</div>'
            if adv.text
            else ""
        )
        self.chart.value = _paired_bars(self.mix(), lang)
