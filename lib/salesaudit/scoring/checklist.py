"""The audit method as data: validating the ``checklist/`` YAML documents into a :class:`Checklist`.

The io layer (:mod:`salesaudit.io.checklist_files`) reads the folder into ``{file name: parsed
YAML}``; :func:`build_checklist` checks every document against the schema described in
``checklist/SCHEMA.md`` and cross-checks the files (unique ids, areas exist, linked indicators and
questions exist). Every problem is collected into one :class:`~salesaudit.errors.ChecklistError`
whose cases name the file, the item id and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from salesaudit.errors import ChecklistError, ErrorCase
from salesaudit.model.schemas import REFUSAL_REASONS

AREA_IDS = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")
#: the answer scale: canonical value -> score (None = not counted)
ANSWER_SCORES: dict[str, float | None] = {"yes": 1.0, "partly": 0.5, "no": 0.0, "unknown": None}
ANSWER_LABELS: dict[str, dict[str, str]] = {
    "ru": {"yes": "Да", "partly": "Частично", "no": "Нет", "unknown": "Не знаю"},
    "en": {"yes": "yes", "partly": "partly", "no": "no", "unknown": "unknown"},
}
SEVERITIES = ("critical", "high", "medium", "low")
HORIZONS = (30, 60, 90)
OWNER_ROLES = ("owner", "head_of_sales", "manager", "consultant")
DIRECTIONS = ("higher_better", "lower_better")
REQUIRED_FILES = (
    "areas.yaml",
    "express.yaml",
    "planning.yaml",
    "execution.yaml",
    "coaching.yaml",
    "thresholds.yaml",
    "findings.yaml",
    "scoring.yaml",
)
QUESTION_ID = re.compile(r"^(p[1-7])\.[a-z]{1,4}\d{2}$")
INDICATOR_ID = re.compile(r"^(p[1-7])\.[a-z][a-z0-9_]*$")
PLAIN_ID = re.compile(r"^[a-z][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Question:
    """One interview question (scored yes / partly / no; "unknown" is not counted)."""

    id: str
    area: str
    text: dict[str, str]
    hint: dict[str, str]
    weight: float
    indicators: tuple[str, ...] = ()
    effect: str | None = None
    file: str = ""


@dataclass(frozen=True)
class Area:
    """One of the seven key problems of B2B sales management."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    weight: float
    indicators: tuple[str, ...]
    recommendations: tuple[dict[str, str], ...]
    elements: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Effect:
    """One of the five effects of the express-assessment checklist."""

    id: str
    title: dict[str, str]
    questions: tuple[str, ...]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorDef:
    """A data indicator's definition and reference range (from ``thresholds.yaml``)."""

    id: str
    area: str
    label: dict[str, str]
    unit: str
    direction: str  # higher_better | lower_better
    good: float
    bad: float
    weight: float
    #: where the reference range comes from: ``{ru, en}`` (method files) or plain text (a
    #: consultant's own override in report.yaml)
    source: str | dict[str, str]
    analysis: str
    #: which computation to use (a key of ``scoring.indicators.EXTRACTORS``); default: the id
    measure: str = ""
    #: the sentence naming who and how much ({ru, en}, ``{placeholders}`` from the indicator's
    #: numbers; see scoring.verdicts); None = a generic sentence from the label and value
    statement: dict[str, str] | None = None


@dataclass(frozen=True)
class FindingRule:
    """A findings rule: when ``when`` holds, the finding is raised (see :mod:`.findings`)."""

    id: str
    area: str
    severity: str
    title: dict[str, str]
    recommendation: dict[str, str]
    owner_role: str
    horizon: int
    when: dict[str, Any]
    escalate: tuple[dict[str, Any], ...] = ()
    #: expected effect of the recommended action ({ru, en}); None when the rule gives none
    effect: dict[str, str] | None = None
    #: measurable target of the action: {indicator: ID, value: number} or {text: {ru, en}}
    target: dict[str, Any] | None = None


