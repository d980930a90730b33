"""Area scores and the overall index for the workshop's current answers, by the scoring engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesaudit.scoring.answers import Answer, Answers
from salesaudit.scoring.score import assessment_summary, overall_index, score_areas
from salesaudit.workshop._text import pick
from salesaudit.workshop.state import WorkshopState


@dataclass(frozen=True)
class AreaView:
    """One of the seven areas as the interview panel shows it."""

    area: str
    title: str
    score: float | None  # None: «не оценено» (too little evidence)
    answered: int
    questions: int
    reason: str = ""  # why the area is not assessed, in the state's language


def to_answers(answers: Mapping[str, Mapping[str, Any]]) -> Answers:
    """The workshop's ``{id: {answer, note}}`` as the scoring engine's :class:`Answers`."""
    items = {
        qid: Answer(qid, str(entry["answer"]), entry.get("note") or None)
        for qid, entry in answers.items()
        if entry.get("answer")
    }
    return Answers(items=items)


def area_scores(state: WorkshopState) -> tuple[list[AreaView], float | None]:
    """The seven area scores (0..100, ``None`` when not assessed) and the overall index (``None``
    when too few areas are assessed); see :func:`scoreboard`."""
    views, overall, _reason = scoreboard(state)
    return views, overall


def scoreboard(state: WorkshopState) -> tuple[list[AreaView], float | None, str]:
    """The area scores, the overall index and why there is no index ("" when there is one).

    Computed by :func:`salesaudit.scoring.score.score_areas`, ``overall_index`` and
    ``assessment_summary`` from the checklist, the state's answers and its precomputed data
    indicators (no analysis is rerun), so the rules are the PDF's.
    """
    if state.checklist is None:
        return [], None, ""
    areas = score_areas(state.checklist, to_answers(state.answers), list(state.indicators))
    views = [
        AreaView(
            area=a.area,
            title=pick(a.title, state.lang),
            score=a.score,
            answered=a.answered,
            questions=a.questions,
            reason=pick(a.assessment_reason, state.lang) if a.assessment_reason else "",
        )
        for a in areas
    ]
    summary = assessment_summary(state.checklist, areas)
    reason = "" if summary["index_given"] else pick(summary.get("reason"), state.lang)
    return views, overall_index(state.checklist, areas), reason
