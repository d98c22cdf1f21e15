"""Correctness tests for spc.charts against published examples.

Sources
-------
* Piston-ring inside diameters, 25 + 15 subgroups of 5: Montgomery,
  *Introduction to Statistical Quality Control*, Tables 6.3/6.4 (Example 6.3,
  X-bar-R and X-bar-S charts), as shipped in the R package qcc
  (``data/pistonrings.txt``, Scrucca). Montgomery's printed trial limits are
  centre 74.001, UCL 74.014, LCL 73.988; from the data: centre 74.00118,
  UCL 74.0143, LCL 73.9880, sigma = Rbar/d2 = 0.009785 (qcc's values). Note:
  the book's tabulated column of ranges sums to 0.581 (Rbar = 0.02324,
  UCL_R = 0.04914), which the raw data in the same table do not reproduce
  (their ranges give Rbar = 0.02276, UCL_R = 0.04812, as qcc prints); the
  tests use the values the data reproduce and check the book's rounded ones.
* Orange-juice cans, 30 samples of 50: Montgomery Example 7.1 (qcc
  ``orangejuice``): p-bar = 0.2313, UCL 0.4102, LCL 0.0524, samples 15 and 23
  above the UCL.
* Printed-circuit-board nonconformities, 26 samples: Montgomery Example 7.3
  (qcc ``circuit``): c-bar = 19.85, UCL 33.22, LCL 6.48, samples 6 and 20
  outside the limits.
* NIST/SEMATECH e-Handbook of Statistical Methods: 6.3.2.2 (individuals
  chart, flow rate), 6.3.2.3 (tabular CUSUM, target 325, k = 0.3175,
  h = 4.1959) and 6.3.2.4 (EWMA, lambda = 0.3, target 50, s = 2.0539).
"""

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spc import constants as K
from spc.charts import ChartResult, control_chart
from spc.errors import SpcInputError
from spc.tests.reference_data import PISTON_RINGS

PHASE1 = PISTON_RINGS[:25]
PHASE2 = PISTON_RINGS[25:]

ORANGE_JUICE = np.array(
    [
        12,
        15,
        8,
        10,
        4,
        7,
        16,
        9,
        14,
        10,
        5,
        6,
        17,
        12,
        22,
        8,
        10,
        5,
        13,
        11,
        20,
        18,
        24,
        15,
        9,
        12,
        7,
        13,
        9,
        6,
    ]
)
CIRCUIT = np.array(
    [
        21,
        24,
        16,
        12,
        15,
        5,
        28,
        20,
        31,
        25,
        20,
        24,
        16,
        19,
        10,
        17,
        13,
        22,
        18,
        39,
        30,
        24,
        16,
        19,
        17,
        15,
    ]
)
NIST_FLOW = np.array([49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1])
NIST_EWMA = np.array(
    [
        52.0,
        47.0,
        53.0,
        49.3,
        50.1,
        47.0,
        51.0,
        50.1,
        51.2,
        50.5,
        49.6,
        47.6,
        49.9,
        51.3,
        47.8,
        51.2,
        52.6,
        52.4,
        53.6,
        52.1,
    ]
)
NIST_EWMA_PRINTED = np.array(
    [
        50.60,
        49.52,
        50.56,
        50.18,
        50.16,
        49.21,
        49.75,
        49.85,
        50.26,
        50.33,
        50.11,
        49.36,
        49.52,
        50.05,
        49.38,
        49.92,
        50.73,
        51.23,
        51.94,
        51.99,
    ]
)
NIST_CUSUM = np.array(
    [
        324.925,
        324.675,
        324.725,
        324.350,
        325.350,
        325.225,
        324.125,
        324.525,
        325.225,
        324.600,
        324.625,
        325.150,
        328.325,
        327.250,
        327.825,
        328.500,
        326.675,
        327.775,
        326.875,
        328.350,
    ]
)
# NIST 6.3.2.3 table: S_hi and S_lo printed to 2 decimals.
NIST_S_HI = np.array(
    [
        0.00,
        0.00,
        0.00,
        0.00,
        0.03,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        3.01,
        4.94,
        7.45,
        10.63,
        11.99,
        14.44,
        16.00,
        19.04,
    ]
)
NIST_S_LO = np.array(
    [
        0.00,
        0.01,
        0.00,
        0.33,
        0.00,
        0.00,
        0.56,
        0.72,
        0.17,
        0.25,
        0.31,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
        0.00,
    ]
)


