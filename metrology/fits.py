"""ISO 286-1:2010 limits and fits (ISO code system for tolerances on linear sizes).

``iso286(nominal, designation)`` returns the limit deviations and limits of a
tolerance class such as ``"H7"``, ``"h7"``, ``"g6"``, ``"js6"`` or ``"JS7"`` for a
nominal size 0 < D <= 3150 mm.

Data
----
* Standard tolerance grades IT01, IT0, IT1 ... IT18 are hard-coded from
  ISO 286-1:2010 Table 1 (the rounded values of the standard, not the raw
  formula ``i = 0.45 * D**(1/3) + 0.001 * D``).  IT01 and IT0 are tabulated only
  up to 500 mm; IT14 to IT18 are not used for nominal sizes up to 1 mm.
* Fundamental deviations of shafts (a ... zc) and holes (A ... ZC) come from
  ISO 286-1:2010 Tables 2 and 3, including the split nominal-size sub-ranges
  (e.g. 10-14 / 14-18 mm) used by some letters.
* Holes K, M, N up to IT8 and P ... ZC up to IT7 use ``ES = -ei + delta`` with
  ``delta = IT(n) - IT(n-1)`` (tabulated for IT3 ... IT8, sizes 3 < D <= 500 mm;
  delta = 0 for D <= 3 mm; the tables above 500 mm carry no delta).
* Special cases: M6 for 250 < D <= 315 mm has ES = -9 um; K above IT8 has ES = 0;
  N above IT8 has ES = 0 for D > 3 mm and is not used for D <= 1 mm; A, B, a, b
  are not used for D <= 1 mm; J/j exist only for the tabulated grades.

Size ranges are "above ... up to and including" (a size of exactly 3 mm belongs
to the range 0-3 mm).  Deviations are computed in micrometres and returned in
millimetres rounded to 0.01 um (every tabulated value is a multiple of 0.1 um;
the finer step only matters for ``js``/``JS`` of the finest grades, where
+/-IT/2 is a multiple of 0.05 um).
"""

import math
import numbers
import re
from dataclasses import dataclass

from .errors import MetrologyInputError

__all__ = [
    "Fit",
    "iso286",
    "standard_tolerance",
    "GRADES",
    "MAX_NOMINAL_MM",
    "TOLERANCE_CLASS_PATTERN",
    "SIZED_TOLERANCE_CLASS_PATTERN",
]

#: Largest nominal size of ISO 286-1:2010 (Table 1 goes up to 3150 mm).
MAX_NOMINAL_MM = 3150.0

#: A tolerance class alone, as ISO 286-1:2010 designates it: the
#: fundamental deviation, one or two letters, all capitals for a hole ("H",
#: "JS", "ZC") or all small for a shaft ("h", "js", "zc"), then the grade 01, 0,
#: 1 ... 18. Only the form is checked: whether ISO 286 defines the class for a
#: size is ``iso286``'s answer ("q7" has the form, no such letter exists).
TOLERANCE_CLASS_PATTERN = re.compile(r"^(?:[A-Z]{1,2}|[a-z]{1,2})(?:01|0|1[0-8]|[1-9])$")

#: A size written in front of the tolerance class, as on a drawing: "Ø20 h7",
#: "20 H7", "⌀32H7", "D20 h7", "12,5 g6" (ISO 286-1 writes the size and the
#: class together, "32H7").
#: Group 1 is the size (a decimal point or comma), group 2 the class, whose
#: form ``TOLERANCE_CLASS_PATTERN`` then checks.
SIZED_TOLERANCE_CLASS_PATTERN = re.compile(
    r"^\s*[\u00d8\u2300\u00f8D]?\s*(\d+(?:[.,]\d+)?)\s*([A-Za-z]{1,2}\d{1,2})\s*$"
)

#: Standard tolerance grades in ISO order.
GRADES = ("01", "0") + tuple(str(n) for n in range(1, 19))

