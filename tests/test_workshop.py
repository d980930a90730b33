"""The workshop dashboard's panels: set a control -> the figures shown equal what lib computes.

Small hand-built company (two managers, one head of sales), assessed on 16.11.2026.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.analytics.forecast import activity_forecast, forecast_value
from salesaudit.analytics.meetings import credibility, verification_sample
from salesaudit.analytics.planfact import plan_fact
from salesaudit.analytics.refusals import refusal_mix
from salesaudit.model.dataset import Dataset
from salesaudit.model.schemas import canonical_frame
from salesaudit.workshop import (
    CredibilityPanel,
    ForecastInputs,
    ForecastPanel,
    InterviewPanel,
    PlanFactPanel,
    RefusalsPanel,
    WorkshopState,
    actual_inputs,
    answers_document,
    build_dashboard,
    monthly_plan,
    on_slider_grid,
    reason_mix,
    save_answers,
    select_rows,
)

AS_OF = dt.date(2026, 11, 16)


def _value(html: str, css: str) -> float:
    """The ``data-value`` of the element with class ``css`` in a widget's HTML."""
    m = re.search(rf'class="{css}" data-value="([^"]*)"', html)
    assert m, f"{css} not found in {html[:200]}"
    return float(m.group(1))


def _dataset() -> Dataset:
    managers = canonical_frame(
        "managers",
        [
            {"manager_id": "m1", "name": "Анна", "role": "manager", "pay": "fixed"},
            {"manager_id": "m2", "name": "Борис", "role": "manager", "pay": "variable"},
            {"manager_id": "h1", "name": "Вера", "role": "head_of_sales", "pay": "mixed"},
        ],
    )
    acts = []
    # m1: 10 meetings in September-October, m2: 5 (all done, logged on time, with a result)
    for i in range(10):
        day = pd.Timestamp("2026-09-01") + pd.Timedelta(days=6 * i)
        acts.append(("m1", f"c{i % 3}", day + pd.Timedelta(hours=11), "agreed", None))
    for i in range(5):
        day = pd.Timestamp("2026-09-02") + pd.Timedelta(days=9 * i)
        acts.append(("m2", f"c{3 + i % 2}", day + pd.Timedelta(hours=12), "agreed", None))
    rows = [
        {
            "activity_id": f"a{n}",
            "manager_id": m,
            "client_id": c,
            "type": "meeting",
            "occurred_at": when,
            "logged_at": when + pd.Timedelta(hours=1),
            "status": "done",
            "result": res,
            "refusal_reason": reason,
            "comment": f"встреча {n}",
        }
        for n, (m, c, when, res, reason) in enumerate(acts)
    ]
    refusals = [("m1", "no_budget")] * 3 + [("m1", "not_interested")]
    refusals += [("m2", "not_interested")] * 3 + [("m2", "too_expensive")]
    for n, (m, reason) in enumerate(refusals):
        when = pd.Timestamp("2026-10-05 10:00") + pd.Timedelta(days=n)
        rows.append(
            {
                "activity_id": f"r{n}",
                "manager_id": m,
                "client_id": f"c{n}",
                "type": "call",
                "occurred_at": when,
                "logged_at": when,
                "status": "done",
                "result": "refused",
                "refusal_reason": reason,
                # m2's price refusal is also the lost deal d4: counted once
                "deal_id": "d4" if reason == "too_expensive" else None,
            }
        )
    activities = canonical_frame("activities", rows)
    deals = canonical_frame(
        "deals",
        [
            {"deal_id": "d1", "client_id": "c0", "manager_id": "m1", "created": "2026-09-01",
             "closed": "2026-10-10", "outcome": "won", "amount": 40000},
            {"deal_id": "d2", "client_id": "c1", "manager_id": "m1", "created": "2026-09-05",
             "closed": "2026-10-20", "outcome": "won", "amount": 60000},
            {"deal_id": "d3", "client_id": "c3", "manager_id": "m2", "created": "2026-09-02",
             "closed": "2026-10-12", "outcome": "won", "amount": 30000},
            {"deal_id": "d4", "client_id": "c7", "manager_id": "m2", "created": "2026-09-20",
             "closed": "2026-10-12", "outcome": "lost", "lost_reason": "too_expensive",
             "amount": 80000},
        ],
    )  # fmt: skip
    plans = canonical_frame(
        "plans",
        [
            {"period": "2026-10-01", "manager_id": "m1", "dimension": "none",
             "metric": "revenue", "value": 50000},
            {"period": "2026-11-01", "manager_id": "m1", "dimension": "none",
             "metric": "revenue", "value": 100000},
            {"period": "2026-11-01", "manager_id": "m2", "dimension": "none",
             "metric": "revenue", "value": 200000},
        ],
    )  # fmt: skip
    sales = canonical_frame(
        "sales",
        [
            {"sale_id": "s1", "date": "2026-10-10", "manager_id": "m1", "client_id": "c0",
             "amount": 60000},
            {"sale_id": "s2", "date": "2026-11-05", "manager_id": "m1", "client_id": "c1",
             "amount": 30000},
            {"sale_id": "s3", "date": "2026-11-06", "manager_id": "m2", "client_id": "c3",
             "amount": 250000},
        ],
    )  # fmt: skip
    return Dataset(managers=managers, activities=activities, deals=deals, plans=plans, sales=sales)


