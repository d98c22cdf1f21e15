"""Acceptance sampling by attributes, ISO 2859-1:1999.

* :func:`code_letter` -- sample-size code letter (Table 1).
* :func:`single_plan` -- single sampling plan for normal, tightened or
  reduced inspection (master Tables 2-A, 2-B, 2-C) with the arrow rule.
* :class:`SwitchingState` -- switching rules between normal, tightened and
  reduced inspection, including the switching score of ISO 2859-1:1999
  clause 9.3.3.2 and discontinuation after 5 non-accepted lots on tightened.

Table 2-C (reduced inspection) is the one of ISO 2859-1:1999, where every
plan has Re = Ac + 1. ANSI/ASQ Z1.4-2003 (like MIL-STD-105E) keeps an older
reduced table in which Re may exceed Ac + 1 (e.g. Ac 1, Re 4); this module
does not implement that table.

The master tables are stored in their diagonal form: in every table each
code letter / AQL cell lies on a diagonal ``k = row + column - offset`` and
all cells of one diagonal hold the same entry (a plan Ac/Re, or an arrow).
The diagonals below were cross-checked cell by cell against published
copies of MIL-STD-105E / ISO 2859-1 Tables II-A and II-B (see the tests).

Table 2-C was checked against two independent hand transcriptions of
national standards identical to ISO 2859-1:1999 (GB/T 2828.1-2012 and
NTE INEN-ISO 2859-1; see ``docs/engine_msa_sampling.md`` and the tests).
Both agree on every cell they share (AQL 1.0, 4.0 and 10 for all letters),
which fixes every diagonal of the table. The cells at AQL >= 15 for letters
A to E (nonconformities per 100 items on the smallest samples) rest on the
GB/T 2828.1-2012 transcription alone.
"""

import math
from dataclasses import dataclass, field, replace

from .errors import SpcInputError

__all__ = [
    "AQLS",
    "CODE_LETTERS",
    "LEVELS",
    "INSPECTIONS",
    "SinglePlan",
    "SwitchingState",
    "code_letter",
    "single_plan",
    "sample_size",
]

#: Sample-size code letters of the master tables (I and O are not used).
CODE_LETTERS = "ABCDEFGHJKLMNPQR"

#: Preferred AQL values (percent nonconforming / nonconformities per 100 items).
AQLS = (
    0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65,
    1.0, 1.5, 2.5, 4.0, 6.5, 10.0, 15.0, 25.0, 40.0, 65.0,
    100.0, 150.0, 250.0, 400.0, 650.0, 1000.0,
)  # fmt: skip

LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
INSPECTIONS = ("normal", "tightened", "reduced")

# Table 1 -- upper lot-size bound of each row and the letter per level.
_LOT_UPPER = (8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10000, 35000, 150000, 500000, math.inf)
_TABLE1 = {
    "S-1": "AAAABBBBCCCCDDD",
    "S-2": "AAABBBCCCDDDEEE",
    "S-3": "AABBCCDDEEFFGGH",
    "S-4": "AABCCDEEFGGHJJK",
    "I":   "AABCCDEFGHJKLMN",
    "II":  "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}  # fmt: skip

# Sample sizes per code letter (Tables 2-A / 2-B, and 2-C for reduced).
_N_NORMAL = (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000)
_N_TIGHTENED = _N_NORMAL + (3150,)  # Table 2-B has an extra row S = 3150
_N_REDUCED = (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800)

_UP, _DOWN = "up", "down"

# Diagonal contents. k = letter index + AQL index - offset; k < 0 is a down
# arrow, k above the last entry of the row is an up arrow.
_DIAG = {
    "normal": {
        "offset": 14,
        "cells": ((0, 1), _UP, _DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8),
                  (10, 11), (14, 15), (21, 22), (30, 31), (44, 45)),
    },
    "tightened": {
        "offset": 15,
        "cells": ((0, 1), _DOWN, _DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (8, 9),
                  (12, 13), (18, 19), (27, 28), (41, 42)),
    },
    # Table 2-C: the 0/1 diagonal lies where it lies in Table 2-A, but two
    # down-arrow diagonals follow the up arrow, and the series is
    # 1/2, 2/3, 3/4, 5/6, 6/7, 8/9, 10/11, 14/15, 21/22 (Re = Ac + 1).
    "reduced": {
        "offset": 14,
        "cells": ((0, 1), _UP, _DOWN, _DOWN, (1, 2), (2, 3), (3, 4), (5, 6),
                  (6, 7), (8, 9), (10, 11), (14, 15), (21, 22)),
    },
}  # fmt: skip
# Rows A..E (index <= 4) carry the large acceptance numbers of the
# high-AQL columns; from row F on the diagonals stop at 21/22 (18/19 on
# tightened, 10/11 on reduced) and an up arrow follows.
_LAST_K_SMALL_ROWS = {"normal": 12, "tightened": 11, "reduced": 12}
_LAST_K_OTHER_ROWS = {"normal": 10, "tightened": 9, "reduced": 10}
# Table 2-C, letters A and B (both n = 2): from AQL 25 on they hold the
# plans of Table 2-A letter A (also n = 2): 1/2, 2/3, 3/4, 5/6, 7/8, 10/11,
# 14/15, 21/22, 30/31 -- not the reduced diagonals. Letters C and above at
# AQL 1000 therefore point up to B, 30/31.
_REDUCED_AS_NORMAL_A_FROM = AQLS.index(25.0)


