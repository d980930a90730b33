"""Report sections as HTML fragments built from an :class:`~salesaudit.scoring.result.AuditResult`.

Each function returns an :class:`Html` (a ``str`` with ``_repr_html_``), so a notebook simply
``display()``s it and :func:`build_report_html` concatenates them into the whole document. Every
number shown is read from the result (area scores, indicators, analysis tables), formatted by
:mod:`salesaudit.report.i18n`; long tables are cut at :data:`MAX_ROWS` rows with an
"… and N more" line. Nothing here reads or writes files.
"""

from __future__ import annotations

import base64
import functools
import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from salesaudit.errors import SalesAuditError
from salesaudit.io.checklist_files import read_checklist_dir
from salesaudit.model.quality import KINDS
from salesaudit.report import charts
from salesaudit.report._style import report_css
from salesaudit.report.i18n import (
    GLOSSARY,
    MATURITY_NAMES,
    NBSP,
    PLAN_ASPECTS,
    STRINGS,
    area_title,
    check_lang,
    detail_text,
    fmt_date,
    fmt_money,
    fmt_money_approx,
    fmt_month,
    fmt_number,
    fmt_pct,
    fmt_score,
    fmt_share,
    fmt_value,
    insufficient_text,
    level_name,
    pick,
    reason_text,
    refusal_name,
    role_name,
    set_currency,
    severity_name,
    signal_names,
    source_text,
    t,
    verdict_name,
)
from salesaudit.scoring.checklist import build_checklist
from salesaudit.scoring.result import SEVERITIES, AuditResult

#: longest table shown in full; longer ones end with "… and N more"
MAX_ROWS = 15
AREAS = ("p1", "p2", "p3", "p4", "p5", "p6", "p7")
#: findings shown in the executive summary
TOP_FINDINGS = 5


class Html(str):
    """An HTML fragment: a ``str`` that Jupyter renders as HTML (``display(fragment)``)."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # keeps notebooks' text/plain output short
        return f"<Html fragment: {len(self)} characters>"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython's plain-text display
        p.text(repr(self))

    def __add__(self, other: str) -> Html:  # keep the type when concatenating
        return Html(str(self) + str(other))


def esc(value: Any) -> str:
    """HTML-escape any value as text (``None`` -> empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def col(df: pd.DataFrame, *candidates: str) -> str | None:
    """The first of ``candidates`` that is a column of ``df`` (analysis tables vary in naming)."""
    for c in candidates:
        if c in df.columns:
            return c
    return None


# --- building blocks --------------------------------------------------------------------------
def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    lang: str = "ru",
    numeric: Sequence[int] = (),
    max_rows: int = MAX_ROWS,
    widths: Sequence[str] | None = None,
    css_class: str = "sa-table",
) -> Html:
    """A full-width table; cells are escaped text (wrap a cell in :class:`Html` to keep markup).

    At most ``max_rows`` rows are shown, then one row "… and N more". ``numeric`` column indexes
    are right-aligned.
    """
    rows = list(rows)
    shown, hidden = rows[:max_rows], max(0, len(rows) - max_rows)

    def cell(i: int, v: Any, tag: str) -> str:
        cls = ' class="num"' if i in numeric else ""
        text = str(v) if isinstance(v, Html) else esc(v)
        return f"<{tag}{cls}>{text}</{tag}>"

    parts = [f'<table class="{css_class}">']
    if widths:
        parts.append(
            "<colgroup>" + "".join(f'<col style="width:{w}">' for w in widths) + "</colgroup>"
        )
    parts.append(
        "<thead><tr>"
        + "".join(cell(i, h, "th") for i, h in enumerate(headers))
        + "</tr></thead><tbody>"
    )
    for r in shown:
        parts.append("<tr>" + "".join(cell(i, v, "td") for i, v in enumerate(r)) + "</tr>")
    if hidden:
        parts.append(
            f'<tr class="sa-more"><td colspan="{len(headers)}">{esc(t("and_more", lang, n=hidden))}</td></tr>'
        )
    parts.append("</tbody></table>")
    return Html("".join(parts))


def kv_table(pairs: Iterable[tuple[str, Any]]) -> Html:
    """A two-column "label: value" table; short values (numbers) are right-aligned, long texts
    read left to right."""
    body = "".join(
        f"<tr><td>{esc(k)}</td><td class='{'num' if len(str(v)) <= 32 else 'txt'}'>{esc(v)}</td></tr>"
        for k, v in pairs
    )
    return Html(f'<table class="sa-table sa-kv"><tbody>{body}</tbody></table>')


def chart(
    ax: Any, caption: str = "", *, anchor: str | None = None, intro: str | None = None
) -> Html:
    """A chart (Axes or Figure) as a vector SVG ``<img>`` inside a ``<figure>``; closes nothing global.

    The figure holds, in this order, its heading (``caption``, a ``<figcaption>``), one line of
    introduction and the image, and is never split across pages, so heading, intro and chart
    always share a page. ``anchor`` gives the figure the id ``fig-<anchor>`` so other sections
    can link to it (and cite its page); ``intro`` defaults to the report string
    ``chart_intro_<anchor>`` when there is one (language taken from ``lang`` of the caller via
    :func:`chart_intro`).
    """
    fig = ax if hasattr(ax, "savefig") else ax.figure
    from salesaudit.report._figsink import emit

    # the DOCX builder takes each chart as PNG (a numbered placeholder here); else the SVG
    svg = emit(fig) or charts.figure_to_svg(fig)
    b64 = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    lead = f'<p class="sa-chart-intro">{esc(intro)}</p>' if intro else ""
    fid = f' id="fig-{esc(anchor)}"' if anchor else ""
    return Html(
        f'<figure{fid} class="sa-chart">{cap}{lead}<img src="data:image/svg+xml;base64,{b64}" alt="{esc(caption)}"></figure>'
    )


def chart_intro(name: str, lang: str = "ru") -> str:
    """One line telling the reader what chart ``name`` shows and how to read it ("" if none)."""
    key = f"chart_intro_{name}"
    return t(key, lang) if key in STRINGS else ""


def _section(sid: str, title: str, body: str, *, major: bool = True, level: int = 2) -> Html:
    """A report section; ``major`` ones start a new page in print, the others follow on."""
    cls = "sa-major" if major else "sa-minor"
    return Html(
        f'<section id="{esc(sid)}" class="{cls}"><h{level}>{esc(title)}</h{level}>{body}</section>'
    )


def _p(text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{esc(text)}</p>"


def _insufficient(result: AuditResult, analysis: str, lang: str) -> str:
    """Why an analysis gives no table or chart, in the report language: «Недостаточно данных для
    расчёта — нужны данные: Продажи.», or the bare sentence when the analysis' message (written
    in English for the developer) has no known phrasing."""
    a = result.analyses.get(analysis, {})
    msg = insufficient_text(a.get("message"), lang)
    return _p(f"{t('insufficient', lang)}{' — ' + msg if msg else ''}.", "sa-muted")


def _team_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The team / department total rows of an analysis table (empty when it has none)."""
    mask = pd.Series(False, index=df.index)
    if "is_total" in df.columns:
        mask |= df["is_total"].fillna(False).astype(bool)
    if "manager_id" in df.columns:
        mask |= df["manager_id"].astype(str).isin(["team", "total"])
    return df.loc[mask]


def _team_or_sum(df: pd.DataFrame) -> pd.DataFrame:
    """Team rows when the table has them, else the individual rows (charts then sum them)."""
    team = _team_rows(df) if not df.empty else df
    return team if not team.empty else df


def _manager_col(df: pd.DataFrame) -> str | None:
    return col(df, "manager_name", "manager", "name", "manager_id")


def _not_total(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of individual managers (drops department / team total rows)."""
    out = df
    if "is_total" in out.columns:
        out = out.loc[~out["is_total"].fillna(False).astype(bool)]
    if "manager_id" in out.columns:
        out = out.loc[
            out["manager_id"].notna() & ~out["manager_id"].astype(str).isin(["team", "total"])
        ]
    return out


def _f(v: Any) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


# --- cover, contents ----------------------------------------------------------------------------
def cover(result: AuditResult, branding: dict[str, Any], lang: str = "ru") -> Html:
    """Cover page: report title, client, assessment date, consultant, "Confidential", and the
    consulting firm's logo, name, tagline and contacts from ``branding``."""
    check_lang(lang)
    meta = result.meta
    logo = branding.get("logo_data_uri") or ""
    logo_html = f'<img src="{esc(logo)}" alt="{esc(branding.get("name", ""))}">' if logo else ""
    contacts = " · ".join(esc(branding[k]) for k in ("phone", "email", "site") if branding.get(k))
    rows = [
        (t("as_of", lang), fmt_date(meta.get("as_of"), lang)),
        (t("consultant", lang), meta.get("consultant") or branding.get("consultant") or "—"),
        (t("prepared_by", lang), branding.get("name") or "—"),
    ]
    info = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>" for k, v in rows)
    return Html(
        '<section id="cover" class="sa-cover">'
        f'<div class="sa-brand">{logo_html}<div><div class="sa-brand-name">{esc(branding.get("name", ""))}</div>'
        f'<div class="sa-brand-tagline">{esc(pick(branding.get("tagline", ""), lang))}</div></div></div>'
        f"<h1>{esc(t('report_title', lang))}</h1>"
        f'<div class="sa-subtitle">{esc(t("report_subtitle", lang))}</div>'
        f'<div class="sa-client">{esc(client_name(result))}</div>'
        f'<table class="sa-table sa-kv" style="width:60%"><tbody>{info}</tbody></table>'
        f'<div class="sa-confidential">{esc(t("confidential", lang))}</div>'
        f'<div class="sa-contacts">{esc(branding.get("name", ""))}{" · " if contacts else ""}{contacts}</div>'
        "</section>"
    )


def client_name(result: AuditResult) -> str:
    """The client's display name from the result's meta (``client`` or ``client_name``)."""
    return result.client_label("ru")


def section_ids(lang: str = "ru") -> list[tuple[str, str, bool]]:
    """The document's sections in order: ``(anchor id, title, is_sub)``."""
    items: list[tuple[str, str, bool]] = [
        ("summary", t("executive_summary", lang), False),
    ]
    for a in AREAS:
        items.append((f"area-{a}", f"{t('problem', lang)} {a[1]}. {area_title(a, lang)}", True))
    items += [
        ("planning", t("planning", lang), False),
        ("scorecards", t("scorecards", lang), False),
        ("forecast", t("forecast", lang), False),
        ("credibility", t("credibility", lang), False),
        ("express", t("express_checklist", lang), False),
        ("roadmap", t("roadmap", lang), False),
        ("appendix-quality", t("appendix_quality", lang), False),
        ("appendix-method", t("appendix_method", lang), False),
        ("appendix-glossary", t("appendix_glossary", lang), False),
    ]
    return items


def contents(lang: str = "ru", result: AuditResult | None = None) -> Html:
    """Table of contents; WeasyPrint fills page numbers via ``target-counter(attr(href), page)``.

    With ``result`` the problem entries use the result's own area titles.
    """
    check_lang(lang)
    titles = {}
    if result is not None:
        titles = {
            a.area: f"{t('problem', lang)} {a.area[1]}. {area_title(a.area, lang, a.title)}"
            for a in result.areas
        }
    lis = []
    for sid, title, sub in section_ids(lang):
        title = titles.get(sid.removeprefix("area-"), title) if sid.startswith("area-") else title
        cls = ' class="sa-toc-sub"' if sub else ""
        lis.append(f'<li{cls}><a href="#{esc(sid)}">{esc(title)}</a></li>')
    return Html(
        f'<section id="contents" class="sa-major"><h2>{esc(t("contents", lang))}</h2>'
        f'<nav class="sa-toc"><ol>{"".join(lis)}</ol></nav></section>'
    )


# --- executive summary --------------------------------------------------------------------------
def areas_frame(result: AuditResult, lang: str = "ru") -> pd.DataFrame:
    """The seven areas as a frame: ``area, title, score, confidence, interview_score, data_score,
    answered, questions`` (titles in ``lang``), in p1..p7 order."""
    rows = [
        {
            "area": a.area,
            "title": area_title(a.area, lang, a.title),
            "score": a.score,
            "confidence": a.confidence,
            "interview_score": a.interview_score,
            "data_score": a.data_score,
            "answered": a.answered,
            "questions": a.questions,
        }
        for a in sorted(result.areas, key=lambda a: a.area)
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "area",
            "title",
            "score",
            "confidence",
            "interview_score",
            "data_score",
            "answered",
            "questions",
        ],
    )


