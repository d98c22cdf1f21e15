"""Run rules (tests for special causes) on a control chart.

``run_rules(values, center, sigma, rules="nelson")`` applies Nelson's eight
tests (as in Minitab) or the four Western Electric rules. Each test reports
the indices of the points that *complete* the pattern, the way Minitab marks
them: for "9 in a row on one side" a run of 11 points flags its 9th, 10th and
11th points; for "2 of 3 beyond 2 sigma" the flagged point is itself beyond
2 sigma on the same side as the other one.

Every test looks at a full window of successive points ending at the point
it marks: "k of m successive points" (Western Electric Statistical Quality
Control Handbook, 1956, rules 2 and 3; Nelson 1984, J. Quality Technology
16(4), tests 5 and 6: "2 out of 3 points in a row", "4 out of 5 points in a
row"; Minitab: "K out of K+1 points") needs m points to exist, so the first
m - 1 points of a series are never marked by those tests, as no run test
marks a point before its run length.

Zones are measured in units of ``sigma`` (the sigma of the plotted statistic)
from ``center``; both may be scalars or per-point arrays (varying limits).
A point exactly on the centre line belongs to neither side; equal
consecutive values break a trend (test 3) and an alternation (test 4).
Everything is vectorised (run windows by doubling boolean ANDs, zone tests
against exact float thresholds, cache-sized blocks of points); there is no
Python loop over points.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from .errors import SpcInputError

# Test definitions: (kind, default parameter, description template).
#   beyond:  one point beyond ``p`` sigma
#   side:    ``p`` points in a row on the same side of the centre line
#   trend:   ``p`` points in a row all increasing or all decreasing
#   alt:     ``p`` points in a row alternating up and down
#   k_of:    (k, zone): k of k+1 points beyond ``zone`` sigma, same side
#   within:  ``p`` points in a row within 1 sigma (either side)
#   outside: ``p`` points in a row beyond 1 sigma (either side; with
#            test8_sides="both_sides", some above and some below)
_NELSON = {
    1: ("beyond", 3.0, "1 point more than {p} sigma from the centre line"),
    2: ("side", 9, "{p} points in a row on the same side of the centre line"),
    3: ("trend", 6, "{p} points in a row, all increasing or all decreasing"),
    4: ("alt", 14, "{p} points in a row, alternating up and down"),
    5: (
        "k_of",
        (2, 2.0),
        "{k} out of {k1} points more than {z} sigma from the centre line (same side)",
    ),
    6: (
        "k_of",
        (4, 1.0),
        "{k} out of {k1} points more than {z} sigma from the centre line (same side)",
    ),
    7: ("within", 15, "{p} points in a row within 1 sigma of the centre line (either side)"),
    8: ("outside", 8, "{p} points in a row more than 1 sigma from the centre line (either side)"),
}
_WESTERN_ELECTRIC = {
    1: ("beyond", 3.0, "1 point more than {p} sigma from the centre line"),
    2: (
        "k_of",
        (2, 2.0),
        "{k} out of {k1} points more than {z} sigma from the centre line (same side)",
    ),
    3: (
        "k_of",
        (4, 1.0),
        "{k} out of {k1} points more than {z} sigma from the centre line (same side)",
    ),
    4: ("side", 8, "{p} points in a row on the same side of the centre line"),
}
RULE_SETS = {"nelson": _NELSON, "western_electric": _WESTERN_ELECTRIC}
#: Readings of Nelson's test 8 (see run_rules).
TEST8_SIDES = ("either_side", "both_sides")
_BOTH_SIDES_TEMPLATE = "{p} points in a row more than 1 sigma from the centre line, on both sides"


@dataclass(frozen=True)
class RuleViolations(Mapping):
    """Test id -> numpy array of point indices where the test triggers.

    Behaves as a read-only mapping over the tests that were run; also
    carries a ``descriptions`` mapping (test id -> text), the ``parameters``
    actually used, the rule set name and the reading of the "beyond 1 sigma
    in a row" test (``test8_sides``, see :func:`run_rules`).
    """

    rule_set: str
    violations: Mapping
    descriptions: Mapping
    parameters: Mapping
    test8_sides: str = "either_side"

    def __getitem__(self, test):
        return self.violations[test]

    def __iter__(self):
        return iter(self.violations)

    def __len__(self):
        return len(self.violations)

    @property
    def points(self):
        """Sorted indices flagged by at least one test."""
        arrays = [v for v in self.violations.values() if v.size]
        return np.unique(np.concatenate(arrays)) if arrays else np.array([], dtype=np.intp)

    @property
    def any(self):
        return any(v.size for v in self.violations.values())


def _window_all(mask, length, idx=None):
    """Boolean mask: True at i where mask[i - length + 1 .. i] are all True.

    Built by doubling (windows of 2, 4, 8, ... then one overlapping shift),
    so a run of length L costs about log2(L) + 1 passes over a bool array.
    With ``idx`` (``arange`` of at least the mask's size; short series) from
    the length of the run ending at each point instead: four array
    operations whatever L, fewer calls for a short series.
    """
    n = mask.size
    if idx is not None:
        at = idx[:n]
        return (at - np.maximum.accumulate(np.where(mask, -1, at))) >= length
    out = np.zeros(n, dtype=bool)
    if length <= 0 or length > n:
        return out
    w, span = mask, 1  # w[j]: mask[j .. j + span - 1] all True
    while span * 2 <= length:
        w = w[span:] & w[:-span]
        span *= 2
    if span < length:
        shift = length - span
        w = w[shift:] & w[:-shift]
    out[length - 1 :] = w
    return out


def _count_at_least(mask, length, k):
    """Boolean mask: at least k True in the window of ``length`` ending at i.

    Only full windows count: False at i < length - 1, where fewer than
    ``length`` successive points exist ("k of m successive points").
    """
    n = mask.size
    if length > n:
        return np.zeros(n, dtype=bool)
    if n <= _SMALL:  # short series: one cumulative sum, fewer calls
        cs = np.cumsum(mask, dtype=np.intp)
        out = np.zeros(n, dtype=bool)
        out[length - 1] = cs[length - 1] >= k
        out[length:] = (cs[length:] - cs[:-length]) >= k
        return out
    if length <= 16:
        b = mask.view(np.uint8)
        count = b.copy()
        for j in range(1, length):
            np.add(count[j:], b[:-j], out=count[j:])
        out = count >= k
    else:
        cs = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
        out = np.zeros(n, dtype=bool)
        out[length - 1 :] = (cs[length:] - cs[: n - length + 1]) >= k
    out[: length - 1] = False
    return out


def _all_finite(arr):
    """True when no value is NaN or inf: one summation, exact check only if it overflows."""
    with np.errstate(all="ignore"):
        total = np.add.reduce(arr, axis=None)
    return bool(np.isfinite(total)) or bool(np.isfinite(arr).all())


def _as_array(name, value, n):
    """A per-point array, or a float when the value is one constant (scalar or broadcast)."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError(f"{name}: must be numbers, got {value!r:.50}") from None
    if arr.ndim == 0 or (arr.ndim == 1 and arr.size == n and arr.strides[0] == 0):
        v = float(arr) if arr.ndim == 0 else float(arr[0])
        if not np.isfinite(v):
            raise SpcInputError(f"{name}: must be finite (no NaN/inf)")
        return v
    if arr.shape != (n,):
        raise SpcInputError(
            f"{name}: must be a scalar or have one value per point ({n}), got shape {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise SpcInputError(f"{name}: must be finite (no NaN/inf)")
    return arr


_DOWN, _UP = np.float64(-np.inf), np.float64(np.inf)


def _first_above(c, s, t):
    """Smallest float g with (g - c) / s > t as computed in float64, or None.

    (x - c) / s is monotone non-decreasing in x for s > 0 (IEEE rounding is
    monotone), so ``(x - c) / s > t`` holds exactly when ``x >= g``: a zone
    can be tested on the values themselves, without a standardised copy, and
    gives the same answer bit for bit.
    """
    c, s, t = np.float64(c), np.float64(s), np.float64(t)
    g = c + t * s
    if not np.isfinite(g):
        return None
    for _ in range(64):
        if (g - c) / s > t:
            prev = np.nextafter(g, _DOWN)
            if not (prev - c) / s > t:
                return g
            g = prev
        else:
            g = np.nextafter(g, _UP)
    return None


def _last_below(c, s, t):
    """Largest float h with (h - c) / s < -t, or None (mirror of _first_above)."""
    c, s, t = np.float64(c), np.float64(s), np.float64(t)
    h = c - t * s
    if not np.isfinite(h):
        return None
    for _ in range(64):
        if (h - c) / s < -t:
            nxt = np.nextafter(h, _UP)
            if not (nxt - c) / s < -t:
                return h
            h = nxt
        else:
            h = np.nextafter(h, _DOWN)
    return None


class _Zones:
    """Zone masks ``z > t``, ``z < -t`` and ``|z| < t`` with z = (x - c) / s.

    With a scalar centre and sigma on a long series the comparisons run on x
    against exact float thresholds (no standardised array is built); with
    per-point centre or sigma, or a short series (``small``: finding the
    thresholds costs more than one standardised copy), z is computed once.
    Both give the same masks bit for bit. Each mask is computed once.
    """

    def __init__(self, x, c, s, thresholds=None, small=False):
        self.x, self.c, self.s = x, c, s
        self._thr = {} if thresholds is None else thresholds  # shared between blocks
        self.z = None
        self._steps = None
        self._masks = {}
        self.idx = np.arange(x.size) if small else None  # for _window_all
        if small or not (isinstance(c, float) and isinstance(s, float)):
            self._standardise()

    def _standardise(self):
        z = np.subtract(self.x, self.c)
        np.divide(z, self.s, out=z)
        self.z = z

    def steps(self):
        """(x[j + 1] > x[j], x[j + 1] < x[j]); kept for the trend and alternation tests."""
        if self._steps is None:
            x = self.x
            self._steps = (x[1:] > x[:-1], x[1:] < x[:-1])
        return self._steps

    def _threshold(self, fn, t):
        key = (fn, t)
        if key not in self._thr:
            self._thr[key] = fn(self.c, self.s, t)
        return self._thr[key]

    def above(self, t):
        key = ("above", t)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks[key] = self._above(t)
        return mask

    def below(self, t):
        key = ("below", t)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks[key] = self._below(t)
        return mask

    def within(self, t):
        key = ("within", t)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks[key] = self._within(t)
        return mask

    def _above(self, t):
        if self.z is None:
            g = self._threshold(_first_above, t)
            if g is not None:
                return self.x >= g
            self._standardise()
        return self.z > t

    def _below(self, t):
        if self.z is None:
            h = self._threshold(_last_below, t)
            if h is not None:
                return self.x <= h
            self._standardise()
        return self.z < -t

    def _within(self, t):
        """|z| < t, i.e. neither z >= t nor z <= -t."""
        if self.z is None:
            # z >= t is z > t' with t' the float just below t (same for -t)
            t_lo = float(np.nextafter(np.float64(t), _DOWN))
            g = self._threshold(_first_above, t_lo)
            h = self._threshold(_last_below, t_lo)
            if g is not None and h is not None:
                return (self.x < g) & (self.x > h)
            self._standardise()
        return (self.z < t) & (self.z > -t)


def _positive_int(name, value, minimum):
    if isinstance(value, bool) or not float(value).is_integer() or int(value) < minimum:
        raise SpcInputError(f"{name}: run length must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_param(test, kind, value):
    name = f"test{test}"
    if kind == "beyond":
        v = float(value)
        if not np.isfinite(v) or v <= 0:
            raise SpcInputError(f"{name}: sigma multiple must be > 0, got {value!r}")
        return v
    if kind == "k_of":
        if np.ndim(value) == 0:
            raise SpcInputError(
                f"{name}: expected (k, sigma multiple), e.g. (2, 2.0), got {value!r}"
            )
        k, z = value
        k = _positive_int(name, k, 1)
        z = float(z)
        if not np.isfinite(z) or z <= 0:
            raise SpcInputError(f"{name}: sigma multiple must be > 0, got {z!r}")
        return (k, z)
    minimum = {"side": 2, "trend": 3, "alt": 3, "within": 2, "outside": 2}[kind]
    return _positive_int(name, value, minimum)


def _apply(kind, p, zones, x):
    """Boolean mask of the points where a test triggers."""
    w = zones.idx
    if kind == "beyond":
        return zones.above(p) | zones.below(p)
    if kind == "side":
        return _window_all(zones.above(0.0), p, w) | _window_all(zones.below(0.0), p, w)
    n = x.size
    if kind in ("trend", "alt"):
        # steps: x[j + 1] > x[j] (up) or < (down); equal values are neither
        up, down = zones.steps()
        out = np.zeros(n, dtype=bool)
        if kind == "trend":
            # p points in a row increasing = p - 1 consecutive rising steps
            out[1:] = _window_all(up, p - 1, w) | _window_all(down, p - 1, w)
        else:
            # step j + 1 reverses step j; p points alternating = p - 2 reversals
            alternating = (up[1:] & down[:-1]) | (down[1:] & up[:-1])
            out[2:] = _window_all(alternating, p - 2, w)
        return out
    if kind == "k_of":
        k, zone = p
        hi, lo = zones.above(zone), zones.below(zone)
        out = hi & _count_at_least(hi, k + 1, k)
        out |= lo & _count_at_least(lo, k + 1, k)
        return out
    if kind == "within":
        return _window_all(zones.within(1.0), p, w)
    if kind == "outside":
        return _window_all(zones.above(1.0) | zones.below(1.0), p, w)
    if kind == "mixture":
        # p in a row beyond 1 sigma, not all above nor all below: both sides
        hi, lo = zones.above(1.0), zones.below(1.0)
        out = _window_all(hi | lo, p, w)
        out &= ~_window_all(hi, p, w)
        out &= ~_window_all(lo, p, w)
        return out
    raise AssertionError(kind)


_BLOCK = 1 << 16  # points per block: its masks and values stay in the CPU cache
_SMALL = 1 << 12  # up to this many points, standardise instead of searching thresholds


def _lookback(kind, p):
    """How many earlier points a test looks at."""
    if kind == "beyond":
        return 0
    if kind == "k_of":
        return p[0]
    return p - 1


def _run_blocks(plan, x, c, s):
    """Test id -> indices, computed block by block.

    Each block is extended backwards by the longest look-back of the tests,
    so every window that ends inside the block is complete (or starts at
    point 0, as in one pass over the whole array). Working on cache-sized
    blocks keeps the dozens of mask operations per point in cache instead of
    streaming whole-series temporaries through memory.
    """
    n = x.size
    if n <= _SMALL:  # one block, z computed once
        zones = _Zones(x, c, s, small=True)
        return {t: np.flatnonzero(_apply(kind, p, zones, x)) for t, kind, p in plan}
    back = max((_lookback(kind, p) for _, kind, p in plan), default=0)
    block = _BLOCK if back <= _BLOCK // 4 else n
    thresholds = {}
    parts = {t: [] for t, _, _ in plan}
    for start in range(0, n, block):
        lo, hi = max(0, start - back), min(n, start + block)
        xb = x[lo:hi]
        zones = _Zones(
            xb,
            c if isinstance(c, float) else c[lo:hi],
            s if isinstance(s, float) else s[lo:hi],
            thresholds,
        )
        skip = start - lo
        for t, kind, p in plan:
            hits = np.flatnonzero(_apply(kind, p, zones, xb)[skip:])
            if start:
                hits += start
            parts[t].append(hits)
    return {
        t: chunks[0] if len(chunks) == 1 else np.concatenate(chunks) for t, chunks in parts.items()
    }


def _describe(kind, template, p):
    if kind == "k_of":
        return template.format(k=p[0], k1=p[0] + 1, z=f"{p[1]:g}")
    return template.format(p=f"{p:g}" if isinstance(p, float) else p)


def run_rules(
    values, center, sigma, *, rules="nelson", tests=None, test8_sides="either_side", **overrides
):
    """Apply run rules to the plotted ``values``.

    Parameters
    ----------
    values : 1-D plotted statistic.
    center, sigma : centre line and sigma of the plotted statistic (scalar
        or one per point).
    rules : ``"nelson"`` (tests 1-8) or ``"western_electric"`` (rules 1-4).
    tests : optional iterable of test ids to run (default: all of the set).
    test8_sides : reading of Nelson's test 8 (the mixture pattern).
        ``"either_side"`` (default): 8 points in a row more than 1 sigma from
        the centre line, on either side, as Minitab documents its test 8;
        ``"both_sides"``: Nelson's (1984) own wording, "eight points in a row
        on both sides of the centreline with none in zone C", read as: the
        run also holds points above and points below. The default is
        Minitab's because shops compare the marks with Minitab's; the two
        differ only on a run of 8 beyond 1 sigma all on one side, which
        test 6 (4 of 5 beyond 1 sigma, same side) marks under either reading.
    overrides : ``test<id>=value`` to change a parameter: the sigma multiple
        for test 1, the run length for run tests (``test2=7``), a
        ``(k, sigma multiple)`` pair for "k of k+1" tests (``test5=(2, 2.0)``);
        ``test<id>=None`` switches the test off.

    "k of k+1" tests mark a point only when the k+1 successive points
    ending at it exist (see the module docstring).

    Returns a :class:`RuleViolations` mapping test id -> indices.
    """
    if rules not in RULE_SETS:
        raise SpcInputError(f"rules: must be one of {', '.join(RULE_SETS)}, got {rules!r}")
    if test8_sides not in TEST8_SIDES:
        raise SpcInputError(
            f"test8_sides: must be one of {', '.join(TEST8_SIDES)}, got {test8_sides!r}"
        )
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError(f"values: must be numbers, got {values!r:.60}") from None
    if x.ndim != 1:
        raise SpcInputError(f"values: expected a 1-D array, got {x.ndim}-D")
    if x.size == 0:
        raise SpcInputError("values: is empty")
    if not _all_finite(x):
        raise SpcInputError(
            f"values: must be finite (no NaN/inf); first bad "
            f"value at index {int(np.argmax(~np.isfinite(x)))}"
        )
    n = x.size
    c = _as_array("center", center, n)
    s = _as_array("sigma", sigma, n)
    if isinstance(s, float):
        if s <= 0:
            raise SpcInputError(f"sigma: must be > 0 at every point; index 0 is {s}")
    elif np.any(s <= 0):
        raise SpcInputError(
            f"sigma: must be > 0 at every point; index "
            f"{int(np.argmax(s <= 0))} is {s[np.argmax(s <= 0)]}"
        )
    try:
        # types in the key: 1 and True or 1.0 are equal keys but not equal input
        key = (
            rules,
            None if tests is None else tuple((type(t), t) for t in tests),
            test8_sides,
            *((name, type(value), value) for name, value in overrides.items()),
        )
        plan, descriptions, used = _cached_plan(key)
    except TypeError:  # unhashable tests or override values: checked uncached
        plan, descriptions, used = _plan(rules, tests, test8_sides, overrides)
    found = _run_blocks(plan, x, c, s)
    for hits in found.values():
        hits.setflags(write=False)
    return RuleViolations(
        rule_set=rules,
        violations=MappingProxyType(found),
        descriptions=descriptions,
        parameters=used,
        test8_sides=test8_sides,
    )


@lru_cache(maxsize=256)
def _cached_plan(key):
    rules, tests, test8_sides, *overrides = key
    tests = None if tests is None else [t for _type, t in tests]
    return _plan(rules, tests, test8_sides, {name: value for name, _type, value in overrides})


def _plan(rules, tests, test8_sides, overrides):
    """(tests to run as (id, kind, parameter), descriptions, parameters used)."""
    spec = RULE_SETS[rules]
    selected = list(spec) if tests is None else list(tests)
    for t in selected:
        if t not in spec:
            raise SpcInputError(
                f"tests: unknown test {t!r} for rules={rules!r}; known: {sorted(spec)}"
            )
    params = {}
    for key, value in overrides.items():
        if not key.startswith("test") or not key[4:].isdigit() or int(key[4:]) not in spec:
            raise SpcInputError(
                f"{key}: unknown override for rules={rules!r}; use test1..test{max(spec)}"
            )
        params[int(key[4:])] = value
    plan, descriptions, used = [], {}, {}
    for t in selected:
        kind, default, template = spec[t]
        p = params.get(t, default)
        if p is None:
            continue
        p = _check_param(t, kind, p)
        if kind == "outside" and test8_sides == "both_sides":
            kind, template = "mixture", _BOTH_SIDES_TEMPLATE
        plan.append((t, kind, p))
        descriptions[t] = _describe(kind, template, p)
        used[t] = p
    return tuple(plan), MappingProxyType(descriptions), MappingProxyType(used)
