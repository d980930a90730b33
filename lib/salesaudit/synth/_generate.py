"""Ground-truth canonical tables of the demo company, built from one seeded random generator.

The simulation walks the calendar day by day: each seller holds meetings, calls and e-mails with
clients of his portfolio; some meetings open deals, deals get a proposal, calls and a closing
activity; won deals ship through 1C, and active clients also re-order every month with seasonal
demand. The planted problems of the ``demo`` profile are switched on by :class:`_Knobs`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame
from salesaudit.synth._company import (
    AS_OF,
    BRANDS,
    CATALOG,
    HISTORY_START,
    REGION_WEIGHTS,
    REGIONS,
    SEASON,
    SEGMENTS,
    Person,
    company_names,
    crm_company,
    demand,
    person_name,
    phone,
    russian_holidays,
    staff,
    translit,
)

PROFILES = ("demo", "healthy")
#: the simulation warms up two months before the history starts so that June 2025 is not empty
SIM_START = dt.date(2025, 4, 1)
N_CLIENTS = 600
#: portfolio of the manager who leaves (m12) passes to his replacement (m13)
LEAVER, REPLACEMENT = "m12", "m13"
HEAD, OWNER, FABRICATOR = "m14", "m15", "m07"
NO_BUDGET_MANAGER, NOT_INTERESTED_MANAGER = "m02", "m05"
TRAINING_WORKED = ("t1", dt.date(2026, 3, 12), "Работа с возражениями и ведение переговоров")
TRAINING_NO_EFFECT = ("t2", dt.date(2026, 6, 18), "Продуктовое обучение: новые линейки брендов")
GROUP_WORKED = ("m01", "m03", "m04", "m06")
GROUP_NO_EFFECT = ("m08", "m09", "m10", "m11")

REASONS = ("no_budget", "not_interested", "too_expensive", "competitor", "no_need", "timing")
TEAM_MIX = (0.15, 0.14, 0.22, 0.20, 0.14, 0.15)
#: half-hour-grid start times of field meetings (hour, minute); at most four fit in a day
SLOTS = ((9, 30), (11, 0), (12, 30), (14, 0), (15, 30), (17, 0))

MEETING_COMMENTS = (
    "Обсудили ассортимент {brand}, клиент запросил условия по отсрочке",
    "Презентовали линейку {brand}, договорились о пробной партии",
    "Встреча на объекте, обсудили объемы на сезон",
    "Обсудили текущие остатки и график отгрузок",
    "Клиент сравнивает наши цены с другими поставщиками, нужен расчет",
    "Показали образцы {brand}, снабженец передаст руководству",
    "Обсудили претензию по последней поставке, вопрос закрыт",
    "Встреча с главным инженером, интерес к {brand}",
    "Согласовали спецификацию, ждем подтверждение объема",
    "Клиент открывает новый объект, обсудили комплектацию",
)
SPECIAL_COMMENTS = (
    'Клиент просил "не звонить до понедельника"\nперезвонить после планерки',
    'Снабженец сказал: "бюджет утвердят в следующем квартале"',
    "Обсудили объем на сезон.\nНужен расчет доставки на объект",
    'Директор: "берем, если будет отсрочка 30 дней"\nготовим договор',
)
FAKE_COMMENTS = (
    "Встреча проведена, клиент думает",
    "Встреча проведена",
    "Провел презентацию, клиент заинтересован",
)
CALL_COMMENTS = (
    "",
    "",
    "Уточнили потребность",
    "Договорились о встрече",
    "Напомнил о счете",
    "Не дозвонился, перезвонить",
    "Уточнил сроки поставки",
)
MANAGEMENT_TASKS = (
    "Планерка отдела продаж",
    "Разбор сделок с менеджером",
    "Совместный выезд к клиенту с менеджером",
    "Проверка заполнения CRM",
    "Планирование недели с менеджерами",
    "Обучение нового менеджера",
)


@dataclass(frozen=True)
class _Knobs:
    """Everything that differs between the demo and the healthy profile."""

    planted: bool
    head_meetings: float  # head of sales' own client meetings per day
    head_tasks: float  # his management tasks per day
    owner_meetings: float
    head_revenue_target: float  # share of expected re-order revenue in his portfolio
    stall_prob: float  # chance that a mid-aged deal stalls

    @staticmethod
    def of(profile: str) -> _Knobs:
        if profile == "demo":
            return _Knobs(True, 1.7, 0.15, 1.0, 0.30, 0.025)
        return _Knobs(False, 0.4, 2.2, 0.3, 0.04, 0.0015)


@dataclass
class _Client:
    idx: int
    client_id: str
    form: str
    name: str
    segment: str
    region: str
    route: str
    created: dt.date
    size: float
    dormant: bool
    brands: tuple[str, ...]
    discount: float
    contact: tuple[str, str]
    portfolio: str = ""


@dataclass
class _Deal:
    key: int
    client: _Client
    manager_id: str
    portfolio: str
    created: dt.datetime
    amount: float
    brand: str
    product: str
    product2: str | None
    pipeline: str
    outcome: str = "open"
    stage: str = "Первичный контакт"
    closed: dt.datetime | None = None
    lost_reason: str | None = None
    tags: str = ""
    utm: str = ""
    duration: float = 30.0  # days from creation to the close (planned by the simulation)


@dataclass
class _State:
    rng: np.random.Generator
    profile: str
    knobs: _Knobs
    people: list[Person]
    clients: list[_Client] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    deals: list[_Deal] = field(default_factory=list)
    sales: list[dict] = field(default_factory=list)
    holidays: set[dt.date] = field(default_factory=set)

    def person(self, manager_id: str) -> Person:
        return next(p for p in self.people if p.manager_id == manager_id)


# --- calendar helpers ------------------------------------------------------------------------
def _is_workday(day: dt.date, hol: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in hol


def _next_workday(day: dt.date, hol: set[dt.date]) -> dt.date:
    while not _is_workday(day, hol):
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def _rand_time(rng: np.random.Generator, day: dt.date, start_h: int = 9, end_h: int = 18):
    minutes = int(rng.integers(start_h * 60, end_h * 60))
    return _at(day, minutes // 60, minutes % 60)


# --- portfolio owners over time --------------------------------------------------------------
def _seller_of(state: _State, portfolio: str, day: dt.date) -> str:
    """Who works a portfolio on a day (the leaver's clients pass to the replacement; in the gap
    between them the head of sales covers)."""
    if portfolio != LEAVER:
        return portfolio
    leaver, repl = state.person(LEAVER), state.person(REPLACEMENT)
    if day <= leaver.left:
        return LEAVER
    if day >= repl.hired:
        return REPLACEMENT
    return HEAD


def _mix(state: _State, manager_id: str) -> np.ndarray:
    """Refusal-reason probabilities of a manager (the planted skews in the demo profile)."""
    mix = np.array(TEAM_MIX)
    if state.knobs.planted and manager_id in (NO_BUDGET_MANAGER, NOT_INTERESTED_MANAGER):
        target = 0 if manager_id == NO_BUDGET_MANAGER else 1
        share = 0.70
        rest = np.delete(mix, target)
        mix = np.insert(rest / rest.sum() * (1 - share), target, share)
    return mix / mix.sum()


def _reason(state: _State, manager_id: str) -> str:
    return REASONS[int(state.rng.choice(len(REASONS), p=_mix(state, manager_id)))]


# --- clients ---------------------------------------------------------------------------------
def _make_clients(state: _State) -> None:
    rng = state.rng
    names = company_names(rng, N_CLIENTS)
    seg_names = [s for s, _ in SEGMENTS]
    seg_p = np.array([w for _, w in SEGMENTS])
    regions = list(REGIONS)
    reg_p = np.array(REGION_WEIGHTS)
    sizes = rng.lognormal(0.0, 0.8, N_CLIENTS)
    sizes = sizes / sizes.mean()
    old_start, old_end = dt.date(2015, 1, 1).toordinal(), dt.date(2025, 5, 31).toordinal()
    new_start, new_end = dt.date(2025, 6, 2).toordinal(), dt.date(2026, 11, 6).toordinal()
    for i, (form, name) in enumerate(names):
        is_new = rng.random() < 0.2
        if is_new:
            created = dt.date.fromordinal(int(rng.integers(new_start, new_end + 1)))
            sizes[i] *= 0.6
        else:
            created = dt.date.fromordinal(int(rng.integers(old_start, old_end + 1)))
        region = regions[int(rng.choice(len(regions), p=reg_p))]
        routes = REGIONS[region]
        n_brands = int(rng.integers(2, 4))
        brands = tuple(sorted(rng.choice(len(BRANDS), size=n_brands, replace=False).tolist()))
        state.clients.append(
            _Client(
                idx=i,
                client_id=f"c{i + 1:04d}",
                form=form,
                name=name,
                segment=seg_names[int(rng.choice(len(seg_names), p=seg_p))],
                region=region,
                route=routes[int(rng.integers(len(routes)))],
                created=created,
                size=float(sizes[i]),
                dormant=bool(rng.random() < 0.1),
                brands=tuple(BRANDS[b] for b in brands),
                discount=float(np.round(rng.uniform(0.88, 1.0), 3)),
                contact=person_name(rng),
            )
        )
    _assign_portfolios(state)


def _assign_portfolios(state: _State) -> None:
    """Owner, head of sales and managers get their clients (the planted owner/head cases)."""
    rng = state.rng
    by_size = sorted(
        (c for c in state.clients), key=lambda c: (-(0 if c.dormant else c.size), c.idx)
    )
    total = sum(c.size for c in by_size if not c.dormant)
    if state.knobs.planted:
        old = [c for c in by_size if c.created < HISTORY_START]
        for c in old[:130]:
            if rng.random() < 0.95:
                c.portfolio = OWNER
        pool = [c for c in by_size if not c.portfolio]
    else:
        pool = list(by_size)
        for j in rng.choice(np.arange(150, 400), size=5, replace=False):
            by_size[int(j)].portfolio = OWNER
        pool = [c for c in by_size if not c.portfolio]
    # the head of sales takes the biggest remaining clients until his target share is reached
    head_share = 0.0
    for c in pool:  # biggest first, skipping some at random
        if head_share >= state.knobs.head_revenue_target:
            break
        if c.dormant or rng.random() < 0.3:
            continue
        c.portfolio = HEAD
        head_share += c.size / total
    free = [c for c in pool if not c.portfolio]
    managers = [f"m{i:02d}" for i in range(1, 13)]  # m12's portfolio passes to m13
    # snake order over clients sorted by size keeps portfolios balanced
    for k, c in enumerate(free):
        lap, pos = divmod(k, len(managers))
        c.portfolio = managers[pos if lap % 2 == 0 else len(managers) - 1 - pos]


def _client_weights(clients: list[_Client]) -> np.ndarray:
    w = np.array([c.size**0.75 * (0.3 if c.dormant else 1.0) for c in clients])
    return w / w.sum()


# --- activities and deals --------------------------------------------------------------------
def _activity(
    state: _State,
    manager_id: str,
    client: _Client | None,
    kind: str,
    occurred: dt.datetime,
    logged: dt.datetime,
    status: str = "done",
    result: str = "none",
    reason: str | None = None,
    comment: str = "",
    deal: _Deal | None = None,
    subject: str = "",
) -> None:
    state.activities.append(
        {
            "manager_id": manager_id,
            "client_id": client.client_id if client else None,
            "client_idx": client.idx if client else -1,
            "type": kind,
            "occurred_at": occurred,
            "logged_at": logged,
            "status": status,
            "result": result,
            "refusal_reason": reason,
            "comment": comment or None,
            "deal_key": deal.key if deal else -1,
            "subject": subject,
        }
    )


def _prompt_log(rng: np.random.Generator, occurred: dt.datetime, hol: set[dt.date]):
    """When an honest manager records a meeting: planned days ahead, or right after it."""
    if rng.random() < 0.55:
        day = occurred.date() - dt.timedelta(days=int(rng.integers(1, 6)))
        while not _is_workday(day, hol):
            day -= dt.timedelta(days=1)
        return _rand_time(rng, day, 9, 18)
    return occurred + dt.timedelta(minutes=int(rng.integers(5, 120)))


def _meeting_comment(rng: np.random.Generator, brand: str) -> str:
    u = rng.random()
    if u < 0.3:
        return ""
    if u < 0.34:
        return SPECIAL_COMMENTS[int(rng.integers(len(SPECIAL_COMMENTS)))]
    return MEETING_COMMENTS[int(rng.integers(len(MEETING_COMMENTS)))].format(brand=brand)


def _deal_probability(state: _State, manager_id: str, day: dt.date) -> float:
    if manager_id == OWNER:
        return 0.35
    if manager_id == HEAD:
        return 0.30
    if manager_id in GROUP_WORKED:
        if day > TRAINING_WORKED[1]:
            return 0.40 if state.knobs.planted else 0.33
        return 0.24 if state.knobs.planted else 0.28
    if manager_id in GROUP_NO_EFFECT and day > TRAINING_NO_EFFECT[1]:
        return 0.25 if state.knobs.planted else 0.31
    return 0.27


def _real_meeting(
    state: _State, manager_id: str, portfolio: str, client: _Client, start: dt.datetime
) -> None:
    """An honest meeting: prompt log, an outcome, sometimes a deal with its follow-ups."""
    rng, hol = state.rng, state.holidays
    day = start.date()
    logged = _prompt_log(rng, start, hol)
    brand = client.brands[int(rng.integers(len(client.brands)))]
    if day >= AS_OF:
        _activity(state, manager_id, client, "meeting", start, min(logged, _at(AS_OF, 9, 0)),
                  "planned", subject="Встреча")  # fmt: skip
        return
    p = _deal_probability(state, manager_id, day)
    if state.knobs.planted and manager_id == FABRICATOR:
        p = 0.15
    if rng.random() < p:
        deal = _new_deal(state, manager_id, portfolio, client, start, brand)
        _activity(state, manager_id, client, "meeting", start, logged, result="agreed",
                  comment=_meeting_comment(rng, brand), deal=deal, subject="Встреча")  # fmt: skip
        _deal_followups(state, deal)
        return
    u = rng.random()
    if u < 0.02:
        _activity(state, manager_id, client, "meeting", start, logged, "overdue",
                  subject="Встреча")  # fmt: skip
        return
    if u < 0.27:
        result, reason = "agreed", None
    elif u < 0.55:
        result, reason = "clarify", None
    elif u < 0.70:
        result, reason = "rescheduled", None
    else:
        result, reason = "refused", _reason(state, manager_id)
    _activity(state, manager_id, client, "meeting", start, logged, result=result, reason=reason,
              comment=_meeting_comment(rng, brand), subject="Встреча")  # fmt: skip


def _new_deal(
    state: _State,
    manager_id: str,
    portfolio: str,
    client: _Client,
    start: dt.datetime,
    brand: str,
) -> _Deal:
    rng, hol = state.rng, state.holidays
    created = start + dt.timedelta(minutes=int(rng.integers(60, 240)))
    if created.hour >= 19:
        created = _rand_time(rng, _next_workday(created.date() + dt.timedelta(days=1), hol), 9, 12)
    duration = 4 + float(rng.gamma(2.0, 11.0))
    close_month = (created + dt.timedelta(days=int(duration))).month
    amount = float(rng.lognormal(np.log(190_000), 0.55)) * SEASON[close_month]
    amount *= float(np.clip(client.size**0.35, 0.6, 2.5))
    if manager_id == OWNER:
        amount *= 1.2
    amount = float(np.round(np.clip(amount, 30_000, 2_500_000), -2))
    products = CATALOG[brand]
    pi = rng.choice(len(products), size=2, replace=False)
    product2 = products[int(pi[1])][0] if rng.random() < 0.4 else None
    pipeline = (
        "Новые клиенты" if (start.date() - client.created).days <= 60 else "Действующие клиенты"
    )
    tags = ("", "", "опт", "объект", "выставка", "тендер", "опт, объект")
    utm = ("", "", "", "yandex", "google", "exhibition", "referral")
    deal = _Deal(
        key=len(state.deals),
        client=client,
        manager_id=manager_id,
        portfolio=portfolio,
        created=created,
        amount=amount,
        brand=brand,
        product=products[int(pi[0])][0],
        product2=product2,
        pipeline=pipeline,
        tags=tags[int(rng.integers(len(tags)))],
        utm=utm[int(rng.integers(len(utm)))],
        duration=duration,
    )
    state.deals.append(deal)
    return deal


def _deal_followups(state: _State, deal: _Deal) -> None:
    """Proposal, calls, a demo and the closing activity of a deal; its outcome and shipments."""
    rng, hol = state.rng, state.holidays
    created_day = deal.created.date()
    duration = deal.duration
    close_day = _next_workday(created_day + dt.timedelta(days=int(duration)), hol)
    last_done = AS_OF - dt.timedelta(days=1)
    stalled = (
        AS_OF - dt.timedelta(days=220) <= created_day <= AS_OF - dt.timedelta(days=50)
        and rng.random() < state.knobs.stall_prob
    )
    if stalled:
        end_day = AS_OF - dt.timedelta(days=int(rng.integers(31, 121)))
        end_day = max(end_day, created_day + dt.timedelta(days=3))
        while not _is_workday(end_day, hol):
            end_day -= dt.timedelta(days=1)
        deal.stage = ("Переговоры", "Принимают решение", "Согласование договора")[
            int(rng.integers(3))
        ]
        deal.outcome = "open"
    elif close_day > last_done:
        end_day = last_done - dt.timedelta(days=int(rng.integers(0, 12)))
        end_day = max(end_day, created_day)
        while not _is_workday(end_day, hol) and end_day > created_day:
            end_day -= dt.timedelta(days=1)
        frac = (AS_OF - created_day).days / max(duration, 1.0)
        stages = ("Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора")
        deal.stage = stages[min(3, int(frac * 4))]
        deal.outcome = "open"
    else:
        end_day = close_day
        won_p = {OWNER: 0.4, FABRICATOR: 0.15 if state.knobs.planted else 0.27}.get(
            deal.manager_id, 0.27
        )
        deal.outcome = "won" if rng.random() < won_p else "lost"
    # proposal, optional demo, calls between, closing call
    span = (end_day - created_day).days
    prop_day = _next_workday(created_day + dt.timedelta(days=int(rng.integers(1, 4))), hol)
    if prop_day <= end_day:
        t = _rand_time(rng, prop_day)
        who = _seller_of(state, deal.portfolio, prop_day)
        _activity(state, who, deal.client, "proposal", t, t + dt.timedelta(minutes=3),
                  deal=deal, subject=f"КП: {deal.brand}")  # fmt: skip
    if span > 6 and rng.random() < 0.3:
        dday = _next_workday(created_day + dt.timedelta(days=int(rng.integers(3, span))), hol)
        if dday < end_day:
            t = _at(dday, int(rng.integers(10, 17)), 0)
            who = _seller_of(state, deal.portfolio, dday)
            _activity(state, who, deal.client, "demo", t, t - dt.timedelta(days=2), result="agreed",
                      deal=deal, subject=f"Демонстрация {deal.brand}")  # fmt: skip
    n_calls = int(rng.poisson(span / 32.0))
    for _ in range(n_calls):
        cday = created_day + dt.timedelta(days=int(rng.integers(1, max(2, span))))
        cday = _next_workday(cday, hol)
        if cday >= end_day:
            continue
        t = _rand_time(rng, cday)
        who = _seller_of(state, deal.portfolio, cday)
        res = ("clarify", "agreed", "no_answer", "rescheduled")[int(rng.integers(4))]
        _activity(state, who, deal.client, "call", t, t + dt.timedelta(minutes=int(rng.integers(1, 15))),
                  result=res, deal=deal, subject="Звонок")  # fmt: skip
    t_end = _rand_time(rng, end_day, 10, 18)
    who = _seller_of(state, deal.portfolio, end_day)
    logged_end = t_end + dt.timedelta(minutes=int(rng.integers(2, 30)))
    if deal.outcome == "open":
        _activity(state, who, deal.client, "call", t_end, logged_end, result="clarify",
                  deal=deal, comment="Клиент на согласовании", subject="Звонок")  # fmt: skip
        if not stalled and rng.random() < 0.5:
            nxt = AS_OF if rng.random() < 0.6 else dt.date(2026, 11, 23)
            tp = _rand_time(rng, nxt, 10, 17)
            _activity(state, _seller_of(state, deal.portfolio, nxt), deal.client, "call", tp,
                      logged_end, "planned", deal=deal, subject="Контрольный звонок")  # fmt: skip
        return
    deal.closed = t_end
    deal.stage = "Успешно реализовано" if deal.outcome == "won" else "Закрыто и не реализовано"
    if deal.outcome == "won":
        _activity(state, who, deal.client, "call", t_end, logged_end, result="agreed", deal=deal,
                  comment="Договор подписан, счет выставлен", subject="Закрытие сделки")  # fmt: skip
        _ship_deal(state, deal)
    else:
        deal.lost_reason = _reason(state, deal.manager_id)
        _activity(state, who, deal.client, "call", t_end, logged_end, result="refused",
                  reason=deal.lost_reason, deal=deal, comment="Клиент отказался",
                  subject="Закрытие сделки")  # fmt: skip


def _price(product_price: float, day: dt.date, client: _Client) -> float:
    months = (day.year - HISTORY_START.year) * 12 + day.month - HISTORY_START.month
    return round(product_price * (1 + 0.008 * months) * client.discount, 2)


def _ship_deal(state: _State, deal: _Deal) -> None:
    """1C shipment lines of a won deal; their amounts add up to the deal budget."""
    rng, hol = state.rng, state.holidays
    day = _next_workday(deal.closed.date() + dt.timedelta(days=int(rng.integers(1, 8))), hol)
    if day >= AS_OF:
        return  # not shipped yet
    products = CATALOG[deal.brand]
    names = [deal.product] + ([deal.product2] if deal.product2 else [])
    extra = [p for p, _ in products if p not in names]
    n_extra = int(rng.integers(0, 2))
    names += [extra[int(i)] for i in rng.choice(len(extra), size=n_extra, replace=False)]
    parts = rng.dirichlet(np.full(len(names), 3.0)) * deal.amount
    prices = dict(products)
    seller = _seller_of(state, deal.portfolio, day)
    for name, part in zip(names, parts, strict=True):
        unit = _price(prices[name], day, deal.client)
        qty = max(1, int(round(part / unit)))
        state.sales.append(
            {
                "date": day,
                "client": deal.client,
                "manager_id": seller,
                "product": name,
                "brand": deal.brand,
                "quantity": float(qty),
                "amount": round(float(part), 2),
            }
        )


def _day_of_seller(state: _State, manager_id: str, portfolio: str, day: dt.date, clients) -> None:
    """All activities one seller logs on one working day."""
    rng = state.rng
    if not clients:
        return
    weights = _client_weights(clients)
    k = state.knobs
    rate = {HEAD: k.head_meetings, OWNER: k.owner_meetings}.get(manager_id, 2.05)
    rate *= demand(day)
    n = min(int(rng.poisson(rate)), 4)
    slots = sorted(rng.choice(len(SLOTS), size=n, replace=False).tolist())
    for s in slots:
        h, m = SLOTS[s]
        start = _at(day, h, m) + dt.timedelta(minutes=5 * int(rng.integers(0, 4)))
        client = clients[int(rng.choice(len(clients), p=weights))]
        _real_meeting(state, manager_id, portfolio, client, start)
    planned = day >= AS_OF
    for _ in range(int(rng.poisson(0.15 if manager_id not in (HEAD, OWNER) else 0.1))):
        t = _rand_time(rng, day)
        client = clients[int(rng.choice(len(clients), p=weights))]
        if planned:
            _activity(state, manager_id, client, "call", t, _at(AS_OF, 9, 0) - dt.timedelta(days=1),
                      "planned", subject="Звонок")  # fmt: skip
            continue
        u = rng.random()
        res = ("agreed", "clarify", "no_answer", "rescheduled", "refused")[
            int(np.searchsorted([0.25, 0.55, 0.8, 0.9], u, side="right"))
        ]
        reason = _reason(state, manager_id) if res == "refused" else None
        comment = CALL_COMMENTS[int(rng.integers(len(CALL_COMMENTS)))]
        _activity(state, manager_id, client, "call", t, t + dt.timedelta(minutes=int(rng.integers(1, 20))),
                  result=res, reason=reason, comment=comment, subject="Звонок")  # fmt: skip
    if not planned:
        for _ in range(int(rng.poisson(0.1))):
            t = _rand_time(rng, day)
            client = clients[int(rng.choice(len(clients), p=weights))]
            _activity(state, manager_id, client, "email", t, t, subject="Письмо")
    if manager_id == HEAD:
        for _ in range(int(rng.poisson(k.head_tasks))):
            t = _rand_time(rng, day, 9, 17)
            topic = MANAGEMENT_TASKS[int(rng.integers(len(MANAGEMENT_TASKS)))]
            status = "planned" if planned else "done"
            _activity(state, HEAD, None, "task", t, t - dt.timedelta(hours=2), status,
                      subject=topic, comment=topic)  # fmt: skip


def _fabricator_day(state: _State, day: dt.date, clients: list[_Client], everyone: list[_Client]):
    """The fixed-pay manager's logged meetings: batches after 18:00, no outcomes, no deals,
    identical comments, 6+ meetings on some days, overlaps, weekend and holiday meetings."""
    rng, hol = state.rng, state.holidays
    workday = _is_workday(day, hol)
    if workday:
        n = int(rng.integers(6, 8)) if rng.random() < 0.09 else min(int(rng.poisson(2.7)), 5)
    else:
        n = int(rng.integers(1, 3)) if rng.random() < 0.12 else 0
    if n == 0:
        return
    starts = []
    for _ in range(n):
        h, m = SLOTS[int(rng.integers(len(SLOTS)))]
        starts.append(_at(day, h, m) + dt.timedelta(minutes=5 * int(rng.integers(0, 6))))
    starts.sort()
    if day >= AS_OF:
        return
    # the batch: logged at 18:0x the same day, or at 18:xx one to four days later
    log_day = day
    if rng.random() < 0.3:
        log_day = day + dt.timedelta(days=int(rng.integers(1, 5)))
    log_day = min(log_day, AS_OF - dt.timedelta(days=1))
    t_log = _at(log_day, 18, int(rng.integers(0, 25)))
    weights = _client_weights(clients)
    existing = [c for c in everyone if c.created <= day]
    for start in starts:
        t_log += dt.timedelta(minutes=int(rng.integers(1, 4)))
        if rng.random() < 0.15:
            # sometimes a client of a colleague (any client the CRM already has)
            client = existing[int(rng.integers(len(existing)))]
        else:
            client = clients[int(rng.choice(len(clients), p=weights))]
        if workday and rng.random() < 0.10:
            # an occasional real meeting, recorded like the rest
            brand = client.brands[0]
            if rng.random() < 0.15:
                deal = _new_deal(state, FABRICATOR, FABRICATOR, client, start, brand)
                _activity(state, FABRICATOR, client, "meeting", start, t_log, result="agreed",
                          comment=_meeting_comment(rng, brand), deal=deal, subject="Встреча")  # fmt: skip
                _deal_followups(state, deal)
            else:
                result = ("clarify", "refused")[int(rng.integers(2))]
                reason = _reason(state, FABRICATOR) if result == "refused" else None
                _activity(state, FABRICATOR, client, "meeting", start, t_log, result=result,
                          reason=reason, comment=_meeting_comment(rng, brand),
                          subject="Встреча")  # fmt: skip
            continue
        comment = FAKE_COMMENTS[int(rng.integers(len(FAKE_COMMENTS)))]
        _activity(state, FABRICATOR, client, "meeting", start, t_log, comment=comment,
                  subject="Встреча")  # fmt: skip


def _simulate(state: _State) -> None:
    hol = state.holidays
    portfolios: dict[str, list[_Client]] = {}
    for c in state.clients:
        portfolios.setdefault(c.portfolio, []).append(c)
    sellers = [f"m{i:02d}" for i in range(1, 13)] + [HEAD, OWNER]
    planned_days = (AS_OF, dt.date(2026, 11, 23))
    day = SIM_START
    end = dt.date(2026, 11, 23)
    while day <= end:
        for portfolio in sellers:
            who = _seller_of(state, portfolio, day)
            if who == HEAD and portfolio != HEAD:
                continue  # the head of sales covers the vacancy without extra visits
            person = state.person(who)
            if day < person.hired or (person.left and day > person.left):
                continue
            active = [c for c in portfolios.get(portfolio, []) if c.created <= day]
            if day > AS_OF and day not in planned_days:
                continue
            if state.knobs.planted and who == FABRICATOR:
                _fabricator_day(state, day, active, state.clients)
                if day >= AS_OF and _is_workday(day, hol):
                    _day_of_seller(state, who, portfolio, day, active)
                continue
            if _is_workday(day, hol):
                _day_of_seller(state, who, portfolio, day, active)
        if day == dt.date(2026, 11, 21):
            # Saturday before: a couple of planned preparation tasks
            for who in ("m03", "m08"):
                t = _at(day, 11, 0)
                _activity(state, who, None, "task", t, _at(AS_OF, 17, 40), "planned",
                          subject="Подготовить КП к понедельнику", comment="Подготовить КП")  # fmt: skip
        day += dt.timedelta(days=1)


def _reorders(state: _State) -> None:
    """Monthly repeat orders of active clients (seasonal, with a mild trend)."""
    rng, hol = state.rng, state.holidays
    months = pd.period_range("2025-06", "2026-11", freq="M")
    last_day = AS_OF - dt.timedelta(days=1)
    for c in state.clients:
        if c.dormant:
            continue
        base = 38_000.0 * c.size
        lam = 0.35 + 0.9 * min(c.size, 4.0) / 4.0
        for per in months:
            first = dt.date(per.year, per.month, 1)
            mid = first + dt.timedelta(days=14)
            for _ in range(int(rng.poisson(lam * SEASON[per.month] / 1.0))):
                lo = max(first, c.created + dt.timedelta(days=20))
                hi = dt.date(per.year, per.month, per.days_in_month)
                if lo > hi:
                    continue
                day = _next_workday(
                    lo + dt.timedelta(days=int(rng.integers(0, (hi - lo).days + 1))), hol
                )
                if day > min(hi, last_day):
                    continue  # next month, or after as_of in the running month
                value = base * demand(mid) * SEASON[per.month] ** -0.5 / lam
                value *= float(rng.lognormal(0.0, 0.35))
                n_lines = min(1 + int(rng.poisson(1.2)), 5)
                parts = rng.dirichlet(np.full(n_lines, 2.0)) * value
                seller = _seller_of(state, c.portfolio, day)
                for part in parts:
                    brand = c.brands[int(rng.integers(len(c.brands)))]
                    products = CATALOG[brand]
                    fitting = [p for p in products if p[1] * 2 <= part] or [
                        min(products, key=lambda p: p[1])
                    ]
                    name, price = fitting[int(rng.integers(len(fitting)))]
                    unit = _price(price, day, c)
                    qty = max(1, int(round(part / unit)))
                    state.sales.append(
                        {
                            "date": day,
                            "client": c,
                            "manager_id": seller,
                            "product": name,
                            "brand": brand,
                            "quantity": float(qty),
                            "amount": round(qty * unit, 2),
                        }
                    )


# --- canonical tables ------------------------------------------------------------------------
def _managers_frame(state: _State) -> pd.DataFrame:
    recs = []
    for i, p in enumerate(state.people):
        recs.append(
            {
                "manager_id": p.manager_id,
                "name": p.full,
                "role": p.role,
                "pay": p.pay,
                "hired": pd.Timestamp(p.hired),
                "left": pd.Timestamp(p.left) if p.left else None,
                "phone": phone(100 + i * 7),
                "email": f"{translit(p.first)[0]}.{translit(p.last)}@example.ru",
            }
        )
    return canonical_frame("managers", recs)


def _clients_frame(state: _State) -> pd.DataFrame:
    recs = []
    for c in state.clients:
        first, last = c.contact
        recs.append(
            {
                "client_id": c.client_id,
                "name": crm_company(c.form, c.name),
                "segment": c.segment,
                "region": c.region,
                "manager_id": _seller_of(state, c.portfolio, AS_OF),
                "created": pd.Timestamp(c.created),
                "contact_person": f"{first} {last}",
                "phone": phone(10_000 + c.idx * 13),
                "email": f"{translit(first)[0]}.{translit(last)}@example.ru",
            }
        )
    return canonical_frame("clients", recs)


def _deal_ids(state: _State) -> dict[int, str]:
    """amoCRM-like numeric ids in creation order."""
    kept = [d for d in state.deals if d.created.date() >= HISTORY_START]
    order = sorted(kept, key=lambda d: (d.created, d.key))
    return {d.key: str(24_310_001 + 7 * i) for i, d in enumerate(order)}


def _deals_frame(state: _State, ids: dict[int, str]) -> pd.DataFrame:
    recs = [
        {
            "deal_id": ids[d.key],
            "client_id": d.client.client_id,
            "manager_id": d.manager_id,
            "created": d.created,
            "stage": d.stage,
            "amount": d.amount,
            "expected_close": None,
            "closed": d.closed,
            "outcome": d.outcome,
            "lost_reason": d.lost_reason,
            "product": d.product,
            "brand": d.brand,
            "pipeline": d.pipeline,
            "product2": d.product2,
            "tags": d.tags,
            "utm_source": d.utm,
        }
        for d in sorted(state.deals, key=lambda d: (d.created, d.key))
        if d.key in ids
    ]
    frame = canonical_frame("deals", recs)
    return frame


def _activities_frame(state: _State, ids: dict[int, str]) -> pd.DataFrame:
    df = pd.DataFrame(state.activities)
    df["_n"] = np.arange(len(df))
    df = df[df["occurred_at"] >= pd.Timestamp(HISTORY_START)]
    # Bitrix numbers records in the order they were created
    df = df.sort_values(["logged_at", "_n"], kind="mergesort").reset_index(drop=True)
    df["activity_id"] = [str(512_001 + 3 * i) for i in range(len(df))]
    df["deal_id"] = [ids.get(k) for k in df["deal_key"]]
    df["result"] = df["result"].where(df["status"] == "done", "none")
    df = df.drop(columns=["_n", "deal_key", "client_idx"])
    return canonical_frame("activities", df)


def _sales_frame(state: _State) -> pd.DataFrame:
    rows = sorted(
        (r for r in state.sales if r["date"] >= HISTORY_START),
        key=lambda r: (r["manager_id"], r["date"], r["client"].idx, r["product"]),
    )
    recs = [
        {
            "sale_id": f"s{i + 1:06d}",
            "date": pd.Timestamp(r["date"]),
            "client_id": r["client"].client_id,
            "manager_id": r["manager_id"],
            "product": r["product"],
            "brand": r["brand"],
            "route": r["client"].route,
            "quantity": r["quantity"],
            "amount": r["amount"],
        }
        for i, r in enumerate(rows)
    ]
    return canonical_frame("sales", recs)


def _plans_frame(state: _State, sales: pd.DataFrame) -> pd.DataFrame:
    """Monthly money plan per seller; the healthy profile adds brand and client breakdowns
    (``dimension_value`` = brand name / client name as the plan workbook writes it), activity
    plans and acknowledgement dates."""
    rng = state.rng
    months = pd.period_range("2025-06", "2026-12", freq="M")
    s = sales.assign(month=sales["date"].dt.to_period("M"))
    by_mgr = s.groupby(["manager_id", "month"])["amount"].sum()
    recs = []
    sellers = [f"m{i:02d}" for i in range(1, 14)] + [HEAD]
    names = {c.client_id: crm_company(c.form, c.name) for c in state.clients}
    season_mean = float(np.mean(list(SEASON.values())))
    for mid in sellers:
        person = state.person(mid)
        mine = (
            by_mgr.loc[mid] if mid in by_mgr.index.get_level_values(0) else pd.Series(dtype=float)
        )
        mine = mine[mine.index < pd.Period("2026-11", freq="M")]
        norm = [v / SEASON[p.month] * season_mean for p, v in mine.items()] if len(mine) else [0.0]
        baseline = float(np.median(norm))
        uplift = float(rng.uniform(1.05, 1.2))
        brand_share = (
            s[s["manager_id"] == mid].groupby("brand")["amount"].sum().sort_index()
            if len(mine)
            else pd.Series(dtype=float)
        )
        top_clients = (
            s[s["manager_id"] == mid].groupby("client_id")["amount"].sum().nlargest(5).index
        )
        for k, per in enumerate(months):
            first = pd.Timestamp(per.start_time.date())
            last = per.end_time.date()
            if person.hired > last or (person.left and person.left < first.date()):
                continue
            trend = 1 + 0.01 * k
            value = float(np.round(baseline * SEASON[per.month] / season_mean * trend * uplift, -4))
            ack = None
            if not state.knobs.planted:
                ack = first - pd.Timedelta(days=int(rng.integers(1, 5))) + pd.Timedelta(hours=10)
            recs.append(_plan(first, mid, "none", None, "revenue", value, ack))
            if state.knobs.planted:
                continue
            total_b = float(brand_share.sum()) or 1.0
            for brand, amt in brand_share.items():
                recs.append(
                    _plan(
                        first,
                        mid,
                        "brand",
                        brand,
                        "revenue",
                        float(np.round(value * amt / total_b, -3)),
                        ack,
                    )  # fmt: skip
                )
            for cid in top_clients:
                c_amt = float(s[(s["manager_id"] == mid) & (s["client_id"] == cid)]["amount"].sum())
                recs.append(
                    _plan(
                        first,
                        mid,
                        "client",
                        names[cid],
                        "revenue",
                        float(np.round(c_amt / 18 * trend * uplift, -3)),
                        ack,
                    )  # fmt: skip
                )
            meet = 44.0 if mid != HEAD else 8.0
            for metric, v in (("meetings", meet), ("calls", 28.0), ("proposals", 12.0)):
                recs.append(_plan(first, mid, "none", None, metric, v, ack))
    return canonical_frame("plans", recs)


def _plan(period, manager_id, dim, dim_value, metric, value, ack) -> dict:
    return {
        "period": period,
        "manager_id": manager_id,
        "dimension": dim,
        "dimension_value": dim_value,
        "metric": metric,
        "value": value,
        "acknowledged_at": ack,
    }


def _trainings_frame(state: _State) -> pd.DataFrame:
    recs = []
    n = 0
    for (_, day, topic), group in (
        (TRAINING_WORKED, GROUP_WORKED),
        (TRAINING_NO_EFFECT, GROUP_NO_EFFECT),
    ):
        for mid in group:
            n += 1
            recs.append(
                {
                    "training_id": f"t{n:03d}",
                    "manager_id": mid,
                    "date": pd.Timestamp(day),
                    "topic": topic,
                }
            )
    return canonical_frame("trainings", recs)


def check_profile(profile: str) -> None:
    """Raise ``ValueError`` for an unknown profile name."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; known: {', '.join(PROFILES)}")


def build_tables(profile: str, seed: int) -> Dataset:
    """Simulate the company and return its ground-truth canonical tables (without the planted
    report; see :func:`salesaudit.synth.generate_dataset`)."""
    check_profile(profile)
    state = _State(
        rng=np.random.default_rng(seed),
        profile=profile,
        knobs=_Knobs.of(profile),
        people=staff(profile),
        holidays=russian_holidays(),
    )
    _make_clients(state)
    _simulate(state)
    _reorders(state)
    ids = _deal_ids(state)
    sales = _sales_frame(state)
    meta = {
        "profile": profile,
        "seed": seed,
        "as_of": pd.Timestamp(AS_OF),
        "period_start": pd.Timestamp(HISTORY_START),
        "currency": "RUB",
    }
    activities = _activities_frame(state, ids)
    return Dataset(
        managers=_managers_frame(state),
        clients=_clients_frame(state),
        activities=activities,
        deals=_deals_frame(state, ids),
        sales=sales,
        plans=_plans_frame(state, sales),
        trainings=_trainings_frame(state),
        meta=meta,
    )
