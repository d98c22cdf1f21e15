"""Tests for spc.sampling (ISO 2859-1:1999 single sampling)."""

import pytest

from spc import SpcInputError, sampling
from spc.sampling import AQLS, SinglePlan, SwitchingState, code_letter, sample_size, single_plan

# ---------------------------------------------------------------------------
# Table 1 -- code letters
# ---------------------------------------------------------------------------

# lot size row -> letters for S-1, S-2, S-3, S-4, I, II, III (ISO 2859-1 Table 1)
TABLE1 = [
    ((2, 8), "AAAAAAB"),
    ((9, 15), "AAAAABC"),
    ((16, 25), "AABBBCD"),
    ((26, 50), "ABBCCDE"),
    ((51, 90), "BBCCCEF"),
    ((91, 150), "BBCDDFG"),
    ((151, 280), "BCDEEGH"),
    ((281, 500), "BCDEFHJ"),
    ((501, 1200), "CCEFGJK"),
    ((1201, 3200), "CDEGHKL"),
    ((3201, 10000), "CDFGJLM"),
    ((10001, 35000), "CDFHKMN"),
    ((35001, 150000), "DEGJLNP"),
    ((150001, 500000), "DEGJMPQ"),
    ((500001, 10**9), "DEHKNQR"),
]


@pytest.mark.parametrize("bounds,letters", TABLE1)
def test_code_letter_table1(bounds, letters):
    for lot in bounds:
        got = "".join(code_letter(lot, lvl) for lvl in sampling.LEVELS)
        assert got == letters, (lot, got)


def test_code_letter_examples():
    assert code_letter(1000) == "J"
    assert code_letter(1000, "II") == "J"
    assert code_letter(50, "S-1") == "A"
    assert code_letter(51, "S-1") == "B"
    assert code_letter(500, "III") == "J"
    assert code_letter(501, "I") == "G"
    assert code_letter(2, "s1") == "A"  # lenient spelling of S-1


# ---------------------------------------------------------------------------
# Master tables: cell by cell against a transcription of MIL-STD-105E
# Tables II-A / II-B (identical to ISO 2859-1 Tables 2-A / 2-B), columns
# AQL 0.65 ... 15. Numbers are Re (Ac = Re - 1); v / ^ are the arrows.
# ---------------------------------------------------------------------------

COLS = (0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10, 15)
NORMAL_2A = {
    "A": "v v v v v 1 ^ v",
    "B": "v v v v 1 ^ v 2",
    "C": "v v v 1 ^ v 2 3",
    "D": "v v 1 ^ v 2 3 4",
    "E": "v 1 ^ v 2 3 4 6",
    "F": "1 ^ v 2 3 4 6 8",
    "G": "^ v 2 3 4 6 8 11",
    "H": "v 2 3 4 6 8 11 15",
    "J": "2 3 4 6 8 11 15 22",
    "K": "3 4 6 8 11 15 22 ^",
    "L": "4 6 8 11 15 22 ^ ^",
    "M": "6 8 11 15 22 ^ ^ ^",
    "N": "8 11 15 22 ^ ^ ^ ^",
    "P": "11 15 22 ^ ^ ^ ^ ^",
    "Q": "15 22 ^ ^ ^ ^ ^ ^",
}
TIGHTENED_2B = {
    "A": "v v v v v v v v",
    "B": "v v v v v 1 v v",
    "C": "v v v v 1 v v 2",
    "D": "v v v 1 v v 2 3",
    "E": "v v 1 v v 2 3 4",
    "F": "v 1 v v 2 3 4 6",
    "G": "1 v v 2 3 4 6 9",
    "H": "v v 2 3 4 6 9 13",
    "J": "v 2 3 4 6 9 13 19",
    "K": "2 3 4 6 9 13 19 ^",
    "L": "3 4 6 9 13 19 ^ ^",
}


def _expected_cell(token):
    if token == "v":
        return "down"
    if token == "^":
        return "up"
    re = int(token)
    return (re - 1, re)


