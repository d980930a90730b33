"""A small hand-made AuditResult shaped like the contract, shared by the report tests.

Analysis tables use the column names the analytics modules document (plan_fact, seasonality,
plan_structure, activity, funnel, refusals, forecast, forecast_backtest, credibility,
verification_sample, delegation, client_base). Numbers are chosen so that expected report text
can be computed by hand.
"""

from __future__ import annotations

import pandas as pd
from salesaudit.scoring.result import AreaScore, AuditResult, Finding, Indicator, frame_to_json

MANAGERS = {"m1": "Иванов Иван", "m2": "Петрова Анна", "m3": "Сидоров Кирилл"}
AREA_SCORES = {
    "p1": (35.5, 0.9),
    "p2": (52.0, 0.75),
    "p3": (41.25, 0.6),
    "p4": (68.9, 0.8),
    "p5": (47.2, 0.7),
    "p6": (22.8, 0.45),
    "p7": (59.4, 0.85),
}
OVERALL = 46.7


def _tables(**frames: pd.DataFrame) -> dict:
    return {
        "status": "ok",
        "message": "",
        "tables": {k: frame_to_json(v) for k, v in frames.items()},
    }


def _plan_fact() -> pd.DataFrame:
    rows = []
    for period, running in (("2026-10-01", False), ("2026-11-01", True)):
        for mid, plan, fact in (
            ("m1", 1_000_000, 870_000),
            ("m2", 800_000, 920_000),
            ("m3", 600_000, 300_000),
        ):
            f = fact if not running else fact / 2
            rows.append(
                {
                    "key": f"{period[:7]}|{mid}",
                    "period": period,
                    "manager_id": mid,
                    "manager_name": MANAGERS[mid],
                    "is_total": False,
                    "plan": plan,
                    "fact": f,
                    "deviation": f - plan,
                    "pct_done": f / plan * 100,
                    "running": running,
                    "forecast": f * 1.5 if running else f,
                    "required_daily": (plan - f) / 6 if running else None,
                }
            )
        sub = [r for r in rows if r["period"] == period]
        plan, fact = sum(r["plan"] for r in sub), sum(r["fact"] for r in sub)
        rows.append(
            {
                "key": f"{period[:7]}|total",
                "period": period,
                "manager_id": None,
                "manager_name": None,
                "is_total": True,
                "plan": plan,
                "fact": fact,
                "deviation": fact - plan,
                "pct_done": fact / plan * 100,
                "running": running,
                "forecast": sum(r["forecast"] for r in sub),
                "required_daily": None,
            }
        )
    return pd.DataFrame(rows)