@pytest.fixture(scope="module")
def state() -> WorkshopState:
    data = _dataset()
    analyses = {
        "forecast": activity_forecast(data, as_of=AS_OF),
        "plan_fact": plan_fact(data, as_of=AS_OF),
        "refusals": refusal_mix(
            data, coaching={"no_budget": {"ru": "Гибкие условия оплаты", "en": "Flexible terms"}}
        ),
        "credibility": credibility(data, as_of=AS_OF),
        "verification_sample": verification_sample(data, as_of=AS_OF),
    }
    return WorkshopState(dataset=data, analyses=analyses, as_of=AS_OF, lang="ru")


# --- forecast what-if -------------------------------------------------------------------------


def test_forecast_slider_values_give_the_lib_forecast(state: WorkshopState) -> None:
    panel = ForecastPanel(state)
    panel.with_inputs(ForecastInputs(2.0, 0.1, 50_000.0, 22, 1))
    shown = _value(panel.output.value, "sa-forecast-value")
    assert shown == forecast_value(2.0, 0.1, 50_000.0, 22, headcount=1) == 220_000.0
    # one slider moved: the figure follows
    panel.headcount.value = 3
    assert _value(panel.output.value, "sa-forecast-value") == 660_000.0
    assert "660\u00a0000\u00a0₽" in panel.output.value


def test_forecast_defaults_to_the_managers_actual_figures_and_plan(state: WorkshopState) -> None:
    panel = ForecastPanel(state)
    panel.manager.value = "m1"
    table = state.table("forecast").set_index("manager_id")
    # m1: 2 won deals (40 000 + 60 000) out of 10 meetings in August-October
    assert table.loc["m1", "conversion"] == 0.2
    assert table.loc["m1", "avg_deal"] == 50_000.0
    assert panel.conversion.value == 20.0
    assert panel.avg_deal.value == 50_000.0
    assert panel.headcount.value == 1
    assert panel.working_days.value == 20  # November 2026 in the production calendar
    # untouched sliders show the PDF's forecast (exact inputs: 10 meetings / 65 working days =
    # 0.1538 a day, not the slider's 0.2), one definition: analytics.forecast.month_forecast
    expected = float(table.loc["m1", "forecast"])
    assert expected == pytest.approx(10 / 65 * 0.2 * 50_000.0 * 20)
    assert _value(panel.output.value, "sa-forecast-value") == pytest.approx(expected, rel=1e-12)
    # plan of November for m1 and the gap
    assert _value(panel.output.value, "sa-plan-value") == 100_000.0
    assert _value(panel.output.value, "sa-gap-value") == expected - 100_000.0


