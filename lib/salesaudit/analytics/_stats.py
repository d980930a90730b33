"""The three statistical tests the analyses use, on :mod:`scipy.special` alone (private).

``scipy.stats`` costs about 0.8 s to import (it builds every distribution object), which every
run paid three times: in the audit and in each notebook kernel. These functions give the same
numbers as ``scipy.stats.chi2_contingency(correction=False)``, ``scipy.stats.norm.sf`` and
``scipy.stats.mannwhitneyu(alternative="two-sided")`` (``tests/test_analytics_stats.py``
compares them on random tables and samples), from the same special functions.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

__all__ = ["chi2_independence", "mann_whitney_p", "normal_sf"]

#: with both samples above this size, or with ties, the Mann-Whitney p-value is the normal
#: approximation; otherwise it is exact (scipy's ``method="auto"``)
MWU_EXACT_MAX = 8


def normal_sf(x: float) -> float:
    """P(Z > x) for a standard normal Z."""
    return float(special.ndtr(-x))


def chi2_independence(table: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    """Pearson's chi-square test of independence of a 2-D table of counts (no Yates correction).

    Returns ``(chi2, p, dof, expected)``. Raises :class:`ValueError` when an expected count is
    zero (a row or column of zeros), as scipy does.
    """
    observed = np.asarray(table, dtype="float64")
    if observed.ndim != 2:
        raise ValueError("the table must be two-dimensional")
    n = observed.sum()
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True) / n
    if np.any(expected == 0):
        raise ValueError("a row or column of the table has no counts")
    dof = (observed.shape[0] - 1) * (observed.shape[1] - 1)
    if dof == 0:
        return 0.0, 1.0, 0, expected
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    return chi2, float(special.chdtrc(dof, chi2)), dof, expected


def _mwu_exact_sf(u: int, n1: int, n2: int) -> float:
    """P(U >= u) under the null hypothesis, from the exact distribution of U.

    The number of arrangements with U = k is the coefficient of q**k in the Gaussian binomial
    coefficient [n1 + n2 choose n1]_q = prod_{i=1..n1} (1 - q**(n2 + i)) / (1 - q**i), computed
    here with exact integers.
    """
    m, n = min(n1, n2), max(n1, n2)
    size = m * n + 1
    coef = [0] * size
    coef[0] = 1
    for i in range(1, m + 1):
        step = n + i
        for k in range(size - 1, step - 1, -1):  # multiply by (1 - q**(n + i))
            coef[k] -= coef[k - step]
        for k in range(i, size):  # divide by (1 - q**i)
            coef[k] += coef[k - i]
    total = math.comb(m + n, m)
    return sum(coef[u:]) / total if u < size else 0.0


def mann_whitney_p(x: np.ndarray | pd.Series, y: np.ndarray | pd.Series) -> float:
    """Two-sided p-value of the Mann-Whitney U test of ``x`` against ``y``.

    Exact when a sample has at most :data:`MWU_EXACT_MAX` values and there are no ties,
    otherwise the normal approximation with tie correction and continuity correction.
    """
    a = np.asarray(x, dtype="float64")
    b = np.asarray(y, dtype="float64")
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return math.nan
    both = np.concatenate([a, b])
    ranks = pd.Series(both).rank(method="average").to_numpy()
    u1 = float(ranks[:n1].sum() - n1 * (n1 + 1) / 2)
    u = max(u1, n1 * n2 - u1)
    _, counts = np.unique(both, return_counts=True)
    ties = bool((counts > 1).any())
    if (n1 > MWU_EXACT_MAX and n2 > MWU_EXACT_MAX) or ties:
        n = n1 + n2
        tie_term = float((counts.astype("float64") ** 3 - counts).sum())
        s = math.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        num = u - n1 * n2 / 2 - 0.5
        if s > 0:
            z = num / s
        else:  # every value tied: as numpy's division by zero gives it
            z = math.copysign(math.inf, num) if num else math.nan
        p = 2 * float(special.ndtr(-z))
    else:
        p = 2 * _mwu_exact_sf(round(u), n1, n2)
    return min(max(p, 0.0), 1.0)
