"""Pseudonymised mode: keyed aliases, scrubbed texts, the quality report, the key file."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
from salesaudit.errors import InputFileError
from salesaudit.io.keys import KEY_FILE, load_or_create_key, read_key
from salesaudit.model import Dataset, canonical_frame
from salesaudit.model.pseudonymize import (
    EMAIL_MASK,
    PHONE_MASK,
    alias_suffix,
    build_pseudonymizer,
    make_alias,
    make_aliases,
    name_core,
    pseudonymize_dataset,
    pseudonymize_quality,
)
from salesaudit.model.quality import QualityReport, issues_frame
from salesaudit.model.reconcile import MATCH_COLUMNS

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def _dataset() -> Dataset:
    managers = canonical_frame(
        "managers",
        [
            {
                "manager_id": "m01",
                "name": "Иванов Иван Иванович",
                "role": "manager",
                "pay": "fixed",
                "phone": "+7 916 111-22-33",
                "email": "ivanov@alfa-torg.ru",
                "src_file": "Сотрудники.xlsx",
                "src_row": 2,
            },
            {
                "manager_id": "m02",
                "name": "Петрова Анна Сергеевна",
                "role": "head_of_sales",
                "pay": "mixed",
            },
        ],
    )
    clients = canonical_frame(
        "clients",
        [
            {
                "client_id": "c0001",
                "name": "ООО «Ромашка»",
                "manager_id": "m01",
                "contact_person": "Сидоров Пётр Ильич",
                "phone": "8 (495) 123-45-67",
                "email": "zakaz@romashka.ru",
                "region": "Москва",
            },
            {"client_id": "c0002", "name": "ИП Кузнецов Олег Петрович", "manager_id": "m02"},
        ],
    )
    activities = canonical_frame(
        "activities",
        [
            {
                "activity_id": "a1",
                "manager_id": "m01",
                "client_id": "c0001",
                "type": "call",
                "occurred_at": "2024-03-01 10:00",
                "status": "done",
                "result": "agreed",
                "comment": "Иванов И.И. договорился с Сидоровым из Ромашки, тел. +7(495)123-45-67, "
                "почта zakaz@romashka.ru",
            },
            {
                "activity_id": "a2",
                "manager_id": "m02",
                "client_id": "c0002",
                "type": "meeting",
                "occurred_at": "2024-03-02 11:00",
                "status": "done",
                "result": "refused",
                "comment": "Кузнецов О.П. отказался; Анна Петрова передала Смирнову К.Л.",
            },
        ],
    )
    deals = canonical_frame(
        "deals",
        [
            {
                "deal_id": "d1",
                "client_id": "c0001",
                "manager_id": "m01",
                "created": "2024-02-01",
                "amount": 150000.0,
                "outcome": "lost",
                "lost_reason": "ушли к конкуренту, звонить Петровой",
            }
        ],
    )
    plans = canonical_frame(
        "plans",
        [
            {
                "period": "2024-03-01",
                "manager_id": "m01",
                "dimension": "client",
                "dimension_value": "c0001",
                "metric": "revenue",
                "value": 1e6,
            },
            {
                "period": "2024-03-01",
                "manager_id": "m01",
                "dimension": "brand",
                "dimension_value": "Лакра",
                "metric": "revenue",
                "value": 2e6,
            },
        ],
    )
    return Dataset(
        managers=managers,
        clients=clients,
        activities=activities,
        deals=deals,
        plans=plans,
        meta={"client_name": "ООО «Альфа-Торг»", "currency": "RUB", "note": "Альфа-Торг, опт"},
    )


def _all_text(data: Dataset) -> str:
    parts = [repr(data.meta)]
    for name in ("managers", "clients", "activities", "deals", "sales", "plans", "trainings"):
        df = data.table(name)
        if df is not None:
            parts.append(df.to_csv(index=False))
    return "\n".join(parts)


SECRETS = [
    "Иванов",
    "Ивана",
    "Петров",
    "Анна",
    "Сидоров",
    "Ромашк",
    "Кузнецов",
    "Смирнов",
    "Альфа",
    "916",
    "123-45-67",
    "@",
    "romashka",
]


def test_alias_is_the_keyed_hmac() -> None:
    # HMAC-SHA256(key, "client:c0001"), first four hex digits, upper case
    import hashlib
    import hmac

    expected = hmac.new(KEY, b"client:c0001", hashlib.sha256).hexdigest()[:4].upper()
    assert alias_suffix(KEY, "client", "c0001") == expected
    assert make_alias(KEY, "client", "c0001") == f"Клиент-{expected}"
    assert make_alias(KEY, "manager", "m01", lang="en").startswith("Manager-")
    assert make_alias(KEY, "client", "c0001") != make_alias(OTHER_KEY, "client", "c0001")


def test_aliases_are_unique_even_when_four_digits_collide() -> None:
    ids = [f"c{i:05d}" for i in range(3000)]  # ~50 collisions expected in 65536 suffixes
    aliases = make_aliases(KEY, "client", ids)
    assert len(set(aliases.values())) == len(ids)
    short = [a for a in aliases.values() if len(a.split("-")[1]) == 4]
    long = [a for a in aliases.values() if len(a.split("-")[1]) > 4]
    assert short and long  # collisions were lengthened, the rest kept 4 digits
    assert make_aliases(KEY, "client", list(reversed(ids))) == aliases  # order-independent


def test_name_core() -> None:
    assert name_core("ООО «Ромашка»") == "Ромашка"
    assert name_core("Ромашка, ООО") == "Ромашка"
    assert name_core('АО "Северный ветер"') == "Северный ветер"
    assert name_core("ИП Кузнецов О.П.") == "Кузнецов О.П."


def test_dataset_is_pseudonymized_without_leaks_and_input_untouched() -> None:
    data = _dataset()
    before = {n: data.table(n).copy() for n in data.present}
    out = pseudonymize_dataset(data, KEY)
    text = _all_text(out)
    for secret in SECRETS:
        assert secret not in text, secret
    # the input is not modified
    for n, df in before.items():
        pd.testing.assert_frame_equal(data.table(n), df)
    assert data.meta["client_name"] == "ООО «Альфа-Торг»"


def test_dataset_aliases_are_consistent_and_exact() -> None:
    data = _dataset()
    out = pseudonymize_dataset(data, KEY)
    m01 = make_alias(KEY, "manager", "m01")
    m02 = make_alias(KEY, "manager", "m02")
    c1 = make_alias(KEY, "client", "c0001")
    c2 = make_alias(KEY, "client", "c0002")
    assert list(out.managers["manager_id"]) == [m01, m02]
    assert list(out.managers["name"]) == [m01, m02]
    assert out.managers["phone"].isna().all() and out.managers["email"].isna().all()
    assert list(out.clients["client_id"]) == [c1, c2]
    assert list(out.clients["manager_id"]) == [m01, m02]
    assert out.clients["contact_person"].iloc[0].startswith("Контакт-")
    assert out.clients["phone"].isna().all()
    assert list(out.activities["client_id"]) == [c1, c2]
    assert list(out.deals["manager_id"]) == [m01]
    # a per-client plan follows the client alias; a brand plan keeps its brand
    assert list(out.plans["dimension_value"]) == [c1, "Лакра"]
    assert out.clients["region"].iloc[0] == "Москва"
    assert out.deals["amount"].iloc[0] == 150000.0
    comment = out.activities["comment"].iloc[0]
    contact = out.clients["contact_person"].iloc[0]
    assert comment == (
        f"{m01} договорился с {contact} из {c1}, тел. {PHONE_MASK}, почта {EMAIL_MASK}"
    )
    comment2 = out.activities["comment"].iloc[1]
    assert comment2.startswith(f"{c2} отказался; {m02} передала Лицо-")
    assert out.meta["client_name"] == make_alias(KEY, "company", "альфа-торг")
    assert out.meta["note"] == f"{out.meta['client_name']}, опт"
    assert out.meta["currency"] == "RUB"
    assert out.meta["pseudonymized"] is True
    assert out.managers["src_file"].iloc[0] == "Сотрудники.xlsx"


def test_same_key_same_aliases_other_key_other_aliases() -> None:
    a = pseudonymize_dataset(_dataset(), KEY)
    b = pseudonymize_dataset(_dataset(), KEY)
    c = pseudonymize_dataset(_dataset(), OTHER_KEY)
    pd.testing.assert_frame_equal(a.activities, b.activities)
    assert list(a.managers["name"]) != list(c.managers["name"])


def test_english_aliases() -> None:
    out = pseudonymize_dataset(_dataset(), KEY, lang="en")
    assert out.managers["name"].iloc[0].startswith("Manager-")
    assert out.clients["name"].iloc[0].startswith("Client-")


def test_name_spellings_are_all_replaced() -> None:
    pz = build_pseudonymizer(_dataset(), KEY)
    m01 = pz.managers["m01"]
    for spelling in [
        "Иванов Иван Иванович",
        "Иван Иванов",
        "Иванов И.И.",
        "Иванов И. И.",
        "И.И. Иванов",
        "Иванов",
        "ИВАНОВ ИВАН",
        "Иванову",
    ]:
        assert pz.text(f"звонил {spelling} вчера") == f"звонил {m01} вчера", spelling
    c1 = pz.clients["c0001"]
    for spelling in ['ООО "Ромашка"', "ООО «Ромашка»", "Ромашка", "ромашку", "Ромашка, ООО"]:
        assert c1 in pz.text(f"счёт для {spelling}")
        assert "омашк" not in pz.text(f"счёт для {spelling}").lower()
    # words that merely contain a name are left alone
    assert pz.text("Ивановка — село") == "Ивановка — село"
    assert pz.text("сумма 1500000 руб., 12.03.2024") == "сумма 1500000 руб., 12.03.2024"


def test_quality_report_leaks_no_source_label() -> None:
    data = _dataset()
    matches = pd.DataFrame(
        [
            (
                "manager",
                "deals.csv",
                "Иван Иванов",
                "Иванов Иван Иванович",
                "m01",
                "words",
                "matched",
            ),
            ("manager", "plans.xlsx", "Иванов", None, None, "surname", "ambiguous"),
            ("client", "deals.csv", 'ООО "Ромашка"', "ООО «Ромашка»", "c0001", "key", "matched"),
        ],
        columns=MATCH_COLUMNS,
    )
    issues = issues_frame(
        [
            {
                "severity": "warning",
                "table": "plans",
                "file": "plans.xlsx",
                "row": 4,
                "column": "Менеджер",
                "kind": "ambiguous_match",
                "message": "'Иванов' подходит к нескольким менеджерам",
                "value": "Иванов",
            },
            {
                "severity": "warning",
                "table": "clients",
                "file": "clients.csv",
                "row": 7,
                "column": "Телефон",
                "kind": "unparseable_value",
                "message": "не распознано: +7 916 555 44 33 / petrov@mail.ru",
                "value": "+7 916 555 44 33",
            },
        ]
    )
    quality = QualityReport(matches=matches, issues=issues)
    out = pseudonymize_quality(quality, data, KEY)
    assert isinstance(out, QualityReport)
    text = out.matches.to_csv() + out.issues.to_csv() + out.tables.to_csv()
    for secret in ["Иван", "Ромашк", "916", "555", "petrov", "@"]:
        assert secret not in text, secret
    m01 = make_alias(KEY, "manager", "m01")
    c1 = make_alias(KEY, "client", "c0001")
    assert list(out.matches["source_label"])[0] == m01
    assert list(out.matches["id"]) == [m01, None, c1]
    assert list(out.matches["canonical_name"]) == [m01, None, c1]
    assert out.matches["source_label"].iloc[1].startswith("Лицо-")
    assert list(out.matches["status"]) == ["matched", "ambiguous", "matched"]
    assert out.issues["value"].iloc[0] == out.matches["source_label"].iloc[1]
    assert out.issues["value"].iloc[1] == PHONE_MASK
    assert out.issues["row"].tolist() == [4, 7]
    # the input report is untouched
    assert quality.matches["source_label"].iloc[0] == "Иван Иванов"


def test_short_key_is_refused() -> None:
    with pytest.raises(ValueError):
        pseudonymize_dataset(_dataset(), b"short")


# --- the key file --------------------------------------------------------------------------


def test_key_is_created_once_and_reused(tmp_path) -> None:
    assert read_key(tmp_path) is None
    key = load_or_create_key(tmp_path)
    assert len(key) == 32
    path = tmp_path / KEY_FILE
    assert path.read_text(encoding="ascii").strip() == key.hex()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_or_create_key(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]  # no temp files left


def test_concurrent_creation_agrees_on_one_key(tmp_path) -> None:
    keys: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: keys.append(load_or_create_key(tmp_path))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert (tmp_path / KEY_FILE).read_text(encoding="ascii").strip() == keys[0].hex()


def test_malformed_key_is_a_clear_error(tmp_path) -> None:
    (tmp_path / KEY_FILE).write_text("not-hex\n", encoding="ascii")
    with pytest.raises(InputFileError) as err:
        load_or_create_key(tmp_path)
    assert KEY_FILE in str(err.value) and "64 hexadecimal" in str(err.value)


def test_missing_client_folder(tmp_path) -> None:
    with pytest.raises(InputFileError) as err:
        load_or_create_key(tmp_path / "nope")
    assert "does not exist" in str(err.value)


# --- the whole pseudonymised run of the demo -----------------------------------------------

_EMAIL_IN_TEXT = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s\-()]{8,}\d")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _demo_secrets(client_dir: Path) -> dict[str, set[str]]:
    """Every name, phone and e-mail of the demo's raw files (read with our readers)."""
    from salesaudit.app.loading import load_client
    from salesaudit.io.readers import read_file

    cells: list[str] = []
    for path in sorted((client_dir / "raw").iterdir()):
        for sheet in read_file(path):
            cells += [v for v in sheet.frame.to_numpy().ravel() if isinstance(v, str)]
    emails = {m.lower() for c in cells for m in _EMAIL_IN_TEXT.findall(c)}
    phones = {_digits(m)[-10:] for c in cells for m in _PHONE_IN_TEXT.findall(c)}
    phones = {p for p in phones if len(p) == 10}
    loaded = load_client(client_dir)
    data = loaded.dataset
    people = set(data.managers["name"].dropna())
    if "contact_person" in data.clients.columns:
        people |= set(data.clients["contact_person"].dropna())
    matches = loaded.quality.matches
    labels = set(matches.loc[matches["entity"] == "manager", "source_label"].dropna())
    names: set[str] = set()
    for person in people | labels:
        words = [w for w in re.split(r"[\s.]+", person) if w]
        full = [w for w in words if len(w) > 1]
        names.add(person)  # as written
        names.update(w for w in full if len(w) >= 5)  # surname / distinctive first name
        if len(full) >= 2:
            names.add(f"{full[0]} {full[1][0]}.")  # 'Фамилия И.'
            names.add(f"{full[-1]} {full[0][0]}.")  # 'Фамилия И.' of 'Имя Фамилия'
    companies = {name_core(n) for n in data.clients["name"].dropna()}
    companies |= {
        name_core(n) for n in matches.loc[matches["entity"] == "client", "source_label"].dropna()
    }
    companies.add("Стройкомплект")  # the audited company (report.yaml client_name)
    return {
        "names": {n for n in names if len(n) >= 4},
        "companies": {c for c in companies if len(c) >= 4},
        "phones": phones,
        "emails": emails,
    }