def test_forecast_team_uses_team_row_and_sum_of_plans(state: WorkshopState) -> None:
    panel = ForecastPanel(state)
    assert panel.manager.value == "" and panel.manager_id is None  # the whole team
    team = state.table("forecast").set_index("manager_id").loc["team"]
    assert panel.headcount.value == int(team["headcount"]) == 2
    assert monthly_plan(state, None, pd.Timestamp("2026-11-01")) == 300_000.0
    assert monthly_plan(state, "m2", pd.Timestamp("2026-11-01")) == 200_000.0
    assert monthly_plan(state, "m2", pd.Timestamp("2026-12-01")) is None
    assert _value(panel.output.value, "sa-plan-value") == 300_000.0
    # untouched sliders: the team's actual figures on the slider grid, and their forecast
    assert panel.inputs() == on_slider_grid(actual_inputs(state, None))
    assert panel.meetings.value == round(team["meetings_per_day"], 1)
    assert panel.conversion.value == round(team["conversion"] * 100, 1)
    # ... and the forecast of the exact inputs, i.e. the PDF's team forecast
    assert _value(panel.output.value, "sa-forecast-value") == pytest.approx(
        float(team["forecast"]), rel=1e-12
    )
    # a slider moved: the forecast of the numbers the sliders show
    panel.headcount.value = 3
    inputs = panel.inputs()
    assert _value(panel.output.value, "sa-forecast-value") == forecast_value(
        inputs.meetings_per_day, inputs.conversion, inputs.avg_deal, 20, headcount=3
    )


# --- plan / fact --------------------------------------------------------------------------------


def test_planfact_pickers_filter_the_rows(state: WorkshopState) -> None:
    panel = PlanFactPanel(state)
    assert panel.period.value == "2026-11"  # the running period by default
    rows = panel.rows()
    assert list(rows["manager_id"].fillna("total")) == ["m1", "m2", "total"]
    assert list(rows["plan"]) == [100_000.0, 200_000.0, 300_000.0]
    assert list(rows["fact"]) == [30_000.0, 250_000.0, 280_000.0]
    panel.manager.value = "m1"
    rows = panel.rows()
    assert list(rows["deviation"]) == [-70_000.0]
    assert "−70\u00a0000" in panel.table.value
    # November 2026: 20 working days, 10 done by the 16th -> 70 000 / 10 left = 7 000 a day
    assert _value(panel.kpis.value, "sa-runrate-value") == 7_000.0
    panel.period.value = ""  # all periods of m1
    assert list(panel.rows()["period"].dt.strftime("%Y-%m")) == ["2026-10", "2026-11"]
    assert list(panel.rows()["pct_done"]) == [120.0, 30.0]


def test_select_rows_team_all_periods_gives_department_totals(state: WorkshopState) -> None:
    main = state.table("plan_fact")
    rows = select_rows(main, None, None)
    assert list(rows["is_total"]) == [True, True]
    assert list(rows["plan"]) == [50_000.0, 300_000.0]


# --- refusals -----------------------------------------------------------------------------------


def test_refusal_mix_of_a_manager_against_the_team(state: WorkshopState) -> None:
    mix = reason_mix(state.table("refusals"), "m1")
    assert list(mix["reason"]) == ["no_budget", "not_interested", "too_expensive"]
    assert list(mix["count"]) == [3, 1, 0]
    assert list(mix["share"]) == [0.75, 0.25, 0.0]
    assert list(mix["team_share"]) == [0.375, 0.5, 0.125]
    panel = RefusalsPanel(state)
    panel.manager.value = "m1"
    assert 'data-value="no_budget"' in panel.figures.value
    assert "Гибкие условия оплаты" in panel.advice.value
    panel.manager.value = "m2"
    assert 'data-value="not_interested"' in panel.figures.value
    assert list(panel.mix()["count"]) == [3, 1, 0]


