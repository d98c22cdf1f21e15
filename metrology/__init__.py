"""Metrology engine: ISO 286 fits, GUM uncertainty budgets, conformity
decision rules, calibration intervals and the rounding of a reading to the
resolution of its instrument.

Plain numpy/scipy, no Odoo import. Public names are resolved lazily.
"""

import importlib

from .errors import MetrologyInputError

_API = {
    "iso286": "fits",
    "uncertainty_budget": "uncertainty",
    "monte_carlo": "uncertainty",
    "decision": "decisions",
    "round_to_resolution": "rounding",
}
_SUBMODULES = {"fits", "uncertainty", "decisions", "intervals", "rounding"}

__all__ = ["MetrologyInputError", *sorted(_API), "intervals"]


def __getattr__(name):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
