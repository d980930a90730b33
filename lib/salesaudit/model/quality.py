"""The data-quality report: what was read, what was accepted, and every problem found on the way.

:class:`QualityReport` holds three DataFrames:

- ``tables`` (:data:`TABLE_COLUMNS`): one row per canonical table that got data;
- ``issues`` (:data:`ISSUE_COLUMNS`): one row per problem, ``severity`` ``'error'`` (a file or
  record could not be used), ``'warning'`` (used, but check it) or ``'info'`` (done on purpose,
  e.g. a total row skipped); ``kind`` is a stable code (see :data:`KINDS`);
- ``matches``: how names were reconciled (see :mod:`salesaudit.model.reconcile`).

:meth:`QualityReport.to_text` renders a terminal summary in Russian or English that groups issues
by kind with counts and a few examples, so a million-row file never prints a million lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from salesaudit.model.reconcile import MATCH_COLUMNS
from salesaudit.model.schemas import CORE_TABLES, TABLES

TABLE_COLUMNS = [
    "table",
    "files",
    "rows_read",
    "accepted",
    "rejected",
    "duplicates",
    "unparseable_cells",
    "date_min",
    "date_max",
    "no_manager",
    "no_client",
    "future_dates",
    "negative_amounts",
]
ISSUE_COLUMNS = ["severity", "table", "file", "row", "column", "kind", "message", "value"]
SEVERITIES = ("error", "warning", "info")

#: issue kind -> (Russian title, English title)
KINDS: dict[str, tuple[str, str]] = {
    "unreadable_file": ("Файл не прочитан", "File could not be read"),
    "unrecognised_file": ("Файл не распознан", "File not recognised"),
    "missing_column": ("Нет обязательной колонки", "Required column missing"),
    "bad_mapping": ("Ошибка в правиле mapping.yaml", "Mapping rule cannot be applied"),
    "rejected_row": ("Строка отклонена", "Row rejected"),
    "unparseable_value": ("Значение не распознано", "Value could not be parsed"),
    "unknown_label": ("Неизвестное значение справочника", "Unknown label"),
    "ambiguous_match": ("Неоднозначное имя", "Ambiguous name"),
    "new_name": ("Нет в справочнике", "Not in the master list"),
    "duplicate": ("Дубликат записи", "Duplicate record"),
    "future_date": ("Дата в будущем", "Date in the future"),
    "other_currency": ("Другая валюта", "Other currency"),
    "negative_amount": ("Отрицательная сумма", "Negative amount"),
    "no_manager": ("Запись без менеджера", "Record without a manager"),
    "no_client": ("Запись без клиента", "Record without a client"),
    "total_row": ("Пропущена итоговая строка", "Total row skipped"),
    "dropped_row": ("Строка пропущена при чтении", "Row skipped by the reader"),
    "skipped_column": ("Колонка пропущена", "Column skipped"),
    "assumed_value": ("Принято значение по умолчанию", "Default value assumed"),
    "ignored_file": ("Файл исключён (ignore)", "File ignored by mapping"),
    "skipped_file": ("Файл в raw/ пропущен", "File in raw/ skipped"),
    "unused_sheet": ("Лист не использован", "Sheet not used"),
    "conflicting_columns": ("Повторённые колонки расходятся", "Repeated columns disagree"),
    "product_rows": ("Строки товаров одной сделки", "Product rows of one deal"),
    "deleted_rows": ("Удалённые в CRM сделки пропущены", "Deals deleted in the CRM left out"),
    "period_date": ("Дата строки взята из периода отчёта", "Row date taken from the report period"),
    "filled_from_mapping": ("Заполнено из mapping.yaml", "Filled from mapping"),
    "join_unmatched": ("Ключ не найден в справочнике (join)", "Join key not found"),
    "join_conflict": ("Ключ справочника повторяется (join)", "Join key given twice"),
}

_SEVERITY_TITLE = {
    "ru": {"error": "ОШИБКИ", "warning": "ПРЕДУПРЕЖДЕНИЯ", "info": "СВЕДЕНИЯ"},
    "en": {"error": "ERRORS", "warning": "WARNINGS", "info": "NOTES"},
}
_TABLE_HEAD = {
    "ru": ["таблица", "файлов", "прочитано", "принято", "отклон.", "дубли", "плох.ячеек", "период"],
    "en": ["table", "files", "read", "accepted", "rejected", "dupl.", "bad cells", "period"],
}
_TEXT = {
    "ru": {
        "title": "Качество данных",
        "usable": "Итог: данных достаточно для аудита.",
        "not_usable": "Итог: данных недостаточно для аудита — нужны сделки, дела/звонки или продажи.",
        "blocked": "Итог: в таком виде данные для аудита не годятся — таблица отклонена больше чем "
        "наполовину или в файле нет ключевого поля (см. выше).",
        "no_tables": "Ни одна таблица не загружена.",
        "more": "… и ещё {n}",
        "matches": "Сопоставление имён: сопоставлено {m}, неоднозначно {a}, новых {n}.",
        "extra": "Также: без менеджера {nm}, без клиента {nc}, даты в будущем {fd}, "
        "отрицательные суммы {na}.",
    },
    "en": {
        "title": "Data quality",
        "usable": "Verdict: the data is enough for an audit.",
        "not_usable": "Verdict: not enough data for an audit — need deals, activities or sales.",
        "blocked": "Verdict: the data cannot be used for an audit as it is — a table is more than "
        "half rejected or a file lacks a key field (see above).",
        "no_tables": "No table was loaded.",
        "more": "… and {n} more",
        "matches": "Name matching: {m} matched, {a} ambiguous, {n} new.",
        "extra": "Also: without manager {nm}, without client {nc}, future dates {fd}, "
        "negative amounts {na}.",
    },
}

MAX_WIDTH = 120

_TABLE_RU = {
    "managers": "сотрудники",
    "clients": "клиенты",
    "activities": "дела",
    "deals": "сделки",
    "sales": "продажи",
    "plans": "планы",
    "trainings": "обучение",
    "leads": "лиды",
}
_WHAT_RU = {"manager": "менеджер", "client": "клиент"}
_TREATMENT_RU = {
    "kept as written": "оставлено как есть",
    "these rows are rejected": "эти строки отклонены",
}


def _ru_treatment(m: re.Match) -> str:
    t = m["t"]
    if t.startswith("counted as "):
        return f"засчитано как {t.removeprefix('counted as ')}"
    return _TREATMENT_RU.get(t, t)


#: Russian renderings of the messages the model writes (issues keep the English text; the
#: Russian report translates it here). Unknown messages are shown as they are.
_RU_MESSAGES: list[tuple[re.Pattern[str], object]] = [
    (r"not a date; the cell is left empty", "не дата; ячейка оставлена пустой"),
    (
        r"no date per row: (?P<n>\d+) row\(s\) dated (?P<d>\S+), the first day of the report "
        r"period (?P<p>\S+) \(the 'Период' line\); .*",
        r"в отчёте нет даты у строк: \g<n> стр. датированы \g<d>, первым днём периода отчёта "
        r"\g<p> (строка «Период»); итоги за период верны, помесячные цифры — нет -> выгрузите "
        r"отчёт с группировкой по периоду или документу, чтобы у каждой строки была дата",
    ),
    (
        r"no date column: (?P<n>\d+) row\(s\) dated by their document .*",
        r"нет колонки с датой: \g<n> стр. датированы по документу (дата после «от» в его названии)",
    ),
    (
        r"'(?P<c>[^']+)' read as the close date of (?P<a>\d+) won/lost deal\(s\) and as the "
        r"expected close date of (?P<b>\d+) open deal\(s\)",
        r"«\g<c>» прочитана как дата закрытия \g<a> выигранных/проигранных сделок и как "
        r"ожидаемая дата закрытия \g<b> открытых",
    ),
    (r"not a number; the cell is left empty", "не число; ячейка оставлена пустой"),
    (
        r"(?P<n>\d+) row\(s\) repeat the ID of (?P<d>\d+) deal\(s\) with another product: .*",
        r"строк, повторяющих номер сделки с другим товаром: \g<n> (сделок: \g<d>); прочитаны как "
        r"товары одной сделки (сумма сделки учтена один раз, товары перечислены через «;»)",
    ),
    (
        r"(?P<n>\d+) won/lost deal\(s\) have no close date: '(?P<c>[^']+)' .*",
        r"у \g<n> закрытых сделок нет даты закрытия: датой закрытия взята «\g<c>» "
        r"(последнее изменение, в день закрытия или позже)",
    ),
    (
        r"'(?P<c>[^']+)' says closed but the stage is neither won nor lost: .*",
        r"«\g<c>» = Да, но стадия не означает ни успех, ни провал: сделка считается открытой "
        r"-> укажите стадию в mapping.yaml labels.stage",
    ),
    (
        r"'(?P<c>[^']+)' says not closed but the stage is won or lost: the stage decides",
        r"«\g<c>» = Нет, но стадия означает успех или провал: решает стадия",
    ),
    (
        r"(?P<f>\w+): repeated columns disagree; the first value is used",
        r"\g<f>: повторённые колонки расходятся; взято первое значение",
    ),
    (
        r"(?P<f>\w+): label not known in (?P<n>\d+) row\(s\); (?P<t>[^;]+); "
        r"add it to mapping\.yaml labels\.(?P<f2>\w+)",
        lambda m: (
            f"{m['f']}: значение не из справочника в {m['n']} стр.; {_ru_treatment(m)}; "
            f"добавьте его в mapping.yaml labels.{m['f2']}"
        ),
    ),
    (
        r"(?P<n>\d+) record\(s\) in (?P<c>.+), not (?P<o>\w+): amounts are taken as they are, "
        r"not converted",
        r"\g<n> зап. в валюте \g<c>, а не \g<o>: суммы взяты как есть, без пересчёта",
    ),
    (
        r"the sheet is read as '(?P<t>\w+)' but has no column for '(?P<f>\w+)' \((?P<h>.*)\); "
        r"all (?P<n>\d+) rows rejected -> add the column to the export or map it in mapping\.yaml",
        lambda m: (
            f"лист читается как «{_TABLE_RU.get(m['t'], m['t'])}», но в нём нет колонки "
            f"{m['f']} ({m['h']}); отклонено строк: {m['n']} -> добавьте колонку в выгрузку "
            "или укажите её в mapping.yaml"
        ),
    ),
    (
        r"(?P<n>\d+) deal\(s\) with the status 'deleted' left out: deleted in the CRM, neither "
        r"open nor closed",
        r"сделок со статусом «deleted» пропущено: \g<n> — они удалены в CRM, это ни открытые, "
        r"ни закрытые сделки",
    ),
    (
        r"the result column (?P<c>.+) is empty in all (?P<n>\d+) row\(s\): results are taken as "
        r"not exported .*",
        r"колонка результата \g<c> пуста во всех строках (\g<n>): результаты считаются не "
        r"выгруженными, доля дел с результатом не оценивается -> если менеджеры действительно "
        r"не записывают результаты, пусть это прозвучит на интервью",
    ),
    (
        r"no column for '(?P<f>\w+)': every row set to '(?P<v>\w+)'",
        r"нет колонки \g<f>: во всех строках принято «\g<v>»",
    ),
    (
        r"mapping\.yaml names column (?P<h>.+), which this sheet does not have",
        r"в mapping.yaml указана колонка \g<h>, которой нет на этом листе",
    ),
    (r"ignored \(mapping\.yaml ignore:\)", "исключён (mapping.yaml ignore:)"),
    # client folder scan and readers (io/folder.py, io/_csv.py)
    (
        "skipped: Excel lock file of an open workbook \\(~\\$\\.\\.\\.\\), not an export",
        "пропущен: файл блокировки открытой книги Excel (~$...), это не выгрузка",
    ),
    (
        "skipped: hidden file \\(the name starts with a dot, e\\.g\\. \\.DS_Store or \\._ files of macOS\\) -> if it is an export, rename it without the leading dot",
        "пропущен: скрытый файл (имя начинается с точки, например .DS_Store или ._-файлы macOS) -> если это выгрузка, уберите точку в начале имени",
    ),
    (
        "skipped: hidden folder \\(the name starts with a dot, e\\.g\\. \\.DS_Store or \\._ files of macOS\\) -> if it is an export, rename it without the leading dot",
        "пропущена: скрытая папка (имя начинается с точки) -> если в ней выгрузки, уберите точку в начале имени",
    ),
    (
        "skipped: README, not an export",
        "пропущен: README, это не выгрузка",
    ),
    (
        "skipped: Windows system file, not an export",
        "пропущен: системный файл Windows, это не выгрузка",
    ),
    (
        "skipped: a link to a folder is not followed",
        "пропущена: ссылка на папку не открывается",
    ),
    (
        "skipped: a broken link \\(its target does not exist\\)",
        "пропущена: ссылка никуда не ведёт (файла нет)",
    ),
    (
        "skipped: not a regular file",
        "пропущен: это не обычный файл",
    ),
    (
        "the row holds NUL bytes \\(a damaged export\\): skipped -> check this row in the CRM/1C and export the file again",
        "в строке есть нулевые байты (NUL, повреждённая выгрузка): строка пропущена -> проверьте её в CRM/1С и выгрузите файл заново",
    ),
    (
        r"header_row (?P<a>\d+) is not a row of this sheet \(the reader found the header in row "
        r"(?P<b>\d+)\)",
        r"header_row \g<a> не является строкой данных листа (заголовок найден в строке \g<b>)",
    ),
    (
        r"sheet not used \(empty or not a known table\)",
        "лист не использован (пуст или не распознан)",
    ),
    (
        r"unrecognised file \(headers: (?P<h>.*)\); add it to mapping\.yaml .*",
        r"файл не распознан (заголовки: \g<h>); опишите его в mapping.yaml (files: - match: ...)",
    ),
    (
        r"no managers table: (?P<n>\d+) managers taken from the names in the sources .*",
        r"нет списка сотрудников: \g<n> менеджеров взяты из имён в выгрузках (роль «менеджер», "
        r"оплата неизвестна); приложите managers.xlsx",
    ),
    (
        r"(?P<w>manager|client) (?P<l>.+) fits several (?:manager|client)s; .*",
        lambda m: (
            f"{_WHAT_RU[m['w']]} {m['l']} подходит к нескольким; записи оставлены без "
            f"него — укажите нужного в mapping.yaml {m['w']}s:"
        ),
    ),
    (
        r"(?P<w>manager|client) (?P<l>.+) is not in the (?P<t>\w+) list; added as a new "
        r"(?:manager|client)",
        lambda m: f"{_WHAT_RU[m['w']]} {m['l']} отсутствует в списке; добавлен как новый",
    ),
    (
        r"(?P<c>\w+) is empty; the record cannot be used",
        r"не заполнено \g<c>; запись не может быть использована",
    ),
    (
        r"manager (?P<l>.+) could not be matched unambiguously; .*",
        r"менеджер \g<l> не определён однозначно; укажите его в mapping.yaml managers:",
    ),
    (r"no manager named in the record", "в записи не указан менеджер"),
    (
        r"(?P<c>\w+): value not allowed \(allowed: (?P<a>.*)\); the record is rejected",
        r"\g<c>: недопустимое значение (допустимы: \g<a>); запись отклонена",
    ),
    (
        r"(?P<c>\w+): value does not fit \((?P<k>.*)\); the record is rejected",
        r"\g<c>: значение не подходит (\g<k>); запись отклонена",
    ),
    (
        r"duplicate of the record in row (?P<r>\S+); dropped",
        r"повтор записи из строки \g<r>; пропущен",
    ),
    (r"same plan given twice; the first one is kept", "план указан дважды; взят первый"),
    (
        r"the same name appears twice in the list; the first row is kept",
        "имя встречается в списке дважды; взята первая строка",
    ),
    (r"date after (?P<d>\S+) \(the audit date\)", r"дата позже \g<d> (даты аудита)"),
    (
        r"negative amount \(a return or a correction\?\)",
        "отрицательная сумма (возврат или корректировка?)",
    ),
    (
        r"(?P<n>\d+) record\(s\) without a (?P<w>manager|client) \(first in row (?P<r>\d+)\)",
        lambda m: (
            f"{m['n']} зап. без {'менеджера' if m['w'] == 'manager' else 'клиента'} "
            f"(первая в строке {m['r']})"
        ),
    ),
    (
        r"(?P<k>quarter|year) column skipped: plans are read by month only; .*",
        lambda m: (
            f"колонка за {'квартал' if m['k'] == 'quarter' else 'год'} пропущена: планы "
            "читаются только по месяцам; добавьте помесячные колонки, если они нужны"
        ),
    ),
    (r"total column skipped", "итоговая колонка пропущена"),
    (r"total row skipped( \(never counted\))?", "итоговая строка пропущена (не учитывается)"),
    (
        r"plan sheet without month columns .*",
        "лист плана без колонок-месяцев («Ноябрь 2024», «ноя 2024», «11.2024», «2024-11»); "
        "ничего не прочитано -> подпишите месяцы в строке заголовка или укажите layout: long",
    ),
    (
        r"no 'Показатель' column and the sheet name names no metric: read as revenue",
        "нет колонки «Показатель», и название листа не называет показатель: прочитано как выручка",
    ),
    (
        r"plan metric not recognised; row skipped .*",
        "показатель плана не распознан; строка пропущена (добавьте его в mapping.yaml labels.metric)",
    ),
    (
        r"plan value is not a number; (cell ignored|row skipped)",
        "значение плана не число; пропущено",
    ),
    (r"period is not a month; row skipped", "период не является месяцем; строка пропущена"),
    (
        r"acknowledgement sheet has no manager column .*",
        "на листе ознакомления нет колонки с менеджером (Менеджер / Сотрудник / ФИО)",
    ),
    (
        r"acknowledged without a date: acknowledged_at left empty",
        "ознакомлен без даты: дата ознакомления не заполнена",
    ),
    (
        r"(?P<f>\w+): (?P<n>\d+) row\(s\) filled from (?P<file>.+) \(mapping\.yaml join on "
        r"(?P<on>\w+)\)",
        r"\g<f>: заполнено строк: \g<n> из \g<file> (mapping.yaml join по \g<on>)",
    ),
    (
        r"(?P<on>\w+) (?P<v>.+) is not in (?P<file>.+): (?P<n>\d+) row\(s\) kept without (?P<t>.+)",
        r"\g<on> \g<v> нет в \g<file>: строк \g<n>, оставлены без \g<t>",
    ),
    (
        r"(?P<n>\d+) row\(s\) without (?P<on>\w+): nothing to look up in (?P<file>.+)",
        r"строк без \g<on>: \g<n>, искать в \g<file> нечего",
    ),
    (
        r"(?P<f>\w+): (?P<n>\d+) empty cell\(s\) set to (?P<v>.+) \(mapping\.yaml defaults\)",
        r"\g<f>: пустых ячеек заполнено: \g<n>, значение \g<v> (mapping.yaml defaults)",
    ),
    (
        r"(?P<f>\w+): (?P<n>\d+) row\(s\) set to (?P<v>.+?) \(mapping\.yaml constants\)"
        r"(?:; column (?P<c>.+) not used)?",
        lambda m: (
            f"{m['f']}: во всех строках ({m['n']}) — {m['v']} (mapping.yaml constants)"
            + (f"; колонка {m['c']} не используется" if m["c"] else "")
        ),
    ),
    (
        r"(?P<w>\S+): key (?P<k>.+) is given twice in (?P<file>.+) with different values; "
        r"the first row is used",
        r"\g<w>: ключ \g<k> повторяется в \g<file> с разными значениями; взята первая строка",
    ),
    (
        r"(?P<w>\S+): no file in raw/ matches (?P<m>.+); nothing joined",
        r"\g<w>: в raw/ нет файла \g<m>; ничего не подставлено",
    ),
    (
        r"(?P<w>\S+): (?P<file>.+) has no key column for (?P<on>.+) \(give key: 'header'\); "
        r"nothing joined",
        r"\g<w>: в \g<file> нет колонки-ключа для \g<on> (укажите key: 'заголовок'); "
        r"ничего не подставлено",
    ),
    (
        r"(?P<w>\S+): (?P<file>.+) has no column (?P<c>.+); nothing joined",
        r"\g<w>: в \g<file> нет колонки \g<c>; ничего не подставлено",
    ),
    (
        r"join with (?P<file>.+): this sheet has no column for (?P<on>.+); nothing joined",
        r"join с \g<file>: на листе нет колонки для \g<on>; ничего не подставлено",
    ),
    (
        r"read only as a lookup \(mapping\.yaml join\)",
        "прочитан только как справочник (mapping.yaml join)",
    ),
    (
        r"converted_deal_id: a yes/no column; (?P<n>\d+) lead\(s\) with «да» counted as "
        r"converted \(no deal id to trace them to\)",
        r"converted_deal_id: колонка «да/нет»; лидов с «да»: \g<n>, считаются "
        r"сконвертированными (без номера сделки)",
    ),
    (
        r"(?P<n>\d+) open lead\(s\) name a deal: counted as converted \(first in row (?P<r>\d+)\)",
        r"открытых лидов со сделкой: \g<n>, считаются сконвертированными "
        r"(первый в строке \g<r>)",
    ),
    (
        r"mapping\.yaml currency (?P<m>\w+) differs from report\.yaml currency (?P<r>\w+): "
        r"amounts are taken as they are, not converted",
        r"валюта mapping.yaml \g<m> отличается от валюты report.yaml \g<r>: суммы взяты как "
        r"есть, без пересчёта",
    ),
    (r"group", "строка группировки"),
    (r"total", "итоговая строка"),
    (r"blank", "пустая строка"),
    (r"footer", "строка под таблицей (название отчёта, подпись), не данные"),
]
_RU_COMPILED = [(re.compile(p), r) for p, r in _RU_MESSAGES]


def message_text(message: str, lang: str = "ru") -> str:
    """An issue message in the report language (messages are stored in English)."""
    if lang != "ru" or not message:
        return message
    for pattern, repl in _RU_COMPILED:
        m = pattern.fullmatch(message)
        if m:
            return repl(m) if callable(repl) else m.expand(repl)
    return message


def issue(
    severity: str,
    kind: str,
    message: str,
    *,
    table: str | None = None,
    file: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> dict:
    """One issue record (a dict with :data:`ISSUE_COLUMNS`)."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown issue kind {kind!r}")
    return {
        "severity": severity,
        "table": table,
        "file": file,
        "row": row,
        "column": column,
        "kind": kind,
        "message": message,
        "value": None if value is None else str(value),
    }


