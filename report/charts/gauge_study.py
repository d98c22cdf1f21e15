"""Charts of the gauge-study report and of the study form, drawn with
matplotlib (Agg backend).

Plain functions: numbers and labels in, PNG bytes out; no Odoo import. The
charts read in black and white: series differ by marker, line style and
hatch, not by colour alone.
"""

import math

from .common import GREYS, HATCHES, LINESTYLES, MARKERS, png, pyplot


def limit_decimals(span):
    """Decimals that tell apart limit values ``span`` apart: three
    significant figures of the span (0.0025 -> 5 decimals, 19.99053 and not
    19.99; 0.0196 -> 4; 150 -> 0); 4 when the limits coincide."""
    if not span > 0:
        return 4
    return max(0, 2 - math.floor(math.log10(span)))


def _limits(ax, center, ucl, lcl, labels):
    """Centre line and control limits, labelled just outside the right edge
    with enough decimals to tell them apart (19.99053, not 19.99)."""
    ax.axhline(center, color="black", linewidth=0.8)
    ax.axhline(ucl, color="black", linewidth=0.8, linestyle="--")
    ax.axhline(lcl, color="black", linewidth=0.8, linestyle="--")
    decimals = limit_decimals(abs(ucl - lcl))
    transform = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for value, label in ((ucl, labels[0]), (center, labels[1]), (lcl, labels[2])):
        ax.text(
            1.01,
            value,
            f"{label}={value:.{decimals}f}",
            va="center",
            fontsize=6,
            transform=transform,
        )


GRR_PANELS = ("components", "r_chart", "xbar_chart", "by_part", "by_appraiser", "interaction")


def grr_sixpack(cube, parts, appraisers, components, limits, titles):
    """Minitab-like six-panel gauge R&R chart.

    ``cube[i][j]`` lists the trials of part ``parts[i]`` by appraiser
    ``appraisers[j]``; ``components`` maps a label to (%contribution,
    %study var, %tolerance or None) for GRR, repeatability, reproducibility
    and part-to-part; ``limits`` holds ``rbar, r_ucl, r_lcl, xbar, x_ucl,
    x_lcl``; ``titles`` the six translated panel titles and the axis labels
    (keys: components, r_chart, xbar_chart, by_part, by_appraiser,
    interaction, contribution, study_var, tolerance, part, appraiser,
    range, mean, value).
    """
    plt = pyplot()
    fig, axes = plt.subplots(3, 2, figsize=(10, 10.5))
    data = _GrrData(cube, parts, appraisers, components, limits, titles)
    for ax, panel in zip(axes.flat, GRR_PANELS, strict=True):
        _GRR_DRAW[panel](ax, data)
    fig.tight_layout()
    return png(fig)


def grr_panel(panel, cube, parts, appraisers, components, limits, titles):
    """One panel of the sixpack (a name of ``GRR_PANELS``) drawn alone, same
    arguments as ``grr_sixpack``."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    _GRR_DRAW[panel](ax, _GrrData(cube, parts, appraisers, components, limits, titles))
    ax.set_title("")  # alone, the panel is captioned by the page that shows it
    fig.tight_layout()
    return png(fig)


class _GrrData:
    """The study's numbers once, shared by the panels."""

    def __init__(self, cube, parts, appraisers, components, limits, titles):
        self.cube, self.parts, self.appraisers = cube, parts, appraisers
        self.components, self.limits, self.titles = components, limits, titles
        self.n_parts, self.n_app = len(parts), len(appraisers)
        n_parts, n_app = self.n_parts, self.n_app
        self.ranges = [
            [max(cube[i][j]) - min(cube[i][j]) for i in range(n_parts)] for j in range(n_app)
        ]
        self.means = [
            [sum(cube[i][j]) / len(cube[i][j]) for i in range(n_parts)] for j in range(n_app)
        ]


def _draw_components(ax, d):
    titles, components = d.titles, d.components
    labels = list(components)
    series = [(titles["contribution"], 0), (titles["study_var"], 1)]
    if any(values[2] is not None for values in components.values()):
        series.append((titles["tolerance"], 2))
    width = 0.8 / len(series)
    for k, (name, index) in enumerate(series):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(labels))]
        heights = [components[label][index] or 0.0 for label in labels]
        ax.bar(
            xs,
            heights,
            width,
            label=name,
            color=GREYS[k * 2 % len(GREYS)] if k else "white",
            edgecolor="black",
            hatch=HATCHES[k],
            linewidth=0.6,
        )
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels)
    ax.set_ylabel("%")
    ax.legend(loc="upper left")
    ax.set_title(titles["components"])


