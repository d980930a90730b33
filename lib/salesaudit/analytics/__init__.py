"""Sales analytics of the method: pure functions over a :class:`~salesaudit.model.Dataset`.

Every analysis returns an :class:`AnalysisResult`; :func:`run_all` runs them all. See
``docs/analytics.md`` for definitions, output columns and defaults.
"""

from salesaudit.analytics._base import INSUFFICIENT, OK, AnalysisResult, not_enough_data, requires
from salesaudit.analytics.activity import (
    activity_summary,
    day_agenda,
    funnel,
    overdue_tasks,
    pipeline_coverage,
    stalled_deals,
)
from salesaudit.analytics.calendar import (
    is_working_day,
    working_day_mask,
    working_days,
    working_days_in_month,
)
from salesaudit.analytics.clientbase import client_base
from salesaudit.analytics.credibility import credibility, verification_sample
from salesaudit.analytics.forecast import activity_forecast, forecast_backtest, forecast_value
from salesaudit.analytics.planfact import plan_acknowledgement, plan_fact
from salesaudit.analytics.planning import plan_structure, seasonality
from salesaudit.analytics.refusals import refusal_mix
from salesaudit.analytics.roles import delegation
from salesaudit.analytics.suite import ANALYSES, run_all
from salesaudit.analytics.training import training_effect

__all__ = [
    "ANALYSES",
    "INSUFFICIENT",
    "OK",
    "AnalysisResult",
    "activity_forecast",
    "activity_summary",
    "client_base",
    "credibility",
    "day_agenda",
    "delegation",
    "forecast_backtest",
    "forecast_value",
    "funnel",
    "is_working_day",
    "not_enough_data",
    "overdue_tasks",
    "pipeline_coverage",
    "plan_acknowledgement",
    "plan_fact",
    "plan_structure",
    "refusal_mix",
    "requires",
    "run_all",
    "seasonality",
    "stalled_deals",
    "training_effect",
    "verification_sample",
    "working_day_mask",
    "working_days",
    "working_days_in_month",
]
