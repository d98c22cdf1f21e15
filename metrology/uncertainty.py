"""Measurement uncertainty: GUM budgets (JCGM 100:2008) and Monte Carlo
propagation (GUM Supplement 1, JCGM 101:2008).

``uncertainty_budget`` applies the first-order law of propagation of
uncertainty

    u_c^2 = sum_i c_i^2 u_i^2 + 2 sum_{i<j} c_i c_j u_i u_j r_ij

then the Welch-Satterthwaite formula for the effective degrees of freedom and a
Student-t coverage factor.  ``monte_carlo`` propagates distributions through a
vectorised model and returns the estimate, its standard uncertainty, the
probabilistically symmetric and the shortest coverage intervals.

Conventions
-----------
* Welch-Satterthwaite (GUM G.4.1) is only valid for uncorrelated inputs.  When a
  correlation matrix is given, nu_eff is computed from the *uncorrelated* part of
  the variance, nu_eff = (sum c_i^2 u_i^2)^2 / sum (c_i u_i)^4 / nu_i, while u_c
  itself includes the correlation terms.
* Following GUM G.6.4, a non-integer nu_eff is truncated to the next lower
  integer before the t-quantile is taken (``truncate_dof=False`` interpolates
  with the real-valued nu_eff instead).  ``effective_dof`` reports the
  untruncated value.  nu_eff = inf gives the normal quantile (k = 1.96 at 95 %).
* ``coverage_factor=2`` (or any k > 0) overrides the t-based factor.
* Percent contributions are c_i u_i (sum_j r_ij c_j u_j) / u_c^2 * 100: without
  correlation this is the variance share of each input; with correlation the
  covariance terms are split evenly between the two inputs, so the percentages
  still sum to 100 (and may be negative).
"""

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .errors import MetrologyInputError, real

__all__ = [
    "Component",
    "Budget",
    "MonteCarloResult",
    "uncertainty_budget",
    "monte_carlo",
    "DISTRIBUTION_DIVISORS",
]

#: Divisors turning a half-width a into a standard uncertainty (GUM 4.3.7 - 4.3.9).
DISTRIBUTION_DIVISORS = {
    "rectangular": math.sqrt(3.0),
    "uniform": math.sqrt(3.0),
    "triangular": math.sqrt(6.0),
    "u-shaped": math.sqrt(2.0),
    "arcsine": math.sqrt(2.0),
}


@dataclass(frozen=True)
class Component:
    """One input quantity of an uncertainty budget.

    Give either ``standard_uncertainty`` or (``distribution``, ``half_width``):
    rectangular/uniform a/sqrt(3), triangular a/sqrt(6), u-shaped/arcsine
    a/sqrt(2), normal U/k (``half_width`` is then the expanded uncertainty U
    quoted with coverage factor ``k``, default 2).
    """

    name: str
    standard_uncertainty: float = None
    dof: float = math.inf
    type: str = "B"
    sensitivity: float = 1.0
    distribution: str = None
    half_width: float = None
    k: float = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise MetrologyInputError(
                f"component name must be a non-empty string, got {self.name!r}"
            )
        label = f"component {self.name!r}"
        if self.type not in ("A", "B"):
            raise MetrologyInputError(f"{label}: type must be 'A' or 'B', got {self.type!r}")
        dof = real(self.dof, f"{label} dof", positive=True, allow_inf=True)
        object.__setattr__(self, "dof", dof)
        object.__setattr__(self, "sensitivity", real(self.sensitivity, f"{label} sensitivity"))
        if self.standard_uncertainty is not None:
            if self.distribution is not None or self.half_width is not None:
                raise MetrologyInputError(
                    f"{label}: give either standard_uncertainty or distribution/half_width, "
                    "not both"
                )
            u = real(self.standard_uncertainty, f"{label} standard_uncertainty", nonneg=True)
        else:
            if self.distribution is None or self.half_width is None:
                raise MetrologyInputError(
                    f"{label}: standard_uncertainty is missing "
                    "(or give distribution and half_width)"
                )
            dist = str(self.distribution).lower()
            a = real(self.half_width, f"{label} half_width", nonneg=True)
            if dist == "normal":
                k = 2.0 if self.k is None else real(self.k, f"{label} k", positive=True)
                u = a / k
            elif dist in DISTRIBUTION_DIVISORS:
                if self.k is not None:
                    raise MetrologyInputError(f"{label}: k applies only to the normal distribution")
                u = a / DISTRIBUTION_DIVISORS[dist]
            else:
                raise MetrologyInputError(
                    f"{label}: distribution must be one of normal, "
                    f"{', '.join(sorted(DISTRIBUTION_DIVISORS))}; got {self.distribution!r}"
                )
            object.__setattr__(self, "distribution", dist)
        object.__setattr__(self, "standard_uncertainty", u)

    @classmethod
    def from_observations(cls, name, observations, *, sensitivity=1.0):
        """Type A component from repeated observations: u = s / sqrt(n), dof = n - 1."""
        x = _finite_array(observations, f"observations of {name!r}")
        if x.size < 2:
            raise MetrologyInputError(
                f"observations of {name!r}: need at least 2 values for a Type A evaluation, "
                f"got {x.size}"
            )
        u = float(np.std(x, ddof=1) / math.sqrt(x.size))
        return cls(
            name=name, standard_uncertainty=u, dof=x.size - 1, type="A", sensitivity=sensitivity
        )


