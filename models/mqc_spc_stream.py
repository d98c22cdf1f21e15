"""The process stream: one controlled characteristic of one product followed
over time, whatever the revision of its control plan. It owns the SPC state
(frozen limits, exclusions, drift events, frequency changes, capability
studies, the latest valid Cpk, the tightening state) and the one reader of
its measurement history (``_series``)."""

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import client_input
from ..tools.pg_arrays import copy_columns
from .mqc_guarded_mixin import ALL, require_group

TECHNICIAN = "mrp_quality_control.group_mqc_technician"

# Filters of the history (chart screen, studies) and the column each reads.
FILTER_COLUMNS = {
    "product_id": "p.product_id",
    "workcenter_id": "w.workcenter_id",
    "operation_id": "w.operation_id",
    "lot_id": "m.lot_id",
    "plan_id": "m.plan_id",
    "production_id": "m.production_id",
}
# Optional columns of the history: (SQL expression, numpy big-endian format).
# No NULL may come out (fixed-width rows, see tools.pg_arrays).
SERIES_COLUMNS = {
    "value": ("m.value::float8", ">f8"),
    "ok": ("COALESCE(m.attribute_ok, false)", "?"),
    "defects": ("COALESCE(m.defects, 0)::float8", ">f8"),
    # 0 within tolerance, 1 drift warning, 2 out of tolerance
    "verdict": (
        "(CASE m.verdict WHEN 'nok' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END)::int2",
        ">i2",
    ),
    "gauge": ("COALESCE(m.gauge_id, 0)::int8", ">i8"),
    "characteristic": ("m.characteristic_id::int8", ">i8"),
}
VERDICTS = ("ok", "warning", "nok")
# 2000-01-01 00:00:00 UTC, the origin of PostgreSQL's binary timestamps, in ms.
PG_EPOCH_MS = 946_684_800_000.0


