"""The verification-call sheet: headers, drop-down, frozen header, values."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import load_workbook
from salesaudit.errors import InputFileError, ParameterError
from salesaudit.io.verification_xlsx import write_verification_xlsx


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
        "Клиент",
        "Контактное лицо",
        "Телефон",
        "E-mail",
        "Комментарий менеджера",
        "Уровень подозрения",
        "ID встречи",
        "Результат проверки",
        "Комментарий",
    ]
    assert [c.value for c in ws[2]][:9] == [
        "Гришин Павел",
        dt.datetime(2025, 10, 6, 10, 0),
        "ООО Альфа",
        "Иванов И.И.",
        "+7 900 111-22-33",
        "a@example.ru",
        "Встреча проведена",
        "высокий",
        "a1",
    ]
    assert ws["D3"].value is None and ws["J2"].value is None
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert ws.column_dimensions["C"].width == 30
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1
    assert dvs[0].formula1 == '"Подтвердил,Не подтвердил,Не дозвонились"'
    assert str(dvs[0].sqref) == "J2:J3"
    assert ws.max_row == 3
    assert list(tmp_path.joinpath("sub").iterdir()) == [out]  # no temp file left behind


def test_english_and_errors(tmp_path) -> None:
    out = write_verification_xlsx(_sample(), tmp_path / "v.xlsx", lang="en")
    ws = load_workbook(out).active
    assert ws["J1"].value == "Verification result"
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
