"""Scoring the seven areas, the overall index, the maturity level and the upside estimate.

Area score (0..100, higher = healthier)::

    score = 100 * sum(w_i * s_i) / sum(w_i)     over the area's *available* items

where the items are the area's questions (answered yes / partly / no: s = 1 / 0.5 / 0; "unknown"
and unanswered are unavailable) and its indicators (s = indicator score / 100; unavailable when
the data is insufficient). Unavailable items pass their weight on to the rest by dropping out of
both sums. ``confidence`` = available weight / total weight of the area.

An area is *assessed* only with enough evidence (``checklist/scoring.yaml`` ``assessment``): at
least ``min_items`` scorable items and at least ``min_share`` of the weight of its questions or of
its indicators available. An area that is not assessed («не оценено») has no score (its score from
the little evidence there was is kept as ``raw_score``). The overall index is the mean of the
assessed areas weighted by area weight, given only when at least ``min_areas_for_index`` areas are
assessed; the maturity level follows the index. See ``docs/method.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import Checklist
from salesaudit.scoring.result import AreaScore, Indicator


def _weighted(items: Sequence[tuple[float, float | None]]) -> tuple[float | None, float, float]:
    """(score 0..100 or None, available weight, total weight) of (weight, score 0..1) items."""
    total = sum(w for w, _ in items)
    avail = [(w, s) for w, s in items if s is not None]
    wa = sum(w for w, _ in avail)
    if wa <= 0:
        return None, 0.0, total
    return 100.0 * sum(w * s for w, s in avail) / wa, wa, total


def _r(v: float | None, nd: int = 2) -> float | None:
    return None if v is None else round(float(v), nd)


def _assessment_rule(checklist: Checklist) -> dict[str, Any]:
    from salesaudit.scoring.checklist import ASSESSMENT_DEFAULTS

    return {**ASSESSMENT_DEFAULTS, **checklist.scoring.get("assessment", {})}


def _share(items: Sequence[tuple[float, float | None]]) -> float:
    total = sum(w for w, _ in items)
    return sum(w for w, s in items if s is not None) / total if total > 0 else 0.0


def _not_assessed_reason(
    n_items: int, q_items: list, i_items: list, rule: Mapping[str, Any]
) -> dict[str, str]:
    q_ok = sum(1 for _, s in q_items if s is not None)
    i_ok = sum(1 for _, s in i_items if s is not None)
    qs, is_ = round(100 * _share(q_items)), round(100 * _share(i_items))
    need = round(100 * float(rule["min_share"]))
    return {
        "ru": (
            f"Недостаточно данных: ответов на вопросы {q_ok} из {len(q_items)} "
            f"({qs} % веса), показателей по данным {i_ok} из {len(i_items)} ({is_} % веса); "
            f"нужно не меньше {rule['min_items']} пунктов и {need} % веса вопросов или показателей."
        ),
        "en": (
            f"Too little evidence: {q_ok} of {len(q_items)} questions answered "
            f"({qs}% of their weight), {i_ok} of {len(i_items)} data indicators computed "
            f"({is_}% of their weight); at least {rule['min_items']} items and {need}% of the "
            "weight of the questions or of the indicators are needed."
        ),
    }


def score_areas(
    checklist: Checklist, answers: Answers, indicators: Sequence[Indicator]
) -> list[AreaScore]:
    """Score every area of the checklist from the answers and the indicators (checklist order).

    An area without enough evidence (scoring.yaml ``assessment``) gets ``assessed=False``,
    ``score=None`` and ``assessment_reason``; its partial score stays in ``raw_score``."""
    rule = _assessment_rule(checklist)
    by_area: dict[str, list[Indicator]] = {}
    for ind in indicators:
        by_area.setdefault(ind.area, []).append(ind)
    out = []
    for area in checklist.areas:
        q_items = []
        answered = 0
        questions = checklist.questions_of(area.id)
        for q in questions:
            a = answers.get(q.id)
            s = a.score if a is not None else None
            if a is not None and a.value != "unknown":
                answered += 1
            q_items.append((q.weight, s))
        given = by_area.get(area.id, [])
        i_items = [
            (i.weight, i.score / 100.0 if i.score is not None and i.status == "ok" else None)
            for i in given
        ]
        # checklist indicators not computed at all count as unavailable (their weight is missing)
        seen = {i.id for i in given}
        i_items += [(d.weight, None) for d in checklist.indicators_of(area.id) if d.id not in seen]
        score, avail, total = _weighted(q_items + i_items)
        interview, _, _ = _weighted(q_items)
        data, _, _ = _weighted(i_items)
        n_items = sum(1 for _, s in q_items + i_items if s is not None)
        assessed = n_items >= int(rule["min_items"]) and max(
            _share(q_items), _share(i_items)
        ) >= float(rule["min_share"])
        out.append(
            AreaScore(
                area=area.id,
                title=dict(area.title),
                score=_r(score) if assessed else None,
                confidence=round(avail / total, 4) if total > 0 else 0.0,
                interview_score=_r(interview),
                data_score=_r(data),
                answered=answered,
                questions=len(questions),
                indicators=[i.id for i in given],
                assessed=assessed,
                assessment_reason=(
                    None if assessed else _not_assessed_reason(n_items, q_items, i_items, rule)
                ),
                raw_score=_r(score),
            )
        )
    return out


def assessment_summary(checklist: Checklist, areas: Sequence[AreaScore]) -> dict[str, Any]:
    """How many areas are assessed and whether the overall index and maturity level may be
    given: ``{areas_assessed, areas_total, min_areas, index_given, not_assessed: [ids],
    reason: {ru, en} | None}``."""
    rule = _assessment_rule(checklist)
    done = [a.area for a in areas if a.score is not None]
    missing = [a.area for a in areas if a.score is None]
    need = int(rule["min_areas_for_index"])
    given = len(done) >= need and len(done) > 0
    reason = None
    if not given:
        # the reader knows the seven problems by number (p3 -> 3), not by checklist id
        nums = ", ".join(a[1:] if a[:1] == "p" and a[1:].isdigit() else a for a in missing)
        reason = {
            "ru": (
                f"Общий индекс и уровень зрелости не рассчитаны: оценено {len(done)} из "
                f"{len(areas)} областей, нужно не меньше {need}. Не оценены проблемы "
                f"№ {nums} — заполните интервью и добавьте выгрузки."
            ),
            "en": (
                f"No overall index or maturity level: {len(done)} of {len(areas)} areas "
                f"assessed, at least {need} needed. Not assessed: problems {nums} — complete "
                "the interview and add the exports."
            ),
        }
    return {
        "areas_assessed": len(done),
        "areas_total": len(areas),
        "min_areas": need,
        "index_given": given,
        "not_assessed": missing,
        "reason": reason,
    }


def overall_index(checklist: Checklist, areas: Sequence[AreaScore]) -> float | None:
    """Weighted mean of the assessed areas (area weights from the checklist); None when fewer
    than scoring.yaml ``assessment.min_areas_for_index`` areas are assessed."""
    if not assessment_summary(checklist, areas)["index_given"]:
        return None
    weights = {a.id: a.weight for a in checklist.areas}
    items = [(weights.get(a.area, 1.0), a.score / 100.0) for a in areas if a.score is not None]
    score, _, _ = _weighted(items)
    return _r(score)


def maturity(checklist: Checklist, index: float | None) -> dict[str, Any]:
    """The maturity level of an overall index: ``{level, id, name{ru,en}, description, min_index}``."""
    levels = checklist.scoring.get("maturity_levels", [])
    if index is None or not levels:
        return {"level": None, "id": None, "name": {"ru": "не оценено", "en": "not assessed"}}
    chosen = levels[0]
    for lv in levels:
        if index >= lv["min_index"]:
            chosen = lv
    nxt = [lv for lv in levels if lv["min_index"] > chosen["min_index"]]
    return {
        "level": chosen["level"],
        "id": chosen["id"],
        "name": dict(chosen["name"]),
        "description": dict(chosen["description"]),
        "min_index": chosen["min_index"],
        "next_level_at": nxt[0]["min_index"] if nxt else None,
        "levels": [
            {"level": lv["level"], "name": dict(lv["name"]), "min_index": lv["min_index"]}
            for lv in levels
        ],
    }


def annual_revenue(
    sales: pd.DataFrame | None, deals: pd.DataFrame | None, as_of: dt.date
) -> dict[str, Any] | None:
    """Revenue of the 12 months up to ``as_of`` (annualised when the data covers less).

    From 1C sales (``amount``) when present, else won deals' ``amount`` by close date. The
    covered period starts at the TRUE start of the data (the first dated record of the table,
    even before the 12 months), not at the first sale inside the window: data reaching back
    further than a year is never annualised, a table starting 3 months before ``as_of`` is
    scaled by 365 / its days. Returns ``{"value", "observed", "source", "data_start",
    "period_start", "period_end", "days_covered", "annualised"}`` or None.
    """
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    start = end - pd.DateOffset(years=1)
    if sales is not None and len(sales):
        dates, amounts, source = sales["date"], sales["amount"], "sales"
    elif deals is not None and len(deals):
        won = deals.loc[deals["outcome"].eq("won")]
        dates, amounts, source = won["closed"], won["amount"], "deals (won)"
    else:
        return None
    mask = dates.notna() & amounts.notna() & (dates < end) & (dates >= start)
    if not mask.any():
        return None
    total = float(amounts[mask].sum())
    first = dates[dates.notna() & (dates < end)].min().normalize()
    days = int((end - max(first, start)).days)
    full = int((end - start).days)
    value = total * full / days if days < full else total
    return {
        "value": round(value, 2),
        "observed": round(total, 2),
        "source": source,
        "data_start": first.date().isoformat(),
        "period_start": max(first, start).date().isoformat(),
        "period_end": pd.Timestamp(as_of).date().isoformat(),
        "days_covered": days,
        "annualised": days < full,
    }


def upside(
    checklist: Checklist,
    areas: Sequence[AreaScore],
    revenue: Mapping[str, Any] | None,
    *,
    gross_margin: float | None = None,
    blocked: str | None = None,
    currency: str = "RUB",
) -> dict[str, Any]:
    """Revenue and profit left on the table, as a low/high range.

    ``gap`` = area-weight-weighted mean of (100 - area score) / 100 over scored areas.
    ``revenue_high`` = annual revenue x max_revenue_share x gap; ``profit_high`` = revenue_high x
    gross margin (the gross profit on the revenue not earned, at the stated margin); the low ends
    take ``low_factor`` of the high ends. ``revenue_pct`` / ``profit_pct`` give the same ranges in %
    of revenue / of gross profit (equal, since the margin is kept). The method source names losses
    of up to 20 % of revenue and 40 % of profit; the profit ceiling is reported
    (``max_profit_share``) but not used, so the profit figure is the conservative one a reader can
    check against the margin. Every assumption is listed in ``assumptions``. ``blocked`` (e.g. too few areas assessed for an overall index)
    withholds the gap and the money ranges and is given as ``message``.
    """
    p = checklist.scoring.get("upside", {})
    margin_given = gross_margin is not None
    margin = float(gross_margin) if margin_given else float(p.get("default_gross_margin", 0.25))
    weights = {a.id: a.weight for a in checklist.areas}
    scored = [
        (weights.get(a.area, 1.0), (100.0 - a.score) / 100.0) for a in areas if a.score is not None
    ]
    gap_pct, _, _ = _weighted(scored) if blocked is None else (None, 0.0, 0.0)
    gap = None if gap_pct is None else gap_pct / 100.0
    by_area = {a.area: _r(100.0 - a.score) for a in areas if a.score is not None}
    assumptions = [
        {
            "id": "ceiling",
            "ru": f"Потолок потерь по источнику метода: до {p.get('max_revenue_share', 0.2):.0%} выручки (источник называет и до {p.get('max_profit_share', 0.4):.0%} прибыли; здесь прибыль считается только как валовая прибыль с недополученной выручки).",
            "en": f"Loss ceiling from the method source: up to {p.get('max_revenue_share', 0.2):.0%} of revenue (the source also names up to {p.get('max_profit_share', 0.4):.0%} of profit; here profit is only the gross profit on the revenue not earned).",
        },
        {
            "id": "gap",
            "ru": "Потери пропорциональны среднему разрыву оценок областей до 100 (взвешенно по весам областей).",
            "en": "Losses scale with the mean gap of area scores to 100 (weighted by area weights).",
        },
        {
            "id": "margin",
            "ru": f"Валовая маржа {margin:.0%} ({'данные компании' if margin_given else 'типовое допущение'}); прибыль = недополученная выручка × маржа.",
            "en": f"Gross margin {margin:.0%} ({'the company figure' if margin_given else 'typical assumption'}); profit = revenue not earned × margin.",
        },
        {
            "id": "range",
            "ru": f"Нижняя граница = {p.get('low_factor', 0.5):.0%} верхней (не все разрывы закрываются за год).",
            "en": f"Low end = {p.get('low_factor', 0.5):.0%} of the high end (not every gap closes within a year).",
        },
    ]
    if revenue is not None:
        assumptions.append(_revenue_assumption(revenue, currency))
    out: dict[str, Any] = {
        "gap": _r(gap, 4),
        "gap_by_area": by_area,
        "gross_margin": margin,
        "gross_margin_source": "report.yaml" if margin_given else "default",
        "max_revenue_share": p.get("max_revenue_share"),
        "max_profit_share": p.get("max_profit_share"),
        "low_factor": p.get("low_factor"),
        "annual_revenue": revenue,
        "source": p.get("source", ""),
        "assumptions": assumptions,
    }
    low = float(p.get("low_factor", 0.5))
    if gap is not None:
        r_pct = float(p.get("max_revenue_share", 0.2)) * gap * 100.0
        out["revenue_pct"] = {"low": round(r_pct * low, 2), "high": round(r_pct, 2)}
        # gross profit on the revenue not earned, at the same margin: the same share of it
        out["profit_pct"] = dict(out["revenue_pct"])
    else:
        out["revenue_pct"] = out["profit_pct"] = None
    if revenue is None or gap is None:
        out.update({"revenue": None, "profit": None})
        out["message"] = (
            blocked
            if blocked is not None
            else "no revenue in the data"
            if revenue is None
            else "no area scored"
        )
        return out
    rev = float(revenue["value"])
    r_high = rev * float(p.get("max_revenue_share", 0.2)) * gap
    pr_high = r_high * margin
    out["revenue"] = {"low": round(r_high * low, 2), "high": round(r_high, 2)}
    out["profit"] = {"low": round(pr_high * low, 2), "high": round(pr_high, 2)}
    return out


#: what the annual revenue was computed from, as the report names it
_REVENUE_SOURCES = {
    "sales": {"ru": "по отгрузкам (1С)", "en": "from shipments (1C)"},
    "deals (won)": {"ru": "по выигранным сделкам (CRM)", "en": "from won deals (CRM)"},
}


def _revenue_assumption(revenue: Mapping[str, Any], currency: str = "RUB") -> dict[str, str]:
    """The assumption line naming the annual revenue (in ``currency``), its source and period."""
    from salesaudit.scoring.report_settings import CURRENCY_SYMBOLS

    name = str(revenue["source"])
    src = _REVENUE_SOURCES.get(name, {"ru": name, "en": name})
    start, end = (pd.Timestamp(revenue[k]) for k in ("period_start", "period_end"))
    sign = CURRENCY_SYMBOLS.get(currency, currency)
    money_ru = f"{revenue['value']:,.0f}".replace(",", "\u00a0") + "\u00a0" + sign
    annual_ru = ", с пересчётом на год" if revenue.get("annualised") else ""
    annual_en = ", annualised from the period covered" if revenue.get("annualised") else ""
    return {
        "id": "revenue",
        "ru": f"Годовая выручка {money_ru} — {src['ru']} за {start:%d.%m.%Y}–{end:%d.%m.%Y}{annual_ru}.",
        "en": f"Annual revenue {currency} {revenue['value']:,.0f} {src['en']}, {start:%Y-%m-%d} to {end:%Y-%m-%d}{annual_en}.",
    }
