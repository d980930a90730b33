"""``salesaudit validate``: report on stdout, exit 0 usable / 1 not usable / 2 input errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from salesaudit import cli
from salesaudit.app.loading import load_client
from salesaudit.model.mapping import parse_mapping

DEMO = Path(__file__).resolve().parents[1] / "data_samples" / "demo"

DEALS_CSV = (
    "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки;Компания\n"
    "1;1000;Иван Петров;01.11.2024;Успешно реализовано;ООО «Ромашка»\n"
    "2;500;Анна Смирнова;02.11.2024;Переговоры;Лютик\n"
)


def client(tmp_path: Path, files: dict[str, str | bytes], mapping: str | None = None) -> Path:
    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    for name, content in files.items():
        path = root / "raw" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if mapping is not None:
        (root / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return root


def test_usable_folder_exits_0_and_prints_the_report(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"deals.csv": DEALS_CSV})
    code = cli.main(["validate", str(root), "--as-of", "2024-12-01"])
    out = capsys.readouterr()
    assert code == 0
    assert "Качество данных" in out.out
    assert "Итог: данных достаточно для аудита." in out.out
    deals_line = next(line for line in out.out.splitlines() if line.startswith("deals"))
    assert deals_line.split() == ["deals", "1", "2", "2", "0", "0", "0", "01.11.2024–02.11.2024"]
    assert out.err == ""


def test_english_report(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"deals.csv": DEALS_CSV})
    assert cli.main(["validate", str(root), "--lang", "en"]) == 0
    assert "Verdict: the data is enough for an audit." in capsys.readouterr().out


def test_not_usable_exits_1(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"notes.csv": "foo;bar\n1;2\n"})
    code = cli.main(["validate", str(root)])
    out = capsys.readouterr()
    assert code == 1
    assert "Файл не распознан [unrecognised_file]: 1" in out.out
    assert out.err.startswith("salesaudit: error: ")
    assert "данных недостаточно для аудита" in out.err
    assert "Traceback" not in out.err


def test_missing_folder_exits_2(tmp_path: Path, capsys) -> None:
    code = cli.main(["validate", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert code == 2
    assert "client folder not found" in err


def test_invalid_mapping_exits_2_listing_every_problem(tmp_path: Path, capsys) -> None:
    mapping = "files:\n  - match: deals.csv\n    table: deal\n  - match: x.csv\n    table: sales\n    columns: {A: amout}\n"
    root = client(tmp_path, {"deals.csv": DEALS_CSV}, mapping)
    code = cli.main(["validate", str(root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 problems in the mapping file" in err
    assert "files[0].table: unknown table 'deal' -> did you mean 'deals'?" in err
    assert (
        "files[1].columns.A: unknown field 'amout' for table 'sales' -> did you mean 'amount'?"
        in err
    )


def test_bad_as_of_exits_2(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"deals.csv": DEALS_CSV})
    assert cli.main(["validate", str(root), "--as-of", "someday"]) == 2
    assert "--as-of: not a date: 'someday'" in capsys.readouterr().err


def test_unreadable_file_is_collected_not_fatal(tmp_path: Path) -> None:
    root = client(tmp_path, {"deals.csv": DEALS_CSV, "broken.xlsx": b"PK\x03\x04 not really a zip"})
    loaded = load_client(root)
    bad = loaded.quality.issues[loaded.quality.issues["kind"] == "unreadable_file"]
    assert bad[["severity", "file"]].values.tolist() == [["error", "raw/broken.xlsx"]]
    assert loaded.quality.usable
    assert loaded.dataset.deals["src_file"].tolist() == ["raw/deals.csv", "raw/deals.csv"]
    assert set(loaded.hashes) == {"raw/broken.xlsx", "raw/deals.csv"}
    assert [m["file"] for m in loaded.sheets_meta] == ["raw/deals.csv"]


def test_nothing_readable_exits_2(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"broken.xlsx": b"PK\x03\x04 not really a zip"})
    code = cli.main(["validate", str(root)])
    err = capsys.readouterr().err
    assert code == 2
    assert "none of the 1 file(s) in raw/ could be read" in err
    assert "raw/broken.xlsx" in err


def test_mapping_ignore_and_rule_apply_when_loading(tmp_path: Path) -> None:
    mapping = (
        "ignore: ['old_*.csv']\n"
        "files:\n"
        "  - match: 'export.csv'\n"
        "    table: sales\n"
        "    columns: {Когда: date, Кому: client_name, Сколько: amount}\n"
    )
    root = client(
        tmp_path,
        {"export.csv": "Когда;Кому;Сколько\n01.11.2024;Лютик;10\n", "old_x.csv": "garbage"},
        mapping,
    )
    loaded = load_client(root)
    assert loaded.dataset.sales[["sale_id", "amount"]].values.tolist() == [["export:2", 10.0]]
    assert loaded.quality.count("ignored_file") == 1
    assert loaded.mapping.files[0].table == "sales"


@pytest.mark.slow
@pytest.mark.skipif(not (DEMO / "raw").is_dir(), reason="demo data not generated")
def test_demo_company_validates_cleanly(capsys) -> None:
    assert cli.main(["validate", str(DEMO)]) == 0
    out = capsys.readouterr().out
    assert "Итог: данных достаточно для аудита." in out
    assert "unrecognised_file" not in out and "missing_column" not in out


def yaml_blocks(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_every_mapping_example_in_the_docs_is_valid() -> None:

    blocks = yaml_blocks(Path(__file__).resolve().parents[1] / "docs" / "mapping.md")
    assert len(blocks) == 7
    for block in blocks:
        parse_mapping(yaml.safe_load(block))  # raises MappingError when a doc example is wrong


@pytest.mark.slow
@pytest.mark.skipif(not (DEMO / "raw").is_dir(), reason="demo data not generated")
def test_demo_mapping_in_the_docs_gives_the_same_dataset(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(DEMO / "raw", root / "raw")
    demo_block = yaml_blocks(Path(__file__).resolve().parents[1] / "docs" / "mapping.md")[-1]
    (root / "mapping.yaml").write_text(demo_block, encoding="utf-8")
    with_mapping = load_client(root)
    without = load_client(DEMO)
    for table in ("managers", "clients", "activities", "deals", "sales", "plans", "trainings"):
        pd.testing.assert_frame_equal(
            with_mapping.dataset.table(table), without.dataset.table(table), check_like=False
        )
    assert with_mapping.quality.count("bad_mapping") == 0


# --- the per-file report, blocking problems and ready-to-paste fixes -------------------------

#: a CRM no preset knows: deals under other names
CRM_CSV = (
    "Номер;Клиент;Менеджер;Сумма;Статус;Создана;Почему нет;Заметка\n"
    "A-1;ООО «Ромашка»;Иванов Иван;1 500,50;Оплачено;05.11.2024;;x\n"
    "A-2;Лютик;Петрова Анна;700;Отказ;06.11.2024;Дорого;y\n"
    "A-3;ООО «Ромашка»;Иванов Иван;300;В работе;07.11.2024;;\n"
    "A-4;Лютик;Петрова Анна;10;Пауза;08.11.2024;Жадность;\n"
)
#: amoCRM deals whose amount column has a name the preset does not know
AMO_NO_BUDGET_CSV = (
    "ID;Ответственный;Дата создания сделки;Этап сделки;Компания;Сумма оплаты;Дата оплаты\n"
    "1;Иванов Иван;01.11.2024;Успешно реализовано;Лютик;1000;03.11.2024\n"
    "2;Петрова Анна;02.11.2024;Переговоры;ООО «Ромашка»;500;\n"
    "3;Петрова Анна;02.11.2024;Отгружено;ООО «Ромашка»;700;05.11.2024\n"
)
#: Bitrix24 activities: 3 of 4 types unknown, so 3 of 4 rows are rejected
CALLS_CSV = (
    "ID;Тип;Ответственный;Компания;Дата начала\n"
    "1;Исходящий вызов;Иванов Иван;Лютик;01.11.2024\n"
    "2;Исходящий вызов;Иванов Иван;Лютик;02.11.2024\n"
    "3;Визит к клиенту;Петрова Анна;ООО «Ромашка»;03.11.2024\n"
    "4;Звонок;Петрова Анна;ООО «Ромашка»;04.11.2024\n"
)
BROKEN = {"crm_export.csv": CRM_CSV, "amo_deals.csv": AMO_NO_BUDGET_CSV, "calls.csv": CALLS_CSV}

FIX_YAML = """files:
  - match: "amo_deals.csv"
    preset: amocrm_deals
    columns:
      "Сумма оплаты": amount
    labels:
      stage:
        "Отгружено": won
  - match: "calls.csv"
    preset: bitrix24_activities
    labels:
      type:
        "Исходящий вызов": call
        "Визит к клиенту": meeting
  - match: "crm_export.csv"
    table: deals
    columns:
      "Номер": deal_id
      "Клиент": client_name
      "Менеджер": manager_name
      "Сумма": amount
      "Статус": stage
      "Создана": created
      "Почему нет": lost_reason
    labels:
      stage:
        "Оплачено": won
        "Отказ": lost
        "В работе": open
        "Пауза": open
      lost_reason:
        "Дорого": too_expensive
        "Жадность": other
