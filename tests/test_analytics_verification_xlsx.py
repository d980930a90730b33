"""The verification-call sheet: headers, drop-down, frozen header, real dates, one row per
contact, text never a formula."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook
from salesaudit.errors import InputFileError, ParameterError
from salesaudit.io.verification_xlsx import verification_rows, write_verification_xlsx
from salesaudit.io.xlsx_safe import formula_cells
from salesaudit.scoring.result import frame_from_json, frame_to_json


def _sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": ["a1", "a2"],
            "manager_id": ["m1", "m2"],
            "manager_name": ["Гришин Павел", "Орлова Наталья"],
            "suspicion_level": ["high", "low"],
            "activity_id": ["a1", "a2"],
            "occurred_at": pd.to_datetime(["2025-10-06 10:00", "2025-10-07 15:30"]),
            "client_id": ["c1", "c2"],
            "client_name": ["ООО Альфа", "АО Бета"],
            "contact_person": ["Иванов И.И.", None],
            "phone": ["+7 900 111-22-33", "+7 900 444-55-66"],
            "email": ["a@example.ru", None],
            "comment": ["Встреча проведена", None],
            "result": ["none", "agreed"],
            "meetings_with_client": [3, 1],
        }
    )


def test_sheet_layout_ru(tmp_path) -> None:
    out = write_verification_xlsx(_sample(), tmp_path / "sub" / "обзвон.xlsx")
    wb = load_workbook(out)
    ws = wb.active
    assert ws.title == "Обзвон"
    header = [c.value for c in ws[1]]
    assert header == [
        "Менеджер",
        "Дата встречи",
        "Время",
        "Клиент",
        "Контактное лицо",
        "Телефон",
        "E-mail",
        "Встреч с клиентом",
        "Комментарий менеджера",
        "Уровень подозрения",
        "ID встречи",
        "Результат проверки",
        "Комментарий",
    ]
    assert [c.value for c in ws[2]][:11] == [
        "Гришин Павел",
        dt.datetime(2025, 10, 6, 0, 0),  # openpyxl reads an Excel date back as a datetime
        dt.time(10, 0),
        "ООО Альфа",
        "Иванов И.И.",
        "+7 900 111-22-33",
        "a@example.ru",
        3,
        "Встреча проведена",
        "высокий",
        "a1",
    ]
    assert ws["B2"].data_type == "d" and ws["B2"].number_format == "DD.MM.YYYY"
    assert ws["C3"].value == dt.time(15, 30) and ws["C3"].number_format == "HH:MM"
    assert ws["H2"].data_type == "n" and ws["H2"].number_format == "0"
    assert ws["F2"].data_type == "s" and ws["F2"].quotePrefix  # "+7 …" stays text
    assert ws["E3"].value is None and ws["L2"].value is None
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["D"].width == 30
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    assert dvs[0].formula1 == '"Подтвердил,Не подтвердил,Не дозвонились"'
    assert str(dvs[0].sqref) == "L2:L3"
    assert ws.max_row == 3
    assert list(tmp_path.joinpath("sub").iterdir()) == [out]  # no temp file left behind


def test_dates_from_the_audit_json_are_excel_dates(tmp_path) -> None:
    """``salesaudit run`` passes the sample read back from audit.json, where dates are ISO text."""
    from_json = frame_from_json(frame_to_json(_sample()))
    assert from_json["occurred_at"].iloc[0] == "2025-10-06T10:00:00"
    ws = load_workbook(write_verification_xlsx(from_json, tmp_path / "v.xlsx")).active
    assert ws["B2"].value == dt.datetime(2025, 10, 6) and ws["B2"].data_type == "d"
    assert ws["B3"].number_format == "DD.MM.YYYY"
    assert ws["C2"].value == dt.time(10, 0)


def test_dates_without_time_have_no_time_column(tmp_path) -> None:
    s = _sample().assign(occurred_at=pd.to_datetime(["2025-10-06", "2025-10-07"]))
    ws = load_workbook(write_verification_xlsx(s, tmp_path / "v.xlsx")).active
    assert [c.value for c in ws[1]][1:3] == ["Дата встречи", "Клиент"]
    assert ws["B3"].value == dt.datetime(2025, 10, 7)


def test_one_row_per_contact_most_suspicious_first(tmp_path) -> None:
    s = pd.concat(
        [
            _sample(),
            pd.DataFrame(
                {
                    "manager_name": ["Орлова Наталья", "Орлова Наталья", "Гришин Павел"],
                    "suspicion_level": ["low", "low", "high"],
                    "activity_id": ["a3", "a4", "a5"],
                    "occurred_at": pd.to_datetime(["2025-10-01", "2025-10-02", "2025-10-09"]),
                    "client_id": ["c1", "c9", "c8"],
                    "client_name": ["ООО Альфа", "ООО Гамма", "ООО Дельта"],
                    # c9 is another card with the phone of c2, written differently
                    "phone": ["+7 900 111-22-33", "8 (900) 444-55-66", None],
                }
            ),
        ],
        ignore_index=True,
    )
    rows = verification_rows(s)
    # a3 repeats a1's client; a2 has the phone of a4, which is earlier
    assert rows["activity_id"].tolist() == ["a1", "a5", "a4"]
    ws = load_workbook(write_verification_xlsx(s, tmp_path / "v.xlsx")).active
    assert [ws.cell(row=r, column=11).value for r in range(2, ws.max_row + 1)] == ["a1", "a5", "a4"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path) -> None:
    s = _sample().assign(
        comment=['=HYPERLINK("http://x","y")', "@SUM(1)"],
        contact_person=["-Петров", "+Сидоров"],
        client_name=["#N/A", "ООО\x00 Бета"],
    )
    wb = load_workbook(write_verification_xlsx(s, tmp_path / "v.xlsx"))
    ws = wb.active
    assert formula_cells(wb) == []
    assert ws["I2"].value == '=HYPERLINK("http://x","y")' and ws["I2"].data_type == "s"
    assert ws["I2"].quotePrefix
    assert ws["I3"].value == "@SUM(1)" and ws["I3"].data_type == "s"
    assert ws["E2"].value == "-Петров" and ws["E3"].value == "+Сидоров"
    assert ws["D2"].value == "#N/A" and ws["D2"].data_type == "s"
    assert ws["D3"].value == "ООО Бета"  # a NUL byte cannot be stored; it is dropped


def test_english_and_errors(tmp_path) -> None:
    out = write_verification_xlsx(_sample(), tmp_path / "v.xlsx", lang="en")
    ws = load_workbook(out).active
    assert ws["L1"].value == "Verification result"
    assert ws["J2"].value == "high"
    assert ws["B2"].number_format == "D MMM YYYY" and ws["B2"].data_type == "d"
    assert ws.data_validations.dataValidation[0].formula1 == '"Confirmed,Not confirmed,No answer"'
    with pytest.raises(ParameterError, match="unknown language"):
        write_verification_xlsx(_sample(), tmp_path / "x.xlsx", lang="de")
    with pytest.raises(ParameterError):
        write_verification_xlsx(pd.DataFrame({"x": [1]}), tmp_path / "x.xlsx")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputFileError) as err:
        write_verification_xlsx(_sample(), blocker / "v.xlsx")
    assert err.value.file == str(blocker / "v.xlsx")
