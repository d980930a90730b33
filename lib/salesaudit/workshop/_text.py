"""User-facing labels of the workshop dashboard, Russian first, English with ``lang="en"``."""

from __future__ import annotations

LANGS = ("ru", "en")

_LABELS: dict[str, dict[str, str]] = {
    "title": {"ru": "Аудит отдела продаж — рабочая сессия", "en": "Sales audit — workshop"},
    "tab_interview": {"ru": "Интервью", "en": "Interview"},
    "tab_forecast": {"ru": "Прогноз «что если»", "en": "Forecast what-if"},
    "tab_planfact": {"ru": "План / факт", "en": "Plan / actual"},
    "tab_refusals": {"ru": "Отказы", "en": "Refusals"},
    "tab_credibility": {"ru": "Достоверность", "en": "Credibility"},
    "team": {"ru": "Весь отдел", "en": "Whole team"},
    "manager": {"ru": "Менеджер", "en": "Manager"},
    "period": {"ru": "Период", "en": "Period"},
    "all_periods": {"ru": "Все периоды", "en": "All periods"},
    # interview
    "overall_index": {"ru": "Общий индекс", "en": "Overall index"},
    "area_scores": {"ru": "Оценка семи ключевых проблем", "en": "Scores of the seven key problems"},
    "answered": {"ru": "отвечено", "en": "answered"},
    "saved_to": {"ru": "Ответы сохранены", "en": "Answers saved"},
    "save_failed": {"ru": "Не удалось сохранить ответы", "en": "Could not save the answers"},
    "not_saved": {"ru": "Ответы не сохраняются (нет папки клиента)", "en": "Answers are not saved"},
    "no_score": {"ru": "нет данных", "en": "no data"},
    "not_assessed": {"ru": "не оценено", "en": "not assessed"},
    "legend_good": {"ru": "70–100 — в порядке", "en": "70–100 — fine"},
    "legend_warn": {"ru": "40–69 — есть проблемы", "en": "40–69 — problems"},
    "legend_bad": {"ru": "0–39 — критично", "en": "0–39 — critical"},
    "legend_na": {"ru": "не оценено — мало данных", "en": "not assessed — too little evidence"},
    "no_checklist": {"ru": "Чек-лист не загружен", "en": "No checklist loaded"},
    # forecast
    "meetings_per_day": {"ru": "Встреч в день", "en": "Meetings per day"},
    "conversion": {"ru": "Конверсия встречи в сделку, %", "en": "Meeting-to-deal conversion, %"},
    "avg_deal": {"ru": "Средняя сделка, ₽", "en": "Average deal, RUB"},
    "headcount": {"ru": "Менеджеров", "en": "Headcount"},
    "working_days": {"ru": "Рабочих дней в месяце", "en": "Working days a month"},
    "forecast": {"ru": "Прогноз на месяц", "en": "Monthly forecast"},
    "plan": {"ru": "План на месяц", "en": "Monthly plan"},
    "gap": {"ru": "Разрыв с планом", "en": "Gap to plan"},
    "no_plan": {"ru": "плана нет", "en": "no plan"},
    "reset": {"ru": "Фактические значения", "en": "Actual figures"},
    "forecast_formula": {
        "ru": "Прогноз = встречи в день × рабочие дни × конверсия × средняя сделка × менеджеры",
        "en": "Forecast = meetings a day × working days × conversion × average deal × headcount",
    },
    "plan_month": {"ru": "Месяц плана", "en": "Plan month"},
    # plan / fact
    "metric": {"ru": "Показатель", "en": "Metric"},
    "plan_col": {"ru": "План", "en": "Plan"},
    "fact_col": {"ru": "Факт", "en": "Actual"},
    "deviation": {"ru": "Отклонение", "en": "Deviation"},
    "fulfilment": {"ru": "Выполнение, %", "en": "Fulfilment, %"},
    "run_rate": {"ru": "Нужно в день до конца периода", "en": "Required per day to period end"},
    "days_left": {"ru": "Рабочих дней осталось", "en": "Working days left"},
    "deviation_chart": {"ru": "Отклонение от плана, %", "en": "Deviation from plan, %"},
    "no_rows": {"ru": "Нет строк для выбранных фильтров", "en": "No rows for these filters"},
    "below_plan": {"ru": "ниже плана", "en": "below plan"},
    "above_plan": {"ru": "выше плана", "en": "above plan"},
    "deviation_scale": {
        "ru": "шкала от −100 % до +100 % плана; черта — план",
        "en": "scale from −100 % to +100 % of plan; the line is the plan",
    },
    # refusals
    "reason": {"ru": "Причина отказа", "en": "Refusal reason"},
    "share_manager": {"ru": "Доля у менеджера", "en": "Manager's share"},
    "share_team": {"ru": "Доля в отделе", "en": "Team share"},
    "advice": {"ru": "Над чем работать", "en": "Coaching advice"},
    "refusals_count": {"ru": "Отказов", "en": "Refusals"},
    # credibility
    "suspects": {"ru": "Под подозрением", "en": "Under suspicion"},
    "reasons": {"ru": "Причины", "en": "Reasons"},
    "sample": {"ru": "Выборка для обзвона", "en": "Verification sample"},
    "suspicion_score": {"ru": "Балл подозрения", "en": "Suspicion score"},
    "level": {"ru": "Уровень", "en": "Level"},
    "meetings": {"ru": "Встреч", "en": "Meetings"},
    "date": {"ru": "Дата", "en": "Date"},
    "client": {"ru": "Клиент", "en": "Client"},
    "contact": {"ru": "Контакт", "en": "Contact"},
    "phone": {"ru": "Телефон", "en": "Phone"},
    "comment": {"ru": "Комментарий", "en": "Comment"},
    "no_suspects": {"ru": "Подозрительных менеджеров нет", "en": "No manager under suspicion"},
    "insufficient": {"ru": "Недостаточно данных", "en": "Not enough data"},
    "score_scale": {
        "ru": "Балл подозрения от 0 до 100: высокий — от {high}, средний — от {medium}",
        "en": "Suspicion score 0 to 100: high from {high}, medium from {medium}",
    },
    "level_high": {"ru": "высокий", "en": "high"},
    "level_medium": {"ru": "средний", "en": "medium"},
    "role_head_of_sales": {"ru": "руководитель отдела", "en": "head of sales"},
    "role_owner": {"ru": "собственник", "en": "owner"},
    "no_data_for": {"ru": "Нет данных по этому сотруднику", "en": "No data for this person"},
}

