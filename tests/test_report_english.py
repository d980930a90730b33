"""The English report is English apart from client data: dates and months written the English
way, problems named by their titles (never the internal ids P1…P7), and every reason a figure is
missing given as a sentence in the report language (never the developer's message)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
from salesaudit.report import charts, sections, tables
from salesaudit.report.charts import tick_labels
from salesaudit.report.i18n import (
    REASON_TEXTS,
    fmt_date,
    fmt_month,
    insufficient_text,
    reason_text,
)
from salesaudit.scoring.indicators import REASONS
from salesaudit.scoring.result import Indicator
from test_report_sections import BRANDING, make_result

NB = "\u00a0"


def _text(fragment: str) -> str:
    import html as _html

    return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


# --- dates and months ----------------------------------------------------------------------------
def test_fmt_date_english_day_month_name_year_russian_dotted() -> None:
    assert fmt_date("2026-11-23", "en") == "23 Nov 2026"
    assert fmt_date("2026-11-23", "ru") == "23.11.2026"
    assert fmt_date(dt.date(2026, 1, 5), "en") == "5 Jan 2026"
    assert fmt_date(dt.date(2026, 1, 5), "ru") == "05.01.2026"
    # a datetime is shown by its date, the time left out
    assert fmt_date("2026-11-23T14:05:00", "en") == "23 Nov 2026"
    assert fmt_date("2026-11-23T14:05:00", "ru") == "23.11.2026"
    assert fmt_date(pd.Timestamp("2027-05-01 09:30"), "en") == "1 May 2027"
    assert fmt_date(dt.datetime(2026, 9, 30, 23, 59), "ru") == "30.09.2026"
    assert fmt_date(None, "en") == "—" and fmt_date("", "en") == "—"
    assert fmt_date(pd.NaT, "en") == "—" and fmt_date(pd.NA, "ru") == "—"
    assert fmt_date("not a date", "en") == "not a date"


def test_fmt_date_month_names_are_english_whatever_the_locale() -> None:
    import locale

    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    saved = locale.setlocale(locale.LC_TIME)
    for loc in ("ru_RU.UTF-8", "de_DE.UTF-8", saved):
        try:
            locale.setlocale(locale.LC_TIME, loc)
        except locale.Error:
            continue  # not installed here
        try:
            got = [fmt_date(f"2026-{m:02d}-15", "en") for m in range(1, 13)]
        finally:
            locale.setlocale(locale.LC_TIME, saved)
        assert got == [f"15 {n} 2026" for n in names], loc


def test_fmt_month_english_and_russian() -> None:
    assert fmt_month("2026-11", "en") == "Nov 2026"
    assert fmt_month("2026-11-01", "ru") == "11.2026"
    assert fmt_month(pd.Timestamp("2025-06-01"), "en") == "Jun 2025"
    assert fmt_month(None, "en") == "—"


def test_charts_label_months_the_english_way() -> None:
    months = pd.date_range("2026-01-01", periods=3, freq="MS")
    season = pd.DataFrame({"month": months, "revenue": [1.0, 2.0, 3.0]})
    ax = charts.plot_seasonality(season, period="month", trend=None, baseline=None, lang="en")
    assert tick_labels(ax, "x") == ["Jan 2026", "Feb 2026", "Mar 2026"]
    bt = pd.DataFrame(
        {"period": ["2026-01", "2026-02"], "forecast": [5e6, 6e6], "actual": [4e6, 7e6]}
    )
    ax = charts.plot_forecast_backtest(bt, lang="en")
    assert tick_labels(ax, "x") == ["Jan 2026", "Feb 2026"]
    ac = pd.DataFrame({"period": ["2026-01-01", "2026-02-01"], "active_clients": [12, 14]})
    ax = charts.plot_active_clients(ac, lang="en")
    assert tick_labels(ax, "x") == ["Jan 2026", "Feb 2026"]
    ax = charts.plot_active_clients(ac, lang="ru")
    assert tick_labels(ax, "x") == ["01.2026", "02.2026"]


def test_english_sections_write_dates_the_english_way() -> None:
    result = make_result("en")
    cover = _text(sections.cover(result, BRANDING, "en"))
    assert "Assessment date 20 Nov 2026" in cover
    summary = _text(sections.executive_summary(result, "en")).replace(NB, " ")
    assert "Key clients handed over by 18 Feb 2027" in summary
    assert "Meetings per manager per day ≥ 2 by 20 Dec 2026 (now 1.25)" in summary
    html = sections.build_report_html(result, BRANDING, "en")
    text = _text(html)
    assert re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", text) == []
    assert re.findall(r"\b\d{2}\.\d{2}\.\d{4}\b", text) == []
    # the plan/fact chart's period in its caption
    assert "Plan / actual / deviation · Nov 2026" in text


# --- problems named by their titles --------------------------------------------------------------
def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["p1", "p4", "p6"],
            "title": [
                {"ru": "Управленческие компетенции руководителя продаж", "en": "Head's skills"},
                None,
                {"ru": "Собственник не может делегировать", "en": "Owner who cannot delegate"},
            ],
            "score": [20.0, 55.0, 80.0],
            "confidence": [0.9, 0.4, 1.0],
        }
    )


def test_area_chart_names_the_problems_in_english() -> None:
    ax = charts.plot_area_scores(_areas(), lang="en")
    assert tick_labels(ax, "y") == [
        "1. Head's skills",
        "4. Automation (CRM, 1C)",
        "6. Owner who cannot delegate",
    ]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "Confidence < 50%"


def test_area_chart_compact_names_the_problems_by_short_titles() -> None:
    ax = charts.plot_area_scores(_areas(), lang="en", compact=True)
    assert tick_labels(ax, "y") == [
        "1. Management competence",
        "4. Automation (CRM, 1C)",
        "6. Delegation of management",
    ]
    ax = charts.plot_area_scores(_areas(), lang="ru", compact=True)
    assert tick_labels(ax, "y") == [
        "1. Управленческие компетенции",
        "4. Автоматизация (CRM, 1С)",
        "6. Делегирование управления",
    ]


def test_area_chart_without_titles_never_shows_ids() -> None:
    data = pd.DataFrame(
        {"area": [f"p{i}" for i in range(1, 8)], "score": [50.0] * 7, "confidence": [1.0] * 7}
    )
    for lang in ("ru", "en"):
        for compact in (False, True):
            ax = charts.plot_area_scores(data, label=None, lang=lang, compact=compact)
            labels = tick_labels(ax, "y")
            assert len(labels) == 7
            assert not any(re.search(r"\b[pP][1-7]\b", x) for x in labels), labels
    ax = charts.plot_area_scores(data, label=None, lang="en")
    assert tick_labels(ax, "y")[6] == "7. Management substituted"


def test_english_tables_name_problems_without_ids_and_glossary_is_english() -> None:
    result = make_result("en")
    cells: list[str] = []
    for tbl in tables.report_tables(result, "en"):
        cells += [str(c) for c in tbl.frame.columns]
        cells += [v for v in tbl.frame.to_numpy().ravel() if isinstance(v, str)]
    joined = "\n".join(cells)
    assert re.findall(r"\b[pP][1-7](?:\.\w+)?\b", joined) == []
    assert "6. Delegation of management" in cells
    glossary = next(tb for tb in tables.report_tables(result, "en") if "Glossary" in tb.title)
    assert not re.search("[А-Яа-яЁё]", glossary.frame.to_string())


# --- why a figure is missing ---------------------------------------------------------------------
def test_reason_codes_each_have_a_sentence_in_both_languages() -> None:
    for code in REASONS:
        if code == "insufficient_data":  # the general code: its message or the generic sentence
            continue
        assert code in REASON_TEXTS, code
        assert REASON_TEXTS[code]["ru"] and REASON_TEXTS[code]["en"], code
    assert reason_text("no_owner", "delegation: whatever", "en") == "the staff list has no owner"
    assert reason_text("no_head_of_sales", None, "ru") == (
        "в списке сотрудников нет руководителя отдела продаж"
    )


def test_known_messages_are_translated_and_unknown_ones_give_the_generic_sentence() -> None:
    msg = "pipeline_coverage: the running month's plan is already met"
    assert reason_text("insufficient_data", msg, "ru") == "план текущего месяца уже выполнен"
    assert reason_text("insufficient_data", msg, "en") == "the current month's plan is already met"
    assert reason_text("insufficient_data", "needs table(s): leads", "en") == "needs data: Leads"
    for dev in (
        "activity: table 'main' is empty",
        "analysis 'funnel' was not run",
        "analysis failed: KeyError: 'manager_id'",
        "forecast_backtest: no team MAPE",
    ):
        assert insufficient_text(dev, "en") == "" and insufficient_text(dev, "ru") == ""
        assert reason_text("insufficient_data", dev, "ru") == "недостаточно данных для расчёта"
        assert reason_text("insufficient_data", dev, "en") == "not enough data to compute"
    # a code the report does not know yet: the generic sentence, never the code or the message
    assert reason_text("a_new_code", "activity: table 'main' is empty", "ru") == (
        "недостаточно данных для расчёта"
    )
    assert reason_text("a_new_code", "activity: table 'main' is empty", "en") == (
        "not enough data to compute"
    )


def _na(reason: str, message: str) -> Indicator:
    return Indicator(
        id="p3.new_measure",
        area="p3",
        label={"ru": "Новый показатель", "en": "New measure"},
        value=None,
        unit="%",
        status="insufficient_data",
        verdict="n/a",
        score=None,
        weight=1.0,
        reference={"good": 10, "bad": 30},
        evidence={"analysis": "activity"},
        message=message,
        reason=reason,
    )


def test_indicator_with_an_unknown_code_renders_the_generic_sentence() -> None:
    ind = _na("a_new_code", "activity: table 'main' is empty")
    result = dataclasses.replace(make_result("en"), indicators=[ind])
    en = _text(sections.indicators_table(result, "p3", "en"))
    assert "Not computed: New measure — not enough data to compute." in en
    ru = _text(sections.indicators_table(result, "p3", "ru"))
    assert "Не рассчитано: Новый показатель — недостаточно данных для расчёта." in ru
    for text in (en, ru):
        assert "table 'main'" not in text and "a_new_code" not in text and "p3." not in text


def test_indicator_reason_code_and_known_message_render_translated() -> None:
    inds = [
        _na("no_head_of_sales", "delegation: no head of sales in the staff list"),
        dataclasses.replace(
            _na("insufficient_data", "funnel: no closed deals"),
            id="p3.win_rate",
            label={"ru": "Доля выигранных", "en": "Win rate"},
        ),
    ]
    result = dataclasses.replace(make_result("ru"), indicators=inds)
    ru = _text(sections.indicators_table(result, "p3", "ru"))
    assert (
        "Не рассчитано: Новый показатель — в списке сотрудников нет руководителя отдела продаж; "
        "Доля выигранных — нет закрытых сделок." in ru
    )
    en = _text(sections.indicators_table(result, "p3", "en"))
    assert (
        "Not computed: New measure — the staff list has no head of sales; Win rate — there are no "
        "closed deals." in en
    )


def test_computed_indicators_have_no_note() -> None:
    result = make_result("en")
    computed = [i for i in result.indicators if i.status == "ok"]
    assert computed
    result = dataclasses.replace(result, indicators=computed)
    assert "sa-not-computed" not in sections.indicators_table(result, None, "en")


def test_analysis_message_unknown_gives_the_bare_sentence_known_one_a_reason() -> None:
    base = make_result("en")
    unknown = dataclasses.replace(
        base,
        analyses={
            **base.analyses,
            "forecast": {
                "status": "insufficient_data",
                "message": "analysis failed: KeyError: 'meetings'",
                "tables": {},
            },
        },
    )
    en = _text(sections._insufficient(unknown, "forecast", "en"))
    assert en.strip() == "Not enough data to compute."
    ru = _text(sections._insufficient(unknown, "forecast", "ru"))
    assert ru.strip() == "Недостаточно данных для расчёта."
    known = dataclasses.replace(
        base,
        analyses={
            **base.analyses,
            "forecast": {
                "status": "insufficient_data",
                "message": "no done meetings in the lookback window",
                "tables": {},
            },
        },
    )
    assert _text(sections._insufficient(known, "forecast", "en")).strip() == (
        "Not enough data to compute — no meetings were held in the period."
    )
    assert _text(sections._insufficient(known, "forecast", "ru")).strip() == (
        "Недостаточно данных для расчёта — за период нет проведённых встреч."
    )
