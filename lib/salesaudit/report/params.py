"""Notebook parameters: what a report notebook declares, and checking values before it runs.

Every report notebook has exactly one cell tagged ``parameters`` with one typed literal per line
and a comment that documents it (``papermill --help-notebook`` shows these comments)::

    result_json: str = ""  # path of the audit result JSON
    lang: str = "ru"  # report language: ru | en

A comment whose last part (after the last ``:``) is ``a | b | c`` declares the allowed values.
:func:`validate_parameters` rejects unknown names (suggesting the closest declared one), values
of the wrong type and values outside the allowed set, all at once, with a
:class:`~salesaudit.errors.ParameterError` — instead of papermill's silent warning.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from salesaudit.errors import ErrorCase, ParameterError

_ALLOWED_RE = re.compile(r"^\s*[^\s|]+(?:\s*\|\s*[^\s|]+)+\s*$")


class DeclaredParameter(NamedTuple):
    """One parameter as the notebook's ``parameters`` cell declares it."""

    type_name: str  # "str", "int", "float", "bool", "list", "dict", ... or "None" (any)
    default: Any  # the default value (literal), or its source text when not a literal
    help: str  # the comment after the declaration


def allowed_values(help_text: str) -> tuple[str, ...] | None:
    """Allowed values documented in a parameter comment: ``"language: ru | en"`` -> ``("ru", "en")``."""
    tail = help_text.rsplit(":", 1)[-1]
    if not _ALLOWED_RE.match(tail):
        return None
    return tuple(v.strip() for v in tail.split("|"))


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def declared_parameters(nb_path: str | Path) -> dict[str, DeclaredParameter]:
    """The parameters a notebook declares: name -> ``(type_name, default, help)``.

    Raises :class:`ParameterError` when the notebook has no cell tagged ``parameters``, or when a
    name assigned there is one papermill cannot parse (it would silently ignore it).
    """
    import papermill

    path = Path(nb_path)
    try:
        found = papermill.inspect_notebook(str(path))
    except FileNotFoundError as exc:
        raise ParameterError("notebook not found", file=path) from exc
    assigned = _assigned_names(path)
    if assigned is None:
        raise ParameterError(
            "the notebook has no cell tagged 'parameters'",
            file=path,
            hint="tag the first code cell 'parameters' (View > Cell Toolbar > Tags)",
        )
    unparsed = [n for n in assigned if n not in found]
    if unparsed:
        raise ParameterError(
            f"papermill cannot parse the declaration of {', '.join(map(repr, unparsed))}",
            file=path,
            hint="write one `name: type = literal  # comment` per line; no '=' in the comment",
        )
    return {
        name: DeclaredParameter(
            type_name=str(p.get("inferred_type_name") or "None"),
            default=_literal(str(p.get("default"))),
            help=str(p.get("help") or ""),
        )
        for name, p in found.items()
    }


def _assigned_names(path: Path) -> list[str] | None:
    """Names assigned in the ``parameters`` cell (``None`` when there is no such cell)."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError as exc:
                raise ParameterError(
                    f"the parameters cell is not valid Python: {exc.msg}",
                    file=path,
                    row=exc.lineno,
                ) from exc
            names: list[str] = []
            for node in tree.body:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    names += [t.id for t in targets if isinstance(t, ast.Name)]
            return names
    return None


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list, tuple),
    "dict": (dict,),
}


def _type_ok(type_name: str, value: Any) -> bool:
    base = type_name.split("[", 1)[0].strip().lower()
    if base.startswith("optional") or base in ("none", "any", ""):
        return True
    kinds = _TYPES.get(base)
    if kinds is None:
        return True  # a type we do not know how to check: accept
    if isinstance(value, bool) and base != "bool":
        return False  # True is an int to Python, not to a user
    return isinstance(value, kinds)


def validate_parameters(
    nb_path: str | Path,
    params: dict[str, Any],
    *,
    declared: Mapping[str, DeclaredParameter] | None = None,
) -> dict[str, Any]:
    """Check ``params`` against the notebook's declared parameters; return them unchanged (a copy).

    Every unknown name (with the closest declared name as a hint), every value of the wrong type
    and every value outside the documented allowed set becomes one case of a single
    :class:`ParameterError`. ``declared`` saves reading the notebook again when already known.
    """
    if declared is None:
        declared = declared_parameters(nb_path)
    name = Path(nb_path).name
    cases: list[ErrorCase] = []
    for key, value in params.items():
        if key not in declared:
            close = difflib.get_close_matches(key, list(declared), n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else None
            known = ", ".join(sorted(declared)) or "(none)"
            cases.append(
                ErrorCase(
                    f"unknown parameter {key!r}; the notebook declares: {known}",
                    hint=hint,
                )
            )
            continue
        decl = declared[key]
        if not _type_ok(decl.type_name, value):
            cases.append(
                ErrorCase(
                    f"parameter {key!r} must be {decl.type_name}, got "
                    f"{type(value).__name__} {value!r}",
                    hint=decl.help or None,
                )
            )
            continue
        allowed = allowed_values(decl.help)
        if allowed is not None and str(value) not in allowed:
            cases.append(
                ErrorCase(
                    f"parameter {key!r} is {value!r}; allowed: {' | '.join(allowed)}",
                    hint=decl.help,
                )
            )
    if cases:
        raise ParameterError(
            f"{len(cases)} invalid notebook parameter(s)",
            file=name,
            hint="fix the parameters and run again",
            cases=cases,
        )
    return dict(params)
