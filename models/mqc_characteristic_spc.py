"""SPC on a characteristic: control-chart data, capability-driven frequency
state and the capability dashboard. Statistics come from the engine
(``spc``); the values are fetched with one SQL query into numpy arrays."""

import io

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ..spc import SpcInputError, control_chart, run_rules
from ..spc.constants import constant
from ..spc.frequency import capability_interval
from ..spc.rules import RULE_SETS
from ..tools import client_input
from .mqc_guarded_mixin import require_quality_user

D2_SPAN_2 = constant("d2", 2)  # moving ranges of two points

# PostgreSQL binary COPY: 11-byte signature, flags and extension length
# before the rows; a field count of -1 after them.
COPY_HEADER = 19
COPY_TRAILER = 2

SHEWHART = ("imr", "xbar_r", "xbar_s", "p", "np", "c", "u")

# Filters of the chart screen (see mqc_chart_data) and their limits.
FILTER_IDS = ("product_id", "workcenter_id", "operation_id", "lot_id", "plan_id", "production_id")
FILTER_KEYS = {*FILTER_IDS, "date_from", "date_to", "subgroup_size", "max_points", "kind"}
MAX_SUBGROUP = 50
MAX_POINTS = 1_000_000


class MqcCharacteristic(models.Model):
    # The chatter logs the SPC decisions (limits frozen or recomputed, points
    # excluded); the plan's chatter tells the rest.
    _name = "mqc.characteristic"
    _inherit = ["mqc.characteristic", "mail.thread"]

    drift_opens_alert = fields.Boolean(
        "Drift Opens an Alert",
        compute="_compute_drift_opens_alert",
        store=True,
        readonly=False,
        help="A drift event (broken run rule) also opens a quality alert. "
        "Ticked by default for critical characteristics.",
    )
    mqc_tightened = fields.Boolean("Frequency Tightened", readonly=True)
    mqc_tightened_band = fields.Integer("Tightened Band", readonly=True)
    mqc_conforming_subgroups = fields.Integer(
        "Conforming Subgroups Since Tightening", readonly=True
    )
    spc_limit_ids = fields.One2many("mqc.spc.limit", "characteristic_id", "Frozen Limits")
    frequency_change_ids = fields.One2many(
        "mqc.frequency.change", "characteristic_id", "Frequency Changes"
    )
    capability_study_ids = fields.One2many(
        "mqc.capability.study", "characteristic_id", "Capability Studies"
    )

    @api.model
    def _mqc_rule_text(self, signals, test):
        """Translated text of run rule ``test`` of ``signals`` (a
        RuleViolations), with the parameters actually used: the engine's
        descriptions are plain English."""
        kind = RULE_SETS[signals.rule_set][test][0]
        param = signals.parameters[test]
        # Arguments computed outside the translation calls (babel reads them).
        if kind == "k_of":
            k, z = param[0], f"{param[1]:g}"
            return self.env._(
                "%(k)s out of %(k1)s points more than %(z)s sigma from the centre line (same side)",
                k=k,
                k1=k + 1,
                z=z,
            )
        p = f"{param:g}" if isinstance(param, float) else param
        if kind == "beyond":
            return self.env._("1 point more than %(p)s sigma from the centre line", p=p)
        if kind == "side":
            return self.env._("%(p)s points in a row on the same side of the centre line", p=p)
        if kind == "trend":
            return self.env._("%(p)s points in a row, all increasing or all decreasing", p=p)
        if kind == "alt":
            return self.env._("%(p)s points in a row, alternating up and down", p=p)
        if kind == "within":
            return self.env._(
                "%(p)s points in a row within 1 sigma of the centre line (either side)", p=p
            )
        if kind == "outside":
            return self.env._(
                "%(p)s points in a row more than 1 sigma from the centre line (either side)", p=p
            )
        return signals.descriptions[test]

    @api.depends("criticality")
    def _compute_drift_opens_alert(self):
        for char in self:
            char.drift_opens_alert = char.criticality == "critical"

    @api.depends(
        "frequency_mode", "current_cpk", "current_cpk_valid", "reference_interval",
        "criticality", "relax_after", "mqc_tightened", "mqc_tightened_band",
        "mqc_conforming_subgroups",
    )  # fmt: skip
    def _compute_effective_interval(self):
        for char in self:
            if char.frequency_mode == "capability" and char.reference_interval >= 1:
                char.effective_interval = char._mqc_frequency_decision().interval
            elif char.frequency_mode == "every_n":
                char.effective_interval = char.frequency_n
            elif char.frequency_mode == "every_piece":
                char.effective_interval = 1
            else:
                char.effective_interval = 0

    def _mqc_frequency_decision(self, **state):
        self.ensure_one()
        tightened = state.get("tightened", self.mqc_tightened)
        return capability_interval(
            self.current_cpk if self.current_cpk_valid else None,
            max(self.reference_interval, 1),
            criticality=self.criticality,
            tightened_band=state.get("band", self.mqc_tightened_band) if tightened else None,
            conforming_subgroups=state.get("conforming", self.mqc_conforming_subgroups),
            relax_after=max(self.relax_after, 1),
        )

    def _mqc_spc_write(self, vals):
        """Writes the process state (Cpk, tightening) on any plan state.
        Private: called after a validated capability study or recorded checks,
        whose methods checked the caller."""
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Capability-driven frequency
    # ------------------------------------------------------------------
    def _mqc_frequency_feedback(self, failed, conforming):
        """Updates the tightening state after recorded checks.

        ``failed``: characteristics with a failed check or a drift event
        (tightened to every piece); ``conforming``: {characteristic id: number
        of passed checks (subgroups)}. Every change of the interval is logged.
        """
        # The log of the changes made by the recorded checks or the study whose
        # callers were checked; users have no create access on the log.
        Change = self.env["mqc.frequency.change"].sudo()
        logs = []
        for char in self.filtered(lambda c: c.frequency_mode == "capability"):
            old = char.effective_interval
            if char in failed:
                new_state = {"tightened": True, "band": 0, "conforming": 0}
                reason = "tightened"
            elif char.mqc_tightened and conforming.get(char.id):
                count = char.mqc_conforming_subgroups + conforming[char.id]
                decision = char._mqc_frequency_decision(conforming=count)
                new_state = {"tightened": decision.reason == "tightened", "conforming": count}
                if not new_state["tightened"]:
                    new_state.update(band=0, conforming=0)
                reason = "relaxed"
            else:
                continue
            char._mqc_spc_write(
                {
                    "mqc_tightened": new_state["tightened"],
                    "mqc_tightened_band": new_state.get("band", char.mqc_tightened_band),
                    "mqc_conforming_subgroups": new_state["conforming"],
                }
            )
            new = char.effective_interval
            if new != old or reason == "tightened":
                logs.append(
                    {
                        "characteristic_id": char.id,
                        "old_interval": old,
                        "new_interval": new,
                        "reason": reason,
                    }
                )
        if logs:
            Change.create(logs)

    # ------------------------------------------------------------------
    # Chart data
    # ------------------------------------------------------------------
    def _mqc_family_ids(self):
        """This characteristic and its homologues (same balloon) in the other
        revisions of the same control plan."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """SELECT c.id FROM mqc_characteristic c
                   JOIN mqc_control_plan p ON p.id = c.plan_id
                   WHERE c.balloon = %s AND p.code = %s AND p.company_id = %s""",
                self.balloon,
                self.plan_id.code,
                self.company_id.id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()] or [self.id]

    def _mqc_where(self, filters):
        """Joins and conditions of the measurements selected by the filters."""
        self.ensure_one()
        where = [SQL("m.is_current"), SQL("m.characteristic_id = ANY(%s)", self._mqc_family_ids())]
        column = {
            "product_id": "p.product_id",
            "workcenter_id": "w.workcenter_id",
            "operation_id": "w.operation_id",
            "lot_id": "m.lot_id",
            "plan_id": "m.plan_id",
            "production_id": "m.production_id",
        }
        for model in ("mqc.measurement", "mqc.spc.exclusion"):
            self.env[model].flush_model()
        for key, col in column.items():
            if filters.get(key):
                where.append(SQL(f"{col} = %s", filters[key]))
        if filters.get("date_from"):
            where.append(SQL("m.recorded_at >= %s", filters["date_from"]))
        if filters.get("date_to"):
            where.append(SQL("m.recorded_at <= %s", filters["date_to"]))
        joins = []
        if filters.get("product_id"):
            joins.append(SQL("JOIN mrp_production p ON p.id = m.production_id"))
        if filters.get("workcenter_id") or filters.get("operation_id"):
            joins.append(SQL("JOIN mrp_workorder w ON w.id = m.workorder_id"))
        return joins, where

    def _mqc_fetch(self, filters):
        """Current measurements of the characteristic (and its homologues),
        oldest first, as numpy arrays: one query."""
        joins, where = self._mqc_where(filters)
        # Only the columns the chart of this result type reads; no NULL may
        # come out (fixed-width rows, see _copy_columns).
        if self.result_type == "measure":
            columns = [("value", SQL("m.value::float8"), ">f8")]
            where.append(SQL("m.value IS NOT NULL"))
        else:
            columns = [
                ("ok", SQL("COALESCE(m.attribute_ok, false)"), "?"),
                ("defects", SQL("COALESCE(m.defects, 0)::float8"), ">f8"),
            ]
        columns = [
            ("id", SQL("m.id::int8"), ">i8"),
            *columns,
            ("time", SQL("date_part('epoch', m.recorded_at)::float8 * 1000"), ">f8"),
            ("production", SQL("COALESCE(m.production_id, 0)::int8"), ">i8"),
            ("lot", SQL("COALESCE(m.lot_id, 0)::int8"), ">i8"),
            ("excluded", SQL("e.id IS NOT NULL"), "?"),
        ]
        query = SQL(
            """SELECT %s
               FROM mqc_measurement m %s
               LEFT JOIN mqc_spc_exclusion e ON e.measurement_id = m.id
               WHERE %s""",
            SQL(", ").join(expr for _name, expr, _type in columns),
            SQL(" ").join(joins),
            SQL(" AND ").join(where),
        )
        data = _copy_columns(self.env.cr, query, [(name, fmt) for name, _e, fmt in columns])
        # Oldest first. Sorting the whole history here rather than in SQL keeps
        # PostgreSQL from spilling a 100,000-row sort to disk.
        order = np.lexsort((data["id"], data["time"]))
        return {name: column[order] for name, column in data.items()}

    def _mqc_active_limit(self, kind):
        self.ensure_one()
        return self.env["mqc.spc.limit"].search(
            [("characteristic_id", "=", self.id), ("kind", "=", kind)], limit=1
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

    def _mqc_default_kind(self, filters):
        """The chart kind of ``filters`` (checked by _mqc_filters)."""
        size = filters.get("subgroup_size") or 1
        if filters.get("kind"):
            kinds = [kind for kind, _label in self._mqc_chart_kinds()]
            return client_input.choice(self.env, filters["kind"], "kind", kinds)
        if self.result_type == "attribute":
            return "p"
        if self.result_type == "defects":
            return "u"
        if size > 1:
            return "xbar_r" if size <= 8 else "xbar_s"
        return "imr"

    @api.model
    def _mqc_characteristic(self, characteristic_id):
        """The characteristic of id ``characteristic_id`` sent by a client,
        refused when it does not exist or the user may not read it."""
        return client_input.existing(
            self.env,
            "mqc.characteristic",
            characteristic_id,
            self.env._("Characteristic"),
            message=self.env._("This characteristic does not exist."),
        )

    @api.model
    def mqc_chart_data(self, characteristic_id, filters=None):
        """Control-chart data for the SPC screen (JSON-able).

        The chart follows the data: measured values give an individuals chart
        (I-MR), or X̄-R / X̄-S when ``subgroup_size`` > 1 (consecutive current
        measurements grouped, an incomplete last subgroup left out); pass/fail
        results a p chart (fraction NOK per production order); defect counts a
        u chart (defects per inspected piece, per order; ``kind="c"`` for the
        count per order). ``kind`` may force ``ewma`` or ``cusum`` on measured
        values. Filters: product_id, workcenter_id, operation_id (of the work
        order), lot_id, plan_id, production_id, date_from, date_to,
        subgroup_size, kind, max_points (I-MR only: the latest points shown,
        the limits from the whole selection).
        Points are columns (lists of the same length).
        """
        filters = self._mqc_filters(filters)
        char = self._mqc_characteristic(characteristic_id)
        kind = char._mqc_default_kind(filters)
        size = filters["subgroup_size"]
        data = char._mqc_fetch(filters)
        count = int(data["id"].size)
        # The screen may show only the latest points of a long history: for an
        # individuals chart the limits still come from the whole selection.
        last = filters["max_points"]
        estimate = None
        if last and kind == "imr" and char.result_type == "measure":
            estimate = _imr_estimate(data["value"], data["excluded"])
            data = {name: column[-last:] for name, column in data.items()}
        result = {
            "characteristic_id": char.id,
            "name": f"{char.balloon} {char.name}",
            "unit": char.unit or "",
            "result_type": char.result_type,
            "kind": kind,
            "subgroup_size": size,
            "n_measurements": count,
            "lsl": char.lower_limit if char.tolerance_type != "upper" else None,
            "usl": char.upper_limit if char.tolerance_type != "lower" else None,
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
            chart_input = char._mqc_chart_input(kind, data, size)
        except SpcInputError as error:
            result["message"] = str(error)
            return result
        if chart_input is None:
            result["message"] = self.env._("Not enough values for a chart yet.")
            return result
        values, sizes, excluded, meta = chart_input
        limit = char._mqc_active_limit(kind)
        params = {}
        if limit:
            params["center"] = limit.center
            if kind not in ("p", "np", "c", "u"):
                params["sigma"] = limit.sigma
        elif estimate:
            if estimate[0] is None or not estimate[1]:
                result["message"] = self.env._("Not enough values for a chart yet.")
                return result
            params.update(center=estimate[0], sigma=estimate[1] / D2_SPAN_2)
        try:
            chart = control_chart(kind, values, sizes=sizes, exclude=excluded, **params)
        except SpcInputError as error:
            result["message"] = str(error)
            return result
        center = np.broadcast_to(chart.center, chart.statistic.shape)
        ucl = np.broadcast_to(chart.ucl, chart.statistic.shape)
        lcl = np.broadcast_to(chart.lcl, chart.statistic.shape)
        result.update(
            phase="I" if estimate and not limit else chart.phase,
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
                signals = run_rules(chart.statistic, center, point_sigma)
                result["rules"] = {
                    str(test): self.env._(
                        "Nelson %(test)s: %(text)s",
                        test=test,
                        text=self._mqc_rule_text(signals, test),
                    )
                    for test in signals.descriptions
                }
                result["violations"] = _violations(signals)
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
        result["productions"], result["lots"] = char._mqc_names(data)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # No "created" note nor follower per characteristic: the plan tells it.
        quiet = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        return super(MqcCharacteristic, quiet).create(vals_list)

    def _mqc_chart_kinds(self):
        """[(kind, label)] of the charts offered for this result type."""
        self.ensure_one()
        _ = self.env._
        if self.result_type == "attribute":
            return [
                ("p", _("p (fraction nonconforming)")),
                ("np", _("np (number nonconforming)")),
            ]
        if self.result_type == "defects":
            return [("u", _("u (defects per piece)")), ("c", _("c (defects per order)"))]
        return [
            ("imr", _("I-MR (individuals)")),
            ("xbar_r", _("X̄-R (subgroup means and ranges)")),
            ("xbar_s", _("X̄-S (subgroup means and standard deviations)")),
            ("ewma", _("EWMA")),
            ("cusum", _("CUSUM")),
        ]

    @api.model
    def mqc_chart_filter_options(self, characteristic_id):
        """Choices of the chart screen's filters: the products, operations, work
        centres, lots and plan revisions present in the current measurements of
        the characteristic (and its homologues), their date range, the chart
        kinds for its result type and whether the user may freeze limits and
        exclude points. One aggregate query, then one name read per model."""
        char = self._mqc_characteristic(characteristic_id)
        _joins, where = char._mqc_where({})
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
            "result_type": char.result_type,
            "products": choices("product.product", products),
            "operations": choices("mrp.routing.workcenter", operations),
            "workcenters": choices("mrp.workcenter", workcenters),
            "lots": choices("stock.lot", lots),
            "plans": choices("mqc.control.plan", plans, revision),
            "date_from": fields.Datetime.to_string(first) if first else False,
            "date_to": fields.Datetime.to_string(last) if last else False,
            "count": count,
            "kinds": [{"value": k, "label": label} for k, label in char._mqc_chart_kinds()],
            "default_kind": char._mqc_default_kind({}),
            "can_edit": self.env.user.has_group("mrp_quality_control.group_mqc_technician"),
        }

    def action_mqc_open_chart(self):
        """The control-chart screen of this characteristic."""
        self.ensure_one()
        require_quality_user(self)
        action = self.env["ir.actions.actions"]._for_xml_id(
            "mrp_quality_control.mqc_spc_chart_action"
        )
        action["params"] = {"characteristic_id": self.id}
        action["context"] = {"characteristic_id": self.id}
        return action

    def _mqc_chart_input(self, kind, data, size):
        """(values, sizes, excluded mask, per-point columns) for the engine."""
        count = data["id"].size
        if self.result_type == "measure":
            if kind in ("xbar_r", "xbar_s") or (kind in ("ewma", "cusum") and size > 1):
                groups = count // size
                if groups < 2:
                    return None
                cut = groups * size
                shape = (groups, size)
                values = data["value"][:cut].reshape(shape)
                last = np.arange(size - 1, cut, size)
                meta = {
                    "time": data["time"][last].tolist(),
                    "production_id": data["production"][last].tolist(),
                    "lot_id": data["lot"][last].tolist(),
                    "measurement_ids": data["id"][:cut].reshape(shape).tolist(),
                }
                excluded = data["excluded"][:cut].reshape(shape).any(axis=1)
                return values, None, excluded, meta
            if count < 2:
                return None
            meta = {
                "time": data["time"].tolist(),
                "production_id": data["production"].tolist(),
                "lot_id": data["lot"].tolist(),
                "measurement_ids": data["id"].tolist(),
            }
            return data["value"], None, data["excluded"], meta
        # Attribute and defect charts: one point per production order, in the
        # order of their first measurement.
        if not count:
            return None
        orders, first, inverse = np.unique(
            data["production"], return_index=True, return_inverse=True
        )
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        point = rank[inverse]
        npoints = orders.size
        sizes = np.bincount(point, minlength=npoints).astype(float)
        if self.result_type == "attribute":
            counts = np.bincount(point, weights=(~data["ok"]).astype(float), minlength=npoints)
        else:
            counts = np.bincount(point, weights=data["defects"], minlength=npoints)
        excluded = np.bincount(point, weights=data["excluded"], minlength=npoints) > 0
        sort = np.argsort(point, kind="stable")
        bounds = np.cumsum(sizes.astype(int))[:-1]
        last_time = np.maximum.reduceat(data["time"][sort], np.r_[0, bounds]) if count else []
        meta = {
            "time": np.asarray(last_time).tolist(),
            "production_id": orders[order].tolist(),
            "lot_id": data["lot"][first[order]].tolist(),
            "measurement_ids": [ids.tolist() for ids in np.split(data["id"][sort], bounds)],
            "size": sizes.tolist(),
        }
        return counts, (None if kind == "c" else sizes), excluded, meta

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


def _imr_estimate(values, excluded):
    """(centre, MR-bar) of time-ordered values: excluded points out of the
    mean, moving ranges touching them out of MR-bar (as ``spc.control_chart``
    does); None stands for "not enough values"."""
    kept = values[~excluded]
    ranges = np.abs(np.diff(values))[~(excluded[1:] | excluded[:-1])]
    return (
        float(kept.mean()) if kept.size else None,
        float(ranges.mean()) if ranges.size else None,
    )


def _copy_columns(cr, query, columns):
    """Runs ``query`` through PostgreSQL's binary COPY and returns its columns
    as native numpy arrays, without building a Python object per value (the
    rows are fixed-width: no NULL, fixed-size types only)."""
    fields_ = [("count", ">i2")]
    for name, fmt in columns:
        fields_ += [(f"{name}_len", ">i4"), (name, fmt)]
    row = np.dtype(fields_)
    buffer = io.BytesIO()
    copy = SQL("COPY (%s) TO STDOUT WITH (FORMAT binary)", query)
    cr.copy_expert(cr.mogrify(copy).decode(), buffer)
    cr.sql_log_count += 1  # counted as a query, like cr.execute
    raw = buffer.getbuffer()
    body = len(raw) - COPY_HEADER - COPY_TRAILER
    if body < 0 or body % row.itemsize:
        raise ValueError(f"unexpected binary COPY size {len(raw)} for rows of {row.itemsize}")
    rows = np.frombuffer(raw, dtype=row, count=body // row.itemsize, offset=COPY_HEADER)
    return {name: rows[name].astype(np.dtype(fmt).newbyteorder("=")) for name, fmt in columns}


def _violations(signals):
    """[{index, rules: [test ids]}] for the flagged points, without a loop
    over points in Python for the grouping (sorted by point, then test)."""
    pairs = [(indices, test) for test, indices in signals.violations.items() if indices.size]
    if not pairs:
        return []
    points = np.concatenate([indices for indices, _test in pairs])
    tests = np.concatenate([np.full(indices.size, test) for indices, test in pairs])
    order = np.lexsort((tests, points))
    points, tests = points[order], tests[order].astype(str)
    starts = np.flatnonzero(np.r_[True, points[1:] != points[:-1]])
    groups = np.split(tests, starts[1:])
    return [
        {"index": index, "rules": group.tolist()}
        for index, group in zip(points[starts].tolist(), groups, strict=True)
    ]