def make_result(lang: str = "ru") -> AuditResult:
    """The fixture result (meta lang as given)."""
    areas = [
        AreaScore(
            area=a,
            title={"ru": f"Тестовая область {a[1]}", "en": f"Test area {a[1]}"},
            score=s,
            confidence=c,
            interview_score=s + 5,
            data_score=s - 5,
            answered=3,
            questions=4,
        )
        for a, (s, c) in AREA_SCORES.items()
    ]
    indicators = [
        Indicator(
            id="p3.plan_done",
            area="p3",
            label={"ru": "Выполнение плана отделом", "en": "Department plan fulfilment"},
            value=87.5,
            unit="%",
            status="ok",
            verdict="warn",
            score=62.5,
            weight=1.0,
            reference={"good": 100, "bad": 80, "source": "method"},
            evidence={"analysis": "plan_fact"},
        ),
        Indicator(
            id="p4.meetings_per_day",
            area="p4",
            label={"ru": "Встреч в день на менеджера", "en": "Meetings per manager per day"},
            value=1.25,
            unit="per_day",
            status="ok",
            verdict="bad",
            score=25.0,
            weight=1.0,
            reference={"good": 2, "bad": 1},
            evidence={"analysis": "activity"},
        ),
        Indicator(
            id="p5.win_rate",
            area="p5",
            label={"ru": "Конверсия сделок", "en": "Deal win rate"},
            value=0.18,
            unit="share",
            status="ok",
            verdict="warn",
            score=45.0,
            weight=1.0,
            reference={"good": 0.3, "bad": 0.1},
            evidence={"analysis": "funnel"},
        ),
        Indicator(
            id="p6.owner_share",
            area="p6",
            label={"ru": "Доля выручки собственника", "en": "Owner's revenue share"},
            value=0.46,
            unit="share",
            status="ok",
            verdict="bad",
            score=10.0,
            weight=1.0,
            reference={"good": 0.1, "bad": 0.4},
            evidence={"analysis": "delegation"},
        ),
        Indicator(
            id="p7.suspicious",
            area="p7",
            label={
                "ru": "Менеджеры с высоким индексом сомнений",
                "en": "Managers with high suspicion",
            },
            value=None,
            unit="count",
            status="insufficient_data",
            verdict="n/a",
            score=None,
            weight=1.0,
            evidence={"analysis": "credibility"},
        ),
    ]
    findings = [
        Finding(
            id="f.owner_sells",
            area="p6",
            severity="critical",
            title={
                "ru": "Собственник продаёт сам: 46 % выручки",
                "en": "The owner sells: 46% of revenue",
            },
            evidence={"numbers": {"owner_share": 0.46}},
            recommendation={
                "ru": "Передать ключевых клиентов РОП поэтапно",
                "en": "Hand key clients to the head of sales",
            },
            owner_role="owner",
            horizon=90,
            rank=1,
            effect={
                "ru": "Клиенты не зависят от собственника",
                "en": "Clients no longer depend on the owner",
            },
            target={"text": {"ru": "Ключевые клиенты переданы", "en": "Key clients handed over"}},
        ),
        Finding(
            id="f.low_meetings",
            area="p4",
            severity="high",
            title={"ru": "Мало встреч: 1,25 в день", "en": "Few meetings: 1.25 a day"},
            evidence={"numbers": {"meetings_per_day": 1.25}},
            recommendation={
                "ru": "Норма 2 встречи в день и ежедневный контроль в CRM",
                "en": "Set 2 meetings a day, check daily in the CRM",
            },
            owner_role="head_of_sales",
            horizon=30,
            rank=2,
            effect={"ru": "Больше встреч — больше сделок", "en": "More meetings, more deals"},
            target={"indicator": "p4.meetings_per_day", "value": 2},
        ),
        Finding(
            id="f.plan_gap",
            area="p3",
            severity="medium",
            title={"ru": "План выполнен на 87,5 %", "en": "Plan 87.5% done"},
            evidence={"numbers": {"pct_done": 87.5}},
            recommendation={
                "ru": "Еженедельное собрание план/факт/отклонение",
                "en": "Weekly plan/actual/deviation meeting",
            },
            owner_role="head_of_sales",
            horizon=60,
            rank=3,
            effect={"ru": "Отклонения видны каждую неделю", "en": "Deviations show every week"},
            target={"indicator": "p3.plan_done", "value": 95},
        ),
    ]
    activity = pd.DataFrame(
        [
            {
                "key": "m1|2026-10",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "month": "2026-10-01",
                "calls": 60,
                "meetings": 20,
                "working_days": 20,
            },
            {
                "key": "m1|2026-11",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "month": "2026-11-01",
                "calls": 40,
                "meetings": 10,
                "working_days": 10,
            },
            {
                "key": "m2|2026-10",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "month": "2026-10-01",
                "calls": 20,
                "meetings": 40,
                "working_days": 20,
            },
            {
                "key": "m3|2026-10",
                "manager_id": "m3",
                "manager_name": MANAGERS["m3"],
                "month": "2026-10-01",
                "calls": 100,
                "meetings": 5,
                "working_days": 20,
            },
        ]
    )
    funnel = pd.DataFrame(
        [
            {
                "key": "m1",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "deals": 40,
                "won": 8,
                "lost": 24,
                "win_rate": 0.25,
                "avg_deal": 52_000.0,
            },
            {
                "key": "m2",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "deals": 30,
                "won": 9,
                "lost": 11,
                "win_rate": 0.45,
                "avg_deal": 61_500.0,
            },
            {
                "key": "m3",
                "manager_id": "m3",
                "manager_name": MANAGERS["m3"],
                "deals": 20,
                "won": 1,
                "lost": 14,
                "win_rate": 1 / 15,
                "avg_deal": 30_000.0,
            },
            {
                "key": "team",
                "manager_id": "team",
                "manager_name": "Команда",
                "deals": 90,
                "won": 18,
                "lost": 49,
                "win_rate": 18 / 67,
                "avg_deal": 55_000.0,
            },
        ]
    )
    refusals = pd.DataFrame(
        [
            {
                "key": "m1|no_budget",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "reason": "no_budget",
                "count": 12,
            },
            {
                "key": "m1|not_interested",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "reason": "not_interested",
                "count": 4,
            },
            {
                "key": "m2|not_interested",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "reason": "not_interested",
                "count": 9,
            },
            {
                "key": "m2|too_expensive",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "reason": "too_expensive",
                "count": 3,
            },
            {
                "key": "team|no_budget",
                "manager_id": "team",
                "manager_name": "Команда",
                "reason": "no_budget",
                "count": 12,
            },
        ]
    )
    refusal_summary = pd.DataFrame(
        [
            {
                "key": "m1",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "refusals": 16,
                "dominant_reason": "no_budget",
                "recommendation_ru": "Гибче предлагать условия оплаты",
                "recommendation_en": "Be flexible on payment terms",
            },
            {
                "key": "m2",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "refusals": 12,
                "dominant_reason": "not_interested",
                "recommendation_ru": None,
                "recommendation_en": None,
            },
        ]
    )
    forecast = pd.DataFrame(
        [
            {
                "key": "m1",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "meetings_per_day": 2.0,
                "conversion": 0.1,
                "avg_deal": 50_000.0,
                "working_days": 22,
                "forecast": 220_000.0,
            },
            {
                "key": "m2",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "meetings_per_day": 1.5,
                "conversion": 0.2,
                "avg_deal": 60_000.0,
                "working_days": 22,
                "forecast": 396_000.0,
            },
            {
                "key": "team",
                "manager_id": "team",
                "manager_name": "Команда",
                "meetings_per_day": 1.75,
                "conversion": 0.15,
                "avg_deal": 55_000.0,
                "working_days": 22,
                "forecast": 616_000.0,
            },
        ]
    )
    backtest = pd.DataFrame(
        [
            {
                "key": f"{m}|{mid}",
                "month": m,
                "manager_id": mid,
                "manager_name": name,
                "forecast": fc,
                "actual": ac,
                "error": ac - fc,
                "ape": abs(ac - fc) / ac * 100,
            }
            for m, mid, name, fc, ac in (
                ("2026-09-01", "team", "Команда", 900_000.0, 1_000_000.0),
                ("2026-10-01", "team", "Команда", 1_100_000.0, 1_000_000.0),
                ("2026-09-01", "m1", MANAGERS["m1"], 400_000.0, 500_000.0),
                ("2026-10-01", "m1", MANAGERS["m1"], 500_000.0, 500_000.0),
            )
        ]
    )
    backtest_summary = pd.DataFrame(
        [
            {
                "key": "team",
                "manager_id": "team",
                "manager_name": "Команда",
                "months": 2,
                "mape": 10.0,
            },
            {
                "key": "m1",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "months": 2,
                "mape": 10.0,
            },
        ]
    )
    credibility = pd.DataFrame(
        [
            {
                "key": "m1",
                "manager_id": "m1",
                "manager_name": MANAGERS["m1"],
                "meetings": 30,
                "score": 15.0,
                "level": "low",
                "reasons": "",
            },
            {
                "key": "m2",
                "manager_id": "m2",
                "manager_name": MANAGERS["m2"],
                "meetings": 40,
                "score": 35.0,
                "level": "medium",
                "reasons": "late_share",
            },
            {
                "key": "m3",
                "manager_id": "m3",
                "manager_name": MANAGERS["m3"],
                "meetings": 5,
                "score": 65.0,
                "level": "high",
                "reasons": "batch_share; repeat_comment_share",
            },
        ]
    )
    sample = pd.DataFrame(
        [
            {
                "key": f"a{i}",
                "manager_id": "m3",
                "manager_name": MANAGERS["m3"],
                "suspicion_level": "high",
                "activity_id": f"a{i}",
                "occurred_at": f"2026-11-0{i}T10:00:00",
                "client_id": f"c{i}",
                "client_name": f"ООО Клиент {i}",
                "phone": "+7 900 000-00-0{i}",
            }
            for i in range(1, 4)
        ]
    )
    delegation = pd.DataFrame(
        [
            {
                "key": "owner",
                "role": "owner",
                "people": 1,
                "revenue": 1_380_000.0,
                "revenue_share": 0.46,
            },
            {
                "key": "manager",
                "role": "manager",
                "people": 3,
                "revenue": 1_620_000.0,
                "revenue_share": 0.54,
            },
        ]
    )
    clients = pd.DataFrame(
        [
            {
                "key": "c1",
                "client_id": "c1",
                "client_name": "ООО Альфа",
                "revenue": 800.0,
                "abc": "A",
            },
            {
                "key": "c2",
                "client_id": "c2",
                "client_name": "ООО Бета",
                "revenue": 150.0,
                "abc": "B",
            },
            {
                "key": "c3",
                "client_id": "c3",
                "client_name": "ООО Гамма",
                "revenue": 30.0,
                "abc": "C",
            },
            {
                "key": "c4",
                "client_id": "c4",
                "client_name": "ООО Дельта",
                "revenue": 20.0,
                "abc": "C",
            },
        ]
    )
    monthly = pd.DataFrame(
        {
            "key": ["2026-09", "2026-10"],
            "month": ["2026-09-01", "2026-10-01"],
            "active_clients": [30, 34],
            "new_clients": [2, 4],
        }
    )
    seasonality = pd.DataFrame(
        {
            "key": [f"2026-{m:02d}" for m in range(1, 11)],
            "month": [f"2026-{m:02d}-01" for m in range(1, 11)],
            "revenue": [2.0e6, 1.8e6, 2.2e6, 2.4e6, 2.1e6, 1.9e6, 1.7e6, 2.3e6, 2.6e6, 2.5e6],
            "trend": [2.0e6 + 40_000 * i for i in range(10)],
            "baseline": [2.05e6 + 30_000 * i for i in range(10)],
        }
    )
    structure = pd.DataFrame(
        [
            {
                "key": "period",
                "aspect": "period",
                "kind": "dimension",
                "present": True,
                "rows": 6,
                "detail": "2 периода",
            },
            {
                "key": "brand",
                "aspect": "brand",
                "kind": "dimension",
                "present": False,
                "rows": 0,
                "detail": "",
            },
            {
                "key": "meetings",
                "aspect": "meetings",
                "kind": "metric",
                "present": True,
                "rows": 6,
                "detail": "2 периода",
            },
        ]
    )
    analyses = {
        "plan_fact": _tables(main=_plan_fact()),
        "activity": _tables(main=activity),
        "funnel": _tables(main=funnel),
        "refusals": _tables(main=refusals, summary=refusal_summary),
        "forecast": _tables(main=forecast),
        "forecast_backtest": _tables(main=backtest, summary=backtest_summary),
        "credibility": _tables(main=credibility),
        "verification_sample": _tables(main=sample),
        "delegation": _tables(main=delegation),
        "client_base": _tables(main=clients, monthly=monthly),
        "seasonality": _tables(main=seasonality),
        "plan_structure": _tables(main=structure),
        "training_effect": {
            "status": "insufficient_data",
            "message": "needs table(s): trainings",
            "tables": {},
        },
    }
    answers = {
        "p1.q01": {"answer": "yes", "note": "РОП назначен в 2025 году"},
        "p1.q02": {"answer": "no", "note": ""},
        "p3.pl01": {"answer": "partly", "note": "план только в рублях"},
    }
    return AuditResult(
        meta={
            "client": "ООО «Ромашка-Трейд»",
            "as_of": "2026-11-20",
            "lang": lang,
            "consultant": "Анна Консультантова",
            "parameters": {
                "gross_margin": 0.3,
                "thresholds": {"p3.plan_done": {"good": 100, "bad": 80}},
                "analysis_params": {"activity": {"max_meetings": 8}},
            },
            "questions": {
                "p1.q01": {"ru": "Есть ли в компании РОП?", "en": "Is there a head of sales?"},
                "p1.q02": {
                    "ru": "Есть ли у РОП опыт управления?",
                    "en": "Has the head of sales management experience?",
                },
                "p3.pl01": {
                    "ru": "Есть ли методика планирования?",
                    "en": "Is there a planning method?",
                },
            },
        },
        areas=areas,
        overall_index=OVERALL,
        maturity={"level": 2, "name": {"ru": "отдельные инструменты", "en": "isolated tools"}},
        upside={
            "revenue": {"low": 1_200_000, "high": 2_400_000},
            "revenue_pct": {"low": 10, "high": 20},
            # the scoring's profit: the revenue upside × the 30 % margin
            "profit": {"low": 360_000, "high": 720_000},
            "profit_pct": {"low": 10, "high": 20},
            "gross_margin": 0.3,
            "gross_margin_source": "report.yaml",
            "max_revenue_share": 0.2,
            "assumptions": [
                {"ru": "Выручка за 12 месяцев 12 млн ₽", "en": "12-month revenue RUB 12m"},
                {"id": "ceiling", "ru": "Потолок 20% (текст скоринга)", "en": "Ceiling 20%"},
            ],
        },
        indicators=indicators,
        findings=findings,
        roadmap=[
            {
                "horizon": 30,
                "owners": ["head_of_sales"],
                "actions": [
                    {
                        "finding": "f.low_meetings",
                        "area": "p4",
                        "severity": "high",
                        "rank": 2,
                        "owner_role": "head_of_sales",
                        "title": findings[1].title,
                        "action": findings[1].recommendation,
                    }
                ],
            },
            {"horizon": 60, "owners": [], "actions": []},
            {
                "horizon": 90,
                "owners": ["owner"],
                "actions": [
                    {
                        "finding": "f.owner_sells",
                        "area": "p6",
                        "severity": "critical",
                        "rank": 1,
                        "owner_role": "owner",
                        "title": findings[0].title,
                        "action": findings[0].recommendation,
                    }
                ],
            },
        ],
        express_checklist=[
            {
                "id": "planning_method",
                "title": {
                    "ru": "Есть методика планирования объёма продаж",
                    "en": "A sales planning method exists",
                },
                "status": "partly",
                "score": 50.0,
                "evidence_items": 1,
                "basis": [
                    {
                        "kind": "question",
                        "id": "p3.pl01",
                        "text": {
                            "ru": "Есть ли методика планирования?",
                            "en": "Is there a planning method?",
                        },
                        "answer": "partly",
                    },
                    {
                        "kind": "indicator",
                        "id": "p3.plan_done",
                        "label": {
                            "ru": "Выполнение плана отделом",
                            "en": "Department plan fulfilment",
                        },
                        "value": 87.5,
                        "unit": "%",
                        "verdict": "warn",
                    },
                ],
            },
            {
                "id": "crm",
                "title": {"ru": "CRM настроена и используется", "en": "The CRM is set up and used"},
                "status": "not met",
                "score": 25.0,
                "evidence_items": 1,
                "basis": [],
            },
        ],
        answers=answers,
        analyses=analyses,
        quality={
            "usable": True,
            "tables": frame_to_json(
                pd.DataFrame(
                    {
                        "table": ["deals", "activities"],
                        "files": [1, 2],
                        "rows_read": [1250, 3400],
                        "accepted": [1234, 3390],
                        "rejected": [16, 10],
                        "duplicates": [0, 3],
                        "unparseable_cells": [2, 0],
                        "date_min": ["2025-11-01", "2026-05-01"],
                        "date_max": ["2026-11-19", "2026-11-20"],
                    }
                )
            ),
            "summary": frame_to_json(
                pd.DataFrame(
                    {
                        "severity": ["error", "info"],
                        "kind": ["rejected_row", "total_row"],
                        "count": [26, 4],
                        "files": [2, 1],
                    }
                )
            ),
            "issues": frame_to_json(pd.DataFrame(columns=["severity", "kind"])),
            "sheets": [],
        },
    )