# ---------------------------------------------------------------- X-bar-R / S


def test_xbar_r_piston_rings_trial_limits():
    r = control_chart("xbar_r", PHASE1)
    assert r.kind == "xbar_r" and r.phase == "I" and r.sigma_method == "Rbar/d2"
    assert r.center[0] == pytest.approx(74.00118, abs=5e-6)
    assert r.ucl[0] == pytest.approx(74.0143, abs=5e-5)
    assert r.lcl[0] == pytest.approx(73.9880, abs=5e-5)
    # Montgomery's rounded figures
    assert r.center[0] == pytest.approx(74.001, abs=5e-4)
    assert r.ucl[0] == pytest.approx(74.014, abs=5e-4)
    assert r.lcl[0] == pytest.approx(73.988, abs=5e-4)
    assert r.sigma == pytest.approx(0.009785, abs=5e-7)
    rc = r.companion
    assert rc.kind == "r"
    assert rc.center[0] == pytest.approx(0.02276, abs=5e-6)  # Rbar from the data
    assert rc.center[0] == pytest.approx(0.023, abs=5e-4)  # Montgomery: Rbar = 0.023
    assert rc.ucl[0] == pytest.approx(0.04812, abs=5e-5)
    assert rc.ucl[0] == pytest.approx(2.114 * rc.center[0], rel=1e-12)  # D4 Rbar
    assert rc.lcl[0] == 0.0  # D3 = 0 for n = 5
    assert r.out_of_control.size == 0 and rc.out_of_control.size == 0
    assert r.statistic.shape == (25,) and np.allclose(r.statistic, PHASE1.mean(axis=1))


def test_xbar_r_equal_to_table_a2_form():
    r = control_chart("xbar_r", PHASE1)
    rbar = np.ptp(PHASE1, axis=1).mean()
    xbb = PHASE1.mean()
    # sigma-based limits use 3/(d2 sqrt n) = 0.5768; the A2 table gives 0.577
    assert r.ucl[0] == pytest.approx(xbb + 0.577 * rbar, abs=2e-5)
    assert r.ucl[0] == pytest.approx(xbb + 3 * rbar / (2.326 * np.sqrt(5)), abs=1e-12)


def test_xbar_r_phase_two_detects_the_shift():
    trial = control_chart("xbar_r", PHASE1)
    mon = control_chart("xbar_r", PHASE2, center=trial.center[0], sigma=trial.sigma)
    assert mon.phase == "II" and mon.sigma_method == "given"
    assert mon.ucl[0] == pytest.approx(trial.ucl[0])
    # the later subgroups of Table 6.4 drift upward: 37, 38 and 39 exceed the UCL
    assert list(mon.out_of_control + 26) == [37, 38, 39]


def test_xbar_s_piston_rings():
    s = control_chart("xbar_s", PHASE1)
    assert s.sigma_method == "Sbar/c4"
    sbar = PHASE1.std(axis=1, ddof=1).mean()
    assert s.companion.center[0] == pytest.approx(sbar, rel=1e-12)
    assert sbar == pytest.approx(0.0094, abs=3e-4)  # Montgomery: Sbar = 0.0094
    assert s.ucl[0] == pytest.approx(74.014, abs=5e-4)  # Montgomery
    assert s.lcl[0] == pytest.approx(73.988, abs=5e-4)
    # A3 and B4 table factors
    assert s.ucl[0] - s.center[0] == pytest.approx(1.427 * sbar, rel=1e-3)
    assert s.companion.ucl[0] == pytest.approx(2.089 * sbar, rel=1e-3)
    assert s.companion.lcl[0] == 0.0


