"""The report's print CSS (screen-friendly too), parameterised by language and client name.

Kept as a Python string so the report layer never reads files; the nbconvert template receives it
through the exporter's resources.
"""

from __future__ import annotations

from salesaudit.report.i18n import t

_BASE_CSS = """
@page {
  size: A4;
  margin: 20mm 17mm 18mm 17mm;
  @top-left { content: "__CLIENT__"; font: 7.5pt "DejaVu Sans", sans-serif; color: #5b6470; }
  @top-right { content: "__TITLE__"; font: 7.5pt "DejaVu Sans", sans-serif; color: #5b6470; }
  @bottom-left { content: "__CONF__"; font: 7pt "DejaVu Sans", sans-serif; color: #8a929c; }
  @bottom-right {
    content: "__PAGE__ " counter(page) " __OF__ " counter(pages);
    font: 7.5pt "DejaVu Sans", sans-serif; color: #5b6470;
  }
}
@page :first {
  @top-left { content: none; }
  @top-right { content: none; }
  @bottom-left { content: none; }
}
html { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1b2a3a; line-height: 1.38; }
body { margin: 0; }
.sa-report { max-width: 180mm; margin: 0 auto; }
h1, h2, h3, h4 { font-weight: bold; color: #1f3550; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 0 0 3mm; padding-bottom: 1.5mm; border-bottom: 0.6pt solid #6585a8; }
h3 { font-size: 10.5pt; margin: 4mm 0 2mm; }
h4 { font-size: 9.5pt; margin: 3mm 0 1.5mm; }
p { margin: 0 0 2mm; orphans: 3; widows: 3; }
section.sa-major { break-before: page; page-break-before: always; }
section.sa-minor { margin-top: 9mm; }
section.sa-cover { break-after: page; page-break-after: always; }
.sa-lead { font-size: 10pt; }
.sa-muted { color: #5b6470; }
.sa-note { font-size: 8pt; color: #3d4a57; background: #f1f4f8; border-left: 2pt solid #6585a8;
  padding: 2mm 3mm; margin: 2mm 0 3mm; break-inside: avoid; }
table.sa-table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 3mm;
  font-size: 7.8pt; }
table.sa-table thead { display: table-header-group; }
table.sa-table th { text-align: left; background: #e3eaf2; color: #1f3550; font-weight: bold;
  border-bottom: 0.8pt solid #3d5f86; padding: 1.2mm 1.4mm; vertical-align: bottom; }
table.sa-table td { border-bottom: 0.4pt solid #d0d4d9; padding: 1mm 1.4mm; vertical-align: top;
  overflow-wrap: anywhere; word-wrap: break-word; hyphens: auto; }
table.sa-table tr { break-inside: avoid; page-break-inside: avoid; }
/* names and labels in the first column wrap between words, never «Оле-гович» */
table.sa-table td:first-child { hyphens: manual; }
table.sa-table td.num { text-align: right; white-space: nowrap; }
table.sa-table th.num { text-align: right; }
table.sa-table th { overflow-wrap: anywhere; hyphens: auto; }
table.sa-kv td.num { white-space: normal; }
table.sa-kv td.txt { text-align: left; }
table.sa-table tr.sa-more td { font-style: italic; color: #5b6470; border-bottom: none; }
table.sa-kv td:first-child { width: 45%; color: #3d4a57; }
/* a chart keeps its heading and intro line: all three sit inside one unsplittable figure */
figure.sa-chart { margin: 3mm 0 4mm; break-inside: avoid; page-break-inside: avoid; text-align: center; }
figure.sa-chart img { max-width: 100%; max-height: 150mm; width: auto; height: auto; }
figure.sa-chart figcaption { font-size: 9.5pt; font-weight: bold; color: #1f3550; text-align: left;
  margin: 0 0 1mm; }
figure.sa-chart p.sa-chart-intro { font-size: 8pt; color: #3d4a57; text-align: left; margin: 0 0 1.5mm; }
table.sa-actions td { font-size: 8pt; }
/* the glossary is short: kept whole and compact, so no page holds just its last rows */
table.sa-glossary { break-inside: avoid; page-break-inside: avoid; }
table.sa-glossary td { padding: 0.6mm 1.4mm; }
.sa-upside { font-size: 10pt; margin: 0 0 1.5mm; }
.sa-upside b { color: #1f3550; }
.sa-sev { display: inline-block; padding: 0.2mm 1.5mm; border: 0.6pt solid #1f3550; border-radius: 1mm;
  font-size: 7pt; white-space: nowrap; }
.sa-sev-critical { background: #1f3550; color: #fff; }
.sa-sev-high { background: #6585a8; color: #fff; }
.sa-sev-medium { background: #dbe5ef; }
.sa-sev-low { background: #fff; }
.sa-verdict-bad { font-weight: bold; }
.sa-finding { break-inside: avoid; page-break-inside: avoid; margin: 0 0 2.5mm; padding: 1.5mm 3mm;
  border: 0.5pt solid #b6c8dc; border-radius: 1mm; }
.sa-finding h4 { margin-top: 0; }
.sa-finding p { margin: 0 0 1mm; }
.sa-finding p:last-child { margin: 0; }
.sa-finding ul.sa-list { margin: 0 0 1mm; }
.sa-finding ul.sa-list li { margin-bottom: 0.3mm; }
.sa-kpis { display: flex; gap: 4mm; margin: 1mm 0 2mm; }
.sa-kpi { flex: 1; border: 0.6pt solid #b6c8dc; border-radius: 1.2mm; padding: 1.5mm 3mm; }
.sa-kpi .sa-kpi-value { font-size: 17pt; font-weight: bold; color: #1f3550; }
.sa-kpi .sa-kpi-label { font-size: 7.5pt; color: #5b6470; }
.sa-card { break-inside: avoid; page-break-inside: avoid; border: 0.6pt solid #b6c8dc;
  border-radius: 1.2mm; padding: 1.6mm 2.6mm; margin: 0 0 2.5mm; }
.sa-card h3 { margin: 0 0 1mm; }
.sa-card table.sa-kv { margin-bottom: 1mm; }
.sa-card table.sa-kv { font-size: 7.4pt; }
.sa-card table.sa-kv td { padding: 0.45mm 1.2mm; }
.sa-card table.sa-kv td:first-child { width: 64%; }
.sa-card p.sa-coach { font-size: 7.5pt; margin: 0; color: #1b2a3a; }
table.sa-cards { width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 0; }
table.sa-cards > tbody > tr { break-inside: avoid; page-break-inside: avoid; }
table.sa-cards > tbody > tr > td { width: 50%; vertical-align: top; padding: 0; }
table.sa-cards > tbody > tr > td:first-child { padding-right: 2.5mm; }
table.sa-cards > tbody > tr > td:last-child { padding-left: 2.5mm; }
.sa-cover { }
.sa-cover .sa-brand { display: flex; align-items: center; gap: 4mm; margin-bottom: 45mm; }
.sa-cover .sa-brand img { height: 16mm; width: auto; }
.sa-cover .sa-brand-name { font-size: 12pt; font-weight: bold; color: #1f3550; }
.sa-cover .sa-brand-tagline { font-size: 8pt; color: #5b6470; }
.sa-cover h1 { font-size: 24pt; }
.sa-cover .sa-subtitle { font-size: 11pt; color: #3d5f86; margin-bottom: 14mm; }
.sa-cover .sa-client { font-size: 16pt; font-weight: bold; margin-bottom: 6mm; }
.sa-cover .sa-confidential { display: inline-block; border: 1pt solid #1f3550; padding: 1mm 3mm;
  font-weight: bold; letter-spacing: 0.5pt; font-size: 8pt; margin-top: 10mm; }
.sa-cover .sa-contacts { margin-top: 70mm; font-size: 8pt;
  color: #3d4a57; border-top: 0.6pt solid #b6c8dc; padding-top: 2mm; }
nav.sa-toc ol { list-style: none; padding: 0; margin: 0; }
nav.sa-toc li { margin: 0 0 1.6mm; }
nav.sa-toc li.sa-toc-sub { padding-left: 6mm; font-size: 8.5pt; }
nav.sa-toc a { color: #1b2a3a; text-decoration: none; }
nav.sa-toc a::after { content: leader(".") target-counter(attr(href), page); }
a.anchor-link { display: none; }
p.sa-figref { font-size: 8pt; color: #3d4a57; font-style: italic; margin: 1mm 0 3mm; }
/* a reference line under a sub-heading stays with the table that follows it */
h3 + p.sa-figref { break-after: avoid; page-break-after: avoid; }
p.sa-figref a.sa-pageref { color: #3d4a57; text-decoration: none; }
p.sa-figref a.sa-pageref::after { content: target-counter(attr(href), page); }
ul.sa-basis { margin: 0; padding-left: 3.5mm; font-size: 7.3pt; }
ul.sa-basis li { margin: 0 0 0.6mm; }
ul.sa-list { margin: 0 0 2mm; padding-left: 5mm; }
ul.sa-list li { margin-bottom: 1mm; }
.sa-note ul.sa-list { margin: 0.5mm 0 0; }
.sa-assumptions { font-size: 7.5pt; padding: 1.5mm 2.5mm; margin: 1mm 0 0; }
.sa-note ul.sa-list li { margin-bottom: 0.3mm; }
@media screen {
  .sa-report { padding: 8mm; }
  section.sa-major { border-top: 1px solid #d0d4d9; margin-top: 10mm; padding-top: 6mm; }
  .sa-cover .sa-contacts { margin-top: 10mm; }
  .sa-cover .sa-brand { margin-bottom: 10mm; }
}
"""


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def report_css(lang: str = "ru", client: str = "") -> str:
    """The report's CSS: A4 pages, running header (client, report title), ``page x of y`` footer.

    The cover page has no header; tables repeat their header row and rows never split.
    """
    return (
        _BASE_CSS.replace("__CLIENT__", _css_string(client))
        .replace("__TITLE__", _css_string(t("report_title", lang)))
        .replace("__CONF__", _css_string(t("confidential", lang)))
        .replace("__PAGE__", _css_string(t("page", lang)))
        .replace("__OF__", _css_string(t("of", lang)))
    )
