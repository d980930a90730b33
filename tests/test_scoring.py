"""Scoring: indicator judging, area scores and confidence, index, maturity, upside (exact values)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from salesaudit.analytics._base import AnalysisResult, not_enough_data
from salesaudit.model.schemas import REFUSAL_REASONS, canonical_frame
from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.indicators import compute_indicators, score_value, verdict_of
from salesaudit.scoring.result import Indicator
from salesaudit.scoring.score import (
    annual_revenue,
    assessment_summary,
    maturity,
    overall_index,
    score_areas,
    upside,
)


def _t(ru: str) -> dict:
    return {"ru": ru, "en": ru}


def tiny_docs() -> dict:
    """A minimal valid checklist: p1 has three questions and the win-rate indicator."""
    areas = []
    for n in range(1, 8):
        aid = f"p{n}"
        qs = [{"id": f"{aid}.q01", "text": _t("q"), "hint": _t("h"), "weight": 1}]
        if aid == "p1":
            qs = [
                {"id": "p1.q01", "text": _t("a"), "hint": _t("h"), "weight": 2, "effect": "e1"},
                {"id": "p1.q02", "text": _t("b"), "hint": _t("h"), "weight": 1},
                {"id": "p1.q03", "text": _t("c"), "hint": _t("h"), "weight": 1},
            ]
        areas.append(
            {
                "id": aid,
                "weight": 1,
                "title": _t(f"Area {aid}"),
                "description": _t("d"),
                "indicators": ["p1.win_rate"] if aid == "p1" else [],
                "recommendations": [_t("r")],
                "questions": qs,
            }
        )
    return {
        "areas.yaml": {"areas": areas},
        "planning.yaml": {"factors": []},
        "execution.yaml": {"rollout": []},
        "express.yaml": {
            "effects": [
                {"id": "e1", "title": _t("E1"), "questions": ["p1.q01"], "indicators": []},
                {
                    "id": "e2",
                    "title": _t("E2"),
                    "questions": ["p2.q01"],
                    "indicators": ["p1.win_rate"],
                },
            ]
        },
        "coaching.yaml": {"reasons": [{"id": r, "advice": _t("advice")} for r in REFUSAL_REASONS]},
        "thresholds.yaml": {
            "indicators": [
                {
                    "id": "p1.win_rate",
                    "area": "p1",
                    "analysis": "funnel",
                    "measure": "p5.win_rate",
                    "label": _t("win rate"),
                    "unit": "%",
                    "direction": "higher_better",
                    "good": 25,
                    "bad": 10,
                    "weight": 1,
                    "source": "test",
                }
            ]
        },
        "findings.yaml": {"rules": []},
        "scoring.yaml": {
            "maturity_levels": [
                {"id": "l1", "level": 1, "min_index": 0, "name": _t("One"), "description": _t("d")},
                {
                    "id": "l2",
                    "level": 2,
                    "min_index": 35,
                    "name": _t("Two"),
                    "description": _t("d"),
                },
                {
                    "id": "l3",
                    "level": 3,
                    "min_index": 60,
                    "name": _t("Three"),
                    "description": _t("d"),
                },
            ],
            "upside": {
                "max_revenue_share": 0.2,
                "max_profit_share": 0.4,
                "low_factor": 0.5,
                "default_gross_margin": 0.25,
                "source": "test",
            },
            "express_status": {"met": 75, "partly": 40},
            # lenient on purpose: the exact-score tests score areas with a single answer
            "assessment": {"min_items": 1, "min_share": 0.5, "min_areas_for_index": 2},
        },
    }


@pytest.fixture()
def tiny():
    return build_checklist(tiny_docs())


def _ind(area: str, score: float | None, weight: float = 1.0) -> Indicator:
    return Indicator(
        id=f"{area}.win_rate",
        area=area,
        label=_t("x"),
        value=None if score is None else 1.0,
        unit="%",
        status="ok" if score is not None else "insufficient_data",
        verdict="warn" if score is not None else "n/a",
        score=score,
        weight=weight,
    )


def _funnel(won: int, lost: int, extra_evidence: int = 0) -> AnalysisResult:
    main = pd.DataFrame(
        {
            "key": ["m1", "team"],
            "manager_id": ["m1", "team"],
            "won": [won, won],
            "lost": [lost, lost],
            "win_rate": [won / (won + lost)] * 2,
        }
    )
    ids = [f"d{i:03d}" for i in range(won + lost + extra_evidence)]
    ev = pd.DataFrame({"key": "team", "table": "deals", "record_id": ids})
    return AnalysisResult(name="funnel", tables={"main": main}, evidence=ev)


def test_score_value_and_verdict() -> None:
    assert score_value(25, good=10, bad=40) == 50.0  # lower is better
    assert score_value(5, good=10, bad=40) == 100.0
    assert score_value(17.5, good=25, bad=10) == 50.0  # higher is better
    assert score_value(3, good=25, bad=10) == 0.0
    assert [verdict_of(s) for s in (100.0, 50.0, 0.0)] == ["good", "warn", "bad"]


def test_compute_indicator_exact_with_evidence_cap(tiny) -> None:
    (ind,) = compute_indicators({"funnel": _funnel(15, 85, extra_evidence=20)}, checklist=tiny)
    assert ind.status == "ok"
    assert ind.value == 15.0
    assert ind.score == pytest.approx(33.33, abs=0.01)
    assert ind.verdict == "warn"
    assert ind.evidence["numbers"] == {"won": 15, "lost": 85}
    assert ind.evidence["records_total"] == 120
    assert len(ind.evidence["records"]) == 50
    assert ind.evidence["records"][0] == "deals:d000"
    assert ind.reference == {
        "good": 25.0,
        "bad": 10.0,
        "direction": "higher_better",
        "source": "test",
    }


def test_compute_indicator_unavailable_and_overrides(tiny) -> None:
    (missing,) = compute_indicators({}, checklist=tiny)
    assert (missing.status, missing.verdict, missing.score, missing.value) == (
        "insufficient_data",
        "n/a",
        None,
        None,
    )
    assert "funnel" in missing.message
    (short,) = compute_indicators({"funnel": not_enough_data("funnel", ["deals"])}, checklist=tiny)
    assert short.status == "insufficient_data" and "needs table(s): deals" in short.message
    (over,) = compute_indicators(
        {"funnel": _funnel(30, 70)}, {"p1.win_rate": {"good": 40, "bad": 20}}, checklist=tiny
    )
    assert (over.value, over.score, over.verdict) == (30.0, 50.0, "warn")


def test_area_score_exact(tiny) -> None:
    answers = Answers().with_answer("p1.q01", "yes").with_answer("p1.q02", "partly")
    answers = answers.with_answer("p1.q03", "unknown").with_answer("p2.q01", "no")
    inds = [_ind("p1", 40.0)]
    areas = score_areas(tiny, answers, inds)
    p1, p2, p3 = areas[0], areas[1], areas[2]
    # (2*1 + 1*0.5 + 1*0.40) / (2 + 1 + 1); q03 "unknown" passes its weight on
    assert p1.score == 72.5
    assert p1.confidence == 0.8  # 4 of 5 weight units backed by evidence
    assert p1.interview_score == pytest.approx(83.33, abs=0.01)
    assert p1.data_score == 40.0
    assert (p1.answered, p1.questions, p1.indicators) == (2, 3, ["p1.win_rate"])
    assert (p2.score, p2.confidence, p2.data_score) == (0.0, 1.0, None)
    assert (p3.score, p3.confidence, p3.answered) == (None, 0.0, 0)
    index = overall_index(tiny, areas)
    assert index == 36.25  # mean of 72.5 and 0; unscored areas are left out
    m = maturity(tiny, index)
    assert (m["level"], m["name"]["en"], m["next_level_at"]) == (2, "Two", 60)
    assert maturity(tiny, None)["level"] is None
    assert maturity(tiny, 0.0)["level"] == 1 and maturity(tiny, 99)["level"] == 3


def test_unavailable_indicator_passes_weight(tiny) -> None:
    answers = Answers().with_answer("p1.q01", "yes")
    with_none = score_areas(tiny, answers, [_ind("p1", None)])[0]
    without = score_areas(tiny, answers, [])[0]
    assert with_none.score == without.score == 100.0
    assert with_none.confidence == 0.4  # 2 of 5
    # an indicator of the checklist that was not computed at all is unavailable too
    assert without.confidence == 0.4


def test_annual_revenue_and_upside_exact(tiny) -> None:
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": "s1", "date": "2025-06-30", "amount": 999.0},  # before the window
            {"sale_id": "s2", "date": "2026-01-01", "amount": 100.0},
            {"sale_id": "s3", "date": "2026-06-30", "amount": 200.0},
            {"sale_id": "s4", "date": "2026-07-01", "amount": 50.0},  # after as_of
        ],
    )
    rev = annual_revenue(sales, None, dt.date(2026, 6, 30))
    assert rev is not None
    # the data starts before the 12 months (s1): the year is fully covered, months without a
    # sale are real zeros, nothing is annualised
    assert rev["observed"] == 300.0 and rev["data_start"] == "2025-06-30"
    assert rev["days_covered"] == 365 and rev["annualised"] is False
    assert rev["value"] == 300.0
    # the data starts on 2026-01-01 (its first record): 181 days covered, scaled to a year
    rev = annual_revenue(sales.iloc[1:], None, dt.date(2026, 6, 30))
    assert rev["observed"] == 300.0 and rev["data_start"] == "2026-01-01"
    assert rev["days_covered"] == 181 and rev["annualised"] is True
    assert rev["value"] == round(300 * 365 / 181, 2)
    deals = canonical_frame(
        "deals",
        [
            {"deal_id": "d1", "manager_id": "m", "created": "2026-01-01", "outcome": "won",
             "closed": "2025-07-01", "amount": 1000.0},
            {"deal_id": "d2", "manager_id": "m", "created": "2026-01-01", "outcome": "lost",
             "closed": "2026-02-01", "amount": 5000.0},
        ],
    )  # fmt: skip
    by_deals = annual_revenue(None, deals, dt.date(2026, 6, 30))
    assert by_deals["source"] == "deals (won)" and by_deals["value"] == 1000.0
    assert by_deals["annualised"] is False
    assert annual_revenue(None, None, dt.date(2026, 6, 30)) is None

    answers = Answers().with_answer("p1.q01", "partly").with_answer("p2.q01", "no")
    areas = score_areas(tiny, answers, [])  # p1: 50, p2: 0 -> gap (0.5 + 1) / 2 = 0.75
    up = upside(tiny, areas, {"value": 10_000_000.0, "source": "sales",
                              "period_start": "2025-07-01", "period_end": "2026-06-30",
                              "annualised": False})  # fmt: skip
    assert up["gap"] == 0.75
    assert up["revenue"] == {"low": 750_000.0, "high": 1_500_000.0}  # 10M x 20 % x 0.75
    # the gross profit on the revenue not earned: 1.5M x 25 % default margin
    assert up["profit"] == {"low": 187_500.0, "high": 375_000.0}
    assert up["revenue_pct"] == {"low": 7.5, "high": 15.0}  # 20 % x 0.75
    assert up["profit_pct"] == {"low": 7.5, "high": 15.0}  # same share of gross profit
    assert up["gross_margin_source"] == "default"
    assert {a["id"] for a in up["assumptions"]} == {"ceiling", "gap", "margin", "range", "revenue"}
    revenue_line = next(a for a in up["assumptions"] if a["id"] == "revenue")
    assert revenue_line["ru"] == (
        "Годовая выручка 10\u00a0000\u00a0000\u00a0₽ — по отгрузкам (1С) за 01.07.2025–30.06.2026."
    )
    assert revenue_line["en"] == (
        "Annual revenue RUB 10,000,000 from shipments (1C), 2025-07-01 to 2026-06-30."
    )
    up2 = upside(tiny, areas, {"value": 10_000_000.0, "source": "deals (won)",
                               "period_start": "2026-01-01", "period_end": "2026-06-30",
                               "annualised": True}, gross_margin=0.5)  # fmt: skip
    assert up2["profit"]["high"] == 750_000.0 and up2["gross_margin_source"] == "report.yaml"
    assert up2["assumptions"][-1]["en"] == (
        "Annual revenue RUB 10,000,000 from won deals (CRM), 2026-01-01 to 2026-06-30, "
        "annualised from the period covered."
    )
    none = upside(tiny, areas, None)
    assert none["revenue"] is None and none["message"] == "no revenue in the data"


ANSWER_ORDER = ["no", "partly", "yes"]
answer_st = st.sampled_from(["yes", "partly", "no", "unknown", None])


@settings(max_examples=60, deadline=None)
@given(
    others=st.tuples(answer_st, answer_st),
    step=st.integers(min_value=0, max_value=1),
    target=st.sampled_from(["p1.q01", "p1.q02", "p1.q03"]),
    ind_score=st.one_of(st.none(), st.floats(min_value=0, max_value=100)),
)
def test_improving_an_answer_never_lowers_the_area_score(others, step, target, ind_score) -> None:
    cl = build_checklist(tiny_docs())
    base = Answers()
    rest = [q for q in ("p1.q01", "p1.q02", "p1.q03") if q != target]
    for qid, val in zip(rest, others):
        if val is not None:
            base = base.with_answer(qid, val)
    inds = [_ind("p1", ind_score)]
    worse = score_areas(cl, base.with_answer(target, ANSWER_ORDER[step]), inds)[0]
    better = score_areas(cl, base.with_answer(target, ANSWER_ORDER[step + 1]), inds)[0]
    assert better.raw_score is not None and worse.raw_score is not None
    assert better.raw_score >= worse.raw_score
    assert better.assessed == worse.assessed  # the same items are available either way
    for a in (worse, better):
        assert 0.0 <= a.confidence <= 1.0
        assert 0.0 <= a.raw_score <= 100.0
        assert a.score == (a.raw_score if a.assessed else None)


def test_weights_are_consistent_in_the_shipped_checklist() -> None:
    from pathlib import Path

    from salesaudit.io.checklist_files import read_checklist_dir

    cl = build_checklist(read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist"))
    for area in cl.areas:
        q = sum(x.weight for x in cl.questions_of(area.id))
        i = sum(x.weight for x in cl.indicators_of(area.id))
        assert q > 0 and i > 0 and area.weight > 0, area.id
    # all answered "yes" and no data: every area scores 100, confidence = the questions' share
    answers = Answers()
    for qid in cl.question_ids:
        answers = answers.with_answer(qid, "yes")
    areas = score_areas(cl, answers, [])
    assert all(a.score == 100.0 for a in areas)
    for a in areas:
        q = sum(x.weight for x in cl.questions_of(a.area))
        i = sum(x.weight for x in cl.indicators_of(a.area))
        assert a.confidence == round(q / (q + i), 4)
    assert overall_index(cl, areas) == 100.0
    assert maturity(cl, 100.0)["id"] == "managed"


# --- honest scoring: n/a without data, «не оценено», verdicts -------------------------------


@pytest.fixture(scope="module")
def shipped():
    from pathlib import Path

    from salesaudit.io.checklist_files import read_checklist_dir

    return build_checklist(read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist"))


def _res(name: str, **tables: pd.DataFrame) -> AnalysisResult:
    return AnalysisResult(name=name, tables=dict(tables), params={"months": 12})


def _by_id(inds: list[Indicator]) -> dict[str, Indicator]:
    return {i.id: i for i in inds}


def test_no_underlying_data_is_na_never_good(shipped) -> None:
    """0 overdue without tasks, 0 stalled without open deals, 0 suspects without meetings and an
    empty agenda without planned activities are n/a with a reason code, never "good"."""
    analyses = {
        "overdue_tasks": _res(
            "overdue_tasks",
            main=pd.DataFrame({"manager_id": ["m1"], "open_total": [0], "overdue": [0]}),
            tasks=pd.DataFrame({"key": [], "days_overdue": []}),
        ),
        "activity": _res(
            "activity", main=pd.DataFrame({"key": ["m1"], "done": [40], "no_result_share": [0.0]})
        ),
        "stalled_deals": _res("stalled_deals", main=pd.DataFrame({"key": []})),
        "funnel": _res(
            "funnel",
            main=pd.DataFrame(
                {
                    "manager_id": ["m1", "team"],
                    "open": [0, 0],
                    "won": [5, 5],
                    "lost": [15, 15],
                    "win_rate": [0.25, 0.25],
                }  # fmt: skip
            ),
        ),
        "credibility": _res(
            "credibility",
            main=pd.DataFrame(
                {
                    "manager_id": ["m1"],
                    "meetings": [0],
                    "late_share": [None],
                    "level": ["low"],
                    "score": [0.0],
                    "reasons": [""],
                }  # fmt: skip
            ),
        ),
        "day_agenda": _res(
            "day_agenda", main=pd.DataFrame({"manager_id": ["m1"], "today": [0], "next_day": [0]})
        ),
    }
    ind = _by_id(compute_indicators(analyses, checklist=shipped))
    expected = {
        "p1.overdue_tasks": "no_tasks",
        "p2.stalled_deals": "no_open_deals",
        "p1.suspect_managers": "no_meetings",
        "p4.late_logging": "no_meetings",
        "p4.agenda_planned": "no_planned_activities",
    }
    for iid, reason in expected.items():
        i = ind[iid]
        assert (i.status, i.verdict, i.score, i.value, i.reason) == (
            "insufficient_data", "n/a", None, None, reason
        ), iid  # fmt: skip
        assert i.message
    # the same frames with data behind them are judged
    assert ind["p4.result_recorded"].value == 100.0 and ind["p5.win_rate"].value == 25.0


def _delegation(rows: list[dict]) -> AnalysisResult:
    cols = ["role", "people", "revenue", "revenue_share", "top_clients", "top_clients_share",
            "top_clients_revenue", "top_clients_revenue_share", "selling_activities",
            "management_activities", "selling_share"]  # fmt: skip
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    return AnalysisResult(
        name="delegation", tables={"main": df}, params={"months": 12, "top_clients_total": 10}
    )


def test_owner_concentration_is_revenue_share_and_missing_roles_are_na(shipped) -> None:
    full = _delegation(
        [
            # the owner leads 3 of the 10 top clients but they make 41 % of the top revenue
            {"role": "owner", "people": 1, "revenue": 500.0, "revenue_share": 0.25,
             "top_clients": 3, "top_clients_share": 0.3, "top_clients_revenue": 410.0,
             "top_clients_revenue_share": 0.41, "selling_activities": 9,
             "management_activities": 0, "selling_share": 1.0},
            {"role": "manager", "people": 4, "revenue": 1500.0, "revenue_share": 0.75,
             "top_clients": 7, "top_clients_share": 0.7, "top_clients_revenue": 590.0,
             "top_clients_revenue_share": 0.59, "selling_activities": 90,
             "management_activities": 0, "selling_share": 1.0},
        ]
    )  # fmt: skip
    ind = _by_id(compute_indicators({"delegation": full}, checklist=shipped))
    top = ind["p6.owner_top_clients"]
    assert (top.value, top.verdict) == (41.0, "bad")
    assert top.evidence["numbers"]["owner_top_clients"] == 3
    assert ind["p6.owner_revenue"].value == 25.0
    # nobody has the role head_of_sales: both head indicators are n/a for that reason
    for iid in ("p7.head_own_sales", "p7.head_selling_share"):
        assert (ind[iid].verdict, ind[iid].reason) == ("n/a", "no_head_of_sales")
        assert "head_of_sales" in ind[iid].message
    # ... and that is a finding of its own
    from salesaudit.scoring.findings import evaluate_findings

    inds = list(ind.values())
    areas = score_areas(shipped, Answers(), inds)
    found = {f.id: f.severity for f in evaluate_findings(shipped, inds, Answers(), areas)}
    assert found["no_head_in_staff_list"] == "high"
    # no owner in the staff list: the owner's shares are n/a (was: 0 % = "good")
    no_owner = _delegation([{"role": "manager", "people": 4, "revenue": 1.0}])
    ind2 = _by_id(compute_indicators({"delegation": no_owner}, checklist=shipped))
    for iid in ("p6.owner_top_clients", "p6.owner_revenue"):
        assert (ind2[iid].verdict, ind2[iid].reason) == ("n/a", "no_owner")


def test_training_indicator_is_the_weakest_lift_in_pp(shipped) -> None:
    from salesaudit.analytics.training import lift_ci_pp

    lo, hi = lift_ci_pp(20, 100, 30, 100)
    # se = sqrt(.2*.8/100 + .3*.7/100) = 0.060828; 10 pp +- 1.959964 x 6.0828 pp
    assert lo == pytest.approx(-1.9222, abs=1e-3) and hi == pytest.approx(21.9222, abs=1e-3)
    main = pd.DataFrame(
        {
            "key": ["a", "b", "c"],
            "topic": ["A", "B", "C"],
            "diff_pp": [17.0, 3.0, None],
            "verdict": ["improved", "no_change", "inconclusive"],
            "ci_low_pp": [10.0, -2.0, None],
            "ci_high_pp": [24.0, 8.0, None],
        }  # fmt: skip
    )
    res = AnalysisResult(name="training_effect", tables={"main": main})
    (tr,) = [i for i in compute_indicators({"training_effect": res}, checklist=shipped)
             if i.id == "p5.training_effect"]  # fmt: skip
    # +3 pp of the weaker training, not "1 of 2 trainings paid off" = 50 %
    assert (tr.value, tr.unit, tr.verdict, tr.score) == (3.0, "pp", "warn", 60.0)
    w = tr.evidence["numbers"]["weakest"]
    assert (w["topic"], w["ci_low_pp"], w["ci_high_pp"]) == ("B", -2.0, 8.0)
    assert tr.evidence["numbers"]["lifts_pp"] == {"a": 17.0, "b": 3.0}


def test_area_not_assessed_and_no_index_with_shipped_rule(tiny) -> None:
    docs = tiny_docs()
    docs["scoring.yaml"]["assessment"] = {"min_items": 2, "min_share": 0.5,
                                          "min_areas_for_index": 5}  # fmt: skip
    cl = build_checklist(docs)
    answers = Answers().with_answer("p1.q01", "yes").with_answer("p1.q02", "no")
    answers = answers.with_answer("p2.q01", "no")
    areas = score_areas(cl, answers, [_ind("p1", 40.0)])
    p1, p2 = areas[0], areas[1]
    assert (p1.assessed, p1.score) == (True, 60.0)  # (2*1 + 1*0 + 1*0.4) / (2 + 1 + 1)
    assert p2.assessed is False and p2.score is None and p2.raw_score == 0.0
    assert p2.assessment_reason["ru"] == (
        "Недостаточно данных: ответов на вопросы 1 из 1 (100 % веса), показателей по данным 0 "
        "из 0 (0 % веса); нужно не меньше 2 пунктов и 50 % веса вопросов или показателей."
    )
    summary = assessment_summary(cl, areas)
    assert summary == {
        "areas_assessed": 1,
        "areas_total": 7,
        "min_areas": 5,
        "index_given": False,
        "not_assessed": ["p2", "p3", "p4", "p5", "p6", "p7"],
        "reason": summary["reason"],
    }
    assert "оценено 1 из 7 областей, нужно не меньше 5" in summary["reason"]["ru"]
    assert overall_index(cl, areas) is None
    up = upside(cl, areas, {"value": 1e6, "source": "sales", "period_start": "2026-01-01",
                            "period_end": "2026-06-30"}, blocked="too few areas assessed")  # fmt: skip
    assert up["revenue"] is None and up["message"] == "too few areas assessed"


def test_checklist_rejects_a_bad_assessment_rule() -> None:
    docs = tiny_docs()
    docs["scoring.yaml"]["assessment"] = {"min_items": 1.5, "min_share": 2, "min_aeras": 5}
    with pytest.raises(Exception) as exc:
        build_checklist(docs)
    cases = {(c.column, c.message.split(": ", 1)[-1], c.hint) for c in exc.value.cases}
    assert cases == {
        ("min_items", "must be a whole number >= 0, got 1.5", None),
        ("min_share", "must be in [0, 1], got 2", None),
        ("min_aeras", "unknown field", "did you mean 'min_items'?"),
    }


def test_problem_verdicts_exact(tiny) -> None:
    from salesaudit.scoring.result import AreaScore, Finding
    from salesaudit.scoring.verdicts import problem_verdicts

    def area(a: str, score: float | None, assessed: bool = True) -> AreaScore:
        return AreaScore(area=a, title={"ru": a, "en": a}, score=score, confidence=1.0,
                         interview_score=None, data_score=score, answered=0, questions=3,
                         assessed=assessed,
                         assessment_reason=None if assessed else {"ru": "Не оценено.",
                                                                  "en": "Not assessed."})  # fmt: skip

    ind = _ind("p1", 0.0)
    ind.value, ind.verdict = 8.0, "bad"
    ind.evidence = {"numbers": {"won": 8, "lost": 92}}
    finding = Finding(id="low", area="p1", severity="high", title={"ru": "Т", "en": "T"},
                      evidence={"numbers": {"p1.win_rate": {}}}, recommendation={},
                      owner_role="owner", horizon=30, rank=1)  # fmt: skip
    areas = [area("p1", 30.0), area("p2", 90.0), area("p3", 60.0), area("p4", None, False)]
    v = problem_verdicts(tiny, areas, [ind], [finding], Answers())
    assert [x["code"] for x in v] == ["confirmed", "not_found", "partial", "not_assessed"]
    assert v[0]["label"]["ru"] == "подтверждена" and v[3]["label"]["ru"] == "не оценено"
    # no statement in the tiny checklist: label and value
    assert v[0]["sentence"]["ru"] == "x: 8 %."
    assert v[0]["basis"] == {"findings": ["low"], "indicators": ["p1.win_rate"], "answers": []}
    assert v[3]["sentence"]["en"] == "Not assessed."
    assert v[1]["sentence"]["ru"].startswith("Признаков проблемы не выявлено: оценка 90 из 100")


def test_statement_names_who_and_how_much_in_both_languages(shipped) -> None:
    from salesaudit.scoring.verdicts import fill_statement, statement_context

    ind = Indicator(
        id="p7.head_own_sales", area="p7", label=_t("x"), value=22.1447, unit="%",
        status="ok", verdict="bad", score=0.0, weight=1.5,
        evidence={"numbers": {"head_revenue": 75_930_518.81, "months": 12}},
    )  # fmt: skip
    tpl = shipped.indicator("p7.head_own_sales").statement
    people = {"head_of_sales": "Широков Р. В."}
    ru = fill_statement(tpl["ru"], statement_context(ind, "ru", {}, people, "RUB"))
    assert ru == (
        "Руководитель отдела (Широков Р. В.) сам приносит 22 % выручки за 12 мес.: "
        "75,9\u00a0млн\u00a0₽"
    )
    en = fill_statement(tpl["en"], statement_context(ind, "en", {}, people, "USD"), "en")
    assert en == (
        "The head of sales (Широков Р. В.) brings 22% of revenue himself over 12 months: "
        "USD\u00a075.9\u00a0m"
    )
    # manager ids become names; lists give a count; a missing number gives no sentence
    sus = Indicator(
        id="p1.suspect_managers", area="p1", label=_t("x"), value=7.1429, unit="%",
        status="ok", verdict="warn", score=28.57, weight=1.5,
        evidence={"numbers": {"managers": 14, "high_risk": ["m07"]}},
    )  # fmt: skip
    ctx = statement_context(sus, "ru", {"m07": "Гришин П. Н."}, {}, "RUB")
    assert fill_statement(shipped.indicator("p1.suspect_managers").statement["ru"], ctx) == (
        "Высокий риск «нарисованных» встреч у 1 из 14 менеджеров (7,1 %): Гришин П. Н."
    )
    assert fill_statement("{value} из {nothing}", ctx) is None


def test_verdict_sentences_from_the_interview_and_a_missing_head(shipped) -> None:
    from salesaudit.scoring.findings import evaluate_findings
    from salesaudit.scoring.verdicts import problem_verdicts

    analyses = {
        "delegation": AnalysisResult(
            name="delegation",
            tables={
                "main": pd.DataFrame(
                    {"role": ["manager"], "people": [3], "revenue": [1.0], "revenue_share": [1.0]}
                )
            },  # fmt: skip
            params={"months": 12},
        )
    }
    inds = compute_indicators(analyses, checklist=shipped)
    answers = Answers()
    for q in shipped.questions_of("p2"):  # every p2 question answered "no"
        answers = answers.with_answer(q.id, "no")
    areas = score_areas(shipped, answers, inds)
    findings = evaluate_findings(shipped, inds, answers, areas)
    v = {x["area"]: x for x in problem_verdicts(shipped, areas, inds, findings, answers)}
    # p2 rests on the interview only: no_structure (medium), area score 0 -> confirmed
    assert v["p2"]["code"] == "confirmed"
    q = shipped.question("p2.q01").text["ru"]
    assert v["p2"]["sentence"]["ru"] == (
        f"Не описаны структура отдела и этапы сделки — по интервью: «нет» на вопрос «{q}»."
    )
    assert v["p2"]["basis"]["answers"] == ["p2.q01", "p2.q02"]
    # no head of sales in the staff list: p1 is not assessed (no interview, no p1 data), but the
    # finding is raised and the p1 verdict names it as a signal
    assert "no_head_in_staff_list" in {f.id for f in findings}
    assert v["p1"]["code"] == "not_assessed"
    assert v["p1"]["sentence"]["ru"].endswith(
        "Сигнал без достаточных данных: В списке сотрудников нет руководителя отдела продаж."
    )
    # with the p1 interview answered "yes", the missing head is the area's only finding: p1 is
    # confirmed and the sentence says what is missing
    for q in shipped.questions_of("p1"):
        answers = answers.with_answer(q.id, "yes")
    areas = score_areas(shipped, answers, inds)
    findings = evaluate_findings(shipped, inds, answers, areas)
    v = {x["area"]: x for x in problem_verdicts(shipped, areas, inds, findings, answers)}
    assert v["p1"]["code"] == "confirmed"
    assert v["p1"]["sentence"]["en"] == (
        "Nobody in the staff list has the role of head of sales: his own sales and share of "
        "management work cannot be measured."
    )
    assert v["p1"]["basis"]["indicators"] == ["p7.head_own_sales"]
