"""Report layer: house-style charts, report sections (HTML), nbconvert template, HTML -> PDF.

Typical use (the report notebook does the same, one section per cell)::

    from salesaudit.report import build_report_html, html_to_pdf_bytes
    html = build_report_html(result, branding, lang="ru")
    pdf = html_to_pdf_bytes(html)

Names are imported on first use (see :mod:`salesaudit._lazy`): ``salesaudit.report.params`` or
``salesaudit.report.pdf`` alone does not load matplotlib and every chart module
(``salesaudit run`` checks notebook parameters before its audit).
"""

from __future__ import annotations

from salesaudit._lazy import lazy_exports

#: public name -> the submodule that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    # salesaudit.report._style
    "report_css": "_style",
    # salesaudit.report.i18n
    "LANGS": "i18n",
    "fmt_date": "i18n",
    "fmt_money": "i18n",
    "fmt_number": "i18n",
    "fmt_pct": "i18n",
    "fmt_score": "i18n",
    "fmt_share": "i18n",
    "fmt_value": "i18n",
    "t": "i18n",
    # salesaudit.report.charts
    "figure_to_svg": "charts",
    "house_style": "charts",
    "plot_active_clients": "charts",
    "plot_activity": "charts",
    "plot_area_scores": "charts",
    "plot_client_abc": "charts",
    "plot_delegation": "charts",
    "plot_forecast": "charts",
    "plot_forecast_backtest": "charts",
    "plot_plan_fact": "charts",
    "plot_refusal_mix": "charts",
    "plot_seasonality": "charts",
    "plot_suspicion": "charts",
    # salesaudit.report.docx
    "build_docx": "docx",
    "docx_bytes": "docx",
    # salesaudit.report.notebook
    "notebook_to_html": "notebook",
    # salesaudit.report.pdf
    "html_to_pdf": "pdf",
    "html_to_pdf_bytes": "pdf",
    "resolve_backend": "pdf",
    # salesaudit.report.sections
    "Html": "sections",
    "activity_per_manager": "sections",
    "appendix_glossary": "sections",
    "appendix_method": "sections",
    "appendix_quality": "sections",
    "area_chart_names": "sections",
    "areas_frame": "sections",
    "build_report_html": "sections",
    "client_name": "sections",
    "contents": "sections",
    "cover": "sections",
    "credibility_section": "sections",
    "current_period": "sections",
    "executive_summary": "sections",
    "express_checklist_table": "sections",
    "forecast_frame": "sections",
    "forecast_section": "sections",
    "html_document": "sections",
    "planning_section": "sections",
    "problem_section": "sections",
    "report_body": "sections",
    "roadmap": "sections",
    "roadmap_actions": "sections",
    "scorecards": "sections",
    "scorecards_frame": "sections",
    "section_ids": "sections",
    # salesaudit.report.tables
    "ReportTable": "tables",
    "report_tables": "tables",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