def _finite_array(values, name, ndim=1):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise MetrologyInputError(f"{name} must be numeric, got {values!r}") from None
    if arr.ndim != ndim:
        raise MetrologyInputError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise MetrologyInputError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise MetrologyInputError(f"{name} must contain only finite values (no NaN/inf)")
    return arr


def _readonly(arr):
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Budget:
    """Result of :func:`uncertainty_budget` (all uncertainties in the unit of y)."""

    names: tuple
    standard_uncertainties: np.ndarray = field(repr=False)
    sensitivities: np.ndarray = field(repr=False)
    contributions: np.ndarray = field(repr=False)  # |c_i| u_i
    percent_contributions: np.ndarray = field(repr=False)
    combined_uncertainty: float
    effective_dof: float
    coverage_factor: float
    expanded_uncertainty: float
    coverage: float  # None when k was imposed

    def as_rows(self):
        """List of dicts (one per component), convenient for reports."""
        return [
            {
                "name": n,
                "standard_uncertainty": float(u),
                "sensitivity": float(c),
                "contribution": float(ci),
                "percent": float(p),
            }
            for n, u, c, ci, p in zip(
                self.names,
                self.standard_uncertainties,
                self.sensitivities,
                self.contributions,
                self.percent_contributions, strict=False,
            )
        ]


_ALIASES = {
    "u": "standard_uncertainty",
    "half-width": "half_width",
    "nu": "dof",
    "degrees_of_freedom": "dof",
    "c": "sensitivity",
}


def _as_component(item, i):
    if isinstance(item, Component):
        return item
    if isinstance(item, dict):
        data = {}
        for key, value in item.items():
            key = _ALIASES.get(key, key)
            if key in data:
                raise MetrologyInputError(f"components[{i}]: {key!r} given twice (alias)")
            data[key] = value
        data.setdefault("name", f"x{i + 1}")
        unknown = set(data) - set(Component.__dataclass_fields__)
        if unknown:
            raise MetrologyInputError(
                f"components[{i}]: unknown keys {sorted(unknown)} "
                f"(allowed: {sorted(Component.__dataclass_fields__)})"
            )
        return Component(**data)
    raise MetrologyInputError(
        f"components[{i}] must be a dict or Component, got {type(item).__name__}"
    )


def _coverage_k(coverage, dof, truncate):
    if math.isinf(dof):
        return float(stats.norm.ppf((1.0 + coverage) / 2.0))
    nu = math.floor(dof + 1e-9) if truncate else dof
    if nu < 1:
        nu = dof  # below one degree of freedom truncation would give nothing usable
    return float(stats.t.ppf((1.0 + coverage) / 2.0, nu))


