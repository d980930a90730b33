"""Proposals for ``mapping.yaml``: what a column probably is, what a label probably means, and the
YAML text that says so.

Pure functions over sheets and values (no file access), used by ``salesaudit validate`` (the
per-file report and its ready-to-paste fixes, :func:`describe_sheet`, :func:`sheet_summary`)
and ``salesaudit map`` (a whole proposed ``mapping.yaml``, :func:`propose_sheet`).

How a guess is made:

- **table and columns**: a preset recognised from the headers
  (:func:`~salesaudit.model.presets.detect_preset`) decides when there is one; otherwise every
  table is tried: each header is compared with every header spelling the presets know (exact,
  then :mod:`difflib` similarity), then with keyword rules (``Сумма`` -> ``amount``,
  ``Менеджер`` -> ``manager_name``, ...); a cheap look at the values (dates? numbers?)
  confirms or rejects date and amount guesses. The table whose required fields are all found
  and that explains most headers wins.
- **labels**: a known spelling of any preset (exact or similar) gives its code; otherwise
  keyword rules per field (``Оплачено`` -> ``won``, ``Исходящий звонок`` -> ``call``,
  ``Дорого`` -> ``too_expensive``); otherwise the field's neutral code (``open``, ``none``,
  ``other``, ``unknown``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from salesaudit.io.raw import RawSheet
from salesaudit.model.parse import parse_dates, parse_numbers
from salesaudit.model.presets import (
    ACTIVITY_RESULT_LABELS,
    ACTIVITY_STATUS_LABELS,
    ACTIVITY_TYPE_LABELS,
    PAY_LABELS,
    PRESETS,
    REFUSAL_LABELS,
    ROLE_LABELS,
    base_header,
    detect_preset,
    normalize_label,
    source_fields,
)
from salesaudit.model.schemas import COLUMNS, REQUIRED, TABLES

# --- what a column looks like ------------------------------------------------------------------

#: column kinds that matter when a column is not read (header keyword -> kind)
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("reason", r"причин|reason|почему"),
    ("amount", r"сумм|бюджет|выручк|стоимост|amount|revenue|budget|deal value|\bprice\b|цена"),
    ("date", r"дата|date|срок|период|\bday\b|created|closed|\bдень\b"),
    ("manager", r"ответствен|менеджер|сотрудник|продавец|responsible|owner|manager|sales rep"),
    ("stage", r"этап|стади|stage|статус|status|phase"),
    ("client", r"клиент|компани|контрагент|покупател|организац|company|account|customer|client"),
)
_KIND_RE = [(k, re.compile(p)) for k, p in _KIND_WORDS]
#: headers that name something else about a manager / client / date (a comment, a type, a
#: contact, a birthday): not a column the audit misses
_NOT_A_KIND = re.compile(
    r"тип|вид\b|категори|комментар|примечан|описан|рожден|телефон|e-?mail|почт|адрес|\bинн\b|"
    r"\bкпп\b|город|должност|\bпол\b|сайт|web|telegram|whatsapp|skype|\bid\b|код|type|comment|"
    r"note|phone|address|birth"
)
#: how many non-empty cells the value look reads
SAMPLE = 200
_PHONE = re.compile(r"^\+?[\d\s()\-]{7,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: «Иванов Иван», «Иванов Иван Иванович», «Иванов И.И.», «Ivan Petrov»
_PERSON = re.compile(
    r"^[A-ZА-ЯЁ][a-zа-яё'\-]+(\s+[A-ZА-ЯЁ][a-zа-яё'\-]+){1,2}$"
    r"|^[A-ZА-ЯЁ][a-zа-яё\-]+\s+[A-ZА-ЯЁ]\.\s?([A-ZА-ЯЁ]\.)?$"
)
#: legal forms and quotes that mark a company name
_COMPANY = re.compile(r"\b(ООО|ОАО|ЗАО|ПАО|АО|ИП|LLC|Ltd|Inc|GmbH)\b|[«»\"]")


_CYRILLIC_PERSON = re.compile(
    r"^[А-ЯЁ][а-яё\-]+(\s+[А-ЯЁ][а-яё\-]+){1,2}$|^[А-ЯЁA-Z][а-яёa-z\-]+\s+[А-ЯЁA-Z]\."
)


def looks_like_name(text: str, *, latin: bool = True) -> bool:
    """True for a text shaped like a person («Иванов Иван», «Иванов И.И.») or a company
    («ООО «Ромашка»»). With ``latin=False`` capitalised Latin words («Close Date», a header of
    an English CRM) do not count as a person; initials do («Smith J.»)."""
    text = str(text).strip()
    person = _PERSON if latin else _CYRILLIC_PERSON
    return bool(person.match(text) or _COMPANY.search(text))


def _non_empty(values: pd.Series, n: int = SAMPLE) -> pd.Series:
    vals = values[values.notna()]
    vals = vals[vals.astype(str).str.strip() != ""]
    return vals.head(n)


def value_shape(values: pd.Series) -> str | None:
    """What most (>= 80 %) of the first non-empty cells are: ``'date'``, ``'number'``,
    ``'phone'``, ``'email'``; ``'name'`` when at least 30 % look like a person («Иванов Иван»,
    «Иванов И.И.») or a company («ООО …»); ``None`` (other text, or no values)."""
    vals = _non_empty(values)
    if vals.empty:
        return None
    n = len(vals)
    texts = vals.astype(str).str.strip()
    if texts.map(lambda t: bool(_EMAIL.match(t))).sum() >= 0.8 * n:
        return "email"
    # a number that could be a year or a serial day count stays a number, not a date
    dates, _ = parse_dates(vals.astype(object))
    text_dates = int(texts.str.contains(r"\d[./\-]\d", regex=True).sum())
    if int(dates.notna().sum()) >= 0.8 * n and text_dates >= 0.8 * n:
        return "date"
    phone_like = texts.map(
        lambda t: (
            bool(_PHONE.match(t))
            and sum(c.isdigit() for c in t) >= 7
            and t.count(" ") + t.count("-") + t.count("(") >= 2
        )
    )
    if phone_like.sum() >= 0.8 * n:
        return "phone"
    numbers, _ = parse_numbers(vals.astype(object))
    if int(numbers.notna().sum()) >= 0.8 * n:
        return "number"
    if texts.map(looks_like_name).sum() >= 0.3 * n:
        return "name"
    return None


def column_kind(header: str, values: pd.Series) -> tuple[str, str] | None:
    """``(kind, reason)`` when an unread column looks like something the audit needs: an
    ``amount``, a ``date``, a refusal ``reason``, a ``manager``, a ``stage`` or a ``client``.

    The header decides (keywords in Russian and English); the values confirm amounts and dates
    (a «Сумма» column without numbers is not an amount). ``None`` when it matters not."""
    head = normalize_label(base_header(header))
    shape = value_shape(values)
    if _NOT_A_KIND.search(head):
        return None
    for kind, rx in _KIND_RE:
        if not rx.search(head):
            continue
        if kind == "amount" and shape not in ("number", None):
            continue
        if kind == "date" and shape not in ("date", None):
            continue
        why = {"number": "numbers", "date": "dates"}.get(shape or "", "")
        return kind, ("header" + (f" and {why}" if why else ""))
    if shape == "date":
        return "date", "dates"
    return None


# --- column guesses ----------------------------------------------------------------------------

#: (regex on the normalised header, field per table); first hit wins, table-specific fields only
_FIELD_RULES: tuple[tuple[str, dict[str, str]], ...] = (
    (r"предполагаем|планируем|expected close|close date \(expected\)", {"deals": "expected_close"}),
    (r"причин|reason|почему", {"deals": "lost_reason", "activities": "refusal_reason"}),
    (r"тип оплат|систем\w* оплат|pay|компенсац|мотивац", {"managers": "pay"}),
    (
        r"сумм|бюджет|выручк|стоимост|amount|revenue|budget|deal value|\bprice\b|цена",
        {"deals": "amount", "sales": "amount", "plans": "value"},
    ),
    (r"количеств|кол-во|\bqty\b|quantity|штук", {"sales": "quantity"}),
    (
        r"дата создания|создан|created|create date|дата добавлен",
        {"deals": "created", "clients": "created", "activities": "logged_at"},
    ),
    (r"дата закрытия|закрыт|close date|closed", {"deals": "closed"}),
    (r"прием|приём|hired|start date", {"managers": "hired"}),
    (r"увольн|уволен|left|end date", {"managers": "left"}),
    (r"начал|дата звонка|дата встречи|срок|when|start", {"activities": "occurred_at"}),
    (
        r"дата|date|период|\bday\b|\bдень\b",
        {
            "sales": "date",
            "activities": "occurred_at",
            "deals": "created",
            "trainings": "date",
            "managers": "hired",
            "clients": "created",
        },
    ),
    (
        r"ответствен|менеджер|сотрудник|продавец|responsible|owner|manager|sales rep|фио|employee",
        {
            "deals": "manager_name",
            "activities": "manager_name",
            "sales": "manager_name",
            "clients": "manager_name",
            "trainings": "manager_name",
            "managers": "name",
        },
    ),
    (
        r"клиент|компани|контрагент|покупател|организац|company|account|customer|client|абонент",
        {
            "deals": "client_name",
            "activities": "client_name",
            "sales": "client_name",
            "clients": "name",
        },
    ),
    (r"этап|стади|stage|phase|статус сделки|deal status", {"deals": "stage"}),
    (r"статус|status|состояни", {"deals": "stage", "activities": "status"}),
    (r"результат|result|outcome|итог", {"activities": "result", "deals": "outcome"}),
    (r"тип|type|вид|направлени|канал", {"activities": "type"}),
    (r"воронк|pipeline|направлени", {"deals": "pipeline"}),
    (r"должност|роль|role|position|title", {"managers": "role"}),
    (r"номенклатур|товар|продукт|product|item|sku|услуг", {"deals": "product", "sales": "product"}),
    (r"бренд|марка|brand|производител", {"sales": "brand", "deals": "brand"}),
    (r"маршрут|route", {"sales": "route"}),
    (r"тема|topic|тренинг|курс|training", {"trainings": "topic"}),
    (r"сегмент|категори|segment", {"clients": "segment"}),
    (r"регион|город|region|city", {"clients": "region"}),
    (r"телефон|phone|тел\b", {"managers": "phone", "clients": "phone"}),
    (r"e-?mail|почт", {"managers": "email", "clients": "email"}),
    (r"контактн|contact person", {"clients": "contact_person"}),
    (r"комментар|описан|примечан|заметк|comment|note|description", {"activities": "comment"}),
    (
        r"^(id|№|номер|код|ид|id сделки|deal id|номер документа|документ)$|^id\b|\bid$",
        {
            "deals": "deal_id",
            "activities": "activity_id",
            "sales": "sale_id",
            "trainings": "training_id",
            "clients": "client_id",
            "managers": "manager_id",
        },
    ),
)
_FIELD_RE = [(re.compile(p), m) for p, m in _FIELD_RULES]


def header_keyword(text: str) -> bool:
    """True when a header holds a word of the column rules («Этап Сделки», «Дата»)."""
    head = normalize_label(base_header(text))
    return any(rx.search(head) for rx, _ in _FIELD_RE)


def _spelling_index() -> dict[str, dict[str, str]]:
    """Normalised header spelling of any preset -> {table: field}."""
    index: dict[str, dict[str, str]] = {}
    for preset in PRESETS.values():
        for fld, spellings in preset.columns.items():
            if fld.startswith("_"):
                continue
            for s in spellings:
                index.setdefault(normalize_label(s), {}).setdefault(preset.table, fld)
    return index


def _dtype(table: str, fld: str) -> str:
    return COLUMNS[table].get(fld, "str")


def guess_field(
    header: str,
    values: pd.Series | None,
    table: str,
    taken: Iterable[str] = (),
    *,
    shape: str | None | bool = False,
) -> tuple[str, str] | None:
    """The field of ``table`` this column most probably feeds, and how it was found
    (``'known header'``, ``'similar to «…»'``, ``'keyword'``, ``'values'``); ``None`` when
    nothing fits. Fields in ``taken`` are not proposed again (repeated ``product`` aside)."""
    taken = set(taken) - {"product"}
    head = normalize_label(base_header(header))
    if not head:
        return None
    allowed = set(source_fields(table))
    if shape is False:  # not given: look at the values
        shape = value_shape(values) if values is not None else None
    has_values = values is not None and not _non_empty(values, 1).empty

    def fits(fld: str) -> bool:
        if fld not in allowed or fld in taken:
            return False
        dt = _dtype(table, fld)
        if not has_values:
            return True
        # with values to look at: a date field needs dates (or Excel day numbers), an amount
        # needs numbers («Сумма прописью» is not an amount)
        if dt.startswith("datetime"):
            return shape in ("date", "number")
        return not (dt == "float64" and shape != "number")

    index = _spelling_index()
    hit = index.get(head, {}).get(table)
    if hit and fits(hit):
        return hit, "known header"
    close = difflib.get_close_matches(head, list(index), n=5, cutoff=0.8)
    for c in close:
        fld = index[c].get(table)
        if fld and fits(fld):
            return fld, f"similar to «{c}»"
    for rx, fields in _FIELD_RE:
        fld = fields.get(table)
        if fld and rx.search(head) and fits(fld):
            return fld, "keyword"
    if shape == "date":
        for fld, dt in COLUMNS[table].items():
            if dt.startswith("datetime") and fits(fld):
                return fld, "values"
    return None


def guess_columns(
    headers: Sequence[str],
    frame: pd.DataFrame | None,
    table: str,
    shapes: Mapping[str, str | None] | None = None,
) -> dict[str, tuple[str, str]]:
    """Header -> (field, how) for every header of a sheet that fits a field of ``table``
    (``shapes``: :func:`value_shape` of each header's values, when already known)."""
    out: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for h in headers:
        vals = frame[h] if frame is not None and h in frame else None
        if isinstance(vals, pd.DataFrame):  # two columns with one name
            vals = vals.iloc[:, 0]
        shape = shapes[h] if shapes is not None and h in shapes else False
        g = guess_field(h, vals, table, taken, shape=shape)
        if g is not None:
            out[h] = g
            taken.add(g[0])
    return out


def _required_alternatives(table: str) -> tuple[tuple[str, ...], ...]:
    from salesaudit.model.build import REQUIRED_SOURCE, TABLE_DEFAULTS  # lazy: build imports us

    defaults = TABLE_DEFAULTS.get(table, {})
    return tuple(
        alts for alts in REQUIRED_SOURCE.get(table, ()) if not all(a in defaults for a in alts)
    )


def key_fields(table: str) -> tuple[tuple[str, ...], ...]:
    """Fields a sheet of ``table`` must have, each as alternatives: the sources of the table's
    REQUIRED columns (ids are generated, ``status``/``result`` defaulted) plus the deal
    ``amount`` (without it the pipeline and the forecast cannot be valued)."""
    alts = _required_alternatives(table)
    if table == "deals":
        alts = (*alts, ("amount",))
    return alts


def guess_table(sheet: RawSheet) -> tuple[str | None, dict[str, tuple[str, str]], str]:
    """``(table, columns, how)`` for a sheet: the detected preset's table and columns when one is
    recognised, else the table whose required fields are all guessed and which explains most
    headers; ``(None, {}, reason)`` when none fits."""
    from salesaudit.model.plans import looks_like_plan

    headers = [h for h in sheet.frame.columns if normalize_label(base_header(h))]
    preset = detect_preset(sheet)
    if preset is not None:
        known = preset.match_headers(headers)
        cols = {h: (f, f"preset {preset.name}") for h, f in known.items() if not f.startswith("_")}
        # a header the preset reads into a private field (a title, a close date it splits by
        # outcome) is left to the preset, not guessed again
        rest = [h for h in headers if h not in known]
        extra = guess_columns(rest, sheet.frame, preset.table)
        taken = {f for f, _ in cols.values()} - {"product"}
        cols.update({h: g for h, g in extra.items() if g[0] not in taken})
        return preset.table, cols, f"preset {preset.name}"
    if looks_like_plan(sheet):
        return "plans", {}, "plan layout (months as columns or Период/Показатель/Значение)"
    best: tuple[int, str, dict] | None = None
    shapes = {}
    for h in headers:
        vals = sheet.frame[h]
        shapes[h] = value_shape(vals.iloc[:, 0] if isinstance(vals, pd.DataFrame) else vals)
    for table in TABLES:
        if table == "plans":
            continue
        cols = guess_columns(headers, sheet.frame, table, shapes)
        fields = {f for f, _ in cols.values()}
        if not all(set(alts) & fields for alts in _required_alternatives(table)):
            continue
        # at least two columns recognised by their headers, not by their values alone
        if sum(1 for _, how in cols.values() if how != "values") < 2:
            continue
        if table == "leads" and not any(
            re.search(r"лид|lead", normalize_label(h)) for h in headers
        ):
            continue  # a leads table says so; any dated list would fit its one required field
        score = len(cols) + sum(1 for f in fields if f in REQUIRED[table])
        if table == "deals" and "stage" in fields:
            score += 2
        if best is None or score > best[0]:
            best = (score, table, cols)
    if best is None:
        return None, {}, "no table's required columns were found"
    return best[1], best[2], "similar headers"


# --- labels ------------------------------------------------------------------------------------

#: field -> (regex, code) keyword rules, first hit wins
_LABEL_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "stage": (
        (r"не реализ|не успеш|провал|проигр|отказ|потер|отмен|lost|cancel|закрыто и не", "lost"),
        (r"успеш|выигр|оплач|реализ|заключ|отгруж|выполн|won|\bwin\b|paid|closed won", "won"),
    ),
    "type": (
        (r"звон|вызов|call|phone", "call"),
        (r"встреч|визит|meeting|visit", "meeting"),
        (r"письм|e-?mail|почт|mail", "email"),
        (r"\bкп\b|предложени|proposal|quote|счет|счёт", "proposal"),
        (r"демо|презентац|demo", "demo"),
        (r"задач|task|todo", "task"),
    ),
    "status": (
        (r"выполн|заверш|сделан|done|complet|closed", "done"),
        (r"просроч|overdue", "overdue"),
        (r"заплан|в работе|planned|scheduled|open|нов", "planned"),
    ),
    "result": (
        (r"не дозвон|нет ответа|не отвеч|no answer|занят|busy|недоступ|сброс", "no_answer"),
        (r"отказ|refus|declin|не интерес", "refused"),
        (r"перенос|resched|перезвон|позже|later", "rescheduled"),
        (r"уточн|clarif|вопрос|подума", "clarify"),
        (r"договор|соглас|agreed|успеш|заказ|встреча назнач", "agreed"),
    ),
    "reason": (
        (r"дорог|цен|expensive|price", "too_expensive"),
        (r"бюджет|денег|budget|финанс|money", "no_budget"),
        (r"конкурент|competitor", "competitor"),
        (r"не интерес|not interest", "not_interested"),
        (r"нет потребн|не нужн|no need|не актуал", "no_need"),
        (r"позже|не сейчас|timing|later|сезон|следующ", "timing"),
        (r"лпр|decision", "no_decision_maker"),
        (r"не отвеч|не дозвон|no response|пропал|нет связи|не выходит", "no_response"),
    ),
    "role": (
        (r"собствен|генеральн|owner|ceo|founder|учредит|владел", "owner"),
        (r"руковод|\bроп\b|head|коммерческ\w* директор|начальник", "head_of_sales"),
        (r"менеджер|manager|продаж|sales|представит|account|агент", "manager"),
    ),
    "pay": (
        (r"оклад.*(%|процент|бонус|преми)|(%|процент|бонус|преми).*оклад|mixed|base \+", "mixed"),
        (r"оклад|fixed|salary|ставк", "fixed"),
        (r"%|процент|сдельн|commission|бонус|преми", "variable"),
    ),
}
#: the neutral code of each field (what an unknown label means when nothing fits)
NEUTRAL_CODE = {
    "stage": "open",
    "outcome": "open",
    "type": None,
    "status": None,
    "result": "none",
    "refusal_reason": "other",
    "lost_reason": "other",
    "role": "other",
    "pay": "unknown",
}
_KNOWN_LABELS: dict[str, Mapping[str, str]] = {
    "stage": {k: v for p in PRESETS.values() for k, v in p.labels.get("stage", {}).items()},
    "type": ACTIVITY_TYPE_LABELS,
    "status": ACTIVITY_STATUS_LABELS,
    "result": ACTIVITY_RESULT_LABELS,
    "reason": REFUSAL_LABELS,
    "role": ROLE_LABELS,
    "pay": PAY_LABELS,
}


