"""A small, safe evaluator for findings conditions written as YAML data (no ``eval``).

Grammar (each condition is a mapping with exactly one of these forms)::

    {all: [cond, ...]}                      every sub-condition holds
    {any: [cond, ...]}                      at least one holds
    {not: cond}                             negation
    {indicator: ID, verdict: bad}           verdict is one of good | warn | bad | n/a (or a list)
    {indicator: ID, value: {gt: 0.3}}       value compared with gt/ge/lt/le/eq/ne (all must hold;
                                            an unavailable value never matches)
    {indicator: ID, reason: no_head_of_sales}
                                            the indicator is n/a for this reason (or a list;
                                            codes: scoring.indicators.REASONS)
    {answer: QID, in: [no, partly]}         answer is one of yes | partly | no | unknown | unanswered
    {area: P, score: {lt: 40}}              area score compared (an unscored area never matches)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

OPERATORS = {
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
}
VERDICTS = ("good", "warn", "bad", "n/a")
ANSWER_VALUES = ("yes", "partly", "no", "unknown", "unanswered")
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Context:
    """What conditions are evaluated against.

    - ``indicators``: indicator id -> ``(value or None, verdict)``;
    - ``answers``: question id -> ``yes|partly|no|unknown`` (absent = unanswered);
    - ``areas``: area id -> score 0..100 or None;
    - ``reasons``: indicator id -> why it is n/a (absent or "" = computed).
    """

    indicators: Mapping[str, tuple[float | None, str]] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    areas: Mapping[str, float | None] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)


def _compare(value: float | None, spec: Any) -> bool:
    if value is None:
        return False
    return all(OPERATORS[op](value, float(ref)) for op, ref in spec.items())


def evaluate(cond: Mapping[str, Any], ctx: Context) -> bool:
    """Evaluate a (validated) condition against the context."""
    if "all" in cond:
        return all(evaluate(c, ctx) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, ctx) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], ctx)
    if "indicator" in cond:
        value, verdict = ctx.indicators.get(cond["indicator"], (None, "n/a"))
        ok = True
        if "verdict" in cond:
            wanted = cond["verdict"]
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            ok = verdict in wanted
        if ok and "value" in cond:
            ok = _compare(value, cond["value"])
        if ok and "reason" in cond:
            wanted = cond["reason"]
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            ok = ctx.reasons.get(cond["indicator"], "") in wanted
        return ok
    if "answer" in cond:
        ans = ctx.answers.get(cond["answer"], "unanswered")
        return ans in cond["in"]
    if "area" in cond:
        return _compare(ctx.areas.get(cond["area"]), cond["score"])
    raise ValueError(f"not a condition: {dict(cond)!r}")  # validated conditions never get here


def _check_compare(spec: Any, where: str) -> list[str]:
    if not isinstance(spec, Mapping) or not spec:
        return [f"{where} must be a mapping such as {{gt: 0.3}}"]
    out = []
    for op, ref in spec.items():
        if op not in OPERATORS:
            out.append(f"{where}: unknown operator {op!r} (use {', '.join(OPERATORS)})")
        elif not isinstance(ref, (int, float)) or isinstance(ref, bool):
            out.append(f"{where}: {op} needs a number, got {ref!r}")
    return out


def check_condition(cond: Any, depth: int = 0) -> list[str]:
    """Problems in a condition's structure (empty list = valid)."""
    if depth > _MAX_DEPTH:
        return ["condition nested too deeply"]
    if not isinstance(cond, Mapping):
        return [f"a condition must be a mapping, got {cond!r}"]
    keys = set(cond)
    if keys in ({"all"}, {"any"}):
        (k,) = keys
        subs = cond[k]
        if not isinstance(subs, list) or not subs:
            return [f"{k!r} needs a non-empty list of conditions"]
        return [p for c in subs for p in check_condition(c, depth + 1)]
    if keys == {"not"}:
        return check_condition(cond["not"], depth + 1)
    if "indicator" in keys:
        if not isinstance(cond["indicator"], str):
            return ["'indicator' needs an indicator id"]
        extra = keys - {"indicator", "verdict", "value", "reason"}
        if extra or keys == {"indicator"}:
            return ["an indicator condition has 'verdict', 'value' and/or 'reason' (nothing else)"]
        out = []
        if "verdict" in cond:
            v = cond["verdict"]
            vs = [v] if isinstance(v, str) else v
            if not isinstance(vs, list) or not vs or any(x not in VERDICTS for x in vs):
                out.append(f"verdict must be one or more of {', '.join(VERDICTS)}, got {v!r}")
        if "value" in cond:
            out += _check_compare(cond["value"], "value")
        if "reason" in cond:
            from salesaudit.scoring.indicators import REASONS

            r = cond["reason"]
            rs = [r] if isinstance(r, str) else r
            if not isinstance(rs, list) or not rs or any(x not in REASONS for x in rs):
                out.append(f"reason must be one or more of {', '.join(REASONS)}, got {r!r}")
        return out
    if "answer" in keys:
        if keys != {"answer", "in"} or not isinstance(cond["answer"], str):
            return ["an answer condition is {answer: QID, in: [...]}"]
        vals = cond["in"]
        if not isinstance(vals, list) or not vals or any(v not in ANSWER_VALUES for v in vals):
            return [f"'in' must list values among {', '.join(ANSWER_VALUES)}, got {vals!r}"]
        return []
    if "area" in keys:
        if keys != {"area", "score"} or not isinstance(cond["area"], str):
            return ["an area condition is {area: pN, score: {lt: 40}}"]
        return _check_compare(cond["score"], "score")
    return [
        f"unknown condition keys {sorted(map(str, keys))} (use all/any/not/indicator/answer/area)"
    ]


def condition_refs(cond: Any) -> dict[str, list[str]]:
    """Indicator, question and area ids a condition refers to (in order, without repeats)."""
    refs: dict[str, list[str]] = {"indicator": [], "answer": [], "area": []}

    def walk(c: Any, depth: int) -> None:
        if not isinstance(c, Mapping) or depth > _MAX_DEPTH:
            return
        for k in ("all", "any"):
            if isinstance(c.get(k), list):
                for sub in c[k]:
                    walk(sub, depth + 1)
        if "not" in c:
            walk(c["not"], depth + 1)
        for k in ("indicator", "answer", "area"):
            v = c.get(k)
            if isinstance(v, str) and v not in refs[k]:
                refs[k].append(v)

    walk(cond, 0)
    return refs
