"""Process capability (Cp, Cpk, Pp, Ppk, Cpm) and expected nonconforming ppm.

``method="normal"`` (default) follows Minitab's *Capability Analysis
(Normal)*:

* sigma within: MR-bar/d2 (span 2) for individuals, R-bar/d2 for subgroups
  (table d2; ``sigma_within_method="pooled"`` gives the pooled SD / c4(d+1),
  ``"sbar"`` S-bar/c4);
* sigma overall: the sample standard deviation of all values (n - 1);
* Cp/Pp are None when only one specification limit is given;
* confidence intervals: Cp and Pp by the chi-square method, Cpk and Ppk by
  Bissell's normal approximation, Cpm by the chi-square method with the
  Boyles degrees of freedom. Degrees of freedom: N - 1 for overall indices
  and for individuals within; N - m (sum of n_i - 1) for subgroup within.

``method="percentile"`` is the ISO 22514-2 / Clements quantile method: a
distribution (normal, lognormal, Weibull or gamma; the best Anderson-Darling
fit unless ``distribution=`` is given) is fitted by maximum likelihood and

    Pp  = (USL - LSL) / (X[0.99865] - X[0.00135])
    Ppk = min((USL - X[0.5]) / (X[0.99865] - X[0.5]),
              (X[0.5] - LSL) / (X[0.5] - X[0.00135]))

The within indices (Cp, Cpk...) are not defined by that method and are None.
The Anderson-Darling normality test of the raw data is reported by both
methods.
"""

import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy import special, stats

from . import constants as K
from .errors import SpcInputError, finite_number

P_LOW = 0.00135
P_HIGH = 0.99865
DISTRIBUTIONS = ("normal", "lognormal", "weibull", "gamma")


@dataclass(frozen=True)
class CapabilityResult:
    """Capability indices; ``None`` where an index is undefined.

    ``ci`` maps an index name (``cp``, ``cpk``, ``pp``, ``ppk``, ``cpm``)
    to a ``(lower, upper)`` confidence interval. ``ppm_within`` and
    ``ppm_overall`` map ``below``/``above``/``total`` to expected parts per
    million outside the specification. ``normality`` holds the
    Anderson-Darling statistic and p-value of the raw data; ``fit`` (for the
    percentile method) the chosen distribution, its scipy parameters and the
    AD statistic of every candidate; ``quantiles`` X[0.00135], X[0.5],
    X[0.99865].
    """

    method: str
    n: int
    mean: float
    median: float
    sigma_within: float
    sigma_within_method: str
    sigma_overall: float
    lsl: float
    usl: float
    target: float
    cp: float
    cpl: float
    cpu: float
    cpk: float
    cpm: float
    pp: float
    ppl: float
    ppu: float
    ppk: float
    confidence: float
    ci: MappingProxyType
    ppm_within: MappingProxyType
    ppm_overall: MappingProxyType
    normality: MappingProxyType
    distribution: str = "normal"
    fit: MappingProxyType = None
    quantiles: MappingProxyType = None


# --------------------------------------------------------------------------
# Anderson-Darling


def anderson_darling(x, cdf):
    """A^2 statistic of sorted-or-not sample ``x`` against a fitted ``cdf``."""
    x = np.sort(np.asarray(x, dtype=float))
    n = x.size
    u = np.clip(cdf(x), 1e-300, 1.0 - 1e-16)
    i = np.arange(1, n + 1)
    return float(-n - np.sum((2 * i - 1) * (np.log(u) + np.log1p(-u[::-1]))) / n)


def ad_normality(x):
    """Anderson-Darling normality test (mean and SD estimated).

    Returns ``(A^2, p_value)``; the p-value uses the adjusted statistic
    A*^2 = A^2 (1 + 0.75/n + 2.25/n^2) with the D'Agostino & Stephens (1986)
    formulas, as Minitab does.
    """
    x = np.asarray(x, dtype=float)
    mu, sd = x.mean(), x.std(ddof=1)
    if not sd > 0:
        raise SpcInputError("data: zero variance; the normality test is undefined")
    return _ad_normal_sorted(np.sort(x), mu, sd)


