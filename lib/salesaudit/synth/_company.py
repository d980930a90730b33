"""The fictional demo company: people, catalog, clients, calendar. Pure data, no randomness here
except through the :class:`numpy.random.Generator` passed in.

Every name below is invented: people are common Russian first names and surnames put together at
random, companies are made-up brand-like words, phones are in the synthetic ``+7 900 ...`` range
and e-mails use the reserved ``example.ru`` domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays
import numpy as np

#: first and last day of the history; as_of is the running day (Nov 2026 is the running month)
HISTORY_START = dt.date(2025, 6, 1)
AS_OF = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Person:
    """One employee of the demo company."""

    manager_id: str
    last: str
    first: str
    middle: str
    role: str  # canonical role
    pay: str  # canonical pay
    hired: dt.date
    left: dt.date | None = None

    @property
    def full(self) -> str:
        """'Фамилия Имя Отчество' (1C, managers list)."""
        return f"{self.last} {self.first} {self.middle}"

    @property
    def crm(self) -> str:
        """'Имя Фамилия' (amoCRM, Bitrix24)."""
        return f"{self.first} {self.last}"

    @property
    def short(self) -> str:
        """'Фамилия И.О.' (the director's plan workbook)."""
        return f"{self.last} {self.first[0]}.{self.middle[0]}."


def staff(profile: str) -> list[Person]:
    """The people of the company: 13 sales-manager records (12 at any time: m12 leaves in
    December 2025 and m13 replaces him), the head of sales (m14) and the owner (m15).

    In the demo profile m07 is on fixed pay (the fabricated-meetings case); in the healthy profile
    everyone who sells is on mixed or variable pay.
    """
    d = dt.date
    fixed = "fixed" if profile == "demo" else "mixed"
    rows = [
        ("m01", "Воронцов", "Алексей", "Игоревич", "manager", "mixed", d(2021, 3, 15), None),
        ("m02", "Костин", "Дмитрий", "Сергеевич", "manager", "mixed", d(2022, 8, 1), None),
        ("m03", "Миронова", "Елена", "Викторовна", "manager", "variable", d(2020, 2, 10), None),
        ("m04", "Лаптев", "Андрей", "Олегович", "manager", "mixed", d(2023, 4, 3), None),
        ("m05", "Белова", "Ольга", "Андреевна", "manager", "mixed", d(2022, 1, 17), None),
        ("m06", "Зуев", "Сергей", "Павлович", "manager", "variable", d(2021, 9, 6), None),
        ("m07", "Гришин", "Павел", "Николаевич", "manager", fixed, d(2023, 10, 2), None),
        ("m08", "Орлова", "Наталья", "Юрьевна", "manager", "mixed", d(2019, 5, 20), None),
        ("m09", "Симонов", "Игорь", "Александрович", "manager", "mixed", d(2024, 2, 12), None),
        ("m10", "Ткачева", "Марина", "Дмитриевна", "manager", "mixed", d(2022, 6, 27), None),
        ("m11", "Фомин", "Виктор", "Евгеньевич", "manager", "variable", d(2020, 11, 9), None),
        ("m12", "Панов", "Кирилл", "Артемович", "manager", "mixed", d(2023, 3, 1), d(2025, 12, 26)),
        ("m13", "Егорова", "Юлия", "Максимовна", "manager", "mixed", d(2026, 1, 12), None),
        ("m14", "Широков", "Роман", "Валерьевич", "head_of_sales", "mixed", d(2018, 4, 2), None),
        ("m15", "Ладыгин", "Михаил", "Борисович", "owner", "fixed", d(2012, 9, 1), None),
    ]
    return [Person(*r) for r in rows]


#: brand -> [(product, base price in roubles)]
CATALOG: dict[str, list[tuple[str, float]]] = {
    "Термолюкс": [
        ("Плита теплоизоляционная 50 мм", 1890.0),
        ("Плита теплоизоляционная 100 мм", 3420.0),
        ("Минвата рулон 5 м", 2150.0),
        ("Утеплитель фасадный 150 мм", 4980.0),
        ("Пароизоляция 70 м2", 1340.0),
        ("Ветрозащита 60 м2", 1560.0),
        ("Пенополистирол 50 мм", 2730.0),
        ("Теплоизоляция трубная 2 м", 380.0),
    ],
    "ГидроСтоп": [
        ("Мембрана ПВХ 1,5 мм", 28900.0),
        ("Мастика битумная 20 кг", 3150.0),
        ("Праймер битумный 18 л", 2870.0),
        ("Гидроизоляция обмазочная 25 кг", 2460.0),
        ("Лента герметизирующая 10 м", 1290.0),
        ("Наплавляемая гидроизоляция 10 м2", 3690.0),
        ("Гидрошпонка 20 м", 7420.0),
    ],
    "Кровмастер": [
        ("Металлочерепица лист 1,2 м", 1480.0),
        ("Профнастил С20 лист", 1190.0),
        ("Водосточная система комплект", 16800.0),
        ("Конек кровельный 2 м", 890.0),
        ("Снегозадержатель 3 м", 3250.0),
        ("Мансардное окно 78x118", 27400.0),
        ("Гибкая черепица упаковка", 2390.0),
    ],
    "ПрофТул": [
        ("Перфоратор SDS-plus 800 Вт", 11900.0),
        ("Шуруповерт 18 В", 8700.0),
        ("Угловая шлифмашина 125 мм", 5600.0),
        ("Лазерный уровень", 14300.0),
        ("Бетономешалка 160 л", 23900.0),
        ("Дрель ударная 750 Вт", 5200.0),
        ("Набор оснастки 100 предметов", 3400.0),
    ],
    "ФасадПро": [
        ("Панель фасадная", 740.0),
        ("Штукатурка декоративная 25 кг", 1680.0),
        ("Сетка фасадная 50 м2", 2240.0),
        ("Клей для утеплителя 25 кг", 690.0),
        ("Дюбель фасадный упаковка", 1850.0),
        ("Профиль цокольный 2 м", 560.0),
        ("Грунт глубокого проникновения 10 л", 1120.0),
        ("Краска фасадная 15 л", 6380.0),
    ],
    "БетонСтар": [
        ("Цемент М500 50 кг", 640.0),
        ("Смесь кладочная 40 кг", 420.0),
        ("Пескобетон М300 40 кг", 380.0),
        ("Наливной пол 25 кг", 790.0),
        ("Пластификатор 10 л", 1950.0),
        ("Фибра полипропиленовая 1 кг", 460.0),
        ("Плиточный клей 25 кг", 520.0),
    ],
    "АкваФлоу": [
        ("Насос циркуляционный 25-60", 9800.0),
        ("Котел газовый 24 кВт", 58900.0),
        ("Радиатор биметаллический 10 секций", 9400.0),
        ("Труба PP-R 20 мм 4 м", 310.0),
        ("Коллектор 4 выхода", 4700.0),
        ("Бойлер косвенного нагрева 150 л", 46500.0),
        ("Фильтр магистральный", 3600.0),
        ("Расширительный бак 24 л", 2900.0),
    ],
    "ЭлектроВольт": [
        ("Кабель ВВГнг 3x2,5 100 м", 9900.0),
        ("Щит распределительный 24 модуля", 3800.0),
        ("Автоматический выключатель 16 А", 290.0),
        ("Светильник LED 36 Вт", 1450.0),
        ("Стабилизатор напряжения 5 кВт", 17600.0),
        ("Прожектор LED 50 Вт", 1690.0),
        ("Розетка наружная IP44", 410.0),
        ("Удлинитель силовой 30 м", 3900.0),
    ],
}

BRANDS: tuple[str, ...] = tuple(CATALOG)

SEGMENTS = (
    ("Строительные подрядчики", 0.30),
    ("Монтажные организации", 0.22),
    ("Розничные магазины", 0.20),
    ("Оптовые компании", 0.13),
    ("Застройщики", 0.10),
    ("Управляющие компании", 0.05),
)
#: region -> routes serving it
REGIONS: dict[str, tuple[str, ...]] = {
    "Москва": ("Москва-Север", "Москва-Юг"),
    "Московская область": ("МО-Запад", "МО-Восток"),
    "Тверская область": ("Регионы-Северо-Запад",),
    "Калужская область": ("Регионы-Юго-Запад",),
    "Тульская область": ("Регионы-Юг",),
    "Владимирская область": ("Регионы-Восток",),
}
REGION_WEIGHTS = (0.34, 0.30, 0.09, 0.09, 0.10, 0.08)

_ROOTS = (
    "Строй", "Техно", "Пром", "Евро", "Гранит", "Альфа", "Вектор", "Монолит", "Кровля", "Фасад",
    "Термо", "Волга", "Ока", "Север", "Мега", "Профи", "Инжен", "Базальт", "Опора", "Капитал",
    "Арсенал", "Эталон", "Квадрат", "Стандарт", "Магистраль", "Горизонт", "Кварц", "Сфера",
)  # fmt: skip
_TAILS = (
    "Сервис", "Снаб", "Комплект", "Торг", "Групп", "Маркет", "Мастер", "Трейд", "Монтаж", "Ресурс",
    "Лайн", "Систем", "Проект", "Строй", "Альянс", "Дом", "Тех", "Центр",
)  # fmt: skip
_SUFFIX = ("", "", "", "", " Плюс", "-М", "-Юг", "-Центр", " Регион", "-2")

FIRST_M = ("Александр", "Максим", "Артем", "Денис", "Евгений", "Николай", "Олег", "Владимир",
           "Антон", "Григорий", "Степан", "Тимур", "Руслан", "Вадим", "Борис", "Константин")  # fmt: skip
FIRST_F = ("Анна", "Татьяна", "Ирина", "Светлана", "Екатерина", "Людмила", "Вера", "Алина",
           "Дарья", "Ксения", "Полина", "Галина")  # fmt: skip
LAST_M = ("Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
          "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семенов", "Егоров", "Павлов",
          "Козлов", "Степанов", "Николаев", "Захаров", "Зайцев", "Соловьев", "Борисов", "Яковлев")  # fmt: skip

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "sch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def translit(text: str) -> str:
    """Latin spelling of a Russian word for synthetic e-mail addresses."""
    out = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower()).replace("_", "")
    return "".join(ch for ch in out if ch.isascii() and (ch.isalnum() or ch in ".-"))