def maturity_text(result: AuditResult, lang: str = "ru") -> str:
    """ "Level 2 of 5: isolated tools" from the result's maturity."""
    level = result.maturity.get("level")
    if level is None:
        return "—"
    name = pick(result.maturity.get("name"), lang) or pick(MATURITY_NAMES.get(int(level), ""), lang)
    return t("maturity_phrase", lang, level=int(level), name=name)


def _range_of(obj: Any) -> tuple[float, float] | None:
    if isinstance(obj, dict):
        lo = obj.get("low", obj.get("min", obj.get("from")))
        hi = obj.get("high", obj.get("max", obj.get("to")))
        if lo is not None or hi is not None:
            return _f(lo), _f(hi)
    if isinstance(obj, (list, tuple)) and len(obj) == 2:
        return _f(obj[0]), _f(obj[1])
    return None


def _fmt_range(r: tuple[float, float], lang: str, unit: str) -> str:
    fmt = fmt_money if unit == "rub" else (lambda v, lg: fmt_pct(v, lg, 0))
    lo, hi = r
    if math.isnan(lo):
        return fmt(hi, lang)
    if math.isnan(hi) or lo == hi:
        return fmt(lo, lang)
    return f"{fmt(lo, lang)} – {fmt(hi, lang)}"


def upside_rows(result: AuditResult, lang: str = "ru") -> list[tuple[str, str]]:
    """The upside ranges as ``(label, formatted range)`` rows.

    Reads ``upside["revenue"|"profit"]`` (money ranges ``{"low","high"}``) and
    ``upside["revenue_pct"|"profit_pct"]`` (percent ranges).
    """
    out = []
    up = result.upside or {}
    for key, label in (("revenue", "upside_revenue"), ("profit", "upside_profit")):
        money = _range_of(up.get(key))
        pct = _range_of(up.get(f"{key}_pct"))
        parts = []
        if money:
            parts.append(_fmt_range(money, lang, "rub"))
        if pct:
            parts.append(_fmt_range(pct, lang, "pct"))
        if parts:
            out.append((t(label, lang), " / ".join(parts)))
    return out


def executive_summary(result: AuditResult, lang: str = "ru") -> Html:
    """Overall index, maturity level, the seven problems (chart), the three first actions with
    their expected effect and target, and the upside: rounded ranges, profit = revenue upside ×
    the stated gross margin, and the assumptions."""
    check_lang(lang)
    kpis = (
        '<div class="sa-kpis">'
        f'<div class="sa-kpi"><div class="sa-kpi-value">{esc(fmt_score(result.overall_index, lang))}</div>'
        f'<div class="sa-kpi-label">{esc(t("overall_index", lang))} (0–100)</div></div>'
        f'<div class="sa-kpi"><div class="sa-kpi-value">{esc(result.maturity.get("level") or "—")}/5</div>'
        f'<div class="sa-kpi-label">{esc(maturity_text(result, lang))}</div></div>'
        "</div>"
    )
    af = areas_frame(result, lang)
    body = [kpis]
    why = (result.assessment or {}).get("reason")
    if why:  # too few areas assessed: no index, no maturity level, and the summary says why
        body.append(f'<div class="sa-note sa-not-assessed">{esc(pick(why, lang))}</div>')
    n_blocking = len((result.quality or {}).get("blocking") or [])
    if n_blocking:  # built on data validate refuses (--accept-incomplete): said up front
        body.append(
            f'<p class="sa-note sa-not-assessed sa-figref">'
            f"{esc(t('incomplete_note', lang, n=n_blocking))} "
            f'<a class="sa-pageref" href="#appendix-quality">{esc(t("page", lang))} </a>).</p>'
        )
    if result.verdicts:
        # one table: each problem's score, verdict and who-and-how-much (it takes the place of
        # the scores chart, so the summary stays on one page)
        body.append(f"<h3>{esc(t('problem_verdicts', lang))}</h3>")
        body.append(verdicts_table(result, lang))
    elif not af.empty:
        # the chart names each problem and shows its score and confidence; the interview /
        # data parts are in each problem's section
        body.append(f"<h3>{esc(t('area_scores', lang))}</h3>")
        body.append(chart(charts.plot_area_scores(af, lang=lang)))
    actions = top_actions(result)
    if actions:
        body.append(f"<h3>{esc(t('top_actions', lang))}</h3>")
        body.append(
            table(
                ["#", t("action", lang), t("expected_effect", lang), t("target", lang)],
                [
                    (
                        i + 1,
                        Html(
                            f"<b>{esc(pick(f.recommendation, lang))}</b><br>"
                            f"<span class='sa-muted'>{esc(t('problem_short', lang))} "
                            f"{esc(f.area[1:])}: {esc(pick(f.title, lang))}</span>"
                        ),
                        pick(f.effect, lang) if f.effect else "—",
                        target_text(result, f.target, f.horizon, lang),
                    )
                    for i, f in enumerate(actions)
                ],
                lang=lang,
                widths=("4%", "40%", "30%", "26%"),
                css_class="sa-table sa-actions",
            )
        )
    lines = upside_lines(result, lang)
    if lines:
        body.append(f"<h3>{esc(t('upside', lang))}</h3>")
        body.extend(f'<p class="sa-upside">{line}</p>' for line in lines)
        # assumptions explain a figure: none without one
        has_figure = _range_of((result.upside or {}).get("revenue")) is not None
        notes = upside_assumptions(result, lang) if has_figure else []
        if notes:
            # one compact paragraph, so the summary stays on one page
            items = " ".join(f"{i}) {esc(a)}" for i, a in enumerate(notes, 1))
            body.append(
                f'<div class="sa-note sa-assumptions"><b>{esc(t("assumptions", lang))}:</b> '
                f"{items}</div>"
            )
    return _section("summary", t("executive_summary", lang), "".join(body))


def verdict_of_area(result: AuditResult, area: str) -> dict[str, Any] | None:
    """The verdict on one problem (``result.verdicts``), None in a result without verdicts."""
    return next((v for v in result.verdicts or [] if v.get("area") == area), None)


def verdict_html(v: Mapping[str, Any], lang: str = "ru") -> Html:
    """«Вердикт: подтверждена. <sentence>» for the top of a problem section."""
    code = esc(v.get("code", ""))
    return Html(
        f'<p class="sa-verdict sa-verdict-{code}"><b>{esc(t("verdict", lang))}: '
        f"{esc(pick(v.get('label'), lang))}.</b> {esc(pick(v.get('sentence'), lang))}</p>"
    )


def verdicts_table(result: AuditResult, lang: str = "ru") -> Html:
    """The seven problems, each with its score (0–100; «—» when not assessed: the verdict
    column then says «не оценено»), verdict and the sentence naming who and how much."""
    areas = {a.area: a for a in result.areas}

    def score(area: str) -> str:
        a = areas.get(area)
        if a is None or not getattr(a, "assessed", True) or a.score is None:
            return "—"
        return fmt_score(a.score, lang)

    rows = [
        (
            f"{v['area'][1:]}. {area_title(v['area'], lang)}",
            score(v["area"]),
            Html(f"<b>{esc(pick(v.get('label'), lang))}</b>"),
            pick(v.get("sentence"), lang),
        )
        for v in sorted(result.verdicts, key=lambda v: v.get("area", ""))
    ]
    return table(
        [t("problem", lang), t("score", lang), t("verdict", lang), ""],
        rows,
        lang=lang,
        numeric=(1,),
        widths=("25%", "9%", "18%", "48%"),
        css_class="sa-table sa-verdicts",
    )


#: actions in the executive summary
TOP_ACTIONS = 3


def top_actions(result: AuditResult, n: int = TOP_ACTIONS) -> list[Any]:
    """The ``n`` findings whose recommendations come first: by rank, then severity."""
    return sorted(
        result.findings,
        key=lambda f: (
            f.rank or 10**6,
            SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9,
        ),
    )[:n]


def due_date(result: AuditResult, horizon: Any) -> Any:
    """The assessment date plus ``horizon`` days (``None`` without a date or horizon)."""
    as_of = result.meta.get("as_of")
    try:
        due = pd.Timestamp(as_of) + pd.Timedelta(days=int(horizon))
    except (TypeError, ValueError):
        return None
    return None if pd.isna(due) else due


def target_text(result: AuditResult, target: Any, horizon: Any, lang: str = "ru") -> str:
    """A finding's measurable target: metric, value and date, e.g. "Доля просроченных дел за
    последние 3 месяца ≤ 2,0 % к 20.12.2026 (сейчас 0,5 %)". The comparison follows the
    indicator's reference (``≤`` when good is below bad, else ``≥``); the date is the assessment
    date plus the horizon. ``—`` when the rule sets no target."""
    if not isinstance(target, Mapping):
        return "—"
    due = due_date(result, horizon)
    now = ""
    if target.get("text"):
        what = pick(target["text"], lang)
    else:
        ind = next((i for i in result.indicators if i.id == target.get("indicator")), None)
        if ind is None:
            return "—"
        ref = ind.reference or {}
        good, bad = _f(ref.get("good")), _f(ref.get("bad"))
        value = fmt_value(target.get("value"), ind.unit, lang)
        if math.isnan(good) or math.isnan(bad) or good == bad:
            what = f"{pick(ind.label, lang)}: {value}"  # no reference, no direction
        else:
            what = f"{pick(ind.label, lang)}{NBSP}{'≤' if good < bad else '≥'}{NBSP}{value}"
        if ind.status == "ok" and not _is_missing(ind.value):
            now = f" ({t('now_value', lang, v=fmt_value(ind.value, ind.unit, lang))})"
    if due is None:
        return what + now
    return t("target_by", lang, what=what, date=fmt_date(due, lang)) + now


