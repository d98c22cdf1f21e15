"""Tests for spc.process_capability.capability_method (normal or percentile).

Samples whose answer is known by construction: a seeded normal sample (the
Anderson-Darling test must not reject it at 5 %), a lognormal sample with
sigma 0.5 (strongly skewed: rejected), and a one-sided upper tolerance on a
quantity bounded at zero (percentile whatever the test says). The A^2
statistic is checked against scipy.stats.anderson (an independent
implementation of the same statistic).
"""

import warnings

import numpy as np
import pytest
from scipy import stats

import spc
from spc import SpcInputError, capability
from spc.process_capability import MethodChoice, capability_method


def scipy_a2(x):
    """A^2 of scipy.stats.anderson (normal, mean and SD estimated)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # SciPy 1.17: p-value method
        return stats.anderson(x).statistic


def test_normal_sample_gives_the_normal_method():
    x = np.random.default_rng(13).normal(10.0, 0.1, 100)
    choice = capability_method(x, 9.5, 10.5)
    assert isinstance(choice, MethodChoice)
    assert (choice.method, choice.reason) == ("normal", "normality_not_rejected")
    assert choice.ad_pvalue > 0.05 and choice.alpha == 0.05
    assert choice.ad_statistic == pytest.approx(scipy_a2(x), rel=1e-9)


def test_lognormal_sample_gives_the_percentile_method():
    x = np.random.default_rng(13).lognormal(0.0, 0.5, 150)
    choice = capability_method(x, None, 6.0)
    assert (choice.method, choice.reason) == ("percentile", "normality_rejected")
    assert choice.ad_pvalue < 1e-3
    assert choice.ad_statistic == pytest.approx(scipy_a2(x), rel=1e-9)
    # the engine's fit then picks a skewed model for it
    assert capability(x, usl=6.0, method=choice.method).distribution != "normal"


def test_zero_bounded_upper_tolerance_gives_percentile_whatever_the_test_says():
    # run-out values around 0.5 mm with a 1 mm upper tolerance: the sample
    # looks normal (p well above 5 %), the characteristic is still bounded at 0
    x = np.random.default_rng(21).normal(0.5, 0.05, 60)
    choice = capability_method(x, None, 1.0, bounded_zero=True)
    assert (choice.method, choice.reason) == ("percentile", "zero_bounded")
    assert choice.ad_pvalue > 0.05  # reported all the same
    # without the bound, or with a lower limit, the test decides
    assert capability_method(x, None, 1.0).method == "normal"
    assert capability_method(x, 0.0, 1.0, bounded_zero=True).reason == "normality_not_rejected"
    # zeros are allowed (a perfectly flat face), the percentile study runs
    flat = np.abs(np.random.default_rng(5).normal(0.0, 0.01, 80))
    flat[:3] = 0.0
    assert capability_method(flat, None, 0.05, bounded_zero=True).reason == "zero_bounded"
    assert capability(flat, usl=0.05, method="percentile").ppk is not None


def test_alpha_is_the_level_of_the_test():
    x = np.random.default_rng(11).normal(10.0, 0.1, 100)
    p = capability_method(x, 9.5, 10.5).ad_pvalue  # 0.169
    assert capability_method(x, 9.5, 10.5, alpha=p * 1.01).method == "percentile"
    assert capability_method(x, 9.5, 10.5, alpha=p * 0.99).method == "normal"


@pytest.mark.parametrize(
    "args, kwargs, needle",
    [
        (([1.0, 2.0], 0.0, 3.0), {}, "values: at least 3"),
        (([1.0, 2.0, np.nan], 0.0, 3.0), {}, "values: must be finite"),
        (([[1.0, 2.0, 3.0]], 0.0, 3.0), {}, "values: must be 1-D"),
        (([2.0, 2.0, 2.0], 0.0, 3.0), {}, "values: zero variance"),
        (([1.0, 2.0, 3.0], None, None), {}, "lsl/usl"),
        (([1.0, 2.0, 3.0], 3.0, 1.0), {}, "lsl: must be below usl"),
        (([1.0, 2.0, 3.0], 0.0, 4.0), {"alpha": 1.0}, "alpha"),
        (([1.0, 2.0, 3.0], 0.0, 4.0), {"bounded_zero": "yes"}, "bounded_zero"),
        (([-0.1, 2.0, 3.0], None, 4.0), {"bounded_zero": True}, "values: .* no negative"),
    ],
)
def test_bad_input_names_the_argument(args, kwargs, needle):
    with pytest.raises(SpcInputError, match=needle):
        capability_method(*args, **kwargs)


def test_public_name():
    assert spc.capability_method is capability_method
