"""CRM export details :mod:`salesaudit.model.build` applies while reading a deals or activities sheet.

- Bitrix24 writes one row per product of a deal, repeating the deal's ID and fields
  (:func:`merge_product_rows`): such rows are one deal, its amount counted once;
- Bitrix24 has no «Дата закрытия»: «Сделка закрыта» Да/Нет is checked against the outcome and
  «Дата изменения» dates a closed deal that has no «Предполагаемая дата закрытия»
  (:func:`finish_deals`);
- Pipedrive exports deleted deals with the status ``deleted`` when asked to: they are neither
  open nor closed and are left out (:func:`drop_deleted_deals`);
- Bitrix24 «Дела» results are free text: the text is kept in ``comment`` whenever it is not an
  exact label (:func:`keep_free_results`), so a pattern's guess or ``none`` never hides it.

Every decision is reported in the quality report. Inputs are never modified.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from salesaudit.model.presets import normalize_label
from salesaudit.model.quality import issue, issue_rows

__all__ = ["drop_deleted_deals", "finish_deals", "keep_free_results", "merge_product_rows"]

_YES = frozenset({"да", "yes", "y", "1", "true", "истина"})
_NO = frozenset({"нет", "no", "n", "0", "false", "ложь"})
#: outcome/status labels of a deal deleted in the CRM (Pipedrive's «Deal - Status»)
DELETED_LABELS = frozenset({"deleted", "удалена", "удалено"})
#: fields that differ between the product rows of one deal
_PRODUCT_FIELDS = ("product", "brand", "category")


def _joined(values: pd.Series) -> str | None:
    return "; ".join(dict.fromkeys(v for v in values if v is not None and v == v)) or None


def merge_product_rows(
    out: pd.DataFrame, src_rows: pd.Series, *, table: str, file: str
) -> tuple[pd.DataFrame, pd.Series, list[dict]]:
    """Rows that repeat a deal's ID with another product, all other fields equal (or empty), as
    one deal: the first row's position and source row, each field's first value, the products
    joined with ``"; "``. The amount is the deal's, taken once (never summed over the rows).

    Rows that repeat an ID but disagree on another field are left as they are (the duplicate
    check keeps the first and reports the rest). Returns ``(out, src_rows, issues)``.
    """
    if "deal_id" not in out or not any(f in out for f in _PRODUCT_FIELDS):
        return out, src_rows, []
    ids = out["deal_id"]
    repeated = ids.notna() & ids.duplicated(keep=False)
    if not repeated.any():
        return out, src_rows, []
    part = out.loc[repeated]
    others = [c for c in part.columns if c != "deal_id" and c not in _PRODUCT_FIELDS]
    groups = part.groupby("deal_id", sort=False)
    consistent = (
        (groups[others].nunique(dropna=True) <= 1).all(axis=1)
        if others
        else pd.Series(True, index=pd.Index(ids[repeated].unique()))
    )
    merge = repeated & ids.isin(consistent.index[consistent])
    if not merge.any():
        return out, src_rows, []
    part = out.loc[merge]
    groups = part.groupby("deal_id", sort=False)
    heads = part.index[~part["deal_id"].duplicated(keep="first")]
    head_ids = out.loc[heads, "deal_id"].to_numpy()
    result = out.copy()
    if others:
        firsts = groups[others].first()
        for col in others:
            result.loc[heads, col] = firsts.loc[head_ids, col].to_numpy()
    for col in _PRODUCT_FIELDS:
        if col in out:
            result.loc[heads, col] = groups[col].agg(_joined).loc[head_ids].to_numpy()
    drop = merge & ~out.index.isin(heads)
    n_extra, n_deals = int(drop.sum()), len(heads)
    found = issue(
        "info",
        "product_rows",
        f"{n_extra} row(s) repeat the ID of {n_deals} deal(s) with another product: read as "
        "product lines of one deal each (the deal amount counted once, products joined)",
        table=table,
        file=file,
        row=int(src_rows[drop].min()),
        column="deal_id",
        value=n_extra,
    )
    return result.loc[~drop], src_rows.loc[~drop], [found]


def drop_deleted_deals(
    out: pd.DataFrame, src_rows: pd.Series, *, table: str, file: str, column: str
) -> tuple[pd.DataFrame, pd.Series, list[dict]]:
    """Deals whose outcome column (raw label, before translation) says ``deleted``: left out,
    one ``deleted_rows`` info issue with their count and first row. A deleted deal is neither
    open (it would swell the pipeline) nor lost (it would lower the win rate)."""
    if "outcome" not in out:
        return out, src_rows, []
    deleted = out["outcome"].map(lambda v: v is not None and normalize_label(v) in DELETED_LABELS)
    deleted = deleted.astype(bool)
    if not deleted.any():
        return out, src_rows, []
    n = int(deleted.sum())
    found = issue(
        "info",
        "deleted_rows",
        f"{n} deal(s) with the status 'deleted' left out: deleted in the CRM, neither open nor "
        "closed",
        table=table,
        file=file,
        row=int(src_rows[deleted].min()),
        column=column,
        value=n,
    )
    return out.loc[~deleted], src_rows.loc[~deleted], [found]


def finish_deals(
    out: pd.DataFrame,
    src_rows: pd.Series,
    *,
    table: str,
    file: str,
    headers: Mapping[str, list[str]],
) -> tuple[pd.DataFrame, list[dict]]:
    """Bitrix24's «Сделка закрыта» and «Дата изменения» after the outcome is known.

    - «Сделка закрыта» (``_closed_flag``) Да on a deal whose stage is neither won nor lost, or
      Нет on a won/lost one: the outcome is kept and the rows are reported
      (``conflicting_columns``);
    - «Дата изменения» (``_modified``) is the close date of a won or lost deal that has no
      other close date (reported as ``assumed_value`` with the count).
    """
    issues: list[dict] = []
    if "_closed_flag" not in out and "_modified" not in out:
        return out, issues
    out = out.copy()
    done = (
        out["outcome"].isin(["won", "lost"])
        if "outcome" in out
        else pd.Series(False, index=out.index)
    )
    if "_closed_flag" in out:
        flag = out.pop("_closed_flag").map(lambda v: None if v is None else normalize_label(v))
        column = headers["_closed_flag"][0]
        for mask, message in (
            (
                flag.isin(_YES) & ~done,
                f"{column!r} says closed but the stage is neither won nor lost: counted as "
                "open -> name the stage in mapping.yaml labels.stage",
            ),
            (
                flag.isin(_NO) & done,
                f"{column!r} says not closed but the stage is won or lost: the stage decides",
            ),
        ):
            if mask.any():
                issues.append(
                    issue_rows(
                        "warning",
                        "conflicting_columns",
                        message,
                        table=table,
                        file=file,
                        rows=src_rows[mask].to_numpy(),
                        column=column,
                        value=out.loc[mask, "stage"].astype(str).to_numpy()
                        if "stage" in out
                        else None,
                    )
                )
    if "_modified" in out:
        modified = out.pop("_modified")
        closed = (
            out["closed"]
            if "closed" in out
            else pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        )
        fill = done & closed.isna() & modified.notna()
        if fill.any():
            out["closed"] = closed.where(~fill, modified)
            column = headers["_modified"][0]
            issues.append(
                issue(
                    "info",
                    "assumed_value",
                    f"{int(fill.sum())} won/lost deal(s) have no close date: {column!r} (the "
                    "last change, on or after the closing day) is taken as their close date",
                    table=table,
                    file=file,
                    row=int(src_rows[fill].min()),
                    column=column,
                    value=int(fill.sum()),
                )
            )
    return out, issues


def keep_free_results(
    out: pd.DataFrame, raw: pd.Series, labels: Mapping[str, str], *, column: str
) -> pd.DataFrame:
    """``out`` with every result text that is not an exact label (a pattern matched it, or
    nothing did) added to ``comment`` as ``«<column>: <text>»``, so the words are never lost."""
    free = raw.notna() & ~raw.map(lambda v: v is None or normalize_label(v) in labels).astype(bool)
    if not free.any():
        return out
    out = out.copy()
    text = f"{column}: " + raw[free].astype(str)
    comment = out["comment"] if "comment" in out else pd.Series(None, index=out.index, dtype=object)
    joined = comment[free].where(comment[free].isna(), comment[free].astype(str) + " | ")
    out["comment"] = comment.astype(object)
    out.loc[free, "comment"] = joined.fillna("") + text
    return out