# --- credibility ------------------------------------------------------------------------------


def test_credibility_sample_follows_the_picked_manager(state: WorkshopState) -> None:
    panel = CredibilityPanel(state)
    sample = state.table("verification_sample")
    for manager_id in ("m1", "m2"):
        panel.manager.value = manager_id
        expected = sample.loc[sample["manager_id"].eq(manager_id)]
        assert len(panel.rows()) == len(expected) > 0
        assert list(panel.rows()["activity_id"]) == list(expected["activity_id"])
        assert panel.table.value.count("<tr>") == len(expected) + 1


# --- answers ------------------------------------------------------------------------------------


def test_answers_document_round_trips_through_the_reader(tmp_path: Path) -> None:
    from salesaudit.io.checklist_files import read_answers_file

    text = answers_document(
        {"p2.q01": {"answer": "no", "note": ""}, "p1.q01": {"answer": "yes", "note": "РОП есть"}},
        {"interviewed": "Директор", "answers": {"old": "x"}},
    )
    (tmp_path / "answers.yaml").write_text(text, encoding="utf-8")
    raw = read_answers_file(tmp_path / "answers.yaml")
    assert raw["interviewed"] == "Директор"
    assert raw["answers"] == {
        "p1.q01": {"answer": "yes", "note": "РОП есть"},
        "p2.q01": {"answer": "no"},
    }
    with pytest.raises(ValueError, match="invalid answer"):
        answers_document({"p1.q01": {"answer": "maybe"}})


def test_dashboard_has_all_panels_in_tabs(state: WorkshopState) -> None:
    dash = build_dashboard(state)
    assert [dash.tabs.get_title(i) for i in range(5)] == [
        "Интервью",
        "Прогноз «что если»",
        "План / факт",
        "Отказы",
        "Достоверность",
    ]
    assert "sa-dashboard" in dash.widget._dom_classes
    en = build_dashboard(state.with_lang("en"))
    assert en.tabs.get_title(1) == "Forecast what-if"


def test_save_answers_is_atomic_and_keeps_the_previous_version(tmp_path: Path) -> None:
    from salesaudit.io.atomic import previous_path
    from salesaudit.io.checklist_files import read_answers_file

    first = "interviewed: Директор\nanswers:\n  p1.q01: да\n"
    (tmp_path / "answers.yaml").write_text(first, encoding="utf-8")
    path = save_answers(tmp_path, {"p1.q01": {"answer": "no", "note": None}})
    assert path == tmp_path / "answers.yaml"
    assert previous_path(path).read_text(encoding="utf-8") == first
    raw = read_answers_file(path)
    assert raw["interviewed"] == "Директор"  # other facts of the file are kept
    assert raw["answers"] == {"p1.q01": {"answer": "no"}}
    save_answers(tmp_path, {"p1.q01": {"answer": "partly", "note": "в работе"}})
    assert read_answers_file(previous_path(path))["answers"] == {"p1.q01": {"answer": "no"}}
    assert read_answers_file(path)["answers"]["p1.q01"] == {"answer": "partly", "note": "в работе"}
    # no temporary files are left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.prev.yaml", "answers.yaml"]


# --- interview live ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checklist():
    from salesaudit.io.checklist_files import read_checklist_dir
    from salesaudit.scoring.checklist import build_checklist

    return build_checklist(read_checklist_dir())


