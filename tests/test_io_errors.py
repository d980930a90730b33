"""Every bad input gives one clear InputFileError naming the file and what to do."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from salesaudit.errors import InputFileError
from salesaudit.io import open_client_folder, read_file, read_yaml

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _error(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        read_file(path)
    err = info.value
    assert err.file == str(path)
    text = str(err)
    assert text.startswith(str(path) + ": ")
    assert "Traceback" not in text
    assert err.hint
    return text


def test_missing_file(tmp_path: Path) -> None:
    text = _error(tmp_path / "nope.xlsx")
    assert text == f"{tmp_path / 'nope.xlsx'}: file not found -> check the path and the file name"


def test_directory_given(tmp_path: Path) -> None:
    text = _error(tmp_path)
    assert text == f"{tmp_path}: is a folder, not a file -> give the path of an exported file"


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "deals.csv"
    path.write_bytes(content)
    text = _error(path)
    assert "the file is empty (0 bytes or no rows)" in text
    assert "export the table again" in text


def test_header_only_csv_has_no_data_rows(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("ID;Сумма\n", encoding="utf-8")
    assert "the file is empty (no data rows (only a header))" in _error(path)


def test_workbook_without_any_cells(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    assert "the file is empty (no rows)" in _error(path)


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        ("deals.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        ("blob.csv", b"abc\x00\x01\x02\x03def" * 10, "a binary file"),
        ("old.xls", OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), "an Office"),
    ],
)
def test_not_a_table_export(tmp_path: Path, name: str, content: bytes, what: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    text = _error(path)
    assert "not a table export; export as XLSX or CSV" in text
    assert f"this looks like {what}" in text


def test_docx_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "brief.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    text = _error(path)
    assert "not a table export; export as XLSX or CSV" in text
    assert "Word/PowerPoint document" in text


def test_ods_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "table.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    text = _error(path)
    assert "OpenDocument spreadsheet (ODS) is not supported" in text
    assert "save as XLSX or CSV" in text


def test_password_protected_xlsx(tmp_path: Path) -> None:
    # an encrypted OOXML file is an OLE2 container with an "EncryptionInfo" stream
    path = tmp_path / "secret.xlsx"
    path.write_bytes(OLE2 + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64)
    text = _error(path)
    assert "password-protected, save without password" in text
    assert "remove the password" in text


def test_corrupt_xlsx(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.save(good)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    assert "file is damaged" in _error(truncated)
    assert "export again" in _error(truncated)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"PK\x03\x04" + b"\x13\x37" * 200)
    assert "file is damaged" in _error(garbage)


def test_zip_without_workbook_part_is_damaged_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "half.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook><not closed")
    assert "file is damaged" in _error(path)


def test_zip_bomb_total_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(600):  # 600 MB of zeros, streamed; a few MB on disk
            member.write(chunk)
    assert path.stat().st_size < 10 * (1 << 20)
    text = _error(path)
    assert (
        "refusing to open: it would unpack to 600 MB (limit 500 MB), looks like a zip bomb" in text
    )


def test_zip_bomb_compression_ratio(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", bytes(20 * (1 << 20)))
    text = _error(path)
    assert "refusing to open: part 'xl/worksheets/sheet1.xml' is compressed" in text
    assert "(limit 200:1), looks like a zip bomb" in text


def test_zip_bomb_member_count(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"xl/p{i}.xml", b"")
    assert "the archive has 10001 parts (limit 10000)" in _error(path)


def test_unreadable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    # not UTF-8, and as Windows-1251 mostly rare symbols (‚ѓ„…†‡€‰) -> not a plausible text
    path.write_bytes(b"a;b\n" + bytes(range(0x82, 0x8A)) * 50 + b"\n")
    text = _error(path)
    assert "unreadable encoding, save as UTF-8" in text


def test_xml_spreadsheet_2003(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "</Workbook>",
        encoding="utf-8",
    )
    text = _error(path)
    assert "XML Spreadsheet 2003 files are not supported" in text
    assert "save as XLSX" in text


# --- client folder -----------------------------------------------------------------------------


def test_client_folder_missing(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        open_client_folder(tmp_path / "acme")
    text = str(info.value)
    assert text.startswith(f"{tmp_path / 'acme'}: client folder not found -> ")
    assert "docs/architecture.md" in text


def test_client_folder_without_raw(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        open_client_folder(tmp_path)
    assert str(info.value).startswith(f"{tmp_path}: no raw/ folder in the client folder -> ")


def test_client_folder_with_only_ignored_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "~$deals.xlsx").write_bytes(b"lock")
    (raw / "README.txt").write_text("what the client sent")
    (raw / ".hidden.csv").write_text("a\n1\n")
    with pytest.raises(InputFileError) as info:
        open_client_folder(tmp_path)
    assert str(info.value).splitlines() == [
        f"{raw}: raw/ holds no export: every file in it was skipped -> put the client's "
        "exports (XLSX, XLS, CSV, HTML) into raw/",
        "  - raw/.hidden.csv: skipped: hidden file (the name starts with a dot, e.g. .DS_Store "
        "or ._ files of macOS) -> if it is an export, rename it without the leading dot",
        "  - raw/README.txt: skipped: README, not an export",
        "  - raw/~$deals.xlsx: skipped: Excel lock file of an open workbook (~$...), not an export",
    ]


def test_client_folder_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("x")
    with pytest.raises(InputFileError, match="is a file, not a client folder"):
        open_client_folder(path)


# --- YAML --------------------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_line_column(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text("files:\n  deals.xlsx: deals\n  calls.csv: [activities\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_yaml(path)
    err = info.value
    assert err.file == str(path)
    assert err.row == 4
    assert err.column == "1"
    assert str(err).startswith(f"{path}, row 4, column '1': YAML syntax error at line 4, column 1:")


def test_yaml_missing(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_yaml(tmp_path / "answers.yaml")
    assert str(info.value) == (
        f"{tmp_path / 'answers.yaml'}: file not found -> check the path and the file name"
    )


def test_yaml_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes("ответ: да\n".encode("cp1251"))
    with pytest.raises(InputFileError, match="unreadable encoding, save as UTF-8"):
        read_yaml(path)


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_yaml_same_data_and_errors_with_the_c_and_the_python_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str
) -> None:
    import yaml
    from salesaudit.io import yamlio

    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML was built without {loader}")
    monkeypatch.setattr(yamlio, "_SAFE_LOADER", getattr(yaml, loader))
    good = "as_of: 2026-11-20\nclient: ООО «Вектор»\nweights: [1, 2.5, null]\nflag: yes\n"
    assert yamlio.parse_yaml(good, file="report.yaml") == {
        "as_of": dt.date(2026, 11, 20),
        "client": "ООО «Вектор»",
        "weights": [1, 2.5, None],
        "flag": True,
    }
    with pytest.raises(InputFileError) as info:
        yamlio.parse_yaml("files:\n  calls.csv: [activities\n", file="mapping.yaml")
    assert str(info.value).startswith(
        "mapping.yaml, row 3, column '1': YAML syntax error at line 3, column 1:"
    )
    with pytest.raises(InputFileError, match="invalid value in YAML: month must be in 1..12"):
        yamlio.parse_yaml("as_of: 2026-13-45\n", file="report.yaml")
    with pytest.raises(yaml.constructor.ConstructorError):  # no arbitrary objects
        yaml.load("!!python/object/apply:os.system ['true']", Loader=yamlio._SAFE_LOADER)  # noqa: S506
