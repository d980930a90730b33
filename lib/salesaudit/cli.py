"""``salesaudit`` command line. Each command lives in its own module under :mod:`salesaudit.app`.

A command module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
The one-line help of every command is also kept in :data:`COMMANDS`, so that ``salesaudit
--help`` lists the commands without importing them: only the chosen command's module (and the
libraries it needs) is imported. User errors (:class:`~salesaudit.errors.SalesAuditError`) are
printed without a traceback and exit with the error's code (2 for bad input, 1 for "data not
usable"). Any other exception is a defect of the workbook: it is reported in one line (exit code
:data:`INTERNAL_ERROR_EXIT`) and its traceback is shown only with ``SALESAUDIT_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NamedTuple

from salesaudit.errors import SalesAuditError


class Command(NamedTuple):
    """One command: its module under :mod:`salesaudit.app` and its one-line help (= ``HELP``)."""

    module: str
    help: str


#: command name -> module and help (the help must equal the module's ``HELP``; a test checks it)
COMMANDS: dict[str, Command] = {
    "validate": Command(
        "validate",
        "check a client folder: what was read, accepted, rejected and why (data-quality report)",
    ),
    "map": Command(
        "map",
        "propose a mapping.yaml for a client folder: headers, sample values, guessed columns and codes",
    ),
    "interview-sheet": Command(
        "interview",
        "write the interview sheet (XLSX with drop-downs), prefilled with existing answers",
    ),
    "audit": Command("audit", "score the audit of a client folder and write the result JSON"),
    "run": Command(
        "run",
        "build the express assessment of a client folder: audit, notebooks, HTML/PDF report",
    ),
    "workshop": Command(
        "workshop", "serve the live workshop dashboard (Voilà) for a client folder on 127.0.0.1"
    ),
    "demo-data": Command(
        "demo",
        "write the synthetic demo company (raw exports + planted.yaml + report.yaml) to a folder",
    ),
}

#: exit code of an unexpected exception (a defect, not a user error)
INTERNAL_ERROR_EXIT = 3
#: environment variable that lets unexpected exceptions through with their traceback
DEBUG_ENV = "SALESAUDIT_DEBUG"

DESCRIPTION = (
    "B2B sales-department audit workbook: client exports + interview answers -> "
    "diagnosis of the seven key problems, express-assessment PDF, live workshop."
)


def load_command(name: str) -> ModuleType:
    """The module of command ``name`` (imported now); ``KeyError`` for an unknown name."""
    return importlib.import_module(f"salesaudit.app.{COMMANDS[name].module}")


def chosen_command(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word that is not an option), if known."""
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; only ``command``'s module is imported and gets its arguments.

    Every command is listed (name and help) whichever is chosen; with ``command=None`` no
    command module is imported at all (enough for ``salesaudit --help``).
    """
    parser = argparse.ArgumentParser(prog="salesaudit", description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        if name == command:
            mod = load_command(name)
            mod.add_arguments(p)
            p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``), run the command, return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(chosen_command(args_list))
    args = parser.parse_args(args_list)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except SalesAuditError as exc:
        print(f"salesaudit: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("salesaudit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last resort: a defect must not dump a traceback
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise
        from salesaudit.io.safe_text import exception_text

        # the exception's text may quote a cell of a client file: data-like parts are hidden
        print(
            f"salesaudit: internal error: {exception_text(exc)}\n"
            f"this is a defect of salesaudit, not of your data; please report it with the "
            f"command line (run with {DEBUG_ENV}=1 to see the details)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR_EXIT


def entry() -> int:
    """The ``salesaudit`` console script: :func:`main` in a process of its own.

    At exit the garbage collector is frozen first: the interpreter's final collections over
    every object pandas, matplotlib, WeasyPrint and Jupyter loaded cost about 0.8 s (measured)
    and free nothing the operating system would not reclaim anyway. Finalizers still run.
    """
    atexit.register(gc.freeze)
    return main()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(entry())
