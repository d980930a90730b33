"""The workshop's model: everything the panels show, computed once, plus the interview answers.

:class:`WorkshopState` is immutable. Expensive work (loading, the analyses) happens before it is
built; panels only filter its precomputed tables or run cheap arithmetic. Answering a question
gives a new state (:meth:`WorkshopState.with_answer`); the inputs are never modified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from salesaudit.analytics import AnalysisResult
from salesaudit.model.dataset import Dataset
from salesaudit.workshop._text import check_lang, t

#: interview answers the dashboard offers, in display order
ANSWERS = ("yes", "partly", "no", "unknown")


@dataclass(frozen=True)
class WorkshopState:
    """What the dashboard works on.

    - ``dataset``: the client's canonical tables;
    - ``analyses``: analysis name -> :class:`AnalysisResult` (``forecast``, ``plan_fact``,
      ``refusal_mix``, ``credibility``, ...), computed once;
    - ``checklist``: the method (:class:`salesaudit.scoring.checklist.Checklist`) or ``None``;
    - ``answers``: question id -> ``{"answer": "yes"|"partly"|"no"|"unknown", "note": str}``;
    - ``indicators``: the data indicators of the audit (:class:`~salesaudit.scoring.result.Indicator`),
      combined with the answers when area scores are recomputed;
    - ``as_of``: the assessment date; ``lang``: ``"ru"`` or ``"en"``;
    - ``meta``: client name and other display facts.
    """

    dataset: Dataset
    analyses: Mapping[str, AnalysisResult] = field(default_factory=dict)
    checklist: Any = None
    answers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    indicators: tuple[Any, ...] = ()
    as_of: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.today().normalize())
    lang: str = "ru"
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_lang(self.lang)
        object.__setattr__(self, "as_of", pd.Timestamp(self.as_of).normalize())

    # --- construction -------------------------------------------------------------------

    @classmethod
    def from_audit(
        cls,
        result: Any,
        dataset: Dataset,
        analyses: Mapping[str, AnalysisResult],
        checklist: Any,
        *,
        lang: str = "ru",
    ) -> WorkshopState:
        """Build the state from an audit: its :class:`~salesaudit.scoring.result.AuditResult`
        (answers, data indicators, ``as_of``, client name), the dataset it was computed from, the
        analyses as :class:`AnalysisResult` objects and the checklist used.
        """
        meta = dict(getattr(result, "meta", {}) or {})
        return cls(
            dataset=dataset,
            analyses=dict(analyses),
            checklist=checklist,
            answers={k: dict(v) for k, v in (result.answers or {}).items()},
            indicators=tuple(result.indicators or ()),
            as_of=pd.Timestamp(meta.get("as_of") or pd.Timestamp.today()),
            lang=lang,
            meta=meta,
        )

    # --- queries --------------------------------------------------------------------------

    def analysis(self, name: str) -> AnalysisResult | None:
        """The precomputed analysis ``name`` (``None`` when it was not run)."""
        return self.analyses.get(name)

    def table(self, analysis: str, name: str = "main") -> pd.DataFrame:
        """A table of a precomputed analysis (empty frame when missing or insufficient data)."""
        res = self.analyses.get(analysis)
        if res is None or not res.ok:
            return pd.DataFrame()
        return res.tables.get(name, pd.DataFrame())

    def managers(self) -> list[tuple[str, str]]:
        """Selling staff as ``(manager_id, name)``, sorted by name; role ``manager`` first.

        Without a managers table, the ids seen in deals / activities / sales are used as names.
        """
        data = self.dataset
        if data.has("managers"):
            m = data.managers
            sellers = m.loc[m["role"].eq("manager")]
            if sellers.empty:
                sellers = m
            pairs = {str(r.manager_id): str(r.name) for r in sellers.itertuples(index=False)}
        else:
            ids: set[str] = set()
            for name in ("deals", "activities", "sales"):
                tbl = data.table(name)
                if tbl is not None and "manager_id" in tbl.columns:
                    ids.update(str(v) for v in tbl["manager_id"].dropna().unique())
            pairs = {i: i for i in ids}
        return sorted(pairs.items(), key=lambda kv: (kv[1], kv[0]))

    #: analyses whose tables name the people a panel can show (their ``manager_id`` column)
    PEOPLE_SOURCES = (
        ("forecast", "main"),
        ("activity_forecast", "main"),
        ("plan_fact", "main"),
        ("refusals", "summary"),
        ("credibility", "main"),
        ("verification_sample", "main"),
    )

    def people(self) -> list[tuple[str, str]]:
        """The one list every panel's person picker shows, in the same order on every tab:
        the sales managers (:meth:`managers`), then other staff who appear in an analysis (a
        head of sales or an owner who sells), by name and labelled with their role — so that
        nobody who sells is missing from one tab and present on another."""
        first = self.managers()
        known = {mid for mid, _name in first}
        seen: set[str] = set()
        for analysis, table in self.PEOPLE_SOURCES:
            tbl = self.table(analysis, table)
            if "manager_id" in tbl.columns:
                seen.update(str(v) for v in tbl["manager_id"].dropna().unique())
        seen.discard("team")
        roles: dict[str, str] = {}
        if self.dataset.has("managers"):
            m = self.dataset.managers
            roles = {str(r.manager_id): str(r.role) for r in m.itertuples(index=False)}
        others = []
        for mid in seen - known:
            name = self.manager_name(mid)
            role = roles.get(mid)
            if role in ("head_of_sales", "owner"):
                name = f"{name} ({t('role_' + role, self.lang)})"
            others.append((mid, name))
        return first + sorted(others, key=lambda kv: (kv[1], kv[0]))

    def manager_name(self, manager_id: str | None) -> str:
        """Display name of any staff member (head of sales and owner too); the id when unknown."""
        if manager_id is None:
            return ""
        data = self.dataset
        if data.has("managers"):
            hit = data.managers.loc[data.managers["manager_id"].eq(manager_id), "name"]
            if len(hit) and isinstance(hit.iloc[0], str):
                return hit.iloc[0]
        return str(manager_id)

    def answer_of(self, question_id: str) -> str | None:
        """The current answer to a question, ``None`` when not answered."""
        entry = self.answers.get(question_id)
        return None if entry is None else entry.get("answer")

    # --- updates --------------------------------------------------------------------------

    def with_answer(
        self, question_id: str, answer: str | None, note: str | None = None
    ) -> WorkshopState:
        """A new state with ``question_id`` answered (``answer=None`` removes the answer).

        Raises :class:`ValueError` for an unknown answer or (with a checklist) question id.
        """
        if answer is not None and answer not in ANSWERS:
            raise ValueError(f"unknown answer {answer!r}; use one of {', '.join(ANSWERS)}")
        if self.checklist is not None and question_id not in set(self.checklist.question_ids):
            raise ValueError(f"unknown question id {question_id!r}")
        answers = {k: dict(v) for k, v in self.answers.items()}
        if answer is None:
            answers.pop(question_id, None)
        else:
            previous = answers.get(question_id, {})
            answers[question_id] = {
                "answer": answer,
                "note": previous.get("note", "") if note is None else note,
            }
        return replace(self, answers=answers)

    def with_lang(self, lang: str) -> WorkshopState:
        """The same state shown in another language."""
        return replace(self, lang=check_lang(lang))