def test_xbar_s_b3_positive_for_large_subgroups():
    rng = np.random.default_rng(3)
    x = rng.normal(10, 1, (30, 10))
    s = control_chart("xbar_s", x)
    sbar = x.std(axis=1, ddof=1).mean()
    assert s.companion.lcl[0] == pytest.approx(0.284 * sbar, rel=2e-3)  # B3(10)
    assert s.companion.ucl[0] == pytest.approx(1.716 * sbar, rel=2e-3)  # B4(10)


def test_xbar_variable_sizes_one_d_equals_two_d_for_equal_sizes():
    a = control_chart("xbar_r", PHASE1)
    b = control_chart("xbar_r", PHASE1.ravel(), sizes=[5] * 25)
    c = control_chart("xbar_r", PHASE1.ravel(), sizes=5)
    for x in (b, c):
        assert np.allclose(a.ucl, x.ucl) and np.allclose(a.companion.ucl, x.companion.ucl)
        assert a.sigma == pytest.approx(x.sigma)


def test_xbar_r_unequal_sizes_minitab_weighting():
    rng = np.random.default_rng(7)
    sizes = np.array([3, 5, 4, 5, 3, 4, 5, 5])
    x = rng.normal(20, 2, sizes.sum())
    r = control_chart("xbar_r", x, sizes=sizes)
    groups = np.split(x, np.cumsum(sizes)[:-1])
    ranges = np.array([np.ptp(g) for g in groups])
    d2 = np.array([K.TABLE["d2"][n] for n in sizes])
    d3 = np.array([K.TABLE["d3"][n] for n in sizes])
    f = d2**2 / d3**2
    sigma = np.sum(f * ranges / d2) / np.sum(f)
    assert r.sigma == pytest.approx(sigma, rel=1e-12)
    assert r.center[0] == pytest.approx(x.mean())
    assert np.allclose(r.ucl - r.center, 3 * sigma / np.sqrt(sizes))
    assert np.allclose(r.companion.center, d2 * sigma)
    d4 = np.array([K.TABLE["D4"][n] for n in sizes])
    assert np.allclose(r.companion.ucl, d4 * d2 * sigma)  # D4 x (d2 sigma) per point
    assert np.all(r.companion.lcl == 0.0)  # D3 = 0 for n <= 6
    r4 = control_chart("xbar_r", x, sizes=sizes, L=2.0)
    assert np.allclose(r4.companion.ucl, (d2 + 2 * d3) * sigma)
    assert np.allclose(r4.companion.lcl, np.maximum(0, (d2 - 2 * d3) * sigma))


def test_xbar_s_unequal_sizes_and_pooled_option():
    rng = np.random.default_rng(8)
    sizes = np.array([4, 6, 5, 6, 4, 5])
    x = rng.normal(0, 1, sizes.sum())
    groups = np.split(x, np.cumsum(sizes)[:-1])
    s = np.array([g.std(ddof=1) for g in groups])
    c4 = K.c4(sizes)
    h = c4**2 / (1 - c4**2)
    r = control_chart("xbar_s", x, sizes=sizes)
    assert r.sigma == pytest.approx(np.sum(h * s / c4) / np.sum(h), rel=1e-12)
    p = control_chart("xbar_s", x, sizes=sizes, sigma_method="pooled")
    dof = np.sum(sizes - 1)
    sp = np.sqrt(np.sum((sizes - 1) * s**2) / dof)
    assert p.sigma == pytest.approx(sp / K.c4_scalar(dof + 1), rel=1e-12)
    assert p.sigma_method == "pooled SD/c4"


def test_exclusion_skips_estimate_but_keeps_points():
    data = PHASE1.copy()
    data[4] += 0.05  # an assignable cause
    full = control_chart("xbar_r", data)
    ex = control_chart("xbar_r", data, exclude=[4])
    ref = control_chart("xbar_r", np.delete(data, 4, axis=0))
    assert ex.statistic.shape == (25,) and ex.excluded[4] and ex.excluded.sum() == 1
    assert ex.center[0] == pytest.approx(ref.center[0]) and ex.sigma == pytest.approx(ref.sigma)
    assert ex.center[0] != pytest.approx(full.center[0])
    assert 4 in ex.out_of_control
    mask = np.zeros(25, bool)
    mask[4] = True
    assert control_chart("xbar_r", data, exclude=mask).sigma == pytest.approx(ex.sigma)