def issue_rows(
    severity: str,
    kind: str,
    message: object,
    *,
    table: str | None,
    file: object,
    rows: object,
    column: str | None,
    value: object,
) -> pd.DataFrame:
    """Many issues of one kind at once, as an issues frame: ``message``, ``file``, ``rows`` and
    ``value`` are each one value for all rows or an array with one per issue (``rows`` sets the
    count). The vectorised twin of :func:`issue`."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown issue kind {kind!r}")
    row_values = np.asarray(rows)
    n = len(row_values)
    if not n:
        return issues_frame()
    frame = pd.DataFrame(
        {
            "severity": [severity] * n,
            "table": table,
            "file": file,
            "row": row_values,
            "column": column,
            "kind": kind,
            "message": message,
            "value": value,
        }
    )
    return issues_frame(frame)


def issues_frame(records: Iterable[Mapping] | pd.DataFrame = ()) -> pd.DataFrame:
    """Issue records (dicts or frames) as a DataFrame with :data:`ISSUE_COLUMNS` and
    a nullable integer ``row``."""
    if isinstance(records, pd.DataFrame):
        df = records.reindex(columns=ISSUE_COLUMNS).copy()
    else:
        df = pd.DataFrame(list(records), columns=ISSUE_COLUMNS)
    df["row"] = pd.to_numeric(df["row"]).astype("Int64")
    for c in ISSUE_COLUMNS:
        if c != "row":
            df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df.reset_index(drop=True)


def concat_issues(parts: Iterable[pd.DataFrame | Iterable[Mapping]]) -> pd.DataFrame:
    """Concatenate issue frames / record lists into one issues frame (order kept)."""
    frames = [issues_frame(p) for p in parts]
    frames = [f for f in frames if len(f)]
    if not frames:
        return issues_frame()
    return issues_frame(pd.concat(frames, ignore_index=True))


def empty_tables() -> pd.DataFrame:
    """An empty ``tables`` frame."""
    return pd.DataFrame(columns=TABLE_COLUMNS)


@dataclass(frozen=True)
class QualityReport:
    """What the model made of the client's files (see the module docstring)."""

    tables: pd.DataFrame = field(default_factory=empty_tables)
    issues: pd.DataFrame = field(default_factory=issues_frame)
    matches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MATCH_COLUMNS))
    #: one row per sheet read (see :data:`salesaudit.model.propose.SHEET_COLUMNS`): table, how it
    #: was recognised, columns read / not read, key fields missing, rows accepted / rejected
    sheets: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: table -> canonical fields that are empty in every accepted record
    empty_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """True when at least one of deals / activities / sales has accepted rows."""
        if self.tables.empty:
            return False
        core = self.tables[self.tables["table"].isin(CORE_TABLES)]
        return bool((core["accepted"] > 0).any())

    def blocking(self) -> list[tuple[str, str | None, str, dict]]:
        """What makes the data unusable although some was accepted: a table more than half
        rejected, a sheet without a key field (see
        :func:`salesaudit.model.propose.blocking_problems`)."""
        from salesaudit.model.propose import blocking_problems

        return blocking_problems(self)

    def accepted(self, table: str) -> int:
        """Accepted rows of a table (0 when it was not loaded)."""
        hit = self.tables.loc[self.tables["table"] == table, "accepted"]
        return int(hit.iloc[0]) if len(hit) else 0

    def count(self, kind: str | None = None, severity: str | None = None) -> int:
        """Number of issues of a kind and/or severity."""
        mask = pd.Series(True, index=self.issues.index)
        if kind is not None:
            mask &= self.issues["kind"] == kind
        if severity is not None:
            mask &= self.issues["severity"] == severity
        return int(mask.sum())

    def with_issues(self, extra: Iterable[Mapping] | pd.DataFrame) -> QualityReport:
        """A copy with more issues appended in front (e.g. files the reader could not open)."""
        return replace(self, issues=concat_issues([issues_frame(extra), self.issues]))

    def summary(self) -> pd.DataFrame:
        """Issues grouped by severity and kind: [severity, kind, count, files, first_row]."""
        if self.issues.empty:
            return pd.DataFrame(columns=["severity", "kind", "count", "files"])
        df = self.issues.copy()
        df["file"] = df["file"].fillna("")
        grouped = df.groupby(["severity", "kind"], sort=False).agg(
            count=("kind", "size"), files=("file", "nunique")
        )
        out = grouped.reset_index()
        order = {s: i for i, s in enumerate(SEVERITIES)}
        out["_o"] = out["severity"].map(order)
        return out.sort_values(["_o", "count"], ascending=[True, False]).drop(columns="_o")

    def to_text(self, lang: str = "ru", *, examples: int = 3) -> str:
        """A readable terminal report in ``'ru'`` or ``'en'``: long lines are wrapped at 120
        characters, never cut."""
        if lang not in _TEXT:
            raise ValueError(f"unknown language {lang!r}; use 'ru' or 'en'")
        t = _TEXT[lang]
        lines = [t["title"], "=" * len(t["title"])]
        lines += self._tables_text(lang)
        lines.append("")
        if not self.matches.empty:
            st = self.matches["status"].value_counts()
            lines.append(
                t["matches"].format(
                    m=int(st.get("matched", 0)),
                    a=int(st.get("ambiguous", 0)),
                    n=int(st.get("new", 0)),
                )
            )
        if not self.tables.empty:
            sums = self.tables[
                ["no_manager", "no_client", "future_dates", "negative_amounts"]
            ].sum()
            lines.append(
                t["extra"].format(
                    nm=int(sums["no_manager"]),
                    nc=int(sums["no_client"]),
                    fd=int(sums["future_dates"]),
                    na=int(sums["negative_amounts"]),
                )
            )
        lines += self._empty_text(lang)
        lines += self._files_text(lang)
        lines += self._issues_text(lang, examples)
        lines.append("")
        if not self.usable:
            lines.append(t["not_usable"])
        elif self.blocking():
            lines.append(t["blocked"])
        else:
            lines.append(t["usable"])
        return "\n".join(wrapped for line in lines for wrapped in wrap_line(line))

    def _empty_text(self, lang: str) -> list[str]:
        parts = [(t, f) for t, f in self.empty_fields.items() if f]
        if not parts:
            return []
        title = (
            "Пустые поля (не заполнены ни в одной записи):"
            if lang == "ru"
            else ("Empty fields (not filled in any record):")
        )
        return [title] + [f"  {t}: {', '.join(f)}" for t, f in parts]

    def rejection_reasons(
        self, file: str, table: str | None = None, lang: str = "ru"
    ) -> list[tuple[str, int]]:
        """The reasons rows of ``file`` were rejected (whole-sheet ``missing_column`` and
        per-row ``rejected_row`` errors), most frequent first, as (message, rows)."""
        if self.issues.empty:
            return []
        sub = self.issues[
            (self.issues["file"] == file)
            & self.issues["kind"].isin(["rejected_row", "missing_column"])
        ]
        if table is not None:
            sub = sub[sub["table"].isna() | (sub["table"] == table)]
        if sub.empty:
            return []
        texts = sub["message"].map(lambda m: message_text(str(m), lang))
        counts = texts.value_counts(sort=False)
        order = sorted(counts.items(), key=lambda kv: -kv[1])
        return [(str(m), int(n)) for m, n in order]

    def skipped_rows(self, file: str, lang: str = "ru") -> list[tuple[str, int]]:
        """Rows of ``file`` the reader skipped (totals, group headings, blanks), by reason."""
        if self.issues.empty:
            return []
        sub = self.issues[
            (self.issues["file"] == file) & self.issues["kind"].isin(["total_row", "dropped_row"])
        ]
        if sub.empty:
            return []
        texts = sub["message"].map(lambda m: message_text(str(m), lang))
        return [(str(m), int(n)) for m, n in texts.value_counts().items()]

    def _files_text(self, lang: str) -> list[str]:
        """One block per file in raw/: how it was read and what came of it."""
        return _files_text(self, lang)

    def _tables_text(self, lang: str) -> list[str]:
        if self.tables.empty:
            return [_TEXT[lang]["no_tables"]]
        head = _TABLE_HEAD[lang]
        rows = []
        order = {t: i for i, t in enumerate(TABLES)}
        df = self.tables.assign(_o=self.tables["table"].map(order)).sort_values("_o")
        for r in df.itertuples(index=False):
            nfiles = len([f for f in str(r.files or "").split(", ") if f])
            period = ""
            if pd.notna(r.date_min):
                period = f"{pd.Timestamp(r.date_min):%d.%m.%Y}–{pd.Timestamp(r.date_max):%d.%m.%Y}"
            rows.append(
                [
                    str(r.table),
                    str(nfiles),
                    str(int(r.rows_read)),
                    str(int(r.accepted)),
                    str(int(r.rejected)),
                    str(int(r.duplicates)),
                    str(int(r.unparseable_cells)),
                    period,
                ]
            )
        widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]

        def fmt(cells: list[str]) -> str:
            out = [cells[0].ljust(widths[0])]
            out += [c.rjust(w) for c, w in zip(cells[1:-1], widths[1:-1])]
            out.append(cells[-1].ljust(widths[-1]))
            return "  ".join(out).rstrip()

        return [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]

    def _issues_text(self, lang: str, examples: int) -> list[str]:
        lines: list[str] = []
        if self.issues.empty:
            return lines
        titles = _SEVERITY_TITLE[lang]
        summary = self.summary()
        for severity in SEVERITIES:
            part = summary[summary["severity"] == severity]
            if part.empty:
                continue
            total = int(part["count"].sum())
            lines += ["", f"{titles[severity]} ({total})"]
            for kind, count in zip(part["kind"], part["count"]):
                title = KINDS.get(kind, (kind, kind))[0 if lang == "ru" else 1]
                lines.append(f"  {title} [{kind}]: {int(count)}")
                sub = self.issues[
                    (self.issues["severity"] == severity) & (self.issues["kind"] == kind)
                ]
                for rec in sub.head(examples).itertuples(index=False):
                    lines.append("    - " + _issue_line(rec, lang))
                if count > examples:
                    lines.append("    " + _TEXT[lang]["more"].format(n=int(count) - examples))
        return lines


