"""The package's layer rules: lower layers never import higher ones; only io (and app) touch files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "lib" / "salesaudit"

#: layer -> rank; a module may import salesaudit modules of equal or lower rank only.
RANK = {
    "_lazy": 0,  # the lazy-export helper of the layers' __init__ (imports no salesaudit module)
    "errors": 0,
    "io": 1,
    "model": 2,
    "synth": 3,
    "analytics": 3,
    "scoring": 4,
    "report": 5,
    "workshop": 6,
    "app": 7,
    "cli": 8,
    "__init__": 8,
}
#: layers that must not touch files themselves
PURE = {"model", "analytics", "scoring", "synth"}
FILE_CALLS = {"open", "write_text", "write_bytes", "read_text", "read_bytes", "to_csv", "to_excel"}


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py"))


def _imported_layers(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for n in names:
            parts = n.split(".")
            if parts[0] == "salesaudit" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_no_upward_imports(path: Path) -> None:
    layer = _layer(path)
    assert layer in RANK, f"{path}: unknown layer {layer!r}; add it to RANK with a reason"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for imported in _imported_layers(tree):
        assert imported in RANK, f"{path}: imports unknown layer {imported!r}"
        assert RANK[imported] <= RANK[layer], f"{path} ({layer}) imports higher layer {imported}"


@pytest.mark.parametrize(
    "path", [p for p in _modules() if _layer(p) in PURE], ids=lambda p: str(p.relative_to(PKG))
)
def test_pure_layers_do_not_touch_files(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
            assert name not in FILE_CALLS, (
                f"{path}:{node.lineno} calls {name}() — file I/O belongs in io"
            )


def test_rank_table_detects_a_violation() -> None:
    """The checker itself: an analytics module importing the report layer is caught."""
    tree = ast.parse("from salesaudit.report import charts\nimport salesaudit.model")
    imported = _imported_layers(tree)
    assert imported == {"report", "model"}
    assert RANK["report"] > RANK["analytics"]


def test_report_package_loads_its_modules_on_first_use() -> None:
    # `salesaudit run` checks notebook parameters (report.params) before the audit: that must
    # not pull in matplotlib and the chart modules; the package's names still all resolve
    import subprocess
    import sys

    code = (
        "import sys, salesaudit.report.params, salesaudit.report.pdf, salesaudit.report\n"
        "print(sorted(m for m in ('matplotlib', 'salesaudit.report.sections') if m in sys.modules))\n"
        "import salesaudit.report as r\n"
        "print(all(callable(getattr(r, n)) or n == 'LANGS' for n in r.__all__), len(r.__all__))\n"
        "print('matplotlib' in sys.modules, r.build_report_html.__module__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:3] == [
        "[]",
        "True 57",
        "True salesaudit.report.sections",
    ]
