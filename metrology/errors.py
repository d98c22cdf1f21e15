"""Errors raised by the metrology engine, and the check of a single real number."""

import math
import numbers


class MetrologyInputError(ValueError):
    """Bad input to a metrology function (fits, uncertainty, decisions, intervals).

    The message names the argument and the limit that was broken.
    """


def real(value, name, *, positive=False, nonneg=False, allow_inf=False):
    """``value`` as a float, finite (``allow_inf``: +inf accepted), optionally
    > 0 or >= 0; MetrologyInputError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MetrologyInputError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not (allow_inf and v > 0)):
        raise MetrologyInputError(f"{name} must be finite, got {v!r}")
    if positive and not v > 0:
        raise MetrologyInputError(f"{name} must be > 0, got {v!r}")
    if nonneg and not v >= 0:
        raise MetrologyInputError(f"{name} must be >= 0, got {v!r}")
    return v
