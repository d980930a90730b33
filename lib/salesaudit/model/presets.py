"""Presets: how the exports of common systems (amoCRM/Kommo, Bitrix24, 1C, our intake templates) map
onto the canonical tables, and how to recognise such an export from its headers.

A :class:`Preset` says which canonical table a sheet feeds, which source header (any of several
spellings, Russian or English) feeds which *source field*, how the system's labels translate into
our codes, and how its dates are written. Source fields are the canonical columns of the table
plus ``manager_name`` / ``client_name`` (people and companies as the source names them; they are
turned into ``manager_id`` / ``client_id`` by :mod:`salesaudit.model.reconcile`).

Detection (:func:`detect_preset`) compares the sheet's headers with every preset
(case-, space- and ``ё``-insensitive), scores each by the share of the sheet's headers it
recognises, and returns the best one only when it is clearly the best and its marker columns
are present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from salesaudit.io.raw import RawSheet
from salesaudit.model.schemas import COLUMNS

# --- text normalisation shared by presets, mapping and build --------------------------------

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\s:;,.*\-–—]+|[\s:;,.*\-–—]+$")
_DUP_SUFFIX = re.compile(r"\.(\d+)$")


def normalize_label(value: object) -> str:
    """Fold a header or a label for comparison: lower case, ``ё``->``е``, single spaces, no edge
    punctuation (``'  Этап  сделки: '`` -> ``'этап сделки'``)."""
    text = str(value).replace("\xa0", " ").casefold().replace("ё", "е")
    text = _SPACE.sub(" ", text)
    return _EDGE_PUNCT.sub("", text)


def base_header(header: str) -> str:
    """The header without the ``.2``/``.3`` suffix readers add to repeated names."""
    return _DUP_SUFFIX.sub("", str(header))


#: extra source fields every table may use besides its canonical columns
NAME_FIELDS = {
    "managers": (),
    "clients": ("manager_name",),
    "activities": ("manager_name", "client_name"),
    "deals": ("manager_name", "client_name"),
    "sales": ("manager_name", "client_name"),
    "plans": ("manager_name", "client_name"),
    "trainings": ("manager_name",),
    "leads": ("manager_name", "client_name"),
}


def source_fields(table: str) -> tuple[str, ...]:
    """Field names a column of a source sheet may be mapped to for ``table``."""
    return tuple(COLUMNS[table]) + NAME_FIELDS[table]


# --- label maps -------------------------------------------------------------------------------

REFUSAL_LABELS: dict[str, str] = {
    "Нет бюджета": "no_budget",
    "Нет денег": "no_budget",
    "No budget": "no_budget",
    "Не интересно": "not_interested",
    "Не интересует": "not_interested",
    "Not interested": "not_interested",
    "Дорого": "too_expensive",
    "Высокая цена": "too_expensive",
    "Too expensive": "too_expensive",
    "Выбрали конкурента": "competitor",
    "Ушли к конкуренту": "competitor",
    "Competitor": "competitor",
    "Нет потребности": "no_need",
    "No need": "no_need",
    "Не сейчас": "timing",
    "Позже": "timing",
    "Not now": "timing",
    "Нет ЛПР": "no_decision_maker",
    "Не отвечает": "no_response",
    "No response": "no_response",
    "Другое": "other",
    "Other": "other",
}

ROLE_LABELS: dict[str, str] = {
    "Менеджер по продажам": "manager",
    "Менеджер": "manager",
    "Менеджер отдела продаж": "manager",
    "Торговый представитель": "manager",
    "Sales manager": "manager",
    "РОП": "head_of_sales",
    "Руководитель отдела продаж": "head_of_sales",
    "Head of sales": "head_of_sales",
    "Собственник": "owner",
    "Генеральный директор": "owner",
    "Директор": "owner",
    "Owner": "owner",
    "CEO": "owner",
}

PAY_LABELS: dict[str, str] = {
    "Оклад": "fixed",
    "Оклад + %": "mixed",
    "Оклад+%": "mixed",
    "Оклад + процент": "mixed",
    "% от продаж": "variable",
    "Процент": "variable",
    "Процент от продаж": "variable",
    # «Тип оплаты» as HR lists write it
    "Оклад + % от продаж": "mixed",
    "Оклад + процент от продаж": "mixed",
    "Оклад + премия": "mixed",
    "Оклад + бонус": "mixed",
    "Оклад + KPI": "mixed",
    "Фиксированный оклад": "fixed",
    "Фикс": "fixed",
    "Только оклад": "fixed",
    "Процент с продаж": "variable",
    "Только процент": "variable",
    "Сдельная": "variable",
    "Сдельная оплата": "variable",
}

AMO_STAGES: dict[str, str] = {
    "Успешно реализовано": "won",
    "Закрыто и не реализовано": "lost",
    "Неразобранное": "open",
    "Первичный контакт": "open",
    "Переговоры": "open",
    "Принимают решение": "open",
    "Согласование договора": "open",
    "Closed - won": "won",
    "Closed - lost": "lost",
    "Successfully realized": "won",
    "Closed and not realized": "lost",
    "Incoming leads": "open",
    "Initial contact": "open",
    "Negotiation": "open",
    "Decision making": "open",
}

BITRIX_STAGES: dict[str, str] = {
    "Сделка успешна": "won",
    "Сделка провалена": "lost",
    "Анализ причины провала": "lost",
    "Новая": "open",
    "Подготовка документов": "open",
    "Счёт на предоплату": "open",
    "В работе": "open",
    "Финальный счёт": "open",
}

ACTIVITY_TYPE_LABELS: dict[str, str] = {
    "Звонок": "call",
    "Входящий звонок": "call",
    "Исходящий звонок": "call",
    "Входящий": "call",
    "Исходящий": "call",
    "Обратный звонок": "call",
    "Встреча": "meeting",
    "Письмо": "email",
    "E-mail": "email",
    "Email": "email",
    "Задача": "task",
    "Коммерческое предложение": "proposal",
    "КП": "proposal",
    "Демонстрация": "demo",
    "Презентация": "demo",
}

ACTIVITY_STATUS_LABELS: dict[str, str] = {
    "Выполнено": "done",
    "Выполнена": "done",
    "Завершено": "done",
    "Завершена": "done",
    "Запланировано": "planned",
    "Запланирована": "planned",
    "В работе": "planned",
    "Просрочено": "overdue",
    "Просрочена": "overdue",
    # Bitrix24 «Дела»
    "Не выполнено": "planned",
    "Не выполнена": "planned",
    "Не завершено": "planned",
    "Ожидает выполнения": "planned",
}

ACTIVITY_RESULT_LABELS: dict[str, str] = {
    "Договорились": "agreed",
    "Согласие": "agreed",
    "Отказ": "refused",
    "Перенос": "rescheduled",
    "Уточнение": "clarify",
    "Не дозвонился": "no_answer",
    "Нет ответа": "no_answer",
}

#: free-text results (Bitrix24 «Результат» / «Описание»): patterns tried in this order after the
#: exact labels; a text no pattern finds is kept (in ``comment``) and reported as unknown
ACTIVITY_RESULT_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "/не ?дозвон|недозвон|не бер[её]т|не отвеча|абонент недоступен|сбросил|автоответчик/",
        "no_answer",
    ),
    ("/отказ|не интерес|не нужн/", "refused"),
    ("/перезвон|перенес|перенос|позже/", "rescheduled"),
    ("/договорил|согласовал|согласил|назначил|подтвердил/", "agreed"),
    ("/уточн/", "clarify"),
)

#: Bitrix24's «Группа стадий» (the stage's semantics, whatever the stage is called)
BITRIX_STAGE_GROUPS: dict[str, str] = {
    "В работе": "open",
    "Успешные": "won",
    "Успешная": "won",
    "Успех": "won",
    "Провал": "lost",
    "Провальные": "lost",
    "Проигранные": "lost",
}

#: amoCRM / Kommo deal-export columns that are not read (contact and company cards, notes,
#: analytics tags); compared with the folded header (see :func:`normalize_label`)
AMO_IGNORE: tuple[str, ...] = (
    r"кем (создана|создан|изменена|редактирована)",
    r"дата (редактирования|изменения)",
    r"примечание( [0-9]+)?",
    r"полное имя контакта|имя контакта|фамилия контакта|(имя|фамилия|отчество)",
    r"компания контакта|ответственный за (контакт|компанию)",
    r"(рабочий|рабочий прямой|мобильный|домашний|другой) телефон|факс|телефон",
    r"(рабочий|личный|другой) (email|e-mail)|email|e-mail",
    r"должность( \(контакт\))?|web|сайт|адрес",
    r"(ближайшая|следующая) задача",
    r"источник|источник сделки",
    r"utm_[a-z_]+|referr?er|roistat[a-z_]*|_ym_[a-z_]+|gclid|gclientid|yclid|fbclid|from",
    r"openstat_[a-z_]+",
)

#: Bitrix24 deal-export columns that are not read
BITRIX_DEAL_IGNORE: tuple[str, ...] = (
    r"(компания|контакт|контакты): .+",
    r"кем (создана|изменена)|дата начала|доступна для всех|повторная сделка|тип|комментарий",
    r"вероятность.*|дополнительно об источнике|наблюдатели|повторное обращение",
    r"цена|количество|ед\. изм.*|единица измерения|ставка ндс|ндс включен в цену|скидка.*",
    r"utm_[a-z_]+",
)

#: Bitrix24 «Дела» export columns that are not read
BITRIX_ACTIVITY_IGNORE: tuple[str, ...] = (
    r"окончание|направление|приоритет|длительность.*|кем создано|автор|напоминание",
    r"(сделка|компания|контакт|лид): .+",
)

#: lead statuses of Bitrix24 «Лиды» and amoCRM «Неразобранное» -> open / converted / lost
LEAD_STATUS_LABELS: dict[str, str] = {
    "Не обработан": "open",
    "Новый": "open",
    "Новая заявка": "open",
    "В работе": "open",
    "Обработан": "open",
    "Ожидает обработки": "open",
    "Неразобранное": "open",
    "New": "open",
    "In progress": "open",
    "Processed": "open",
    "Качественный лид": "converted",
    "Сконвертирован": "converted",
    "Конвертирован": "converted",
    "Сконвертирован в сделку": "converted",
    "Принято": "converted",
    "Принят": "converted",
    "Converted": "converted",
    "Good lead": "converted",
    "Некачественный лид": "lost",
    "Некачественный": "lost",
    "Спам": "lost",
    "Дубль": "lost",
    "Отказ": "lost",
    "Отклонено": "lost",
    "Отклонён": "lost",
    "Junk": "lost",
    "Junk lead": "lost",
    "Spam": "lost",
    "Duplicate": "lost",
}

#: where an unknown label of a closed field is replaced by a safe value (and reported);
#: other closed fields keep the label, so that the row is rejected and reported.
LABEL_FALLBACKS: dict[tuple[str, str], str] = {
    ("deals", "outcome"): "open",
    ("activities", "result"): "none",
    ("managers", "role"): "other",
    ("managers", "pay"): "unknown",
    ("leads", "status"): "open",
}

#: source columns whose labels are translated but kept verbatim when unknown (free text)
FREE_LABEL_FIELDS: dict[str, tuple[str, ...]] = {
    "activities": ("refusal_reason",),
    "deals": ("lost_reason",),
    "leads": ("lost_reason",),
}


@dataclass(frozen=True)
class Preset:
    """How one kind of export maps onto a canonical table.

    - ``columns``: source field -> header spellings (compared with :func:`normalize_label`);
    - ``labels``: source field -> {label -> code}; for deals, ``labels['stage']`` gives the
      outcome of each stage;
    - ``markers``: fields that must all be present for the preset to be detected;
    - ``date_format``: strftime format of dates in this export, ``None`` = let the parser decide;
    - ``defaults``: value for a field whose column is absent (documented in docs/data-model.md);
    - ``decimal`` / ``dayfirst``: how numbers and dates are written (English CRMs differ).

    Private source fields (``_name``) are recognised (they count for detection) but not read,
    except those :mod:`salesaudit.model.build` interprets: ``_currency``, ``_subject``,
    ``_close_date`` (HubSpot's / Salesforce's «Close Date»: the close date of a won or lost
    deal, the expected close date of an open one; Bitrix24's «Предполагаемая дата закрытия»
    too), ``_document`` (a 1C document such as «Реализация товаров и услуг УТ-00012 от
    12.03.2025 10:15:00», which dates the line), ``_closed_flag`` (Bitrix24's «Сделка закрыта»
    Да/Нет, checked against the outcome) and ``_modified`` (Bitrix24's «Дата изменения», the
    close date of a closed deal that has no other).
    """

    name: str
    title: str
    table: str
    columns: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    markers: tuple[str, ...] = ()
    date_format: str | None = None
    defaults: Mapping[str, str] = field(default_factory=dict)
    #: ``"."`` for English exports (``12,500.00``; a comma only groups thousands), ``None``:
    #: the Russian rules of :func:`salesaudit.model.parse.parse_number`
    decimal: str | None = None
    #: ``False`` for US dates (Salesforce's ``3/12/2025`` is March 12)
    dayfirst: bool = True
    #: regular expressions (full match on the folded header) of columns that belong to this
    #: export but are not read (amoCRM's contact, UTM and note columns, Bitrix24's
    #: «Компания: …» columns): they count for detection and are never mistaken for a read field
    ignore: tuple[str, ...] = ()
    #: field -> ((``/regex/``, code), ...): label patterns for free text (Bitrix24's «Результат»),
    #: tried after the exact labels and after the mapping's own patterns
    patterns: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def header_index(self) -> dict[str, str]:
        """Normalised header spelling -> source field."""
        index: dict[str, str] = {}
        for fld, spellings in self.columns.items():
            for spelling in spellings:
                index.setdefault(normalize_label(spelling), fld)
        return index

    def match_headers(self, headers: Iterable[str]) -> dict[str, str]:
        """Sheet header -> source field for every header this preset knows (repeated headers
        such as ``Товар``, ``Товар.2`` all map to the same field; a header with a group prefix,
        ``Продажи Сумма``, matches ``Сумма`` when the whole header is not known)."""
        index = self.header_index()
        ignore = [re.compile(p) for p in self.ignore]
        found = {}
        for header in headers:
            words = normalize_label(base_header(header)).split(" ")
            whole = index.get(" ".join(words))
            if whole is not None:
                found[header] = whole
                continue
            if any(p.fullmatch(" ".join(words)) for p in ignore):
                found[header] = IGNORED_FIELD
                continue
            # 1C two-row headers: a generic measure under a known name is that name's field
            # ('Себестоимость Сумма' is the cost, not the revenue 'Сумма')
            for start in range(len(words) - 1, 0, -1):
                if " ".join(words[start:]) in _GENERIC_MEASURES:
                    fld = index.get(" ".join(words[:start]))
                    if fld is not None:
                        found[header] = fld
                    break
            if header in found:
                continue
            # 1C two-row headers come prefixed ('Продажи Сумма'): try without leading words
            for start in range(1, len(words)):
                fld = index.get(" ".join(words[start:]))
                if fld is not None:
                    found[header] = fld
                    break
        return found


#: the source field of a column a preset knows but does not read (:attr:`Preset.ignore`)
IGNORED_FIELD = "_known"

#: the lower header of a 1C two-row header that only says "amount of the group above"
_GENERIC_MEASURES = frozenset(
    {"сумма", "сумма с ндс", "сумма без ндс", "сумма руб", "руб", "стоимость", "значение"}
)

_DEAL_REASONS = {"lost_reason": REFUSAL_LABELS}

# --- English CRMs (HubSpot, Pipedrive, Salesforce) ----------------------------------------------

#: loss reasons as English CRMs' users write them (besides the English ones in REFUSAL_LABELS)
EN_REFUSAL_LABELS: dict[str, str] = {
    "Budget": "no_budget",
    "No budget / lost funding": "no_budget",
    "Lost funding": "no_budget",
    "Price": "too_expensive",
    "Price too high": "too_expensive",
    "Pricing": "too_expensive",
    "Lost to competitor": "competitor",
    "Went with competitor": "competitor",
    "Chose a competitor": "competitor",
    "Chose competitor": "competitor",
    "No decision": "no_decision_maker",
    "No decision maker": "no_decision_maker",
    "Timing": "timing",
    "Bad timing": "timing",
    "No longer interested": "not_interested",
    "Not a fit": "no_need",
    "No need": "no_need",
    "Unresponsive": "no_response",
    "Went dark": "no_response",
    "No response": "no_response",
    "Other": "other",
}
_EN_REASONS = {"lost_reason": {**REFUSAL_LABELS, **EN_REFUSAL_LABELS}}

#: HubSpot's default pipeline stages (labels and the internal ids some exports carry)
HUBSPOT_STAGES: dict[str, str] = {
    "Appointment Scheduled": "open",
    "Qualified To Buy": "open",
    "Presentation Scheduled": "open",
    "Decision Maker Bought-In": "open",
    "Contract Sent": "open",
    "Closed Won": "won",
    "Closed Lost": "lost",
    "appointmentscheduled": "open",
    "qualifiedtobuy": "open",
    "presentationscheduled": "open",
    "decisionmakerboughtin": "open",
    "contractsent": "open",
    "closedwon": "won",
    "closedlost": "lost",
}

#: HubSpot's closed stages with the pipeline's name after them («Closed Won (Partners)»)
HUBSPOT_STAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("/^closed ?won\\b/i", "won"),
    ("/^closed ?lost\\b/i", "lost"),
)

#: Salesforce's standard opportunity stages
SALESFORCE_STAGES: dict[str, str] = {
    "Prospecting": "open",
    "Qualification": "open",
    "Needs Analysis": "open",
    "Value Proposition": "open",
    "Id. Decision Makers": "open",
    "Perception Analysis": "open",
    "Proposal/Price Quote": "open",
    "Negotiation/Review": "open",
    "Closed Won": "won",
    "Closed Lost": "lost",
}

#: Pipedrive's deal status (the outcome itself; «Deal - Stage» is the pipeline step)
PIPEDRIVE_STATUS: dict[str, str] = {"open": "open", "won": "won", "lost": "lost"}

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            name="amocrm_deals",
            title="amoCRM / Kommo: сделки",
            table="deals",
            columns={
                "deal_id": ("ID", "Id сделки", "ID сделки"),
                "amount": (
                    "Бюджет",
                    "Бюджет ₽",
                    "Бюджет, ₽",
                    "Бюджет, руб",
                    "Бюджет руб",
                    "Бюджет сделки",
                    "Sale",
                    "Budget",
                ),
                "manager_name": ("Ответственный", "Responsible user", "Responsible"),
                "created": ("Дата создания сделки", "Дата создания", "Created", "Date created"),
                "closed": ("Дата закрытия", "Closed", "Date closed", "Closed at"),
                "stage": ("Этап сделки", "Этап", "Stage", "Status", "Lead status"),
                "pipeline": ("Воронка", "Pipeline"),
                "client_name": ("Компания", "Название компании", "Company", "Company name"),
                "lost_reason": ("Причина отказа", "Loss reason", "Reason for loss"),
                "product": ("Товар", "Товары", "Продукт", "Product", "Products"),
                "_title": ("Название сделки", "Lead title", "Deal title", "Название"),
                "_tags": ("Теги", "Tags"),
                "_contact": ("Основной контакт", "Контакт", "Contact", "Main contact"),
            },
            labels={"stage": AMO_STAGES, **_DEAL_REASONS},
            markers=("stage", "manager_name"),
            ignore=AMO_IGNORE,
        ),
        Preset(
            name="bitrix24_deals",
            title="Битрикс24: сделки",
            table="deals",
            columns={
                "deal_id": ("ID",),
                "_title": ("Название сделки", "Название"),
                "stage": ("Стадия сделки", "Стадия"),
                "outcome": ("Группа стадий", "Группа стадии"),
                "amount": ("Сумма", "Сумма сделки"),
                "_currency": ("Валюта",),
                "manager_name": ("Ответственный",),
                "client_name": (
                    "Компания",
                    "Клиент",
                    "Компания: Название",
                    "Компания: Название компании",
                ),
                "created": ("Дата создания",),
                # no «Дата закрытия» in Bitrix24: the expected date is set to the closing day
                "_close_date": ("Предполагаемая дата закрытия",),
                "closed": ("Дата закрытия",),
                "_closed_flag": ("Сделка закрыта", "Закрыта"),
                "_modified": ("Дата изменения",),
                "lost_reason": (
                    "Причина отказа",
                    "Причина отказа (пользовательское поле)",
                    "Причина проигрыша",
                    "Причина провала",
                ),
                "pipeline": ("Направление", "Воронка"),
                "product": ("Товар", "Товары"),
                "_contact": ("Контакт",),
                "_source": ("Источник",),
            },
            labels={"stage": BITRIX_STAGES, "outcome": BITRIX_STAGE_GROUPS, **_DEAL_REASONS},
            markers=("stage", "manager_name"),
            ignore=BITRIX_DEAL_IGNORE,
        ),
        Preset(
            name="bitrix24_activities",
            title="Битрикс24: дела / звонки",
            table="activities",
            columns={
                "activity_id": ("ID", "№"),
                "type": ("Тип", "Тип дела", "Тип активности", "Тип звонка"),
                "_subject": ("Тема", "Название"),
                "manager_name": ("Ответственный", "Сотрудник"),
                "client_name": ("Компания", "Клиент", "Контрагент"),
                "occurred_at": (
                    "Начало",
                    "Дата начала",
                    "Срок",
                    "Дата",
                    "Дата звонка",
                    "Дата встречи",
                ),
                "logged_at": ("Дата создания", "Создано"),
                "status": ("Статус",),
                "result": ("Результат",),
                "refusal_reason": ("Причина отказа",),
                "comment": ("Комментарий", "Описание"),
                "deal_id": ("Сделка", "ID сделки"),
            },
            labels={
                "type": ACTIVITY_TYPE_LABELS,
                "status": ACTIVITY_STATUS_LABELS,
                "result": ACTIVITY_RESULT_LABELS,
                "refusal_reason": REFUSAL_LABELS,
            },
            markers=("type", "manager_name"),
            defaults={"status": "done", "result": "none"},
            ignore=BITRIX_ACTIVITY_IGNORE,
            patterns={"result": ACTIVITY_RESULT_PATTERNS},
        ),
        Preset(
            name="1c_sales",
            title="1С: продажи / валовая прибыль",
            table="sales",
            columns={
                "sale_id": ("Документ", "Регистратор", "Номер документа"),
                "date": ("Период", "Дата", "Дата документа", "День"),
                "client_name": ("Контрагент", "Покупатель", "Клиент"),
                "product": ("Номенклатура", "Товар"),
                "brand": ("Бренд", "Номенклатура.Бренд", "Марка", "Производитель"),
                "manager_name": (
                    "Менеджер",
                    "Ответственный",
                    "Основной менеджер",
                    "Основной менеджер покупателя",
                    "Менеджер контрагента",
                ),
                "route": ("Маршрут",),
                "quantity": ("Количество", "Кол-во", "Количество (в ед. хранения)"),
                "amount": ("Сумма", "Выручка", "Сумма продажи", "Стоимость", "Сумма с НДС"),
                "cost": ("Себестоимость",),
                "gross_profit": ("Валовая прибыль",),
            },
            markers=("client_name", "amount"),
        ),
        Preset(
            name="1c_gross_profit",
            title="1С: отчёт «Валовая прибыль»",
            table="sales",
            columns={
                "manager_name": (
                    "Менеджер",
                    "Менеджер продажи",
                    "Основной менеджер",
                    "Основной менеджер покупателя",
                    "Менеджер контрагента",
                    "Ответственный",
                ),
                "client_name": ("Контрагент", "Клиент", "Покупатель", "Партнер", "Партнёр"),
                "product": ("Номенклатура", "Товар", "Номенклатура, характеристика"),
                "brand": ("Бренд", "Марка", "Производитель"),
                "_document": (
                    "Документ продажи",
                    "Документ",
                    "Регистратор",
                    "Документ реализации",
                    "Заказ клиента",
                ),
                "date": ("Период", "Дата", "День", "Дата документа"),
                "quantity": ("Продажи Количество", "Количество", "Кол-во"),
                "amount": (
                    "Продажи Выручка",
                    "Выручка",
                    "Продажи Сумма",
                    "Выручка без НДС",
                    "Продажи Выручка без НДС",
                    "Сумма выручки",
                    "Выручка Сумма",
                ),
                "cost": (
                    "Себестоимость Сумма",
                    "Себестоимость",
                    "Себестоимость без НДС",
                    "Продажи Себестоимость",
                ),
                "gross_profit": (
                    "Валовая прибыль Сумма",
                    "Валовая прибыль",
                    "Валовая прибыль без НДС",
                    "Продажи Валовая прибыль",
                ),
                "_margin_pct": (
                    "Валовая прибыль %",
                    "Рентабельность, %",
                    "Рентабельность",
                    "Рентабельность %",
                    "Наценка, %",
                    "Наценка %",
                    "Процент",
                    "% валовой прибыли",
                    "Валовая прибыль Рентабельность, %",
                    "Валовая прибыль Рентабельность",
                ),
            },
            markers=("amount", "cost", "gross_profit"),
        ),
        Preset(
            name="hubspot_deals",
            title="HubSpot: deals",
            table="deals",
            columns={
                "deal_id": ("Record ID", "Deal ID"),
                "_title": ("Deal Name",),
                "stage": ("Deal Stage",),
                "pipeline": ("Pipeline",),
                "amount": ("Amount",),
                "_currency": ("Currency", "Deal currency code"),
                "_close_date": ("Close Date",),
                "created": ("Create Date", "Created Date"),
                "manager_name": ("Deal owner", "HubSpot Owner", "Owner"),
                "client_name": (
                    "Associated Company",
                    "Associated Company (Primary)",
                    "Associated Company Name",
                    "Company name",
                ),
                "lost_reason": ("Closed Lost Reason",),
                "_won_reason": ("Closed Won Reason",),
                "_deal_type": ("Deal Type",),
                "_contact": ("Associated Contact",),
                "_last_activity": ("Last Activity Date", "Last Contacted"),
                "_modified": ("Last Modified Date",),
                "_probability": ("Deal probability",),
                "_forecast": ("Forecast amount", "Amount in company currency"),
                "_next_step": ("Next step",),
                "_priority": ("Priority",),
                "_description": ("Deal Description",),
            },
            labels={"stage": HUBSPOT_STAGES, **_EN_REASONS},
            # a portal with several pipelines labels stages «Closed Won (Sales Pipeline)»; other
            # suffixed stages stay unknown labels (reported, counted as open)
            patterns={"stage": HUBSPOT_STAGE_PATTERNS},
            markers=("stage", "manager_name", "created"),
            decimal=".",
        ),
        Preset(
            name="pipedrive_deals",
            title="Pipedrive: deals",
            table="deals",
            columns={
                "deal_id": ("Deal - ID",),
                "_title": ("Deal - Title",),
                "amount": ("Deal - Value",),
                "_currency": ("Deal - Currency",),
                "outcome": ("Deal - Status",),
                "stage": ("Deal - Stage",),
                "pipeline": ("Deal - Pipeline",),
                "manager_name": ("Deal - Owner",),
                "client_name": ("Deal - Organization",),
                "created": ("Deal - Deal created",),
                "closed": ("Deal - Won time", "Deal - Lost time", "Deal - Deal closed on"),
                "expected_close": ("Deal - Expected close date",),
                "lost_reason": ("Deal - Lost reason",),
                "_contact": ("Deal - Contact person",),
                "_creator": ("Deal - Creator",),
                "_updated": ("Deal - Update time",),
                "_label": ("Deal - Label",),
                "_probability": ("Deal - Probability",),
                "_next_activity": ("Deal - Next activity date",),
                "_last_activity": ("Deal - Last activity date",),
                "_products": ("Deal - Product quantity", "Deal - Products count"),
            },
            labels={"outcome": PIPEDRIVE_STATUS, **_EN_REASONS},
            markers=("outcome", "manager_name", "created"),
            decimal=".",
        ),
        Preset(
            name="salesforce_opportunities",
            title="Salesforce: opportunities report",
            table="deals",
            columns={
                "deal_id": ("Opportunity ID", "Opportunity Id"),
                "_title": ("Opportunity Name",),
                "client_name": ("Account Name",),
                "amount": ("Amount",),
                "_currency": ("Amount Currency", "Opportunity Currency", "Currency"),
                "_close_date": ("Close Date",),
                "stage": ("Stage",),
                "manager_name": ("Opportunity Owner", "Owner Name", "Owner Full Name"),
                "created": ("Created Date",),
                "lost_reason": ("Loss Reason", "Closed Lost Reason", "Reason Lost"),
                "_probability": ("Probability (%)",),
                "_fiscal_period": ("Fiscal Period",),
                "_age": ("Age",),
                "_next_step": ("Next Step",),
                "_lead_source": ("Lead Source",),
                "_type": ("Type",),
                "_won_flag": ("Won",),
                "_closed_flag": ("Closed",),
                "_expected_revenue": ("Expected Revenue",),
            },
            labels={"stage": SALESFORCE_STAGES, **_EN_REASONS},
            markers=("stage", "manager_name", "_close_date"),
            decimal=".",
            dayfirst=False,
        ),
        Preset(
            name="template_managers",
            title="Шаблон: сотрудники отдела продаж",
            table="managers",
            columns={
                "manager_id": ("Код сотрудника", "Табельный номер"),
                "name": ("Сотрудник", "ФИО", "ФИО сотрудника", "Менеджер", "Employee", "Name"),
                "role": ("Должность", "Роль", "Role", "Position"),
                "pay": (
                    "Оплата",
                    "Тип оплаты",
                    "Вид оплаты",
                    "Система оплаты",
                    "Система оплаты труда",
                    "Система мотивации",
                    "Pay",
                ),
                "hired": ("Дата приема", "Дата приёма", "Принят", "Hired"),
                "left": ("Дата увольнения", "Уволен", "Left"),
                "phone": ("Телефон", "Phone"),
                "email": ("Email", "E-mail", "Эл. почта", "Почта"),
            },
            labels={"role": ROLE_LABELS, "pay": PAY_LABELS},
            markers=("name", "role"),
            defaults={"pay": "unknown"},
        ),
        Preset(
            name="template_clients",
            title="Шаблон: клиенты",
            table="clients",
            columns={
                "client_id": ("Код клиента", "ИНН"),
                "name": ("Клиент", "Название", "Наименование", "Компания"),
                "segment": ("Сегмент", "Категория", "Segment"),
                "region": ("Регион", "Город", "Region"),
                "manager_name": ("Ответственный", "Менеджер"),
                "created": ("Дата создания", "Дата добавления"),
                "contact_person": ("Контактное лицо", "Контакт"),
                "phone": ("Телефон",),
                "email": ("Email", "E-mail", "Эл. почта", "Почта"),
            },
            markers=("name",),
        ),
        Preset(
            name="template_trainings",
            title="Шаблон: обучение",
            table="trainings",
            columns={
                "training_id": ("ID", "№"),
                "manager_name": ("Сотрудник", "Менеджер", "ФИО"),
                "date": ("Дата", "Дата обучения"),
                "topic": ("Тема", "Тема обучения", "Тренинг"),
            },
            markers=("manager_name", "date", "topic"),
        ),
        Preset(
            name="crm_leads",
            title="Лиды: Битрикс24 «Лиды», amoCRM «Неразобранное»",
            table="leads",
            columns={
                "lead_id": ("ID", "ID лида", "Lead ID"),
                "_lead": ("Название лида", "Лид", "Lead name"),
                "status": ("Стадия", "Статус", "Статус лида", "Стадия лида", "Lead status"),
                "source": ("Источник", "Источник лида", "Source", "Lead source"),
                "manager_name": ("Ответственный", "Responsible"),
                "client_name": ("Компания", "Название компании", "Company"),
                "created_at": ("Дата создания", "Создан", "Created"),
                "converted_deal_id": (
                    "Сделка",
                    "ID сделки",
                    "Сконвертирован в сделку",
                    "Deal",
                    "Deal ID",
                ),
                "lost_reason": ("Причина отказа", "Причина провала", "Loss reason"),
                "_contact": ("Контакт", "Имя", "Фамилия", "Телефон", "Email", "E-mail"),
            },
            labels={"status": LEAD_STATUS_LABELS, "lost_reason": REFUSAL_LABELS},
            markers=("_lead", "created_at"),
        ),
    )
}

#: minimum share of the sheet's headers a preset must recognise to be detected
MIN_SCORE = 0.4


def preset_scores(sheet: RawSheet) -> list[tuple[str, float]]:
    """Every preset's score for ``sheet``: share of the sheet's non-empty headers it recognises
    (0 when a marker column is missing), best first."""
    headers = [h for h in sheet.frame.columns if normalize_label(base_header(h))]
    distinct = {normalize_label(base_header(h)) for h in headers}
    scores = []
    for preset in PRESETS.values():
        found = preset.match_headers(headers)
        fields = set(found.values())
        if not distinct or not all(m in fields for m in preset.markers):
            scores.append((preset.name, 0.0))
            continue
        matched = {normalize_label(base_header(h)) for h in found}
        scores.append((preset.name, len(matched) / len(distinct)))
    return sorted(scores, key=lambda s: (-s[1], s[0]))


def detect_preset(sheet: RawSheet) -> Preset | None:
    """The preset this sheet's headers identify, or ``None`` when no preset reaches
    :data:`MIN_SCORE` or two presets tie for the best score. A tie between presets of the same
    table goes to the one with the most marker columns, the most specific (1C «Валовая
    прибыль» over «Продажи» when both know every header); any other tie is ``None``."""
    scores = preset_scores(sheet)
    if not scores or scores[0][1] < MIN_SCORE:
        return None
    if len(scores) > 1 and scores[1][1] == scores[0][1]:
        tied = [PRESETS[name] for name, score in scores if score == scores[0][1]]
        most = max(len(p.markers) for p in tied)
        specific = [p for p in tied if len(p.markers) == most]
        if len({p.table for p in tied}) == 1 and len(specific) == 1:
            return specific[0]
        return None
    return PRESETS[scores[0][0]]
