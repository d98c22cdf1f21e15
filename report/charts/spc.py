"""Charts of the SPC reports (control chart, capability), drawn with
matplotlib (Agg backend).

Plain functions: numbers and labels in, PNG bytes out; no Odoo import. The
charts read in black and white: control limits dashed, centre line solid,
specification limits dash-dot, zones in light greys, points breaking a run
rule as filled black squares annotated with the rule numbers, excluded points
hollow.
"""

import math
from statistics import NormalDist

from .common import png, pyplot

ZONE_A = "#e4e4e4"  # between 2 and 3 sigma
ZONE_B = "#f2f2f2"  # between 1 and 2 sigma


def _pyplot():
    # Values such as 19.9895 mm read as they are, not as an offset from 19.99.
    return pyplot({"axes.formatter.useoffset": False})


def _right_labels(ax, x_end, lines):
    """Writes ``label=value`` at the right of the plot for each (value, label)."""
    for value, label in lines:
        if value is None:
            continue
        ax.annotate(
            f"{label}={value:.6g}",
            xy=(1.0, value),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=6,
            annotation_clip=False,
        )


def _varying(series):
    return bool(series) and max(series) - min(series) > 1e-12 * max(1.0, abs(max(series)))


def _limit_lines(ax, xs, center, ucl, lcl, labels):
    """Centre solid, control limits dashed, drawn as steps when they vary."""
    for series, style, width in ((center, "-", 0.9), (ucl, "--", 0.9), (lcl, "--", 0.9)):
        if not series:
            continue
        ax.step(xs, series, where="mid", color="black", linestyle=style, linewidth=width)
    _right_labels(
        ax,
        xs[-1],
        [
            (ucl[-1] if ucl else None, labels[0]),
            (center[-1] if center else None, labels[1]),
            (lcl[-1] if lcl else None, labels[2]),
        ],
    )


