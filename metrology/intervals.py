"""Calibration interval adjustment (ILAC-G24:2022 / OIML D 10).

``staircase``
    Method 1 of ILAC-G24 / OIML D 10, "automatic adjustment or staircase":
    after each calibration the next interval is lengthened when the instrument
    was found in tolerance and shortened when it was not, within
    [min_interval, max_interval].  Factors: new = old * (1 + increase) when in
    tolerance, new = old * (1 - decrease) when out of tolerance (defaults
    +20 % / -50 %, i.e. halve the interval after a failure).

``reliability_target``
    Drift-model method: fits a straight line to the as-found errors against time
    since the previous calibration (ordinary least squares, with intercept by
    default or through the origin), and predicts the error at time t as a
    Student-t variable with n - p degrees of freedom, mean a + b t and the
    prediction variance s^2 (1 + x0' (X'X)^-1 x0).  The reliability
    R(t) = P(lower tolerance <= error(t) <= upper tolerance) is evaluated and the
    returned interval is the first t > 0 at which R(t) falls to the target.

Intervals are in whatever time unit the caller uses (days, months ...).
"""

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats

from .errors import MetrologyInputError, real

__all__ = ["StaircaseResult", "ReliabilityResult", "staircase", "reliability_target"]


def _positive(value, name, *, allow_zero=False):
    return real(value, name, positive=not allow_zero, nonneg=allow_zero)


@dataclass(frozen=True)
class StaircaseResult:
    """Result of :func:`staircase`.

    ``intervals`` starts with the initial interval and has one more entry per
    calibration of the history; ``next_interval`` is its last entry.
    """

    next_interval: float
    intervals: tuple
    in_tolerance: tuple
    n_in_tolerance: int
    n_out_of_tolerance: int

    @property
    def observed_reliability(self):
        """Fraction of calibrations found in tolerance."""
        return self.n_in_tolerance / len(self.in_tolerance)


def staircase(
    interval, as_found_in_tolerance, *, increase=0.2, decrease=0.5, min_interval, max_interval
):
    """Staircase (automatic) interval adjustment over a calibration history.

    ``as_found_in_tolerance`` is one bool or a sequence of bools, oldest first.
    """
    lo = _positive(min_interval, "min_interval")
    hi = _positive(max_interval, "max_interval")
    if lo > hi:
        raise MetrologyInputError(f"min_interval must be <= max_interval, got {lo!r} > {hi!r}")
    start = _positive(interval, "interval")
    if not lo <= start <= hi:
        raise MetrologyInputError(
            f"interval {start!r} must lie within [min_interval, max_interval] = [{lo!r}, {hi!r}]"
        )
    inc = _positive(increase, "increase", allow_zero=True)
    dec = _positive(decrease, "decrease", allow_zero=True)
    if dec >= 1.0:
        raise MetrologyInputError(f"decrease must be a fraction < 1, got {dec!r}")
    if isinstance(as_found_in_tolerance, (bool, np.bool_)):
        history = [bool(as_found_in_tolerance)]
    else:
        if isinstance(as_found_in_tolerance, (str, bytes)) or not hasattr(
            as_found_in_tolerance, "__iter__"
        ):
            raise MetrologyInputError("as_found_in_tolerance must be a bool or a sequence of bools")
        history = []
        for i, item in enumerate(as_found_in_tolerance):
            if isinstance(item, (bool, np.bool_)):
                history.append(bool(item))
            elif isinstance(item, numbers.Integral) and item in (0, 1):
                history.append(bool(item))
            else:
                raise MetrologyInputError(
                    f"as_found_in_tolerance[{i}] must be True/False, got {item!r}"
                )
    if not history:
        raise MetrologyInputError("as_found_in_tolerance must not be empty")
    intervals = [start]
    current = start
    for ok in history:
        current = current * (1.0 + inc) if ok else current * (1.0 - dec)
        current = min(max(current, lo), hi)
        intervals.append(current)
    n_ok = sum(history)
    return StaircaseResult(
        next_interval=current,
        intervals=tuple(intervals),
        in_tolerance=tuple(history),
        n_in_tolerance=n_ok,
        n_out_of_tolerance=len(history) - n_ok,
    )


@dataclass(frozen=True)
class ReliabilityResult:
    """Result of :func:`reliability_target`.

    ``interval`` is math.inf when the predicted reliability never falls to the
    target (no significant drift within 1000 times the observed time span).
    """

    interval: float
    drift_rate: float
    intercept: float
    residual_sd: float
    dof: int
    n: int
    target_reliability: float
    reliability_at_zero: float
    tolerance: tuple
    through_origin: bool
    _model: tuple = field(default=None, repr=False, compare=False)

    def reliability(self, t):
        """Predicted probability of being in tolerance at time ``t`` (scalar or array)."""
        return _reliability_fn(self._model)(t)


