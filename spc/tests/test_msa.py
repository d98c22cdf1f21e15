"""Tests for spc.msa against published examples and hand-worked values."""

import math

import numpy as np
import pytest

from spc import SpcInputError
from spc.msa import (
    AIAG_K1,
    AIAG_K2,
    AIAG_K3,
    attribute_agreement,
    clopper_pearson,
    cohen_kappa,
    d2,
    d2_star,
    fleiss_kappa,
    gauge_rr,
    linearity,
    type1_study,
)
from spc.tests.reference_data import AIAG_GRR


def _aiag_long():
    y, parts, ops = [], [], []
    for op, trials in AIAG_GRR.items():
        for trial in trials:
            for i, v in enumerate(trial):
                y.append(v)
                parts.append(f"P{i + 1}")
                ops.append(op)
    return y, parts, ops


@pytest.fixture(scope="module")
def aiag():
    return _aiag_long()


# --------------------------------------------------------------------------
# Gauge R&R - average and range method (AIAG published report)
# --------------------------------------------------------------------------


def test_average_range_matches_aiag_report(aiag):
    y, parts, ops = aiag
    r = gauge_rr(y, parts=parts, operators=ops, method="average_range")
    # published: EV 0.20188, AV 0.22963, GRR 0.30575, PV 1.10456, TV 1.14610
    # (the manual rounds Rbarbar / Xdiff / Rp to 4 digits before multiplying)
    assert r.ev == pytest.approx(0.20188, abs=1e-4)
    assert r.av == pytest.approx(0.22963, abs=1e-4)
    assert r.grr == pytest.approx(0.30575, abs=1e-4)
    assert r.pv == pytest.approx(1.10456, abs=1e-4)
    assert r.tv == pytest.approx(1.14610, abs=1e-4)
    # exact values from the unrounded intermediates
    assert r.ev == pytest.approx(0.341667 * 0.5908, rel=1e-5)
    assert r.pv == pytest.approx(3.511 * 0.3146, rel=1e-4)
    # published percentages of total variation
    assert r.pct_study_var["ev"] == pytest.approx(17.6, abs=0.05)
    assert r.pct_study_var["av"] == pytest.approx(20.0, abs=0.05)
    assert r.pct_study_var["grr"] == pytest.approx(26.68, abs=0.01)
    assert r.pct_study_var["pv"] == pytest.approx(96.38, abs=0.01)
    assert r.ndc == 5
    assert r.interaction == 0.0
    assert r.n_parts == 10 and r.n_operators == 3 and r.n_trials == 3


def test_average_range_ndc_factor_and_tolerance(aiag):
    y, parts, ops = aiag
    r = gauge_rr(
        y,
        parts=parts,
        operators=ops,
        method="average_range",
        ndc_factor=math.sqrt(2),
        tolerance=8.0,
    )
    assert r.ndc_raw == pytest.approx(math.sqrt(2) * r.pv / r.grr)
    assert r.ndc == 5
    assert r.pct_tolerance["grr"] == pytest.approx(100 * 6 * r.grr / 8.0)
    r515 = gauge_rr(
        y, parts=parts, operators=ops, method="average_range", study_var=5.15, tolerance=8.0
    )
    assert r515.pct_tolerance["grr"] == pytest.approx(100 * 5.15 * r.grr / 8.0)


# --------------------------------------------------------------------------
# Gauge R&R - ANOVA method (AIAG ANOVA section / Minitab)
# --------------------------------------------------------------------------