def _output_texts(out: Path) -> dict[str, str]:
    """The text of every output file, as a reader would see it."""
    import html as html_lib
    import json

    import nbformat
    from openpyxl import load_workbook
    from pypdf import PdfReader

    texts: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".pdf":
            texts[rel] = "\n".join(pg.extract_text() or "" for pg in PdfReader(str(path)).pages)
        elif path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            texts[rel] = "\n".join(
                str(v)
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
                if v is not None
            )
        elif path.suffix == ".ipynb":
            nb = nbformat.read(str(path), as_version=4)
            texts[rel] = json.dumps(nb, ensure_ascii=False)
        elif path.suffix == ".html":
            texts[rel] = html_lib.unescape(path.read_text(encoding="utf-8"))
        elif path.suffix == ".docx":  # every text run of the document, headers and footers
            import zipfile

            with zipfile.ZipFile(path) as zf:
                parts = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
                xml = " ".join(zf.read(n).decode("utf-8") for n in parts)
            xml = re.sub(r"</w:p>|<w:tab/>|<w:br/>|</w:tc>", " ", xml)  # keep words apart
            texts[rel] = html_lib.unescape(re.sub(r"<[^>]+>", "", xml))
        elif path.suffix in (".png", ".jpg", ".jpeg", ".svg"):
            continue
        else:
            texts[rel] = path.read_text(encoding="utf-8")
    return texts