def upside_lines(result: AuditResult, lang: str = "ru") -> list[Html]:
    """The upside as one or two sentences with rounded ranges (no false precision): revenue a
    year (and its share of annual revenue) and gross profit = revenue upside × the stated gross
    margin, naming the margin's source."""
    up = result.upside or {}
    rev = _range_of(up.get("revenue"))
    if not rev:
        if not up:
            return []
        # say why there is no figure, in the reader's words (the scoring's message is English)
        msg = str(up.get("message") or "")
        why = t("upside_why_revenue" if "revenue" in msg else "upside_why_blocked", lang)
        return [Html(esc(t("upside_not_assessed", lang, why=why)))]
    per_year = t("per_year", lang)
    pct = _range_of(up.get("revenue_pct"))
    pct_text = "—"
    if pct and not any(math.isnan(v) for v in pct):
        lo, hi = (fmt_number(round(v), lang) for v in pct)
        pct_text = (
            fmt_pct(round(pct[1]), lang, 0)
            if lo == hi
            else f"{lo}–{fmt_pct(round(pct[1]), lang, 0)}"
        )
    out = [
        Html(
            esc(
                t("upside_revenue_line", lang, range="\0", per_year=per_year, pct=pct_text)
            ).replace("\0", f"<b>{esc(fmt_money_approx(rev[0], rev[1], lang))}</b>")
        )
    ]
    margin = _f(up.get("gross_margin"))
    if not math.isnan(margin):
        source = t(
            "margin_default"
            if up.get("gross_margin_source", "default") == "default"
            else "margin_company",
            lang,
        )
        # audit.json's figure: the revenue upside × the stated margin (scoring.score.upside)
        profit = _range_of(up.get("profit"))
        if not profit:
            return out
        prof = fmt_money_approx(profit[0], profit[1], lang)
        line = t(
            "upside_profit_line",
            lang,
            range="\0",
            per_year=per_year,
            margin=fmt_pct(margin * 100, lang, 0),
            source=source,
        )
        out.append(Html(esc(line).replace("\0", f"<b>{esc(prof)}</b>")))
    return out


def upside_assumptions(result: AuditResult, lang: str = "ru") -> list[str]:
    """The upside's assumptions in the report language, built from the result's numbers (shares
    as per cent, dates and money the reader's way)."""
    up = result.upside or {}
    out = []
    if up.get("max_revenue_share") is not None:
        out.append(t("as_ceiling", lang, share=fmt_share(up["max_revenue_share"], lang, 0)))
    if up.get("gap") is not None:
        out.append(t("as_gap", lang, gap=fmt_share(up["gap"], lang, 1)))
    if up.get("low_factor") is not None:
        out.append(t("as_range", lang, low=fmt_share(up["low_factor"], lang, 0)))
    rev = up.get("annual_revenue")
    if isinstance(rev, Mapping) and rev.get("value") is not None:
        key = {"sales": "rev_src_sales", "deals (won)": "rev_src_deals"}.get(str(rev.get("source")))
        out.append(
            t(
                "as_revenue",
                lang,
                value=fmt_money(rev["value"], lang),
                source=t(key, lang) if key else str(rev.get("source") or ""),
                start=fmt_date(rev.get("period_start"), lang),
                end=fmt_date(rev.get("period_end"), lang),
                annual=t("as_annualised", lang) if rev.get("annualised") else "",
            )
        )
    if up.get("gross_margin") is not None:
        out.append(t("as_margin", lang, margin=fmt_share(up["gross_margin"], lang, 0)))
    # other assumptions (and these when their numbers are missing) as the scoring wrote them
    covered = {
        "ceiling": up.get("max_revenue_share") is not None,
        "gap": up.get("gap") is not None,
        "range": up.get("low_factor") is not None,
        "revenue": isinstance(rev, Mapping) and rev.get("value") is not None,
        "margin": up.get("gross_margin") is not None,
    }
    items = up.get("assumptions") or []
    for item in [items] if isinstance(items, (str, dict)) else items:
        if isinstance(item, dict) and covered.get(str(item.get("id"))):
            continue
        text = pick(item, lang).strip()
        if text:
            out.append(text if text.endswith(".") else text + ".")
    return out


def _sev(severity: str, lang: str) -> Html:
    return Html(
        f'<span class="sa-sev sa-sev-{esc(severity)}">{esc(severity_name(severity, lang))}</span>'
    )


# --- problem sections ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def default_question_texts() -> dict[str, dict[str, str]]:
    """Question id -> text of the method's own checklist (read once through the io layer).

    The result stores answers by question id only; this fills in the wording. Empty when the
    checklist folder cannot be read (the report then shows the ids).
    """
    try:
        docs = read_checklist_dir()
        return {q.id: dict(q.text) for q in build_checklist(docs).questions}
    except SalesAuditError:
        return {}


def question_texts(result: AuditResult, checklist: Any = None) -> dict[str, Any]:
    """Question id -> text (``{ru, en}``) from every place the result (or a checklist) has them:
    the checklist's questions, ``meta["questions"]``, the express checklist's basis, the answers,
    and, for ids still without text, the method's default checklist."""
    out: dict[str, Any] = {}
    if checklist is None:
        missing = set(result.answers) - set(result.meta.get("questions") or {})
        if missing:
            out.update(default_question_texts())
    for item in result.express_checklist:
        for b in item.get("basis") or []:
            if isinstance(b, dict) and b.get("kind") == "question" and b.get("text"):
                out[str(b["id"])] = b["text"]
    out.update(result.meta.get("questions") or {})
    for qid, ans in result.answers.items():
        if isinstance(ans, dict) and (ans.get("question") or ans.get("text")):
            out[qid] = ans.get("question") or ans.get("text")
    if checklist is not None:
        for q in getattr(checklist, "questions", ()) or ():
            out[q.id] = q.text
    return out


def area_question_ids(result: AuditResult, area: str, checklist: Any = None) -> list[str]:
    """Ids of the area's questions: all of the checklist's when given, else those answered or
    named in the result, in id order."""
    if checklist is not None and hasattr(checklist, "questions_of"):
        return [q.id for q in checklist.questions_of(area)]
    ids = set(result.answers) | set(question_texts(result))
    return sorted(q for q in ids if str(q).split(".")[0] == area)


def question_number(area: str, k: int) -> str:
    """A question's number as the workshop shows it: «3.4» = problem 3, its 4th question in
    checklist order."""
    return f"{area[1:]}.{k}"


def _note(ans: Any) -> str:
    return str(ans.get("note") or "") if isinstance(ans, dict) else ""


def _answer_text(ans: Any, lang: str) -> str:
    value = ans.get("answer") if isinstance(ans, dict) else ans
    if value is None:
        return t("not_answered", lang)
    return t(str(value), lang) if str(value) in ("yes", "no", "partly", "unknown") else str(value)


def reference_text(ind: Any, lang: str = "ru", *, with_source: bool = True) -> str:
    """An indicator's reference range as text: ``good: 2 · bad: 1 · source: …``."""
    ref = ind.reference or {}
    parts: list[str] = []
    if ref.get("good") is not None:
        parts.append(t("good_from", lang, v=fmt_value(ref["good"], ind.unit, lang)))
    if ref.get("bad") is not None:
        parts.append(t("bad_from", lang, v=fmt_value(ref["bad"], ind.unit, lang)))
    if with_source and ref.get("source"):
        parts.append(t("source", lang, v=source_text(ref["source"], lang)))
    return " · ".join(parts) or "—"


def indicators_table(result: AuditResult, area: str | None = None, lang: str = "ru") -> Html:
    """Indicators (of one area or all) with value, verdict, score and reference."""
    inds = [i for i in result.indicators if area is None or i.area == area]
    if not inds:
        return Html(_p(t("no_data", lang), "sa-muted"))
    rows = []
    for i in inds:
        verdict = Html(
            f'<span class="sa-verdict-{esc(i.verdict)}">{esc(verdict_name(i.verdict, lang))}</span>'
        )
        value = fmt_value(i.value, i.unit, lang) if i.status == "ok" else t("no_data", lang)
        rows.append(
            (
                pick(i.label, lang),
                value,
                verdict,
                fmt_score(i.score, lang),
                reference_text(i, lang, with_source=False),
            )
        )
    out = table(
        [
            t("indicator", lang),
            t("value", lang),
            t("verdict", lang),
            t("score", lang),
            t("reference", lang),
        ],
        rows,
        lang=lang,
        numeric=(1, 3),
        widths=("34%", "15%", "12%", "9%", "30%"),
        max_rows=30,
    )
    return Html(out + not_computed_note(inds, lang))


def not_computed_note(indicators: Iterable[Any], lang: str = "ru") -> str:
    """Under an indicators table: why each indicator without a value is not computed, in the
    report language (:func:`~salesaudit.report.i18n.reason_text`: the reason code's text, the
    message translated, or the generic sentence; never the developer's message); ``""`` when
    every indicator has a value."""
    items = [
        f"{pick(i.label, lang)} — "
        f"{reason_text(getattr(i, 'reason', ''), getattr(i, 'message', ''), lang)}"
        for i in indicators
        if i.status != "ok"
    ]
    if not items:
        return ""
    return _p(f"{t('not_computed', lang)}: {'; '.join(items)}.", "sa-muted sa-not-computed")


def evidence_label(key: Any, labels: Mapping[str, Any], lang: str = "ru") -> str:
    """The reader's name of a finding's evidence number: the indicator's label in ``lang`` when
    ``key`` is an indicator id in ``labels`` (id -> ``{ru, en}``), else the key with ``_`` and
    the area prefix turned into plain words (``p1.suspect_managers`` -> ``suspect managers``)."""
    label = labels.get(str(key))
    if label:
        return pick(label, lang)
    text = str(key)
    head, dot, tail = text.partition(".")
    if dot and head in AREAS:
        text = tail
    return text.replace("_", " ")


def indicator_labels(result: AuditResult) -> dict[str, Any]:
    """Indicator id -> label (``{ru, en}`` or text) of every indicator in the result."""
    return {i.id: i.label for i in result.indicators}


def findings_block(
    findings: Sequence[Any], lang: str = "ru", *, labels: Mapping[str, Any] | None = None
) -> Html:
    """Findings as boxes: severity, title, evidence numbers, recommendation, owner and horizon.

    ``labels`` maps indicator ids to their labels (``{ru, en}``) so the evidence lines name the
    indicator in the report language (:func:`evidence_label`).
    """
    labels = labels or {}
    out = []
    for f in findings:
        nums = (f.evidence or {}).get("numbers") or {}
        ev = ""
        if nums:
            items = "".join(
                f"<li>{esc(evidence_label(k, labels, lang))}: {esc(_fmt_evidence(v, lang))}</li>"
                for k, v in list(nums.items())[:8]
            )
            ev = f'<div class="sa-muted">{esc(t("evidence", lang))}:</div><ul class="sa-list">{items}</ul>'
        out.append(
            '<div class="sa-finding">'
            f"<h4>{_sev(f.severity, lang)} {esc(pick(f.title, lang))}</h4>{ev}"
            f"<p><b>{esc(t('recommendation', lang))}:</b> {esc(pick(f.recommendation, lang))}</p>"
            f'<p class="sa-muted">{esc(t("owner_role", lang))}: {esc(role_name(f.owner_role, lang))} · '
            f"{esc(t('horizon', lang))}: {esc(t('days', lang, n=f.horizon))}</p></div>"
        )
    return Html("".join(out))