def field_codes(fld: str) -> tuple[str, ...]:
    """The codes a label of ``fld`` may be mapped to (empty for free-text fields)."""
    from salesaudit.model.mapping import LABEL_CODES

    return tuple(LABEL_CODES.get(fld) or ())


def _rule_key(fld: str) -> str:
    return {"refusal_reason": "reason", "lost_reason": "reason", "outcome": "stage"}.get(fld, fld)


def suggest_code(fld: str, label: str) -> tuple[str | None, str]:
    """A code for ``label`` of field ``fld`` and how it was found (``'known'``, ``'similar to
    «…»'``, ``'keyword'``, ``'no rule: neutral code'``); the code is ``None`` when the field has
    no neutral code (activity ``type``/``status``) and nothing fits."""
    key = _rule_key(fld)
    known = {normalize_label(k): v for k, v in _KNOWN_LABELS.get(key, {}).items()}
    text = normalize_label(label)
    if text in known:
        return known[text], "known"
    close = difflib.get_close_matches(text, list(known), n=1, cutoff=0.85)
    if close:
        return known[close[0]], f"similar to «{close[0]}»"
    for pattern, code in _LABEL_RULES.get(key, ()):
        if re.search(pattern, text):
            return code, "keyword"
    return NEUTRAL_CODE.get(fld), "no rule: neutral code"


