"""Generate a large synthetic client folder for benchmarks (vectorised numpy, seeded).

    python benchmarks/generate_scale.py --managers 50 --clients 20000 --activities 1000000 \\
        --deals 100000 --months 24 --out benchmarks/_data/scale

The files have the same formats and quirks as ``data_samples/demo/raw`` (amoCRM CSV with BOM and
repeated headers, Bitrix24 CSV in Windows-1251 with escaped quotes and line breaks, the 1C
"Продажи" report, the plan workbook, staff/client/training lists). The 1C report is written with
openpyxl's ``write_only`` mode (no merged cells or outline levels in that mode; group and total
rows are still there, bold); ``--sales-format csv`` writes ``1c_sales.csv`` (UTF-8, ';') instead.
No planted problems: the data only has to be realistic in volume and shape.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from salesaudit.synth._company import (
    _ROOTS,
    _TAILS,
    CATALOG,
    FIRST_F,
    FIRST_M,
    LAST_M,
    REGIONS,
    SEASON,
    SEGMENTS,
)
from salesaudit.synth._export import (
    AMO_HEADER,
    BITRIX_HEADER,
    CLIENTS_HEADER,
    MANAGERS_HEADER,
    MONTHS_RU,
    REASON_LABELS,
    RESULT_LABELS,
    STATUS_LABELS,
    TRAININGS_HEADER,
    TYPE_LABELS,
    workbook_bytes,
)

AS_OF = pd.Timestamp("2026-11-20")
MIDDLE = ("Сергеевич", "Игоревич", "Андреевич", "Олегович", "Павлович", "Николаевич",
          "Викторович", "Юрьевич")  # fmt: skip
REASONS = np.array(list(REASON_LABELS))
TYPES = np.array(["call", "meeting", "email", "proposal", "demo", "task"])
TYPE_P = np.array([0.36, 0.34, 0.10, 0.10, 0.05, 0.05])
RESULTS = np.array(["agreed", "clarify", "rescheduled", "refused", "no_answer"])
RESULT_P = np.array([0.28, 0.27, 0.12, 0.22, 0.11])
COMMENTS = np.array(
    [
        "Обсудили объемы на сезон",
        "Клиент запросил расчет",
        "Договорились о пробной партии",
        "Нужна отсрочка платежа",
        "Перезвонить на следующей неделе",
        'Снабженец: "бюджет утвердят позже"\nперезвонить через месяц',
    ]
)
OPEN_STAGES = np.array(
    ["Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора"]
)


def _people(n: int) -> pd.DataFrame:
    """n staff: 0 = owner, 1 = head of sales, the rest sales managers (unique names)."""
    rows = []
    for i in range(n):
        last = LAST_M[i % len(LAST_M)]
        female = (i // len(LAST_M)) % 3 == 2
        first = (FIRST_F if female else FIRST_M)[
            (i * 7) % (len(FIRST_F) if female else len(FIRST_M))
        ]
        middle = MIDDLE[(i // len(LAST_M)) % len(MIDDLE)]
        if female:
            last, middle = last + "а", middle[:-2] + "на"
        role = "owner" if i == 0 else ("head_of_sales" if i == 1 else "manager")
        pay = ("Оклад + %", "% от продаж", "Оклад")[i % 3] if role != "owner" else "Оклад"
        rows.append((f"{last} {first} {middle}", f"{first} {last}", f"{last} {first[0]}.{middle[0]}.",
                     role, pay))  # fmt: skip
    return pd.DataFrame(rows, columns=["full", "crm", "short", "role", "pay"])


def _clients(rng: np.random.Generator, n: int, n_staff: int) -> pd.DataFrame:
    combos = len(_ROOTS) * len(_TAILS)
    idx = np.arange(n)
    root = np.array(_ROOTS)[idx % len(_ROOTS)]
    tail = np.array(_TAILS)[(idx // len(_ROOTS)) % len(_TAILS)]
    num = idx // combos
    name = (
        pd.Series(root) + pd.Series(tail) + pd.Series(np.where(num > 0, " " + num.astype(str), ""))
    )
    form = np.where(rng.random(n) < 0.08, "АО", "ООО")
    regions = list(REGIONS)
    region = np.array(regions)[rng.integers(0, len(regions), n)]
    route = [
        REGIONS[r][k % len(REGIONS[r])] for r, k in zip(region, rng.integers(0, 2, n), strict=True)
    ]
    seg = np.array([s for s, _ in SEGMENTS])[rng.integers(0, len(SEGMENTS), n)]
    manager = rng.integers(0, n_staff, n)
    size = rng.lognormal(0.0, 1.0, n)
    created = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 4000, n), unit="D")
    return pd.DataFrame(
        {
            "crm": [f"{f} «{x}»" for f, x in zip(form, name, strict=True)],
            "onec": [f"{x} {f}" for f, x in zip(form, name, strict=True)],
            "segment": seg,
            "region": region,
            "route": route,
            "manager": manager,
            "size": size,
            "created": created,
        }
    )


def _times(
    rng: np.random.Generator, n: int, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DatetimeIndex:
    """n datetimes on weekdays between start and end, 09:00-18:00, seasonal by month."""
    days = pd.date_range(start, end - pd.Timedelta(days=1), freq="B")
    weights = np.array([SEASON[d.month] for d in days])
    pick = rng.choice(len(days), size=n, p=weights / weights.sum())
    minutes = rng.integers(9 * 60, 18 * 60, n)
    return pd.DatetimeIndex(days[pick]) + pd.to_timedelta(minutes, unit="m")


def _csv(header: list[str], columns: list, **dialect) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, **dialect)
    w.writerow(header)
    w.writerows(zip(*columns, strict=True))
    return buf.getvalue()


def _fmt(ts: pd.Series | pd.DatetimeIndex, fmt: str) -> np.ndarray:
    s = pd.Series(ts)
    return s.dt.strftime(fmt).fillna("").to_numpy()


def generate(args: argparse.Namespace) -> dict[str, float]:
    """Generate and write the folder; return row counts and timings."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    out = Path(args.out)
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    start = (AS_OF.to_period("M") - (args.months - 1)).start_time
    staff = _people(args.managers)
    clients = _clients(rng, args.clients, len(staff))
    products = [(b, p, price) for b, items in CATALOG.items() for p, price in items]
    prod_brand = np.array([b for b, _, _ in products])
    prod_name = np.array([p for _, p, _ in products])
    prod_price = np.array([x for _, _, x in products])

    # deals
    nd = args.deals
    d_created = _times(rng, nd, start, AS_OF)
    d_client = rng.integers(0, len(clients), nd)
    d_manager = clients["manager"].to_numpy()[d_client]
    d_amount = np.round(np.clip(rng.lognormal(np.log(190_000), 0.6, nd), 20_000, 3_000_000), -2)
    dur = pd.to_timedelta(4 + rng.gamma(2.0, 11.0, nd), unit="D").round("min")
    d_closed = pd.DatetimeIndex(d_created + dur)
    is_open = np.asarray(d_closed >= AS_OF)
    won = ~is_open & (rng.random(nd) < 0.26)
    lost = ~is_open & ~won
    stage = np.where(won, "Успешно реализовано", np.where(lost, "Закрыто и не реализовано",
                     OPEN_STAGES[rng.integers(0, 4, nd)]))  # fmt: skip
    reason = np.where(
        lost, np.array([REASON_LABELS[r] for r in REASONS])[rng.integers(0, 6, nd)], ""
    )
    d_prod = rng.integers(0, len(products), nd)
    d_ids = 30_000_001 + np.arange(nd) * 3
    closed_txt = np.where(is_open, "не закрыта", _fmt(d_closed, "%d.%m.%Y %H:%M:%S"))
    company = clients["crm"].to_numpy()[d_client]
    utm = np.array(["", "", "yandex", "google", "exhibition"])[rng.integers(0, 5, nd)]
    amo = _csv(
        AMO_HEADER,
        [
            d_ids.astype(str),
            np.char.add(
                np.char.add(prod_brand[d_prod], ": поставка — "),
                clients["crm"].to_numpy()[d_client],
            ),
            d_amount.astype(np.int64).astype(str),
            staff["crm"].to_numpy()[d_manager],
            _fmt(d_created, "%d.%m.%Y %H:%M:%S"),
            closed_txt,
            stage,
            np.where(rng.random(nd) < 0.2, "Новые клиенты", "Действующие клиенты"),
            company,
            np.array(["", "опт", "объект", "тендер"])[rng.integers(0, 4, nd)],
            reason,
            prod_name[d_prod],
            np.where(rng.random(nd) < 0.4, prod_name[rng.integers(0, len(products), nd)], ""),
            utm,
            np.where(rng.random(nd) < 0.3, utm, ""),
        ],
        delimiter=";",
        lineterminator="\r\n",
    )
    (raw / "amocrm_deals.csv").write_bytes(("\ufeff" + amo).encode("utf-8"))

    # activities
    na = args.activities
    a_time = _times(rng, na, start, AS_OF + pd.Timedelta(days=3))
    a_type = TYPES[rng.choice(len(TYPES), size=na, p=TYPE_P)]
    a_client = rng.integers(0, len(clients), na)
    a_manager = clients["manager"].to_numpy()[a_client]
    a_logged = a_time + pd.to_timedelta(rng.integers(1, 180, na), unit="m")
    planned = np.asarray(a_time >= AS_OF)
    overdue = ~planned & (rng.random(na) < 0.02)
    status = np.where(planned, "planned", np.where(overdue, "overdue", "done"))
    result = RESULTS[rng.choice(len(RESULTS), size=na, p=RESULT_P)]
    result = np.where(
        (status != "done") | np.isin(a_type, ["email", "task", "proposal"]), "none", result
    )
    a_reason = np.where(
        result == "refused",
        np.array([REASON_LABELS[r] for r in REASONS])[rng.integers(0, 6, na)],
        "",
    )
    comment = np.where(rng.random(na) < 0.35, COMMENTS[rng.integers(0, len(COMMENTS), na)], "")
    deal_link = np.where(rng.random(na) < 0.3, d_ids[rng.integers(0, nd, na)].astype(str), "")
    order = np.argsort(np.asarray(a_logged), kind="stable")
    no_client = a_type == "task"
    type_label = pd.Series(a_type).map(TYPE_LABELS).to_numpy()[order]
    bitrix = _csv(
        BITRIX_HEADER,
        [
            (600_001 + np.arange(na) * 2).astype(str),
            type_label,
            type_label,  # Тема: Bitrix fills the subject with the type when nobody typed one
            staff["crm"].to_numpy()[a_manager][order],
            np.where(no_client, "", clients["crm"].to_numpy()[a_client])[order],
            _fmt(a_time, "%d.%m.%Y %H:%M")[order],
            _fmt(a_logged, "%d.%m.%Y %H:%M")[order],
            pd.Series(status).map(STATUS_LABELS).to_numpy()[order],
            pd.Series(result).map(RESULT_LABELS).to_numpy()[order],
            a_reason[order],
            comment[order],
            deal_link[order],
        ],
        delimiter=";",
        quotechar='"',
        escapechar="\\",
        doublequote=False,
        lineterminator="\r\n",
    )
    (raw / "bitrix_activities.csv").write_bytes(bitrix.encode("cp1251"))

    # sales: shipments of won deals + re-orders, one row per line
    ns = args.sales
    s_date = _times(rng, ns, start, AS_OF).normalize()
    s_client = rng.choice(
        len(clients), size=ns, p=(clients["size"] / clients["size"].sum()).to_numpy()
    )
    s_prod = rng.integers(0, len(products), ns)
    qty = np.maximum(1, np.round(rng.lognormal(np.log(30_000), 0.9, ns) / prod_price[s_prod]))
    amount = np.round(qty * prod_price[s_prod] * rng.uniform(0.88, 1.0, ns), 2)
    sales = pd.DataFrame(
        {
            "date": s_date,
            "client": clients["onec"].to_numpy()[s_client],
            "product": prod_name[s_prod],
            "brand": prod_brand[s_prod],
            "manager": staff["full"].to_numpy()[clients["manager"].to_numpy()[s_client]],
            "route": clients["route"].to_numpy()[s_client],
            "qty": qty,
            "amount": amount,
        }
    ).sort_values(["manager", "date"], kind="stable")
    if args.sales_format == "csv":
        text = _csv(
            ["Период", "Контрагент", "Номенклатура", "Бренд", "Менеджер", "Маршрут", "Количество", "Сумма"],
            [_fmt(sales["date"], "%d.%m.%Y"), sales["client"], sales["product"], sales["brand"],
             sales["manager"], sales["route"], sales["qty"].map("{:.0f}".format),
             sales["amount"].map("{:.2f}".format)],
            delimiter=";",
            lineterminator="\r\n",
        )  # fmt: skip
        (raw / "1c_sales.csv").write_bytes(text.encode("utf-8"))
        (raw / "1c_sales.xlsx").unlink(missing_ok=True)
    else:
        _write_onec_xlsx(raw / "1c_sales.xlsx", sales, start)
        (raw / "1c_sales.csv").unlink(missing_ok=True)

    # plan, staff, clients, trainings
    _write_small_files(raw, staff, clients, sales, start)
    demo_answers = Path(__file__).resolve().parents[1] / "data_samples" / "demo" / "answers.yaml"
    if demo_answers.is_file():
        shutil.copyfile(demo_answers, out / "answers.yaml")
    (out / "report.yaml").write_text(
        "client_name: ООО «Масштаб» (синтетика для бенчмарка)\nindustry: B2B-дистрибуция\n"
        f"as_of: {AS_OF.date().isoformat()}\nconsultant: Бенчмарк\ncurrency: RUB\n",
        encoding="utf-8",
    )
    return {
        "deals": nd,
        "activities": na,
        "sales": ns,
        "clients": len(clients),
        "managers": len(staff),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _write_onec_xlsx(path: Path, sales: pd.DataFrame, start: pd.Timestamp) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Продажи")
    bold = Font(bold=True)

    def b(value):
        c = WriteOnlyCell(ws, value=value)
        c.font = bold
        return c

    ws.append(["Продажи"])
    ws.append([f"Период: {start:%d.%m.%Y} - {AS_OF:%d.%m.%Y}"])
    ws.append(['Отборы: Организация Равно "Основная организация"; Группировка: Менеджер'])
    ws.append(["Показатели: Количество, Выручка"])
    ws.append([None, None, None, None, None, None, b("Продажи"), None])
    ws.append([b(h) for h in ["Период", "Контрагент", "Номенклатура", "Бренд", "Менеджер", "Маршрут",
                              "Количество", "Сумма"]])  # fmt: skip
    for manager, grp in sales.groupby("manager", sort=True):
        ws.append([b(manager), None, None, None, None, None, b(float(grp["qty"].sum())),
                   b(round(float(grp["amount"].sum()), 2))])  # fmt: skip
        dates = grp["date"].astype(object)  # Timestamps are datetimes for openpyxl
        for d, row in zip(dates, grp.itertuples(index=False), strict=True):
            ws.append([d, row.client, row.product, row.brand, row.manager, row.route, float(row.qty),
                       float(row.amount)])  # fmt: skip
    ws.append([b("Итого"), None, None, None, None, None, b(float(sales["qty"].sum())),
               b(round(float(sales["amount"].sum()), 2))])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def _write_small_files(raw: Path, staff: pd.DataFrame, clients: pd.DataFrame, sales: pd.DataFrame,
                       start: pd.Timestamp) -> None:  # fmt: skip
    months = pd.period_range(start, AS_OF.to_period("M"), freq="M")
    monthly = sales.groupby("manager")["amount"].sum() / len(months)
    wb = Workbook()
    ws = wb.active
    ws.title = "План продаж"
    ws.append(["План продаж отдела, руб."])
    ws.append([])
    ws.append(["Менеджер"] + [f"{MONTHS_RU[m.month - 1]} {m.year}" for m in months])
    totals = np.zeros(len(months))
    for person in staff.itertuples(index=False):
        if person.role == "owner":
            continue
        base = float(monthly.get(person.full, 0.0)) * 1.1
        values = [round(base * SEASON[m.month], -4) for m in months]
        totals += values
        ws.append([person.short] + values)
    ws.append(["Итого по отделу"] + totals.tolist())
    (raw / "plan_2026.xlsx").write_bytes(workbook_bytes(wb))

    wb = Workbook()
    ws = wb.active
    ws.title = "Сотрудники"
    ws.append(MANAGERS_HEADER)
    roles = {"owner": "Генеральный директор", "head_of_sales": "Руководитель отдела продаж",
             "manager": "Менеджер по продажам"}  # fmt: skip
    for i, p in enumerate(staff.itertuples(index=False)):
        ws.append([p.full, roles[p.role], p.pay, dt.datetime(2020, 1, 1) + dt.timedelta(days=17 * i), None,
                   f"+7 900 0{i // 10000:02d}-{(i // 100) % 100:02d}-{i % 100:02d}", f"staff{i}@example.ru"])  # fmt: skip
    (raw / "managers.xlsx").write_bytes(workbook_bytes(wb))

    n = len(clients)
    text = _csv(
        CLIENTS_HEADER,
        [clients["crm"], clients["segment"], clients["region"],
         staff["crm"].to_numpy()[clients["manager"].to_numpy()], _fmt(clients["created"], "%d.%m.%Y"),
         ["Контакт " + str(i) for i in range(n)],
         [f"+7 900 1{(i // 10000) % 100:02d}-{(i // 100) % 100:02d}-{i % 100:02d}" for i in range(n)],
         [f"client{i}@example.ru" for i in range(n)]],
        delimiter=",",
        lineterminator="\n",
    )  # fmt: skip
    (raw / "clients.csv").write_bytes(text.encode("utf-8"))
    trained = staff[staff["role"] == "manager"]["full"].tolist()[: max(2, len(staff) // 3)]
    text = _csv(
        TRAININGS_HEADER,
        [trained, ["12.03.2026"] * len(trained), ["Работа с возражениями"] * len(trained)],
        delimiter=",",
        lineterminator="\n",
    )
    (raw / "trainings.csv").write_bytes(text.encode("utf-8"))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--managers", type=int, default=50, help="staff incl. owner and head (50)")
    p.add_argument("--clients", type=int, default=20_000)
    p.add_argument("--activities", type=int, default=1_000_000)
    p.add_argument("--deals", type=int, default=100_000)
    p.add_argument("--sales", type=int, default=300_000, help="1C sales lines (300000)")
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--sales-format", choices=("xlsx", "csv"), default="xlsx")
    p.add_argument("--out", default="benchmarks/_data/scale")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if min(args.managers, args.clients, args.activities, args.deals, args.sales, args.months) < 1:
        print("generate_scale: every size must be >= 1", file=sys.stderr)
        return 2
    if args.managers < 3:
        print(
            "generate_scale: --managers must be >= 3 (owner, head of sales, a manager)",
            file=sys.stderr,
        )
        return 2
    stats = generate(args)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
