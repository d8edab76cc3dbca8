"""The statistics of the report: Wilson intervals of shares and the two-proportion test of changes.

A change is *significant* when a pooled two-proportion z-test gives p < :data:`ALPHA` and both periods
hold at least :data:`SMALL_SAMPLE` rows (the normal approximation is poor below that).
"""

from __future__ import annotations

import math

import numpy as np

Z_95 = 1.959963984540054       # two-sided 95 % normal quantile
ALPHA = 0.05                   # significance level of the change tests
SMALL_SAMPLE = 30              # fewer rows than this: "weinig teksten, voorzichtig interpreteren"


def wilson_interval(successes, n, z: float = Z_95):
    """Wilson score interval for a proportion ``successes / n``: ``(low, high)``.

    Works on numbers or arrays; where ``n`` is 0 both bounds are NaN.
    """
    k = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / total
        denominator = 1 + z**2 / total
        centre = (p + z**2 / (2 * total)) / denominator
        half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / denominator
        low = np.where(total > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(total > 0, np.clip(centre + half, 0, 1), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def two_proportion_test(k1, n1, k2, n2):
    """Pooled two-proportion z-test of ``k1/n1`` against ``k2/n2``: ``(z, p)``, p two-sided.

    Works on numbers or arrays; NaN where a sample is empty or both proportions are 0 or 1.
    """
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k1 / n1 - k2 / n2) / se
        z = np.where((n1 > 0) & (n2 > 0) & (se > 0), z, np.nan)
    p = np.vectorize(lambda v: math.erfc(abs(v) / math.sqrt(2)) if not math.isnan(v) else math.nan,
                     otypes=[float])(z)
    if np.ndim(z) == 0:
        return float(z), float(p)
    return z, p