# --- YAML text ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def yaml_scalar(value: object) -> str:
    """A YAML scalar: identifiers plain, every other text double-quoted (JSON escaping is valid
    YAML), numbers and booleans as they are, ``None`` as ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in (
        "null",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def yaml_lines(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML lines for nested dicts/lists/scalars (keys quoted like values).

    A dict value may carry a comment: ``(value, "comment")`` tuples are written as
    ``key: value  # comment``."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for k, v in value.items():
            comment = ""
            if isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], str | type(None)):
                v, note = v
                comment = f"  # {note}" if note else ""
            key = yaml_scalar(k)
            if isinstance(v, Mapping) and v:
                out.append(f"{pad}{key}:{comment}")
                out += yaml_lines(v, indent + 2)
            elif isinstance(v, list | tuple) and v and not isinstance(v, str):
                out.append(f"{pad}{key}:{comment}")
                out += yaml_lines(list(v), indent + 2)
            else:
                empty = "{}" if isinstance(v, Mapping) else "[]" if isinstance(v, list) else None
                out.append(f"{pad}{key}: {empty or yaml_scalar(v)}{comment}")
        return out
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and item:
                inner = yaml_lines(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out += inner[1:]
            else:
                out.append(f"{pad}- {yaml_scalar(item)}")
        return out
    return [pad + yaml_scalar(value)]


def file_pattern(file: str) -> str:
    """The ``match:`` pattern for exactly this raw file: its path under ``raw/``, with glob
    characters (``*?[``) escaped."""
    rel = str(file).replace("\\", "/")
    if rel.startswith("raw/"):
        rel = rel[4:]
    return re.sub(r"([*?\[])", r"[\1]", rel)


def rule_entry(rule: object) -> dict[str, Any]:
    """A ``files:`` entry (dict, YAML order) from a parsed rule: every key that differs from its
    default, so that the entry can be written back and extended."""
    entry: dict[str, Any] = {}
    if not dataclasses.is_dataclass(rule):
        return entry
    for f in dataclasses.fields(rule):
        value = getattr(rule, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and value == f.default_factory():  # type: ignore[misc]
            continue
        if f.name == "joins":  # written as `join:` entries
            entry["join"] = [rule_entry(j) for j in value]
            continue
        if f.name == "patterns":  # `/regex/` labels live in `labels:`
            for fld, pairs in value.items():
                entry.setdefault("labels", {}).setdefault(fld, {}).update(dict(pairs))
            continue
        if isinstance(value, Mapping):
            value = {k: dict(v) if isinstance(v, Mapping) else v for k, v in value.items()}
            if f.name == "labels":  # exact labels first, patterns (if any) after them
                value = {k: {**v, **entry.get("labels", {}).get(k, {})} for k, v in value.items()}
                value = {**entry.get("labels", {}), **value}
        elif isinstance(value, tuple):
            value = list(value)
        entry[f.name] = value
    if entry.get("preset") in PRESETS and entry.get("table") == PRESETS[entry["preset"]].table:
        entry.pop("table")
    return entry


def mapping_text(
    entries: Sequence[Mapping[str, Any]], labels: Mapping[str, Any] | None = None
) -> str:
    """``files:`` entries (and optional global ``labels:``) as mapping.yaml text."""
    data: dict[str, Any] = {}
    if entries:
        data["files"] = list(entries)
    if labels:
        data["labels"] = dict(labels)
    return "\n".join(yaml_lines(data)) + "\n"


# --- what build saw of each sheet --------------------------------------------------------------

SHEET_COLUMNS = [
    "file",
    "sheet",
    "table",
    "origin",
    "preset",
    "rule",
    "header_row",
    "rows",
    "skipped",
    "columns",
    "known_unused",
    "unmapped",
    "missing_keys",
    "defaults",
    "guess",
    "why",
    "accepted",
    "duplicates",
    "rejected",
]


def describe_sheet(
    sheet: RawSheet,
    rule: object | None,
    *,
    table: str | None,
    columns: Mapping[str, str] | None = None,
    defaults: Iterable[str] = (),
    origin: str | None = None,
) -> dict[str, Any]:
    """What build decided for one sheet (a row of :data:`SHEET_COLUMNS`, counts filled later by
    :func:`sheet_summary`): table, how it was recognised, the columns read (header -> field),
    headers a preset knows but does not need, unread headers with what they look like
    (:func:`column_kind`), key fields without a column (:func:`key_fields`)."""
    columns = dict(columns or {})
    preset_name = getattr(rule, "preset", None) if rule is not None else None
    detected = detect_preset(sheet) if table not in (None, "plans") else None
    if preset_name is None and detected is not None and detected.table == table:
        preset_name = detected.name
    if origin is None:
        if table is None:
            origin = "unrecognised"
        elif rule is not None:
            origin = "mapping"
        elif table == "plans":
            origin = "plans"
        else:
            origin = "preset"
    known: dict[str, str] = {}
    if preset_name:
        known = PRESETS[preset_name].match_headers(sheet.frame.columns)
    skipped_by_rule = {
        normalize_label(h) for h, f in (getattr(rule, "columns", None) or {}).items() if f is None
    }
    present = set(columns.values()) | set(defaults)
    # fields a mapping rule fills without a column: constants, defaults, joins
    present |= set(getattr(rule, "constants", None) or {})
    present |= set(getattr(rule, "defaults", None) or {})
    for join in getattr(rule, "joins", None) or ():
        present |= set(getattr(join, "take", None) or {})
    missing_alts: list[tuple[str, ...]] = []
    if table not in (None, "plans"):
        missing_alts = [alts for alts in key_fields(table) if not present & set(alts)]
    wanted = {f for alts in missing_alts for f in alts}
    known_unused, unmapped = [], []
    taken = set(columns.values())
    if table != "plans":
        for h in sheet.frame.columns:
            if h in columns or not normalize_label(base_header(h)):
                continue
            if h in known or normalize_label(base_header(h)) in skipped_by_rule:
                known_unused.append(h)
                continue
            vals = sheet.frame[h]
            if isinstance(vals, pd.DataFrame):
                vals = vals.iloc[:, 0]
            kind = column_kind(h, vals)
            suggested = None
            if kind and table is not None:
                g = guess_field(h, vals, table, taken)
                # a guess from the values alone is offered only for a missing key field
                suggested = g[0] if g and (g[1] != "values" or g[0] in wanted) else None
                if suggested:
                    taken.add(suggested)
            unmapped.append((h, kind[0] if kind else None, kind[1] if kind else None, suggested))
    guess = None
    if table is None and len(sheet.frame):
        g_table, g_cols, g_how = guess_table(sheet)
        if g_table is not None:
            guess = (
                g_table,
                tuple((h, f) for h, (f, _) in g_cols.items()),
                g_how,
                _label_values(sheet, {h: f for h, (f, _) in g_cols.items()}),
            )
    missing = [alts[0] for alts in missing_alts]
    return {
        "file": sheet.file,
        "sheet": sheet.sheet,
        "table": table,
        "origin": origin,
        "preset": preset_name,
        "rule": getattr(rule, "match", None) if rule is not None else None,
        "header_row": sheet.header_row,
        "rows": len(sheet.frame),
        "skipped": len(sheet.dropped),
        "columns": tuple(columns.items()),
        "known_unused": tuple(known_unused),
        "unmapped": tuple(unmapped),
        "missing_keys": tuple(missing),
        "defaults": tuple(defaults),
        "guess": guess,
        "why": _why_unrecognised(sheet) if origin == "unrecognised" else None,
        "accepted": None,
        "duplicates": None,
        "rejected": None,
    }


def _why_unrecognised(sheet: RawSheet) -> tuple[str, int, int, tuple[str, ...]] | None:
    """The preset closest to an unrecognised sheet: (name, headers it knows, headers of the
    sheet, marker fields missing), or ``None`` when no preset knows any header."""
    headers = [h for h in sheet.frame.columns if normalize_label(base_header(h))]
    distinct = {normalize_label(base_header(h)) for h in headers}
    best = None
    for preset in PRESETS.values():
        found = preset.match_headers(headers)
        known = {normalize_label(base_header(h)) for h in found}
        missing = tuple(m for m in preset.markers if m not in set(found.values()))
        key = (len(known), -len(missing))
        if known and (best is None or key > best[0]):
            best = (key, (preset.name, len(known), len(distinct), missing))
    return best[1] if best else None


def _label_values(
    sheet: RawSheet, columns: Mapping[str, str]
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """For each label field among ``columns``: its distinct values with row counts, most rows
    first (labels of stages, types, results, reasons, roles, pay: not personal data)."""
    out = []
    for h, f in columns.items():
        if f not in LABEL_FIELDS or h not in sheet.frame:
            continue
        vals = sheet.frame[h]
        if isinstance(vals, pd.DataFrame):
            vals = vals.iloc[:, 0]
        texts = vals[vals.notna()].astype(str).str.strip()
        counts = texts[texts != ""].value_counts()
        out.append((f, tuple((str(k), int(n)) for k, n in counts.items())))
    return tuple(out)


def sheet_summary(
    records: Sequence[Mapping[str, Any]],
    tables: Mapping[str, pd.DataFrame | None],
    issues: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, tuple[str, ...]]]:
    """The sheets frame (:data:`SHEET_COLUMNS`) with accepted / duplicate / rejected rows per
    sheet, and per loaded table the canonical fields that stayed empty in every record.

    Counts are per file and table (the records' ``src_file``); when several sheets of one file
    feed one table, the first of them carries the file's counts."""
    df = pd.DataFrame(list(records), columns=SHEET_COLUMNS)
    used = set(df.loc[df["table"].notna(), "file"])
    spare = (df["origin"] == "unrecognised") & (df["file"].isin(used) | (df["rows"] == 0))
    df.loc[spare, "origin"] = "unused"
    seen: set[tuple[str, str]] = set()
    dup_issues = issues[issues["kind"] == "duplicate"] if len(issues) else issues
    for i, r in df.iterrows():
        if r["table"] in (None, "") or pd.isna(r["table"]):
            continue
        key = (r["file"], r["table"])
        if key in seen:
            df.at[i, "accepted"] = df.at[i, "duplicates"] = df.at[i, "rejected"] = 0
            continue
        seen.add(key)
        frame = tables.get(r["table"])
        acc = (
            0
            if frame is None or "src_file" not in frame
            else int((frame["src_file"] == r["file"]).sum())
        )
        dups = 0
        if len(dup_issues):
            dups = int(
                ((dup_issues["file"] == r["file"]) & (dup_issues["table"] == r["table"])).sum()
            )
        rows = int(df.loc[(df["file"] == r["file"]) & (df["table"] == r["table"]), "rows"].sum())
        if len(issues):  # product lines merged into their deal, deleted deals: not rejections
            merged = issues[
                issues["kind"].isin(["product_rows", "deleted_rows"])
                & (issues["file"] == r["file"])
            ]
            rows -= int(pd.to_numeric(merged["value"], errors="coerce").fillna(0).sum())
        df.at[i, "accepted"] = acc
        df.at[i, "duplicates"] = dups
        df.at[i, "rejected"] = 0 if r["table"] == "plans" else max(rows - acc - dups, 0)
    empty: dict[str, tuple[str, ...]] = {}
    for table, frame in tables.items():
        if frame is None or not len(frame):
            continue
        empty[table] = tuple(c for c in COLUMNS[table] if c in frame and frame[c].isna().all())
    return df, empty


# --- proposals for `salesaudit map` ------------------------------------------------------------

#: fields whose values may be shown as samples (no person, phone, email or free text)
SAFE_FIELDS = frozenset(
    {
        "deal_id", "activity_id", "sale_id", "training_id", "created", "closed",
        "expected_close", "occurred_at", "logged_at", "date", "hired", "left", "period",
        "amount", "quantity", "value", "stage", "outcome", "pipeline", "type", "status",
        "result", "refusal_reason", "lost_reason", "role", "pay", "segment", "region",
        "product", "brand", "route", "topic", "metric", "dimension",
    }
)  # fmt: skip
#: fields that hold people or contacts: never shown unless asked
PERSONAL_FIELDS = frozenset(
    {"manager_name", "client_name", "name", "contact_person", "phone", "email", "comment"}
)
LABEL_FIELDS = (
    "stage",
    "outcome",
    "type",
    "status",
    "result",
    "refusal_reason",
    "lost_reason",
    "role",
    "pay",
)


def samples(values: pd.Series, fld: str | None, *, show_all: bool = False, n: int = 3) -> list[str]:
    """Up to ``n`` distinct non-empty sample values of a column, masked unless safe to show:
    a column mapped to a people/contact field, or one whose values look like phones or e-mails,
    or (unmapped) free text, shows ``«скрыто»`` markers instead of values."""
    vals = _non_empty(values, 500).astype(str).str.strip()
    distinct = list(dict.fromkeys(vals))[:n]
    if not distinct:
        return []
    if show_all:
        return distinct
    shape = value_shape(values)
    if shape in ("phone", "email"):
        return [f"<{shape}>"]
    if fld in PERSONAL_FIELDS:
        return ["<скрыто: имена/контакты>"]
    if fld in SAFE_FIELDS or shape in ("date", "number"):
        return distinct  # labels, dates, amounts of a known field (a stage «Proposal Made»)
    if shape == "name":
        return ["<скрыто: имена/контакты>"]
    # an unmapped text column: shown only when it looks like a short list of labels
    uniq = vals.nunique()
    if len(vals) >= 10 and uniq <= max(3, len(vals) // 5) and uniq <= 30:
        return distinct
    return ["<скрыто: текст>"]


@dataclasses.dataclass(frozen=True)
class SheetProposal:
    """What ``salesaudit map`` proposes for one sheet."""

    file: str
    sheet: str | None
    table: str | None
    how: str
    #: header -> (field or None, how, samples)
    columns: tuple[tuple[str, str | None, str, tuple[str, ...]], ...]
    preset: str | None = None


def propose_sheet(sheet: RawSheet, *, show_all: bool = False) -> SheetProposal:
    """Best-guess table and column mapping of a sheet, with sample values (masked, see
    :func:`samples`)."""
    table, cols, how = guess_table(sheet)
    preset = detect_preset(sheet)
    known = preset.match_headers(sheet.frame.columns) if preset is not None else {}
    rows = []
    for h in sheet.frame.columns:
        if not normalize_label(base_header(h)):
            continue
        fld, why = cols.get(h, (None, ""))
        private = str(known.get(h, ""))
        if fld is None and private.startswith("_"):
            from salesaudit.model.build import PRIVATE_READ  # lazy: build imports us

            # the preset reads it itself (a close date it splits by outcome, a 1C document) or
            # knows it and leaves it out (a title, tags, a probability)
            why = "known_read" if private in PRIVATE_READ else "known_unused"
        vals = sheet.frame[h]
        if isinstance(vals, pd.DataFrame):
            vals = vals.iloc[:, 0]
        rows.append((h, fld, why, tuple(samples(vals, fld, show_all=show_all))))
    return SheetProposal(
        file=sheet.file,
        sheet=sheet.sheet,
        table=table,
        how=how,
        columns=tuple(rows),
        preset=preset.name if preset is not None and preset.table == table else None,
    )


def proposal_entry(p: SheetProposal, *, sheet_key: bool = False) -> dict[str, Any]:
    """A ``files:`` entry for a proposal (``columns`` with every guessed header)."""
    entry: dict[str, Any] = {"match": file_pattern(p.file)}
    if sheet_key and p.sheet:
        entry["sheet"] = p.sheet
    if p.preset:
        entry["preset"] = p.preset
    else:
        entry["table"] = p.table
    columns = {h: f for h, f, _, _ in p.columns if f}
    if columns and p.table != "plans":
        entry["columns"] = columns
    return entry


# --- fixes for `salesaudit validate` -----------------------------------------------------------

#: at most this many unknown labels of one field go into a validate fix (``map`` lists all)
MAX_FIX_LABELS = 25
_UNKNOWN_LABEL = re.compile(r"^(?P<f>\w+): label not known in (?P<n>\d+) row")


@dataclasses.dataclass(frozen=True)
class Fix:
    """A ``files:`` entry that fixes the problems of one sheet.

    ``problems`` are ``(code, params)``: ``unrecognised`` (table, how), ``missing_key`` (field,
    header), ``unmapped`` (header, field), ``date_format`` (format, column, n: dates the default
    reading left empty), ``labels`` (field, labels, rows, more, more_rows),
    ``no_code`` (field, labels: nothing fits, the consultant chooses). ``extends`` is the
    ``match:`` of the mapping rule the entry extends (the entry repeats it with the additions,
    so it goes before it in ``files:``)."""

    file: str
    sheet: str | None
    entry: dict[str, Any]
    problems: tuple[tuple[str, dict[str, Any]], ...]
    extends: str | None = None


def _label_issues(issues: pd.DataFrame, file: str, table: str) -> dict[str, list[tuple[str, int]]]:
    """Unknown labels of a file: field -> [(label, rows)], most rows first."""
    out: dict[str, list[tuple[str, int]]] = {}
    if issues.empty:
        return out
    sub = issues[
        (issues["kind"] == "unknown_label") & (issues["file"] == file) & (issues["table"] == table)
    ]
    for rec in sub.itertuples(index=False):
        m = _UNKNOWN_LABEL.match(str(rec.message))
        if m is None or rec.value is None:
            continue
        out.setdefault(m["f"], []).append((str(rec.value), int(m["n"])))
    return {f: sorted(v, key=lambda x: -x[1]) for f, v in out.items()}


#: date formats tried on dates the default (day-first) reading could not parse
DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y",
    "%m.%d.%Y",
    "%Y/%d/%m",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%d %b %Y",
)


def guess_date_format(values: Iterable[str]) -> str | None:
    """The first of :data:`DATE_FORMATS` that reads every value (e.g. US month-first dates),
    or ``None``."""
    from datetime import datetime

    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return None
    for fmt in DATE_FORMATS:
        try:
            for t in texts:
                datetime.strptime(t, fmt)
        except ValueError:
            continue
        return fmt
    return None


def _date_format_fix(issues: pd.DataFrame, file: str, table: str) -> tuple[str, str, int] | None:
    """(format, column, cells) when the unreadable dates of a file all fit one format."""
    if issues.empty:
        return None
    bad = issues[
        (issues["kind"] == "unparseable_value")
        & (issues["file"] == file)
        & (issues["table"] == table)
        & (issues["message"] == "not a date; the cell is left empty")
    ]
    if bad.empty:
        return None
    fmt = guess_date_format(bad["value"])
    if fmt is None:
        return None
    return fmt, str(bad["column"].iloc[0]), len(bad)


def mapping_fixes(quality: Any, mapping: Any) -> list[Fix]:
    """For every sheet with a problem a mapping can fix, a :class:`Fix`: an unrecognised sheet
    whose table can be guessed, a key field found in an unread column, an unread column that
    looks like a needed field, unknown labels (with suggested codes)."""
    sheets = quality.sheets
    if sheets is None or not len(sheets):
        return []
    fixes = []
    per_file = sheets["file"].value_counts()
    for r in sheets.itertuples(index=False):
        if r.origin in ("unused",) or (r.table == "plans"):
            continue
        sheet = None if r.sheet is None or pd.isna(r.sheet) else str(r.sheet)
        rule = mapping.rule_for(r.file, sheet) if mapping is not None else None
        problems: list[tuple[str, dict[str, Any]]] = []
        columns: dict[str, str] = {}
        labels: dict[str, dict[str, str]] = {}
        date_format: str | None = None
        table = r.table
        if r.origin == "unrecognised":
            if not r.guess:
                continue
            table, guessed, how, values = r.guess
            columns.update(dict(guessed))
            problems.append(("unrecognised", {"table": table, "how": how}))
            found_labels = {f: list(pairs) for f, pairs in values}
        else:
            found_labels = _label_issues(quality.issues, r.file, table)
            suggested = {f: h for h, _, _, f in r.unmapped if f}
            for f in r.missing_keys:
                alts = next((a for a in key_fields(table) if a[0] == f), (f,))
                header = next((suggested[a] for a in alts if a in suggested), None)
                if header is not None:
                    columns[header] = suggested_field = next(a for a in alts if a in suggested)
                    problems.append(("missing_key", {"field": suggested_field, "header": header}))
            for h, kind, _, f in r.unmapped:
                if kind and f and h not in columns:
                    columns[h] = f
                    problems.append(("unmapped", {"header": h, "field": f}))
            date_fix = _date_format_fix(quality.issues, r.file, table)
            has_format = rule is not None and getattr(rule, "date_format", None)
            if date_fix is not None and not has_format:
                date_format = date_fix[0]
                problems.append(
                    (
                        "date_format",
                        {"format": date_fix[0], "column": date_fix[1], "n": date_fix[2]},
                    )
                )
        for fld, found in found_labels.items():
            chosen, no_code = {}, []
            for label, _n in found[:MAX_FIX_LABELS]:
                code, _how = suggest_code(fld, label)
                if code is None:
                    no_code.append(label)
                else:
                    chosen[label] = code
            if chosen:
                labels[fld] = chosen
                rest = found[MAX_FIX_LABELS:]
                problems.append(
                    (
                        "labels",
                        {
                            "field": fld,
                            "labels": len(chosen),
                            "rows": sum(n for lb, n in found if lb in chosen),
                            "more": len(rest),
                            "more_rows": sum(n for _, n in rest),
                        },
                    )
                )
            if no_code:
                problems.append(("no_code", {"field": fld, "labels": no_code}))
        if not columns and not labels and date_format is None:
            if problems:
                fixes.append(Fix(r.file, sheet, {}, tuple(problems)))
            continue
        if rule is not None:
            entry = rule_entry(rule)
        else:
            entry = {"match": file_pattern(r.file)}
            if sheet is not None and per_file.get(r.file, 0) > 1:
                entry["sheet"] = sheet
            if r.preset and r.origin != "unrecognised":
                entry["preset"] = r.preset
            else:
                entry["table"] = table
        if date_format is not None:
            entry["date_format"] = date_format
        if columns:
            entry["columns"] = {**entry.get("columns", {}), **columns}
        for fld, pairs in labels.items():
            entry.setdefault("labels", {})
            entry["labels"][fld] = {**entry["labels"].get(fld, {}), **pairs}
        fixes.append(
            Fix(r.file, sheet, entry, tuple(problems), rule.match if rule is not None else None)
        )
    return fixes


def blocking_problems(quality: Any) -> list[tuple[str, str | None, str, dict[str, Any]]]:
    """What makes a folder unusable for an audit, as ``(code, file, table, params)``:

    - ``mostly_rejected``: more than half of a table's rows were rejected;
    - ``missing_key``: a sheet read as a table has no column for a key field
      (:func:`key_fields`) and the mapping gives none."""
    out: list[tuple[str, str | None, str, dict[str, Any]]] = []
    tables = quality.tables
    for r in tables.itertuples(index=False):
        read = int(r.rows_read or 0)
        rejected = int(r.rejected or 0)
        if read and rejected * 2 > read:
            out.append(
                ("mostly_rejected", None, str(r.table), {"rejected": rejected, "read": read})
            )
    sheets = quality.sheets
    if sheets is not None and len(sheets):
        for r in sheets.itertuples(index=False):
            for f in r.missing_keys or ():
                out.append(("missing_key", str(r.file), str(r.table), {"field": f}))
    return out


# --- the proposed mapping.yaml of `salesaudit map` ---------------------------------------------

_MAP_TEXT = {
    "ru": {
        "head": [
            "mapping.yaml, предложенный `salesaudit map` для папки {folder}",
            "Проверьте каждую строку: справа — как найдено и примеры значений. Имена, телефоны,",
            "e-mail и свободный текст скрыты (--all-values показывает всё). null = колонка не",
            "читается. Затем: salesaudit validate {folder}",
        ],
        "preset": "пресет {p} ({t})",
        "preset_col": "по пресету",
        "second_column": "второй колонкой того же поля пресет читает её сам",
        "known_read": "колонку пресет читает сам (служебное поле), в mapping не нужна",
        "known_unused": "колонка пресету известна, аудит её не использует — в mapping не нужна",
        "guess": "таблица {t} угадана по заголовкам — проверьте",
        "plans": "план (колонки-месяцы или Период/Показатель/Значение)",
        "rows": "строк {n}",
        "unrecognised": "не распознан: {why}",
        "no table's required columns were found": "ни для одной таблицы не нашлись обязательные "
        "колонки",
        "describe": "опишите его сами (files: - match: ..., table: ..., columns: ...) или "
        "добавьте в ignore:",
        "unreadable": "не прочитан: {m}",
        "not_recognised": "не распознан",
        "known header": "известный заголовок",
        "keyword": "по ключевому слову",
        "values": "по значениям",
        "similar": "похоже на «{x}»",
        "known": "известное значение",
        "no rule: neutral code": "правила нет: нейтральный код",
        "count": "{n} стр.",
        "choose": "код не подобран — впишите один из: {codes}",
        "header_cols": "заголовки: {h}",
    },
    "en": {
        "head": [
            "mapping.yaml proposed by `salesaudit map` for the folder {folder}",
            "Check every line: on the right, how it was found and sample values. Names, phones,",
            "e-mails and free text are hidden (--all-values shows everything). null = the column",
            "is not read. Then: salesaudit validate {folder}",
        ],
        "preset": "preset {p} ({t})",
        "preset_col": "preset",
        "second_column": "the preset reads it itself as a second column of the same field",
        "known_read": "read by the preset itself (an internal field); not needed in the mapping",
        "known_unused": "known to the preset and not used by the audit — not needed in the mapping",
        "guess": "table {t} guessed from the headers — check it",
        "plans": "plan (month columns or Period/Metric/Value)",
        "rows": "{n} rows",
        "unrecognised": "not recognised: {why}",
        "describe": "describe it yourself (files: - match: ..., table: ..., columns: ...) or "
        "add it to ignore:",
        "unreadable": "not read: {m}",
        "not_recognised": "not recognised",
        "known header": "known header",
        "keyword": "keyword",
        "values": "from the values",
        "similar": "similar to «{x}»",
        "known": "known label",
        "no rule: neutral code": "no rule: neutral code",
        "count": "{n} rows",
        "choose": "no code found — write one of: {codes}",
        "header_cols": "headers: {h}",
    },
}


def _how_text(how: str, lang: str) -> str:
    t = _MAP_TEXT[lang]
    if how.startswith("similar to «"):
        return t["similar"].format(x=how[len("similar to «") : -1])
    if how.startswith("preset "):
        return (
            t["preset"].format(p=how[7:], t=PRESETS[how[7:]].title) if how[7:] in PRESETS else how
        )
    return t.get(how, how)


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def proposal_yaml(
    proposals: Sequence[SheetProposal],
    labels: Mapping[tuple[str, str | None], Mapping[str, Sequence[tuple[str, int]]]],
    *,
    folder: str,
    lang: str = "ru",
    unreadable: Sequence[tuple[str, str]] = (),
    rows: Mapping[tuple[str, str | None], int] | None = None,
) -> str:
    """The text of a proposed ``mapping.yaml``: one ``files:`` entry per recognised sheet with
    every column (guessed field or ``null``, how it was found, samples) and the labels of each
    label field (suggested code via :func:`suggest_code`, row count); unrecognised and unreadable
    files as comments. ``labels`` is (file, sheet) -> field -> [(label, rows)]."""
    t = _MAP_TEXT[lang]
    out = ["# " + line.format(folder=folder) for line in t["head"]]
    out.append("files:")
    per_file: dict[str, int] = {}
    for p in proposals:
        per_file[p.file] = per_file.get(p.file, 0) + 1
    any_entry = False
    for p in proposals:
        where = p.file + (f" [{p.sheet}]" if p.sheet and per_file[p.file] > 1 else "")
        n = (rows or {}).get((p.file, p.sheet))
        size = f"; {t['rows'].format(n=n)}" if n is not None else ""
        if p.table is None:
            heads = ", ".join(f"«{h}»" for h, *_ in p.columns)
            why = t.get(p.how, p.how)
            out.append(f"  # {where} — {t['unrecognised'].format(why=_comment(why))}{size}")
            out.append("  #   " + _comment(t["header_cols"].format(h=heads)))
            out.append("  #   " + t["describe"])
            continue
        if p.table == "plans":
            desc = t["plans"]
        elif p.preset:
            desc = _how_text(f"preset {p.preset}", lang)
        else:
            desc = t["guess"].format(t=p.table)
        out.append(f"  # {where} — {desc}{size}")
        entry = proposal_entry(p, sheet_key=per_file[p.file] > 1)
        entry.pop("columns", None)
        head = yaml_lines([entry], 2)
        out += head
        any_entry = True
        if p.table == "plans":
            continue
        out.append("    columns:")
        width = max(
            (len(yaml_scalar(h)) + 2 + len(yaml_scalar(f)) for h, f, *_ in p.columns), default=0
        )
        seen: set[str] = set()
        for h, f, how, sample in p.columns:
            if how in ("known_read", "known_unused"):
                out.append(f"      # {yaml_scalar(h)}: {_comment(t[how])}")
                continue
            body = f"{yaml_scalar(h)}: {yaml_scalar(f)}"
            if f and f in seen and f != "product":
                # the preset reads a field from two columns (Won time / Lost time -> closed);
                # a mapping may name one column per field: the second stays with the preset
                note = _comment(f"{t['preset_col']}; {t['second_column']}")
                out.append(f"      # {body}  # {note}")
                continue
            if f:
                seen.add(f)
            note = (
                (t["preset_col"] if how.startswith("preset ") else _how_text(how, lang))
                if f
                else t["not_recognised"]
            )
            if sample:
                note += "; " + " | ".join(sample)
            out.append(f"      {body.ljust(width)}  # {_comment(note)}")
        field_labels = labels.get((p.file, p.sheet), {})
        if field_labels:
            out.append("    labels:")
            for fld, pairs in field_labels.items():
                out.append(f"      {fld}:")
                for label, count in pairs:
                    code, how = suggest_code(fld, label)
                    cnt = t["count"].format(n=count)
                    if code is None:
                        codes = ", ".join(field_codes(fld))
                        out.append(
                            f"        # {yaml_scalar(label)}: ?  # {cnt}; {t['choose'].format(codes=codes)}"
                        )
                    else:
                        out.append(
                            f"        {yaml_scalar(label)}: {code}  # {cnt}; {_how_text(how, lang)}"
                        )
    for file, message in unreadable:
        out.append(f"  # {file} — {_comment(t['unreadable'].format(m=message))}")
    if not any_entry:
        out[out.index("files:")] = "files: []"
    return "\n".join(out) + "\n"
