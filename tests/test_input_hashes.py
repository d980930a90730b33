"""Every input's hash in the audit result is the SHA-256 of the bytes the audit read: raw
exports, mapping.yaml, the interview answers (YAML or XLSX) and report.yaml."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import salesaudit.io.folder as folder_module
from salesaudit.app.audit import audit_client

DEALS = (
    "ID;Бюджет;Ответственный;Дата создания сделки;Этап сделки;Компания\n"
    "1;1000;Иван Петров;01.11.2024;Успешно реализовано;ООО «Ромашка»\n"
    "2;500;Анна Смирнова;02.11.2024;Переговоры;Лютик\n"
).encode()
MAPPING = b'files:\n  - match: "deals.csv"\n    preset: amocrm_deals\n'
ANSWERS = b"answers:\n  p1.q01: yes\n"
REPORT = b"client_name: \xd0\x9e\xd0\x9e\xd0\x9e \xc2\xab\xd0\xa2\xd0\xb5\xd1\x81\xd1\x82\xc2\xbb\n"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _client(tmp_path: Path, answers_name: str = "answers.yaml", answers: bytes = ANSWERS) -> Path:
    root = tmp_path / "client"
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "deals.csv").write_bytes(DEALS)
    (root / "mapping.yaml").write_bytes(MAPPING)
    (root / answers_name).write_bytes(answers)
    (root / "report.yaml").write_bytes(REPORT)
    return root


def test_every_input_hash_comes_from_the_read_not_from_a_separate_scan(
    tmp_path: Path, monkeypatch
) -> None:
    root = _client(tmp_path)
    # a scan of the folder that hashed the files itself would record this bogus value
    monkeypatch.setattr(folder_module, "file_sha256", lambda path: "0" * 64)
    result, _ = audit_client(root, as_of=dt.date(2024, 11, 2))
    assert result.meta["input_hashes"] == {
        "answers.yaml": _sha(ANSWERS),
        "mapping.yaml": _sha(MAPPING),
        "raw/deals.csv": _sha(DEALS),
        "report.yaml": _sha(REPORT),
    }
    assert result.answers["p1.q01"]["answer"] == "yes"  # and those bytes were used


def test_answers_xlsx_is_hashed_from_the_bytes_parsed(tmp_path: Path, monkeypatch) -> None:
    from salesaudit.app.audit import load_checklist
    from salesaudit.io.interview_sheet import write_interview_sheet

    sheet = tmp_path / "sheet.xlsx"
    write_interview_sheet(
        load_checklist(), sheet, lang="ru", answers={"p1.q01": {"answer": "yes", "note": None}}
    )
    data = sheet.read_bytes()
    root = _client(tmp_path, "answers.xlsx", data)
    (root / "answers.yaml").unlink(missing_ok=True)
    monkeypatch.setattr(folder_module, "file_sha256", lambda path: "0" * 64)
    result, _ = audit_client(root, as_of=dt.date(2024, 11, 2))
    assert result.meta["input_hashes"]["answers.xlsx"] == _sha(data)
    assert result.answers["p1.q01"]["answer"] == "yes"
