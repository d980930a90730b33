"""The bundle of canonical tables an audit works on."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from salesaudit.model.schemas import CORE_TABLES, TABLES


@dataclass(frozen=True)
class Dataset:
    """Canonical tables of one client; any table may be ``None`` (not provided).

    Treat it as immutable: analyses read it and never modify the frames.
    """

    managers: pd.DataFrame | None = None
    clients: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None
    deals: pd.DataFrame | None = None
    sales: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    trainings: pd.DataFrame | None = None
    #: leads (enquiries before they become deals): amoCRM «Неразобранное», Bitrix24 «Лиды»
    leads: pd.DataFrame | None = None
    #: free-form facts about the data (client name, currency, period covered, ...)
    meta: dict = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame | None:
        if name not in TABLES:
            raise KeyError(f"unknown canonical table {name!r}")
        return getattr(self, name)

    def has(self, *names: str) -> bool:
        """True when every named table is present and has at least one row."""
        return all(self.table(n) is not None and len(self.table(n)) > 0 for n in names)

    def missing(self, *names: str) -> list[str]:
        return [n for n in names if not self.has(n)]

    @property
    def present(self) -> list[str]:
        return [n for n in TABLES if self.has(n)]

    def is_usable(self) -> bool:
        """At least one of deals / activities / sales is present."""
        return any(self.has(n) for n in CORE_TABLES)

    def replace(self, **tables: pd.DataFrame | None) -> Dataset:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(tables)
        return Dataset(**values)
