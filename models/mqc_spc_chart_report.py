import base64
from datetime import UTC, datetime

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import client_input

COMPANION = {"mr": "MR", "r": "R", "s": "S"}
MAX_PAGES = 1000  # characteristics printed at once


class ReportSpcControlChart(models.AbstractModel):
    """Control-chart report of characteristics: the data of the SPC screen
    (``mqc_chart_data``) with the chart drawn by matplotlib. The filters come
    from the print wizard (``data["filters"]``); printed from a characteristic
    without the wizard, the report covers its whole current history."""

    _name = "report.mrp_quality_control.report_spc_control_chart"
    _description = "Control Chart Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        filters = dict(data.get("filters") or {})
        # Printed with options (wizard, chart screen), the web client sends no
        # record ids in the URL: they come in the options.
        docids = client_input.ids(
            self.env,
            docids or data.get("characteristic_ids") or [],
            self.env._("Characteristics"),
            MAX_PAGES,
        )
        docs = self.env["mqc.characteristic"].browse(docids).exists()
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": "mqc.characteristic",
            "docs": docs,
            "pages": [self._page(char, filters) for char in docs],
        }

    @api.model
    def _page(self, char, filters):
        _ = self.env._
        chart = self.env["mqc.characteristic"].mqc_chart_data(char.id, filters)
        points = chart["points"]
        values = points.get("value") or []
        times = points.get("time") or []
        limit = self.env["mqc.spc.limit"].browse(chart["limit_id"] or [])
        kinds = dict(self.env["mqc.spc.limit"]._fields["kind"]._description_selection(self.env))
        kind_label = kinds.get(chart["kind"], chart["kind"])
        subgroups = chart["kind"] in ("xbar_r", "xbar_s")
        page = {
            "char": char,
            "chart": chart,
            "kind_label": kind_label,
            "filters": self._filter_labels(filters),
            "limit": limit,
            "period": False,
            "png": False,
            "out_of_control": [],
            "exclusions": self.env["mqc.spc.exclusion"],
        }
        if not values:
            return page
        if chart["kind"] == "imr" and len(values) < chart["n_measurements"]:
            # Printed from the chart screen: its latest points, limits from all.
            page["filters"].append(
                (
                    _("Points"),
                    _(
                        "the latest %(shown)s of %(total)s (limits from all of them)",
                        shown=len(values),
                        total=chart["n_measurements"],
                    ),
                )
            )
        page["png"] = base64.b64encode(self._draw(chart, kind_label)).decode()
        productions, lots = chart["productions"], chart["lots"]
        for violation in chart["violations"]:
            i = violation["index"]
            page["out_of_control"].append(
                {
                    "number": i + 1,
                    "time": self._time(times[i]),
                    "production": productions.get(str(points["production_id"][i]), ""),
                    "lot": lots.get(str(points["lot_id"][i]), ""),
                    "value": values[i],
                    "rules": [chart["rules"].get(rule, rule) for rule in violation["rules"]],
                }
            )
        ids = points.get("measurement_ids") or []
        flat = [m for item in ids for m in (item if isinstance(item, list) else [item])]
        if flat:
            # First and last measurement charted (a subgroup is dated by its last value).
            self.env.cr.execute(
                SQL(
                    """SELECT min(recorded_at), max(recorded_at)
                       FROM mqc_measurement WHERE id = ANY(%s)""",
                    flat,
                )
            )
            page["period"] = self.env.cr.fetchone()
        page["exclusions"] = self.env["mqc.spc.exclusion"].search(
            [("measurement_id", "in", flat)], order="id"
        )
        # Point number of each excluded measurement, for the table.
        number = {}
        for index, item in enumerate(ids):
            for m in item if isinstance(item, list) else [item]:
                number[m] = index + 1
        page["exclusion_point"] = {
            exclusion.id: number.get(exclusion.measurement_id.id)
            for exclusion in page["exclusions"]
        }
        page["subgroups"] = subgroups
        return page

    def _time(self, epoch_ms):
        """Naive UTC datetime of a point time (the template shows it in the
        user's time zone)."""
        return datetime.fromtimestamp(epoch_ms / 1000.0, tz=UTC).replace(tzinfo=None)

    def _filter_labels(self, filters):
        """[(label, value)] of the filters applied, in words."""
        _ = self.env._
        labels = []
        for key, model, label in (
            ("product_id", "product.product", _("Product")),
            ("operation_id", "mrp.routing.workcenter", _("Operation")),
            ("workcenter_id", "mrp.workcenter", _("Work centre")),
            ("lot_id", "stock.lot", _("Lot")),
            ("plan_id", "mqc.control.plan", _("Plan revision")),
            ("production_id", "mrp.production", _("Manufacturing order")),
        ):
            if filters.get(key):
                record = self.env[model].browse(int(filters[key]))
                labels.append((label, record.display_name))
        for key, label in (("date_from", _("From")), ("date_to", _("To"))):
            if filters.get(key):
                labels.append((label, fields.Datetime.to_datetime(filters[key])))
        return labels

    def _draw(self, chart, kind_label):
        from ..report.charts import spc as mqc_spc_charts  # noqa: PLC0415 - matplotlib only when printing

        _ = self.env._
        kind = chart["kind"]
        companion = chart["companion"]
        data = dict(chart["points"])
        data.update(
            center=chart["center"],
            ucl=chart["ucl"],
            lcl=chart["lcl"],
            zones=chart["zones"],
            violations=chart["violations"],
            companion=companion,
            # Specification limits bound single values: drawn on the
            # individuals chart only.
            lsl=chart["lsl"] if kind == "imr" else None,
            usl=chart["usl"] if kind == "imr" else None,
            # The CUSUM limits are on the scale of the cumulative sums.
            limits_drawn=kind != "cusum",
        )
        unit = f" ({chart['unit']})" if chart["unit"] and chart["result_type"] == "measure" else ""
        companion_label = COMPANION.get(companion["kind"], "") if companion else ""
        titles = {
            "chart": kind_label,
            "companion": {
                "mr": _("Moving range"),
                "r": _("Range"),
                "s": _("Standard deviation"),
            }.get(companion["kind"], companion_label)
            if companion
            else "",
            "point": _("Subgroup") if kind in ("xbar_r", "xbar_s") else _("Point"),
            "value": _("Value") + unit,
            "companion_value": companion_label + unit,
            "center": _("Centre line"),
            "limits": _("Control limits"),
            "spec": _("Specification limits"),
            "broken": _("Run rule broken (rule no.)"),
            "excluded": _("Excluded from the limits"),
            "excluded_broken": _("Excluded, rule broken"),
            "ucl": _("UCL"),
            "lcl": _("LCL"),
            "cl": _("CL"),
            "lsl": _("LSL"),
            "usl": _("USL"),
        }
        return mqc_spc_charts.control_chart(data, titles)