# ---------------------------------------------------------------------------
# Table 1: standard tolerance values in micrometres.
# One row per nominal-size range (upper bound, mm); columns IT01, IT0, IT1..IT18.
# ---------------------------------------------------------------------------
_IT_BOUNDS = (
    3,
    6,
    10,
    18,
    30,
    50,
    80,
    120,
    180,
    250,
    315,
    400,
    500,
    630,
    800,
    1000,
    1250,
    1600,
    2000,
    2500,
    3150,
)
_N = None
_IT_TABLE = (
    # IT01  IT0  IT1  IT2  IT3 IT4 IT5 IT6 IT7 IT8 IT9 IT10 IT11 IT12 IT13 IT14 IT15 IT16 IT17 IT18
    (0.3, 0.5, 0.8, 1.2, 2, 3, 4, 6, 10, 14, 25, 40, 60, 100, 140, 250, 400, 600, 1000, 1400),
    (0.4, 0.6, 1, 1.5, 2.5, 4, 5, 8, 12, 18, 30, 48, 75, 120, 180, 300, 480, 750, 1200, 1800),
    (0.4, 0.6, 1, 1.5, 2.5, 4, 6, 9, 15, 22, 36, 58, 90, 150, 220, 360, 580, 900, 1500, 2200),
    (0.5, 0.8, 1.2, 2, 3, 5, 8, 11, 18, 27, 43, 70, 110, 180, 270, 430, 700, 1100, 1800, 2700),
    (0.6, 1, 1.5, 2.5, 4, 6, 9, 13, 21, 33, 52, 84, 130, 210, 330, 520, 840, 1300, 2100, 3300),
    (0.6, 1, 1.5, 2.5, 4, 7, 11, 16, 25, 39, 62, 100, 160, 250, 390, 620, 1000, 1600, 2500, 3900),
    (0.8, 1.2, 2, 3, 5, 8, 13, 19, 30, 46, 74, 120, 190, 300, 460, 740, 1200, 1900, 3000, 4600),
    (1, 1.5, 2.5, 4, 6, 10, 15, 22, 35, 54, 87, 140, 220, 350, 540, 870, 1400, 2200, 3500, 5400),
    (1.2, 2, 3.5, 5, 8, 12, 18, 25, 40, 63, 100, 160, 250, 400, 630, 1000, 1600, 2500, 4000, 6300),
    (2, 3, 4.5, 7, 10, 14, 20, 29, 46, 72, 115, 185, 290, 460, 720, 1150, 1850, 2900, 4600, 7200),
    (2.5, 4, 6, 8, 12, 16, 23, 32, 52, 81, 130, 210, 320, 520, 810, 1300, 2100, 3200, 5200, 8100),
    (3, 5, 7, 9, 13, 18, 25, 36, 57, 89, 140, 230, 360, 570, 890, 1400, 2300, 3600, 5700, 8900),
    (4, 6, 8, 10, 15, 20, 27, 40, 63, 97, 155, 250, 400, 630, 970, 1550, 2500, 4000, 6300, 9700),
    (
        _N,
        _N,
        9,
        11,
        16,
        22,
        32,
        44,
        70,
        110,
        175,
        280,
        440,
        700,
        1100,
        1750,
        2800,
        4400,
        7000,
        11000,
    ),
    (
        _N,
        _N,
        10,
        13,
        18,
        25,
        36,
        50,
        80,
        125,
        200,
        320,
        500,
        800,
        1250,
        2000,
        3200,
        5000,
        8000,
        12500,
    ),
    (
        _N,
        _N,
        11,
        15,
        21,
        28,
        40,
        56,
        90,
        140,
        230,
        360,
        560,
        900,
        1400,
        2300,
        3600,
        5600,
        9000,
        14000,
    ),
    (
        _N,
        _N,
        13,
        18,
        24,
        33,
        47,
        66,
        105,
        165,
        260,
        420,
        660,
        1050,
        1650,
        2600,
        4200,
        6600,
        10500,
        16500,
    ),
    (
        _N,
        _N,
        15,
        21,
        29,
        39,
        55,
        78,
        125,
        195,
        310,
        500,
        780,
        1250,
        1950,
        3100,
        5000,
        7800,
        12500,
        19500,
    ),
    (
        _N,
        _N,
        18,
        25,
        35,
        46,
        65,
        92,
        150,
        230,
        370,
        600,
        920,
        1500,
        2300,
        3700,
        6000,
        9200,
        15000,
        23000,
    ),
    (
        _N,
        _N,
        22,
        30,
        41,
        55,
        78,
        110,
        175,
        280,
        440,
        700,
        1100,
        1750,
        2800,
        4400,
        7000,
        11000,
        17500,
        28000,
    ),
    (
        _N,
        _N,
        26,
        36,
        50,
        68,
        96,
        135,
        210,
        330,
        540,
        860,
        1350,
        2100,
        3300,
        5400,
        8600,
        13500,
        21000,
        33000,
    ),
)

