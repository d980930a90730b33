"""``salesaudit validate CLIENT_DIR``: read a client's exports and print the data-quality report.

Besides the exports, the folder's ``report.yaml`` and interview answers are checked too (after
the report is printed), so that ``salesaudit audit``/``run`` do not fail on them later.

Exit codes: 0 when the data is usable for an audit, 1 when it is read but not enough
(:class:`~salesaudit.errors.DataNotUsableError`), 2 on input errors (missing folder, unreadable
files, invalid mapping.yaml, report.yaml or answers).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from salesaudit.app.loading import load_client
from salesaudit.errors import DataNotUsableError, ErrorCase, ParameterError, SalesAuditError
from salesaudit.model.parse import parse_date

HELP = "check a client folder: what was read, accepted, rejected and why (data-quality report)"


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        value = None
    if value is None:
        raise ParameterError(
            f"--as-of: not a date: {text!r}",
            hint="write the audit date as YYYY-MM-DD or DD.MM.YYYY",
        )
    return value.date()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit validate``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="client folder (with raw/)")
    parser.add_argument(
        "--lang", choices=("ru", "en"), default="ru", help="language of the report (default ru)"
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        metavar="DATE",
        default=None,
        help="audit date: later dates are reported as future dates (default today)",
    )


def check_settings_and_answers(client_dir: str | Path) -> None:
    """Check ``report.yaml`` (mapping, ``as_of``, ``analysis:``) and the interview answers.

    Raises the one error found, or one :class:`SalesAuditError` listing every error (all exit 2).
    """
    from salesaudit.app.audit import (
        as_date,
        engagement_params,
        load_answers,
        load_checklist,
        read_report_settings,
    )

    errors: list[SalesAuditError] = []
    report_file = str(Path(client_dir) / "report.yaml")
    checklist = load_checklist()
    try:
        settings = read_report_settings(client_dir)
        if settings.get("as_of"):
            as_date(settings["as_of"], report_file)
        engagement_params(settings, report_file, checklist)
    except SalesAuditError as exc:
        errors.append(exc)
    try:
        load_answers(client_dir, checklist)
    except SalesAuditError as exc:
        errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SalesAuditError(
            f"{len(errors)} problems in the client folder's settings and answers",
            file=client_dir,
            hint="fix each one as listed",
            cases=[ErrorCase(str(e).replace("\n", " ")) for e in errors],
        )


def run(args: argparse.Namespace) -> int:
    """Load the folder, print the quality report; raise DataNotUsableError when not usable."""
    as_of = _as_of(args.as_of)
    loaded = load_client(args.client_dir, as_of=as_of)
    print(loaded.quality.to_text(args.lang))
    check_settings_and_answers(args.client_dir)
    if not loaded.quality.usable:
        if args.lang == "ru":
            raise DataNotUsableError(
                "данных недостаточно для аудита: не принято ни одной сделки, дела или продажи",
                file=args.client_dir,
                hint="добавьте выгрузку сделок, дел/звонков или продаж в raw/ "
                "или опишите её в mapping.yaml",
            )
        raise DataNotUsableError(
            "not enough data for an audit: no deal, activity or sale was accepted",
            file=args.client_dir,
            hint="add a deals, activities or sales export to raw/ or describe it in mapping.yaml",
        )
    return 0