def _leaks(texts: dict[str, str], secrets: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(file, secret) for every name, company, e-mail or phone found in the output texts."""
    leaks = []
    for rel, text in texts.items():
        folded = text.lower()
        numbers = re.sub(r"(?<=\d)[\s\-()]+(?=\d)", "", text)
        for name in secrets["names"] | secrets["companies"]:
            if re.search(r"(?<!\w)" + re.escape(name.lower()), folded):
                leaks.append((rel, name))
        leaks += [(rel, e) for e in secrets["emails"] if e in folded]
        leaks += [(rel, p) for p in secrets["phones"] if p in numbers]
    return leaks


@pytest.mark.slow
@pytest.mark.xdist_group("demo_pseudo")
def test_pseudonymised_demo_leaks_nothing(demo_pseudo_run) -> None:
    secrets = _demo_secrets(demo_pseudo_run.client_dir)
    assert len(secrets["names"]) > 10 and len(secrets["companies"]) > 10
    assert secrets["phones"] and secrets["emails"]
    texts = _output_texts(demo_pseudo_run.out)
    assert {
        "report.pdf",
        "report.html",
        "audit.json",
        "verification_calls.xlsx",
        "quality.txt",
    } <= set(texts)
    assert sum(k.endswith(".ipynb") for k in texts) == 12
    assert _leaks(texts, secrets) == []
    # aliases are used instead, stably: a second key file was not created
    key_file = demo_pseudo_run.client_dir / KEY_FILE
    assert key_file.is_file()
    report = texts["report.html"]
    assert "Менеджер-" in report and "Компания-" in report


@pytest.mark.slow
@pytest.mark.xdist_group("demo_pseudo")
def test_pseudonymised_aliases_are_stable_with_the_key(demo_pseudo_run) -> None:
    from salesaudit.app.loading import load_client

    key = read_key(demo_pseudo_run.client_dir)
    assert key is not None
    data = load_client(demo_pseudo_run.client_dir).dataset
    ids = {
        str(m)
        for name in data.present
        if "manager_id" in data.table(name).columns
        for m in data.table(name)["manager_id"].dropna()
    }
    expected = set(make_aliases(key, "manager", ids).values())
    assert {make_alias(key, "manager", str(m)) for m in data.managers["manager_id"]} <= expected
    audit = (demo_pseudo_run.out / "audit.json").read_text(encoding="utf-8")
    found = set(re.findall(r"Менеджер-[0-9A-F]{4,}", audit))
    assert found and found <= expected


# --- the audit's one pseudonymisation pass (app.audit) ----------------------------------------


def _loaded_client(tmp_path: Path):
    from salesaudit.app.loading import LoadedClient
    from salesaudit.io.folder import ClientFolder

    data = _dataset()
    matches = pd.DataFrame(
        [
            (
                "manager",
                "deals.csv",
                "Ваня Иванов",
                "Иванов Иван Иванович",
                "m01",
                "words",
                "matched",
            )
        ],
        columns=MATCH_COLUMNS,
    )
    issues = issues_frame(
        [
            {
                "severity": "warning",
                "table": "deals",
                "file": "raw/Сделки Иванова.csv",
                "row": 3,
                "column": "Менеджер",
                "kind": "new_name",
                "message": "'Ваня Иванов' нет в справочнике",
                "value": "Ваня Иванов",
            }
        ]
    )
    folder = ClientFolder(tmp_path, [], None, None, None)
    return LoadedClient(
        folder=folder,
        dataset=data,
        quality=QualityReport(matches=matches, issues=issues),
        sheets_meta=[{"file": "raw/Сделки Иванова.csv", "sheet": None, "rows": 1, "meta": {}}],
        hashes={"raw/Сделки Иванова.csv": "ab12"},
    )


def test_audit_inputs_are_pseudonymised_in_one_pass(tmp_path: Path) -> None:
    from salesaudit.app.audit import pseudonymize_inputs
    from salesaudit.scoring.answers import Answer, Answers

    loaded = _loaded_client(tmp_path)
    answers = Answers(
        items={
            "p1.q01": Answer(
                "p1.q01", "partly", "Ваня Иванов сам ведёт Ромашку, тел. 8 916 111 22 33"
            ),
            "p1.q02": Answer("p1.q02", "no", None, 7),
        },
        source="answers.yaml",
        meta={"respondent": "Петрова А.С."},
    )
    pz, safe, safe_answers = pseudonymize_inputs(loaded, answers, KEY, company="ООО «Альфа-Торг»")
    m01 = make_alias(KEY, "manager", "m01")
    c1 = make_alias(KEY, "client", "c0001")
    m02 = make_alias(KEY, "manager", "m02")
    company = make_alias(KEY, "company", "альфа-торг")
    assert pz.company == company
    # the matched spelling "Ваня Иванов" only exists in the reconciliation: it is hidden too
    assert safe_answers.items["p1.q01"].note == f"{m01} сам ведёт {c1}, тел. {PHONE_MASK}"
    assert safe_answers.items["p1.q02"] == answers.items["p1.q02"]
    assert safe_answers.meta == {"respondent": m02}
    assert safe.sheets_meta[0]["file"] == f"raw/Сделки {m01}.csv"
    assert list(safe.hashes) == [f"raw/Сделки {m01}.csv"]
    assert safe.dataset.meta["client_name"] == company
    assert list(safe.dataset.managers["name"]) == [m01, m02]
    assert safe.quality.issues["file"].iloc[0] == f"raw/Сделки {m01}.csv"
    assert list(safe.quality.matches["id"]) == [m01]
    text = _all_text(safe.dataset) + safe.quality.issues.to_csv() + safe.quality.matches.to_csv()
    for secret in [*SECRETS, "Ваня"]:
        assert secret not in text, secret
    # nothing passed in was changed
    assert loaded.sheets_meta[0]["file"] == "raw/Сделки Иванова.csv"
    assert answers.items["p1.q01"].note.startswith("Ваня Иванов")
    assert loaded.dataset.managers["name"].iloc[0] == "Иванов Иван Иванович"


def test_scrub_result_keeps_method_texts_and_hides_the_client() -> None:
    from conftest import tiny_result
    from salesaudit.app.audit import scrub_result
    from salesaudit.scoring.result import AuditResult

    pz = build_pseudonymizer(_dataset(), KEY, company="ООО «Альфа-Торг»")
    result = tiny_result(client="ООО «Альфа-Торг»")
    result.answers = {"p1.q01": {"answer": "no", "note": "Иванов И.И. всё решает сам"}}
    result.findings[0].title = {"ru": "Иванов-метод не работает", "en": "x"}  # method text
    result.findings[0].evidence = {"records": {"top": "ООО «Ромашка», zakaz@romashka.ru"}}
    safe = scrub_result(result, pz)
    assert isinstance(safe, AuditResult)
    assert safe.meta["client"] == make_alias(KEY, "company", "альфа-торг")
    assert safe.meta["pseudonymized"] is True
    m01 = make_alias(KEY, "manager", "m01")
    c1 = make_alias(KEY, "client", "c0001")
    assert safe.answers["p1.q01"]["note"] == f"{m01} всё решает сам"
    assert safe.findings[0].evidence == {"records": {"top": f"{c1}, {EMAIL_MASK}"}}
    assert safe.findings[0].title == {"ru": "Иванов-метод не работает", "en": "x"}
    assert safe.areas[0].title == result.areas[0].title
    assert safe.overall_index == result.overall_index
    assert result.meta["client"] == "ООО «Альфа-Торг»"  # input untouched


@pytest.mark.slow
def test_pseudonymised_audit_command_leaks_nothing(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``salesaudit audit --pseudonymize`` alone (no ``run``) names nobody in its JSON, even
    when the interviewer's notes name a manager, a client, the company, a phone and an e-mail."""
    import shutil

    import yaml
    from salesaudit import cli
    from salesaudit.app.loading import load_client

    client = tmp_path / "demo"
    shutil.copytree(demo_dir, client, ignore=shutil.ignore_patterns(".salesaudit.key"))
    data = load_client(client).dataset
    manager = str(data.managers["name"].iloc[0])
    customer = str(data.clients["name"].iloc[0])
    doc = yaml.safe_load((client / "answers.yaml").read_text(encoding="utf-8"))
    doc["answers"]["p1.q01"] = {
        "answer": "partly",
        "note": f"{manager} ведёт {customer} сам; Вектор Стройкомплект, "
        "тел. +7 (912) 345-67-89, boss@vektor-demo.ru",
    }
    (client / "answers.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    out = tmp_path / "anon.json"
    assert cli.main(["audit", str(client), "--out", str(out), "--pseudonymize"]) == 0
    printed = capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    secrets = _demo_secrets(client)
    secrets["phones"].add("9123456789")
    secrets["emails"].add("boss@vektor-demo.ru")
    assert _leaks({"anon.json": text, "stdout": printed}, secrets) == []
    result = json.loads(text)
    note = result["answers"]["p1.q01"]["note"]
    assert re.fullmatch(
        r"Менеджер-[0-9A-F]{4,} ведёт Клиент-[0-9A-F]{4,} сам; Компания-[0-9A-F]{4,}, "
        r"тел\. \[телефон\], \[e-mail\]",
        note,
    ), note
    assert result["meta"]["pseudonymized"] is True
    assert result["meta"]["client"].startswith("Компания-")
    assert result["meta"]["input_hashes"]  # file names kept (they name nobody here)


def test_company_full_name_wins_over_a_client_named_like_one_of_its_words() -> None:
    clients = canonical_frame(
        "clients",
        [
            {"client_id": "c1", "name": "ООО Стройкомплект"},
            {"client_id": "c2", "name": "ООО «Вектор»"},
        ],
    )
    pz = build_pseudonymizer(Dataset(clients=clients), KEY, company="ООО «Вектор Стройкомплект»")
    company = make_alias(KEY, "company", "вектор стройкомплект")
    c1, c2 = make_alias(KEY, "client", "c1"), make_alias(KEY, "client", "c2")
    assert pz.text("Вектор Стройкомплект, опт") == f"{company}, опт"
    assert pz.text("Стройкомплект купил") == f"{c1} купил"
    assert pz.text("отгрузка Вектору") == f"отгрузка {c2}"


def test_an_alias_is_not_repeated_when_each_word_of_a_spelling_matched() -> None:
    pz = build_pseudonymizer(_dataset(), KEY, extra_names={"Ваня Иванов": "m01"})
    m01 = make_alias(KEY, "manager", "m01")
    assert pz.text("звонил Ваня Иванов, потом Иванов") == f"звонил {m01}, потом {m01}"


# --- free text and the consultant (issue 11) -------------------------------------------------

#: comments planted into the demo's activities: names in every spelling, phones, e-mails and
#: the consultant (id -> comment)
_FREE_TEXT = {
    "512001": "Воронцову перезвонить до пятницы",
    "512004": "Костин Д.С. обещал КП, тел. 8 (916) 555-12-34",
    "512010": "со слов А.И. Воронцов клиент думает, почта d.kuz@client-mail.ru",
    "512013": "Дарья Кузнецова просила скидку, моб. +7-916-555-12-35",
    "512007": "Кузнецовой отправили счёт (89165551236)",
    "512016": "по итогам разбора с Анной Консультантовой и Демо-консультант",
}


def _plant_free_text(client: Path) -> None:
    path = client / "raw" / "bitrix_activities.csv"
    lines = (
        path.read_bytes().decode("cp1251").split("\r\n" if b"\r\n" in path.read_bytes() else "\n")
    )
    header = lines[0].split(";")
    col = header.index("Комментарий")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(";")
        if cells and cells[0] in _FREE_TEXT:
            cells[col] = _FREE_TEXT[cells[0]]
            lines[i] = ";".join(cells)
    sep = "\r\n" if b"\r\n" in path.read_bytes() else "\n"
    path.write_bytes(sep.join(lines).encode("cp1251"))


def test_free_text_and_the_consultant_are_pseudonymised(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Names in comments (declined, with initials, surname alone), phones and e-mails in free
    text and the consultant's name leave ``audit --pseudonymize`` as aliases and masks; the
    JSON of both modes holds no absolute path."""
    import shutil

    from salesaudit import cli
    from salesaudit.app.audit import load_answers, load_checklist, pseudonymize_inputs
    from salesaudit.app.loading import load_client

    client = tmp_path / "demo"
    shutil.copytree(demo_dir, client, ignore=shutil.ignore_patterns(".salesaudit*"))
    _plant_free_text(client)
    loaded = load_client(client)
    comments = loaded.dataset.activities.set_index("activity_id")["comment"]
    assert {k: comments[k] for k in _FREE_TEXT} == _FREE_TEXT  # planted and read as written
    pz, safe, _ = pseudonymize_inputs(
        loaded,
        load_answers(client, load_checklist()),
        load_or_create_key(client),
        consultant="Демо-консультант",
    )
    scrubbed = safe.dataset.activities.set_index("activity_id")["comment"]
    alias = r"[0-9A-F]{4,}"
    expected = {
        "512001": rf"Менеджер-{alias} перезвонить до пятницы",
        "512004": rf"Менеджер-{alias} обещал КП, тел\. \[телефон\]",
        "512010": rf"со слов Менеджер-{alias} клиент думает, почта \[e-mail\]",
        "512013": rf"Контакт-{alias} просила скидку, моб\. \[телефон\]",
        "512007": rf"Контакт-{alias} отправили счёт \(\[телефон\]\)",
        "512016": rf"по итогам разбора с Консультант-{alias} и Консультант-{alias}",
    }
    for key, pattern in expected.items():
        activity = safe.dataset.activities.set_index("activity_id")
        assert re.fullmatch(pattern, scrubbed[key]), (key, scrubbed[key])
    assert len(activity) == len(loaded.dataset.activities)
    # the same person gets the same alias in every spelling
    assert scrubbed["512001"].split()[0] == scrubbed["512010"].split()[2]
    assert scrubbed["512013"].split()[0] == scrubbed["512007"].split()[0]
    assert pz.consultants["Демо-консультант"] == scrubbed["512016"].split()[-1]

    secrets = _demo_secrets(client)
    secrets["names"] |= {"Консультантов", "Демо-консультант", "Воронцову", "Кузнецовой"}
    secrets["phones"] |= {"9165551234", "9165551235", "9165551236"}
    secrets["emails"].add("d.kuz@client-mail.ru")
    for flag in ([], ["--pseudonymize"]):
        out = tmp_path / f"result{len(flag)}.json"
        capsys.readouterr()  # only this run's output below
        assert cli.main(["audit", str(client.resolve()), "--out", str(out), *flag]) == 0
        text = out.read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(client.resolve()) not in text  # no paths
        result = json.loads(text)
        assert result["meta"]["answers_source"] == "answers.yaml"
        if flag:
            assert _leaks({"result.json": text, "stdout": capsys.readouterr().out}, secrets) == []
            assert re.fullmatch(rf"Консультант-{alias}", result["meta"]["consultant"])
            assert re.fullmatch(
                rf"Консультант-{alias}", result["meta"]["answers_meta"]["consultant"]
            )
        else:
            assert result["meta"]["consultant"] == "Демо-консультант"