def uncertainty_budget(
    components,
    *,
    sensitivities=None,
    correlation=None,
    coverage=0.95,
    coverage_factor=None,
    truncate_dof=True,
):
    """GUM uncertainty budget.

    ``components``: list of dicts or :class:`Component` (name,
    standard_uncertainty, dof, type, sensitivity, distribution, half_width, k).
    ``sensitivities`` overrides the components' sensitivity coefficients;
    ``correlation`` is an n x n correlation matrix.  ``coverage`` is the
    coverage probability used with the Student-t factor at nu_eff;
    ``coverage_factor`` imposes k (e.g. 2) instead.
    """
    if isinstance(components, (str, bytes, dict)) or not hasattr(components, "__iter__"):
        raise MetrologyInputError("components must be a list of dicts or Component objects")
    comps = [_as_component(c, i) for i, c in enumerate(components)]
    n = len(comps)
    if n == 0:
        raise MetrologyInputError("components must not be empty")
    names = tuple(c.name for c in comps)
    if len(set(names)) != n:
        raise MetrologyInputError(f"component names must be unique, got {list(names)}")
    u = np.array([c.standard_uncertainty for c in comps], dtype=float)
    nu = np.array([c.dof for c in comps], dtype=float)
    if sensitivities is None:
        c = np.array([cp.sensitivity for cp in comps], dtype=float)
    else:
        c = _finite_array(sensitivities, "sensitivities")
        if c.size != n:
            raise MetrologyInputError(f"sensitivities must have {n} entries, got {c.size}")
    if correlation is None:
        r = np.eye(n)
    else:
        r = _finite_array(correlation, "correlation", ndim=2)
        if r.shape != (n, n):
            raise MetrologyInputError(f"correlation must be {n} x {n}, got {r.shape}")
        if not np.allclose(r, r.T, atol=1e-12):
            raise MetrologyInputError("correlation must be symmetric")
        if not np.allclose(np.diag(r), 1.0, atol=1e-12):
            raise MetrologyInputError("correlation must have 1 on the diagonal")
        if np.any(np.abs(r) > 1.0 + 1e-12):
            raise MetrologyInputError("correlation coefficients must lie in [-1, 1]")
        if np.linalg.eigvalsh((r + r.T) / 2.0).min() < -1e-9:
            raise MetrologyInputError("correlation must be positive semi-definite")
    if coverage_factor is None:
        p = real(coverage, "coverage")
        if not 0.0 < p < 1.0:
            raise MetrologyInputError(f"coverage must lie in (0, 1), got {p!r}")
    else:
        k_fixed = real(coverage_factor, "coverage_factor", positive=True)
        p = None

    cu = c * u
    var = float(cu @ r @ cu)
    var = max(var, 0.0)
    uc = math.sqrt(var)
    if uc == 0.0:
        raise MetrologyInputError(
            "combined standard uncertainty is 0: every c_i * u_i is zero (check the inputs)"
        )
    # Welch-Satterthwaite on the uncorrelated part (documented convention).
    var_uncorr = float(np.sum(cu**2))
    finite = np.isfinite(nu) & (cu != 0.0)
    denom = float(np.sum(cu[finite] ** 4 / nu[finite]))
    nu_eff = math.inf if denom == 0.0 else var_uncorr**2 / denom
    k = k_fixed if p is None else _coverage_k(p, nu_eff, truncate_dof)
    share = cu * (r @ cu) / var * 100.0
    return Budget(
        names=names,
        standard_uncertainties=_readonly(u),
        sensitivities=_readonly(c),
        contributions=_readonly(np.abs(cu)),
        percent_contributions=_readonly(share),
        combined_uncertainty=uc,
        effective_dof=nu_eff,
        coverage_factor=k,
        expanded_uncertainty=k * uc,
        coverage=p,
    )


# ---------------------------------------------------------------------------
# Monte Carlo (GUM Supplement 1)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MonteCarloResult:
    """Result of :func:`monte_carlo`."""

    estimate: float
    standard_uncertainty: float
    coverage: float
    interval: tuple  # probabilistically symmetric coverage interval
    shortest_interval: tuple
    trials: int

    @property
    def expanded_uncertainty(self):
        """Half-width of the probabilistically symmetric interval."""
        return (self.interval[1] - self.interval[0]) / 2.0


