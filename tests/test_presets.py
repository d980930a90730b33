"""Presets: every supported export is recognised from realistic headers; others are not."""

from __future__ import annotations

import pandas as pd
import pytest
from salesaudit.io.raw import RawSheet
from salesaudit.model.presets import (
    PRESETS,
    base_header,
    detect_preset,
    normalize_label,
    preset_scores,
)


def headers_sheet(headers: list[str], file: str = "raw/x.csv") -> RawSheet:
    frame = pd.DataFrame([[None] * len(headers)], columns=headers, dtype=object)
    return RawSheet(file=file, sheet=None, frame=frame, rows=[2])


AMO_RU = [
    "ID",
    "Название сделки",
    "Бюджет",
    "Ответственный",
    "Дата создания сделки",
    "Дата закрытия",
    "Этап сделки",
    "Воронка",
    "Компания",
    "Теги",
    "Причина отказа",
    "Товар",
    "Товар.2",
    "Основной контакт",
    "utm_source",
]
KOMMO_EN = [
    "ID",
    "Lead title",
    "Sale",
    "Responsible user",
    "Created",
    "Closed",
    "Stage",
    "Pipeline",
    "Company",
    "Tags",
    "Loss reason",
]
BITRIX_DEALS = [
    "ID",
    "Название сделки",
    "Стадия сделки",
    "Сумма",
    "Валюта",
    "Ответственный",
    "Компания",
    "Дата создания",
    "Предполагаемая дата закрытия",
    "Дата закрытия",
    "Причина проигрыша",
]
BITRIX_ACTIVITIES = [
    "ID",
    "Тип",
    "Тема",
    "Ответственный",
    "Компания",
    "Дата начала",
    "Дата создания",
    "Статус",
    "Результат",
    "Причина отказа",
    "Комментарий",
    "Сделка",
]
ONEC_SALES = [
    "Период",
    "Контрагент",
    "Номенклатура",
    "Номенклатура.Бренд",
    "Основной менеджер",
    "Маршрут",
    "Количество",
    "Сумма продажи",
]
MANAGERS = [
    "ФИО",
    "Должность",
    "Система оплаты",
    "Дата приема",
    "Дата увольнения",
    "Телефон",
    "Email",
]
CLIENTS = [
    "Клиент",
    "Сегмент",
    "Регион",
    "Ответственный",
    "Дата создания",
    "Контактное лицо",
    "Телефон",
    "Email",
]
TRAININGS = ["Сотрудник", "Дата", "Тема"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (AMO_RU, "amocrm_deals"),
        (KOMMO_EN, "amocrm_deals"),
        (["  этап  СДЕЛКИ ", "ответственный", "Бюджет:", "Дата создания"], "amocrm_deals"),
        (BITRIX_DEALS, "bitrix24_deals"),
        (BITRIX_ACTIVITIES, "bitrix24_activities"),
        (ONEC_SALES, "1c_sales"),
        (["Дата", "Контрагент", "Номенклатура", "Менеджер", "Количество", "Выручка"], "1c_sales"),
        (MANAGERS, "template_managers"),
        (["Сотрудник", "Роль", "Оплата"], "template_managers"),
        (CLIENTS, "template_clients"),
        (TRAININGS, "template_trainings"),
    ],
)
def test_each_preset_is_detected_from_its_headers(headers: list[str], expected: str) -> None:
    preset = detect_preset(headers_sheet(headers))
    assert preset is not None
    assert preset.name == expected
    assert preset.table == PRESETS[expected].table


def test_unknown_and_weak_headers_are_not_recognised() -> None:
    assert detect_preset(headers_sheet(["foo", "bar", "baz"])) is None
    # a marker column (the stage) is missing: not amoCRM even though ID and Бюджет match
    assert detect_preset(headers_sheet(["ID", "Бюджет", "Ответственный", "x1", "x2"])) is None
    # only one of six headers known: below the minimum share
    assert detect_preset(headers_sheet(["Клиент", "a", "b", "c", "d", "e"])) is None


def test_scores_are_shares_of_recognised_headers() -> None:
    scores = dict(preset_scores(headers_sheet(TRAININGS + ["Примечание"])))
    assert scores["template_trainings"] == pytest.approx(3 / 4)
    assert scores["amocrm_deals"] == 0.0


def test_repeated_headers_map_to_the_same_field() -> None:
    found = PRESETS["amocrm_deals"].match_headers(["Товар", "Товар.2", "Товар.3", "Прочее"])
    assert found == {"Товар": "product", "Товар.2": "product", "Товар.3": "product"}


def test_normalize_label_and_base_header() -> None:
    assert normalize_label("  Дата  приёма: ") == "дата приема"
    assert normalize_label("Оклад\xa0+ %") == "оклад + %"
    assert base_header("Товар.2") == "Товар"
    assert base_header("Товар") == "Товар"


def test_label_maps_cover_the_documented_labels() -> None:
    amo = PRESETS["amocrm_deals"].labels
    assert amo["stage"]["Успешно реализовано"] == "won"
    assert amo["stage"]["Закрыто и не реализовано"] == "lost"
    bitrix = PRESETS["bitrix24_deals"].labels["stage"]
    assert (bitrix["Сделка успешна"], bitrix["Сделка провалена"]) == ("won", "lost")
    assert bitrix["Анализ причины провала"] == "lost"
    act = PRESETS["bitrix24_activities"].labels
    assert act["type"]["Коммерческое предложение"] == "proposal"
    assert act["status"]["Просрочено"] == "overdue"
    assert act["result"]["Не дозвонился"] == "no_answer"
    reasons = act["refusal_reason"]
    assert {reasons[k] for k in ("Нет бюджета", "Нет денег")} == {"no_budget"}
    assert reasons["Ушли к конкуренту"] == "competitor"
    assert reasons["Нет ЛПР"] == "no_decision_maker"
    mgr = PRESETS["template_managers"].labels
    assert mgr["role"]["Генеральный директор"] == "owner"
    assert mgr["pay"]["Оклад + %"] == "mixed"
