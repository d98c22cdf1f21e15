"""Pre-control zones worked out by hand."""

import pytest

from spc import SpcInputError
from spc.precontrol import classify, zones


def test_bilateral_zones_are_the_middle_half():
    # Ø20 h7: 19.979 - 20.000, width 0.021, quarter 0.00525
    zone = zones(lower=19.979, upper=20.0)
    assert zone.warn_lower == pytest.approx(19.98425)
    assert zone.warn_upper == pytest.approx(19.99475)
    verdicts = classify([19.990, 19.996, 19.980, 20.001, 19.978], zone)
    assert list(verdicts) == ["ok", "warning", "warning", "nok", "nok"]


def test_upper_only_green_to_half_the_limit():
    zone = zones(upper=0.8)  # Ra 0.8
    assert list(classify([0.3, 0.5, 0.81], zone)) == ["ok", "warning", "nok"]


def test_lower_only_uses_the_nominal():
    zone = zones(lower=58.0, nominal=60.0)  # hardness >= 58, aim 60
    assert zone.warn_lower == 59.0
    assert list(classify([60.5, 58.5, 57.9], zone)) == ["ok", "warning", "nok"]
    assert zones(lower=58.0).warn_lower is None


def test_bad_input():
    with pytest.raises(SpcInputError, match="lower"):
        zones(lower=2.0, upper=1.0)
    with pytest.raises(SpcInputError, match="at least one limit"):
        zones()
    with pytest.raises(SpcInputError, match="finite"):
        classify([float("nan")], zones(upper=1.0))
