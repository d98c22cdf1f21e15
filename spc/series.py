"""From a characteristic's measurement history to the input of a control chart.

Pure array work behind the SPC screen: the history comes as a dict of
equal-length numpy columns, oldest first (what the add-on reads from the
database in one query); these functions group it into the points of a chart,
estimate I-MR limits from a whole selection, and turn run-rule signals into
the per-point list the screen shows.

* :func:`chart_input` -- the values, sizes, exclusion mask and per-point
  columns of one chart. Measured values: one point per value (I-MR, and EWMA
  or CUSUM of individuals) or per subgroup of ``size`` consecutive values
  (X̄-R, X̄-S, and EWMA or CUSUM of subgroup means; an incomplete last
  subgroup is left out, as a subgroup is rational only when complete, AIAG
  SPC manual 2nd ed. ch. II). Pass/fail results and defect counts: one point
  per production order (the order is the sample of the p, np, c and u charts,
  Montgomery, *Introduction to Statistical Quality Control*, ch. 7), in the
  order of each order's first measurement.
* :func:`imr_estimate` -- centre and MR-bar of individual values with some
  points excluded, as :func:`spc.control_chart` estimates them in phase I.
* :func:`violation_points` -- ``[{"index", "rules"}]`` from a
  :class:`spc.rules.RuleViolations`.

No Python loop over points; numpy only.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .errors import SpcInputError, one_of, whole_number
from .rules import RuleViolations

RESULT_TYPES = ("measure", "attribute", "defects")
#: Chart kinds offered for each result type.
KINDS = {
    "measure": ("imr", "xbar_r", "xbar_s", "ewma", "cusum"),
    "attribute": ("p", "np"),
    "defects": ("c", "u"),
}
#: Columns every history carries, and the one each result type adds.
COMMON_COLUMNS = ("id", "time", "production", "lot", "excluded")
VALUE_COLUMN = {"measure": "value", "attribute": "ok", "defects": "defects"}
_BOOL_COLUMNS = {"excluded", "ok"}
_INT_COLUMNS = {"id", "production", "lot"}


@dataclass(frozen=True)
class ChartInput:
    """What :func:`spc.control_chart` needs, and the columns of each point.

    ``values``: 1-D (one value, or one count per order) or 2-D (subgroups x
    size). ``sizes``: pieces per order for p, np and u charts, else None.
    ``excluded``: one bool per point (a subgroup or an order is excluded when
    any of its measurements is). ``meta``: JSON-able lists, one entry per
    point: ``time`` (ms, of the point's last measurement), ``production_id``,
    ``lot_id``, ``measurement_ids`` (the ids, or the list of ids, of the
    point), and ``size`` (pieces) for per-order charts.
    """

    values: np.ndarray
    sizes: np.ndarray | None
    excluded: np.ndarray
    meta: dict


@dataclass(frozen=True)
class ImrEstimate:
    """Centre line and average moving range; None: not enough values."""

    center: float | None
    mr_bar: float | None


def _column(data, name, count=None):
    try:
        column = data[name]
    except KeyError:
        raise SpcInputError(f"data: column {name!r} is missing") from None
    arr = np.asarray(column)
    if arr.ndim != 1:
        raise SpcInputError(f"data[{name!r}]: must be 1-D, got {arr.ndim}-D")
    if count is not None and arr.size != count:
        raise SpcInputError(f"data[{name!r}]: has {arr.size} values, the other columns {count}")
    if name in _BOOL_COLUMNS:
        if arr.dtype.kind != "b":
            raise SpcInputError(f"data[{name!r}]: must be booleans, got dtype {arr.dtype}")
    elif name in _INT_COLUMNS:
        if arr.dtype.kind not in "iu":
            raise SpcInputError(f"data[{name!r}]: must be integers, got dtype {arr.dtype}")
    elif arr.dtype.kind not in "fiu":
        raise SpcInputError(f"data[{name!r}]: must be numbers, got dtype {arr.dtype}")
    return arr


def _columns(result_type, data):
    if not isinstance(data, Mapping):
        raise SpcInputError(f"data: must be a mapping of column name to array, got {data!r:.60}")
    ids = _column(data, "id")
    names = (*COMMON_COLUMNS, VALUE_COLUMN[result_type])
    return {name: ids if name == "id" else _column(data, name, ids.size) for name in names}


def chart_input(result_type, kind, data, size):
    """The input of a ``kind`` chart of a ``result_type`` history.

    Parameters
    ----------
    result_type : ``"measure"``, ``"attribute"`` (pass/fail) or ``"defects"``.
    kind : chart kind, one of :data:`KINDS` for the result type.
    data : mapping of equal-length 1-D arrays, oldest first: ``id`` (int),
        ``time`` (ms), ``production`` (int, 0: none), ``lot`` (int, 0: none),
        ``excluded`` (bool), and ``value`` (float) for measured values,
        ``ok`` (bool) for pass/fail results, ``defects`` (float) for defect
        counts. Other columns are ignored.
    size : subgroup size (whole number >= 1): X̄-R and X̄-S need >= 2; EWMA
        and CUSUM chart subgroup means when > 1; unused by per-order charts.

    Returns a :class:`ChartInput`, or None when there are too few points: fewer
    than 2 values (individuals), 2 complete subgroups, or 1 measurement
    (per-order charts).
    """
    one_of("result_type", result_type, RESULT_TYPES)
    one_of("kind", kind, KINDS[result_type])
    size = whole_number("size", int(size) if isinstance(size, np.integer) else size, 1)
    if kind in ("xbar_r", "xbar_s") and size < 2:
        raise SpcInputError(f"size: an X̄ chart needs subgroups of at least 2 values, got {size}")
    cols = _columns(result_type, data)
    if result_type == "measure":
        return _measured(kind, cols, size)
    return _per_order(result_type, kind, cols)


def _measured(kind, data, size):
    count = data["id"].size
    if kind in ("xbar_r", "xbar_s") or (kind in ("ewma", "cusum") and size > 1):
        groups = count // size
        if groups < 2:
            return None
        cut = groups * size
        shape = (groups, size)
        last = np.arange(size - 1, cut, size)
        meta = {
            "time": data["time"][last].tolist(),
            "production_id": data["production"][last].tolist(),
            "lot_id": data["lot"][last].tolist(),
            "measurement_ids": data["id"][:cut].reshape(shape).tolist(),
        }
        excluded = data["excluded"][:cut].reshape(shape).any(axis=1)
        return ChartInput(data["value"][:cut].reshape(shape), None, excluded, meta)
    if count < 2:
        return None
    meta = {
        "time": data["time"].tolist(),
        "production_id": data["production"].tolist(),
        "lot_id": data["lot"].tolist(),
        "measurement_ids": data["id"].tolist(),
    }
    return ChartInput(data["value"], None, data["excluded"], meta)


def _per_order(result_type, kind, data):
    """One point per production order, in the order of its first measurement."""
    count = data["id"].size
    if not count:
        return None
    orders, first, inverse = np.unique(data["production"], return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    point = rank[inverse.ravel()]
    npoints = orders.size
    sizes = np.bincount(point, minlength=npoints).astype(float)
    if result_type == "attribute":
        counts = np.bincount(point, weights=(~data["ok"]).astype(float), minlength=npoints)
    else:
        counts = np.bincount(point, weights=data["defects"], minlength=npoints)
    excluded = np.bincount(point, weights=data["excluded"], minlength=npoints) > 0
    sort = np.argsort(point, kind="stable")
    bounds = np.cumsum(sizes.astype(int))[:-1]
    last_time = np.maximum.reduceat(data["time"][sort], np.r_[0, bounds])
    meta = {
        "time": last_time.tolist(),
        "production_id": orders[order].tolist(),
        "lot_id": data["lot"][first[order]].tolist(),
        "measurement_ids": [ids.tolist() for ids in np.split(data["id"][sort], bounds)],
        "size": sizes.tolist(),
    }
    return ChartInput(counts, None if kind == "c" else sizes, excluded, meta)


def imr_estimate(values, excluded):
    """Centre and MR-bar of time-ordered individual ``values``.

    Excluded points are left out of the mean, and the moving ranges (span 2)
    that touch one are left out of MR-bar, as :func:`spc.control_chart`
    estimates an I-MR chart in phase I (AIAG SPC manual 2nd ed.; Montgomery
    ch. 6.4). ``excluded``: one bool per value. Either figure is None when
    no value (no moving range) is left.
    """
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError(f"values: must be numbers, got {values!r:.60}") from None
    if x.ndim != 1:
        raise SpcInputError(f"values: must be 1-D, got {x.ndim}-D")
    mask = np.asarray(excluded)
    if mask.dtype.kind != "b" or mask.shape != x.shape:
        raise SpcInputError(
            f"excluded: must be one boolean per value ({x.size}), "
            f"got dtype {mask.dtype} and shape {mask.shape}"
        )
    kept = x[~mask]
    ranges = np.abs(np.diff(x))[~(mask[1:] | mask[:-1])]
    return ImrEstimate(
        float(kept.mean()) if kept.size else None,
        float(ranges.mean()) if ranges.size else None,
    )


def violation_points(signals):
    """``[{"index": int, "rules": [test id as text]}]`` of the flagged points.

    Sorted by point, then by test; grouped without a Python loop over points.
    ``signals`` is the :class:`spc.rules.RuleViolations` of :func:`spc.run_rules`.
    """
    if not isinstance(signals, RuleViolations):
        raise SpcInputError(f"signals: must be a RuleViolations, got {type(signals).__name__}")
    pairs = [(indices, test) for test, indices in signals.violations.items() if indices.size]
    if not pairs:
        return []
    points = np.concatenate([indices for indices, _test in pairs])
    tests = np.concatenate([np.full(indices.size, test) for indices, test in pairs])
    order = np.lexsort((tests, points))
    points, tests = points[order], tests[order].astype(str)
    starts = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    groups = np.split(tests, starts[1:])
    return [
        {"index": index, "rules": group.tolist()}
        for index, group in zip(points[starts].tolist(), groups, strict=True)
    ]
