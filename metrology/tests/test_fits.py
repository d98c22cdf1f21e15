"""ISO 286 limits and fits against published ISO 286-2 limit deviations."""

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrology import MetrologyInputError
from metrology.fits import (
    GRADES,
    MAX_NOMINAL_MM,
    SIZED_TOLERANCE_CLASS_PATTERN,
    TOLERANCE_CLASS_PATTERN,
    iso286,
    standard_tolerance,
)

# (nominal mm, class, upper deviation um, lower deviation um): ISO 286-2 tables.
PUBLISHED = [
    (20, "h7", 0, -21),
    (32, "H7", 25, 0),
    (16, "g6", -6, -17),
    (10, "g6", -5, -14),
    (25, "H8", 33, 0),
    (40, "f7", -25, -50),
    (50, "k6", 18, 2),
    (30, "p6", 35, 22),
    (30, "P7", -14, -35),
    (100, "s6", 93, 71),
    (25, "K7", 6, -15),
    (25, "N7", -7, -28),
    (25, "M7", 0, -21),
    (60, "js6", 9.5, -9.5),
    (50, "g6", -9, -25),
    (50, "H7", 25, 0),
    (8, "H7", 15, 0),
    (120, "h6", 0, -22),
    (45, "e8", -50, -89),
    (12, "d9", -50, -93),
    (10, "c11", -80, -170),
    (30, "u6", 61, 48),
    (20, "u6", 54, 41),
    (40, "S7", -34, -59),
    (80, "R7", -32, -62),
    (25, "F8", 53, 20),
    (10, "J7", 8, -7),
    (50, "j6", 11, -5),
    (25, "K8", 10, -23),
    (20, "H11", 130, 0),
    (3, "h9", 0, -25),
    (3, "H7", 10, 0),
    (6, "N7", -4, -16),
    (1, "s6", 20, 14),
    (160, "H7", 40, 0),
    (200, "h6", 0, -29),
    (25, "G7", 28, 7),
    (18, "r6", 34, 23),
    (65, "r6", 60, 41),
    (66, "r6", 62, 43),
    (300, "M6", -9, -41),  # special case of ISO 286-1 Table 3
    (600, "H7", 70, 0),
    (600, "h6", 0, -44),
    (600, "M6", -26, -70),
    (600, "N7", -44, -114),
    (600, "K7", 0, -70),
    (600, "P6", -78, -122),
]


@pytest.mark.parametrize("nominal,cls,upper_um,lower_um", PUBLISHED)
def test_published_limit_deviations(nominal, cls, upper_um, lower_um):
    fit = iso286(nominal, cls)
    assert fit.upper_deviation == pytest.approx(upper_um / 1000.0, abs=1e-9)
    assert fit.lower_deviation == pytest.approx(lower_um / 1000.0, abs=1e-9)
    assert fit.upper_deviation == round(upper_um / 1000.0, 4)
    assert fit.lower_limit == pytest.approx(nominal + lower_um / 1000.0, abs=1e-12)
    assert fit.upper_limit == pytest.approx(nominal + upper_um / 1000.0, abs=1e-12)


@pytest.mark.parametrize(
    "nominal,grade,value",
    [
        (20, "7", 21),
        (3150, "18", 33000),
        (3150, "01", None),
        (1, "01", 0.3),
        (500, "0", 6),
        (50, "6", 16),
        (2600, "7", 210),
        (1000, "11", 560),
        (120, "5", 15),
        (400, "12", 570),
        (10, "1", 1),
        (180, "3", 8),
    ],
)
def test_standard_tolerance(nominal, grade, value):
    if value is None:
        with pytest.raises(MetrologyInputError, match="500 mm"):
            standard_tolerance(nominal, grade)
    else:
        assert standard_tolerance(nominal, grade) == value
        assert standard_tolerance(nominal, "IT" + grade) == value


def test_it_matches_formula_roughly():
    # IT6 = 10 i with i = 0.45 D^(1/3) + 0.001 D at the geometric mean of the range;
    # the standard rounds, so only check agreement within rounding (< 15 %).
    # (The range up to 3 mm is rounded differently by the standard and is skipped.)
    ranges = [
        (3, 6),
        (6, 10),
        (10, 18),
        (18, 30),
        (30, 50),
        (50, 80),
        (80, 120),
        (120, 180),
        (180, 250),
        (250, 315),
        (315, 400),
        (400, 500),
    ]
    for lo, hi in ranges:
        d = math.sqrt(lo * hi)
        i = 0.45 * d ** (1 / 3) + 0.001 * d
        for grade, factor in (("6", 10), ("7", 16), ("8", 25), ("9", 40), ("11", 100)):
            assert standard_tolerance(hi, grade) == pytest.approx(factor * i, rel=0.15)