def _draw_by_appraiser_chart(ax, d, key):
    """R chart (``key`` r_chart) or X-bar chart (xbar_chart) by appraiser:
    one segment per appraiser."""
    ucl, lcl = d.titles.get("ucl", "UCL"), d.titles.get("lcl", "LCL")
    if key == "r_chart":
        data, center_key, prefix, labels = d.ranges, "rbar", "r", (ucl, "R̄", lcl)
    else:
        data, center_key, prefix, labels = d.means, "xbar", "x", (ucl, "X̿", lcl)
    n_parts = d.n_parts
    for j in range(d.n_app):
        xs = [j * n_parts + i + 1 for i in range(n_parts)]
        ax.plot(
            xs,
            data[j],
            marker=MARKERS[j % len(MARKERS)],
            color="black",
            linewidth=0.8,
            markersize=3.5,
            markerfacecolor="white" if j % 2 else "black",
        )
        if j:
            ax.axvline(j * n_parts + 0.5, color="#999999", linewidth=0.6)
    limits = d.limits
    _limits(ax, limits[center_key], limits[f"{prefix}_ucl"], limits[f"{prefix}_lcl"], labels)
    ax.set_xticks([j * n_parts + (n_parts + 1) / 2 for j in range(d.n_app)])
    ax.set_xticklabels(d.appraisers)
    ax.set_xlabel(d.titles["appraiser"])
    ax.set_ylabel(d.titles["range"] if key == "r_chart" else d.titles["mean"])
    ax.set_title(d.titles[key])


def _draw_by_part(ax, d):
    cube, n_parts, n_app = d.cube, d.n_parts, d.n_app
    for i in range(n_parts):
        values = [v for j in range(n_app) for v in cube[i][j]]
        ax.plot([i + 1] * len(values), values, "o", color="#777777", markersize=2.5)
    part_means = [sum(v for j in range(n_app) for v in cube[i][j]) for i in range(n_parts)]
    part_means = [m / sum(len(cube[i][j]) for j in range(n_app)) for i, m in enumerate(part_means)]
    ax.plot(range(1, n_parts + 1), part_means, "-", color="black", marker="+", markersize=6)
    ax.set_xticks(range(1, n_parts + 1))
    ax.set_xticklabels(d.parts)
    ax.set_xlabel(d.titles["part"])
    ax.set_ylabel(d.titles["value"])
    ax.set_title(d.titles["by_part"])


def _draw_by_appraiser(ax, d):
    """Measurements by appraiser (box plots) with the appraisers' means."""
    n_app = d.n_app
    data = [[v for i in range(d.n_parts) for v in d.cube[i][j]] for j in range(n_app)]
    ax.boxplot(
        data,
        patch_artist=True,
        boxprops={"facecolor": "white", "edgecolor": "black"},
        medianprops={"color": "black"},
        widths=0.5,
    )
    ax.plot(
        range(1, n_app + 1),
        [sum(values) / len(values) for values in data],
        "-",
        color="black",
        marker="D",
        markersize=4,
    )
    ax.set_xticks(range(1, n_app + 1))
    ax.set_xticklabels(d.appraisers)
    ax.set_xlabel(d.titles["appraiser"])
    ax.set_ylabel(d.titles["value"])
    ax.set_title(d.titles["by_appraiser"])


def _draw_interaction(ax, d):
    """Appraiser x part interaction: one line of part means per appraiser."""
    n_parts = d.n_parts
    for j in range(d.n_app):
        ax.plot(
            range(1, n_parts + 1),
            d.means[j],
            marker=MARKERS[j % len(MARKERS)],
            linestyle=LINESTYLES[j % len(LINESTYLES)],
            color="black",
            linewidth=0.8,
            markersize=4,
            markerfacecolor="white" if j % 2 else "black",
            label=d.appraisers[j],
        )
    ax.set_xticks(range(1, n_parts + 1))
    ax.set_xticklabels(d.parts)
    ax.set_xlabel(d.titles["part"])
    ax.set_ylabel(d.titles["mean"])
    ax.legend(title=d.titles["appraiser"], loc="best")
    ax.set_title(d.titles["interaction"])


_GRR_DRAW = {
    "components": _draw_components,
    "r_chart": lambda ax, d: _draw_by_appraiser_chart(ax, d, "r_chart"),
    "xbar_chart": lambda ax, d: _draw_by_appraiser_chart(ax, d, "xbar_chart"),
    "by_part": _draw_by_part,
    "by_appraiser": _draw_by_appraiser,
    "interaction": _draw_interaction,
}