def _cell(inspection, row, aql_index):
    spec = _DIAG[inspection]
    if inspection == "tightened" and row == 16:
        # row S (3150) of Table 2-B only closes the down arrows of row R
        return (1, 2)
    if inspection == "reduced" and row <= 1 and aql_index >= _REDUCED_AS_NORMAL_A_FROM:
        return _cell("normal", 0, aql_index)
    k = row + aql_index - spec["offset"]
    if k < 0:
        return _DOWN
    if inspection == "tightened" and row == 0 and k == 0:
        # Table 2-B, letter A at AQL 10: arrow down (no 0/1 plan on n = 2)
        return _DOWN
    last = _LAST_K_SMALL_ROWS[inspection] if row <= 4 else _LAST_K_OTHER_ROWS[inspection]
    if k > last:
        return _UP
    return spec["cells"][k]


def _n_rows(inspection):
    return 17 if inspection == "tightened" else 16


def _resolve(inspection, row, aql_index):
    """Follow arrows from (row, AQL) to the first plan: (row, Ac, Re, arrow)."""
    n_rows = _n_rows(inspection)
    entry = _cell(inspection, row, aql_index)
    if isinstance(entry, tuple):
        return row, entry[0], entry[1], None
    arrow = entry
    step = 1 if arrow == _DOWN else -1
    r = row + step
    while 0 <= r < n_rows:
        e = _cell(inspection, r, aql_index)
        if isinstance(e, tuple):
            return r, e[0], e[1], arrow
        r += step
    # The arrow runs off the table (only at its corners): take the first
    # plan in the opposite direction.
    back = _UP if arrow == _DOWN else _DOWN
    r = row - step
    while 0 <= r < n_rows:
        e = _cell(inspection, r, aql_index)
        if isinstance(e, tuple):
            return r, e[0], e[1], back
        r -= step
    raise SpcInputError(
        f"aql: no sampling plan in the {inspection} table for AQL {AQLS[aql_index]}"
    )  # pragma: no cover


def _row_letter(inspection, row):
    return "S" if row == 16 else CODE_LETTERS[row]


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _lot(lot_size):
    if isinstance(lot_size, bool):
        raise SpcInputError(f"lot_size: must be an integer >= 2, got {lot_size!r}")
    try:
        f = float(lot_size)
    except (TypeError, ValueError):
        raise SpcInputError(f"lot_size: must be an integer >= 2, got {lot_size!r}") from None
    if not math.isfinite(f) or f != int(f):
        raise SpcInputError(f"lot_size: must be a finite whole number >= 2, got {lot_size!r}")
    n = int(f)
    if n < 2:
        raise SpcInputError(f"lot_size: must be >= 2 (Table 1 starts at 2), got {n}")
    return n


def _level(level):
    key = (
        str(level).strip().upper().replace("S", "S-").replace("S--", "S-")
        if level is not None
        else ""
    )
    if key not in _TABLE1:
        raise SpcInputError(f"level: must be one of {', '.join(LEVELS)}, got {level!r}")
    return key


def _aql_index(aql):
    try:
        v = float(aql)
    except (TypeError, ValueError):
        raise SpcInputError(
            f"aql: must be one of the preferred values 0.010 ... 1000, got {aql!r}"
        ) from None
    for i, ref in enumerate(AQLS):
        if math.isclose(v, ref, rel_tol=1e-9, abs_tol=1e-12):
            return i
    raise SpcInputError(
        f"aql: {aql!r} is not a preferred AQL; use one of " + ", ".join(f"{a:g}" for a in AQLS)
    )