"""


def block(text: str, first: str) -> list[str]:
    """The lines of one file's block in the report: from its name to the next unindented line."""
    lines = text.splitlines()
    start = lines.index(first)
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")),
        len(lines),
    )
    return lines[start:end]


def test_every_file_is_listed_with_how_it_was_read(tmp_path: Path, capsys) -> None:
    from salesaudit.model.presets import PRESETS

    root = client(tmp_path, {"deals.csv": DEALS_CSV, "notes.csv": "foo;bar\n1;2\n"})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    out = capsys.readouterr().out
    assert block(out, "raw/deals.csv") == [
        "raw/deals.csv",
        "  распознан по заголовкам: пресет amocrm_deals "
        f"({PRESETS['amocrm_deals'].title}) -> таблица deals",
        "  строки: прочитано 2, принято 2, отклонено 0, дублей 0",
        "  колонки: «ID» -> deal_id, «Бюджет» -> amount, «Ответственный» -> manager_name, "
        "«Дата создания сделки» -> created,",
        "      «Этап сделки» -> stage, «Компания» -> client_name",
        "  нет колонок для: expected_close, closed, lost_reason, product, brand, pipeline"
        + "".join(f", {c}" for c in ("category",) if c in COLUMNS_DEALS),
    ]
    assert block(out, "raw/notes.csv") == [
        "raw/notes.csv",
        "  НЕ РАСПОЗНАН: ни один пресет не подошёл (ни один заголовок не знаком пресетам)",
        "  заголовки (строка 1): «foo», «bar»",
    ]
    assert "Итог: данных достаточно для аудита." in out
    assert "Как исправить" not in out  # nothing a mapping could fix