def test_answer_rescores_the_area_and_the_index_and_saves(
    state: WorkshopState, checklist, tmp_path: Path
) -> None:
    from salesaudit.io.atomic import previous_path
    from salesaudit.io.checklist_files import read_answers_file

    weights = {q.id: q.weight for q in checklist.questions_of("p1")}
    assert weights["p1.q01"] == 2.0 and weights["p1.q02"] == 1.5
    st = dataclasses.replace(state, checklist=checklist, answers={}, indicators=())
    panel = InterviewPanel(st, save_answers=lambda answers: save_answers(tmp_path, answers))
    areas, overall = panel.scores()
    assert [a.area for a in areas] == ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    assert all(a.score is None for a in areas) and overall is None
    panel.buttons["p1.q01"].value = "yes"  # the toggle button, as a click would set it
    panel.buttons["p1.q02"].value = "partly"
    areas, overall = panel.scores()
    # (2 x 1 + 1.5 x 0.5) / (2 + 1.5) = 78.57 %: half of p1's question weight (3.5 of 7) is
    # answered, so p1 is assessed; one assessed area of seven gives no overall index
    assert areas[0].score == 78.57 and areas[0].answered == 2
    assert [a.score for a in areas[1:]] == [None] * 6
    assert overall is None
    assert "не оценено" in panel.summary.value and "оценено 1 из 7" in panel.summary.value
    assert "Не оценены проблемы № 2, 3, 4, 5, 6, 7" in panel.summary.value
    assert "p2" not in panel.summary.value
    assert "78,6" in panel.chart.value and panel.chart.value.count("не оценено") >= 6
    saved = read_answers_file(tmp_path / "answers.yaml")["answers"]
    assert saved == {"p1.q01": {"answer": "yes"}, "p1.q02": {"answer": "partly"}}
    assert read_answers_file(previous_path(tmp_path / "answers.yaml"))["answers"] == {
        "p1.q01": {"answer": "yes"}
    }
    assert panel.last_save is not None and panel.last_save.ok
    # every question of p2..p5 answered "yes": five areas assessed, the index is given,
    # (78.57 + 4 x 100) / 5 = 95.71 (all area weights are 1)
    for area in ("p2", "p3", "p4", "p5"):
        for q in checklist.questions_of(area):
            panel.buttons[q.id].value = "yes"
    areas, overall = panel.scores()
    assert [a.score for a in areas] == [78.57, 100.0, 100.0, 100.0, 100.0, None, None]
    assert overall == 95.71
    assert _value(panel.summary.value, "sa-overall-index") == 95.71
    assert "sa-index-reason" not in panel.summary.value
    for area in ("p2", "p3", "p4", "p5"):
        for q in checklist.questions_of(area):
            panel.buttons[q.id].value = ""
    # "unknown" is kept as an answer but not scored; clearing removes the answer
    panel.buttons["p1.q02"].value = "unknown"
    p1 = panel.scores()[0][0]
    assert p1.score is None and p1.answered == 1  # one scored answer is too little evidence
    assert "ответов на вопросы 1 из" in p1.reason
    panel.buttons["p1.q02"].value = ""
    assert "p1.q02" not in panel.state.answers
    assert st.answers == {}  # the original state is untouched


def test_a_failed_save_is_shown_not_raised(state: WorkshopState, checklist) -> None:
    from salesaudit.errors import InputFileError

    def broken(_answers: dict) -> Path:
        raise InputFileError("folder does not exist", file="/nowhere")

    st = dataclasses.replace(state, checklist=checklist, answers={}, indicators=())
    panel = InterviewPanel(st, save_answers=broken)
    panel.buttons["p2.q01"].value = "no"
    assert panel.last_save is not None and not panel.last_save.ok
    assert "Не удалось сохранить ответы" in panel.status.value
    assert panel.state.answer_of("p2.q01") == "no"


# --- the command and the notebook -------------------------------------------------------------