def test_fit_attributes():
    fit = iso286(20, "h7")
    assert fit.nominal == 20.0
    assert fit.designation == "h7"
    assert fit.kind == "shaft"
    assert fit.letter == "h"
    assert fit.grade == "7"
    assert fit.it_um == 21
    assert fit.lower_limit == 19.979
    assert fit.upper_limit == 20.0
    assert fit.tolerance == 0.021
    hole = iso286(20, "JS7")
    assert hole.kind == "hole" and hole.letter == "JS" and hole.designation == "JS7"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.nominal = 3


@pytest.mark.parametrize("text", ["Ø20 h7", "20h7", "20 h7", " ø 20  h7 ", "⌀20h7", "20,0 h7"])
def test_size_in_designation(text):
    fit = iso286(None, text)
    assert fit.nominal == 20.0 and fit.designation == "h7"
    assert fit.lower_deviation == -0.021
    assert iso286(text).designation == "h7"
    assert iso286(20, text).upper_deviation == 0.0


@pytest.mark.parametrize(
    "text", ["h7", "H7", "js6", "JS7", "zc11", "ZC11", "h01", "H0", "a18", "g6", "K7"]
)
def test_tolerance_class_pattern_accepts_the_classes(text):
    assert TOLERANCE_CLASS_PATTERN.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Js6",  # capital and small mixed
        "jS6",
        "h19",  # IT19 does not exist
        "h00",
        "h07",
        "abc7",  # three letters
        "7",  # no letter
        "h",  # no grade
        "20h7",  # a size: the sized pattern's job
        " h7",
        "h7 ",
        "",
    ],
)
def test_tolerance_class_pattern_refuses_other_forms(text):
    assert not TOLERANCE_CLASS_PATTERN.match(text)


@pytest.mark.parametrize(
    ("text", "size", "cls"),
    [
        ("Ø20 h7", "20", "h7"),
        ("20 H7", "20", "H7"),
        ("⌀32H7", "32", "H7"),
        (" ø 16  g6 ", "16", "g6"),
        ("D20h7", "20", "h7"),
        ("12,5 g6", "12,5", "g6"),
        ("12.5 JS7", "12.5", "JS7"),
    ],
)
def test_sized_class_pattern_splits_size_and_class(text, size, cls):
    match = SIZED_TOLERANCE_CLASS_PATTERN.match(text)
    assert match and match.groups() == (size, cls)


@pytest.mark.parametrize("text", ["h7", "H7", "Ø h7", "20", "20 h7 mm", "-20 h7", "20 abc7"])
def test_sized_class_pattern_needs_a_size_and_a_class(text):
    assert not SIZED_TOLERANCE_CLASS_PATTERN.match(text)


@pytest.mark.parametrize("row", PUBLISHED, ids=lambda row: f"{row[0]}{row[1]}")
def test_every_published_class_has_the_form_and_its_drawing_notation_splits(row):
    nominal, cls = row[0], row[1]
    assert TOLERANCE_CLASS_PATTERN.match(cls)
    match = SIZED_TOLERANCE_CLASS_PATTERN.match(f"Ø{nominal:g} {cls}")
    assert match and (float(match.group(1)), match.group(2)) == (nominal, cls)


def test_max_nominal_is_the_limit_iso286_enforces():
    assert MAX_NOMINAL_MM == 3150.0
    assert iso286(MAX_NOMINAL_MM, "H7").nominal == MAX_NOMINAL_MM
    with pytest.raises(MetrologyInputError, match="3150"):
        iso286(MAX_NOMINAL_MM + 0.01, "H7")


def test_fine_grades_and_js_half_values():
    fit = iso286(2, "js01")
    assert fit.upper_deviation == pytest.approx(0.00015)
    assert fit.lower_deviation == pytest.approx(-0.00015)
    assert iso286(20, "JS7").upper_deviation == pytest.approx(0.0105)
    assert iso286(4, "K3").upper_deviation == 0.0  # -1 + delta(1)


@pytest.mark.parametrize(
    "nominal,cls,needle",
    [
        (20, "i7", "unknown"),
        (20, "W7", "unknown"),
        (20, "h19", "IT19"),
        (20, "h00", "IT00"),
        (20, "Js7", "mixed-case"),
        (20, "", "not an ISO 286"),
        (20, 7, "string"),
        (0, "h7", "0 < D"),
        (-5, "h7", "0 < D"),
        (3150.5, "h7", "3150"),
        (float("nan"), "h7", "finite"),
        (float("inf"), "h7", "finite"),
        (True, "h7", "real number"),
        ("20", "h7", "real number"),
        (600, "h01", "500 mm"),
        (1, "h14", "1 mm"),
        (0.5, "a11", "1 mm"),
        (0.5, "B11", "1 mm"),
        (0.5, "N9", "1 mm"),
        (600, "a11", "500"),
        (600, "x6", "500"),
        (600, "Z7", "500"),
        (20, "t6", "24"),
        (10, "v6", "14"),
        (18, "y6", "18"),
        (60, "cd7", "50"),
        (20, "j9", "IT5"),
        (600, "j6", "500"),
        (20, "J9", "IT6"),
        (20, "K2", "IT3"),
        (20, "P1", "IT3"),
        (25, "20 h7", "disagrees"),
        (None, "h7", "no nominal size"),
    ],
)
def test_errors(nominal, cls, needle):
    with pytest.raises(MetrologyInputError, match=needle):
        iso286(nominal, cls)