# ---------------------------------------------------------------------------
# Tables 2 and 3: fundamental deviations in micrometres.
# Fine nominal-size sub-ranges (upper bound, mm).  Values are given per fine
# sub-range (41 entries); ``_main`` expands values given per main range.
# ---------------------------------------------------------------------------
_FD_BOUNDS = (
    3,
    6,
    10,
    14,
    18,
    24,
    30,
    40,
    50,
    65,
    80,
    100,
    120,
    140,
    160,
    180,
    200,
    225,
    250,
    280,
    315,
    355,
    400,
    450,
    500,
    560,
    630,
    710,
    800,
    900,
    1000,
    1120,
    1250,
    1400,
    1600,
    1800,
    2000,
    2240,
    2500,
    2800,
    3150,
)
_MAIN_OF_FINE = tuple(next(i for i, hi in enumerate(_IT_BOUNDS) if b <= hi) for b in _FD_BOUNDS)


def _main(values_le500, values_gt500=None):
    """Expand per-main-range values (13 up to 500 mm, 8 above) to fine sub-ranges."""
    assert len(values_le500) == 13
    rows = list(values_le500) + list(values_gt500 or (_N,) * 8)
    assert len(rows) == 21
    return tuple(rows[m] for m in _MAIN_OF_FINE)


def _fine(values_le500, values_gt500=None):
    assert len(values_le500) == 25
    tail = tuple(values_gt500) if values_gt500 is not None else (_N,) * 16
    assert len(tail) == 16
    return tuple(values_le500) + tail


# Upper deviations es of shafts a ... h (holes A ... H: EI = -es).
_ES_SHAFT = {
    "a": _fine(
        (
            -270,
            -270,
            -280,
            -290,
            -290,
            -300,
            -300,
            -310,
            -320,
            -340,
            -360,
            -380,
            -410,
            -460,
            -520,
            -580,
            -660,
            -740,
            -820,
            -920,
            -1050,
            -1200,
            -1350,
            -1500,
            -1650,
        )
    ),
    "b": _fine(
        (
            -140,
            -140,
            -150,
            -150,
            -150,
            -160,
            -160,
            -170,
            -180,
            -190,
            -200,
            -220,
            -240,
            -260,
            -280,
            -310,
            -340,
            -380,
            -420,
            -480,
            -540,
            -600,
            -680,
            -760,
            -840,
        )
    ),
    "c": _fine(
        (
            -60,
            -70,
            -80,
            -95,
            -95,
            -110,
            -110,
            -120,
            -130,
            -140,
            -150,
            -170,
            -180,
            -200,
            -210,
            -230,
            -240,
            -260,
            -280,
            -300,
            -330,
            -360,
            -400,
            -440,
            -480,
        )
    ),
    "cd": _main((-34, -46, -56, -70, -85, -100) + (_N,) * 7),
    "d": _main(
        (-20, -30, -40, -50, -65, -80, -100, -120, -145, -170, -190, -210, -230),
        (-260, -290, -320, -350, -390, -430, -480, -520),
    ),
    "e": _main(
        (-14, -20, -25, -32, -40, -50, -60, -72, -85, -100, -110, -125, -135),
        (-145, -160, -170, -195, -220, -240, -260, -290),
    ),
    "ef": _main((-10, -14, -18, -23, -28, -35) + (_N,) * 7),
    "f": _main(
        (-6, -10, -13, -16, -20, -25, -30, -36, -43, -50, -56, -62, -68),
        (-76, -80, -86, -98, -110, -120, -130, -145),
    ),
    "fg": _main((-4, -6, -8, -10, -12, -15) + (_N,) * 7),
    "g": _main(
        (-2, -4, -5, -6, -7, -9, -10, -12, -14, -15, -17, -18, -20),
        (-22, -24, -26, -28, -30, -32, -34, -38),
    ),
    "h": _main((0,) * 13, (0,) * 8),
}

