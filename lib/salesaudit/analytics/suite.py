"""Run every analysis of the method with defaults; one failing analysis never breaks the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from salesaudit.analytics._base import INSUFFICIENT, AnalysisResult
from salesaudit.analytics.activity import (
    activity_summary,
    day_agenda,
    funnel,
    overdue_tasks,
    pipeline_coverage,
    stalled_deals,
)
from salesaudit.analytics.clientbase import client_base
from salesaudit.analytics.forecast import activity_forecast, forecast_backtest
from salesaudit.analytics.leads import lead_funnel
from salesaudit.analytics.meetings import credibility, verification_sample
from salesaudit.analytics.planfact import plan_acknowledgement, plan_fact
from salesaudit.analytics.planning import plan_structure, seasonality
from salesaudit.analytics.refusals import refusal_mix
from salesaudit.analytics.roles import delegation
from salesaudit.analytics.training import training_effect
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset

__all__ = ["run_all", "ANALYSES", "data_date_range", "check_as_of", "AS_OF_GRACE_DAYS"]

#: an as_of up to this many days after the last record still counts as inside the data (an
#: export taken on Friday and audited on Monday); later, or before the first record, is an error
AS_OF_GRACE_DAYS = 7


def data_date_range(data: Dataset) -> tuple[dt.date, dt.date] | None:
    """First and last date of the records that happened: sales dates, deals created / closed,
    done activities (planned ones lie in the future by nature), and the whole period of a report
    whose lines were dated from its «Период» line (``meta['report_periods']``: a 1C report
    without a date per line covers its period). None without dated records."""
    import pandas as pd

    dates = []
    if data.has("sales"):
        dates.append(data.sales["date"])
    if data.has("deals"):
        dates += [data.deals["created"], data.deals["closed"]]
    if data.has("activities"):
        a = data.activities
        dates.append(a.loc[a["status"].eq("done"), "occurred_at"])
    for period in data.meta.get("report_periods", ()):
        dates.append(pd.Series(pd.to_datetime([period["start"], period["end"]])))
    if not dates:
        return None
    d = pd.concat([x.dropna() for x in dates])
    if d.empty:
        return None
    return d.min().date(), d.max().date()


def check_as_of(
    data: Dataset, as_of: dt.date, *, origin: str = "as_of", file: str | None = None
) -> None:
    """Raise :class:`ParameterError` when ``as_of`` lies before the first record of the data or
    more than :data:`AS_OF_GRACE_DAYS` days after its last one: every window would be (nearly)
    empty and the analysis silently hollow. ``origin`` names where the date came from
    (``report.yaml``, ``--as-of``, ``today``)."""
    rng = data_date_range(data)
    if rng is None:
        return
    first, last = rng
    if first <= as_of <= last + dt.timedelta(days=AS_OF_GRACE_DAYS):
        return
    side = "before the first record" if as_of < first else "after the last record"
    raise ParameterError(
        f"as_of {as_of.isoformat()} (from {origin}) is {side}: the data runs from "
        f"{first.isoformat()} to {last.isoformat()}",
        file=file,
        hint=(
            f"set as_of in report.yaml (or --as-of) to a date within {first.isoformat()}.."
            f"{last.isoformat()}, usually the day the exports were taken (e.g. {last.isoformat()})"
        ),
    )


#: result key -> (function, takes as_of)
ANALYSES: dict[str, tuple[Callable[..., AnalysisResult], bool]] = {
    "plan_structure": (plan_structure, False),
    "seasonality": (seasonality, True),
    "plan_fact": (plan_fact, True),
    "plan_acknowledgement": (plan_acknowledgement, False),
    "activity": (activity_summary, True),
    "day_agenda": (day_agenda, True),
    "funnel": (funnel, True),
    "stalled_deals": (stalled_deals, True),
    "overdue_tasks": (overdue_tasks, True),
    "pipeline_coverage": (pipeline_coverage, True),
    "forecast": (activity_forecast, True),
    "forecast_backtest": (forecast_backtest, True),
    "refusals": (refusal_mix, False),
    "training_effect": (training_effect, True),
    "credibility": (credibility, True),
    "verification_sample": (verification_sample, True),
    "delegation": (delegation, True),
    "client_base": (client_base, True),
    "lead_funnel": (lead_funnel, True),
}


def _reuse(
    key: str, out: dict[str, AnalysisResult], kwargs: dict[str, Any], params: Mapping
) -> dict[str, Any]:
    """Results computed earlier in the run that a later analysis can reuse instead of redoing."""
    if key == "pipeline_coverage":
        pf = out.get("plan_fact")
        if pf is not None and pf.ok and pf.params.get("metric") == "revenue":
            return {"revenue_plan_fact": pf}
    if key == "verification_sample":
        cred = out.get("credibility")
        own = params.get("verification_sample", {}).get("months", 3)
        if cred is not None and cred.ok and cred.params.get("months") == max(own, 6):
            return {"suspicion": cred.main}
    return {}


def run_all(
    data: Dataset,
    *,
    as_of: dt.date,
    coaching: Mapping[str, Mapping[str, str]] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, AnalysisResult]:
    """Run every analysis; returns ``{key: AnalysisResult}`` in the order of :data:`ANALYSES`.

    ``params`` overrides keyword arguments per analysis, e.g. ``{"stalled_deals": {"days": 45}}``
    (unknown analysis names raise :class:`~salesaudit.errors.ParameterError`). ``coaching`` is
    passed to the refusal analysis. An analysis that raises is reported as ``insufficient_data``
    with the error in ``message``; nothing is printed.
    """
    params = dict(params or {})
    unknown = sorted(set(params) - set(ANALYSES))
    if unknown:
        raise ParameterError(
            f"unknown analysis name(s) in params: {', '.join(unknown)}",
            hint="use one of: " + ", ".join(ANALYSES),
        )
    out: dict[str, AnalysisResult] = {}
    for key, (fn, dated) in ANALYSES.items():
        kwargs: dict[str, Any] = {}
        if dated:
            kwargs["as_of"] = as_of
        if key == "refusals" and coaching is not None:
            kwargs["coaching"] = coaching
        kwargs.update(_reuse(key, out, kwargs, params))
        kwargs.update(params.get(key, {}))
        try:
            res = fn(data, **kwargs)
        except Exception as exc:  # noqa: BLE001 - one analysis must not break the others
            res = AnalysisResult(
                name=key,
                status=INSUFFICIENT,
                message=f"analysis failed: {type(exc).__name__}: {exc}",
                params={k: str(v) for k, v in kwargs.items() if k != "coaching"},
            )
        out[key] = res
    return out