def _ad_normal_sorted(buf, mu, sd):
    """ad_normality of a sorted sample given its mean and SD.

    Same arithmetic as ``anderson_darling(x, norm(mu, sd).cdf)`` (scipy's
    norm.cdf is ndtr((x - mu) / sd)), done in place: ``buf`` (a private
    sorted copy) is overwritten and one more array of the same size is used.
    """
    n = buf.size
    u = np.subtract(buf, mu, out=buf)
    np.divide(u, sd, out=u)
    special.ndtr(u, out=u)
    np.clip(u, 1e-300, 1.0 - 1e-16, out=u)
    w = np.negative(u[::-1])
    np.log1p(w, out=w)  # log(1 - u) in reverse order
    np.log(u, out=u)
    np.add(u, w, out=u)
    w.fill(2.0)  # weights 2 i - 1 = 1, 3, 5, ... (exact)
    w[0] = 1.0
    np.cumsum(w, out=w)
    np.multiply(w, u, out=u)
    a2 = float(-n - np.sum(u) / n)
    return a2, ad_pvalue(a2 * (1.0 + 0.75 / n + 2.25 / n**2))


def _all_finite(arr):
    """True when no value is NaN or inf: one summation, exact check only if it overflows."""
    with np.errstate(all="ignore"):
        total = np.add.reduce(arr, axis=None)
    return bool(np.isfinite(total)) or bool(np.isfinite(arr).all())


def _sorted_median(sorted_values):
    """np.median of an already sorted 1-D array (the same arithmetic)."""
    n = sorted_values.size
    mid = n // 2
    if n % 2:
        return float(sorted_values[mid])
    return float(np.mean(sorted_values[mid - 1 : mid + 1]))


_AD_TURN = 5.709 / (2.0 * 0.0186)


def ad_pvalue(a):
    """p-value of the adjusted normality statistic A*^2 (D'Agostino & Stephens)."""
    a = float(a)
    if a >= 0.6:
        # The quadratic turns upwards past its minimum at a = 5.709 / 0.0372
        # (153.5, where p ~ 1e-190): beyond it p stays at that minimum
        # instead of climbing back to 1 for grossly non-normal data.
        a = min(a, _AD_TURN)
        p = math.exp(1.2937 - 5.709 * a + 0.0186 * a * a)
    elif a >= 0.34:
        p = math.exp(0.9177 - 4.279 * a - 1.38 * a * a)
    elif a >= 0.2:
        p = 1.0 - math.exp(-8.318 + 42.796 * a - 59.938 * a * a)
    else:
        p = 1.0 - math.exp(-13.436 + 101.14 * a - 223.73 * a * a)
    return float(min(max(p, 0.0), 1.0))


def _fit(name, x):
    """MLE fit; returns (frozen scipy distribution, params tuple)."""
    if name == "normal":
        params = (float(x.mean()), float(x.std(ddof=0)))
        return stats.norm(*params), params
    if np.any(x <= 0):
        raise SpcInputError(f"distribution: {name} needs all data > 0")
    if name == "lognormal":
        params = stats.lognorm.fit(x, floc=0)
        return stats.lognorm(*params), params
    if name == "weibull":
        params = stats.weibull_min.fit(x, floc=0)
        return stats.weibull_min(*params), params
    if name == "gamma":
        params = stats.gamma.fit(x, floc=0)
        return stats.gamma(*params), params
    raise SpcInputError(f"distribution: must be one of {', '.join(DISTRIBUTIONS)}, got {name!r}")


# --------------------------------------------------------------------------
# helpers


def _spec(name, value):
    return None if value is None else finite_number(name, value)


# The normal and chi-square quantities come from the scipy.special functions
# behind scipy.stats (norm.cdf is ndtr, norm.sf(x) is ndtr(-x), norm.ppf is
# ndtri, chi2.ppf(q, k) is 2 gammaincinv(k/2, q)): the same numbers, without
# the ~100 microseconds of argument handling of each scipy.stats call.


