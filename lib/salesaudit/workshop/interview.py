"""Interview live: the checklist questions by area; every answer rescores the areas and is saved.

Each question is a row of toggle buttons (Да / Частично / Нет / Не знаю). On an answer the state
gets the new answer, the seven area scores and the overall index are recomputed by the scoring
engine (:func:`area_scores`; arithmetic over the checklist, the answers and the precomputed data
indicators — no analysis is rerun) and the answers are handed to ``save_answers``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w

from salesaudit.errors import SalesAuditError
from salesaudit.report.i18n import fmt_number
from salesaudit.workshop._html import (
    BAD,
    GOOD,
    NEUTRAL,
    WARN,
    bar_chart,
    esc,
    kpi,
    legend,
    score_color,
)
from salesaudit.workshop._panel import Panel
from salesaudit.workshop._text import ANSWER_LABELS, pick, t
from salesaudit.workshop.scores import AreaView, area_scores, scoreboard
from salesaudit.workshop.state import ANSWERS, WorkshopState

#: the answer buttons' value for "not answered yet"
UNANSWERED = ""


@dataclass(frozen=True)
class SaveStatus:
    """The outcome of the last save: the file written, or the error message."""

    ok: bool
    text: str


class InterviewPanel(Panel):
    """Questions grouped by area, the area-score chart and the overall index, updated live."""

    title_key = "tab_interview"
    css_class = "sa-panel-interview"

    def __init__(
        self,
        state: WorkshopState,
        *,
        save_answers: Callable[[dict[str, Any]], Path] | None = None,
    ) -> None:
        super().__init__(state)
        lang = self.lang
        self._save = save_answers
        self.last_save: SaveStatus | None = None
        self.summary = w.HTML()
        self.summary.add_class("sa-interview-summary")
        self.chart = w.HTML()
        self.chart.add_class("sa-area-scores")
        self.status = w.HTML()
        self.status.add_class("sa-save-status")
        self.buttons: dict[str, w.ToggleButtons] = {}
        checklist = state.checklist
        if checklist is None:
            self.widget.children = [
                w.HTML(f'<p class="sa-note">{esc(t("no_checklist", lang))}</p>')
            ]
            return
        options = [(ANSWER_LABELS[a][lang], a) for a in ANSWERS]
        sections = []
        titles = []
        for number, area in enumerate(checklist.areas, start=1):
            rows = []
            for k, q in enumerate(checklist.questions_of(area.id), start=1):
                current = state.answer_of(q.id) or UNANSWERED
                tb = w.ToggleButtons(
                    options=[("—", UNANSWERED), *options],
                    value=current,
                    style={"button_width": "auto"},
                )
                tb.add_class("sa-answer")
                tb.add_class("sa-answer-" + q.id.replace(".", "-"))
                tb.observe(self._make_handler(q.id), names="value")
                self.buttons[q.id] = tb
                # shown as «1.3» (problem . question); the checklist id stays in the DOM class
                text = w.HTML(
                    f'<span class="sa-qnum">{number}.{k}</span>{esc(pick(q.text, lang))}'
                    f'<br><span class="sa-note">{esc(pick(q.hint, lang))}</span>'
                )
                box = w.VBox([text, tb])
                box.add_class("sa-question")
                rows.append(box)
            sections.append(w.VBox(rows))
            titles.append(f"{number}. {pick(area.title, lang)}")
        self.areas = w.Accordion(children=sections)
        for i, title in enumerate(titles):
            self.areas.set_title(i, title)
        self.areas.add_class("sa-interview-areas")
        left = w.VBox([self.summary, self.chart, self.status], layout=w.Layout(width="45%"))
        right = w.VBox([self.areas], layout=w.Layout(width="55%"))
        self.widget.children = [w.HBox([left, right])]
        self.refresh()

    def _make_handler(self, question_id: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            self.answer(question_id, change["new"] or None)

        return handler

    def answer(self, question_id: str, value: str | None) -> None:
        """Record an answer (``None`` clears it), rescore, redraw and save the answers."""
        self._state = self._state.with_answer(question_id, value)
        button = self.buttons.get(question_id)
        if button is not None and button.value != (value or UNANSWERED):
            button.value = value or UNANSWERED  # re-enters answer() with the same value: no-op
            return
        self.refresh()
        self.save()

    def save(self) -> SaveStatus | None:
        """Hand the current answers to ``save_answers``; the outcome is shown in the status line."""
        lang = self.lang
        if self._save is None:
            self.last_save = None
            self.status.value = f'<p class="sa-note">{esc(t("not_saved", lang))}</p>'
            return None
        try:
            path = self._save({k: dict(v) for k, v in self.state.answers.items()})
        except (SalesAuditError, OSError) as exc:
            self.last_save = SaveStatus(False, str(exc))
            self.status.value = (
                f'<p class="sa-error">{esc(t("save_failed", lang))}: {esc(str(exc))}</p>'
            )
            return self.last_save
        self.last_save = SaveStatus(True, str(path))
        self.status.value = (
            f'<p class="sa-ok sa-note">{esc(t("saved_to", lang))}: {esc(Path(path).name)}</p>'
        )
        return self.last_save

    def scores(self) -> tuple[list[AreaView], float | None]:
        """The seven area scores and the overall index for the current answers."""
        return area_scores(self.state)

    def refresh(self) -> None:
        """Redraw the overall index and the area chart for the current answers."""
        lang = self.lang
        areas, overall, why = scoreboard(self.state)
        answered = sum(1 for v in self.state.answers.values() if v.get("answer"))
        total = len(self.buttons)
        shown = t("not_assessed", lang) if overall is None else fmt_number(overall, lang, 1)
        index_html = (
            f'<span class="sa-overall-index" data-value="{overall!r}" '
            f'style="color:{score_color(overall)}">{esc(shown)}</span>'
        )
        self.summary.value = (
            '<div class="sa-kpis">'
            + kpi(t("overall_index", lang), index_html)
            + kpi(t("answered", lang), f"{answered} / {total}")
            + "</div>"
            + (f'<p class="sa-note sa-index-reason">{esc(why)}</p>' if why else "")
        )
        rows = [(f"{i}. {a.title}", a.score, score_color(a.score)) for i, a in enumerate(areas, 1)]
        self.chart.value = (
            f"<h3>{esc(t('area_scores', lang))}</h3>"
            + bar_chart(
                rows,
                maximum=100.0,
                css="sa-area-bars",
                lang=lang,
                decimals=1,
                missing=t("not_assessed", lang),
            )
            + legend(
                [
                    (GOOD, t("legend_good", lang)),
                    (WARN, t("legend_warn", lang)),
                    (BAD, t("legend_bad", lang)),
                    (NEUTRAL, t("legend_na", lang)),
                ],
                css="sa-area-legend",
            )
        )