def _sampler(name, spec, rng, m):
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return np.full(m, real(spec, f"inputs[{name!r}]"))
    if not isinstance(spec, (tuple, list)) or not spec or not isinstance(spec[0], str):
        raise MetrologyInputError(
            f"inputs[{name!r}] must be a tuple like ('normal', mean, sd), got {spec!r}"
        )
    kind = spec[0].lower()
    args = spec[1:]

    def need(count, label):
        if len(args) != count:
            raise MetrologyInputError(
                f"inputs[{name!r}]: {kind!r} takes {label}, got {len(args)} parameters"
            )
        return [real(a, f"inputs[{name!r}] parameter {j + 1}") for j, a in enumerate(args)]

    if kind in ("normal", "gaussian"):
        mean, sd = need(2, "(mean, sd)")
        if sd < 0:
            raise MetrologyInputError(f"inputs[{name!r}]: sd must be >= 0, got {sd!r}")
        return rng.normal(mean, sd, m) if sd > 0 else np.full(m, mean)
    if kind in ("rectangular", "uniform"):
        a, b = need(2, "(a, b)")
        if not a < b:
            raise MetrologyInputError(f"inputs[{name!r}]: need a < b, got a={a!r}, b={b!r}")
        return rng.uniform(a, b, m)
    if kind == "triangular":
        if len(args) == 3:
            a, b, mode = need(3, "(a, b[, mode])")
        else:
            a, b = need(2, "(a, b[, mode])")
            mode = (a + b) / 2.0
        if not a < b or not a <= mode <= b:
            raise MetrologyInputError(
                f"inputs[{name!r}]: need a < b and a <= mode <= b, got {a!r}, {b!r}, {mode!r}"
            )
        return rng.triangular(a, mode, b, m)
    if kind in ("arcsine", "u-shaped"):
        a, b = need(2, "(a, b)")
        if not a < b:
            raise MetrologyInputError(f"inputs[{name!r}]: need a < b, got a={a!r}, b={b!r}")
        return (a + b) / 2.0 + (b - a) / 2.0 * np.sin(2.0 * np.pi * rng.uniform(size=m))
    if kind in ("t", "student", "student-t"):
        mean, scale, dof = need(3, "(mean, scale, dof)")
        if scale < 0 or dof <= 0:
            raise MetrologyInputError(
                f"inputs[{name!r}]: need scale >= 0 and dof > 0, got scale={scale!r}, dof={dof!r}"
            )
        return mean + scale * rng.standard_t(dof, m)
    if kind == "constant":
        (value,) = need(1, "(value,)")
        return np.full(m, value)
    raise MetrologyInputError(
        f"inputs[{name!r}]: unknown distribution {spec[0]!r} (normal, rectangular, uniform, "
        "triangular, arcsine, t, constant)"
    )


def monte_carlo(model, inputs, *, trials=10**6, coverage=0.95, seed=None):
    """Propagate distributions through ``model`` (GUM Supplement 1).

    ``inputs`` maps each argument name of ``model`` to a distribution:
    ``("normal", mean, sd)``, ``("rectangular", a, b)``, ``("triangular", a, b)``
    (symmetric, or ``("triangular", a, b, mode)``), ``("arcsine", a, b)``,
    ``("t", mean, scale, dof)`` (scaled and shifted Student t, GUM-S1 6.4.9),
    ``("constant", value)`` or a plain number.  ``model`` is called once with
    numpy arrays as keyword arguments and must return an array of ``trials``
    finite values (or something broadcastable to it).
    """
    if not callable(model):
        raise MetrologyInputError("model must be callable")
    if not isinstance(inputs, dict) or not inputs:
        raise MetrologyInputError("inputs must be a non-empty dict name -> distribution")
    if isinstance(trials, bool) or not isinstance(trials, numbers.Integral):
        raise MetrologyInputError(f"trials must be an integer, got {trials!r}")
    p = real(coverage, "coverage")
    if not 0.0 < p < 1.0:
        raise MetrologyInputError(f"coverage must lie in (0, 1), got {p!r}")
    m = int(trials)
    minimum = max(100, math.ceil(10.0 / (1.0 - p)))
    if m < minimum:
        raise MetrologyInputError(
            f"trials must be >= {minimum} for coverage {p:g} (GUM-S1 recommends >= 1e6), got {m}"
        )
    rng = np.random.default_rng(seed)
    samples = {}
    for name, spec in inputs.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise MetrologyInputError(f"input names must be identifiers, got {name!r}")
        samples[name] = _sampler(name, spec, rng, m)
    with np.errstate(all="ignore"):
        y = np.asarray(model(**samples), dtype=float)
    try:
        y = np.broadcast_to(y, (m,)).copy()
    except ValueError:
        raise MetrologyInputError(
            f"model must return {m} values (one per trial), got shape {y.shape}"
        ) from None
    if not np.all(np.isfinite(y)):
        raise MetrologyInputError(
            f"model returned {int(np.sum(~np.isfinite(y)))} non-finite values out of {m} trials"
        )
    y.sort()
    q = int(p * m + 0.5)  # GUM-S1 7.7.1
    q = min(max(q, 1), m - 1)
    r = int((m - q) / 2.0 + 0.5)  # 1-based lower index, symmetric interval
    r = min(max(r, 1), m - q)
    sym = (float(y[r - 1]), float(y[r + q - 1]))
    widths = y[q:] - y[: m - q]  # y_(r+q) - y_(r), r = 1 .. m - q
    rs = int(np.argmin(widths))
    shortest = (float(y[rs]), float(y[rs + q]))
    return MonteCarloResult(
        estimate=float(np.mean(y)),
        standard_uncertainty=float(np.std(y, ddof=1)),
        coverage=p,
        interval=sym,
        shortest_interval=shortest,
        trials=m,
    )
