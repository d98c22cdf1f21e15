"""Capability-driven control frequency.

A characteristic controlled in "capability" mode has a reference interval
(pieces between two checks when the process is just capable) and its latest
valid Cpk. The interval follows the Cpk band; a critical characteristic is
held one band stricter; a drift or a failed check sends it straight to every
piece, and it relaxes one band at a time, each step only after a documented
number of conforming subgroups.
"""

import math
import numbers
from dataclasses import dataclass

from .errors import SpcInputError, finite_number, one_of, whole_number

CRITICALITIES = ("critical", "major", "minor")

# (lowest Cpk of the band, interval factor applied to the reference interval).
# Factor 0 means "every piece".
BANDS = (
    (None, 0.0),  # no valid study yet, or Cpk < 1.00: every piece
    (1.00, 0.25),
    (1.33, 0.5),
    (1.67, 1.0),
    (2.00, 2.0),
)


@dataclass(frozen=True)
class FrequencyDecision:
    band: int
    interval: int
    reason: str


def band_of(cpk, *, criticality="major"):
    """Index in BANDS for a Cpk (None: no valid study)."""
    one_of("criticality", criticality, CRITICALITIES)
    if cpk is None:
        return 0
    if isinstance(cpk, bool) or not isinstance(cpk, numbers.Real) or not math.isfinite(cpk):
        raise SpcInputError(f"cpk must be a finite number, got {cpk!r}")
    band = 0
    for index, (low, _factor) in enumerate(BANDS):
        if low is not None and cpk >= low:
            band = index
    if criticality == "critical":
        band = max(band - 1, 0)
    return band


def interval_for_band(band, reference_interval):
    band = whole_number("band", band, 0, len(BANDS) - 1)
    reference_interval = finite_number("reference_interval", reference_interval)
    if reference_interval < 1:
        raise SpcInputError(
            f"reference_interval must be at least 1 piece, got {reference_interval}"
        )
    factor = BANDS[band][1]
    if factor == 0.0:
        return 1
    return max(1, int(reference_interval * factor))


def capability_interval(
    cpk,
    reference_interval,
    *,
    criticality="major",
    tightened_band=None,
    conforming_subgroups=0,
    relax_after=5,
):
    """Interval (pieces between checks) for a capability-driven characteristic.

    ``tightened_band`` is the band the characteristic was sent to by a drift
    or a failed check (0 = every piece), ``conforming_subgroups`` how many
    conforming subgroups were recorded since; it climbs back one band per
    ``relax_after`` conforming subgroups, never above the Cpk band.
    """
    relax_after = whole_number("relax_after", relax_after, 1)
    conforming_subgroups = whole_number("conforming_subgroups", conforming_subgroups, 0)
    if tightened_band is not None:
        tightened_band = whole_number("tightened_band", tightened_band, 0, len(BANDS) - 1)
    cpk_band = band_of(cpk, criticality=criticality)
    if tightened_band is None or tightened_band >= cpk_band:
        band, reason = cpk_band, "cpk"
    else:
        band = min(cpk_band, tightened_band + conforming_subgroups // relax_after)
        reason = "cpk" if band == cpk_band else "tightened"
    return FrequencyDecision(
        band=band, interval=interval_for_band(band, reference_interval), reason=reason
    )