def test_phase_two_with_only_center_given_estimates_sigma():
    r = control_chart("xbar_r", PHASE1, center=74.0)
    assert r.phase == "II" and r.center[0] == 74.0
    assert r.sigma == pytest.approx(control_chart("xbar_r", PHASE1).sigma)


# ---------------------------------------------------------------- I-MR


def test_imr_nist_flow_rate():
    r = control_chart("imr", NIST_FLOW)
    assert r.center[0] == pytest.approx(50.81, abs=1e-9)
    assert r.companion.center[0] == pytest.approx(1.8778, abs=5e-5)  # MR-bar
    assert r.ucl[0] == pytest.approx(55.8041, abs=5e-5)
    assert r.lcl[0] == pytest.approx(45.8159, abs=5e-5)
    assert r.sigma_method == "MRbar/d2"
    assert np.allclose(r.companion.statistic, [2.0, 2.3, 1.4, 3.5, 3.4, 1.4, 0.2, 1.2, 1.5])
    assert list(r.companion.index) == list(range(1, 10))
    assert r.companion.ucl[0] == pytest.approx(
        3.267 * r.companion.center[0], rel=1e-12
    )  # D4(2) MR-bar
    assert r.companion.lcl[0] == 0.0
    assert r.out_of_control.size == 0


def test_imr_exclusion_drops_adjacent_moving_ranges():
    x = NIST_FLOW.copy()
    x[4] = 70.0
    r = control_chart("imr", x, exclude=[4])
    keep = np.ones(10, bool)
    keep[4] = False
    mr = np.abs(np.diff(x))
    mr_ok = keep[1:] & keep[:-1]
    assert r.sigma == pytest.approx(mr[mr_ok].mean() / 1.128)
    assert r.center[0] == pytest.approx(x[keep].mean())
    assert list(np.flatnonzero(r.companion.excluded)) == [3, 4]
    assert 4 in r.out_of_control


# ---------------------------------------------------------------- attributes


def test_p_chart_orange_juice():
    r = control_chart("p", ORANGE_JUICE, sizes=50)
    assert r.center[0] == pytest.approx(0.2313, abs=5e-5)
    assert r.ucl[0] == pytest.approx(0.4102, abs=1e-4)
    assert r.lcl[0] == pytest.approx(0.0524, abs=5e-5)
    assert list(r.out_of_control + 1) == [15, 23]
    assert np.allclose(r.statistic, ORANGE_JUICE / 50)


def test_p_chart_revised_limits_excluding_assignable_causes():
    # Montgomery removes samples 15 and 23 (assignable causes) and revises:
    # p-bar = 0.2150, UCL = 0.3893, LCL = 0.0407
    r = control_chart("p", ORANGE_JUICE, sizes=50, exclude=[14, 22])
    assert r.center[0] == pytest.approx(0.2150, abs=5e-5)
    assert r.ucl[0] == pytest.approx(0.3893, abs=1e-4)
    assert r.lcl[0] == pytest.approx(0.0407, abs=1e-4)
    assert r.statistic.size == 30


def test_np_chart_orange_juice():
    r = control_chart("np", ORANGE_JUICE, sizes=50)
    pbar = 347 / 1500
    assert r.center[0] == pytest.approx(50 * pbar)
    assert r.ucl[0] == pytest.approx(50 * 0.4102, abs=0.01)
    assert r.lcl[0] == pytest.approx(50 * 0.0524, abs=0.01)
    assert list(r.out_of_control + 1) == [15, 23]


def test_p_chart_variable_sizes_per_point_limits():
    d = np.array([3, 8, 5, 12, 4])
    n = np.array([50, 120, 80, 150, 60])
    r = control_chart("p", d, sizes=n)
    pbar = d.sum() / n.sum()
    assert np.allclose(r.ucl, pbar + 3 * np.sqrt(pbar * (1 - pbar) / n))
    assert np.allclose(r.lcl, np.maximum(0, pbar - 3 * np.sqrt(pbar * (1 - pbar) / n)))
    rn = control_chart("np", d, sizes=n)
    assert np.allclose(rn.center, n * pbar)