def test_anova_table_matches_aiag(aiag):
    y, parts, ops = aiag
    r = gauge_rr(y, parts=parts, operators=ops)
    rows = {row.source: row for row in r.anova_with_interaction}
    # AIAG MSA 4th ed. ANOVA table: SS 3.1673 / 88.3619 / 0.3590 / 2.7589 / 94.6471
    assert rows["operator"].df == 2 and rows["operator"].ss == pytest.approx(3.1673, abs=1e-4)
    assert rows["part"].df == 9 and rows["part"].ss == pytest.approx(88.3619, abs=1e-4)
    assert rows["part*operator"].df == 18 and rows["part*operator"].ss == pytest.approx(
        0.3590, abs=1e-4
    )
    assert rows["repeatability"].df == 60 and rows["repeatability"].ss == pytest.approx(
        2.7589, abs=1e-4
    )
    assert rows["total"].df == 89 and rows["total"].ss == pytest.approx(94.6471, abs=1e-4)
    # MS 1.58363 / 9.81799 / 0.01994 / 0.04598 ; F 79.41 / 492.29 / 0.434
    assert rows["operator"].ms == pytest.approx(1.58363, abs=1e-5)
    assert rows["part"].ms == pytest.approx(9.81799, abs=1e-5)
    assert rows["part*operator"].ms == pytest.approx(0.01994, abs=1e-5)
    assert rows["repeatability"].ms == pytest.approx(0.04598, abs=1e-5)
    assert rows["operator"].f == pytest.approx(79.41, abs=0.01)
    assert rows["part"].f == pytest.approx(492.29, abs=0.01)
    assert rows["part*operator"].f == pytest.approx(0.434, abs=0.001)
    assert rows["part*operator"].p == pytest.approx(0.974, abs=0.001)
    assert rows["repeatability"].f is None


def test_anova_pools_interaction_like_minitab(aiag):
    y, parts, ops = aiag
    r = gauge_rr(y, parts=parts, operators=ops)
    assert r.interaction_pooled
    assert r.interaction_p > 0.25
    # AIAG / Minitab variance components with interaction pooled (Minitab reports
    # the same for gageaiag.MTW: VarComp 0.03997 / 0.05146 / 1.08645, ndc 4)
    assert r.var_ev == pytest.approx(0.039973, abs=1e-6)
    assert r.var_av == pytest.approx(0.051455, abs=1e-6)
    assert r.var_interaction == 0.0
    assert r.var_grr == pytest.approx(0.091428, abs=1e-6)
    assert r.var_pv == pytest.approx(1.086447, abs=1e-6)
    assert r.ev == pytest.approx(0.199933, abs=1e-6)
    assert r.av == pytest.approx(0.226838, abs=1e-6)
    assert r.grr == pytest.approx(0.302372, abs=1e-6)
    assert r.pv == pytest.approx(1.042327, abs=1e-6)
    assert r.tv == pytest.approx(1.085300, abs=1e-6)
    assert r.pct_study_var["grr"] == pytest.approx(27.86, abs=0.01)
    assert r.pct_contribution["grr"] == pytest.approx(7.76, abs=0.01)
    assert r.pct_contribution["pv"] == pytest.approx(92.24, abs=0.01)
    assert r.ndc == 4  # 1.41 * 1.042327 / 0.302372 = 4.86
    reduced = {row.source: row for row in r.anova_without_interaction}
    assert reduced["repeatability"].df == 78
    assert reduced["repeatability"].ms == pytest.approx(0.039973, abs=1e-6)
    assert reduced["operator"].f == pytest.approx(1.583631 / 0.039973, rel=1e-4)


def test_anova_keeps_interaction_when_alpha_high(aiag):
    y, parts, ops = aiag
    r = gauge_rr(y, parts=parts, operators=ops, alpha=1.0)
    assert not r.interaction_pooled
    assert r.var_ev == pytest.approx(0.045982, abs=1e-6)
    # (MS_PO - MS_E)/r is negative -> set to 0
    assert r.var_interaction == 0.0
    assert r.var_av == pytest.approx((1.583631 - 0.019943) / 30, abs=1e-6)
    assert r.var_pv == pytest.approx((9.817993 - 0.019943) / 9, abs=1e-6)