#: answer options of the interview, in the order they are shown
ANSWER_LABELS: dict[str, dict[str, str]] = {
    "yes": {"ru": "Да", "en": "Yes"},
    "partly": {"ru": "Частично", "en": "Partly"},
    "no": {"ru": "Нет", "en": "No"},
    "unknown": {"ru": "Не знаю", "en": "Don't know"},
}

LEVEL_LABELS: dict[str, dict[str, str]] = {
    "high": {"ru": "высокий", "en": "high"},
    "medium": {"ru": "средний", "en": "medium"},
    "low": {"ru": "низкий", "en": "low"},
}

METRIC_LABELS: dict[str, dict[str, str]] = {
    "revenue": {"ru": "Выручка, ₽", "en": "Revenue, RUB"},
    "units": {"ru": "Штуки", "en": "Units"},
    "meetings": {"ru": "Встречи", "en": "Meetings"},
    "calls": {"ru": "Звонки", "en": "Calls"},
    "emails": {"ru": "Письма", "en": "Emails"},
    "proposals": {"ru": "КП", "en": "Proposals"},
    "demos": {"ru": "Демонстрации", "en": "Demos"},
    "active_clients": {"ru": "Активные клиенты", "en": "Active clients"},
    "new_clients": {"ru": "Новые клиенты", "en": "New clients"},
    "equipment": {"ru": "Оборудование", "en": "Equipment"},
    "pos_materials": {"ru": "POS-материалы", "en": "POS materials"},
    "marketing_participants": {"ru": "Участники акций", "en": "Promotion participants"},
}


