"""What the readers hand to the model: sheets of text cells with their source row numbers."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class RawSheet:
    """One table read from a client file, before any interpretation.

    - ``frame``: every cell as ``str`` or ``None`` (empty); columns are the header names with
      surrounding whitespace stripped, repeated names made unique as ``name``, ``name.2``, ``name.3``;
    - ``rows``: for each frame row, its 1-based row number in the source (as a spreadsheet shows it,
      or the line number of the record's first line in a CSV);
    - ``header_row``: 1-based row number of the header in the source;
    - ``meta``: facts read around the table (1C title, period, "Отборы"), encoding, delimiter, ...;
    - ``dropped``: rows skipped as totals / group headers / blanks, as ``(row, reason)``.
    """

    file: str
    sheet: str | None
    frame: pd.DataFrame
    rows: list[int]
    header_row: int = 1
    meta: dict = field(default_factory=dict)
    dropped: list[tuple[int, str]] = field(default_factory=list)
