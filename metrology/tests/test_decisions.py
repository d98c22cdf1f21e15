"""Conformity decision rules, hand-worked cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrology import MetrologyInputError, decision

# Specification 10.00 +/- 0.05 (lsl 9.95, usl 10.05), U = 0.01.
SPEC = {"lsl": 9.95, "usl": 10.05}


@pytest.mark.parametrize(
    "value,expected",
    [
        (10.00, "conform"),
        (9.95, "conform"),
        (10.05, "conform"),
        (10.0501, "nonconform"),
        (9.9499, "nonconform"),
        (10.045, "conform"),
    ],
)
def test_simple_acceptance(value, expected):
    d = decision(value, **SPEC, expanded_uncertainty=0.01)
    assert d.verdict == expected
    assert d.guard_band == 0.0
    assert d.acceptance_limits == (9.95, 10.05)


@pytest.mark.parametrize(
    "value,expected",
    [
        (10.00, "conform"),
        (10.04, "conform"),  # = usl - U: acceptance limit is inclusive
        (10.045, "inconclusive"),  # between acceptance limit 10.04 and usl + U = 10.06
        (10.06, "inconclusive"),  # rejection limit itself is not proof of non-conformity
        (10.061, "nonconform"),
        (9.955, "inconclusive"),
        (9.96, "conform"),
        (9.939, "nonconform"),
    ],
)
@pytest.mark.parametrize("rule", ["guarded", "iso14253"])
def test_guard_band_equal_to_u(value, expected, rule):
    d = decision(value, lsl=9.95, usl=10.05, expanded_uncertainty=0.01, rule=rule)
    assert d.verdict == expected
    assert d.acceptance_limits == pytest.approx((9.96, 10.04))
    assert d.rejection_limits == pytest.approx((9.94, 10.06))


def test_custom_guard_band_and_vectorised():
    values = [10.0, 10.02, 10.03, 10.06, 10.08]
    d = decision(values, **SPEC, expanded_uncertainty=0.04, rule="guarded", guard_band=0.02)
    assert d.guard_band == 0.02
    assert d.acceptance_limits == pytest.approx((9.97, 10.03))
    assert d.rejection_limits == pytest.approx((9.93, 10.07))
    assert list(d.verdict) == ["conform", "conform", "conform", "inconclusive", "nonconform"]
    assert d.counts == {"conform": 3, "nonconform": 1, "inconclusive": 1}
    arr = decision(np.array([[10.0, 11.0]]), **SPEC)
    assert arr.verdict.shape == (1, 2)
    assert arr.verdict[0, 1] == "nonconform"
    with pytest.raises(ValueError):
        arr.verdict[0, 0] = "x"


def test_one_sided_specifications():
    # Maximum roughness Ra <= 0.8 um, U = 0.1 um.
    d = decision([0.6, 0.75, 0.85, 0.95], usl=0.8, expanded_uncertainty=0.1, rule="iso14253")
    assert list(d.verdict) == ["conform", "inconclusive", "inconclusive", "nonconform"]
    assert d.acceptance_limits == (None, pytest.approx(0.7))
    low = decision(5.0, lsl=4.0, expanded_uncertainty=0.5, rule="guarded")
    assert low.verdict == "conform" and low.rejection_limits == (3.5, None)


def test_empty_acceptance_zone_when_guard_band_too_wide():
    d = decision([10.0, 10.2], lsl=9.99, usl=10.01, expanded_uncertainty=0.02, rule="iso14253")
    assert list(d.verdict) == ["inconclusive", "nonconform"]


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"value": 1.0}, "at least one"),
        ({"value": 1.0, "lsl": 2.0, "usl": 1.0}, "lsl must be < usl"),
        ({"value": 1.0, "lsl": 1.0, "usl": 1.0}, "lsl must be < usl"),
        ({"value": 1.0, "usl": float("nan")}, "usl must be finite"),
        ({"value": 1.0, "lsl": float("-inf"), "usl": 2.0}, "lsl must be finite"),
        ({"value": float("nan"), "usl": 2.0}, "finite"),
        ({"value": [1.0, float("inf")], "usl": 2.0}, "finite"),
        ({"value": [], "usl": 2.0}, "empty"),
        ({"value": "abc", "usl": 2.0}, "numeric"),
        ({"value": 1.0, "usl": 2.0, "expanded_uncertainty": -0.1}, "expanded_uncertainty"),
        ({"value": 1.0, "usl": 2.0, "expanded_uncertainty": float("nan")}, "expanded_uncertainty"),
        ({"value": 1.0, "usl": 2.0, "rule": "shared"}, "rule"),
        ({"value": 1.0, "usl": 2.0, "rule": "guarded", "guard_band": -1}, "guard_band"),
        ({"value": 1.0, "usl": 2.0, "rule": "simple", "guard_band": 0.1}, "guard_band"),
        ({"value": 1.0, "usl": 2.0, "rule": "iso14253", "guard_band": 0.1}, "guard_band"),
    ],
)
def test_errors(kwargs, needle):
    value = kwargs.pop("value")
    with pytest.raises(MetrologyInputError, match=needle):
        decision(value, **kwargs)


@settings(max_examples=200, deadline=None)
@given(x=st.floats(min_value=-10, max_value=10), u=st.floats(min_value=0, max_value=3))
def test_property_stricter_rules_never_flip(x, u):
    simple = decision(x, lsl=-5, usl=5, expanded_uncertainty=u).verdict
    iso = decision(x, lsl=-5, usl=5, expanded_uncertainty=u, rule="iso14253").verdict
    # ISO 14253-1 conformity implies simple conformity, and its non-conformity implies
    # simple non-conformity; it never contradicts simple acceptance.
    if iso == "conform":
        assert simple == "conform"
    if iso == "nonconform":
        assert simple == "nonconform"
    if u == 0:
        assert iso == simple


def test_decimal_boundaries_are_inclusive():
    # 9.95 + 0.01 and 10.05 - 0.01 are not exact in binary; the limits still hold.
    d = decision(
        [9.96, 10.04, 9.94, 10.06], lsl=9.95, usl=10.05, expanded_uncertainty=0.01, rule="guarded"
    )
    assert list(d.verdict) == ["conform", "conform", "inconclusive", "inconclusive"]
    assert decision(0.3, lsl=0.1 + 0.2, usl=1.0).verdict == "conform"
