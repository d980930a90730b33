"""Render ground-truth tables the way a consultant receives them: amoCRM and Bitrix24 CSV
exports, a 1C "Продажи" report, the director's plan workbook and small intake lists.

Everything is built in memory and returned as bytes; byte-for-byte deterministic (fixed workbook
properties and zip timestamps, sorted rows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from salesaudit.model.dataset import Dataset

RAW_FILES = (
    "amocrm_deals.csv",
    "bitrix_activities.csv",
    "1c_sales.xlsx",
    "plan_2026.xlsx",
    "managers.xlsx",
    "clients.csv",
    "trainings.csv",
)

TYPE_LABELS = {
    "call": "Звонок",
    "meeting": "Встреча",
    "email": "Письмо",
    "proposal": "Коммерческое предложение",
    "demo": "Демонстрация",
    "task": "Задача",
}
STATUS_LABELS = {"done": "Выполнено", "planned": "Запланировано", "overdue": "Просрочено"}
RESULT_LABELS = {
    "agreed": "Договорились",
    "refused": "Отказ",
    "rescheduled": "Перенос",
    "clarify": "Уточнение",
    "no_answer": "Нет ответа",
    "none": "",
}
REASON_LABELS = {
    "no_budget": "Нет бюджета",
    "not_interested": "Не интересно",
    "too_expensive": "Дорого",
    "competitor": "Выбрали конкурента",
    "no_need": "Нет потребности",
    "timing": "Не сейчас",
}
ROLE_LABELS = {
    "manager": "Менеджер по продажам",
    "head_of_sales": "Руководитель отдела продаж",
    "owner": "Генеральный директор",
}
PAY_LABELS = {"fixed": "Оклад", "mixed": "Оклад + %", "variable": "% от продаж", "unknown": ""}
MONTHS_RU = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
             "Октябрь", "Ноябрь", "Декабрь")  # fmt: skip

AMO_HEADER = [
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
    "Товар",
    "utm_source",
    "utm_source",
]
BITRIX_HEADER = [
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
ONEC_COLUMNS = ["Период", "Контрагент", "Номенклатура", "Бренд", "Менеджер", "Маршрут"]
MANAGERS_HEADER = ["Сотрудник", "Должность", "Оплата", "Дата приема", "Дата увольнения",
                   "Телефон", "Email"]  # fmt: skip
CLIENTS_HEADER = ["Клиент", "Сегмент", "Регион", "Ответственный", "Дата создания",
                  "Контактное лицо", "Телефон", "Email"]  # fmt: skip
TRAININGS_HEADER = ["Сотрудник", "Дата", "Тема"]

#: the fixed moment stamped into workbook properties and zip entries
STAMP = pd.Timestamp("2026-11-20 09:00:00")
_ZIP_TIME = (2026, 11, 20, 9, 0, 0)


# --- name spellings ---------------------------------------------------------------------------
def _crm_name(full: str) -> str:
    """'Фамилия Имя Отчество' -> 'Имя Фамилия' (as the CRMs show users)."""
    last, first, *_ = full.split()
    return f"{first} {last}"


def _short_name(full: str) -> str:
    """'Фамилия Имя Отчество' -> 'Фамилия И.О.' (the plan workbook)."""
    last, first, middle = full.split()
    return f"{last} {first[0]}.{middle[0]}."


_CRM_COMPANY = re.compile(r"^(?P<form>ООО|АО|ИП) «(?P<name>.+)»$")


def _onec_company(crm: str) -> str:
    """'ООО «Название»' -> 'Название ООО' (1C's counterparty spelling)."""
    m = _CRM_COMPANY.match(crm)
    return f"{m['name']} {m['form']}" if m else crm


def _dt(value, fmt: str) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime(fmt)


def _s(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# --- CSV and XLSX writers (in memory) ------------------------------------------------------------
def _csv_text(header: list[str], rows: list[list[str]], **dialect) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, **dialect)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise an openpyxl workbook deterministically: fixed created/modified properties and
    fixed zip entry timestamps, entries in the order openpyxl writes them."""
    wb.properties.created = STAMP.to_pydatetime()
    wb.properties.creator = "1C:Предприятие"
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


# --- the files ----------------------------------------------------------------------------------
def _names(data: Dataset) -> tuple[dict[str, str], dict[str, str]]:
    managers = dict(zip(data.managers["manager_id"], data.managers["name"], strict=True))
    clients = dict(zip(data.clients["client_id"], data.clients["name"], strict=True))
    return managers, clients


def amocrm_deals_csv(data: Dataset) -> bytes:
    """amoCRM deals export: UTF-8 with BOM, ';', repeated 'Товар' and 'utm_source' headers."""
    managers, clients = _names(data)
    d = data.deals.sort_values("deal_id", key=lambda s: s.astype("int64"), kind="mergesort")
    rows = []
    for r in d.itertuples(index=False):
        company = clients.get(r.client_id, "")
        short = _CRM_COMPANY.match(company)
        title = f"{r.brand}: поставка — {short['name'] if short else company}"
        utm = _s(getattr(r, "utm_source", ""))
        rows.append(
            [
                r.deal_id,
                title,
                str(int(round(r.amount))),
                _crm_name(managers[r.manager_id]),
                _dt(r.created, "%d.%m.%Y %H:%M:%S"),
                _dt(r.closed, "%d.%m.%Y %H:%M:%S") or "не закрыта",
                r.stage,
                r.pipeline,
                company,
                _s(getattr(r, "tags", "")),
                REASON_LABELS.get(r.lost_reason, _s(r.lost_reason)) if r.outcome == "lost" else "",
                r.product,
                _s(getattr(r, "product2", "")),
                utm,
                utm if int(r.deal_id) % 3 == 0 else "",
            ]
        )
    text = _csv_text(AMO_HEADER, rows, delimiter=";", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def bitrix_activities_csv(data: Dataset) -> bytes:
    """Bitrix24 activities export: Windows-1251, ';', comments quoted with embedded line breaks
    and backslash-escaped quotes."""
    managers, clients = _names(data)
    a = data.activities.sort_values(
        "activity_id", key=lambda s: s.astype("int64"), kind="mergesort"
    )
    subjects = a["subject"] if "subject" in a.columns else pd.Series("", index=a.index)
    rows = []
    for r, subject in zip(a.itertuples(index=False), subjects, strict=True):
        rows.append(
            [
                r.activity_id,
                TYPE_LABELS[r.type],
                _s(subject),
                _crm_name(managers[r.manager_id]),
                clients.get(r.client_id, "") if r.client_id else "",
                _dt(r.occurred_at, "%d.%m.%Y %H:%M"),
                _dt(r.logged_at, "%d.%m.%Y %H:%M"),
                STATUS_LABELS[r.status],
                RESULT_LABELS[r.result],
                REASON_LABELS.get(r.refusal_reason, _s(r.refusal_reason)),
                _s(r.comment),
                _s(r.deal_id),
            ]
        )
    text = _csv_text(
        BITRIX_HEADER,
        rows,
        delimiter=";",
        quotechar='"',
        escapechar="\\",
        doublequote=False,
        lineterminator="\r\n",
    )
    return text.encode("cp1251")


def onec_sales_xlsx(data: Dataset) -> bytes:
    """1C "Продажи" report: rows 1-4 title block, row 5 blank but for 'Продажи' merged over the
    Количество/Сумма columns, header on row 6, then per manager a bold group row (name in the
    first column, subtotals) followed by its detail rows (outline level 1), and an 'Итого' row."""
    managers, clients = _names(data)
    s = data.sales.copy()
    s["_manager"] = s["manager_id"].map(managers)
    s = s.sort_values(["_manager", "date", "sale_id"], kind="mergesort")
    start, end = data.meta.get("period_start"), data.meta.get("as_of")
    wb = Workbook()
    ws = wb.active
    ws.title = "Продажи"
    bold = Font(bold=True)
    ws["A1"] = "Продажи"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Период: {_dt(start, '%d.%m.%Y')} - {_dt(end, '%d.%m.%Y')}"
    ws["A3"] = 'Отборы: Организация Равно "Основная организация"; Группировка: Менеджер'
    ws["A4"] = "Показатели: Количество, Выручка"
    ws.cell(row=5, column=7, value="Продажи").font = bold
    ws.merge_cells(start_row=5, start_column=7, end_row=5, end_column=8)
    ws.cell(row=5, column=7).alignment = Alignment(horizontal="center")
    for col, name in enumerate(ONEC_COLUMNS + ["Количество", "Сумма"], start=1):
        ws.cell(row=6, column=col, value=name).font = bold
    row = 7
    for manager, grp in s.groupby("_manager", sort=True):
        ws.cell(row=row, column=1, value=manager).font = bold
        q = ws.cell(row=row, column=7, value=float(round(grp["quantity"].sum(), 3)))
        a = ws.cell(row=row, column=8, value=float(round(grp["amount"].sum(), 2)))
        q.font = a.font = bold
        q.number_format = "#,##0.000"
        a.number_format = "#,##0.00"
        row += 1
        for r in grp.itertuples(index=False):
            ws.cell(row=row, column=1, value=r.date.to_pydatetime()).number_format = "DD.MM.YYYY"
            ws.cell(row=row, column=2, value=_onec_company(clients.get(r.client_id, "")))
            ws.cell(row=row, column=3, value=r.product)
            ws.cell(row=row, column=4, value=r.brand)
            ws.cell(row=row, column=5, value=manager)
            ws.cell(row=row, column=6, value=r.route)
            ws.cell(row=row, column=7, value=float(r.quantity)).number_format = "#,##0.000"
            ws.cell(row=row, column=8, value=float(round(r.amount, 2))).number_format = "#,##0.00"
            ws.row_dimensions[row].outline_level = 1
            row += 1
    ws.cell(row=row, column=1, value="Итого").font = bold
    q = ws.cell(row=row, column=7, value=float(round(s["quantity"].sum(), 3)))
    a = ws.cell(row=row, column=8, value=float(round(s["amount"].sum(), 2)))
    q.font = a.font = bold
    q.number_format = "#,##0.000"
    a.number_format = "#,##0.00"
    for col, width in zip("ABCDEFGH", (34, 32, 36, 14, 34, 20, 12, 16), strict=True):
        ws.column_dimensions[col].width = width
    ws.sheet_properties.outlinePr.summaryBelow = False
    return workbook_bytes(wb)


def _month_header(period: pd.Timestamp) -> str:
    if period.year == 2025:
        return period.strftime("%m.%Y")
    return f"{MONTHS_RU[period.month - 1]} {period.year}"


def _wide(
    ws,
    title: str | None,
    labels: list[str],
    keys: list[tuple[tuple, tuple]],
    frame: pd.DataFrame,
    key_cols: list[str],
    months: list[pd.Timestamp],
    total: str | None,
) -> None:
    """Write a wide plan table: label columns, then one column per month.

    ``keys`` lists the rows as ``(key values in key_cols, label texts)``.
    """
    bold = Font(bold=True)
    row = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
        row = 3
    for c, name in enumerate(labels + [_month_header(m) for m in months], start=1):
        ws.cell(row=row, column=c, value=name).font = bold
    values = {
        (*k[:-1], pd.Timestamp(k[-1])): v
        for k, v in frame.set_index(key_cols + ["period"])["value"].items()
    }
    for key, texts in keys:
        row += 1
        for c, text in enumerate(texts, start=1):
            ws.cell(row=row, column=c, value=text)
        for c, m in enumerate(months, start=len(labels) + 1):
            v = values.get((*key, m))
            if v is not None and not pd.isna(v):
                ws.cell(row=row, column=c, value=float(v)).number_format = "#,##0"
    if total:
        row += 1
        ws.cell(row=row, column=1, value=total).font = bold
        sums = frame.groupby("period")["value"].sum()
        for c, m in enumerate(months, start=len(labels) + 1):
            if m in sums.index:
                cell = ws.cell(row=row, column=c, value=float(sums[m]))
                cell.number_format = "#,##0"
                cell.font = bold
    ws.column_dimensions["A"].width = 24


def plan_xlsx(data: Dataset) -> bytes:
    """The director's plan workbook: sheet 'План продаж' (managers x months, money only, a total
    row). A plan with brand / client / activity breakdowns and acknowledgements (the healthy
    profile) gets the sheets 'План по брендам', 'План по клиентам', 'План активностей' and
    'Ознакомление'."""
    managers, _ = _names(data)
    order = list(data.managers["manager_id"])
    p = data.plans.copy()
    months = sorted(p["period"].unique())
    months = [pd.Timestamp(m) for m in months]
    wb = Workbook()
    ws = wb.active
    ws.title = "План продаж"
    money = p[(p["dimension"] == "none") & (p["metric"] == "revenue")]
    ids = [m for m in order if m in set(money["manager_id"])]
    keys = [((mid,), (_short_name(managers[mid]),)) for mid in ids]
    _wide(ws, "План продаж отдела, руб.", ["Менеджер"], keys, money, ["manager_id"], months,
          "Итого по отделу")  # fmt: skip
    brand = p[p["dimension"] == "brand"]
    if len(brand):
        ws = wb.create_sheet("План по брендам")
        pairs = brand[["manager_id", "dimension_value"]].drop_duplicates()
        pairs = pairs.sort_values(["manager_id", "dimension_value"], kind="mergesort")
        keys = [((m, b), (_short_name(managers[m]), b)) for m, b in pairs.itertuples(index=False)]
        _wide(ws, None, ["Менеджер", "Бренд"], keys, brand, ["manager_id", "dimension_value"],
              months, None)  # fmt: skip
    client = p[p["dimension"] == "client"]
    if len(client):
        ws = wb.create_sheet("План по клиентам")
        pairs = client[["manager_id", "dimension_value"]].drop_duplicates()
        pairs = pairs.sort_values(["manager_id", "dimension_value"], kind="mergesort")
        keys = [((m, c), (_short_name(managers[m]), c)) for m, c in pairs.itertuples(index=False)]
        _wide(ws, None, ["Менеджер", "Клиент"], keys, client, ["manager_id", "dimension_value"],
              months, None)  # fmt: skip
    acts = p[(p["dimension"] == "none") & (p["metric"] != "revenue")]
    if len(acts):
        ws = wb.create_sheet("План активностей")
        names = {"meetings": "Встречи", "calls": "Звонки", "proposals": "КП"}
        pairs = acts[["manager_id", "metric"]].drop_duplicates()
        pairs = pairs.sort_values(["manager_id", "metric"], kind="mergesort")
        keys = [
            ((m, k), (_short_name(managers[m]), names[k])) for m, k in pairs.itertuples(index=False)
        ]
        _wide(ws, None, ["Менеджер", "Показатель"], keys, acts, ["manager_id", "metric"], months,
              None)  # fmt: skip
    ack = money.dropna(subset=["acknowledged_at"])
    if len(ack):
        ws = wb.create_sheet("Ознакомление")
        for c, name in enumerate(["Сотрудник", "Период", "Дата ознакомления", "Подпись"], 1):
            ws.cell(row=1, column=c, value=name).font = Font(bold=True)
        ack = ack.sort_values(["period", "manager_id"], kind="mergesort")
        for i, r in enumerate(ack.itertuples(index=False), start=2):
            ws.cell(row=i, column=1, value=_short_name(managers[r.manager_id]))
            ws.cell(row=i, column=2, value=r.period.strftime("%m.%Y"))
            ws.cell(row=i, column=3, value=r.acknowledged_at.strftime("%d.%m.%Y"))
            ws.cell(row=i, column=4, value="ознакомлен")
    return workbook_bytes(wb)


def managers_xlsx(data: Dataset) -> bytes:
    """The staff list as HR keeps it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Сотрудники"
    for c, name in enumerate(MANAGERS_HEADER, start=1):
        ws.cell(row=1, column=c, value=name).font = Font(bold=True)
    for i, r in enumerate(data.managers.itertuples(index=False), start=2):
        ws.cell(row=i, column=1, value=r.name)
        ws.cell(row=i, column=2, value=ROLE_LABELS.get(r.role, ""))
        ws.cell(row=i, column=3, value=PAY_LABELS.get(r.pay, "") or None)
        ws.cell(row=i, column=4, value=r.hired.to_pydatetime()).number_format = "DD.MM.YYYY"
        if not pd.isna(r.left):
            ws.cell(row=i, column=5, value=r.left.to_pydatetime()).number_format = "DD.MM.YYYY"
        ws.cell(row=i, column=6, value=r.phone)
        ws.cell(row=i, column=7, value=r.email)
    for col, width in zip("ABCDEFG", (34, 30, 14, 13, 16, 18, 26), strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb)