def test_c_chart_circuit_boards():
    r = control_chart("c", CIRCUIT)
    assert r.center[0] == pytest.approx(19.85, abs=5e-3)
    assert r.ucl[0] == pytest.approx(33.22, abs=1e-2)  # book rounds c-bar to 19.85 first
    assert r.lcl[0] == pytest.approx(6.48, abs=5e-3)
    assert list(r.out_of_control + 1) == [6, 20]
    assert r.sigma_method == "Poisson"


def test_c_chart_revised_and_phase_two():
    # Montgomery drops samples 6 and 20: c-bar = 19.67, UCL = 32.97, LCL = 6.36
    r = control_chart("c", CIRCUIT, exclude=[5, 19])
    assert r.center[0] == pytest.approx(19.67, abs=5e-3)
    assert r.ucl[0] == pytest.approx(32.97, abs=5e-3)
    assert r.lcl[0] == pytest.approx(6.36, abs=5e-3)
    p2 = control_chart("c", CIRCUIT, center=19.67)
    assert p2.phase == "II" and p2.ucl[0] == pytest.approx(19.67 + 3 * np.sqrt(19.67))


def test_u_chart_equals_c_chart_for_unit_sizes_and_varies_with_sizes():
    c = control_chart("c", CIRCUIT)
    u = control_chart("u", CIRCUIT, sizes=1)
    assert np.allclose(c.ucl, u.ucl) and np.allclose(c.lcl, u.lcl)
    sizes = np.array([1.0, 2.0, 1.5] * 8 + [1.0, 2.0])
    uv = control_chart("u", CIRCUIT, sizes=sizes)
    ubar = CIRCUIT.sum() / sizes.sum()
    assert np.allclose(uv.statistic, CIRCUIT / sizes)
    assert np.allclose(uv.ucl, ubar + 3 * np.sqrt(ubar / sizes))
    assert np.allclose(uv.lcl, np.maximum(0, ubar - 3 * np.sqrt(ubar / sizes)))


def test_attribute_lcl_floored_at_zero():
    r = control_chart("c", [1, 0, 2, 1, 0, 3])
    assert np.all(r.lcl == 0.0)
    p = control_chart("p", [1, 0, 2, 1], sizes=20)
    assert np.all(p.lcl == 0.0)


# ---------------------------------------------------------------- EWMA


def _ewma_reference(x, lam, z0):
    z, out = z0, []
    for v in x:
        z = lam * v + (1 - lam) * z
        out.append(z)
    return np.array(out)


def test_ewma_nist_example():
    r = control_chart("ewma", NIST_EWMA, center=50.0, sigma=2.0539, lam=0.3, L=3)
    assert np.allclose(np.round(r.statistic, 2), NIST_EWMA_PRINTED, atol=1e-9)
    # NIST uses the asymptotic limits; the exact limits have converged by point 20
    assert r.ucl[-1] == pytest.approx(52.5884, abs=1e-3)
    assert r.lcl[-1] == pytest.approx(47.4115, abs=1e-3)
    a = control_chart("ewma", NIST_EWMA, center=50.0, sigma=2.0539, lam=0.3, asymptotic=True)
    assert np.allclose(a.ucl, 52.5884, atol=1e-3) and np.allclose(a.lcl, 47.4115, atol=1e-3)
    assert r.out_of_control.size == 0
    # exact time-varying limits: first point has sd = lambda * sigma
    assert r.ucl[0] == pytest.approx(50 + 3 * 0.3 * 2.0539)
    i = np.arange(1, 21)
    exact = 50 + 3 * 2.0539 * np.sqrt(0.3 / 1.7 * (1 - 0.7 ** (2 * i)))
    assert np.allclose(r.ucl, exact)