def _inspection(inspection):
    key = str(inspection).strip().lower()
    if key not in INSPECTIONS:
        raise SpcInputError(
            f"inspection: must be one of {', '.join(INSPECTIONS)}, got {inspection!r}"
        )
    return key


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def code_letter(lot_size, level="II"):
    """Sample-size code letter from ISO 2859-1 Table 1."""
    n = _lot(lot_size)
    lvl = _level(level)
    for i, upper in enumerate(_LOT_UPPER):
        if n <= upper:
            return _TABLE1[lvl][i]
    raise AssertionError("unreachable")  # pragma: no cover


def sample_size(letter, inspection="normal"):
    """Sample size of a code letter in the given master table."""
    insp = _inspection(inspection)
    letters = CODE_LETTERS + ("S" if insp == "tightened" else "")
    if not isinstance(letter, str) or len(letter) != 1 or letter.upper() not in letters:
        raise SpcInputError(f"letter: must be one of {', '.join(letters)}, got {letter!r}")
    idx = letters.index(letter.upper())
    return {"normal": _N_NORMAL, "tightened": _N_TIGHTENED, "reduced": _N_REDUCED}[insp][idx]


@dataclass(frozen=True)
class SinglePlan:
    """A single sampling plan.

    ``code_letter`` is the Table 1 letter, ``plan_letter`` the row actually
    used after following an arrow. ``sample_size`` is capped at the lot size
    (``full_inspection`` True: inspect every item); ``table_sample_size`` is
    the uncapped value. Accept the lot when nonconforming <= ``accept``,
    reject when >= ``reject``.
    """

    code_letter: str
    sample_size: int
    accept: int
    reject: int
    inspection: str
    aql: float
    lot_size: int
    level: str
    plan_letter: str
    table_sample_size: int
    arrow: str | None = None
    full_inspection: bool = False

    def accepts(self, nonconforming):
        """True when ``nonconforming`` (count in the sample) accepts the lot."""
        return _count(nonconforming, "nonconforming") <= self.accept


def _count(value, name):
    if isinstance(value, bool):
        raise SpcInputError(f"{name}: must be a whole number >= 0, got {value!r}")
    try:
        f = float(value)
    except (TypeError, ValueError):
        raise SpcInputError(f"{name}: must be a whole number >= 0, got {value!r}") from None
    if not math.isfinite(f) or f != int(f) or f < 0:
        raise SpcInputError(f"{name}: must be a whole number >= 0, got {value!r}")
    return int(f)


def single_plan(lot_size, aql, *, level="II", inspection="normal"):
    """Single sampling plan from ISO 2859-1 Tables 2-A / 2-B / 2-C.

    Arrow rule: when the cell holds an arrow, the first plan in the arrow's
    direction is used *with its own sample size* (and its code letter is
    reported as ``plan_letter``). When that sample size is >= the lot size
    the whole lot is inspected (sample_size = lot_size), with the same
    acceptance and rejection numbers.
    """
    n_lot = _lot(lot_size)
    lvl = _level(level)
    a = _aql_index(aql)
    insp = _inspection(inspection)
    letter = code_letter(n_lot, lvl)
    row0 = CODE_LETTERS.index(letter)
    row, ac, re, arrow = _resolve(insp, row0, a)
    sizes = {"normal": _N_NORMAL, "tightened": _N_TIGHTENED, "reduced": _N_REDUCED}[insp]
    n_table = sizes[row]
    full = n_table >= n_lot
    return SinglePlan(
        code_letter=letter,
        sample_size=n_lot if full else n_table,
        accept=ac,
        reject=re,
        inspection=insp,
        aql=AQLS[a],
        lot_size=n_lot,
        level=lvl,
        plan_letter=_row_letter(insp, row),
        table_sample_size=n_table,
        arrow=arrow,
        full_inspection=full,
    )


def _tighter_accept_number(plan):
    """Ac of the normal plan one AQL step tighter, same letter (9.3.3.2)."""
    a = AQLS.index(plan.aql)
    if a == 0:
        return None
    row = (
        CODE_LETTERS.index(plan.plan_letter)
        if plan.plan_letter in CODE_LETTERS
        else len(CODE_LETTERS) - 1
    )
    entry = _cell("normal", row, a - 1)
    return entry[0] if isinstance(entry, tuple) else None