# Lower deviations ei of shafts m ... zc (holes: ES = -ei [+ delta]).
_EI_SHAFT = {
    "m": _main((2, 4, 6, 7, 8, 9, 11, 13, 15, 17, 20, 21, 23), (26, 30, 34, 40, 48, 58, 68, 76)),
    "n": _main(
        (4, 8, 10, 12, 15, 17, 20, 23, 27, 31, 34, 37, 40), (44, 50, 56, 66, 78, 92, 110, 135)
    ),
    "p": _main(
        (6, 12, 15, 18, 22, 26, 32, 37, 43, 50, 56, 62, 68), (78, 88, 100, 120, 140, 170, 195, 240)
    ),
    "r": _fine(
        (
            10,
            15,
            19,
            23,
            23,
            28,
            28,
            34,
            34,
            41,
            43,
            51,
            54,
            63,
            65,
            68,
            77,
            80,
            84,
            94,
            98,
            108,
            114,
            126,
            132,
        ),
        (150, 155, 175, 185, 210, 220, 250, 260, 300, 330, 370, 400, 440, 460, 550, 580),
    ),
    "s": _fine(
        (
            14,
            19,
            23,
            28,
            28,
            35,
            35,
            43,
            43,
            53,
            59,
            71,
            79,
            92,
            100,
            108,
            122,
            130,
            140,
            158,
            170,
            190,
            208,
            232,
            252,
        ),
        (280, 310, 340, 380, 430, 470, 520, 580, 640, 720, 820, 920, 1000, 1100, 1250, 1400),
    ),
    "t": _fine(
        (
            _N,
            _N,
            _N,
            _N,
            _N,
            _N,
            41,
            48,
            54,
            66,
            75,
            91,
            104,
            122,
            134,
            146,
            166,
            180,
            196,
            218,
            240,
            268,
            294,
            330,
            360,
        ),
        (400, 450, 500, 560, 620, 680, 780, 840, 960, 1050, 1200, 1350, 1500, 1650, 1900, 2100),
    ),
    "u": _fine(
        (
            18,
            23,
            28,
            33,
            33,
            41,
            48,
            60,
            70,
            87,
            102,
            124,
            144,
            170,
            190,
            210,
            236,
            258,
            284,
            315,
            350,
            390,
            435,
            490,
            540,
        ),
        (600, 660, 740, 840, 940, 1050, 1150, 1300, 1450, 1600, 1850, 2000, 2300, 2500, 2900, 3200),
    ),
    "v": _fine(
        (
            _N,
            _N,
            _N,
            _N,
            39,
            47,
            55,
            68,
            81,
            102,
            120,
            146,
            172,
            202,
            228,
            252,
            284,
            310,
            340,
            385,
            425,
            475,
            530,
            595,
            660,
        )
    ),
    "x": _fine(
        (
            20,
            28,
            34,
            40,
            45,
            54,
            64,
            80,
            97,
            122,
            146,
            178,
            210,
            248,
            280,
            310,
            350,
            385,
            425,
            475,
            525,
            590,
            660,
            740,
            820,
        )
    ),
    "y": _fine(
        (
            _N,
            _N,
            _N,
            _N,
            _N,
            63,
            75,
            94,
            114,
            144,
            174,
            214,
            254,
            300,
            340,
            380,
            425,
            470,
            520,
            580,
            650,
            730,
            820,
            920,
            1000,
        )
    ),
    "z": _fine(
        (
            26,
            35,
            42,
            50,
            60,
            73,
            88,
            112,
            136,
            172,
            210,
            258,
            310,
            365,
            415,
            465,
            520,
            575,
            640,
            710,
            790,
            900,
            1000,
            1100,
            1250,
        )
    ),
    "za": _fine(
        (
            32,
            42,
            52,
            64,
            77,
            98,
            118,
            148,
            180,
            226,
            274,
            335,
            400,
            470,
            535,
            600,
            670,
            740,
            820,
            920,
            1000,
            1150,
            1300,
            1450,
            1600,
        )
    ),
    "zb": _fine(
        (
            40,
            50,
            67,
            90,
            108,
            136,
            160,
            200,
            242,
            300,
            360,
            445,
            525,
            620,
            700,
            780,
            880,
            960,
            1050,
            1200,
            1300,
            1500,
            1650,
            1850,
            2100,
        )
    ),
    "zc": _fine(
        (
            60,
            80,
            97,
            130,
            150,
            188,
            218,
            274,
            325,
            405,
            480,
            585,
            690,
            800,
            900,
            1000,
            1150,
            1250,
            1350,
            1550,
            1700,
            1900,
            2100,
            2400,
            2600,
        )
    ),
}