def _fmt_evidence(v: Any, lang: str) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return t("yes", lang) if v else t("no", lang)
    if isinstance(v, (int, float)):
        return fmt_number(v, lang, 0 if float(v).is_integer() else 2)
    if isinstance(v, dict) and "value" in v:
        text = fmt_value(v.get("value"), v.get("unit", ""), lang)
        verdict = v.get("verdict")
        if verdict and f"verdict_{verdict}" in STRINGS:
            text += f" ({verdict_name(str(verdict), lang)})"
        return text
    return pick(v, lang)


#: analysis -> chart builder for problem sections; each returns an Html chart or "" when no data
def current_period(result: AuditResult, df: pd.DataFrame) -> str | None:
    """The plan/fact period the report shows: the running one (``running`` True), else the latest
    period not after the assessment date, else the latest period (as the table's text value)."""
    per = col(df, "period", "month")
    if per is None or df.empty or not df[per].notna().any():
        return None
    if "running" in df.columns:
        running = df.loc[df["running"].fillna(False).astype(bool), per].dropna().astype(str)
        if len(running):
            return sorted(running.unique())[-1]
    periods = sorted(df[per].dropna().astype(str).unique())
    as_of = result.meta.get("as_of")
    if as_of:
        past = [p for p in periods if pd.Timestamp(p) <= pd.Timestamp(as_of)]
        if past:
            return past[-1]
    return periods[-1]


def _chart_plan_fact(result: AuditResult, lang: str) -> str:
    df = result.table("plan_fact")
    if df.empty or "plan" not in df.columns or "fact" not in df.columns:
        return ""
    last = current_period(result, df)
    df = _not_total(df)
    per = col(df, "period", "month")
    if per and last is not None:
        df = df.loc[df[per].astype(str).eq(last)]
    m = _manager_col(df)
    if df.empty or m is None:
        return ""
    fc = "forecast" if "forecast" in df.columns and df["forecast"].notna().any() else None
    ax = charts.plot_plan_fact(df, manager=m, plan="plan", fact="fact", forecast=fc, lang=lang)
    return chart(
        ax,
        f"{t('plan_fact', lang)} · {_period_text(last if per else '', lang)}",
        anchor="plan_fact",
        intro=chart_intro("plan_fact", lang),
    )


def _period_text(v: Any, lang: str) -> str:
    """A plan/fact period the reader's way: ``11.2026`` (ru) / ``Nov 2026`` (en); ``""`` when
    there is none."""
    return "" if _is_missing(v) or v == "" else fmt_month(v, lang)


def _chart_seasonality(result: AuditResult, lang: str) -> str:
    df = result.table("seasonality")
    per = col(df, "month", "period")
    if df.empty or per is None or "revenue" not in df.columns:
        return ""
    ax = charts.plot_seasonality(
        df,
        period=per,
        revenue="revenue",
        trend=col(df, "trend"),
        baseline=col(df, "baseline"),
        lang=lang,
    )
    return chart(
        ax, t("seasonality", lang), anchor="seasonality", intro=chart_intro("seasonality", lang)
    )


def refusal_long(result: AuditResult) -> pd.DataFrame:
    """The refusals analysis as a long frame ``manager, reason, count`` (whatever its layout)."""
    df = result.table("refusals")
    if df.empty:
        return pd.DataFrame(columns=["manager", "reason", "count"])
    df = _not_total(df)
    m = _manager_col(df)
    reason = col(df, "reason", "refusal_reason", "lost_reason")
    count = col(df, "count", "refusals", "n", "deals")
    if m and reason and count:
        return pd.DataFrame(
            {
                "manager": df[m].astype(str),
                "reason": df[reason],
                "count": pd.to_numeric(df[count], errors="coerce"),
            }
        )
    return pd.DataFrame(columns=["manager", "reason", "count"])


def _chart_refusals(result: AuditResult, lang: str) -> str:
    long = refusal_long(result)
    if long.empty:
        return ""
    return chart(
        charts.plot_refusal_mix(long, lang=lang),
        t("refusal_mix", lang),
        anchor="refusals",
        intro=chart_intro("refusals", lang),
    )


def activity_per_manager(result: AuditResult) -> pd.DataFrame:
    """Activity per manager over the analysed months: ``manager, meetings, calls, working_days,
    meetings_per_day, calls_per_day, field_share`` (sums over months, then ratios)."""
    name = "activity" if "activity" in result.analyses else "activity_summary"
    df = result.table(name)
    cols = [
        "manager",
        "meetings",
        "calls",
        "working_days",
        "meetings_per_day",
        "calls_per_day",
        "field_share",
    ]
    m = _manager_col(df) if not df.empty else None
    if m is None or "meetings" not in df.columns:
        return pd.DataFrame(columns=cols)
    df = _not_total(df)
    g = df.groupby(m, sort=True)
    out = pd.DataFrame(
        {
            "meetings": g["meetings"].sum(),
            "calls": g["calls"].sum() if "calls" in df.columns else 0.0,
            "working_days": g["working_days"].sum() if "working_days" in df.columns else math.nan,
        }
    ).reset_index(names="manager")
    wd = out["working_days"].replace(0, math.nan)
    out["meetings_per_day"] = out["meetings"] / wd
    out["calls_per_day"] = out["calls"] / wd
    touch = (out["meetings"] + out["calls"]).replace(0, math.nan)
    out["field_share"] = out["meetings"] / touch
    return out[cols]


def _chart_activity(result: AuditResult, lang: str) -> str:
    df = activity_per_manager(result)
    if df.empty:
        return ""
    return chart(
        charts.plot_activity(df, manager="manager", lang=lang),
        t("activity", lang),
        anchor="activity",
        intro=chart_intro("activity", lang),
    )


def forecast_frame(result: AuditResult) -> pd.DataFrame:
    """The forecast table per manager (team rows dropped) with ``plan`` added from plan/fact's
    running period (``running`` True, else the latest period) matched on ``manager_id``."""
    df = _not_total(result.table("forecast"))
    if df.empty or "plan" in df.columns:
        return df
    pf = _not_total(result.table("plan_fact"))
    if pf.empty or not {"plan", "manager_id"} <= set(pf.columns) or "manager_id" not in df.columns:
        return df
    per = col(pf, "period", "month")
    if "running" in pf.columns and pf["running"].fillna(False).astype(bool).any():
        pf = pf.loc[pf["running"].fillna(False).astype(bool)]
    elif per:
        pf = pf.loc[pf[per].astype(str).eq(sorted(pf[per].dropna().astype(str).unique())[-1])]
    plan = pf.groupby("manager_id")["plan"].sum(min_count=1)
    return df.assign(plan=df["manager_id"].map(plan))


def _chart_forecast(result: AuditResult, lang: str) -> str:
    df = forecast_frame(result)
    m = _manager_col(df) if not df.empty else None
    fc = col(df, "forecast", "forecast_month") if m else None
    if not fc:
        return ""
    plan = col(df, "plan", "plan_month")
    return chart(
        charts.plot_forecast(df, manager=m, forecast=fc, plan=plan, lang=lang),
        t("forecast_chart", lang),
        anchor="forecast",
        intro=chart_intro("forecast", lang),
    )


def _chart_backtest(result: AuditResult, lang: str) -> str:
    df = _team_or_sum(result.table("forecast_backtest"))
    per = col(df, "period", "month")
    fc, act = col(df, "forecast"), col(df, "actual", "fact")
    if df.empty or not (per and fc and act):
        return ""
    ax = charts.plot_forecast_backtest(df, period=per, forecast=fc, actual=act, lang=lang)
    return chart(
        ax,
        t("backtest", lang),
        anchor="forecast_backtest",
        intro=chart_intro("forecast_backtest", lang),
    )


def _chart_suspicion(result: AuditResult, lang: str) -> str:
    df = _not_total(result.table("credibility"))
    m = _manager_col(df) if not df.empty else None
    score = col(df, "score", "suspicion_score", "suspicion") if m else None
    if not score:
        return ""
    return chart(
        charts.plot_suspicion(
            df, manager=m, score=score, level=col(df, "level", "suspicion_level"), lang=lang
        ),
        t("suspicion", lang),
        anchor="credibility",
        intro=chart_intro("credibility", lang),
    )


def _chart_clients(result: AuditResult, lang: str) -> str:
    df = result.table("client_base")
    abc = col(df, "abc", "abc_class", "class")
    rev = col(df, "revenue", "amount")
    if df.empty or not (abc and rev):
        return ""
    out = chart(
        charts.plot_client_abc(df, abc=abc, revenue=rev, lang=lang),
        t("client_abc", lang),
        anchor="client_base",
        intro=chart_intro("client_base", lang),
    )
    mon = result.table("client_base", "monthly")
    per = col(mon, "month", "period") if not mon.empty else None
    if per and "active_clients" in mon.columns:
        ax = charts.plot_active_clients(
            mon, period=per, active="active_clients", new=col(mon, "new_clients"), lang=lang
        )
        out += chart(ax, t("active_clients", lang), intro=chart_intro("active_clients", lang))
    return out


def _chart_delegation(result: AuditResult, lang: str) -> str:
    df = result.table("delegation")
    if df.empty:
        return ""
    val = col(df, "revenue", "won_amount", "amount", "deals")
    if "role" in df.columns and val:
        df = df.assign(person=[role_name(str(r), lang) for r in df["role"]])
        ax = charts.plot_delegation(df, person="person", value=val, role="role", lang=lang)
        return chart(
            ax, t("delegation", lang), anchor="delegation", intro=chart_intro("delegation", lang)
        )
    m = _manager_col(df)
    if not (m and val):
        return ""
    ax = charts.plot_delegation(df, person=m, value=val, role=None, lang=lang)
    return chart(
        ax, t("delegation", lang), anchor="delegation", intro=chart_intro("delegation", lang)
    )


CHARTS: dict[str, Callable[[AuditResult, str], str]] = {
    "plan_fact": _chart_plan_fact,
    "seasonality": _chart_seasonality,
    "refusals": _chart_refusals,
    "activity": _chart_activity,
    "activity_summary": _chart_activity,
    "forecast": _chart_forecast,
    "forecast_backtest": _chart_backtest,
    "credibility": _chart_suspicion,
    "client_base": _chart_clients,
    "delegation": _chart_delegation,
}
#: charts shown in a problem section even when no indicator points to them
AREA_CHARTS: dict[str, tuple[str, ...]] = {
    "p3": ("plan_fact",),
    "p4": ("activity", "client_base"),
    "p5": ("refusals",),
    "p6": ("delegation",),
}