def type1_charts(values, reference, tolerance, mean, std, titles):
    """Run chart with reference, reference ± 0.1·T and mean ± 3s, beside the
    histogram. ``titles``: run_chart, histogram, reading, value, count,
    reference, mean."""
    plt = pyplot()
    fig, (ax, hx) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [2.2, 1]})
    xs = list(range(1, len(values) + 1))
    ax.plot(xs, values, "-o", color="black", linewidth=0.8, markersize=3)
    ax.axhline(reference, color="black", linewidth=1.0, label=titles["reference"])
    band = 0.1 * tolerance
    ax.axhline(reference + band, color="black", linestyle="--", linewidth=0.8, label="Ref ± 0.1·T")
    ax.axhline(reference - band, color="black", linestyle="--", linewidth=0.8)
    ax.axhline(
        mean + 3 * std,
        color="#777777",
        linestyle=":",
        linewidth=0.8,
        label=f"{titles['mean']} ± 3s",
    )
    ax.axhline(mean - 3 * std, color="#777777", linestyle=":", linewidth=0.8)
    ax.set_xlabel(titles["reading"])
    ax.set_ylabel(titles["value"])
    ax.set_title(titles["run_chart"])
    ax.legend(loc="upper right")
    low = min(min(values), reference - band, mean - 3 * std)
    high = max(max(values), reference + band, mean + 3 * std)
    pad = (high - low) * 0.15 or 1.0
    ax.set_ylim(low - pad, high + pad)
    bins = min(max(len(values) // 4, 5), 15)
    hx.hist(
        values, bins=bins, orientation="horizontal", color="white", edgecolor="black", hatch="///"
    )
    hx.axhline(reference, color="black", linewidth=1.0)
    hx.axhline(reference + band, color="black", linestyle="--", linewidth=0.8)
    hx.axhline(reference - band, color="black", linestyle="--", linewidth=0.8)
    hx.set_ylim(low - pad, high + pad)
    hx.set_xlabel(titles["count"])
    hx.set_title(titles["histogram"])
    fig.tight_layout()
    return png(fig)


def linearity_chart(references, biases, slope, intercept, ref_points, mean_biases, titles):
    """Bias of every reading against its reference, the mean bias per
    reference and the regression line, with the zero-bias line. ``titles``:
    title, reference, bias, readings, means, fit."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(references, biases, "o", color="#777777", markersize=3, label=titles["readings"])
    ax.plot(
        ref_points,
        mean_biases,
        "s",
        color="black",
        markersize=5,
        markerfacecolor="white",
        label=titles["means"],
    )
    lo, hi = min(references), max(references)
    span = (hi - lo) * 0.05 or 1.0
    xs = [lo - span, hi + span]
    ax.plot(
        xs,
        [intercept + slope * x for x in xs],
        "-",
        color="black",
        linewidth=1.0,
        label=titles["fit"],
    )
    ax.axhline(0.0, color="black", linestyle="--", linewidth=0.8)
    ax.set_xlabel(titles["reference"])
    ax.set_ylabel(titles["bias"])
    ax.set_title(titles["title"])
    ax.legend(loc="best")
    fig.tight_layout()
    return png(fig)


def attribute_chart(within, versus, titles):
    """Assessment agreement: per appraiser, the percentage matched with its
    95 % confidence interval, within the appraiser (left) and against the
    standard (right). ``within`` and ``versus`` list dicts with ``label``,
    ``percent``, ``ci_low``, ``ci_high`` (either may be empty). ``titles``:
    within, versus, appraiser, percent."""
    plt = pyplot()
    panels = [(rows, titles[key]) for rows, key in ((within, "within"), (versus, "versus")) if rows]
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for ax, (rows, title) in zip(axes[0], panels, strict=True):
        xs = list(range(1, len(rows) + 1))
        percents = [row["percent"] for row in rows]
        ax.errorbar(
            xs,
            percents,
            yerr=[
                [p - row["ci_low"] for p, row in zip(percents, rows, strict=True)],
                [row["ci_high"] - p for p, row in zip(percents, rows, strict=True)],
            ],
            fmt="o",
            color="black",
            ecolor="black",
            elinewidth=0.8,
            capsize=4,
            markersize=5,
            markerfacecolor="white",
        )
        ax.set_xticks(xs)
        ax.set_xticklabels([row["label"] for row in rows])
        ax.set_xlim(0.5, len(rows) + 0.5)
        ax.set_ylim(min([row["ci_low"] for row in rows] + [50.0]) - 5, 105)
        ax.set_xlabel(titles["appraiser"])
        ax.set_ylabel(titles["percent"])
        ax.set_title(title)
    fig.tight_layout()
    return png(fig)