def test_anova_significant_interaction():
    rng = np.random.default_rng(1)
    y, parts, ops = [], [], []
    inter = rng.normal(0, 1.0, size=(6, 3))
    for i in range(6):
        for j in range(3):
            for _ in range(3):
                y.append(i + j * 0.3 + inter[i, j] + rng.normal(0, 0.05))
                parts.append(i)
                ops.append(("x", "y", "z")[j])
    r = gauge_rr(y, parts=parts, operators=ops)
    assert not r.interaction_pooled
    assert r.interaction_p < 0.25
    assert r.var_interaction > 0
    assert r.var_grr == pytest.approx(r.var_ev + r.var_av + r.var_interaction)
    assert r.grr**2 + r.pv**2 == pytest.approx(r.tv**2)


def test_labels_any_order_and_type(aiag):
    y, parts, ops = aiag
    idx = np.random.default_rng(0).permutation(len(y))
    y2 = [y[i] for i in idx]
    parts2 = [int(parts[i][1:]) for i in idx]
    ops2 = [{"A": 1.5, "B": 2.5, "C": 3.5}[ops[i]] for i in idx]
    a = gauge_rr(y, parts=parts, operators=ops)
    b = gauge_rr(y2, parts=parts2, operators=ops2)
    assert b.grr == pytest.approx(a.grr)
    assert b.pv == pytest.approx(a.pv)
    c = gauge_rr(y2, parts=parts2, operators=ops2, method="average_range")
    assert c.grr == pytest.approx(
        gauge_rr(y, parts=parts, operators=ops, method="average_range").grr
    )


def test_gauge_rr_result_is_frozen(aiag):
    y, parts, ops = aiag
    r = gauge_rr(y, parts=parts, operators=ops)
    with pytest.raises(AttributeError):
        r.grr = 0


def test_gauge_rr_bad_input(aiag):
    y, parts, ops = aiag
    with pytest.raises(SpcInputError, match="unbalanced.*'P10'.*'C'"):
        gauge_rr(y[:-1], parts=parts[:-1], operators=ops[:-1])
    bad = list(y)
    bad[3] = float("nan")
    with pytest.raises(SpcInputError, match="measurements"):
        gauge_rr(bad, parts=parts, operators=ops)
    bad[3] = float("inf")
    with pytest.raises(SpcInputError, match="finite"):
        gauge_rr(bad, parts=parts, operators=ops)
    with pytest.raises(SpcInputError, match="measurements"):
        gauge_rr([], parts=[], operators=[])
    with pytest.raises(SpcInputError, match="parts: length"):
        gauge_rr(y, parts=parts[:-1], operators=ops)
    with pytest.raises(SpcInputError, match="method"):
        gauge_rr(y, parts=parts, operators=ops, method="xbar")
    with pytest.raises(SpcInputError, match="alpha"):
        gauge_rr(y, parts=parts, operators=ops, alpha=2)
    with pytest.raises(SpcInputError, match="tolerance"):
        gauge_rr(y, parts=parts, operators=ops, tolerance=-1)
    with pytest.raises(SpcInputError, match="trials"):
        gauge_rr([1, 2, 3, 4], parts=[1, 2, 3, 4], operators=["a"] * 4)


def test_k_constants_are_inverse_d2_star():
    for m, k in AIAG_K1.items():
        assert 1 / d2(m) == pytest.approx(k, abs=1e-4)
    for m, k in AIAG_K2.items():
        assert 1 / d2_star(m, 1) == pytest.approx(k, abs=1e-4)
    for m, k in AIAG_K3.items():
        assert 1 / d2_star(m, 1) == pytest.approx(k, abs=1e-4)
    assert d2(5) == pytest.approx(2.326, abs=1e-3)
    assert d2(25) == pytest.approx(3.931, abs=1e-3)