def area_chart_names(result: AuditResult, area: str) -> list[str]:
    """Analyses whose charts a problem section shows: those its indicators rest on (in order),
    then the area's standard charts (:data:`AREA_CHARTS`); one entry per chart."""
    names: list[str] = []
    for i in result.indicators:
        name = (i.evidence or {}).get("analysis")
        if i.area == area and name in CHARTS and name not in names:
            names.append(name)
    for name in AREA_CHARTS.get(area, ()):
        if name not in names:
            names.append(name)
    out, builders = [], set()
    for name in names:
        if CHARTS[name] not in builders:
            builders.add(CHARTS[name])
            out.append(name)
    return out


#: charts of the sections after the seven problems, in the order they are drawn
SECTION_CHARTS: dict[str, tuple[str, ...]] = {
    "planning": ("seasonality", "plan_fact"),
    "scorecards": ("refusals", "activity"),
    "forecast": ("forecast", "forecast_backtest"),
    "credibility": ("credibility",),
}
#: chart -> i18n key of its title (used when a later section refers to it)
CHART_TITLES: dict[str, str] = {
    "plan_fact": "plan_fact",
    "seasonality": "seasonality",
    "refusals": "refusal_mix",
    "activity": "activity",
    "forecast": "forecast_chart",
    "forecast_backtest": "backtest",
    "credibility": "suspicion",
    "client_base": "client_abc",
    "delegation": "delegation",
}


def canonical_chart(name: str) -> str:
    """The first :data:`CHARTS` name drawn by the same builder as ``name`` (``activity_summary``
    -> ``activity``); unknown names are returned unchanged."""
    builder = CHARTS.get(name)
    return next((k for k, v in CHARTS.items() if v is builder), name) if builder else name


def chart_plan(result: AuditResult) -> dict[str, dict[str, str]]:
    """Which section draws each chart of the whole document, so every chart appears once.

    Returns ``section id -> {chart name: id of the earlier section that draws it}`` for the seven
    problem sections (``area-p1`` … ``area-p7``) and ``planning``, ``scorecards``, ``forecast``,
    ``credibility``; pass ``plan[section_id]`` as that section's ``skip_charts``. The first
    section (in document order) that shows a chart draws it; later ones refer to it.
    """
    order = [(f"area-{a}", area_chart_names(result, a)) for a in AREAS]
    order += list(SECTION_CHARTS.items())
    owner: dict[str, str] = {}
    plan: dict[str, dict[str, str]] = {}
    for sid, names in order:
        skip: dict[str, str] = {}
        for name in names:
            c = canonical_chart(name)
            if c in owner:
                skip[c] = owner[c]
            else:
                owner[c] = sid
        plan[sid] = skip
    return plan


def _skip_map(skip_charts: Iterable[str] | Mapping[str, str]) -> dict[str, str | None]:
    """``skip_charts`` as ``canonical chart -> owner section id`` (``None`` when not known)."""
    if isinstance(skip_charts, Mapping):
        return {canonical_chart(str(k)): (str(v) if v else None) for k, v in skip_charts.items()}
    return {canonical_chart(str(k)): None for k in skip_charts}


def _section_title(result: AuditResult, sid: str, lang: str) -> str:
    if sid.startswith("area-"):
        area = sid.removeprefix("area-")
        a = next((x for x in result.areas if x.area == area), None)
        return f"{t('problem', lang)} {area[1:]}. {area_title(area, lang, a.title if a else None)}"
    return next((title for i, title, _ in section_ids(lang) if i == sid), sid)


def chart_ref(result: AuditResult, name: str, owner: str | None, lang: str = "ru") -> Html:
    """A line pointing to a chart drawn in an earlier section (its title, the section and, in
    the PDF, its page); empty when the chart's analysis has no data (nothing was drawn)."""
    name = canonical_chart(name)
    if result.table(name).empty and not (
        name == "activity" and not result.table("activity_summary").empty
    ):
        return Html("")
    title = t(CHART_TITLES.get(name, name), lang)
    if owner is None:
        return Html(_p(t("chart_above", lang, chart=title), "sa-figref"))
    section = _section_title(result, owner, lang)
    # the page number is the figure's own page, which may follow its section's first page
    return Html(
        f'<p class="sa-figref">{esc(t("chart_in", lang, chart=title, section=section))} '
        f'<a class="sa-pageref" href="#fig-{esc(name)}">{esc(t("page", lang))} </a></p>'
    )


def _chart_or_ref(result: AuditResult, name: str, lang: str, skip: Mapping[str, str | None]) -> str:
    """The chart ``name``, or a reference to it when ``skip`` says another section draws it."""
    c = canonical_chart(name)
    if c in skip:
        return chart_ref(result, c, skip[c], lang)
    return CHARTS[name](result, lang)


def problem_section(
    result: AuditResult,
    area: str,
    lang: str = "ru",
    *,
    checklist: Any = None,
    skip_charts: Iterable[str] | Mapping[str, str] = (),
) -> Html:
    """One of the seven problems: score, its checklist questions with answers, indicators
    (value, verdict, reference), the charts of the analyses behind them, and its findings.

    Question texts come from the result (express checklist basis, ``meta["questions"]``) or the
    method's checklist; pass a :class:`~salesaudit.scoring.checklist.Checklist` to list every
    question of the area. ``skip_charts`` names analyses whose chart is already shown elsewhere
    (a mapping chart -> section id, as from :func:`chart_plan`, makes the reference name that
    section and its page); a reference line replaces each of them.
    """
    check_lang(lang)
    a = next((x for x in result.areas if x.area == area), None)
    title = f"{t('problem', lang)} {area[1:]}. {area_title(area, lang, a.title if a else None)}"
    body = []
    v = verdict_of_area(result, area)
    if v is not None:
        body.append(verdict_html(v, lang))
    if a is not None:
        not_assessed = not getattr(a, "assessed", True)
        body.append(
            kv_table(
                [
                    (
                        t("score", lang),
                        t("not_assessed", lang) if not_assessed else fmt_score(a.score, lang),
                    ),
                    (t("confidence", lang), fmt_share(a.confidence, lang, 0)),
                    (t("interview_part", lang), fmt_score(a.interview_score, lang)),
                    (t("data_part", lang), fmt_score(a.data_score, lang)),
                    (t("answered", lang), f"{a.answered} / {a.questions}"),
                ]
            )
        )
    qids = area_question_ids(result, area, checklist)
    texts = question_texts(result, checklist)
    if qids:
        body.append(f"<h3>{esc(t('checklist_part', lang))}</h3>")
        body.append(
            table(
                ["№", t("question", lang), t("answer", lang), t("note", lang)],
                [
                    (
                        question_number(area, k),
                        pick(texts.get(q), lang) or q,
                        _answer_text(result.answers.get(q), lang),
                        _note(result.answers.get(q)),
                    )
                    for k, q in enumerate(qids, start=1)
                ],
                lang=lang,
                widths=("6%", "51%", "14%", "29%"),
                max_rows=25,
            )
        )
    if any(i.area == area for i in result.indicators):
        body.append(f"<h3>{esc(t('indicators', lang))}</h3>")
        body.append(indicators_table(result, area, lang))
    fs = sorted((f for f in result.findings if f.area == area), key=lambda f: f.rank or 10**6)
    if fs:
        body.append(f"<h3>{esc(t('findings', lang))}</h3>")
        body.append(findings_block(fs, lang, labels=indicator_labels(result)))
    # the charts come last: a chart never splits, so text placed after it would leave a gap
    # wherever the chart moves to the next page
    skip = _skip_map(skip_charts)
    for name in area_chart_names(result, area):
        body.append(_chart_or_ref(result, name, lang, skip))
    # the seven problems are one part: only the first starts a new page
    return _section(f"area-{area}", title, "".join(body), major=area == AREAS[0])


# --- planning -----------------------------------------------------------------------------------
def planning_section(
    result: AuditResult, lang: str = "ru", *, skip_charts: Iterable[str] | Mapping[str, str] = ()
) -> Html:
    """Plan structure (what the plan covers), seasonality with baseline, plan/fact/deviation per
    manager for the latest period with % done, forecast and the required daily run-rate.

    ``skip_charts`` as in :func:`problem_section` (charts drawn by an earlier section).
    """
    check_lang(lang)
    skip = _skip_map(skip_charts)
    body = [f"<h3>{esc(t('plan_structure', lang))}</h3>"]
    ps = result.table("plan_structure")
    if not ps.empty and "aspect" in ps.columns:
        body.append(
            table(
                [t("metric", lang), t("value", lang), ""],
                [
                    (
                        pick(PLAN_ASPECTS.get(str(r["aspect"]), str(r["aspect"])), lang),
                        t("yes", lang) if bool(r.get("present")) else t("no", lang),
                        detail_text(r.get("detail"), lang),
                    )
                    for _, r in ps.iterrows()
                ],
                lang=lang,
                widths=("35%", "15%", "50%"),
                max_rows=25,
            )
        )
    else:
        body.append(_insufficient(result, "plan_structure", lang))
    # a drawn chart carries its own heading; otherwise the sub-heading introduces the text
    season = _chart_or_ref(result, "seasonality", lang, skip)
    if "<figure" not in season:
        body.append(f"<h3>{esc(t('seasonality', lang))}</h3>")
    body.append(season or _insufficient(result, "seasonality", lang))
    pf = result.table("plan_fact")
    if not pf.empty and {"plan", "fact"} <= set(pf.columns):
        pf_chart = _chart_or_ref(result, "plan_fact", lang, skip)
        if "<figure" not in pf_chart:
            body.append(f"<h3>{esc(t('plan_fact', lang))}</h3>")
        body.append(pf_chart)
        per = col(pf, "period", "month")
        last = current_period(result, pf)
        cur = pf.loc[pf[per].astype(str).eq(last)] if per and last is not None else pf
        m = _manager_col(cur)
        rows = []
        for _, r in cur.iterrows():
            total = bool(r.get("is_total")) if "is_total" in cur.columns else False
            name = t("total", lang) if total or _is_missing(r.get(m)) else r.get(m)
            if r.get("row_kind") == "unassigned":  # sales without a responsible person
                name = t("unassigned", lang)
            rows.append(
                (
                    name,
                    fmt_money(r.get("plan"), lang),
                    fmt_money(r.get("fact"), lang),
                    fmt_money(r.get("deviation"), lang),
                    fmt_pct(r.get("pct_done"), lang),
                    fmt_money(r.get("forecast"), lang),
                    fmt_money(r.get("required_daily"), lang),
                )
            )
        body.append(
            table(
                [
                    t("manager", lang),
                    t("plan", lang),
                    t("fact", lang),
                    t("deviation", lang),
                    t("pct_done", lang),
                    t("month_forecast", lang),
                    t("run_rate", lang),
                ],
                rows,
                lang=lang,
                numeric=(1, 2, 3, 4, 5, 6),
                widths=("19%", "14%", "14%", "14%", "11%", "14%", "14%"),
            )
        )
    else:
        body.append(f"<h3>{esc(t('plan_fact', lang))}</h3>")
        body.append(_insufficient(result, "plan_fact", lang))
    return _section("planning", t("planning", lang), "".join(body))


