"""``salesaudit`` command line. Each command lives in its own module under :mod:`salesaudit.app`.

A command module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
User errors (:class:`~salesaudit.errors.SalesAuditError`) are printed without a traceback and
exit with the error's code (2 for bad input, 1 for "data not usable").
"""

from __future__ import annotations

import argparse
import importlib
import sys

from salesaudit.errors import SalesAuditError

#: command name -> module under salesaudit.app
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "interview-sheet": "interview",
    "audit": "audit",
    "run": "run",
    "workshop": "workshop",
    "demo-data": "demo",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salesaudit",
        description="B2B sales-department audit workbook: client exports + interview answers -> "
        "diagnosis of the seven key problems, express-assessment PDF, live workshop.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in COMMANDS.items():
        mod = importlib.import_module(f"salesaudit.app.{module}")
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
