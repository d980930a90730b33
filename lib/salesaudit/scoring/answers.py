"""Interview answers: validating the raw answers (YAML or interview sheet) against the checklist."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from salesaudit.errors import AnswersError, ErrorCase
from salesaudit.scoring.checklist import ANSWER_LABELS, ANSWER_SCORES, Checklist

#: accepted spellings (lower-cased, stripped) -> canonical answer
ANSWER_ALIASES: dict[str, str] = {
    "yes": "yes",
    "y": "yes",
    "да": "yes",
    "true": "yes",
    "1": "yes",
    "partly": "partly",
    "partial": "partly",
    "partially": "partly",
    "частично": "partly",
    "отчасти": "partly",
    "0.5": "partly",
    "no": "no",
    "n": "no",
    "нет": "no",
    "false": "no",
    "0": "no",
    "unknown": "unknown",
    "не знаю": "unknown",
    "неизвестно": "unknown",
    "?": "unknown",
    "n/a": "unknown",
}
_ALLOWED_TEXT = "yes / partly / no / unknown (Да / Частично / Нет / Не знаю)"
_ENTRY_FIELDS = {"answer", "note", "row"}


@dataclass(frozen=True)
class Answer:
    """One validated answer: ``value`` is yes | partly | no | unknown."""

    question_id: str
    value: str
    note: str | None = None
    row: int | None = None

    @property
    def score(self) -> float | None:
        """1 / 0.5 / 0, or None for "unknown"."""
        return ANSWER_SCORES[self.value]


@dataclass(frozen=True)
class Answers:
    """The validated interview answers (unanswered questions are simply absent)."""

    items: dict[str, Answer] = field(default_factory=dict)
    source: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def get(self, question_id: str) -> Answer | None:
        """The answer to a question, or None when it was not answered."""
        return self.items.get(question_id)

    def values(self) -> dict[str, str]:
        """question id -> yes | partly | no | unknown."""
        return {k: a.value for k, a in self.items.items()}

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """question id -> {"answer": .., "note": ..} in question-id order (for the AuditResult)."""
        return {k: {"answer": a.value, "note": a.note} for k, a in sorted(self.items.items())}

    def with_answer(self, question_id: str, value: str, note: str | None = None) -> Answers:
        """A copy with one answer set (``value`` canonical); the original is unchanged."""
        if value not in ANSWER_SCORES:
            raise ValueError(f"answer must be one of {', '.join(ANSWER_SCORES)}")
        items = dict(self.items)
        items[question_id] = Answer(question_id, value, note)
        return Answers(items=items, source=self.source, meta=dict(self.meta))


def normalize_answer(value: Any) -> str | None:
    """Canonical answer for a raw cell/YAML value; None when blank; raises ValueError when unknown.

    YAML 1.1 reads bare ``yes`` / ``no`` as booleans: ``True`` -> yes, ``False`` -> no.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        text = f"{value:g}"
    else:
        text = str(value)
    text = " ".join(text.strip().lower().replace("ё", "е").split())
    if not text:
        return None
    if text in ANSWER_ALIASES:
        return ANSWER_ALIASES[text]
    raise ValueError(text)


def answer_label(value: str, lang: str = "ru") -> str:
    """Display label of a canonical answer (Да / Частично / Нет / Не знаю, or English)."""
    return ANSWER_LABELS.get(lang, ANSWER_LABELS["en"])[value]


def validate_answers(raw: Mapping[str, Any] | None, checklist: Checklist) -> Answers:
    """Validate raw answers against the checklist; every problem goes into one AnswersError.

    ``raw`` is what :func:`salesaudit.io.checklist_files.read_answers_file` returns:
    ``{"source": file, "answers": {question id: answer | {answer, note, row}}, other meta...}``.
    Blank answers count as unanswered. Problems reported: unknown question ids (with the closest
    known id), invalid answers (with the allowed values), malformed entries — with the XLSX row
    when known.
    """
    if raw is None:
        return Answers()
    source = raw.get("source")
    entries = raw.get("answers", {})
    cases: list[ErrorCase] = []
    if entries is None:
        entries = {}
    if not isinstance(entries, Mapping):
        raise AnswersError(
            "'answers' must be a mapping of question id -> answer",
            file=source,
            hint="e.g. answers: {p1.q01: yes, p1.q02: {answer: partly, note: ...}}",
        )
    for dup in raw.get("duplicates", []) or []:
        cases.append(
            ErrorCase(
                f"question {dup['id']!r} appears twice (first on row {dup['first_row']})",
                file=source,
                row=dup["row"],
                column="id",
                hint="keep one row per question",
            )
        )
    known = checklist.question_ids
    items: dict[str, Answer] = {}
    for qid_raw, entry in entries.items():
        qid = str(qid_raw).strip()
        row = None
        note = None
        value_raw: Any = entry
        if isinstance(entry, Mapping):
            row = entry.get("row")
            extra = set(entry) - _ENTRY_FIELDS
            if extra:
                cases.append(
                    ErrorCase(
                        f"question {qid!r}: unknown field(s) {', '.join(sorted(map(str, extra)))}",
                        file=source,
                        row=row,
                        hint="an entry has 'answer' and optional 'note'",
                    )
                )
            value_raw = entry.get("answer")
            n = entry.get("note")
            note = None if n is None or str(n).strip() == "" else " ".join(str(n).split())
        if qid not in known:
            match = difflib.get_close_matches(qid, known, n=1, cutoff=0.4)
            cases.append(
                ErrorCase(
                    f"unknown question id {qid!r}",
                    file=source,
                    row=row,
                    column="id",
                    hint=f"did you mean {match[0]!r}?" if match else "see the checklist for ids",
                )
            )
            continue
        try:
            value = normalize_answer(value_raw)
        except ValueError:
            cases.append(
                ErrorCase(
                    f"question {qid!r}: invalid answer {value_raw!r}",
                    file=source,
                    row=row,
                    column="answer",
                    hint=f"allowed: {_ALLOWED_TEXT}",
                )
            )
            continue
        if value is None:
            continue
        items[qid] = Answer(qid, value, note, row if isinstance(row, int) else None)
    if cases:
        raise AnswersError(
            f"{len(cases)} problem(s) in the interview answers",
            file=source,
            hint="fix the answers file and run again",
            cases=cases,
        )
    meta = {k: v for k, v in raw.items() if k not in ("answers", "source", "duplicates")}
    ordered = {q: items[q] for q in known if q in items}
    return Answers(items=ordered, source=str(source) if source else None, meta=meta)
