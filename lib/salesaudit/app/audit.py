"""``salesaudit audit CLIENT_DIR``: load the client, run the analyses, score the audit, write JSON.

Orchestration only: io reads the folder, the checklist and the answers; the model builds the
dataset; analytics and scoring are pure functions; the JSON is written atomically.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from salesaudit.app._guard import describe, user_errors
from salesaudit.errors import DataNotUsableError, ErrorCase, ParameterError, SalesAuditError
from salesaudit.io.atomic import atomic_write_text
from salesaudit.io.checklist_files import (
    find_answers_file,
    read_answers_file_hashed,
    read_checklist_dir,
)
from salesaudit.io.yamlio import read_yaml_hashed
from salesaudit.model.pseudonymize import (
    Pseudonymizer,
    build_pseudonymizer,
    match_labels,
    pseudonymize_quality,
    pseudonymize_with,
    scrub,
)
from salesaudit.scoring.answers import Answers, validate_answers
from salesaudit.scoring.audit import build_audit, check_params
from salesaudit.scoring.checklist import Checklist, build_checklist
from salesaudit.scoring.report_settings import check_report_settings, report_currency
from salesaudit.scoring.result import AuditResult, frame_to_json

if TYPE_CHECKING:
    from salesaudit.app.loading import LoadedClient

HELP = "score the audit of a client folder and write the result JSON"
#: report.yaml keys this command reads (others belong to the report and are ignored here)
REPORT_KEYS = (
    "client_name",
    "client",
    "consultant",
    "as_of",
    "lang",
    "gross_margin",
    "thresholds",
    "analysis",
)
#: result keys whose texts come from the checklist/method, not from the client's data: kept as
#: they are in pseudonymised mode
METHOD_TEXT_KEYS = ("title", "label", "recommendation", "question", "hint")


def load_checklist(path: str | Path | None = None) -> Checklist:
    """Read and validate the checklist folder (default: the repository's ``checklist/``)."""
    return build_checklist(read_checklist_dir(path))


def load_answers(client_dir: str | Path, checklist: Checklist) -> Answers:
    """The client's validated interview answers (empty when the folder has none)."""
    return _load_answers_hashed(client_dir, checklist)[0]


def _load_answers_hashed(
    client_dir: str | Path, checklist: Checklist
) -> tuple[Answers, dict[str, str]]:
    """:func:`load_answers` and ``{file name: SHA-256 of the bytes read}`` (empty: no file)."""
    path = find_answers_file(client_dir)
    if path is None:
        return Answers(), {}
    with user_errors(
        path,
        "the interview answers cannot be read",
        "fix the value named in the message (dates as YYYY-MM-DD); answers.xlsx must be the "
        "sheet written by `salesaudit interview-sheet`, saved as XLSX",
    ):
        raw, sha = read_answers_file_hashed(path)
        answers = validate_answers(raw, checklist)
    # the result names the file relative to the client folder, never by an absolute path
    return dataclasses.replace(answers, source=path.name), {path.name: sha}


def read_report_settings(client_dir: str | Path) -> dict[str, Any]:
    """``report.yaml`` of the client folder, schema-checked (empty when absent).

    Every reader of report.yaml goes through here, so one validator
    (:func:`~salesaudit.scoring.report_settings.check_report_settings`) sees every key: unknown
    keys (with a did-you-mean), wrong types and unknown analyses are all listed in one error.
    """
    return _read_report_settings_hashed(client_dir)[0]


def _read_report_settings_hashed(client_dir: str | Path) -> tuple[dict[str, Any], dict[str, str]]:
    """:func:`read_report_settings` and ``{file name: SHA-256 of the bytes read}``."""
    for name in ("report.yaml", "report.yml"):
        p = Path(client_dir) / name
        if p.is_file():
            with user_errors(
                p,
                f"{name} cannot be read",
                "fix the value named in the message (dates as YYYY-MM-DD, texts in quotes)",
            ):
                doc, sha = read_yaml_hashed(p)
            return check_report_settings(doc, source=str(p)), {name: sha}
    return {}, {}


def as_date(value: Any, source: str) -> dt.date:
    """``value`` (a date, datetime or ISO text) as a date; :class:`ParameterError` naming
    ``source`` and ``as_of`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            f"as_of must be a date YYYY-MM-DD, got {value!r}", file=source, column="as_of"
        ) from None


def check_analysis_params(value: Any, source: str) -> dict[str, dict[str, Any]] | None:
    """``report.yaml``'s ``analysis:`` section checked: analysis name -> mapping of parameters.

    ``None`` when absent or empty; a :class:`ParameterError` listing every entry that is not a
    mapping (unknown names and parameter values are checked by the analyses themselves).
    """
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise ParameterError(
            f"analysis: must map analysis name -> parameters, got {type(value).__name__}",
            file=source,
            column="analysis",
            hint="e.g. analysis: {stalled_deals: {days: 30}}",
        )
    cases = [
        ErrorCase(
            f"analysis.{name}: must be a mapping of parameter -> value, got {params!r}",
            file=source,
            column="analysis",
        )
        for name, params in value.items()
        if params is not None and not isinstance(params, Mapping)
    ]
    if cases:
        raise ParameterError(
            f"{len(cases)} problem(s) in the analysis parameters",
            file=source,
            hint="e.g. analysis: {stalled_deals: {days: 30}}",
            cases=cases,
        )
    return {str(k): dict(v or {}) for k, v in value.items()}


def engagement_params(
    settings: Mapping[str, Any], source: str, checklist: Checklist
) -> tuple[dict[str, Any], dict[str, dict[str, Any]] | None]:
    """The engagement parameters of ``report.yaml``, checked before anything heavy runs.

    Returns ``(params, analysis_params)``: ``params`` for :func:`build_audit` (``thresholds``,
    ``gross_margin``, ``analysis_params`` when given) and the per-analysis parameters for
    ``run_all``. Raises :class:`ParameterError` naming ``source`` for a bad value.
    """
    analysis = check_analysis_params(settings.get("analysis"), source)
    params: dict[str, Any] = {
        name: settings[name]
        for name in ("thresholds", "gross_margin")
        if settings.get(name) is not None
    }
    if analysis:
        params["analysis_params"] = dict(analysis)
    try:
        check_params(params)
        if params.get("thresholds"):
            checklist.with_thresholds(params["thresholds"])
    except SalesAuditError as exc:
        raise ParameterError(
            exc.message,
            file=source,
            column=exc.column,
            hint=exc.hint,
            cases=[dataclasses.replace(c, file=c.file or source) for c in exc.cases],
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ParameterError(
            f"thresholds: cannot be applied ({describe(exc)})",
            file=source,
            column="thresholds",
            hint="write them as thresholds: {indicator_id: {good: 0.9, bad: 0.6}}",
        ) from None
    return params, analysis


def company_name(settings: Mapping[str, Any], lang: str = "ru") -> str | None:
    """The audited company's name from ``report.yaml`` (``client_name`` or ``client``).

    A per-language mapping (``client_name: {ru: ..., en: ...}``) gives the ``lang`` text (else
    the first non-empty one); ``None`` when the settings name no company.
    """
    for key in ("client_name", "client"):
        value = settings.get(key)
        if isinstance(value, Mapping):
            value = value.get(lang) or next((v for v in value.values() if v), None)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return None


def pseudonymize_inputs(
    loaded: LoadedClient,
    answers: Answers,
    key: bytes,
    *,
    lang: str = "ru",
    company: str | None = None,
    consultant: str | None = None,
) -> tuple[Pseudonymizer, LoadedClient, Answers]:
    """The one pseudonymisation pass of an audit's inputs (nothing passed in is modified).

    The aliases come from the *original* dataset in ``loaded`` plus every source spelling the
    reconciliation matched (``quality.matches``) and the audited ``company``. Returns the
    pseudonymizer (to scrub the result with, see :func:`scrub_result`), the loaded client with
    the pseudonymised dataset, quality report, sheet descriptions and file names, and the answers
    with their notes scrubbed.
    """
    pz = build_pseudonymizer(
        loaded.dataset,
        key,
        lang=lang,
        company=company,
        extra_names=match_labels(loaded.quality.matches),
        consultants=[c for c in (consultant, answers.meta.get("consultant")) if isinstance(c, str)],
    )
    quality = pseudonymize_quality(loaded.quality, loaded.dataset, key, pseudonymizer=pz)
    safe = dataclasses.replace(
        loaded,
        dataset=pseudonymize_with(loaded.dataset, pz),
        quality=quality,
        sheets_meta=scrub(list(loaded.sheets_meta), pz),
        hashes=scrub(dict(loaded.hashes), pz),
    )
    items = {
        qid: dataclasses.replace(a, note=pz.text(a.note) if isinstance(a.note, str) else a.note)
        for qid, a in answers.items.items()
    }
    safe_answers = dataclasses.replace(
        answers,
        items=items,
        source=pz.text(answers.source) if isinstance(answers.source, str) else answers.source,
        meta=scrub(dict(answers.meta), pz),
    )
    return pz, safe, safe_answers


def scrub_result(result: AuditResult, pz: Pseudonymizer) -> AuditResult:
    """The audit result with every client text scrubbed by ``pz``; method texts are kept.

    Texts under :data:`METHOD_TEXT_KEYS` (checklist titles, labels, recommendations, questions)
    are not client data and stay as written; ``meta.client`` becomes the company alias and
    ``meta.pseudonymized`` is set. ``result`` is not modified.
    """
    d = scrub(result.to_dict(), pz, skip_keys=METHOD_TEXT_KEYS)
    d["meta"]["client"] = pz.company or d["meta"].get("client")
    d["meta"]["pseudonymized"] = True
    return AuditResult.from_dict(d)


#: what to do when the data would make ``salesaudit validate`` exit 1
_INCOMPLETE_HINT = {
    "ru": "salesaudit validate покажет, что прочитано, и готовый фрагмент mapping.yaml; чтобы "
    "всё же построить отчёт на этих данных, добавьте --accept-incomplete (отчёт перечислит эти "
    "проблемы)",
    "en": "salesaudit validate shows what was read and a ready mapping.yaml fix; to build the "
    "report on these data anyway, add --accept-incomplete (the report then lists these problems)",
}


def _blocking_texts(quality: Any, client_dir: Path) -> list[dict[str, str]]:
    """The problems that make ``validate`` exit 1, each as ``{"ru": ..., "en": ...}``."""
    from salesaudit.app.validate import blocking_error

    by_lang = {}
    for lang in ("ru", "en"):
        error = blocking_error(quality, lang, str(client_dir))
        by_lang[lang] = [c.message for c in error.cases] if error is not None else []
    return [{"ru": ru, "en": en} for ru, en in zip(by_lang["ru"], by_lang["en"], strict=True)]


def quality_summary(
    loaded: LoadedClient, blocking: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The data-quality part of the result: usable flag, per-table counts, issues (JSON frames)
    and ``blocking``: the problems that make ``validate`` exit 1, accepted for this run
    (``--accept-incomplete``), each as ``{"ru": sentence, "en": sentence}``."""
    q = loaded.quality
    return {
        "usable": bool(q.usable),
        "blocking": list(blocking or []),
        "tables": frame_to_json(q.tables),
        "issues": frame_to_json(q.issues),
        "summary": frame_to_json(q.summary()),
        "sheets": [{k: v for k, v in s.items() if k != "meta"} for s in loaded.sheets_meta],
    }


def audit_client(
    client_dir: Path,
    *,
    as_of: dt.date | None = None,
    pseudonymize: bool = False,
    lang: str = "ru",
    checklist: Checklist | None = None,
    accept_incomplete: bool = False,
) -> tuple[AuditResult, LoadedClient]:
    """Audit one client folder (see :func:`audit_client_analyses`): the result and what was
    loaded."""
    result, loaded, _analyses = audit_client_analyses(
        client_dir,
        as_of=as_of,
        pseudonymize=pseudonymize,
        lang=lang,
        checklist=checklist,
        accept_incomplete=accept_incomplete,
    )
    return result, loaded


def audit_client_analyses(
    client_dir: Path,
    *,
    as_of: dt.date | None = None,
    pseudonymize: bool = False,
    lang: str = "ru",
    checklist: Checklist | None = None,
    accept_incomplete: bool = False,
) -> tuple[AuditResult, LoadedClient, dict[str, Any]]:
    """Audit one client folder: load, (pseudonymise), analyse, read answers, score; returns the
    result, what was loaded and the analyses as objects (the workshop snapshot keeps them).

    ``as_of`` defaults to ``report.yaml``'s ``as_of``, else the date of the data's last record
    (today when that is later); an ``as_of`` outside the data's date range is a
    :class:`ParameterError` (``analytics.suite.check_as_of``). With ``pseudonymize`` names,
    phones and e-mails are replaced by keyed aliases (the key is created in the folder on first
    use) in one pass (:func:`pseudonymize_inputs`) before the analyses run, and the finished
    result is scrubbed with the same aliases (:func:`scrub_result`): the company name, answers'
    notes, quality report, file names and evidence name nobody; method texts are kept. The
    returned ``LoadedClient`` then carries the pseudonymised dataset and quality report.
    Raises :class:`DataNotUsableError` when no deals, activities or sales were loaded, and,
    unless ``accept_incomplete``, when ``salesaudit validate`` would exit 1 (a table mostly
    rejected, a key field missing: :func:`salesaudit.app.validate.blocking_error`); with
    ``accept_incomplete`` those problems are kept in ``result.quality['blocking']`` and the
    report shows them.
    """
    from salesaudit.analytics.suite import check_as_of, data_date_range, run_all
    from salesaudit.app.loading import load_client

    client_dir = Path(client_dir)
    settings, settings_hash = _read_report_settings_hashed(client_dir)
    report_file = str(client_dir / "report.yaml")
    as_of_origin, as_of_file = (
        ("--as-of", None)
        if as_of is not None
        else ("report.yaml", report_file)
        if settings.get("as_of")
        else ("the data's last record (report.yaml sets no as_of)", report_file)
    )
    from_data = as_of is None and not settings.get("as_of")
    if as_of is None:
        as_of = (
            as_date(settings["as_of"], report_file) if settings.get("as_of") else dt.date.today()
        )
    cl = checklist if checklist is not None else load_checklist()
    params, analysis_params = engagement_params(settings, report_file, cl)
    answers, answers_hash = _load_answers_hashed(client_dir, cl)
    loaded = load_client(client_dir, as_of=as_of)
    if not loaded.quality.usable or not loaded.dataset.is_usable():
        raise DataNotUsableError(
            "no deals, activities or sales could be loaded from raw/",
            file=client_dir / "raw",
            hint="run `salesaudit validate` to see what was read and why rows were rejected",
        )
    from salesaudit.app.validate import blocking_error

    blocking = blocking_error(loaded.quality, lang, str(client_dir))
    if blocking is not None and not accept_incomplete:
        raise DataNotUsableError(
            str(blocking.message),
            file=client_dir,
            hint=_INCOMPLETE_HINT[lang if lang in _INCOMPLETE_HINT else "en"],
            cases=list(blocking.cases),
        )
    data = loaded.dataset
    if from_data:  # no audit date given: the day of the last record (reproducible), not today
        rng = data_date_range(data)
        as_of = min(as_of, rng[1]) if rng is not None else as_of
    check_as_of(data, as_of, origin=as_of_origin, file=as_of_file)
    display = company_name(settings, lang) or client_dir.name
    pz: Pseudonymizer | None = None
    if pseudonymize:
        from salesaudit.io.keys import load_or_create_key

        pz, loaded, answers = pseudonymize_inputs(
            loaded,
            answers,
            load_or_create_key(client_dir),
            lang=lang,
            company=display,
            consultant=settings.get("consultant"),
        )
        data = loaded.dataset
        display = pz.company or display
    analyses = run_all(data, as_of=as_of, coaching=cl.coaching, params=analysis_params)
    meta = {
        "client": display,
        "consultant": (
            pz.text(str(settings["consultant"]))
            if pz is not None and settings.get("consultant")
            else settings.get("consultant")
        ),
        "lang": lang,
        "pseudonymized": pseudonymize,
        # SHA-256 of the bytes each input was read from: raw files, mapping.yaml, the answers
        # and report.yaml (each read once; the hash is of what the audit used)
        "input_hashes": dict(sorted({**loaded.hashes, **answers_hash, **settings_hash}.items())),
        # report.yaml's currency (else mapping.yaml's, else RUB): every money figure is in it
        "currency": report_currency(settings, data.meta.get("currency")),
        "industry": settings.get("industry"),
    }
    result = build_audit(
        data,
        analyses,
        cl,
        answers,
        as_of=as_of,
        meta=meta,
        quality=quality_summary(
            loaded, _blocking_texts(loaded.quality, client_dir) if blocking is not None else []
        ),
        params=params,
    )
    if pz is not None:
        result = scrub_result(result, pz)
    return result, loaded, dict(analyses)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit audit``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="the client folder (with raw/)")
    parser.add_argument("--out", default=None, help="result JSON (default CLIENT_DIR/result.json)")
    parser.add_argument(
        "--as-of",
        default=None,
        help="audit date YYYY-MM-DD (default report.yaml / the data's last record)",
    )
    parser.add_argument(
        "--pseudonymize", action="store_true", help="replace names, phones and e-mails by aliases"
    )
    parser.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of the result")
    parser.add_argument(
        "--accept-incomplete",
        action="store_true",
        help="audit even when `salesaudit validate` would refuse the data (a table mostly "
        "rejected, a key field missing); the result lists those problems",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``salesaudit audit``: write the result JSON and print a one-screen summary."""
    as_of = as_date(args.as_of, "--as-of") if args.as_of else None
    client_dir = Path(args.client_dir)
    result, _ = audit_client(
        client_dir,
        as_of=as_of,
        pseudonymize=args.pseudonymize,
        lang=args.lang,
        accept_incomplete=args.accept_incomplete,
    )
    out = Path(args.out) if args.out else client_dir / "result.json"
    atomic_write_text(out, result.to_json() + "\n")
    lang = args.lang
    index = "—" if result.overall_index is None else f"{result.overall_index:.0f}"
    name = result.maturity.get("name", {}).get(lang, "")
    print(f"{out}: index {index}/100, {name}; {len(result.findings)} finding(s)")
    why = (result.assessment or {}).get("reason")
    if why:  # too few areas assessed for an index: say why
        print(f"  {why.get(lang) or why.get('ru')}")
    for v in result.verdicts:  # the seven problems: verdict and who / how much
        print(f"  {v['area']} {v['label'][lang]}: {v['sentence'][lang]}")
    for f in result.findings[:5]:
        print(f"  {f.rank}. [{f.severity}] {f.area} {f.title[lang]}")
    return 0
