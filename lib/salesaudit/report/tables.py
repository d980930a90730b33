"""The report's tables as data: what the Excel workbook of the report and the DOCX show.

:func:`report_tables` returns every table of the express-assessment report, in document order,
as :class:`ReportTable` ``(title, frame, formats)``: column headers in the report language,
cells as numbers, dates and text (not formatted strings), and per column the kind of number so
the writer can apply a Russian or English number format. The rows come from the same helpers
the HTML sections use (:mod:`salesaudit.report.sections`: ``areas_frame``,
``scorecards_frame``, ``forecast_frame``, ``current_period``, ``verification_order``, ...);
unlike the PDF, long tables are not cut. Percent values the report keeps in percent units
(``87.5``) are given as shares (``0.875``), so a spreadsheet shows them with its own percent
format. Pure: reads the result, writes nothing.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pandas as pd

from salesaudit.report import sections as S
from salesaudit.report.i18n import (
    GLOSSARY,
    PLAN_ASPECTS,
    STRINGS,
    area_label,
    check_lang,
    detail_text,
    level_name,
    pick,
    refusal_name,
    role_name,
    set_currency,
    severity_name,
    signal_names,
    t,
    verdict_name,
)
from salesaudit.scoring.result import SEVERITIES, AuditResult

__all__ = ["KINDS", "ReportTable", "report_tables", "unit_kind"]

#: number kinds a column can have; "text" for everything else
KINDS = ("money", "share", "int", "number", "number2", "score", "date", "month", "text")


class ReportTable(NamedTuple):
    """One table of the report: ``title`` (with its section), ``frame`` (headers in the report
    language) and ``formats``: header -> kind (:data:`KINDS`), or a list of kinds, one per row,
    for a column whose rows differ (indicator values)."""

    title: str
    frame: pd.DataFrame
    formats: dict[str, Any]


#: headers the report's strings do not have
_H = {
    "rank": {"ru": "№", "en": "#"},
    "unit": {"ru": "Единица", "en": "Unit"},
    "from": {"ru": "От", "en": "From"},
    "to": {"ru": "До", "en": "To"},
    "from_pct": {"ru": "От, %", "en": "From, %"},
    "to_pct": {"ru": "До, %", "en": "To, %"},
    "horizon_days": {"ru": "Срок, дней", "en": "Horizon, days"},
    "title": {"ru": "Проблема", "en": "Problem"},
    "parameter": {"ru": "Параметр", "en": "Parameter"},
    "detail": {"ru": "Подробности", "en": "Details"},
    "date_min": {"ru": "Данные с", "en": "Data from"},
    "date_max": {"ru": "Данные по", "en": "Data to"},
}


def _h(key: str, lang: str) -> str:
    return pick(_H[key], lang) if key in _H else t(key, lang)


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _share_of_pct(v: Any) -> float | None:
    f = _num(v)
    return None if f is None else f / 100.0


def _date(v: Any) -> Any:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    ts = pd.to_datetime(v, errors="coerce")
    return None if pd.isna(ts) else ts


def unit_kind(unit: str) -> str:
    """The number kind of an indicator unit (as :func:`~salesaudit.report.i18n.fmt_value`
    formats it)."""
    u = (unit or "").lower()
    if u in ("rub", "money", "₽"):
        return "money"
    if u in ("share", "ratio", "%", "pct", "percent"):
        return "share"
    if u in ("count", "int", "clients", "deals"):
        return "int"
    if u in ("score", "index"):
        return "score"
    return "number2"


def _unit_value(v: Any, unit: str) -> Any:
    if isinstance(v, str):
        return v
    f = _num(v)
    if f is None:
        return None
    return f / 100.0 if (unit or "").lower() in ("%", "pct", "percent") else f


def _frame(rows: list[list[Any]], headers: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers)


def _add(
    out: list[ReportTable], title: str, rows: list[list[Any]], spec: list[tuple[str, str]]
) -> None:
    """Append a table when it has rows; ``spec`` = (header, kind) per column."""
    if not rows:
        return
    headers = [h for h, _ in spec]
    out.append(ReportTable(title, _frame(rows, headers), {h: k for h, k in spec}))


def _summary(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    sec = t("executive_summary", lang)
    af = S.areas_frame(result, lang)
    _add(
        out,
        f"{sec}: {t('area_scores', lang)}",
        [
            [
                area_label(r.area, lang, r.title),
                _num(r.score),
                _num(r.confidence),
                _num(r.interview_score),
                _num(r.data_score),
            ]
            for r in af.itertuples()
        ],
        [
            (t("area", lang), "text"),
            (t("score", lang), "score"),
            (t("confidence", lang), "share"),
            (t("interview_score", lang), "score"),
            (t("data_score", lang), "score"),
        ],
    )
    findings = sorted(
        result.findings,
        key=lambda f: (
            f.rank or 10**6,
            SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
        ),
    )
    _add(
        out,
        f"{sec}: {t('findings', lang)}",
        [
            [
                i + 1,
                area_label(f.area, lang),
                severity_name(f.severity, lang),
                pick(f.title, lang),
                pick(f.recommendation, lang),
                role_name(f.owner_role, lang),
                f.horizon,
            ]
            for i, f in enumerate(findings)
        ],
        [
            (_h("rank", lang), "int"),
            (t("area", lang), "text"),
            (t("severity", lang), "text"),
            (t("finding", lang), "text"),
            (t("recommendation", lang), "text"),
            (t("owner_role", lang), "text"),
            (_h("horizon_days", lang), "int"),
        ],
    )
    up = result.upside or {}
    rows = []
    for key, label in (("revenue", "upside_revenue"), ("profit", "upside_profit")):
        money = S._range_of(up.get(key))
        pct = S._range_of(up.get(f"{key}_pct"))
        if money or pct:
            lo, hi = money or (math.nan, math.nan)
            plo, phi = pct or (math.nan, math.nan)
            rows.append(
                [t(label, lang), _num(lo), _num(hi), _share_of_pct(plo), _share_of_pct(phi)]
            )
    _add(
        out,
        f"{sec}: {t('upside', lang)}",
        rows,
        [
            (t("metric", lang), "text"),
            (_h("from", lang), "money"),
            (_h("to", lang), "money"),
            (_h("from_pct", lang), "share"),
            (_h("to_pct", lang), "share"),
        ],
    )


def _problems(result: AuditResult, lang: str, out: list[ReportTable], checklist: Any) -> None:
    texts = S.question_texts(result, checklist)
    rows = []
    for a in S.AREAS:
        for k, q in enumerate(S.area_question_ids(result, a, checklist), start=1):
            ans = result.answers.get(q)
            rows.append(
                [
                    S.question_number(a, k),
                    area_label(a, lang),
                    pick(texts.get(q), lang) or q,
                    S._answer_text(ans, lang),
                    S._note(ans) or None,
                ]
            )
    _add(
        out,
        t("checklist_part", lang),
        rows,
        [
            ("№", "text"),
            (t("area", lang), "text"),
            (t("question", lang), "text"),
            (t("answer", lang), "text"),
            (t("note", lang), "text"),
        ],
    )
    inds = sorted(result.indicators, key=lambda i: i.area)
    kinds = [unit_kind(i.unit) for i in inds]
    rows = [
        [
            area_label(i.area, lang),
            pick(i.label, lang),
            _unit_value(i.value, i.unit) if i.status == "ok" else None,
            verdict_name(i.verdict, lang),
            _num(i.score),
            S.reference_text(i, lang, with_source=False),
        ]
        for i in inds
    ]
    if rows:
        headers = [
            t("area", lang),
            t("indicator", lang),
            t("value", lang),
            t("verdict", lang),
            t("score", lang),
            t("reference", lang),
        ]
        formats = dict(zip(headers, ["text", "text", kinds, "text", "score", "text"], strict=True))
        out.append(ReportTable(t("indicators", lang), _frame(rows, headers), formats))


def _planning(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    sec = t("planning", lang)
    ps = result.table("plan_structure")
    if not ps.empty and "aspect" in ps.columns:
        _add(
            out,
            f"{sec}: {t('plan_structure', lang)}",
            [
                [
                    pick(PLAN_ASPECTS.get(str(r["aspect"]), str(r["aspect"])), lang),
                    t("yes", lang) if bool(r.get("present")) else t("no", lang),
                    detail_text(r.get("detail"), lang) or None,
                ]
                for _, r in ps.iterrows()
            ],
            [
                (t("metric", lang), "text"),
                (t("value", lang), "text"),
                (_h("detail", lang), "text"),
            ],
        )
    pf = result.table("plan_fact")
    if pf.empty or not {"plan", "fact"} <= set(pf.columns):
        return
    per = S.col(pf, "period", "month")
    last = S.current_period(result, pf)
    cur = pf.loc[pf[per].astype(str).eq(last)] if per and last is not None else pf
    m = S._manager_col(cur)
    rows = []
    for _, r in cur.iterrows():
        total = bool(r.get("is_total")) if "is_total" in cur.columns else False
        name = t("total", lang) if total or S._is_missing(r.get(m)) else r.get(m)
        rows.append(
            [
                name,
                _num(r.get("plan")),
                _num(r.get("fact")),
                _num(r.get("deviation")),
                _share_of_pct(r.get("pct_done")),
                _num(r.get("forecast")),
                _num(r.get("required_daily")),
            ]
        )
    period = f" · {S._period_text(last, lang)}" if per and last is not None else ""
    _add(
        out,
        f"{sec}: {t('plan_fact', lang)}{period}",
        rows,
        [
            (t("manager", lang), "text"),
            (t("plan", lang), "money"),
            (t("fact", lang), "money"),
            (t("deviation", lang), "money"),
            (t("pct_done", lang), "share"),
            (t("month_forecast", lang), "money"),
            (t("run_rate", lang), "money"),
        ],
    )


def _sales_force(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    sc = S.scorecards_frame(result)
    _add(
        out,
        t("scorecards", lang),
        [
            [
                r.manager,
                _num(r.revenue),
                _share_of_pct(r.pct_plan),
                _num(r.meetings_per_day),
                _num(r.conversion),
                _num(r.avg_deal),
                None if S._is_missing(r.dominant_reason) else refusal_name(r.dominant_reason, lang),
                S.coaching_text(result, r.manager, r.dominant_reason, lang) or None,
                _num(r.suspicion),
                None if S._is_missing(r.suspicion_level) else level_name(r.suspicion_level, lang),
            ]
            for r in sc.itertuples()
        ],
        [
            (t("manager", lang), "text"),
            (t("revenue", lang), "money"),
            (t("pct_done", lang), "share"),
            (t("meetings_per_day", lang), "number2"),
            (t("conversion", lang), "share"),
            (t("avg_deal", lang), "money"),
            (t("dominant_refusal", lang), "text"),
            (t("coaching", lang), "text"),
            (t("suspicion", lang), "int"),
            (t("level", lang), "text"),
        ],
    )
    lf = result.table("lead_funnel")
    if result.analyses.get("lead_funnel", {}).get("status") == "ok" and not lf.empty:
        names = {"total": t("total", lang), "unspecified": t("lead_source_none", lang)}
        _add(
            out,
            t("lead_funnel", lang),
            [
                [
                    names.get(str(r["key"]), str(r["key"])),
                    _num(r["leads"]),
                    _num(r["lead_to_deal"]),
                    _num(r["won"]),
                    _num(r["deal_to_won"]),
                    _num(r["lead_to_won"]),
                    _num(r["revenue"]),
                ]
                for r in lf.to_dict("records")
            ],
            [
                (t("lead_source", lang), "text"),
                (t("leads_count", lang), "int"),
                (t("lead_to_deal", lang), "share"),
                (t("leads_won", lang), "int"),
                (t("deal_to_won", lang), "share"),
                (t("lead_to_won", lang), "share"),
                (t("revenue", lang), "money"),
            ],
        )
    sec = t("forecast", lang)
    df = S.forecast_frame(result)
    m = S._manager_col(df) if not df.empty else None
    if m:
        spec = [
            (S.col(df, "meetings_per_day"), "meetings_per_day", "number2"),
            (S.col(df, "effective_share", "win_rate", "conversion"), "effective_share", "share"),
            (S.col(df, "avg_deal", "average_deal"), "avg_deal", "money"),
            (S.col(df, "working_days", "wd_total"), "working_days", "int"),
            (S.col(df, "forecast", "forecast_month"), "forecast_value", "money"),
            (S.col(df, "plan", "plan_month"), "plan", "money"),
        ]
        spec = [s for s in spec if s[0]]
        _add(
            out,
            f"{sec}: {t('forecast_inputs', lang)}",
            [[r[m]] + [_num(r[c]) for c, _, _ in spec] for _, r in df.iterrows()],
            [(t("manager", lang), "text")] + [(t(k, lang), kind) for _, k, kind in spec],
        )
    bt = S._team_or_sum(result.table("forecast_backtest"))
    per = S.col(bt, "period", "month")
    fc, act = S.col(bt, "forecast"), S.col(bt, "actual", "fact")
    if not bt.empty and per and fc and act:
        g = bt.groupby(per, sort=True)[[fc, act]].sum(min_count=1).reset_index()
        _add(
            out,
            f"{sec}: {t('backtest', lang)}",
            [[_date(r[per]), _num(r[fc]), _num(r[act])] for _, r in g.iterrows()],
            [
                (t("period", lang), "month"),
                (t("forecast_value", lang), "money"),
                (t("actual", lang), "money"),
            ],
        )


def _credibility(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    sec = t("credibility", lang)
    cr = S._not_total(result.table("credibility"))
    m = S._manager_col(cr) if not cr.empty else None
    score = S.col(cr, "score", "suspicion_score", "suspicion") if m else None
    if score:
        lvl = S.col(cr, "level", "suspicion_level")
        reasons = S.col(cr, "reasons", "reason", "flags")
        _add(
            out,
            f"{sec}: {t('suspicion_table', lang)}",
            [
                [
                    r[m],
                    _num(r[score]),
                    level_name(r[lvl], lang) if lvl else None,
                    (signal_names(r[reasons], lang) or None) if reasons else None,
                ]
                for _, r in cr.iterrows()
            ],
            [
                (t("manager", lang), "text"),
                (t("suspicion", lang), "int"),
                (t("level", lang), "text"),
                (t("reasons", lang), "text"),
            ],
        )
    vs = result.table("verification_sample")
    show = [
        c
        for c in ("manager_name", "client_name", "occurred_at", "suspicion_level")
        if c in vs.columns
    ]
    if not vs.empty and show:
        vs = S.verification_order(vs)
        kinds = {"occurred_at": "date"}
        rows = []
        for _, r in vs.iterrows():
            row = []
            for c in show:
                if c == "occurred_at":
                    d = _date(r[c])
                    row.append(None if d is None else d.normalize())
                elif c == "suspicion_level":
                    row.append(level_name(r[c], lang))
                else:
                    row.append(None if S._is_missing(r[c]) else r[c])
            rows.append(row)
        _add(
            out,
            f"{sec}: {t('verification_sample', lang)}",
            rows,
            [(S._header(c, lang), kinds.get(c, "text")) for c in show],
        )


def _checklist_and_roadmap(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    rows = []
    for it in result.express_checklist:
        text = pick(it.get("title") or it.get("question") or it.get("text") or it.get("id"), lang)
        status = it.get("status", it.get("answer", it.get("verdict")))
        basis = "\n".join(S._basis_text(b, lang) for b in it.get("basis") or [])
        rows.append([text, S.status_name(status, lang), _num(it.get("score")), basis or None])
    _add(
        out,
        t("express_checklist", lang),
        rows,
        [
            (t("express_item", lang), "text"),
            (t("status", lang), "text"),
            (t("score", lang), "score"),
            (t("basis", lang), "text"),
        ],
    )
    rows = []
    for h in (30, 60, 90):
        for r in S.roadmap_actions(result):
            if int(r.get("horizon") or 0) != h:
                continue
            action = pick(r.get("action") or r.get("recommendation") or r.get("title"), lang)
            title = pick(r.get("title"), lang) if r.get("action") else ""
            rows.append(
                [
                    h,
                    action,
                    title if title and title != action else None,
                    area_label(r["area"], lang) if r.get("area") else None,
                    role_name(str(r.get("owner_role", "")), lang),
                ]
            )
    _add(
        out,
        t("roadmap", lang),
        rows,
        [
            (_h("horizon_days", lang), "int"),
            (t("action", lang), "text"),
            (_h("title", lang), "text"),
            (t("area", lang), "text"),
            (t("owner_role", lang), "text"),
        ],
    )


def _appendices(result: AuditResult, lang: str, out: list[ReportTable]) -> None:
    sec = t("appendix_quality", lang)
    q = result.quality or {}
    tables = S._frame(q.get("tables"))
    if tables is not None and not tables.empty:
        cols = [(c, k) for c, k in S._QUALITY_TABLE_COLS if c in tables.columns]
        names = "files" in tables.columns and not pd.api.types.is_numeric_dtype(tables["files"])
        spec = [
            (
                t("q_file_names" if (c == "files" and names) else k, lang),
                "text" if c == "table" or (c == "files" and names) else "int",
            )
            for c, k in cols
        ]
        dates = [c for c in ("date_min", "date_max") if c in tables.columns]
        spec += [(_h(c, lang), "date") for c in dates]
        rows = []
        for _, r in tables.iterrows():
            row = [
                S.table_name(r[c], lang)
                if c == "table"
                else (S._cell(r[c], lang) or None)
                if c == "files" and names
                else _num(r[c])
                for c, _ in cols
            ]
            row += [_date(r[c]) for c in dates]
            rows.append(row)
        _add(out, f"{sec}: {t('q_tables', lang)}", rows, spec)
    summary = S._frame(q.get("summary"))
    if summary is not None and not summary.empty and "kind" in summary.columns:
        _add(
            out,
            f"{sec}: {t('q_issues', lang)}",
            [
                [
                    t(f"q_sev_{r['severity']}", lang)
                    if f"q_sev_{r['severity']}" in STRINGS
                    else r["severity"],
                    S._issue_kind(r["kind"], lang),
                    _num(r.get("count")),
                    _num(r.get("files")),
                ]
                for _, r in summary.iterrows()
            ],
            [
                (t("q_severity", lang), "text"),
                (t("q_kind", lang), "text"),
                (t("q_count", lang), "int"),
                (t("q_files", lang), "int"),
            ],
        )
    sec = t("appendix_method", lang)
    _add(
        out,
        f"{sec}: {t('thresholds', lang)}",
        [
            [pick(i.label, lang), area_label(i.area, lang), S.reference_text(i, lang)]
            for i in result.indicators
        ],
        [(t("indicator", lang), "text"), (t("area", lang), "text"), (t("reference", lang), "text")],
    )
    params = result.meta.get("parameters") or {}
    _add(
        out,
        f"{sec}: {t('parameters', lang)}",
        [
            [
                str(k),
                v if isinstance(v, (int, float)) and not isinstance(v, bool) else S._cell(v, lang),
            ]
            for k, v in sorted(params.items())
        ],
        [(_h("parameter", lang), "text"), (t("value", lang), "number")],
    )
    if lang == "ru":
        rows = [[ru, mru] for ru, _en, mru, _men in GLOSSARY]
    else:  # as the PDF: English throughout, no Russian terms in brackets
        rows = [[en, men] for _ru, en, _mru, men in GLOSSARY]
    _add(
        out,
        t("appendix_glossary", lang),
        rows,
        [(t("term", lang), "text"), (t("meaning", lang), "text")],
    )


def report_tables(
    result: AuditResult, lang: str = "ru", *, checklist: Any = None
) -> list[ReportTable]:
    """Every table of the report, in document order (tables without rows are left out).

    Executive summary (area scores, findings, upside), the interview answers of the seven
    problems, the indicators, planning (plan structure, plan/fact of the current period),
    scorecards, forecast (inputs, backtest), credibility (suspicion, verification sample),
    express checklist, roadmap, data quality, method (thresholds, parameters) and glossary.
    ``checklist`` as in :func:`~salesaudit.report.sections.problem_section`.
    """
    check_lang(lang)
    set_currency(result.currency)  # money cells and headers in the result's currency
    out: list[ReportTable] = []
    _summary(result, lang, out)
    _problems(result, lang, out, checklist)
    _planning(result, lang, out)
    _sales_force(result, lang, out)
    _credibility(result, lang, out)
    _checklist_and_roadmap(result, lang, out)
    _appendices(result, lang, out)
    return out
