"""Sales analytics of the method: pure functions over a :class:`~salesaudit.model.Dataset`.

Every analysis returns an :class:`AnalysisResult`; :func:`run_all` runs them all. See
``docs/analytics.md`` for definitions, output columns and defaults.

Names are imported on first use (see :mod:`salesaudit._lazy`): the workshop, which needs
``AnalysisResult`` and a few small functions, does not load every analysis and SciPy.
"""

from __future__ import annotations

from salesaudit._lazy import lazy_exports

#: public name -> the submodule that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    # salesaudit.analytics._base
    "AnalysisResult": "_base",
    "INSUFFICIENT": "_base",
    "OK": "_base",
    "not_enough_data": "_base",
    "requires": "_base",
    # salesaudit.analytics.activity
    "activity_summary": "activity",
    "day_agenda": "activity",
    "funnel": "activity",
    "overdue_tasks": "activity",
    "pipeline_coverage": "activity",
    "stalled_deals": "activity",
    # salesaudit.analytics.calendar
    "is_working_day": "calendar",
    "working_day_mask": "calendar",
    "working_days": "calendar",
    "working_days_in_month": "calendar",
    # salesaudit.analytics.clientbase
    "client_base": "clientbase",
    # salesaudit.analytics.meetings (not credibility.py: the package's name `credibility` is
    # the function, and a submodule of the same name would replace it once imported)
    "credibility": "meetings",
    "verification_sample": "meetings",
    # salesaudit.analytics.forecast
    "activity_forecast": "forecast",
    "forecast_backtest": "forecast",
    "forecast_value": "forecast",
    # salesaudit.analytics.planfact
    "plan_acknowledgement": "planfact",
    "plan_fact": "planfact",
    # salesaudit.analytics.planning
    "plan_structure": "planning",
    "seasonality": "planning",
    # salesaudit.analytics.refusals
    "refusal_mix": "refusals",
    # salesaudit.analytics.roles
    "delegation": "roles",
    # salesaudit.analytics.suite
    "ANALYSES": "suite",
    "run_all": "suite",
    # salesaudit.analytics.training
    "training_effect": "training",
}

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
__all__ = sorted(_EXPORTS)