def _ppm(mu, sd, lsl, usl, dist=None):
    if dist is None:
        below = special.ndtr((lsl - mu) / sd) if lsl is not None else 0.0
        above = special.ndtr(-((usl - mu) / sd)) if usl is not None else 0.0
    else:
        below = dist.cdf(lsl) if lsl is not None else 0.0
        above = dist.sf(usl) if usl is not None else 0.0
    below, above = float(below) * 1e6, float(above) * 1e6
    return MappingProxyType({"below": below, "above": above, "total": below + above})


def _indices(mu, sd, lsl, usl):
    lo = (mu - lsl) / (3.0 * sd) if lsl is not None else None
    hi = (usl - mu) / (3.0 * sd) if usl is not None else None
    both = (usl - lsl) / (6.0 * sd) if lsl is not None and usl is not None else None
    k = min(v for v in (lo, hi) if v is not None)
    return both, lo, hi, k


def _chi2_ci(value, dof, alpha):
    if value is None or dof < 1:
        return None
    lo = value * math.sqrt(2.0 * special.gammaincinv(dof / 2.0, alpha / 2.0) / dof)
    hi = value * math.sqrt(2.0 * special.gammaincinv(dof / 2.0, 1.0 - alpha / 2.0) / dof)
    return (float(lo), float(hi))


def _bissell_ci(value, n, dof, alpha):
    if value is None or dof < 1:
        return None
    z = float(special.ndtri(1.0 - alpha / 2.0))
    half = z * math.sqrt(1.0 / (9.0 * n) + value * value / (2.0 * dof))
    return (float(value - half), float(value + half))


def _within(values2d, flat, k, method, exact=False):
    """Sigma within and its degrees of freedom (``exact``: unrounded d2)."""
    if k == 1:
        if method not in (None, "mrbar"):
            raise SpcInputError(
                f"sigma_within_method: individuals (subgroup_size=1) use 'mrbar', got {method!r}"
            )
        mr = np.diff(flat)
        np.abs(mr, out=mr)
        return float(mr.mean() / K.constant("d2", 2, exact=exact)), "MRbar/d2", flat.size - 1
    m = values2d.shape[0]
    method = method or ("rbar" if k <= K.N_MAX else "sbar")
    dof = flat.size - m
    if method == "rbar":
        top = K.N_EXACT_MAX if exact else K.N_MAX
        if k > top:
            raise SpcInputError(f"subgroup_size: must be at most {top} for Rbar/d2, got {k}")
        r = values2d.max(axis=1) - values2d.min(axis=1)
        return float(r.mean() / K.constant("d2", k, exact=exact)), "Rbar/d2", dof
    s = values2d.std(axis=1, ddof=1)
    if method == "sbar":
        return float(s.mean() / K.c4_scalar(k)), "Sbar/c4", dof
    if method == "pooled":
        sp = np.sqrt(np.sum((k - 1) * s * s) / dof)
        return float(sp / K.c4_scalar(dof + 1)), "pooled SD/c4", dof
    raise SpcInputError(
        f"sigma_within_method: must be one of rbar, sbar, pooled, mrbar; got {method!r}"
    )


# --------------------------------------------------------------------------
# public entry point