#: the canonical tables as a consultant names the exports behind them
TABLE_LABELS: dict[str, dict[str, str]] = {
    "deals": {"ru": "сделки из CRM", "en": "CRM deals"},
    "activities": {"ru": "дела из CRM (звонки, встречи)", "en": "CRM activities"},
    "sales": {"ru": "продажи из 1С", "en": "1C sales"},
    "plans": {"ru": "планы продаж", "en": "sales plans"},
    "managers": {"ru": "список сотрудников", "en": "staff list"},
    "clients": {"ru": "список клиентов", "en": "client list"},
    "trainings": {"ru": "тренинги", "en": "trainings"},
    "leads": {"ru": "лиды", "en": "leads"},
}

#: why an analysis had nothing to show, in words (the analyses' own messages are English)
_WHY: tuple[tuple[str, dict[str, str]], ...] = (
    ("no done meetings", {"ru": "в CRM нет проведённых встреч за период"}),
    ("no done activities", {"ru": "в CRM нет выполненных дел за период"}),
    ("no plan rows", {"ru": "в плане нет строк по этому показателю"}),
    ("no refused", {"ru": "нет отказов: ни отказов в делах, ни проигранных сделок"}),
    ("no deals created", {"ru": "нет сделок, созданных до даты аудита"}),
    ("no revenue", {"ru": "нет выручки за период"}),
)


def why_text(message: str | None, lang: str) -> str:
    """An analysis's reason for having no result, in ``lang`` (its message is English):
    ``needs table(s): deals, activities`` -> «нужны выгрузки: сделки из CRM, дела из CRM …»."""
    text = (message or "").strip()
    if lang == "en":
        return text
    if text.startswith("needs table(s):"):
        parts = []
        for name in text.split(":", 1)[1].split(","):
            options = [o.strip() for o in name.split(" or ")]
            parts.append(" или ".join(pick(TABLE_LABELS.get(o), "ru") or o for o in options))
        return "нужны выгрузки: " + ", ".join(p for p in parts if p)
    for needle, words in _WHY:
        if needle in text:
            return words["ru"]
    return "в выгрузках нет данных для этого раздела"


def check_lang(lang: str) -> str:
    """``lang`` if supported, else :class:`ValueError` naming the supported ones."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def t(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (the key itself when unknown, so nothing is ever blank);
    money labels name the audit's currency (``report.i18n.set_currency``)."""
    entry = _LABELS.get(key)
    if not entry:
        return key
    text = entry.get(lang, entry["ru"])
    return _in_currency(text, lang) if key == "avg_deal" else text


def _in_currency(text: str, lang: str) -> str:
    """A money label («…, ₽» / «…, RUB») in the audit's currency."""
    from salesaudit.report.i18n import currency_sign

    return text.replace("₽" if lang == "ru" else "RUB", currency_sign(lang))


def pick(labels: dict[str, str] | str | None, lang: str) -> str:
    """A ``{"ru": .., "en": ..}`` text in ``lang`` (falls back to Russian, then any)."""
    if labels is None:
        return ""
    if isinstance(labels, str):
        return labels
    return labels.get(lang) or labels.get("ru") or next(iter(labels.values()), "")


def label_of(table: dict[str, dict[str, str]], code: str | None, lang: str) -> str:
    """Label of ``code`` from one of the tables above; unknown codes are shown verbatim."""
    if code is None:
        return "—"
    entry = table.get(str(code))
    if not entry:
        return str(code)
    text = pick(entry, lang)
    return _in_currency(text, lang) if table is METRIC_LABELS and code == "revenue" else text