# Shaft k: ei for IT4 ... IT7 (0 for <= IT3, > IT7 and for all sizes above 500 mm).
_K_IT4_7 = _main((0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5), (0,) * 8)

# Shaft j: ei for IT5/IT6, IT7, IT8 (IT8 only up to 3 mm); sizes up to 500 mm.
_J_SHAFT = {
    "5": _main((-2, -2, -2, -3, -4, -5, -7, -9, -11, -13, -16, -18, -20)),
    "7": _main((-4, -4, -5, -6, -8, -10, -12, -15, -18, -21, -26, -28, -32)),
    "8": _main((-6,) + (_N,) * 12),
}
_J_SHAFT["6"] = _J_SHAFT["5"]

# Hole J: ES for IT6, IT7, IT8; sizes up to 500 mm.
_J_HOLE = {
    "6": _main((2, 5, 5, 6, 8, 10, 13, 16, 18, 22, 25, 29, 33)),
    "7": _main((4, 6, 8, 10, 12, 14, 18, 22, 26, 30, 36, 39, 43)),
    "8": _main((6, 10, 12, 15, 20, 24, 28, 34, 41, 47, 55, 60, 66)),
}

_UPPER_LETTERS = tuple(_ES_SHAFT)  # a ... h
_LOWER_LETTERS = tuple(_EI_SHAFT)  # m ... zc
_SHAFT_LETTERS = set(_UPPER_LETTERS) | set(_LOWER_LETTERS) | {"js", "j", "k"}
_DELTA_LETTERS = {"K", "M", "N"} | {x.upper() for x in _LOWER_LETTERS if x not in ("m", "n")}