def clients_csv(data: Dataset) -> bytes:
    """The client list exported from the CRM: UTF-8, ','."""
    managers, _ = _names(data)
    rows = [
        [
            r.name,
            _s(r.segment),
            _s(r.region),
            _crm_name(managers[r.manager_id]) if r.manager_id else "",
            _dt(r.created, "%d.%m.%Y"),
            _s(r.contact_person),
            _s(r.phone),
            _s(r.email),
        ]
        for r in data.clients.itertuples(index=False)
    ]
    return _csv_text(CLIENTS_HEADER, rows, delimiter=",", lineterminator="\n").encode("utf-8")


def trainings_csv(data: Dataset) -> bytes:
    """Who attended which training: UTF-8, ','."""
    managers, _ = _names(data)
    t = data.trainings.sort_values(["date", "training_id"], kind="mergesort")
    rows = [
        [managers[r.manager_id], _dt(r.date, "%d.%m.%Y"), r.topic]
        for r in t.itertuples(index=False)
    ]
    return _csv_text(TRAININGS_HEADER, rows, delimiter=",", lineterminator="\n").encode("utf-8")


def export_raw(data: Dataset, *, profile: str = "demo") -> dict[str, bytes]:
    """Render the ground truth as the raw files a consultant receives.

    Returns ``{"raw/<file>": bytes}`` for amoCRM deals, Bitrix24 activities, the 1C sales report,
    the plan workbook, the staff list, the client list and the trainings list. ``profile`` is
    accepted for symmetry with :func:`generate_dataset` (the plan workbook's extra sheets follow
    from the plan table itself).
    """
    del profile
    return {
        "raw/amocrm_deals.csv": amocrm_deals_csv(data),
        "raw/bitrix_activities.csv": bitrix_activities_csv(data),
        "raw/1c_sales.xlsx": onec_sales_xlsx(data),
        "raw/plan_2026.xlsx": plan_xlsx(data),
        "raw/managers.xlsx": managers_xlsx(data),
        "raw/clients.csv": clients_csv(data),
        "raw/trainings.csv": trainings_csv(data),
    }
