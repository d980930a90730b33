"""``salesaudit interview-sheet [CLIENT_DIR]``: write the interview XLSX for the director's interview.

When the client folder already has answers (``answers.yaml`` or ``answers.xlsx``) the sheet is
prefilled with them, so the consultant can continue where the last session stopped.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from salesaudit.app.audit import load_answers, load_checklist
from salesaudit.errors import InputFileError
from salesaudit.io.interview_sheet import write_interview_sheet

HELP = "write the interview sheet (XLSX with drop-downs), prefilled with existing answers"
DEFAULT_NAME = "interview.xlsx"


def make_interview_sheet(
    client_dir: Path | None, out: Path | None = None, *, lang: str = "ru"
) -> Path:
    """Write the interview sheet; returns its path.

    Default output: ``CLIENT_DIR/interview.xlsx`` (or ``./interview.xlsx`` without a folder).
    Prefills answers found in the client folder.
    """
    checklist = load_checklist()
    answers = {}
    if client_dir is not None:
        if not Path(client_dir).is_dir():
            raise InputFileError("client folder not found", file=client_dir)
        answers = load_answers(client_dir, checklist).to_dict()
    if out is None:
        out = (Path(client_dir) if client_dir is not None else Path.cwd()) / DEFAULT_NAME
    if out.suffix.lower() != ".xlsx":
        raise InputFileError("the interview sheet must be an .xlsx file", file=out)
    return write_interview_sheet(checklist, out, lang=lang, answers=answers)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit interview-sheet``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", nargs="?", default=None)
    parser.add_argument(
        "--out", default=None, help=f"output XLSX (default CLIENT_DIR/{DEFAULT_NAME})"
    )
    parser.add_argument("--lang", choices=("ru", "en"), default="ru", help="sheet language")


def run(args: argparse.Namespace) -> int:
    """Run ``salesaudit interview-sheet``."""
    client_dir = Path(args.client_dir) if args.client_dir else None
    out = Path(args.out) if args.out else None
    path = make_interview_sheet(client_dir, out, lang=args.lang)
    print(f"interview sheet written: {path}")
    return 0