@dataclass(frozen=True)
class Fit:
    """Limits of one ISO 286 tolerance class at one nominal size.

    Deviations and limits are in millimetres; ``it_um`` is in micrometres.
    """

    nominal: float
    designation: str
    kind: str
    letter: str
    grade: str
    it_um: float
    lower_deviation: float
    upper_deviation: float
    lower_limit: float
    upper_limit: float

    @property
    def tolerance(self):
        """Width of the tolerance zone in mm (= IT value)."""
        return round(self.upper_deviation - self.lower_deviation, 5)

    @property
    def mid_limit(self):
        """Middle of the tolerance zone in mm."""
        return round((self.lower_limit + self.upper_limit) / 2.0, 9)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------
_DESIGNATION_RE = re.compile(
    r"^\s*(?:[\u00d8\u00f8\u2300\u2205\u03a6\u03c6]\s*)?"  # optional diameter sign
    r"(?P<num>\d+(?:[.,]\d+)?)?\s*"
    r"(?P<letters>[A-Za-z]{1,2})\s*"
    r"(?P<grade>\d{1,2})\s*$"
)


def _check_nominal(nominal, designation):
    if isinstance(nominal, bool) or not isinstance(nominal, numbers.Real):
        raise MetrologyInputError(
            f"nominal must be a real number in mm, got {nominal!r} (designation {designation!r})"
        )
    value = float(nominal)
    if not math.isfinite(value):
        raise MetrologyInputError(f"nominal must be finite, got {value!r}")
    if not 0.0 < value <= MAX_NOMINAL_MM:
        raise MetrologyInputError(
            f"nominal size {value!r} mm is outside ISO 286-1 range 0 < D <= {MAX_NOMINAL_MM:g} mm"
        )
    return value


def _range_index(bounds, size):
    for i, hi in enumerate(bounds):
        if size <= hi:
            return i
    raise MetrologyInputError(
        f"nominal size {size!r} mm is outside ISO 286-1 range 0 < D <= {MAX_NOMINAL_MM:g} mm"
    )


def _parse_grade(text, designation):
    if text not in GRADES:
        raise MetrologyInputError(
            f"designation {designation!r}: tolerance grade IT{text} is outside IT01 ... IT18"
        )
    return text


def standard_tolerance(nominal, grade):
    """Standard tolerance ITgrade in micrometres for a nominal size in mm.

    ``grade`` is "01", "0", "1" ... "18" (an int 0 ... 18 is accepted too;
    "IT7" is accepted).  Raises MetrologyInputError where ISO 286-1 Table 1
    defines no value.
    """
    if isinstance(grade, bool):
        raise MetrologyInputError(f"grade must be IT01 ... IT18, got {grade!r}")
    if isinstance(grade, numbers.Integral):
        grade = str(int(grade))
    if not isinstance(grade, str):
        raise MetrologyInputError(f"grade must be IT01 ... IT18, got {grade!r}")
    g = grade.strip().upper()
    if g.startswith("IT"):
        g = g[2:]
    g = _parse_grade(g, grade)
    size = _check_nominal(nominal, f"IT{g}")
    return _it(size, g, f"IT{g}")


def _it(size, grade, designation):
    if grade in ("01", "0") and size > 500:
        raise MetrologyInputError(
            f"{designation}: IT{grade} is defined only for nominal sizes up to 500 mm, "
            f"got {size:g} mm"
        )
    if _grade_number(grade) >= 14 and size <= 1.0:
        raise MetrologyInputError(
            f"{designation}: IT14 ... IT18 are not used for nominal sizes up to 1 mm, "
            f"got {size:g} mm"
        )
    value = _IT_TABLE[_range_index(_IT_BOUNDS, size)][GRADES.index(grade)]
    return float(value)


def _grade_number(grade):
    """Ordinal for comparisons: IT01 -> -1, IT0 -> 0, ITn -> n."""
    return -1 if grade == "01" else int(grade)


def _lookup(table, letter, size, designation, what):
    value = table[_range_index(_FD_BOUNDS, size)]
    if value is None:
        lo, hi = _defined_span(table)
        raise MetrologyInputError(
            f"designation {designation!r}: {what} {letter!r} is defined by ISO 286-1 only for "
            f"nominal sizes above {lo:g} mm up to {hi:g} mm, got {size:g} mm"
        )
    return value