# --- scorecards ---------------------------------------------------------------------------------
def scorecards_frame(result: AuditResult) -> pd.DataFrame:
    """One row per manager: ``manager, revenue, pct_plan, meetings_per_day, conversion, avg_deal,
    dominant_reason, suspicion, suspicion_level`` (NaN / None where the data has no source).

    ``revenue`` and ``pct_plan`` are summed over the plan/fact periods (fact / plan × 100);
    ``conversion`` is the funnel's win rate (0..1); ``dominant_reason`` the most frequent refusal.
    """
    cols = [
        "manager",
        "revenue",
        "pct_plan",
        "meetings_per_day",
        "conversion",
        "avg_deal",
        "dominant_reason",
        "suspicion",
        "suspicion_level",
    ]
    parts: list[pd.DataFrame] = []
    pf = _not_total(result.table("plan_fact"))
    m = _manager_col(pf) if not pf.empty else None
    if m and {"plan", "fact"} <= set(pf.columns):
        g = pf.groupby(m, sort=False)[["plan", "fact"]].sum(min_count=1)
        parts.append(
            pd.DataFrame(
                {"revenue": g["fact"], "pct_plan": g["fact"] / g["plan"].replace(0, math.nan) * 100}
            )
        )
    act = activity_per_manager(result)
    if not act.empty:
        parts.append(act.set_index("manager")[["meetings_per_day"]])
    fn = _not_total(result.table("funnel"))
    m = _manager_col(fn) if not fn.empty else None
    if m:
        conv = col(fn, "win_rate", "conversion")
        avg = col(fn, "avg_deal", "average_deal")
        parts.append(
            pd.DataFrame(
                {
                    "conversion": pd.to_numeric(fn[conv], errors="coerce").to_numpy()
                    if conv
                    else math.nan,
                    "avg_deal": pd.to_numeric(fn[avg], errors="coerce").to_numpy()
                    if avg
                    else math.nan,
                },
                index=fn[m].astype(str).to_numpy(),
            )
        )
    ref = refusal_long(result)
    rs = _not_total(result.table("refusals", "summary"))
    rm = _manager_col(rs) if not rs.empty else None
    if rm and "dominant_reason" in rs.columns:
        parts.append(
            pd.DataFrame(
                {"dominant_reason": rs["dominant_reason"].to_numpy()},
                index=rs[rm].astype(str).to_numpy(),
            )
        )
    elif not ref.empty:
        top = ref.sort_values(
            ["manager", "count", "reason"], ascending=[True, False, True]
        ).drop_duplicates("manager")
        parts.append(
            pd.DataFrame(
                {"dominant_reason": top["reason"].to_numpy()}, index=top["manager"].to_numpy()
            )
        )
    cr = _not_total(result.table("credibility"))
    m = _manager_col(cr) if not cr.empty else None
    score = col(cr, "score", "suspicion_score", "suspicion") if m else None
    if score:
        lvl = col(cr, "level", "suspicion_level")
        parts.append(
            pd.DataFrame(
                {
                    "suspicion": pd.to_numeric(cr[score], errors="coerce").to_numpy(),
                    "suspicion_level": cr[lvl].to_numpy() if lvl else None,
                },
                index=cr[m].astype(str).to_numpy(),
            )
        )
    if not parts:
        return pd.DataFrame(columns=cols)
    for p in parts:
        p.index = p.index.astype(str)
    out = pd.concat(parts, axis=1, sort=True)
    out = out.loc[~out.index.duplicated()]
    out = out.reset_index(names="manager")
    for c in cols:
        if c not in out.columns:
            out[c] = None
    return out[cols]


def coaching_text(result: AuditResult, manager: str, reason: Any, lang: str = "ru") -> str:
    """Coaching focus for a manager: the refusals analysis' recommendation for the dominant
    reason, which comes from ``checklist/coaching.yaml`` (empty when there is none)."""
    rs = result.table("refusals", "summary")
    m = _manager_col(rs) if not rs.empty else None
    rec = col(rs, f"recommendation_{lang}", "recommendation_ru", "recommendation_en") if m else None
    if rec:
        hit = rs.loc[rs[m].astype(str).eq(str(manager)), rec].dropna()
        if len(hit):
            return str(hit.iloc[0])
    return ""


def scorecards(
    result: AuditResult, lang: str = "ru", *, skip_charts: Iterable[str] | Mapping[str, str] = ()
) -> Html:
    """Per-manager cards: revenue, % of plan, meetings/day, conversion, average deal, dominant
    refusal reason with a coaching focus, suspicion score and level; then the refusal-mix and
    activity charts (``skip_charts`` as in :func:`problem_section`)."""
    check_lang(lang)
    skip = _skip_map(skip_charts)
    sc = scorecards_frame(result)
    if sc.empty:
        return _section("scorecards", t("scorecards", lang), _p(t("no_data", lang), "sa-muted"))
    cards = []
    for r in sc.itertuples():
        reason = r.dominant_reason
        coach = coaching_text(result, r.manager, reason, lang)
        susp = "—" if _is_missing(r.suspicion) else f"{fmt_number(r.suspicion, lang, 0)}"
        if not _is_missing(r.suspicion_level):
            susp += f" ({level_name(r.suspicion_level, lang)})"
        pairs = [
            (t("revenue", lang), fmt_money(r.revenue, lang)),
            (t("pct_done", lang), fmt_pct(r.pct_plan, lang)),
            (t("meetings_per_day", lang), fmt_number(r.meetings_per_day, lang, 2)),
            (t("conversion", lang), fmt_share(r.conversion, lang)),
            (t("avg_deal", lang), fmt_money(r.avg_deal, lang)),
            (t("dominant_refusal", lang), refusal_name(reason, lang)),
            (t("suspicion", lang), susp),
        ]
        # the coaching focus is a sentence: it reads across the card, under the numbers
        focus = f'<p class="sa-coach"><b>{esc(t("coaching", lang))}:</b> {esc(coach or "—")}</p>'
        cards.append(
            f'<div class="sa-card"><h3>{esc(r.manager)}</h3>{kv_table(pairs)}{focus}</div>'
        )
    # two cards a row in a plain table: WeasyPrint lays out CSS columns several times over
    rows = [cards[i : i + 2] for i in range(0, len(cards), 2)]
    body = (
        '<table class="sa-cards"><tbody>'
        + "".join(
            "<tr>"
            + "".join(f"<td>{c}</td>" for c in pair)
            + ("<td></td>" * (2 - len(pair)))
            + "</tr>"
            for pair in rows
        )
        + "</tbody></table>"
    )
    body += lead_funnel_table(result, lang)
    parts = [_chart_or_ref(result, name, lang, skip) for name in ("refusals", "activity")]
    # references to charts drawn elsewhere go above the cards; charts drawn here follow them
    refs = "".join(p for p in parts if "<figure" not in p)
    drawn = "".join(p for p in parts if "<figure" in p)
    return _section("scorecards", t("scorecards", lang), refs + body + drawn)


def lead_funnel_table(result: AuditResult, lang: str = "ru") -> Html:
    """The lead funnel by source (analysis ``lead_funnel``): leads, lead → deal, won, deal → won,
    lead → won and revenue per source and in total, with a note on untraced conversions; ``""``
    when the audit has no leads."""
    a = result.analyses.get("lead_funnel", {})
    df = result.table("lead_funnel")
    if a.get("status") != "ok" or df.empty:
        return Html("")
    rows = []
    for r in df.to_dict("records"):
        key = str(r["key"])
        name = (
            t("total", lang)
            if key == "total"
            else t("lead_source_none", lang)
            if key == "unspecified"
            else key
        )
        rows.append(
            [
                name,
                fmt_number(r["leads"], lang),
                fmt_share(r["lead_to_deal"], lang),
                fmt_number(r["won"], lang),
                fmt_share(r["deal_to_won"], lang),
                fmt_share(r["lead_to_won"], lang),
                fmt_money(r["revenue"], lang),
            ]
        )
    heads = [
        t(k, lang)
        for k in (
            "lead_source",
            "leads_count",
            "lead_to_deal",
            "leads_won",
            "deal_to_won",
            "lead_to_won",
            "revenue",
        )
    ]
    note = ""
    total = df[df["key"].astype(str) == "total"]
    untraced = int(total["untraced"].iloc[0]) if len(total) else 0
    if total["won"].isna().all():
        note = _p(t("lead_no_deals", lang), "sa-muted")
    elif untraced:
        note = _p(t("lead_untraced", lang, n=untraced), "sa-muted")
    return Html(
        f"<h3>{esc(t('lead_funnel', lang))}</h3>"
        + table(heads, rows, lang=lang, numeric=range(1, 7))
        + note
    )


# --- forecast -----------------------------------------------------------------------------------
def mape_of(result: AuditResult) -> float | None:
    """The backtest's MAPE in percent: the team row of ``forecast_backtest`` table ``summary``
    (column ``mape``), else the mean over its rows, else the mean of the main table's ``ape``."""
    s = result.table("forecast_backtest", "summary")
    c = col(s, "mape", "mape_pct") if not s.empty else None
    if c is not None and s[c].notna().any():
        team = _team_rows(s)
        if not team.empty and team[c].notna().any():
            return float(team[c].dropna().iloc[0])
        return float(pd.to_numeric(s[c], errors="coerce").mean())
    m = result.table("forecast_backtest")
    c = col(m, "ape", "abs_pct_error") if not m.empty else None
    if c is not None and m[c].notna().any():
        return float(pd.to_numeric(m[c], errors="coerce").mean())
    return None


def forecast_section(
    result: AuditResult, lang: str = "ru", *, skip_charts: Iterable[str] | Mapping[str, str] = ()
) -> Html:
    """Activity-based forecast per manager with its inputs (meetings/day, effective share,
    average deal, working days), the chart vs plan, the backtest with MAPE and the method note
    (``skip_charts`` as in :func:`problem_section`)."""
    check_lang(lang)
    skip = _skip_map(skip_charts)
    body = [f'<div class="sa-note">{esc(t("forecast_note", lang))}</div>']
    df = forecast_frame(result)
    m = _manager_col(df) if not df.empty else None
    if m:
        spec = [
            (col(df, "meetings_per_day"), "meetings_per_day", lambda v: fmt_number(v, lang, 2)),
            (
                col(df, "effective_share", "win_rate", "conversion"),
                "effective_share",
                lambda v: fmt_share(v, lang),
            ),
            (col(df, "avg_deal", "average_deal"), "avg_deal", lambda v: fmt_money(v, lang)),
            (col(df, "working_days", "wd_total"), "working_days", lambda v: fmt_number(v, lang)),
            (col(df, "forecast", "forecast_month"), "forecast_value", lambda v: fmt_money(v, lang)),
            (col(df, "plan", "plan_month"), "plan", lambda v: fmt_money(v, lang)),
        ]
        spec = [s for s in spec if s[0]]
        body.append(f"<h3>{esc(t('forecast_inputs', lang))}</h3>")
        body.append(
            table(
                [t("manager", lang)] + [t(k, lang) for _, k, _ in spec],
                [[r[m]] + [fn(r[c]) for c, _, fn in spec] for _, r in df.iterrows()],
                lang=lang,
                numeric=tuple(range(1, len(spec) + 1)),
                widths=["25%"] + [f"{75 / len(spec):.2f}%"] * len(spec),
            )
        )
        body.append(_chart_or_ref(result, "forecast", lang, skip))
    else:
        body.append(_insufficient(result, "forecast", lang))
    body.append(f"<h3>{esc(t('backtest', lang))}</h3>")
    mape = mape_of(result)
    if mape is not None:
        body.append(kv_table([(t("mape", lang), fmt_pct(mape, lang))]))
    bt = _chart_or_ref(result, "forecast_backtest", lang, skip)
    body.append(bt or _insufficient(result, "forecast_backtest", lang))
    # follows the scorecards on their page (part of the sales-force review)
    return _section("forecast", t("forecast", lang), "".join(body), major=False)


