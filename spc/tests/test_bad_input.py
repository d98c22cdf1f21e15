"""Bad input to the public functions of the engine: each refuses NaN,
infinities, empty or wrongly shaped data and values of the wrong type with an
SpcInputError (a ValueError) or a TypeError naming the argument, rather than
returning garbage or failing somewhere inside numpy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spc import (
    SpcInputError,
    attribute_agreement,
    capability,
    control_chart,
    gauge_rr,
    linearity,
    run_rules,
    type1_study,
)
from spc.charts import KINDS
from spc.constants import constant
from spc.frequency import band_of, capability_interval, interval_for_band
from spc.precontrol import classify, zones
from spc.sampling import code_letter, sample_size, single_plan

FEW = settings(max_examples=25, deadline=None, database=None)

VALUES = [10.0 + 0.1 * math.sin(i) + 0.02 * (i % 3) for i in range(30)]
GRID = [VALUES[i : i + 5] for i in range(0, 30, 5)]  # 6 subgroups of 5
PARTS = [p for p in range(5) for _operator in range(2) for _trial in range(2)]
OPERATORS = [o for _part in range(5) for o in "AB" for _trial in range(2)]
GRR = [10 + 0.5 * p + 0.01 * ((i * 7) % 5) for i, p in enumerate(PARTS)]
RATINGS = ["ok" if (i % 7) else "nok" for i in range(20)]


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


def with_bad(values, bad):
    """``values`` with one entry replaced by ``bad``."""
    return [*values[:3], bad, *values[4:]]


BAD_ARRAY = st.one_of(
    NOT_FINITE.map(lambda bad: with_bad(VALUES, bad)),
    st.sampled_from([[], [[]], "abc", None, {"a": 1}, [[1.0, 2.0], [3.0]], [["a", "b"]]]),
    WORDS.map(lambda bad: with_bad(VALUES, bad)),
)

# (name, call with one argument replaced, argument, strategy of values refused)
CASES = [
    ("imr data", lambda v: control_chart("imr", v), "data", BAD_ARRAY),
    ("xbar data", lambda v: control_chart("xbar_r", v), "data", BAD_ARRAY),
    ("imr center", lambda v: control_chart("imr", VALUES, center=v, sigma=0.1), "center",
     NOT_A_NUMBER),
    ("imr sigma", lambda v: control_chart("imr", VALUES, center=10, sigma=v), "sigma",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("kind", lambda v: control_chart(v, VALUES), "kind",
     st.one_of(st.text(max_size=5).filter(lambda t: t not in KINDS), st.integers(), st.none(),
               st.lists(st.text(), max_size=2))),
    ("p sizes", lambda v: control_chart("p", [1, 2, 0, 3], sizes=v), "sizes",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0),
               NOT_FINITE.map(lambda bad: [50, bad, 50, 50]))),
    ("ewma lam", lambda v: control_chart("ewma", VALUES, lam=v), "lam",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0), st.floats(min_value=1.01))),
    ("rules values", lambda v: run_rules(v, 10.0, 0.1), "values", BAD_ARRAY),
    ("rules center", lambda v: run_rules(VALUES, v, 0.1), "center", NOT_A_NUMBER),
    ("rules sigma", lambda v: run_rules(VALUES, 10.0, v), "sigma",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("capability data", lambda v: capability(v, lsl=9, usl=11), "data", BAD_ARRAY),
    ("capability lsl", lambda v: capability(VALUES, lsl=v, usl=11), "lsl", NOT_A_NUMBER),
    ("capability usl", lambda v: capability(VALUES, lsl=9, usl=v), "usl", NOT_A_NUMBER),
    ("capability confidence", lambda v: capability(VALUES, lsl=9, usl=11, confidence=v),
     "confidence", st.one_of(NOT_A_NUMBER, st.floats(max_value=0), st.floats(min_value=1))),
    ("grr measurements", lambda v: gauge_rr(v, parts=PARTS, operators=OPERATORS),
     "measurements", BAD_ARRAY),
    ("grr tolerance", lambda v: gauge_rr(GRR, parts=PARTS, operators=OPERATORS, tolerance=v),
     "tolerance", st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("type1 values", lambda v: type1_study(v, reference=10, tolerance=1), "values", BAD_ARRAY),
    ("type1 reference", lambda v: type1_study(VALUES, reference=v, tolerance=1), "reference",
     NOT_A_NUMBER),
    ("type1 tolerance", lambda v: type1_study(VALUES, reference=10, tolerance=v), "tolerance",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0))),
    ("linearity measured", lambda v: linearity(VALUES, v), "measured", BAD_ARRAY),
    ("agreement ratings",
     lambda v: attribute_agreement(v, parts=PARTS, appraisers=OPERATORS), "ratings",
     st.sampled_from([[], None, "abc", 5, RATINGS[:7], [*RATINGS[:19], None]])),
    ("single plan lot", lambda v: single_plan(v, 1.0), "lot_size",
     st.one_of(NOT_A_NUMBER, st.integers(max_value=1), st.floats(1.1, 9.9), st.booleans())),
    ("single plan aql", lambda v: single_plan(500, v), "aql",
     st.one_of(NOT_A_NUMBER, st.floats(max_value=0), st.floats(1.01, 1.09))),
    ("code letter level", lambda v: code_letter(500, v), "level",
     st.one_of(st.text(max_size=4).filter(lambda t: t.strip().upper() not in
                                           ("I", "II", "III", "S-1", "S-2", "S-3", "S-4")),
               st.integers(), st.none(), NOT_FINITE)),
    ("sample size letter", lambda v: sample_size(v), "letter",
     st.one_of(st.text(max_size=3).filter(lambda t: not ("A" <= t.strip().upper() <= "R"
                                                          and len(t.strip()) == 1)),
               st.integers(), st.none(), NOT_FINITE)),
    ("constant n", lambda v: constant("d2", v), "n",
     st.one_of(NOT_A_NUMBER, st.integers(max_value=1), st.integers(min_value=26),
               st.floats(2.1, 2.9), st.booleans())),
    ("band cpk", lambda v: band_of(v), "cpk", NOT_A_NUMBER),
    ("band criticality", lambda v: band_of(1.5, criticality=v), "criticality",
     st.one_of(st.text(max_size=4), st.integers(), st.none())),
    ("interval reference", lambda v: interval_for_band(2, v), "reference_interval",
     st.one_of(NOT_A_NUMBER, st.integers(max_value=0))),
    ("interval band", lambda v: interval_for_band(v, 20), "band",
     st.one_of(NOT_A_NUMBER, st.integers(max_value=-1), st.integers(min_value=10),
               st.booleans())),
    ("capability interval cpk", lambda v: capability_interval(v, 20), "cpk", NOT_A_NUMBER),
    ("capability interval reference", lambda v: capability_interval(1.5, v),
     "reference_interval", st.one_of(NOT_A_NUMBER, st.integers(max_value=0))),
    ("capability interval conforming",
     lambda v: capability_interval(1.5, 20, tightened_band=0, conforming_subgroups=v),
     "conforming_subgroups", st.one_of(NOT_A_NUMBER, st.integers(max_value=-1))),
    ("zones lower", lambda v: zones(lower=v, upper=None), "lower", NOT_A_NUMBER),
    ("zones upper", lambda v: zones(lower=9.0, upper=v), "upper", NOT_A_NUMBER),
    ("zones nominal", lambda v: zones(lower=9.0, nominal=v), "nominal", NOT_A_NUMBER),
    ("classify values", lambda v: classify(v, zones(lower=9, upper=11)), "values",
     BAD_ARRAY.filter(lambda bad: bad not in ([], [[]]))),  # no values: no verdicts
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
        with pytest.raises((SpcInputError, TypeError)) as caught:
            call(bad)
        assert argument in str(caught.value), (bad, str(caught.value))
        if isinstance(caught.value, ValueError):
            assert isinstance(caught.value, SpcInputError), (bad, repr(caught.value))

    check()


def test_the_good_calls_of_the_table_work():
    """The calls above, with good values, give results (the refusals are the
    bad arguments', not the rest of the call's)."""
    assert control_chart("imr", VALUES).kind == "imr"
    assert control_chart("xbar_r", GRID).statistic.size == 6
    assert control_chart("imr", VALUES, center=10, sigma=0.1).phase == "II"
    assert control_chart("p", [1, 2, 0, 3], sizes=50).statistic.size == 4
    assert control_chart("ewma", VALUES, lam=0.2).statistic.size == 30
    assert run_rules(VALUES, 10.0, 0.1).rule_set == "nelson"
    assert capability(VALUES, lsl=9, usl=11, confidence=0.9).cpk > 1
    assert gauge_rr(GRR, parts=PARTS, operators=OPERATORS, tolerance=1.0) is not None
    assert type1_study(VALUES, reference=10, tolerance=1) is not None
    assert linearity(VALUES, VALUES) is not None
    assert attribute_agreement(RATINGS, parts=PARTS, appraisers=OPERATORS) is not None
    assert single_plan(500, 1.0) is not None
    assert code_letter(500, "II") == "H"
    assert sample_size("H") == 50
    assert constant("d2", 5) == pytest.approx(2.326)
    assert band_of(1.5) == band_of(1.5, criticality="major")
    assert interval_for_band(2, 20) >= 1
    assert capability_interval(1.5, 20, tightened_band=0, conforming_subgroups=2).interval >= 1
    assert zones(lower=9.0, upper=None).lower == 9.0
    assert zones(lower=9.0, upper=11.0).warn_upper == 10.5
    assert zones(lower=9.0, nominal=10.0).warn_lower == 9.5
    assert list(classify([10.0, 8.0], zones(lower=9, upper=11))) == ["ok", "nok"]
    assert np.isfinite(capability_interval(None, 20).interval)
