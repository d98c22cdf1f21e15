"""Pre-control zones (Shainin): the instant verdict of a shop-floor reading.

Green is the middle half of the tolerance, amber the outer quarters, red is
outside the limits. With an upper limit only (run-out, roughness: zero is
ideal) green runs up to half the limit; with a lower limit only, amber is the
lower half of the distance from the limit to the nominal (none without one).
"""

from dataclasses import dataclass

import numpy as np

from .errors import SpcInputError, finite_number


@dataclass(frozen=True)
class Zones:
    lower: float | None
    upper: float | None
    warn_lower: float | None
    warn_upper: float | None


def zones(*, lower=None, upper=None, nominal=None):
    lower, upper, nominal = (
        None if value is None else finite_number(name, value)
        for name, value in (("lower", lower), ("upper", upper), ("nominal", nominal))
    )
    if lower is None and upper is None:
        raise SpcInputError("lower and upper: at least one limit is needed")
    if lower is not None and upper is not None:
        if not lower < upper:
            raise SpcInputError(f"lower ({lower}) must be below upper ({upper})")
        quarter = (upper - lower) / 4.0
        return Zones(lower, upper, lower + quarter, upper - quarter)
    if upper is not None:
        return Zones(None, upper, None, upper / 2.0 if upper > 0 else None)
    if nominal is not None and nominal > lower:
        return Zones(lower, None, lower + (nominal - lower) / 2.0, None)
    return Zones(lower, None, None, None)


def classify(values, zone):
    """'ok', 'warning' or 'nok' for each value (array in, array of str out)."""
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError(f"values must be numbers, got {values!r:.60}") from None
    if not np.all(np.isfinite(values)):
        raise SpcInputError("values must be finite numbers")
    verdict = np.full(values.shape, "ok", dtype=object)
    if zone.warn_lower is not None:
        verdict[values < zone.warn_lower] = "warning"
    if zone.warn_upper is not None:
        verdict[values > zone.warn_upper] = "warning"
    if zone.lower is not None:
        verdict[values < zone.lower] = "nok"
    if zone.upper is not None:
        verdict[values > zone.upper] = "nok"
    return verdict
