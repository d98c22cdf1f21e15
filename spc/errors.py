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
