"""Tests for spc.series (measurement history -> chart input).

Every expected figure is worked out by hand below, from the definitions: a
subgroup is ``size`` consecutive values and an incomplete last one is left
out (AIAG SPC manual 2nd ed.); a per-order chart has one sample per
production order (Montgomery, ch. 7); the I-MR phase I estimates leave out
excluded points and the moving ranges that touch them.
"""

from types import MappingProxyType

import numpy as np
import pytest

import spc
from spc.errors import SpcInputError
from spc.rules import RuleViolations, run_rules
from spc.series import ChartInput, ImrEstimate, chart_input, imr_estimate, violation_points


def history(values=None, *, ok=None, defects=None, production=None, lot=None, excluded=None):
    """A history of n measurements with ids 101.., times 1000, 2000, ... ms."""
    n = len(values if values is not None else ok if ok is not None else defects)
    data = {
        "id": np.arange(101, 101 + n, dtype=np.int64),
        "time": np.arange(1, n + 1, dtype=float) * 1000.0,
        "production": np.asarray(production if production is not None else [0] * n, np.int64),
        "lot": np.asarray(lot if lot is not None else [0] * n, np.int64),
        "excluded": np.asarray(excluded if excluded is not None else [False] * n, bool),
    }
    if values is not None:
        data["value"] = np.asarray(values, float)
    if ok is not None:
        data["ok"] = np.asarray(ok, bool)
        data["defects"] = np.zeros(n)
    if defects is not None:
        data["defects"] = np.asarray(defects, float)
        data["ok"] = np.ones(n, bool)
    return data


# ---------------------------------------------------------------- measured values


def test_seven_values_in_subgroups_of_three_give_two_subgroups():
    data = history(
        [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0],
        production=[1, 1, 1, 2, 2, 2, 2],
        lot=[0, 0, 7, 7, 7, 8, 8],
        excluded=[False, False, False, False, True, False, False],
    )
    result = chart_input("measure", "xbar_r", data, 3)
    assert isinstance(result, ChartInput)
    # 7 // 3 = 2 subgroups; the 7th value (16.0, id 107) is left out
    assert result.values.tolist() == [[10.0, 11.0, 12.0], [13.0, 14.0, 15.0]]
    assert result.sizes is None
    assert result.excluded.tolist() == [False, True]  # id 105 is in the second
    assert result.meta == {
        "time": [3000.0, 6000.0],  # the last measurement of each subgroup
        "production_id": [1, 2],
        "lot_id": [7, 8],
        "measurement_ids": [[101, 102, 103], [104, 105, 106]],
    }


def test_ewma_and_cusum_use_subgroups_only_when_size_above_one():
    data = history([1.0, 2.0, 3.0, 4.0, 5.0])
    grouped = chart_input("measure", "ewma", data, 2)
    assert grouped.values.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    single = chart_input("measure", "cusum", data, 1)
    assert single.values.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert single.meta["measurement_ids"] == [101, 102, 103, 104, 105]


def test_individuals_keep_every_point():
    data = history([5.0, 6.0, 4.0], lot=[3, 3, 4], excluded=[False, True, False])
    result = chart_input("measure", "imr", data, 1)
    assert result.values.tolist() == [5.0, 6.0, 4.0]
    assert result.excluded.tolist() == [False, True, False]
    assert result.meta["time"] == [1000.0, 2000.0, 3000.0]
    assert result.meta["lot_id"] == [3, 3, 4]
    assert "size" not in result.meta


def test_too_few_points_give_none():
    assert chart_input("measure", "imr", history([1.0]), 1) is None
    assert chart_input("measure", "xbar_s", history([1.0] * 5), 3) is None  # 1 subgroup
    assert chart_input("measure", "ewma", history([1.0] * 3), 2) is None
    assert chart_input("attribute", "p", history(ok=[]), 1) is None
    # two complete subgroups are enough
    assert chart_input("measure", "xbar_s", history([1.0] * 6), 3).values.shape == (2, 3)