def phone(n: int) -> str:
    """Synthetic phone number ``+7 900 0XX-XX-XX`` for a small integer."""
    n = int(n) % 1_000_000
    a, b, c = n // 10000, (n // 100) % 100, n % 100
    return f"+7 900 0{a:02d}-{b:02d}-{c:02d}"


def person_name(rng: np.random.Generator) -> tuple[str, str]:
    """A random contact person: ('Имя', 'Фамилия')."""
    last = LAST_M[int(rng.integers(len(LAST_M)))]
    if rng.random() < 0.4:
        return FIRST_F[int(rng.integers(len(FIRST_F)))], last + "а"
    return FIRST_M[int(rng.integers(len(FIRST_M)))], last


def company_names(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
    """``n`` distinct invented company names as (legal form, name), e.g. ('ООО', 'ТехноСнаб')."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < n:
        root = _ROOTS[int(rng.integers(len(_ROOTS)))]
        tail = _TAILS[int(rng.integers(len(_TAILS)))]
        if root.lower().endswith(tail.lower()) or tail == root:
            continue
        name = root + tail.lower() if rng.random() < 0.35 else root + tail
        name += _SUFFIX[int(rng.integers(len(_SUFFIX)))]
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        form = "АО" if rng.random() < 0.08 else "ООО"
        out.append((form, name))
    return out


def crm_company(form: str, name: str) -> str:
    """CRM spelling: 'ООО «Название»'."""
    return f"{form} «{name}»"


def onec_company(form: str, name: str) -> str:
    """1C spelling: 'Название ООО'."""
    return f"{name} {form}"


def russian_holidays() -> set[dt.date]:
    """Public holidays of 2025-2026 (Russian production calendar, without transfers)."""
    return set(holidays.country_holidays("RU", years=[2025, 2026]))


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days in [start, end]: Monday-Friday that are not public holidays."""
    hol = russian_holidays()
    days = []
    d = start
    while d <= end:
        if d.weekday() < 5 and d not in hol:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


#: relative demand per calendar month: spring and autumn peaks, January and August dips
SEASON = {1: 0.70, 2: 0.85, 3: 1.05, 4: 1.20, 5: 1.12, 6: 1.00, 7: 0.95, 8: 0.75, 9: 1.10,
          10: 1.22, 11: 1.08, 12: 0.95}  # fmt: skip


def demand(day: dt.date) -> float:
    """Seasonal factor times a mild upward trend (+1% a month from June 2025)."""
    months = (day.year - HISTORY_START.year) * 12 + day.month - HISTORY_START.month
    return SEASON[day.month] * (1.0 + 0.01 * months)