_FILE_TEXT = {
    "ru": {
        "title": "Файлы в raw/ ({n})",
        "preset": "распознан по заголовкам: пресет {p} ({t})",
        "mapping": "по правилу mapping.yaml (match: {m!r})",
        "mapping_preset": "по правилу mapping.yaml (match: {m!r}), пресет {p}",
        "plans": "читается как план (колонки-месяцы или Период/Показатель/Значение)",
        "unrecognised": "НЕ РАСПОЗНАН: ни один пресет не подошёл ({why})",
        "closest": "ближе всех {p}: знает {k} из {n} заголовков",
        "no_markers": ", нет колонок для {m}",
        "min_share": ", а нужно не меньше {s} %",
        "no_known": "ни один заголовок не знаком пресетам",
        "guessed": "по заголовкам похоже на таблицу {t} — см. «Как исправить» ниже",
        "unused": "лист не использован (пуст или не распознан; файл прочитан по другому листу)",
        "lookup": "справочник для mapping.yaml join (сам в таблицы не читается)",
        "table": " -> таблица {t}",
        "sheet": "  лист «{s}»",
        "headers": "  заголовки (строка {r}): {h}",
        "hidden": "и ещё {n}, похожих на значения (не показаны)",
        "rows": "  строки: прочитано {r}, принято {a}, отклонено {x}, дублей {d}",
        "plan_rows": "  строки: прочитано {r}, значений плана принято {a}",
        "skipped": "  пропущено при чтении: {n} ({what})",
        "reasons": "  причины отклонения:",
        "reason": "    - {m}: {n} стр.",
        "more_reasons": "    - и ещё {k} причин(ы), {n} стр. (примеры — в разделе ОШИБКИ ниже)",
        "columns": "  колонки: {c}",
        "defaults": "  по умолчанию (колонки нет): {c}",
        "known_unused": "  не нужны аудиту: {c}",
        "unmapped": "  не прочитаны: {c}",
        "matter": "  ВНИМАНИЕ: колонка «{h}» не прочитана, а похожа на {k} ({w})",
        "missing": "  НЕТ КЛЮЧЕВОГО ПОЛЯ {f} ({hint}): без него таблица не годится для аудита",
        "not_in_file": "  нет колонок для: {c}",
        "unreadable": "  НЕ ПРОЧИТАН: {m}",
        "ignored": "  исключён (mapping.yaml ignore:)",
        "other": "  {m}",
    },
    "en": {
        "title": "Files in raw/ ({n})",
        "preset": "recognised by its headers: preset {p} ({t})",
        "mapping": "by the mapping.yaml rule (match: {m!r})",
        "mapping_preset": "by the mapping.yaml rule (match: {m!r}), preset {p}",
        "plans": "read as a plan (month columns or Period/Metric/Value)",
        "unrecognised": "NOT RECOGNISED: no preset fits ({why})",
        "closest": "closest {p}: knows {k} of {n} headers",
        "no_markers": ", no column for {m}",
        "min_share": ", at least {s} % needed",
        "no_known": "no header is known to a preset",
        "guessed": "the headers look like table {t} — see «How to fix it» below",
        "unused": "sheet not used (empty or not recognised; the file is read from another sheet)",
        "lookup": "a lookup of a mapping.yaml join (not read into a table itself)",
        "table": " -> table {t}",
        "sheet": "  sheet «{s}»",
        "headers": "  headers (row {r}): {h}",
        "hidden": "and {n} that look like values (not shown)",
        "rows": "  rows: read {r}, accepted {a}, rejected {x}, duplicates {d}",
        "plan_rows": "  rows: read {r}, plan values accepted {a}",
        "skipped": "  skipped by the reader: {n} ({what})",
        "reasons": "  why rows were rejected:",
        "reason": "    - {m}: {n} rows",
        "more_reasons": "    - and {k} more reason(s), {n} rows (examples under ERRORS below)",
        "columns": "  columns: {c}",
        "defaults": "  default (no column): {c}",
        "known_unused": "  not needed by the audit: {c}",
        "unmapped": "  not read: {c}",
        "matter": "  WARNING: column «{h}» is not read but looks like {k} ({w})",
        "missing": "  KEY FIELD MISSING {f} ({hint}): the table cannot be used without it",
        "not_in_file": "  no column for: {c}",
        "unreadable": "  NOT READ: {m}",
        "ignored": "  ignored (mapping.yaml ignore:)",
        "other": "  {m}",
    },
}
#: rejection reasons listed per file (most rows first); the rest are counted
TOP_REASONS = 5