# ---------------------------------------------------------------- per-order charts


def test_three_orders_with_interleaved_measurements():
    # orders 7, 5, 9 by first measurement; order 5 has the smallest id but
    # comes second. NOK: ids 102 (order 5), 103 and 106 (order 7).
    data = history(
        ok=[True, False, False, True, True, False, True],
        production=[7, 5, 7, 9, 5, 7, 9],
        lot=[70, 50, 71, 90, 51, 72, 91],
        excluded=[False, False, False, False, True, False, False],
    )
    data["time"] = np.array([1000.0, 2000.0, 9000.0, 4000.0, 5000.0, 6000.0, 8000.0])
    p = chart_input("attribute", "p", data, 1)
    assert p.values.tolist() == [2.0, 1.0, 0.0]  # NOK per order
    assert p.sizes.tolist() == [3.0, 2.0, 2.0]  # pieces per order
    assert p.excluded.tolist() == [False, True, False]  # id 105 is order 5's
    assert p.meta == {
        # latest time of each order: 7 -> max(1000, 9000, 6000), 5 -> 5000, 9 -> 8000
        "time": [9000.0, 5000.0, 8000.0],
        "production_id": [7, 5, 9],
        "lot_id": [70, 50, 90],  # the lot of each order's first measurement
        "measurement_ids": [[101, 103, 106], [102, 105], [104, 107]],
        "size": [3.0, 2.0, 2.0],
    }
    assert chart_input("attribute", "np", data, 1).sizes.tolist() == [3.0, 2.0, 2.0]


def test_defect_charts_count_defects_per_order():
    data = history(defects=[1, 0, 4, 2, 3], production=[2, 2, 1, 2, 1])
    u = chart_input("defects", "u", data, 1)
    assert u.values.tolist() == [3.0, 7.0]  # order 2: 1+0+2, order 1: 4+3
    assert u.sizes.tolist() == [3.0, 2.0]
    c = chart_input("defects", "c", data, 1)
    assert c.values.tolist() == [3.0, 7.0] and c.sizes is None
    assert c.meta["measurement_ids"] == [[101, 102, 104], [103, 105]]


def test_measurements_without_order_form_one_point():
    data = history(ok=[False, True, True], production=[0, 0, 0])
    result = chart_input("attribute", "p", data, 1)
    assert result.values.tolist() == [1.0] and result.sizes.tolist() == [3.0]
    assert result.meta["production_id"] == [0]


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "args, needle",
    [
        (("measures", "imr", None, 1), "result_type"),
        (("measure", "p", None, 1), "kind"),
        (("attribute", "u", None, 1), "kind"),
        (("measure", "imr", None, 0), "size"),
        (("measure", "imr", None, 1.5), "size"),
        (("measure", "xbar_r", None, 1), "size"),
    ],
)
def test_bad_arguments_name_the_argument(args, needle):
    result_type, kind, _, size = args
    with pytest.raises(SpcInputError, match=needle):
        chart_input(result_type, kind, history([1.0, 2.0, 3.0, 4.0]), size)


def test_bad_columns_name_the_column():
    with pytest.raises(SpcInputError, match="data: must be a mapping"):
        chart_input("measure", "imr", [1.0, 2.0], 1)
    data = history([1.0, 2.0, 3.0])
    del data["lot"]
    with pytest.raises(SpcInputError, match="'lot'"):
        chart_input("measure", "imr", data, 1)
    data = history([1.0, 2.0, 3.0])
    data["time"] = data["time"][:2]
    with pytest.raises(SpcInputError, match=r"data\['time'\]: has 2 values"):
        chart_input("measure", "imr", data, 1)
    data = history([1.0, 2.0, 3.0])
    data["excluded"] = np.zeros(3)
    with pytest.raises(SpcInputError, match=r"data\['excluded'\]: must be booleans"):
        chart_input("measure", "imr", data, 1)
    with pytest.raises(SpcInputError, match="'ok'"):
        chart_input("attribute", "p", history([1.0, 2.0]), 1)