def _defined_span(table):
    idx = [i for i, v in enumerate(table) if v is not None]
    lo = 0 if idx[0] == 0 else _FD_BOUNDS[idx[0] - 1]
    return lo, _FD_BOUNDS[idx[-1]]


def _delta(size, grade, designation):
    """Delta = IT(n) - IT(n-1) for holes K, M, N (<= IT8) and P ... ZC (<= IT7)."""
    if size <= 3.0 or size > 500.0:
        return 0.0
    n = _grade_number(grade)
    if n < 3:
        raise MetrologyInputError(
            f"designation {designation!r}: the delta value of ISO 286-1 Table 3 is tabulated only "
            f"for IT3 ... IT8 (nominal sizes 3 ... 500 mm), got IT{grade} at {size:g} mm"
        )
    row = _IT_TABLE[_range_index(_IT_BOUNDS, size)]
    return float(row[GRADES.index(str(n))] - row[GRADES.index(str(n - 1))])


def _shaft_deviations(letter, grade, size, it, designation):
    n = _grade_number(grade)
    if letter in ("a", "b") and size <= 1.0:
        raise MetrologyInputError(
            f"designation {designation!r}: fundamental deviations a and b are not used for "
            f"nominal sizes up to 1 mm, got {size:g} mm"
        )
    if letter in _ES_SHAFT:
        es = _lookup(_ES_SHAFT[letter], letter, size, designation, "shaft deviation")
        return es - it, es
    if letter == "js":
        return -it / 2.0, it / 2.0
    if letter == "j":
        if grade not in _J_SHAFT:
            raise MetrologyInputError(
                f"designation {designation!r}: shaft deviation 'j' is tabulated by ISO 286-1 "
                f"only for IT5 ... IT8, got IT{grade}"
            )
        ei = _lookup(_J_SHAFT[grade], "j" + grade, size, designation, "shaft class")
        return ei, ei + it
    if letter == "k":
        ei = _K_IT4_7[_range_index(_FD_BOUNDS, size)] if 4 <= n <= 7 else 0
        return ei, ei + it
    ei = _lookup(_EI_SHAFT[letter], letter, size, designation, "shaft deviation")
    return ei, ei + it


def _hole_deviations(letter, grade, size, it, designation):
    n = _grade_number(grade)
    low = letter.lower()
    if letter in ("A", "B") and size <= 1.0:
        raise MetrologyInputError(
            f"designation {designation!r}: fundamental deviations A and B are not used for "
            f"nominal sizes up to 1 mm, got {size:g} mm"
        )
    if low in _ES_SHAFT:
        ei = -_lookup(_ES_SHAFT[low], letter, size, designation, "hole deviation")
        return ei, ei + it
    if letter == "JS":
        return -it / 2.0, it / 2.0
    if letter == "J":
        if grade not in _J_HOLE:
            raise MetrologyInputError(
                f"designation {designation!r}: hole deviation 'J' is tabulated by ISO 286-1 "
                f"only for IT6 ... IT8, got IT{grade}"
            )
        es = _lookup(_J_HOLE[grade], "J" + grade, size, designation, "hole class")
        return es - it, es
    if letter == "K":
        if size <= 3.0 or size > 500.0 or n > 8:
            es = 0.0
        else:
            es = -_K_IT4_7[_range_index(_FD_BOUNDS, size)] + _delta(size, grade, designation)
        return es - it, es
    if letter == "M":
        m = _EI_SHAFT["m"][_range_index(_FD_BOUNDS, size)]
        if size <= 3.0:
            es = -2.0
        elif n <= 8:
            es = -m + _delta(size, grade, designation)
            if grade == "6" and 250.0 < size <= 315.0:
                es = -9.0  # special case of ISO 286-1 Table 3 (instead of -11 um)
        else:
            es = -m
        return es - it, es
    if letter == "N":
        nv = _EI_SHAFT["n"][_range_index(_FD_BOUNDS, size)]
        if n > 8 and size <= 1.0:
            raise MetrologyInputError(
                f"designation {designation!r}: N above IT8 is not used for nominal sizes "
                f"up to 1 mm, got {size:g} mm"
            )
        if size <= 3.0:
            es = -4.0
        elif n <= 8:
            es = -nv + _delta(size, grade, designation)
        else:
            es = 0.0
        return es - it, es
    # P ... ZC
    ei_shaft = _lookup(_EI_SHAFT[low], letter, size, designation, "hole deviation")
    es = -ei_shaft + (_delta(size, grade, designation) if n <= 7 else 0.0)
    return es - it, es


