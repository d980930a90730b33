"""English numbers the English way in the verdicts ("70%", "7.1%", "3,596", "RUB 75.9 m"),
Russian ones as before («70 %», «7,1 %», «75,9 млн ₽»), and English dates in the workbooks as
the English report writes them ("D MMM YYYY", "MMM YYYY")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.scoring.answers import Answers
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.result import AreaScore, Finding, Indicator
from salesaudit.scoring.verdicts import english_numbers, problem_verdicts

NB = "\u00a0"


@pytest.fixture(scope="module")
def shipped():
    return build_checklist(read_checklist_dir(Path(__file__).resolve().parents[1] / "checklist"))


def _area(area: str, score: float) -> AreaScore:
    return AreaScore(area=area, title={"ru": area, "en": area}, score=score, confidence=1.0,
                     interview_score=None, data_score=score, answered=0, questions=3,
                     assessed=True)  # fmt: skip


def _indicator(iid: str, value: float, numbers: dict) -> Indicator:
    return Indicator(id=iid, area=iid.split(".")[0], label={"ru": "x", "en": "x"}, value=value,
                     unit="%", status="ok", verdict="bad", score=0.0, weight=1.5,
                     evidence={"numbers": numbers})  # fmt: skip


def _finding(fid: str, iid: str) -> Finding:
    return Finding(id=fid, area=iid.split(".")[0], severity="high", title={"ru": "Т", "en": "T"},
                   evidence={"numbers": {iid: {}}}, recommendation={}, owner_role="owner",
                   horizon=30, rank=1)  # fmt: skip


def _verdicts(shipped, inds: list[Indicator], **kw) -> dict[str, dict]:
    areas = [_area(a, 20.0) for a in sorted({i.area for i in inds})]
    findings = [_finding(f"f{n}", i.id) for n, i in enumerate(inds)]
    v = problem_verdicts(shipped, areas, inds, findings, Answers(), **kw)
    return {x["area"]: x["sentence"] for x in v}


def test_verdict_percent_and_money_per_language(shipped) -> None:
    head = _indicator("p7.head_own_sales", 22.1447, {"head_revenue": 75_930_518.81, "months": 12})
    people = {"ru": {"head_of_sales": "Широков Р. В."}, "en": {"head_of_sales": "Широков Р. В."}}
    s = _verdicts(shipped, [head], people=people)["p7"]
    assert s["en"] == (
        f"The head of sales (Широков Р. В.) brings 22% of revenue himself over 12 months: "
        f"RUB{NB}75.9{NB}m."
    )
    assert s["ru"] == (
        f"Руководитель отдела (Широков Р. В.) сам приносит 22 % выручки за 12 мес.: "
        f"75,9{NB}млн{NB}₽."
    )
    # another currency: its code in English, its sign in Russian; thousands
    head.evidence = {"numbers": {"head_revenue": 640_400.0, "months": 6}}
    s = _verdicts(shipped, [head], people=people, currency="USD")["p7"]
    assert s["en"].endswith(f"over 6 months: USD{NB}640{NB}k.")
    assert s["ru"].endswith(f"за 6 мес.: 640{NB}тыс.{NB}$.")


def test_verdict_decimal_percent_and_thousands_per_language(shipped) -> None:
    sus = _indicator("p1.suspect_managers", 7.1429, {"managers": 14, "high_risk": ["m07"]})
    res = _indicator("p4.result_recorded", 79.95, {"done": 3596, "without_result": 721})
    s = _verdicts(shipped, [sus, res], names={"m07": "Гришин П. Н."})
    assert (
        s["p1"]["en"]
        == "High risk of fabricated meetings for 1 of 14 managers (7.1%): Гришин П. Н."
    )
    assert s["p1"]["ru"] == (
        "Высокий риск «нарисованных» встреч у 1 из 14 менеджеров (7,1 %): Гришин П. Н."
    )
    assert s["p4"]["en"] == "721 of 3,596 done contacts have no recorded result: 80% with a result."
    assert s["p4"]["ru"] == (
        f"У 721 из 3{NB}596 выполненных контактов не записан результат: с результатом 80 %."
    )


def test_verdict_refusal_shares_and_big_non_integer_numbers(shipped) -> None:
    ref = _indicator(
        "p5.refusal_skew",
        57.0,
        {"manager": "m02", "dominant_share": 70.0, "dominant_reason": "not_interested",
         "team_share": 13.2},
    )  # fmt: skip
    s = _verdicts(shipped, [ref], names={"m02": "Белова О. А."})
    assert s["p5"]["en"] == (
        "Белова О. А.: 70% of refusals give one reason (“not interested”) against 13% in the team."
    )
    assert s["p5"]["ru"] == (
        "Белова О. А.: 70 % отказов по одной причине («не интересно») против 13 % в команде."
    )


def test_english_numbers_of_a_text() -> None:
    assert english_numbers("{value} % of {n}; 95 % interval") == "{value}% of {n}; 95% interval"
    assert (
        english_numbers("about 20-30 %; top 20\u00a0% clients") == "about 20–30%; top 20% clients"
    )
    assert english_numbers("p1.q01 and 30+ days") == "p1.q01 and 30+ days"


def test_generic_sentence_of_an_indicator_without_statement(shipped) -> None:
    ind = _indicator("p6.no_statement", 60.4, {})
    ind.label = {"ru": "Доля топ-20 % клиентов", "en": "Share of the top 20 % clients"}
    s = _verdicts(shipped, [ind])["p6"]
    assert (s["en"], s["ru"]) == (
        "Share of the top 20% clients: 60%.",
        "Доля топ-20 % клиентов: 60 %.",
    )


def test_number_and_money_formats_per_language() -> None:
    from salesaudit.scoring.verdicts import _num

    assert [_num(x, "en") for x in (12345.6, 3596, 7.14, -2.5)] == [
        "12,346",
        "3,596",
        "7.1",
        "−2.5",
    ]
    assert [_num(x, "ru") for x in (3596, 7.14, -2.5)] == [f"3{NB}596", "7,1", "-2,5"]
    assert _num(-1_234_567.0, "en", money=True) == f"RUB{NB}−1.2{NB}m"
    assert _num(1_234_567_890.0, "en", money=True) == f"RUB{NB}1,234.6{NB}m"
    assert _num(512.0, "en", money=True, currency="EUR") == f"EUR{NB}512"
    assert _num(1_234_567.0, "ru", money=True) == f"1,2{NB}млн{NB}₽"


@pytest.mark.parametrize(
    ("lang", "date_fmt", "month_fmt"),
    [("ru", "DD.MM.YYYY", "MM.YYYY"), ("en", "D MMM YYYY", "MMM YYYY")],
)
def test_tables_workbook_date_formats(tmp_path, lang, date_fmt, month_fmt) -> None:
    from salesaudit.io.tables_xlsx import write_tables_xlsx

    frame = pd.DataFrame(
        {"day": [dt.datetime(2026, 11, 23)], "month": [dt.datetime(2026, 11, 1)], "n": [5]}
    )
    path = write_tables_xlsx(
        [("Dates", frame, {"day": "date", "month": "month", "n": "int"})],
        tmp_path / f"{lang}.xlsx",
        lang=lang,
    )
    ws = load_workbook(path)["Dates"]
    assert (ws["A2"].data_type, ws["A2"].number_format) == ("d", date_fmt)
    assert (ws["B2"].data_type, ws["B2"].number_format) == ("d", month_fmt)
    assert ws["C2"].number_format == "#,##0"


@pytest.mark.parametrize(("lang", "date_fmt"), [("ru", "DD.MM.YYYY"), ("en", "D MMM YYYY")])
def test_verification_sheet_date_format(tmp_path, lang, date_fmt) -> None:
    from salesaudit.io.verification_xlsx import write_verification_xlsx

    sample = pd.DataFrame(
        {
            "key": ["a1"],
            "manager_id": ["m1"],
            "manager_name": ["Гришин Павел"],
            "suspicion_level": ["high"],
            "activity_id": ["a1"],
            "occurred_at": ["2026-11-23T12:40:00"],
            "client_id": ["c1"],
            "client_name": ["ООО Альфа"],
            "phone": ["+7 900 111-22-33"],
            "meetings_with_client": [3],
        }
    )
    ws = load_workbook(write_verification_xlsx(sample, tmp_path / "v.xlsx", lang=lang)).active
    header = [c.value for c in ws[1]]
    col = header.index("Дата встречи" if lang == "ru" else "Meeting date") + 1
    cell = ws.cell(row=2, column=col)
    assert (cell.data_type, cell.number_format) == ("d", date_fmt)
    assert cell.value == dt.datetime(2026, 11, 23)
    assert ws.cell(row=2, column=col + 1).number_format == "HH:MM"