@pytest.mark.parametrize("inspection,table", [("normal", NORMAL_2A), ("tightened", TIGHTENED_2B)])
def test_master_table_cells(inspection, table):
    for letter, row in table.items():
        for aql, token in zip(COLS, row.split(), strict=False):
            got = sampling._cell(inspection, sampling.CODE_LETTERS.index(letter), AQLS.index(aql))
            assert got == _expected_cell(token), (inspection, letter, aql, got, token)


def _walk(table, letter, col):
    """Independent arrow walker over the transcribed grid."""
    letters = list(table)
    i = letters.index(letter)
    token = table[letter].split()[col]
    step = {"v": 1, "^": -1}.get(token, 0)
    while token in "v^":
        i += step
        token = table[letters[i]].split()[col]
    return letters[i], int(token) - 1, int(token)


# lowest lot size of each level-II letter
LOT_FOR_LETTER = {
    "A": 2, "B": 9, "C": 16, "D": 26, "E": 51, "F": 91, "G": 151, "H": 281, "J": 501,
    "K": 1201, "L": 3201, "M": 10001, "N": 35001, "P": 150001, "Q": 500001,
}  # fmt: skip


def test_resolved_plans_match_transcribed_normal_table():
    n = dict(
        zip(
            "ABCDEFGHJKLMNPQR",
            (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000),
            strict=False,
        )
    )
    checked = 0
    for letter in NORMAL_2A:
        for col, aql in enumerate(COLS):
            if letter == "A" and aql == 10:
                continue  # up arrow in the first row: nothing above it
            plan_letter, ac, re = _walk(NORMAL_2A, letter, col)
            p = single_plan(LOT_FOR_LETTER[letter], aql)
            assert (p.plan_letter, p.accept, p.reject) == (plan_letter, ac, re), (letter, aql, p)
            assert p.table_sample_size == n[plan_letter]
            checked += 1
    assert checked == 15 * 8 - 1


# ---------------------------------------------------------------------------
# single_plan examples
# ---------------------------------------------------------------------------


def test_lot_1000_level_ii_aql_1():
    p = single_plan(1000, 1.0)
    assert isinstance(p, SinglePlan)
    assert (p.code_letter, p.sample_size, p.accept, p.reject, p.inspection) == (
        "J",
        80,
        2,
        3,
        "normal",
    )
    assert p.arrow is None and not p.full_inspection
    with pytest.raises(AttributeError):
        p.accept = 5


def test_tightened_and_reduced_j_aql_1():
    t = single_plan(1000, 1.0, inspection="tightened")
    assert (t.code_letter, t.sample_size, t.accept, t.reject) == ("J", 80, 1, 2)
    r = single_plan(1000, 1.0, inspection="reduced")
    assert (r.code_letter, r.sample_size, r.accept, r.reject) == ("J", 32, 1, 2)


def test_well_known_normal_plans():
    # lot 281-500 (H, n = 50): AQL 2.5 -> 3/4, 4.0 -> 5/6, 6.5 -> 7/8
    assert (single_plan(500, 2.5).accept, single_plan(500, 2.5).reject) == (3, 4)
    assert (single_plan(500, 4.0).accept, single_plan(500, 4.0).reject) == (5, 6)
    assert (single_plan(500, 6.5).accept, single_plan(500, 6.5).reject) == (7, 8)
    # lot 3201-10000 (L, n = 200) AQL 0.65 -> 3/4
    p = single_plan(5000, 0.65)
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("L", 200, 3, 4)
    # smallest AQL: 0 / 1 on Q (n = 1250) at 0.010
    p = single_plan(600000, 0.010)
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("Q", 1250, 0, 1)
    # high AQL columns: A at 1000 -> 30/31, B at 1000 -> 44/45
    assert (single_plan(5, 1000).accept, single_plan(5, 1000).reject) == (30, 31)
    assert (single_plan(10, 1000).accept, single_plan(10, 1000).reject) == (44, 45)


