"""Run rules (tests for special causes) on a control chart.

``run_rules(values, center, sigma, rules="nelson")`` applies Nelson's eight
tests (as in Minitab) or the four Western Electric rules. Each test reports
the indices of the points that *complete* the pattern, the way Minitab marks
them: for "9 in a row on one side" a run of 11 points flags its 9th, 10th and
11th points; for "2 of 3 beyond 2 sigma" the flagged point is itself beyond
2 sigma on the same side as the other one.

Zones are measured in units of ``sigma`` (the sigma of the plotted statistic)
from ``center``; both may be scalars or per-point arrays (varying limits).
A point exactly on the centre line belongs to neither side; equal
consecutive values break a trend (test 3) and an alternation (test 4).
Everything is vectorised with cumulative sums; there is no loop over points.
"""

from collections.abc import Mapping
from dataclasses import dataclass
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
#   outside: ``p`` points in a row beyond 1 sigma (either side)
_NELSON = {
    1: ("beyond", 3.0, "1 point more than {p} sigma from the centre line"),
    2: ("side", 9, "{p} points in a row on the same side of the centre line"),
    3: ("trend", 6, "{p} points in a row, all increasing or all decreasing"),
    4: ("alt", 14, "{p} points in a row, alternating up and down"),
    5: ("k_of", (2, 2.0), "{k} out of {k1} points more than {z} sigma from the centre line (same side)"),
    6: ("k_of", (4, 1.0), "{k} out of {k1} points more than {z} sigma from the centre line (same side)"),
    7: ("within", 15, "{p} points in a row within 1 sigma of the centre line (either side)"),
    8: ("outside", 8, "{p} points in a row more than 1 sigma from the centre line (either side)"),
}
_WESTERN_ELECTRIC = {
    1: ("beyond", 3.0, "1 point more than {p} sigma from the centre line"),
    2: ("k_of", (2, 2.0), "{k} out of {k1} points more than {z} sigma from the centre line (same side)"),
    3: ("k_of", (4, 1.0), "{k} out of {k1} points more than {z} sigma from the centre line (same side)"),
    4: ("side", 8, "{p} points in a row on the same side of the centre line"),
}
RULE_SETS = {"nelson": _NELSON, "western_electric": _WESTERN_ELECTRIC}


@dataclass(frozen=True)
class RuleViolations(Mapping):
    """Test id -> numpy array of point indices where the test triggers.

    Behaves as a read-only mapping over the tests that were run; also
    carries a ``descriptions`` mapping (test id -> text), the ``parameters``
    actually used, and the rule set name.
    """

    rule_set: str
    violations: Mapping
    descriptions: Mapping
    parameters: Mapping

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


def _window_all(mask, length):
    """Indices i where mask[i - length + 1 .. i] are all True."""
    n = mask.size
    if length <= 0 or length > n:
        return np.array([], dtype=np.intp)
    cs = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    counts = cs[length:] - cs[:-length]           # window ending at i = length - 1 .. n - 1
    return np.flatnonzero(counts == length) + (length - 1)


def _window_count(mask, length):
    """Count of True in the window of ``length`` ending at each i (partial at the start)."""
    cs = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    idx = np.arange(mask.size)
    lo = np.maximum(idx - length + 1, 0)
    return cs[idx + 1] - cs[lo]


