"""Client deliverables: every XLSX keeps text as text; the report's tables workbook; the DOCX;
the PDF through WeasyPrint or a system Chromium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.io.interview_sheet import read_interview_sheet, write_interview_sheet
from salesaudit.io.xlsx_safe import excel_value, formula_cells, save_workbook, set_value
from salesaudit.scoring.checklist import build_checklist

ROOT = Path(__file__).resolve().parents[1]
RISKY = ["=1+1", '=HYPERLINK("http://example.com","x")', "+7 900", "-5 %", "@SUM(A1)", "\tTab"]


def test_set_value_keeps_text_as_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i, v in enumerate(RISKY, start=1):
        set_value(ws.cell(row=i, column=1), v)
    ws["B1"] = "=2+2"  # written past the helper: the last pass before saving catches it
    ws["B2"] = "#N/A"
    set_value(ws["C1"], np.int64(7))
    set_value(ws["C2"], np.float64(2.5))
    set_value(ws["C3"], pd.Timestamp("2025-03-04 09:15"))
    set_value(ws["C4"], float("nan"))
    set_value(ws["C5"], pd.NaT)
    set_value(ws["C6"], np.bool_(True))
    set_value(ws["C7"], "x" * 40000)
    out = save_workbook(wb, tmp_path / "t.xlsx", what="a test file")
    wb2 = load_workbook(out)
    ws2 = wb2.active
    assert formula_cells(wb2) == []
    assert [ws2.cell(row=i, column=1).value for i in range(1, 7)] == RISKY
    assert all(ws2.cell(row=i, column=1).data_type == "s" for i in range(1, 7))
    assert all(ws2.cell(row=i, column=1).quotePrefix for i in range(1, 7))
    assert (ws2["B1"].value, ws2["B1"].data_type, ws2["B1"].quotePrefix) == ("=2+2", "s", True)
    assert (ws2["B2"].value, ws2["B2"].data_type) == ("#N/A", "s")
    assert (ws2["C1"].value, ws2["C1"].data_type) == (7, "n")
    assert ws2["C2"].value == 2.5
    assert ws2["C3"].value == dt.datetime(2025, 3, 4, 9, 15) and ws2["C3"].data_type == "d"
    assert ws2["C4"].value is None and ws2["C5"].value is None
    assert ws2["C6"].value is True
    assert len(ws2["C7"].value) == 32767 and ws2["C7"].value.endswith("…")
    assert excel_value("a\x00b\x07c") == "abc"


def test_interview_sheet_notes_stay_text(tmp_path: Path) -> None:
    checklist = build_checklist(read_checklist_dir(ROOT / "checklist"))
    ids = [q.id for q in checklist.questions][: len(RISKY)]
    answers = {q: {"answer": "yes", "note": note} for q, note in zip(ids, RISKY, strict=True)}
    path = write_interview_sheet(checklist, tmp_path / "s.xlsx", answers=answers)
    wb = load_workbook(path)
    assert formula_cells(wb) == []
    ws = wb["Interview"]
    notes = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=6)
        for r in range(2, ws.max_row + 1)
        if ws.cell(row=r, column=1).value in ids
    }
    assert [notes[q].value for q in ids] == RISKY
    assert {notes[q].data_type for q in ids} == {"s"}
    back = read_interview_sheet(path)["answers"]
    assert [back[q]["note"] for q in ids] == RISKY


# --- PDF backends -------------------------------------------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
PAGE = (
    "<h2>Резюме для руководителя</h2><p>Выручка 1 234 567 ₽ за квартал</p>"
    '<p style="break-before: page">Вторая страница</p>'
)


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow
def test_chromium_backend_prints_the_report_html() -> None:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (CI installs the chromium package)")
    from salesaudit.io.chromium import html_to_pdf_chromium
    from salesaudit.report import sections
    from salesaudit.report.pdf import html_to_pdf_bytes

    html = sections.html_document(PAGE, lang="ru", client="ООО «Ромашка»")
    data = html_to_pdf_bytes(html, backend="chromium")
    text = _pdf_text(data)
    assert "Резюме для руководителя" in text
    assert "Выручка 1 234 567 ₽ за квартал" in text
    assert "ООО «Ромашка»" in text  # the running header of the page CSS (from page 2)
    assert "стр. 2 из 2" in text
    assert "file://" not in text and "about:blank" not in text  # no browser header/footer
    direct = html_to_pdf_chromium(html, executable=CHROMIUM)
    assert "Выручка 1 234 567 ₽ за квартал" in _pdf_text(direct)


@pytest.mark.slow
def test_weasyprint_backend_prints_the_same_text() -> None:
    from salesaudit.report import sections
    from salesaudit.report.pdf import html_to_pdf_bytes

    html = sections.html_document(PAGE, lang="ru", client="ООО «Ромашка»")
    text = _pdf_text(html_to_pdf_bytes(html, backend="weasyprint"))
    assert "Выручка 1 234 567 ₽ за квартал" in text


def _fake_browser(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "fake-chrome"
    exe.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_chromium_is_run_offline_with_a_fresh_profile(tmp_path: Path) -> None:
    from salesaudit.io.chromium import html_to_pdf_chromium

    log = tmp_path / "args.txt"
    exe = _fake_browser(
        tmp_path,
        f'printf "%s\\n" "$@" > {log}\n'
        'for a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.7 fake" > '
        '"${a#--print-to-pdf=}";; esac; done\n',
    )
    data = html_to_pdf_chromium("<p>x</p>", base_url=tmp_path, executable=exe)
    assert data == b"%PDF-1.7 fake"
    args = log.read_text(encoding="utf-8").splitlines()
    assert args[:3] == ["--headless", "--no-sandbox", "--disable-gpu"]
    assert "--host-resolver-rules=MAP * ~NOTFOUND" in args
    assert "--no-pdf-header-footer" in args
    profile = next(a for a in args if a.startswith("--user-data-dir="))
    page = args[-1]
    assert page.startswith("file://") and page.endswith("/report.html")
    assert not Path(profile.split("=", 1)[1]).exists()  # the temporary folder is removed


def test_chromium_failure_and_missing_browser_are_clear(tmp_path: Path, monkeypatch) -> None:
    from salesaudit.errors import NotebookError
    from salesaudit.io.chromium import html_to_pdf_chromium
    from salesaudit.report import pdf

    exe = _fake_browser(tmp_path, 'echo "cannot open display" >&2\nexit 3\n')
    with pytest.raises(NotebookError) as err:
        html_to_pdf_chromium("<p>x</p>", executable=exe)
    assert err.value.message == "the browser wrote no PDF (exit code 3)"
    assert err.value.hint == "browser said: cannot open display"

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("SALESAUDIT_CHROMIUM", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails
    assert pdf.weasyprint_problem().startswith("WeasyPrint is not installed")
    with pytest.raises(NotebookError) as err:
        pdf.resolve_backend("auto")
    assert err.value.message.startswith("no PDF renderer: WeasyPrint is not installed")
    assert "no Chromium, Google Chrome or Microsoft Edge was found" in err.value.message
    with pytest.raises(NotebookError, match="--pdf-backend weasyprint: WeasyPrint is not"):
        pdf.resolve_backend("weasyprint")
    with pytest.raises(NotebookError, match="--pdf-backend chromium: no Chromium"):
        pdf.resolve_backend("chromium")
    # a browser named by the environment variable is the fallback of "auto"
    monkeypatch.setenv("SALESAUDIT_CHROMIUM", str(exe))
    assert pdf.resolve_backend("auto") == "chromium"
    from salesaudit.errors import ParameterError

    with pytest.raises(ParameterError, match="unknown PDF backend 'cairo'"):
        pdf.resolve_backend("cairo")


# --- the report's tables as a workbook ----------------------------------------------------------
@pytest.fixture(scope="module")
def report_result():
    from test_report_sections import make_result

    return make_result("ru")


def _sheet_rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_report_tables_are_the_report_numbers(report_result) -> None:
    from salesaudit.report.tables import report_tables

    tables = {title: (frame, fmt) for title, frame, fmt in report_tables(report_result, "ru")}
    pf, fmt = tables["Планирование и выполнение плана: План / факт / отклонение · 11.2026"]
    assert list(pf.columns) == [
        "Менеджер",
        "План",
        "Факт",
        "Отклонение",
        "Выполнение",
        "Прогноз на месяц",
        "Нужный темп в день",
    ]
    ivanov = pf.iloc[0].tolist()
    assert ivanov[:5] == ["Иванов Иван", 1_000_000.0, 435_000.0, -565_000.0, 0.435]
    assert ivanov[5] == 652_500.0 and ivanov[6] == pytest.approx(94_166.666667)
    assert pf.iloc[-1].tolist()[:3] == ["Итого", 2_400_000.0, 1_045_000.0]
    assert fmt["План"] == "money" and fmt["Выполнение"] == "share"
    cards, _ = tables["Карточки менеджеров"]
    assert cards.iloc[0, :3].tolist() == ["Иванов Иван", 1_305_000.0, pytest.approx(0.6525)]
    inds, fmt = tables["Показатели"]
    by_label = dict(zip(inds["Показатель"], inds["Значение"], strict=True))
    assert by_label["Выполнение плана отделом"] == pytest.approx(0.875)  # 87.5 % as a share
    assert by_label["Конверсия сделок"] == 0.18
    assert by_label["Встреч в день на менеджера"] == 1.25
    assert pd.isna(by_label["Менеджеры с высоким индексом сомнений"])  # no data, not zero
    assert fmt["Значение"] == ["share", "number2", "share", "share", "int"]
    questions, _ = tables["Вопросы чек-листа"]
    assert list(questions.columns) == ["№", "Область", "Вопрос", "Ответ", "Комментарий"]
    # numbered as the workshop numbers them: problem, then the question's place in the checklist
    assert questions["№"].tolist()[:2] == ["1.1", "1.2"]
    assert questions.groupby("Область")["№"].first().str.endswith(".1").all()


def test_tables_workbook_numbers_formats_and_contents(report_result, tmp_path: Path) -> None:
    from salesaudit.io.tables_xlsx import write_tables_xlsx
    from salesaudit.report.tables import report_tables

    tables = report_tables(report_result, "ru")
    out = write_tables_xlsx(tables, tmp_path / "report_tables.xlsx", lang="ru", title="Отчёт")
    wb = load_workbook(out)
    assert formula_cells(wb) == []
    assert wb.sheetnames[0] == "Содержание"
    assert len(wb.sheetnames) == len(tables) + 1
    assert all(len(n) <= 31 for n in wb.sheetnames)
    assert len({n.casefold() for n in wb.sheetnames}) == len(wb.sheetnames)
    toc = wb["Содержание"]
    assert toc["A1"].value == "Отчёт"
    assert [c.value for c in toc[3]] == ["№", "Таблица", "Лист", "Строк"]
    assert toc["B4"].value == tables[0].title
    assert toc["B4"].hyperlink.location == f"'{wb.sheetnames[1]}'!A1"
    assert toc["D4"].value == len(tables[0].frame)
    name = "План - факт - отклонение…"
    ws = wb[name]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert _sheet_rows(ws)[1][:5] == ["Иванов Иван", 1_000_000, 435_000, -565_000, 0.435]
    assert ws["B2"].data_type == "n" and ws["B2"].number_format == '#,##0" ₽"'
    assert ws["E2"].number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= len("Нужный темп в день") - 6
    inds = wb["Показатели"]
    values = {r[1]: inds.cell(row=i, column=3) for i, r in enumerate(_sheet_rows(inds), 1)}
    assert values["Выполнение плана отделом"].number_format == "0.0%"
    assert values["Встреч в день на менеджера"].number_format == "#,##0.00"
    assert values["Менеджеры с высоким индексом сомнений"].value is None
    en = write_tables_xlsx(report_tables(report_result, "en"), tmp_path / "en.xlsx", lang="en")
    wb_en = load_workbook(en)
    assert wb_en.sheetnames[0] == "Contents"
    money = next(
        c
        for row in wb_en.worksheets[1:]
        for r in row.iter_rows()
        for c in r
        if c.number_format.startswith('"RUB')
    )
    assert money.data_type == "n"


def test_sheet_names_are_valid_and_unique() -> None:
    from salesaudit.io.tables_xlsx import sheet_names

    assert sheet_names(
        [
            "Планирование и выполнение плана: План / факт / отклонение · 11.2026",
            "A" * 40,
            "A" * 40,
            "x[1]:y?",
            "Contents",
        ],
        reserved=["contents"],
    ) == [
        "План - факт - отклонение…",
        "A" * 30 + "…",
        "A" * 26 + "… (2)",
        "x-1--y-",
        "Contents (2)",
    ]


# --- the DOCX -----------------------------------------------------------------------------------
def test_docx_has_title_page_headings_tables_and_charts(report_result, tmp_path: Path) -> None:
    import docx
    from salesaudit.io.atomic import atomic_write_bytes
    from salesaudit.report import sections
    from salesaudit.report.docx import build_docx, docx_bytes
    from test_report_sections import BRANDING

    html = sections.build_report_html(report_result, BRANDING, "ru")
    n_charts = html.count('class="sa-chart"')
    path = atomic_write_bytes(
        tmp_path / "report.docx", docx_bytes(build_docx(report_result, BRANDING, "ru"))
    )
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert "Экспресс-оценка отдела продаж" in texts  # the title page
    assert "ООО «Ромашка-Трейд»" in texts
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert heads[:3] == ["Содержание", "Резюме для руководителя", "Проблема 1. Тестовая область 1"]
    assert "Приложение В. Глоссарий" in heads
    assert n_charts >= 5 and len(doc.inline_shapes) == n_charts  # every chart (the logo is SVG)
    pics = list(doc.inline_shapes)
    assert all(abs(s.width.cm - 16) < 0.01 for s in pics)
    # the plan/fact table of the planning section, numbers as the PDF shows them
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert [
        "Иванов Иван",
        "1 000 000 ₽",
        "435 000 ₽",
        "−565 000 ₽",
        "43,5 %",
        "652 500 ₽",
        "94 167 ₽",
    ] in [[x.replace("\u00a0", " ") for x in r] for r in rows]
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    tags = [c.tag.rsplit("}", 1)[1] for c in doc.settings.element]
    assert tags.index("updateFields") < tags.index("compat")  # the schema's order
    assert doc.sections[0].different_first_page_header_footer
    en = docx.Document(
        __import__("io").BytesIO(docx_bytes(build_docx(report_result, BRANDING, "en")))
    )
    en_texts = [p.text for p in en.paragraphs]
    assert "Sales department express assessment" in en_texts
    assert not any("Резюме" in x for x in en_texts)


# --- salesaudit run ----------------------------------------------------------------------------
def _small_client(tmp_path: Path) -> Path:
    client = tmp_path / "client"
    (client / "raw").mkdir(parents=True)
    (client / "raw" / "deals.csv").write_text(
        "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки\n"
        "1;100;Иванов;01.02.2026;Успешно реализовано\n",
        encoding="utf-8",
    )
    return client


def _fake_audit(result):
    from types import SimpleNamespace

    from salesaudit.model.quality import QualityReport

    def audit(client_dir, **kwargs):
        return result, SimpleNamespace(quality=QualityReport())

    return audit


def test_pdf_backend_option() -> None:
    import argparse

    from salesaudit.app.run import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert parser.parse_args(["c"]).pdf_backend == "auto"
    assert parser.parse_args(["c", "--pdf-backend", "chromium"]).pdf_backend == "chromium"
    with pytest.raises(SystemExit):
        parser.parse_args(["c", "--pdf-backend", "cairo"])


@pytest.mark.slow
def test_run_without_any_pdf_renderer_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    import io
    import sys

    from conftest import tiny_result
    from salesaudit.app.run import run_client
    from salesaudit.errors import NotebookError

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.delenv("SALESAUDIT_CHROMIUM", raising=False)
    out = tmp_path / "reports" / "client"
    with pytest.raises(NotebookError) as err:
        run_client(
            _small_client(tmp_path), out=out, audit=_fake_audit(tiny_result()), stream=io.StringIO()
        )
    assert err.value.message.startswith("no PDF renderer: WeasyPrint is not installed")
    assert "Google Chrome, Microsoft Edge or Chromium" in err.value.hint
    assert not out.exists()
    with pytest.raises(NotebookError, match="--pdf-backend chromium: no Chromium"):
        run_client(_small_client(tmp_path / "b"), out=out, pdf_backend="chromium")


@pytest.mark.slow
def test_run_with_the_chromium_backend_writes_every_deliverable(tmp_path: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.skip("/usr/bin/chromium is not installed (CI installs the chromium package)")
    import io

    import docx
    from conftest import tiny_result
    from salesaudit.app.run import run_client

    out = tmp_path / "reports" / "client"
    stream = io.StringIO()
    outcome = run_client(
        _small_client(tmp_path),
        out=out,
        audit=_fake_audit(tiny_result("ООО «Тест-Хром»")),
        stream=stream,
        pdf_backend="chromium",
    )
    text = _pdf_text((out / "report.pdf").read_bytes())
    assert "ООО «Тест-Хром»" in text and "Резюме для руководителя" in text
    assert "[7/19] report_tables.xlsx written" in stream.getvalue()
    assert "[8/19] report.docx written" in stream.getvalue()
    wb = load_workbook(out / "report_tables.xlsx")
    assert wb.sheetnames[0] == "Содержание" and formula_cells(wb) == []
    assert wb["Содержание"]["A1"].value == "Экспресс-оценка отдела продаж — ООО «Тест-Хром»"
    texts = [p.text for p in docx.Document(str(out / "report.docx")).paragraphs]
    assert "ООО «Тест-Хром»" in texts
    assert {"tables_xlsx", "docx"} <= set(outcome.timings)


@pytest.mark.slow
@pytest.mark.xdist_group("demo_run")
def test_demo_deliverables_match_audit_json(demo_run) -> None:
    import docx
    from salesaudit.scoring.result import AuditResult

    out = demo_run.out
    result = AuditResult.from_json((out / "audit.json").read_text(encoding="utf-8"))
    # verification calls: real dates, each contact once
    wb = load_workbook(out / "verification_calls.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    sample = result.table("verification_sample")
    assert len(rows) == len(sample) > 0
    date_col = header.index("Дата встречи")
    assert all(r[date_col].data_type == "d" for r in rows)
    assert {r[date_col].number_format for r in rows} == {"DD.MM.YYYY"}
    clients = [r[header.index("Клиент")].value for r in rows]
    phones = [r[header.index("Телефон")].value for r in rows]
    assert len(set(clients)) == len(clients) and len(set(phones)) == len(phones)
    assert formula_cells(wb) == []
    # the tables workbook: the area scores of audit.json, as numbers
    tables = load_workbook(out / "report_tables.xlsx")
    areas = tables["Оценки по семи проблемам"]
    got = [areas.cell(row=i, column=2).value for i in range(2, 9)]
    assert got == [a.score for a in sorted(result.areas, key=lambda a: a.area)]
    assert formula_cells(tables) == []
    # the DOCX: one picture per chart of the PDF's HTML
    html = (out / "report.html").read_text(encoding="utf-8")
    doc = docx.Document(str(out / "report.docx"))
    assert len(doc.inline_shapes) == html.count('class="sa-chart"') > 5


@pytest.mark.slow
def test_docx_converts_with_libreoffice(report_result, tmp_path: Path) -> None:
    import shutil
    import subprocess

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: the DOCX is checked with python-docx only")
    from salesaudit.report.docx import build_docx, docx_bytes
    from test_report_sections import BRANDING

    src = tmp_path / "report.docx"
    src.write_bytes(docx_bytes(build_docx(report_result, BRANDING, "ru")))
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = _pdf_text((tmp_path / "report.pdf").read_bytes())
    assert "Экспресс-оценка отдела продаж" in text and "Резюме для руководителя" in text


def test_figure_hook_numbers_the_charts() -> None:
    import base64

    import matplotlib.pyplot as plt
    from salesaudit.report import sections
    from salesaudit.report._figsink import collect, emit, figure_number

    fig, ax = plt.subplots()
    try:
        assert emit(fig) == ""  # nobody collects: the section draws its SVG
        plain = sections.chart(ax, "Обычный")
        assert figure_number(plain.split('src="', 1)[1].split('"', 1)[0]) is None
        got: list = []
        with collect(got.append):
            first, second = sections.chart(ax, "Первый"), sections.chart(ax, "Второй")
        srcs = [h.split('src="', 1)[1].split('"', 1)[0] for h in (first, second)]
        assert [figure_number(s) for s in srcs] == [0, 1] and got == [fig, fig]
        assert len(base64.b64decode(srcs[0].split(",", 1)[1])) < 100  # no SVG drawn
        assert emit(fig) == ""  # the collector ends with the block
    finally:
        plt.close(fig)