# --- credibility --------------------------------------------------------------------------------
def _reasons_text(v: Any, lang: str) -> str:
    if isinstance(v, (list, tuple)):
        return "; ".join(pick(x, lang) for x in v)
    return "" if _is_missing(v) else pick(v, lang)


def credibility_section(
    result: AuditResult, lang: str = "ru", *, skip_charts: Iterable[str] | Mapping[str, str] = ()
) -> Html:
    """Suspicion per manager (chart + table with reasons) and the verification-call sample,
    highest suspicion first (``skip_charts`` as in :func:`problem_section`)."""
    check_lang(lang)
    skip = _skip_map(skip_charts)
    body = [_p(t("credibility_intro", lang))]
    cr = _not_total(result.table("credibility"))
    m = _manager_col(cr) if not cr.empty else None
    score = col(cr, "score", "suspicion_score", "suspicion") if m else None
    if score:
        body.append(_chart_or_ref(result, "credibility", lang, skip))
        lvl = col(cr, "level", "suspicion_level")
        reasons = col(cr, "reasons", "reason", "flags")
        body.append(f"<h3>{esc(t('suspicion_table', lang))}</h3>")
        body.append(
            table(
                [t("manager", lang), t("suspicion", lang), t("level", lang), t("reasons", lang)],
                [
                    (
                        r[m],
                        fmt_number(r[score], lang, 0),
                        level_name(r[lvl], lang) if lvl else "—",
                        signal_names(r[reasons], lang) if reasons else "",
                    )
                    for _, r in cr.iterrows()
                ],
                lang=lang,
                numeric=(1,),
                widths=("30%", "12%", "12%", "46%"),
            )
        )
    else:
        body.append(_insufficient(result, "credibility", lang))
    body.append(f"<h3>{esc(t('verification_sample', lang))}</h3>")
    vs = result.table("verification_sample")
    if not vs.empty:
        body.append(kv_table([(t("sample_size", lang), fmt_number(len(vs), lang))]))
        show = [
            c
            for c in ("manager_name", "client_name", "occurred_at", "suspicion_level")
            if c in vs.columns
        ]
        if show:
            vs = verification_order(vs)
            rows = [[_vs_cell(c, r[c], lang) for c in show] for _, r in vs.iterrows()]
            share = {
                "manager_name": 30,
                "client_name": 38,
                "occurred_at": 15,
                "suspicion_level": 17,
            }
            total = sum(share[c] for c in show)
            body.append(
                table(
                    [_header(c, lang) for c in show],
                    rows,
                    lang=lang,
                    max_rows=10,
                    widths=[f"{share[c] / total * 100:.1f}%" for c in show],
                )
            )
    else:
        body.append(_insufficient(result, "verification_sample", lang))
    return _section("credibility", t("credibility", lang), "".join(body), major=False)


#: suspicion levels from the highest; anything else sorts after them
LEVEL_ORDER = ("high", "medium", "low")


def verification_order(sample: pd.DataFrame) -> pd.DataFrame:
    """The verification sample ordered for the reader: highest suspicion first (level
    high / medium / low, then the numeric ``suspicion`` score when present, high first), then
    manager name, then date. Returns a new frame; rows without a level come last."""
    df = sample.copy()
    keys, ascending = [], []
    lvl = col(df, "suspicion_level", "level")
    if lvl:
        rank = {v: i for i, v in enumerate(LEVEL_ORDER)}
        df["_lvl"] = [rank.get(str(v).strip().lower(), len(LEVEL_ORDER)) for v in df[lvl]]
        keys.append("_lvl")
        ascending.append(True)
    score = col(df, "suspicion", "suspicion_score", "score")
    if score:
        df["_score"] = pd.to_numeric(df[score], errors="coerce")
        keys.append("_score")
        ascending.append(False)
    m = col(df, "manager_name", "manager")
    if m:
        df["_mgr"] = df[m].astype(str).str.casefold()
        keys.append("_mgr")
        ascending.append(True)
    d = col(df, "occurred_at", "date")
    if d:
        df["_date"] = pd.to_datetime(df[d], errors="coerce")
        keys.append("_date")
        ascending.append(True)
    if not keys:
        return df
    df = df.sort_values(keys, ascending=ascending, kind="stable", na_position="last")
    return df.drop(columns=[k for k in ("_lvl", "_score", "_mgr", "_date") if k in keys])


def _vs_cell(c: str, v: Any, lang: str) -> str:
    if c == "occurred_at":
        return fmt_date(v, lang)
    if c == "suspicion_level":
        return level_name(v, lang)
    return _reasons_text(v, lang)


_HEADERS = {
    "suspicion_level": "level",
    "manager_name": "manager",
    "manager": "manager",
    "client_name": "client",
    "occurred_at": "date",
    "period": "period",
    "month": "period",
    "reason": "reasons",
    "reasons": "reasons",
    "type": "activity",
    "revenue": "revenue",
    "plan": "plan",
    "fact": "fact",
    "forecast": "forecast_value",
    "actual": "actual",
}


def _header(c: str, lang: str) -> str:
    key = _HEADERS.get(c)
    return t(key, lang) if key else c


# --- express checklist, roadmap -----------------------------------------------------------------
def express_checklist_table(result: AuditResult, lang: str = "ru") -> Html:
    """The express-assessment checklist: each effect with its status (met / partly / not met /
    unknown), score and the basis behind it (questions answered, indicators)."""
    check_lang(lang)
    items = result.express_checklist
    if not items:
        return _section("express", t("express_checklist", lang), _p(t("no_data", lang), "sa-muted"))
    rows = []
    for it in items:
        text = pick(it.get("title") or it.get("question") or it.get("text") or it.get("id"), lang)
        status = it.get("status", it.get("answer", it.get("verdict")))
        basis = _basis_list(it.get("basis") or [], lang)
        rows.append((text, status_name(status, lang), fmt_score(it.get("score"), lang), basis))
    body = table(
        [t("express_item", lang), t("status", lang), t("score", lang), t("basis", lang)],
        rows,
        lang=lang,
        numeric=(2,),
        widths=("23%", "15%", "8%", "54%"),
        max_rows=40,
    )
    # follows on: a short tail of the section before it never gets a page of its own
    return _section("express", t("express_checklist", lang), body, major=False)


def status_name(status: Any, lang: str = "ru") -> str:
    """Localised status of an express-checklist item or an answer."""
    if status is None:
        return t("not_answered", lang)
    key = f"status_{str(status).replace(' ', '_')}"
    if key in STRINGS:
        return t(key, lang)
    if str(status) in ("yes", "no", "partly", "unknown"):
        return t(str(status), lang)
    return verdict_name(str(status), lang)


#: basis lines shown per express-checklist item
MAX_BASIS = 4


def _basis_list(basis: Sequence[Any], lang: str) -> Html:
    items = [f"<li>{esc(_basis_text(b, lang))}</li>" for b in basis[:MAX_BASIS]]
    if len(basis) > MAX_BASIS:
        more = t("and_more", lang, n=len(basis) - MAX_BASIS)
        items.append(f'<li class="sa-muted">{esc(more)}</li>')
    return Html(f'<ul class="sa-basis">{"".join(items)}</ul>' if items else "")


def _basis_text(b: Any, lang: str) -> str:
    if not isinstance(b, dict):
        return str(b)
    if b.get("kind") == "question":
        return f"{pick(b.get('text') or b.get('id'), lang)} — {status_name(b.get('answer'), lang)}"
    label = pick(b.get("label") or b.get("id"), lang)
    return f"{label}: {fmt_value(b.get('value'), b.get('unit', ''), lang)}"


def roadmap_actions(result: AuditResult) -> list[dict[str, Any]]:
    """The roadmap flattened to actions ``{horizon, action, title, area, owner_role, ...}``.

    Accepts both the scoring layout (one entry per horizon with ``actions``) and flat entries.
    """
    out = []
    for entry in result.roadmap:
        if isinstance(entry.get("actions"), list):
            for a in entry["actions"]:
                out.append({**a, "horizon": a.get("horizon", entry.get("horizon"))})
        else:
            out.append(dict(entry))
    return out


def roadmap(result: AuditResult, lang: str = "ru") -> Html:
    """The 30/60/90-day roadmap: actions grouped by horizon with the linked problem, a measurable
    target (metric, value, date = assessment date + horizon; from ``checklist/findings.yaml``)
    and the owner."""
    check_lang(lang)
    body = []
    actions = roadmap_actions(result)
    by_id = {f.id: f for f in result.findings}
    for h in (30, 60, 90):
        acts = [r for r in actions if int(r.get("horizon") or 0) == h]
        if not acts:
            continue
        body.append(f"<h3>{esc(t('within_days', lang, n=h))}</h3>")
        body.append(
            table(
                [t("action", lang), t("target", lang), t("owner_role", lang)],
                [
                    (
                        _action_text(r, lang),
                        target_text(
                            result,
                            r.get("target") or getattr(by_id.get(r.get("finding")), "target", None),
                            r.get("horizon"),
                            lang,
                        ),
                        role_name(str(r.get("owner_role", "")), lang),
                    )
                    for r in acts
                ],
                lang=lang,
                widths=("52%", "32%", "16%"),
                max_rows=20,
            )
        )
    if not body:
        body.append(_p(t("no_data", lang), "sa-muted"))
    return _section("roadmap", t("roadmap", lang), "".join(body))


def _action_text(r: dict[str, Any], lang: str) -> Html:
    """The action in bold, then the problem it answers in words («Проблема 3: …»), never a code."""
    action = pick(r.get("action") or r.get("recommendation") or r.get("title"), lang)
    title = pick(r.get("title"), lang) if r.get("action") else ""
    area = str(r.get("area") or "")
    where = f"{t('problem_short', lang)} {area[1:]}" if area[1:].isdigit() else ""
    note = ": ".join(x for x in (where, title if title != action else "") if x)
    if note:
        return Html(f"<b>{esc(action)}</b><br><span class='sa-muted'>{esc(note)}</span>")
    return Html(esc(action))