# ---------------------------------------------------------------- I-MR estimate


def test_imr_estimate_leaves_out_an_excluded_point_and_its_ranges():
    values = np.array([10.0, 12.0, 11.0, 15.0, 13.0])
    excluded = np.array([False, False, False, True, False])
    est = imr_estimate(values, excluded)
    assert isinstance(est, ImrEstimate)
    # mean of 10, 12, 11, 13 = 46 / 4
    assert est.center == pytest.approx(11.5, abs=1e-12)
    # moving ranges 2, 1, 4, 2; the last two touch index 3 -> (2 + 1) / 2
    assert est.mr_bar == pytest.approx(1.5, abs=1e-12)
    # nothing excluded: (10+12+11+15+13)/5 = 12.2, (2+1+4+2)/4 = 2.25
    full = imr_estimate(values, np.zeros(5, bool))
    assert (full.center, full.mr_bar) == (pytest.approx(12.2), pytest.approx(2.25))


def test_imr_estimate_matches_the_chart_estimate():
    values = np.array([10.0, 12.0, 11.0, 15.0, 13.0, 12.5])
    excluded = np.array([False, True, False, False, False, False])
    est = imr_estimate(values, excluded)
    chart = spc.control_chart("imr", values, exclude=excluded)
    assert est.center == pytest.approx(chart.center[0], rel=1e-15)
    assert est.mr_bar / spc.constants.constant("d2", 2) == pytest.approx(chart.sigma, rel=1e-15)


def test_imr_estimate_without_enough_values():
    assert imr_estimate(np.array([4.0]), np.array([False])) == ImrEstimate(4.0, None)
    assert imr_estimate(np.array([4.0, 5.0]), np.array([True, True])) == ImrEstimate(None, None)
    # 1 and 3 kept, but no range joins two kept points
    est = imr_estimate(np.array([1.0, 2.0, 3.0]), np.array([False, True, False]))
    assert est == ImrEstimate(2.0, None)
    with pytest.raises(SpcInputError, match="excluded"):
        imr_estimate(np.array([1.0, 2.0]), np.array([0, 1]))
    with pytest.raises(SpcInputError, match="values"):
        imr_estimate(np.ones((2, 2)), np.zeros((2, 2), bool))


# ---------------------------------------------------------------- violation points


def signals(violations):
    frozen = {t: np.asarray(v, dtype=np.intp) for t, v in violations.items()}
    return RuleViolations(
        rule_set="nelson",
        violations=MappingProxyType(frozen),
        descriptions=MappingProxyType({t: "" for t in frozen}),
        parameters=MappingProxyType({t: None for t in frozen}),
    )


def test_violation_points_grouped_by_point_then_test():
    found = signals({5: [4, 9], 1: [9, 2], 2: [], 6: [4]})
    assert violation_points(found) == [
        {"index": 2, "rules": ["1"]},
        {"index": 4, "rules": ["5", "6"]},
        {"index": 9, "rules": ["1", "5"]},
    ]
    assert violation_points(signals({1: [], 2: []})) == []


def test_violation_points_of_run_rules():
    # beyond 3 sigma at 1, 4 and 11; indices 3..11 are 9 points above the centre
    x = np.array([0.0, 3.5, -0.2, 0.5, 3.2, 0.4, 0.6, 0.3, 0.2, 0.1, 0.5, 3.1, -0.1])
    found = run_rules(x, 0.0, 1.0, tests=[1, 2])
    assert violation_points(found) == [
        {"index": 1, "rules": ["1"]},
        {"index": 4, "rules": ["1"]},
        {"index": 11, "rules": ["1", "2"]},
    ]


def test_violation_points_refuses_other_input():
    with pytest.raises(SpcInputError, match="signals"):
        violation_points({1: np.array([2])})


def test_public_names():
    assert spc.chart_input is chart_input
    assert spc.imr_estimate is imr_estimate
    assert spc.violation_points is violation_points