class MqcSpcStream(models.Model):
    _name = "mqc.spc.stream"
    _description = "Process Stream"
    _inherit = ["mqc.guarded.mixin", "mail.thread"]
    # Created on approval, state written by the recording, the studies and the
    # technician's split / re-link methods only.
    _mqc_guarded_fields = ALL
    _order = "plan_code, balloon, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    product_tmpl_id = fields.Many2one(
        "product.template", "Product", readonly=True, index=True, check_company=True
    )
    product_id = fields.Many2one(
        "product.product", "Variant", readonly=True, check_company=True
    )
    plan_code = fields.Char("Control Plan", required=True, readonly=True, index=True)
    balloon = fields.Char("Balloon No.", required=True, readonly=True)
    characteristic_ids = fields.One2many(
        "mqc.characteristic", "stream_id", "Revisions", readonly=True
    )
    characteristic_id = fields.Many2one(
        "mqc.characteristic",
        "Current Characteristic",
        compute="_compute_characteristic_id",
        store=True,
        help="The characteristic of the latest approved (or obsolete) revision carried by "
        "this stream: its tolerance and frequency settings apply.",
    )
    result_type = fields.Selection(related="characteristic_id.result_type")
    unit = fields.Char(related="characteristic_id.unit")
    current_cpk = fields.Float("Latest Cpk", digits=(16, 2), readonly=True)
    current_cpk_valid = fields.Boolean("Latest Cpk Valid", readonly=True)
    tightened = fields.Boolean("Frequency Tightened", readonly=True)
    tightened_band = fields.Integer(readonly=True)
    conforming_subgroups = fields.Integer("Conforming Subgroups Since Tightening", readonly=True)
    effective_interval = fields.Integer(
        "Current Interval", related="characteristic_id.effective_interval"
    )
    limit_ids = fields.One2many("mqc.spc.limit", "stream_id", "Frozen Limits", readonly=True)
    exclusion_ids = fields.One2many(
        "mqc.spc.exclusion", "stream_id", "Excluded Points", readonly=True
    )
    drift_event_ids = fields.One2many(
        "mqc.drift.event", "stream_id", "Drift Events", readonly=True
    )
    frequency_change_ids = fields.One2many(
        "mqc.frequency.change", "stream_id", "Frequency Changes", readonly=True
    )
    capability_study_ids = fields.One2many(
        "mqc.capability.study", "stream_id", "Capability Studies", readonly=True
    )
    measurement_count = fields.Integer("Measurements", compute="_compute_measurement_count")
    previous_stream_id = fields.Many2one(
        "mqc.spc.stream",
        "Split From",
        readonly=True,
        help="The stream this one was split from, when a revision changed what is measured.",
    )
    split_reason = fields.Text(readonly=True)
    active = fields.Boolean(default=True)

    @api.depends("plan_code", "balloon", "characteristic_ids.name")
    def _compute_name(self):
        for stream in self:
            char = stream.characteristic_ids[-1:]
            stream.name = f"{stream.plan_code} #{stream.balloon} {char.name or ''}".strip()

    @api.depends("characteristic_ids.plan_id.state", "characteristic_ids.plan_id.revision_sequence")
    def _compute_characteristic_id(self):
        for stream in self:
            chars = stream.characteristic_ids.sorted(
                lambda c: (c.plan_id.state == "approved", c.plan_id.state != "draft",
                           c.plan_id.revision_sequence, c.id)
            )  # fmt: skip
            stream.characteristic_id = chars[-1:]

    def _compute_measurement_count(self):
        counts = dict(
            self.env["mqc.measurement"]._read_group(
                [("stream_id", "in", self.ids), ("is_current", "=", True)],
                ["stream_id"],
                ["__count"],
            )
        )
        for stream in self:
            stream.measurement_count = counts.get(stream, 0)

    # ------------------------------------------------------------------
    # Streams of characteristics
    # ------------------------------------------------------------------
    @api.model
    def _mqc_link(self, characteristics):
        """Gives every characteristic of ``characteristics`` without a stream
        the stream of the same balloon in the latest earlier revision of its
        plan that has one, or a new stream. Private: called by the approval
        of a plan and by the recording of measurements, whose callers were
        checked."""
        todo = characteristics.filtered(lambda c: not c.stream_id)
        if not todo:
            return
        self.env["mqc.characteristic"].flush_model(["stream_id", "balloon", "plan_id"])
        self.env["mqc.control.plan"].flush_model(["code", "company_id", "revision_sequence"])
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (p.company_id, p.code, c.balloon)
                          p.company_id, p.code, c.balloon, c.stream_id
                   FROM mqc_characteristic c
                   JOIN mqc_control_plan p ON p.id = c.plan_id
                   WHERE c.stream_id IS NOT NULL AND p.code = ANY(%s)
                     AND p.company_id = ANY(%s)
                   ORDER BY p.company_id, p.code, c.balloon, p.revision_sequence DESC, c.id DESC""",
                list(set(todo.plan_id.mapped("code"))),
                todo.company_id.ids,
            )
        )
        known = {(company, code, balloon): stream for company, code, balloon, stream
                 in self.env.cr.fetchall()}  # fmt: skip
        Stream = self.sudo()
        for char in todo:
            plan = char.plan_id
            key = (plan.company_id.id, plan.code, char.balloon)
            if key not in known:
                known[key] = (
                    Stream.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
                    .create(
                        {
                            "company_id": plan.company_id.id,
                            "product_tmpl_id": plan.product_tmpl_id.id,
                            "product_id": plan.product_id.id,
                            "plan_code": plan.code,
                            "balloon": char.balloon,
                        }
                    )
                    .id
                )
            # The stream is the characteristic's process, not the plan definition.
            char.sudo()._mqc_set_stream(known[key])

    def mqc_split(self, characteristic_id, reason):
        """Gives the characteristic of a revision a new stream of its own,
        split from this one, when the revision changes what is measured (a
        new nominal, another feature): its limits, Cpk and tightening start
        again; the split is traced on both streams. Only a Quality Technician
        or Manager, only while the characteristic has no measurement."""
        char, reason = self._mqc_relink_input(characteristic_id, reason)
        old = char.stream_id
        plan = char.plan_id
        # A technician who may write the characteristic (checked above).
        new = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "company_id": plan.company_id.id,
                    "product_tmpl_id": plan.product_tmpl_id.id,
                    "product_id": plan.product_id.id,
                    "plan_code": plan.code,
                    "balloon": char.balloon,
                    "previous_stream_id": old.id,
                    "split_reason": reason,
                }
            )
        ).with_env(self.env)
        char.sudo()._mqc_set_stream(new.id)
        label = f"{char.balloon} {char.name}"
        body = self.env._(
            "Revision %(revision)s of %(char)s split into a new stream: its limits, Cpk and "
            "frequency start again. Reason: %(reason)s",
            revision=plan.revision,
            char=label,
            reason=reason,
        )
        for stream in (old | new).with_env(self.env):
            stream.sudo().message_post(body=body)
        return new.id

    def mqc_relink(self, characteristic_id, stream_id, reason):
        """Links the characteristic of a revision to another existing stream
        of the same company (e.g. back to the one it was split from, or to the
        stream of a renumbered balloon); traced on both. Same conditions as
        ``mqc_split``."""
        char, reason = self._mqc_relink_input(characteristic_id, reason)
        target = client_input.existing(
            self.env,
            "mqc.spc.stream",
            stream_id,
            self.env._("Stream"),
            message=self.env._("Stream: choose an existing process stream."),
        )
        if target.company_id != char.company_id:
            raise UserError(self.env._("Stream: choose a stream of the characteristic's company."))
        old = char.stream_id
        if target == old:
            raise UserError(self.env._("Stream: the characteristic already follows this stream."))
        char.sudo()._mqc_set_stream(target.id)
        label, revision = f"{char.balloon} {char.name}", char.plan_id.revision
        old_name, new_name = old.display_name or "-", target.display_name
        body = self.env._(
            "Revision %(revision)s of %(char)s re-linked from %(old)s to %(new)s. Reason: "
            "%(reason)s",
            revision=revision,
            char=label,
            old=old_name,
            new=new_name,
            reason=reason,
        )
        for stream in old | target:
            stream.sudo().message_post(body=body)
        return target.id

    @api.model
    def _mqc_relink_input(self, characteristic_id, reason):
        env, ci = self.env, client_input
        require_group(
            env,
            TECHNICIAN,
            env._("Only a Quality Technician or Manager splits or re-links a process stream."),
        )
        char = env["mqc.characteristic"]._mqc_characteristic(characteristic_id)
        char.check_access("write")
        reason = ci.text(env, reason, env._("Reason"), ci.REASON_MAX)
        if not reason:
            raise UserError(env._("Reason: say why the characteristic changes stream."))
        if env["mqc.measurement"].sudo().search_count(
            [("characteristic_id", "=", char.id)], limit=1
        ):
            label, revision = f"{char.balloon} {char.name}", char.plan_id.revision
            raise UserError(
                env._(
                    "Stream: %(char)s of revision %(revision)s already has measurements, which "
                    "stay in their stream; make a new revision to measure something else.",
                    char=label,
                    revision=revision,
                )
            )
        if not char.stream_id:
            self._mqc_link(char)
        return char, reason

    def _mqc_write_state(self, vals):
        """Writes the process state (latest Cpk, tightening). Private: called
        after a validated capability study or recorded checks, whose methods
        checked the caller."""
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # The history
    # ------------------------------------------------------------------
    def _mqc_where(self, filters, of_streams=True):
        """(joins, conditions) of the current measurements of these streams
        (``of_streams``: with the condition on the streams) selected by
        ``filters`` (see ``_series``)."""
        filters = filters or {}
        where = [SQL("m.is_current")]
        if of_streams:
            where.append(SQL("m.stream_id = ANY(%s)", self.ids))
        for key, column in FILTER_COLUMNS.items():
            if filters.get(key):
                where.append(SQL(f"{column} = %s", filters[key]))
        if filters.get("production_ids"):
            where.append(SQL("m.production_id = ANY(%s)", list(filters["production_ids"])))
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

    def _series(self, filters=None, columns=("value",), last=None):
        """The one reader of the measurement history of these streams.

        Current measurements (corrections replace what they correct), oldest
        first, as numpy arrays: ``id``, ``stream``, ``time`` (epoch ms),
        ``production``, ``lot`` (0 for none), ``excluded`` (left out of the
        limits for an assignable cause), plus the ``columns`` asked for among
        value, ok, defects, verdict (0 ok, 1 warning, 2 nok), gauge,
        characteristic. Asking for ``value`` keeps only measured values.
        ``filters``: product_id, workcenter_id, operation_id, lot_id, plan_id,
        production_id, production_ids, date_from, date_to (checked by the
        caller). ``last``: only the latest ``last`` measurements of each stream.
        One query (PostgreSQL binary COPY), whatever the number of streams."""
        if not self:
            return _empty(columns)
        for model in ("mqc.measurement", "mqc.spc.exclusion"):
            self.env[model].flush_model()
        joins, where = self._mqc_where(filters, of_streams=not last)
        if "value" in columns:
            where.append(SQL("m.value IS NOT NULL"))
        # Raw column types where they are fixed-width already: ids as int4,
        # the time as PostgreSQL's binary timestamp (int8 microseconds since
        # 2000-01-01), converted by numpy rather than per row in SQL.
        spec = [
            ("id", "m.id", ">i4"),
            ("stream", "m.stream_id", ">i4"),
            *((name, *SERIES_COLUMNS[name]) for name in columns),
            ("time", "m.recorded_at", ">i8"),
            ("production", "COALESCE(m.production_id, 0)", ">i4"),
            ("lot", "COALESCE(m.lot_id, 0)", ">i4"),
        ]
        select = SQL(", ").join(SQL(expr) for _name, expr, _fmt in spec)
        source = SQL("mqc_measurement m %s", SQL(" ").join(joins))
        if last:
            # The latest of each stream through the (stream, time, id) index.
            query = SQL(
                """SELECT h.* FROM unnest(%s::int[]) AS s(id)
                   CROSS JOIN LATERAL (
                       SELECT %s FROM %s
                       WHERE m.stream_id = s.id AND %s
                       ORDER BY m.recorded_at DESC, m.id DESC LIMIT %s
                   ) h""",
                self.ids,
                select,
                source,
                SQL(" AND ").join(where),
                int(last),
            )
        else:
            query = SQL("SELECT %s FROM %s WHERE %s", select, source, SQL(" AND ").join(where))
        data = copy_columns(self.env.cr, query, [(name, fmt) for name, _e, fmt in spec])
        for name in ("id", "stream", "production", "lot"):
            data[name] = data[name].astype(np.int64)
        data["time"] = data["time"] / 1000.0 + PG_EPOCH_MS
        # The excluded points of these streams: a few, read apart (a join
        # would probe every row of the history).
        self.env.cr.execute(
            SQL(
                "SELECT measurement_id FROM mqc_spc_exclusion WHERE stream_id = ANY(%s)",
                self.ids,
            )
        )
        excluded = [row[0] for row in self.env.cr.fetchall()]
        data["excluded"] = (
            np.isin(data["id"], excluded) if excluded else np.zeros(data["id"].size, bool)
        )
        # Oldest first, by stream. Sorting here rather than in SQL keeps
        # PostgreSQL from spilling a 100,000-row sort to disk.
        order = np.lexsort((data["id"], data["time"], data["stream"]))
        return {name: column[order] for name, column in data.items()}

    @api.model
    def _mqc_split_by_stream(self, data):
        """{stream id: data of that stream} of a ``_series`` result."""
        if not data["stream"].size:
            return {}
        streams, starts = np.unique(data["stream"], return_index=True)
        bounds = list(starts[1:]) + [data["stream"].size]
        return {
            int(stream): {name: column[start:end] for name, column in data.items()}
            for stream, start, end in zip(streams.tolist(), starts, bounds, strict=True)
        }

    def action_mqc_open_chart(self):
        """The control chart of the stream (through its current characteristic)."""
        self.ensure_one()
        return self.characteristic_id.action_mqc_open_chart()


def fill_stream(env, vals_list):
    """Gives the SPC records created with a characteristic only (private code,
    tests) the stream of that characteristic."""
    ids = {vals["characteristic_id"] for vals in vals_list
           if vals.get("characteristic_id") and not vals.get("stream_id")}  # fmt: skip
    if not ids:
        return vals_list
    streams = {char.id: char.stream_id.id for char in env["mqc.characteristic"].browse(ids)}
    for vals in vals_list:
        if vals.get("characteristic_id") and not vals.get("stream_id"):
            vals["stream_id"] = streams.get(vals["characteristic_id"], False)
    return vals_list


def _empty(columns):
    names = ["id", "stream", *columns, "time", "production", "lot", "excluded"]
    formats = {"ok": bool, "excluded": bool, "verdict": np.int16, "value": float,
               "defects": float, "time": float}  # fmt: skip
    return {name: np.empty(0, dtype=formats.get(name, np.int64)) for name in names}
