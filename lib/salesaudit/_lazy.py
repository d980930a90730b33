"""Packages whose public names are imported on first use (PEP 562), shared by the layers' ``__init__``.

A layer's ``__init__`` lists its public names and the submodule that defines each; importing one
submodule (``salesaudit.scoring.result``) then no longer loads the whole layer and everything it
imports (the analytics, pandera, matplotlib). The notebook kernels and ``salesaudit run`` start
faster for it; ``from salesaudit.scoring import build_audit`` works as before.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose name ``n`` lives in the
    submodule ``exports[n]``; a name is imported once, then kept in the package's namespace."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
