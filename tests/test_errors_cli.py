"""The exception hierarchy and the CLI's handling of user errors."""

from __future__ import annotations

import subprocess
import sys

from salesaudit import cli
from salesaudit.errors import (
    DataNotUsableError,
    ErrorCase,
    InputFileError,
    SalesAuditError,
)


def test_error_renders_file_row_column_and_hint() -> None:
    err = InputFileError(
        "cannot parse amount", file="raw/deals.csv", row=12, column="Бюджет", hint="fix the cell"
    )
    assert str(err) == "raw/deals.csv, row 12, column 'Бюджет': cannot parse amount -> fix the cell"
    assert err.exit_code == 2
    assert isinstance(err, SalesAuditError)


def test_error_lists_every_case() -> None:
    err = SalesAuditError(
        "2 problems in mapping.yaml",
        cases=[
            ErrorCase("unknown table 'deal'", file="mapping.yaml", hint="did you mean 'deals'?"),
            ErrorCase("bad value", file="mapping.yaml", row=3, column="amount"),
        ],
    )
    assert str(err).splitlines() == [
        "2 problems in mapping.yaml",
        "  - mapping.yaml: unknown table 'deal' -> did you mean 'deals'?",
        "  - mapping.yaml, row 3, column 'amount': bad value",
    ]


def test_not_usable_exits_1() -> None:
    assert DataNotUsableError("no deals, activities or sales").exit_code == 1


def test_cli_prints_user_error_without_traceback(monkeypatch, capsys) -> None:
    import argparse

    def boom(args: argparse.Namespace) -> int:
        raise InputFileError("file is empty", file="raw/x.csv", hint="export it again")

    parser = argparse.ArgumentParser(prog="salesaudit")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("boom").set_defaults(_run=boom)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err == "salesaudit: error: raw/x.csv: file is empty -> export it again\n"
    assert "Traceback" not in err


def test_cli_help_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "salesaudit.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in cli.COMMANDS:
        assert name in out