def test_workshop_command_rejects_a_bad_client_folder(tmp_path: Path, capsys) -> None:
    from salesaudit import cli

    assert cli.main(["workshop", str(tmp_path / "missing"), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "client folder not found" in err and "Traceback" not in err
    assert cli.main(["workshop", str(tmp_path), "--no-browser"]) == 2
    assert "no raw/ sub-folder" in capsys.readouterr().err


def test_dashboard_entry_point_needs_a_folder_and_a_known_language(
    tmp_path: Path, monkeypatch
) -> None:
    from salesaudit.app import workshop as app
    from salesaudit.errors import ParameterError

    monkeypatch.delenv("SALESAUDIT_CLIENT_DIR", raising=False)
    monkeypatch.delenv("SALESAUDIT_LANG", raising=False)
    with pytest.raises(ParameterError, match="no client folder given"):
        app.resolve_client_dir("")
    (tmp_path / "raw").mkdir()
    monkeypatch.setenv("SALESAUDIT_CLIENT_DIR", str(tmp_path))
    assert app.resolve_client_dir("") == tmp_path.resolve()
    assert app.resolve_lang("en") == "en"
    monkeypatch.setenv("SALESAUDIT_LANG", "ru")
    assert app.resolve_lang("en") == "ru"  # the command's --lang wins under Voilà
    monkeypatch.setenv("SALESAUDIT_LANG", "de")
    with pytest.raises(ParameterError, match="unknown language 'de'"):
        app.resolve_lang("ru")


def test_voila_is_bound_to_loopback_with_sources_stripped(tmp_path: Path) -> None:
    from salesaudit.app import workshop as app

    cmd = app.voila_command(tmp_path / "workshop.ipynb", 8123, max_pages=3, idle_timeout=600)
    assert cmd[1:4] == ["-m", "salesaudit.app._voila", str(tmp_path / "workshop.ipynb")]
    for flag in (
        "--port=8123",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--template=salesaudit",
        "--CappedKernelManager.max_kernels=3",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ):
        assert flag in cmd
    assert not any("token" in part.lower() for part in cmd)  # it travels in the environment
    port = app.free_port()
    assert 1024 <= port <= 65535 and not app._port_in_use(port)


def test_notebook_is_thin_and_stripped() -> None:
    import nbformat
    from salesaudit.app.workshop import notebook_path

    nb = nbformat.read(notebook_path(), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and code[0] is params[0]
    assert 'client_dir: str = ""' in params[0].source and 'lang: str = "ru"' in params[0].source
    assert "build_dashboard(client_dir, lang=lang)" in code[-1].source
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert not re.search(r"^\s*(def|class)\s", cell.source, re.M)


def test_state_answers_are_validated_and_copied(state: WorkshopState, checklist) -> None:
    st = dataclasses.replace(state, checklist=checklist, answers={})
    new = st.with_answer("p3.q01", "partly", note="план есть, но не доведён")
    assert new.answers == {"p3.q01": {"answer": "partly", "note": "план есть, но не доведён"}}
    assert new.with_answer("p3.q01", "yes").answers["p3.q01"]["note"] == "план есть, но не доведён"
    assert st.answers == {}
    with pytest.raises(ValueError, match="unknown answer 'maybe'"):
        st.with_answer("p3.q01", "maybe")
    with pytest.raises(ValueError, match="unknown question id 'p9.q01'"):
        st.with_answer("p9.q01", "yes")
    assert st.manager_name("m2") == "Борис" and st.manager_name("h1") == "Вера"


@pytest.mark.slow
def test_notebook_runs_on_the_demo_company(tmp_path: Path) -> None:
    """The notebook as JupyterLab / papermill runs it: parameters in, a dashboard widget out."""
    import papermill as pm
    from salesaudit.app.workshop import notebook_path

    demo = Path(__file__).resolve().parents[1] / "data_samples" / "demo"
    if not (demo / "raw").is_dir():
        pytest.skip("data_samples/demo missing: run `make demo-data`")
    out = tmp_path / "workshop.ipynb"
    nb = pm.execute_notebook(
        str(notebook_path()),
        str(out),
        parameters={"client_dir": str(demo), "lang": "en"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    last = nb.cells[-1]
    assert [o["output_type"] for o in last.outputs] == ["execute_result"]
    assert "application/vnd.jupyter.widget-view+json" in last.outputs[0]["data"]


# --- projector layout: one person list, Russian formats, reasons in words ---------------------


def test_every_tab_lists_the_same_people_in_the_same_order(state: WorkshopState) -> None:
    from salesaudit.analytics import AnalysisResult
    from salesaudit.workshop.credibility import CredibilityPanel
    from salesaudit.workshop.planfact import PlanFactPanel
    from salesaudit.workshop.refusals import RefusalsPanel

    # the head of sales Вера sells too: she appears in the refusals of the analysis
    refusals = state.analysis("refusals")
    summary = refusals.tables["summary"]
    extra = summary.iloc[[0]].assign(manager_id="h1", flagged=False)
    with_head = AnalysisResult(
        "refusal_mix",
        tables={**refusals.tables, "summary": pd.concat([summary, extra], ignore_index=True)},
    )
    st = dataclasses.replace(state, analyses={**state.analyses, "refusals": with_head})
    assert st.people() == [("m1", "Анна"), ("m2", "Борис"), ("h1", "Вера (руководитель отдела)")]
    people = [name for _mid, name in st.people()]
    forecast = [label for label, _v in ForecastPanel(st).manager.options]
    planfact = [label for label, _v in PlanFactPanel(st).manager.options]
    refusal = [label for label, _v in RefusalsPanel(st).manager.options]
    credibility = [label for label, _v in CredibilityPanel(st).manager.options]
    assert forecast == ["Весь отдел", *people] and planfact == ["Весь отдел", *people]
    assert refusal == people and credibility == people
    # a person without refusals of her own says so instead of showing someone else's figures
    panel = RefusalsPanel(state)
    panel.manager.options = [(name, mid) for mid, name in st.people()]
    panel.manager.value = "h1"
    assert "Нет данных по этому сотруднику" in panel.figures.value and panel.chart.value == ""


def test_forecast_values_are_shown_in_the_russian_format(state: WorkshopState) -> None:
    panel = ForecastPanel(state)
    panel.with_inputs(ForecastInputs(2.5, 0.123, 127_400.0, 22, 3))
    texts = {k: v.replace("\xa0", " ") for k, v in panel.slider_texts().items()}
    assert texts == {
        "meetings": "2,5",
        "conversion": "12,3 %",
        "avg-deal": "127 400 ₽",
        "headcount": "3",
        "working-days": "22",
    }
    assert 'data-value="2.5"' in panel.values["meetings"].value
    assert "2,5" in panel.values["meetings"].value
    assert all(not s.readout for s in panel._sliders())  # ipywidgets' readout says 2.5


def test_a_tab_without_data_says_why_in_russian(state: WorkshopState) -> None:
    from salesaudit.analytics import not_enough_data
    from salesaudit.workshop._text import why_text
    from salesaudit.workshop.refusals import RefusalsPanel

    assert why_text("needs table(s): sales or deals, activities", "ru") == (
        "нужны выгрузки: продажи из 1С или сделки из CRM, дела из CRM (звонки, встречи)"
    )
    assert (
        why_text("no done meetings in the window", "ru") == "в CRM нет проведённых встреч за период"
    )
    assert why_text("something new", "ru") == "в выгрузках нет данных для этого раздела"
    assert why_text("no done meetings in the window", "en") == "no done meetings in the window"
    missing = not_enough_data("refusal_mix", ["activities"])
    st = dataclasses.replace(state, analyses={**state.analyses, "refusals": missing})
    html = RefusalsPanel(st).widget.children[0].value
    assert "Недостаточно данных: нужны выгрузки: дела из CRM (звонки, встречи)" in html
    assert "needs" not in html


def test_questions_are_numbered_for_the_client_not_by_checklist_id(
    state: WorkshopState, checklist
) -> None:
    st = dataclasses.replace(state, checklist=checklist, answers={})
    panel = InterviewPanel(st)
    first = panel.areas.children[0].children[0].children[0].value
    assert first.startswith('<span class="sa-qnum">1.1</span>')
    assert "p1.q01" not in first
    assert panel.areas.get_title(0).startswith("1. ")
    assert "sa-answer-p1-q01" in panel.buttons["p1.q01"]._dom_classes  # kept for tests only
