"""The report as an editable Word document (``report.docx``), built with python-docx.

The content is the PDF's: the same section fragments (:func:`salesaudit.report.sections.
report_body`) are walked and turned into Word objects, so a change to a section shows in both.
A title page (consultancy, report title, client, date, consultant, "confidential"), a table of
contents field (Word fills it, with page numbers, when the document is opened and fields are
updated), headings (section -> Heading 1, sub-heading -> Heading 2/3), paragraphs, lists,
tables with a repeated bold header row, and every chart as a PNG picture (150 dpi, drawn by
matplotlib while the sections are built). A4, 2 cm margins, the client and "confidential" in the
header and footer, "page N of M" fields in the footer. :func:`build_docx` returns the
``docx.Document``; :func:`docx_bytes` its bytes; writing the file is the io layer's
(:func:`salesaudit.io.atomic.atomic_write_bytes`). Pure: reads nothing from disk but the
method's checklist texts, as the sections do.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from salesaudit.report.i18n import check_lang, fmt_date, pick, t
from salesaudit.scoring.result import AuditResult

__all__ = ["PNG_DPI", "build_docx", "docx_bytes", "figure_png"]

#: resolution of the chart pictures
PNG_DPI = 150
FONT = "Arial"
#: text width of an A4 page with 2 cm margins, in cm
TEXT_WIDTH_CM = 17.0
_HEAD_FILL = "DDEBF7"
_ACCENT = (0x1F, 0x3B, 0x57)
_TOC_HINT = {
    "ru": "Оглавление заполнится при открытии: ответьте «Да» на вопрос об обновлении полей "
    "(или нажмите F9).",
    "en": "The contents fill in when the document is opened: answer 'Yes' to updating fields "
    "(or press F9).",
}
_PAGE = {"ru": ("стр. ", " из "), "en": ("page ", " of ")}


def figure_png(fig: Any, dpi: int = PNG_DPI) -> bytes:
    """A matplotlib figure as PNG bytes at ``dpi``."""
    buf = io.BytesIO()
    # fast zlib level: the PNGs are about 4 % larger and written about 20 % faster
    fig.savefig(
        buf, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    return buf.getvalue()


# --- low-level Word helpers ---------------------------------------------------------------------
def _field(paragraph: Any, instr: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) in ``paragraph``; ``placeholder`` shows until updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        return el

    paragraph.add_run()._r.append(fld("begin"))
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    paragraph.add_run()._r.append(instr_el)
    paragraph.add_run()._r.append(fld("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld("end"))


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _update_fields_on_open(doc: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    settings = doc.settings.element
    # the schema fixes the order of the settings: updateFields comes before these
    later = {
        qn(f"w:{n}")
        for n in (
            "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
            "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
            "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
            "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
            "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
        )
    }  # fmt: skip
    nxt = next((child for child in settings if child.tag in later), None)
    if nxt is None:
        settings.append(el)
    else:
        nxt.addprevious(el)


def _set_font(style: Any, size: float | None = None, *, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attr), None)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if style.name.startswith("Heading") or style.name == "Title":
        style.font.color.rgb = RGBColor(*_ACCENT)


# --- HTML fragments -> Word ---------------------------------------------------------------------
_WS = re.compile(r"\s+")


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el: Any) -> str:
    return _WS.sub(" ", el.text_content()).strip()


class _Builder:
    """Walks the section fragments of the report and appends Word objects to ``doc``."""

    def __init__(self, doc: Any, pngs: list[bytes], lang: str) -> None:
        self.doc = doc
        self.pngs = pngs
        self.figure = 0
        self.lang = lang
        self.new_page = False

    # inline content ------------------------------------------------------------------------
    def runs(self, paragraph: Any, el: Any, *, bold: bool = False, italic: bool = False) -> None:
        """Append ``el``'s content to ``paragraph`` as runs (bold/italic kept, <br> and nested
        lists as line breaks)."""
        if el.text:
            self._run(paragraph, el.text, bold, italic)
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                paragraph.add_run().add_break()
            elif tag in ("ul", "ol"):
                for li in child.iter("li"):
                    paragraph.add_run().add_break()
                    self._run(paragraph, "• " + _text(li), bold, italic)
            elif tag in ("b", "strong", "th"):
                self.runs(paragraph, child, bold=True, italic=italic)
            elif tag in ("i", "em"):
                self.runs(paragraph, child, bold=bold, italic=True)
            elif tag in ("script", "style", "img", "svg"):
                pass
            else:
                sev = "sa-sev" in _classes(child)
                self.runs(paragraph, child, bold=bold or sev, italic=italic)
                if sev and not (child.tail or "").startswith((" ", "\n")):
                    self._run(paragraph, " ", bold, italic)
            if child.tail:
                self._run(paragraph, child.tail, bold, italic)

    @staticmethod
    def _run(paragraph: Any, text: str, bold: bool, italic: bool) -> None:
        text = _WS.sub(" ", text)
        if not text.strip() and not paragraph.runs:
            return
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None

    def paragraph(self, el: Any, *, style: str | None = None, italic: bool = False) -> None:
        if not _text(el):
            return
        p = self.doc.add_paragraph(style=style)
        self.runs(p, el, italic=italic)
        if p.runs:
            p.runs[0].text = p.runs[0].text.lstrip()
            p.runs[-1].text = p.runs[-1].text.rstrip()

    # blocks --------------------------------------------------------------------------------
    def block(self, el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        cls = _classes(el)
        if tag in ("h1", "h2", "h3", "h4", "h5"):
            level = {"h1": 1, "h2": 1, "h3": 2, "h4": 3, "h5": 3}[tag]
            h = self.doc.add_heading(level=level)
            self.runs(h, el)
            if level == 1 and self.new_page:
                h.paragraph_format.page_break_before = True
                self.new_page = False
        elif tag == "p":
            muted = bool(cls & {"sa-muted", "sa-figref", "sa-chart-intro"})
            self.paragraph(el, italic=muted)
        elif tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for li in el.findall("li"):
                self.paragraph(li, style=style)
        elif tag == "table" and "sa-cards" in cls:
            for card in el.iter("div"):
                if "sa-card" in _classes(card):
                    self.children(card)
        elif tag == "table":
            self.table(el)
        elif tag == "figure":
            self.picture(el)
        elif tag == "nav":
            return
        elif "sa-kpis" in cls:
            for kpi in el:
                if "sa-kpi" in _classes(kpi):
                    value = " ".join(_text(x) for x in kpi if "sa-kpi-value" in _classes(x))
                    label = " ".join(_text(x) for x in kpi if "sa-kpi-label" in _classes(x))
                    p = self.doc.add_paragraph()
                    r = p.add_run(value)
                    r.bold = True
                    p.add_run(f" — {label}")
        elif tag in ("div", "section", "main", "span") and len(el):
            if el.text and el.text.strip() or any(c.tail and c.tail.strip() for c in el):
                self.paragraph(el, italic="sa-note" in cls)  # mixed text: one paragraph
            else:
                self.children(el)
        elif _text(el):
            self.paragraph(el, italic="sa-note" in cls)

    def children(self, el: Any) -> None:
        for child in el:
            if isinstance(child.tag, str):
                self.block(child)

    def table(self, el: Any) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        rows = [tr for tr in el.iter("tr")]
        if not rows:
            return
        ncols = max(
            sum(int(c.get("colspan", 1)) for c in tr if c.tag in ("td", "th")) for tr in rows
        )
        if ncols == 0:
            return
        widths = [c.get("style", "") for c in el.iter("col")]
        shares = []
        for w in widths:
            m = re.search(r"width:\s*([\d.]+)%", w)
            shares.append(float(m.group(1)) if m else 0.0)
        if len(shares) != ncols or sum(shares) <= 0:
            shares = [1.0] * ncols
        total = sum(shares)
        col_cm = [TEXT_WIDTH_CM * s / total for s in shares]
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for tr in rows:
            cells = [c for c in tr if c.tag in ("td", "th")]
            row = table.add_row()
            header = all(c.tag == "th" for c in cells) and tr.getparent().tag == "thead"
            j = 0
            for c in cells:
                span = int(c.get("colspan", 1))
                cell = row.cells[j]
                if span > 1:
                    cell = cell.merge(row.cells[min(j + span, ncols) - 1])
                p = cell.paragraphs[0]
                self.runs(p, c, bold=header)
                if p.runs:
                    p.runs[0].text = p.runs[0].text.lstrip()
                    p.runs[-1].text = p.runs[-1].text.rstrip()
                for r in p.runs:
                    r.font.size = Pt(8.5)
                if "num" in _classes(c):
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if header:
                    _shade(cell, _HEAD_FILL)
                j += span
            if header:
                _repeat_header(row)
        for row in table.rows:
            for k, cell in enumerate(row.cells[:ncols]):
                cell.width = Cm(col_cm[k])
        self.doc.add_paragraph()

    def picture(self, el: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        from salesaudit.report._figsink import figure_number

        caption = el.find("figcaption")
        if caption is not None and _text(caption):
            p = self.doc.add_paragraph()
            r = p.add_run(_text(caption))
            r.bold = True
        for child in el:
            if child.tag == "p":
                self.paragraph(child, italic=True)
        img = el.find(".//img")
        if img is None:
            return
        n = figure_number(img.get("src", ""))
        if n is not None and n < len(self.pngs):
            self.doc.add_picture(io.BytesIO(self.pngs[n]), width=Cm(16))
            self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.figure += 1


def _logo(branding: dict[str, Any]) -> bytes | None:
    uri = str(branding.get("logo_data_uri") or "")
    m = re.match(r"data:image/(png|jpeg|jpg|gif|bmp);base64,(.*)", uri, re.S)
    return base64.b64decode(m.group(2)) if m else None


def _title_page(doc: Any, result: AuditResult, branding: dict[str, Any], lang: str) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    logo = _logo(branding)
    if logo:
        doc.add_picture(io.BytesIO(logo), height=Cm(1.6))
    if branding.get("name"):
        p = doc.add_paragraph()
        r = p.add_run(str(branding["name"]))
        r.bold = True
        r.font.size = Pt(13)
        tagline = pick(branding.get("tagline", ""), lang)
        if tagline:
            p.add_run().add_break()
            p.add_run(tagline).font.size = Pt(9)
    for _ in range(5):
        doc.add_paragraph()
    doc.add_paragraph(t("report_title", lang), style="Title")
    sub = doc.add_paragraph(t("report_subtitle", lang))
    sub.runs[0].font.size = Pt(12)
    sub.runs[0].font.color.rgb = RGBColor(*_ACCENT)
    doc.add_paragraph()
    client = doc.add_paragraph()
    cr = client.add_run(result.client_label(lang))
    cr.bold = True
    cr.font.size = Pt(16)
    meta = result.meta
    rows = [
        (t("as_of", lang), fmt_date(meta.get("as_of"), lang)),
        (t("consultant", lang), meta.get("consultant") or branding.get("consultant") or "—"),
        (t("prepared_by", lang), branding.get("name") or "—"),
    ]
    table = doc.add_table(rows=0, cols=2)
    for k, v in rows:
        cells = table.add_row().cells
        cells[0].text = str(k)
        cells[1].text = str(v)
        cells[0].width = Cm(5)
        cells[1].width = Cm(9)
    doc.add_paragraph()
    conf = doc.add_paragraph()
    cf = conf.add_run(t("confidential", lang))
    cf.bold = True
    contacts = " · ".join(
        str(branding[k]) for k in ("name", "phone", "email", "site") if branding.get(k)
    )
    if contacts:
        doc.add_paragraph(contacts).runs[0].font.size = Pt(8)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(doc: Any, lang: str) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_heading(t("contents", lang), level=1)
    p = doc.add_paragraph()
    _field(p, 'TOC \\o "1-2" \\h \\z \\u', _TOC_HINT[lang])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _page_setup(doc: Any, result: AuditResult, lang: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    for style, size in (("Normal", 10), ("Title", 24), ("Heading 1", 16), ("Heading 2", 12.5)):
        _set_font(doc.styles[style], size)
    _set_font(doc.styles["Heading 3"], 10.5)
    for name in ("List Bullet", "List Number", "Table Grid"):
        _set_font(doc.styles[name])
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    section.different_first_page_header_footer = True  # a clean title page
    head = section.header.paragraphs[0]
    head.text = f"{result.client_label(lang)} · {t('report_title', lang)}"
    head.runs[0].font.size = Pt(7.5)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    before, between = _PAGE[lang]
    foot.add_run(f"{t('confidential', lang)} · {before}")
    _field(foot, "PAGE", "1")
    foot.add_run(between)
    _field(foot, "NUMPAGES", "1")
    for r in foot.runs:
        r.font.size = Pt(7.5)


def build_docx(
    result: AuditResult, branding: dict[str, Any], lang: str = "ru", *, checklist: Any = None
) -> Any:
    """The report as a ``docx.Document`` (see the module docstring); ``checklist`` as in
    :func:`~salesaudit.report.sections.report_body`."""
    import docx
    from lxml import html as lhtml

    from salesaudit.report import sections
    from salesaudit.report._figsink import collect

    check_lang(lang)
    pngs: list[bytes] = []
    with collect(lambda fig: pngs.append(figure_png(fig))):
        parts = sections.report_body(result, branding, lang, checklist=checklist)
    doc = docx.Document()
    _page_setup(doc, result, lang)
    doc.core_properties.title = f"{t('report_title', lang)} — {result.client_label(lang)}"
    doc.core_properties.author = str(branding.get("name") or "")
    doc.core_properties.language = lang
    _title_page(doc, result, branding, lang)
    _contents(doc, lang)
    builder = _Builder(doc, pngs, lang)
    for part in parts:
        fragment = str(part).strip()
        if not fragment:
            continue
        root = lhtml.fragment_fromstring(fragment, create_parent="div")
        for el in root:
            if not isinstance(el.tag, str):
                continue
            sid = el.get("id", "")
            if sid in ("cover", "contents"):
                continue
            builder.new_page = "sa-major" in _classes(el)  # as in print: a new page
            builder.block(el)
    _update_fields_on_open(doc)
    return doc


def docx_bytes(doc: Any) -> bytes:
    """The bytes of a ``docx.Document`` (written to memory; the io layer writes files)."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