def capability(
    data,
    *,
    lsl=None,
    usl=None,
    target=None,
    subgroup_size=1,
    confidence=0.95,
    method="normal",
    distribution=None,
    sigma_within_method=None,
    exact_constants=False,
):
    """Process capability analysis.

    Parameters
    ----------
    data : 1-D values in time order (or a 2-D array subgroups x n, in which
        case ``subgroup_size`` is taken from its shape).
    lsl, usl : specification limits; at least one is required.
    target : optional target (for Cpm); must lie within the limits.
    subgroup_size : 1 for individuals (sigma within MR-bar/d2), k > 1 for
        consecutive subgroups of k values (sigma within R-bar/d2).
    confidence : level of the two-sided confidence intervals.
    method : ``"normal"`` or ``"percentile"`` (ISO 22514-2 quantile method).
    distribution : for ``"percentile"``: one of normal, lognormal, weibull,
        gamma; default: best Anderson-Darling fit.
    sigma_within_method : ``"rbar"`` (default for subgroups), ``"sbar"``,
        ``"pooled"``, ``"mrbar"`` (individuals).
    exact_constants : False (default): d2 from the AIAG table, as Minitab;
        True: the unrounded d2 (:func:`spc.constants.constant` with
        ``exact=True``; R-bar subgroups up to 1000).
    """
    if method not in ("normal", "percentile"):
        raise SpcInputError(f"method: must be 'normal' or 'percentile', got {method!r}")
    try:
        arr = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SpcInputError(f"data: must be numeric ({exc})") from None
    if arr.size == 0:
        raise SpcInputError("data: is empty")
    if not _all_finite(arr):
        raise SpcInputError("data: must be finite (no NaN/inf)")
    if arr.ndim == 2:
        values2d = arr
        k = arr.shape[1]
    elif arr.ndim == 1:
        if (
            isinstance(subgroup_size, bool)
            or not float(subgroup_size).is_integer()
            or subgroup_size < 1
        ):
            raise SpcInputError(f"subgroup_size: must be an integer >= 1, got {subgroup_size!r}")
        k = int(subgroup_size)
        if arr.size % k:
            raise SpcInputError(
                f"subgroup_size: {arr.size} values do not split into subgroups of {k}"
            )
        values2d = arr.reshape(-1, k)
    else:
        raise SpcInputError(f"data: expected a 1-D or 2-D array, got {arr.ndim}-D")
    flat = values2d.ravel()
    n = flat.size
    if k == 1 and n < 2:
        raise SpcInputError(f"data: at least 2 values are needed, got {n}")
    if k > 1 and values2d.shape[0] < 2:
        raise SpcInputError(f"data: at least 2 subgroups are needed, got {values2d.shape[0]}")
    confidence = finite_number("confidence", confidence)
    if not 0.0 < confidence < 1.0:
        raise SpcInputError(f"confidence: must be between 0 and 1 (exclusive), got {confidence!r}")
    alpha = 1.0 - confidence
    lsl, usl, target = _spec("lsl", lsl), _spec("usl", usl), _spec("target", target)
    if lsl is None and usl is None:
        raise SpcInputError("lsl/usl: at least one specification limit is required")
    if lsl is not None and usl is not None and not lsl < usl:
        raise SpcInputError(f"lsl: must be below usl (lsl = {lsl}, usl = {usl})")
    if target is not None and (
        (lsl is not None and target < lsl) or (usl is not None and target > usl)
    ):
        raise SpcInputError(f"target: must lie within the specification limits, got {target}")

    mu = flat.mean()
    sd = flat.std(ddof=1)
    mean, s_overall = float(mu), float(sd)
    if not s_overall > 0:
        raise SpcInputError("data: zero variance (all values equal); capability is undefined")
    if not isinstance(exact_constants, (bool, np.bool_)):
        raise SpcInputError(f"exact_constants: must be True or False, got {exact_constants!r}")
    s_within, within_label, dof_within = _within(
        values2d, flat, k, sigma_within_method, bool(exact_constants)
    )
    if not s_within > 0:
        raise SpcInputError(
            f"data: zero within-subgroup variation ({within_label} = 0); capability is undefined"
        )
    # one sort serves the median and the Anderson-Darling test (which then
    # reuses the sorted buffer in place)
    ordered = np.sort(flat)
    median = _sorted_median(ordered)
    a2, p_norm = _ad_normal_sorted(ordered, mu, sd)
    del ordered
    normality = MappingProxyType({"test": "Anderson-Darling", "statistic": a2, "p_value": p_norm})

    if method == "percentile":
        return _percentile(
            flat,
            n,
            mean,
            median,
            s_within,
            within_label,
            s_overall,
            lsl,
            usl,
            target,
            float(confidence),
            normality,
            distribution,
        )
    if distribution not in (None, "normal"):
        raise SpcInputError("distribution: only used with method='percentile'")

    cp, cpl, cpu, cpk = _indices(mean, s_within, lsl, usl)
    pp, ppl, ppu, ppk = _indices(mean, s_overall, lsl, usl)
    ci = {
        "cp": _chi2_ci(cp, dof_within, alpha),
        "cpk": _bissell_ci(cpk, n, dof_within, alpha),
        "pp": _chi2_ci(pp, n - 1, alpha),
        "ppk": _bissell_ci(ppk, n, n - 1, alpha),
    }
    cpm = None
    if target is not None:
        dev = np.subtract(flat, target)
        np.multiply(dev, dev, out=dev)
        tau = float(np.sqrt(np.sum(dev) / (n - 1)))
        del dev
        mid = (lsl + usl) / 2.0 if lsl is not None and usl is not None else None
        # np.isclose(target, mid): |target - mid| <= 1e-8 + 1e-5 |mid|
        if mid is not None and abs(target - mid) <= 1e-8 + 1e-5 * abs(mid):
            cpm = (usl - lsl) / (6.0 * tau)
        else:
            cpm = min(
                v
                for v in (
                    (target - lsl) if lsl is not None else None,
                    (usl - target) if usl is not None else None,
                )
                if v is not None
            ) / (3.0 * tau)
        a = (mean - target) / s_overall
        nu = n * (1.0 + a * a) ** 2 / (1.0 + 2.0 * a * a)
        ci["cpm"] = _chi2_ci(cpm, nu, alpha)
    return CapabilityResult(
        method="normal",
        n=n,
        mean=mean,
        median=median,
        sigma_within=s_within,
        sigma_within_method=within_label,
        sigma_overall=s_overall,
        lsl=lsl,
        usl=usl,
        target=target,
        cp=cp,
        cpl=cpl,
        cpu=cpu,
        cpk=cpk,
        cpm=cpm,
        pp=pp,
        ppl=ppl,
        ppu=ppu,
        ppk=ppk,
        confidence=float(confidence),
        ci=MappingProxyType(ci),
        ppm_within=_ppm(mean, s_within, lsl, usl),
        ppm_overall=_ppm(mean, s_overall, lsl, usl),
        normality=normality,
    )