def test_average_range_general_constants():
    # 4 operators / 12 parts / 4 trials: outside the AIAG tables -> d2*
    rng = np.random.default_rng(3)
    y, parts, ops = [], [], []
    for i in range(12):
        for j in range(4):
            for _ in range(4):
                y.append(i * 0.5 + j * 0.1 + rng.normal(0, 0.1))
                parts.append(i)
                ops.append(j)
    r = gauge_rr(y, parts=parts, operators=ops, method="average_range")
    cube = np.asarray(y).reshape(12, 4, 4)
    rbar = (cube.max(axis=2) - cube.min(axis=2)).mean()
    assert r.ev == pytest.approx(rbar / d2(4), rel=1e-6)
    rp = np.ptp(cube.mean(axis=(1, 2)))
    assert r.pv == pytest.approx(rp / d2_star(12, 1), rel=1e-6)


# --------------------------------------------------------------------------
# Type-1 study (hand-worked)
# --------------------------------------------------------------------------


def test_type1_hand_worked():
    values = [10.01, 9.99, 10.02, 10.00, 9.98, 10.01, 10.00, 9.99, 10.02, 10.00]
    # mean = 10.002, s = sqrt(0.00156/9) = 0.0131656
    r = type1_study(values, reference=10.0, tolerance=0.4, resolution=0.001)
    assert r.mean == pytest.approx(10.002)
    s = math.sqrt(0.00156 / 9)
    assert r.std == pytest.approx(s)
    assert r.bias == pytest.approx(0.002)
    assert r.cg == pytest.approx(0.2 * 0.4 / (6 * s))  # 1.01273
    assert r.cg == pytest.approx(1.01273, abs=1e-5)
    assert r.cgk == pytest.approx((0.1 * 0.4 - 0.002) / (3 * s))  # 0.96210
    assert r.t == pytest.approx(0.002 / (s / math.sqrt(10)))  # 0.48038
    assert r.p == pytest.approx(0.6424, abs=1e-3)
    assert not r.capable
    assert r.pct_resolution == pytest.approx(0.25)
    assert r.resolution_ok


def test_type1_capable_and_bad_input():
    values = [5.000, 5.001, 4.999, 5.000, 5.001, 4.999, 5.000, 5.000]
    r = type1_study(values, reference=5.0, tolerance=0.2)
    assert r.capable and r.cg > 1.33 and r.cgk > 1.33
    assert r.resolution is None and r.resolution_ok is None
    with pytest.raises(SpcInputError, match="tolerance"):
        type1_study(values, reference=5.0, tolerance=0)
    with pytest.raises(SpcInputError, match="values"):
        type1_study([1.0], reference=5.0, tolerance=1)
    with pytest.raises(SpcInputError, match="values"):
        type1_study([1.0, float("nan")], reference=5.0, tolerance=1)
    with pytest.raises(SpcInputError, match="reference"):
        type1_study(values, reference=float("inf"), tolerance=1)


# --------------------------------------------------------------------------
# Linearity (AIAG MSA 4th edition example)
# --------------------------------------------------------------------------

AIAG_LINEARITY = {
    2.0: [2.70, 2.50, 2.40, 2.50, 2.70, 2.30, 2.50, 2.50, 2.40, 2.40, 2.60, 2.40],
    4.0: [5.10, 3.90, 4.20, 5.00, 3.80, 3.90, 3.90, 3.90, 3.90, 4.00, 4.10, 3.80],
    6.0: [5.80, 5.70, 5.90, 5.90, 6.00, 6.10, 6.00, 6.10, 6.40, 6.30, 6.00, 6.10],
    8.0: [7.60, 7.70, 7.80, 7.70, 7.80, 7.80, 7.80, 7.70, 7.80, 7.50, 7.60, 7.70],
    10.0: [9.10, 9.30, 9.50, 9.30, 9.40, 9.50, 9.50, 9.50, 9.60, 9.20, 9.30, 9.40],
}


