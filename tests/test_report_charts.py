"""House-style charts: the drawn objects match the input data (bar sizes, labels, counts)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle
from salesaudit.errors import ParameterError
from salesaudit.report import charts
from salesaudit.report.charts import figure_to_svg, tick_labels


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _widths(ax) -> list[float]:
    return [round(float(p.get_width()), 6) for p in _bars(ax)]


def _heights(ax) -> list[float]:
    return [round(float(p.get_height()), 6) for p in _bars(ax)]


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_area_scores_bars_equal_scores_and_missing_score_has_no_bar() -> None:
    data = pd.DataFrame(
        {
            "area": ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
            "title": ["Один", None, "Три", "Четыре", "Пять", "Шесть", "Семь"],
            "score": [20.0, 45.5, None, 80.0, 55.0, 30.0, 90.0],
            "confidence": [0.9, 0.4, 0.2, 1.0, 0.6, 0.8, 0.5],
        }
    )
    ax = charts.plot_area_scores(data, lang="ru")
    assert _widths(ax) == [20.0, 45.5, 80.0, 55.0, 30.0, 90.0]
    labels = tick_labels(ax, "y")
    assert labels[0] == "1. Один"
    # no title in the data: the built-in Russian title of p2
    assert labels[1] == "2. Оргструктура и процессы"
    assert len(labels) == 7
    # value · confidence labels, Russian decimal comma and NBSP before %
    assert "45,5 · 40\u00a0%" in _texts(ax)
    assert "—" in _texts(ax)  # p3 has no score
    # confidence below 50 % is hatched, others are not
    hatches = [p.get_hatch() for p in _bars(ax)]
    assert hatches == ["", "///", "", "", "", ""]
    assert data["score"].isna().sum() == 1  # input untouched


def test_area_scores_english_labels() -> None:
    data = pd.DataFrame({"area": ["p6"], "score": [22.8], "confidence": [0.45]})
    ax = charts.plot_area_scores(data, label=None, lang="en")
    assert tick_labels(ax, "y") == ["6. Delegation of management"]
    assert _texts(ax) == ["22.8 · 45%"]


def test_area_scores_compact_labels_short_titles_on_a_lower_figure() -> None:
    data = pd.DataFrame(
        {
            "area": ["p1", "p2", "p3"],
            "title": ["Один", "Два", "Три"],
            "score": [20.0, 45.5, 70.0],
            "confidence": [0.9, 0.4, 1.0],
        }
    )
    full = charts.plot_area_scores(data, lang="ru")
    ax = charts.plot_area_scores(data, lang="ru", compact=True)
    # the built-in short titles, never the internal ids
    assert tick_labels(ax, "y") == [
        "1. Управленческие компетенции",
        "2. Оргструктура и процессы",
        "3. Системный подход к управлению",
    ]
    assert _widths(ax) == [20.0, 45.5, 70.0]
    assert ax.figure.get_figheight() == pytest.approx(0.19 * 3 + 0.62)
    assert full.figure.get_figheight() == pytest.approx(0.32 * 3 + 0.7)


def test_plan_fact_bars_pct_and_forecast_markers() -> None:
    data = pd.DataFrame(
        {
            "manager": ["Иванов", "Петров"],
            "plan": [100_000.0, 200_000.0],
            "fact": [80_000.0, 250_000.0],
            "fc": [110_000.0, 260_000.0],
        }
    )
    ax = charts.plot_plan_fact(data, manager="manager", forecast="fc", lang="ru")
    assert _heights(ax) == [100_000.0, 200_000.0, 80_000.0, 250_000.0]
    assert tick_labels(ax, "x") == ["Иванов", "Петров"]
    assert _texts(ax) == ["80\u00a0%", "125\u00a0%"]
    offsets = ax.collections[0].get_offsets()
    assert [float(y) for y in np.asarray(offsets)[:, 1]] == [110_000.0, 260_000.0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == ["План", "Прогноз на месяц", "Факт"]


def test_seasonality_lines_follow_data() -> None:
    data = pd.DataFrame(
        {
            "month": pd.date_range("2026-01-01", periods=4, freq="MS"),
            "revenue": [10.0, 20.0, 30.0, 40.0],
            "trend": [11.0, 21.0, 31.0, 41.0],
            "baseline": [12.0, 22.0, 32.0, 42.0],
        }
    )
    ax = charts.plot_seasonality(data, period="month", lang="en")
    assert _heights(ax) == [10.0, 20.0, 30.0, 40.0]
    assert [list(line.get_ydata()) for line in ax.lines] == [
        [11.0, 21.0, 31.0, 41.0],
        [12.0, 22.0, 32.0, 42.0],
    ]
    assert tick_labels(ax, "x") == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
    ru = charts.plot_seasonality(data, period="month", lang="ru")
    assert tick_labels(ru, "x") == ["01.2026", "02.2026", "03.2026", "04.2026"]


def test_refusal_mix_shares_per_manager_and_team() -> None:
    data = pd.DataFrame(
        {
            "manager": ["A", "A", "B"],
            "reason": ["no_budget", "not_interested", "not_interested"],
            "count": [3, 1, 4],
        }
    )
    ax = charts.plot_refusal_mix(data, lang="ru")
    # reasons ordered by total (not_interested 5, no_budget 3); rows A, B, team
    assert tick_labels(ax, "y") == ["A", "B", "Команда"]
    assert _widths(ax) == [25.0, 100.0, 62.5, 75.0, 0.0, 37.5]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Не интересно", "Нет бюджета"]
    # series differ by hatching too (readable in grayscale)
    assert {p.get_hatch() for p in _bars(ax)[:3]} != {p.get_hatch() for p in _bars(ax)[3:]}


def test_refusal_mix_numbers_on_hatched_segments_sit_on_a_white_patch() -> None:
    data = pd.DataFrame(
        {
            "manager": ["A", "A", "B"],
            "reason": ["no_budget", "not_interested", "not_interested"],
            "count": [3, 1, 4],
        }
    )
    ax = charts.plot_refusal_mix(data, lang="ru")
    # first series (not_interested: 25, 100, 62.5 %) is solid, second (no_budget) is hatched
    labels = {(t.get_text(), t.get_bbox_patch() is not None, t.get_color()) for t in ax.texts}
    assert labels == {
        ("25", False, "white"),
        ("100", False, "white"),
        ("62", False, "white"),
        ("75", True, charts.INK),
        ("38", True, charts.INK),
    }


def test_forecast_and_backtest() -> None:
    fc = pd.DataFrame(
        {"manager": ["a", "b"], "forecast": [220_000.0, 396_000.0], "plan": [1.0, 2.0]}
    )
    ax = charts.plot_forecast(fc, lang="ru")
    assert _widths(ax) == [220_000.0, 396_000.0]
    bt = pd.DataFrame(
        {
            "period": ["2026-09", "2026-09", "2026-10"],
            "forecast": [1.0, 2.0, 5.0],
            "actual": [2.0, 2.0, 4.0],
        }
    )
    ax = charts.plot_forecast_backtest(bt, lang="ru")
    actual, forecast = ax.lines
    assert list(actual.get_ydata()) == [4.0, 4.0]  # same period summed
    assert list(forecast.get_ydata()) == [3.0, 5.0]
    assert forecast.get_linestyle() == "--" and actual.get_marker() != forecast.get_marker()


def test_suspicion_levels_set_fill_and_legend() -> None:
    data = pd.DataFrame(
        {
            "manager": ["a", "b", "c"],
            "score": [10.0, 35.0, 80.0],
            "level": ["low", "medium", "high"],
        }
    )
    ax = charts.plot_suspicion(data, lang="ru")
    assert _widths(ax) == [10.0, 35.0, 80.0]
    assert [p.get_hatch() for p in _bars(ax)] == ["", "\\\\\\", "///"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["низкий", "средний", "высокий"]


def test_activity_bars_and_field_share_text() -> None:
    data = pd.DataFrame(
        {
            "manager": ["a", "b"],
            "meetings_per_day": [1.0, 2.0],
            "calls_per_day": [5.0, 3.0],
            "field_share": [0.3, 0.8],
        }
    )
    ax = charts.plot_activity(data, lang="en")
    assert _widths(ax) == [1.0, 2.0, 5.0, 3.0]
    assert _texts(ax) == ["Field meeting share: 30%", "Field meeting share: 80%"]


def test_client_abc_and_active_clients_and_delegation() -> None:
    abc = pd.DataFrame({"abc": ["A", "B", "C", "C"], "revenue": [80.0, 15.0, 3.0, 2.0]})
    ax = charts.plot_client_abc(abc, lang="ru")
    assert _heights(ax) == [80.0, 15.0, 5.0]
    assert _texts(ax)[2] == "5\u00a0%\nКлиентов: 2 (50\u00a0%)"
    act = pd.DataFrame(
        {"period": ["2026-09-01", "2026-10-01"], "active_clients": [30, 34], "new_clients": [2, 4]}
    )
    ax = charts.plot_active_clients(act, new="new_clients", lang="ru")
    assert _heights(ax) == [30.0, 34.0]
    assert list(ax.lines[0].get_ydata()) == [2.0, 4.0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == ["Активные клиенты", "Новые клиенты"]
    dl = pd.DataFrame(
        {
            "manager": ["Собственник", "Менеджеры"],
            "revenue": [60.0, 40.0],
            "role": ["owner", "manager"],
        }
    )
    ax = charts.plot_delegation(dl, lang="ru")
    assert _widths(ax) == [60.0, 40.0]
    assert [p.get_hatch() for p in _bars(ax)] == ["///", ""]


def test_empty_data_draws_no_data_note() -> None:
    ax = charts.plot_plan_fact(pd.DataFrame(columns=["manager", "plan", "fact"]), lang="en")
    assert _bars(ax) == []
    assert _texts(ax) == ["No data"]


def test_missing_column_is_a_clear_error() -> None:
    with pytest.raises(ParameterError) as err:
        charts.plot_suspicion(pd.DataFrame({"manager": ["a"]}), lang="ru")
    assert "score" in str(err.value) and "available columns: manager" in str(err.value)


def test_draws_on_given_axes_and_svg_is_vector() -> None:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax0 = fig.add_subplot()
    ax = charts.plot_forecast(
        pd.DataFrame({"manager": ["Ёлкин"], "forecast": [1.0], "plan": [2.0]}), ax=ax0
    )
    assert ax is ax0
    svg = figure_to_svg(fig)
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "Ёлкин" in svg and "DejaVu Sans" in svg  # real text in the house font
    assert "<image" not in svg  # no raster inside
    assert figure_to_svg(fig) == svg  # deterministic
    paths = figure_to_svg(fig, text_as_paths=True)
    assert re.search(r"<text[\s>]", paths) is None  # glyph outlines, no font needed
    assert re.search(r"<text[\s>]", svg) is not None
    assert "<image" not in paths


def test_house_style_does_not_leak_rcparams() -> None:
    import matplotlib as mpl

    before = mpl.rcParams["svg.fonttype"], mpl.rcParams["font.size"]
    charts.plot_forecast(pd.DataFrame({"manager": ["a"], "forecast": [1.0], "plan": [2.0]}))
    assert (mpl.rcParams["svg.fonttype"], mpl.rcParams["font.size"]) == before


def test_plan_fact_many_managers_is_horizontal() -> None:
    data = pd.DataFrame(
        {
            "manager": [f"Менеджер {i}" for i in range(8)],
            "plan": [100.0] * 8,
            "fact": [float(10 * i) for i in range(8)],
        }
    )
    ax = charts.plot_plan_fact(data, lang="ru")
    assert _widths(ax) == [100.0] * 8 + [float(10 * i) for i in range(8)]
    assert tick_labels(ax, "y")[7] == "Менеджер 7"
    assert _texts(ax)[1] == "10\u00a0%"


def test_only_line_hatches_are_used() -> None:
    """Dotted hatches ("...", "ooo", "***") make the PDF renderer very slow: never use them."""
    used = set(charts.HATCHES) | {h for _, h in charts.LEVEL_STYLE.values()}
    assert not any(c in h for h in used for c in ".oO*")


def test_money_scale_picks_roubles_thousands_or_millions() -> None:
    assert charts.money_scale([0, 15_000], "ru") == (1.0, "₽")
    assert charts.money_scale([25_000, -3_000], "ru") == (1e3, "тыс. ₽")
    assert charts.money_scale(pd.Series([1.5e6, 4.2e7]), "ru") == (1e6, "млн ₽")
    assert charts.money_scale([np.nan, None], "en") == (1.0, "RUB")
    assert charts.money_scale([3e6], "en") == (1e6, "RUB m")


def test_every_chart_axis_names_its_unit() -> None:
    managers = ["Анна", "Борис"]
    pf = pd.DataFrame({"manager": managers, "plan": [3e6, 2e6], "fact": [2.5e6, 2.2e6]})
    ax = charts.plot_plan_fact(pf, lang="ru")
    assert ax.get_ylabel() == "Выручка, млн ₽"
    # ticks in millions with a decimal comma where needed: 0; 0,5; 1 …
    fmt = ax.yaxis.get_major_formatter()
    assert [fmt(v, 0) for v in (0, 5e5, 2e6)] == ["0", "0,5", "2"]
    season = pd.DataFrame({"period": ["2026-01", "2026-02"], "revenue": [40_000, 90_000]})
    ax = charts.plot_seasonality(season, trend=None, baseline=None, lang="ru")
    assert ax.get_ylabel() == "Выручка, тыс. ₽"
    fc = pd.DataFrame({"manager": managers, "forecast": [9e5, 1.2e6], "plan": [1e6, 1e6]})
    # below 2 million the axis counts thousands (0 … 1,200), not one-digit millions
    assert charts.plot_forecast(fc, lang="en").get_xlabel() == "Revenue per month, RUB k"
    bt = pd.DataFrame({"period": ["2026-01"], "forecast": [5e6], "actual": [4e6]})
    assert charts.plot_forecast_backtest(bt, lang="ru").get_ylabel() == "Выручка за месяц, млн ₽"
    act = pd.DataFrame(
        {"manager": managers, "meetings_per_day": [2.0, 1.0], "calls_per_day": [5, 3]}
    )
    assert charts.plot_activity(act, field_share=None, lang="ru").get_xlabel() == (
        "Встреч и звонков в рабочий день, шт."
    )
    sus = pd.DataFrame({"manager": managers, "score": [10, 80]})
    assert "баллы 0–100" in charts.plot_suspicion(sus, level=None, lang="ru").get_xlabel()
    ac = pd.DataFrame({"period": ["2026-01"], "active_clients": [12]})
    assert charts.plot_active_clients(ac, lang="ru").get_ylabel() == "Клиентов, шт."
