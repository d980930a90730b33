"""The exception hierarchy and the CLI's handling of user errors."""

from __future__ import annotations

import subprocess
import sys

import pytest
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
    monkeypatch.setattr(cli, "build_parser", lambda command=None: parser)
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err == "salesaudit: error: raw/x.csv: file is empty -> export it again\n"
    assert "Traceback" not in err


def test_cli_help_lists_every_command_with_its_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "salesaudit.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(out.split())
    for name, cmd in cli.COMMANDS.items():
        assert f" {name} " in flat
        assert " ".join(cmd.help.split()) in flat, name


def test_registry_help_is_the_modules_help() -> None:
    for name, cmd in cli.COMMANDS.items():
        assert cmd.help == cli.load_command(name).HELP, name


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys; from salesaudit import cli; cli.build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('salesaudit.app')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_only_the_chosen_command_is_imported() -> None:
    code = (
        "import sys; from salesaudit import cli; cli.build_parser('demo-data'); "
        "print(sorted(m for m in sys.modules if m.startswith('salesaudit.app.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['salesaudit.app.demo']"


@pytest.mark.parametrize(
    ("command", "argument"),
    [
        ("validate", "--as-of"),
        ("interview-sheet", "--out"),
        ("audit", "--pseudonymize"),
        ("run", "--jobs"),
        ("workshop", "--no-browser"),
        ("demo-data", "--profile"),
    ],
)
def test_command_help_shows_its_arguments(command: str, argument: str, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: salesaudit {command} ")
    assert argument in out
    assert " ".join(cli.COMMANDS[command].help.split()) in " ".join(out.split())


def test_chosen_command() -> None:
    assert cli.chosen_command(["run", "x", "--jobs", "2"]) == "run"
    assert cli.chosen_command(["--help", "audit"]) == "audit"
    assert cli.chosen_command(["--help"]) is None
    assert cli.chosen_command(["nope", "audit"]) is None
    assert cli.chosen_command(["--", "audit"]) is None
    assert cli.chosen_command([]) is None


def test_unknown_command_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["frobnicate"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'frobnicate'" in err and "Traceback" not in err


def test_no_command_prints_the_help(capsys) -> None:
    assert cli.main([]) == 0
    assert "validate" in capsys.readouterr().out


def _parser_running(fn):
    import argparse

    parser = argparse.ArgumentParser(prog="salesaudit")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("boom").set_defaults(_run=fn)
    return parser


def test_unexpected_exception_is_one_line_without_traceback(monkeypatch, capsys) -> None:
    def boom(args) -> int:
        raise TypeError("unsupported operand")

    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    monkeypatch.setattr(cli, "build_parser", lambda command=None: _parser_running(boom))
    assert cli.main(["boom"]) == cli.INTERNAL_ERROR_EXIT == 3
    err = capsys.readouterr().err
    assert err.startswith("salesaudit: internal error: TypeError: unsupported operand\n")
    assert "Traceback" not in err
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    with pytest.raises(TypeError):
        cli.main(["boom"])


def test_an_unexpected_exception_never_echoes_client_data(monkeypatch, capsys) -> None:
    def boom(args) -> int:
        raise ValueError("could not convert string to float: 'Иванов Пётр, +7 900 123-45-67'")

    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    monkeypatch.setattr(cli, "build_parser", lambda command=None: _parser_running(boom))
    assert cli.main(["boom"]) == 3
    err = capsys.readouterr().err
    assert err.startswith(
        "salesaudit: internal error: ValueError: could not convert string to float: '…'\n"
    )
    assert "Иванов" not in err and "900" not in err