def _parse(designation):
    if not isinstance(designation, str):
        raise MetrologyInputError(
            f"designation must be a string such as 'H7' or '20 h7', got {designation!r}"
        )
    m = _DESIGNATION_RE.match(designation)
    if not m:
        raise MetrologyInputError(
            f"designation {designation!r} is not an ISO 286 tolerance class "
            "(expected e.g. 'H7', 'h7', 'js6', '20 g6', 'Ø20 h7')"
        )
    letters = m.group("letters")
    if letters.isupper():
        kind = "hole"
    elif letters.islower():
        kind = "shaft"
    else:
        raise MetrologyInputError(
            f"designation {designation!r}: mixed-case letters {letters!r}; use upper case for "
            "holes (e.g. 'JS7') and lower case for shafts (e.g. 'js6')"
        )
    if letters.lower() not in _SHAFT_LETTERS:
        raise MetrologyInputError(
            f"designation {designation!r}: unknown fundamental deviation {letters!r} "
            "(ISO 286-1 letters are a ... zc / A ... ZC, excluding i, l, o, q, w)"
        )
    grade = _parse_grade(m.group("grade"), designation)
    num = m.group("num")
    size = float(num.replace(",", ".")) if num is not None else None
    return letters, kind, grade, size


def iso286(nominal, designation=None):
    """Limit deviations of an ISO 286 tolerance class.

    ``iso286(20, "h7")``, ``iso286(None, "Ø20 h7")`` and ``iso286("20h7")`` are
    equivalent.  Returns a frozen :class:`Fit`.  Raises MetrologyInputError for
    anything ISO 286-1:2010 does not define.
    """
    if designation is None and isinstance(nominal, str):
        nominal, designation = None, nominal
    letters, kind, grade, size_in_text = _parse(designation)
    if nominal is None:
        if size_in_text is None:
            raise MetrologyInputError(
                f"designation {designation!r} carries no nominal size and nominal is None"
            )
        size = _check_nominal(size_in_text, designation)
    else:
        size = _check_nominal(nominal, designation)
        if size_in_text is not None and not math.isclose(
            size, size_in_text, rel_tol=0, abs_tol=1e-9
        ):
            raise MetrologyInputError(
                f"nominal {size:g} mm disagrees with the size {size_in_text:g} mm "
                f"in designation {designation!r}"
            )
    norm = letters + grade
    it = _it(size, grade, norm)
    if kind == "shaft":
        lower, upper = _shaft_deviations(letters, grade, size, it, norm)
    else:
        lower, upper = _hole_deviations(letters, grade, size, it, norm)
    lower_mm = round(lower / 1000.0, 5) + 0.0
    upper_mm = round(upper / 1000.0, 5) + 0.0
    return Fit(
        nominal=size,
        designation=norm,
        kind=kind,
        letter=letters,
        grade=grade,
        it_um=it,
        lower_deviation=lower_mm,
        upper_deviation=upper_mm,
        lower_limit=round(size + lower_mm, 9),
        upper_limit=round(size + upper_mm, 9),
    )