def test_arrow_down_uses_plan_below_with_its_sample_size():
    # letter B (lot 9-15) at AQL 1.0: arrow down through C and D to E (n = 13, 0/1)
    p = single_plan(200, 1.0, level="S-3")  # S-3 at 151-280 -> D
    assert p.code_letter == "D" and p.plan_letter == "E" and p.arrow == "down"
    assert (p.sample_size, p.accept, p.reject) == (13, 0, 1)
    p = single_plan(12, 1.0)
    assert (p.code_letter, p.plan_letter, p.arrow) == ("B", "E", "down")
    # n = 13 >= lot size 12: 100 % inspection
    assert p.full_inspection and p.sample_size == 12 and p.table_sample_size == 13
    assert (p.accept, p.reject) == (0, 1)


def test_arrow_up_uses_plan_above():
    # G (n = 32) at AQL 0.65 is an up arrow -> F (n = 20), 0/1
    p = single_plan(200, 0.65)
    assert (p.code_letter, p.plan_letter, p.arrow) == ("G", "F", "up")
    assert (p.sample_size, p.accept, p.reject) == (20, 0, 1)
    # H (n = 50) at AQL 0.65 is a down arrow -> J (n = 80), 1/2
    p = single_plan(400, 0.65)
    assert (p.code_letter, p.plan_letter, p.arrow) == ("H", "J", "down")
    assert (p.sample_size, p.accept, p.reject) == (80, 1, 2)
    # K at AQL 15 is an up arrow -> J (n = 80), 21/22
    p = single_plan(2000, 15)
    assert (p.plan_letter, p.sample_size, p.accept, p.reject) == ("J", 80, 21, 22)


def test_tightened_examples():
    # G at 0.65 tightened: 0/1 on n = 32 (one row below the normal 0/1)
    p = single_plan(200, 0.65, inspection="tightened")
    assert (p.sample_size, p.accept, p.reject) == (32, 0, 1)
    # H at 0.65 tightened: arrow down through J to K, 1/2 on 125
    p = single_plan(400, 0.65, inspection="tightened")
    assert (p.plan_letter, p.sample_size, p.accept, p.reject) == ("K", 125, 1, 2)
    # A at 10 tightened: arrow down to D, 1/2 on 8 (100 % of a lot of 5)
    p = single_plan(5, 10, inspection="tightened")
    assert (p.plan_letter, p.table_sample_size, p.sample_size, p.accept, p.reject) == (
        "D",
        8,
        5,
        1,
        2,
    )
    # K at 10 tightened -> 18/19 on 125
    p = single_plan(2000, 10, inspection="tightened")
    assert (p.sample_size, p.accept, p.reject) == (125, 18, 19)
    # R at 0.010 tightened -> 0/1 on 2000
    p = single_plan(600000, 0.010, level="III", inspection="tightened")
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("R", 2000, 0, 1)


def test_reduced_examples():
    # reduced sample sizes (Table 2-C): A-C 2, D 3, E 5, ..., R 800
    assert [sample_size(c, "reduced") for c in "ABCDEFGHJKLMNPQR"] == [
        2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800
    ]  # fmt: skip
    assert sample_size("S", "tightened") == 3150
    # the 0/1 diagonal lies where it lies in Table 2-A (K at 0.10)
    p = single_plan(2000, 0.10, inspection="reduced")
    assert (p.sample_size, p.accept, p.reject) == (50, 0, 1)
    # K at 0.15 is an up arrow -> J (n = 32), 0/1
    p = single_plan(2000, 0.15, inspection="reduced")
    assert (p.plan_letter, p.sample_size, p.accept, p.reject) == ("J", 32, 0, 1)
    # K at 0.25 and 0.40: down arrows (two down-arrow diagonals in Table 2-C)
    p = single_plan(2000, 0.40, inspection="reduced")
    assert (p.plan_letter, p.arrow, p.sample_size, p.accept, p.reject) == ("L", "down", 80, 1, 2)
    # along the K row: 0.65 -> 1/2, 1.0 -> 2/3, 1.5 -> 3/4, 2.5 -> 5/6, 4.0 -> 6/7,
    # 6.5 -> 8/9, 10 -> 10/11
    got = [
        (single_plan(2000, a, inspection="reduced").accept)
        for a in (0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5, 10)
    ]
    assert got == [1, 1, 2, 3, 5, 6, 8, 10]


