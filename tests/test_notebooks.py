"""The report notebooks: thin, stripped, one parameters cell; executed (all of them) on the demo."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, DemoRun, tiny_result
from salesaudit.app.notebooks import (
    NotebookJob,
    NotebookPool,
    analyses_frame,
    area_frame,
    audit_facts,
    check_area,
    load_result,
    notebook_error,
    run_jobs,
)
from salesaudit.errors import InputFileError, NotebookError, ParameterError
from salesaudit.report.params import declared_parameters

NB_DIR = ROOT / "notebooks"
TEMPLATES = [
    "00_intake",
    "10_problem",
    "20_planning",
    "30_sales_force",
    "40_credibility",
    "90_report",
]
EXECUTED = [
    "00_intake",
    *[f"10_problem_p{i}" for i in range(1, 8)],
    "20_planning",
    "30_sales_force",
    "40_credibility",
    "90_report",
]


# --- the committed notebooks ---------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATES)
def test_notebook_is_thin_and_stripped(name: str) -> None:
    nb = nbformat.read(str(NB_DIR / f"{name}.ipynb"), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is code[0], "exactly one parameters cell, first"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "outputs not stripped"
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ), f"{name}: definitions belong in the library"
            assert not isinstance(node, ast.For | ast.While | ast.If | ast.Try), (
                f"{name}: control flow belongs in the library"
            )
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_parameter_is_typed_and_documented(name: str) -> None:
    params = declared_parameters(NB_DIR / f"{name}.ipynb")
    assert {"result_json", "lang"} <= set(params)
    for pname, p in params.items():
        assert p.type_name in ("str", "int", "float", "bool"), f"{name}.{pname} is untyped"
        assert len(p.help) > 10, f"{name}.{pname} has no comment"
    assert params["result_json"].default == ""
    assert params["lang"].default == "ru"
    assert params["lang"].help.endswith("ru | en")


def test_problem_notebook_declares_the_area() -> None:
    params = declared_parameters(NB_DIR / "10_problem.ipynb")
    assert params["area"].default == "p1"
    assert params["area"].help.endswith("p1 | p2 | p3 | p4 | p5 | p6 | p7")


# --- helpers the notebooks call ------------------------------------------------------------


def test_load_result_reads_the_json(tiny_result_json: Path) -> None:
    result = load_result(str(tiny_result_json), "en")
    assert result.overall_index == 44.0
    assert [a.area for a in result.areas] == [f"p{i}" for i in range(1, 8)]


def test_load_result_refuses_empty_and_bad_parameters() -> None:
    with pytest.raises(ParameterError) as err:
        load_result("", "de")
    text = str(err.value)
    assert "'result_json' is empty" in text
    assert "'lang' is 'de'; allowed: ru | en" in text


def test_load_result_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as err:
        load_result(str(tmp_path / "nope.json"))
    assert "does not exist" in str(err.value) and "nope.json" in str(err.value)
    broken = tmp_path / "broken.json"
    broken.write_text('{"meta": {}', encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load_result(str(broken))
    assert "not a valid audit result" in str(err.value)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"meta": {}}), encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        load_result(str(wrong))
    assert "KeyError" in str(err.value)


def test_audit_facts() -> None:
    facts = audit_facts(tiny_result(), "ru")
    assert facts == [
        ("Клиент", "ООО «Тест»"),
        ("Дата оценки", "2024-06-30"),
        ("Общий индекс", 44.0),
        ("Уровень зрелости", 2),
        ("Показателей рассчитано", "1 / 1"),
        ("Выводов", 1),
        ("Анализов с данными", "1 / 2"),
        ("Псевдонимизировано", "нет"),
    ]
    assert audit_facts(tiny_result(), "en")[0] == ("Client", "ООО «Тест»")


def test_analyses_frame() -> None:
    df = analyses_frame(tiny_result())
    assert list(df.columns) == ["analysis", "status", "tables", "message"]
    assert df.values.tolist() == [
        ["plan_fact", "ok", "main", ""],
        ["credibility", "insufficient_data", "", "needs table(s): activities"],
    ]


def test_area_frame_and_check_area() -> None:
    df = area_frame(tiny_result(), "p2", "en")
    assert df.values.tolist() == [
        [
            "plan_done",
            "Plan fulfilment",
            0.925,
            "share",
            "warn",
            62.5,
            1.0,
            "ok",
            "plan_fact",
        ]
    ]
    assert area_frame(tiny_result(), "p3").empty
    check_area(tiny_result(), "p7")
    with pytest.raises(ParameterError) as err:
        check_area(tiny_result(), "p8")
    assert "'p8'" in str(err.value) and "p1 | p2" in str(err.value)


def test_notebook_error_names_notebook_cell_and_exception(tmp_path: Path) -> None:
    from papermill.exceptions import PapermillExecutionError

    source = NB_DIR / "10_problem.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    failing = nb.cells[4]  # the code cell after the parameters and the loading cell
    assert failing.cell_type == "code"
    exc = PapermillExecutionError(
        cell_index=5,
        exec_count=3,
        source=failing.source,
        ename="KeyError",
        evalue="'main'",
        traceback=[],
    )
    job = NotebookJob("10_problem_p3", source, tmp_path / "10_problem_p3.ipynb", {})
    err = notebook_error(job, exc)
    assert isinstance(err, NotebookError)
    first = failing.source.splitlines()[0]
    assert err.message == (
        f"notebook 10_problem_p3.ipynb failed in cell 4 (`{first}`): KeyError: 'main'"
    )
    assert err.file == str(tmp_path / "10_problem_p3.ipynb")


# --- execution -----------------------------------------------------------------------------


@pytest.mark.slow
def test_problem_notebook_runs_on_a_hand_built_result(tiny_result_json: Path) -> None:
    out = tiny_result_json.parent / "nb"
    jobs = [
        NotebookJob(
            f"p{a}",
            NB_DIR / "10_problem.ipynb",
            out / f"10_problem_p{a}.ipynb",
            {"result_json": str(tiny_result_json), "lang": "en", "area": f"p{a}"},
        )
        for a in (2, 5)
    ]
    jobs.append(
        NotebookJob(
            "bad",
            NB_DIR / "10_problem.ipynb",
            out / "bad.ipynb",
            {"result_json": "", "lang": "en"},
        )
    )
    outcomes = run_jobs(jobs, cwd=out, workers=2)
    assert [o.ok for o in outcomes] == [True, True, False]
    p2 = nbformat.read(str(out / "10_problem_p2.ipynb"), as_version=4)
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in p2.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "Plan fulfilment" in html and "plan_done" in html
    err = outcomes[2].error
    assert err is not None
    assert "notebook bad.ipynb failed in cell 2" in err.message
    assert "ParameterError" in err.message and "'result_json' is empty" in err.message
    # papermill marked the failing cell in the kept notebook
    bad = nbformat.read(str(out / "bad.ipynb"), as_version=4)
    assert any(o.get("output_type") == "error" for c in bad.cells for o in c.get("outputs", []))


@pytest.mark.slow
@pytest.mark.xdist_group("demo_run")
def test_every_notebook_was_executed_on_the_demo(demo_run: DemoRun) -> None:
    folder = demo_run.out / "notebooks"
    assert sorted(p.stem for p in folder.glob("*.ipynb")) == sorted(EXECUTED)
    audit = json.loads((demo_run.out / "audit.json").read_text(encoding="utf-8"))
    for name in EXECUTED:
        nb = nbformat.read(str(folder / f"{name}.ipynb"), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count is not None for c in code), f"{name}: not every cell ran"
        errors = [o for c in code for o in c.outputs if o.output_type == "error"]
        assert errors == [], f"{name}: {errors[:1]}"
        injected = [c for c in code if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and '"../audit.json"' in injected[0].source
        html = [o for c in code for o in c.outputs if "text/html" in o.get("data", {})]
        assert html, f"{name}: nothing displayed"
    # the problem notebooks each show their own area with the score from audit.json
    for area in audit["areas"]:
        nb = nbformat.read(str(folder / f"10_problem_{area['area']}.ipynb"), as_version=4)
        text = json.dumps(nb.cells[-1].outputs, ensure_ascii=False)
        assert f"area-{area['area']}" in json.dumps(
            [c.outputs for c in nb.cells if c.cell_type == "code"], ensure_ascii=False
        )
        assert area["area"] in text


@pytest.mark.slow
def test_pool_runs_the_urgent_job_first_on_the_lead_kernel(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('tag: str = ""  # which job this is')
    params.metadata["tags"] = ["parameters"]
    probe = nbformat.v4.new_code_cell("import os, time\nprint(tag, os.getpid(), time.time_ns())")
    nb.cells = [params, probe]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    source = tmp_path / "probe.ipynb"
    nbformat.write(nb, str(source))

    def run(workers: int) -> dict[str, tuple[int, int]]:
        out = tmp_path / f"out{workers}"
        jobs = [
            NotebookJob(name, source, out / f"{name}.ipynb", {"tag": name})
            for name in ("b1", "b2", "b3", "b4", "urgent")
        ]
        with NotebookPool(tmp_path, workers=workers, warmup="") as pool:
            # queued while the kernels are still starting; the urgent job comes last
            futures = [pool.submit(j, urgent=(j.name == "urgent")) for j in jobs]
            outcomes = [f.result() for f in futures]
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        seen = {}
        for job in jobs:
            executed = nbformat.read(str(job.output), as_version=4)
            tag, pid, ns = executed.cells[-1].outputs[0]["text"].split()
            seen[tag] = (int(pid), int(ns))
        return seen

    one = run(1)
    assert one["urgent"][1] < min(ns for tag, (_, ns) in one.items() if tag != "urgent")
    assert len({pid for pid, _ in one.values()}) == 1  # one kernel, reused
    two = run(2)
    lead = two["urgent"][0]
    on_lead = [ns for tag, (pid, ns) in two.items() if pid == lead and tag != "urgent"]
    assert all(two["urgent"][1] < ns for ns in on_lead)  # first on its kernel
    assert len({pid for pid, _ in two.values()}) == 2  # both kernels worked, each reused


@pytest.mark.slow
def test_pool_replaces_a_kernel_that_died_and_goes_on(tmp_path: Path) -> None:
    def probe(name: str, code: str) -> Path:
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell('tag: str = ""  # which job this is')
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, str(path))
        return path

    crash = probe("crash", "import os\nos._exit(1)")
    ok = probe("ok", "import os\nprint(tag, os.getpid())")
    jobs = [
        NotebookJob("first", ok, tmp_path / "out" / "first.ipynb", {"tag": "first"}),
        NotebookJob("crash", crash, tmp_path / "out" / "crash.ipynb", {"tag": "crash"}),
        NotebookJob("after", ok, tmp_path / "out" / "after.ipynb", {"tag": "after"}),
    ]
    outcomes = run_jobs(jobs, cwd=tmp_path, workers=1, validate=False)
    assert [o.ok for o in outcomes] == [True, False, True]
    err = outcomes[1].error
    assert err is not None
    assert (
        err.message == "notebook crash.ipynb failed: its kernel stopped while it ran (Kernel died)"
    )
    assert err.hint is not None and "out of memory" in err.hint
    pids = []
    for name in ("first", "after"):
        executed = nbformat.read(str(tmp_path / "out" / f"{name}.ipynb"), as_version=4)
        tag, pid = executed.cells[-1].outputs[0]["text"].split()
        assert tag == name
        pids.append(int(pid))
    assert pids[0] != pids[1]  # a new kernel took over after the crash
