"""Statistical process control engine: control charts, run rules, capability,
measurement-system analysis and sampling plans.

Plain numpy/scipy, no Odoo import. Public names are resolved lazily so that
``import spc`` stays cheap and each sub-module loads only when used.
"""

import importlib

from .errors import SpcInputError

_API = {
    "control_chart": "charts",
    "run_rules": "rules",
    "capability": "process_capability",
    "capability_method": "process_capability",
    "gauge_rr": "msa",
    "type1_study": "msa",
    "linearity": "msa",
    "attribute_agreement": "msa",
    "chart_input": "series",
    "imr_estimate": "series",
    "violation_points": "series",
}
_SUBMODULES = {
    "charts",
    "rules",
    "process_capability",
    "msa",
    "sampling",
    "frequency",
    "precontrol",
    "series",
}

__all__ = ["SpcInputError", *sorted(_API), "sampling", "frequency", "precontrol", "series"]


def __getattr__(name):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