def _percentile(
    flat,
    n,
    mean,
    median,
    s_within,
    within_label,
    s_overall,
    lsl,
    usl,
    target,
    confidence,
    normality,
    distribution,
):
    candidates = DISTRIBUTIONS if distribution is None else (distribution,)
    if distribution is not None and distribution not in DISTRIBUTIONS:
        raise SpcInputError(
            f"distribution: must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}"
        )
    fits = {}
    for name in candidates:
        if name != "normal" and np.any(flat <= 0):
            if distribution is not None:
                raise SpcInputError(f"distribution: {name} needs all data > 0")
            continue
        dist, params = _fit(name, flat)
        fits[name] = (dist, params, anderson_darling(flat, dist.cdf))
    best = min(fits, key=lambda name: fits[name][2])
    dist, params, _ = fits[best]
    q_lo, q_med, q_hi = (float(v) for v in dist.ppf([P_LOW, 0.5, P_HIGH]))
    pp = (usl - lsl) / (q_hi - q_lo) if lsl is not None and usl is not None else None
    ppu = (usl - q_med) / (q_hi - q_med) if usl is not None else None
    ppl = (q_med - lsl) / (q_med - q_lo) if lsl is not None else None
    ppk = min(v for v in (ppl, ppu) if v is not None)
    fit = MappingProxyType(
        {
            "distribution": best,
            "params": tuple(float(p) for p in params),
            "ad": MappingProxyType({name: f[2] for name, f in fits.items()}),
        }
    )
    quantiles = MappingProxyType({P_LOW: q_lo, 0.5: q_med, P_HIGH: q_hi})
    return CapabilityResult(
        method="percentile",
        n=n,
        mean=mean,
        median=median,
        sigma_within=s_within,
        sigma_within_method=within_label,
        sigma_overall=s_overall,
        lsl=lsl,
        usl=usl,
        target=target,
        cp=None,
        cpl=None,
        cpu=None,
        cpk=None,
        cpm=None,
        pp=pp,
        ppl=ppl,
        ppu=ppu,
        ppk=ppk,
        confidence=confidence,
        ci=MappingProxyType({}),
        ppm_within=MappingProxyType({}),
        ppm_overall=_ppm(mean, s_overall, lsl, usl, dist),
        normality=normality,
        distribution=best,
        fit=fit,
        quantiles=quantiles,
    )


