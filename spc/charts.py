"""Shewhart, EWMA and CUSUM control charts.

``control_chart(kind, data, ...)`` computes the plotted statistic and the
control limits of one chart, either from the data themselves (phase I, trial
limits) or from a given centre and sigma (phase II, monitoring).

Conventions (AIAG SPC manual / Minitab):

* sigma within subgroups is R-bar/d2 (X-bar-R), S-bar/c4 (X-bar-S) or
  MR-bar/d2 with moving ranges of span 2 (I-MR); d2 and d3 are the *table*
  values (:mod:`.constants`) unless ``exact_constants=True`` asks for the
  unrounded ones; c4 is always the exact gamma-function value;
* for unequal subgroup sizes the R-bar and S-bar estimates are the Minitab
  weighted forms (weights d2^2/d3^2 resp. c4^2/(1 - c4^2)) and limits are
  computed per point;
* the lower limit of R, S, MR and attribute charts is floored at 0 (and the
  upper limit of a p chart is capped at 1);
* phase I skips excluded points (assignable causes) in the estimates but keeps
  them in the output, flagged in ``excluded``.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.signal import lfilter

from . import constants as K
from .errors import SpcInputError, finite_number

KINDS = ("xbar_r", "xbar_s", "imr", "p", "np", "c", "u", "ewma", "cusum")


@dataclass(frozen=True)
class ChartResult:
    """One control chart: per-point statistic and limits (numpy arrays).

    ``index`` gives the position of each plotted point in the input (the MR
    chart starts at 1). ``companion`` is the dispersion chart (R, S or MR)
    for ``xbar_r``, ``xbar_s`` and ``imr``. For ``cusum`` the upper and lower
    cumulative sums are ``c_plus`` and ``c_minus`` (both >= 0; Minitab plots
    the lower one negated against ``lcl = -h``) and ``h`` is the decision
    interval in the units of the sums.
    """

    kind: str
    statistic: np.ndarray
    center: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    sigma: float
    sigma_method: str
    phase: str
    excluded: np.ndarray
    index: np.ndarray
    sizes: np.ndarray = None
    companion: "ChartResult" = None
    c_plus: np.ndarray = None
    c_minus: np.ndarray = None
    h: float = None
    params: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        for value in (
            self.statistic,
            self.center,
            self.lcl,
            self.ucl,
            self.excluded,
            self.index,
            self.sizes,
            self.c_plus,
            self.c_minus,
        ):
            if type(value) is np.ndarray:
                value.flags.writeable = False

    @property
    def out_of_control(self):
        """Indices (into the input) of points beyond the control limits."""
        if self.kind == "cusum":
            mask = (self.c_plus > self.h) | (self.c_minus > self.h)
        else:
            mask = self.statistic > _operand(self.ucl)
            mask |= self.statistic < _operand(self.lcl)
        return self.index[mask]


def _operand(arr):
    """A constant (broadcast) line as its scalar value, else the array itself."""
    if arr.ndim == 1 and arr.size and arr.strides[0] == 0:
        return arr[0]
    return arr


# --------------------------------------------------------------------------
# input checks


def _finite(name, values, *, ndim=None, copy=True):
    """Float array of the values, checked finite.

    A copy by default (results freeze their arrays); ``copy=False`` for
    inputs that are only read.
    """
    try:
        arr = np.array(values, dtype=float) if copy else np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SpcInputError(f"{name}: must be numeric ({exc})") from None
    if ndim is not None and arr.ndim not in ndim:
        raise SpcInputError(
            f"{name}: expected a {' or '.join(f'{d}-D' for d in ndim)} array, got {arr.ndim}-D"
        )
    if arr.size == 0:
        raise SpcInputError(f"{name}: is empty")
    with np.errstate(all="ignore"):
        # NaN/inf propagate into the sum; only an overflow needs the full check
        total = np.add.reduce(arr, axis=None)
    if np.isfinite(total):
        return arr
    bad = ~np.isfinite(arr)
    if bad.any():
        pos = np.argwhere(bad)[0]
        where = int(pos[0]) if pos.size == 1 else tuple(int(p) for p in pos)
        raise SpcInputError(
            f"{name}: must be finite (no NaN/inf); first bad value at index {where}"
        )
    return arr


def _positive(name, value, *, allow_zero=False, upper=None, upper_inclusive=True):
    v = finite_number(name, value)
    if v < 0 or (v == 0 and not allow_zero):
        raise SpcInputError(f"{name}: must be {'>= 0' if allow_zero else '> 0'}, got {v}")
    if upper is not None and (v > upper or (v == upper and not upper_inclusive)):
        raise SpcInputError(f"{name}: must be {'<=' if upper_inclusive else '<'} {upper}, got {v}")
    return v


def _exclusion_mask(exclude, m):
    if exclude is None:
        return np.zeros(m, dtype=bool)
    arr = np.asarray(exclude)
    if arr.dtype == bool:
        if arr.shape != (m,):
            raise SpcInputError(
                f"exclude: boolean mask must have length {m}, got shape {arr.shape}"
            )
        return arr.copy()
    if arr.size == 0:
        return np.zeros(m, dtype=bool)
    if arr.dtype.kind not in "iu":
        raise SpcInputError("exclude: must be a boolean mask or a list of point indices")
    arr = arr.ravel()
    if arr.min() < -m or arr.max() >= m:
        raise SpcInputError(f"exclude: indices must lie in 0..{m - 1}")
    mask = np.zeros(m, dtype=bool)
    mask[arr] = True
    return mask


_BLOCK = 1 << 14  # rows per block: a block of up to 7 columns stays in the CPU cache


def _row_stats(arr):
    """Row means and ranges of a 2-D array (m x n).

    For n < 8 columns the rows are reduced column by column in cache-sized
    blocks, one read of the data for all three reductions; the sums are taken
    in column order, which is also the order of numpy's own row reduction
    below 8 columns (from 8 on numpy sums pairwise), so the means are the same
    to the last bit. Wider arrays use the axis reductions.
    """
    m, n = arr.shape
    if n >= 8 or m <= _BLOCK // 16:  # wide rows, or few: the axis reductions
        return arr.mean(axis=1), arr.max(axis=1) - arr.min(axis=1)
    means, ranges, low = np.empty(m), np.empty(m), np.empty(_BLOCK)
    for start in range(0, m, _BLOCK):
        blk = arr[start : start + _BLOCK]
        s, r, lo = (
            means[start : start + _BLOCK],
            ranges[start : start + _BLOCK],
            low[: blk.shape[0]],
        )
        np.copyto(s, blk[:, 0])
        np.copyto(r, blk[:, 0])
        np.copyto(lo, blk[:, 0])
        for j in range(1, n):
            col = blk[:, j]
            np.add(s, col, out=s)
            np.maximum(r, col, out=r)
            np.minimum(lo, col, out=lo)
        np.subtract(r, lo, out=r)
    np.true_divide(means, n, out=means)
    return means, ranges


def _subgroups(data, sizes, *, min_size=1, need_sds=True):
    """Return (values 1-D, sizes, starts, means, ranges, sds) per subgroup.

    The input is only read (never copied when it already is a float array);
    ``sds`` is None unless ``need_sds``.
    """
    if sizes is None:
        arr = _finite("data", data, ndim=(2,), copy=False)
        m, n = arr.shape
        n_i = np.full(m, n, dtype=int)
        flat = arr.ravel()
        means, ranges = _row_stats(arr)
        sds = None
        if need_sds:
            sds = arr.std(axis=1, ddof=1) if n > 1 else np.zeros(m)
        starts = None
    else:
        flat = _finite("data", data, ndim=(1,), copy=False)
        n_i = np.asarray(sizes)
        if n_i.ndim == 0:
            n_i = np.full(flat.size // max(int(n_i), 1), int(n_i))
            if n_i.sum() != flat.size:
                raise SpcInputError(
                    f"sizes: {flat.size} values do not split into subgroups of {sizes}"
                )
        n_i = _counts_as_int("sizes", n_i)
        if n_i.min() < 1:
            raise SpcInputError("sizes: every subgroup size must be >= 1")
        if n_i.sum() != flat.size:
            raise SpcInputError(
                f"sizes: sum of sizes ({int(n_i.sum())}) must "
                f"equal the number of values ({flat.size})"
            )
        starts = np.concatenate(([0], np.cumsum(n_i)[:-1]))
        means = np.add.reduceat(flat, starts) / n_i
        ranges = np.maximum.reduceat(flat, starts) - np.minimum.reduceat(flat, starts)
        sds = None
        if need_sds:
            dev = flat - np.repeat(means, n_i)
            ss = np.add.reduceat(dev * dev, starts)
            with np.errstate(invalid="ignore", divide="ignore"):
                sds = np.where(n_i > 1, np.sqrt(ss / np.maximum(n_i - 1, 1)), 0.0)
    if n_i.min() < min_size:
        raise SpcInputError(
            f"sizes: subgroup size must be at least {min_size}, got {int(n_i.min())}"
        )
    if means.size < 2:
        raise SpcInputError(f"data: at least 2 subgroups are needed, got {means.size}")
    return flat, n_i, starts, means, ranges, sds


def _counts_as_int(name, values):
    arr = _finite(name, values, ndim=(1,))
    if np.any(arr != np.round(arr)):
        raise SpcInputError(f"{name}: must be whole numbers")
    return arr.astype(np.int64)


def _kept(mask_excluded, name="exclude", minimum=2, what="subgroups"):
    kept = mask_excluded.size - np.count_nonzero(mask_excluded)
    if kept < minimum:
        raise SpcInputError(
            f"{name}: at least {minimum} non-excluded {what} are needed for phase I, got {kept}"
        )
    return ~mask_excluded


def _zero_variance(sigma, what):
    if not sigma > 0:
        raise SpcInputError(
            f"data: zero variance ({what} = 0); control limits would collapse onto the centre line"
        )


def _phase(center, sigma):
    return "I" if center is None and sigma is None else "II"


def _given_sigma(sigma):
    return None if sigma is None else _positive("sigma", sigma)


def _given_center(center):
    if center is None:
        return None
    c = _finite("center", center)
    if c.ndim != 0:
        raise SpcInputError("center: must be a scalar")
    return float(c)


def _params(**kw):
    return MappingProxyType(kw)


def _constant(value, m):
    """A read-only length-m array holding one value, without allocating m values
    (a zero-stride view of one float, as ``np.broadcast_to`` makes, built
    directly: a few microseconds less per line)."""
    out = np.ndarray((m,), np.float64, np.array([value], dtype=np.float64), 0, (0,))
    out.flags.writeable = False
    return out


def _frozen(arr):
    out = np.array(arr)
    out.setflags(write=False)
    return out


# --------------------------------------------------------------------------
# sigma estimators for subgroup data


def _sel(arr, keep):
    """arr[keep], without the copy when every point is kept (same values)."""
    return arr if keep.all() else arr[keep]


def _sigma_rbar(ranges, n_i, keep, exact=False, equal=False):
    r, n = _sel(ranges, keep), _sel(n_i, keep)
    if equal or np.all(n == n[0]):
        return float(r.mean() / K.constant("d2", int(n[0]), exact=exact))
    d2 = K.constant("d2", n, exact=exact)
    d3 = K.constant("d3", n, exact=exact)
    f = d2 * d2 / (d3 * d3)
    return float(np.sum(f * r / d2) / np.sum(f))


def _sigma_sbar(sds, n_i, keep, exact=False):
    s, n = _sel(sds, keep), _sel(n_i, keep)
    c4 = K.c4(n)
    if np.all(n == n[0]):
        return float(s.mean() / c4[0])
    h = c4 * c4 / (1.0 - c4 * c4)
    return float(np.sum(h * s / c4) / np.sum(h))


def _sigma_pooled(sds, n_i, keep, exact=False):
    s, n = _sel(sds, keep), _sel(n_i, keep)
    dof = int(np.sum(n - 1))
    sp = np.sqrt(np.sum((n - 1) * s * s) / dof)
    return float(sp / K.c4_scalar(dof + 1))


_SIGMA_METHODS = {
    "rbar": (_sigma_rbar, "Rbar/d2"),
    "sbar": (_sigma_sbar, "Sbar/c4"),
    "pooled": (_sigma_pooled, "pooled SD/c4"),
}


def _rbar_max(exact):
    """Largest subgroup of an R-based estimate: the table's or the exact constants'."""
    return K.N_EXACT_MAX if exact else K.N_MAX


def _subgroup_sigma(method, ranges, sds, n_i, keep, exact=False):
    if method not in _SIGMA_METHODS:
        raise SpcInputError(
            f"sigma_method: must be one of {', '.join(_SIGMA_METHODS)}, got {method!r}"
        )
    top = _rbar_max(exact)
    if method == "rbar" and n_i.max() > top:
        raise SpcInputError(
            f"sizes: subgroup size must be at most {top} for Rbar/d2, got {int(n_i.max())}"
        )
    fn, label = _SIGMA_METHODS[method]
    return fn(ranges if method == "rbar" else sds, n_i, keep, exact), label


def _grand_mean(means, n_i, keep, equal=False):
    if equal:  # the same weights: the plain mean of the subgroup means
        return float(_sel(means, keep).mean())
    n = _sel(n_i, keep)
    return float(np.sum(_sel(means, keep) * n) / np.sum(n))


# --------------------------------------------------------------------------
# variables charts


def _range_limits(n_i, sigma, L, exact=False):
    """Limits of an R or MR chart: D3 and D4 times d2 sigma (AIAG table).

    With sigma = Rbar/d2 this is exactly D3 Rbar and D4 Rbar. For another
    sigma multiple L the limits are d2 sigma -/+ L d3 sigma (table d2, d3).
    LCL is floored at 0. ``exact``: the unrounded constants.
    """
    d2 = K.constant("d2", n_i, exact=exact)
    if L == 3.0:
        d3_, d4_ = K.constant("D3", n_i, exact=exact), K.constant("D4", n_i, exact=exact)
        return d3_ * d2 * sigma, d4_ * d2 * sigma
    d3 = K.constant("d3", n_i, exact=exact)
    return np.maximum(0.0, (d2 - L * d3) * sigma), (d2 + L * d3) * sigma


def _exact_flag(value):
    if not isinstance(value, (bool, np.bool_)):
        raise SpcInputError(f"exact_constants: must be True or False, got {value!r}")
    return bool(value)


def _xbar(
    kind, data, sizes, center, sigma, exclude, L=3.0, sigma_method=None, exact_constants=False
):
    L = _positive("L", L)
    exact = _exact_flag(exact_constants)
    need_sds = kind == "xbar_s" or (sigma is None and sigma_method in ("sbar", "pooled"))
    if kind == "xbar_r":
        flat, n_i, _, means, ranges, sds = _subgroups(data, sizes, min_size=2, need_sds=need_sds)
        top = _rbar_max(exact)
        if n_i.max() > top:
            raise SpcInputError(
                f"sizes: subgroup size must be at most {top} for "
                f"an X-bar-R chart, got {int(n_i.max())}; use xbar_s"
            )
        sigma_method = sigma_method or "rbar"
    else:
        flat, n_i, _, means, ranges, sds = _subgroups(data, sizes, min_size=2, need_sds=need_sds)
        sigma_method = sigma_method or "sbar"
    m = means.size
    equal = sizes is None or bool(np.all(n_i == n_i[0]))
    n_pt = int(n_i[0]) if equal else n_i  # scalar subgroup size when all are equal
    excluded = _exclusion_mask(exclude, m)
    phase = _phase(center, sigma)
    center = _given_center(center)
    sigma = _given_sigma(sigma)
    label = "given"
    if sigma is None or center is None:
        keep = _kept(excluded)
    if sigma is None:
        sigma, label = _subgroup_sigma(sigma_method, ranges, sds, n_i, keep, exact)
        _zero_variance(sigma, label)
    if center is None:
        center = _grand_mean(means, n_i, keep, equal)
    # per-point limits only when subgroup sizes differ; otherwise one read-only
    # broadcast value per line (no m-element copies)
    full = (lambda v: _constant(v, m)) if equal else (lambda v: v)
    rn = np.sqrt(n_pt)
    half = L * sigma / rn
    cl = _constant(center, m)
    idx = np.arange(m)
    params = _params(L=L, sigma_method=sigma_method, exact_constants=exact)
    # the companion shares the (read-only) index, exclusion and size arrays
    if kind == "xbar_r":
        comp_kind, comp_statistic = "r", ranges
        comp_center = K.constant("d2", n_pt, exact=exact) * sigma
        comp_lcl, comp_ucl = _range_limits(n_pt, sigma, L, exact)
    else:
        c4 = K.c4(n_pt)
        spread = L * sigma * np.sqrt(1.0 - c4 * c4)
        comp_kind, comp_statistic = "s", sds
        comp_center = c4 * sigma
        comp_lcl, comp_ucl = np.maximum(0.0, comp_center - spread), comp_center + spread
    comp = ChartResult(
        kind=comp_kind,
        statistic=comp_statistic,
        center=full(comp_center),
        lcl=full(comp_lcl),
        ucl=full(comp_ucl),
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=excluded,
        index=idx,
        sizes=n_i,
        params=params,
    )
    return ChartResult(
        kind=kind,
        statistic=means,
        center=cl,
        lcl=full(center - half),
        ucl=full(center + half),
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=excluded,
        index=idx,
        sizes=n_i,
        companion=comp,
        params=params,
    )


def _moving_ranges(x):
    mr = np.diff(x)
    return np.abs(mr, out=mr)


def _imr_sigma(x, excluded, mr=None, exact=False):
    d2 = K.constant("d2", 2, exact=exact)
    if mr is None:
        mr = _moving_ranges(x)
    if not excluded.any():
        return float(mr.mean() / d2), mr, None
    mr_ok = ~(excluded[1:] | excluded[:-1])
    if not mr_ok.any():
        raise SpcInputError(
            "exclude: no moving range is left between non-excluded consecutive points"
        )
    return float(mr[mr_ok].mean() / d2), mr, mr_ok


def _imr(data, sizes, center, sigma, exclude, L=3.0, exact_constants=False):
    L = _positive("L", L)
    exact = _exact_flag(exact_constants)
    if sizes is not None:
        raise SpcInputError("sizes: not used by an I-MR chart (individual values)")
    x = _finite("data", data, ndim=(1,))
    n = x.size
    if n < 2:
        raise SpcInputError(f"data: at least 2 individual values are needed, got {n}")
    excluded = _exclusion_mask(exclude, n)
    phase = _phase(center, sigma)
    center = _given_center(center)
    sigma = _given_sigma(sigma)
    label = "given"
    mr = _moving_ranges(x)
    mr_excl = excluded[1:] | excluded[:-1]
    if sigma is None:
        _kept(excluded, what="points")
        sigma, mr, mr_ok = _imr_sigma(x, excluded, mr, exact)
        label = "MRbar/d2"
        _zero_variance(sigma, label)
    if center is None:
        keep = _kept(excluded, what="points")
        center = float(x.mean() if keep.all() else x[keep].mean())
    params = _params(L=L, span=2, exact_constants=exact)
    mr_lcl, mr_ucl = _range_limits(2, sigma, L, exact)
    idx = np.arange(n)
    # x is already a private copy (see _finite); constant lines are read-only
    # broadcasts and the MR index is a view of the I index
    comp = ChartResult(
        kind="mr",
        statistic=mr,
        center=_constant(K.constant("d2", 2, exact=exact) * sigma, n - 1),
        lcl=_constant(mr_lcl, n - 1),
        ucl=_constant(mr_ucl, n - 1),
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=mr_excl,
        index=idx[1:],
        params=params,
    )
    return ChartResult(
        kind="imr",
        statistic=x,
        center=_constant(center, n),
        lcl=_constant(center - L * sigma, n),
        ucl=_constant(center + L * sigma, n),
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=excluded,
        index=idx,
        companion=comp,
        params=params,
    )


# --------------------------------------------------------------------------
# attributes charts


def _attribute(kind, data, sizes, center, sigma, exclude, L=3.0):
    L = _positive("L", L)
    if sigma is not None:
        raise SpcInputError(
            f"sigma: not used by a {kind} chart (sigma follows from the centre line)"
        )
    counts = _finite("data", data, ndim=(1,))
    m = counts.size
    if m < 2:
        raise SpcInputError(f"data: at least 2 samples are needed, got {m}")
    if counts.min() < 0:
        raise SpcInputError(
            f"data: counts must be >= 0; index {int(np.argmin(counts))} is {counts.min()}"
        )
    if kind == "c":
        if sizes is not None and np.unique(np.asarray(sizes, dtype=float)).size > 1:
            raise SpcInputError(
                "sizes: a c chart needs equal inspection units; use a u chart for varying sizes"
            )
        n_i = np.ones(m)
    else:
        if sizes is None:
            raise SpcInputError(f"sizes: required for a {kind} chart (sample sizes)")
        n_i = _finite("sizes", sizes, ndim=(0, 1))
        n_i = np.full(m, float(n_i)) if n_i.ndim == 0 else n_i
        if n_i.shape != (m,):
            raise SpcInputError(f"sizes: must have one size per sample ({m}), got {n_i.size}")
        if n_i.min() <= 0:
            raise SpcInputError(
                f"sizes: sample sizes must be > 0; index {int(np.argmin(n_i))} is {n_i.min()}"
            )
        if kind in ("p", "np"):
            over = counts > n_i
            if over.any():
                i = int(np.argmax(over))
                raise SpcInputError(
                    f"data: count {counts[i]} exceeds its sample size "
                    f"{n_i[i]} at index {i} (count must be <= size)"
                )
    excluded = _exclusion_mask(exclude, m)
    phase = "I" if center is None else "II"
    if center is None:
        keep = _kept(excluded, what="samples")
        cbar = float(counts[keep].sum() / n_i[keep].sum())
    else:
        cbar = _positive(
            "center", center, allow_zero=True, upper=1.0 if kind in ("p", "np") else None
        )
    idx = np.arange(m)
    if kind in ("p", "np"):
        if not 0.0 < cbar < 1.0:
            raise SpcInputError(f"data: zero variance (p-bar = {cbar}); limits need 0 < p-bar < 1")
        sd_unit = np.sqrt(cbar * (1.0 - cbar))
        method = "binomial"
    else:
        if not cbar > 0:
            raise SpcInputError(
                f"data: zero variance ({'c' if kind == 'c' else 'u'}-bar "
                f"= 0); limits need a positive mean count"
            )
        sd_unit = np.sqrt(cbar)
        method = "Poisson"
    if kind == "p":
        stat = counts / n_i
        cl = np.full(m, cbar)
        half = L * sd_unit / np.sqrt(n_i)
        lcl, ucl = np.maximum(0.0, cbar - half), np.minimum(1.0, cbar + half)
    elif kind == "np":
        stat = counts.copy()
        cl = n_i * cbar
        half = L * sd_unit * np.sqrt(n_i)
        lcl, ucl = np.maximum(0.0, cl - half), np.minimum(n_i, cl + half)
    elif kind == "c":
        stat = counts.copy()
        cl = np.full(m, cbar)
        lcl, ucl = np.full(m, max(0.0, cbar - L * sd_unit)), np.full(m, cbar + L * sd_unit)
    else:  # u
        stat = counts / n_i
        cl = np.full(m, cbar)
        half = L * sd_unit / np.sqrt(n_i)
        lcl, ucl = np.maximum(0.0, cbar - half), cbar + half
    return ChartResult(
        kind=kind,
        statistic=stat,
        center=cl,
        lcl=lcl,
        ucl=ucl,
        sigma=float(sd_unit),
        sigma_method=method,
        phase=phase,
        excluded=excluded,
        index=idx,
        sizes=None if kind == "c" else n_i,
        params=_params(L=L),
    )


# --------------------------------------------------------------------------
# time-weighted charts


def _series(data, sizes, exclude, center, sigma, sigma_method, exact=False):
    """Plotted values, their sizes, and (center, sigma of one observation)."""
    arr = np.asarray(data, dtype=float) if not isinstance(data, np.ndarray) else data
    if sizes is None and np.ndim(arr) == 1:
        x = _finite("data", arr, ndim=(1,))
        if x.size < 2:
            raise SpcInputError(f"data: at least 2 values are needed, got {x.size}")
        n_i = np.ones(x.size, dtype=int)
        excluded = _exclusion_mask(exclude, x.size)
        label = "given"
        if sigma is None:
            _kept(excluded, what="points")
            sigma, _, _ = _imr_sigma(x, excluded, exact=exact)
            label = "MRbar/d2"
            _zero_variance(sigma, label)
        if center is None:
            center = float(x[_kept(excluded, what="points")].mean())
        return x, n_i, excluded, center, sigma, label
    _, n_i, _, means, ranges, sds = _subgroups(data, sizes, min_size=1)
    excluded = _exclusion_mask(exclude, means.size)
    label = "given"
    if sigma is None:
        keep = _kept(excluded)
        if n_i.min() < 2:
            raise SpcInputError(
                "sizes: estimating sigma from subgroups needs every subgroup size >= 2"
            )
        method = sigma_method or ("rbar" if n_i.max() <= K.N_MAX else "sbar")
        sigma, label = _subgroup_sigma(method, ranges, sds, n_i, keep, exact)
        _zero_variance(sigma, label)
    if center is None:
        center = _grand_mean(means, n_i, _kept(excluded))
    return means, n_i, excluded, center, sigma, label


def _ewma(
    data,
    sizes,
    center,
    sigma,
    exclude,
    lam=0.2,
    L=3.0,
    asymptotic=False,
    sigma_method=None,
    exact_constants=False,
):
    lam = _positive("lam", lam, upper=1.0)
    L = _positive("L", L)
    exact = _exact_flag(exact_constants)
    phase = _phase(center, sigma)
    x, n_i, excluded, center, sigma, label = _series(
        data, sizes, exclude, _given_center(center), _given_sigma(sigma), sigma_method, exact
    )
    a = 1.0 - lam
    z = lfilter([lam], [1.0, -a], x, zi=[a * center])[0]
    var_obs = sigma * sigma / n_i
    if asymptotic:
        var = var_obs * lam / (2.0 - lam)
    else:
        # exact: Var(z_i) = lam^2 * sum_j (1 - lam)^(2 (i - j)) sigma^2 / n_j
        var = lfilter([lam * lam], [1.0, -a * a], var_obs)
    half = L * np.sqrt(var)
    m = x.size
    return ChartResult(
        kind="ewma",
        statistic=z,
        center=np.full(m, center),
        lcl=center - half,
        ucl=center + half,
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=excluded,
        index=np.arange(m),
        sizes=n_i,
        params=_params(
            lam=lam,
            L=L,
            asymptotic=bool(asymptotic),
            observations=_frozen(x),
            exact_constants=exact,
        ),
    )


def _lindley(y, start):
    """C_i = max(0, C_{i-1} + y_i), C_0 = start, without a Python loop.

    Unrolled, C_i = S_i - min(-start, min_{j<=i} S_j) with S the running sum.
    """
    s = np.cumsum(y)
    return np.maximum(s - np.minimum(np.minimum.accumulate(s), -start), 0.0)


def _cusum(
    data,
    sizes,
    center,
    sigma,
    exclude,
    k=0.5,
    h=5.0,
    fir=0.0,
    sigma_method=None,
    exact_constants=False,
):
    k = _positive("k", k, allow_zero=True)
    h = _positive("h", h)
    fir = _positive("fir", fir, allow_zero=True, upper=1.0, upper_inclusive=False)
    exact = _exact_flag(exact_constants)
    phase = _phase(center, sigma)
    x, n_i, excluded, center, sigma, label = _series(
        data, sizes, exclude, _given_center(center), _given_sigma(sigma), sigma_method, exact
    )
    m = x.size
    sd_point = sigma / np.sqrt(n_i)
    if np.all(n_i == n_i[0]):
        scale = float(sd_point[0])  # sums in data units
        units = "data"
    else:
        scale = 1.0  # standardised sums for unequal sizes
        units = "sigma"
    dev = (x - center) / sd_point  # standardised deviations
    start = fir * h
    c_plus = _lindley(dev - k, start) * scale
    c_minus = _lindley(-dev - k, start) * scale
    H = h * scale
    return ChartResult(
        kind="cusum",
        statistic=x,
        center=np.full(m, center),
        lcl=np.full(m, -H),
        ucl=np.full(m, H),
        sigma=sigma,
        sigma_method=label,
        phase=phase,
        excluded=excluded,
        index=np.arange(m),
        sizes=n_i,
        c_plus=c_plus,
        c_minus=c_minus,
        h=H,
        params=_params(k=k, h=h, fir=fir, K=k * scale, units=units, exact_constants=exact),
    )


# --------------------------------------------------------------------------
# public entry point


def control_chart(kind, data, *, sizes=None, center=None, sigma=None, exclude=None, **params):
    """Compute a control chart.

    Parameters
    ----------
    kind : one of ``xbar_r``, ``xbar_s``, ``imr``, ``p``, ``np``, ``c``, ``u``,
        ``ewma``, ``cusum``.
    data : for ``xbar_r``/``xbar_s``: 2-D array (subgroups x n), or 1-D values
        with ``sizes`` (one size per subgroup) for unequal subgroups; for
        ``imr``: 1-D individual values; for attributes: 1-D counts
        (nonconforming units for p/np, nonconformities for c/u); for
        ``ewma``/``cusum``: 1-D individuals or subgroups as for X-bar.
    sizes : sample sizes for p/np/u (scalar or per sample); subgroup sizes
        for variables charts given as 1-D data.
    center, sigma : phase II values (process mean and process sigma of one
        observation; for p/np the proportion, for c the mean count per
        sample, for u the mean count per unit). If neither is given the
        chart is phase I and both are estimated from the data.
    exclude : boolean mask or indices of points left out of the phase I
        estimates (they remain in the output).
    params : ``L`` (sigma multiple, default 3) for Shewhart charts;
        ``sigma_method`` (``rbar``, ``sbar``, ``pooled``) for subgroup data;
        ``lam`` (0.2), ``L`` (3), ``asymptotic`` (False) for EWMA;
        ``k`` (0.5), ``h`` (5) in sigma units and ``fir`` (0, fraction of h)
        for CUSUM; ``exact_constants`` (False) for the variables charts
        (X-bar, I-MR, EWMA, CUSUM): True uses the unrounded d2, d3 and the
        constants derived from them (:func:`spc.constants.constant` with
        ``exact=True``) instead of the AIAG table, and lets X-bar-R take
        subgroups above 25.
    """
    if kind not in KINDS:
        raise SpcInputError(f"kind: must be one of {', '.join(KINDS)}, got {kind!r}")
    allowed = {
        "xbar_r": {"L", "sigma_method", "exact_constants"},
        "xbar_s": {"L", "sigma_method", "exact_constants"},
        "imr": {"L", "exact_constants"},
        "p": {"L"},
        "np": {"L"},
        "c": {"L"},
        "u": {"L"},
        "ewma": {"lam", "L", "asymptotic", "sigma_method", "exact_constants"},
        "cusum": {"k", "h", "fir", "sigma_method", "exact_constants"},
    }[kind]
    unknown = set(params) - allowed
    if unknown:
        raise SpcInputError(
            f"{sorted(unknown)[0]}: unknown parameter for a "
            f"{kind} chart; allowed: {', '.join(sorted(allowed))}"
        )
    if kind in ("xbar_r", "xbar_s"):
        return _xbar(kind, data, sizes, center, sigma, exclude, **params)
    if kind == "imr":
        return _imr(data, sizes, center, sigma, exclude, **params)
    if kind in ("p", "np", "c", "u"):
        return _attribute(kind, data, sizes, center, sigma, exclude, **params)
    if kind == "ewma":
        return _ewma(data, sizes, center, sigma, exclude, **params)
    return _cusum(data, sizes, center, sigma, exclude, **params)
