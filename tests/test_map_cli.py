"""``salesaudit map``: a proposed mapping.yaml (headers, masked samples, guessed columns and codes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from salesaudit import cli
from salesaudit.app.loading import load_client
from salesaudit.model.mapping import parse_mapping
from salesaudit.model.propose import field_codes, guess_field, suggest_code, value_shape
from salesaudit.model.schemas import ALLOWED

#: a CRM no preset knows (deals), with people, phones and free text
CRM_CSV = (
    "Номер;Клиент;Менеджер;Сумма;Статус;Создана;Почему нет;Телефон клиента;Заметка\n"
    "A-1;ООО «Ромашка»;Иванов Иван;1 500,50;Оплачено;05.11.2024;;+7 912 345-67-89;перезвонить Марии\n"
    "A-2;Лютик;Петрова Анна;700;Отказ;06.11.2024;Дорого;+7 912 345-67-80;думают\n"
    "A-3;ООО «Ромашка»;Иванов Иван;300;В работе;07.11.2024;;+7 912 345-67-81;\n"
    "A-4;Лютик;Петрова Анна;10;Пауза;08.11.2024;Жадность;+7 912 345-67-82;\n"
)
#: Bitrix24 activities with two types the preset does not know
CALLS_CSV = (
    "ID;Тип;Ответственный;Компания;Дата начала\n"
    "1;Исходящий вызов;Иванов Иван;Лютик;01.11.2024\n"
    "2;Исходящий вызов;Иванов Иван;Лютик;02.11.2024\n"
    "3;Визит к клиенту;Петрова Анна;ООО «Ромашка»;03.11.2024\n"
    "4;Звонок;Петрова Анна;ООО «Ромашка»;04.11.2024\n"
)

EXPECTED = """files:
  # raw/calls.csv — пресет bitrix24_activities ({title}); строк 4
  - match: "calls.csv"
    preset: bitrix24_activities
    columns:
      ID: activity_id                # по пресету; 1 | 2 | 3
      "Тип": type                    # по пресету; Исходящий вызов | Визит к клиенту | Звонок
      "Ответственный": manager_name  # по пресету; <скрыто: имена/контакты>
      "Компания": client_name        # по пресету; <скрыто: имена/контакты>
      "Дата начала": occurred_at     # по пресету; 01.11.2024 | 02.11.2024 | 03.11.2024
    labels:
      type:
        "Исходящий вызов": call  # 2 стр.; по ключевому слову
        "Визит к клиенту": meeting  # 1 стр.; по ключевому слову
  # raw/crm.csv — таблица deals угадана по заголовкам — проверьте; строк 4
  - match: "crm.csv"
    table: deals
    columns:
      "Номер": deal_id           # по ключевому слову; A-1 | A-2 | A-3
      "Клиент": client_name      # известный заголовок; <скрыто: имена/контакты>
      "Менеджер": manager_name   # по ключевому слову; <скрыто: имена/контакты>
      "Сумма": amount            # известный заголовок; 1 500,50 | 700 | 300
      "Статус": stage            # по ключевому слову; Оплачено | Отказ | В работе
      "Создана": created         # по ключевому слову; 05.11.2024 | 06.11.2024 | 07.11.2024
      "Почему нет": lost_reason  # по ключевому слову; Дорого | Жадность
      "Телефон клиента": null    # не распознан; <phone>
      "Заметка": null            # не распознан; <скрыто: текст>
    labels:
      stage:
        "Оплачено": won  # 1 стр.; по ключевому слову
        "Отказ": lost  # 1 стр.; по ключевому слову
        "В работе": open  # 1 стр.; известное значение
        "Пауза": open  # 1 стр.; правила нет: нейтральный код
      lost_reason:
        "Дорого": too_expensive  # 1 стр.; известное значение
        "Жадность": other  # 1 стр.; правила нет: нейтральный код
  # raw/notes.csv — не распознан: ни для одной таблицы не нашлись обязательные колонки; строк 1
  #   заголовки: «foo», «bar»
  #   опишите его сами (files: - match: ..., table: ..., columns: ...) или добавьте в ignore:
"""


def client(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    for name, content in files.items():
        (root / "raw" / name).write_text(content, encoding="utf-8")
    return root


FILES = {"crm.csv": CRM_CSV, "calls.csv": CALLS_CSV, "notes.csv": "foo;bar\n1;2\n"}


def test_map_prints_every_file_with_guesses_samples_and_label_codes(tmp_path: Path, capsys) -> None:
    from salesaudit.model.presets import PRESETS

    root = client(tmp_path, FILES)
    assert cli.main(["map", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    head, body = out.split("files:\n", 1)
    assert head.splitlines()[0] == f"# mapping.yaml, предложенный `salesaudit map` для папки {root}"
    assert "files:\n" + body == EXPECTED.format(title=PRESETS["bitrix24_activities"].title)
    # pseudonymisation: no person, company, phone or note leaks into the proposal
    for secret in ("Иванов", "Петрова", "Ромашка", "Лютик", "912", "Марии", "думают"):
        assert secret not in out


def test_all_values_shows_the_masked_samples(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"crm.csv": CRM_CSV})
    assert cli.main(["map", str(root), "--all-values"]) == 0
    out = capsys.readouterr().out
    assert '"Менеджер": manager_name   # по ключевому слову; Иванов Иван | Петрова Анна' in out


def test_the_proposal_round_trips_through_parse_mapping_and_validate(
    tmp_path: Path, capsys
) -> None:
    root = client(tmp_path, FILES)
    target = root / "mapping.yaml"
    assert cli.main(["map", str(root), "--out", str(target)]) == 0
    assert capsys.readouterr().out == f"предложение mapping.yaml записано: {target}\n"
    parsed = parse_mapping(yaml.safe_load(target.read_text(encoding="utf-8")))
    assert [(r.match, r.table, r.preset) for r in parsed.files] == [
        ("calls.csv", "activities", "bitrix24_activities"),
        ("crm.csv", "deals", None),
    ]
    assert parsed.files[1].columns["Телефон клиента"] is None
    assert cli.main(["validate", str(root), "--as-of", "2024-12-01"]) == 0
    capsys.readouterr()
    loaded = load_client(root, as_of=pd.Timestamp("2024-12-01").date())
    deals = loaded.dataset.deals.sort_values("deal_id")
    assert deals[["deal_id", "amount", "outcome", "lost_reason"]].values.tolist() == [
        ["A-1", 1500.5, "won", None],
        ["A-2", 700.0, "lost", "too_expensive"],
        ["A-3", 300.0, "open", None],
        ["A-4", 10.0, "open", "other"],
    ]
    assert sorted(loaded.dataset.activities["type"]) == ["call", "call", "call", "meeting"]


def test_out_never_replaces_an_existing_file_without_force(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"crm.csv": CRM_CSV})
    target = root / "mapping.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    assert cli.main(["map", str(root), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{target} already exists; it is not replaced -> use --force" in err
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert cli.main(["map", str(root), "--out", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("# mapping.yaml, предложенный")
    assert sorted(p.name for p in root.iterdir()) == ["mapping.yaml", "raw"]  # no debris


def test_english_comments(tmp_path: Path, capsys) -> None:
    root = client(tmp_path, {"crm.csv": CRM_CSV})
    assert cli.main(["map", str(root), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert '      "Сумма": amount            # known header; 1 500,50 | 700 | 300' in out
    assert '        "Пауза": open  # 1 rows; no rule: neutral code' in out


@pytest.mark.parametrize(
    ("field", "label", "expected"),
    [
        ("stage", "Успешно реализовано", ("won", "known")),
        ("stage", "Успешно реализованно", ("won", "similar to «успешно реализовано»")),
        (
            "stage",
            "Закрыто и не реализовано (опт)",
            ("lost", "similar to «закрыто и не реализовано»"),
        ),
        ("stage", "Сделка не состоялась: отмена", ("lost", "keyword")),
        ("stage", "Думают", ("open", "no rule: neutral code")),
        ("type", "Исходящий вызов", ("call", "keyword")),
        ("type", "Прочее", (None, "no rule: neutral code")),
        ("result", "Абонент недоступен", ("no_answer", "keyword")),
        ("lost_reason", "Высокая цена у нас", ("too_expensive", "keyword")),
        ("role", "Коммерческий директор", ("head_of_sales", "keyword")),
        ("pay", "Оклад плюс премия за план", ("mixed", "keyword")),
    ],
)
def test_suggest_code(field: str, label: str, expected: tuple) -> None:
    assert suggest_code(field, label) == expected


def test_value_shape_and_guess_field() -> None:
    assert value_shape(pd.Series(["2025-06-02", "2025-06-03", None])) == "date"
    assert value_shape(pd.Series(["+7 912 345-67-89", "8 (495) 123-45-67"])) == "phone"
    assert value_shape(pd.Series(["1 500,50", "700"])) == "number"
    assert value_shape(pd.Series(["Иванов И.И.", "Петрова Анна", "опт"])) == "name"
    assert value_shape(pd.Series(["опт", "розница"])) is None
    assert guess_field("Сумма оплаты", pd.Series(["100", "200"]), "deals") == ("amount", "keyword")
    # a «Сумма» column of words is not an amount
    assert guess_field("Сумма прописью", pd.Series(["сто", "двести"]), "deals") is None
    assert guess_field("Бюджет", None, "deals", taken={"amount"}) is None


REAL = Path(__file__).resolve().parent / "data" / "real"
LABEL_FIELDS = (
    "outcome",
    "lost_reason",
    "refusal_reason",
    "type",
    "status",
    "result",
    "role",
    "pay",
)
FALLBACKS = ("open", "none", "other", "unknown")


@pytest.mark.parametrize(
    "name", sorted(p.name for p in REAL.iterdir() if (p / "raw").is_dir()) if REAL.is_dir() else []
)
def test_the_proposal_for_a_real_export_reads_it_as_the_presets_do(
    name: str, tmp_path: Path, capsys
) -> None:
    """map's mapping.yaml for each real-format folder (tests/data/real) gives the same tables."""
    import shutil

    root = tmp_path / name
    shutil.copytree(REAL / name / "raw", root / "raw")
    assert cli.main(["map", str(root), "--out", str(root / "mapping.yaml")]) == 0
    capsys.readouterr()
    as_of = pd.Timestamp("2025-12-31").date()
    with_mapping = load_client(root, as_of=as_of)
    without = load_client(REAL / name, as_of=as_of)
    assert any(without.dataset.table(t) is not None for t in ("deals", "activities", "sales"))
    for table in ("managers", "clients", "activities", "deals", "sales", "plans", "trainings"):
        mine, theirs = with_mapping.dataset.table(table), without.dataset.table(table)
        if theirs is None:
            assert mine is None, table
            continue
        # the proposal adds codes for labels the presets did not know: those cells may differ,
        # from a label kept verbatim or a fallback code to the suggested code; nothing else
        for col in set(LABEL_FIELDS) & set(theirs.columns):
            differ = mine[col].ne(theirs[col]) & ~(mine[col].isna() & theirs[col].isna())
            allowed = ALLOWED.get(table, {}).get(col)
            was_unknown = theirs.loc[differ, col].map(
                lambda v, allowed=allowed: allowed is None or v not in allowed or v in FALLBACKS
            )
            assert was_unknown.all(), (table, col, theirs.loc[differ, col].tolist())
            assert mine.loc[differ, col].isin(field_codes(col)).all(), (table, col)
            mine = mine.assign(**{col: theirs[col]})
        pd.testing.assert_frame_equal(mine, theirs, check_like=False)
    assert with_mapping.quality.count("bad_mapping") == 0