# ---------------------------------------------------------------------------
# Switching rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SwitchingState:
    """Immutable state of the ISO 2859-1:1999 switching rules (clause 9.3).

    * normal -> tightened: 2 lots not accepted within 5 or fewer consecutive
      lots on original normal inspection;
    * tightened -> normal: 5 consecutive lots accepted on tightened;
    * tightened -> discontinued: the cumulative number of lots not accepted
      on tightened inspection reaches 5 (resume with :meth:`resume`, which
      restarts on tightened inspection);
    * normal -> reduced: switching score >= 30 *and* production steady *and*
      the responsible authority approves;
    * reduced -> normal: a lot not accepted, irregular or delayed production,
      or other conditions (``force_normal``).

    Switching score (9.3.3.2, single sampling): starts at 0 on normal
    inspection; with Ac >= 2 add 3 when the lot would also have been
    accepted at the AQL one step tighter, else reset to 0; with Ac 0 or 1
    add 2 when the lot is accepted, else reset to 0.
    """

    inspection: str = "normal"
    recent: tuple = field(default=())
    consecutive_accepted: int = 0
    not_accepted_on_tightened: int = 0
    switching_score: int = 0
    lots_in_state: int = 0

    def __post_init__(self):
        if self.inspection not in INSPECTIONS + ("discontinued",):
            raise SpcInputError(
                f"inspection: must be one of {', '.join(INSPECTIONS)}, discontinued; "
                f"got {self.inspection!r}"
            )

    @property
    def discontinued(self):
        return self.inspection == "discontinued"

    def _enter(self, inspection):
        return SwitchingState(inspection=inspection)

    def record_lot(
        self,
        accepted,
        *,
        acceptance_number=None,
        accepted_at_tighter_aql=None,
        production_steady=True,
        authority_approves_reduced=False,
        force_normal=False,
    ):
        """Return the state after one lot on original inspection.

        On normal inspection ``acceptance_number`` (Ac of the plan used) is
        needed for the switching score, and when Ac >= 2 also
        ``accepted_at_tighter_aql`` (would the lot have been accepted with the
        AQL one step tighter?).
        """
        if isinstance(accepted, str) or accepted not in (True, False):
            raise SpcInputError(f"accepted: must be True or False, got {accepted!r}")
        accepted = bool(accepted)
        if self.inspection == "discontinued":
            raise SpcInputError(
                "inspection: discontinued after 5 lots not accepted on tightened inspection; "
                "call resume() once corrective action is agreed"
            )

        if self.inspection == "tightened":
            if accepted:
                run = self.consecutive_accepted + 1
                if run >= 5:
                    return self._enter("normal")
                return replace(self, consecutive_accepted=run, lots_in_state=self.lots_in_state + 1)
            rejected = self.not_accepted_on_tightened + 1
            if rejected >= 5:
                return replace(self._enter("discontinued"), not_accepted_on_tightened=rejected)
            return replace(
                self,
                consecutive_accepted=0,
                not_accepted_on_tightened=rejected,
                lots_in_state=self.lots_in_state + 1,
            )

        if self.inspection == "reduced":
            if not accepted or not production_steady or force_normal:
                return self._enter("normal")
            return replace(self, lots_in_state=self.lots_in_state + 1)

        # normal inspection
        recent = (self.recent + (accepted,))[-5:]
        if recent.count(False) >= 2:
            return self._enter("tightened")
        if acceptance_number is None:
            raise SpcInputError(
                "acceptance_number: required on normal inspection to update the switching score"
            )
        ac = _count(acceptance_number, "acceptance_number")
        if not accepted:
            score = 0
        elif ac >= 2:
            if accepted_at_tighter_aql is None:
                raise SpcInputError(
                    "accepted_at_tighter_aql: required when the acceptance number is >= 2 "
                    "(would the lot have been accepted at the AQL one step tighter?)"
                )
            score = self.switching_score + 3 if accepted_at_tighter_aql else 0
        else:
            score = self.switching_score + 2
        if force_normal:
            score = 0
        if score >= 30 and production_steady and authority_approves_reduced:
            return self._enter("reduced")
        return replace(
            self, recent=recent, switching_score=score, lots_in_state=self.lots_in_state + 1
        )

    def record_inspection(self, plan, nonconforming, **kwargs):
        """Record a lot from its plan and the number of nonconforming items.

        Derives ``accepted``, the acceptance number and, for Ac >= 2, whether
        the lot would have passed the normal plan one AQL step tighter.
        """
        if not isinstance(plan, SinglePlan):
            raise SpcInputError("plan: must be a SinglePlan from single_plan()")
        d = _count(nonconforming, "nonconforming")
        accepted = d <= plan.accept
        tighter = None
        if self.inspection == "normal" and plan.accept >= 2:
            ac_t = _tighter_accept_number(plan)
            tighter = ac_t is not None and d <= ac_t
        return self.record_lot(
            accepted,
            acceptance_number=plan.accept,
            accepted_at_tighter_aql=tighter,
            **kwargs,
        )

    def resume(self):
        """Resume after discontinuation: restart on tightened inspection."""
        if self.inspection != "discontinued":
            raise SpcInputError(
                f"inspection: resume() only applies when discontinued, state is {self.inspection!r}"
            )
        return self._enter("tightened")