# --- appendices ---------------------------------------------------------------------------------
_QUALITY_TABLE_COLS = (
    ("table", "q_table"),
    ("files", "q_files"),
    ("rows_read", "q_rows_read"),
    ("accepted", "q_accepted"),
    ("rejected", "q_rejected"),
    ("duplicates", "q_duplicates"),
    ("unparseable_cells", "q_bad_cells"),
)


def _frame(obj: Any) -> pd.DataFrame | None:
    if isinstance(obj, dict) and "columns" in obj and "records" in obj:
        return pd.DataFrame(obj["records"], columns=obj["columns"])
    return None


def appendix_quality(result: AuditResult, lang: str = "ru") -> Html:
    """Data-quality summary: the usable verdict, per-table counts (read / accepted / rejected /
    duplicates / bad cells, period) and issues by severity and kind; other facts as key-value."""
    check_lang(lang)
    body = [_p(t("quality_intro", lang))]
    q = result.quality or {}
    blocking = [
        pick(b, lang) if isinstance(b, Mapping) else str(b) for b in q.get("blocking") or []
    ]
    if "usable" in q and not (q["usable"] and blocking):  # else the box below says it
        body.append(_p(t("q_usable" if q["usable"] else "q_not_usable", lang), "sa-lead"))
    if blocking:  # built with --accept-incomplete: what validate refused, in full
        items = "".join(f"<li>{esc(b)}</li>" for b in blocking)
        body.append(
            f'<div class="sa-note sa-not-assessed">{esc(t("q_incomplete", lang))}'
            f"<ul>{items}</ul></div>"
        )
    tables = _frame(q.get("tables"))
    if tables is not None and not tables.empty:
        cols = [(c, k) for c, k in _QUALITY_TABLE_COLS if c in tables.columns]
        # "files" holds either a count or the file names (paths wrap inside their cell)
        names = "files" in tables.columns and not pd.api.types.is_numeric_dtype(tables["files"])
        if names:
            cols = [(c, "q_file_names" if c == "files" else k) for c, k in cols]
        has_period = {"date_min", "date_max"} <= set(tables.columns)
        headers = [t(k, lang) for _, k in cols] + ([t("period", lang)] if has_period else [])
        rows = []
        for _, r in tables.iterrows():
            row = [
                table_name(r[c], lang)
                if c == "table"
                else file_names(r[c])
                if c == "files" and names
                else _cell(r[c], lang)
                for c, _ in cols
            ]
            if has_period:
                row.append(f"{fmt_date(r['date_min'], lang)} – {fmt_date(r['date_max'], lang)}")
            rows.append(row)
        text_cols = {"table": 14.0, "files": 24.0} if names else {"table": 16.0}
        period_w = 19.0 if has_period else 0.0
        num_w = (100.0 - period_w - sum(text_cols.get(c, 0.0) for c, _ in cols)) / max(
            1, sum(c not in text_cols for c, _ in cols)
        )
        widths = [f"{text_cols.get(c, num_w):.1f}%" for c, _ in cols]
        if has_period:
            widths.append(f"{period_w:.1f}%")
        body.append(f"<h3>{esc(t('q_tables', lang))}</h3>")
        body.append(
            table(
                headers,
                rows,
                lang=lang,
                numeric=tuple(i for i, (c, _) in enumerate(cols) if c not in text_cols),
                widths=widths,
            )
        )
    summary = _frame(q.get("summary"))
    if summary is not None and not summary.empty and "kind" in summary.columns:
        body.append(f"<h3>{esc(t('q_issues', lang))}</h3>")
        body.append(
            table(
                [t("q_severity", lang), t("q_kind", lang), t("q_count", lang), t("q_files", lang)],
                [
                    (
                        t(f"q_sev_{r['severity']}", lang)
                        if f"q_sev_{r['severity']}" in STRINGS
                        else r["severity"],
                        _issue_kind(r["kind"], lang),
                        _cell(r.get("count"), lang),
                        _cell(r.get("files"), lang),
                    )
                    for _, r in summary.iterrows()
                ],
                lang=lang,
                numeric=(2, 3),
                widths=("18%", "54%", "14%", "14%"),
            )
        )
    scalars = [
        (str(k), v) for k, v in q.items() if k != "usable" and not isinstance(v, (dict, list))
    ]
    if scalars:
        body.append(kv_table([(k, _cell(v, lang)) for k, v in scalars]))
    if len(body) == 1:
        body.append(_p(t("no_data", lang), "sa-muted"))
    # follows the roadmap on its page: a short roadmap would otherwise leave a half-empty page
    return _section("appendix-quality", t("appendix_quality", lang), "".join(body), major=False)


def file_names(value: Any) -> str:
    """The client's file names without folders (``raw/deals.csv, raw/x/y.xlsx`` ->
    ``deals.csv, y.xlsx``): the reader knows the files, not our folder layout."""
    if _is_missing(value) if not isinstance(value, (list, tuple)) else False:
        return ""
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", ",").split(",")
    names = [str(x).strip().replace("\\", "/").rsplit("/", 1)[-1] for x in items]
    return ", ".join(n for n in names if n)


def table_name(name: Any, lang: str = "ru") -> str:
    """A canonical table's name for the reader (``activities`` -> "Дела и встречи"); other
    names are shown as they are."""
    key = f"tbl_{name}"
    return t(key, lang) if key in STRINGS else str(name)


def _issue_kind(kind: Any, lang: str) -> str:
    pair = KINDS.get(str(kind))
    return (pair[0] if lang == "ru" else pair[1]) if pair else str(kind)


def _cell(v: Any, lang: str) -> str:
    if _is_missing(v) if not isinstance(v, (list, dict)) else False:
        return ""
    if isinstance(v, bool):
        return t("yes", lang) if v else t("no", lang)
    if isinstance(v, (int, float)):
        return fmt_number(v, lang, 0 if float(v).is_integer() else 2)
    if isinstance(v, (list, dict)):
        return _reasons_text(v, lang) if isinstance(v, list) else pick(v, lang)
    return str(v)


def appendix_method(result: AuditResult, lang: str = "ru") -> Html:
    """The method: scoring, maturity, upside reference, indicator thresholds, parameters, sources."""
    check_lang(lang)
    body = [
        _p(t("method_intro", lang)),
        _p(t("method_maturity", lang)),
        _p(t("method_upside", lang)),
    ]
    if result.indicators:
        body.append(f"<h3>{esc(t('thresholds', lang))}</h3>")
        body.append(
            table(
                [t("indicator", lang), t("problem", lang), t("reference", lang)],
                [
                    (pick(i.label, lang), i.area[1:], reference_text(i, lang))
                    for i in result.indicators
                ],
                lang=lang,
                numeric=(1,),
                widths=("42%", "12%", "46%"),
                max_rows=60,
            )
        )
    params = result.meta.get("parameters") or {}
    if params:
        body.append(f"<h3>{esc(t('parameters', lang))}</h3>")
        body.append(kv_table(parameter_rows(result, params, lang)))
    body.append(f"<h3>{esc(t('sources', lang))}</h3>")
    body.append(
        f'<ul class="sa-list"><li>{esc(t("source_1", lang))}</li><li>{esc(t("source_2", lang))}</li></ul>'
    )
    return _section("appendix-method", t("appendix_method", lang), "".join(body), major=False)


def parameter_rows(
    result: AuditResult, params: Mapping[str, Any], lang: str = "ru"
) -> list[tuple[str, str]]:
    """The engagement parameters as the reader's rows, never as ``report.yaml`` keys: the gross
    margin as a percentage, changed indicator references by the indicator's label (their values
    are in the references table above), analysis settings by count; any other key as written."""
    labels = indicator_labels(result)
    rows = []
    for key, value in sorted(params.items()):
        if key == "gross_margin" and not _is_missing(value):
            rows.append((t("param_gross_margin", lang), fmt_share(value, lang, 0)))
        elif key == "thresholds" and isinstance(value, Mapping):
            names = [evidence_label(k, labels, lang) for k in sorted(value)]
            rows.append((t("param_thresholds", lang), "; ".join(names) or "—"))
        elif key == "analysis_params" and isinstance(value, Mapping):
            rows.append((t("param_analysis", lang), fmt_number(len(value), lang)))
        else:
            rows.append((str(key), _cell(value, lang)))
    return rows


def appendix_glossary(lang: str = "ru") -> Html:
    """Glossary of the Russian sales-management terms used in the report."""
    check_lang(lang)
    if lang == "ru":
        rows = [(ru, mru) for ru, _en, mru, _men in GLOSSARY]
    else:
        # the English report is English throughout: no Russian terms in brackets
        rows = [(en, men) for _ru, en, _mru, men in GLOSSARY]
    body = table(
        [t("term", lang), t("meaning", lang)],
        rows,
        lang=lang,
        widths=("34%", "66%"),
        max_rows=100,
        css_class="sa-table sa-glossary",
    )
    # kept whole (short table); it starts its own page, as the last appendix
    return _section("appendix-glossary", t("appendix_glossary", lang), body)


# --- whole document -----------------------------------------------------------------------------
def report_body(
    result: AuditResult, branding: dict[str, Any], lang: str = "ru", *, checklist: Any = None
) -> list[Html]:
    """All sections in document order (what the report notebook displays one by one); every
    chart is drawn once, by the first section that shows it (:func:`chart_plan`). Money is
    written in the result's currency."""
    set_currency(result.currency)
    parts = [cover(result, branding, lang), contents(lang, result), executive_summary(result, lang)]
    plan = chart_plan(result)
    for a in AREAS:
        parts.append(
            problem_section(result, a, lang, checklist=checklist, skip_charts=plan[f"area-{a}"])
        )
    parts += [
        planning_section(result, lang, skip_charts=plan["planning"]),
        scorecards(result, lang, skip_charts=plan["scorecards"]),
        forecast_section(result, lang, skip_charts=plan["forecast"]),
        credibility_section(result, lang, skip_charts=plan["credibility"]),
        express_checklist_table(result, lang),
        roadmap(result, lang),
        appendix_quality(result, lang),
        appendix_method(result, lang),
        appendix_glossary(lang),
    ]
    return parts


def html_document(body: str, *, lang: str = "ru", client: str = "") -> str:
    """Wrap body HTML into a complete document with the report CSS (header/footer per language)."""
    check_lang(lang)
    title = f"{t('report_title', lang)} — {client}" if client else t("report_title", lang)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{report_css(lang, client)}</style></head>"
        f'<body><main class="sa-report">{body}</main></body></html>'
    )


def build_report_html(
    result: AuditResult, branding: dict[str, Any], lang: str = "ru", *, checklist: Any = None
) -> str:
    """The whole express-assessment document as one HTML string (ready for
    :func:`~salesaudit.report.pdf.html_to_pdf_bytes`)."""
    check_lang(lang)
    body = "".join(str(p) for p in report_body(result, branding, lang, checklist=checklist))
    return html_document(body, lang=lang, client=client_name(result))