COLUMNS_DEALS = tuple(__import__("salesaudit.model.schemas", fromlist=["COLUMNS"]).COLUMNS["deals"])


def test_broken_folder_exits_1_naming_every_blocking_problem(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, BROKEN)
    code = cli.main(["validate", str(root), "--as-of", "2024-12-01"])
    out, err = capsys.readouterr()
    assert code == 1
    calls = block(out, "raw/calls.csv")
    assert calls[2:5] == [
        "  строки: прочитано 4, принято 1, отклонено 3, дублей 0",
        "  причины отклонения:",
        "    - type: недопустимое значение (допустимы: call, meeting, email, proposal, demo, task); "
        "запись отклонена: 3 стр.",
    ]
    amo = block(out, "raw/amo_deals.csv")
    assert (
        "  ВНИМАНИЕ: колонка «Сумма оплаты» не прочитана, а похожа на сумму "
        "(заголовок и числа в ячейках)" in amo
    )
    assert (
        "  НЕТ КЛЮЧЕВОГО ПОЛЯ amount (Сумма / Бюджет / Выручка): без него таблица не годится "
        "для аудита" in amo
    )
    crm = block(out, "raw/crm_export.csv")
    assert crm[1:4] == [
        "  НЕ РАСПОЗНАН: ни один пресет не подошёл (ближе всех 1c_sales: знает 3 из 8 заголовков, "
        "а нужно не меньше 40 %)",
        "  по заголовкам похоже на таблицу deals — см. «Как исправить» ниже",
        "  заголовки (строка 1): «Номер», «Клиент», «Менеджер», «Сумма», «Статус», «Создана», "
        "«Почему нет», «Заметка»",
    ]
    assert (
        "Итог: в таком виде данные для аудита не годятся — таблица отклонена больше чем "
        "наполовину или в файле нет ключевого поля" in out
    )
    assert err.splitlines() == [
        f"salesaudit: error: {root}: данные непригодны для аудита: 2 пробл. -> исправьте по блоку "
        "«Как исправить» выше (mapping.yaml) или замените выгрузку; затем снова salesaudit validate",
        "  - таблица activities: отклонено 3 из 4 строк (больше половины)",
        "  - raw/amo_deals.csv: таблица deals без ключевого поля amount (Сумма / Бюджет / Выручка)",
    ]


