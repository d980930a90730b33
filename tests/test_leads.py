"""Leads: the canonical table read from a Bitrix24 «Лиды» export or a mapped file, and the
lead -> deal -> won funnel by source (exact figures on hand-built frames)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from salesaudit.analytics.leads import lead_funnel
from salesaudit.analytics.suite import run_all
from salesaudit.io.raw import RawSheet
from salesaudit.model.build import build_dataset
from salesaudit.model.dataset import Dataset
from salesaudit.model.presets import detect_preset
from salesaudit.model.schemas import canonical_frame

AS_OF = dt.date(2024, 12, 1)


def make_sheet(file: str, rows: list[list]) -> RawSheet:
    head, *data = rows
    frame = pd.DataFrame(data, columns=head, dtype=object)
    return RawSheet(
        file=file, sheet=None, frame=frame, rows=list(range(2, 2 + len(data))), header_row=1
    )


def _deals() -> pd.DataFrame:
    rows = [
        ("D1", "won", 100.0, "2024-11-10"),
        ("D2", "won", 250.0, "2024-11-12"),
        ("D3", "lost", 70.0, "2024-11-13"),
        ("D4", "open", 40.0, None),
        ("D5", "won", 50.0, "2024-12-05"),  # won after the audit date: not won yet
    ]
    return canonical_frame(
        "deals",
        [
            {
                "deal_id": d,
                "manager_id": "m1",
                "created": "2024-11-01",
                "outcome": o,
                "amount": a,
                "closed": c,
            }
            for d, o, a, c in rows
        ],
    )


def _leads() -> pd.DataFrame:
    rows = [
        ("L1", "site", "converted", "D1", "2024-11-01"),
        ("L2", "site", "converted", "D2", "2024-11-02"),
        ("L3", "site", "lost", None, "2024-11-03"),
        ("L4", "site", "open", None, "2024-11-04"),
        ("L5", "expo", "converted", "D3", "2024-11-05"),
        ("L6", "expo", "converted", "D5", "2024-11-06"),
        ("L7", "expo", "converted", "D99", "2024-11-07"),  # its deal is not in the deals table
        ("L8", None, "converted", "D4", "2024-11-08"),
        ("L9", None, "lost", None, "2024-11-09"),
        ("L10", None, "open", None, "2024-11-10"),
        ("L11", "site", "open", None, "2024-12-10"),  # after the audit date
    ]
    return canonical_frame(
        "leads",
        [
            {
                "lead_id": i,
                "source": s,
                "status": st,
                "converted_deal_id": d,
                "created_at": c,
                "manager_id": "m1",
            }
            for i, s, st, d, c in rows
        ],
    )


def _row(df: pd.DataFrame, key: str) -> dict:
    return df.set_index("key").loc[key].to_dict()


def test_lead_funnel_by_source_exact_figures() -> None:
    res = lead_funnel(Dataset(deals=_deals(), leads=_leads()), as_of=AS_OF)
    assert res.ok
    main = res.main
    assert main["key"].tolist() == ["site", "expo", "unspecified", "total"]
    assert main[
        ["leads", "open", "converted", "lost", "deals_found", "untraced"]
    ].to_numpy().tolist() == [
        [4, 1, 2, 1, 2, 0],
        [3, 0, 3, 0, 2, 1],
        [3, 1, 1, 1, 1, 0],
        [10, 2, 6, 2, 5, 1],
    ]
    site = _row(main, "site")
    assert (site["won"], site["revenue"], site["revenue_per_lead"]) == (2, 350.0, 87.5)
    assert (site["lead_to_deal"], site["deal_to_won"], site["lead_to_won"]) == (0.5, 1.0, 0.5)
    expo = _row(main, "expo")
    assert (expo["won"], expo["revenue"], expo["deal_to_won"], expo["lead_to_deal"]) == (
        0,
        0.0,
        0.0,
        1.0,
    )
    assert math.isnan(expo["lead_to_won"])  # one conversion untraced: not guessed
    none = _row(main, "unspecified")
    assert none["lead_to_deal"] == pytest.approx(1 / 3)
    assert (none["won"], none["lead_to_won"]) == (0, 0.0)
    total = _row(main, "total")
    assert (total["won"], total["revenue"], total["revenue_per_lead"]) == (2, 350.0, 35.0)
    assert (total["lead_to_deal"], total["deal_to_won"]) == (0.6, 0.4)
    assert math.isnan(total["lead_to_won"])
    assert res.tables["untraced"].to_dict("records") == [
        {"lead_id": "L7", "source": "expo", "converted_deal_id": "D99"}
    ]
    assert res.message == (
        "1 converted lead(s) without a deal found in the deals table: lead -> won left empty "
        "for their source"
    )
    ev = res.evidence
    assert sorted(ev.loc[ev["key"] == "site|leads", "record_id"]) == ["L1", "L2", "L3", "L4"]
    assert ev.loc[ev["key"] == "site|won", ["table", "record_id"]].to_numpy().tolist() == [
        ["deals", "D1"],
        ["deals", "D2"],
    ]
    assert sorted(ev.loc[ev["key"] == "total|won", "record_id"]) == ["D1", "D2"]
    assert len(ev.loc[ev["key"] == "total|leads"]) == 10


def test_lead_funnel_without_deals_counts_conversions_only() -> None:
    res = lead_funnel(Dataset(leads=_leads()), as_of=AS_OF)
    total = _row(res.main, "total")
    assert (total["leads"], total["converted"], total["lead_to_deal"]) == (10, 6, 0.6)
    assert all(math.isnan(total[c]) for c in ("won", "revenue", "deal_to_won", "lead_to_won"))
    assert res.message.startswith("no deals table")


def test_lead_funnel_without_leads_is_insufficient() -> None:
    res = lead_funnel(Dataset(deals=_deals()), as_of=AS_OF)
    assert (res.status, res.message) == ("insufficient_data", "needs table(s): leads")
    early = lead_funnel(Dataset(leads=_leads()), as_of=dt.date(2024, 10, 1))
    assert (early.status, early.message) == ("insufficient_data", "no leads created by as_of")
    assert run_all(Dataset(deals=_deals()), as_of=AS_OF)["lead_funnel"].status == (
        "insufficient_data"
    )


BITRIX_LEADS = [
    [
        "ID",
        "Название лида",
        "Стадия",
        "Источник",
        "Ответственный",
        "Дата создания",
        "Сконвертирован в сделку",
        "Причина отказа",
    ],
    ["101", "Заявка 1", "Качественный лид", "Сайт", "Иванов", "01.11.2024 10:15", "Да", None],
    ["102", "Заявка 2", "Некачественный лид", "Выставка", "Иванов", "02.11.2024", "Нет", "Дорого"],
    ["103", "Заявка 3", "В работе", "Сайт", "Петров", "03.11.2024", None, None],
    ["104", "Заявка 4", "Странный статус", "Сайт", "Петров", "04.11.2024", None, None],
    ["105", "Заявка 5", "Странный статус", None, "Петров", "05.11.2024", None, None],
]


def test_bitrix_leads_export_is_recognised_and_read() -> None:
    sheet = make_sheet("/c/raw/leads.csv", BITRIX_LEADS)
    assert detect_preset(sheet).name == "crm_leads"
    data, q = build_dataset([sheet], meta={"as_of": AS_OF})
    leads = data.leads
    assert leads[
        ["lead_id", "status", "source", "manager_id", "lost_reason"]
    ].to_numpy().tolist() == [
        ["101", "converted", "Сайт", "m01", None],
        ["102", "lost", "Выставка", "m01", "too_expensive"],
        ["103", "open", "Сайт", "m02", None],
        ["104", "open", "Сайт", "m02", None],
        ["105", "open", None, "m02", None],
    ]
    assert leads["converted_deal_id"].isna().all()  # «Да/Нет» is not a deal id
    assert leads["created_at"].iloc[0] == pd.Timestamp("2024-11-01 10:15")
    unknown = q.issues[q.issues["kind"] == "unknown_label"]
    assert unknown[["row", "value", "message"]].to_numpy().tolist() == [
        [
            5,
            "Странный статус",
            "status: label not known in 2 row(s); counted as 'open'; "
            "add it to mapping.yaml labels.status",
        ]
    ]
    assert q.tables.set_index("table").loc["leads", ["rows_read", "accepted"]].tolist() == [5, 5]


def test_mapped_leads_file_with_deal_ids_feeds_the_funnel() -> None:
    """An amoCRM «Неразобранное»-like file described in mapping.yaml; the deal ids link the
    leads to the deals export, and a pattern maps the free-text statuses."""
    leads = make_sheet(
        "/c/raw/unsorted.csv",
        [
            ["Создана", "Откуда", "Менеджер", "Итог", "Сделка"],
            ["01.11.2024", "Сайт", "Иванов", "Принято", "D1"],
            ["02.11.2024", "Сайт", "Иванов", None, "D2"],
            ["03.11.2024", "Звонок", "Петров", "отклонено: спам", None],
            ["04.11.2024", "Звонок", "Петров", "Неразобранное", None],
        ],
    )
    mapping = {
        "files": [
            {
                "match": "unsorted.csv",
                "table": "leads",
                "columns": {
                    "Создана": "created_at",
                    "Откуда": "source",
                    "Менеджер": "manager_name",
                    "Итог": "status",
                    "Сделка": "converted_deal_id",
                },
                "labels": {"status": {"/отклон/": "lost"}},
            }
        ]
    }
    data, q = build_dataset([leads], mapping, meta={"as_of": AS_OF})
    assert data.leads[["lead_id", "status", "converted_deal_id"]].to_numpy().tolist() == [
        ["unsorted:2", "converted", "D1"],
        ["unsorted:3", "converted", "D2"],  # no status, but it names its deal
        ["unsorted:4", "lost", None],
        ["unsorted:5", "open", None],
    ]
    assert "unknown_label" not in set(q.issues["kind"])
    res = lead_funnel(data.replace(deals=_deals()), as_of=AS_OF)
    assert _row(res.main, "Сайт")["revenue"] == 350.0
    total = _row(res.main, "total")
    assert (total["leads"], total["converted"], total["won"], total["lead_to_won"]) == (
        4,
        2,
        2,
        0.5,
    )


def test_audit_of_a_folder_with_leads_shows_the_funnel_in_the_report(tmp_path) -> None:
    from salesaudit.app.audit import audit_client
    from salesaudit.report import sections
    from salesaudit.report.i18n import NBSP

    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "deals.csv").write_text(
        "ID;Название сделки;Стадия сделки;Сумма;Ответственный;Дата создания;Дата закрытия\n"
        "1;A;Сделка успешна;1000;Иванов;01.02.2026;10.02.2026\n"
        "2;B;Сделка провалена;2000;Петров;02.02.2026;12.02.2026\n"
        "3;C;Сделка успешна;500;Петров;03.02.2026;13.02.2026\n",
        encoding="utf-8",
    )
    (root / "raw" / "leads.csv").write_text(
        "ID;Название лида;Стадия;Источник;Ответственный;Дата создания;Сделка\n"
        "11;Заявка;Качественный лид;Сайт;Иванов;01.02.2026;1\n"
        "12;Заявка;Качественный лид;Сайт;Петров;01.02.2026;2\n"
        "13;Заявка;Некачественный лид;Сайт;Петров;02.02.2026;\n"
        "14;Заявка;Качественный лид;Выставка;Петров;02.02.2026;3\n"
        "15;Заявка;В работе;;Иванов;03.02.2026;\n",
        encoding="utf-8",
    )
    (root / "report.yaml").write_text("as_of: 2026-02-14\n", encoding="utf-8")
    result, _ = audit_client(root)
    funnel = result.table("lead_funnel")
    assert funnel[["key", "leads", "converted", "won", "revenue"]].values.tolist() == [
        ["Сайт", 3, 2, 1, 1000.0],
        ["Выставка", 1, 1, 1, 500.0],
        ["unspecified", 1, 0, 0, 0.0],
        ["total", 5, 3, 2, 1500.0],
    ]
    html = sections.scorecards(result, "ru").replace(NBSP, " ")
    assert "Лиды по источникам: лид → сделка → выигрыш" in html
    assert (
        '<td>Сайт</td><td class="num">3</td><td class="num">66,7 %</td>'
        '<td class="num">1</td><td class="num">50,0 %</td><td class="num">33,3 %</td>'
        '<td class="num">1 000 ₽</td>'
    ) in html
    assert "<td>не указан</td>" in html and "<td>Итого</td>" in html
    from salesaudit.report.tables import report_tables

    lead_tables = [x for x in report_tables(result, "ru") if x.title.startswith("Лиды")]
    assert len(lead_tables) == 1
    frame = lead_tables[0].frame
    assert frame.iloc[0].tolist() == ["Сайт", 3.0, 0.666667, 1.0, 0.5, 0.333333, 1000.0]
    assert lead_tables[0].formats["Выручка"] == "money"


def test_pseudonymised_leads_keep_no_names() -> None:
    from salesaudit.model.pseudonymize import pseudonymize_dataset

    sheet = make_sheet("/c/raw/leads.csv", BITRIX_LEADS)
    data, _ = build_dataset([sheet], meta={"as_of": AS_OF})
    safe = pseudonymize_dataset(data, b"k" * 32)
    assert safe.leads is not None and len(safe.leads) == 5
    aliases = dict(zip(data.managers["manager_id"], safe.managers["manager_id"], strict=True))
    assert safe.leads["manager_id"].tolist() == [aliases[m] for m in data.leads["manager_id"]]
    text = safe.leads.astype(str).to_string() + safe.managers.astype(str).to_string()
    assert "Иванов" not in text and "Петров" not in text
    assert safe.leads["status"].tolist() == data.leads["status"].tolist()


def test_a_lead_after_the_audit_date_is_a_future_date() -> None:
    sheet = make_sheet("/c/raw/leads.csv", BITRIX_LEADS)
    _, q = build_dataset([sheet], meta={"as_of": dt.date(2024, 11, 3)})
    future = q.issues[q.issues["kind"] == "future_date"]
    assert future[["row", "value"]].to_numpy().tolist() == [[5, "04.11.2024"], [6, "05.11.2024"]]
    assert q.tables.set_index("table").loc["leads", "future_dates"] == 2
