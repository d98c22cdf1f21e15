"""Errors raised by the statistics engine, and the check of a single number."""

import math


class SpcInputError(ValueError):
    """Bad input to an SPC / capability / MSA / sampling function.

    The message names the argument and the limit that was broken.
    """


def finite_number(name, value):
    """``value`` as a float; SpcInputError naming ``name`` when it is not a
    number or not finite."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SpcInputError(f"{name}: must be a number, got {value!r}") from None
    if not math.isfinite(v):
        raise SpcInputError(f"{name}: must be finite, got {value!r}")
    return v


def whole_number(name, value, minimum, maximum=None):
    """``value`` as an int from ``minimum`` (to ``maximum``); SpcInputError
    naming ``name`` for anything else (bools, fractions, NaN, text)."""
    integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not integral:
        raise SpcInputError(f"{name}: must be a whole number, got {value!r}")
    v = int(value)
    if v < minimum or (maximum is not None and v > maximum):
        upper = f" to {maximum}" if maximum is not None else " or more"
        raise SpcInputError(f"{name}: must be from {minimum}{upper}, got {v}")
    return v


def one_of(name, value, allowed):
    """``value`` if it is one of ``allowed``; SpcInputError naming ``name``."""
    if not isinstance(value, str) or value not in allowed:
        raise SpcInputError(f"{name}: must be one of {', '.join(allowed)}, got {value!r}")
    return value