def test_ewma_matches_recursion_and_phase_one_estimates():
    rng = np.random.default_rng(11)
    x = rng.normal(5, 1, 200)
    r = control_chart("ewma", x)
    assert r.phase == "I" and r.sigma_method == "MRbar/d2"
    assert r.sigma == pytest.approx(np.abs(np.diff(x)).mean() / 1.128)
    assert np.allclose(r.statistic, _ewma_reference(x, 0.2, x.mean()))
    s = control_chart("ewma", PHASE1)
    assert s.sigma == pytest.approx(control_chart("xbar_r", PHASE1).sigma)
    assert np.allclose(
        s.ucl[-1] - s.center[-1], 3 * s.sigma / np.sqrt(5) * np.sqrt(0.2 / 1.8), rtol=1e-4
    )


# ---------------------------------------------------------------- CUSUM


def _cusum_reference(x, mu, kk, start):
    hi, lo, out_hi, out_lo = start, start, [], []
    for v in x:
        hi = max(0.0, hi + v - mu - kk)
        lo = max(0.0, lo + mu - kk - v)
        out_hi.append(hi)
        out_lo.append(lo)
    return np.array(out_hi), np.array(out_lo)


def test_cusum_nist_example():
    sigma = 0.635  # 1.27 / sqrt(4)
    r = control_chart("cusum", NIST_CUSUM, center=325.0, sigma=sigma, k=0.5, h=4.1959 / sigma)
    assert r.params["K"] == pytest.approx(0.3175)
    assert r.h == pytest.approx(4.1959)
    assert np.allclose(r.c_plus, NIST_S_HI, atol=0.005 + 1e-9)
    assert np.allclose(r.c_minus, NIST_S_LO, atol=0.005 + 1e-9)
    assert list(r.out_of_control + 1) == list(range(14, 21))  # NIST stars groups 14-20
    assert np.allclose(r.ucl, 4.1959) and np.allclose(r.lcl, -4.1959)


def test_cusum_fir_and_reference_recursion():
    rng = np.random.default_rng(5)
    x = rng.normal(0.3, 1.0, 500)
    r = control_chart("cusum", x, center=0.0, sigma=1.0, k=0.5, h=4.0, fir=0.5)
    hi, lo = _cusum_reference(x, 0.0, 0.5, 2.0)
    assert np.allclose(r.c_plus, hi) and np.allclose(r.c_minus, lo)


def test_cusum_subgroups_use_sigma_of_the_mean():
    r = control_chart("cusum", PHASE1, center=74.0, sigma=0.01, k=0.5, h=5)
    se = 0.01 / np.sqrt(5)
    hi, lo = _cusum_reference(PHASE1.mean(axis=1), 74.0, 0.5 * se, 0.0)
    assert np.allclose(r.c_plus, hi) and np.allclose(r.c_minus, lo)
    assert r.h == pytest.approx(5 * se)


def test_cusum_is_fast():
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, 1_000_000)
    t = time.perf_counter()
    control_chart("cusum", x, center=0.0, sigma=1.0)
    control_chart("ewma", x, center=0.0, sigma=1.0)
    assert time.perf_counter() - t < 5.0


# ---------------------------------------------------------------- result object