# ---------------------------------------------------------------------------
# Table 2-C (reduced inspection) of ISO 2859-1:1999, from two independent
# hand transcriptions of national standards identical to ISO 2859-1:1999:
#
# [GB]   GB/T 2828.1-2012 Table 2-C, all 26 AQL columns, transcribed in
#        github.com/nihantao-crosis/quality-platform,
#        src/core/__tests__/fixtures/gbt2828-1-2012-tables-2abc-full16.tsv
#        (AQL 0.010-10) and gbt2828-1-2012-tables-2abc-aql15-1000.tsv
#        (AQL 15-1000); the repository stores the plans with the arrows
#        already followed, the arrows below are read back from those plans.
# [INEN] NTE INEN-ISO 2859-1 Table 2-C, columns AQL 1.0 / 4.0 / 10, transcribed
#        in github.com/faustoaguanor/acceptance-sampling,
#        tests/tablas_iso2859.test.js (REF.reducida).
#
# Numbers are Re (Ac = Re - 1); v / ^ are arrows. The two sources agree on
# every cell they share (the 48 cells of columns 1.0, 4.0, 10), which covers
# every diagonal of the table. The cells at AQL >= 15 on letters A-E come
# from [GB] alone.
# ---------------------------------------------------------------------------

REDUCED_2C_GB = {
    "A": "v v v v v v v v v v v v v v 1 v v 2 3 4 6 8 11 15 22 31",
    "B": "v v v v v v v v v v v v v 1 ^ v v 2 3 4 6 8 11 15 22 31",
    "C": "v v v v v v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 15 22 ^",
    "D": "v v v v v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 15 22 ^ ^",
    "E": "v v v v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 15 22 ^ ^ ^",
    "F": "v v v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^",
    "G": "v v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^",
    "H": "v v v v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^",
    "J": "v v v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "K": "v v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "L": "v v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "M": "v v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "N": "v v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "P": "v 1 ^ v v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "Q": "1 ^ ^ v 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
    "R": "^ ^ ^ 2 3 4 6 7 9 11 ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^ ^",
}
# [INEN] columns AQL 1.0, 4.0, 10
REDUCED_2C_INEN = {
    "A": "v v v", "B": "v 1 v", "C": "v ^ v", "D": "v v 2", "E": "1 v 3", "F": "^ 2 4",
    "G": "v 3 6", "H": "v 4 7", "J": "2 6 9", "K": "3 7 11", "L": "4 9 ^", "M": "6 11 ^",
    "N": "7 ^ ^", "P": "9 ^ ^", "Q": "11 ^ ^", "R": "^ ^ ^",
}  # fmt: skip
# reduced sample sizes, same in [GB] and [INEN]
REDUCED_N = dict(
    zip(
        "ABCDEFGHJKLMNPQR",
        (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800),
        strict=True,
    )
)


def _reduced_plan(letter, aql):
    if letter == "R":
        return single_plan(600000, aql, level="III", inspection="reduced")
    return single_plan(LOT_FOR_LETTER[letter], aql, inspection="reduced")


def test_reduced_sources_agree_on_shared_columns():
    for letter, row in REDUCED_2C_INEN.items():
        gb = REDUCED_2C_GB[letter].split()
        assert [gb[AQLS.index(a)] for a in (1.0, 4.0, 10)] == row.split(), letter


@pytest.mark.parametrize("aql", AQLS)
def test_reduced_plans_match_table_2c(aql):
    col = AQLS.index(aql)
    for letter in REDUCED_2C_GB:
        plan_letter, ac, re = _walk(REDUCED_2C_GB, letter, col)
        p = _reduced_plan(letter, aql)
        assert p.code_letter == letter
        assert (p.plan_letter, p.accept, p.reject) == (plan_letter, ac, re), (letter, aql, p)
        assert p.table_sample_size == REDUCED_N[plan_letter]
        expected_arrow = {"v": "down", "^": "up"}.get(REDUCED_2C_GB[letter].split()[col])
        assert p.arrow == expected_arrow, (letter, aql, p)