def control_chart(data, titles, figsize=(11.0, 6.4)):
    """Control chart and its companion (MR, R or S) one above the other.

    ``data`` keys: ``value``, ``center``, ``ucl``, ``lcl`` (lists, one item a
    point), ``zones`` (``minus2``, ``minus1``, ``plus1``, ``plus2`` lists, or
    empty), ``excluded`` (booleans), ``violations`` ([{index, rules}]),
    ``lsl``/``usl`` (None when not drawn), ``companion`` (dict with
    ``kind``, ``index``, ``value``, ``center``, ``ucl``, ``lcl``, or None),
    ``limits_drawn`` (False for charts whose limits are not on the scale of
    the points). ``titles`` keys: chart, companion, point, value, companion_value,
    center, limits, spec, broken, excluded, excluded_broken, ucl, lcl, cl, lsl,
    usl.
    """
    plt = _pyplot()
    companion = data.get("companion")
    if companion:
        fig, (ax, cx) = plt.subplots(
            2, 1, figsize=figsize, sharex=True, gridspec_kw={"height_ratios": [2.3, 1]}
        )
    else:
        fig, ax = plt.subplots(figsize=(figsize[0], figsize[1] * 0.7))
        cx = None
    values = data["value"]
    xs = list(range(1, len(values) + 1))
    zones = data.get("zones") or {}
    limits_drawn = data.get("limits_drawn", True)
    if zones and limits_drawn:
        for low, high, colour in (
            (zones["plus2"], data["ucl"], ZONE_A),
            (data["lcl"], zones["minus2"], ZONE_A),
            (zones["plus1"], zones["plus2"], ZONE_B),
            (zones["minus2"], zones["minus1"], ZONE_B),
        ):
            ax.fill_between(xs, low, high, step="mid", color=colour, linewidth=0)
    if limits_drawn:
        _limit_lines(
            ax,
            xs,
            data["center"],
            data["ucl"],
            data["lcl"],
            (titles["ucl"], titles["cl"], titles["lcl"]),
        )
    for spec, label in ((data.get("lsl"), titles["lsl"]), (data.get("usl"), titles["usl"])):
        if spec is not None:
            ax.axhline(spec, color="black", linestyle="-.", linewidth=1.1)
            ax.annotate(
                f"{label}={spec:.6g}",
                xy=(0.0, spec),
                xycoords=("axes fraction", "data"),
                xytext=(2, 2),
                textcoords="offset points",
                fontsize=6,
                fontweight="bold",
            )
    ax.plot(xs, values, "-", color="black", linewidth=0.7, zorder=3)
    excluded = data.get("excluded") or [False] * len(values)
    normal = [i for i in range(len(values)) if not excluded[i]]
    ax.plot(
        [xs[i] for i in normal],
        [values[i] for i in normal],
        "o",
        color="black",
        markersize=3,
        zorder=4,
    )
    flagged = data.get("violations") or []
    # Rule broken: filled square; excluded: hollow (a hollow square when an
    # excluded point breaks a rule too).
    for points, marker, face, size, label in (
        ([v for v in flagged if not excluded[v["index"]]], "s", "black", 5.5, titles["broken"]),
        ([{"index": i} for i in range(len(values)) if excluded[i]], "o", "white", 6, None),
        ([v for v in flagged if excluded[v["index"]]], "s", "white", 6, None),
    ):
        if points:
            ax.plot(
                [xs[p["index"]] for p in points],
                [values[p["index"]] for p in points],
                marker,
                linestyle="none",
                markerfacecolor=face,
                markeredgecolor="black",
                markeredgewidth=1.0,
                markersize=size,
                zorder=6,
                label=label,
            )
    if any(excluded):
        ax.plot([], [], "o", markerfacecolor="white", markeredgecolor="black",
                label=titles["excluded"])  # fmt: skip
    if any(excluded[v["index"]] for v in flagged):
        ax.plot([], [], "s", markerfacecolor="white", markeredgecolor="black",
                label=titles["excluded_broken"])  # fmt: skip
    for v in flagged:
        below = bool(data["center"]) and values[v["index"]] < data["center"][v["index"]]
        ax.annotate(
            ",".join(str(rule) for rule in v["rules"]),
            xy=(xs[v["index"]], values[v["index"]]),
            xytext=(0, -6 if below else 6),
            textcoords="offset points",
            ha="center",
            va="top" if below else "bottom",
            fontsize=6,
            fontweight="bold",
            zorder=7,
        )
    # Legend entries for the line styles.
    if limits_drawn:
        ax.plot([], [], "-", color="black", linewidth=0.9, label=titles["center"])
        ax.plot([], [], "--", color="black", linewidth=0.9, label=titles["limits"])
    if data.get("lsl") is not None or data.get("usl") is not None:
        ax.plot([], [], "-.", color="black", linewidth=1.1, label=titles["spec"])
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=6, frameon=False)
    # Room for the spec limits and the rule numbers.
    shown = [v for v in values] + [s for s in (data.get("lsl"), data.get("usl")) if s is not None]
    if limits_drawn:
        shown += list(data["ucl"]) + list(data["lcl"])
    low, high = min(shown), max(shown)
    pad = (high - low) * 0.08 or abs(high) * 0.01 or 1.0
    ax.set_ylim(low - pad, high + pad)
    ax.set_ylabel(titles["value"])
    ax.set_title(titles["chart"], loc="left")
    ax.set_xlim(0.5, len(values) + 0.5)
    if cx is not None:
        cxs = [i + 1 for i in companion["index"]]
        cx.plot(cxs, companion["value"], "-o", color="black", linewidth=0.7, markersize=2.5)
        _limit_lines(
            cx,
            cxs,
            companion["center"],
            companion["ucl"],
            companion["lcl"],
            (titles["ucl"], titles["cl"], titles["lcl"]),
        )
        cx.set_ylabel(titles["companion_value"])
        cx.set_title(titles["companion"], loc="left")
        cx.set_xlabel(titles["point"])
    else:
        ax.set_xlabel(titles["point"])
    fig.tight_layout()
    return png(fig)


def normal_pdf(x, mean, sigma):
    """Density of the normal distribution N(mean, sigma²) at ``x``."""
    z = (x - mean) / sigma
    return math.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi))


def _histogram_axes(ax, values, stats, titles):
    """Histogram with the normal curves of the within and overall sigma,
    specification limits dash-dot, target dotted."""
    n = len(values)
    lsl, usl, target = stats.get("lsl"), stats.get("usl"), stats.get("target")
    mean, s_within, s_overall = stats["mean"], stats["sigma_within"], stats["sigma_overall"]
    spread = max(s_within, s_overall) * 3.5
    low = min([min(values), mean - spread] + [v for v in (lsl, usl) if v is not None])
    high = max([max(values), mean + spread] + [v for v in (lsl, usl) if v is not None])
    edges = stats.get("edges")
    if not edges:
        bins = min(max(int(math.sqrt(n)), 5), 30)
        lo, hi = min(values), max(values)
        step = (hi - lo) / bins or 1.0
        edges = [lo + i * step for i in range(bins + 1)]
    ax.hist(
        values,
        bins=edges,
        color="#d9d9d9",
        edgecolor="black",
        linewidth=0.6,
        hatch="///",
        label=titles["data"],
    )
    width = (edges[-1] - edges[0]) / (len(edges) - 1)
    pad = (high - low) * 0.05
    steps = 200
    xs = [low - pad + (high - low + 2 * pad) * i / steps for i in range(steps + 1)]
    for sigma, style, label in (
        (s_overall, "-", titles["overall"]),
        (s_within, "--", titles["within"]),
    ):
        if sigma and sigma > 0:
            ax.plot(
                xs,
                [n * width * normal_pdf(x, mean, sigma) for x in xs],
                style,
                color="black",
                linewidth=1.1,
                label=f"{label} (s={sigma:.4g})",
            )
    for spec, label in ((lsl, titles["lsl"]), (usl, titles["usl"])):
        if spec is not None:
            _vertical_mark(ax, spec, label, linestyle="-.", linewidth=1.3, fontweight="bold")
    if target is not None:
        _vertical_mark(ax, target, titles["target"], linestyle=":", linewidth=1.1)
    ax.set_xlim(low - pad, high + pad)
    ax.set_xlabel(titles["value"])
    ax.set_ylabel(titles["count"])
    ax.legend(loc="upper right")


