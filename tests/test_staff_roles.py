"""«Nobody is head of sales / owner» only from a staff list that gives roles.

Without a staff list the managers are taken from the names in the exports, every one with the
default role ``manager``: a missing head of sales then says nothing about the company. The model
records whether roles were given (``Dataset.meta['staff_roles']``), the delegation analysis
passes it on, and the owner / head-of-sales indicators are n/a with reason ``no_staff_roles``,
so the finding «the staff list has no head of sales» does not fire.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from salesaudit.analytics import delegation
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.indicators import REASONS, compute_indicators
from test_activity_results import _sheet

AS_OF = dt.date(2025, 11, 28)
DEALS = [
    ["ID", "Бюджет", "Ответственный", "Дата создания сделки", "Этап сделки", "Компания"],
    ["1", "1000", "Олег Иванов", "03.11.2025", "Успешно реализовано", "Лютик"],
    ["2", "3000", "Анна Смирнова", "04.11.2025", "Успешно реализовано", "Ромашка"],
    ["3", "500", "Анна Смирнова", "05.11.2025", "Переговоры", "Ромашка"],
]
STAFF_WITH_ROLES = [
    ["Сотрудник", "Должность"],
    ["Олег Иванов", "Менеджер"],
    ["Анна Смирнова", "Менеджер"],
]
STAFF_WITHOUT_ROLES = [["Сотрудник", "Телефон"], ["Олег Иванов", "+7 900 000-00-01"]]


def _build(*sheets: RawSheet, mapping=None):
    data, _ = build_dataset(list(sheets), mapping, meta={"as_of": str(AS_OF)})
    return data


@pytest.fixture(scope="module")
def shipped():
    return build_checklist(read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist"))


def test_no_staff_list_means_roles_not_given() -> None:
    data = _build(_sheet("raw/deals.csv", DEALS))
    assert data.meta["staff_roles"] is False
    assert sorted(data.managers["role"]) == ["manager", "manager"]  # the default, not a fact


def test_staff_list_with_a_role_column_gives_roles() -> None:
    data = _build(_sheet("raw/deals.csv", DEALS), _sheet("raw/staff.csv", STAFF_WITH_ROLES))
    assert data.meta["staff_roles"] is True


def test_staff_list_without_a_role_column_does_not() -> None:
    mapping = {"files": [{"match": "staff.csv", "table": "managers", "columns": {
        "Сотрудник": "name", "Телефон": "phone"}}]}  # fmt: skip
    data = _build(
        _sheet("raw/deals.csv", DEALS),
        _sheet("raw/staff.csv", STAFF_WITHOUT_ROLES),
        mapping=mapping,
    )
    assert data.meta["staff_roles"] is False
    # ... unless the consultant states the role for the whole file in mapping.yaml
    mapping["files"][0]["constants"] = {"role": "manager"}
    data = _build(
        _sheet("raw/deals.csv", DEALS),
        _sheet("raw/staff.csv", STAFF_WITHOUT_ROLES),
        mapping=mapping,
    )
    assert data.meta["staff_roles"] is True


def test_head_and_owner_indicators_are_na_without_roles(shipped) -> None:
    assert "no_staff_roles" in REASONS
    data = _build(_sheet("raw/deals.csv", DEALS))
    res = delegation(data, as_of=AS_OF)
    assert res.params["staff_roles"] is False
    inds = {i.id: i for i in compute_indicators({"delegation": res}, checklist=shipped)}
    for ind_id in ("p7.head_own_sales", "p6.owner_top_clients"):
        ind = inds[ind_id]
        assert (ind.verdict, ind.value, ind.reason) == ("n/a", None, "no_staff_roles"), ind_id


def test_with_roles_a_missing_head_of_sales_is_the_finding_reason(shipped) -> None:
    data = _build(_sheet("raw/deals.csv", DEALS), _sheet("raw/staff.csv", STAFF_WITH_ROLES))
    res = delegation(data, as_of=AS_OF)
    assert res.params["staff_roles"] is True
    inds = {i.id: i for i in compute_indicators({"delegation": res}, checklist=shipped)}
    assert (inds["p7.head_own_sales"].verdict, inds["p7.head_own_sales"].reason) == (
        "n/a",
        "no_head_of_sales",
    )


def test_verdict_says_roles_were_not_given(shipped) -> None:
    from salesaudit.scoring.answers import Answers
    from salesaudit.scoring.findings import evaluate_findings
    from salesaudit.scoring.score import score_areas
    from salesaudit.scoring.verdicts import problem_verdicts

    data = _build(_sheet("raw/deals.csv", DEALS))
    inds = compute_indicators({"delegation": delegation(data, as_of=AS_OF)}, checklist=shipped)
    answers = Answers()
    for q in shipped.questions_of("p7"):
        answers = answers.with_answer(q.id, "no")
    areas = score_areas(shipped, answers, inds)
    findings = evaluate_findings(shipped, inds, answers, areas)
    assert "no_head_in_staff_list" not in [f.id for f in findings]
    v = {x["area"]: x for x in problem_verdicts(shipped, areas, inds, findings, answers)}
    assert v["p7"]["sentence"]["ru"].startswith(
        "Списка сотрудников с ролями нет: собственника и руководителя продаж не отличить от "
        "менеджеров, их собственные продажи не измеряются"
    )
