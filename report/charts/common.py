"""Matplotlib helpers shared by the report charts (no Odoo import).

The charts read in black and white: series differ by marker, line style and
hatch, not by colour alone.
"""

import io

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", ":", "-.")
HATCHES = ("", "///", "...", "xxx", "\\\\\\", "++")
GREYS = ("#222222", "#777777", "#aaaaaa", "#555555", "#cccccc", "#999999")

# The style of every chart. The axis offset is reset on every call: one chart
# turning it off must not change the next chart drawn by the same process.
STYLE = {
    "font.size": 7,
    "axes.titlesize": 8,
    "axes.titleweight": "bold",
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "legend.fontsize": 6,
    "axes.formatter.useoffset": True,
}
DPI = 150


def pyplot(style=None):
    """``matplotlib.pyplot`` on the Agg backend with the charts' style;
    ``style`` (rcParams keys) overrides it for the chart about to be drawn."""
    import matplotlib  # noqa: PLC0415 - heavy, loaded only when a chart is drawn

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt  # noqa: PLC0415

    plt.rcParams.update({**STYLE, **(style or {})})
    return plt


def png(fig):
    """PNG bytes of ``fig`` (tight bounding box, ``DPI``); the figure is
    closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    fig.clf()
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.close(fig)
    return buffer.getvalue()
