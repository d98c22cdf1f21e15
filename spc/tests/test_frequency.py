"""Capability-driven frequency: bands worked out by hand from the README table."""

import pytest

from spc import SpcInputError
from spc.frequency import band_of, capability_interval


@pytest.mark.parametrize(
    ("cpk", "expected_interval"),
    [(None, 1), (0.9, 1), (1.0, 5), (1.2, 5), (1.33, 10), (1.5, 10), (1.67, 20), (2.5, 40)],
)
def test_interval_follows_cpk_band_for_reference_20(cpk, expected_interval):
    assert capability_interval(cpk, 20).interval == expected_interval


def test_critical_characteristic_is_held_one_band_stricter():
    assert capability_interval(1.7, 20, criticality="major").interval == 20
    assert capability_interval(1.7, 20, criticality="critical").interval == 10
    assert band_of(0.5, criticality="critical") == 0


def test_drift_sends_to_every_piece_and_relaxes_one_band_per_five_subgroups():
    # Cpk 2.1 -> band 4 (every 40 with reference 20); a drift sends it to band 0.
    steps = [
        capability_interval(2.1, 20, tightened_band=0, conforming_subgroups=n).interval
        for n in (0, 4, 5, 9, 10, 15, 20, 40)
    ]
    assert steps == [1, 1, 5, 5, 10, 20, 40, 40]


def test_bad_input_names_the_argument():
    with pytest.raises(SpcInputError, match="reference_interval"):
        capability_interval(1.5, 0)
    with pytest.raises(SpcInputError, match="cpk"):
        capability_interval(float("nan"), 10)
    with pytest.raises(SpcInputError, match="relax_after"):
        capability_interval(1.5, 10, relax_after=0)