@dataclass(frozen=True)
class Checklist:
    """The whole method: areas, questions, express effects, planning/execution reference lists,
    coaching advice per refusal reason, indicator thresholds, findings rules, scoring parameters."""

    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    effects: tuple[Effect, ...]
    indicators: tuple[IndicatorDef, ...]
    coaching: dict[str, dict[str, str]]
    findings: tuple[FindingRule, ...]
    planning: dict[str, Any] = field(default_factory=dict)
    execution: dict[str, Any] = field(default_factory=dict)
    scoring: dict[str, Any] = field(default_factory=dict)

    def area(self, area_id: str) -> Area:
        """The area with this id (KeyError when unknown)."""
        for a in self.areas:
            if a.id == area_id:
                return a
        raise KeyError(area_id)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError when unknown)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def indicator(self, indicator_id: str) -> IndicatorDef:
        """The indicator definition with this id (KeyError when unknown)."""
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def questions_of(self, area_id: str) -> list[Question]:
        """The area's questions in checklist order."""
        return [q for q in self.questions if q.area == area_id]

    def indicators_of(self, area_id: str) -> list[IndicatorDef]:
        """The area's indicator definitions in checklist order."""
        return [i for i in self.indicators if i.area == area_id]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def with_thresholds(self, overrides: Mapping[str, Mapping[str, Any]] | None) -> Checklist:
        """A copy with per-engagement threshold overrides (``report.yaml`` ``thresholds:``).

        ``overrides`` maps indicator id -> ``{good: .., bad: .., weight: .., source: ..}`` (any
        subset). Unknown ids or bad values raise :class:`ChecklistError` with every case listed.
        """
        if not overrides:
            return self
        cases: list[ErrorCase] = []
        known = {i.id: i for i in self.indicators}
        new: dict[str, IndicatorDef] = {}
        for ind_id, spec in overrides.items():
            where = f"thresholds override {ind_id!r}"
            if ind_id not in known:
                cases.append(
                    ErrorCase(
                        f"{where}: unknown indicator",
                        file="report.yaml",
                        column="thresholds",
                        hint=_closest(str(ind_id), list(known)),
                    )
                )
                continue
            if not isinstance(spec, Mapping):
                cases.append(ErrorCase(f"{where}: must be a mapping", file="report.yaml"))
                continue
            base = known[ind_id]
            values = {"good": base.good, "bad": base.bad, "weight": base.weight}
            for key, val in spec.items():
                if key in values:
                    if not _is_number(val) or (key == "weight" and float(val) <= 0):
                        cases.append(
                            ErrorCase(
                                f"{where}: field {key!r} must be a number, got {val!r}",
                                file="report.yaml",
                                column=key,
                            )
                        )
                    else:
                        values[key] = float(val)
                elif key != "source":
                    cases.append(
                        ErrorCase(
                            f"{where}: unknown field {key!r}",
                            file="report.yaml",
                            column=key,
                            hint="allowed: good, bad, weight, source",
                        )
                    )
            if values["good"] == values["bad"]:
                cases.append(ErrorCase(f"{where}: good and bad must differ", file="report.yaml"))
            source = spec.get("source") or dict(ENGAGEMENT_SOURCE)
            if not isinstance(source, (str, dict)):
                source = str(source)
            new[ind_id] = IndicatorDef(
                id=base.id,
                area=base.area,
                label=base.label,
                unit=base.unit,
                direction="higher_better" if values["good"] > values["bad"] else "lower_better",
                good=values["good"],
                bad=values["bad"],
                weight=values["weight"],
                source=source,
                analysis=base.analysis,
                measure=base.measure,
                statement=base.statement,
            )
        if cases:
            raise ChecklistError(
                f"{len(cases)} problem(s) in report.yaml thresholds",
                file="report.yaml",
                cases=cases,
            )
        indicators = tuple(new.get(i.id, i) for i in self.indicators)
        return Checklist(
            areas=self.areas,
            questions=self.questions,
            effects=self.effects,
            indicators=indicators,
            coaching=self.coaching,
            findings=self.findings,
            planning=self.planning,
            execution=self.execution,
            scoring=self.scoring,
        )


# --- validation helpers -----------------------------------------------------------------------


