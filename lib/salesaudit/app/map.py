"""``salesaudit map CLIENT_DIR [--out FILE]``: propose a ``mapping.yaml`` for a client folder.

Every file (and sheet) of ``raw/`` is read as ``validate`` reads it and gets a ``files:`` entry:
the detected preset or the guessed table, every header with its guessed field (or ``null``),
how the guess was made and 2–3 sample values (names, phones, e-mails and free text are masked
unless ``--all-values``), and the labels of stages, types, results, reasons, roles and pay with a
suggested code and their row count. The labels are found by building the dataset once with the
proposed columns, so they are exactly the labels ``validate`` would report as unknown.

The proposal ignores an existing ``mapping.yaml`` (it starts afresh). Without ``--out`` it is
printed; with ``--out`` it is written atomically, and an existing file is replaced only with
``--force``. The logic lives in :mod:`salesaudit.model.propose`.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from salesaudit.errors import ParameterError, SalesAuditError
from salesaudit.io.atomic import atomic_write_text
from salesaudit.io.folder import open_client_folder
from salesaudit.io.raw import RawSheet
from salesaudit.io.readers import read_file
from salesaudit.model.mapping import parse_mapping
from salesaudit.model.propose import proposal_entry, proposal_yaml, propose_sheet

HELP = (
    "propose a mapping.yaml for a client folder: headers, sample values, guessed columns and codes"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``salesaudit map``."""
    parser.add_argument("client_dir", metavar="CLIENT_DIR", help="client folder (with raw/)")
    parser.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help="write the proposal to FILE (e.g. CLIENT_DIR/mapping.yaml) instead of printing it",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE when it already exists")
    parser.add_argument(
        "--all-values",
        dest="all_values",
        action="store_true",
        help="show sample values of every column, names and contacts included",
    )
    parser.add_argument(
        "--lang", choices=("ru", "en"), default="ru", help="language of the comments (default ru)"
    )


def _read_sheets(client_dir: str | Path) -> tuple[Path, list[RawSheet], list[tuple[str, str]]]:
    """Every readable sheet of ``raw/`` (file paths relative to the folder) and the files that
    could not be read, with the reason."""
    from salesaudit.app.loading import _PRESET_HINTS, _read_error, _relative

    folder = open_client_folder(client_dir)
    sheets: list[RawSheet] = []
    unreadable: list[tuple[str, str]] = []
    for path in folder.raw_files:
        rel = _relative(path, folder.root)
        try:
            read = read_file(path, header_hints=_PRESET_HINTS)
        except Exception as exc:  # noqa: BLE001 - a broken file is listed, the others proposed
            unreadable.append((rel, str(_read_error(exc, rel)["message"])))
            continue
        sheets += [replace(s, file=rel) for s in read]
    return folder.root, sheets, unreadable


def propose_mapping(client_dir: str | Path, *, lang: str = "ru", all_values: bool = False) -> str:
    """The proposed ``mapping.yaml`` text for a client folder (see the module docstring)."""
    from salesaudit.model.build import build_dataset

    root, sheets, unreadable = _read_sheets(client_dir)
    proposals = [propose_sheet(s, show_all=all_values) for s in sheets]
    per_file: dict[str, int] = {}
    for p in proposals:
        per_file[p.file] = per_file.get(p.file, 0) + 1
    entries = [
        proposal_entry(p, sheet_key=per_file[p.file] > 1) for p in proposals if p.table is not None
    ]
    labels: dict[tuple[str, str | None], dict[str, list[tuple[str, int]]]] = {}
    if entries:
        try:
            _, quality = build_dataset(sheets, parse_mapping({"files": entries}))
        except SalesAuditError:
            quality = None
        if quality is not None:
            found = quality.issues[quality.issues["kind"] == "unknown_label"]
            for rec in found.itertuples(index=False):
                field, _, rest = str(rec.message).partition(": label not known in ")
                count = int(rest.split(" ", 1)[0]) if rest else 0
                sheet = next(
                    (p.sheet for p in proposals if p.file == rec.file and p.table == rec.table),
                    None,
                )
                labels.setdefault((str(rec.file), sheet), {}).setdefault(field, []).append(
                    (str(rec.value), count)
                )
    for by_field in labels.values():
        for field in by_field:
            by_field[field].sort(key=lambda x: -x[1])
    rows = {(s.file, s.sheet): len(s.frame) for s in sheets}
    return proposal_yaml(
        proposals, labels, folder=str(client_dir), lang=lang, unreadable=unreadable, rows=rows
    )


def run(args: argparse.Namespace) -> int:
    """Print the proposal, or write it to ``--out`` (atomically; ``--force`` to replace)."""
    if args.out is not None:
        out = Path(args.out)
        if out.exists() and not args.force:
            raise ParameterError(
                f"{out} already exists; it is not replaced",
                file=out,
                hint="use --force to replace it, or --out another file and merge by hand",
            )
    text = propose_mapping(args.client_dir, lang=args.lang, all_values=args.all_values)
    if args.out is None:
        print(text, end="")
        return 0
    atomic_write_text(args.out, text)
    print(
        f"mapping.yaml proposed: {args.out}"
        if args.lang == "en"
        else f"предложение mapping.yaml записано: {args.out}"
    )
    return 0
