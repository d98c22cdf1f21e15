"""Bad input to the public functions of the metrology engine: each refuses
NaN, infinities, empty or wrongly shaped data and values of the wrong type
with a MetrologyInputError (a ValueError) or a TypeError naming the argument,
rather than returning garbage or failing somewhere inside numpy."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrology import (
    MetrologyInputError,
    decision,
    iso286,
    monte_carlo,
    round_to_resolution,
    uncertainty_budget,
)
from metrology.fits import standard_tolerance
from metrology.intervals import reliability_target, staircase

FEW = settings(max_examples=25, deadline=None, database=None)


def numeric(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


WORDS = st.text(max_size=5).filter(lambda text: not numeric(text))
NOT_FINITE = st.sampled_from([math.nan, math.inf, -math.inf, float("1e309")])
NOT_A_NUMBER = st.one_of(
    NOT_FINITE, WORDS, st.lists(st.floats(), min_size=2, max_size=3),
    st.dictionaries(st.text(max_size=2), st.floats(), max_size=2), st.just(object()),
)  # fmt: skip
TIMES = [1.0, 2.0, 3.0, 4.0]
DRIFTS = [0.5, 1.0, 1.5, 2.0]
BAD_ARRAY = st.one_of(
    NOT_FINITE.map(lambda bad: [1.0, bad, 3.0, 4.0]),
    WORDS.map(lambda bad: [1.0, bad, 3.0, 4.0]),
    st.sampled_from([[], "abc", None, {"a": 1}, [[1.0, 2.0], [3.0]], [1.0, 2.0]]),
)
COMPONENT = {"name": "scale", "standard_uncertainty": 0.5, "dof": 10}

CASES = [
    ("iso286 nominal", lambda v: iso286(v, "h7"), "nominal",
     st.one_of(NOT_FINITE, st.floats(max_value=0), st.floats(min_value=3150.01),
               st.lists(st.floats(), min_size=1, max_size=2), st.just(object()))),
    ("iso286 designation", lambda v: iso286(20, v), "designation",
     st.one_of(st.text(max_size=4).filter(lambda t: t.strip().lower() not in ("h7", "")),
               st.integers(), NOT_FINITE, st.lists(st.text(), max_size=2))),
    ("standard tolerance nominal", lambda v: standard_tolerance(v, 7), "nominal",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("standard tolerance grade", lambda v: standard_tolerance(20, v), "grade",
     st.one_of(st.integers(max_value=-1), st.integers(min_value=19), NOT_FINITE,
               st.floats(1.1, 1.9), st.just("IT99"), st.none(), st.booleans())),
    ("decision value", lambda v: decision(v, lsl=9, usl=11), "value",
     st.one_of(NOT_FINITE, WORDS, st.just(object()), BAD_ARRAY.filter(lambda v: v != [1.0, 2.0]))),
    ("decision lsl", lambda v: decision(10, lsl=v, usl=11), "lsl", NOT_A_NUMBER),
    ("decision usl", lambda v: decision(10, lsl=9, usl=v), "usl", NOT_A_NUMBER),
    ("decision uncertainty", lambda v: decision(10, lsl=9, usl=11, expanded_uncertainty=v),
     "expanded_uncertainty", st.one_of(NOT_A_NUMBER, st.floats(max_value=-0.01))),
    ("decision rule", lambda v: decision(10, lsl=9, usl=11, rule=v), "rule",
     st.one_of(st.text(max_size=5), st.integers(), st.none())),
    ("staircase interval",
     lambda v: staircase(v, [True], min_interval=1, max_interval=100), "interval",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("staircase history",
     lambda v: staircase(10, v, min_interval=1, max_interval=100), "as_found_in_tolerance",
     st.one_of(st.sampled_from([[], None, "abc", [1.5], [True, "no"], {"a": True}]),
               NOT_FINITE)),
    ("staircase max", lambda v: staircase(10, [True], min_interval=1, max_interval=v),
     "max_interval", st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("reliability times", lambda v: reliability_target(v, DRIFTS, tolerance=3.0), "times",
     BAD_ARRAY),
    ("reliability drifts", lambda v: reliability_target(TIMES, v, tolerance=3.0), "drifts",
     BAD_ARRAY),
    ("reliability tolerance", lambda v: reliability_target(TIMES, DRIFTS, tolerance=v),
     "tolerance", st.one_of(NOT_FINITE, WORDS, st.just(object()), st.floats(max_value=0),
                            st.sampled_from([[1.0, -1.0], [-1.0, math.nan], [1.0, 2.0, 3.0]]))),
    ("reliability target",
     lambda v: reliability_target(TIMES, DRIFTS, tolerance=3.0, target_reliability=v),
     "target_reliability",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0), st.floats(min_value=1))),
    ("budget components", lambda v: uncertainty_budget(v), "components",
     st.sampled_from([[], None, "abc", 5, [5]])),
    ("budget uncertainty",
     lambda v: uncertainty_budget([dict(COMPONENT, standard_uncertainty=v)]),
     "standard_uncertainty", st.one_of(NOT_A_NUMBER, st.floats(max_value=-0.01))),
    ("budget coverage", lambda v: uncertainty_budget([COMPONENT], coverage=v), "coverage",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0), st.floats(min_value=1))),
    ("rounding value", lambda v: round_to_resolution(v, 0.001), "value", NOT_A_NUMBER),
    ("rounding resolution", lambda v: round_to_resolution(20.0, v), "resolution",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=-1e-300))),
    ("monte carlo inputs", lambda v: monte_carlo(lambda a: a, v, trials=1000), "inputs",
     st.sampled_from([{}, None, [1], {"a": ("normal", math.nan, 1.0)},
                      {"a": ("normal", 0.0, -1.0)}, {"a": ("nope", 1, 2)}, {"a": "x"}])),
    ("monte carlo trials",
     lambda v: monte_carlo(lambda a: a, {"a": ("normal", 0, 1)}, trials=v), "trials",
     st.one_of(NOT_A_NUMBER, st.integers(max_value=0), st.floats(1.5, 99.5))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "argument", "strategy"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_argument_is_refused_naming_it(call, argument, strategy):
    @FEW
    @given(bad=strategy)
    def check(bad):
        with pytest.raises((MetrologyInputError, TypeError)) as caught:
            call(bad)
        assert argument in str(caught.value), (bad, str(caught.value))
        if isinstance(caught.value, ValueError):
            assert isinstance(caught.value, MetrologyInputError), (bad, repr(caught.value))

    check()


def test_the_good_calls_of_the_table_work():
    assert iso286(20, "h7").upper_limit == 20.0
    assert standard_tolerance(20, 7) == 21
    assert decision(10, lsl=9, usl=11, expanded_uncertainty=0.1).verdict == "conform"
    assert staircase(10, [True], min_interval=1, max_interval=100) is not None
    assert reliability_target(TIMES, DRIFTS, tolerance=3.0).drift_rate == pytest.approx(0.5)
    assert uncertainty_budget([COMPONENT], coverage=0.95).combined_uncertainty == pytest.approx(0.5)
    assert monte_carlo(lambda a: a, {"a": ("normal", 0, 1)}, trials=1000, seed=1) is not None
    assert round_to_resolution(20.0125, 0.001) == (20.012, True)
