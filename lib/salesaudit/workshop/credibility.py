"""Credibility: managers whose logged meetings look drawn, why, and whom to call to verify.

Reads the precomputed :func:`salesaudit.analytics.meetings.credibility` and
:func:`salesaudit.analytics.meetings.verification_sample` results; picking a manager only
filters the sample.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from salesaudit.analytics.meetings import LEVEL_HIGH, LEVEL_MEDIUM
from salesaudit.report.i18n import (
    SIGNAL_LABELS,  # one vocabulary with the PDF report
    fmt_number,
)
from salesaudit.workshop._html import BAD, WARN, esc, legend, table_html
from salesaudit.workshop._panel import ALL, Panel, dropdown
from salesaudit.workshop._text import LEVEL_LABELS, label_of, t
from salesaudit.workshop.state import WorkshopState

ANALYSIS = "credibility"
SAMPLE = "verification_sample"
#: suspicion levels that put a manager on the list
SUSPECT_LEVELS = ("high", "medium")


def suspects(main: pd.DataFrame) -> pd.DataFrame:
    """Managers under suspicion (level high or medium), highest score first.

    Columns ``[manager_id, manager_name, meetings, score, level, reasons]``; ``reasons`` is the
    list of signal codes above the team norm.
    """
    cols = ["manager_id", "manager_name", "meetings", "score", "level", "reasons"]
    if main.empty:
        return pd.DataFrame(columns=cols)
    s = main.loc[main["level"].isin(SUSPECT_LEVELS), cols].copy()
    s["reasons"] = [[x for x in str(r or "").split("; ") if x] for r in s["reasons"]]
    s = s.sort_values(["score", "manager_id"], ascending=[False, True], kind="mergesort")
    return s.reset_index(drop=True)


def sample_for(sample: pd.DataFrame, manager_id: str | None) -> pd.DataFrame:
    """The verification sample of one manager (all managers' when ``manager_id`` is None)."""
    if sample.empty or manager_id is None:
        return sample.reset_index(drop=True)
    return sample.loc[sample["manager_id"].eq(manager_id)].reset_index(drop=True)


class CredibilityPanel(Panel):
    """Managers under suspicion with their reasons, and the verification sample to call."""

    title_key = "tab_credibility"
    css_class = "sa-panel-credibility"

    def __init__(self, state: WorkshopState) -> None:
        super().__init__(state)
        lang = self.lang
        self.main = state.table(ANALYSIS)
        self.sample = state.table(SAMPLE)
        self.suspects = suspects(self.main)
        self.list = w.HTML(self._suspects_html())
        self.list.add_class("sa-credibility-suspects")
        # the same people, in the same order, as on every other tab; the top suspect is picked
        sampled = set() if self.sample.empty else set(self.sample["manager_id"])
        options = [(name, mid) for mid, name in state.people()] if sampled else []
        suspects_ids = [i for i in self.suspects["manager_id"] if i in sampled]
        first = (
            suspects_ids[0]
            if suspects_ids
            else next((mid for _n, mid in options if mid in sampled), ALL)
        )
        self.manager = dropdown(
            options or [("—", ALL)], first, t("sample", lang), "sa-credibility-manager"
        )
        self.table = w.HTML()
        self.table.add_class("sa-credibility-sample")
        if self.main.empty:
            self.widget.children = [w.HTML(self._insufficient(ANALYSIS))]
            return
        self.widget.children = [self.list, self.manager, self.table]
        self.manager.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def _suspects_html(self) -> str:
        lang = self.lang
        if self.main.empty:
            return ""
        if self.suspects.empty:
            return f'<p class="sa-ok">{esc(t("no_suspects", lang))}</p>'
        scale = t("score_scale", lang).format(high=LEVEL_HIGH, medium=LEVEL_MEDIUM)
        parts = [
            f"<h3>{esc(t('suspects', lang))}</h3>",
            legend(
                [(BAD, t("level_high", lang)), (WARN, t("level_medium", lang))],
                css="sa-credibility-legend",
            ),
            f'<p class="sa-note">{esc(scale)}</p>',
        ]
        for r in self.suspects.itertuples(index=False):
            reasons = ", ".join(label_of(SIGNAL_LABELS, x, lang) for x in r.reasons)
            parts.append(
                f'<div class="sa-suspect" data-manager="{esc(r.manager_id)}">'
                f"<b>{esc(r.manager_name or r.manager_id)}</b> — "
                f"{esc(t('suspicion_score', lang))}: {esc(fmt_number(r.score, lang, 0))}, "
                f"{esc(t('level', lang))}: {esc(label_of(LEVEL_LABELS, r.level, lang))}, "
                f"{esc(t('meetings', lang))}: {int(r.meetings)}<br>"
                f"{esc(t('reasons', lang))}: {esc(reasons)}</div>"
            )
        return "".join(parts)

    def rows(self) -> pd.DataFrame:
        """The picked manager's verification sample."""
        return sample_for(self.sample, self.manager.value or None)

    def refresh(self) -> None:
        """Redraw the verification sample of the picked manager."""
        lang = self.lang
        rows = self.rows()
        if rows.empty:
            self.table.value = f'<p class="sa-note">{esc(t("no_rows", lang))}</p>'
            return
        fmt = "%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"
        shown = pd.DataFrame(
            {
                t("date", lang): [pd.Timestamp(v).strftime(fmt) for v in rows["occurred_at"]],
                t("client", lang): rows["client_name"].fillna(rows["client_id"]),
                t("contact", lang): rows["contact_person"].fillna("—"),
                t("phone", lang): rows["phone"].fillna("—"),
                t("comment", lang): rows["comment"].fillna("—"),
            }
        )
        self.table.value = table_html(shown, css="sa-sample-rows")
