"""One exception hierarchy for everything the workbook reports to a user.

Every user-facing failure is a :class:`SalesAuditError`. The CLI prints ``str(error)`` (never a
traceback) and exits with :attr:`SalesAuditError.exit_code`. Errors that collect several failure
cases carry them in :attr:`SalesAuditError.cases` so that a user sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ErrorCase:
    """One failure case: where it is and what to do about it."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    hint: str | None = None

    def render(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = (": ".join([", ".join(where), self.message])) if where else self.message
        if self.hint:
            text += f" -> {self.hint}"
        return text


class SalesAuditError(Exception):
    """Raised when the workbook cannot do what the user asked; base of all our errors."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
        cases: Iterable[ErrorCase] = (),
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.hint = hint
        self.cases = list(cases)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = ErrorCase(self.message, self.file, None, self.row, self.column, self.hint).render()
        if not self.cases:
            return head
        lines = [head] + [f"  - {c.render()}" for c in self.cases]
        return "\n".join(lines)


class InputFileError(SalesAuditError):
    """Raised when a client file is missing, empty, unreadable, corrupt or of an unknown format."""


class SchemaError(SalesAuditError):
    """Raised when data does not fit the canonical model (missing columns, bad values)."""


class MappingError(SalesAuditError):
    """Raised when a client's mapping file is malformed or refers to unknown tables/fields."""


class ChecklistError(SalesAuditError):
    """Raised when a checklist YAML file is malformed (names the file, item and field)."""


class AnswersError(SalesAuditError):
    """Raised when interview answers are invalid (unknown question ids, invalid answers)."""


class ParameterError(SalesAuditError):
    """Raised when a notebook or command gets an unknown or mistyped parameter."""


class NotebookError(SalesAuditError):
    """Raised when a report notebook fails; names the notebook and the cell."""


class OutputError(SalesAuditError):
    """Raised when an output cannot be written: disk full, no permission, a mount point as the
    output folder, another run holding it; names the path."""


class DataNotUsableError(SalesAuditError):
    """Raised when the client data was read but is not enough for an audit."""

    exit_code = 1
