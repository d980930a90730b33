"""Findings from the rules in ``checklist/findings.yaml``, their ranking, the 30/60/90 roadmap and
the express-assessment checklist (the five effects)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import HORIZONS, SEVERITIES, Checklist, FindingRule
from salesaudit.scoring.conditions import Context, condition_refs, evaluate
from salesaudit.scoring.result import AreaScore, Finding, Indicator

#: per finding, at most this many record ids per indicator are carried as evidence
MAX_FINDING_RECORDS = 50


def make_context(
    indicators: Sequence[Indicator], answers: Answers, areas: Sequence[AreaScore]
) -> Context:
    """The evaluation context of the findings conditions."""
    return Context(
        indicators={i.id: (i.value, i.verdict) for i in indicators},
        answers=answers.values(),
        areas={a.area: a.score for a in areas},
        reasons={i.id: getattr(i, "reason", "") or "" for i in indicators},
    )


def _evidence(
    rule: FindingRule, indicators: dict[str, Indicator], answers: Answers
) -> dict[str, Any]:
    refs: dict[str, list[str]] = {"indicator": [], "answer": [], "area": []}
    for cond in [rule.when] + [e.get("when") for e in rule.escalate]:
        r = condition_refs(cond)
        for k, ids in r.items():
            refs[k] += [i for i in ids if i not in refs[k]]
    numbers: dict[str, Any] = {}
    records: dict[str, Any] = {}
    for iid in refs["indicator"]:
        ind = indicators.get(iid)
        if ind is None:
            continue
        numbers[iid] = {
            "value": ind.value,
            "unit": ind.unit,
            "verdict": ind.verdict,
            "good": ind.reference.get("good"),
            "bad": ind.reference.get("bad"),
            "details": ind.evidence.get("numbers", {}),
        }
        if ind.status != "ok":
            numbers[iid]["message"] = ind.message
        recs = ind.evidence.get("records", [])
        if recs:
            records[iid] = {
                "analysis": ind.evidence.get("analysis"),
                "ids": list(recs)[:MAX_FINDING_RECORDS],
                "total": ind.evidence.get("records_total", len(recs)),
            }
    ans: dict[str, Any] = {}
    for qid in refs["answer"]:
        a = answers.get(qid)
        ans[qid] = (
            {"answer": a.value, "note": a.note}
            if a is not None
            else {"answer": "unanswered", "note": None}
        )
    return {"numbers": numbers, "records": records, "answers": ans}


def evaluate_findings(
    checklist: Checklist,
    indicators: Sequence[Indicator],
    answers: Answers,
    areas: Sequence[AreaScore],
) -> list[Finding]:
    """Evaluate every rule; return the raised findings ranked (rank 1 = most important).

    Ranking: severity (critical first), then the area's score gap (100 - score; an unscored area
    counts as gap 0), then the rule's order in the checklist.
    """
    ctx = make_context(indicators, answers, areas)
    by_id = {i.id: i for i in indicators}
    gap = {a.area: (100.0 - a.score) if a.score is not None else 0.0 for a in areas}
    raised = []
    for order, rule in enumerate(checklist.findings):
        if not evaluate(rule.when, ctx):
            continue
        severity = rule.severity
        for esc in rule.escalate:
            if evaluate(esc["when"], ctx):
                severity = esc["severity"]
                break
        raised.append(
            (
                SEVERITIES.index(severity),
                -gap.get(rule.area, 0.0),
                order,
                Finding(
                    id=rule.id,
                    area=rule.area,
                    severity=severity,
                    title=dict(rule.title),
                    evidence=_evidence(rule, by_id, answers),
                    recommendation=dict(rule.recommendation),
                    owner_role=rule.owner_role,
                    horizon=rule.horizon,
                    effect=dict(rule.effect) if rule.effect else None,
                    target=dict(rule.target) if rule.target else None,
                ),
            )
        )
    raised.sort(key=lambda t: t[:3])
    out = []
    for rank, (_, _, _, f) in enumerate(raised, start=1):
        f.rank = rank
        out.append(f)
    return out


def build_roadmap(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """The 30/60/90-day roadmap: one entry per horizon with its actions (in rank order) and owners."""
    out = []
    for h in HORIZONS:
        items = [f for f in findings if f.horizon == h]
        out.append(
            {
                "horizon": h,
                "owners": sorted({f.owner_role for f in items}),
                "actions": [
                    {
                        "finding": f.id,
                        "area": f.area,
                        "severity": f.severity,
                        "rank": f.rank,
                        "owner_role": f.owner_role,
                        "title": dict(f.title),
                        "action": dict(f.recommendation),
                        "effect": f.effect,
                        "target": f.target,
                    }
                    for f in items
                ],
            }
        )
    return out


def express_checklist(
    checklist: Checklist, indicators: Sequence[Indicator], answers: Answers
) -> list[dict[str, Any]]:
    """The five effects with status met / partly / not met / unknown and the basis for it.

    An effect's score is the weighted mean of its linked answered questions (1 / 0.5 / 0) and
    available indicators (score / 100); status by the cut-offs in ``scoring.yaml``
    (``express_status``); ``unknown`` when nothing linked is available.
    """
    cut = checklist.scoring.get("express_status", {"met": 75, "partly": 40})
    by_id = {i.id: i for i in indicators}
    rows = []
    for eff in checklist.effects:
        items: list[tuple[float, float]] = []
        basis: list[dict[str, Any]] = []
        for qid in eff.questions:
            q = checklist.question(qid)
            a = answers.get(qid)
            value = a.value if a is not None else "unanswered"
            basis.append({"kind": "question", "id": qid, "text": dict(q.text), "answer": value})
            if a is not None and a.score is not None:
                items.append((q.weight, a.score))
        for iid in eff.indicators:
            ind = by_id.get(iid)
            if ind is None:
                continue
            basis.append(
                {
                    "kind": "indicator",
                    "id": iid,
                    "label": dict(ind.label),
                    "value": ind.value,
                    "unit": ind.unit,
                    "verdict": ind.verdict,
                }
            )
            if ind.status == "ok" and ind.score is not None:
                items.append((ind.weight, ind.score / 100.0))
        w = sum(x for x, _ in items)
        score = round(100.0 * sum(x * s for x, s in items) / w, 2) if w > 0 else None
        if score is None:
            status = "unknown"
        elif score >= cut["met"]:
            status = "met"
        elif score >= cut["partly"]:
            status = "partly"
        else:
            status = "not met"
        rows.append(
            {
                "id": eff.id,
                "title": dict(eff.title),
                "status": status,
                "score": score,
                "evidence_items": len(items),
                "basis": basis,
            }
        )
    return rows