@pytest.mark.parametrize(
    "lot,aql,expected",
    [
        # both [GB] and [INEN]
        (1000, 1.0, ("J", "J", None, 32, 1, 2)),
        (300, 1.0, ("H", "J", "down", 32, 1, 2)),  # was 0/1 on n = 20 before the fix
        (100, 1.0, ("F", "E", "up", 5, 0, 1)),
        (60, 4.0, ("E", "F", "down", 8, 1, 2)),
        (2000, 4.0, ("K", "K", None, 50, 6, 7)),
        (5000, 4.0, ("L", "L", None, 80, 8, 9)),
        (5000, 10, ("L", "K", "up", 50, 10, 11)),
        (5, 10, ("A", "D", "down", 3, 1, 2)),
        # [GB] only (diagonals confirmed by [INEN])
        (2000, 0.40, ("K", "L", "down", 80, 1, 2)),
        (600000, 0.025, ("Q", "N", "up", 200, 0, 1)),
        # [GB] only: AQL >= 15 on the n = 2 letters
        (5, 15, ("A", "C", "down", 2, 1, 2)),
        (5, 250, ("A", "A", None, 2, 10, 11)),
        (10, 150, ("B", "B", None, 2, 7, 8)),
        (20, 150, ("C", "C", None, 2, 8, 9)),
        (20, 1000, ("C", "B", "up", 2, 30, 31)),
        (2000, 1000, ("K", "B", "up", 2, 30, 31)),
    ],
)
def test_reduced_lookups(lot, aql, expected):
    p = single_plan(lot, aql, inspection="reduced")
    got = (p.code_letter, p.plan_letter, p.arrow, p.table_sample_size, p.accept, p.reject)
    assert got == expected


def test_all_cells_resolve_for_every_letter_and_aql():
    for insp in sampling.INSPECTIONS:
        for lot in list(LOT_FOR_LETTER.values()) + [600000]:
            for level in ("II", "III"):
                for aql in AQLS:
                    p = single_plan(lot, aql, level=level, inspection=insp)
                    assert p.reject == p.accept + 1
                    assert 1 <= p.sample_size <= lot


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lot", [1, 0, -5, 2.5, float("nan"), float("inf"), "x", None, True])
def test_bad_lot_size(lot):
    with pytest.raises(SpcInputError, match="lot_size"):
        code_letter(lot)


def test_bad_level_aql_inspection():
    with pytest.raises(SpcInputError, match="level"):
        code_letter(100, "IV")
    with pytest.raises(SpcInputError, match="aql"):
        single_plan(100, 0.5)
    with pytest.raises(SpcInputError, match="aql"):
        single_plan(100, float("nan"))
    with pytest.raises(SpcInputError, match="inspection"):
        single_plan(100, 1.0, inspection="loose")
    with pytest.raises(SpcInputError, match="nonconforming"):
        single_plan(100, 1.0).accepts(-1)
    assert single_plan(100, "1.0").aql == 1.0


# ---------------------------------------------------------------------------
# Switching rules
# ---------------------------------------------------------------------------


def test_normal_to_tightened_two_of_five():
    s = SwitchingState()
    s = s.record_lot(False, acceptance_number=1)
    for _ in range(3):
        s = s.record_lot(True, acceptance_number=1)
    assert s.inspection == "normal"
    s = s.record_lot(False, acceptance_number=1)  # 2 rejected within 5 lots
    assert s.inspection == "tightened"


def test_two_rejections_six_lots_apart_stay_normal():
    s = SwitchingState()
    s = s.record_lot(False, acceptance_number=1)
    for _ in range(4):
        s = s.record_lot(True, acceptance_number=1)
    s = s.record_lot(False, acceptance_number=1)  # first rejection is now 6 lots back
    assert s.inspection == "normal"


