"""The verdict on each of the seven problems: confirmed / partial / not found / not assessed.

A verdict comes from the area's assessment, its findings, its indicators and its score
(cut-offs in ``checklist/scoring.yaml`` ``verdicts``)::

    not_assessed   the area is «не оценено» (too little evidence, see scoring.score)
    confirmed      a finding of the area has a confirming severity (critical/high), or the
                   area score is below ``confirmed.below``
    partial        any other finding of the area, an indicator of the area judged "bad", or
                   the area score below ``partial.below``
    not_found      otherwise

Each verdict carries one sentence naming who and how much, in Russian and English: the
``statement`` of the indicator behind the area's top finding (``thresholds.yaml``, placeholders
filled from the indicator's numbers, manager ids replaced by names), else the finding's title
with the interview answer it rests on, else the area's score and evidence.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from salesaudit.model.schemas import REFUSAL_REASON_NAMES
from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import Checklist
from salesaudit.scoring.result import AreaScore, Finding, Indicator

__all__ = [
    "VERDICTS",
    "VERDICT_LABELS",
    "problem_verdicts",
    "fill_statement",
    "english_numbers",
]

VERDICTS = ("confirmed", "partial", "not_found", "not_assessed")
VERDICT_LABELS = {
    "confirmed": {"ru": "подтверждена", "en": "confirmed"},
    "partial": {"ru": "частично", "en": "partly confirmed"},
    "not_found": {"ru": "не выявлена", "en": "not found"},
    "not_assessed": {"ru": "не оценено", "en": "not assessed"},
}
#: numbers (by key suffix) shown as money
_MONEY_KEYS = ("revenue", "plan", "fact", "pipeline", "remaining_plan")


def _en_number(v: float, decimals: int) -> str:
    """``v`` the way the English report writes numbers (``report.i18n.fmt_number``): thousands
    with a comma, a decimal point, a minus sign for negatives: ``-1234.5`` -> ``'−1,234.5'``."""
    txt = f"{v:,.{decimals}f}"
    return "−" + txt[1:] if txt.startswith("-") else txt


def _num(v: float, lang: str, money: bool = False, currency: str = "RUB") -> str:
    """A number as the report writes it: ru uses a comma and non-breaking spaces («75,9 млн ₽»,
    «1 234»), en a decimal point and thousands with a comma ("1,234"); money in millions /
    thousands with the currency (``currency`` = ISO code: its sign in Russian, e.g.
    «75,9 млн ₽», the code in English, "RUB 75.9 m" with non-breaking spaces, as the report's
    English money does: "≈ RUB 25–50 m", "Revenue, RUB m")."""
    f = float(v)
    if money:
        a = abs(f)
        if a >= 1e6:
            x, decimals, unit = f / 1e6, 1, {"ru": "млн", "en": "m"}[lang]
        elif a >= 1e3:
            x, decimals, unit = f / 1e3, 0, {"ru": "тыс.", "en": "k"}[lang]
        else:
            x, decimals, unit = f, 0, ""
        if lang == "ru":
            from salesaudit.scoring.report_settings import CURRENCY_SYMBOLS

            sign = CURRENCY_SYMBOLS.get(currency, currency)
            txt = f"{x:.{decimals}f}"
            return f"{txt.replace('.', ',')}\u00a0{unit}\u00a0{sign}".replace(
                "\u00a0\u00a0", "\u00a0"
            )
        txt = _en_number(x, decimals)
        return f"{currency}\u00a0{txt}" + (f"\u00a0{unit}" if unit else "")
    if lang == "en":
        return _en_number(f, 0 if f == int(f) or abs(f) >= 10 else 1)
    if f == int(f):
        txt = f"{int(f):,}".replace(",", "\u00a0")
    elif abs(f) >= 10:
        txt = f"{f:.0f}"
    else:
        txt = f"{f:.1f}"
    return txt.replace(".", ",")


#: a space (plain, no-break or narrow no-break) between a number or a placeholder and "%"
_SPACE_PERCENT = re.compile(r"(?<=[\d}])[ \u00a0\u202f]%")
#: a hyphen between two numbers (a range: "20-30")
_HYPHEN_RANGE = re.compile(r"(?<=\d)-(?=\d)")


def english_numbers(text: str) -> str:
    """An English template or label written the English way: no space before "%" ("{value} %"
    -> "{value}%", "95 %" -> "95%") and an en dash in number ranges ("20-30" -> "20–30")."""
    return _HYPHEN_RANGE.sub("–", _SPACE_PERCENT.sub("%", text))


def _flatten(numbers: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in numbers.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flatten(v, key + "_"))
        else:
            out[key] = v
    return out


def _text(v: Any, key: str, lang: str, names: Mapping[str, str], currency: str) -> str:
    if isinstance(v, bool):
        return {"ru": "да", "en": "yes"}[lang] if v else {"ru": "нет", "en": "no"}[lang]
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return "—"
        money = any(key == k or key.endswith("_" + k) for k in _MONEY_KEYS)
        return _num(v, lang, money=money, currency=currency)
    if isinstance(v, (list, tuple)):
        return ", ".join(_text(x, key, lang, names, currency) for x in v) or "—"
    if v is None:
        return "—"
    if key.endswith("reason") and str(v) in REFUSAL_REASON_NAMES:
        name = REFUSAL_REASON_NAMES[str(v)][lang]  # the report's label, inside a sentence
        return name[0].lower() + name[1:]
    return names.get(str(v), str(v))


def statement_context(
    ind: Indicator, lang: str, names: Mapping[str, str], people: Mapping[str, str], currency: str
) -> dict[str, str]:
    """Placeholders of a statement: ``value``, ``good``, ``bad``, every number of the indicator
    (nested keys joined with ``_``; lists also give ``<key>_count``), ``owner`` and ``head``."""
    nums = _flatten(ind.evidence.get("numbers", {}) or {})
    ctx: dict[str, str] = {}
    for k, v in nums.items():
        ctx[k] = _text(v, k, lang, names, currency)
        if isinstance(v, (list, tuple)):
            ctx[k + "_count"] = str(len(v))
    for k in ("value",):
        if ind.value is not None:
            ctx[k] = _num(ind.value, lang)
    for k in ("good", "bad"):
        v = ind.reference.get(k)
        if v is not None:
            ctx[k] = _num(v, lang)
    ctx["owner"] = people.get("owner", {"ru": "собственник", "en": "the owner"}[lang])
    ctx["head"] = people.get("head_of_sales", {"ru": "руководитель", "en": "the head"}[lang])
    return ctx


def fill_statement(template: str, ctx: Mapping[str, str], lang: str | None = None) -> str | None:
    """``template`` with its ``{placeholders}`` from ``ctx``; None when one is missing.

    ``lang="en"`` writes the template's own numbers the English way first
    (:func:`english_numbers`: "{value} %" -> "{value}%"), whatever ``thresholds.yaml`` has.
    """
    if lang == "en":
        template = english_numbers(template)
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    if any(f not in ctx for f in fields):
        return None
    return template.format_map(dict(ctx))


def _indicator_sentence(
    ind: Indicator,
    checklist: Checklist,
    lang: str,
    names: Mapping[str, str],
    people: Mapping[str, str],
    currency: str,
) -> str:
    defn = next((d for d in checklist.indicators if d.id == ind.id), None)
    ctx = statement_context(ind, lang, names, people, currency)
    if defn is not None and defn.statement:
        s = fill_statement(defn.statement[lang], ctx, lang)
        if s:
            return s.rstrip(".")
    unit = {"%": {"ru": " %", "en": "%"}, "pp": {"ru": " п. п.", "en": " pp"}}.get(ind.unit)
    label = ind.label[lang]
    if lang == "en":
        label = english_numbers(label)
    return f"{label}: {ctx.get('value', '—')}{unit[lang] if unit else ''}"


def _worst(inds: Sequence[Indicator]) -> Indicator | None:
    bad = [i for i in inds if i.status == "ok" and i.verdict in ("bad", "warn")]
    if not bad:
        return None
    return sorted(bad, key=lambda i: (i.score if i.score is not None else 0.0, -i.weight))[0]


def _finding_indicators(f: Finding, by_id: Mapping[str, Indicator]) -> list[Indicator]:
    nums = (f.evidence or {}).get("numbers", {})
    return [by_id[i] for i in nums if i in by_id]


def _answer_basis(
    f: Finding, checklist: Checklist, answers: Answers, lang: str
) -> tuple[str, list[str]]:
    ids = list((f.evidence or {}).get("answers", {}))
    given = [q for q in ids if answers.get(q) is not None and answers.get(q).value != "unknown"]
    if not given:
        return "", []
    labels = {"yes": "да", "partly": "частично", "no": "нет"}
    q = given[0]
    a = answers.get(q).value
    text = checklist.question(q).text[lang]
    if lang == "ru":
        return f"по интервью: «{labels.get(a, a)}» на вопрос «{text}»", given
    return f"from the interview: “{a}” to “{text}”", given


def problem_verdicts(
    checklist: Checklist,
    areas: Sequence[AreaScore],
    indicators: Sequence[Indicator],
    findings: Sequence[Finding],
    answers: Answers,
    *,
    names: Mapping[str, str] | None = None,
    people: Mapping[str, Mapping[str, str]] | None = None,
    currency: str = "RUB",
) -> list[dict[str, Any]]:
    """One verdict per area (checklist order): ``{area, code, label{ru,en}, sentence{ru,en},
    basis{findings, indicators, answers}, score}``.

    ``names``: manager id -> display name (ids in the numbers are replaced by them);
    ``people``: lang -> {"owner": name, "head_of_sales": name} for the statements;
    ``currency``: ISO code of the money (report.yaml ``currency``), "RUB" by default.
    """
    rules = checklist.scoring.get("verdicts") or {
        "confirmed": {"severities": ["critical", "high"], "below": 40.0},
        "partial": {"below": 70.0},
    }
    names = dict(names or {})
    people = {lang: dict((people or {}).get(lang, {})) for lang in ("ru", "en")}
    by_id = {i.id: i for i in indicators}
    out = []
    for area in areas:
        a_findings = sorted((f for f in findings if f.area == area.area), key=lambda f: f.rank)
        a_inds = [i for i in indicators if i.area == area.area]
        top = a_findings[0] if a_findings else None
        if not area.assessed or area.score is None:
            code = "not_assessed"
        elif (top is not None and top.severity in rules["confirmed"]["severities"]) or (
            area.score < rules["confirmed"]["below"]
        ):
            code = "confirmed"
        elif (
            top is not None
            or any(i.verdict == "bad" for i in a_inds)
            or area.score < rules["partial"]["below"]
        ):
            code = "partial"
        else:
            code = "not_found"
        basis: dict[str, list[str]] = {
            "findings": [f.id for f in a_findings],
            "indicators": [],
            "answers": [],
        }
        sentence = {}
        for lang in ("ru", "en"):
            sentence[lang] = _sentence(
                code, area, top, a_inds, by_id, checklist, answers, lang, names,
                people[lang], currency, basis,
            )  # fmt: skip
        basis["indicators"] = list(dict.fromkeys(basis["indicators"]))
        basis["answers"] = list(dict.fromkeys(basis["answers"]))
        out.append(
            {
                "area": area.area,
                "code": code,
                "label": dict(VERDICT_LABELS[code]),
                "sentence": sentence,
                "basis": basis,
                "score": area.score,
            }
        )
    return out


def _sentence(
    code: str,
    area: AreaScore,
    top: Finding | None,
    a_inds: Sequence[Indicator],
    by_id: Mapping[str, Indicator],
    checklist: Checklist,
    answers: Answers,
    lang: str,
    names: Mapping[str, str],
    people: Mapping[str, str],
    currency: str,
    basis: dict[str, list[str]],
) -> str:
    def ind_text(i: Indicator) -> str:
        basis["indicators"].append(i.id)
        return _indicator_sentence(i, checklist, lang, names, people, currency)

    if code == "not_assessed":
        reason = (area.assessment_reason or {}).get(lang) or VERDICT_LABELS[code][lang]
        if lang == "en":  # scoring.score writes «50 % of their weight» in both languages
            reason = english_numbers(reason)
        if top is not None:
            sig = {"ru": "Сигнал без достаточных данных", "en": "Signal without enough evidence"}
            return f"{reason} {sig[lang]}: {top.title[lang]}."
        return reason
    if top is not None:
        inds = _finding_indicators(top, by_id)
        worst = _worst(inds)
        if worst is not None:
            return ind_text(worst) + "."
        na = [i for i in inds if i.status != "ok" and i.reason not in ("", "insufficient_data")]
        text, qids = _answer_basis(top, checklist, answers, lang)
        basis["answers"] += qids
        if na:
            basis["indicators"].append(na[0].id)
            why = {
                "no_head_of_sales": {
                    "ru": (
                        "В списке сотрудников нет никого с ролью руководителя отдела продаж: "
                        "его собственные продажи и доля управленческой работы не измеряются"
                    ),
                    "en": (
                        "Nobody in the staff list has the role of head of sales: his own sales "
                        "and share of management work cannot be measured"
                    ),
                },
                "no_staff_roles": {
                    "ru": (
                        "Списка сотрудников с ролями нет: собственника и руководителя продаж не "
                        "отличить от менеджеров, их собственные продажи не измеряются"
                    ),
                    "en": (
                        "No staff list with roles was given: the owner and the head of sales "
                        "cannot be told apart from the managers, their own sales are not measured"
                    ),
                },
                "no_results": {
                    "ru": (
                        "В выгрузке дел нет результатов (колонки нет или она пуста во всех "
                        "строках) — доля дел с результатом не оценена"
                    ),
                    "en": (
                        "The activities export holds no results (no result column, or one "
                        "empty in every row): the share of activities with a result is not "
                        "assessed"
                    ),
                },
            }.get(na[0].reason)
            if why:
                return f"{why[lang]}" + (f"; {text}." if text else ".")
        return f"{top.title[lang]}" + (f" — {text}." if text else ".")
    worst = _worst(a_inds) if code != "not_found" else None
    if worst is not None:
        return ind_text(worst) + "."
    n_ind = sum(1 for i in a_inds if i.status == "ok")
    score = _num(area.score, lang) if area.score is not None else "—"
    if code != "not_found":
        weak = [
            q.id
            for q in checklist.questions_of(area.area)
            if answers.get(q.id) is not None and answers.get(q.id).value in ("no", "partly")
        ]
        basis["answers"] += weak
        if lang == "ru":
            return (
                f"Оценка области {score} из 100: по интервью «нет» или «частично» на "
                f"{len(weak)} из {area.questions} вопросов."
            )
        return (
            f"Area score {score} of 100: the interview answered “no” or “partly” to "
            f"{len(weak)} of {area.questions} questions."
        )
    if lang == "ru":
        return (
            f"Признаков проблемы не выявлено: оценка {score} из 100 по {n_ind} показателям "
            f"данных и {area.answered} ответам интервью."
        )
    return (
        f"No sign of the problem: score {score} of 100 from {n_ind} data indicators and "
        f"{area.answered} interview answers."
    )
