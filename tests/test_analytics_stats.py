"""The statistical tests in analytics._stats give scipy.stats' numbers (which they replace)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from salesaudit.analytics._stats import chi2_independence, mann_whitney_p, normal_sf

stats = pytest.importorskip("scipy.stats")


def test_normal_sf() -> None:
    assert normal_sf(0.0) == 0.5
    assert normal_sf(1.959963984540054) == pytest.approx(0.025, rel=1e-12)
    for x in (-3.2, -0.4, 0.7, 2.5, 8.0):
        assert normal_sf(x) == float(stats.norm.sf(x))


def test_chi2_independence_hand_computed() -> None:
    # rows 30/70, columns 40/60: expected [[12, 18], [28, 42]]
    chi2, p, dof, expected = chi2_independence(np.array([[20, 10], [20, 50]]))
    assert dof == 1
    np.testing.assert_allclose(expected, [[12, 18], [28, 42]])
    assert chi2 == pytest.approx(64 / 12 + 64 / 18 + 64 / 28 + 64 / 42)
    assert p == pytest.approx(math.erfc(math.sqrt(chi2 / 2)))  # chi-square with 1 dof


def test_chi2_independence_equals_scipy_on_random_tables() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        table = rng.integers(1, 60, size=(2, int(rng.integers(2, 7))))
        chi2, p, dof, expected = chi2_independence(table)
        ref = stats.chi2_contingency(table, correction=False)
        assert chi2 == pytest.approx(ref[0], rel=1e-12)
        assert p == pytest.approx(ref[1], rel=1e-9, abs=1e-300)
        assert dof == ref[2]
        np.testing.assert_allclose(expected, ref[3], rtol=1e-12)


def test_chi2_independence_degenerate_tables() -> None:
    assert chi2_independence(np.array([[3], [5]]))[:3] == (0.0, 1.0, 0)
    with pytest.raises(ValueError, match="no counts"):
        chi2_independence(np.array([[3, 0], [5, 0]]))


def test_mann_whitney_exact_small_samples() -> None:
    # 1..3 against 4..6: U = 9 is the most extreme of C(6, 3) = 20 arrangements -> p = 2/20
    assert mann_whitney_p([1, 2, 3], [4, 5, 6]) == pytest.approx(0.1)
    assert mann_whitney_p([4, 5, 6], [1, 2, 3]) == pytest.approx(0.1)
    # U = 3 of the 2x2 distribution 0, 1, 2, 2, 3, 4: P(U >= 3) = 2/6, two-sided 2/3
    assert mann_whitney_p([1, 3], [2, 4]) == pytest.approx(2 / 3)
    assert mann_whitney_p([1, 4], [2, 3]) == 1.0  # 2 * 4/6 clipped to 1, as scipy does
    assert math.isnan(mann_whitney_p([], [1.0]))


@pytest.mark.parametrize(
    ("n1", "n2", "tied"),
    [(3, 5, False), (8, 8, False), (2, 40, False), (9, 12, False), (30, 25, False),
     (5, 6, True), (12, 20, True), (60, 45, True)],
)  # fmt: skip
def test_mann_whitney_equals_scipy(n1: int, n2: int, tied: bool) -> None:
    rng = np.random.default_rng(n1 * 100 + n2)
    for _ in range(25):
        if tied:
            x, y = rng.integers(0, 6, n1).astype(float), rng.integers(1, 7, n2).astype(float)
        else:
            x, y = rng.normal(0, 1, n1), rng.normal(0.4, 1, n2)
        ref = float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)
        assert mann_whitney_p(x, y) == pytest.approx(ref, rel=1e-9, abs=1e-15)


def test_mann_whitney_all_values_tied() -> None:
    x, y = [5.0, 5.0, 5.0], [5.0, 5.0]
    assert mann_whitney_p(x, y) == float(stats.mannwhitneyu(x, y).pvalue) == 1.0
