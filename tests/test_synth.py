"""The synthetic demo company: determinism, committed samples, schemas, planted signals, raw
file formats, and the ``demo-data`` command."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from salesaudit.app import demo as demo_cmd
from salesaudit.errors import ParameterError
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import TABLES, canonical_frame, schema
from salesaudit.synth import (
    AS_OF,
    RAW_FILES,
    folder_files,
    generate_dataset,
    generate_demo_files,
    meeting_log_metrics,
    owner_top_clients,
    reason_share,
    stalled_deals,
    training_conversion,
    workbook_bytes,
)
from salesaudit.synth._export import amocrm_deals_csv, bitrix_activities_csv

ROOT = Path(__file__).resolve().parents[1]
#: the synthetic companies export every table but leads (a CRM leads export is optional; the lead
#: funnel is tested on hand-built leads in tests/test_leads.py)
GENERATED = tuple(t for t in TABLES if t != "leads")
SAMPLES = ROOT / "data_samples"
AS_OF_TS = pd.Timestamp(AS_OF)


@pytest.fixture(scope="module")
def demo() -> tuple[Dataset, dict]:
    return generate_dataset("demo", seed=7)


@pytest.fixture(scope="module")
def healthy() -> tuple[Dataset, dict]:
    return generate_dataset("healthy", seed=7)


@pytest.fixture(scope="module")
def demo_files(demo) -> dict[str, bytes]:
    return folder_files(*demo, "demo")


@pytest.fixture(scope="module")
def healthy_files(healthy) -> dict[str, bytes]:
    return folder_files(*healthy, "healthy")


# --- determinism and committed samples -------------------------------------------------------
@pytest.mark.slow
def test_same_seed_gives_identical_bytes(demo_files: dict[str, bytes]) -> None:
    again = generate_demo_files("demo", 7)
    assert list(again) == list(demo_files)
    for name in demo_files:
        assert again[name] == demo_files[name], name


@pytest.mark.slow
def test_different_seed_gives_different_data(demo_files: dict[str, bytes]) -> None:
    other = generate_demo_files("demo", 8)
    assert set(other) == set(demo_files)
    # the staff and the trainings are fixed facts of the company; everything simulated differs
    simulated = [
        "raw/amocrm_deals.csv",
        "raw/bitrix_activities.csv",
        "raw/1c_sales.xlsx",
        "raw/plan_2026.xlsx",
        "raw/clients.csv",
        "planted.yaml",
    ]
    for name in simulated:
        assert other[name] != demo_files[name], name


@pytest.mark.parametrize("profile", ["demo", "healthy"])
def test_committed_samples_equal_a_fresh_generation(
    profile: str, demo_files: dict[str, bytes], healthy_files: dict[str, bytes]
) -> None:
    fresh = demo_files if profile == "demo" else healthy_files
    folder = SAMPLES / profile
    for rel, data in fresh.items():
        path = folder / rel
        assert path.is_file(), f"{path} missing: run `make demo-data`"
        assert path.read_bytes() == data, f"{path} differs from the generator: never edit by hand"
    raw_on_disk = sorted(p.name for p in (folder / "raw").iterdir() if p.is_file())
    assert raw_on_disk == sorted(RAW_FILES)


def test_workbook_bytes_is_deterministic() -> None:
    def book() -> openpyxl.Workbook:
        wb = openpyxl.Workbook()
        wb.active["A1"] = "x"
        return wb

    assert workbook_bytes(book()) == workbook_bytes(book())


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown profile 'nope'"):
        generate_dataset("nope")


# --- ground truth ---------------------------------------------------------------------------
@pytest.mark.parametrize("profile", ["demo", "healthy"])
def test_ground_truth_tables_pass_their_schemas(profile: str, demo, healthy) -> None:
    data, _ = demo if profile == "demo" else healthy
    assert data.table("leads") is None or len(data.table("leads")) == 0
    for table in GENERATED:
        frame = data.table(table)
        assert frame is not None and len(frame) > 0, table
        schema(table).validate(frame, lazy=True)


def test_company_shape(demo) -> None:
    data, _ = demo
    m = data.managers
    assert m["role"].value_counts().to_dict() == {"manager": 13, "head_of_sales": 1, "owner": 1}
    active_nov = m[(m["role"] == "manager") & m["left"].isna()]
    assert len(active_nov) == 12
    assert len(data.clients) == 600
    assert data.deals["brand"].nunique() == 8
    assert data.sales["product"].nunique() in range(55, 65)
    assert data.activities["occurred_at"].min() >= pd.Timestamp("2025-06-01")
    assert data.sales["date"].max() < AS_OF_TS
    assert data.sales["date"].min() >= pd.Timestamp("2025-06-01")
    # planned activities on as_of and the next working day; done meetings yesterday
    a = data.activities
    planned_days = set(a.loc[a["status"] == "planned", "occurred_at"].dt.date.astype(str))
    assert {"2026-11-20", "2026-11-23"} <= planned_days
    yesterday = a[(a["occurred_at"].dt.date.astype(str) == "2026-11-19") & (a["type"] == "meeting")]
    assert (yesterday["status"] == "done").sum() > 10
    # nothing happens with a client before the CRM has it
    created = data.clients.set_index("client_id")["created"]
    with_client = a.dropna(subset=["client_id"])
    assert (with_client["occurred_at"] >= with_client["client_id"].map(created)).all()
    deals = data.deals
    assert (deals["created"] >= deals["client_id"].map(created)).all()
    # win rate and deal size in the brief's range
    closed = data.deals[data.deals["outcome"] != "open"]
    win_rate = (closed["outcome"] == "won").mean()
    assert 0.2 <= win_rate <= 0.3
    assert 100_000 <= data.deals["amount"].mean() <= 400_000


def test_seasonality_dips_in_january_and_august(demo) -> None:
    data, _ = demo
    s = data.sales
    by_month = s.groupby(s["date"].dt.to_period("M"))["amount"].sum()
    jan, dec, feb = (
        by_month[pd.Period("2026-01")],
        by_month[pd.Period("2025-12")],
        by_month[pd.Period("2026-02")],
    )
    assert jan < dec and jan < feb
    assert by_month[pd.Period("2026-08")] < by_month[pd.Period("2026-09")]
    assert by_month[pd.Period("2025-08")] < by_month[pd.Period("2025-10")]


# --- planted signals: exact values on the demo, absence on the healthy profile ---------------
def test_refusal_mixes(demo, healthy) -> None:
    data, planted = demo
    nb = reason_share(data, "m02", "no_budget")
    assert nb == {
        "activities": 0.6897,
        "activities_team": 0.1447,
        "lost_deals": 0.6715,
        "lost_deals_team": 0.1484,
        "refusals": 319,
    }
    ni = reason_share(data, "m05", "not_interested")
    assert ni["activities"] == 0.7027 and ni["activities_team"] == 0.1274
    # cross-check by hand: m02's refused activities
    a = data.activities
    mine = a[(a["manager_id"] == "m02") & (a["result"] == "refused") & (a["status"] == "done")]
    assert (mine["refusal_reason"] == "no_budget").sum() == 220
    assert len(mine) == 319
    problem = next(p for p in planted["problems"] if p["id"] == "P1")
    assert problem["who"] == "Костин Дмитрий Сергеевич"
    assert problem["expected"]["activities"] == 0.6897
    hdata, hplanted = healthy
    assert hplanted["problems"] == []
    assert hplanted["measured"]["max_reason_share_any_manager"] == 0.2725
    assert reason_share(hdata, "m02", "no_budget")["activities"] < 0.25


def test_fabricated_meetings(demo, healthy) -> None:
    data, _ = demo
    m = data.managers.set_index("manager_id")
    assert m.loc["m07", "pay"] == "fixed"
    assert set(m.loc[m["role"] == "manager", "pay"].drop("m07")) <= {"variable", "mixed"}
    metrics = meeting_log_metrics(data, "m07")
    assert metrics == {
        "meetings": 1178,
        "share_no_result": 0.9058,
        "share_logged_3h_after": 0.7784,
        "share_logged_after_18": 1.0,
        "share_with_deal": 0.0161,
        "days_with_6plus": 38,
        "weekend_or_holiday_meetings": 23,
        "overlapping_meetings": 265,
        "top_comment_share": 0.3115,
    }
    a = data.activities
    fake = a[(a["manager_id"] == "m07") & (a["type"] == "meeting") & (a["status"] == "done")]
    no_result = fake[fake["result"] == "none"]
    assert no_result["deal_id"].isna().all()
    assert set(no_result["comment"]) == {
        "Встреча проведена, клиент думает",
        "Встреча проведена",
        "Провел презентацию, клиент заинтересован",
    }
    # batches: within a logging evening consecutive records are 1-3 minutes apart
    gaps = no_result.sort_values("logged_at")["logged_at"].diff().dt.total_seconds().div(60)
    assert (gaps.between(1, 3)).mean() > 0.5
    # honest colleagues always record an outcome
    honest = a[(a["manager_id"] == "m01") & (a["type"] == "meeting") & (a["status"] == "done")]
    assert (honest["result"] == "none").sum() == 0
    hdata, _ = healthy
    hm = hdata.managers
    assert "fixed" not in set(hm.loc[hm["role"] == "manager", "pay"])
    ha = hdata.activities
    done_meetings = ha[(ha["type"] == "meeting") & (ha["status"] == "done")]
    assert (done_meetings["result"] == "none").sum() == 0
    assert meeting_log_metrics(hdata, "m07")["days_with_6plus"] == 0


def test_owner_holds_top_clients(demo, healthy) -> None:
    data, _ = demo
    assert owner_top_clients(data) == {
        "clients_with_revenue": 566,
        "top_clients": 114,
        "owner_top_clients": 70,
        "owner_share_of_top_clients": 0.614,
        "owner_share_of_top_revenue": 0.6041,
        "owner_revenue_share": 0.403,
    }
    # independent computation
    rev = data.sales.groupby("client_id")["amount"].sum().sort_values(ascending=False)
    top = rev.index[: math.ceil(0.2 * (rev > 0).sum())]
    resp = data.clients.set_index("client_id").loc[top, "manager_id"]
    assert (resp == "m15").sum() == 70
    assert owner_top_clients(healthy[0])["owner_share_of_top_clients"] < 0.05


def test_plan_is_money_only_in_demo(demo, healthy) -> None:
    plans = demo[0].plans
    assert set(plans["dimension"]) == {"none"}
    assert set(plans["metric"]) == {"revenue"}
    assert plans["acknowledged_at"].isna().all()
    assert len(plans) == 247
    hp = healthy[0].plans
    assert set(hp["dimension"]) == {"none", "brand", "client"}
    assert {"meetings", "calls", "proposals"} <= set(hp["metric"])
    assert hp["acknowledged_at"].notna().all()
    assert (hp["acknowledged_at"] < hp["period"]).all()


def test_training_effects(demo, healthy) -> None:
    data, _ = demo
    worked = training_conversion(data, "Работа с возражениями и ведение переговоров")
    assert (worked["conversion_before"], worked["conversion_after"]) == (0.2406, 0.4131)
    assert worked["change_pp"] == 17.2484
    flat = training_conversion(data, "Продуктовое обучение: новые линейки брендов")
    assert (flat["conversion_before"], flat["conversion_after"]) == (0.2681, 0.2436)
    assert flat["change_pp"] < 0
    hdata, _ = healthy
    for topic in set(hdata.trainings["topic"]):
        assert training_conversion(hdata, topic)["change_pp"] > 0


def test_stalled_deals(demo, healthy) -> None:
    data, planted = demo
    stalled = stalled_deals(data, AS_OF_TS)
    assert len(stalled) == 22
    assert stalled["idle_days"].min() == 35 and stalled["idle_days"].max() == 114
    assert stalled["amount"].sum() == 4_199_300.0
    assert planted["measured"]["stalled_deals"]["deal_ids"] == stalled["deal_id"].tolist()
    assert len(stalled_deals(healthy[0], AS_OF_TS)) <= 3


def test_head_of_sales_sells(demo, healthy) -> None:
    data, _ = demo
    s = data.sales
    share = s.loc[s["manager_id"] == "m14", "amount"].sum() / s["amount"].sum()
    assert round(share, 4) == 0.2268
    a = data.activities
    head = a[(a["manager_id"] == "m14") & (a["status"] == "done")]
    managing = (head["type"] == "task") & head["client_id"].isna()
    assert managing.mean() < 0.05
    hs, ha = healthy[0].sales, healthy[0].activities
    assert hs.loc[hs["manager_id"] == "m14", "amount"].sum() / hs["amount"].sum() < 0.06
    hhead = ha[(ha["manager_id"] == "m14") & (ha["status"] == "done")]
    assert ((hhead["type"] == "task") & hhead["client_id"].isna()).mean() > 0.6


# --- signal functions on small hand-built frames ----------------------------------------------
def _tiny() -> Dataset:
    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "a", "name": "A", "role": "manager", "pay": "mixed"},
            {"manager_id": "b", "name": "B", "role": "manager", "pay": "fixed"},
            {"manager_id": "o", "name": "O", "role": "owner", "pay": "fixed"},
        ],
    )
    clients = canonical_frame(
        "clients",
        [
            {"client_id": f"c{i}", "name": f"C{i}", "manager_id": m}
            for i, m in enumerate(["o", "a", "a", "b", "b"])
        ],  # fmt: skip
    )
    t = pd.Timestamp
    acts = [
        # a: 3 refusals, 2 no_budget; b: 1 refusal, timing
        {"activity_id": "1", "manager_id": "a", "type": "call", "occurred_at": t("2026-01-05 10:00"),
         "status": "done", "result": "refused", "refusal_reason": "no_budget"},
        {"activity_id": "2", "manager_id": "a", "type": "call", "occurred_at": t("2026-01-06 10:00"),
         "status": "done", "result": "refused", "refusal_reason": "no_budget"},
        {"activity_id": "3", "manager_id": "a", "type": "meeting", "occurred_at": t("2026-01-07 10:00"),
         "logged_at": t("2026-01-07 10:30"), "status": "done", "result": "refused",
         "refusal_reason": "competitor", "deal_id": "d1"},
        {"activity_id": "4", "manager_id": "b", "type": "call", "occurred_at": t("2026-01-07 11:00"),
         "status": "done", "result": "refused", "refusal_reason": "timing"},
        # b: two meetings on a Saturday 30 minutes apart, logged at 18:05 / 18:07, no result
        {"activity_id": "5", "manager_id": "b", "type": "meeting", "occurred_at": t("2026-01-10 10:00"),
         "logged_at": t("2026-01-10 18:05"), "status": "done", "result": "none", "comment": "ok"},
        {"activity_id": "6", "manager_id": "b", "type": "meeting", "occurred_at": t("2026-01-10 10:30"),
         "logged_at": t("2026-01-10 18:07"), "status": "done", "result": "none", "comment": "ok"},
        # deal d2 last touched 40 days before as_of
        {"activity_id": "7", "manager_id": "a", "type": "call", "occurred_at": t("2026-10-11 12:00"),
         "status": "done", "result": "clarify", "deal_id": "d2"},
    ]  # fmt: skip
    deals = canonical_frame(
        "deals",
        [
            {
                "deal_id": "d1",
                "manager_id": "a",
                "created": t("2026-01-07"),
                "outcome": "lost",
                "lost_reason": "competitor",
                "amount": 10.0,
            },
            {
                "deal_id": "d2",
                "manager_id": "a",
                "created": t("2026-10-01"),
                "outcome": "open",
                "amount": 20.0,
            },
            {
                "deal_id": "d3",
                "manager_id": "b",
                "created": t("2026-11-15"),
                "outcome": "open",
                "amount": 30.0,
            },
        ],  # fmt: skip
    )
    sales = canonical_frame(
        "sales",
        [
            {
                "sale_id": str(i),
                "date": t("2026-02-01"),
                "client_id": c,
                "manager_id": m,
                "amount": v,
            }
            for i, (c, m, v) in enumerate(
                [
                    ("c0", "o", 500.0),
                    ("c1", "a", 100.0),
                    ("c2", "a", 50.0),
                    ("c3", "b", 40.0),
                    ("c4", "b", 10.0),
                ]
            )
        ],  # fmt: skip
    )
    return Dataset(
        managers=managers,
        clients=clients,
        activities=canonical_frame("activities", acts),
        deals=deals,
        sales=sales,
    )


def test_reason_share_on_a_tiny_frame() -> None:
    out = reason_share(_tiny(), "a", "no_budget")
    assert out["activities"] == 0.6667  # 2 of a's 3 refusals
    assert out["activities_team"] == 0.0  # b's only refusal is 'timing'; the owner is no team
    assert out["lost_deals"] == 0.0  # d1 was lost to a competitor
    assert math.isnan(out["lost_deals_team"])  # b lost no deal
    assert out["refusals"] == 3


def test_meeting_log_metrics_on_a_tiny_frame() -> None:
    out = meeting_log_metrics(_tiny(), "b")
    assert out == {
        "meetings": 2,
        "share_no_result": 1.0,
        "share_logged_3h_after": 1.0,
        "share_logged_after_18": 1.0,
        "share_with_deal": 0.0,
        "days_with_6plus": 0,
        "weekend_or_holiday_meetings": 2,
        "overlapping_meetings": 1,
        "top_comment_share": 1.0,
    }


def test_owner_top_clients_on_a_tiny_frame() -> None:
    # 5 clients with revenue -> top 20% = 1 client (c0, the owner's)
    out = owner_top_clients(_tiny())
    assert out == {
        "clients_with_revenue": 5,
        "top_clients": 1,
        "owner_top_clients": 1,
        "owner_share_of_top_clients": 1.0,
        "owner_share_of_top_revenue": 1.0,
        "owner_revenue_share": 0.7143,
    }


def test_stalled_deals_on_a_tiny_frame() -> None:
    out = stalled_deals(_tiny(), pd.Timestamp("2026-11-20"))
    assert out["deal_id"].tolist() == ["d2"]
    assert out["idle_days"].tolist() == [40]
    assert out["last_activity"].tolist() == [pd.Timestamp("2026-10-11 12:00")]


def test_signal_functions_do_not_mutate_inputs() -> None:
    data = _tiny()
    before = {t: data.table(t).copy() for t in ("activities", "deals", "sales", "clients")}
    reason_share(data, "a", "no_budget")
    meeting_log_metrics(data, "b")
    owner_top_clients(data)
    stalled_deals(data, AS_OF_TS)
    for t, frame in before.items():
        pd.testing.assert_frame_equal(data.table(t), frame)


# --- raw files ---------------------------------------------------------------------------------
def test_amocrm_csv_format(demo, demo_files: dict[str, bytes]) -> None:
    data, _ = demo
    raw = demo_files["raw/amocrm_deals.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    header = text.split("\r\n", 1)[0]
    assert header == (
        "ID;Название сделки;Бюджет;Ответственный;Дата создания сделки;Дата закрытия;Этап сделки;"
        "Воронка;Компания;Теги;Причина отказа;Товар;Товар;utm_source;utm_source"
    )
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert len(rows) == len(data.deals)
    assert sum(r[5] == "не закрыта" for r in rows) == (data.deals["outcome"] == "open").sum()
    assert {r[6] for r in rows} == {
        "Первичный контакт", "Переговоры", "Принимают решение", "Согласование договора",
        "Успешно реализовано", "Закрыто и не реализовано",
    }  # fmt: skip
    assert {r[10] for r in rows} - {""} == {
        "Нет бюджета", "Не интересно", "Дорого", "Выбрали конкурента", "Нет потребности",
        "Не сейчас",
    }  # fmt: skip
    assert all(r[2].isdigit() for r in rows)
    assert all(r[8].startswith(("ООО «", "АО «")) for r in rows)


def test_amocrm_csv_on_a_tiny_frame() -> None:
    data = Dataset(
        managers=canonical_frame(
            "managers",
            [{"manager_id": "a", "name": "Петров Иван Ильич", "role": "manager", "pay": "mixed"}],
        ),
        clients=canonical_frame("clients", [{"client_id": "c1", "name": "ООО «Ромашка»"}]),
        deals=canonical_frame(
            "deals",
            [
                {
                    "deal_id": "5",
                    "client_id": "c1",
                    "manager_id": "a",
                    "created": "2026-01-02 10:00",
                    "stage": "Переговоры",
                    "amount": 1500.0,
                    "outcome": "open",
                    "product": "Цемент",
                    "brand": "Б",
                    "pipeline": "Продажи",
                }
            ],
        ),  # fmt: skip
    )
    assert amocrm_deals_csv(data).decode("utf-8-sig").split("\r\n")[1] == (
        "5;Б: поставка — Ромашка;1500;Иван Петров;02.01.2026 10:00:00;не закрыта;Переговоры;"
        "Продажи;ООО «Ромашка»;;;Цемент;;;"
    )


def test_bitrix_csv_format(demo, demo_files: dict[str, bytes]) -> None:
    data, _ = demo
    raw = demo_files["raw/bitrix_activities.csv"]
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1251")
    assert text.startswith(
        "ID;Тип;Тема;Ответственный;Компания;Дата начала;Дата создания;Статус;Результат;"
        "Причина отказа;Комментарий;Сделка\r\n"
    )
    assert '\\"' in text
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=";", escapechar="\\", doublequote=False
    )
    rows = list(reader)[1:]
    assert len(rows) == len(data.activities)
    multiline = [r for r in rows if "\n" in r[10]]
    assert multiline and all('"' in r[10] or "." in r[10] for r in multiline)
    assert {r[1] for r in rows} == {
        "Звонок", "Встреча", "Письмо", "Коммерческое предложение", "Демонстрация", "Задача"
    }  # fmt: skip
    assert {r[7] for r in rows} == {"Выполнено", "Запланировано", "Просрочено"}


def test_bitrix_csv_escapes_quotes_and_line_breaks() -> None:
    data = Dataset(
        managers=canonical_frame(
            "managers",
            [{"manager_id": "a", "name": "Петров Иван Ильич", "role": "manager", "pay": "mixed"}],
        ),
        clients=canonical_frame("clients", [{"client_id": "c1", "name": "ООО «Ромашка»"}]),
        activities=canonical_frame(
            "activities",
            [
                {
                    "activity_id": "9",
                    "manager_id": "a",
                    "client_id": "c1",
                    "type": "meeting",
                    "occurred_at": "2026-01-02 10:00",
                    "logged_at": "2026-01-02 18:05",
                    "status": "done",
                    "result": "refused",
                    "refusal_reason": "no_budget",
                    "comment": 'он сказал "нет"\nзавтра',
                }
            ],
        ),  # fmt: skip
    )
    line = bitrix_activities_csv(data).decode("cp1251").split("\r\n")[1]
    assert line == (
        "9;Встреча;;Иван Петров;ООО «Ромашка»;02.01.2026 10:00;02.01.2026 18:05;Выполнено;Отказ;"
        'Нет бюджета;"он сказал \\"нет\\"\nзавтра";'
    )


def test_onec_sales_report_layout(demo, demo_files: dict[str, bytes]) -> None:
    data, _ = demo
    wb = openpyxl.load_workbook(io.BytesIO(demo_files["raw/1c_sales.xlsx"]))
    ws = wb["Продажи"]
    assert [ws.cell(r, 1).value for r in range(1, 6)] == [
        "Продажи",
        "Период: 01.06.2025 - 20.11.2026",
        'Отборы: Организация Равно "Основная организация"; Группировка: Менеджер',
        "Показатели: Количество, Выручка",
        None,
    ]
    assert "G5:H5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["G5"].value == "Продажи"
    assert [c.value for c in ws[6]] == [
        "Период", "Контрагент", "Номенклатура", "Бренд", "Менеджер", "Маршрут", "Количество", "Сумма"
    ]  # fmt: skip
    groups = [r for r in range(7, ws.max_row) if ws.cell(r, 2).value is None]
    assert len(groups) == data.sales["manager_id"].nunique()
    assert all(ws.cell(r, 1).font.b for r in groups)
    assert ws.row_dimensions[groups[0] + 1].outline_level == 1
    last = ws.max_row
    assert ws.cell(last, 1).value == "Итого"
    assert ws.cell(last, 8).value == round(data.sales["amount"].sum(), 2)
    assert ws.max_row == 6 + len(data.sales) + len(groups) + 1
    # 1C spells counterparties 'Название ООО'
    assert ws.cell(groups[0] + 1, 2).value.endswith((" ООО", " АО"))
    assert wb.properties.modified == pd.Timestamp("2026-11-20 09:00").to_pydatetime()


def test_plan_workbooks(demo_files: dict[str, bytes], healthy_files: dict[str, bytes]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(demo_files["raw/plan_2026.xlsx"]))
    assert wb.sheetnames == ["План продаж"]
    ws = wb["План продаж"]
    header = [c.value for c in ws[3]]
    assert header[:3] == ["Менеджер", "06.2025", "07.2025"]
    assert header[8:10] == ["Январь 2026", "Февраль 2026"] and header[-1] == "Декабрь 2026"
    assert ws.cell(4, 1).value == "Воронцов А.И."
    assert ws.cell(ws.max_row, 1).value == "Итого по отделу"
    hb = openpyxl.load_workbook(io.BytesIO(healthy_files["raw/plan_2026.xlsx"]))
    assert hb.sheetnames == [
        "План продаж", "План по брендам", "План по клиентам", "План активностей", "Ознакомление"
    ]  # fmt: skip


def test_lists(demo_files: dict[str, bytes]) -> None:
    managers = openpyxl.load_workbook(io.BytesIO(demo_files["raw/managers.xlsx"])).active
    assert [c.value for c in managers[1]] == [
        "Сотрудник", "Должность", "Оплата", "Дата приема", "Дата увольнения", "Телефон", "Email"
    ]  # fmt: skip
    roles = {managers.cell(r, 2).value for r in range(2, managers.max_row + 1)}
    assert roles == {"Менеджер по продажам", "Руководитель отдела продаж", "Генеральный директор"}
    clients = demo_files["raw/clients.csv"].decode("utf-8").splitlines()
    assert (
        clients[0]
        == "Клиент,Сегмент,Регион,Ответственный,Дата создания,Контактное лицо,Телефон,Email"
    )
    assert len(clients) == 601
    assert all("@example.ru" in line and "+7 900 " in line for line in clients[1:])
    trainings = demo_files["raw/trainings.csv"].decode("utf-8").splitlines()
    assert trainings[0] == "Сотрудник,Дата,Тема" and len(trainings) == 9


def test_planted_and_report_yaml(demo_files: dict[str, bytes]) -> None:
    planted = yaml.safe_load(demo_files["planted.yaml"])
    kinds = [p["kind"] for p in planted["problems"]]
    assert kinds == [
        "refusal_mix", "refusal_mix", "fabricated_meetings", "owner_holds_top_clients",
        "plan_money_only", "training_effect", "training_effect", "stalled_deals",
        "head_of_sales_sells",
    ]  # fmt: skip
    report = yaml.safe_load(demo_files["report.yaml"])
    assert report["as_of"] == AS_OF and report["currency"] == "RUB"
    assert set(report) == {"client_name", "industry", "as_of", "consultant", "currency"}


# --- the command ---------------------------------------------------------------------------------
def test_demo_data_keeps_consultant_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = {"raw/a.csv": b"1", "mapping.yaml": b"generated", "answers.yaml": b"generated",
            "report.yaml": b"r: 1\n"}  # fmt: skip
    monkeypatch.setattr(demo_cmd, "generate_demo_files", lambda profile, seed: fake)
    (tmp_path / "mapping.yaml").write_text("mine", encoding="utf-8")
    (tmp_path / "answers.yaml").write_text("mine too", encoding="utf-8")
    written = demo_cmd.write_demo_folder(tmp_path, profile="demo", seed=7)
    assert written == [tmp_path / "raw" / "a.csv", tmp_path / "report.yaml"]
    assert (tmp_path / "mapping.yaml").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "answers.yaml").read_text(encoding="utf-8") == "mine too"
    assert (tmp_path / "raw" / "a.csv").read_bytes() == b"1"


def test_demo_data_rejects_unknown_profile(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="unknown profile"):
        demo_cmd.write_demo_folder(tmp_path, profile="nope")


def test_demo_data_cli_reports_bad_input_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from salesaudit.cli import main

    assert main(["demo-data", str(tmp_path), "--seed", "-1"]) == 2
    err = capsys.readouterr().err
    assert "--seed must be 0 or more" in err and "Traceback" not in err
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["demo-data", str(a_file)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


# --- the committed demo read back through the loaders ------------------------------------------
@pytest.mark.slow
def test_demo_folder_loads_back_to_the_ground_truth(demo) -> None:
    loading = pytest.importorskip("salesaudit.app.loading")
    truth, _ = demo
    loaded = loading.load_client(SAMPLES / "demo", as_of=AS_OF).dataset
    for table in GENERATED:
        assert len(loaded.table(table)) == len(truth.table(table)), table
    assert not loaded.has("leads")
    assert loaded.sales["amount"].sum() == pytest.approx(truth.sales["amount"].sum(), abs=0.01)
    assert loaded.deals["amount"].sum() == truth.deals["amount"].sum()
    assert loaded.deals["outcome"].value_counts().to_dict() == (
        truth.deals["outcome"].value_counts().to_dict()
    )
    a = loaded.activities
    assert (
        a["result"].value_counts().to_dict() == truth.activities["result"].value_counts().to_dict()
    )
    assert a["refusal_reason"].value_counts().to_dict() == (
        truth.activities["refusal_reason"].value_counts().to_dict()
    )
    # names come back as the managers list spells them
    names = dict(zip(loaded.managers["manager_id"], loaded.managers["name"], strict=True))
    by_name = loaded.sales.groupby(loaded.sales["manager_id"].map(names))["amount"].sum()
    truth_names = dict(zip(truth.managers["manager_id"], truth.managers["name"], strict=True))
    t_by_name = truth.sales.groupby(truth.sales["manager_id"].map(truth_names))["amount"].sum()
    pd.testing.assert_series_equal(by_name.round(2), t_by_name.round(2), check_names=False)


# --- the scale generator (benchmarks/generate_scale.py) ----------------------------------------
def test_scale_generator_writes_the_demo_formats(tmp_path: Path, demo_files) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate_scale", ROOT / "benchmarks" / "generate_scale.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    args = module.parse_args(
        ["--managers", "5", "--clients", "40", "--activities", "300", "--deals", "60",
         "--sales", "80", "--months", "3", "--out", str(tmp_path / "s")]
    )  # fmt: skip
    stats = module.generate(args)
    assert (stats["activities"], stats["deals"], stats["sales"]) == (300, 60, 80)
    raw = tmp_path / "s" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(RAW_FILES)
    for name, encoding in (("amocrm_deals.csv", "utf-8-sig"), ("bitrix_activities.csv", "cp1251")):
        header = (raw / name).read_bytes().decode(encoding).split("\r\n", 1)[0]
        demo_header = demo_files[f"raw/{name}"].decode(encoding).split("\r\n", 1)[0]
        assert header == demo_header, name
    text = (raw / "bitrix_activities.csv").read_bytes().decode("cp1251")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";", escapechar="\\",
                           doublequote=False))  # fmt: skip
    assert len(rows) == 301
    ws = openpyxl.load_workbook(raw / "1c_sales.xlsx").active
    assert [c.value for c in ws[6]][:2] == ["Период", "Контрагент"]
    assert ws.cell(ws.max_row, 1).value == "Итого"
    assert ws.cell(ws.max_row, 8).value == pytest.approx(
        sum(ws.cell(r, 8).value for r in range(7, ws.max_row) if ws.cell(r, 2).value), abs=0.01
    )
