"""Reconciliation of managers and clients named differently in different sources."""

from __future__ import annotations

import pandas as pd
from salesaudit.model.reconcile import (
    MATCH_COLUMNS,
    company_key,
    person_tokens,
    reconcile_clients,
    reconcile_managers,
)


def rows(res) -> list[list]:
    return res.matches[["source_label", "canonical_name", "id", "method", "status"]].values.tolist()


def test_person_tokens_and_company_key() -> None:
    assert person_tokens("Петров И.С.") == (("петров",), ("и", "с"))
    assert person_tokens("Пётр  Иванов") == (("петр", "иванов"), ())
    keys = {
        company_key(x)
        for x in ("ООО «Ромашка»", "Ромашка ООО", 'ООО "Ромашка"', "Ромашка, ООО", "ооо „ромашка“")
    }
    assert keys == {"ромашка"}
    assert company_key("ИП Ёлкин") == "елкин"
    assert company_key("ООО") == "ооо"


def test_managers_from_sources_crm_1c_and_plan_spellings() -> None:
    res = reconcile_managers(
        [
            ("crm.csv", "Иван Петров"),
            ("1c.xlsx", "Петров Иван Сергеевич"),
            ("plan.xlsx", "Петров И.С."),
            ("plan.xlsx", "Петров"),
            ("crm.csv", "Анна Смирнова"),
            ("plan.xlsx", "Смирнова А."),
        ]
    )
    assert res.entities.values.tolist() == [
        ["m01", "Анна Смирнова", "source"],
        ["m02", "Петров Иван Сергеевич", "source"],
    ]
    assert rows(res) == [
        ["Иван Петров", "Петров Иван Сергеевич", "m02", "normalized", "matched"],
        ["Петров Иван Сергеевич", "Петров Иван Сергеевич", "m02", "exact", "matched"],
        ["Петров И.С.", "Петров Иван Сергеевич", "m02", "initials", "matched"],
        ["Петров", "Петров Иван Сергеевич", "m02", "surname", "matched"],
        ["Анна Смирнова", "Анна Смирнова", "m01", "exact", "matched"],
        ["Смирнова А.", "Анна Смирнова", "m01", "initials", "matched"],
    ]
    assert list(res.matches.columns) == MATCH_COLUMNS
    assert res.ids["Петров И.С."] == "m02"


def test_surname_shared_by_two_managers_is_ambiguous_not_guessed() -> None:
    res = reconcile_managers(
        [("plan.xlsx", "Иванов"), ("plan.xlsx", "Иванов О.")],
        master=["Иванов Олег Петрович", "Иванов Павел Ильич"],
    )
    assert rows(res) == [
        ["Иванов", None, None, "surname", "ambiguous"],
        ["Иванов О.", "Иванов Олег Петрович", "m01", "initials", "matched"],
    ]
    assert res.ids["Иванов"] is None


def test_master_list_order_gives_the_ids() -> None:
    res = reconcile_managers([], master=["Яковлев Ян", "Абрамов Антон"])
    assert res.entities.values.tolist() == [
        ["m01", "Яковлев Ян", "master"],
        ["m02", "Абрамов Антон", "master"],
    ]


def test_master_list_wins_and_unknown_names_are_new() -> None:
    res = reconcile_managers(
        [("crm.csv", "Олег Иванов"), ("crm.csv", "Мария Кузнецова"), ("plan.xlsx", "Кузнецова М.")],
        master=["Иванов Олег Петрович"],
    )
    assert res.entities.values.tolist() == [
        ["m01", "Иванов Олег Петрович", "master"],
        ["m02", "Мария Кузнецова", "source"],
    ]
    assert rows(res) == [
        ["Олег Иванов", "Иванов Олег Петрович", "m01", "normalized", "matched"],
        ["Мария Кузнецова", "Мария Кузнецова", "m02", "exact", "new"],
        ["Кузнецова М.", "Мария Кузнецова", "m02", "initials", "new"],
    ]


