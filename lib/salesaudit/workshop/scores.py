"""Area scores and the overall index for the workshop's current answers, by the scoring engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesaudit.scoring.answers import Answer, Answers
from salesaudit.scoring.score import overall_index, score_areas
from salesaudit.workshop._text import pick
from salesaudit.workshop.state import WorkshopState


@dataclass(frozen=True)
class AreaView:
    """One of the seven areas as the interview panel shows it."""

    area: str
    title: str
    score: float | None
    answered: int
    questions: int


def to_answers(answers: Mapping[str, Mapping[str, Any]]) -> Answers:
    """The workshop's ``{id: {answer, note}}`` as the scoring engine's :class:`Answers`."""
    items = {
        qid: Answer(qid, str(entry["answer"]), entry.get("note") or None)
        for qid, entry in answers.items()
        if entry.get("answer")
    }
    return Answers(items=items)


def area_scores(state: WorkshopState) -> tuple[list[AreaView], float | None]:
    """The seven area scores (0..100, ``None`` without evidence) and the overall index.

    Computed by :func:`salesaudit.scoring.score.score_areas` and
    :func:`~salesaudit.scoring.score.overall_index` from the checklist, the state's answers and
    its precomputed data indicators (no analysis is rerun).
    """
    if state.checklist is None:
        return [], None
    areas = score_areas(state.checklist, to_answers(state.answers), list(state.indicators))
    views = [
        AreaView(
            area=a.area,
            title=pick(a.title, state.lang),
            score=a.score,
            answered=a.answered,
            questions=a.questions,
        )
        for a in areas
    ]
    return views, overall_index(state.checklist, areas)