def _reliability_fn(model):
    a, b, s, dof, xtx_inv, through_origin, lo, hi = model

    def r(t):
        t = np.asarray(t, dtype=float)
        mean = a + b * t
        if through_origin:
            lever = t * t * xtx_inv[0, 0]
        else:
            lever = xtx_inv[0, 0] + 2.0 * t * xtx_inv[0, 1] + t * t * xtx_inv[1, 1]
        if s == 0.0:
            return ((mean >= lo) & (mean <= hi)).astype(float)
        sd = s * np.sqrt(1.0 + lever)
        return stats.t.cdf((hi - mean) / sd, dof) - stats.t.cdf((lo - mean) / sd, dof)

    return r


def reliability_target(times, drifts, *, tolerance, target_reliability=0.95, through_origin=False):
    """Interval at which the predicted in-tolerance probability falls to the target.

    ``times``: time since the previous calibration of each as-found result;
    ``drifts``: the as-found errors (same unit as the tolerance);
    ``tolerance``: T for a symmetric +/-T, or (lower, upper) with lower < 0 < upper.
    """
    t = _array(times, "times")
    e = _array(drifts, "drifts")
    if t.size != e.size:
        raise MetrologyInputError(
            f"times and drifts must have the same length, got {t.size} and {e.size}"
        )
    if np.any(t < 0):
        raise MetrologyInputError("times must be >= 0 (time since the previous calibration)")
    p = 1 if through_origin else 2
    if t.size < p + 1:
        raise MetrologyInputError(
            f"times/drifts need at least {p + 1} points for a drift fit with "
            f"{'no ' if through_origin else ''}intercept, got {t.size}"
        )
    if isinstance(tolerance, (tuple, list)):
        if len(tolerance) != 2:
            raise MetrologyInputError(f"tolerance must be T or (lower, upper), got {tolerance!r}")
        lo = real(tolerance[0], "tolerance lower")
        hi = real(tolerance[1], "tolerance upper")
        if not lo < 0.0 < hi:
            raise MetrologyInputError(
                f"tolerance (lower, upper) must satisfy lower < 0 < upper, got ({lo!r}, {hi!r})"
            )
    else:
        tol = _positive(tolerance, "tolerance")
        lo, hi = -tol, tol
    target = real(target_reliability, "target_reliability")
    if not 0.0 < target < 1.0:
        raise MetrologyInputError(f"target_reliability must lie in (0, 1), got {target!r}")

    x = t[:, None] if through_origin else np.column_stack([np.ones_like(t), t])
    xtx = x.T @ x
    if np.linalg.matrix_rank(xtx) < p or (not through_origin and np.ptp(t) == 0):
        raise MetrologyInputError("times must not all be equal (no drift can be fitted)")
    xtx_inv = np.linalg.inv(xtx)
    beta = xtx_inv @ x.T @ e
    resid = e - x @ beta
    dof = t.size - p
    s = math.sqrt(float(resid @ resid) / dof)
    if s <= 1e-12 * max(1.0, float(np.max(np.abs(e)))):
        s = 0.0
    a, b = (0.0, float(beta[0])) if through_origin else (float(beta[0]), float(beta[1]))
    model = (a, b, s, dof, xtx_inv, through_origin, lo, hi)
    r = _reliability_fn(model)
    r0 = float(r(0.0))
    if r0 <= target:
        raise MetrologyInputError(
            f"predicted reliability just after calibration is {r0:.4f}, not above "
            f"target_reliability {target!r}: tolerance too tight for the observed scatter"
        )

    if s == 0.0:
        if b > 0:
            interval = (hi - a) / b
        elif b < 0:
            interval = (lo - a) / b
        else:
            interval = math.inf
    else:
        span = float(np.max(t)) if np.max(t) > 0 else 1.0
        horizon = 1000.0 * span
        grid = np.concatenate([[0.0], np.geomspace(span * 1e-6, horizon, 4000)])
        below = np.nonzero(r(grid) <= target)[0]
        if below.size == 0:
            interval = math.inf
        else:
            j = int(below[0])
            interval = float(
                optimize.brentq(
                    lambda z: float(r(z)) - target,
                    grid[j - 1],
                    grid[j],
                    xtol=1e-12 * horizon,
                    rtol=1e-12,
                )
            )
    result = ReliabilityResult(
        interval=float(interval),
        drift_rate=b,
        intercept=a,
        residual_sd=s,
        dof=dof,
        n=int(t.size),
        target_reliability=target,
        reliability_at_zero=r0,
        tolerance=(lo, hi),
        through_origin=bool(through_origin),
        _model=model,
    )
    return result


def _array(values, name):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise MetrologyInputError(f"{name} must be a sequence of numbers") from None
    if arr.ndim != 1:
        raise MetrologyInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise MetrologyInputError(f"{name} must not be empty")
    if not np.all(np.isfinite(arr)):
        raise MetrologyInputError(f"{name} must contain only finite values (no NaN/inf)")
    return arr