def test_the_fix_in_the_docs_is_the_one_validate_prints() -> None:
    blocks = yaml_blocks(Path(__file__).resolve().parents[1] / "docs" / "mapping.md")
    assert FIX_YAML in blocks


def test_the_printed_fix_pasted_into_mapping_yaml_makes_validate_pass(
    tmp_path: Path, capsys
) -> None:
    root = client(tmp_path, BROKEN)
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out = capsys.readouterr().out
    fixes = out.split("\n\nКак исправить", 1)[1].splitlines()[:14]
    assert ["Как исправить" + fixes[0], *fixes[1:]] == [
        "Как исправить через mapping.yaml",
        "--------------------------------",
        "raw/amo_deals.csv",
        "  - ключевого поля amount нет среди прочитанных: возьмите колонку «Сумма оплаты»",
        "  - stage: 1 неизвестн. значений (1 стр.) получат коды ниже — проверьте их",
        "raw/calls.csv",
        "  - type: 2 неизвестн. значений (3 стр.) получат коды ниже — проверьте их",
        "raw/crm_export.csv",
        "  - файл не распознан; по заголовкам это таблица deals — колонки ниже",
        "  - stage: 4 неизвестн. значений (4 стр.) получат коды ниже — проверьте их",
        "  - lost_reason: 2 неизвестн. значений (2 стр.) получат коды ниже — проверьте их",
        "",
        "Вставьте в новый файл mapping.yaml рядом с raw/:",
        "",
    ]
    snippet = out.split("Вставьте в новый файл mapping.yaml рядом с raw/:\n\n", 1)[1]
    assert snippet == FIX_YAML
    (root / "mapping.yaml").write_text(snippet, encoding="utf-8")
    code = cli.main(["validate", str(root), "--as-of", "2024-12-01"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "Как исправить" not in out
    loaded = load_client(root, as_of=pd.Timestamp("2024-12-01").date())
    deals = loaded.dataset.deals.set_index("deal_id")
    assert deals.loc[["A-1", "A-2", "A-3", "A-4", "1", "3"], "outcome"].tolist() == [
        "won",
        "lost",
        "open",
        "open",
        "won",
        "won",
    ]
    assert deals.loc[["A-1", "3"], "amount"].tolist() == [1500.5, 700.0]
    assert sorted(loaded.dataset.activities["type"]) == ["call", "call", "call", "meeting"]


def test_fix_for_a_file_already_in_mapping_yaml_extends_its_rule(tmp_path: Path, capsys) -> None:
    mapping = (
        "files:\n"
        "  - match: 'calls.csv'\n"
        "    table: activities\n"
        "    columns: {Тип: type, Ответственный: manager_name, 'Дата начала': occurred_at}\n"
    )
    root = client(tmp_path, {"calls.csv": CALLS_CSV}, mapping)
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out = capsys.readouterr().out
    assert block(out, "raw/calls.csv")[1] == (
        "  по правилу mapping.yaml (match: 'calls.csv'), пресет bitrix24_activities -> таблица "
        "activities"
    )
    tail = out.split("Как исправить через mapping.yaml\n", 1)[1].splitlines()
    assert tail[1:] == [
        "raw/calls.csv",
        "  - type: 2 неизвестн. значений (3 стр.) получат коды ниже — проверьте их",
        "  - запись match: 'calls.csv' повторяет ваше правило из mapping.yaml и дополняет его; "
        "поставьте её перед ним (первое",
        "    подходящее правило побеждает)",
        "",
        "Добавьте в начало списка files: в mapping.yaml:",
        "",
        '  - match: "calls.csv"',
        "    table: activities",
        "    columns:",
        '      "Тип": type',
        '      "Ответственный": manager_name',
        '      "Дата начала": occurred_at',
        "    labels:",
        "      type:",
        '        "Исходящий вызов": call',
        '        "Визит к клиенту": meeting',
    ]
    items = "\n".join(tail[8:]) + "\n"
    (root / "mapping.yaml").write_text(mapping.replace("files:\n", "files:\n" + items), "utf-8")
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    capsys.readouterr()


def test_a_key_field_nowhere_in_the_file_exits_1_without_a_fix(tmp_path: Path, capsys) -> None:
    csv = "ID;Ответственный;Дата создания сделки;Этап сделки\n1;Иванов Иван;01.11.2024;Переговоры\n"
    root = client(tmp_path, {"deals.csv": csv})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert (
        "  KEY FIELD MISSING amount (Сумма / Бюджет / Выручка): the table cannot be used without it"
        in out
    )
    assert "How to fix it" not in out
    assert err.splitlines()[1:] == [
        "  - raw/deals.csv: table deals without the key field amount (Сумма / Бюджет / Выручка)"
    ]


def test_long_lines_are_wrapped_never_cut(tmp_path: Path, capsys) -> None:
    heads = [f"Колонка номер {i}" for i in range(1, 13)]
    root = client(
        tmp_path, {"deals.csv": DEALS_CSV, "wide.csv": ";".join(heads) + "\n" + "x;" * 11 + "x\n"}
    )
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    out = capsys.readouterr().out
    wide = block(out, "raw/wide.csv")
    assert all(len(line) <= 120 for line in out.splitlines())
    listed = " ".join(line.strip() for line in wide[2:])
    assert listed == "заголовки (строка 1): " + ", ".join(f"«{h}»" for h in heads)
    assert wide[3].startswith("      «")  # continuation indented under the list


def test_an_unrecognised_file_never_echoes_values_taken_for_headers(tmp_path: Path, capsys) -> None:
    # no header row: the reader takes the first data row as the header
    csv = (
        "05.11.2024;Иванов Иван;1500;+7 912 345-67-89;Этап Сделки\n"
        "06.11.2024;Петрова Анна;700;+7 912 345-67-80;x\n"
    )
    root = client(tmp_path, {"deals.csv": DEALS_CSV, "x.csv": csv})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    out = capsys.readouterr().out
    assert block(out, "raw/x.csv")[1:] == [
        "  НЕ РАСПОЗНАН: ни один пресет не подошёл (ближе всех amocrm_deals: знает 1 из 5 "
        "заголовков, нет колонок для",
        "      manager_name)",
        "  заголовки (строка 1): «Этап Сделки», и ещё 4, похожих на значения (не показаны)",
        "  ВНИМАНИЕ: колонка «Этап Сделки» не прочитана, а похожа на этап / статус (по заголовку)",
    ]
    files_section = out.split("Файлы в raw/", 1)[1].split("\nОШИБКИ", 1)[0]
    for secret in ("Иванов", "912", "05.11.2024", "1500"):
        assert secret not in files_section


def test_a_long_header_stays_on_one_yaml_line(tmp_path: Path, capsys) -> None:
    long = "Сумма оплаты по договору " + "с учётом всех скидок, бонусов и корректировок " * 3
    csv = AMO_NO_BUDGET_CSV.replace("Сумма оплаты", long.strip())
    root = client(tmp_path, {"amo_deals.csv": csv})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out = capsys.readouterr().out
    snippet = out.split("Вставьте в новый файл mapping.yaml рядом с raw/:\n\n", 1)[1]
    assert f'      "{long.strip()}": amount\n' in snippet
    (root / "mapping.yaml").write_text(snippet, encoding="utf-8")
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    capsys.readouterr()


def test_month_first_dates_get_a_date_format_fix(tmp_path: Path, capsys) -> None:
    csv = (
        "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки;Компания\n"
        "1;1000;Иван Петров;11/25/2024;Успешно реализовано;Ромашка\n"
        "2;500;Иван Петров;11/05/2024;Переговоры;Ромашка\n"
        "3;700;Иван Петров;11/28/2024;Переговоры;Ромашка\n"
    )
    root = client(tmp_path, {"deals.csv": csv})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines()[1:] == ["  - таблица deals: отклонено 2 из 3 строк (больше половины)"]
    assert (
        "  - 2 дат(ы) в «Дата создания сделки» не прочитаны (оставлены пустыми): они в формате "
        "'%m/%d/%Y' — он задан ниже для" in out
    )
    snippet = out.split("Вставьте в новый файл mapping.yaml рядом с raw/:\n\n", 1)[1]
    assert snippet == (
        'files:\n  - match: "deals.csv"\n    preset: amocrm_deals\n    date_format: "%m/%d/%Y"\n'
    )
    (root / "mapping.yaml").write_text(snippet, encoding="utf-8")
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    capsys.readouterr()
    deals = load_client(root).dataset.deals.sort_values("deal_id")
    # 11/05/2024 is read as 5 November, not as 11 May
    assert deals["created"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-11-25",
        "2024-11-05",
        "2024-11-28",
    ]


def test_rejection_reasons_most_rows_first_the_rest_counted(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    from salesaudit.model import quality

    monkeypatch.setattr(quality, "TOP_REASONS", 2)
    csv = (
        "ID;Тип;Ответственный;Компания;Дата начала;Статус\n"
        "1;Звонок;Иванов Иван;Лютик;01.11.2024;Выполнено\n"
        "2;Факс;Иванов Иван;Лютик;02.11.2024;Выполнено\n"
        "3;Факс;Иванов Иван;Лютик;03.11.2024;Выполнено\n"
        "4;Факс;Иванов Иван;Лютик;04.11.2024;Выполнено\n"
        "5;Звонок;;Лютик;05.11.2024;Выполнено\n"
        "6;Звонок;;Лютик;06.11.2024;Выполнено\n"
        "7;Звонок;Иванов Иван;Лютик;;Выполнено\n"
        "8;Звонок;Иванов Иван;Лютик;08.11.2024;Отложено\n"
    )
    root = client(tmp_path, {"calls.csv": csv})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01", "--lang", "en"]) == 1
    lines = block(capsys.readouterr().out, "raw/calls.csv")
    assert lines[2:6] == [
        "  rows: read 8, accepted 1, rejected 7, duplicates 0",
        "  why rows were rejected:",
        "    - type: value not allowed (allowed: call, meeting, email, proposal, demo, task); the "
        "record is rejected: 3 rows",
        "    - no manager named in the record: 2 rows",
    ]
    assert lines[6] == "    - and 2 more reason(s), 2 rows (examples under ERRORS below)"


def test_a_workbook_is_listed_per_sheet_and_fixed_by_sheet(tmp_path: Path, capsys) -> None:
    from openpyxl import Workbook

    root = client(tmp_path, {})
    wb = Workbook()
    ws = wb.active
    ws.title = "Сделки"
    for line in CRM_CSV.splitlines():
        ws.append(line.split(";"))
    notes = wb.create_sheet("Справка")
    notes.append(["Что", "Где"])
    notes.append(["выгрузка", "CRM"])
    wb.save(root / "raw" / "crm.xlsx")
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out = capsys.readouterr().out
    crm = block(out, "raw/crm.xlsx")
    assert crm[1] == "  лист «Сделки»"
    assert "  лист «Справка»" in crm
    snippet = out.split("Вставьте в новый файл mapping.yaml рядом с raw/:\n\n", 1)[1]
    assert snippet.startswith(
        'files:\n  - match: "crm.xlsx"\n    sheet: "Сделки"\n    table: deals\n'
    )
    (root / "mapping.yaml").write_text(snippet, encoding="utf-8")
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    crm = block(capsys.readouterr().out, "raw/crm.xlsx")
    assert crm[1:4] == [
        "  лист «Сделки»",
        "    по правилу mapping.yaml (match: 'crm.xlsx') -> таблица deals",
        "    строки: прочитано 4, принято 4, отклонено 0, дублей 0",
    ]
    assert crm[-2:] == [
        "  лист «Справка»",
        "    лист не использован (пуст или не распознан; файл прочитан по другому листу)",
    ]


def test_many_unknown_labels_point_to_map_for_the_rest(tmp_path: Path, capsys, monkeypatch) -> None:
    from salesaudit.model import propose

    monkeypatch.setattr(propose, "MAX_FIX_LABELS", 1)
    root = client(tmp_path, {"calls.csv": CALLS_CSV})
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 1
    out = capsys.readouterr().out
    tail = out.split("Как исправить через mapping.yaml\n", 1)[1].splitlines()
    from salesaudit.model.quality import wrap_line

    assert tail[1:3] == [
        "raw/calls.csv",
        "  - type: 1 неизвестн. значений (2 стр.) получат коды ниже — проверьте их",
    ]
    more = wrap_line(
        "  - type: ещё 1 значений (1 стр.) не вошли в блок; полный список с подсказками: "
        f"salesaudit map {root}"
    )
    assert tail[3 : 3 + len(more)] == more  # wrapped when long, never cut
    assert tail[-2:] == ["      type:", '        "Исходящий вызов": call']