_KIND_WORDS = {
    "ru": {
        "amount": "сумму",
        "date": "дату",
        "reason": "причину отказа",
        "manager": "менеджера",
        "stage": "этап / статус",
        "client": "клиента",
    },
    "en": {
        "amount": "an amount",
        "date": "a date",
        "reason": "a refusal reason",
        "manager": "a manager",
        "stage": "a stage / status",
        "client": "a client",
    },
}
_WHY_WORDS = {
    "ru": {
        "header": "по заголовку",
        "header and numbers": "заголовок и числа в ячейках",
        "header and dates": "заголовок и даты в ячейках",
        "dates": "в ячейках даты",
    },
    "en": {},
}
#: canonical fields never expected as a column (ids made from names, generated ids)
_DERIVED = {"manager_id", "client_id", "activity_id", "deal_id", "sale_id", "training_id"}


def _quoted(headers: Iterable[str]) -> list[str]:
    return [f"«{h}»" for h in headers]


def _list_lines(template: str, items: Sequence[str], width: int = MAX_WIDTH) -> list[str]:
    """``template`` (with ``{c}``) filled with ``items`` separated by commas, wrapped between
    items (an item is never split); continuation lines indented 4 more."""
    if not items:
        return []
    head = template.replace("{c}", "").rstrip()
    pad = " " * (len(template) - len(template.lstrip(" ")) + 4)
    lines, cur = [], head
    for i, item in enumerate(items):
        piece = item + ("," if i < len(items) - 1 else "")
        if len(cur) + 1 + len(piece) > width and cur not in (head, pad):
            lines.append(cur)
            cur = pad + piece
        else:
            cur = f"{cur} {piece}"
    lines.append(cur)
    return lines