def test_result_is_frozen_and_read_only():
    r = control_chart("xbar_r", PHASE1)
    assert isinstance(r, ChartResult) and isinstance(r.companion, ChartResult)
    with pytest.raises(AttributeError):
        r.sigma = 1.0
    with pytest.raises(ValueError):
        r.ucl[0] = 0.0


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kind, data, kwargs, needle",
    [
        ("xbar_r", [[1.0, np.nan], [2.0, 3.0]], {}, "data"),
        ("xbar_r", [[1.0, np.inf], [2.0, 3.0]], {}, "finite"),
        ("imr", [], {}, "empty"),
        ("xbar_r", [[1.0, 2.0, 3.0]], {}, "at least 2 subgroups"),
        ("xbar_r", np.arange(52.0).reshape(2, 26), {}, "at most 25"),
        ("xbar_r", [[1.0, 1.0], [2.0, 2.0]], {}, "zero variance"),
        ("imr", [5.0, 5.0, 5.0], {}, "zero variance"),
        ("imr", [5.0], {}, "at least 2"),
        ("c", [1, -2, 3], {}, ">= 0"),
        ("p", [3, 60, 2], {"sizes": 50}, "exceeds its sample size"),
        ("p", [3, 6, 2], {}, "sizes"),
        ("p", [0, 0, 0], {"sizes": 50}, "zero variance"),
        ("c", [0, 0, 0], {}, "zero variance"),
        ("p", [3, 6, 2], {"sizes": [50, 0, 50]}, "> 0"),
        ("p", [3, 6, 2], {"sizes": 50, "sigma": 1.0}, "sigma"),
        ("bogus", [1.0, 2.0], {}, "kind"),
        ("ewma", [1.0, 2.0, 3.0], {"lam": 1.5}, "lam"),
        ("ewma", [1.0, 2.0, 3.0], {"window": 3}, "window"),
        ("cusum", [1.0, 2.0, 3.0], {"fir": 1.0}, "fir"),
        ("cusum", [1.0, 2.0, 3.0], {"h": -1}, "h"),
        ("imr", [1.0, 2.0, 3.0], {"sigma": 0.0}, "sigma"),
        ("imr", [1.0, 2.0, 3.0], {"exclude": [7]}, "exclude"),
        ("imr", [1.0, 2.0, 3.0], {"exclude": [0, 1, 2]}, "exclude"),
        ("xbar_r", [1.0, 2.0, 3.0, 4.0], {"sizes": [2, 3]}, "sum of sizes"),
        ("xbar_r", [1.0, 2.0, 3.0], {"sizes": [1, 2]}, "at least 2"),
    ],
)
def test_bad_input_raises_named_error(kind, data, kwargs, needle):
    with pytest.raises(SpcInputError, match=needle):
        control_chart(kind, data, **kwargs)


def test_error_is_a_value_error():
    with pytest.raises(ValueError):
        control_chart("imr", [np.nan, 1.0])


# ---------------------------------------------------------------- properties

_subgroups = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 12), st.integers(2, 8)),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
)
_series = hnp.arrays(
    np.float64,
    st.integers(3, 60),
    elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
)


def _nondegenerate(r_fn):
    try:
        return r_fn()
    except SpcInputError:
        return None


@settings(max_examples=60, deadline=None)
@given(_subgroups, st.sampled_from(["xbar_r", "xbar_s"]))
def test_limits_symmetric_about_center(x, kind):
    r = _nondegenerate(lambda: control_chart(kind, x))
    if r is None:
        return
    assert np.allclose(
        r.ucl - r.center, r.center - r.lcl, rtol=1e-9, atol=1e-9 * (1 + abs(r.center[0]))
    )


@settings(max_examples=60, deadline=None)
@given(_series, st.sampled_from(["imr", "ewma"]))
def test_individual_limits_symmetric(x, kind):
    r = _nondegenerate(lambda: control_chart(kind, x))
    if r is None:
        return
    tol = 1e-9 * (1 + np.abs(r.center).max())
    assert np.allclose(r.ucl - r.center, r.center - r.lcl, atol=tol)