# =============================================================================================
# tests
# =============================================================================================
import dataclasses  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from salesaudit.errors import InputFileError, ParameterError  # noqa: E402
from salesaudit.io.branding import load_branding  # noqa: E402
from salesaudit.report import sections  # noqa: E402
from salesaudit.report.i18n import fmt_money, fmt_pct  # noqa: E402

NB = "\u00a0"
REPO = Path(__file__).resolve().parents[1]
BRANDING = {
    "name": "Северный Вектор",
    "tagline": {"ru": "Продажи под контролем", "en": "Sales under control"},
    "phone": "+7 (800) 000-00-00",
    "email": "hello@example.test",
    "site": "example.test",
    "consultant": "",
    "logo_path": None,
    "logo_data_uri": "data:image/svg+xml;base64,PHN2Zy8+",
}


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities kept simple)."""
    import html as _html

    no_img = re.sub(r"<img[^>]*>", " ", fragment)
    return re.sub(r"[ \t\r\n]+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", no_img)))


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return make_result("ru")


def test_fragments_render_in_jupyter(result: AuditResult) -> None:
    frag = sections.executive_summary(result, "ru")
    assert isinstance(frag, sections.Html)
    assert frag._repr_html_() == str(frag)
    assert isinstance(frag + "<p>x</p>", sections.Html)
    assert repr(frag) == f"<Html fragment: {len(frag)} characters>"


def test_cover_ru_and_en(result: AuditResult) -> None:
    ru = _text(sections.cover(result, BRANDING, "ru"))
    for part in (
        "Экспресс-оценка отдела продаж",
        "ООО «Ромашка-Трейд»",
        "20.11.2026",
        "Анна Консультантова",
        "Конфиденциально",
        "Северный Вектор",
        "Продажи под контролем",
        "+7 (800) 000-00-00",
        "hello@example.test",
    ):
        assert part in ru, part
    assert 'src="data:image/svg+xml;base64,PHN2Zy8+"' in sections.cover(result, BRANDING, "ru")
    en = _text(sections.cover(result, BRANDING, "en"))
    assert "Confidential" in en and "20 Nov 2026" in en and "Sales under control" in en
    assert "2026-11-20" not in en


def test_cover_with_neutral_branding_has_no_logo(result: AuditResult) -> None:
    html = sections.cover(result, load_branding(None), "ru")
    assert "<img" not in html
    assert "ООО «Ромашка-Трейд»" in html


def test_contents_links_every_section_of_the_document(result: AuditResult) -> None:
    toc = sections.contents("ru", result)
    hrefs = re.findall(r'href="#([^"]+)"', toc)
    assert hrefs[0] == "summary" and len(hrefs) == 17
    assert "Проблема 6. Тестовая область 6" in _text(toc)
    doc = sections.build_report_html(result, BRANDING, "ru")
    ids = re.findall(r'<section id="([^"]+)"', doc)
    assert ids[:3] == ["cover", "contents", "summary"]
    assert set(hrefs) <= set(ids)


def test_executive_summary_numbers_come_from_the_result(result: AuditResult) -> None:
    html = sections.executive_summary(result, "ru")
    text = _text(html).replace(NB, " ")
    assert "46,7" in text
    assert "Уровень 2 из 5: отдельные инструменты" in text
    assert html.count('class="sa-chart"') == 1  # the seven problems, named on the chart
    # the three first actions in rank order, each with its expected effect and dated target
    assert "Три первоочередных действия" in text
    assert (
        text.index("Передать ключевых клиентов РОП поэтапно")
        < text.index("Клиенты не зависят от собственника")
        < text.index("Ключевые клиенты переданы к 18.02.2027")  # as_of 20.11.2026 + 90 days
        < text.index("Норма 2 встречи в день")
        < text.index("Больше встреч — больше сделок")
        < text.index("Встреч в день на менеджера ≥ 2 к 20.12.2026 (сейчас 1,25)")
        < text.index("Еженедельное собрание план/факт/отклонение")
        < text.index("Отклонения видны каждую неделю")
        < text.index("Выполнение плана отделом ≥ 95,0 % к 19.01.2027 (сейчас 87,5 %)")
    )
    assert "Проблема 6: Собственник продаёт сам" in text
    # upside rounded, profit = revenue upside x the stated margin (0.3 from the company)
    assert "Выручка: ≈ 1,2–2,4 млн ₽ в год (10–20 % годовой выручки)." in text
    assert (
        "Валовая прибыль: ≈ 360–720 тыс. ₽ в год — потенциал выручки × валовая маржа 30 % "
        "(данные компании)." in text
    )
    assert "1 200 000" not in text  # no false precision
    # assumptions: built from the numbers where the result has them, else as written
    assert "1) Потолок потерь — до 20 % годовой выручки (источник методики)." in text
    assert "Потолок 20%" not in text
    assert "Прибыль считается как валовая: потенциал выручки × маржа 30 %." in text
    assert "Выручка за 12 месяцев 12 млн ₽." in text


def test_executive_summary_english(result: AuditResult) -> None:
    text = _text(sections.executive_summary(make_result("en"), "en")).replace(NB, " ")
    assert "Level 2 of 5: isolated tools" in text
    assert "Revenue: ≈ RUB 1.2–2.4 m a year (10–20% of annual revenue)." in text
    assert "Gross profit: ≈ RUB 360–720 k a year: the revenue upside × gross margin 30%" in text
    assert "Top three actions" in text and "More meetings, more deals" in text
    assert "Meetings per manager per day ≥ 2 by 20 Dec 2026 (now 1.25)" in text
    assert not re.search("[А-Яа-яЁё]", text)


def test_upside_not_estimated_says_why_in_the_report_language(result: AuditResult) -> None:
    blocked = dataclasses.replace(
        result,
        upside={
            "revenue": None,
            "profit": None,
            "gross_margin": 0.25,
            "message": "too few areas assessed",
            "assumptions": [{"id": "margin", "ru": "Маржа 25%", "en": "Margin 25%"}],
        },
    )
    text = _text(sections.executive_summary(blocked, "ru"))
    assert (
        "Потенциал роста не оценён: оценено слишком мало областей, чтобы судить о разрыве." in text
    )
    assert "Допущения" not in text and "млн" not in text
    no_revenue = dataclasses.replace(
        blocked, upside={**blocked.upside, "message": "no revenue in the data"}
    )
    en = _text(sections.executive_summary(no_revenue, "en"))
    assert "The upside is not estimated: the data hold no annual revenue." in en
    assert "too few" not in en


def test_insufficient_messages_are_written_for_the_reader() -> None:
    from salesaudit.report.i18n import insufficient_text

    assert insufficient_text("needs table(s): sales or deals") == "нужны данные: Продажи или Сделки"
    assert insufficient_text("needs table(s): activities, plans", "en") == (
        "needs data: Activities, Plans"
    )
    assert insufficient_text("needs at least 12 complete months of revenue, found 7") == (
        "нужно не меньше 12 полных месяцев выручки, есть 7"
    )
    assert insufficient_text("no deals created by as_of", "en") == (
        "no deals created by the assessment date"
    )
    # indicator messages carry the analysis' name first
    assert insufficient_text("funnel: no closed deals", "en") == "there are no closed deals"
    # an unknown English message reaches neither report as written
    assert insufficient_text("a brand-new reason") == ""
    assert insufficient_text("a brand-new reason", "en") == ""
    assert insufficient_text(None) == ""


def test_fmt_money_approx_rounds_to_two_significant_digits() -> None:
    from salesaudit.report.i18n import fmt_money_approx

    assert fmt_money_approx(25_168_702, 50_337_403).replace(NB, " ") == "≈ 25–50 млн ₽"
    assert fmt_money_approx(6_292_175, 12_584_351).replace(NB, " ") == "≈ 6–13 млн ₽"
    assert fmt_money_approx(2_500, 5_000).replace(NB, " ") == "≈ 2,5–5,0 тыс. ₽"
    assert fmt_money_approx(480, 480, "en").replace(NB, " ") == "≈ RUB 480"
    assert fmt_money_approx(None, 3_000_000, "en").replace(NB, " ") == "≈ RUB 3.0 m"
    assert fmt_money_approx(None, None) == "—"


def test_target_text_direction_value_and_date(result: AuditResult) -> None:
    # good below bad: the target is an upper bound
    low_is_good = {"indicator": "p7.suspicious", "value": 0}
    assert sections.target_text(result, low_is_good, 30, "ru") == (
        "Менеджеры с высоким индексом сомнений: 0 к 20.12.2026"  # no reference: no direction
    )
    share = {"indicator": "p6.owner_share", "value": 0.1}  # good 0.1 < bad 0.4
    assert sections.target_text(result, share, 90, "ru") == (
        f"Доля выручки собственника{NB}≤{NB}10,0{NB}% к 18.02.2027 (сейчас 46,0{NB}%)"
    )
    assert sections.target_text(result, None, 30, "ru") == "—"
    assert sections.target_text(result, {"indicator": "p9.unknown", "value": 1}, 30) == "—"
    no_date = AuditResult.from_json(result.to_json())
    no_date.meta.pop("as_of")
    assert sections.target_text(no_date, {"text": {"ru": "Сделано", "en": "Done"}}, 30) == (
        "Сделано"
    )


def test_problem_section_questions_indicators_chart_findings(result: AuditResult) -> None:
    p1 = _text(sections.problem_section(result, "p1", "ru"))
    assert "Есть ли в компании РОП? да РОП назначен в 2025 году" in p1
    assert "Есть ли у РОП опыт управления? нет" in p1
    assert "3 / 4" in p1
    p3_html = sections.problem_section(result, "p3", "ru")
    p3 = _text(p3_html)
    assert "Есть ли методика планирования? частично план только в рублях" in p3
    assert f"Выполнение плана отделом 87,5{NB}% внимание 62,5" in p3
    assert f"хорошо: 100,0{NB}% · плохо: 80,0{NB}%" in p3 and "источник" not in p3
    assert p3_html.count('class="sa-chart"') == 1  # plan/fact chart
    assert "План выполнен на 87,5 %" in p3 and "Еженедельное собрание" in p3
    assert "Средняя" in p3 and "РОП" in p3 and "60 дней" in p3
    p7 = _text(sections.problem_section(result, "p7", "ru"))
    assert "Менеджеры с высоким индексом сомнений Нет данных не оценено —" in p7


def test_problem_section_lists_all_checklist_questions_when_given(result: AuditResult) -> None:
    class Q:
        def __init__(self, qid: str, ru: str) -> None:
            self.id, self.text = qid, {"ru": ru, "en": ru}

    class FakeChecklist:
        questions = [Q("p2.st01", "Описаны ли роли?"), Q("p2.st02", "Есть ли регламенты?")]

        def questions_of(self, area: str) -> list[Q]:
            return [q for q in self.questions if q.id.startswith(area)]

    text = _text(sections.problem_section(result, "p2", "ru", checklist=FakeChecklist()))
    # numbered as in the workshop: problem 2, questions 1 and 2 in checklist order
    assert "2.1 Описаны ли роли? нет ответа" in text
    assert "2.2 Есть ли регламенты? нет ответа" in text


def test_planning_section_latest_period_with_run_rate(result: AuditResult) -> None:
    html = sections.planning_section(result, "ru")
    text = _text(html)
    # Nov 2026 (running): Иванов plan 1 000 000, fact 435 000, forecast 652 500,
    # required daily (1 000 000 - 435 000) / 6 = 94 166.67
    row = " ".join(
        [
            "Иванов Иван",
            fmt_money(1_000_000, "ru"),
            fmt_money(435_000, "ru"),
            fmt_money(-565_000, "ru"),
            fmt_pct(43.5, "ru"),
            fmt_money(652_500, "ru"),
            fmt_money(94_166.67, "ru"),
        ]
    )
    assert row in text
    assert f"Итого 2{NB}400{NB}000{NB}₽ 1{NB}045{NB}000{NB}₽" in text
    assert "По периодам да 2 периода" in text and "По брендам нет" in text
    assert html.count('class="sa-chart"') == 2  # seasonality + plan/fact


def test_scorecards_frame_exact_values(result: AuditResult) -> None:
    sc = sections.scorecards_frame(result).set_index("manager")
    assert list(sc.index) == ["Иванов Иван", "Петрова Анна", "Сидоров Кирилл"]
    iv = sc.loc["Иванов Иван"]
    assert iv["revenue"] == 1_305_000.0
    assert iv["pct_plan"] == pytest.approx(65.25)
    assert iv["meetings_per_day"] == pytest.approx(1.0)  # 30 meetings / 30 working days
    assert iv["conversion"] == 0.25 and iv["avg_deal"] == 52_000.0
    assert iv["dominant_reason"] == "no_budget"
    assert iv["suspicion"] == 15.0 and iv["suspicion_level"] == "low"
    pe = sc.loc["Петрова Анна"]
    assert pe["revenue"] == 1_380_000.0 and pe["pct_plan"] == pytest.approx(86.25)
    assert pe["meetings_per_day"] == pytest.approx(2.0)
    si = sc.loc["Сидоров Кирилл"]
    assert si["meetings_per_day"] == pytest.approx(0.25)
    assert pd.isna(si["dominant_reason"])


def test_scorecards_html_with_coaching(result: AuditResult) -> None:
    text = _text(sections.scorecards(result, "ru"))
    assert f"Выручка 1{NB}305{NB}000{NB}₽" in text
    assert f"Выполнение 65,2{NB}%" in text or f"Выполнение 65,3{NB}%" in text
    assert "Главная причина отказов Нет бюджета" in text
    assert "Гибче предлагать условия оплаты" in text  # from the refusals analysis
    # no advice of the report's own: only checklist/coaching.yaml (via the analysis) gives it
    assert "лучше знать продукт" not in text
    assert "Индекс сомнений 65 (высокий)" in text


def test_forecast_section_inputs_plan_mape_and_note(result: AuditResult) -> None:
    text = _text(sections.forecast_section(result, "ru"))
    row = f"Иванов Иван 2,00 10,0{NB}% 50{NB}000{NB}₽ 22 220{NB}000{NB}₽ 1{NB}000{NB}000{NB}₽"
    assert row in text
    assert f"Средняя ошибка прогноза (MAPE) 10,0{NB}%" in text
    assert "2 × 1/10 × 50 000 × 22 = 220 000" in text.replace(NB, " ")
    assert "Команда" not in text.split("Проверка на истории")[0]  # team row not in the table
    en = _text(sections.forecast_section(make_result("en"), "en"))
    assert "2 × 1/10 × 50,000 × 22 = RUB 220,000" in en


def test_credibility_section_reasons_and_sample(result: AuditResult) -> None:
    text = _text(sections.credibility_section(result, "ru"))
    assert "Сидоров Кирилл 65 высокий внесены пачкой; одинаковые комментарии" in text
    assert "Петрова Анна 35 средний внесены задним числом" in text
    assert "Записей в выборке 3" in text
    assert "ООО Клиент 2 02.11.2026 высокий" in text
    assert "+7 900" not in text  # phones stay in the call list, not in the report


def test_express_checklist_roadmap_quality(result: AuditResult) -> None:
    ex = _text(sections.express_checklist_table(result, "ru"))
    assert "Есть методика планирования объёма продаж частично 50,0" in ex
    assert f"Есть ли методика планирования? — частично Выполнение плана отделом: 87,5{NB}%" in ex
    assert "CRM настроена и используется не выполнено 25,0" in ex
    rm = _text(sections.roadmap(result, "ru"))
    assert "За 30 дней" in rm and "За 90 дней" in rm and "За 60 дней" not in rm
    assert "Норма 2 встречи в день" in rm
    assert (
        "Норма 2 встречи в день и ежедневный контроль в CRM Проблема 4: Мало встреч: 1,25 в день "
        "Встреч в день на менеджера ≥ 2 к 20.12.2026 (сейчас 1,25) РОП" in rm.replace(NB, " ")
    )
    assert "Передать ключевых клиентов РОП поэтапно" in rm
    assert "Ключевые клиенты переданы к 18.02.2027 Собственник" in rm
    assert not re.search(r"\bP[1-7]\b", rm)  # problems in words, not codes
    q = _text(sections.appendix_quality(result, "ru"))
    assert "Итог: данных достаточно" in q
    assert f"Сделки 1 1{NB}250 1{NB}234 16 0 2 01.11.2025 – 19.11.2026" in q
    assert "Дела и встречи 2 3" in q and "deals" not in q
    assert "ошибка Строка отклонена 26 2" in q
    assert "сведения Пропущена итоговая строка 4 1" in q


def test_long_tables_are_capped() -> None:
    html = sections.table(["a", "b"], [(i, i * 2) for i in range(20)], lang="ru", max_rows=15)
    assert html.count("<tr>") == 1 + 15
    assert "… и ещё 5" in html
    en = sections.table(["a"], [(i,) for i in range(3)], lang="en", max_rows=2)
    assert "… and 1 more" in en
    assert "and" not in sections.table(["a"], [(1,)], lang="en")


def test_cells_are_escaped() -> None:
    html = sections.table(["<b>"], [("<script>alert(1)</script>",)])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_glossary_and_method(result: AuditResult) -> None:
    ru = _text(sections.appendix_glossary("ru"))
    assert "РОП руководитель отдела продаж" in ru
    en = _text(sections.appendix_glossary("en"))
    assert "Head of sales manages the sales team" in en and "РОП" not in en
    m = _text(sections.appendix_method(result, "ru"))
    assert "20 %" in m.replace(NB, " ") and "40 %" in m.replace(NB, " ")
    assert f"Валовая маржа 30{NB}%" in m
    assert "Ориентиры, изменённые консультантом Выполнение плана отделом" in m
    assert "Анализы с настройками консультанта 1" in m
    assert "thresholds" not in m and "gross_margin" not in m and "p3.plan_done" not in m
    assert "Выполнение плана отделом 3 хорошо" in m and "источник: method" in m


def test_whole_document_builds_and_does_not_mutate_the_result(result: AuditResult) -> None:
    before = result.to_json()
    doc = sections.build_report_html(result, BRANDING, "ru")
    assert result.to_json() == before
    assert doc.startswith("<!DOCTYPE html>") and '<html lang="ru">' in doc
    assert "@page" in doc and "counter(pages)" in doc and "target-counter(attr(href), page)" in doc
    assert doc.count("<section ") == 2 + 1 + 7 + 9
    en = sections.build_report_html(make_result("en"), BRANDING, "en")
    assert "Sales department express assessment" in en and '"page "' in en


def test_unknown_language_is_a_parameter_error(result: AuditResult) -> None:
    with pytest.raises(ParameterError, match="unknown report language 'de'"):
        sections.executive_summary(result, "de")


def test_sections_survive_a_result_without_analyses(result: AuditResult) -> None:
    bare = AuditResult.from_dict({**result.to_dict(), "analyses": {}, "quality": {}})
    for fn in (
        sections.planning_section,
        sections.scorecards,
        sections.forecast_section,
        sections.credibility_section,
        sections.appendix_quality,
    ):
        html = fn(bare, "ru")
        assert "<section" in html
    assert "Недостаточно данных для расчёта" in sections.forecast_section(bare, "ru")
    assert "Нет данных" in sections.scorecards(bare, "ru")


# --- branding (io) ------------------------------------------------------------------------------
def test_load_branding_default_and_sample() -> None:
    neutral = load_branding(None)
    assert neutral["name"] == "" and neutral["logo_data_uri"] is None
    b = load_branding(REPO / "data_samples" / "consultancy.yaml")
    assert b["name"] == "Северный Вектор — консалтинг продаж"
    assert b["tagline"]["en"] == "Managed, predictable B2B sales"
    assert b["logo_data_uri"].startswith("data:image/svg+xml;base64,")
    assert b["email"].endswith(".example")


def test_load_branding_reports_every_bad_field(tmp_path: Path) -> None:
    f = tmp_path / "brand.yaml"
    f.write_text("name: [1, 2]\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load_branding(f)
    msg = str(err.value)
    assert "unknown field 'colour'" in msg and "column 'name'" in msg and str(f) in msg


def test_load_branding_missing_logo_and_bad_yaml(tmp_path: Path) -> None:
    f = tmp_path / "brand.yaml"
    f.write_text("name: X\nlogo: nope.png\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="cannot read the logo"):
        load_branding(f)
    f.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="YAML syntax error at line 2"):
        load_branding(f)
    with pytest.raises(InputFileError, match="branding file not found"):
        load_branding(tmp_path / "missing.yaml")


def test_skip_charts_and_whole_document_shows_each_problem_chart_once(result: AuditResult) -> None:
    assert sections.area_chart_names(result, "p3") == ["plan_fact"]
    p3 = sections.problem_section(result, "p3", "ru", skip_charts={"plan_fact"})
    assert 'class="sa-chart"' not in p3
    body = sections.report_body(result, BRANDING, "ru")
    problems = [str(p) for p in body if 'id="area-' in p]
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", "".join(problems))
    assert len(captions) == len(set(captions))


def test_number_formats_ru_and_en() -> None:
    from salesaudit.report import i18n

    assert i18n.fmt_money(1234567.4, "ru") == f"1{NB}234{NB}567{NB}₽"
    assert i18n.fmt_money(1234567.4, "en") == f"RUB{NB}1,234,567"
    assert i18n.fmt_pct(45.34, "ru") == f"45,3{NB}%"
    assert i18n.fmt_pct(45.34, "en") == "45.3%"
    assert i18n.fmt_share(0.5, "ru", 0) == f"50{NB}%"
    assert i18n.fmt_number(-1500, "ru") == f"−1{NB}500"
    assert i18n.fmt_value(38.78, "pp", "ru") == f"38,8{NB}п.п."
    assert i18n.fmt_value(1.25, "x", "en") == f"1.25{NB}×"
    assert i18n.fmt_value(None, "%", "ru") == "—"
    assert i18n.fmt_date("2026-11-20T00:00:00", "ru") == "20.11.2026"
    assert i18n.t("and_more", "ru", n=3) == "… и ещё 3"
    assert i18n.signal_names("batch_share; fixed_pay", "en") == "logged in batches; fixed pay"
    assert i18n.refusal_name("unspecified", "ru") == "Причина не указана"
    assert i18n.refusal_name("Свой вариант", "en") == "Свой вариант"  # unknown labels kept
    assert set(i18n.STRINGS) and all(set(v) == {"ru", "en"} for v in i18n.STRINGS.values())


# --- follow-up round: charts once, indicator labels, sources, sample order, layout ----------------
def test_chart_plan_names_the_section_that_draws_each_chart(result: AuditResult) -> None:
    plan = sections.chart_plan(result)
    assert plan == {
        "area-p1": {},
        "area-p2": {},
        "area-p3": {},
        "area-p4": {},
        "area-p5": {},
        "area-p6": {},
        "area-p7": {},
        "planning": {"plan_fact": "area-p3"},
        "scorecards": {"refusals": "area-p5", "activity": "area-p4"},
        "forecast": {},
        "credibility": {"credibility": "area-p7"},
    }
    assert sections.canonical_chart("activity_summary") == "activity"


def test_skipped_chart_becomes_a_reference_to_its_section(result: AuditResult) -> None:
    planning = sections.planning_section(result, "ru", skip_charts={"plan_fact": "area-p3"})
    assert planning.count('class="sa-chart"') == 1  # seasonality only
    assert 'id="fig-seasonality"' in planning and 'id="fig-plan_fact"' not in planning
    # the page cited is the figure's own page (it may follow its section's first page)
    assert '<a class="sa-pageref" href="#fig-plan_fact">' in planning
    assert (
        "Диаграмма «План / факт / отклонение» — в разделе «Проблема 3. Тестовая область 3»,"
        in _text(planning)
    )
    # a plain set of names still skips, with a reference that names no page
    cred = sections.credibility_section(result, "en", skip_charts={"credibility"})
    assert 'class="sa-chart"' not in cred and "Chart “Suspicion score” is shown above." in cred
    # the scorecards put references above the cards, not alone after them
    cards = str(sections.scorecards(result, "ru", skip_charts={"refusals": "area-p5"}))
    assert cards.index("sa-figref") < cards.index("sa-cards")


def test_whole_document_draws_every_chart_once(result: AuditResult) -> None:
    html = sections.build_report_html(result, BRANDING, "ru")
    ids = re.findall(r'<figure id="fig-([a-z_]+)"', html)
    assert sorted(ids) == sorted(set(ids))
    assert set(ids) == {
        "seasonality",
        "plan_fact",
        "activity",
        "client_base",
        "refusals",
        "delegation",
        "credibility",
        "forecast",
        "forecast_backtest",
    }
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", html)
    assert len(captions) == len(set(captions))
    assert html.count('class="sa-figref"') == 4  # planning 1, scorecards 2, credibility 1


def test_evidence_lines_use_indicator_labels(result: AuditResult) -> None:
    from salesaudit.scoring.result import Finding

    f = Finding(
        id="f.x",
        area="p3",
        severity="high",
        title={"ru": "Т", "en": "T"},
        evidence={
            "numbers": {
                "p3.plan_done": {"value": 87.5, "unit": "%", "verdict": "warn"},
                "p9.other_number": 3,
                "flag": True,
            }
        },
        recommendation={"ru": "Р", "en": "R"},
        owner_role="owner",
        horizon=30,
        rank=1,
    )
    labels = sections.indicator_labels(result)
    ru = _text(sections.findings_block([f], "ru", labels=labels))
    assert f"Выполнение плана отделом: 87,5{NB}% (внимание)" in ru
    assert "p9.other number: 3" in ru and "flag: да" in ru
    assert "p3.plan_done" not in ru
    en = _text(sections.findings_block([f], "en", labels=labels))
    assert "Department plan fulfilment: 87.5% (warning)" in en
    assert sections.evidence_label("p1.suspect_managers", {}, "ru") == "suspect managers"


def test_reference_sources_follow_the_language() -> None:
    from salesaudit.report.i18n import source_text
    from salesaudit.scoring.result import Indicator

    def ind(source: object) -> Indicator:
        return Indicator(
            id="p4.x",
            area="p4",
            label="x",
            value=1.0,
            unit="%",
            status="ok",
            verdict="good",
            score=100.0,
            weight=1.0,
            reference={"good": 90, "bad": 60, "source": source},
        )

    method = ind({"ru": "практическое правило консультанта", "en": "consultant's rule of thumb"})
    ru = sections.reference_text(method, "ru")
    assert (
        ru == f"хорошо: 90,0{NB}% · плохо: 60,0{NB}% · источник: практическое правило консультанта"
    )
    en = sections.reference_text(method, "en")
    assert en.endswith("source: consultant's rule of thumb")
    both = ind({"ru": "свой источник", "en": "own source"})
    assert sections.reference_text(both, "ru").endswith("источник: свой источник")
    assert sections.reference_text(both, "en").endswith("source: own source")
    # a consultant's own plain text is shown as written
    assert source_text("Отраслевой опрос 2025", "ru") == "Отраслевой опрос 2025"


def test_every_method_threshold_source_has_russian_wording() -> None:
    import yaml

    doc = yaml.safe_load((REPO / "checklist" / "thresholds.yaml").read_text(encoding="utf-8"))
    not_bilingual = [
        i["id"]
        for i in doc["indicators"]
        if not (isinstance(i["source"], dict) and i["source"].get("ru") and i["source"].get("en"))
    ]
    assert not_bilingual == []


def test_method_appendix_in_russian_has_no_english_sources(result: AuditResult) -> None:
    import dataclasses

    inds = [
        dataclasses.replace(
            i,
            reference={
                **i.reference,
                "source": {
                    "ru": "методика (статья): результат каждого контакта фиксируется; "
                    "пороги — практическое правило консультанта",
                    "en": "method source (article): the result of every contact is "
                    "recorded; thresholds are a consultant's rule of thumb",
                },
            },
        )
        for i in result.indicators
    ]
    text = _text(sections.appendix_method(dataclasses.replace(result, indicators=inds), "ru"))
    assert "rule of thumb" not in text and "method source" not in text
    assert "методика (статья): результат каждого контакта фиксируется" in text


def test_verification_sample_highest_suspicion_first() -> None:
    sample = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d", "e"],
            "manager_name": ["Юрьев", "Орлова", "Абрамов", "Орлова", "Абрамов"],
            "suspicion_level": ["low", "high", "medium", "high", "low"],
            "occurred_at": ["2026-11-01", "2026-11-05", "2026-11-02", "2026-11-03", "2026-10-30"],
        }
    )
    before = sample.copy()
    out = sections.verification_order(sample)
    assert out["key"].tolist() == ["d", "b", "c", "e", "a"]
    assert list(out.columns) == list(sample.columns)
    pd.testing.assert_frame_equal(sample, before)


def test_credibility_section_lists_high_suspicion_first(result: AuditResult) -> None:
    import dataclasses

    vs = pd.DataFrame(
        [
            {
                "manager_name": "Б",
                "client_name": "К1",
                "occurred_at": "2026-11-02",
                "suspicion_level": "low",
            },
            {
                "manager_name": "А",
                "client_name": "К2",
                "occurred_at": "2026-11-03",
                "suspicion_level": "high",
            },
        ]
    )
    analyses = {**result.analyses, "verification_sample": _tables(main=vs)}
    text = _text(sections.credibility_section(dataclasses.replace(result, analyses=analyses)))
    assert text.index("А К2 03.11.2026 высокий") < text.index("Б К1 02.11.2026 низкий")


def test_plan_structure_details_and_table_names_are_translated() -> None:
    from salesaudit.report.i18n import detail_text

    assert detail_text("19 period(s) 2025-06..2026-12", "ru") == "периодов: 19 (06.2025 – 12.2026)"
    assert detail_text("19 period(s) 2025-06..2026-12", "en") == "19 periods (Jun 2025 – Dec 2026)"
    assert detail_text("0 of 247 manager plan rows acknowledged", "ru") == (
        "подписано 0 из 247 строк планов менеджеров"
    )
    assert detail_text("14 manager(s)", "en") == "14 managers"
    assert detail_text("something else", "ru") == "something else"
    assert sections.table_name("activities", "ru") == "Дела и встречи"
    assert sections.table_name("custom", "ru") == "custom"


def test_long_file_names_wrap_in_table_cells() -> None:
    from salesaudit.report import report_css

    css = report_css("ru", "X")
    assert "overflow-wrap: anywhere" in css
    assert "column-count" not in css  # multi-column layout is slow in WeasyPrint


def test_problems_accepted_with_accept_incomplete_are_said_and_listed(result: AuditResult) -> None:
    import dataclasses

    blocking = [
        {"ru": "таблица activities: отклонено 3 из 4 строк (больше половины)", "en": "x"},
        {"ru": "raw/d.csv: таблица deals без ключевого поля amount", "en": "y"},
    ]
    incomplete = dataclasses.replace(
        result, quality={**result.quality, "usable": True, "blocking": blocking}
    )
    summary = _text(sections.executive_summary(incomplete, "ru"))
    assert (
        "Данные неполные: 2 пробл. с выгрузками (список — в приложении «Качество данных»" in summary
    )
    appendix = _text(sections.appendix_quality(incomplete, "ru"))
    assert "таблица activities: отклонено 3 из 4 строк (больше половины)" in appendix
    assert "raw/d.csv: таблица deals без ключевого поля amount" in appendix
    assert "Итог: данных достаточно" not in appendix  # the box says it instead
    # without accepted problems: no note, the usual verdict line
    assert "Данные неполные" not in _text(sections.executive_summary(result, "ru"))
    plain = dataclasses.replace(result, quality={**result.quality, "usable": True})
    assert "Итог: данных достаточно для экспресс-оценки." in _text(
        sections.appendix_quality(plain, "ru")
    )
