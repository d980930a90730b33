"""``salesaudit validate CLIENT_DIR``: read a client's exports and print the data-quality report.

Besides the exports, the folder's ``report.yaml`` and interview answers are checked too (after
the report is printed), so that ``salesaudit audit``/``run`` do not fail on them later.

The report lists every file of ``raw/`` (how it was recognised, the table it feeds, rows read /
accepted / rejected with the reasons, columns read and not read, key fields missing), then a
«how to fix» section with a ready-to-paste ``mapping.yaml`` block for every problem a mapping
can fix (see :func:`salesaudit.model.propose.mapping_fixes`).

Exit codes: 0 when the data is usable for an audit, 1 when it is read but not usable
(:class:`~salesaudit.errors.DataNotUsableError`: no deal/activity/sale accepted, a table with
more than half of its rows rejected, or a sheet without a key field), 2 on input errors
(missing folder, unreadable files, invalid mapping.yaml, report.yaml or answers).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from salesaudit.app.loading import load_client
from salesaudit.errors import DataNotUsableError, ErrorCase, ParameterError, SalesAuditError
from salesaudit.model.parse import parse_date
from salesaudit.model.propose import (
    Fix,
    blocking_problems,
    field_codes,
    mapping_fixes,
    mapping_text,
    yaml_lines,
)
from salesaudit.model.quality import QualityReport, wrap_line

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


_FIX_TEXT = {
    "ru": {
        "title": "Как исправить через mapping.yaml",
        "unrecognised": "файл не распознан; по заголовкам это таблица {table} — колонки ниже",
        "missing_key": "ключевого поля {field} нет среди прочитанных: возьмите колонку «{header}»",
        "unmapped": "колонка «{header}» не прочитана -> {field}",
        "date_format": "{n} дат(ы) в «{column}» не прочитаны (оставлены пустыми): они в формате "
        "{format!r} — он задан ниже для всех дат файла",
        "labels": "{field}: {labels} неизвестн. значений ({rows} стр.) получат коды ниже — "
        "проверьте их",
        "more": "{field}: ещё {more} значений ({more_rows} стр.) не вошли в блок; полный список "
        "с подсказками: salesaudit map {folder}",
        "no_code": "{field}: для {labels} код не подобран — впишите его сами ({codes})",
        "extends": "запись match: {match!r} повторяет ваше правило из mapping.yaml и дополняет "
        "его; поставьте её перед ним (первое подходящее правило побеждает)",
        "new_file": "Вставьте в новый файл mapping.yaml рядом с raw/:",
        "add_to": "Добавьте в начало списка files: в mapping.yaml:",
        "manual": "(mapping не поможет: нужна другая выгрузка)",
    },
    "en": {
        "title": "How to fix it in mapping.yaml",
        "unrecognised": "file not recognised; its headers look like table {table} — columns below",
        "missing_key": "key field {field} is not among the columns read: take column «{header}»",
        "unmapped": "column «{header}» is not read -> {field}",
        "date_format": "{n} date(s) in «{column}» could not be read (left empty): they are "
        "written as {format!r} — set below for every date of the file",
        "labels": "{field}: {labels} unknown labels ({rows} rows) get the codes below — check them",
        "more": "{field}: {more} more labels ({more_rows} rows) are not in the block; the full "
        "list with suggestions: salesaudit map {folder}",
        "no_code": "{field}: no code found for {labels} — write it yourself ({codes})",
        "extends": "the entry match: {match!r} repeats your mapping.yaml rule and extends it; put "
        "it before that rule (the first matching rule wins)",
        "new_file": "Paste into a new mapping.yaml next to raw/:",
        "add_to": "Add at the top of the files: list in mapping.yaml:",
        "manual": "(a mapping cannot fix this: another export is needed)",
    },
}
_BLOCK_TEXT = {
    "ru": {
        "mostly_rejected": "таблица {table}: отклонено {rejected} из {read} строк (больше половины)",
        "missing_key": "{file}: таблица {table} без ключевого поля {field} ({hint})",
        "title": "данные непригодны для аудита: {n} пробл.",
        "hint": "исправьте по блоку «Как исправить» выше (mapping.yaml) или замените выгрузку; "
        "затем снова salesaudit validate",
        "unusable": "данных недостаточно для аудита: не принято ни одной сделки, дела или продажи",
        "unusable_hint": "добавьте выгрузку сделок, дел/звонков или продаж в raw/ "
        "или опишите её в mapping.yaml",
    },
    "en": {
        "mostly_rejected": "table {table}: {rejected} of {read} rows rejected (more than half)",
        "missing_key": "{file}: table {table} without the key field {field} ({hint})",
        "title": "the data cannot be used for an audit: {n} problem(s)",
        "hint": "fix them as shown under «How to fix it» above (mapping.yaml) or replace the "
        "export; then run salesaudit validate again",
        "unusable": "not enough data for an audit: no deal, activity or sale was accepted",
        "unusable_hint": "add a deals, activities or sales export to raw/ or describe it in "
        "mapping.yaml",
    },
}


def fixes_text(fixes: list[Fix], lang: str, *, mapping_exists: bool, folder: str) -> str:
    """The «how to fix» section: per file the problems (long lines wrapped), then one
    ready-to-paste YAML block (never wrapped: every line stays valid YAML)."""
    t = _FIX_TEXT[lang]
    if not fixes:
        return ""
    lines = ["", t["title"], "-" * len(t["title"])]
    entries = []
    for fix in fixes:
        where = fix.file + (f" [{fix.sheet}]" if fix.sheet and fix.entry.get("sheet") else "")
        lines.append(where)
        for code, params in fix.problems:
            if code == "labels":
                lines.append("  - " + t["labels"].format(**params))
                if params["more"]:
                    lines.append("  - " + t["more"].format(folder=folder, **params))
            elif code == "no_code":
                codes = ", ".join(field_codes(params["field"]))
                labels = ", ".join(f"«{x}»" for x in params["labels"])
                lines.append(
                    "  - " + t["no_code"].format(field=params["field"], labels=labels, codes=codes)
                )
            else:
                lines.append("  - " + t[code].format(**params))
        if fix.extends:
            lines.append("  - " + t["extends"].format(match=fix.extends))
        if fix.entry:
            entries.append(fix.entry)
    lines = [w for line in lines for w in wrap_line(line)]  # prose wrapped; YAML never
    if entries:
        lines.append("")
        if mapping_exists:
            lines.append(t["add_to"])
            lines.append("")
            lines += ["  " + x for x in yaml_lines(entries)]
        else:
            lines.append(t["new_file"])
            lines.append("")
            lines += mapping_text(entries).rstrip("\n").split("\n")
    return "\n".join(lines)


def blocking_error(quality: QualityReport, lang: str, folder: str) -> DataNotUsableError | None:
    """The error that makes ``validate`` exit 1, listing every blocking problem, or ``None``."""
    from salesaudit.model.build import FIELD_HINTS

    t = _BLOCK_TEXT[lang]
    cases = [
        ErrorCase(
            t[code].format(
                file=file, table=table, hint=FIELD_HINTS.get(params.get("field", ""), ""), **params
            )
        )
        for code, file, table, params in blocking_problems(quality)
    ]
    if not quality.usable:
        return DataNotUsableError(t["unusable"], file=folder, hint=t["unusable_hint"], cases=cases)
    if cases:
        return DataNotUsableError(
            t["title"].format(n=len(cases)), file=folder, hint=t["hint"], cases=cases
        )
    return None


def run(args: argparse.Namespace) -> int:
    """Load the folder, print the quality report and the mapping fixes; raise
    :class:`DataNotUsableError` (exit 1) when not usable: no core table accepted, a table mostly
    rejected, or a key field missing."""
    as_of = _as_of(args.as_of)
    loaded = load_client(args.client_dir, as_of=as_of)
    print(loaded.quality.to_text(args.lang))
    fixes = mapping_fixes(loaded.quality, loaded.mapping)
    text = fixes_text(
        fixes,
        args.lang,
        mapping_exists=loaded.folder.mapping_path is not None,
        folder=str(args.client_dir),
    )
    if text:
        print(text)
    check_settings_and_answers(args.client_dir)
    error = blocking_error(loaded.quality, args.lang, str(args.client_dir))
    if error is not None:
        raise error
    return 0
