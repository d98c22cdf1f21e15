"""Rounding a reading to the resolution of the instrument that gave it.

``round_to_resolution(value, resolution)`` rounds to the nearest multiple of
the resolution (the digit step of a micrometer, a caliper, a dial gauge), ties
to the even multiple: rule B of ISO 80000-1:2009 annex B (the rule of
IEC 60559 and of the GUM's worked examples), which does not bias a series of
readings upwards as "round half up" does.
"""

import decimal
from decimal import ROUND_HALF_EVEN, Decimal

from .errors import real

__all__ = ["round_to_resolution"]

# Enough digits for the quotient of any two finite floats (about 630 digits
# from 1.8e308 / 5e-324): the division and the rounding are exact.
_PRECISION = 700


def round_to_resolution(value, resolution):
    """Round ``value`` to the nearest multiple of ``resolution``, ties to the
    even multiple (ISO 80000-1 annex B, rule B).

    Computed in decimal on the shortest representation of both floats, so
    20.0125 at 0.001 is an exact tie (20.012) and not 20.012499999... as in
    binary floating point.

    ``resolution`` None or 0 means no resolution: ``value`` is returned as it
    is. Returns ``(rounded, changed)``; ``changed`` is False when ``value`` was
    already a multiple of the resolution (or when there is no resolution).
    Raises MetrologyInputError for a value that is not a finite real number or
    a resolution that is not a finite real number >= 0.
    """
    value = real(value, "value")
    if resolution is None:
        return value, False
    resolution = real(resolution, "resolution", nonneg=True)
    if resolution == 0:
        return value, False
    exact = Decimal(repr(value))
    step = Decimal(repr(resolution))
    with decimal.localcontext() as context:
        context.prec = _PRECISION
        multiple = (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        rounded = multiple * step
    return float(rounded), rounded != exact
