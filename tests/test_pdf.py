"""The express-assessment PDF: text, numbers, footers, fonts; the nbconvert template; no network."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader
from salesaudit.errors import NotebookError
from salesaudit.report import (
    build_report_html,
    html_to_pdf,
    html_to_pdf_bytes,
    notebook_to_html,
    sections,
)
from salesaudit.report import pdf as pdf_module
from salesaudit.report.i18n import fmt_score
from test_report_sections import BRANDING, make_result

pytestmark = pytest.mark.slow


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [p.extract_text() or "" for p in reader.pages]


@pytest.fixture(scope="module")
def ru_pdf() -> bytes:
    return html_to_pdf_bytes(build_report_html(make_result("ru"), BRANDING, "ru"))


@pytest.fixture(scope="module")
def ru_pages(ru_pdf: bytes) -> list[str]:
    return _pages(ru_pdf)


def test_cover_and_section_titles(ru_pages: list[str]) -> None:
    cover = ru_pages[0]
    for word in (
        "Экспресс-оценка отдела продаж",
        "ООО «Ромашка-Трейд»",
        "Конфиденциально",
        "20.11.2026",
        "Анна Консультантова",
        "Северный Вектор",
    ):
        assert word in cover, word
    text = "\n".join(ru_pages)
    for title in (
        "Содержание",
        "Резюме для руководителя",
        "Проблема 1. Тестовая область 1",
        "Проблема 7. Тестовая область 7",
        "Планирование и выполнение плана",
        "Карточки менеджеров",
        "Прогноз продаж по активности",
        "Достоверность данных CRM",
        "Чек-лист экспресс-оценки",
        "Дорожная карта 30/60/90 дней",
        "Приложение А. Качество данных",
        "Приложение Б. Методика",
        "Приложение В. Глоссарий",
    ):
        assert title in text, title


def test_key_numbers_equal_the_result(ru_pages: list[str]) -> None:
    result = make_result("ru")
    summary = next(p for p in ru_pages if "Резюме для руководителя" in p and "Общий индекс" in p)
    assert fmt_score(result.overall_index, "ru") in summary  # 46,7
    for area in result.areas:
        assert fmt_score(area.score, "ru") in summary, area.area
    assert "2/5" in summary


def test_every_page_has_the_footer_and_header_skips_the_cover(ru_pages: list[str]) -> None:
    n = len(ru_pages)
    assert n >= 10
    for i, page in enumerate(ru_pages, start=1):
        assert re.search(rf"стр\.\s*{i}\s*из\s*{n}", page), f"page {i}: no footer"
    # the running title appears once on the cover (its heading), twice nowhere else is needed
    assert ru_pages[0].count("Экспресс-оценка отдела продаж") == 1
    assert "Экспресс-оценка отдела продаж" in ru_pages[1] and "ООО «Ромашка-Трейд»" in ru_pages[1]


def test_table_of_contents_page_numbers_are_right(ru_pages: list[str]) -> None:
    toc = ru_pages[1]
    for title in ("Приложение В. Глоссарий", "Карточки менеджеров"):
        m = re.search(re.escape(title) + r"[\s.]*?(\d+)\s*$", toc, flags=re.M)
        assert m, title
        page_no = int(m.group(1))
        assert title in ru_pages[page_no - 1].split("\n", 3)[-1] or title in ru_pages[page_no - 1]
        assert all(title not in p for p in ru_pages[2 : page_no - 1])


def test_no_code_in_the_text_and_cyrillic_extracts(ru_pages: list[str]) -> None:
    text = "\n".join(ru_pages)
    for code in ("import ", "def ", "salesaudit.", "Traceback"):
        assert code not in text
    assert "Достоверность данных CRM" in text  # Cyrillic round-trips (ToUnicode maps present)


def test_fonts_are_embedded(ru_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(ru_pdf))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert any("DejaVu" in name for name in fonts)


def test_charts_are_vector(ru_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(ru_pdf))
    images = sum(len(p.images) for p in reader.pages[:4])
    # cover logo (SVG) and charts are drawn as vector paths: no raster images at all
    assert images == 0


def test_english_pdf_footer() -> None:
    data = html_to_pdf_bytes(
        sections.html_document(
            sections.cover(make_result("en"), BRANDING, "en")
            + "<section class='sa-major'><h2>X</h2></section>",
            lang="en",
            client="ACME",
        )
    )
    pages = _pages(data)
    assert len(pages) == 2
    assert re.search(r"page\s*1\s*of\s*2", pages[0]) and re.search(r"page\s*2\s*of\s*2", pages[1])
    assert "Confidential" in pages[0] and "ACME" in pages[1]


def test_network_urls_are_refused_file_and_data_allowed(tmp_path: Path) -> None:
    fetcher = pdf_module._fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://example.com/logo.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://127.0.0.1:9/x.css")
    f = tmp_path / "a.txt"
    f.write_text("ok", encoding="utf-8")
    assert fetcher.fetch(f.as_uri()).url.startswith("file:")
    # a document pointing at the network still renders (the image is skipped, nothing fetched)
    html = sections.html_document('<p>Текст</p><img src="https://example.com/x.png">', lang="ru")
    assert "Текст" in _pages(html_to_pdf_bytes(html))[0]


def test_html_to_pdf_writes_the_file_atomically(tmp_path: Path) -> None:
    out = html_to_pdf(sections.html_document("<p>Привет</p>", lang="ru"), tmp_path / "r.pdf")
    assert out == tmp_path / "r.pdf"
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_render_failure_is_a_notebook_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    def boom(*args, **kwargs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", boom)
    with pytest.raises(NotebookError, match="could not render the report PDF: layout exploded"):
        html_to_pdf_bytes("<p>x</p>")


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    result = make_result("ru")
    summary = sections.executive_summary(result, "ru")
    code = nbformat.v4.new_code_cell(
        "import salesaudit\ndisplay(sections.executive_summary(result, lang))"
    )
    code.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": str(summary), "text/plain": "<Html>"}
        ),
        nbformat.v4.new_output("stream", name="stderr", text="Warning: def noisy()"),
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "'salesaudit.x'"}, execution_count=1
        ),
    ]
    code.execution_count = 1
    nb.cells = [nbformat.v4.new_markdown_cell("## Заметка консультанта"), code]
    return nb


def test_notebook_to_html_only_outputs_and_our_css(tmp_path: Path) -> None:
    html = notebook_to_html(_notebook(), lang="ru", client="ООО «Ромашка-Трейд»")
    assert "Резюме для руководителя" in html and "Заметка консультанта" in html
    for leaked in ("import salesaudit", "display(sections", "noisy", "In&nbsp;[", "'salesaudit.x'"):
        assert leaked not in html, leaked
    assert "counter(pages)" in html and "require.js" not in html and "<script" not in html
    # the same from a file path, and it renders to a PDF with our footer
    path = tmp_path / "nb.ipynb"
    nbformat.write(_notebook(), str(path))
    from_path = notebook_to_html(path, lang="ru", client="Клиент")
    pages = _pages(html_to_pdf_bytes(from_path))
    assert "Заметка консультанта" in pages[0] and "¶" not in pages[0]
    assert "46,7" in pages[1] and re.search(r"стр\.\s*2\s*из\s*2", pages[1])
    assert "import " not in "\n".join(pages)


def test_notebook_to_html_missing_file_is_a_notebook_error(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match="notebook not found"):
        notebook_to_html(tmp_path / "none.ipynb", lang="ru")


# --- the real pipeline: the demo company's audit result ----------------------------------------
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_result():
    demo = REPO / "data_samples" / "demo"
    if not (demo / "raw").is_dir():
        pytest.skip("data_samples/demo not generated")
    from salesaudit.app.audit import audit_client

    result, _ = audit_client(demo)
    return result


def test_demo_report_numbers_and_pdf(demo_result) -> None:
    from salesaudit.io.branding import load_branding
    from salesaudit.report.i18n import fmt_money, fmt_pct

    branding = load_branding(REPO / "data_samples" / "consultancy.yaml")
    summary = sections.executive_summary(demo_result, "ru")
    assert fmt_score(demo_result.overall_index, "ru") in summary
    for area in demo_result.areas:
        assert f">{fmt_score(area.score, 'ru')}<" in summary, area.area
    # the planning table's total row is the running period's department row
    pf = demo_result.table("plan_fact")
    period = sections.current_period(demo_result, pf)
    total = pf.loc[pf["is_total"].astype(bool) & pf["period"].astype(str).eq(period)].iloc[0]
    planning = sections.planning_section(demo_result, "ru")
    for value in (fmt_money(total["plan"], "ru"), fmt_money(total["fact"], "ru")):
        assert value in planning
    assert fmt_pct(total["pct_done"], "ru") in planning
    # one scorecard per manager of the plan/fact table
    managers = set(pf.loc[~pf["is_total"].astype(bool), "manager_name"])
    assert managers <= set(sections.scorecards_frame(demo_result)["manager"])

    html = build_report_html(demo_result, branding, "ru")
    # every chart is drawn once; later sections refer to it
    figures = re.findall(r'<figure id="fig-([a-z_]+)"', html)
    assert figures and len(figures) == len(set(figures))
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", html)
    assert len(captions) == len(set(captions))
    data = html_to_pdf_bytes(html)
    pages = _pages(data)
    n = len(pages)
    assert n > 10
    assert all(re.search(rf"стр\.\s*{i}\s*из\s*{n}", p) for i, p in enumerate(pages, start=1))
    text = "\n".join(pages)
    assert "import " not in text and "salesaudit." not in text and "def " not in text
    assert "Северный Вектор" in pages[0]
    # no raw indicator ids, question ids or codes reach the reader
    flat = re.sub(r"\s+", " ", text)
    ids = {i.id for i in demo_result.indicators} | set(demo_result.answers)
    assert [i for i in ids if i in flat] == []
    assert re.findall(r"\bp[1-7]\.[a-z][a-z0-9_]*", flat) == []
    for code in ("insufficient_data", "no_budget", "not_interested", "manager plan rows", "(s)"):
        assert code not in flat, code
    # the method appendix gives its sources in Russian
    assert "rule of thumb" not in flat and "практическое правило консультанта" in flat
    # references name the page of the section that holds the chart
    assert re.search(r"Диаграмма «[^»]+» — в разделе «[^»]+», стр\. \d+", flat)


def test_report_notebook_is_thin_and_draws_each_chart_once() -> None:
    """The report notebook passes the chart plan to every section that draws charts."""
    nb = nbformat.read(str(REPO / "notebooks" / "90_report.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c for c in code if "parameters" in c.metadata.get("tags", [])] == [code[0]]
    assert all(not c.outputs and c.execution_count is None for c in code)  # stripped
    src = "\n".join(c.source for c in code[1:])
    assert not re.search(r"^\s*(def|class|for|while)\b", src, re.M)
    assert "chart_plan = sections.chart_plan(result)" in src
    for area in ("p1", "p2", "p3", "p4", "p5", "p6", "p7"):
        assert (
            f'sections.problem_section(result, "{area}", lang, skip_charts=chart_plan["area-{area}"])'
            in src
        )
    for fn, key in (
        ("planning_section", "planning"),
        ("scorecards", "scorecards"),
        ("forecast_section", "forecast"),
        ("credibility_section", "credibility"),
    ):
        assert f'sections.{fn}(result, lang, skip_charts=chart_plan["{key}"])' in src
