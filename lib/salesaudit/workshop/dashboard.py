"""The workshop dashboard: a title and one tab per panel, styled for a projector."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from salesaudit.report.i18n import set_currency
from salesaudit.workshop._html import CSS, esc
from salesaudit.workshop._panel import Panel
from salesaudit.workshop._text import pick, t
from salesaudit.workshop.credibility import CredibilityPanel
from salesaudit.workshop.interview import InterviewPanel
from salesaudit.workshop.planfact import PlanFactPanel
from salesaudit.workshop.refusals import RefusalsPanel
from salesaudit.workshop.state import WorkshopState
from salesaudit.workshop.whatif import ForecastPanel

#: ``save(answers) -> path written``; called after every interview answer
AnswersSaver = Callable[[dict[str, Any]], Path]


class Dashboard:
    """All panels of the workshop in tabs. Display it (or its ``widget``) in a notebook."""

    def __init__(self, state: WorkshopState, *, save_answers: AnswersSaver | None = None) -> None:
        lang = state.lang
        # every money figure and label in the audit's currency (report.yaml ``currency``)
        set_currency(state.meta.get("currency") or state.dataset.meta.get("currency"))
        self.interview = InterviewPanel(state, save_answers=save_answers)
        self.forecast = ForecastPanel(state)
        self.planfact = PlanFactPanel(state)
        self.refusals = RefusalsPanel(state)
        self.credibility = CredibilityPanel(state)
        panels: list[Panel] = self.panels
        self.tabs = w.Tab(children=[p.widget for p in panels])
        for i, p in enumerate(panels):
            self.tabs.set_title(i, p.title())
        self.tabs.add_class("sa-tabs")
        client = pick(state.meta.get("client"), lang) if state.meta.get("client") else ""
        heading = t("title", lang) + (f" · {client}" if client else "")
        date = f"{state.as_of:%d.%m.%Y}" if lang == "ru" else f"{state.as_of:%Y-%m-%d}"
        self.header = w.HTML(
            CSS + f'<div class="sa-title">{esc(heading)} <span class="sa-note">{date}</span></div>'
        )
        self.widget = w.VBox([self.header, self.tabs])
        self.widget.add_class("sa-dashboard")

    @property
    def panels(self) -> list[Panel]:
        """The panels in tab order."""
        return [self.interview, self.forecast, self.planfact, self.refusals, self.credibility]

    @property
    def state(self) -> WorkshopState:
        """The current state (it changes as interview answers are given)."""
        return self.interview.state

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def build_dashboard(state: WorkshopState, *, save_answers: AnswersSaver | None = None) -> Dashboard:
    """The workshop dashboard for ``state``; ``save_answers`` persists the interview answers."""
    return Dashboard(state, save_answers=save_answers)
