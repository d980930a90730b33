"""``salesaudit run``: outputs, PDF content against audit.json, failures, bad input, parameters."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from conftest import ROOT, SETTINGS, DemoRun, tiny_result
from salesaudit import cli
from salesaudit.app.notebooks import NotebookJob, validate_jobs
from salesaudit.app.run import (
    AREAS,
    default_out,
    failed_dir,
    parse_as_of,
    plan_jobs,
    run_client,
)
from salesaudit.errors import InputFileError, NotebookError, ParameterError
from salesaudit.model.quality import QualityReport
from salesaudit.report.params import allowed_values, declared_parameters, validate_parameters

NB_DIR = ROOT / "notebooks"
OUTPUTS = [
    "audit.json",
    "quality.txt",
    "report.html",
    "report.pdf",
    "report.docx",
    "report_tables.xlsx",
    "verification_calls.xlsx",
]


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _fake_audit(result):
    """An ``audit`` callable for run_client that returns ``result`` without reading anything."""

    def audit(client_dir, **kwargs):
        return result, SimpleNamespace(quality=QualityReport())

    return audit


class _BrokenResult:
    """Looks like an AuditResult to the runner but writes a truncated audit.json."""

    meta = {"client": "broken"}

    def to_json(self) -> str:
        return '{"meta": {"client": "broken"}, "areas": ['

    def table(self, analysis: str, name: str = "main") -> pd.DataFrame:
        return pd.DataFrame()


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


# --- parameters ----------------------------------------------------------------------------


def test_allowed_values_from_the_comment() -> None:
    assert allowed_values("language of the texts: ru | en") == ("ru", "en")
    assert allowed_values("key problem to show: p1 | p2 | p3") == ("p1", "p2", "p3")
    assert allowed_values("path of the audit result JSON") is None
    assert allowed_values("a | b") == ("a", "b")


def test_declared_parameters_of_the_report() -> None:
    params = declared_parameters(NB_DIR / "90_report.ipynb")
    assert list(params) == ["result_json", "lang", "settings"]
    assert params["settings"].type_name == "str" and params["settings"].default == ""


def test_validate_parameters_lists_every_bad_case() -> None:
    nb = NB_DIR / "10_problem.ipynb"
    assert validate_parameters(nb, {"lang": "en", "area": "p3"}) == {"lang": "en", "area": "p3"}
    with pytest.raises(ParameterError) as err:
        validate_parameters(
            nb, {"lang": "ru ", "aera": "p2", "area": 3, "result_jsn": "a.json", "extra": True}
        )
    e = err.value
    assert e.file == "10_problem.ipynb"
    assert [c.message for c in e.cases] == [
        "parameter 'lang' is 'ru '; allowed: ru | en",
        "unknown parameter 'aera'; the notebook declares: area, lang, result_json",
        "parameter 'area' must be str, got int 3",
        "unknown parameter 'result_jsn'; the notebook declares: area, lang, result_json",
        "unknown parameter 'extra'; the notebook declares: area, lang, result_json",
    ]
    assert [c.hint for c in e.cases][1:4:2] == [
        "did you mean 'area'?",
        "did you mean 'result_json'?",
    ]
    assert e.cases[4].hint is None
    with pytest.raises(ParameterError) as err:
        validate_parameters(nb, {"lang": "de", "area": "p8"})
    assert [c.message for c in err.value.cases] == [
        "parameter 'lang' is 'de'; allowed: ru | en",
        "parameter 'area' is 'p8'; allowed: p1 | p2 | p3 | p4 | p5 | p6 | p7",
    ]


def test_unparseable_declaration_is_an_error(tmp_path: Path) -> None:
    nb = nbformat.read(str(NB_DIR / "90_report.ipynb"), as_version=4)
    nb.cells[0].source += '\nlogo: str = ""  # logo file, none = no logo'
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(ParameterError) as err:
        declared_parameters(path)
    assert "cannot parse the declaration of 'logo'" in str(err.value)


def test_notebook_without_parameters_cell(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(ParameterError) as err:
        declared_parameters(path)
    assert "no cell tagged 'parameters'" in str(err.value)


def test_plan_jobs_runs_every_notebook_once_and_the_problem_seven_times(tmp_path: Path) -> None:
    jobs = plan_jobs(tmp_path, lang="en", settings=SETTINGS)
    assert [j.name for j in jobs] == [
        "90_report",
        *[f"10_problem_{a}" for a in AREAS],
        "40_credibility",
        "30_sales_force",
        "20_planning",
        "00_intake",
    ]
    assert jobs[0].parameters == {
        "result_json": "../audit.json",
        "lang": "en",
        "settings": str(SETTINGS),
    }
    assert jobs[3].parameters == {"result_json": "../audit.json", "lang": "en", "area": "p3"}
    assert {j.output.parent for j in jobs} == {tmp_path / "notebooks"}
    assert {j.cwd for j in jobs} == {tmp_path / "notebooks"}
    validate_jobs(jobs)  # the committed notebooks accept what the runner passes


def test_validate_jobs_names_the_notebook(tmp_path: Path) -> None:
    jobs = [
        NotebookJob("a", NB_DIR / "20_planning.ipynb", tmp_path / "a.ipynb", {"lang": "fr"}),
        NotebookJob("b", NB_DIR / "20_planning.ipynb", tmp_path / "b.ipynb", {"lang": "fr"}),
        NotebookJob("c", tmp_path / "missing.ipynb", tmp_path / "c.ipynb", {}),
    ]
    with pytest.raises(ParameterError) as err:
        validate_jobs(jobs)
    assert [(c.file, c.message) for c in err.value.cases] == [
        ("20_planning.ipynb", "parameter 'lang' is 'fr'; allowed: ru | en"),
        (str(tmp_path / "missing.ipynb"), "report notebook not found"),
    ]


def test_run_options() -> None:
    assert parse_as_of("2024-06-30").isoformat() == "2024-06-30"
    assert parse_as_of(None) is None
    with pytest.raises(ParameterError) as err:
        parse_as_of("30.06.2024")
    assert "YYYY-MM-DD" in str(err.value)
    assert default_out("data_samples/demo") == Path("reports") / "demo"
    assert failed_dir(Path("reports/demo")) == Path("reports/demo.failed")


def test_bad_language_and_jobs_fail_before_anything(tmp_path: Path) -> None:
    with pytest.raises(ParameterError):
        run_client(ROOT / "data_samples" / "demo", out=tmp_path / "o", lang="de")
    with pytest.raises(ParameterError):
        run_client(ROOT / "data_samples" / "demo", out=tmp_path / "o", jobs=0)
    assert not (tmp_path / "o").exists()


# --- bad input -----------------------------------------------------------------------------


def test_missing_client_folder_is_a_clear_message(tmp_path: Path, capsys) -> None:
    code = cli.main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("salesaudit: error: ")
    assert "nowhere" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_folder_without_raw_is_a_clear_message(tmp_path: Path) -> None:
    client = tmp_path / "client"
    client.mkdir()
    (client / "answers.yaml").write_text("{}\n", encoding="utf-8")
    with pytest.raises(InputFileError) as err:
        run_client(client, out=tmp_path / "out", stream=io.StringIO())
    assert "raw" in str(err.value)
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.failed").exists()


@pytest.mark.slow
def test_unreadable_raw_files_fail_before_any_notebook(tmp_path: Path) -> None:
    client = tmp_path / "client"
    (client / "raw").mkdir(parents=True)
    (client / "raw" / "deals.xlsx").write_bytes(b"this is not a spreadsheet")
    stream = io.StringIO()
    with pytest.raises(InputFileError) as err:
        run_client(client, out=tmp_path / "out", stream=stream)
    assert "deals.xlsx" in str(err.value)
    assert "executed" not in stream.getvalue()
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.failed").exists()


@pytest.mark.slow
def test_template_with_narrower_parameters_fails_validation_before_running(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(NB_DIR, templates)
    path = templates / "10_problem.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[1].source = nb.cells[1].source.replace("p1 | p2 | p3 | p4 | p5 | p6 | p7", "p1 | p2")
    nbformat.write(nb, str(path))
    stream = io.StringIO()
    with pytest.raises(ParameterError) as err:
        run_client(
            ROOT / "data_samples" / "demo",
            out=tmp_path / "out",
            audit=_fake_audit(tiny_result()),
            source_dir=templates,
            stream=stream,
        )
    assert [c.message for c in err.value.cases] == [
        f"parameter 'area' is 'p{i}'; allowed: p1 | p2" for i in range(3, 8)
    ]
    assert stream.getvalue() == ""  # not even the audit ran
    assert not (tmp_path / "out").exists()


# --- the full run ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("demo_run")
def test_full_run_produces_every_output(demo_run: DemoRun) -> None:
    out = demo_run.out
    for name in OUTPUTS:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert len(list((out / "notebooks").glob("*.ipynb"))) == 12
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "report.html").read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")
    assert not failed_dir(out).exists()
    assert not list(out.parent.glob(".demo.*"))  # no temp folders left
    lines = demo_run.log.splitlines()
    assert lines[0].startswith("salesaudit run: [1/19] audit computed")
    assert lines[-1].startswith(f"salesaudit run: report ready: {out / 'report.pdf'}")
    assert sum("executed" in line for line in lines) == 12


@pytest.mark.slow
@pytest.mark.xdist_group("demo_run")
def test_pdf_has_the_sections_and_the_numbers_of_audit_json(demo_run: DemoRun) -> None:
    from salesaudit.report.i18n import fmt_score, t
    from salesaudit.scoring.result import AuditResult

    result = AuditResult.from_json((demo_run.out / "audit.json").read_text(encoding="utf-8"))
    text = _pdf_text(demo_run.out / "report.pdf")
    flat = " ".join(text.split())
    for key in (
        "contents",
        "executive_summary",
        "planning",
        "scorecards",
        "credibility",
        "roadmap",
        "appendix_quality",
    ):
        assert " ".join(t(key, "ru").split()) in flat, key
    for area in AREAS:
        assert f"{t('problem', 'ru')} {area[1]}." in flat, area
    assert result.overall_index is not None
    assert fmt_score(result.overall_index, "ru") in flat
    scores = [a.score for a in result.areas if a.score is not None]
    assert scores
    for score in scores:
        assert fmt_score(score, "ru") in flat


@pytest.mark.slow
@pytest.mark.xdist_group("demo_run")
def test_failing_notebook_keeps_previous_report_and_the_failed_notebook(
    demo_run: DemoRun, tmp_path: Path, capsys, monkeypatch
) -> None:
    out = tmp_path / "reports" / "demo"
    shutil.copytree(demo_run.out, out)
    before = _tree_digest(out)
    stream = io.StringIO()
    with pytest.raises(NotebookError) as err:
        run_client(
            demo_run.client_dir,
            out=out,
            settings=SETTINGS,
            audit=_fake_audit(_BrokenResult()),
            stream=stream,
        )
    e = err.value
    failed = failed_dir(out)
    assert e.message.startswith(
        "notebook 90_report.ipynb failed in cell 1 (`from IPython.display import display`): "
        "InputFileError: "
    )
    assert "not a valid audit result" in e.message
    assert e.file == str(failed / "notebooks" / "90_report.ipynb")
    assert _tree_digest(out) == before  # previous report byte-identical
    kept = nbformat.read(str(failed / "notebooks" / "90_report.ipynb"), as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "InputFileError"
    assert (failed / "audit.json").read_text(encoding="utf-8") == _BrokenResult().to_json()
    assert not list(out.parent.glob(".demo.*"))  # no temp folders left

    # the CLI: message, no traceback, exit code of NotebookError
    import salesaudit.app.run as run_module

    def broken_run(args):
        run_client(
            args.client_dir,
            out=args.out,
            audit=_fake_audit(_BrokenResult()),
            stream=io.StringIO(),
        )
        return 0

    monkeypatch.setattr(run_module, "run", broken_run)
    code = cli.main(["run", str(demo_run.client_dir), "--out", str(out)])
    stderr = capsys.readouterr().err
    assert code == NotebookError.exit_code != 0
    assert "notebook 90_report.ipynb failed in cell 1" in stderr and "Traceback" not in stderr
    assert _tree_digest(out) == before

    # a later successful run removes the stale failure
    run_client(
        demo_run.client_dir,
        out=out,
        settings=SETTINGS,
        audit=_fake_audit(tiny_result()),
        stream=io.StringIO(),
    )
    assert not failed.exists()
    assert json.loads((out / "audit.json").read_text(encoding="utf-8"))["overall_index"] == 44.0


# --- failures keep the previous report ----------------------------------------------------------


def _previous_report(out: Path) -> dict[str, str]:
    """A stand-in for an earlier report in ``out``; returns its digest."""
    (out / "notebooks").mkdir(parents=True)
    (out / "audit.json").write_text('{"previous": true}\n', encoding="utf-8")
    (out / "report.pdf").write_bytes(b"%PDF-1.7 previous")
    (out / "notebooks" / "90_report.ipynb").write_text("{}", encoding="utf-8")
    return _tree_digest(out)


def _small_client(tmp_path: Path) -> Path:
    client = tmp_path / "client"
    (client / "raw").mkdir(parents=True)
    (client / "raw" / "deals.csv").write_text(
        "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки\n"
        "1;100;Иванов;01.02.2026;Успешно реализовано\n",
        encoding="utf-8",
    )
    return client


@pytest.mark.slow
def test_failing_audit_keeps_previous_report_byte_identical(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from salesaudit.errors import DataNotUsableError

    client = _small_client(tmp_path)
    out = tmp_path / "reports" / "client"
    before = _previous_report(out)

    def not_usable(client_dir, **kwargs):
        raise DataNotUsableError("no deals, activities or sales could be loaded from raw/")

    def defect(client_dir, **kwargs):
        raise RuntimeError("the audit broke")

    for audit, error in ((not_usable, DataNotUsableError), (defect, RuntimeError)):
        stream = io.StringIO()
        with pytest.raises(error):
            run_client(client, out=out, audit=audit, stream=stream)
        assert _tree_digest(out) == before  # previous report byte-identical
        assert not failed_dir(out).exists()  # nothing was built, so nothing kept
        assert sorted(p.name for p in out.parent.iterdir()) == ["client"]  # no temp folders
        assert "audit computed" not in stream.getvalue()

    # through the CLI: message and exit code, no traceback, previous report untouched
    import salesaudit.app.run as run_module

    def cli_run(args):
        run_client(args.client_dir, out=args.out, audit=not_usable, stream=io.StringIO())
        return 0

    monkeypatch.setattr(run_module, "run", cli_run)
    code = cli.main(["run", str(client), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "salesaudit: error: no deals, activities or sales could be loaded from raw/\n"
    assert _tree_digest(out) == before


@pytest.mark.slow
def test_failing_pdf_keeps_previous_report_and_the_html(tmp_path: Path, monkeypatch) -> None:
    import weasyprint

    def broken_write_pdf(self, *args, **kwargs):
        raise RuntimeError("cairo surface error")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken_write_pdf)
    client = _small_client(tmp_path)
    out = tmp_path / "reports" / "client"
    before = _previous_report(out)
    with pytest.raises(NotebookError) as err:
        run_client(client, out=out, audit=_fake_audit(tiny_result()), stream=io.StringIO())
    failed = failed_dir(out)
    assert err.value.message == "could not render the report PDF: cairo surface error"
    assert err.value.file == str(failed / "report.html")
    assert _tree_digest(out) == before  # previous report byte-identical
    assert (failed / "report.html").is_file() and not (failed / "report.pdf").exists()
    assert json.loads((failed / "audit.json").read_text(encoding="utf-8"))["overall_index"] == 44.0
    assert sorted(p.name for p in out.parent.iterdir()) == ["client", "client.failed"]
