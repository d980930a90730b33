"""Findings: the condition evaluator, rule evaluation with escalation, ranking, roadmap, express."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from salesaudit.errors import ChecklistError
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.conditions import Context, check_condition, condition_refs, evaluate
from salesaudit.scoring.findings import build_roadmap, evaluate_findings, express_checklist
from salesaudit.scoring.result import AreaScore, Indicator

CHECKLIST_DIR = Path(__file__).resolve().parents[1] / "checklist"


@pytest.fixture(scope="module")
def docs() -> dict:
    return read_checklist_dir(CHECKLIST_DIR)


def _ind(iid: str, value: float | None, verdict: str, score: float | None = None) -> Indicator:
    return Indicator(
        id=iid,
        area=iid.split(".")[0],
        label={"ru": iid, "en": iid},
        value=value,
        unit="%",
        status="ok" if value is not None else "insufficient_data",
        verdict=verdict,
        score=score
        if score is not None
        else {"good": 100.0, "warn": 50.0, "bad": 0.0}.get(verdict),
        weight=1.0,
        reference={"good": 10, "bad": 40},
        evidence={
            "analysis": "x",
            "records": ["deals:d1", "deals:d2"],
            "records_total": 2,
            "numbers": {"n": 2},
        },  # fmt: skip
    )


def _area(aid: str, score: float | None) -> AreaScore:
    return AreaScore(aid, {"ru": aid, "en": aid}, score, 1.0, score, None, 1, 1)


CTX = Context(
    indicators={"a.x": (30.0, "warn"), "a.y": (None, "n/a")},
    answers={"p1.q01": "no", "p1.q02": "unknown"},
    areas={"p1": 35.0, "p2": None},
)


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        ({"indicator": "a.x", "verdict": "warn"}, True),
        ({"indicator": "a.x", "verdict": ["good", "bad"]}, False),
        ({"indicator": "a.x", "value": {"gt": 20, "le": 30}}, True),
        ({"indicator": "a.x", "value": {"gt": 30}}, False),
        ({"indicator": "a.x", "verdict": "warn", "value": {"lt": 10}}, False),
        ({"indicator": "a.y", "value": {"ge": 0}}, False),  # unavailable never matches a value
        ({"indicator": "a.y", "verdict": "n/a"}, True),
        ({"indicator": "a.missing", "verdict": "n/a"}, True),
        ({"answer": "p1.q01", "in": ["no", "partly"]}, True),
        ({"answer": "p1.q03", "in": ["unanswered"]}, True),
        ({"answer": "p1.q02", "in": ["no"]}, False),
        ({"area": "p1", "score": {"lt": 40}}, True),
        ({"area": "p2", "score": {"lt": 40}}, False),
        (
            {"all": [{"answer": "p1.q01", "in": ["no"]}, {"indicator": "a.x", "verdict": "bad"}]},
            False,
        ),
        (
            {"any": [{"answer": "p1.q01", "in": ["yes"]}, {"indicator": "a.x", "verdict": "warn"}]},
            True,
        ),
        ({"not": {"answer": "p1.q01", "in": ["no"]}}, False),
    ],
)
def test_evaluate(cond: dict, expected: bool) -> None:
    assert check_condition(cond) == []
    assert evaluate(cond, CTX) is expected


def test_check_condition_problems() -> None:
    assert check_condition({"indicator": "a", "value": {"bigger": 1}}) == [
        "value: unknown operator 'bigger' (use gt, ge, lt, le, eq, ne)"
    ]
    assert check_condition({"answer": "q", "in": ["maybe"]})[0].startswith("'in' must list")
    assert check_condition({"all": []}) == ["'all' needs a non-empty list of conditions"]
    assert check_condition({"indicator": "a"}) == [
        "an indicator condition has 'verdict', 'value' and/or 'reason' (nothing else)"
    ]
    assert "unknown condition keys" in check_condition({"foo": 1})[0]
    assert check_condition("x == 1")[0].startswith("a condition must be a mapping")
    assert check_condition({"area": "p1", "score": {"lt": "low"}}) == [
        "score: lt needs a number, got 'low'"
    ]
    refs = condition_refs(
        {"any": [{"indicator": "i1", "verdict": "bad"}, {"not": {"answer": "q1", "in": ["no"]}}]}
    )
    assert refs == {"indicator": ["i1"], "answer": ["q1"], "area": []}


def _rules_checklist(docs: dict, rules: list[dict]):
    d = copy.deepcopy(docs)
    d["findings.yaml"] = {"rules": rules}
    return build_checklist(d)


def _rule(rid: str, area: str, severity: str, when: dict, horizon: int = 30, **kw) -> dict:
    return {
        "id": rid,
        "area": area,
        "severity": severity,
        "when": when,
        "title": {"ru": rid, "en": rid},
        "recommendation": {"ru": "сделать", "en": "do"},
        "owner_role": kw.pop("owner_role", "head_of_sales"),
        "horizon": horizon,
        **kw,
    }


def test_rules_escalation_ranking_evidence_and_roadmap(docs: dict) -> None:
    cl = _rules_checklist(
        docs,
        [
            _rule(
                "plan_low",
                "p2",
                "medium",
                {"indicator": "p2.plan_fulfilment", "verdict": "bad"},
                60,
            ),
            _rule(
                "owner_top",
                "p6",
                "high",
                {"indicator": "p6.owner_top_clients", "verdict": ["warn", "bad"]},
                90,
                owner_role="owner",
                escalate=[
                    {
                        "severity": "critical",
                        "when": {"indicator": "p6.owner_top_clients", "value": {"ge": 60}},
                    }
                ],
            ),
            _rule("no_meetings", "p3", "high", {"answer": "p3.q05", "in": ["no"]}),
            _rule("silent", "p4", "critical", {"answer": "p4.q01", "in": ["no"]}),
            _rule("weak_p1", "p1", "medium", {"area": "p1", "score": {"lt": 50}}, 60),
        ],
    )
    inds = [
        _ind("p2.plan_fulfilment", 70.0, "bad"),
        _ind("p6.owner_top_clients", 45.0, "warn"),
    ]
    answers = Answers().with_answer("p3.q05", "no", "no meetings").with_answer("p4.q01", "yes")
    areas = [_area("p1", 20.0), _area("p2", 40.0), _area("p3", 10.0), _area("p6", 50.0)]
    found = evaluate_findings(cl, inds, answers, areas)
    # high before medium; among the mediums the larger area gap (p1: 80) first
    assert [(f.id, f.severity, f.rank) for f in found] == [
        ("no_meetings", "high", 1),
        ("owner_top", "high", 2),
        ("weak_p1", "medium", 3),
        ("plan_low", "medium", 4),
    ]
    assert found[0].evidence["answers"] == {"p3.q05": {"answer": "no", "note": "no meetings"}}
    owner = found[1]
    assert owner.evidence["numbers"]["p6.owner_top_clients"]["value"] == 45.0
    assert owner.evidence["records"]["p6.owner_top_clients"]["ids"] == ["deals:d1", "deals:d2"]
    # the escalation fires on the value
    inds[1] = _ind("p6.owner_top_clients", 75.0, "bad")
    escalated = evaluate_findings(cl, inds, answers, areas)
    assert [(f.id, f.severity) for f in escalated][0] == ("owner_top", "critical")

    roadmap = build_roadmap(found)
    assert [r["horizon"] for r in roadmap] == [30, 60, 90]
    assert [a["finding"] for a in roadmap[0]["actions"]] == ["no_meetings"]
    assert [a["finding"] for a in roadmap[1]["actions"]] == ["weak_p1", "plan_low"]
    assert roadmap[2]["owners"] == ["owner"]
    assert roadmap[1]["actions"][0]["action"] == {"ru": "сделать", "en": "do"}


def test_shipped_rules_fire_on_the_demo_picture(docs: dict) -> None:
    cl = build_checklist(docs)
    inds = [
        _ind("p3.plan_breadth", 0.0, "bad"),
        _ind("p6.owner_top_clients", 63.0, "bad"),
        _ind("p7.head_own_sales", 18.0, "bad"),
        _ind("p1.suspect_managers", 7.0, "warn"),
        _ind("p4.result_recorded", 80.0, "warn"),
        _ind("p2.plan_fulfilment", 104.0, "good"),
    ]
    answers = Answers().with_answer("p3.q05", "no").with_answer("p4.q02", "partly")
    found = {f.id: f.severity for f in evaluate_findings(cl, inds, answers, [])}
    assert found == {
        "money_only_plan": "high",
        "owner_holds_key_clients": "critical",
        "head_sells_himself": "high",
        "fabricated_meetings": "high",
        "crm_partly_used": "medium",
        "no_plan_fact_meetings": "high",  # not escalated: the plan itself is met
    }
    # a healthy picture raises nothing
    healthy = [_ind(i.id, 1.0, "good") for i in cl.indicators]
    yes = Answers()
    for qid in cl.question_ids:
        yes = yes.with_answer(qid, "yes")
    assert evaluate_findings(cl, healthy, yes, []) == []


def test_express_checklist_statuses(docs: dict) -> None:
    cl = build_checklist(docs)
    answers = Answers()
    for qid in ("p3.q01", "p3.pl01", "p3.pl02"):
        answers = answers.with_answer(qid, "yes")
    for qid in ("p3.q02", "p3.q04", "p3.pl03", "p3.ex01"):
        answers = answers.with_answer(qid, "no")
    answers = answers.with_answer("p3.q03", "partly").with_answer("p3.q05", "partly")
    inds = [_ind("p3.forecast_error", 12.0, "warn", score=80.0)]
    rows = {r["id"]: r for r in express_checklist(cl, inds, answers)}
    assert list(rows) == ["e1", "e2", "e3", "e4", "e5"]
    # e1: questions 2 x 1 + 1.5 x 1 + 1 x 1, indicator (weight 1) 1 x 0.8 -> 5.3 / 5.5
    assert (rows["e1"]["status"], rows["e1"]["score"]) == ("met", 96.36)
    assert (rows["e2"]["status"], rows["e2"]["score"]) == ("not met", 0.0)
    assert (rows["e3"]["status"], rows["e3"]["score"]) == ("partly", 50.0)
    assert (rows["e5"]["status"], rows["e5"]["score"]) == ("unknown", None)
    basis = {b["id"]: b for b in rows["e1"]["basis"]}
    assert basis["p3.q01"]["answer"] == "yes" and basis["p3.forecast_error"]["value"] == 12.0


def test_rule_with_unknown_reference_is_rejected(docs: dict) -> None:
    with pytest.raises(ChecklistError) as info:
        _rules_checklist(docs, [_rule("x", "p1", "low", {"answer": "p1.q99", "in": ["no"]})])
    (case,) = info.value.cases
    assert case.file == "findings.yaml" and "unknown question 'p1.q99'" in case.message
