"""Control-chart constants.

Two sources are offered:

* ``TABLE``: the published table values for subgroup sizes n = 2..25
  (AIAG SPC manual, 2nd ed., Appendix; Montgomery, *Introduction to
  Statistical Quality Control*, Appendix VI; ASTM E2587). These are the
  rounded numbers that Minitab and the AIAG manual use, and they are what the
  charts use for d2 and d3 (the AIAG/Minitab convention).
* exact functions: :func:`c4` (gamma-function formula, used for S charts at
  any n), :func:`d2_exact` and :func:`d3_exact` (expected value and standard
  deviation of the range of n standard normal variables, by numerical
  integration) for any n >= 2.

``constant(name, n)`` looks a table constant up and raises
:class:`SpcInputError` outside 2..25.
"""

from functools import lru_cache
from math import exp, lgamma, sqrt

import numpy as np
from scipy import special

from .errors import SpcInputError

N_MIN = 2
N_MAX = 25

# Columns of the published table, indexed by n = 2..25 (position 0 is n = 2).
_COLUMNS = {
    "d2": (
        1.128,
        1.693,
        2.059,
        2.326,
        2.534,
        2.704,
        2.847,
        2.970,
        3.078,
        3.173,
        3.258,
        3.336,
        3.407,
        3.472,
        3.532,
        3.588,
        3.640,
        3.689,
        3.735,
        3.778,
        3.819,
        3.858,
        3.895,
        3.931,
    ),
    "d3": (
        0.853,
        0.888,
        0.880,
        0.864,
        0.848,
        0.833,
        0.820,
        0.808,
        0.797,
        0.787,
        0.778,
        0.770,
        0.763,
        0.756,
        0.750,
        0.744,
        0.739,
        0.734,
        0.729,
        0.724,
        0.720,
        0.716,
        0.712,
        0.708,
    ),
    "c4": (
        0.7979,
        0.8862,
        0.9213,
        0.9400,
        0.9515,
        0.9594,
        0.9650,
        0.9693,
        0.9727,
        0.9754,
        0.9776,
        0.9794,
        0.9810,
        0.9823,
        0.9835,
        0.9845,
        0.9854,
        0.9862,
        0.9869,
        0.9876,
        0.9882,
        0.9887,
        0.9892,
        0.9896,
    ),
    "A": (
        2.121,
        1.732,
        1.500,
        1.342,
        1.225,
        1.134,
        1.061,
        1.000,
        0.949,
        0.905,
        0.866,
        0.832,
        0.802,
        0.775,
        0.750,
        0.728,
        0.707,
        0.688,
        0.671,
        0.655,
        0.640,
        0.626,
        0.612,
        0.600,
    ),
    "A2": (
        1.880,
        1.023,
        0.729,
        0.577,
        0.483,
        0.419,
        0.373,
        0.337,
        0.308,
        0.285,
        0.266,
        0.249,
        0.235,
        0.223,
        0.212,
        0.203,
        0.194,
        0.187,
        0.180,
        0.173,
        0.167,
        0.162,
        0.157,
        0.153,
    ),
    "A3": (
        2.659,
        1.954,
        1.628,
        1.427,
        1.287,
        1.182,
        1.099,
        1.032,
        0.975,
        0.927,
        0.886,
        0.850,
        0.817,
        0.789,
        0.763,
        0.739,
        0.718,
        0.698,
        0.680,
        0.663,
        0.647,
        0.633,
        0.619,
        0.606,
    ),
    "D3": (
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.076,
        0.136,
        0.184,
        0.223,
        0.256,
        0.283,
        0.307,
        0.328,
        0.347,
        0.363,
        0.378,
        0.391,
        0.403,
        0.415,
        0.425,
        0.434,
        0.443,
        0.451,
        0.459,
    ),
    "D4": (
        3.267,
        2.574,
        2.282,
        2.114,
        2.004,
        1.924,
        1.864,
        1.816,
        1.777,
        1.744,
        1.717,
        1.693,
        1.672,
        1.653,
        1.637,
        1.622,
        1.608,
        1.597,
        1.585,
        1.575,
        1.566,
        1.557,
        1.548,
        1.541,
    ),
    "B3": (
        0.0,
        0.0,
        0.0,
        0.0,
        0.030,
        0.118,
        0.185,
        0.239,
        0.284,
        0.321,
        0.354,
        0.382,
        0.406,
        0.428,
        0.448,
        0.466,
        0.482,
        0.497,
        0.510,
        0.523,
        0.534,
        0.545,
        0.555,
        0.565,
    ),
    "B4": (
        3.267,
        2.568,
        2.266,
        2.089,
        1.970,
        1.882,
        1.815,
        1.761,
        1.716,
        1.679,
        1.646,
        1.618,
        1.594,
        1.572,
        1.552,
        1.534,
        1.518,
        1.503,
        1.490,
        1.477,
        1.466,
        1.455,
        1.445,
        1.435,
    ),
}
# E2 (individuals chart with moving ranges of span n) = 3 / d2.
_COLUMNS["E2"] = tuple(round(3.0 / d, 3) for d in _COLUMNS["d2"])

NAMES = tuple(_COLUMNS)

