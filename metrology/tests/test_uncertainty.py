"""GUM budgets and GUM-S1 Monte Carlo against published examples."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrology import MetrologyInputError, monte_carlo, uncertainty_budget
from metrology.uncertainty import Component

# GUM (JCGM 100:2008) annex H.1, end-gauge calibration, Table H.1 (nm, nm/unit).
H1 = [
    {"name": "calibration of standard", "standard_uncertainty": 25.0, "dof": 18},
    {"name": "measured difference", "standard_uncertainty": 9.7, "dof": 25.6},
    {
        "name": "expansion coefficient of standard",
        "standard_uncertainty": 1.2e-6,
        "dof": math.inf,
        "sensitivity": 0.0,
    },
    {"name": "temperature of test bed", "standard_uncertainty": 0.41, "dof": 2, "sensitivity": 0.0},
    {
        "name": "difference in expansion coefficients",
        "standard_uncertainty": 0.58e-6,
        "dof": 50,
        "sensitivity": -50e6 * -0.1,
    },  # -l_s * theta, in nm per 1/degC
    {
        "name": "difference in temperatures",
        "standard_uncertainty": 0.029,
        "dof": 2,
        "sensitivity": -50e6 * 11.5e-6,
    },  # -l_s * alpha_s, in nm per degC
]


def test_gum_h1_end_gauge():
    b = uncertainty_budget(H1, coverage=0.99)
    # GUM H.1.4: u_c(l) = 32 nm; H.1.6: nu_eff = 16.7 -> 16, t_99(16) = 2.92, U_99 = 93 nm.
    assert round(b.combined_uncertainty) == 32
    # GUM quotes u_c^2 = 1002 nm^2 from rounded table entries; unrounded inputs give 1006.
    assert b.combined_uncertainty**2 == pytest.approx(1002, abs=5)
    assert b.effective_dof == pytest.approx(16.7, abs=0.1)
    assert round(b.coverage_factor, 2) == 2.92
    assert round(b.expanded_uncertainty) == 93
    # Individual contributions of Table H.1: 25, 9.7, 0, 0, 2.9, 16.6 nm.
    assert b.contributions == pytest.approx([25, 9.7, 0, 0, 2.9, 16.6], abs=0.1)
    assert b.percent_contributions.sum() == pytest.approx(100.0)
    # 95 %: t_95(16) = 2.12, U_95 = 68 nm.
    b95 = uncertainty_budget(H1, coverage=0.95)
    assert round(b95.coverage_factor, 2) == 2.12
    # GUM multiplies the rounded u_c = 32 nm: 2.12 x 32 nm = 68 nm (unrounded: 67.2 nm).
    assert round(b95.coverage_factor * round(b95.combined_uncertainty)) == 68
    assert b95.expanded_uncertainty == pytest.approx(68, abs=1)
    # Result of H.1.5/H.1.6: l = l_s + d = 50.000 623 mm + 215 nm = 50.000 838 mm.
    assert 50.000623 + 215e-6 == pytest.approx(50.000838, abs=1e-9)


def test_k2_convention_and_normal_limit():
    b = uncertainty_budget(H1, coverage_factor=2)
    assert b.coverage_factor == 2.0 and b.coverage is None
    assert b.expanded_uncertainty == pytest.approx(2 * b.combined_uncertainty)
    inf = uncertainty_budget(
        [{"name": "a", "standard_uncertainty": 3.0}, {"name": "b", "standard_uncertainty": 4.0}]
    )
    assert inf.combined_uncertainty == pytest.approx(5.0)
    assert inf.effective_dof == math.inf
    assert inf.coverage_factor == pytest.approx(1.959964, abs=1e-6)
    assert list(inf.percent_contributions) == pytest.approx([36.0, 64.0])


def test_truncation_convention():
    comps = [{"name": "a", "standard_uncertainty": 1.0, "dof": 4.6}]
    assert uncertainty_budget(comps).coverage_factor == pytest.approx(2.776445, abs=1e-6)
    assert uncertainty_budget(comps, truncate_dof=False).coverage_factor < 2.776


def test_type_b_conversions():
    rect = Component("r", distribution="rectangular", half_width=math.sqrt(3))
    tri = Component("t", distribution="triangular", half_width=math.sqrt(6))
    norm = Component("n", distribution="normal", half_width=2.0, k=2)
    arc = Component("u", distribution="u-shaped", half_width=math.sqrt(2))
    for c in (rect, tri, norm, arc):
        assert c.standard_uncertainty == pytest.approx(1.0)
    b = uncertainty_budget([rect, tri, norm, arc])
    assert b.combined_uncertainty == pytest.approx(2.0)
    d = uncertainty_budget([{"name": "res", "distribution": "rectangular", "half_width": 0.5}])
    assert d.combined_uncertainty == pytest.approx(0.5 / math.sqrt(3))


def test_type_a_from_observations():
    c = Component.from_observations("rep", [10.0, 10.2, 9.8, 10.1, 9.9])
    assert c.type == "A" and c.dof == 4
    assert c.standard_uncertainty == pytest.approx(
        np.std([10, 10.2, 9.8, 10.1, 9.9], ddof=1) / math.sqrt(5)
    )


def test_correlation_and_sensitivities():
    comps = [{"name": "a", "standard_uncertainty": 1.0}, {"name": "b", "standard_uncertainty": 2.0}]
    full = uncertainty_budget(comps, correlation=[[1, 1], [1, 1]])
    assert full.combined_uncertainty == pytest.approx(3.0)
    anti = uncertainty_budget(comps, correlation=[[1, -1], [-1, 1]])
    assert anti.combined_uncertainty == pytest.approx(1.0)
    diff = uncertainty_budget(comps, sensitivities=[1, -1], correlation=[[1, 0.5], [0.5, 1]])
    assert diff.combined_uncertainty == pytest.approx(math.sqrt(1 + 4 - 2 * 0.5 * 2))
    assert diff.percent_contributions.sum() == pytest.approx(100.0)


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"components": []}, "empty"),
        ({"components": [{"name": "a", "standard_uncertainty": -1.0}]}, ">= 0"),
        ({"components": [{"name": "a", "standard_uncertainty": float("nan")}]}, "finite"),
        ({"components": [{"name": "a", "standard_uncertainty": 1.0, "dof": 0}]}, "dof"),
        ({"components": [{"name": "a", "standard_uncertainty": 1.0, "type": "C"}]}, "type"),
        ({"components": [{"name": "a", "standard_uncertainty": 0.0}]}, "is 0"),
        (
            {
                "components": [
                    {
                        "name": "a",
                        "standard_uncertainty": 1.0,
                        "half_width": 1.0,
                        "distribution": "rectangular",
                    }
                ]
            },
            "not both",
        ),
        (
            {"components": [{"name": "a", "distribution": "cauchy", "half_width": 1.0}]},
            "distribution",
        ),
        ({"components": [{"name": "a"}]}, "missing"),
        ({"components": [{"name": "a", "standard_uncertainty": 1.0, "bogus": 1}]}, "unknown keys"),
        (
            {
                "components": [
                    {"name": "a", "standard_uncertainty": 1.0},
                    {"name": "a", "standard_uncertainty": 1.0},
                ]
            },
            "unique",
        ),
        ({"components": [{"name": "a", "standard_uncertainty": 1.0}], "coverage": 1.0}, "coverage"),
        (
            {"components": [{"name": "a", "standard_uncertainty": 1.0}], "coverage_factor": -2},
            "coverage_factor",
        ),
        (
            {"components": [{"name": "a", "standard_uncertainty": 1.0}], "sensitivities": [1, 2]},
            "sensitivities",
        ),
        (
            {
                "components": [{"name": "a", "standard_uncertainty": 1.0}],
                "sensitivities": [float("inf")],
            },
            "finite",
        ),
        (
            {
                "components": [
                    {"name": "a", "standard_uncertainty": 1.0},
                    {"name": "b", "standard_uncertainty": 1.0},
                ],
                "correlation": [[1, 2], [2, 1]],
            },
            r"\[-1, 1\]",
        ),
        (
            {
                "components": [
                    {"name": "a", "standard_uncertainty": 1.0},
                    {"name": "b", "standard_uncertainty": 1.0},
                ],
                "correlation": [[1, 0.5], [0.2, 1]],
            },
            "symmetric",
        ),
        ({"components": "abc"}, "list"),
    ],
)
def test_budget_errors(kwargs, needle):
    with pytest.raises(MetrologyInputError, match=needle):
        uncertainty_budget(**kwargs)


def test_budget_is_frozen():
    b = uncertainty_budget([{"name": "a", "standard_uncertainty": 1.0}])
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.combined_uncertainty = 2.0
    with pytest.raises(ValueError):
        b.contributions[0] = 5.0


@settings(max_examples=100, deadline=None)
@given(
    us=st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=6),
    dofs=st.lists(st.floats(min_value=1.0, max_value=200.0), min_size=6, max_size=6),
    scale=st.floats(min_value=1e-6, max_value=1e6),
)
def test_property_scale_invariance(us, dofs, scale):
    comps = [
        {"name": f"x{i}", "standard_uncertainty": u, "dof": d}
        for i, (u, d) in enumerate(zip(us, dofs, strict=False))
    ]
    scaled = [dict(c, standard_uncertainty=c["standard_uncertainty"] * scale) for c in comps]
    a, b = uncertainty_budget(comps), uncertainty_budget(scaled)
    assert b.combined_uncertainty == pytest.approx(a.combined_uncertainty * scale, rel=1e-9)
    assert b.effective_dof == pytest.approx(a.effective_dof, rel=1e-9)
    assert b.coverage_factor == pytest.approx(a.coverage_factor, rel=1e-9)
    assert b.percent_contributions == pytest.approx(a.percent_contributions, abs=1e-7)
    # W-S bounds: min dof <= nu_eff <= sum of dofs.
    used = dofs[: len(us)]
    assert min(used) * (1 - 1e-9) <= a.effective_dof <= sum(used) * (1 + 1e-9)


# --------------------------------------------------------------------------- Monte Carlo
def test_mc_additive_normal_matches_analytic():
    # GUM-S1 9.2.2: Y = X1 + X2 + X3 + X4, X_i ~ N(0, 1): u(y) = 2, 95 % interval +/- 3.92.
    res = monte_carlo(
        lambda a, b, c, d: a + b + c + d, {k: ("normal", 0.0, 1.0) for k in "abcd"}, seed=1
    )
    assert res.estimate == pytest.approx(0.0, abs=0.01)
    assert res.standard_uncertainty == pytest.approx(2.0, abs=0.01)
    assert res.interval[0] == pytest.approx(-3.92, abs=0.02)
    assert res.interval[1] == pytest.approx(3.92, abs=0.02)
    assert res.shortest_interval[1] - res.shortest_interval[0] == pytest.approx(7.84, abs=0.04)
    assert res.expanded_uncertainty == pytest.approx(3.92, abs=0.02)


def test_mc_additive_rectangular_gum_s1():
    # GUM-S1 9.2.3: four rectangular inputs with u = 1: u(y) = 2, MCM interval +/- 3.88.
    a = math.sqrt(3.0)
    res = monte_carlo(
        lambda w, x, y, z: w + x + y + z, {k: ("rectangular", -a, a) for k in "wxyz"}, seed=7
    )
    assert res.standard_uncertainty == pytest.approx(2.0, abs=0.01)
    assert res.interval[1] == pytest.approx(3.88, abs=0.02)
    assert res.interval[0] == pytest.approx(-3.88, abs=0.02)


def test_mc_skewed_shortest_interval_and_other_distributions():
    res = monte_carlo(lambda x: np.exp(x), {"x": ("normal", 0.0, 0.5)}, trials=200_000, seed=3)
    lo, hi = res.interval
    slo, shi = res.shortest_interval
    assert shi - slo < hi - lo  # lognormal is skewed
    assert lo == pytest.approx(math.exp(-1.959964 * 0.5), rel=0.01)
    t = monte_carlo(
        lambda x, y, z, c: x + y + z + c,
        {"x": ("t", 1.0, 0.5, 10), "y": ("triangular", -1, 1), "z": ("arcsine", -1, 1), "c": 2.0},
        trials=200_000,
        seed=4,
    )
    expected_var = 0.25 * 10 / 8 + 1 / 6 + 1 / 2
    assert t.estimate == pytest.approx(3.0, abs=0.01)
    assert t.standard_uncertainty == pytest.approx(math.sqrt(expected_var), rel=0.01)


def test_mc_reproducible_with_seed():
    spec = {"x": ("normal", 1.0, 0.1)}
    assert monte_carlo(lambda x: x, spec, trials=1000, seed=5) == monte_carlo(
        lambda x: x, spec, trials=1000, seed=5
    )


@pytest.mark.parametrize(
    "model,inputs,kwargs,needle",
    [
        (lambda x: x, {}, {}, "non-empty"),
        (None, {"x": ("normal", 0, 1)}, {}, "callable"),
        (lambda x: x, {"x": ("normal", 0, -1)}, {}, "sd"),
        (lambda x: x, {"x": ("rectangular", 1, 0)}, {}, "a < b"),
        (lambda x: x, {"x": ("normal", float("nan"), 1)}, {}, "finite"),
        (lambda x: x, {"x": ("weird", 0, 1)}, {}, "unknown distribution"),
        (lambda x: x, {"x": ("normal", 0)}, {}, "takes"),
        (lambda x: x, {"x": ("normal", 0, 1)}, {"trials": 10}, "trials"),
        (lambda x: x, {"x": ("normal", 0, 1)}, {"coverage": 0}, "coverage"),
        (lambda x: np.log(x), {"x": ("normal", 0, 1)}, {"trials": 1000}, "non-finite"),
        (lambda x: x[:5], {"x": ("normal", 0, 1)}, {"trials": 1000}, "one per trial"),
    ],
)
def test_mc_errors(model, inputs, kwargs, needle):
    with pytest.raises(MetrologyInputError, match=needle):
        monte_carlo(model, inputs, **kwargs)


def test_dict_aliases():
    b = uncertainty_budget(
        [
            {"name": "a", "u": 1.0, "nu": 10, "c": 2.0},
            {"name": "b", "distribution": "rectangular", "half-width": 3.0},
        ]
    )
    assert b.combined_uncertainty == pytest.approx(math.sqrt(4.0 + 3.0))
    with pytest.raises(MetrologyInputError, match="twice"):
        uncertainty_budget([{"name": "a", "u": 1.0, "standard_uncertainty": 1.0}])