def test_override_wins_over_matching_and_can_target_an_id() -> None:
    res = reconcile_managers(
        [("crm.csv", "Иванов"), ("crm.csv", "Вася"), ("crm.csv", "Шеф")],
        master=["Иванов Олег Петрович", "Иванов Павел Ильич"],
        master_ids=["M-7", None],
        overrides={"Иванов": "Иванов Павел Ильич", "вася": "M-7", "Шеф": "Директор Главный"},
    )
    assert rows(res) == [
        ["Иванов", "Иванов Павел Ильич", "m01", "override", "matched"],
        ["Вася", "Иванов Олег Петрович", "M-7", "override", "matched"],
        ["Шеф", "Директор Главный", "m02", "override", "new"],
    ]


def test_ids_are_deterministic_whatever_the_input_order() -> None:
    labels = [("a", "Борис Белов"), ("a", "Алла Азарова"), ("b", "Вера Волкова")]
    one = reconcile_managers(labels).entities
    two = reconcile_managers(list(reversed(labels))).entities
    pd.testing.assert_frame_equal(one, two)
    assert one["name"].tolist() == ["Алла Азарова", "Борис Белов", "Вера Волкова"]


def test_clients_legal_forms_quotes_case_and_yo() -> None:
    res = reconcile_clients(
        [
            ("crm.csv", "ООО «Ромашка»"),
            ("1c.xlsx", "Ромашка ООО"),
            ("1c.xlsx", 'ООО "Ромашка"'),
            ("plan.xlsx", "Ромашка, ООО"),
            ("crm.csv", "ИП Ёлкин"),
            ("1c.xlsx", "Елкин ИП"),
        ]
    )
    assert res.entities.values.tolist() == [
        ["c0001", "ИП Ёлкин", "source"],
        ["c0002", "ООО «Ромашка»", "source"],
    ]
    assert rows(res) == [
        ["ООО «Ромашка»", "ООО «Ромашка»", "c0002", "exact", "matched"],
        ["Ромашка ООО", "ООО «Ромашка»", "c0002", "normalized", "matched"],
        ['ООО "Ромашка"', "ООО «Ромашка»", "c0002", "normalized", "matched"],
        ["Ромашка, ООО", "ООО «Ромашка»", "c0002", "normalized", "matched"],
        ["ИП Ёлкин", "ИП Ёлкин", "c0001", "exact", "matched"],
        ["Елкин ИП", "ИП Ёлкин", "c0001", "normalized", "matched"],
    ]


def test_clients_master_ambiguity_new_and_override() -> None:
    res = reconcile_clients(
        [("crm.csv", "Ромашка"), ("crm.csv", "Лютик"), ("crm.csv", "Ромашка-Юг"), ("1c", "Ромаха")],
        master=["ООО «Ромашка»", "АО «Ромашка»", "ООО Лютик"],
        overrides={"Ромаха": "АО «Ромашка»"},
    )
    assert rows(res) == [
        ["Ромашка", None, None, "normalized", "ambiguous"],
        ["Лютик", "ООО Лютик", "c0003", "normalized", "matched"],
        ["Ромашка-Юг", "Ромашка-Юг", "c0004", "exact", "new"],
        ["Ромаха", "АО «Ромашка»", "c0002", "override", "matched"],
    ]


def test_many_labels_are_handled_per_distinct_label() -> None:
    names = [f"ООО «Клиент {i}»" for i in range(3000)]
    labels = pd.DataFrame(
        {
            "source_file": ["1c.xlsx"] * 6000,
            "source_label": names + [n.replace("ООО ", "") + " ООО" for n in names],
        }
    )
    res = reconcile_clients(labels, master=names)
    assert len(res.entities) == 3000
    assert (res.matches["status"] == "matched").all()
    assert res.ids["«Клиент 7» ООО"] == res.ids["ООО «Клиент 7»"]


def test_a_label_that_is_a_master_id_resolves_to_that_entity() -> None:
    res = reconcile_clients(
        [("plan.xlsx", "c0002"), ("plan.xlsx", "c0009")], master=["ООО Лютик", "АО Ромашка"]
    )
    assert rows(res) == [
        ["c0002", "АО Ромашка", "c0002", "exact", "matched"],
        ["c0009", "c0009", "c0003", "exact", "new"],
    ]
    people = reconcile_managers([("plan.xlsx", "m01")], master=["Яковлев Ян"])
    assert rows(people) == [["m01", "Яковлев Ян", "m01", "exact", "matched"]]
