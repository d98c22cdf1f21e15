"""The report chart drawers (report/charts) without Odoo.

Every drawer is fed a small study and must give a PNG image (signature and
IHDR header per the PNG specification, ISO/IEC 15948 §5.2 and §11.2.2) of
about the size of its figure at 150 dpi. The numbers the helpers compute
are checked against hand calculations:

* label decimals of the gauge R&R limits: three significant figures of the
  span between the limits, 2 - floor(log10(span)): span 0.0025 ->
  log10 = -2.60, floor -3, 5 decimals; 0.0196 -> -1.71, -2, 4; 150 -> 2.18,
  2, 0 (clamped at 0);
* normal density 1 / (sigma sqrt(2 pi)) exp(-z^2 / 2): with sigma = 0.5,
  0.3989422804 / 0.5 = 0.7978845608 at the mean and
  0.7978845608 x exp(-0.5) = 0.7978845608 x 0.6065306597 = 0.4839414490 one
  sigma away;
* ranges and means of the R&R cube, worked out below by hand.
"""

import math
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from report.charts import common, gauge_study, spc

ROOT = Path(__file__).resolve().parents[3]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data):
    """(width, height) in pixels read from the IHDR chunk of PNG bytes."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    return struct.unpack(">II", data[16:24])


def assert_png(data, figsize):
    """A PNG of about ``figsize`` inches at the charts' dpi (the tight
    bounding box trims the margins and adds the labels outside the axes)."""
    width, height = png_size(data)
    expected_w, expected_h = figsize[0] * common.DPI, figsize[1] * common.DPI
    assert 0.8 * expected_w <= width <= 1.2 * expected_w, (width, expected_w)
    assert 0.8 * expected_h <= height <= 1.2 * expected_h, (height, expected_h)
    assert len(data) > 10_000  # a drawn chart, not an empty canvas


def test_drawers_import_no_odoo_and_load_matplotlib_only_when_drawing():
    code = (
        "import sys\n"
        "from report.charts import common, gauge_study, spc\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "assert 'odoo' not in loaded, 'odoo imported'\n"
        "assert 'matplotlib' not in loaded, 'matplotlib imported before drawing'\n"
        "common.pyplot()\n"
        "assert 'matplotlib' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --- SPC ------------------------------------------------------------------

CONTROL_TITLES = {
    key: key.upper()
    for key in (
        "chart companion point value companion_value center limits spec broken excluded "
        "excluded_broken ucl lcl cl lsl usl"
    ).split()
}
VALUES = [10.01, 9.99, 10.02, 10.00, 9.98, 10.01, 10.06, 9.99, 10.02, 10.00, 9.97, 10.01]


def control_data():
    n = len(VALUES)
    ranges = [abs(b - a) for a, b in zip(VALUES, VALUES[1:], strict=False)]
    return {
        "value": VALUES,
        "center": [10.0] * n,
        "ucl": [10.05] * n,
        "lcl": [9.95] * n,
        "zones": {
            "minus2": [9.9667] * n,
            "minus1": [9.9833] * n,
            "plus1": [10.0167] * n,
            "plus2": [10.0333] * n,
        },
        "excluded": [False] * 10 + [True, False],
        "violations": [{"index": 6, "rules": ["1"]}],
        "lsl": 9.9,
        "usl": 10.1,
        "companion": {
            "kind": "mr",
            "index": list(range(1, n)),
            "value": ranges,
            "center": [0.0188] * (n - 1),
            "ucl": [0.0614] * (n - 1),
            "lcl": [0.0] * (n - 1),
        },
    }


def test_control_chart_is_a_png_of_its_figure():
    assert_png(spc.control_chart(control_data(), CONTROL_TITLES), (11.0, 6.4))


def test_control_chart_without_companion_nor_limits():
    data = dict(control_data(), companion=None, zones={}, limits_drawn=False, lsl=None, usl=None)
    assert_png(spc.control_chart(data, CONTROL_TITLES), (11.0, 6.4 * 0.7))


CAPABILITY_TITLES = {
    key: key
    for key in (
        "histogram data overall within lsl usl target value count probability run_chart "
        "quantile observation mean"
    ).split()
}
CAPABILITY_STATS = {
    "mean": 10.0025,
    "sigma_within": 0.0195,
    "sigma_overall": 0.021,
    "lsl": 9.9,
    "usl": 10.1,
    "target": 10.0,
    "ad_statistic": 0.31,
    "ad_pvalue": 0.52,
}


def test_capability_figures_are_pngs_of_their_figures():
    assert_png(spc.capability_sixpack(VALUES, CAPABILITY_STATS, CAPABILITY_TITLES), (10.0, 7.6))
    one_sided = dict(CAPABILITY_STATS, lsl=None, target=None, ad_statistic=None)
    assert_png(spc.capability_histogram(VALUES, one_sided, CAPABILITY_TITLES), (7.5, 3.6))


def test_normal_density_by_hand():
    assert spc.normal_pdf(10.0, 10.0, 0.5) == pytest.approx(0.7978845608, abs=1e-10)
    assert spc.normal_pdf(10.5, 10.0, 0.5) == pytest.approx(0.4839414490, abs=1e-10)
    assert spc.normal_pdf(9.5, 10.0, 0.5) == pytest.approx(0.4839414490, abs=1e-10)


def test_a_chart_keeps_its_style_to_itself():
    # The SPC charts turn the axis offset off (19.9895 reads as it is); the
    # next chart of the process starts from the common style again.
    spc.capability_histogram(VALUES, CAPABILITY_STATS, CAPABILITY_TITLES)
    assert common.pyplot().rcParams["axes.formatter.useoffset"] is True
    assert spc._pyplot().rcParams["axes.formatter.useoffset"] is False


# --- Gauge studies ----------------------------------------------------------

# 2 parts x 2 appraisers x 2 trials.
CUBE = [[[1.0, 1.2], [1.1, 1.4]], [[2.0, 2.1], [1.9, 2.3]]]
GRR_TITLES = {
    key: key
    for key in (
        "components r_chart xbar_chart by_part by_appraiser interaction contribution "
        "study_var tolerance part appraiser range mean value"
    ).split()
}
COMPONENTS = {
    "GRR": (20.0, 44.7, 30.0),
    "Repeat": (15.0, 38.7, 25.0),
    "Reprod": (5.0, 22.4, 12.0),
    "Part": (80.0, 89.4, 60.0),
}
# Ranges 0.2, 0.1, 0.3, 0.4: R-bar 0.25; means 1.1, 2.05, 1.25, 2.1: 1.625;
# n = 2: D4 = 3.267, A2 = 1.880.
LIMITS = {
    "rbar": 0.25,
    "r_ucl": 0.81675,
    "r_lcl": 0.0,
    "xbar": 1.625,
    "x_ucl": 2.095,
    "x_lcl": 1.155,
}


def test_grr_cube_ranges_and_means_by_hand():
    data = gauge_study._GrrData(CUBE, ["1", "2"], ["A", "B"], COMPONENTS, LIMITS, GRR_TITLES)
    # [appraiser][part]: A on part 1: 1.2 - 1.0; on part 2: 2.1 - 2.0; B: 1.4 - 1.1, 2.3 - 1.9
    assert data.ranges == [pytest.approx([0.2, 0.1]), pytest.approx([0.3, 0.4])]
    assert data.means == [pytest.approx([1.1, 2.05]), pytest.approx([1.25, 2.1])]


def test_grr_sixpack_and_panels_are_pngs():
    args = (CUBE, ["1", "2"], ["A", "B"], COMPONENTS, LIMITS, GRR_TITLES)
    assert_png(gauge_study.grr_sixpack(*args), (10.0, 10.5))
    panels = {panel: gauge_study.grr_panel(panel, *args) for panel in gauge_study.GRR_PANELS}
    for data in panels.values():
        assert_png(data, (6.0, 3.6))
    assert len(set(panels.values())) == len(gauge_study.GRR_PANELS)


@pytest.mark.parametrize(
    ("span", "decimals"), [(0.0025, 5), (0.0196, 4), (1.0, 2), (150.0, 0), (0.0, 4)]
)
def test_limit_label_decimals_by_hand(span, decimals):
    assert gauge_study.limit_decimals(span) == decimals


def test_limit_labels_written_with_those_decimals():
    plt = common.pyplot()
    fig, ax = plt.subplots()
    gauge_study._limits(ax, 19.99928, 20.00053, 19.99803, ("UCL", "CL", "LCL"))
    texts = [text.get_text() for text in ax.texts]
    plt.close(fig)
    assert texts == ["UCL=20.00053", "CL=19.99928", "LCL=19.99803"]


def test_type1_linearity_and_attribute_charts_are_pngs():
    values = [10.01, 9.99, 10.02, 10.00, 9.98, 10.01, 10.00, 9.99, 10.02, 10.00]
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    titles = {k: k for k in "run_chart histogram reading value count reference mean".split()}
    assert_png(gauge_study.type1_charts(values, 10.0, 0.2, mean, std, titles), (10.0, 3.6))
    references = [2.0, 2.0, 4.0, 4.0, 6.0, 6.0]
    biases = [0.49, 0.45, 0.13, 0.11, -0.30, -0.28]
    titles = {k: k for k in "title reference bias readings means fit".split()}
    assert_png(
        gauge_study.linearity_chart(
            references, biases, -0.19, 0.86, [2.0, 4.0, 6.0], [0.47, 0.12, -0.29], titles
        ),
        (7.0, 4.0),
    )
    rows = [
        {"label": "A", "percent": 90.0, "ci_low": 73.5, "ci_high": 97.9},
        {"label": "B", "percent": 100.0, "ci_low": 88.4, "ci_high": 100.0},
    ]
    titles = {k: k for k in "within versus appraiser percent".split()}
    assert_png(gauge_study.attribute_chart(rows, rows, titles), (10.0, 3.6))
    assert_png(gauge_study.attribute_chart([], rows, titles), (5.0, 3.6))
