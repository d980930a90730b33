"""``report.yaml``: the engagement settings of one client folder, schema-checked in one place.

:func:`check_report_settings` takes what the YAML reader returned and either gives back the
settings (``as_of`` as a date, ``currency`` as an upper-case ISO code, everything else as
written) or raises one :class:`~salesaudit.errors.ParameterError` listing *every* problem: an
unknown key with the closest known one (``report.yaml: unknown key 'as_off' — did you mean
'as_of'?``), a value of the wrong type, an unknown analysis or analysis parameter. The deeper
check of ``thresholds`` (indicator ids, numbers) needs the checklist and stays in
:meth:`~salesaudit.scoring.checklist.Checklist.with_thresholds`. The reference is
``docs/report-yaml.md``. Pure: the file is read by the app layer.
"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesaudit.errors import ErrorCase, ParameterError

__all__ = [
    "CURRENCY_SYMBOLS",
    "DEFAULT_CURRENCY",
    "KEYS",
    "KeySpec",
    "check_report_settings",
    "report_currency",
]

DEFAULT_CURRENCY = "RUB"
#: ISO code -> the sign the report prints (codes not listed are printed as the code itself)
CURRENCY_SYMBOLS: dict[str, str] = {
    "RUB": "₽",
    "USD": "$",
    "EUR": "€",
    "KZT": "₸",
    "BYN": "Br",
    "UAH": "₴",
    "GBP": "£",
    "CNY": "¥",
    "TRY": "₺",
    "AMD": "֏",
    "GEL": "₾",
}


@dataclass(frozen=True)
class KeySpec:
    """One known key of ``report.yaml``: the kind of value and what it is for."""

    kind: str  # text | localized | date | currency | share | lang | mapping | analysis
    meaning: str


#: every key the project reads from ``report.yaml`` (documented in docs/report-yaml.md)
KEYS: dict[str, KeySpec] = {
    "client_name": KeySpec("localized", "the audited company's name on the cover and in texts"),
    "client": KeySpec("localized", "older spelling of client_name (client_name wins)"),
    "industry": KeySpec("localized", "the client's industry, recorded in the result's meta"),
    "consultant": KeySpec("text", "the consultant's name on the cover"),
    "as_of": KeySpec("date", "audit date YYYY-MM-DD (default: today; --as-of overrides)"),
    "currency": KeySpec("currency", "ISO code of every money figure (default RUB)"),
    "lang": KeySpec("lang", "ru or en: accepted but not used; the language is chosen with --lang"),
    "gross_margin": KeySpec("share", "gross margin share for the profit upside (default 0.25)"),
    "thresholds": KeySpec("mapping", "per-engagement indicator thresholds {id: {good, bad}}"),
    "analysis": KeySpec("analysis", "per-analysis parameters {analysis: {parameter: value}}"),
}


def _suggest(value: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _analysis_cases(value: Mapping, source: str) -> list[ErrorCase]:
    """Unknown analysis names and parameter names (the parameters' values are checked by the
    analyses themselves when they run)."""
    from salesaudit.analytics.suite import ANALYSES  # lazy: the analytics are heavy

    cases = []
    names = list(ANALYSES)
    for name, params in value.items():
        where = f"analysis.{name}"
        if name not in ANALYSES:
            close = _suggest(str(name), names)
            cases.append(
                ErrorCase(
                    f"{where}: unknown analysis" + (f" — did you mean {close!r}?" if close else ""),
                    file=source,
                    hint=None if close else "known: " + ", ".join(names),
                )
            )
            continue
        if params is None:
            continue
        if not isinstance(params, Mapping):
            cases.append(
                ErrorCase(
                    f"{where}: must be a mapping of parameter -> value, got {params!r}",
                    file=source,
                )
            )
            continue
        fn, dated = ANALYSES[name]
        sig = inspect.signature(fn)
        allowed = [
            p.name
            for p in list(sig.parameters.values())[1:]
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "as_of"
        ]
        for param in params:
            if param not in allowed:
                close = _suggest(str(param), allowed)
                cases.append(
                    ErrorCase(
                        f"{where}.{param}: unknown parameter"
                        + (f" — did you mean {close!r}?" if close else ""),
                        file=source,
                        hint="parameters: " + (", ".join(allowed) or "none"),
                    )
                )
    return cases


def _check(key: str, value: Any, source: str) -> tuple[Any, ErrorCase | None]:
    """``(normalised value, None)`` or ``(None, the problem)`` for one known key."""
    kind = KEYS[key].kind

    def bad(what: str, hint: str | None = None) -> tuple[None, ErrorCase]:
        return None, ErrorCase(f"{key}: {what}, got {value!r}", file=source, hint=hint)

    if kind == "text":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return bad("must be a text")
        return str(value), None
    if kind == "localized":
        if isinstance(value, Mapping):
            extra = sorted(str(k) for k in value if k not in ("ru", "en"))
            if extra or not all(isinstance(v, str) for v in value.values()):
                return bad("must be a text or {ru: text, en: text}")
            return dict(value), None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return bad("must be a text or {ru: text, en: text}")
        return str(value), None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        try:
            return dt.date.fromisoformat(str(value).strip()), None
        except ValueError:
            return bad("must be a date YYYY-MM-DD")
    if kind == "currency":
        text = str(value).strip() if isinstance(value, str) else ""
        if len(text) != 3 or not text.isascii() or not text.isalpha():
            return bad("must be a 3-letter ISO currency code", "e.g. RUB, USD, EUR, KZT, BYN")
        return text.upper(), None
    if kind == "share":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
            return bad("must be a share in (0, 1]", "e.g. gross_margin: 0.3 for 30 %")
        return value, None
    if kind == "lang":
        if value not in ("ru", "en"):
            return bad("must be ru or en")
        return value, None
    if kind in ("mapping", "analysis"):
        if not isinstance(value, Mapping):
            example = (
                "thresholds: {p5.win_rate: {good: 30, bad: 12}}"
                if key == "thresholds"
                else "analysis: {stalled_deals: {days: 30}}"
            )
            return bad("must be a mapping", f"e.g. {example}")
        return dict(value), None
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def check_report_settings(doc: Any, *, source: str = "report.yaml") -> dict[str, Any]:
    """The validated settings of ``report.yaml`` (``{}`` for an empty file).

    Keys absent from the file are absent from the result (``currency`` too: use
    :func:`report_currency`). Raises one :class:`ParameterError` naming ``source`` with every
    problem as a case (unknown keys with a did-you-mean suggestion, wrong types, unknown
    analyses or analysis parameters).
    """
    if doc is None:
        return {}
    if not isinstance(doc, Mapping):
        raise ParameterError(
            f"report.yaml must hold a mapping of keys, got {type(doc).__name__}",
            file=source,
            hint="see docs/report-yaml.md",
        )
    cases: list[ErrorCase] = []
    out: dict[str, Any] = {}
    known = list(KEYS)
    for key, value in doc.items():
        if key not in KEYS:
            close = _suggest(str(key), known)
            cases.append(
                ErrorCase(
                    f"unknown key {key!r}" + (f" — did you mean {close!r}?" if close else ""),
                    file=source,
                    hint=None if close else "known keys: " + ", ".join(known),
                )
            )
            continue
        if value is None:
            continue
        checked, problem = _check(str(key), value, source)
        if problem is not None:
            cases.append(problem)
            continue
        if key == "analysis":
            cases += _analysis_cases(checked, source)
        out[str(key)] = checked
    if cases:
        n = len(cases)
        raise ParameterError(
            f"{n} problem{'s' if n > 1 else ''} in report.yaml",
            file=source,
            hint="fix them as listed; the reference is docs/report-yaml.md",
            cases=cases,
        )
    return out


def report_currency(settings: Mapping[str, Any], fallback: str | None = None) -> str:
    """The report currency: ``report.yaml``'s ``currency``, else ``fallback`` (the mapping's),
    else RUB."""
    return str(settings.get("currency") or fallback or DEFAULT_CURRENCY).upper()
