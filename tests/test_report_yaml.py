"""report.yaml: one schema check for every key the project reads; typos get a did-you-mean and
every problem is listed at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.app.audit import read_report_settings
from salesaudit.errors import ParameterError
from salesaudit.scoring.report_settings import KEYS, check_report_settings, report_currency


def cases_of(doc: object) -> list[str]:
    with pytest.raises(ParameterError) as info:
        check_report_settings(doc, source="report.yaml")
    return [c.render() for c in info.value.cases]


def test_valid_settings_are_normalised() -> None:
    doc = {
        "client_name": {"ru": "ООО «Вектор»", "en": "Vector LLC"},
        "industry": "Дистрибуция",
        "consultant": "Анна Смирнова",
        "as_of": "2026-11-20",
        "currency": "kzt",
        "lang": "ru",
        "gross_margin": 0.3,
        "thresholds": {"p5.win_rate": {"good": 30, "bad": 12}},
        "analysis": {"stalled_deals": {"days": 45}, "refusals": None},
    }
    out = check_report_settings(doc)
    assert out == {**doc, "as_of": dt.date(2026, 11, 20), "currency": "KZT"}
    assert report_currency(out) == "KZT"
    assert report_currency({}) == "RUB"
    assert report_currency({}, "usd") == "USD"
    assert check_report_settings(None) == {}


def test_every_problem_is_listed_with_a_suggestion() -> None:
    cases = cases_of(
        {
            "as_off": "2026-11-20",
            "client_nme": "X",
            "colour": "red",
            "currency": "рубли",
            "gross_margin": 25,
            "consultant": ["a"],
            "lang": "de",
            "client_name": {"ru": "Вектор", "de": "Vektor"},
            "analysis": {"stalled_deal": {"days": 30}, "stalled_deals": {"dayz": 30}},
        }
    )
    assert cases == [
        "report.yaml: unknown key 'as_off' — did you mean 'as_of'?",
        "report.yaml: unknown key 'client_nme' — did you mean 'client_name'?",
        "report.yaml: unknown key 'colour' -> known keys: " + ", ".join(KEYS),
        "report.yaml: currency: must be a 3-letter ISO currency code, got 'рубли' "
        "-> e.g. RUB, USD, EUR, KZT, BYN",
        "report.yaml: gross_margin: must be a share in (0, 1], got 25 "
        "-> e.g. gross_margin: 0.3 for 30 %",
        "report.yaml: consultant: must be a text, got ['a']",
        "report.yaml: lang: must be ru or en, got 'de'",
        "report.yaml: client_name: must be a text or {ru: text, en: text}, got "
        "{'ru': 'Вектор', 'de': 'Vektor'}",
        "report.yaml: analysis.stalled_deal: unknown analysis — did you mean 'stalled_deals'?",
        "report.yaml: analysis.stalled_deals.dayz: unknown parameter — did you mean 'days'? "
        "-> parameters: days, match",
    ]


def test_error_header_counts_and_points_to_the_docs() -> None:
    with pytest.raises(ParameterError) as info:
        check_report_settings({"as_off": "2026-11-20"}, source="/c/report.yaml")
    err = info.value
    assert str(err) == (
        "/c/report.yaml: 1 problem in report.yaml -> fix them as listed; the reference is "
        "docs/report-yaml.md\n"
        "  - /c/report.yaml: unknown key 'as_off' — did you mean 'as_of'?"
    )
    assert err.exit_code == 2


def test_wrong_types_of_the_other_keys() -> None:
    assert cases_of({"as_of": "вчера", "thresholds": [1], "analysis": "all", "industry": 5.5}) == [
        "report.yaml: as_of: must be a date YYYY-MM-DD, got 'вчера'",
        "report.yaml: thresholds: must be a mapping, got [1] "
        "-> e.g. thresholds: {p5.win_rate: {good: 30, bad: 12}}",
        "report.yaml: analysis: must be a mapping, got 'all' "
        "-> e.g. analysis: {stalled_deals: {days: 30}}",
    ]
    with pytest.raises(ParameterError, match="must hold a mapping of keys, got list"):
        check_report_settings(["as_of"])


def test_every_reader_goes_through_the_validator(tmp_path: Path) -> None:
    (tmp_path / "report.yaml").write_text(
        "client_name: Вектор\nas_of: 2026-11-20\ncurrency: usd\n", encoding="utf-8"
    )
    assert read_report_settings(tmp_path) == {
        "client_name": "Вектор",
        "as_of": dt.date(2026, 11, 20),
        "currency": "USD",
    }
    (tmp_path / "report.yaml").write_text("as_off: 2026-11-20\n", encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        read_report_settings(tmp_path)
    assert info.value.file == str(tmp_path / "report.yaml")
    assert [c.message for c in info.value.cases] == ["unknown key 'as_off' — did you mean 'as_of'?"]


def test_the_demo_report_yaml_is_valid() -> None:
    from salesaudit.synth import report_info

    for profile in ("demo", "healthy"):
        out = check_report_settings(report_info(profile))
        assert out["currency"] == "RUB"


# --- currency: from report.yaml to every money figure -----------------------------------------

BITRIX_DEALS = (
    "ID;Название сделки;Стадия сделки;Сумма;Валюта;Ответственный;Дата создания;Дата закрытия\n"
    "1;A;Сделка успешна;1000;KZT;Иванов;01.02.2026;10.02.2026\n"
    "2;B;Сделка успешна;2000;тенге;Петров;02.02.2026;12.02.2026\n"
    "3;C;Сделка провалена;500;RUB;Петров;03.02.2026;13.02.2026\n"
    "4;D;Сделка успешна;700;руб.;Иванов;04.02.2026;14.02.2026\n"
)


def _folder(tmp_path: Path, report: str, mapping: str | None = None) -> Path:
    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "deals.csv").write_text(BITRIX_DEALS, encoding="utf-8")
    (root / "report.yaml").write_text(report, encoding="utf-8")
    if mapping is not None:
        (root / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return root


def test_data_in_another_currency_than_report_yaml_is_reported(tmp_path: Path) -> None:
    from salesaudit.app.loading import load_client

    root = _folder(tmp_path, "as_of: 2026-03-01\ncurrency: KZT\n", "currency: RUB\n")
    loaded = load_client(root, as_of=dt.date(2026, 3, 1))
    assert loaded.dataset.meta["currency"] == "KZT"
    other = loaded.quality.issues[loaded.quality.issues["kind"] == "other_currency"]
    assert other[["row", "value", "message"]].astype(object).to_numpy().tolist() == [
        [
            pd.NA,
            "RUB",
            "mapping.yaml currency RUB differs from report.yaml currency KZT: amounts are "
            "taken as they are, not converted",
        ],
        [4, "RUB", "1 record(s) in 'RUB', not KZT: amounts are taken as they are, not converted"],
        [5, "руб.", "1 record(s) in 'руб.', not KZT: amounts are taken as they are, not converted"],
    ]
    # «тенге» is the same currency as KZT: not reported
    assert loaded.dataset.deals["amount"].tolist() == [1000.0, 2000.0, 500.0, 700.0]


def test_the_audit_carries_the_currency_to_the_result_and_the_report(tmp_path: Path) -> None:
    from salesaudit.app.audit import audit_client
    from salesaudit.report import i18n
    from salesaudit.scoring.result import AuditResult

    root = _folder(tmp_path, "as_of: 2026-02-14\ncurrency: kzt\nclient_name: Тест\n")
    result, _ = audit_client(root)
    assert result.currency == "KZT"
    assert result.meta["currency"] == "KZT"
    back = AuditResult.from_json(result.to_json())
    assert back.currency == "KZT" and '"currency": "KZT"' in result.to_json()
    revenue = next(a for a in result.upside["assumptions"] if a["id"] == "revenue")
    assert revenue["ru"].startswith("Годовая выручка 270\u00a0100\u00a0₸ — по выигранным сделкам")
    assert revenue["en"].startswith("Annual revenue KZT 270,100 from won deals")
    try:
        i18n.set_currency(back.currency)
        nb = "\u00a0"
        assert i18n.fmt_money(1234567, "ru") == f"1{nb}234{nb}567{nb}₸"
        assert i18n.fmt_money(1234567, "en") == f"KZT{nb}1,234,567"
        assert i18n.fmt_money_approx(1.2e6, 2.4e6, "ru") == f"≈{nb}1,2–2,4{nb}млн ₸"
        from salesaudit.report.charts import money_scale

        assert money_scale([3e6], "ru") == (1e6, "млн ₸")
        assert money_scale([3e4], "en") == (1e3, "KZT k")
    finally:
        i18n.set_currency(None)
    assert i18n.fmt_money(5, "ru", currency="USD") == "5\u00a0$"
    assert i18n.fmt_money(5, "ru", currency="CHF") == "5\u00a0CHF"
    assert i18n.fmt_money(5, "en", currency="EUR") == "EUR\u00a05"
    assert i18n.fmt_money(5, "ru") == "5\u00a0₽"  # back to the default


def test_old_result_json_without_currency_reads_as_rub() -> None:
    from salesaudit.scoring.result import AuditResult

    d = {
        "meta": {},
        "areas": [],
        "overall_index": None,
        "maturity": {},
        "upside": {},
        "indicators": [],
        "findings": [],
        "roadmap": [],
        "express_checklist": [],
        "answers": {},
        "analyses": {},
        "quality": {},
    }
    assert AuditResult.from_dict(d).currency == "RUB"


def test_workshop_money_labels_follow_the_currency() -> None:
    from salesaudit.report.i18n import set_currency
    from salesaudit.workshop._text import METRIC_LABELS, label_of, t

    try:
        set_currency("USD")
        assert t("avg_deal", "ru") == "Средняя сделка, $"
        assert label_of(METRIC_LABELS, "revenue", "en") == "Revenue, USD"
    finally:
        set_currency(None)
    assert t("avg_deal", "ru") == "Средняя сделка, ₽"


def test_tables_workbook_money_format_names_the_currency(tmp_path: Path) -> None:
    import openpyxl
    from salesaudit.io.tables_xlsx import write_tables_xlsx

    table = ("Выручка", pd.DataFrame({"Менеджер": ["A"], "Сумма": [1500.0]}), {"Сумма": "money"})
    for lang, sign, expected in (
        ("ru", "₸", '#,##0" ₸"'),
        ("en", "KZT", '"KZT "#,##0'),
        ("ru", None, '#,##0" ₽"'),
    ):
        path = write_tables_xlsx(
            [table], tmp_path / f"t_{lang}_{sign}.xlsx", lang=lang, currency_sign=sign
        )
        ws = openpyxl.load_workbook(path).worksheets[1]
        assert (ws["B2"].value, ws["B2"].number_format) == (1500, expected)