def _header_is_name(header: str) -> bool:
    """False for a header that looks like a cell value (number, date, phone, e-mail, a person's
    or a company's name): a data row taken for the header is not echoed."""
    from salesaudit.io.safe_text import headers_for_message
    from salesaudit.model.propose import header_keyword, looks_like_name

    if looks_like_name(str(header), latin=False) and not header_keyword(str(header)):
        return False
    return "not shown" not in headers_for_message([header], limit=1, width=10**6)


def _matter_lines(unmapped: Iterable[tuple], indent: str, lang: str) -> list[str]:
    t = _FILE_TEXT[lang]
    return [
        indent
        + t["matter"].format(
            h=h, k=_KIND_WORDS[lang].get(kind, kind), w=_WHY_WORDS[lang].get(why, why)
        )
        for h, kind, why, *_ in unmapped
        if kind and _header_is_name(h)
    ]


def _files_text(report: QualityReport, lang: str) -> list[str]:
    """The per-file section of :meth:`QualityReport.to_text`."""
    from salesaudit.model.build import FIELD_HINTS
    from salesaudit.model.presets import PRESETS
    from salesaudit.model.schemas import COLUMNS

    t = _FILE_TEXT[lang]
    sheets = report.sheets
    issues = report.issues
    files: list[str] = []
    if len(sheets):
        files += [str(f) for f in sheets["file"]]
    if len(issues):
        files += [
            str(f)
            for f in issues.loc[
                issues["kind"].isin(["unreadable_file", "ignored_file", "bad_mapping"])
                & issues["file"].notna(),
                "file",
            ]
            if not str(f).endswith("mapping.yaml")
        ]
    files = sorted(dict.fromkeys(files))
    if not files:
        return []
    head = t["title"].format(n=len(files))
    lines = ["", head, "-" * len(head)]
    for file in files:
        lines.append(file)
        part = sheets[sheets["file"] == file] if len(sheets) else sheets
        if part.empty:
            sub = issues[issues["file"] == file]
            for rec in sub.itertuples(index=False):
                msg = message_text(str(rec.message), lang)
                key = {"unreadable_file": "unreadable", "ignored_file": "ignored"}.get(
                    str(rec.kind), "other"
                )
                lines.append(t[key].format(m=msg))
            continue
        many = len(part) > 1
        for k, r in enumerate(part.itertuples(index=False)):
            named = r.sheet is not None and not pd.isna(r.sheet)
            if named and (many or str(r.sheet) != str(r.file)):
                lines.append(t["sheet"].format(s=r.sheet))
            indent = "  " if many else ""
            if r.origin in ("unused", "lookup"):
                lines.append(indent + "  " + t[r.origin])
                continue
            if r.origin == "unrecognised":
                why = getattr(r, "why", None)
                if why:
                    name, known, total, missing = why
                    reason = t["closest"].format(p=name, k=known, n=total)
                    if missing:
                        reason += t["no_markers"].format(m=", ".join(missing))
                    else:
                        from salesaudit.model.presets import MIN_SCORE

                        reason += t["min_share"].format(s=round(MIN_SCORE * 100))
                else:
                    reason = t["no_known"]
                lines.append(indent + "  " + t["unrecognised"].format(why=reason))
                guess = getattr(r, "guess", None)
                if guess:
                    lines.append(indent + "  " + t["guessed"].format(t=guess[0]))
                heads = _quoted(h for h, *_ in r.unmapped if _header_is_name(h))
                hidden = len(r.unmapped) - len(heads)
                if hidden:  # a data row taken for the header: its cells are not echoed
                    heads.append(t["hidden"].format(n=hidden))
                lines += _list_lines(
                    indent + t["headers"].format(r=r.header_row, h="{c}"), heads or ["—"]
                )
                lines += _matter_lines(r.unmapped, indent, lang)
                continue
            if r.origin == "mapping":
                how = (
                    t["mapping_preset"].format(m=r.rule, p=r.preset)
                    if r.preset
                    else t["mapping"].format(m=r.rule)
                )
            elif r.origin == "plans":
                how = t["plans"]
            else:
                title = PRESETS[r.preset].title if r.preset in PRESETS else ""
                how = t["preset"].format(p=r.preset, t=title)
            lines.append(indent + "  " + how + t["table"].format(t=r.table))
            if r.table == "plans":
                lines.append(indent + t["plan_rows"].format(r=int(r.rows), a=int(r.accepted or 0)))
            else:
                lines.append(
                    indent
                    + t["rows"].format(
                        r=int(r.rows),
                        a=int(r.accepted or 0),
                        x=int(r.rejected or 0),
                        d=int(r.duplicates or 0),
                    )
                )
            skipped = report.skipped_rows(file, lang)
            if skipped and k == 0:
                what = ", ".join(f"{m} {n}" for m, n in skipped)
                lines.append(indent + t["skipped"].format(n=sum(n for _, n in skipped), what=what))
            reasons = report.rejection_reasons(file, r.table, lang) if r.rejected else []
            if reasons:
                lines.append(indent + t["reasons"])
                top = reasons[:TOP_REASONS]
                lines += [indent + t["reason"].format(m=m, n=n) for m, n in top]
                rest = reasons[TOP_REASONS:]
                if rest:  # the rest is listed by row under ERRORS below
                    lines.append(
                        indent + t["more_reasons"].format(k=len(rest), n=sum(n for _, n in rest))
                    )
            lines += _list_lines(indent + t["columns"], [f"«{h}» -> {f}" for h, f in r.columns])
            lines += _list_lines(indent + t["defaults"], list(r.defaults))
            lines += _list_lines(indent + t["known_unused"], _quoted(r.known_unused))
            plain = [h for h, kind, *_ in r.unmapped if not kind]
            lines += _list_lines(indent + t["unmapped"], _quoted(plain))
            lines += _matter_lines(r.unmapped, indent, lang)
            for f in r.missing_keys:
                lines.append(indent + t["missing"].format(f=f, hint=FIELD_HINTS.get(f, f)))
            if r.table in COLUMNS and r.table != "plans":
                have = {f for _, f in r.columns} | set(r.defaults)
                have |= {"manager_id"} if "manager_name" in have else set()
                have |= {"client_id"} if "client_name" in have else set()
                have |= {"outcome"} if "stage" in have else set()
                # «Close Date» / Bitrix24's expected date and «Дата изменения» fill both dates
                have |= {"closed", "expected_close"} if "_close_date" in have else set()
                have |= {"closed"} if "_modified" in have else set()
                absent = [
                    c
                    for c in COLUMNS[r.table]
                    if c not in have and c not in _DERIVED and c not in r.missing_keys
                ]
                lines += _list_lines(indent + t["not_in_file"], absent)
    return lines