#: ``TABLE[name][n]`` -> published constant (n = 2..25).
TABLE = {
    name: {n: v for n, v in zip(range(N_MIN, N_MAX + 1), col, strict=True)}
    for name, col in _COLUMNS.items()
}

# numpy lookup arrays indexed directly by n (entries 0 and 1 are NaN, unused).
_ARRAYS = {name: np.array([np.nan, np.nan, *col]) for name, col in _COLUMNS.items()}


def _check_n(n, name="n", upper=N_MAX):
    arr = np.asarray(n)
    if arr.dtype.kind not in "iu":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise SpcInputError(f"{name}: subgroup size must be a whole number, got {n!r}")
        arr = arr.astype(int)
    if arr.size and arr.min() < N_MIN:
        raise SpcInputError(f"{name}: subgroup size must be at least {N_MIN}, got {int(arr.min())}")
    if upper is not None and arr.size and arr.max() > upper:
        raise SpcInputError(
            f"{name}: subgroup size must be at most {upper} for tabulated constants, "
            f"got {int(arr.max())}"
        )
    return arr


def constant(name, n):
    """Published table constant ``name`` for subgroup size ``n`` (2..25).

    ``n`` may be an integer or an integer array (vectorised lookup).
    """
    if name not in _ARRAYS:
        raise SpcInputError(f"name: unknown constant {name!r}; known: {', '.join(NAMES)}")
    arr = _check_n(n)
    out = _ARRAYS[name][arr]
    return float(out) if out.ndim == 0 else out


def c4(n):
    """Exact c4(n) = sqrt(2/(n-1)) * Gamma(n/2) / Gamma((n-1)/2), any n >= 2.

    Vectorised over integer arrays.
    """
    arr = _check_n(n, upper=None).astype(float)
    out = np.sqrt(2.0 / (arr - 1.0)) * np.exp(
        special.gammaln(arr / 2.0) - special.gammaln((arr - 1.0) / 2.0)
    )
    return float(out) if out.ndim == 0 else out


def c4_scalar(n):
    """Scalar c4 without numpy overhead (n >= 2)."""
    n = int(n)
    if n < 2:
        raise SpcInputError(f"n: subgroup size must be at least 2, got {n}")
    return sqrt(2.0 / (n - 1)) * exp(lgamma(n / 2.0) - lgamma((n - 1) / 2.0))


# Quadrature grid for the range distribution: the integrands are negligible
# beyond |x| = 9 for any practical n (Phi(-9) ~ 1e-19).
_X = np.linspace(-9.0, 9.0, 901)
_W = np.linspace(0.0, 14.0, 561)


def _simpson_weights(grid):
    m = grid.size
    h = grid[1] - grid[0]
    w = np.ones(m)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    return w * h / 3.0


_WX = _simpson_weights(_X)
_WW = _simpson_weights(_W)


@lru_cache(maxsize=256)
def _range_moments(n):
    """E[R] and E[R^2] for the range of n iid N(0, 1) variables."""
    phi = special.ndtr(_X)
    # d2 = integral of 1 - Phi^n - (1 - Phi)^n over the real line.
    d2 = float(np.dot(_WX, 1.0 - phi**n - (1.0 - phi) ** n))
    # P(R <= w) = n * integral phi(x) [Phi(x + w) - Phi(x)]^(n-1) dx
    dens = np.exp(-0.5 * _X**2) / np.sqrt(2.0 * np.pi)
    diff = special.ndtr(_X[None, :] + _W[:, None]) - phi[None, :]
    cdf = n * (np.clip(diff, 0.0, 1.0) ** (n - 1)) @ (dens * _WX)
    surv = np.clip(1.0 - cdf, 0.0, 1.0)
    er2 = float(2.0 * np.dot(_WW, _W * surv))
    return d2, er2


def d2_exact(n):
    """Exact d2(n) = E[range of n standard normals], by numerical integration."""
    n = int(_check_n(n, upper=None))
    return _range_moments(n)[0]


def d3_exact(n):
    """Exact d3(n) = SD[range of n standard normals], by numerical integration."""
    n = int(_check_n(n, upper=None))
    d2, er2 = _range_moments(n)
    return sqrt(max(er2 - d2 * d2, 0.0))


def derived(n, *, exact=False):
    """All chart constants for subgroup size ``n``, derived from d2, d3, c4.

    With ``exact=False`` (default) d2/d3 are the table values (n <= 25);
    with ``exact=True`` they come from :func:`d2_exact`/:func:`d3_exact`.
    """
    if exact:
        d2, d3 = d2_exact(n), d3_exact(n)
    else:
        d2, d3 = constant("d2", n), constant("d3", n)
    c = c4_scalar(n)
    rn = sqrt(n)
    s = sqrt(max(1.0 - c * c, 0.0))
    return {
        "d2": d2,
        "d3": d3,
        "c4": c,
        "A": 3.0 / rn,
        "A2": 3.0 / (d2 * rn),
        "A3": 3.0 / (c * rn),
        "D3": max(0.0, 1.0 - 3.0 * d3 / d2),
        "D4": 1.0 + 3.0 * d3 / d2,
        "B3": max(0.0, 1.0 - 3.0 * s / c),
        "B4": 1.0 + 3.0 * s / c,
        "E2": 3.0 / d2,
    }
