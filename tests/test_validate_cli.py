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
    assert len(blocks) == 3
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
