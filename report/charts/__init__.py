"""Matplotlib drawing of the add-on's reports: numbers and labels in, PNG
bytes out. No Odoo import (the report models of ``report/`` gather the data
and call these functions); matplotlib itself loads only when a chart is
drawn, so importing these modules costs nothing.

* ``common``: the backend, the style shared by every chart, PNG encoding;
* ``spc``: control chart and capability figures;
* ``gauge_study``: gauge R&R, type 1, linearity and attribute studies.

Tested without Odoo by the plain ``pytest`` run (``report/charts/tests``).
"""
