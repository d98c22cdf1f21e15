"""Tests for spc.capability.

Sources
-------
* Montgomery, *Introduction to Statistical Quality Control*, piston-ring
  example (Tables 6.3, Example 6.3 and the process-capability discussion
  that follows): specifications 74.000 +/- 0.05 mm, sigma estimated by
  Rbar/d2 = 0.0099 (rounded), Cp = 0.10 / (6 x 0.0099) = 1.68. The raw data
  are those of the R package qcc (``pistonrings``), whose Rbar/d2 is
  0.009785, giving Cp = 1.703 (qcc ``processCapability`` prints Cp 1.70,
  Cpl 1.74, Cpu 1.66, Cpk 1.66).
* D'Agostino & Stephens (1986), *Goodness-of-Fit Techniques*: the
  Anderson-Darling normality statistic and its p-value approximation.
* ISO 22514-2 / Clements (1989) quantile method: Pp and Ppk from the
  0.135 %, 50 % and 99.865 % quantiles of the fitted distribution.
* Bissell (1990) normal approximation for the Cpk interval; chi-square
  interval for Cp and Pp (Kane 1986); checked by simulation.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special, stats

import spc
from spc.errors import SpcInputError
from spc.process_capability import CapabilityResult, ad_normality, ad_pvalue, capability
from spc.tests.reference_data import PISTON_RINGS

PHASE1 = PISTON_RINGS[:25]
LSL, USL = 73.95, 74.05


def test_montgomery_piston_ring_capability():
    r = capability(PHASE1.ravel(), lsl=LSL, usl=USL, subgroup_size=5)
    assert r.sigma_within_method == "Rbar/d2"
    rbar = np.ptp(PHASE1, axis=1).mean()
    assert r.sigma_within == pytest.approx(rbar / 2.326, rel=1e-12)
    assert r.sigma_within == pytest.approx(0.0099, abs=2e-4)  # Montgomery
    assert r.cp == pytest.approx(1.68, abs=0.03)  # Montgomery
    assert r.cp == pytest.approx(0.10 / (6 * rbar / 2.326), rel=1e-12)
    # qcc processCapability on the same data
    assert r.cp == pytest.approx(1.703, abs=5e-4)
    assert r.cpl == pytest.approx(1.743, abs=5e-4)
    assert r.cpu == pytest.approx(1.663, abs=5e-4)
    assert r.cpk == pytest.approx(1.663, abs=5e-4)
    # Montgomery's rounded mean and sigma: min(0.049, 0.051) / (3 x 0.0099) = 1.65
    assert r.cpk == pytest.approx(1.65, abs=0.03)
    s = PHASE1.std(ddof=1)
    assert r.sigma_overall == pytest.approx(s)
    assert r.pp == pytest.approx(0.10 / (6 * s)) and r.ppk <= r.pp
    assert r.n == 125 and r.mean == pytest.approx(74.001176)
    # same answer from a 2-D array
    r2 = capability(PHASE1, lsl=LSL, usl=USL)
    assert r2.cp == pytest.approx(r.cp) and r2.ppk == pytest.approx(r.ppk)


def test_expected_ppm_within_and_overall():
    r = capability(PHASE1, lsl=LSL, usl=USL)
    mu, sw, so = r.mean, r.sigma_within, r.sigma_overall
    assert r.ppm_within["below"] == pytest.approx(1e6 * stats.norm.cdf((LSL - mu) / sw))
    assert r.ppm_within["above"] == pytest.approx(1e6 * stats.norm.sf((USL - mu) / sw))
    assert r.ppm_overall["total"] == pytest.approx(
        1e6 * (stats.norm.cdf((LSL - mu) / so) + stats.norm.sf((USL - mu) / so))
    )
    assert r.ppm_within["total"] < 1.0  # a very capable process: well under 1 ppm


def test_confidence_intervals_formulas():
    r = capability(PHASE1, lsl=LSL, usl=USL, sigma_within_method="pooled", confidence=0.90)
    n, dof = 125, 100
    lo, hi = r.ci["cp"]
    assert lo == pytest.approx(r.cp * np.sqrt(stats.chi2.ppf(0.05, dof) / dof))
    assert hi == pytest.approx(r.cp * np.sqrt(stats.chi2.ppf(0.95, dof) / dof))
    lo, hi = r.ci["ppk"]
    half = stats.norm.ppf(0.95) * np.sqrt(1 / (9 * n) + r.ppk**2 / (2 * (n - 1)))
    assert (lo, hi) == pytest.approx((r.ppk - half, r.ppk + half))
    lo, hi = r.ci["pp"]
    assert lo == pytest.approx(r.pp * np.sqrt(stats.chi2.ppf(0.05, n - 1) / (n - 1)))
    for key in ("cp", "cpk", "pp", "ppk"):
        assert r.ci[key][0] < getattr(r, key) < r.ci[key][1]


def test_pooled_within_sigma():
    r = capability(PHASE1, lsl=LSL, usl=USL, sigma_within_method="pooled")
    sp = np.sqrt(np.mean(PHASE1.var(axis=1, ddof=1)))
    c4 = np.sqrt(2 / 100) * np.exp(special.gammaln(101 / 2) - special.gammaln(100 / 2))
    assert r.sigma_within == pytest.approx(sp / c4)
    assert r.sigma_within_method == "pooled SD/c4"


def test_individuals_use_moving_range():
    x = PHASE1.ravel()
    r = capability(x, lsl=LSL, usl=USL)
    assert r.sigma_within_method == "MRbar/d2"
    assert r.sigma_within == pytest.approx(np.abs(np.diff(x)).mean() / 1.128)


def test_one_sided_specification():
    r = capability(PHASE1, usl=USL)
    assert r.cp is None and r.pp is None and r.cpl is None and r.ppl is None
    assert r.cpk == r.cpu and r.ppk == r.ppu
    assert r.ci["cp"] is None and r.ci["cpk"] is not None
    assert r.ppm_within["below"] == 0.0
    lo = capability(PHASE1, lsl=LSL)
    assert lo.cpk == lo.cpl and lo.ppm_overall["above"] == 0.0


def test_cpm_with_target():
    x = PHASE1.ravel()
    r = capability(x, lsl=LSL, usl=USL, target=74.0)
    tau = np.sqrt(np.sum((x - 74.0) ** 2) / (x.size - 1))
    assert r.cpm == pytest.approx(0.10 / (6 * tau))
    off = capability(x, lsl=LSL, usl=USL, target=74.01)
    assert off.cpm == pytest.approx(
        min(74.01 - LSL, USL - 74.01) / (3 * np.sqrt(np.sum((x - 74.01) ** 2) / (x.size - 1)))
    )
    assert capability(x, lsl=LSL, usl=USL).cpm is None
    assert r.ci["cpm"][0] < r.cpm < r.ci["cpm"][1]


def test_package_level_name_is_callable_both_ways():
    a = spc.capability(PHASE1, lsl=LSL, usl=USL)
    from spc import capability as cap

    b = cap(PHASE1, lsl=LSL, usl=USL)
    assert isinstance(a, CapabilityResult) and a.cp == b.cp


def test_interval_coverage_by_simulation():
    rng = np.random.default_rng(2024)
    mu, sd, lsl, usl = 1.0, 1.0, -4.0, 6.0
    true_pp = (usl - lsl) / (6 * sd)
    true_ppk = min(usl - mu, mu - lsl) / (3 * sd)
    hit_pp = hit_ppk = 0
    reps = 400
    for _ in range(reps):
        x = rng.normal(mu, sd, 50)
        r = capability(x, lsl=lsl, usl=usl)
        hit_pp += r.ci["pp"][0] <= true_pp <= r.ci["pp"][1]
        hit_ppk += r.ci["ppk"][0] <= true_ppk <= r.ci["ppk"][1]
    assert 0.91 <= hit_pp / reps <= 0.99
    assert 0.90 <= hit_ppk / reps <= 0.99


# ---------------------------------------------------------------- normality


def _a2_reference(x):
    x = np.sort(x)
    n = x.size
    f = stats.norm.cdf((x - x.mean()) / x.std(ddof=1))
    return (
        -n
        - sum((2 * i - 1) * (np.log(f[i - 1]) + np.log(1 - f[n - i])) for i in range(1, n + 1)) / n
    )


def test_anderson_darling_statistic_and_pvalue():
    x = PHASE1.ravel()
    a2, p = ad_normality(x)
    assert a2 == pytest.approx(_a2_reference(x), rel=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert a2 == pytest.approx(stats.anderson(x).statistic, rel=1e-8)
    assert p > 0.5  # the piston-ring data look normal
    # D'Agostino & Stephens: the 5 % and 1 % critical values of A*^2 are 0.752 and 1.035
    assert ad_pvalue(0.752) == pytest.approx(0.05, abs=2e-3)
    assert ad_pvalue(1.035) == pytest.approx(0.01, abs=1e-3)
    grid = np.linspace(0.05, 3, 300)
    pv = np.array([ad_pvalue(a) for a in grid])
    assert np.all(np.diff(pv) <= 1e-3)  # decreasing (the pieces join within 1e-3)
    skewed = np.random.default_rng(1).lognormal(0, 0.8, 200)
    assert ad_normality(skewed)[1] < 0.01


# ---------------------------------------------------------------- percentile method


def test_percentile_method_normal_equals_six_sigma_spread():
    x = np.random.default_rng(4).normal(10, 2, 300)
    r = capability(x, lsl=2, usl=19, method="percentile", distribution="normal")
    sd = x.std(ddof=0)
    assert r.distribution == "normal" and r.cp is None and r.cpk is None
    assert r.pp == pytest.approx(17 / (2 * stats.norm.ppf(0.99865) * sd))
    assert r.ppk == pytest.approx(min(19 - x.mean(), x.mean() - 2) / (stats.norm.ppf(0.99865) * sd))


def test_percentile_method_lognormal_closed_form():
    x = np.random.default_rng(9).lognormal(1.0, 0.4, 400)
    r = capability(x, lsl=0.5, usl=12.0, method="percentile", distribution="lognormal")
    assert r.distribution == "lognormal" and set(r.fit["ad"]) == {"lognormal"}
    m, s = np.log(x).mean(), np.log(x).std(ddof=0)
    z = stats.norm.ppf(0.99865)
    q_lo, q_med, q_hi = np.exp(m - z * s), np.exp(m), np.exp(m + z * s)
    assert r.quantiles[0.5] == pytest.approx(q_med, rel=1e-4)
    assert r.pp == pytest.approx((12.0 - 0.5) / (q_hi - q_lo), rel=1e-3)
    assert r.ppk == pytest.approx(
        min((12.0 - q_med) / (q_hi - q_med), (q_med - 0.5) / (q_med - q_lo)), rel=1e-3
    )
    assert r.ppm_overall["above"] == pytest.approx(
        1e6 * stats.norm.sf((np.log(12.0) - m) / s), rel=1e-2
    )
    assert r.normality["p_value"] < 0.05


def test_percentile_method_picks_best_anderson_darling_fit():
    x = np.random.default_rng(9).lognormal(0.0, 0.9, 1000)
    r = capability(x, usl=20.0, method="percentile")
    assert set(r.fit["ad"]) == {"normal", "lognormal", "weibull", "gamma"}
    assert r.distribution == "lognormal"
    assert r.fit["ad"]["lognormal"] == min(r.fit["ad"].values())


def test_percentile_method_weibull_and_gamma_candidates():
    rng = np.random.default_rng(12)
    w = stats.weibull_min(2.5, scale=3.0).rvs(500, random_state=rng)
    r = capability(w, usl=9.0, method="percentile")
    assert r.distribution in ("weibull", "gamma")  # both fit; Weibull should win
    assert r.distribution == "weibull"
    g = capability(w, usl=9.0, method="percentile", distribution="gamma")
    assert g.distribution == "gamma" and g.pp is None and g.ppk == g.ppu


def test_percentile_method_skips_positive_families_for_negative_data():
    x = np.random.default_rng(2).normal(0, 1, 100)
    r = capability(x, lsl=-5, usl=5, method="percentile")
    assert r.distribution == "normal" and set(r.fit["ad"]) == {"normal"}
    with pytest.raises(SpcInputError, match="distribution"):
        capability(x, lsl=-5, usl=5, method="percentile", distribution="weibull")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "data, kwargs, needle",
    [
        ([1.0, np.nan, 2.0], dict(usl=3), "data"),
        ([1.0, np.inf, 2.0], dict(usl=3), "finite"),
        ([], dict(usl=3), "empty"),
        ([1.0], dict(usl=3), "at least 2"),
        ([1.0, 2.0, 3.0], dict(usl=3, subgroup_size=3), "at least 2 subgroups"),
        ([1.0, 2.0, 3.0], dict(usl=3, subgroup_size=2), "subgroup_size"),
        ([1.0, 2.0, 3.0], dict(usl=3, subgroup_size=0), "subgroup_size"),
        ([1.0, 2.0, 3.0], dict(), "lsl/usl"),
        ([1.0, 2.0, 3.0], dict(lsl=3, usl=3), "lsl"),
        ([1.0, 2.0, 3.0], dict(lsl=4, usl=3), "lsl"),
        ([2.0, 2.0, 2.0], dict(lsl=1, usl=3), "zero variance"),
        ([1.0, 1.0, 2.0, 2.0], dict(lsl=0, usl=3, subgroup_size=2), "zero within"),
        ([1.0, 2.0, 3.0], dict(lsl=0, usl=4, target=5), "target"),
        ([1.0, 2.0, 3.0], dict(lsl=0, usl=4, confidence=1.0), "confidence"),
        ([1.0, 2.0, 3.0], dict(lsl=0, usl=4, method="box-cox"), "method"),
        ([1.0, 2.0, 3.0], dict(lsl=0, usl=np.nan), "usl"),
        (
            [1.0, 2.0, 3.0],
            dict(lsl=0, usl=4, method="percentile", distribution="cauchy"),
            "distribution",
        ),
        (
            np.arange(60.0),
            dict(lsl=0, usl=100, subgroup_size=30, sigma_within_method="rbar"),
            "at most 25",
        ),
        (
            np.arange(60.0),
            dict(lsl=0, usl=100, subgroup_size=30, sigma_within_method="mad"),
            "sigma_within_method",
        ),
    ],
)
def test_bad_input(data, kwargs, needle):
    with pytest.raises(SpcInputError, match=needle):
        capability(data, **kwargs)


# ---------------------------------------------------------------- properties

_values = hnp.arrays(np.float64, st.integers(4, 60), elements=st.floats(-100, 100, allow_nan=False))


def _safe(fn):
    try:
        return fn()
    except SpcInputError:
        return None


@settings(max_examples=80, deadline=None)
@given(_values, st.floats(-50, 0), st.floats(0.1, 100), st.sampled_from([1, 2]))
def test_cpk_never_exceeds_cp(x, lsl, width, k):
    x = x[: x.size - x.size % k]
    r = _safe(lambda: capability(x, lsl=lsl, usl=lsl + width, subgroup_size=k))
    if r is None:
        return
    assert r.cpk <= r.cp + 1e-12 and r.ppk <= r.pp + 1e-12
    assert r.cpk == pytest.approx(min(r.cpl, r.cpu))


@settings(max_examples=60, deadline=None)
@given(_values, st.floats(-1e3, 1e3), st.floats(0.01, 100))
def test_indices_invariant_under_shift_and_scale(x, shift, scale):
    if np.ptp(x) < 1e-3:
        return
    lsl, usl = x.min() - 1.0, x.max() + 1.0
    a = _safe(lambda: capability(x, lsl=lsl, usl=usl))
    if a is None or a.sigma_within < 1e-6:
        return
    b = capability(x * scale + shift, lsl=lsl * scale + shift, usl=usl * scale + shift)
    for name in ("cp", "cpk", "pp", "ppk"):
        assert getattr(b, name) == pytest.approx(getattr(a, name), rel=1e-6)
    assert b.sigma_within == pytest.approx(a.sigma_within * scale, rel=1e-6)
    assert b.mean == pytest.approx(a.mean * scale + shift, rel=1e-9, abs=1e-6)


def test_ad_pvalue_stays_near_zero_for_grossly_non_normal_data():
    # D'Agostino & Stephens: p = exp(1.2937 - 5.709 a + 0.0186 a^2) for a >= 0.6;
    # the quadratic has its minimum at a = 5.709 / 0.0372 = 153.5 (p ~ 1e-190)
    # and would climb back to p = 1 past a = 307: held at the minimum instead.
    assert ad_pvalue(10.0) == pytest.approx(np.exp(1.2937 - 57.09 + 1.86), rel=1e-12)
    assert ad_pvalue(153.0) < 1e-180
    assert ad_pvalue(400.0) < 1e-180
    assert ad_pvalue(1e6) == ad_pvalue(5.709 / 0.0372)
