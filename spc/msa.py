"""Measurement-system analysis (MSA).

* :func:`gauge_rr` -- crossed gauge R&R, ANOVA method (Minitab conventions) or
  the average-and-range method of the AIAG MSA manual (4th edition).
* :func:`type1_study` -- type-1 gauge study (Cg / Cgk, bias t-test).
* :func:`linearity` -- AIAG gauge linearity and bias study.
* :func:`attribute_agreement` -- attribute agreement analysis (Fleiss and
  Cohen kappa, percent agreement with exact Clopper-Pearson intervals).

Pure numpy / scipy, no Odoo import.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from . import constants as K
from .errors import SpcInputError, finite_number

__all__ = [
    "AnovaRow",
    "GaugeRRResult",
    "Type1Result",
    "LinearityResult",
    "ReferenceBias",
    "AgreementStat",
    "AttributeAgreementResult",
    "gauge_rr",
    "type1_study",
    "linearity",
    "attribute_agreement",
    "fleiss_kappa",
    "cohen_kappa",
    "clopper_pearson",
    "d2",
    "d2_star",
    "AIAG_K1",
    "AIAG_K2",
    "AIAG_K3",
]

# ---------------------------------------------------------------------------
# AIAG constants (MSA manual, 4th edition, chapter III section B)
# ---------------------------------------------------------------------------

#: K1 by number of trials: 1 / d2* for many ranges (g > 15).
AIAG_K1 = {2: 0.8862, 3: 0.5908}
#: K2 by number of appraisers: 1 / d2*(m = appraisers, g = 1).
AIAG_K2 = {2: 0.7071, 3: 0.5231}
#: K3 by number of parts: 1 / d2*(m = parts, g = 1).
AIAG_K3 = {
    2: 0.7071,
    3: 0.5231,
    4: 0.4467,
    5: 0.4030,
    6: 0.3742,
    7: 0.3534,
    8: 0.3375,
    9: 0.3249,
    10: 0.3146,
}

#: AIAG's rounded sqrt(2) in the number of distinct categories.
AIAG_NDC_FACTOR = 1.41


# ---------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------


def _finite_1d(values, name, *, min_size=1):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SpcInputError(f"{name}: must be numeric ({exc})") from None
    if arr.ndim != 1:
        arr = arr.ravel()
    if arr.size < min_size:
        raise SpcInputError(f"{name}: needs at least {min_size} value(s), got {arr.size}")
    if not np.all(np.isfinite(arr)):
        raise SpcInputError(f"{name}: contains NaN or infinite values; all values must be finite")
    return arr


def _positive(value, name, *, allow_none=False):
    if value is None:
        if allow_none:
            return None
        raise SpcInputError(f"{name}: is required")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SpcInputError(f"{name}: must be a number, got {value!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise SpcInputError(f"{name}: must be a finite number > 0, got {value!r}")
    return v


def _labels(values, name, n, against="measurements"):
    arr = np.asarray(values, dtype=object)
    if arr.ndim != 1:
        arr = arr.ravel()
    if arr.size != n:
        raise SpcInputError(f"{name}: length {arr.size} does not match {against} length {n}")
    for v in arr:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            raise SpcInputError(f"{name}: contains a missing label (None/NaN)")
    return arr


_PLAIN_LABELS = (int, float, str, bool)
_NUMPY_LABELS = (np.integer, np.floating, np.str_, np.bool_)


def _fast_levels(values, n):
    """(names, codes) like _labels + _levels, vectorised, or None to fall back.

    Used for one-dimensional labels of a single plain type (numbers, strings)
    that contain no NaN and have the right length; anything else (objects,
    mixed types, bad input) goes through the checked path, which also raises
    the errors.
    """
    if isinstance(values, np.ndarray):
        raw = values
    else:
        if not isinstance(values, (list, tuple)) or len(values) != n:
            return None
        kinds = set(map(type, values))
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        if kind not in _PLAIN_LABELS and not issubclass(kind, _NUMPY_LABELS):
            return None
        raw = np.asarray(values)
    if raw.ndim != 1 or raw.size != n or raw.dtype.kind not in "biuUf":
        return None
    if raw.dtype.kind == "f" and np.isnan(raw).any():
        return None
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # distinct values in first-seen order
    rank = np.empty(order.size, dtype=int)
    rank[order] = np.arange(order.size)
    firsts = first[order].tolist()
    # the first-seen label objects themselves (as the checked path keeps them)
    names = raw[firsts].tolist() if raw is values else list(map(values.__getitem__, firsts))
    return names, rank[inverse.ravel()]


def _levels(arr):
    """Distinct labels in first-seen order, and the integer code of each entry."""
    order = {}
    codes = np.empty(arr.size, dtype=int)
    for i, v in enumerate(arr):
        key = v
        if key not in order:
            order[key] = len(order)
        codes[i] = order[key]
    return list(order), codes


# ---------------------------------------------------------------------------
# d2 / d2* (distribution of the range of normal samples)
# ---------------------------------------------------------------------------


def _range_moments(m):
    """E[R] and E[R^2] for the range of ``m`` iid standard normal values.

    The integrals of :func:`spc.constants.range_moments` (one implementation
    of the range distribution for the charts and the MSA constants).
    """
    return K.range_moments(m)


def d2(m):
    """Expected range of ``m`` standard normal values (d2 control-chart constant)."""
    m = int(m)
    if m < 2:
        raise SpcInputError(f"m: range needs a subgroup size >= 2, got {m}")
    return _range_moments(m)[0]


def d2_star(m, g):
    """Duncan's d2* for ``g`` ranges of subgroups of size ``m``.

    d2*^2 = d2^2 + d3^2 / g (Duncan's approximation; exact for g = 1).
    ``g = math.inf`` gives d2.
    """
    m = int(m)
    if m < 2:
        raise SpcInputError(f"m: range needs a subgroup size >= 2, got {m}")
    if not g or g < 1:
        raise SpcInputError(f"g: number of ranges must be >= 1, got {g}")
    er, er2 = _range_moments(m)
    d3_sq = er2 - er * er
    return math.sqrt(er * er + d3_sq / g)


def _k_constant(table, m, g):
    if m in table:
        return table[m]
    return 1.0 / d2_star(m, g)


# ---------------------------------------------------------------------------
# Gauge R&R
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AnovaRow:
    """One line of an ANOVA table. ``f``/``p`` are None for error and total."""

    source: str
    df: int
    ss: float
    ms: float
    f: float | None = None
    p: float | None = None


@dataclass(frozen=True)
class GaugeRRResult:
    """Result of :func:`gauge_rr`.

    Standard deviations (``ev`` ... ``tv``), variances (``var_*``) and the
    percentage tables are keyed ``"ev", "av", "interaction", "grr", "pv", "tv"``.
    ``anova_with_interaction`` / ``anova_without_interaction`` are filled for
    both methods (the ANOVA tables are informative for the range method too).
    """

    method: str
    n_parts: int
    n_operators: int
    n_trials: int
    ev: float
    av: float
    interaction: float
    grr: float
    pv: float
    tv: float
    var_ev: float
    var_av: float
    var_interaction: float
    var_grr: float
    var_pv: float
    var_tv: float
    pct_contribution: dict
    pct_study_var: dict
    pct_tolerance: dict | None
    ndc: int
    ndc_raw: float
    ndc_factor: float
    study_var: float
    tolerance: float | None
    alpha: float
    interaction_p: float
    interaction_pooled: bool
    anova_with_interaction: tuple
    anova_without_interaction: tuple
    parts: tuple
    operators: tuple


def _gauge_cube(measurements, parts, operators):
    y = _finite_1d(measurements, "measurements", min_size=4)
    p_fast = _fast_levels(parts, y.size)
    o_fast = _fast_levels(operators, y.size)
    p_names, p_idx = p_fast or _levels(_labels(parts, "parts", y.size))
    o_names, o_idx = o_fast or _levels(_labels(operators, "operators", y.size))
    p, o = len(p_names), len(o_names)
    if p < 2:
        raise SpcInputError(f"parts: at least 2 distinct parts are required, got {p}")
    if o < 1:
        raise SpcInputError("operators: at least 1 operator is required")
    cell = p_idx * o + o_idx
    counts = np.bincount(cell, minlength=p * o).reshape(p, o)
    r = int(counts.max())
    if counts.min() != r:
        i, j = np.unravel_index(int(np.argmin(counts)), counts.shape)
        raise SpcInputError(
            f"measurements: unbalanced study - part {p_names[i]!r} / operator {o_names[j]!r} "
            f"has {counts[i, j]} trial(s), every part x operator cell needs {r}"
        )
    if r < 2:
        raise SpcInputError(
            f"measurements: at least 2 trials per part x operator cell are required, got {r}"
        )
    # balanced: sorting by cell (stable, so trials keep their order) fills the cube
    cube = y[np.argsort(cell, kind="stable")].reshape(p, o, r)
    return cube, p_names, o_names


def _f_p(ms_num, ms_den, df_num, df_den):
    if ms_den <= 0:
        if ms_num <= 0:
            return float("nan"), float("nan")
        return float("inf"), 0.0
    f = ms_num / ms_den
    # scipy.stats.f.sf is scipy.special.fdtrc (same value, no per-call overhead)
    return float(f), float(special.fdtrc(df_num, df_den, f))


def _anova_tables(cube):
    p, o, r = cube.shape
    grand = cube.mean()
    m_p = cube.mean(axis=(1, 2))
    m_o = cube.mean(axis=(0, 2))
    m_po = cube.mean(axis=2)
    ss_t = float(((cube - grand) ** 2).sum())
    ss_p = float(o * r * ((m_p - grand) ** 2).sum())
    ss_o = float(p * r * ((m_o - grand) ** 2).sum())
    ss_po_cells = float(r * ((m_po - grand) ** 2).sum())
    ss_po = max(ss_po_cells - ss_p - ss_o, 0.0)
    ss_e = float(((cube - m_po[:, :, None]) ** 2).sum())
    df_p, df_o = p - 1, o - 1
    df_po = df_p * df_o
    df_e = p * o * (r - 1)
    df_t = p * o * r - 1
    ms_p = ss_p / df_p
    ms_o = ss_o / df_o if df_o else float("nan")
    ms_po = ss_po / df_po if df_po else float("nan")
    ms_e = ss_e / df_e

    full = {}
    if o >= 2:
        f_p, p_p = _f_p(ms_p, ms_po, df_p, df_po)
        f_o, p_o = _f_p(ms_o, ms_po, df_o, df_po)
        f_po, p_po = _f_p(ms_po, ms_e, df_po, df_e)
        full_rows = (
            AnovaRow("part", df_p, ss_p, ms_p, f_p, p_p),
            AnovaRow("operator", df_o, ss_o, ms_o, f_o, p_o),
            AnovaRow("part*operator", df_po, ss_po, ms_po, f_po, p_po),
            AnovaRow("repeatability", df_e, ss_e, ms_e),
            AnovaRow("total", df_t, ss_t, ss_t / df_t),
        )
        df_pool = df_po + df_e
        ms_pool = (ss_po + ss_e) / df_pool
        f_p2, p_p2 = _f_p(ms_p, ms_pool, df_p, df_pool)
        f_o2, p_o2 = _f_p(ms_o, ms_pool, df_o, df_pool)
        reduced_rows = (
            AnovaRow("part", df_p, ss_p, ms_p, f_p2, p_p2),
            AnovaRow("operator", df_o, ss_o, ms_o, f_o2, p_o2),
            AnovaRow("repeatability", df_pool, ss_po + ss_e, ms_pool),
            AnovaRow("total", df_t, ss_t, ss_t / df_t),
        )
        full = dict(p_int=p_po, ms_pool=ms_pool)
    else:
        # a single operator: one-way ANOVA of parts, no reproducibility term
        f_p, p_p = _f_p(ms_p, ms_e, df_p, df_e)
        reduced_rows = (
            AnovaRow("part", df_p, ss_p, ms_p, f_p, p_p),
            AnovaRow("repeatability", df_e, ss_e, ms_e),
            AnovaRow("total", df_t, ss_t, ss_t / df_t),
        )
        full_rows = reduced_rows
        full = dict(p_int=float("nan"), ms_pool=ms_e)
    return dict(
        ms_p=ms_p, ms_o=ms_o, ms_po=ms_po, ms_e=ms_e, full=full_rows, reduced=reduced_rows, **full
    )


def gauge_rr(
    measurements,
    *,
    parts,
    operators,
    tolerance=None,
    method="anova",
    alpha=0.25,
    study_var=6.0,
    ndc_factor=AIAG_NDC_FACTOR,
):
    """Crossed gauge R&R study.

    ``measurements`` is 1-D with parallel ``parts`` / ``operators`` label
    arrays (any hashable labels). Every part x operator cell must hold the
    same number (>= 2) of trials.

    method="anova": two-way random-effects ANOVA with interaction; when the
    interaction p-value exceeds ``alpha`` (0.25 as in Minitab) the interaction
    is pooled into repeatability. Negative variance components are set to 0.

    method="average_range": AIAG MSA 4th edition average-and-range method
    (EV = Rbarbar*K1, AV = sqrt((Xdiff*K2)^2 - EV^2/(n*r)), PV = Rp*K3).
    Tabulated AIAG K constants are used where they exist, 1/d2* otherwise.

    ``study_var`` is the multiple of sigma used for %study var and %tolerance
    (6 by default; 5.15 for the older AIAG convention). ``ndc_factor`` is
    1.41 (AIAG) by default; pass ``math.sqrt(2)`` for the exact factor.
    ndc = floor(ndc_factor * PV / GRR), at least 1 (a gauge with GRR = 0
    gets ``ndc_raw = inf`` and ``ndc = 2**31 - 1``).
    """
    if method not in ("anova", "average_range"):
        raise SpcInputError(f"method: must be 'anova' or 'average_range', got {method!r}")
    try:
        alpha = float(alpha)
    except (TypeError, ValueError):
        raise SpcInputError(f"alpha: must be a number in [0, 1], got {alpha!r}") from None
    if not (0.0 <= alpha <= 1.0):
        raise SpcInputError(f"alpha: must be in [0, 1], got {alpha!r}")
    study_var = _positive(study_var, "study_var")
    ndc_factor = _positive(ndc_factor, "ndc_factor")
    tolerance = _positive(tolerance, "tolerance", allow_none=True)

    cube, p_names, o_names = _gauge_cube(measurements, parts, operators)
    p, o, r = cube.shape
    an = _anova_tables(cube)

    interaction_p = float(an["p_int"])
    if method == "anova":
        if o >= 2:
            pooled = not (interaction_p <= alpha)  # NaN p (no interaction SS) pools
            if pooled:
                var_ev = an["ms_pool"]
                var_int = 0.0
                var_av = (an["ms_o"] - var_ev) / (p * r)
                var_pv = (an["ms_p"] - var_ev) / (o * r)
            else:
                var_ev = an["ms_e"]
                var_int = (an["ms_po"] - an["ms_e"]) / r
                var_av = (an["ms_o"] - an["ms_po"]) / (p * r)
                var_pv = (an["ms_p"] - an["ms_po"]) / (o * r)
        else:
            pooled = True
            var_ev = an["ms_e"]
            var_int = 0.0
            var_av = 0.0
            var_pv = (an["ms_p"] - var_ev) / r
        var_ev = max(float(var_ev), 0.0)
        var_int = max(float(var_int), 0.0)
        var_av = max(float(var_av), 0.0)
        var_pv = max(float(var_pv), 0.0)
        ev, av, inter, pv = (math.sqrt(v) for v in (var_ev, var_av, var_int, var_pv))
    else:
        pooled = True
        ranges = cube.max(axis=2) - cube.min(axis=2)
        r_barbar = float(ranges.mean())
        k1 = _k_constant(AIAG_K1, r, math.inf)
        ev = r_barbar * k1
        if o >= 2:
            op_means = cube.mean(axis=(0, 2))
            x_diff = float(op_means.max() - op_means.min())
            k2 = _k_constant(AIAG_K2, o, 1)
            av_sq = (x_diff * k2) ** 2 - ev**2 / (p * r)
            av = math.sqrt(av_sq) if av_sq > 0 else 0.0
        else:
            av = 0.0
        part_means = cube.mean(axis=(1, 2))
        r_p = float(part_means.max() - part_means.min())
        k3 = _k_constant(AIAG_K3, p, 1)
        pv = r_p * k3
        inter = 0.0
        var_ev, var_av, var_int, var_pv = ev**2, av**2, 0.0, pv**2

    var_grr = var_ev + var_av + var_int
    var_tv = var_grr + var_pv
    grr = math.sqrt(var_grr)
    tv = math.sqrt(var_tv)

    sds = {"ev": ev, "av": av, "interaction": inter, "grr": grr, "pv": pv, "tv": tv}
    variances = {
        "ev": var_ev,
        "av": var_av,
        "interaction": var_int,
        "grr": var_grr,
        "pv": var_pv,
        "tv": var_tv,
    }
    if var_tv > 0:
        pct_contribution = {k: 100.0 * v / var_tv for k, v in variances.items()}
        pct_study_var = {k: 100.0 * s / tv for k, s in sds.items()}
    else:
        pct_contribution = {k: float("nan") for k in variances}
        pct_study_var = {k: float("nan") for k in sds}
    pct_tolerance = None
    if tolerance is not None:
        pct_tolerance = {k: 100.0 * study_var * s / tolerance for k, s in sds.items()}
    if grr > 0:
        ndc_raw = ndc_factor * pv / grr
        ndc = max(int(math.floor(ndc_raw + 1e-12)), 1)
    else:
        ndc_raw = float("inf")
        ndc = 1 if pv == 0 else 2**31 - 1

    return GaugeRRResult(
        method=method,
        n_parts=p,
        n_operators=o,
        n_trials=r,
        ev=ev,
        av=av,
        interaction=inter,
        grr=grr,
        pv=pv,
        tv=tv,
        var_ev=var_ev,
        var_av=var_av,
        var_interaction=var_int,
        var_grr=var_grr,
        var_pv=var_pv,
        var_tv=var_tv,
        pct_contribution=pct_contribution,
        pct_study_var=pct_study_var,
        pct_tolerance=pct_tolerance,
        ndc=ndc,
        ndc_raw=ndc_raw,
        ndc_factor=ndc_factor,
        study_var=study_var,
        tolerance=tolerance,
        alpha=alpha,
        interaction_p=interaction_p,
        interaction_pooled=bool(pooled),
        anova_with_interaction=an["full"],
        anova_without_interaction=an["reduced"],
        parts=tuple(p_names),
        operators=tuple(o_names),
    )


# ---------------------------------------------------------------------------
# Type-1 gauge study
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Type1Result:
    """Result of :func:`type1_study`. ``capable`` is Cg >= 1.33 and Cgk >= 1.33."""

    n: int
    mean: float
    std: float
    reference: float
    tolerance: float
    bias: float
    t: float
    p: float
    cg: float
    cgk: float
    k: float
    L: float
    limit: float
    capable: bool
    resolution: float | None
    pct_resolution: float | None
    resolution_ok: bool | None


def type1_study(values, *, reference, tolerance, resolution=None, k=0.2, L=6, limit=1.33):
    """Type-1 gauge study on repeated measurements of one reference part.

    Cg  = (k * T) / (L * s)
    Cgk = (k/2 * T - |mean - reference|) / (L/2 * s)
    Bias t-test: t = bias / (s / sqrt(n)), two-sided p (df n-1).
    ``resolution`` (optional) is checked against 5 % of the tolerance.
    """
    x = _finite_1d(values, "values", min_size=2)
    ref = finite_number("reference", reference)
    tol = _positive(tolerance, "tolerance")
    k = _positive(k, "k")
    L = _positive(L, "L")
    res = _positive(resolution, "resolution", allow_none=True)
    n = x.size
    mean = float(x.mean())
    s = float(x.std(ddof=1))
    bias = mean - ref
    if s > 0:
        t = bias / (s / math.sqrt(n))
        p = float(2.0 * special.stdtr(n - 1, -abs(t)))  # 2 t.sf(|t|, n - 1)
        cg = (k * tol) / (L * s)
        cgk = (k / 2.0 * tol - abs(bias)) / (L / 2.0 * s)
    else:
        t = 0.0 if bias == 0 else math.copysign(math.inf, bias)
        p = 1.0 if bias == 0 else 0.0
        cg = math.inf
        cgk = math.inf if (k / 2.0 * tol - abs(bias)) >= 0 else -math.inf
    pct_res = None if res is None else 100.0 * res / tol
    return Type1Result(
        n=n,
        mean=mean,
        std=s,
        reference=ref,
        tolerance=tol,
        bias=bias,
        t=float(t),
        p=p,
        cg=float(cg),
        cgk=float(cgk),
        k=k,
        L=L,
        limit=limit,
        capable=bool(cg >= limit and cgk >= limit),
        resolution=res,
        pct_resolution=pct_res,
        resolution_ok=None if pct_res is None else bool(pct_res <= 5.0),
    )


# ---------------------------------------------------------------------------
# Linearity and bias
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceBias:
    """Average bias at one reference value with its one-sample t-test."""

    reference: float
    n: int
    bias: float
    std: float | None
    t: float | None
    p: float | None


@dataclass(frozen=True)
class LinearityResult:
    """Result of :func:`linearity` (regression of bias on reference value)."""

    n: int
    slope: float
    intercept: float
    se_slope: float
    se_intercept: float
    t_slope: float
    p_slope: float
    t_intercept: float
    p_intercept: float
    r_squared: float
    s: float
    average_bias: float
    t_average_bias: float
    p_average_bias: float
    process_variation: float | None
    linearity: float | None
    pct_linearity: float
    pct_bias: float | None
    biases: tuple


def linearity(reference, measured, *, process_variation=None):
    """AIAG gauge linearity study.

    ``reference`` and ``measured`` are parallel arrays (one row per
    measurement). Bias = measured - reference is regressed on the reference.
    %linearity = 100 * |slope|; linearity = |slope| * process_variation
    (when given); %bias = 100 * |average bias| / process_variation.
    """
    ref = _finite_1d(reference, "reference", min_size=3)
    meas = _finite_1d(measured, "measured", min_size=3)
    if ref.size != meas.size:
        raise SpcInputError(
            f"measured: length {meas.size} does not match reference length {ref.size}"
        )
    pv = _positive(process_variation, "process_variation", allow_none=True)
    bias = meas - ref
    n = ref.size
    xbar = float(ref.mean())
    sxx = float(((ref - xbar) ** 2).sum())
    if sxx <= 0:
        raise SpcInputError(
            "reference: needs at least 2 distinct reference values for a regression"
        )
    ybar = float(bias.mean())
    slope = float(((ref - xbar) * (bias - ybar)).sum() / sxx)
    intercept = ybar - slope * xbar
    resid = bias - (intercept + slope * ref)
    sse = float((resid**2).sum())
    sst = float(((bias - ybar) ** 2).sum())
    df = n - 2
    s = math.sqrt(sse / df)
    se_slope = s / math.sqrt(sxx)
    se_int = s * math.sqrt(1.0 / n + xbar**2 / sxx)

    def _t(est, se, dof):
        if se == 0:
            return (0.0, 1.0) if est == 0 else (math.copysign(math.inf, est), 0.0)
        tt = est / se
        return float(tt), float(2.0 * special.stdtr(dof, -abs(tt)))

    t_slope, p_slope = _t(slope, se_slope, df)
    t_int, p_int = _t(intercept, se_int, df)
    r2 = 1.0 - sse / sst if sst > 0 else 1.0
    sd_bias = float(bias.std(ddof=1))
    t_avg, p_avg = _t(ybar, sd_bias / math.sqrt(n), n - 1)

    groups = []
    for value in sorted(set(ref.tolist())):
        b = bias[ref == value]
        if b.size >= 2:
            sd = float(b.std(ddof=1))
            tt, pp = _t(float(b.mean()), sd / math.sqrt(b.size), b.size - 1)
        else:
            sd, tt, pp = None, None, None
        groups.append(ReferenceBias(float(value), int(b.size), float(b.mean()), sd, tt, pp))

    return LinearityResult(
        n=n,
        slope=slope,
        intercept=intercept,
        se_slope=se_slope,
        se_intercept=se_int,
        t_slope=t_slope,
        p_slope=p_slope,
        t_intercept=t_int,
        p_intercept=p_int,
        r_squared=r2,
        s=s,
        average_bias=ybar,
        t_average_bias=t_avg,
        p_average_bias=p_avg,
        process_variation=pv,
        linearity=None if pv is None else abs(slope) * pv,
        pct_linearity=100.0 * abs(slope),
        pct_bias=None if pv is None else 100.0 * abs(ybar) / pv,
        biases=tuple(groups),
    )


# ---------------------------------------------------------------------------
# Attribute agreement
# ---------------------------------------------------------------------------


def clopper_pearson(successes, trials, confidence=0.95):
    """Exact (Clopper-Pearson) binomial confidence interval, as in Minitab."""
    x, n = int(successes), int(trials)
    if n <= 0:
        raise SpcInputError(f"trials: must be >= 1, got {trials}")
    if x < 0 or x > n:
        raise SpcInputError(f"successes: must be in [0, {n}], got {successes}")
    a = 1.0 - confidence
    lo = 0.0 if x == 0 else float(stats.beta.ppf(a / 2, x, n - x + 1))
    hi = 1.0 if x == n else float(stats.beta.ppf(1 - a / 2, x + 1, n - x))
    return lo, hi


def fleiss_kappa(counts):
    """Fleiss' kappa from a subjects x categories count matrix.

    Every row must sum to the same number of ratings (>= 2).
    Returns ``(kappa, se, z, p)``; se / z / p use the Fleiss-Nee-Landis
    variance under H0 (kappa = 0), one-sided p as Minitab reports.
    """
    c = np.asarray(counts, dtype=float)
    if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] < 1:
        raise SpcInputError("counts: must be a 2-D subjects x categories matrix")
    if not np.all(np.isfinite(c)) or np.any(c < 0):
        raise SpcInputError("counts: must be finite and >= 0")
    if np.any(c != np.round(c)):
        raise SpcInputError("counts: must be whole numbers")
    m = c.sum(axis=1)
    if np.any(m != m[0]):
        raise SpcInputError("counts: every subject needs the same number of ratings")
    m = float(m[0])
    if m < 2:
        raise SpcInputError(f"counts: needs at least 2 ratings per subject, got {int(m)}")
    n = c.shape[0]
    p_j = c.sum(axis=0) / (n * m)
    p_i = ((c * c).sum(axis=1) - m) / (m * (m - 1))
    p_bar = float(p_i.mean())
    p_e = float((p_j**2).sum())
    if p_e >= 1.0:
        kappa = 1.0 if p_bar >= 1.0 else float("nan")
        return kappa, float("nan"), float("nan"), float("nan")
    kappa = (p_bar - p_e) / (1.0 - p_e)
    q_j = 1.0 - p_j
    spq = float((p_j * q_j).sum())
    var = 2.0 / (n * m * (m - 1)) * (spq**2 - float((p_j * q_j * (q_j - p_j)).sum())) / spq**2
    se = math.sqrt(var) if var > 0 else float("nan")
    z = kappa / se if se and math.isfinite(se) else float("nan")
    p = float(special.ndtr(-z)) if math.isfinite(z) else float("nan")
    return float(kappa), se, z, p


def cohen_kappa(a, b):
    """Cohen's kappa for two paired label sequences."""
    a = np.asarray(a, dtype=object).ravel()
    b = np.asarray(b, dtype=object).ravel()
    if a.size != b.size or a.size == 0:
        raise SpcInputError("b: both rating sequences must be non-empty and of equal length")
    cats = list(dict.fromkeys(list(a) + list(b)))
    idx = {v: i for i, v in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b, strict=False):
        table[idx[x], idx[y]] += 1
    n = table.sum()
    po = np.trace(table) / n
    pe = float((table.sum(axis=1) * table.sum(axis=0)).sum() / n**2)
    if pe >= 1.0:
        return 1.0 if po >= 1.0 else float("nan")
    return float((po - pe) / (1.0 - pe))


@dataclass(frozen=True)
class AgreementStat:
    """Percent agreement over parts (with exact 95 % CI) and kappa."""

    label: str
    inspected: int
    matched: int
    percent: float
    ci_low: float
    ci_high: float
    kappa: float | None
    kappa_method: str | None


@dataclass(frozen=True)
class AttributeAgreementResult:
    """Result of :func:`attribute_agreement`."""

    n_parts: int
    n_trials: int
    appraisers: tuple
    categories: tuple
    within: tuple
    each_vs_standard: tuple | None
    between: AgreementStat
    all_vs_standard: AgreementStat | None


def _counts(rows, cats):
    idx = {v: i for i, v in enumerate(cats)}
    out = np.zeros((len(rows), len(cats)))
    for i, row in enumerate(rows):
        for v in row:
            out[i, idx[v]] += 1
    return out


def _agreement(label, matched_flags, kappa, kappa_method):
    n = len(matched_flags)
    x = int(sum(matched_flags))
    lo, hi = clopper_pearson(x, n)
    return AgreementStat(label, n, x, 100.0 * x / n, 100.0 * lo, 100.0 * hi, kappa, kappa_method)


def attribute_agreement(ratings, *, parts, appraisers, standard=None):
    """Attribute agreement analysis.

    ``ratings``, ``parts`` and ``appraisers`` are parallel 1-D arrays; repeated
    (part, appraiser) pairs are trials. Each appraiser must rate each part the
    same number of times. ``standard`` (optional) maps part -> reference
    rating (a dict, or a sequence parallel to ``ratings``).

    * within: per appraiser, % of parts where all trials agree; Fleiss kappa
      with the trials as raters (needs >= 2 trials).
    * each_vs_standard: per appraiser, % of parts where all trials equal the
      standard; Cohen kappa over all (rating, standard) pairs.
    * between: % of parts where every rating agrees; Fleiss kappa with all
      ratings of a part as raters.
    * all_vs_standard: % of parts where every rating equals the standard;
      Cohen kappa over all (rating, standard) pairs.
    Percent CIs are exact Clopper-Pearson 95 % intervals.
    """
    r = np.asarray(ratings, dtype=object).ravel()
    if r.size == 0:
        raise SpcInputError("ratings: needs at least 1 rating, got 0")
    for v in r:
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            raise SpcInputError("ratings: contains a missing or non-finite rating")
    p_lab = _labels(parts, "parts", r.size, "ratings")
    a_lab = _labels(appraisers, "appraisers", r.size, "ratings")
    p_names, p_idx = _levels(p_lab)
    a_names, a_idx = _levels(a_lab)
    n_p, n_a = len(p_names), len(a_names)
    cells = [[[] for _ in range(n_a)] for _ in range(n_p)]
    for v, i, j in zip(r, p_idx, a_idx, strict=False):
        cells[i][j].append(v)
    lens = np.array([[len(cells[i][j]) for j in range(n_a)] for i in range(n_p)])
    t = int(lens.max())
    if lens.min() != t:
        i, j = np.unravel_index(int(np.argmin(lens)), lens.shape)
        raise SpcInputError(
            f"ratings: unbalanced study - part {p_names[i]!r} / appraiser {a_names[j]!r} "
            f"has {lens[i, j]} rating(s), every cell needs {t}"
        )

    std = None
    if standard is not None:
        if isinstance(standard, dict):
            missing = [pn for pn in p_names if pn not in standard]
            if missing:
                raise SpcInputError(f"standard: no reference rating for part {missing[0]!r}")
            std = [standard[pn] for pn in p_names]
        else:
            s_arr = _labels(standard, "standard", r.size)
            std = [None] * n_p
            for v, i in zip(s_arr, p_idx, strict=False):
                if std[i] is None:
                    std[i] = v
                elif std[i] != v:
                    raise SpcInputError(
                        f"standard: part {p_names[i]!r} has conflicting reference ratings "
                        f"{std[i]!r} and {v!r}"
                    )

    cats = list(dict.fromkeys(list(r) + (list(std) if std is not None else [])))

    within = []
    each = [] if std is not None else None
    for j, a in enumerate(a_names):
        rows = [cells[i][j] for i in range(n_p)]
        flags = [len(set(row)) == 1 for row in rows]
        kappa = None
        if t >= 2:
            kappa = fleiss_kappa(_counts(rows, cats))[0]
        within.append(_agreement(str(a), flags, kappa, "fleiss" if kappa is not None else None))
        if std is not None:
            flags_s = [all(v == std[i] for v in row) for i, row in enumerate(rows)]
            pairs_a = [v for row in rows for v in row]
            pairs_s = [std[i] for i, row in enumerate(rows) for _ in row]
            each.append(_agreement(str(a), flags_s, cohen_kappa(pairs_a, pairs_s), "cohen"))

    all_rows = [[v for j in range(n_a) for v in cells[i][j]] for i in range(n_p)]
    flags_b = [len(set(row)) == 1 for row in all_rows]
    kappa_b = fleiss_kappa(_counts(all_rows, cats))[0] if len(all_rows[0]) >= 2 else None
    between = _agreement(
        "between appraisers", flags_b, kappa_b, "fleiss" if kappa_b is not None else None
    )

    all_std = None
    if std is not None:
        flags_as = [all(v == std[i] for v in row) for i, row in enumerate(all_rows)]
        pa = [v for row in all_rows for v in row]
        ps = [std[i] for i, row in enumerate(all_rows) for _ in row]
        all_std = _agreement("all appraisers vs standard", flags_as, cohen_kappa(pa, ps), "cohen")

    return AttributeAgreementResult(
        n_parts=n_p,
        n_trials=t,
        appraisers=tuple(a_names),
        categories=tuple(cats),
        within=tuple(within),
        each_vs_standard=None if each is None else tuple(each),
        between=between,
        all_vs_standard=all_std,
    )