def test_linearity_aiag_example():
    ref = [k for k, vals in AIAG_LINEARITY.items() for _ in vals]
    meas = [v for vals in AIAG_LINEARITY.values() for v in vals]
    r = linearity(ref, meas, process_variation=6.0)
    # published: slope -0.13167, intercept 0.73667, R^2 0.71, t 12.043 / 10.158
    assert r.slope == pytest.approx(-0.13167, abs=1e-5)
    assert r.intercept == pytest.approx(0.73667, abs=1e-5)
    assert r.r_squared == pytest.approx(0.714, abs=1e-3)
    assert r.t_slope == pytest.approx(-12.043, abs=1e-3)
    assert r.t_intercept == pytest.approx(10.158, abs=1e-3)
    assert r.p_slope < 1e-10
    assert r.pct_linearity == pytest.approx(13.167, abs=1e-3)
    assert r.linearity == pytest.approx(0.13167 * 6.0, abs=1e-4)
    biases = {b.reference: b for b in r.biases}
    # published average biases per reference: 0.491667 0.125 0.025 -0.291667 -0.616667
    assert biases[2.0].bias == pytest.approx(0.491667, abs=1e-6)
    assert biases[4.0].bias == pytest.approx(0.125, abs=1e-6)
    assert biases[6.0].bias == pytest.approx(0.025, abs=1e-6)
    assert biases[8.0].bias == pytest.approx(-0.291667, abs=1e-6)
    assert biases[10.0].bias == pytest.approx(-0.616667, abs=1e-6)
    assert biases[4.0].p > 0.05 and biases[2.0].p < 0.001
    assert r.average_bias == pytest.approx(-0.053333, abs=1e-6)


def test_linearity_bad_input():
    with pytest.raises(SpcInputError, match="measured"):
        linearity([1, 2, 3], [1, 2])
    with pytest.raises(SpcInputError, match="reference"):
        linearity([2, 2, 2], [1, 2, 3])
    with pytest.raises(SpcInputError, match="process_variation"):
        linearity([1, 2, 3], [1, 2, 3.1], process_variation=0)
    with pytest.raises(SpcInputError, match="reference"):
        linearity([1, 2, float("nan")], [1, 2, 3])


# --------------------------------------------------------------------------
# Kappa and attribute agreement
# --------------------------------------------------------------------------

FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_published_example():
    kappa, se, z, p = fleiss_kappa(FLEISS_1971)
    assert kappa == pytest.approx(0.210, abs=5e-4)
    assert se > 0 and z > 0 and p < 0.01


def test_cohen_kappa_hand_worked():
    # 2x2 table yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(a, a) == pytest.approx(1.0)


def test_clopper_pearson():
    lo, hi = clopper_pearson(8, 10)
    assert lo == pytest.approx(0.44390, abs=1e-4)
    assert hi == pytest.approx(0.97479, abs=1e-4)
    assert clopper_pearson(10, 10) == (pytest.approx(0.69150, abs=1e-4), 1.0)
    assert clopper_pearson(0, 10)[0] == 0.0
    with pytest.raises(SpcInputError):
        clopper_pearson(11, 10)


def _study():
    # 4 parts x 2 appraisers x 2 trials, pass/fail; standard P, F, P, F
    std = {1: "P", 2: "F", 3: "P", 4: "F"}
    data = {
        ("A", 1): ["P", "P"],
        ("A", 2): ["F", "F"],
        ("A", 3): ["P", "F"],
        ("A", 4): ["F", "F"],
        ("B", 1): ["P", "P"],
        ("B", 2): ["F", "F"],
        ("B", 3): ["P", "P"],
        ("B", 4): ["P", "P"],
    }
    ratings, parts, apps = [], [], []
    for (a, p), rs in data.items():
        for v in rs:
            ratings.append(v)
            parts.append(p)
            apps.append(a)
    return ratings, parts, apps, std