@settings(max_examples=60, deadline=None)
@given(_subgroups, st.floats(-1e3, 1e3), st.sampled_from(["xbar_r", "xbar_s", "imr", "ewma"]))
def test_shifting_data_shifts_center_and_limits(x, shift, kind):
    data = x.ravel() if kind in ("imr", "ewma") else x
    a = _nondegenerate(lambda: control_chart(kind, data))
    if a is None or a.sigma < 1e-6:
        return
    b = control_chart(kind, data + shift)
    assert b.sigma == pytest.approx(a.sigma, rel=1e-6, abs=1e-9)
    assert np.allclose(b.center, a.center + shift, atol=1e-6)
    assert np.allclose(b.ucl, a.ucl + shift, atol=1e-6)
    assert np.allclose(b.lcl, a.lcl + shift, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    _subgroups,
    st.floats(0.01, 100.0),
    st.sampled_from(["xbar_r", "xbar_s", "imr", "ewma", "cusum"]),
)
def test_scaling_data_scales_limits(x, scale, kind):
    data = x.ravel() if kind in ("imr", "ewma", "cusum") else x
    a = _nondegenerate(lambda: control_chart(kind, data))
    if a is None or a.sigma < 1e-6:
        return
    b = control_chart(kind, data * scale)
    assert b.sigma == pytest.approx(a.sigma * scale, rel=1e-9)
    assert np.allclose(b.ucl, a.ucl * scale, rtol=1e-9, atol=1e-9)
    assert np.allclose(b.lcl, a.lcl * scale, rtol=1e-9, atol=1e-9)
    if a.companion is not None:
        assert np.allclose(b.companion.ucl, a.companion.ucl * scale, rtol=1e-9, atol=1e-12)
    if kind == "cusum":
        assert np.allclose(b.c_plus, a.c_plus * scale, rtol=1e-7, atol=1e-7 * scale * a.sigma)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 300), elements=st.floats(-5, 5)),
    st.floats(0, 2),
    st.floats(0, 0.99),
)
def test_vectorised_cusum_equals_recursion(x, k, fir):
    r = control_chart(
        "cusum", np.concatenate(([0.0, 1.0], x)), center=0.0, sigma=1.0, k=k, h=4.0, fir=fir
    )
    hi, lo = _cusum_reference(np.concatenate(([0.0, 1.0], x)), 0.0, k, fir * 4.0)
    assert np.allclose(r.c_plus, hi, atol=1e-9) and np.allclose(r.c_minus, lo, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=3, max_size=30), st.integers(40, 200))
def test_attribute_limits_bracket_center(counts, n):
    r = _nondegenerate(lambda: control_chart("p", counts, sizes=n))
    if r is None:
        return
    assert np.all(r.lcl >= 0) and np.all(r.ucl <= 1)
    assert np.all(r.lcl <= r.center) and np.all(r.center <= r.ucl)


# ---------------------------------------------------------------- constants
# Source: Montgomery, Appendix VI / AIAG SPC manual table of factors for
# constructing variables control charts (n = 2..25); exact values from the
# range distribution of normal samples (Tippett 1925) and c4 by the gamma
# function.


def test_table_constants_agree_with_exact_values():
    for n in range(2, 26):
        exact = K.derived(n, exact=True)
        for name in K.NAMES:
            tol = 6e-5 if name == "c4" else 1.5e-3  # tables print 4 resp. 3 decimals
            assert K.TABLE[name][n] == pytest.approx(exact[name], abs=tol), (name, n)


def test_exact_range_constants_closed_forms():
    assert K.d2_exact(2) == pytest.approx(2 / np.sqrt(np.pi), abs=1e-10)
    assert K.d3_exact(2) == pytest.approx(np.sqrt(2 - 4 / np.pi), abs=1e-9)
    assert K.d2_exact(3) == pytest.approx(3 / np.sqrt(np.pi), abs=1e-10)
    assert K.d2_exact(50) == pytest.approx(4.498, abs=1e-3)  # beyond the table
    assert K.c4(2) == pytest.approx(np.sqrt(2 / np.pi))
    assert np.allclose(K.c4(np.arange(2, 26)), [K.TABLE["c4"][n] for n in range(2, 26)], atol=6e-5)
    assert K.constant("A2", 5) == 0.577 and K.constant("D4", 2) == 3.267
    assert np.allclose(K.constant("d2", np.array([2, 5])), [1.128, 2.326])


def test_constant_lookup_limits():
    with pytest.raises(SpcInputError, match="at most 25"):
        K.constant("d2", 26)
    with pytest.raises(SpcInputError, match="at least 2"):
        K.constant("d2", 1)
    with pytest.raises(SpcInputError, match="name"):
        K.constant("Z9", 5)


def test_caller_arrays_are_not_frozen_or_aliased():
    x = NIST_CUSUM.copy()
    n = np.full(30, 50.0)
    control_chart("cusum", x, center=325.0, sigma=0.635)
    control_chart("ewma", x, center=325.0, sigma=0.635)
    control_chart("p", ORANGE_JUICE.astype(float), sizes=n)
    x[0] = 1.0  # still writable
    n[0] = 1.0