def _issue_line(rec: object, lang: str) -> str:
    where = []
    if getattr(rec, "file", None):
        where.append(str(rec.file).rsplit("/", 1)[-1])
    row = getattr(rec, "row", None)
    if row is not None and not pd.isna(row):
        where.append(f"{'стр.' if lang == 'ru' else 'row'} {int(row)}")
    if getattr(rec, "column", None):
        where.append(f"[{rec.column}]")
    head = " ".join(where)
    message = message_text(str(rec.message), lang)
    text = f"{head}: {message}" if head else message
    value = getattr(rec, "value", None)
    if value is not None and str(value) not in str(rec.message):
        text += f" ({str(value)!r})"
    return text


def wrap_line(line: str, width: int = MAX_WIDTH) -> list[str]:
    """A long line wrapped at spaces into lines of at most ``width`` characters where possible
    (a single longer word stays whole); continuation lines are indented 4 more than the first.
    Nothing is ever cut."""
    if len(line) <= width:
        return [line]
    import textwrap

    indent = len(line) - len(line.lstrip(" "))
    lead = line[:indent]
    if line.lstrip().startswith("- "):
        follow = lead + "  "
    else:
        follow = lead + "    "
    return textwrap.wrap(
        line.lstrip(" "),
        width=width,
        initial_indent=lead,
        subsequent_indent=follow,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]
