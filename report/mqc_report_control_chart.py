"""The control chart of a characteristic's process stream: the data of the
OWL chart screen (``get_chart_data``, ``get_filter_options``) and the PDF
report's values come from this one AbstractModel, as Odoo's BoM overview
does. The history comes from the stream's one reader (``_series``), the
statistics from the engine (``spc``)."""

import base64
from datetime import UTC, datetime

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ..spc import SpcInputError, control_chart
from ..spc.constants import constant
from ..spc.series import chart_input, imr_estimate, violation_points
from ..tools import client_input

COMPANION = {"mr": "MR", "r": "R", "s": "S"}
MAX_PAGES = 1000  # characteristics printed at once
D2_SPAN_2 = constant("d2", 2)  # moving ranges of two points
SHEWHART = ("imr", "xbar_r", "xbar_s", "p", "np", "c", "u")
# Filters of the chart screen (see get_chart_data) and their limits.
FILTER_IDS = ("product_id", "workcenter_id", "operation_id", "lot_id", "plan_id", "production_id")
FILTER_KEYS = {*FILTER_IDS, "date_from", "date_to", "subgroup_size", "max_points", "kind"}
MAX_SUBGROUP = 50
MAX_POINTS = 1_000_000


class ReportSpcControlChart(models.AbstractModel):
    """Control-chart report of characteristics: the data of the SPC screen
    (``get_chart_data``) with the chart drawn by matplotlib. The filters come
    from the print wizard (``data["filters"]``); printed from a characteristic
    without the wizard, the report covers its whole current history."""

    _name = "report.mrp_quality_control.report_spc_control_chart"
    _description = "Control Chart Report"

    # ------------------------------------------------------------------
    # Screen data (the OWL chart screen's one door)
    # ------------------------------------------------------------------
    @api.model
    def get_chart_data(self, characteristic_id, filters=None):
        """Control-chart data of the stream of a characteristic (JSON-able).

        The chart follows the data: measured values give an individuals chart
        (I-MR), or X̄-R / X̄-S when ``subgroup_size`` > 1 (consecutive current
        measurements grouped, an incomplete last subgroup left out); pass/fail
        results a p chart (fraction NOK per production order); defect counts a
        u chart (defects per inspected piece, per order; ``kind="c"`` for the
        count per order). ``kind`` may force ``ewma`` or ``cusum`` on measured
        values. Filters: product_id, workcenter_id, operation_id (of the work
        order), lot_id, plan_id, production_id, date_from, date_to,
        subgroup_size, kind, max_points (I-MR only: the latest points shown,
        the limits from the whole selection). The history is the stream's,
        across the plan's revisions. Points are columns (lists of the same
        length)."""
        filters = self._mqc_filters(filters)
        char = self.env["mqc.characteristic"]._mqc_characteristic(characteristic_id)
        kind = self._mqc_default_kind(char, filters)
        size = filters["subgroup_size"]
        data = self._mqc_data(char, filters)
        count = int(data["id"].size)
        # The screen may show only the latest points of a long history: for an
        # individuals chart the limits still come from the whole selection.
        last = filters["max_points"]
        estimate = None
        if last and kind == "imr" and char.result_type == "measure":
            estimate = imr_estimate(data["value"], data["excluded"])
            data = {name: column[-last:] for name, column in data.items()}
        lsl, usl = char._mqc_spec_limits()
        result = {
            "characteristic_id": char.id,
            "stream_id": char.stream_id.id,
            "name": f"{char.balloon} {char.name}",
            "unit": char.unit or "",
            "result_type": char.result_type,
            "kind": kind,
            "subgroup_size": size,
            "n_measurements": count,
            "lsl": lsl,
            "usl": usl,
            "phase": None,
            "limit_id": False,
            "points": {},
            "center": [],
            "lcl": [],
            "ucl": [],
            "zones": {},
            "sigma": None,
            "companion": None,
            "cusum": None,
            "violations": [],
            "rules": {},
            "productions": {},
            "lots": {},
            "message": False,
        }
        try:
            prepared = chart_input(char.result_type, kind, data, size)
        except SpcInputError as error:
            result["message"] = str(error)
            return result
        if prepared is None:
            result["message"] = self.env._("Not enough values for a chart yet.")
            return result
        limit = self._mqc_active_limit(char.stream_id, kind)
        params = {}
        if limit:
            params["center"] = limit.center
            if kind not in ("p", "np", "c", "u"):
                params["sigma"] = limit.sigma
        elif estimate:
            if estimate.center is None or not estimate.mr_bar:
                result["message"] = self.env._("Not enough values for a chart yet.")
                return result
            params.update(center=estimate.center, sigma=estimate.mr_bar / D2_SPAN_2)
        try:
            chart = control_chart(
                kind, prepared.values, sizes=prepared.sizes, exclude=prepared.excluded, **params
            )
        except SpcInputError as error:
            result["message"] = str(error)
            return result
        self._mqc_chart_result(result, char, chart, prepared.meta, estimate and not limit, limit)
        result["productions"], result["lots"] = self._mqc_names(data)
        return result

    def _mqc_chart_result(self, result, char, chart, meta, estimated, limit):
        """Fills ``result`` with the chart's points, limits, zones and rules."""
        kind = result["kind"]
        center = np.broadcast_to(chart.center, chart.statistic.shape)
        ucl = np.broadcast_to(chart.ucl, chart.statistic.shape)
        lcl = np.broadcast_to(chart.lcl, chart.statistic.shape)
        result.update(
            phase="I" if estimated else chart.phase,
            limit_id=limit.id,
            sigma=float(chart.sigma),
            center=center.tolist(),
            ucl=ucl.tolist(),
            lcl=lcl.tolist(),
        )
        points = {"value": chart.statistic.tolist(), "excluded": chart.excluded.tolist()}
        points.update(meta)
        result["points"] = points
        if kind in SHEWHART:
            point_sigma = (ucl - center) / chart.params.get("L", 3.0)
            result["zones"] = {
                "minus2": (center - 2 * point_sigma).tolist(),
                "minus1": (center - point_sigma).tolist(),
                "plus1": (center + point_sigma).tolist(),
                "plus2": (center + 2 * point_sigma).tolist(),
            }
            if np.all(point_sigma > 0):
                signals = char._mqc_run_rules(chart.statistic, center, point_sigma)
                result["rules"] = {
                    str(test): char._mqc_rule_label(signals, test) for test in signals.descriptions
                }
                result["violations"] = violation_points(signals)
        else:
            out = chart.out_of_control
            result["violations"] = [{"index": int(i), "rules": ["limit"]} for i in out]
            result["rules"] = {"limit": self.env._("Beyond the decision limit")}
        if kind == "cusum":
            # The decision chart plots the cumulative sums, not the values:
            # C+ above zero, C- negated below, against +/- H (as Minitab).
            result["cusum"] = {
                "upper": chart.c_plus.tolist(),
                "lower": (-chart.c_minus).tolist(),
                "h": float(chart.h),
            }
        if chart.companion is not None:
            comp = chart.companion
            result["companion"] = {
                "kind": comp.kind,
                "index": comp.index.tolist(),
                "value": comp.statistic.tolist(),
                "center": np.broadcast_to(comp.center, comp.statistic.shape).tolist(),
                "lcl": np.broadcast_to(comp.lcl, comp.statistic.shape).tolist(),
                "ucl": np.broadcast_to(comp.ucl, comp.statistic.shape).tolist(),
            }

    @api.model
    def _mqc_data(self, char, filters):
        """The stream's history of ``char`` for the chart: the columns its
        result type charts (an empty history before the first approval)."""
        columns = ("value",) if char.result_type == "measure" else ("ok", "defects")
        return char.stream_id._series(filters, columns)

    @api.model
    def _mqc_active_limit(self, stream, kind):
        return self.env["mqc.spc.limit"].search(
            [("stream_id", "=", stream.id), ("kind", "=", kind)], limit=1
        )

    @api.model
    def _mqc_filters(self, filters):
        """The chart filters sent by a client, checked and converted: ids as
        ints (False when empty), dates as datetimes, subgroup_size and
        max_points as ints (empty or 0: their minimum); a translated error
        naming the filter and its limit otherwise. ``kind`` is checked against
        the characteristic by _mqc_default_kind."""
        env, ci = self.env, client_input
        filters = dict(ci.mapping(env, filters, env._("Filters"), FILTER_KEYS))
        for name in FILTER_IDS:
            filters[name] = ci.record_id(env, filters.get(name), name, required=False)
        for name in ("date_from", "date_to"):
            if not ci.empty(filters.get(name)):
                filters[name] = ci.date_or_datetime(env, filters[name], name)
        if not ci.empty(filters.get("kind")):
            filters["kind"] = ci.text(env, filters["kind"], "kind", 16)
        for name, minimum, maximum in (
            ("subgroup_size", 1, MAX_SUBGROUP),
            ("max_points", 0, MAX_POINTS),
        ):
            raw = filters.get(name)
            if ci.empty(raw) or (type(raw) in (int, float) and raw == 0):
                filters[name] = minimum
            else:
                filters[name] = ci.whole_number(env, raw, name, minimum, maximum)
        return filters

    @api.model
    def _mqc_default_kind(self, char, filters):
        """The chart kind of ``filters`` (checked by _mqc_filters)."""
        size = filters.get("subgroup_size") or 1
        if filters.get("kind"):
            kinds = [kind for kind, _label in self._mqc_chart_kinds(char)]
            return client_input.choice(self.env, filters["kind"], "kind", kinds)
        if char.result_type == "attribute":
            return "p"
        if char.result_type == "defects":
            return "u"
        if size > 1:
            return "xbar_r" if size <= 8 else "xbar_s"
        return "imr"

    @api.model
    def _mqc_chart_kinds(self, char):
        """[(kind, label)] of the charts offered for the result type of ``char``."""
        _ = self.env._
        if char.result_type == "attribute":
            return [
                ("p", _("p (fraction nonconforming)")),
                ("np", _("np (number nonconforming)")),
            ]
        if char.result_type == "defects":
            return [("u", _("u (defects per piece)")), ("c", _("c (defects per order)"))]
        return [
            ("imr", _("I-MR (individuals)")),
            ("xbar_r", _("X̄-R (subgroup means and ranges)")),
            ("xbar_s", _("X̄-S (subgroup means and standard deviations)")),
            ("ewma", _("EWMA")),
            ("cusum", _("CUSUM")),
        ]

    @api.model
    def _mqc_names(self, data):
        # Names only, also for readers without manufacturing rights (auditors);
        # the access to the characteristic was checked by the caller.
        Production, Lot = self.env["mrp.production"].sudo(), self.env["stock.lot"].sudo()
        productions = {
            str(p.id): p.name
            for p in Production.browse([int(i) for i in np.unique(data["production"]) if i])
        }
        lots = {
            str(lot.id): lot.name
            for lot in Lot.browse([int(i) for i in np.unique(data["lot"]) if i])
        }
        return productions, lots

    @api.model
    def get_filter_options(self, characteristic_id):
        """Choices of the chart screen's filters: the products, operations, work
        centres, lots and plan revisions present in the current measurements of
        the characteristic's stream, their date range, the chart kinds for its
        result type and whether the user may freeze limits and exclude points.
        One aggregate query, then one name read per model."""
        char = self.env["mqc.characteristic"]._mqc_characteristic(characteristic_id)
        for model in ("mqc.measurement", "mqc.spc.exclusion"):
            self.env[model].flush_model()
        _joins, where = char.stream_id._mqc_where({})
        self.env.cr.execute(
            SQL(
                """SELECT array_remove(array_agg(DISTINCT p.product_id), NULL),
                          array_remove(array_agg(DISTINCT w.operation_id), NULL),
                          array_remove(array_agg(DISTINCT w.workcenter_id), NULL),
                          array_remove(array_agg(DISTINCT m.lot_id), NULL),
                          array_remove(array_agg(DISTINCT m.plan_id), NULL),
                          min(m.recorded_at), max(m.recorded_at), count(*)
                   FROM mqc_measurement m
                   LEFT JOIN mrp_production p ON p.id = m.production_id
                   LEFT JOIN mrp_workorder w ON w.id = m.workorder_id
                   WHERE %s""",
                SQL(" AND ").join(where),
            )
        )
        products, operations, workcenters, lots, plans, first, last, count = self.env.cr.fetchone()

        def choices(model, ids, label=None):
            # Names only (sudo): the measurements the user reads name them.
            records = self.env[model].sudo().with_context(active_test=False).browse(ids or [])
            named = [
                {"id": rec.id, "name": label(rec) if label else rec.display_name}
                for rec in records
            ]
            return sorted(named, key=lambda choice: choice["name"])

        def revision(plan):
            return self.env._(
                "Rev. %(revision)s (%(state)s)",
                revision=plan.revision,
                state=dict(plan._fields["state"]._description_selection(self.env)).get(
                    plan.state, ""
                ),
            )

        return {
            "characteristic_id": char.id,
            "stream_id": char.stream_id.id,
            "result_type": char.result_type,
            "products": choices("product.product", products),
            "operations": choices("mrp.routing.workcenter", operations),
            "workcenters": choices("mrp.workcenter", workcenters),
            "lots": choices("stock.lot", lots),
            "plans": choices("mqc.control.plan", plans, revision),
            "date_from": fields.Datetime.to_string(first) if first else False,
            "date_to": fields.Datetime.to_string(last) if last else False,
            "count": count,
            "kinds": [{"value": k, "label": label} for k, label in self._mqc_chart_kinds(char)],
            "default_kind": self._mqc_default_kind(char, {}),
            "can_edit": self.env.user.has_group("mrp_quality_control.group_mqc_technician"),
        }

    # ------------------------------------------------------------------
    # PDF
    # ------------------------------------------------------------------
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
        chart = self.get_chart_data(char.id, filters)
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
        from .charts import spc as mqc_spc_charts  # noqa: PLC0415 - matplotlib only when printing

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