def _as_array(name, value, n):
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    elif arr.shape != (n,):
        raise SpcInputError(f"{name}: must be a scalar or have one value per point ({n}), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise SpcInputError(f"{name}: must be finite (no NaN/inf)")
    return arr


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
            raise SpcInputError(f"{name}: expected (k, sigma multiple), e.g. (2, 2.0), got {value!r}")
        k, z = value
        k = _positive_int(name, k, 1)
        z = float(z)
        if not np.isfinite(z) or z <= 0:
            raise SpcInputError(f"{name}: sigma multiple must be > 0, got {z!r}")
        return (k, z)
    minimum = {"side": 2, "trend": 3, "alt": 3, "within": 2, "outside": 2}[kind]
    return _positive_int(name, value, minimum)


def _apply(kind, p, z, x):
    if kind == "beyond":
        return np.flatnonzero(np.abs(z) > p)
    if kind == "side":
        return np.union1d(_window_all(z > 0, p), _window_all(z < 0, p))
    if kind == "trend":
        d = np.diff(x)
        # p points in a row increasing = p - 1 consecutive positive steps
        return np.union1d(_window_all(d > 0, p - 1), _window_all(d < 0, p - 1)) + 1
    if kind == "alt":
        d = np.sign(np.diff(x))
        alternating = (d[1:] * d[:-1]) < 0          # step j+1 reverses step j
        # p points alternating = p - 2 consecutive reversals; last index is j + 2
        return _window_all(alternating, p - 2) + 2
    if kind == "k_of":
        k, zone = p
        out = []
        for sign in (1.0, -1.0):
            beyond = sign * z > zone
            hits = np.flatnonzero(beyond & (_window_count(beyond, k + 1) >= k))
            out.append(hits)
        return np.union1d(*out)
    if kind == "within":
        return _window_all(np.abs(z) < 1.0, p)
    if kind == "outside":
        return _window_all(np.abs(z) > 1.0, p)
    raise AssertionError(kind)


def _describe(kind, template, p):
    if kind == "k_of":
        return template.format(k=p[0], k1=p[0] + 1, z=f"{p[1]:g}")
    return template.format(p=f"{p:g}" if isinstance(p, float) else p)


def run_rules(values, center, sigma, *, rules="nelson", tests=None, **overrides):
    """Apply run rules to the plotted ``values``.

    Parameters
    ----------
    values : 1-D plotted statistic.
    center, sigma : centre line and sigma of the plotted statistic (scalar
        or one per point).
    rules : ``"nelson"`` (tests 1-8) or ``"western_electric"`` (rules 1-4).
    tests : optional iterable of test ids to run (default: all of the set).
    overrides : ``test<id>=value`` to change a parameter: the sigma multiple
        for test 1, the run length for run tests (``test2=7``), a
        ``(k, sigma multiple)`` pair for "k of k+1" tests (``test5=(2, 2.0)``);
        ``test<id>=None`` switches the test off.

    Returns a :class:`RuleViolations` mapping test id -> indices.
    """
    if rules not in RULE_SETS:
        raise SpcInputError(f"rules: must be one of {', '.join(RULE_SETS)}, got {rules!r}")
    spec = RULE_SETS[rules]
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise SpcInputError(f"values: expected a 1-D array, got {x.ndim}-D")
    if x.size == 0:
        raise SpcInputError("values: is empty")
    if not np.all(np.isfinite(x)):
        raise SpcInputError(f"values: must be finite (no NaN/inf); first bad value at index {int(np.argmax(~np.isfinite(x)))}")
    n = x.size
    c = _as_array("center", center, n)
    s = _as_array("sigma", sigma, n)
    if np.any(s <= 0):
        raise SpcInputError(f"sigma: must be > 0 at every point; index {int(np.argmax(s <= 0))} is {s[np.argmax(s <= 0)]}")
    selected = list(spec) if tests is None else list(tests)
    for t in selected:
        if t not in spec:
            raise SpcInputError(f"tests: unknown test {t!r} for rules={rules!r}; known: {sorted(spec)}")
    params = {}
    for key, value in overrides.items():
        if not key.startswith("test") or not key[4:].isdigit() or int(key[4:]) not in spec:
            raise SpcInputError(f"{key}: unknown override for rules={rules!r}; use test1..test{max(spec)}")
        params[int(key[4:])] = value
    z = (x - c) / s
    violations, descriptions, used = {}, {}, {}
    for t in selected:
        kind, default, template = spec[t]
        p = params.get(t, default)
        if p is None:
            continue
        p = _check_param(t, kind, p)
        violations[t] = _apply(kind, p, z, x).astype(np.intp)
        violations[t].setflags(write=False)
        descriptions[t] = _describe(kind, template, p)
        used[t] = p
    return RuleViolations(
        rule_set=rules, violations=MappingProxyType(violations),
        descriptions=MappingProxyType(descriptions), parameters=MappingProxyType(used))
