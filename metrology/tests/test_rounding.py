"""Rounding a reading to the resolution of its instrument, ties to even
(ISO 80000-1:2009 annex B, rule B). Every expected value is worked out by hand
in the comment next to it: value / resolution, the nearest integer (the even
one on a tie), times the resolution."""

import pytest

from metrology import MetrologyInputError, round_to_resolution

HAND_WORKED = [
    # micrometer, 0.001 mm: 20.0125 / 0.001 = 20012.5, a tie: 20012 (even) -> 20.012
    (20.0125, 0.001, 20.012),
    # 20013.5, a tie: 20014 (even) -> 20.014 (upwards this time)
    (20.0135, 0.001, 20.014),
    # not ties: 20012.6 -> 20013; 20012.4 -> 20012
    (20.0126, 0.001, 20.013),
    (20.0124, 0.001, 20.012),
    # caliper, 0.01 mm: 1234.5 -> 1234 (even) -> 12.34; 1235.5 -> 1236 -> 12.36
    (12.345, 0.01, 12.34),
    (12.355, 0.01, 12.36),
    # a step of 0.002: 10.003 / 0.002 = 5001.5 -> 5002 (even) -> 10.004;
    # 10.005 / 0.002 = 5002.5 -> 5002 (even) -> 10.004
    (10.003, 0.002, 10.004),
    (10.005, 0.002, 10.004),
    # a step of 0.005 (dial gauge): 3.0125 / 0.005 = 602.5 -> 602 -> 3.010;
    # 3.0175 / 0.005 = 603.5 -> 604 -> 3.020
    (3.0125, 0.005, 3.010),
    (3.0175, 0.005, 3.020),
    # negative readings (a deviation from a setting master): -0.0125 / 0.001 =
    # -12.5, a tie: -12 (even) -> -0.012; -0.0135 -> -13.5 -> -14 -> -0.014
    (-0.0125, 0.001, -0.012),
    (-0.0135, 0.001, -0.014),
    # a resolution coarser than 1: 1234 / 5 = 246.8 -> 247 -> 1235;
    # 1237.5 / 5 = 247.5 -> 248 (even) -> 1240
    (1234.0, 5.0, 1235.0),
    (1237.5, 5.0, 1240.0),
]


@pytest.mark.parametrize(("value", "resolution", "expected"), HAND_WORKED)
def test_hand_worked_roundings(value, resolution, expected):
    rounded, changed = round_to_resolution(value, resolution)
    assert rounded == expected
    assert changed is True


def test_the_tie_is_decided_on_the_written_decimal_not_the_binary_float():
    # 0.0125 is stored as 0.01250000000000000069..., just above the tie: binary
    # rounding (Python's round(0.0125, 3)) gives 0.013; the written reading is
    # a tie, 12.5 -> 12 (even) -> 0.012.
    assert round_to_resolution(0.0125, 0.001) == (0.012, True)
    # 2.675 is stored as 2.67499999999999982..., just below the tie: binary
    # rounding gives 2.67; the written reading is a tie, 267.5 -> 268 (even).
    assert round_to_resolution(2.675, 0.01) == (2.68, True)


@pytest.mark.parametrize(
    ("value", "resolution"),
    [(20.012, 0.001), (12.34, 0.01), (10.004, 0.002), (0.0, 0.001), (1235.0, 5.0)],
)
def test_a_value_already_on_the_resolution_is_unchanged(value, resolution):
    assert round_to_resolution(value, resolution) == (value, False)


@pytest.mark.parametrize("resolution", [0, 0.0, None])
def test_no_resolution_leaves_the_value(resolution):
    assert round_to_resolution(20.0125, resolution) == (20.0125, False)


def test_extreme_magnitudes_are_exact():
    # 1e20 / 1e-10 = 1e30: 31 digits, beyond the default decimal precision (28).
    assert round_to_resolution(1e20, 1e-10) == (1e20, False)
    assert round_to_resolution(1.5e-9, 1e-9) == (2e-9, True)  # 1.5 -> 2 (even)


@pytest.mark.parametrize(
    ("value", "resolution", "argument"),
    [
        (float("nan"), 0.001, "value"),
        (float("inf"), 0.001, "value"),
        ("20.0", 0.001, "value"),
        (True, 0.001, "value"),
        (20.0, -0.001, "resolution"),
        (20.0, float("nan"), "resolution"),
        (20.0, float("inf"), "resolution"),
        (20.0, "0.001", "resolution"),
    ],
)
def test_bad_input_names_the_argument(value, resolution, argument):
    with pytest.raises(MetrologyInputError, match=argument):
        round_to_resolution(value, resolution)