def test_error_is_value_error():
    with pytest.raises(ValueError):
        iso286(20, "q7")


def test_special_cases():
    # K above IT8 (D > 3 mm): ES = 0; N above IT8 (D > 3 mm): ES = 0.
    assert iso286(25, "K9").upper_deviation == 0.0
    assert iso286(25, "N9").upper_deviation == 0.0
    assert iso286(25, "N9").lower_deviation == -0.052
    # D <= 3 mm: K ES = 0, M ES = -2, N ES = -4 for every grade, no delta.
    assert iso286(2, "K7").upper_deviation == 0.0
    assert iso286(2, "M7").upper_deviation == -0.002
    assert iso286(2, "N9").upper_deviation == -0.004
    # P ... ZC above IT7: no delta.
    assert iso286(25, "P8").upper_deviation == -0.022
    # M above IT8: ES = -m.
    assert iso286(25, "M9").upper_deviation == -0.008
    # k: ei = 0 outside IT4 ... IT7.
    assert iso286(50, "k8").lower_deviation == 0.0
    assert iso286(50, "k3").lower_deviation == 0.0
    # cd / ef / fg are tabulated up to 50 mm.
    assert iso286(40, "ef7").upper_deviation == -0.035
    assert iso286(5, "CD8").lower_deviation == 0.046
    # j8 only up to 3 mm.
    assert iso286(3, "j8").lower_deviation == -0.006
    with pytest.raises(MetrologyInputError):
        iso286(4, "j8")


_LETTERS = [
    "a",
    "b",
    "c",
    "cd",
    "d",
    "e",
    "ef",
    "f",
    "fg",
    "g",
    "h",
    "js",
    "j",
    "k",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
    "z",
    "za",
    "zb",
    "zc",
]


@settings(max_examples=400, deadline=None)
@given(
    size=st.floats(min_value=1e-3, max_value=3150.0, allow_nan=False),
    letter=st.sampled_from(_LETTERS),
    hole=st.booleans(),
    grade=st.sampled_from(GRADES),
)
def test_property_consistent_zone(size, letter, hole, grade):
    cls = (letter.upper() if hole else letter) + grade
    try:
        fit = iso286(size, cls)
    except MetrologyInputError:
        return
    assert fit.upper_deviation > fit.lower_deviation
    assert fit.upper_deviation - fit.lower_deviation == pytest.approx(fit.it_um / 1000.0, abs=1e-9)
    assert fit.lower_limit < fit.upper_limit
    assert math.isfinite(fit.lower_limit)


@settings(max_examples=200, deadline=None)
@given(size=st.floats(min_value=1e-3, max_value=3150.0, allow_nan=False))
def test_property_it_grows_with_grade(size):
    values = []
    for g in GRADES:
        try:
            values.append(standard_tolerance(size, g))
        except MetrologyInputError:
            pass
    assert len(values) >= 13
    assert all(b > a for a, b in zip(values, values[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(
    size=st.floats(min_value=1.001, max_value=500.0, allow_nan=False),
    grade=st.sampled_from([str(n) for n in range(5, 12)]),
)
def test_property_basic_hole_shaft_mirror(size, grade):
    # h and H are mirror images; a ... g mirror A ... G (EI = -es).
    for letter in ("a", "c", "d", "e", "f", "g", "h"):
        shaft = iso286(size, letter + grade)
        hole = iso286(size, letter.upper() + grade)
        assert hole.lower_deviation == pytest.approx(-shaft.upper_deviation, abs=1e-12)


def test_size_boundaries():
    # Ranges are "above ... up to and including".
    assert iso286(3, "h7").it_um == 10 and iso286(3.0001, "h7").it_um == 12
    assert iso286(500, "x6").lower_deviation == 0.82
    with pytest.raises(MetrologyInputError, match="500"):
        iso286(500.001, "x6")
    assert iso286(1.0001, "h14").it_um == 250
    with pytest.raises(MetrologyInputError, match="1 mm"):
        iso286(1.0, "h14")
    assert iso286(24.0001, "t6").lower_deviation == 0.041
    assert iso286(3150, "H7").upper_deviation == 0.21
    assert iso286(3150, "u6").lower_deviation == 3.2
    assert iso286(24, "u6").lower_deviation == 0.041
    assert iso286(24.5, "u6").lower_deviation == 0.048


def test_no_odoo_import_in_engine():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import odoo" not in text and "from odoo" not in text, path
