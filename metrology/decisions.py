"""Conformity decision rules (ISO 14253-1:2017, ILAC-G8:09/2019).

``decision(value, lsl=..., usl=..., expanded_uncertainty=U, rule=...)``
classifies one measured value or an array of values as "conform",
"nonconform" or "inconclusive".

Rules
-----
``"simple"``
    Simple acceptance (ILAC-G8 4.2.1, guard band w = 0): conform when
    lsl <= value <= usl, otherwise nonconform.  U is accepted (and validated)
    but does not move the limits; it never yields "inconclusive".
``"guarded"``
    Guard band w (default w = U; any ``guard_band`` >= 0 may be given, e.g.
    0.5 * U or a value from a risk analysis).  Acceptance limits are
    [lsl + w, usl - w], rejection limits [lsl - w, usl + w]: conform when inside
    the acceptance limits (inclusive), nonconform when strictly outside the
    rejection limits, inconclusive in between.
``"iso14253"``
    ISO 14253-1: conformity is proven when the value lies in the specification
    zone reduced by U on each side; non-conformity is proven when it lies
    outside the specification zone enlarged by U; in between the result is
    inconclusive.  Same arithmetic as "guarded" with w = U, and no other guard
    band is allowed.

A missing limit (lsl or usl None) means a one-sided specification.  Limits are
compared with a relative tolerance of 1e-12 so that a value lying exactly on a
limit (in decimal) is treated as lying on it despite binary rounding.  When the
guard band exceeds half the tolerance, the acceptance zone is empty and no value
can be shown to conform.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .errors import MetrologyInputError

__all__ = ["Decision", "decision", "RULES", "CONFORM", "NONCONFORM", "INCONCLUSIVE"]

CONFORM = "conform"
NONCONFORM = "nonconform"
INCONCLUSIVE = "inconclusive"
RULES = ("simple", "guarded", "iso14253")


@dataclass(frozen=True)
class Decision:
    """Verdict(s) of :func:`decision`.

    ``verdict`` is a str for a scalar value and a read-only numpy array of str
    for an array of values.  Limits are (lower, upper) with None for an absent
    side.
    """

    verdict: object
    rule: str
    lsl: float
    usl: float
    expanded_uncertainty: float
    guard_band: float
    acceptance_limits: tuple
    rejection_limits: tuple

    @property
    def counts(self):
        """Number of values per verdict."""
        v = np.atleast_1d(np.asarray(self.verdict))
        return {name: int(np.sum(v == name)) for name in (CONFORM, NONCONFORM, INCONCLUSIVE)}


def _limit(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MetrologyInputError(f"{name} must be a real number or None, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise MetrologyInputError(f"{name} must be finite, got {v!r}")
    return v


def _nonneg(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MetrologyInputError(f"{name} must be a real number >= 0, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise MetrologyInputError(f"{name} must be finite and >= 0, got {v!r}")
    return v


def decision(
    value, *, lsl=None, usl=None, expanded_uncertainty=0.0, rule="simple", guard_band=None
):
    """Conformity decision for measured ``value`` (scalar or array-like)."""
    if rule not in RULES:
        raise MetrologyInputError(f"rule must be one of {RULES}, got {rule!r}")
    lo = _limit(lsl, "lsl")
    hi = _limit(usl, "usl")
    if lo is None and hi is None:
        raise MetrologyInputError("at least one of lsl and usl must be given")
    if lo is not None and hi is not None and not lo < hi:
        raise MetrologyInputError(f"lsl must be < usl, got lsl={lo!r}, usl={hi!r}")
    u = _nonneg(expanded_uncertainty, "expanded_uncertainty")
    if rule == "simple":
        if guard_band is not None:
            raise MetrologyInputError("guard_band applies only to rule='guarded'")
        w = 0.0
    elif rule == "iso14253":
        if guard_band is not None:
            raise MetrologyInputError(
                "rule='iso14253' always uses the expanded uncertainty; use rule='guarded' for "
                "another guard_band"
            )
        w = u
    else:
        w = u if guard_band is None else _nonneg(guard_band, "guard_band")

    try:
        scalar = np.ndim(value) == 0  # raises on ragged nested lists
        x = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise MetrologyInputError(f"value must be numeric, got {value!r}") from None
    if isinstance(value, bool) or x.dtype == bool:
        raise MetrologyInputError("value must be numeric, not boolean")
    if x.size == 0:
        raise MetrologyInputError("value must not be empty")
    if not np.all(np.isfinite(x)):
        raise MetrologyInputError("value must contain only finite numbers (no NaN/inf)")

    acc_lo = None if lo is None else lo + w
    acc_hi = None if hi is None else hi - w
    rej_lo = None if lo is None else lo - w
    rej_hi = None if hi is None else hi + w

    # A relative tolerance of 1e-12 absorbs binary representation error of the
    # limits (e.g. 10.05 - 0.01 = 10.040000000000001) without moving them materially.
    scale = max(abs(v) for v in (lo, hi, w) if v is not None)
    eps = 1e-12 * max(scale, 1e-300)
    conform = np.ones(x.shape, dtype=bool)
    if acc_lo is not None:
        conform &= x >= acc_lo - eps
    if acc_hi is not None:
        conform &= x <= acc_hi + eps
    nonconform = np.zeros(x.shape, dtype=bool)
    if rej_lo is not None:
        nonconform |= x < rej_lo - eps
    if rej_hi is not None:
        nonconform |= x > rej_hi + eps
    verdict = np.full(x.shape, INCONCLUSIVE, dtype="<U12")
    verdict[conform] = CONFORM
    verdict[nonconform] = NONCONFORM
    if scalar:
        out = str(verdict[()])
    else:
        verdict.setflags(write=False)
        out = verdict
    return Decision(
        verdict=out,
        rule=rule,
        lsl=lo,
        usl=hi,
        expanded_uncertainty=u,
        guard_band=w,
        acceptance_limits=(acc_lo, acc_hi),
        rejection_limits=(rej_lo, rej_hi),
    )