def test_attribute_agreement_hand_worked():
    ratings, parts, apps, std = _study()
    r = attribute_agreement(ratings, parts=parts, appraisers=apps, standard=std)
    assert r.n_parts == 4 and r.n_trials == 2
    wa, wb = r.within
    assert (wa.label, wa.matched, wa.inspected) == ("A", 3, 4)
    assert wa.percent == pytest.approx(75.0)
    lo, hi = clopper_pearson(3, 4)
    assert wa.ci_low == pytest.approx(100 * lo) and wa.ci_high == pytest.approx(100 * hi)
    assert (wb.matched, wb.percent) == (4, 100.0)
    # within A, Fleiss: counts P/F per part (2,0) (0,2) (1,1) (0,2)
    assert wa.kappa == pytest.approx(fleiss_kappa([[2, 0], [0, 2], [1, 1], [0, 2]])[0])
    # hand value: P_i = 1,1,0,1 -> Pbar 0.75; p_P = 3/8 -> Pe = 0.53125; kappa = 0.46667
    assert wa.kappa == pytest.approx(0.46667, abs=1e-5)
    ea, eb = r.each_vs_standard
    assert ea.matched == 3 and eb.matched == 3
    # appraiser A vs standard: 8 pairs, 7 agree; po = 7/8, pe = 3/8*1/2 + 5/8*1/2 = 0.5
    assert ea.kappa == pytest.approx((7 / 8 - 0.5) / 0.5)
    # between: all four ratings agree on parts 1 and 2 only
    assert r.between.matched == 2
    assert r.all_vs_standard.matched == 2
    assert r.categories == ("P", "F")


def test_attribute_agreement_without_standard_and_bad_input():
    ratings, parts, apps, _ = _study()
    r = attribute_agreement(ratings, parts=parts, appraisers=apps)
    assert r.each_vs_standard is None and r.all_vs_standard is None
    with pytest.raises(SpcInputError, match="unbalanced"):
        attribute_agreement(ratings[:-1], parts=parts[:-1], appraisers=apps[:-1])
    with pytest.raises(SpcInputError, match="ratings"):
        attribute_agreement([], parts=[], appraisers=[])
    with pytest.raises(SpcInputError, match="standard"):
        attribute_agreement(ratings, parts=parts, appraisers=apps, standard={1: "P"})
    with pytest.raises(SpcInputError, match="counts"):
        fleiss_kappa([[1, 1], [2, 1]])
    with pytest.raises(SpcInputError, match="counts"):
        fleiss_kappa([[-1, 3], [2, 0]])


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(
    p=st.integers(2, 6),
    o=st.integers(2, 4),
    r=st.integers(2, 4),
    seed=st.integers(0, 10**6),
)
def test_anova_partition_and_nonnegative_components(p, o, r, seed):
    rng = np.random.default_rng(seed)
    cube = rng.normal(size=(p, o, r)) + rng.normal(size=(p, 1, 1)) * 2
    y = cube.ravel()
    parts = np.repeat(np.arange(p), o * r)
    ops = np.tile(np.repeat(np.arange(o), r), p)
    res = gauge_rr(y, parts=parts, operators=ops)
    rows = {row.source: row for row in res.anova_with_interaction}
    total = (
        rows["part"].ss + rows["operator"].ss + rows["part*operator"].ss + rows["repeatability"].ss
    )
    assert total == pytest.approx(rows["total"].ss, rel=1e-9, abs=1e-12)
    assert rows["total"].df == p * o * r - 1
    for v in (res.var_ev, res.var_av, res.var_interaction, res.var_pv):
        assert v >= 0
    assert res.tv**2 == pytest.approx(res.grr**2 + res.pv**2)
    assert sum(res.pct_contribution[k] for k in ("ev", "av", "interaction", "pv")) == pytest.approx(
        100.0
    )
    ar = gauge_rr(y, parts=parts, operators=ops, method="average_range")
    assert ar.ev >= 0 and ar.av >= 0 and ar.pv >= 0