def _closest(word: str, known: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    return f"did you mean {match[0]!r}?" if match else None


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _Collector:
    """Collects failure cases for one validation run."""

    def __init__(self) -> None:
        self.cases: list[ErrorCase] = []

    def add(self, file: str, item: str | None, fld: str | None, message: str, hint=None) -> None:
        parts = []
        if item is not None:
            parts.append(f"item {item!r}")
        if fld is not None:
            parts.append(f"field {fld!r}")
        prefix = ", ".join(parts)
        self.cases.append(
            ErrorCase(
                f"{prefix}: {message}" if prefix else message, file=file, column=fld, hint=hint
            )
        )

    def text(self, file: str, item: str, obj: Mapping, fld: str, required: bool = True) -> dict:
        """A ``{ru: .., en: ..}`` text field (both languages non-empty)."""
        val = obj.get(fld)
        if val is None:
            if required:
                self.add(file, item, fld, "missing", hint="give {ru: ..., en: ...}")
            return {"ru": "", "en": ""}
        if not isinstance(val, Mapping):
            self.add(file, item, fld, f"must be a mapping {{ru:, en:}}, got {type(val).__name__}")
            return {"ru": "", "en": ""}
        out = {}
        for lang in ("ru", "en"):
            s = val.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.add(file, item, f"{fld}.{lang}", "missing or empty text")
                out[lang] = ""
            else:
                out[lang] = " ".join(s.split())
        extra = set(val) - {"ru", "en"}
        if extra:
            self.add(file, item, fld, f"unknown language key(s) {sorted(extra)}", hint="use ru, en")
        return out

    def number(
        self, file: str, item: str, obj: Mapping, fld: str, default: float | None = None
    ) -> float | None:
        """The number in ``fld`` (None, reported once, when missing or not a number)."""
        val = obj.get(fld, default)
        if val is None:
            self.add(file, item, fld, "missing number")
            return None
        if not _is_number(val):
            self.add(file, item, fld, f"must be a number, got {val!r}")
            return None
        return float(val)

    def id_list(self, file: str, item: str, obj: Mapping, fld: str) -> tuple[str, ...]:
        val = obj.get(fld, [])
        if val is None:
            return ()
        if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
            self.add(file, item, fld, "must be a list of ids")
            return ()
        return tuple(val)

    def unknown_keys(self, file: str, item: str, obj: Mapping, allowed: set[str]) -> None:
        for key in obj:
            if key not in allowed:
                self.add(
                    file,
                    item,
                    str(key),
                    "unknown field",
                    hint=_closest(str(key), sorted(allowed))
                    or f"allowed: {', '.join(sorted(allowed))}",
                )


def _items(col: _Collector, file: str, doc: Any, key: str) -> list[tuple[str, Mapping]]:
    """The list under ``key`` as ``(item id, mapping)``; broken items are reported and skipped."""
    if not isinstance(doc, Mapping):
        col.add(file, None, None, "the file must hold a YAML mapping at the top level")
        return []
    val = doc.get(key)
    if val is None:
        col.add(file, None, key, "missing list")
        return []
    if not isinstance(val, list):
        col.add(file, None, key, "must be a list")
        return []
    out = []
    for n, item in enumerate(val, start=1):
        if not isinstance(item, Mapping):
            col.add(file, f"#{n}", None, f"each entry of {key!r} must be a mapping")
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id:
            col.add(file, f"#{n}", "id", "missing id")
            continue
        out.append((item_id, item))
    return out


_QUESTION_FIELDS = {"id", "area", "text", "hint", "weight", "indicators", "effect", "scale"}


def _question(col: _Collector, file: str, qid: str, q: Mapping, area: str | None) -> Question:
    col.unknown_keys(file, qid, q, _QUESTION_FIELDS)
    q_area = q.get("area", area)
    m = QUESTION_ID.match(qid)
    if not m:
        col.add(file, qid, "id", "question ids look like 'p4.q03' (area, dot, letters, 2 digits)")
    if q_area is None:
        col.add(file, qid, "area", "missing area")
    elif m and m.group(1) != q_area:
        col.add(file, qid, "area", f"id prefix {m.group(1)!r} does not match area {q_area!r}")
    if area is not None and q_area != area:
        col.add(file, qid, "area", f"question sits under area {area!r} but says {q_area!r}")
    if q.get("scale", "yes_partly_no") != "yes_partly_no":
        col.add(file, qid, "scale", "only the scale 'yes_partly_no' is supported")
    weight = col.number(file, qid, q, "weight", default=1.0)
    if weight is not None and weight <= 0:
        col.add(file, qid, "weight", f"must be > 0, got {weight:g}")
    effect = q.get("effect")
    if effect is not None and not isinstance(effect, str):
        col.add(file, qid, "effect", "must be an effect id such as 'e1'")
        effect = None
    return Question(
        id=qid,
        area=str(q_area),
        text=col.text(file, qid, q, "text"),
        hint=col.text(file, qid, q, "hint"),
        weight=weight or 1.0,
        indicators=col.id_list(file, qid, q, "indicators"),
        effect=effect,
        file=file,
    )


_AREA_FIELDS = {
    "id",
    "title",
    "description",
    "weight",
    "indicators",
    "recommendations",
    "elements",
    "questions",
}


def _areas(col: _Collector, doc: Any) -> tuple[list[Area], list[Question]]:
    file = "areas.yaml"
    areas, questions = [], []
    for aid, a in _items(col, file, doc, "areas"):
        col.unknown_keys(file, aid, a, _AREA_FIELDS)
        if aid not in AREA_IDS:
            col.add(file, aid, "id", f"area ids are {', '.join(AREA_IDS)}")
        weight = col.number(file, aid, a, "weight", default=1.0)
        if weight is not None and weight <= 0:
            col.add(file, aid, "weight", f"must be > 0, got {weight:g}")
        recs = a.get("recommendations", [])
        rec_list = []
        if not isinstance(recs, list) or not recs:
            col.add(file, aid, "recommendations", "must be a non-empty list of {ru:, en:}")
        else:
            for n, r in enumerate(recs, start=1):
                rec_list.append(
                    col.text(file, aid, {f"recommendations[{n}]": r}, f"recommendations[{n}]")
                )
        elements = []
        for n, e in enumerate(a.get("elements", []) or [], start=1):
            elements.append(col.text(file, aid, {f"elements[{n}]": e}, f"elements[{n}]"))
        areas.append(
            Area(
                id=aid,
                title=col.text(file, aid, a, "title"),
                description=col.text(file, aid, a, "description"),
                weight=weight or 1.0,
                indicators=col.id_list(file, aid, a, "indicators"),
                recommendations=tuple(rec_list),
                elements=tuple(elements),
            )
        )
        for qid, q in _items(col, file, {"questions": a.get("questions", [])}, "questions"):
            questions.append(_question(col, file, qid, q, aid))
    return areas, questions


def _extra_questions(col: _Collector, file: str, doc: Any) -> list[Question]:
    if not isinstance(doc, Mapping) or "questions" not in doc:
        return []
    return [_question(col, file, qid, q, None) for qid, q in _items(col, file, doc, "questions")]


def _effects(col: _Collector, doc: Any) -> list[Effect]:
    file = "express.yaml"
    out = []
    for eid, e in _items(col, file, doc, "effects"):
        col.unknown_keys(file, eid, e, {"id", "title", "questions", "indicators"})
        out.append(
            Effect(
                id=eid,
                title=col.text(file, eid, e, "title"),
                questions=col.id_list(file, eid, e, "questions"),
                indicators=col.id_list(file, eid, e, "indicators"),
            )
        )
    return out


_INDICATOR_FIELDS = {
    "id",
    "area",
    "label",
    "unit",
    "direction",
    "good",
    "bad",
    "weight",
    "source",
    "analysis",
    "measure",
    "statement",
}


def _indicators(col: _Collector, doc: Any) -> list[IndicatorDef]:
    file = "thresholds.yaml"
    out = []
    for iid, d in _items(col, file, doc, "indicators"):
        col.unknown_keys(file, iid, d, _INDICATOR_FIELDS)
        m = INDICATOR_ID.match(iid)
        area = d.get("area")
        if not m:
            col.add(file, iid, "id", "indicator ids look like 'p4.result_recorded'")
        elif area != m.group(1):
            col.add(file, iid, "area", f"must be {m.group(1)!r} (the id's prefix), got {area!r}")
        direction = d.get("direction")
        if direction not in DIRECTIONS:
            col.add(
                file, iid, "direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}"
            )
        good = col.number(file, iid, d, "good")
        bad = col.number(file, iid, d, "bad")
        if good is None or bad is None:
            pass
        elif direction == "higher_better" and not good > bad:
            col.add(
                file, iid, "good", f"higher_better needs good > bad (good={good:g}, bad={bad:g})"
            )
        elif direction == "lower_better" and not good < bad:
            col.add(
                file, iid, "good", f"lower_better needs good < bad (good={good:g}, bad={bad:g})"
            )
        weight = col.number(file, iid, d, "weight", default=1.0)
        if weight is not None and weight <= 0:
            col.add(file, iid, "weight", f"must be > 0, got {weight:g}")
        for fld in ("unit", "analysis"):
            if not isinstance(d.get(fld), str) or not d.get(fld):
                col.add(file, iid, fld, "missing text")
        source = _source(col, file, iid, d.get("source"))
        out.append(
            IndicatorDef(
                id=iid,
                area=str(area),
                label=col.text(file, iid, d, "label"),
                unit=str(d.get("unit", "")),
                direction=str(direction),
                good=good or 0.0,
                bad=bad or 0.0,
                weight=weight or 1.0,
                source=source,
                analysis=str(d.get("analysis", "")),
                measure=str(d.get("measure") or iid),
                statement=(
                    col.text(file, iid, d, "statement") if d.get("statement") is not None else None
                ),
            )
        )
    return out


#: the source of a reference range set per engagement in report.yaml
ENGAGEMENT_SOURCE = {
    "ru": "параметр проекта (report.yaml)",
    "en": "engagement setting (report.yaml)",
}


def _source(col: _Collector, file: str, iid: str, value: Any) -> str | dict[str, str]:
    """An indicator's ``source``: non-empty text, or ``{ru, en}`` with both languages filled."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, Mapping):
        missing = [k for k in ("ru", "en") if not isinstance(value.get(k), str) or not value[k]]
        if not missing:
            return {"ru": str(value["ru"]), "en": str(value["en"])}
        col.add(file, iid, "source", f"missing text for: {', '.join(missing)}")
        return ""
    col.add(file, iid, "source", "missing text (a string, or {ru: ..., en: ...})")
    return ""


def _coaching(col: _Collector, doc: Any) -> dict[str, dict[str, str]]:
    file = "coaching.yaml"
    out: dict[str, dict[str, str]] = {}
    for rid, r in _items(col, file, doc, "reasons"):
        col.unknown_keys(file, rid, r, {"id", "advice"})
        if rid not in REFUSAL_REASONS:
            col.add(
                file,
                rid,
                "id",
                "not a canonical refusal reason",
                hint=_closest(rid, list(REFUSAL_REASONS)),
            )
        out[rid] = col.text(file, rid, r, "advice")
    for reason in REFUSAL_REASONS:
        if reason not in out and isinstance(doc, Mapping) and isinstance(doc.get("reasons"), list):
            col.add(
                file, reason, None, "refusal reason has no coaching advice", hint="add an entry"
            )
    return out


_RULE_FIELDS = {
    "id",
    "area",
    "severity",
    "title",
    "recommendation",
    "owner_role",
    "horizon",
    "when",
    "escalate",
    "effect",
    "target",
}


def _target(col: _Collector, file: str, fid: str, r: Mapping) -> dict[str, Any] | None:
    """A rule's ``target``: ``{indicator: ID, value: number}`` or ``{text: {ru, en}}``."""
    tg = r.get("target")
    if tg is None:
        return None
    if not isinstance(tg, Mapping) or not ({"indicator", "text"} & set(tg)):
        col.add(file, fid, "target", "must be {indicator: ID, value: number} or {text: {ru, en}}")
        return None
    col.unknown_keys(file, fid, tg, {"indicator", "value", "text"})
    if "text" in tg:
        return {"text": col.text(file, fid, tg, "text")}
    value = col.number(file, fid, tg, "value")
    return {"indicator": str(tg["indicator"]), "value": value}


def _rules(col: _Collector, doc: Any) -> list[FindingRule]:
    from salesaudit.scoring.conditions import check_condition

    file = "findings.yaml"
    out = []
    for fid, r in _items(col, file, doc, "rules"):
        col.unknown_keys(file, fid, r, _RULE_FIELDS)
        if not PLAIN_ID.match(fid):
            col.add(file, fid, "id", "ids are lower-case letters, digits, '_', '-', '.'")
        sev = r.get("severity")
        if sev not in SEVERITIES:
            col.add(file, fid, "severity", f"must be one of {', '.join(SEVERITIES)}, got {sev!r}")
        if r.get("owner_role") not in OWNER_ROLES:
            col.add(file, fid, "owner_role", f"must be one of {', '.join(OWNER_ROLES)}")
        if r.get("horizon") not in HORIZONS:
            col.add(file, fid, "horizon", f"must be one of 30, 60, 90, got {r.get('horizon')!r}")
        when = r.get("when")
        for problem in check_condition(when):
            col.add(file, fid, "when", problem)
        escalate = r.get("escalate", []) or []
        if not isinstance(escalate, list):
            col.add(file, fid, "escalate", "must be a list of {when:, severity:}")
            escalate = []
        for n, esc in enumerate(escalate, start=1):
            if not isinstance(esc, Mapping) or esc.get("severity") not in SEVERITIES:
                col.add(
                    file, fid, f"escalate[{n}].severity", f"must be one of {', '.join(SEVERITIES)}"
                )
                continue
            for problem in check_condition(esc.get("when")):
                col.add(file, fid, f"escalate[{n}].when", problem)
        out.append(
            FindingRule(
                id=fid,
                area=str(r.get("area")),
                severity=str(sev),
                title=col.text(file, fid, r, "title"),
                recommendation=col.text(file, fid, r, "recommendation"),
                owner_role=str(r.get("owner_role")),
                horizon=int(r.get("horizon")) if r.get("horizon") in HORIZONS else 90,
                when=dict(when) if isinstance(when, Mapping) else {},
                escalate=tuple(dict(e) for e in escalate if isinstance(e, Mapping)),
                effect=col.text(file, fid, r, "effect") if r.get("effect") is not None else None,
                target=_target(col, file, fid, r),
            )
        )
    return out


def _scoring(col: _Collector, doc: Any) -> dict[str, Any]:
    file = "scoring.yaml"
    if not isinstance(doc, Mapping):
        col.add(file, None, None, "the file must hold a YAML mapping at the top level")
        return {}
    levels = []
    prev = -1.0
    for lid, lv in _items(col, file, doc, "maturity_levels"):
        level = lv.get("level")
        if not isinstance(level, int) or isinstance(level, bool):
            col.add(file, lid, "level", "must be an integer 1..5")
        low = col.number(file, lid, lv, "min_index") or 0.0
        if low <= prev:
            col.add(file, lid, "min_index", "levels must be listed with increasing min_index")
        prev = low
        levels.append(
            {
                "id": lid,
                "level": level,
                "min_index": low,
                "name": col.text(file, lid, lv, "name"),
                "description": col.text(file, lid, lv, "description"),
            }
        )
    if levels and levels[0]["min_index"] != 0:
        col.add(file, levels[0]["id"], "min_index", "the first level must start at 0")
    upside = doc.get("upside")
    if not isinstance(upside, Mapping):
        col.add(file, "upside", None, "missing mapping")
        upside = {}
    ups = {}
    for key in ("max_revenue_share", "max_profit_share", "low_factor", "default_gross_margin"):
        v = col.number(file, "upside", upside, key)
        if v is not None and not 0 < v <= 1:
            col.add(file, "upside", key, f"must be in (0, 1], got {v:g}")
        ups[key] = v
    ups["source"] = str(upside.get("source", ""))
    status = doc.get("express_status")
    st = {}
    if not isinstance(status, Mapping):
        col.add(file, "express_status", None, "missing mapping {met: .., partly: ..}")
    else:
        st = {k: col.number(file, "express_status", status, k) or 0.0 for k in ("met", "partly")}
        if st["met"] <= st["partly"]:
            col.add(file, "express_status", "met", "must be above 'partly'")
    return {
        "maturity_levels": levels,
        "upside": ups,
        "express_status": st,
        "assessment": _assessment(col, file, doc.get("assessment")),
        "verdicts": _verdict_rules(col, file, doc.get("verdicts")),
    }


#: defaults of scoring.yaml ``assessment`` (see the file's comment)
ASSESSMENT_DEFAULTS = {"min_items": 2, "min_share": 0.5, "min_areas_for_index": 5}


def _assessment(col: _Collector, file: str, doc: Any) -> dict[str, float]:
    """scoring.yaml ``assessment``: when an area is assessed and the index may be given."""
    if doc is None:
        return dict(ASSESSMENT_DEFAULTS)
    if not isinstance(doc, Mapping):
        col.add(file, "assessment", None, "must be a mapping {min_items, min_share, ...}")
        return dict(ASSESSMENT_DEFAULTS)
    col.unknown_keys(file, "assessment", doc, set(ASSESSMENT_DEFAULTS))
    out = {}
    for key, default in ASSESSMENT_DEFAULTS.items():
        v = col.number(file, "assessment", doc, key, default=default)
        out[key] = default if v is None else v
    if not 0 <= out["min_share"] <= 1:
        col.add(file, "assessment", "min_share", f"must be in [0, 1], got {out['min_share']:g}")
    for key in ("min_items", "min_areas_for_index"):
        if out[key] < 0 or out[key] != int(out[key]):
            col.add(file, "assessment", key, f"must be a whole number >= 0, got {out[key]:g}")
        out[key] = int(out[key])
    if out["min_areas_for_index"] > 7:
        col.add(file, "assessment", "min_areas_for_index", "there are only 7 areas")
    return out


def _verdict_rules(col: _Collector, file: str, doc: Any) -> dict[str, Any]:
    """scoring.yaml ``verdicts``: {confirmed: {severities, below}, partial: {below}}."""
    default = {"confirmed": {"severities": ["critical", "high"], "below": 40.0},
               "partial": {"below": 70.0}}  # fmt: skip
    if doc is None:
        return default
    if not isinstance(doc, Mapping):
        col.add(file, "verdicts", None, "must be a mapping {confirmed: .., partial: ..}")
        return default
    col.unknown_keys(file, "verdicts", doc, {"confirmed", "partial"})
    out: dict[str, Any] = {}
    for name, allowed in (("confirmed", {"severities", "below"}), ("partial", {"below"})):
        part = doc.get(name)
        if not isinstance(part, Mapping):
            col.add(file, "verdicts", name, "missing mapping")
            out[name] = default[name]
            continue
        col.unknown_keys(file, f"verdicts.{name}", part, allowed)
        below = col.number(file, f"verdicts.{name}", part, "below")
        out[name] = {"below": default[name]["below"] if below is None else below}
        if "severities" in allowed:
            sev = part.get("severities", [])
            if not isinstance(sev, list) or any(s not in SEVERITIES for s in sev):
                col.add(
                    file, "verdicts.confirmed", "severities",
                    f"must list severities among {', '.join(SEVERITIES)}, got {sev!r}",
                )  # fmt: skip
                sev = default["confirmed"]["severities"]
            out[name]["severities"] = list(sev)
    if out["confirmed"]["below"] > out["partial"]["below"]:
        col.add(file, "verdicts", "confirmed", "'below' must not exceed partial's 'below'")
    return out


def build_checklist(docs: Mapping[str, Any]) -> Checklist:
    """Validate the parsed checklist documents and build the :class:`Checklist`.

    ``docs`` maps a file name (``"areas.yaml"``, ...) to its parsed YAML content. Raises
    :class:`ChecklistError` listing every problem (file, item id, field) when anything is wrong.
    """
    col = _Collector()
    for name in REQUIRED_FILES:
        if name not in docs:
            col.add(
                name, None, None, "checklist file is missing", hint="restore it from the repository"
            )
    areas, questions = _areas(col, docs.get("areas.yaml", {"areas": []}))
    for name in ("planning.yaml", "execution.yaml"):
        questions += _extra_questions(col, name, docs.get(name))
    effects = _effects(col, docs.get("express.yaml", {"effects": []}))
    indicators = _indicators(col, docs.get("thresholds.yaml", {"indicators": []}))
    coaching = _coaching(col, docs.get("coaching.yaml", {"reasons": []}))
    rules = _rules(col, docs.get("findings.yaml", {"rules": []}))
    scoring = _scoring(col, docs.get("scoring.yaml", {}))

    # cross-file checks
    def unique(file: str, kind: str, ids: list[tuple[str, str]]) -> None:
        seen: dict[str, str] = {}
        for item_id, f in ids:
            if item_id in seen:
                col.add(f, item_id, "id", f"duplicate {kind} id (also in {seen[item_id]})")
            seen[item_id] = f

    unique("areas.yaml", "area", [(a.id, "areas.yaml") for a in areas])
    unique("", "question", [(q.id, q.file) for q in questions])
    unique("express.yaml", "effect", [(e.id, "express.yaml") for e in effects])
    unique("thresholds.yaml", "indicator", [(i.id, "thresholds.yaml") for i in indicators])
    unique("findings.yaml", "rule", [(r.id, "findings.yaml") for r in rules])
    area_ids = {a.id for a in areas}
    if areas and area_ids != set(AREA_IDS):
        missing = sorted(set(AREA_IDS) - area_ids)
        if missing:
            col.add("areas.yaml", None, "areas", f"missing area(s) {', '.join(missing)}")
    ind_ids = [i.id for i in indicators]
    q_ids = [q.id for q in questions]
    eff_ids = [e.id for e in effects]

    def check_refs(file: str, item: str, fld: str, refs, known: list[str], kind: str) -> None:
        for ref in refs:
            if ref not in known:
                col.add(file, item, fld, f"unknown {kind} {ref!r}", hint=_closest(ref, known))

    for q in questions:
        if q.area not in area_ids and areas:
            col.add(q.file, q.id, "area", f"unknown area {q.area!r}")
        check_refs(q.file, q.id, "indicators", q.indicators, ind_ids, "indicator")
        if q.effect is not None:
            check_refs(q.file, q.id, "effect", [q.effect], eff_ids, "effect")
    for a in areas:
        check_refs("areas.yaml", a.id, "indicators", a.indicators, ind_ids, "indicator")
    from salesaudit.scoring.indicators import EXTRACTORS

    for i in indicators:
        if i.area not in area_ids and areas:
            col.add("thresholds.yaml", i.id, "area", f"unknown area {i.area!r}")
        if i.measure not in EXTRACTORS:
            col.add(
                "thresholds.yaml",
                i.id,
                "measure",
                f"no computation named {i.measure!r}",
                hint=_closest(i.measure, sorted(EXTRACTORS))
                or "set measure: to one of the shipped indicator ids",
            )
    for e in effects:
        check_refs("express.yaml", e.id, "questions", e.questions, q_ids, "question")
        check_refs("express.yaml", e.id, "indicators", e.indicators, ind_ids, "indicator")
    from salesaudit.scoring.conditions import condition_refs

    for r in rules:
        if r.area not in area_ids and areas:
            col.add("findings.yaml", r.id, "area", f"unknown area {r.area!r}")
        conds = [r.when] + [e.get("when") for e in r.escalate]
        for cond in conds:
            refs = condition_refs(cond)
            check_refs("findings.yaml", r.id, "when", refs["indicator"], ind_ids, "indicator")
            check_refs("findings.yaml", r.id, "when", refs["answer"], q_ids, "question")
            check_refs("findings.yaml", r.id, "when", refs["area"], sorted(area_ids), "area")
        if r.target and "indicator" in r.target:
            check_refs(
                "findings.yaml", r.id, "target", [r.target["indicator"]], ind_ids, "indicator"
            )
    for a in areas:
        if not any(q.area == a.id for q in questions):
            col.add("areas.yaml", a.id, "questions", "an area needs at least one question")

    if col.cases:
        files = sorted({c.file for c in col.cases if c.file})
        raise ChecklistError(
            f"{len(col.cases)} problem(s) in the checklist ({', '.join(files)})",
            file=files[0] if len(files) == 1 else None,
            hint="fix the YAML; checklist/SCHEMA.md describes every field",
            cases=col.cases,
        )
    return Checklist(
        areas=tuple(areas),
        questions=tuple(questions),
        effects=tuple(effects),
        indicators=tuple(indicators),
        coaching=coaching,
        findings=tuple(rules),
        planning=dict(docs.get("planning.yaml") or {}),
        execution=dict(docs.get("execution.yaml") or {}),
        scoring=scoring,
    )
