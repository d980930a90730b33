"""The live workshop dashboard (ipywidgets, served by Voilà): state, panels and their logic.

Build a :class:`WorkshopState` (usually via :meth:`WorkshopState.from_audit`) and call
:func:`build_dashboard`; every panel's figures come from precomputed analyses, so an update only
filters tables or does arithmetic.
"""

from salesaudit.workshop.credibility import CredibilityPanel, sample_for, suspects
from salesaudit.workshop.dashboard import Dashboard, build_dashboard
from salesaudit.workshop.interview import InterviewPanel, SaveStatus
from salesaudit.workshop.persist import ANSWERS_FILE, answers_document, save_answers
from salesaudit.workshop.planfact import (
    PlanFactPanel,
    RunRate,
    default_period,
    plan_fact_tables,
    run_rate,
    select_rows,
)
from salesaudit.workshop.refusals import Advice, RefusalsPanel, advice_for, reason_mix
from salesaudit.workshop.scores import AreaView, area_scores
from salesaudit.workshop.state import ANSWERS, WorkshopState
from salesaudit.workshop.whatif import (
    ForecastInputs,
    ForecastPanel,
    ForecastView,
    actual_inputs,
    monthly_plan,
    on_slider_grid,
    plan_month,
    what_if,
)

__all__ = [
    "ANSWERS",
    "ANSWERS_FILE",
    "Advice",
    "AreaView",
    "CredibilityPanel",
    "Dashboard",
    "ForecastInputs",
    "ForecastPanel",
    "ForecastView",
    "InterviewPanel",
    "PlanFactPanel",
    "RefusalsPanel",
    "RunRate",
    "SaveStatus",
    "WorkshopState",
    "actual_inputs",
    "advice_for",
    "answers_document",
    "area_scores",
    "build_dashboard",
    "default_period",
    "monthly_plan",
    "on_slider_grid",
    "plan_fact_tables",
    "plan_month",
    "reason_mix",
    "run_rate",
    "sample_for",
    "save_answers",
    "select_rows",
    "suspects",
    "what_if",
]