def test_tightened_to_normal_after_five_accepted():
    s = SwitchingState(inspection="tightened")
    for _i in range(4):
        s = s.record_lot(True)
        assert s.inspection == "tightened"
    s = s.record_lot(False)
    assert s.consecutive_accepted == 0
    for _i in range(5):
        s = s.record_lot(True)
    assert s.inspection == "normal" and s.switching_score == 0


def test_tightened_discontinued_after_five_not_accepted():
    s = SwitchingState(inspection="tightened")
    for accepted in (False, True, False, True, False, False):
        s = s.record_lot(accepted)
    assert s.inspection == "tightened" and s.not_accepted_on_tightened == 4
    s = s.record_lot(False)
    assert s.discontinued
    with pytest.raises(SpcInputError, match="discontinued"):
        s.record_lot(True)
    assert s.resume().inspection == "tightened"


def test_switching_score_and_reduced():
    s = SwitchingState()
    # Ac 0/1: +2 per accepted lot -> 15 lots to reach 30
    for _i in range(14):
        s = s.record_lot(True, acceptance_number=1, authority_approves_reduced=True)
    assert s.inspection == "normal" and s.switching_score == 28
    s = s.record_lot(True, acceptance_number=1, authority_approves_reduced=True)
    assert s.inspection == "reduced"


def test_switching_score_needs_approval_and_steady_production():
    s = SwitchingState()
    for _ in range(15):
        s = s.record_lot(True, acceptance_number=0)
    assert s.inspection == "normal" and s.switching_score == 30  # no approval
    s2 = s.record_lot(
        True, acceptance_number=0, authority_approves_reduced=True, production_steady=False
    )
    assert s2.inspection == "normal"
    s3 = s.record_lot(True, acceptance_number=0, authority_approves_reduced=True)
    assert s3.inspection == "reduced"


def test_switching_score_ac_two_or_more():
    s = SwitchingState()
    s = s.record_lot(True, acceptance_number=2, accepted_at_tighter_aql=True)
    s = s.record_lot(True, acceptance_number=2, accepted_at_tighter_aql=True)
    assert s.switching_score == 6
    s = s.record_lot(True, acceptance_number=2, accepted_at_tighter_aql=False)
    assert s.switching_score == 0
    s = s.record_lot(True, acceptance_number=1)
    s = s.record_lot(False, acceptance_number=1)
    assert s.switching_score == 0 and s.inspection == "normal"
    with pytest.raises(SpcInputError, match="accepted_at_tighter_aql"):
        s.record_lot(True, acceptance_number=3)
    with pytest.raises(SpcInputError, match="acceptance_number"):
        s.record_lot(True)


def test_record_inspection_derives_tighter_aql():
    plan = single_plan(1000, 1.0)  # J, 80, Ac 2; one step tighter (0.65) J: Ac 1
    s = SwitchingState().record_inspection(plan, 1)
    assert s.switching_score == 3
    s = s.record_inspection(plan, 2)  # accepted, but not at AQL 0.65
    assert s.switching_score == 0
    s = s.record_inspection(plan, 3)  # not accepted
    assert s.recent[-1] is False


def test_reduced_back_to_normal():
    s = SwitchingState(inspection="reduced")
    assert s.record_lot(True).inspection == "reduced"
    assert s.record_lot(False).inspection == "normal"
    assert s.record_lot(True, production_steady=False).inspection == "normal"
    assert s.record_lot(True, force_normal=True).inspection == "normal"


def test_switching_bad_input():
    with pytest.raises(SpcInputError, match="inspection"):
        SwitchingState(inspection="skip")
    with pytest.raises(SpcInputError, match="accepted"):
        SwitchingState().record_lot("yes", acceptance_number=1)
    with pytest.raises(SpcInputError, match="acceptance_number"):
        SwitchingState().record_lot(True, acceptance_number=-1)
    with pytest.raises(SpcInputError, match="resume"):
        SwitchingState().resume()