# --------------------------------------------------------------------------
# choosing the method


@dataclass(frozen=True)
class MethodChoice:
    """The capability method for a sample, and why.

    ``method``: ``"normal"`` or ``"percentile"`` (the value of
    :func:`capability`'s ``method``). ``reason``: ``"normality_not_rejected"``,
    ``"normality_rejected"`` or ``"zero_bounded"``. ``ad_statistic`` and
    ``ad_pvalue``: the Anderson-Darling normality test of the values (A^2 and
    the p-value of the adjusted A*^2, as :func:`ad_normality`), reported
    whatever the reason. ``alpha``: the level the p-value was compared with.
    """

    method: str
    reason: str
    ad_pvalue: float
    ad_statistic: float
    alpha: float


def capability_method(values, lsl=None, usl=None, *, alpha=0.05, bounded_zero=False):
    """Which capability method suits ``values``: normal or ISO 22514-2 percentile.

    * ``"percentile"``, reason ``"zero_bounded"``: the tolerance is one-sided
      upper (``lsl`` None) on a characteristic bounded at zero
      (``bounded_zero=True``: run-out, flatness, roughness, position...). A
      quantity bounded at zero with an upper tolerance only is skewed by
      nature, so it is given the percentile method of a fitted distribution
      (ISO 22514-2) whatever a normality test says on the sample at hand.
    * ``"percentile"``, reason ``"normality_rejected"``: the Anderson-Darling
      test rejects normality at ``alpha`` (p-value < alpha).
    * ``"normal"``, reason ``"normality_not_rejected"`` otherwise.

    ``capability(values, method="percentile")`` then fits normal, lognormal,
    Weibull and gamma distributions (maximum likelihood) and keeps the best
    Anderson-Darling fit, as it always does for that method.

    Parameters: ``values`` 1-D (at least 3 values, not all equal); ``lsl``,
    ``usl`` the specification limits (at least one; lsl < usl); ``alpha`` in
    (0, 1); ``bounded_zero`` True or False (with ``lsl`` None, no value may be
    negative).
    """
    try:
        x = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise SpcInputError(f"values: must be numbers, got {values!r:.60}") from None
    if x.ndim != 1:
        raise SpcInputError(f"values: must be 1-D, got {x.ndim}-D")
    if x.size < 3:
        raise SpcInputError(f"values: at least 3 values are needed, got {x.size}")
    if not _all_finite(x):
        raise SpcInputError("values: must be finite (no NaN/inf)")
    lsl, usl = _spec("lsl", lsl), _spec("usl", usl)
    if lsl is None and usl is None:
        raise SpcInputError("lsl/usl: at least one specification limit is required")
    if lsl is not None and usl is not None and not lsl < usl:
        raise SpcInputError(f"lsl: must be below usl (lsl = {lsl}, usl = {usl})")
    alpha = finite_number("alpha", alpha)
    if not 0.0 < alpha < 1.0:
        raise SpcInputError(f"alpha: must be between 0 and 1 (exclusive), got {alpha!r}")
    if not isinstance(bounded_zero, (bool, np.bool_)):
        raise SpcInputError(f"bounded_zero: must be True or False, got {bounded_zero!r}")
    sd = x.std(ddof=1)
    if not sd > 0:
        raise SpcInputError("values: zero variance (all values equal); no method applies")
    a2, p_value = _ad_normal_sorted(np.sort(x), x.mean(), sd)
    zero_bounded = bool(bounded_zero) and lsl is None
    if zero_bounded:
        low = float(x.min())
        if low < 0:
            raise SpcInputError(
                f"values: a characteristic bounded at zero has no negative value, got {low:g}"
            )
        method, reason = "percentile", "zero_bounded"
    elif p_value < alpha:
        method, reason = "percentile", "normality_rejected"
    else:
        method, reason = "normal", "normality_not_rejected"
    return MethodChoice(method, reason, float(p_value), float(a2), alpha)