def test_a_rule_written_back_by_validate_parses_to_the_same_rule() -> None:
    from salesaudit.model.propose import mapping_text, rule_entry

    data = {
        "files": [
            {
                "match": "crm_[2024]*.csv",
                "sheet": "Сделки",
                "table": "deals",
                "header_row": 2,
                "date_format": "%d/%m/%Y",
                "columns": {"Номер": "deal_id", "Сумма": "amount", "Заметка": None},
                "labels": {"stage": {"Оплачено": "won", "/отказ|провал/i": "lost"}},
                "constants": {"pipeline": "выставка"},
                "defaults": {"client_name": "Розница"},
                "join": [{"file": "staff.xlsx", "on": "manager_name", "take": {"brand": "Бренд"}}],
            },
            {"match": "calls.csv", "preset": "bitrix24_activities"},
        ]
    }
    rules = parse_mapping(data).files
    text = mapping_text([rule_entry(r) for r in rules])
    again = parse_mapping(yaml.safe_load(text)).files
    assert again == rules


def test_columns_the_preset_handles_itself_are_told_apart(capsys) -> None:
    """A column the preset reads into a private field (Bitrix24's «Тема» -> the subject kept in
    the comment) is «read by the preset»; one it knows and leaves out («Направление») is «not
    used by the audit»: neither needs a line in mapping.yaml."""
    assert cli.main(["map", str(REAL / "bitrix24_deals")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert '      # "Тема": колонку пресет читает сам (служебное поле), в mapping не нужна' in out
    assert (
        '      # "Направление": колонка пресету известна, аудит её не использует — в mapping не '
        "нужна" in out
    )
    assert cli.main(["map", str(REAL / "bitrix24_deals"), "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        '      # "Тема": read by the preset itself (an internal field); not needed in the mapping'
        in out
    )
    assert (
        '      # "Направление": known to the preset and not used by the audit — not needed in the '
        "mapping" in out
    )
