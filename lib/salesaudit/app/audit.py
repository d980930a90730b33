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

from salesaudit.errors import DataNotUsableError, ParameterError
from salesaudit.io.atomic import atomic_write_text
from salesaudit.io.checklist_files import find_answers_file, read_answers_file, read_checklist_dir
from salesaudit.io.yamlio import read_yaml
from salesaudit.scoring.answers import Answers, validate_answers
from salesaudit.scoring.audit import build_audit
from salesaudit.scoring.checklist import Checklist, build_checklist
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


def load_checklist(path: str | Path | None = None) -> Checklist:
    """Read and validate the checklist folder (default: the repository's ``checklist/``)."""
    return build_checklist(read_checklist_dir(path))


def load_answers(client_dir: str | Path, checklist: Checklist) -> Answers:
    """The client's validated interview answers (empty when the folder has none)."""
    path = find_answers_file(client_dir)
    if path is None:
        return Answers()
    return validate_answers(read_answers_file(path), checklist)


def read_report_settings(client_dir: str | Path) -> dict[str, Any]:
    """``report.yaml`` of the client folder as a dict (empty when absent)."""
    for name in ("report.yaml", "report.yml"):
        p = Path(client_dir) / name
        if p.is_file():
            doc = read_yaml(p)
            if doc is None:
                return {}
            if not isinstance(doc, dict):
                raise ParameterError("report.yaml must hold a mapping", file=p)
            return doc
    return {}


def _as_date(value: Any, source: str) -> dt.date:
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


def quality_summary(loaded: LoadedClient) -> dict[str, Any]:
    """The data-quality part of the result: usable flag, per-table counts, issues (JSON frames)."""
    q = loaded.quality
    return {
        "usable": bool(q.usable),
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
) -> tuple[AuditResult, LoadedClient]:
    """Audit one client folder: load, (pseudonymise), analyse, read answers, score.

    ``as_of`` defaults to ``report.yaml``'s ``as_of``, else today. With ``pseudonymize`` names,
    phones and e-mails are replaced by keyed aliases (the key is created in the folder on first
    use); the returned ``LoadedClient`` then carries the pseudonymised dataset and quality report
    (and no file names or hashes). Raises :class:`DataNotUsableError` when no deals, activities
    or sales were loaded.
    """
    from salesaudit.analytics.suite import run_all
    from salesaudit.app.loading import load_client

    client_dir = Path(client_dir)
    settings = read_report_settings(client_dir)
    report_file = str(client_dir / "report.yaml")
    if as_of is None:
        as_of = (
            _as_date(settings["as_of"], report_file) if settings.get("as_of") else dt.date.today()
        )
    cl = checklist if checklist is not None else load_checklist()
    answers = load_answers(client_dir, cl)
    loaded = load_client(client_dir, as_of=as_of)
    if not loaded.quality.usable or not loaded.dataset.is_usable():
        raise DataNotUsableError(
            "no deals, activities or sales could be loaded from raw/",
            file=client_dir / "raw",
            hint="run `salesaudit validate` to see what was read and why rows were rejected",
        )
    data = loaded.dataset
    display = str(settings.get("client_name") or settings.get("client") or client_dir.name)
    if pseudonymize:
        from salesaudit.io.keys import load_or_create_key
        from salesaudit.model.pseudonymize import (
            build_pseudonymizer,
            make_alias,
            pseudonymize_quality,
            pseudonymize_with,
        )

        key = load_or_create_key(client_dir)
        pz = build_pseudonymizer(data, key, lang=lang, company=display)
        quality = pseudonymize_quality(
            loaded.quality, data, key, lang=lang, company=display, pseudonymizer=pz
        )
        data = pseudonymize_with(data, pz)
        loaded = dataclasses.replace(
            loaded, dataset=data, quality=quality, sheets_meta=[], hashes={}
        )
        display = make_alias(key, "company", display, lang=lang)
    analysis_params = settings.get("analysis") or None
    if analysis_params is not None and not isinstance(analysis_params, Mapping):
        raise ParameterError("analysis: must map analysis name -> parameters", file=report_file)
    analyses = run_all(data, as_of=as_of, coaching=cl.coaching, params=analysis_params)
    params: dict[str, Any] = {}
    for name in ("thresholds", "gross_margin"):
        if settings.get(name) is not None:
            params[name] = settings[name]
    if analysis_params:
        params["analysis_params"] = dict(analysis_params)
    meta = {
        "client": display,
        "consultant": settings.get("consultant"),
        "lang": lang,
        "pseudonymized": pseudonymize,
        "input_hashes": dict(sorted(loaded.hashes.items())),
    }
    result = build_audit(
        data,
        analyses,
        cl,
        answers,
        as_of=as_of,
        meta=meta,
        quality=quality_summary(loaded),
        params=params,
    )
    return result, loaded


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit audit``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="the client folder (with raw/)")
    parser.add_argument("--out", default=None, help="result JSON (default CLIENT_DIR/result.json)")
    parser.add_argument(
        "--as-of", default=None, help="audit date YYYY-MM-DD (default report.yaml / today)"
    )
    parser.add_argument(
        "--pseudonymize", action="store_true", help="replace names, phones and e-mails by aliases"
    )
    parser.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of the result")


def run(args: argparse.Namespace) -> int:
    """Run ``salesaudit audit``: write the result JSON and print a one-screen summary."""
    as_of = _as_date(args.as_of, "--as-of") if args.as_of else None
    client_dir = Path(args.client_dir)
    result, _ = audit_client(
        client_dir, as_of=as_of, pseudonymize=args.pseudonymize, lang=args.lang
    )
    out = Path(args.out) if args.out else client_dir / "result.json"
    atomic_write_text(out, result.to_json() + "\n")
    lang = args.lang
    index = "—" if result.overall_index is None else f"{result.overall_index:.0f}"
    name = result.maturity.get("name", {}).get(lang, "")
    print(f"{out}: index {index}/100, {name}; {len(result.findings)} finding(s)")
    for f in result.findings[:5]:
        print(f"  {f.rank}. [{f.severity}] {f.area} {f.title[lang]}")
    return 0