def _vertical_mark(ax, x, label, linestyle, linewidth, fontweight="normal"):
    """A vertical line across the axes with its label and value above them."""
    ax.axvline(x, color="black", linestyle=linestyle, linewidth=linewidth)
    ax.annotate(
        f"{label}\n{x:.6g}",
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 2),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=6,
        fontweight=fontweight,
    )


def capability_histogram(values, stats, titles, figsize=(7.5, 3.6)):
    """Histogram of the values with the fitted normal curves and the
    specification limits. ``stats``: mean, sigma_within, sigma_overall, lsl,
    usl, target (None when absent), edges (optional bin edges). ``titles``:
    histogram, data, overall, within, lsl, usl, target, value, count."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=figsize)
    _histogram_axes(ax, values, stats, titles)
    ax.set_title(titles["histogram"], loc="left", pad=24)
    fig.tight_layout()
    return png(fig)


def capability_sixpack(values, stats, titles, figsize=(10.0, 7.6)):
    """Capability figure: histogram with the fitted curves (top), normal
    probability plot and run chart (bottom). ``stats`` as for
    :func:`capability_histogram` plus ``ad_statistic`` and ``ad_pvalue``;
    ``titles`` adds probability, run_chart, quantile, observation, mean."""
    plt = _pyplot()
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, 2, height_ratios=[1.15, 1])
    ax = fig.add_subplot(grid[0, :])
    _histogram_axes(ax, values, stats, titles)
    ax.set_title(titles["histogram"], loc="left", pad=24)

    # Normal probability plot (Blom plotting positions).
    px = fig.add_subplot(grid[1, 0])
    n = len(values)
    ordered = sorted(values)
    normal = NormalDist()
    quantiles = [normal.inv_cdf((i + 1 - 0.375) / (n + 0.25)) for i in range(n)]
    px.plot(
        quantiles,
        ordered,
        "o",
        markerfacecolor="white",
        markeredgecolor="black",
        markersize=3.5,
    )
    ends = [quantiles[0], quantiles[-1]]
    mean, s_overall = stats["mean"], stats["sigma_overall"]
    px.plot(ends, [mean + s_overall * q for q in ends], "-", color="black", linewidth=0.9)
    if stats.get("ad_statistic") is not None:
        px.text(
            0.03,
            0.97,
            f"A² = {stats['ad_statistic']:.3f}\np = {stats['ad_pvalue']:.3f}",
            transform=px.transAxes,
            va="top",
            fontsize=6.5,
            bbox={"facecolor": "white", "edgecolor": "black", "linewidth": 0.5},
        )
    px.set_xlabel(titles["quantile"])
    px.set_ylabel(titles["value"])
    px.set_title(titles["probability"], loc="left")

    # Run chart of the values in time order.
    rx = fig.add_subplot(grid[1, 1])
    xs = list(range(1, n + 1))
    rx.plot(xs, values, "-o", color="black", linewidth=0.6, markersize=2.2)
    rx.axhline(mean, color="black", linewidth=0.9)
    _right_labels(rx, xs[-1], [(mean, titles["mean"])])
    for spec, label in ((stats.get("lsl"), titles["lsl"]), (stats.get("usl"), titles["usl"])):
        if spec is not None:
            rx.axhline(spec, color="black", linestyle="-.", linewidth=1.1)
            _right_labels(rx, xs[-1], [(spec, label)])
    rx.set_xlabel(titles["observation"])
    rx.set_ylabel(titles["value"])
    rx.set_title(titles["run_chart"], loc="left")
    fig.tight_layout()
    return png(fig)
