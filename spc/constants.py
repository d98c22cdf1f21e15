"""Control-chart constants.

Two sources are offered:

* ``TABLE``: the published table values for subgroup sizes n = 2..25
  (AIAG SPC manual, 2nd ed., Appendix; Montgomery, *Introduction to
  Statistical Quality Control*, Appendix VI; ASTM E2587). These are the
  rounded numbers that Minitab and the AIAG manual use, and they are what the
  charts use for d2 and d3 by default (the AIAG/Minitab convention).
* unrounded values: :func:`c4` (c4(n) = sqrt(2/(n-1)) Gamma(n/2) /
  Gamma((n-1)/2), used for S charts at any n), :func:`d2_exact` and
  :func:`d3_exact` (mean and standard deviation of the range of n standard
  normal variables, Tippett 1925, by numerical integration: d2 to about
  1e-13, d3 to about 1e-7) for any n >= 2, and the constants derived from
  them (:func:`derived`).

``constant(name, n)`` looks a table constant up and raises
:class:`SpcInputError` outside 2..25; ``constant(name, n, exact=True)``
gives the unrounded value for n = 2..N_EXACT_MAX. The charts and the
capability study take ``exact_constants=True`` to use them.

The published tables agree with the unrounded values to their printed
decimals for d2 and c4. Some d3 and derived entries are one unit off in the
last decimal, because the tables computed them from rounded d2 and d3 (D4(3)
= 1 + 3 x 0.888 / 1.693 = 2.574 where the unrounded value is 2.5746) or
rounded them differently (d3(19) is printed 0.734, the integral gives 0.73348).
"""

from functools import lru_cache
from math import exp, lgamma, sqrt

import numpy as np
from scipy import special

from .errors import SpcInputError

N_MIN = 2
N_MAX = 25
#: Largest subgroup size of the unrounded constants.
N_EXACT_MAX = 1000

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


# Any subgroup size is below this; it also keeps a float n from overflowing int.
_N_LARGEST = 10**7


def _check_n(n, name="n", upper=N_MAX, what="tabulated constants"):
    try:
        arr = np.asarray(n)
    except (TypeError, ValueError):
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf" or (
        arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)))
    ):
        raise SpcInputError(f"{name}: subgroup size must be a whole number, got {n!r}")
    if arr.size:
        low, high = arr.min(), arr.max()
        if low < N_MIN:
            raise SpcInputError(f"{name}: subgroup size must be at least {N_MIN}, got {low:g}")
        top = _N_LARGEST if upper is None else upper
        if high > top:
            raise SpcInputError(
                f"{name}: subgroup size must be at most {top} for {what}, got {high:g}"
            )
    return arr.astype(int) if arr.dtype.kind == "f" else arr


def constant(name, n, *, exact=False):
    """Chart constant ``name`` for subgroup size ``n``.

    ``exact=False`` (default): the published table value (n = 2..25).
    ``exact=True``: the unrounded value, from d2, d3 (integrals of the range
    distribution) and c4 (gamma functions) as :func:`derived` gives them
    (n = 2..N_EXACT_MAX). ``n`` may be an integer or an integer array
    (vectorised lookup).
    """
    if name not in _ARRAYS:
        raise SpcInputError(f"name: unknown constant {name!r}; known: {', '.join(NAMES)}")
    if type(n) is int and N_MIN <= n <= (N_EXACT_MAX if exact else N_MAX):
        # the common call (one subgroup size): no array round trip
        return _exact_set(n)[name] if exact else TABLE[name][n]
    if not exact:
        arr = _check_n(n)
        out = _ARRAYS[name][arr]
        return float(out) if out.ndim == 0 else out
    arr = _check_n(n, upper=N_EXACT_MAX, what="unrounded constants")
    if arr.ndim == 0:
        return _exact_set(int(arr))[name]
    sizes, where = np.unique(arr, return_inverse=True)
    values = np.array([_exact_set(int(size))[name] for size in sizes.tolist()])
    return values[where].reshape(arr.shape)


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


def range_moments(n):
    """(E[R], E[R^2]) of the range R of n iid standard normal values (n >= 2).

    E[R] = integral of 1 - Phi(x)^n - (1 - Phi(x))^n over the real line;
    E[R^2] = 2 integral w P(R > w) dw with P(R <= w) = n integral phi(x)
    (Phi(x + w) - Phi(x))^(n - 1) dx (Tippett 1925; Harter 1960). Simpson's
    rule on fixed grids; cached. Also serves d2* of the MSA study (msa.py).
    """
    return _range_moments(int(_check_n(n, upper=None)))


def d2_exact(n):
    """Exact d2(n) = E[range of n standard normals], by numerical integration."""
    n = int(_check_n(n, upper=None))
    return _range_moments(n)[0]


def d3_exact(n):
    """Exact d3(n) = SD[range of n standard normals], by numerical integration."""
    n = int(_check_n(n, upper=None))
    d2, er2 = _range_moments(n)
    return sqrt(max(er2 - d2 * d2, 0.0))


@lru_cache(maxsize=1024)
def _exact_set(n):
    return derived(n, exact=True)


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
