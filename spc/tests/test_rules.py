"""Tests for spc.rules.

Sources: Nelson, L. S. (1984), "The Shewhart control chart - tests for
special causes", Journal of Quality Technology 16(4), 237-239 (tests 1-8);
Western Electric Statistical Quality Control Handbook (1956) rules 1-4; the
"point that completes the pattern" marking follows Minitab's documentation
of its tests for special causes. Every fixture below is constructed by hand
in sigma units (center 0, sigma 1 unless stated), with a matching negative
fixture that just misses the pattern.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from spc.errors import SpcInputError
from spc.rules import RuleViolations, run_rules


def flagged(values, test, rules="nelson", center=0.0, sigma=1.0, **kw):
    return list(run_rules(np.asarray(values, float), center, sigma, rules=rules, **kw)[test])


# ---------------------------------------------------------------- test 1


def test_nelson_1_beyond_three_sigma():
    assert flagged([0.1, 3.2, -0.5, -3.01, 0.0], 1) == [1, 3]


def test_nelson_1_negative_exactly_three_sigma_is_not_beyond():
    assert flagged([0.1, 3.0, -2.9, -3.0, 0.0], 1) == []


# ---------------------------------------------------------------- test 2


def test_nelson_2_nine_same_side_marks_ninth_and_following():
    x = [-0.5] + [0.4] * 11 + [-0.2]
    assert flagged(x, 2) == [9, 10, 11]  # points 9, 10, 11 of the run
    assert flagged([-0.3] * 9, 2) == [8]  # below the centre line too


def test_nelson_2_negative_eight_in_a_row_or_a_point_on_the_centre_line():
    assert flagged([0.4] * 8 + [-0.1] + [0.4] * 8, 2) == []
    assert flagged([0.4] * 4 + [0.0] + [0.4] * 4, 2) == []


# ---------------------------------------------------------------- test 3


def test_nelson_3_six_increasing_or_decreasing():
    assert flagged([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.2], 3) == [5]
    assert flagged([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 3) == [5, 6]


def test_nelson_3_negative_five_increasing_or_a_tie():
    assert flagged([0.0, 0.1, 0.2, 0.3, 0.4, 0.3, 0.4], 3) == []
    assert flagged([0.0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5], 3) == []  # a tie breaks the trend


# ---------------------------------------------------------------- test 4


def test_nelson_4_fourteen_alternating():
    x = [0.5, -0.5] * 7  # 14 points
    assert flagged(x, 4) == [13]
    assert flagged(x + [0.5], 4) == [13, 14]


def test_nelson_4_negative_thirteen_alternating_or_a_repeat():
    assert flagged([0.5, -0.5] * 6 + [0.5], 4) == []
    x = [0.5, -0.5] * 7
    x[7] = x[6]  # a flat step breaks the alternation
    assert flagged(x, 4) == []


# ---------------------------------------------------------------- test 5


def test_nelson_5_two_of_three_beyond_two_sigma_same_side():
    assert flagged([0.0, 2.5, 0.3, 2.1, 0.0], 5) == [3]
    assert flagged([0.0, 2.5, 2.2, 0.0], 5) == [2]  # the completing point is marked
    assert flagged([0.0, -2.1, -2.6, 0.0], 5) == [2]
    assert flagged([2.5, 0.0, 2.5], 5) == [2]  # the first full window of three


def test_k_of_m_tests_need_a_full_window_of_m_points():
    # "2 out of 3 successive points": with two points there are no three
    # successive points yet, whatever the two are.
    assert flagged([2.5, 2.2], 5) == []
    assert flagged([2.5, 2.2, 0.0], 5) == []  # 2 is the first point with 3 behind it
    assert flagged([2.5, 2.2, 2.4], 5) == [2]
    # "4 out of 5": points 0..3 beyond 1 sigma, but 3 has only 4 points behind it
    assert flagged([-1.5, -1.2, -1.1, -1.3, 0.0], 6) == []
    assert flagged([-1.5, -1.2, -1.1, -1.3, -1.4], 6) == [4]
    # the same rules of the Western Electric handbook (rules 2 and 3)
    we = "western_electric"
    assert flagged([2.5, 2.5], 2, we) == []
    assert flagged([1.5, 1.5, 1.5, 1.5], 3, we) == []
    assert flagged([1.5, 1.5, 1.5, 1.5, 0.0, 1.5], 3, we) == [5]
    # an override keeps the window of k + 1: 3 of 4 needs four points
    assert flagged([2.5, 2.5, 2.5], 5, test5=(3, 2.0)) == []
    assert flagged([2.5, 2.5, 2.5, 2.5], 5, test5=(3, 2.0)) == [3]
    # long windows (counted by cumulative sums): 17 of 18
    assert flagged([1.5] * 17, 6, test6=(17, 1.0)) == []
    assert flagged([1.5] * 18, 6, test6=(17, 1.0)) == [17]
    assert flagged([0.0] + [1.5] * 17, 6, test6=(17, 1.0)) == [17]
    # across the blocks of 65,536 points the window is still full
    x = np.zeros(70_000)
    x[65_535:65_537] = 2.5
    assert list(run_rules(x, 0.0, 1.0, tests=[5])[5]) == [65_536]


def test_nelson_5_negative_opposite_sides_or_too_far_apart():
    assert flagged([2.5, -2.5, 0.0, 2.5], 5) == []
    assert flagged([2.5, 0.0, 0.0, 2.5], 5) == []
    assert flagged([2.5, 1.9, 0.0], 5) == []


# ---------------------------------------------------------------- test 6


def test_nelson_6_four_of_five_beyond_one_sigma_same_side():
    assert flagged([1.5, 1.2, 0.0, 1.1, 1.3], 6) == [4]
    assert flagged([0.0, -1.5, -1.2, -1.1, -1.3, 0.0], 6) == [4]


def test_nelson_6_negative_three_of_five_or_mixed_sides():
    assert flagged([1.5, 1.2, 0.0, 0.2, 1.3], 6) == []
    assert flagged([1.5, -1.2, 1.1, -1.3, 1.4], 6) == []


# ---------------------------------------------------------------- test 7


def test_nelson_7_fifteen_within_one_sigma():
    x = [0.5, -0.5, 0.2, -0.9, 0.1] * 3  # 15 points, both sides
    assert flagged(x, 7) == [14]
    assert flagged([2.0] + x, 7) == [15]


def test_nelson_7_negative_fourteen_within():
    x = [0.5, -0.5, 0.2, -0.9, 0.1] * 3
    x[7] = 1.2
    assert flagged(x, 7) == []


# ---------------------------------------------------------------- test 8


def test_nelson_8_eight_beyond_one_sigma_either_side():
    x = [1.5, -1.5, 1.2, -2.0, 1.1, -1.3, 1.4, -1.6]
    assert flagged(x, 8) == [7]


def test_nelson_8_negative_one_point_inside():
    x = [1.5, -1.5, 1.2, -2.0, 0.9, -1.3, 1.4, -1.6, 1.2]
    assert flagged(x, 8) == []


def test_nelson_8_either_side_or_both_sides():
    one_side = [1.5, 1.2, 2.0, 1.1, 1.3, 1.4, 1.6, 1.2]  # 8 beyond +1 sigma
    mixed = [1.5, -1.5, 1.2, -2.0, 1.1, -1.3, 1.4, -1.6]
    # default (Minitab): either side
    assert flagged(one_side, 8) == [7]
    assert flagged(one_side, 8, test8_sides="either_side") == [7]
    # Nelson's wording: points on both sides within the run
    assert flagged(one_side, 8, test8_sides="both_sides") == []
    assert flagged(mixed, 8, test8_sides="both_sides") == [7]
    # 9 beyond 1 sigma, the first 8 above: only the window 1..8 has both sides
    assert flagged(one_side + [-1.5], 8, test8_sides="both_sides") == [8]
    assert flagged(one_side + [-1.5], 8) == [7, 8]
    # a point inside 1 sigma breaks the run under both readings
    assert flagged(mixed[:4] + [0.9] + mixed[5:], 8, test8_sides="both_sides") == []
    # the one-sided run is still marked by test 6 (4 of 5 beyond 1 sigma)
    assert 7 in flagged(one_side, 6, test8_sides="both_sides")


def test_test8_sides_reported_and_described():
    both = run_rules(np.zeros(3), 0.0, 1.0, test8_sides="both_sides")
    assert both.test8_sides == "both_sides"
    assert both.descriptions[8] == (
        "8 points in a row more than 1 sigma from the centre line, on both sides"
    )
    either = run_rules(np.zeros(3), 0.0, 1.0)
    assert either.test8_sides == "either_side"
    assert either.descriptions[8].endswith("(either side)")
    assert run_rules(np.zeros(3), 0.0, 1.0, test8_sides="both_sides", test8=6).parameters[8] == 6
    with pytest.raises(SpcInputError, match="test8_sides"):
        run_rules(np.zeros(3), 0.0, 1.0, test8_sides="both")


# ---------------------------------------------------------------- Western Electric


def test_western_electric_rules():
    we = "western_electric"
    assert flagged([0.0, 3.5, 0.0], 1, we) == [1]
    assert flagged([0.0, 3.0, 0.0], 1, we) == []
    assert flagged([2.5, 0.0, 2.5], 2, we) == [2]
    assert flagged([2.5, 0.0, 0.0, 2.5], 2, we) == []
    assert flagged([1.5, 1.5, 0.0, 1.5, 1.5], 3, we) == [4]
    assert flagged([1.5, 1.5, 0.0, 0.0, 1.5, 1.5], 3, we) == []
    assert flagged([0.2] * 8, 4, we) == [7]
    assert flagged([0.2] * 7, 4, we) == []
    r = run_rules(np.zeros(5), 0, 1, rules=we)
    assert sorted(r) == [1, 2, 3, 4] and r.rule_set == we
    assert "8 points in a row" in r.descriptions[4]


# ---------------------------------------------------------------- options


def test_override_run_length_and_description():
    x = [0.4] * 7
    assert flagged(x, 2) == []
    r = run_rules(np.array(x), 0, 1, test2=7)
    assert list(r[2]) == [6]
    assert r.descriptions[2].startswith("7 points in a row")
    assert r.parameters[2] == 7
    assert flagged([2.5, 0.0, 2.5], 5, test5=(2, 3.0)) == []
    assert flagged([2.5], 1, test1=2.0) == [0]


def test_select_and_disable_tests():
    r = run_rules(np.zeros(20), 0, 1, tests=[1, 7])
    assert sorted(r) == [1, 7] and list(r[7]) == [14, 15, 16, 17, 18, 19]
    r = run_rules(np.zeros(20), 0, 1, test7=None)
    assert 7 not in r and len(r) == 7


def test_per_point_center_and_sigma():
    # the same standardised pattern with varying limits
    c = np.linspace(10, 12, 9)
    s = np.linspace(1, 2, 9)
    values = c + 0.5 * s
    assert flagged(values, 2, center=c, sigma=s) == [8]
    values[3] = c[3] + 3.5 * s[3]
    assert 3 in flagged(values, 1, center=c, sigma=s)


def test_result_mapping_and_union():
    x = np.array([0.0, 3.5] + [0.4] * 9)
    r = run_rules(x, 0, 1)
    assert isinstance(r, RuleViolations) and r.any
    assert list(r.points) == sorted(
        set(r[1]) | set(r[2]) | set(r[5]) | set(r[6]) | set(r[8]) | set(r[3])
    )
    assert not run_rules(np.array([0.1, -0.1, 0.2]), 0, 1).any
    with pytest.raises(ValueError):
        r[1][0] = 5


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (dict(values=[1.0, np.nan], center=0, sigma=1), "values"),
        (dict(values=[], center=0, sigma=1), "empty"),
        (dict(values=[1.0, 2.0], center=0, sigma=0), "sigma"),
        (dict(values=[1.0, 2.0], center=[0, 1, 2], sigma=1), "center"),
        (dict(values=[1.0, 2.0], center=0, sigma=1, rules="iso"), "rules"),
        (dict(values=[1.0, 2.0], center=0, sigma=1, test2=1), "test2"),
        (dict(values=[1.0, 2.0], center=0, sigma=1, test9=3), "test9"),
        (dict(values=[1.0, 2.0], center=0, sigma=1, tests=[9]), "tests"),
        (dict(values=[1.0, 2.0], center=0, sigma=1, test5=2), "test5"),
    ],
)
def test_bad_input(kwargs, needle):
    values = kwargs.pop("values")
    with pytest.raises(SpcInputError, match=needle):
        run_rules(values, **kwargs)


# ---------------------------------------------------------------- brute-force reference


def _reference(z, x, test):
    """Straightforward per-point implementation of the Nelson tests."""
    out = []
    n = len(z)
    for i in range(n):
        if test == 1:
            hit = abs(z[i]) > 3
        elif test == 2:
            w = z[i - 8 : i + 1] if i >= 8 else None
            hit = w is not None and (all(v > 0 for v in w) or all(v < 0 for v in w))
        elif test == 3:
            w = x[i - 5 : i + 1] if i >= 5 else None
            pairs = list(zip(w, w[1:], strict=False)) if w is not None else []
            hit = w is not None and (all(b > a for a, b in pairs) or all(b < a for a, b in pairs))
        elif test == 4:
            w = x[i - 13 : i + 1] if i >= 13 else None
            if w is None:
                hit = False
            else:
                d = [b - a for a, b in zip(w, w[1:], strict=False)]
                hit = all(d[j] * d[j + 1] < 0 for j in range(len(d) - 1))
        elif test in (5, 6):
            k, zone = (2, 2.0) if test == 5 else (4, 1.0)
            w = z[i - k : i + 1] if i >= k else None  # k + 1 successive points
            hit = w is not None and any(
                sg * z[i] > zone and sum(sg * v > zone for v in w) >= k for sg in (1, -1)
            )
        elif test == 7:
            hit = i >= 14 and all(abs(v) < 1 for v in z[i - 14 : i + 1])
        elif test == 8:
            hit = i >= 7 and all(abs(v) > 1 for v in z[i - 7 : i + 1])
        else:  # test 8 read "on both sides"
            w = z[i - 7 : i + 1]
            hit = i >= 7 and all(abs(v) > 1 for v in w) and min(w) < 0 < max(w)
        if hit:
            out.append(i)
    return out


@settings(max_examples=150, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        st.integers(1, 60),
        elements=st.sampled_from([-3.5, -2.5, -1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 3.5, 0.7, -0.7]),
    )
)
def test_vectorised_rules_equal_brute_force(z):
    r = run_rules(z, 0.0, 1.0)
    for t in range(1, 9):
        assert list(r[t]) == _reference(list(z), list(z), t), t
    both = run_rules(z, 0.0, 1.0, tests=[8], test8_sides="both_sides")
    assert list(both[8]) == _reference(list(z), list(z), "8 both sides")


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(np.float64, st.integers(1, 40), elements=st.floats(-5, 5)),
    st.floats(-100, 100),
    st.floats(0.1, 10),
)
def test_rules_invariant_under_affine_change(z, c, s):
    a = run_rules(z, 0.0, 1.0)
    b = run_rules(c + s * z, c, s)
    for t in (1, 2, 7, 8):  # zone tests; exact boundaries may round, so use margins
        ok = np.all(np.abs(np.abs(z) - np.array([1.0, 2.0, 3.0])[:, None]) > 1e-6) and np.all(
            np.abs(z) > 1e-6
        )
        if ok:
            assert list(a[t]) == list(b[t])


def test_cached_plans_keep_equal_but_different_arguments_apart():
    x = np.array([2.5, 0.0, 2.5, 0.0, 2.5])
    assert list(run_rules(x, 0.0, 1.0, tests=[1], test1=2.0)[1]) == [0, 2, 4]
    assert list(run_rules(x, 0.0, 1.0, tests=[1])[1]) == []  # not the cached 2.0
    with pytest.raises(SpcInputError, match="test2"):
        run_rules(x, 0.0, 1.0, test2=True)  # True is not the run length 1... nor 2
    assert run_rules(x, 0.0, 1.0, test2=2).parameters[2] == 2
    with pytest.raises(SpcInputError, match="test2"):
        run_rules(x, 0.0, 1.0, test2=True)
    # unhashable overrides are checked without the cache
    assert run_rules(x, 0.0, 1.0, test5=[2, 2.0]).parameters[5] == (2, 2.0)
