"""Calibration interval adjustment, hand-worked cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from metrology import MetrologyInputError
from metrology.intervals import reliability_target, staircase


def test_staircase_hand_worked():
    # 12 -> x1.25 -> 15 -> x1.25 -> 18.75 -> x0.5 -> 9.375 -> x1.25 -> 11.71875
    res = staircase(
        12, [True, True, False, True], increase=0.25, decrease=0.5, min_interval=3, max_interval=24
    )
    assert res.intervals == pytest.approx((12, 15, 18.75, 9.375, 11.71875))
    assert res.next_interval == pytest.approx(11.71875)
    assert res.n_in_tolerance == 3 and res.n_out_of_tolerance == 1
    assert res.observed_reliability == 0.75


def test_staircase_defaults_and_clamping():
    up = staircase(20, [True] * 3, min_interval=3, max_interval=24)  # +20 %
    assert up.intervals == pytest.approx((20, 24, 24, 24))
    down = staircase(12, [False, False, False], min_interval=3, max_interval=24)  # -50 %
    assert down.intervals == pytest.approx((12, 6, 3, 3))
    one = staircase(10, True, min_interval=1, max_interval=100)
    assert one.next_interval == pytest.approx(12.0)
    assert staircase(10, [1, 0], min_interval=1, max_interval=100).intervals == pytest.approx(
        (10, 12, 6)
    )


@pytest.mark.parametrize(
    "args,kwargs,needle",
    [
        ((12, []), {"min_interval": 1, "max_interval": 24}, "empty"),
        (
            (12, [True, "yes"]),
            {"min_interval": 1, "max_interval": 24},
            r"as_found_in_tolerance\[1\]",
        ),
        ((12, [True, 2]), {"min_interval": 1, "max_interval": 24}, "True/False"),
        ((12, "TF"), {"min_interval": 1, "max_interval": 24}, "sequence"),
        ((30, [True]), {"min_interval": 1, "max_interval": 24}, "within"),
        ((12, [True]), {"min_interval": 24, "max_interval": 1}, "min_interval must be <="),
        ((12, [True]), {"min_interval": 0, "max_interval": 24}, "min_interval must be > 0"),
        ((-1, [True]), {"min_interval": 1, "max_interval": 24}, "interval must be > 0"),
        ((float("nan"), [True]), {"min_interval": 1, "max_interval": 24}, "finite"),
        ((12, [True]), {"min_interval": 1, "max_interval": float("inf")}, "finite"),
        ((12, [True]), {"min_interval": 1, "max_interval": 24, "decrease": 1.0}, "decrease"),
        ((12, [True]), {"min_interval": 1, "max_interval": 24, "increase": -0.1}, "increase"),
    ],
)
def test_staircase_errors(args, kwargs, needle):
    with pytest.raises(MetrologyInputError, match=needle):
        staircase(*args, **kwargs)


def test_reliability_exact_line():
    # Error grows exactly 0.5 per month: it reaches the 3.0 tolerance at 6 months.
    res = reliability_target([1, 2, 3, 4], [0.5, 1.0, 1.5, 2.0], tolerance=3.0)
    assert res.drift_rate == pytest.approx(0.5)
    assert res.intercept == pytest.approx(0.0, abs=1e-12)
    assert res.residual_sd == 0.0
    assert res.interval == pytest.approx(6.0)
    neg = reliability_target([1, 2, 3], [-1, -2, -3], tolerance=(-4.0, 1.0), through_origin=True)
    assert neg.interval == pytest.approx(4.0)


def test_reliability_with_scatter_hand_worked():
    # times 1,1,3,3; errors 1 +/- 0.1 and 3 +/- 0.1: b = 1, a = 0, SSE = 0.04, nu = 2,
    # s^2 = 0.02, prediction variance s^2 (1 + 1/4 + (t - 2)^2 / 4).
    res = reliability_target([1, 1, 3, 3], [1.1, 0.9, 3.1, 2.9], tolerance=6.0)
    assert res.drift_rate == pytest.approx(1.0)
    assert res.intercept == pytest.approx(0.0, abs=1e-12)
    assert res.residual_sd == pytest.approx(math.sqrt(0.02))
    assert res.dof == 2

    def r(t):
        sd = math.sqrt(0.02 * (1 + 0.25 + (t - 2) ** 2 / 4))
        return stats.t.cdf((6 - t) / sd, 2) - stats.t.cdf((-6 - t) / sd, 2)

    assert r(res.interval) == pytest.approx(0.95, abs=1e-9)
    assert r(res.interval * 0.99) > 0.95
    assert 4.0 < res.interval < 6.0
    assert res.reliability(res.interval) == pytest.approx(0.95, abs=1e-9)


def test_reliability_large_sample_normal_approximation():
    # Many points: the interval approaches (T - z_0.95 * sigma) / b for the one-sided
    # dominant limit (the other limit is far away).
    rng = np.random.default_rng(0)
    t = np.repeat(np.arange(1.0, 13.0), 200)
    e = 0.2 * t + rng.normal(0, 0.1, t.size)
    res = reliability_target(t, e, tolerance=2.0, through_origin=True)
    assert res.interval == pytest.approx((2.0 - 1.644854 * 0.1) / 0.2, rel=0.01)


def test_reliability_no_drift():
    # Negligible drift: only the extrapolation uncertainty of the slope limits the
    # interval, far beyond the observed 4 months.
    res = reliability_target(
        [1, 2, 3, 4], [0.1, -0.1, 0.1, -0.1], tolerance=5.0, through_origin=True
    )
    assert res.interval > 40
    exact = reliability_target([1, 2, 3], [0.0, 0.0, 0.0], tolerance=1.0)
    assert exact.interval == math.inf


@pytest.mark.parametrize(
    "args,kwargs,needle",
    [
        (([], []), {"tolerance": 1.0}, "empty"),
        (([1, 2], [0.1]), {"tolerance": 1.0}, "same length"),
        (([1, 2], [0.1, 0.2]), {"tolerance": 1.0}, "at least 3"),
        (([1, 1, 1], [0.1, 0.2, 0.3]), {"tolerance": 1.0}, "all be equal"),
        (([1, 2, float("nan")], [0.1, 0.2, 0.3]), {"tolerance": 1.0}, "finite"),
        (([1, 2, 3], [0.1, 0.2, float("inf")]), {"tolerance": 1.0}, "finite"),
        (([-1, 2, 3], [0.1, 0.2, 0.3]), {"tolerance": 1.0}, ">= 0"),
        (([1, 2, 3], [0.1, 0.2, 0.3]), {"tolerance": -1.0}, "tolerance must be > 0"),
        (([1, 2, 3], [0.1, 0.2, 0.3]), {"tolerance": (1.0, 2.0)}, "lower < 0 < upper"),
        (([1, 2, 3], [0.1, 0.2, 0.3]), {"tolerance": 1.0, "target_reliability": 1.0}, "target"),
        (([1, 2, 3, 4], [0.5, -0.5, 0.4, -0.6]), {"tolerance": 0.1}, "too tight"),
    ],
)
def test_reliability_errors(args, kwargs, needle):
    with pytest.raises(MetrologyInputError, match=needle):
        reliability_target(*args, **kwargs)


@settings(max_examples=100, deadline=None)
@given(
    start=st.floats(min_value=1, max_value=100),
    history=st.lists(st.booleans(), min_size=1, max_size=30),
)
def test_property_staircase_within_bounds(start, history):
    res = staircase(start, history, min_interval=1, max_interval=100)
    assert all(1 <= x <= 100 for x in res.intervals)
    assert len(res.intervals) == len(history) + 1
    for before, after, ok in zip(res.intervals, res.intervals[1:], history, strict=False):
        assert (after >= before) if ok else (after <= before)


@settings(max_examples=50, deadline=None)
@given(rate=st.floats(min_value=0.05, max_value=5), tol=st.floats(min_value=1, max_value=10))
def test_property_reliability_interval_shrinks_with_higher_target(rate, tol):
    t = [1, 1, 2, 2, 3, 3]
    e = [rate * x + d for x, d in zip(t, [0.05, -0.05, 0.05, -0.05, 0.05, -0.05], strict=False)]
    try:
        lo_target = reliability_target(t, e, tolerance=tol, target_reliability=0.8)
        hi_target = reliability_target(t, e, tolerance=tol, target_reliability=0.99)
    except MetrologyInputError:
        return
    assert hi_target.interval <= lo_target.interval
