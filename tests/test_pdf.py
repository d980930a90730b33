"""The express-assessment PDF: text, numbers, footers, fonts; the nbconvert template; no network."""

from __future__ import annotations

import base64
import io
import re
from html import unescape
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
from salesaudit.report.sections import esc
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
    for area in demo_result.areas:  # the summary charts them; each section states its score
        section = sections.problem_section(demo_result, area.area, "ru")
        assert f">{fmt_score(area.score, 'ru')}<" in section, area.area
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


# --- the demo PDF as the client reads it: both languages ---------------------------------------
def _flat(text: str) -> str:
    text = re.sub("\u2010\\s+", "", text)  # words hyphenated at a line end, joined again
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="module")
def demo_docs(demo_result) -> dict[str, tuple[str, list[str]]]:
    """lang -> (report HTML, text of each PDF page) for the demo company."""
    from salesaudit.io.branding import load_branding

    branding = load_branding(REPO / "data_samples" / "consultancy.yaml")
    out = {}
    for lang in ("ru", "en"):
        html = build_report_html(demo_result, branding, lang)
        out[lang] = (html, [_flat(p) for p in _pages(html_to_pdf_bytes(html))])
    return out


def _figures(html: str) -> list[tuple[str, str, str, list[str]]]:
    """(anchor, heading, intro, texts drawn in the SVG) of every chart figure in the HTML."""
    out = []
    for m in re.finditer(r'<figure(?: id="fig-([a-z_]+)")? class="sa-chart">(.*?)</figure>', html):
        body = m.group(2)
        cap = re.search(r"<figcaption>([^<]*)</figcaption>", body)
        intro = re.search(r'<p class="sa-chart-intro">([^<]*)</p>', body)
        b64 = re.search(r"base64,([A-Za-z0-9+/=]+)", body)
        svg = base64.b64decode(b64.group(1)).decode("utf-8") if b64 else ""
        texts = [unescape(x).strip() for x in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
        out.append(
            (
                m.group(1) or "",
                unescape(cap.group(1)) if cap else "",
                unescape(intro.group(1)) if intro else "",
                [_flat(x) for x in texts if x.strip()],
            )
        )
    return out


def test_demo_each_chart_shares_its_page_with_its_heading_and_intro(demo_docs) -> None:
    for lang, (html, pages) in demo_docs.items():
        figures = _figures(html)
        assert len(figures) >= 8, lang
        for anchor, heading, intro, texts in figures:
            if not heading:
                continue  # the summary's chart sits under the summary's own heading
            assert intro, (lang, anchor)
            where = [i for i, p in enumerate(pages) if _flat(intro)[:60] in p]
            assert len(where) == 1, (lang, anchor, where)
            page = pages[where[0]]
            assert _flat(heading) in page, (lang, anchor)
            # the axis title (the longest text of the chart) is drawn on the same page
            axis = max(texts, key=len)
            assert axis in page, (lang, anchor, axis)


def test_demo_chart_references_cite_the_charts_page(demo_docs) -> None:
    html, pages = demo_docs["ru"]
    intros = {heading: intro for _, heading, intro, _ in _figures(html) if heading}
    refs = re.findall(r"Диаграмма «([^»]+)» — в разделе «[^»]+», стр\. (\d+)", " ".join(pages))
    assert refs
    for title, page_no in refs:
        intro = next(v for k, v in intros.items() if k.startswith(title))
        assert _flat(intro)[:60] in pages[int(page_no) - 1], (title, page_no)


def test_demo_russian_text_has_no_iso_dates_paths_codes_or_english_terms(
    demo_docs, demo_result
) -> None:
    _, pages = demo_docs["ru"]
    text = " ".join(pages)
    assert re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", text) == []  # 20.11.2026, 06.2025
    assert re.findall(r"[\w.-]+[/\\][\w.-]+\.[A-Za-z]{2,4}\b", text) == []  # no folder/file
    for leak in ("raw/", "/work/", "/tmp/", ".salesaudit", "audit.json", "report.yaml"):
        assert leak not in text, leak
    for term in ("n/a", "insufficient", "run-rate", "NaN", "None", "nan ", "TODO", "FIXME"):
        assert term not in text, term
    assert re.findall(r"\b[pP][1-7]\.(?:q\d|[a-z])", text) == []  # p3.mtg01, p1.suspect_…
    assert re.findall(r"\b[pP][1-7]\b", text) == []  # «Проблема 3», never the code P3
    assert re.findall(r"\d[,.]\d{3}\b(?![.,]\d)", re.sub(r"\d{2}\.\d{2}\.\d{4}", "", text)) == []
    assert re.findall(r"\d%", text) == []  # "45,3 %", never "45,3%"
    # decimals use a comma: a dot between digits only in dates (dd.mm.yyyy, mm.yyyy)
    no_dates = re.sub(r"\b\d{2}\.(?:\d{2}\.)?\d{4}\b", "", text)
    # ... and in question numbers («3.4» before the question's text, as in the workshop)
    numbers = re.findall(r"\b[1-7]\.\d{1,2}(?=\s+[А-ЯЁ«A-Z])", no_dates)
    assert len(numbers) == 43  # every checklist question, numbered once
    no_dates = re.sub(r"\b[1-7]\.\d{1,2}(?=\s+[А-ЯЁ«A-Z])", "", no_dates)
    assert re.findall(r"\d\.\d", no_dates) == []


def test_demo_english_text_is_english_apart_from_client_data(demo_docs, demo_result) -> None:
    from salesaudit.io.branding import load_branding

    _, pages = demo_docs["en"]
    client_words: set[str] = set()

    def collect(obj) -> None:
        if isinstance(obj, dict):
            for v in obj.values():
                collect(v)
        elif isinstance(obj, list):
            for v in obj:
                collect(v)
        elif isinstance(obj, str):
            client_words.update(re.findall(r"[А-Яа-яЁё][А-Яа-яЁё-]*", obj))

    # client data: names, notes, labels and values from the client's files and interview
    collect([demo_result.meta.get("client"), demo_result.meta.get("consultant")])
    collect([a.get("note") for a in demo_result.answers.values() if isinstance(a, dict)])
    collect({k: a.get("tables") for k, a in demo_result.analyses.items()})
    branding = load_branding(REPO / "data_samples" / "consultancy.yaml")
    collect([branding["name"], branding.get("consultant")])
    words = re.findall(r"[А-Яа-яЁё][А-Яа-яЁё-]*", " ".join(pages))
    assert words, "the demo's client data is Russian"
    assert sorted({w for w in words if w not in client_words}) == []
    assert "Top three actions" in pages[2] and "Expected effect" in pages[2]
    text = " ".join(pages)
    # dates the English way (20 Nov 2026, Jun 2025), no internal codes or developer words
    assert re.findall(r"\b\d{4}-\d{2}(?:-\d{2})?\b", text) == []
    assert re.findall(r"\b\d{2}\.(?:\d{2}\.)?\d{4}\b", text) == []
    assert re.findall(r"\b[pP][1-7]\b|\b[pP][1-7]\.[a-z]", text) == []
    for term in ("insufficient_data", "as_of", "table(s)", "NaN", "None", "analysis failed"):
        assert term not in text, term


def test_demo_summary_top_actions_upside_and_margin(demo_docs, demo_result) -> None:
    from salesaudit.report.i18n import fmt_money_approx, fmt_pct

    _, pages = demo_docs["ru"]
    summary = next(p for p in pages if "Резюме для руководителя" in p and "Общий индекс" in p)
    assert "Три первоочередных действия" in summary and "Ожидаемый эффект" in summary
    top = sections.top_actions(demo_result)
    assert len(top) == 3
    for f in top:
        assert f.effect and _flat(f.effect["ru"])[:40] in summary, f.id
        assert _flat(f.recommendation["ru"])[:40] in summary, f.id
        assert re.search(r"к \d{2}\.\d{2}\.\d{4}", summary)
    up = demo_result.upside
    rev, margin = up["revenue"], up["gross_margin"]
    assert _flat(fmt_money_approx(rev["low"], rev["high"], "ru")) in summary
    profit = fmt_money_approx(rev["low"] * margin, rev["high"] * margin, "ru")
    assert f"Валовая прибыль: {_flat(profit)} в год" in summary
    assert f"валовая маржа {_flat(fmt_pct(margin * 100, 'ru', 0))}" in summary
    assert "типовое допущение" in summary  # the demo gives no margin of its own
    # roadmap: every action has a target with its date (table cells wrap, so the PDF text is
    # checked for the target's first words and its date; the HTML for the whole target)
    first = next(i for i, p in enumerate(pages) if p.startswith("Дорожная карта 30/60/90 дней"))
    last = next(i for i, p in enumerate(pages) if "Приложение А. Качество данных" in p and i > 1)
    roadmap = " ".join(pages[first : last + 1])
    html = sections.roadmap(demo_result, "ru")
    for f in demo_result.findings:
        assert f.target, f.id
        target = sections.target_text(demo_result, f.target, f.horizon, "ru")
        assert esc(target) in html, f.id
        assert _flat(target)[:20] in roadmap, f.id
        due = sections.due_date(demo_result, f.horizon).strftime("%d.%m.%Y")
        assert f"к {due}" in roadmap, f.id


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


def _page_layout(html: str) -> list[dict]:
    """Per page of the rendered document: how full it is (share of the body height used), whether
    it starts with a major section, and the element tags around its last line."""
    import weasyprint

    pages = []
    for page in weasyprint.HTML(string=html).render().pages:
        root = page._page_box.children[0]  # the <html> box
        lines: list[tuple[float, list[str]]] = []

        def walk(box, tags: list[str], lines: list[tuple[float, list[str]]]) -> None:
            tag = getattr(box, "element_tag", None)
            path = tags + [tag] if tag and (not tags or tags[-1] != tag) else tags
            kids = getattr(box, "children", None) or []
            name = type(box).__name__
            if name in ("LineBox", "BlockReplacedBox", "InlineReplacedBox") or not kids:
                if box.height is not None:
                    lines.append((box.position_y + box.height, path))
                return
            for kid in kids:
                walk(kid, path, lines)

        walk(root, [], lines)
        top = root.position_y
        body = page._page_box.height - page._page_box.margin_top - page._page_box.margin_bottom
        first_major = any(
            getattr(b, "element_tag", None) == "section"
            and "sa-major" in (b.element.get("class") or "")
            and abs(b.position_y - top) < 2
            for b in root.descendants()
            if getattr(b, "element", None) is not None
        )
        bottom, last_tags = max(lines, key=lambda x: x[0]) if lines else (top, [])
        pages.append({"fill": (bottom - top) / body, "major": first_major, "last": last_tags})
    return pages


def test_demo_pages_are_full_and_no_heading_ends_a_page(demo_docs) -> None:
    for lang, (html, _) in demo_docs.items():
        pages = _page_layout(html)
        for i, page in enumerate(pages[:-1], start=1):
            # only a page before a new major part (or the cover) may be part-empty
            if not pages[i]["major"] and i > 1:
                assert page["fill"] >= 0.75, (lang, i, round(page["fill"], 2))
            heading = [t for t in page["last"] if t in ("h1", "h2", "h3", "h4", "figcaption")]
            assert not heading, (lang, i, page["last"])


def test_demo_contents_page_numbers_are_right(demo_docs) -> None:
    for lang, (_, pages) in demo_docs.items():
        toc = pages[1].removeprefix("Содержание ").removeprefix("Contents ")
        parts = re.split(r"\s*\.{3,}\s*(\d+)\s*", toc)
        entries = list(zip(parts[0:-1:2], parts[1::2]))
        assert len(entries) >= 16, (lang, entries)
        for title, page_no in entries:
            title = title.strip()
            # the section starts on that page (its heading may wrap onto a second line)
            assert title[:40] in pages[int(page_no) - 1], (lang, title, page_no)
